#ifndef PM_DB_H
#define PM_DB_H

#include <stddef.h>
#include <sqlite3.h>
#include "util/error.h"

/* The schema version this build writes (PRAGMA user_version). */
#define PM_SCHEMA_VERSION 10

/*
 * check_records (schema version 10, db/schema.sql.h) is a view of
 * check_record_sets: one row per run, rule, status and set of records, the
 * records a JSON array of [record_kind, record_id, site, start_at,
 * deadline_at, end_at, late_seconds, amount_cents, detail] arrays, which
 * the view gives back as the old table's rows (json_extract() and
 * json_each(), SQLite's own). CHECK_RECORDS_VIEW_SQL(schema, sets) is the
 * view's "VIEW ..." (after a CREATE or CREATE TEMP) in schema ("" or
 * "temp.") over the sets table sets; CHECK_RECORD_SETS_SQL(schema) the
 * table's "TABLE ...". A scratch run (rules/results/results_scratch.c)
 * makes TEMP ones of both.
 */
/* A field of a stored record (value: its JSON array), by its place in the array. */
#define CHECK_RECORD_AT(value, field) "json_extract(" value ", '$[" field "]')"
#define CHECK_RECORD_KIND "0"
#define CHECK_RECORD_ID "1"
#define CHECK_RECORD_SITE "2"
#define CHECK_RECORD_START "3"
#define CHECK_RECORD_DEADLINE "4"
#define CHECK_RECORD_END "5"
#define CHECK_RECORD_LATE "6"
#define CHECK_RECORD_AMOUNT "7"
#define CHECK_RECORD_DETAIL "8"
#define CHECK_RECORDS_VIEW_SQL(schema, sets) \
"VIEW " schema "check_records(run_id, rule_id, record_kind, record_id, site,\n" \
"  start_at, deadline_at, end_at, status, late_seconds, amount_cents, detail) AS\n" \
"SELECT s.run_id, s.rule_id, " CHECK_RECORD_AT("r.value", CHECK_RECORD_KIND) ",\n" \
"  " CHECK_RECORD_AT("r.value", CHECK_RECORD_ID) ", " CHECK_RECORD_AT("r.value", CHECK_RECORD_SITE) ",\n" \
"  " CHECK_RECORD_AT("r.value", CHECK_RECORD_START) ", " CHECK_RECORD_AT("r.value", CHECK_RECORD_DEADLINE) ",\n" \
"  " CHECK_RECORD_AT("r.value", CHECK_RECORD_END) ", s.status,\n" \
"  " CHECK_RECORD_AT("r.value", CHECK_RECORD_LATE) ", " CHECK_RECORD_AT("r.value", CHECK_RECORD_AMOUNT) ",\n" \
"  " CHECK_RECORD_AT("r.value", CHECK_RECORD_DETAIL) "\n" \
"FROM " sets " s, json_each(s.records) r;\n"
#define CHECK_RECORD_SETS_SQL(schema) \
"TABLE " schema "check_record_sets(\n" \
"  run_id INTEGER NOT NULL, rule_id TEXT NOT NULL, status TEXT NOT NULL,\n" \
"  records TEXT NOT NULL);\n"


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

/*
 * Maps the file for a writing connection's reads from now on, as
 * db_open_readonly() does for its connections: for a command done writing
 * most of what it writes (a report once its runs are made), whose reads
 * then look up rows in random order -- through a system call and a copy
 * each, unmapped. Pages the open transaction changed are still read from
 * the connection's cache (SQLite maps only pages it has not changed).
 */
void db_map_reads(sqlite3 *db);

/*
 * For the commands that read what imports stored (check, report): the
 * database must exist as a non-empty file -- opening a missing one would
 * create it and print zeros -- and is verified (db_verify) before anything
 * is read. Opened read-write and migrated like db_open().
 */
int db_open_existing(const char *path, int busy_ms, sqlite3 **out, pm_error *err);

/*
 * Is the file's structure sound? A damaged database (bytes changed on disk,
 * a torn copy) is an error naming the file, never figures. A walk of every
 * page (db/verify.c, db/verify_pages.c: every b-tree and overflow page
 * decoded in the mapped file, every page accounted for once)
 * at a third of PRAGMA quick_check's cost; docs/performance.md has both.
 */
int db_verify(sqlite3 *db, const char *path, pm_error *err);

/*
 * db_open_existing() without the verification, for a command that verifies
 * beside its work (db_verify_start()): it must have the verdict before it
 * commits, prints or writes anything, and on any failure give a damaged
 * file as the reason (db_verify()).
 */
int db_open_unverified(const char *path, int busy_ms, sqlite3 **out, pm_error *err);

/*
 * Before the process's first SQLite call: SQLite's page-cache pages, for
 * every connection, from one region of huge pages given as they are first
 * used (a writing run keeps its new pages until COMMIT; db/page_cache.c
 * says why). 1 if it was set up, 0 if not (SQLite already started, no
 * mapping): SQLite then malloc()s its pages as usual, which works as well.
 */
int db_page_cache_setup(void);
/* The bytes of that region SQLite has used at most so far (0: none set up). */
size_t db_page_cache_used(void);

