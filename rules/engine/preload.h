#ifndef PM_RULES_PRELOAD_H
#define PM_RULES_PRELOAD_H

/*
 * Reading ahead on the second core. While the run's own connection does
 * the fee pass and judges the records, two threads, each on its own
 * read-only connection to the same file, read what later parts of the run
 * need: the callback map of the per-record rules (rules/records/records.h),
 * and, once the map is read, the tickets and complaints of the findings
 * with the window's callbacks judged against them and R-REPEAT's repeats
 * found among them (rules/findings); then the open backlog, unless the
 * run's thread has counted it while waiting for the map (preload.c).
 * The engine takes each from here and hands it to the part that needs it.
 *
 * Both read only the four logs, which no one can change during the run:
 * the run holds the database's write lock from its BEGIN IMMEDIATE, so
 * the threads' snapshots are the run's. (A stale fee ledger rebuilt by
 * the run is not something they read.) A database without a file
 * (":memory:") cannot be opened twice: then nothing is read ahead and each
 * part reads for itself, as without this.
 *
 * What a thread may touch, by type: the run's scope through a const
 * pointer (struct run_scope, rules/run/run.h) with its own read-only
 * connection -- together a struct run_reader, all its work functions take
 * (read_map(), read_records() in preload.c) -- and its own results in
 * struct preload until the engine takes them. It never gets the run's
 * context (struct check_ctx), which the run's thread goes on writing. The
 * scope and what it points to (window texts, rules, calendar) stay
 * unchanged until preload_end() has joined the threads: check_run() fills
 * the scope in before preload_start() and returns only after
 * preload_end().
 */
#include <pthread.h>
#include "rules/run/run.h"
#include "rules/records/records.h"

struct preload_job {
	pthread_t thread;
	int started;
	struct run_reader in;           /* the thread's own connection, the run's scope (const) */
	int rc;
	pm_error err;
};

struct preload {
	int want_map, want_roles;
	struct preload_job map_job, records_job, backlog_job;
	/*
	 * one after the other: the map, the records, the backlog (preload.c) --
	 * unless the run's thread, waiting for the map, counts the backlog first
	 */
	int synced;                     /* lock and job_done initialised */
	pthread_mutex_t lock;
	pthread_cond_t job_done;
	int map_done, records_done, backlog_done;
	int backlog_claimed;            /* by its thread or the run's (preload.c claim_backlog()) */
	struct cb_map map;
	struct find_records *records;
	struct cb_pass *callbacks;      /* the findings' callbacks, judged */
	struct find_backlog *backlog;   /* the open backlog, counted after the records */
	struct db_verify_job *verify;   /* the file's verification, after the backlog */
};

/*
 * Starts the threads the scope's rules need, each on its own read-only
 * connection to run_db's file (none if the database has no file). verify
 * (db_verify_open(), or NULL) is the last of the read-ahead's work: the
 * run needs its verdict only before COMMIT, after everything else. It is
 * started after the backlog, unless the run's thread, finding a part not
 * read yet when it wants it (preload_take_*()), walks it first while it
 * waits (docs/performance.md, "check --month, session 5"). The caller
 * finishes it (db_verify_finish(): walks then if no one did) after
 * preload_end().
 */
struct db_verify_job;
void preload_start(sqlite3 *run_db, const struct run_scope *scope, struct db_verify_job *verify,
		   struct preload *p);

/*
 * Waits for the callback map. Returns 1 and moves it to *out if it was
 * read ahead with roles as asked, 0 if not (the caller reads it), -1 on
 * failure.
 */
int preload_take_map(struct preload *p, int roles, struct cb_map *out, pm_error *err);

/*
 * Waits for the records and the findings' callbacks judged; 1: moved to
 * *records and *callbacks, 0: not read ahead, -1: failure.
 */
int preload_take_records(struct preload *p, struct find_records **records,
			 struct cb_pass **callbacks, pm_error *err);

/*
 * The open backlog's counts (findings_count_backlog()), into *out; 1 if
 * read ahead, 0 if not (the findings count it then), -1 failed.
 */
int preload_take_backlog(struct preload *p, struct find_backlog **out, pm_error *err);

/* Waits for whatever is still running and frees what was not taken. */
void preload_end(struct preload *p);

#endif
