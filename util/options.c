/*
 * The option-table parser of every subcommand (util/options.h): matching
 * an argument to its table entry, reading its value, printing the table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/i18n.h"
#include "util/options.h"

/* help text starts in this column, as in the hand-written usages before */
#define HELP_COLUMN 24

static const struct option_spec *find_long(const struct option_spec *o, const char *arg,
					   size_t len)
{
	for (; o->type != OPTION_END; o++)
		if (o->type != OPTION_GROUP && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, arg, len))
			return o;
	return NULL;
}

static const struct option_spec *find_short(const struct option_spec *o, char c)
{
	for (; o->type != OPTION_END; o++)
		if (o->type != OPTION_GROUP && o->short_name && o->short_name == c)
			return o;
	return NULL;
}

static int set_int(const struct option_spec *o, const char *name, const char *value,
		   pm_error *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end)
		return pm_fail(err, "%s: '%s' is not a whole number", name, value);
	*(long long *)o->value = v;
	return 0;
}

/*
 * Stores the value of o. inline_value is the text after '=' (NULL if none);
 * otherwise the value is the next argument, consumed through *i.
 */
static int take(const struct option_spec *o, const char *name, const char *inline_value,
		int argc, char **argv, int *i, pm_error *err)
{
	const char *value = inline_value;

	if (o->type == OPTION_FLAG) {
		if (inline_value)
			return pm_fail(err, "%s takes no value", name);
		*(int *)o->value = 1;
		return 0;
	}
	if (!value && *i + 1 < argc)
		value = argv[++*i];
	if (!value || !*value)
		return pm_fail(err, "%s needs a value", name);
	if (o->type == OPTION_INT)
		return set_int(o, name, value, err);
	*(const char **)o->value = value;
	return 0;
}

static int parse_one(const struct option_spec *opts, int argc, char **argv, int *i,
		     pm_error *err)
{
	const char *arg = argv[*i];
	const struct option_spec *o;
	char name[64];

	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);

		o = find_long(opts, arg + 2, len);
		if (!o)
			return pm_fail(err, "unknown option '%s'", arg);
		snprintf(name, sizeof(name), "--%s", o->long_name);
		return take(o, name, eq ? eq + 1 : NULL, argc, argv, i, err);
	}
	o = find_short(opts, arg[1]);
	if (!o)
		return pm_fail(err, "unknown option '%s'", arg);
	snprintf(name, sizeof(name), "-%c", o->short_name);
	/* -xVALUE, or a lone -x */
	return take(o, name, arg[2] ? arg + 2 : NULL, argc, argv, i, err);
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int options_parse(const struct option_spec *opts, int argc, char **argv, pm_error *err)
{
	int i, nargs = 0, only_args = 0;

	/* --help wins wherever it is, as before: "check --month x --help" helps */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (is_help(argv[i]))
			return OPTIONS_HELP;
	for (i = 1; i < argc; i++) {
		char *arg = argv[i];

		if (only_args || arg[0] != '-' || arg[1] == '\0') {
			argv[nargs++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_args = 1;
			continue;
		}
		if (parse_one(opts, argc, argv, &i, err))
			return -1;
	}
	return nargs;
}

void options_usage(FILE *out, const struct option_spec *o)
{
	for (; o->type != OPTION_END; o++) {
		const char *h = o->help, *nl;
		int col;

		if (o->type == OPTION_GROUP) {
			fprintf(out, "\n%s\n", _(o->long_name));
			continue;
		}
		col = fprintf(out, "  ");
		if (o->short_name)
			col += fprintf(out, "-%c, ", o->short_name);
		col += fprintf(out, "--%s", o->long_name);
		if (o->argh)
			col += fprintf(out, " %s", o->argh);
		/* the help's lines, the first beside the option if it fits */
		if (col >= HELP_COLUMN - 1) {
			fputc('\n', out);
			col = 0;
		}
		for (h = h ? _(h) : NULL; h; h = nl ? nl + 1 : NULL) {
			nl = strchr(h, '\n');
			fprintf(out, "%*s%.*s\n", HELP_COLUMN - col, "",
				nl ? (int)(nl - h) : (int)strlen(h), h);
			col = 0;
		}
	}
}
