#ifndef PM_PROFILE_H
#define PM_PROFILE_H

#include <sqlite3.h>

/*
 * With PMAUDIT_PROFILE set, prints every statement of db that takes a
 * millisecond or more to stderr: its wall seconds, the process CPU seconds
 * since the previous line, and the statement with its bound values.
 */
void profile_from_env(sqlite3 *db);

/*
 * A pass of the rules evaluator (check_params.profile), in the same format,
 * marked [C]: the scans it stepped are listed too, with the C work done
 * between their rows in their lines.
 */
void profile_pass(const char *what, double seconds);

#endif
