#ifndef PM_CMD_H
#define PM_CMD_H

#include <stdio.h>
#include "util/options.h"

/*
 * One subcommand per file, like git's builtin/. Each takes the arguments
 * after its name (argv[0] is the subcommand) and returns the process exit
 * status; only these functions and main() print for the user. The command
 * table is in cmd/pmaudit.c.
 */
int cmd_import(int argc, char **argv);
int cmd_rejects(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_report(int argc, char **argv);

/*
 * A subcommand's options and --help: the synopsis (usage lines and what
 * the command does), the option table, and text after the options.
 */
struct cmd_usage {
	const char *name;                  /* "check", "report monthly" */
	const char *synopsis;
	const struct option_spec *options;
	const char *footer;                /* NULL: none */
};

/* cmd_parse() results that are not an argument count: exit with 0 / 2 */
#define CMD_EXIT_0 (-1)
#define CMD_EXIT_2 (-2)

/*
 * Parses argv against u->options (options_parse()). Returns the number of
 * arguments left in argv[0..]; or, after printing the help (stdout) or the
 * error naming the option (stderr), CMD_EXIT_0 or CMD_EXIT_2.
 */
int cmd_parse(const struct cmd_usage *u, int argc, char **argv);
#define CMD_EXIT_STATUS(n) ((n) == CMD_EXIT_0 ? 0 : 2)

/*
 * The as-of time of a period ending at to (cmd/as_of.c): given (--as-of,
 * canonical) if not NULL, else the period's end or the latest event of the
 * database, whichever is earlier (db_default_as_of()). A period that runs
 * past the data gets a warning on standard error, prefixed by who
 * ("pmaudit check"). 0, or -1 after printing why.
 */
struct sqlite3;
int cmd_as_of(const char *who, struct sqlite3 *db, const char *to, const char *given,
	      char as_of[20]);
void cmd_help(FILE *out, const struct cmd_usage *u);

/*
 * For a command that verifies its database beside its work and failed
 * before the verdict (cmd/damaged.c): verifies db (path as given) now; 1
 * after printing the finding, prefixed by who, if the file is damaged --
 * the reason to give -- else 0 (the failure's own message then stands).
 */
int cmd_damaged(const char *who, struct sqlite3 *db, const char *path);

#endif
