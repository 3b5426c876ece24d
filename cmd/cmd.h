#ifndef PM_CMD_H
#define PM_CMD_H

/*
 * One subcommand per file, like git's builtin/. Each takes the arguments
 * after its name (argv[0] is the subcommand) and returns the process exit
 * status; only these functions and main() print for the user.
 */
int cmd_import(int argc, char **argv);
int cmd_rejects(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
