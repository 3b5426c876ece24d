/*
 * pmaudit — import the customer-service centre's logs, check them against the
 * service rules, write the reports. This file only dispatches subcommands.
 */
#include <stdio.h>
#include <string.h>
#include "cmd/cmd.h"
#include "util/i18n.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand SUBCOMMANDS[] = {
	{ "import",  cmd_import,  N_("load CSV exports (tickets, complaints, callbacks, fees) into the database") },
	{ "rejects", cmd_rejects, N_("list or export the rows an import rejected") },
	{ "check",   cmd_check,   N_("evaluate the service rules and fee figures for a period") },
	{ "rules",   cmd_rules,   N_("list the rules in force with their sources") },
	{ "report",  cmd_report,  N_("write a PDF report (monthly, inspection, annual)") },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, _("usage: pmaudit <command> [options]\n\ncommands:\n"));
	for (i = 0; i < sizeof(SUBCOMMANDS) / sizeof(SUBCOMMANDS[0]); i++)
		fprintf(out, "  %-8s %s\n", SUBCOMMANDS[i].name, _(SUBCOMMANDS[i].summary));
	fprintf(out, _("\n`pmaudit <command> --help` describes a command's options.\n"
		"The database is pmaudit.db in the current directory unless --db or\n"
		"PMAUDIT_DB names another. See `man ./docs/pmaudit.1`.\n"));
}

int main(int argc, char **argv)
{
	size_t i;

	i18n_init();
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
	fprintf(stderr, _("pmaudit: '%s' is not a command\n\n"), argv[1]);
	usage(stderr);
	return 2;
}
