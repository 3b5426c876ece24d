#include <stdio.h>
#include "cmd/cmd.h"

/* Placeholder until the check subcommand lands. */
int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pmaudit check: not implemented yet\n");
	return 2;
}
