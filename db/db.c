/*
 * Opening the database: the connection's settings, the schema and its
 * migrations (PRAGMA user_version), read-only connections for threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "db/log_keys.h"
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
	SCHEMA_V5,
	SCHEMA_V6,
	SCHEMA_V7,
	SCHEMA_V8,
	SCHEMA_V9,
	SCHEMA_V10,
};

static int fee_ledger_spans(sqlite3 *db, pm_error *err);
static int check_records_to_sets(sqlite3 *db, pm_error *err);

/* A step's part that SQL alone cannot say, run after its SQL (NULL: none). */
typedef int (*migration_fn)(sqlite3 *db, pm_error *err);
static const migration_fn MIGRATION_STEPS[PM_SCHEMA_VERSION] = {
	[7] = log_keys_as_indexes,
	[8] = fee_ledger_spans,
	[9] = check_records_to_sets,
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

/*
 * Schema version 9's step: the fee ledger keeps each account's first and
 * last time beside its events (first_at, last_at of its charges, payments,
 * waivers and reminders; first_paid, last_paid of its payments), and
 * fee_ledger_state the whole ledger's, which the database's coverage reads
 * (db/coverage.c) now that fees_at is gone (db/fee_ledger.c fills them). A ledger that holds rows is marked stale,
 * so that the next import or check rebuilds it with them. A database made
 * by a build of the unreleased version 2 from before the ledger has none.
 */
/*
 * Version 10's C part: the rows of check_records in rowid order, each run
 * of up to 1000 rows of one run, rule and status a set -- each record made
 * a JSON array by SQLite's json_array(), as the engine writes them
 * (rules/results/results_rules.c) -- then the table replaced by the view
 * (db/db.h). The sets keep the rows' order both ways: the view read whole
 * gives them in rowid order, as the table did, and read through the sets'
 * index by run, rule and status, in the order of the old index. (Rows a
 * run stored one group after another make sets of 1000; rows of groups
 * interleaved, as pmaudit before issue 16 stored them, smaller ones.)
 */
struct old_set {
	sqlite3_int64 run;
	char *rule, *status;            /* the set's group */
	char *text;                     /* "[rec,rec,..." */
	size_t len, cap;
	int n;                          /* records in it */
};

static int store_old_set(sqlite3_stmt *ins, struct old_set *s)
{
	int rc;

	s->text[s->len++] = ']';
	sqlite3_bind_int64(ins, 1, s->run);
	sqlite3_bind_text(ins, 2, s->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, s->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, s->text, (int)s->len, SQLITE_STATIC);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	s->n = 0;
	s->len = 0;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Whether the row (run_id, rule_id, status, record) belongs to the set. */
static int in_old_set(sqlite3_stmt *rd, const struct old_set *s)
{
	return s->n < 1000 && sqlite3_column_int64(rd, 0) == s->run &&
	       !strcmp((const char *)sqlite3_column_text(rd, 1), s->rule) &&
	       !strcmp((const char *)sqlite3_column_text(rd, 2), s->status);
}

/* Adds the row's record to the set (a new one's group taken from it); -1 out of memory. */
static int add_to_old_set(sqlite3_stmt *rd, struct old_set *s)
{
	const char *rec = (const char *)sqlite3_column_text(rd, 3);
	size_t n = (size_t)sqlite3_column_bytes(rd, 3);

	if (s->n == 0) {
		free(s->rule);
		free(s->status);
		s->run = sqlite3_column_int64(rd, 0);
		s->rule = strdup((const char *)sqlite3_column_text(rd, 1));
		s->status = strdup((const char *)sqlite3_column_text(rd, 2));
		if (!s->rule || !s->status)
			return -1;
	}
	if (s->len + n + 2 > s->cap) {
		char *grown = realloc(s->text, 2 * (s->len + n + 2));

		if (!grown)
			return -1;
		s->text = grown;
		s->cap = 2 * (s->len + n + 2);
	}
	s->text[s->len++] = s->n++ ? ',' : '[';
	memcpy(s->text + s->len, rec, n);
	s->len += n;
	return 0;
}

static int check_records_to_sets(sqlite3 *db, pm_error *err)
{
	sqlite3_stmt *rd = NULL, *ins = NULL;
	struct old_set set;
	int rc = SQLITE_DONE, failed = 0;

	memset(&set, 0, sizeof(set));
	if (sqlite3_prepare_v2(db, "SELECT run_id, rule_id, status, json_array(record_kind, record_id,"
			       " site, start_at, deadline_at, end_at, late_seconds, amount_cents, detail)"
			       " FROM check_records ORDER BY rowid", -1, &rd, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO check_record_sets(run_id, rule_id, status, records)"
			       " VALUES(?1, ?2, ?3, ?4)", -1, &ins, NULL)) {
		sqlite3_finalize(rd);
		return db_error(db, err);
	}
	while (!failed && (rc = sqlite3_step(rd)) == SQLITE_ROW) {
		if (set.n && !in_old_set(rd, &set) && store_old_set(ins, &set))
			failed = 1;
		else if (add_to_old_set(rd, &set))
			failed = 2;
	}
	if (!failed && (rc != SQLITE_DONE || (set.n && store_old_set(ins, &set))))
		failed = 1;
	sqlite3_finalize(rd);
	sqlite3_finalize(ins);
	free(set.text);
	free(set.rule);
	free(set.status);
	if (failed == 2)
		return pm_fail(err, "out of memory");
	if (failed)
		return db_error(db, err);
	return db_exec(db, "DROP INDEX check_records_run; DROP TABLE check_records;"
		       " CREATE " CHECK_RECORDS_VIEW_SQL("", "check_record_sets"), err);
}

static int fee_ledger_spans(sqlite3 *db, pm_error *err)
{
	sqlite3_stmt *st;
	int rc, tables = 0;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			       " AND name IN ('fee_ledger', 'fee_ledger_state')", -1, &st, NULL))
		return db_error(db, err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		tables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(db, err);
	if (tables < 2)
		return 0;
	return db_exec(db, "ALTER TABLE fee_ledger ADD COLUMN first_at TEXT;"
		       "ALTER TABLE fee_ledger ADD COLUMN last_at TEXT;"
		       "ALTER TABLE fee_ledger ADD COLUMN first_paid TEXT;"
		       "ALTER TABLE fee_ledger ADD COLUMN last_paid TEXT;"
		       "ALTER TABLE fee_ledger_state ADD COLUMN first_at TEXT;"
		       "ALTER TABLE fee_ledger_state ADD COLUMN last_at TEXT;"
		       "ALTER TABLE fee_ledger_state ADD COLUMN first_paid TEXT;"
		       "ALTER TABLE fee_ledger_state ADD COLUMN last_paid TEXT;"
		       "UPDATE fee_ledger_state SET stale = 1"
		       " WHERE EXISTS (SELECT 1 FROM fee_ledger);", err);
}

/* A message naming the file for an error opening or reading the database. */
static int file_error(sqlite3 *db, const char *path, pm_error *err)
{
	int code = sqlite3_errcode(db) & 0xff;

	if (code == SQLITE_NOTADB)
		return pm_fail(err, "%s: file is not a database (not an SQLite file, or its "
			       "first page is damaged)", path);
	if (code == SQLITE_CORRUPT)
		return pm_fail(err, "%s: the database is damaged (%s); restore it from a "
			       "backup", path, sqlite3_errmsg(db));
	return db_error(db, err);
}

/*
 * The first column of sql's first row into *value (0 and *found 0 when it
 * has none). A busy, locked or damaged database is an error: it must not
 * read as "version 0, empty".
 */
static int query_int(sqlite3 *db, const char *path, const char *sql, int *value, int *found,
		     pm_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	*value = 0;
	*found = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return file_error(db, path, err);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int(stmt, 0);
		*found = 1;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return file_error(db, path, err);
	return 0;
}

static int read_user_version(sqlite3 *db, const char *path, int *version, pm_error *err)
{
	int found;

	return query_int(db, path, "PRAGMA user_version", version, &found, err);
}

/*
 * A database of version 0 that holds tables is another program's: creating
 * ours in it would fail half-way ("table tickets already exists") or mix
 * two programs' data. Sets *foreign; -1 on a read error.
 */
static int has_foreign_tables(sqlite3 *db, const char *path, int *foreign, pm_error *err)
{
	int one;

	return query_int(db, path, "SELECT 1 FROM sqlite_master LIMIT 1", &one, foreign, err);
}

static int foreign_error(const char *path, pm_error *err)
{
	return pm_fail(err, "%s: not a pmaudit database: it is an SQLite database of another "
		       "program (it has tables but no pmaudit schema version); give --db a "
		       "new file or a pmaudit database", path);
}

/* Whether the version read needs no step, or is refused. */
static int version_usable(int version, const char *path, pm_error *err)
{
	if (version > PM_SCHEMA_VERSION)
		return pm_fail(err, "%s: database schema version %d is newer than this "
			       "pmaudit understands (%d); use a newer pmaudit",
			       path, version, PM_SCHEMA_VERSION);
	return 0;
}

/* A version this build cannot take to its own: newer, or 0 in another program's file. */
static int version_refused(sqlite3 *db, const char *path, int version, pm_error *err)
{
	int foreign;

	if (version_usable(version, path, err))
		return -1;
	if (version == 0) {
		if (has_foreign_tables(db, path, &foreign, err))
			return -1;
		if (foreign)
			return foreign_error(path, err);
	}
	return 0;
}

/* Runs the missing steps in the open transaction; version is the one read inside it. */
static int run_steps(sqlite3 *db, const char *path, int version, pm_error *err)
{
	char sql[64];

	if (version_refused(db, path, version, err))
		return -1;
	for (; version < PM_SCHEMA_VERSION; version++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version + 1);
		if (db_exec(db, MIGRATIONS[version], err) ||
		    (MIGRATION_STEPS[version] && MIGRATION_STEPS[version](db, err)) ||
		    db_exec(db, sql, err))
			return -1;
	}
	return 0;
}

