/*
 * What every subcommand does with its option table (util/options.h):
 * parse, print --help from the table, report bad usage the same way.
 */
#include <stdio.h>
#include "cmd/cmd.h"
#include "util/i18n.h"

void cmd_help(FILE *out, const struct cmd_usage *u)
{
	fputs(_(u->synopsis), out);
	options_usage(out, u->options);
	if (u->footer)
		fprintf(out, "\n%s", _(u->footer));
}

int cmd_parse(const struct cmd_usage *u, int argc, char **argv)
{
	pm_error err = { "" };
	int n = options_parse(u->options, argc, argv, &err);

	if (n == OPTIONS_HELP) {
		cmd_help(stdout, u);
		return CMD_EXIT_0;
	}
	if (n < 0) {
		fprintf(stderr, "pmaudit %s: %s\n", u->name, err.msg);
		fprintf(stderr, _("`pmaudit %s --help` lists the options.\n"), u->name);
		return CMD_EXIT_2;
	}
	return n;
}
