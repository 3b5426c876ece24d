#ifndef PM_DB_H
#define PM_DB_H

#include <sqlite3.h>
#include "util/error.h"

/* The schema version this build writes (PRAGMA user_version). */
#define PM_SCHEMA_VERSION 2

/*
 * Opens (creating if needed) the database at path and migrates its schema to
 * PM_SCHEMA_VERSION. A database written by a newer pmaudit is refused rather
 * than misread. Waits up to busy_ms for another writer's lock.
 */
int db_open(const char *path, int busy_ms, sqlite3 **out, pm_error *err);

/* Opens an existing database read-only (reports); fails if it does not exist. */
int db_open_readonly(const char *path, sqlite3 **out, pm_error *err);

/* The database path: --db if given, else $PMAUDIT_DB, else "pmaudit.db". */
const char *db_default_path(const char *from_option);

/*
 * Fills err from the last error on db, in words a user acts on (a locked
 * database, a full disk, a read-only file are named as such); returns -1.
 */
int db_error(sqlite3 *db, pm_error *err);

/* Runs one or more statements that take no parameters; message on failure. */
int db_exec(sqlite3 *db, const char *sql, pm_error *err);

#endif