/*
 * db_verify() of path's file on a thread of its own, with a read-only
 * connection of its own, while the caller works: started inside the
 * caller's write transaction, it sees what the caller reads.
 * db_verify_finish() waits for it and frees it: 0, or -1 with the finding
 * (a file that cannot be opened to verify is refused too). NULL from
 * db_verify_start() (out of memory) finishes as a failure.
 */
struct db_verify_job;
struct db_verify_job *db_verify_start(const char *path);
int db_verify_finish(struct db_verify_job *job, pm_error *err);
/*
 * The same in steps, for a caller that has the walk done when and where it
 * suits (the check run: after the read-ahead's other reads, or by the run's
 * thread while it waits for one of them): db_verify_open() opens the
 * connection (inside the caller's write transaction, as above) and starts
 * nothing; then, from any thread, db_verify_spawn() starts the walk on a
 * thread of its own, or db_verify_help() walks on the calling thread (1;
 * 0 if it was taken on already); the first of them to come gets it, the
 * others do nothing. db_verify_finish() walks here and now if no one took
 * it on; it must not be called before every thread that may have taken it
 * on is joined.
 */
struct db_verify_job *db_verify_open(const char *path);
void db_verify_spawn(struct db_verify_job *job);
int db_verify_help(struct db_verify_job *job);

/* Whether path names an in-memory database (":memory:", "file::memory:..."): nothing is kept. */
int db_is_memory(const char *path);

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

/*
 * Every site of the data (a site some log holds a record of), in byte
 * order, into sites (numbered 0, 1, ... in that order; util/strtab.h).
 * An empty site name is left out: no --site can name it.
 */
struct strtab;
int db_sites_list(sqlite3 *db, struct strtab *sites, pm_error *err);

/*
 * Data coverage (db/coverage.c): per log, the first and last event time in
 * the database ("" when it holds no record), with a site that site's; the
 * payments of the fee ledger apart (a collection rate needs them). last is
 * the latest event of the four logs.
 */
enum { DB_COVERAGE_TICKETS, DB_COVERAGE_COMPLAINTS, DB_COVERAGE_CALLBACKS, DB_COVERAGE_FEES,
       DB_COVERAGE_FEE_PAYMENTS, DB_COVERAGE_LOGS };
/* "tickets" "complaints" "callbacks" "fees" "fee_payments": the JSON's keys */
extern const char *const DB_COVERAGE_KEYS[DB_COVERAGE_LOGS];
struct db_coverage {
	struct { char first[32], last[32]; } log[DB_COVERAGE_LOGS];
	char last[32];
};
int db_coverage(sqlite3 *db, const char *site, struct db_coverage *cov, pm_error *err);

/* Whether a period ending at to runs past the data (all: the whole database's coverage). */
int db_past_data(const struct db_coverage *all, const char *to);

/*
 * The default as-of time of a period ending at to: to, or the latest event
 * of the database (all sites) if that is earlier -- a period that runs past
 * the data is judged as of where the data ends. *past_data says the period
 * runs past the data (also when the database is empty; as_of is then to).
 */
int db_default_as_of(sqlite3 *db, const char *to, char as_of[20], int *past_data, pm_error *err);

/*
 * One site's records at a time (db/site_slice.c), for a report per site
 * (report monthly --each-site): db_site_slice_open() copies the tickets,
 * complaints and callbacks, ordered by site, into a scratch database (one
 * pass; on disk, deleted on close). db_site_slice_use() then fills TEMP
 * tables named as those logs with one site's rows, which every plain-named
 * query of db reads instead of main's, at the cost of the site's rows:
 * a report with that site reads what it reads on the whole database.
 * *sliced is 0 (no TEMP tables: main is read) for a site of more than
 * max_rows records (DB_SLICE_MAX_ROWS): its slice would be that large in
 * memory (TEMP tables live there during the runs, PRAGMA temp_store =
 * MEMORY), and a site that large is a large share of the data, which the
 * runs' passes over the logs read at no great waste. db_site_slice_close()
 * drops the TEMP tables and the scratch. Call them outside a transaction.
 */
#define DB_SLICE_MAX_ROWS 200000
struct db_site_slice;
int db_site_slice_open(sqlite3 *db, long long max_rows, struct db_site_slice **out,
		       pm_error *err);
int db_site_slice_use(struct db_site_slice *s, const char *site, int *sliced, pm_error *err);
void db_site_slice_close(struct db_site_slice *s);

/*
 * For a transaction that writes hundreds of megabytes (an import): a thread
 * of its own has the kernel start writing the file's changed pages to disk
 * every quarter of a second, as its background writeback would after 30 s
 * (db/writeback.c). The data still reaches the disk for certain only at
 * the COMMIT's fsync, as before -- the rollback journal's order is SQLite's
 * and unchanged -- but that fsync then finds little left to write instead
 * of the whole transaction, seconds of waiting while the processor is
 * idle. NULL (nothing started) for an in-memory database, or when the
 * file or a thread cannot be had: the writing is then the kernel's alone.
 * db_writeback_stop() stops the thread (NULL: nothing).
 */
struct db_writeback;
struct db_writeback *db_writeback_start(sqlite3 *db);
void db_writeback_stop(struct db_writeback *wb);

/* Runs one or more statements that take no parameters; message on failure. */
int db_exec(sqlite3 *db, const char *sql, pm_error *err);

#endif
