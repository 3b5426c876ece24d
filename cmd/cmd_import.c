#include <stdio.h>
#include "cmd/cmd.h"

/* Placeholder until the import subcommand lands. */
int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pmaudit import: not implemented yet\n");
	return 2;
}
