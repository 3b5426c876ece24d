#include <stdio.h>
#include "cmd/cmd.h"

/* Placeholder until the rules subcommand lands. */
int cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pmaudit rules: not implemented yet\n");
	return 2;
}