/*
 * The page size of a new database, set before its first table is made
 * (SQLite keeps a file's page size; in a file that holds tables already
 * the pragma does nothing). 16 KiB instead of SQLite's 4 KiB: the import
 * reads and writes a quarter as many pages -- its load's writes, each
 * index build's scan of the table, the sorter's pieces -- and the four
 * benchmark files cost half the system time (docs/performance.md, "The
 * import, sixth pass"); 32 and 64 KiB cost more CPU and memory.
 */
#define NEW_DB_PAGE_SIZE "PRAGMA page_size = 16384"

/*
 * Brings the schema to PM_SCHEMA_VERSION. The version is read again inside
 * BEGIN IMMEDIATE, under the write lock: two processes opening a new
 * database at once both see version 0 outside it, and the second, once it
 * has the lock, must see the first one's schema rather than create it
 * again ("table import_runs already exists"). All steps are one
 * transaction, so a database is never left between versions.
 */
static int migrate(sqlite3 *db, const char *path, pm_error *err)
{
	int version;

	if (read_user_version(db, path, &version, err))
		return -1;
	if (version == PM_SCHEMA_VERSION)
		return 0;
	if (version_usable(version, path, err))
		return -1;
	if (version == 0 && db_exec(db, NEW_DB_PAGE_SIZE, err))
		return -1;
	if (db_exec(db, "BEGIN IMMEDIATE", err))
		return -1;
	if (read_user_version(db, path, &version, err) || run_steps(db, path, version, err)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return db_exec(db, "COMMIT", err);
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

/* db.h, db_open_readonly() and db_map_reads(); a build without mmap ignores it */
static void map_file(sqlite3 *db)
{
	sqlite3_exec(db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
}

void db_map_reads(sqlite3 *db)
{
	map_file(db);
}

/* A read-only connection cannot migrate: say what the file is instead. */
static int readonly_version_ok(sqlite3 *db, const char *path, int version, pm_error *err)
{
	if (version == PM_SCHEMA_VERSION)
		return 0;
	if (version_refused(db, path, version, err))
		return -1;
	return pm_fail(err, "%s: not a pmaudit database of schema version %d "
		       "(found %d); run `pmaudit import` first",
		       path, PM_SCHEMA_VERSION, version);
}

int db_open_readonly(const char *path, sqlite3 **out, pm_error *err)
{
	int version;

	if (open_with_flags(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, 5000, out, err))
		return -1;
	if (read_user_version(*out, path, &version, err) ||
	    readonly_version_ok(*out, path, version, err)) {
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	map_file(*out);
	return 0;
}

int db_is_memory(const char *path)
{
	return !strcmp(path, ":memory:") || !strncmp(path, "file::memory:", 13) ||
	       (!strncmp(path, "file:", 5) && strstr(path, "mode=memory"));
}

