/*
 * The year-end summary's check runs, on both cores, as the month-end
 * audit's (reports/monthly_runs.c, whose reasoning holds here):
 *
 *   main thread    the year's run (with its own read-ahead threads); then
 *                  it copies in the previous year's run
 *   second thread  the previous year's run, figures only, as a scratch run
 *                  on a read-only connection, then the twelve months'
 *                  figures from check_trend() on a second one
 *
 * All in one write transaction of the report's connection (BEGIN
 * IMMEDIATE): the write lock keeps every other writer out, so the second
 * thread reads the data the runs read, and the COMMIT (which waits for
 * every reader of the file) comes after the second thread is done.
 *
 * Before, the three came one after the other: the year's run keeps the
 * second core busy only with its read-ahead, the other two are read-only
 * work (docs/performance.md, "report annual on both cores").
 *
 * A database without a file, a thread that cannot start, or one_thread
 * (PMAUDIT_THREADS=1): the main thread does it all, in the same order.
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "reports/annual_runs.h"

/* ---- the second thread ---- */

static void hand_over_prev(struct annual_runs *ar)
{
	pthread_mutex_lock(&ar->lock);
	ar->prev_done = 1;
	pthread_cond_signal(&ar->prev_ready);
	pthread_mutex_unlock(&ar->lock);
}

static void *second_thread(void *arg)
{
	struct annual_runs *ar = arg;
	const struct report_opts *o = ar->r->opts;
	struct check_params p = {
		.from = ar->prev_from, .to = ar->prev_to, .site = o->site,
		.rules = o->rules, .calendar = o->calendar,
		.figures_only = 1, .one_thread = 1,
	};

	if (ar->prev_from[0])
		ar->prev_rc = check_run(ar->prev_db, &p, &ar->scratch_run, &ar->prev_err);
	/* from here on prev_db is the main thread's */
	hand_over_prev(ar);
	if (ar->prev_rc == 0)
		ar->trend_rc = trend_months_on(ar->trend_db, o, ar->first, 12, ar->as_of, ar->trend,
					       &ar->trend_err);
	return NULL;
}

static void close_side(struct annual_runs *ar)
{
	sqlite3_close(ar->prev_db);
	sqlite3_close(ar->trend_db);
	ar->prev_db = ar->trend_db = NULL;
}

/* Starts the second thread if it can; ar->started says whether it did. */
static void side_start(struct annual_runs *ar)
{
	const char *path = sqlite3_db_filename(ar->r->db, "main");
	pm_error ignored;

	if (ar->r->opts->one_thread || !path || !*path ||
	    db_open_readonly(path, &ar->prev_db, &ignored) < 0 ||
	    db_open_readonly(path, &ar->trend_db, &ignored) < 0 ||
	    check_scratch_open(ar->prev_db, &ignored) < 0) {
		close_side(ar);
		return;
	}
	/* the main thread's COMMIT comes after these reads; wait for its lock long */
	sqlite3_busy_timeout(ar->prev_db, 60000);
	sqlite3_busy_timeout(ar->trend_db, 60000);
	pthread_mutex_init(&ar->lock, NULL);
	pthread_cond_init(&ar->prev_ready, NULL);
	/* signals stay with the thread that writes outputs (util/outfile.h) */
	if (outfile_thread_create(&ar->thread, second_thread, ar) != 0) {
		pthread_mutex_destroy(&ar->lock);
		pthread_cond_destroy(&ar->prev_ready);
		close_side(ar);
		return;
	}
	ar->started = 1;
}

static void side_join(struct annual_runs *ar)
{
	if (!ar->started)
		return;
	pthread_join(ar->thread, NULL);
	pthread_mutex_destroy(&ar->lock);
	pthread_cond_destroy(&ar->prev_ready);
	close_side(ar);
	ar->started = 0;
}

/* ---- the main thread ---- */

/* The PDF lists only the ledger's records; the workbook (--xlsx) every rule's. */
static int run_year(struct annual_runs *ar, pm_error *err)
{
	struct report *r = ar->r;

	return r->opts->xlsx ?
	       run_check(r, ar->from, ar->to, ar->as_of, r->opts->site, &ar->cur_run, err) :
	       run_accounts(r, ar->from, ar->to, ar->as_of, r->opts->site, &ar->cur_run, err);
}

/* The previous year's run: copied in from the second thread, or made here. */
static int prev_year(struct annual_runs *ar, pm_error *err)
{
	int rc;

	if (!ar->started)
		return ar->prev_from[0] ? run_figures(ar->r, ar->prev_from, ar->prev_to, NULL,
						      ar->r->opts->site, &ar->prev_run, err) : 0;
	pthread_mutex_lock(&ar->lock);
	while (!ar->prev_done)
		pthread_cond_wait(&ar->prev_ready, &ar->lock);
	pthread_mutex_unlock(&ar->lock);
	if (ar->prev_rc < 0)
		return pm_fail(err, "%s", ar->prev_err.msg);
	rc = ar->prev_from[0] ?
	     check_run_copy(ar->prev_db, ar->scratch_run, ar->r->db, &ar->prev_run, err) : 0;
	sqlite3_close(ar->prev_db);
	ar->prev_db = NULL;
	return rc;
}

int annual_runs_start(struct annual_runs *ar, struct report *r, const char *from,
		      const char *to, const char *as_of, const char *prev_from,
		      const char *first, struct check_trend *trend, pm_error *err)
{
	memset(ar, 0, sizeof(*ar));
	ar->r = r;
	ar->trend = trend;
	snprintf(ar->from, sizeof(ar->from), "%s", from);
	snprintf(ar->to, sizeof(ar->to), "%s", to);
	snprintf(ar->as_of, sizeof(ar->as_of), "%s", as_of);
	snprintf(ar->first, sizeof(ar->first), "%s", first);
	if (prev_from) {
		snprintf(ar->prev_from, sizeof(ar->prev_from), "%s", prev_from);
		snprintf(ar->prev_to, sizeof(ar->prev_to), "%s", from);
	}
	/* one write transaction for the runs, with the settings they need */
	if (check_begin_runs(r->db, err) < 0)
		return -1;
	ar->in_transaction = 1;
	side_start(ar);
	if (run_year(ar, err) < 0 || prev_year(ar, err) < 0) {
		annual_runs_abort(ar);
		return -1;
	}
	return 0;
}

int annual_runs_finish(struct annual_runs *ar, pm_error *err)
{
	int rc;

	if (ar->started) {
		side_join(ar);
		rc = ar->trend_rc < 0 ? pm_fail(err, "%s", ar->trend_err.msg) : 0;
	} else {
		rc = trend_months_on(ar->r->db, ar->r->opts, ar->first, 12, ar->as_of, ar->trend,
				     err);
	}
	if (rc < 0) {
		annual_runs_abort(ar);
		return -1;
	}
	ar->in_transaction = 0;
	return db_exec(ar->r->db, "COMMIT", err);
}

void annual_runs_abort(struct annual_runs *ar)
{
	side_join(ar);
	if (ar->in_transaction)
		sqlite3_exec(ar->r->db, "ROLLBACK", NULL, NULL, NULL);
	ar->in_transaction = 0;
}
