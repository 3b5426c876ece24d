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

/*
 * Maps the database file into memory for reading (PRAGMA mmap_size): pages
 * are then read in place instead of copied by a system call each into this
 * connection's cache. For the connections of a check or a report, which
 * read most of the file, often on several connections at once (their
 * read-ahead threads, a report's second thread): each copied every page
 * anew. Up to 2 GiB of the file (SQLite's own limit); the rest is read as
 * before. The mapped pages are the OS's file cache, shared, not memory of
 * the process's own (though counted in its RSS). SQLite writes through
 * system calls as before (its mapping is read-only).
 */
void db_map_file(sqlite3 *db);

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
