#ifndef PM_SIDE_RUN_H
#define PM_SIDE_RUN_H

#include <pthread.h>
#include "reports/report.h"

/*
 * A report's second thread (reports/side_run.c), shared by the month-end
 * audit (monthly_runs.c) and the year-end summary (annual_runs.c): a
 * figures-only check run of an earlier period as a scratch run on a
 * read-only connection, handed over to the main thread to copy in, then
 * more read-only work (then(), the trend) on a second read-only connection.
 *
 * The caller holds the write lock of the report's connection (BEGIN
 * IMMEDIATE, check_begin_runs()) from before side_run_start() to after
 * side_run_join(): the thread then reads the data the main thread's runs
 * read, and the main thread's COMMIT, which waits for every reader of the
 * file, comes after the thread is done.
 *
 * A database without a file, a thread that cannot start, or one_thread
 * (PMAUDIT_THREADS=1): started stays 0, side_run_copy() makes the run on
 * the main thread, and the caller does then()'s work itself.
 */
struct side_run {
	/* the caller's, set before side_run_start() */
	struct report *r;
	char from[20], to[20];          /* the earlier period's run; from[0] = 0: none */
	void (*then)(struct side_run *s, sqlite3 *db);  /* NULL: none (nor its connection) */
	void *ctx;                      /* for then() */

	int started;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	int done;                       /* the run is made (or failed) */
	sqlite3 *run_db, *then_db;      /* read-only connections */
	sqlite3_int64 scratch_run;
	int rc;
	pm_error err;
};

void side_run_start(struct side_run *s);
/*
 * The earlier period's run into the report's database as *run (0 when
 * from is empty): copied in from the thread once it is made, or made here.
 */
int side_run_copy(struct side_run *s, sqlite3_int64 *run, pm_error *err);
/* Waits for the thread (then() done) and closes its connections. */
void side_run_join(struct side_run *s);

#endif
