#ifndef PM_DB_H
#define PM_DB_H

#include <sqlite3.h>
#include "util/error.h"

/* The schema version this build writes (PRAGMA user_version). */
#define PM_SCHEMA_VERSION 4

/*
 * Opens (creating if needed) the database at path and migrates its schema to
 * PM_SCHEMA_VERSION. A database written by a newer pmaudit is refused rather
 * than misread. Waits up to busy_ms for another writer's lock.
 */
int db_open(const char *path, int busy_ms, sqlite3 **out, pm_error *err);

/*
 * Opens an existing database read-only; fails if it does not exist. The
 * connection maps the file into memory (PRAGMA mmap_size, up to 2 GiB,
 * SQLite's own limit): its readers -- a check's read-ahead threads, a
 * report's second thread -- read whole logs, several connections at once,
 * and each copied every page through a system call into a cache of its own.
 * Mapped, pages are read in place; they are the OS's file cache, shared,
 * not memory of the process's own (though counted in its RSS). The writing
 * connections do not map: a run that writes many new pages is slower with
 * its connection mapped (docs/performance.md, step 17).
 */
int db_open_readonly(const char *path, sqlite3 **out, pm_error *err);

/* The database path: --db if given, else $PMAUDIT_DB, else "pmaudit.db". */
const char *db_default_path(const char *from_option);

/*
 * Fills err from the last error on db, in words a user acts on (a locked
 * database, a full disk, a read-only file are named as such); returns -1.
 */
int db_error(sqlite3 *db, pm_error *err);

/*
 * 0 if site (NULL: all sites) is a site of the data, that is, some log
 * holds a record of it; else -1 with a message listing the sites the
 * database holds, closest first (edit distance in characters; db/sites.c).
 */
int db_site_known(sqlite3 *db, const char *site, pm_error *err);

/* Runs one or more statements that take no parameters; message on failure. */
int db_exec(sqlite3 *db, const char *sql, pm_error *err);

#endif
