#include <stdio.h>
#include "cmd/cmd.h"

/* Placeholder until the rejects subcommand lands. */
int cmd_rejects(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pmaudit rejects: not implemented yet\n");
	return 2;
}
