#ifndef PM_PROFILE_H
#define PM_PROFILE_H

#include <sqlite3.h>

/*
 * With PMAUDIT_PROFILE set, prints every statement of db that takes a
 * millisecond or more to stderr: its wall seconds, the process CPU seconds
 * since the previous line, and the statement with its bound values.
 */
void profile_from_env(sqlite3 *db);

#endif
