#ifndef PM_OPTIONS_H
#define PM_OPTIONS_H

/*
 * The one command-line option parser, in the manner of git's
 * parse-options: each subcommand describes its options in a table and
 * options_parse() fills the variables the table points at. The same table
 * prints the command's --help (options_usage()), so an option is added in
 * one place.
 *
 *   --name VALUE and --name=VALUE   a string or int option (a value may not
 *                                    be empty); -x VALUE for a short name
 *   --name                           a flag: sets its int to 1
 *   --                               the rest are arguments
 *   -h, --help                       options_parse() returns OPTIONS_HELP
 *
 * Arguments that are not options ("-" included) may come anywhere; they
 * are moved to the front of argv, in order. There are no abbreviations:
 * an option added later can never make an old command line ambiguous.
 */
#include <stdio.h>
#include "util/error.h"

enum option_type {
	OPTION_END,          /* ends a table */
	OPTION_FLAG,         /* int *: set to 1 */
	OPTION_STRING,       /* const char **: the value as given */
	OPTION_INT,          /* long long *: a whole decimal number */
	OPTION_GROUP,        /* no option: a heading (help) in --help */
};

struct option_spec {
	enum option_type type;
	const char *long_name;   /* without the dashes; the heading for a group */
	char short_name;         /* 0: none */
	void *value;
	const char *argh;        /* the value's placeholder in --help ("FILE") */
	const char *help;        /* one line or more ("\n" between lines) */
};

#define OPT_FLAG(l, s, v, h)        { OPTION_FLAG, (l), (s), (v), NULL, (h) }
#define OPT_STRING(l, s, v, a, h)   { OPTION_STRING, (l), (s), (v), (a), (h) }
#define OPT_INT(l, s, v, a, h)      { OPTION_INT, (l), (s), (v), (a), (h) }
#define OPT_GROUP(h)                { OPTION_GROUP, (h), 0, NULL, NULL, NULL }
#define OPT_END()                   { OPTION_END, NULL, 0, NULL, NULL, NULL }

#define OPTIONS_HELP (-2)

/*
 * Parses argv[1..argc-1] (argv[0] is the command's name) against opts.
 * Returns the number of arguments that are not options, moved to argv[0..];
 * OPTIONS_HELP for -h/--help; -1 with a message naming the option in err
 * for an unknown option, a missing or empty value or a bad number.
 */
int options_parse(const struct option_spec *opts, int argc, char **argv, pm_error *err);

/* Prints the table as the options part of --help: "  --name ARG   help". */
void options_usage(FILE *out, const struct option_spec *opts);

#endif
