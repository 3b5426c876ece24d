/*
 * pmaudit — import the customer-service centre's logs, check them against the
 * service rules, write the reports. This file only dispatches subcommands.
 */
#include <stdio.h>
#include <string.h>
#include "cmd/cmd.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand SUBCOMMANDS[] = {
	{ "import",  cmd_import,  "load CSV exports (tickets, complaints, callbacks, fees) into the database" },
	{ "rejects", cmd_rejects, "list or export the rows an import rejected" },
	{ "check",   cmd_check,   "evaluate the service rules and fee figures for a period" },
	{ "rules",   cmd_rules,   "list the rules in force with their sources" },
	{ "report",  cmd_report,  "write a PDF report (monthly, inspection, annual)" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: pmaudit <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(SUBCOMMANDS) / sizeof(SUBCOMMANDS[0]); i++)
		fprintf(out, "  %-8s %s\n", SUBCOMMANDS[i].name, SUBCOMMANDS[i].summary);
	fprintf(out, "\n`pmaudit <command> --help` describes a command's options.\n"
		"The database is pmaudit.db in the current directory unless --db or\n"
		"PMAUDIT_DB names another. See `man ./docs/pmaudit.1`.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(SUBCOMMANDS) / sizeof(SUBCOMMANDS[0]); i++)
		if (!strcmp(argv[1], SUBCOMMANDS[i].name))
			return SUBCOMMANDS[i].run(argc - 1, argv + 1);
	fprintf(stderr, "pmaudit: '%s' is not a command\n\n", argv[1]);
	usage(stderr);
	return 2;
}
