#include <stdio.h>
#include "cmd/cmd.h"

/* Placeholder until the report subcommand lands. */
int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pmaudit report: not implemented yet\n");
	return 2;
}
