#include <stdio.h>
#include <stdlib.h>
#include "db/db.h"
#include "db/schema.sql.h"

/*
 * Migration steps, index i takes the schema from version i to i+1.
 * A new version appends a step here and bumps PM_SCHEMA_VERSION; steps are
 * never edited once released, so every old database walks the same path.
 */
static const char *const MIGRATIONS[PM_SCHEMA_VERSION] = {
	SCHEMA_V1,
	SCHEMA_V2,
	SCHEMA_V3,
	SCHEMA_V4,
};

const char *db_default_path(const char *from_option)
{
	const char *env;

	if (from_option && *from_option)
		return from_option;
	env = getenv("PMAUDIT_DB");
	if (env && *env)
		return env;
	return "pmaudit.db";
}

int db_exec(sqlite3 *db, const char *sql, pm_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		return db_error(db, err);
	}
	return 0;
}

/*
 * A message for the last error on db, in words a user acts on: a locked
 * database names the lock, a full disk says so.
 */
int db_error(sqlite3 *db, pm_error *err)
{
	int code = sqlite3_errcode(db) & 0xff;

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return pm_fail(err, "database is locked by another process; "
			       "try again when it has finished");
	if (code == SQLITE_FULL)
		return pm_fail(err, "database: disk full; nothing of this step was stored");
	if (code == SQLITE_READONLY)
		return pm_fail(err, "database is read-only: %s", sqlite3_errmsg(db));
	return pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

static int read_user_version(sqlite3 *db, int *version, pm_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	*version = 0;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	/* A busy or locked database must not read as "version 0, empty". */
	if (rc != SQLITE_ROW)
		return db_error(db, err);
	return 0;
}

/* Runs the missing migration steps, each in its own transaction. */
static int migrate(sqlite3 *db, const char *path, pm_error *err)
{
	int version;
	char sql[64];

	if (read_user_version(db, &version, err))
		return -1;
	if (version > PM_SCHEMA_VERSION)
		return pm_fail(err, "%s: database schema version %d is newer than this "
			       "pmaudit understands (%d); use a newer pmaudit",
			       path, version, PM_SCHEMA_VERSION);
	for (; version < PM_SCHEMA_VERSION; version++) {
		if (db_exec(db, "BEGIN IMMEDIATE", err))
			return -1;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version + 1);
		if (db_exec(db, MIGRATIONS[version], err) || db_exec(db, sql, err)) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (db_exec(db, "COMMIT", err))
			return -1;
	}
	return 0;
}

static int open_with_flags(const char *path, int flags, int busy_ms,
			   sqlite3 **out, pm_error *err)
{
	sqlite3 *db = NULL;

	*out = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		pm_fail(err, "%s: cannot open database: %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, busy_ms);
	sqlite3_extended_result_codes(db, 1);
	*out = db;
	return 0;
}

int db_open(const char *path, int busy_ms, sqlite3 **out, pm_error *err)
{
	if (open_with_flags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    busy_ms, out, err))
		return -1;
	if (migrate(*out, path, err)) {
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* db.h, db_open_readonly(); a build without mmap ignores it */
static void map_file(sqlite3 *db)
{
	sqlite3_exec(db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
}

int db_open_readonly(const char *path, sqlite3 **out, pm_error *err)
{
	int version;

	if (open_with_flags(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, 5000, out, err))
		return -1;
	if (read_user_version(*out, &version, err) || version != PM_SCHEMA_VERSION) {
		if (version != PM_SCHEMA_VERSION)
			pm_fail(err, "%s: not a pmaudit database of schema version %d "
				"(found %d); run `pmaudit import` first",
				path, PM_SCHEMA_VERSION, version);
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	map_file(*out);
	return 0;
}
