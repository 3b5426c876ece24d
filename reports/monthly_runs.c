/*
 * The month-end audit's check runs, on both cores.
 *
 * One write transaction of the report's connection (BEGIN IMMEDIATE) holds
 * everything, so every figure is of the same data:
 *
 *   main thread    the month's run (with its own read-ahead threads); then
 *                  the report writes the breaches CSV, which reads only
 *                  that run, and the main thread copies in the previous
 *                  month's run once it is made; the report prints its
 *                  sections
 *   second thread  the previous month's run, figures only, as a scratch run
 *                  on a read-only connection (rules/engine/check.h: stored in that
 *                  connection's TEMP tables, copied in by the main thread)
 *   third thread   the trend's months before those two, from check_trend()
 *                  on a read-only connection of its own, from the start
 *   fourth thread  every site's fee figures for the fee section
 *                  (check_fees_by_site(), a walk of the ledger), so that
 *                  the sections, the report's last work on one core, do
 *                  not make them
 *
 * The trend does not wait for the previous month's run: after it, the
 * trend was the only work left for the last fifth of the report, one core
 * idle (docs/performance.md, "report monthly: the trend beside the runs").
 * The trend's last two months are the two runs' own figures: what
 * check_trend() gives a month is by its contract what the month's run
 * stores. The threads read what the transaction started from: the
 * write lock keeps every other writer out, and the main thread's own
 * changes (its runs, a stale fee ledger rebuilt) are not what they read.
 * The COMMIT, which waits for every reader of the file, comes when both
 * threads are done.
 *
 * A database without a file, a thread that cannot start, or one_thread
 * (PMAUDIT_THREADS=1): the main thread does it all, in the same order.
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "reports/monthly_runs.h"
#include "rules/engine/check.h"

/* ---- the third thread: the trend ---- */

static void *trend_thread(void *arg)
{
	struct monthly_runs *mr = arg;

	mr->trend_rc = trend_rows_on(mr->trend.db, mr->r->opts, mr->first, mr->ntrend - 2,
				     mr->trend_rows, &mr->trend_err);
	return NULL;
}

/* ---- the fourth thread: the fee section's figures per site ---- */

static void *fees_thread(void *arg)
{
	struct monthly_runs *mr = arg;

	mr->fees_rc = report_site_fees(mr->fees.db, mr->r->opts, mr->from, mr->to, mr->as_of,
				       &mr->site_fees, &mr->nsite_fees, &mr->fees_err);
	return NULL;
}

int monthly_runs_site_fees(struct monthly_runs *mr, pm_error *err)
{
	if (!mr->fees.started)
		return 0;
	reader_thread_join(&mr->fees);
	if (mr->fees_rc < 0) {
		pm_fail(err, "%s", mr->fees_err.msg);
		monthly_runs_abort(mr, err);
		return -1;
	}
	mr->r->site_fees = mr->site_fees;
	mr->r->nsite_fees = mr->nsite_fees;
	return 0;
}

void monthly_runs_free(struct monthly_runs *mr)
{
	check_site_fees_free(mr->site_fees, mr->nsite_fees);
	mr->site_fees = NULL;
	mr->nsite_fees = 0;
}

/* ---- the second thread: the previous month's run ---- */

static void side_start(struct monthly_runs *mr)
{
	mr->side.r = mr->r;
	memcpy(mr->side.from, mr->prev_from, sizeof(mr->side.from));
	memcpy(mr->side.to, mr->prev_to, sizeof(mr->side.to));
	mr->side.then = NULL;
	side_run_start(&mr->side);
}

/* ---- the main thread ---- */

static int run_month(struct monthly_runs *mr, pm_error *err)
{
	return run_check(mr->r, mr->from, mr->to, mr->as_of, mr->r->opts->site, &mr->cur_run, err);
}

/* The previous month's run: copied in from the second thread, or made here. */
static int prev_month(struct monthly_runs *mr, pm_error *err)
{
	return side_run_copy(&mr->side, &mr->prev_run, err);
}

int monthly_runs_start(struct monthly_runs *mr, struct report *r, const char *month,
		       const char *from, const char *to, const char *as_of,
		       struct trend_row *trend, int ntrend, pm_error *err)
{
	memset(mr, 0, sizeof(*mr));
	mr->r = r;
	mr->trend_rows = trend;
	mr->ntrend = ntrend;
	snprintf(mr->month, sizeof(mr->month), "%s", month);
	snprintf(mr->from, sizeof(mr->from), "%s", from);
	snprintf(mr->to, sizeof(mr->to), "%s", to);
	snprintf(mr->as_of, sizeof(mr->as_of), "%s", as_of);
	month_add(month, -1, mr->prev_month);
	month_add(month, -(ntrend - 1), mr->first);
	if (month_window(mr->prev_month, mr->prev_from, mr->prev_to, err) < 0 ||
	    runs_verify_before(r, err) < 0)
		return -1;
	/* one write transaction for the runs, with the settings they need */
	if (check_begin_runs(r->db, err) < 0) {
		runs_damaged_first(r->db, r->opts, err);
		return -1;
	}
	mr->in_transaction = 1;
	if (runs_verify_beside(&mr->verify, r, err) < 0) {
		monthly_runs_abort(mr, err);
		return -1;
	}
	side_start(mr);
	reader_thread_start(&mr->trend, r->db, r->opts->one_thread, trend_thread, mr);
	/* the section prints the table of sites only for all of them */
	if (!r->opts->site)
		reader_thread_start(&mr->fees, r->db, r->opts->one_thread, fees_thread, mr);
	if (run_month(mr, err) < 0) {
		monthly_runs_abort(mr, err);
		return -1;
	}
	return 0;
}

int monthly_runs_prev(struct monthly_runs *mr, pm_error *err)
{
	if (prev_month(mr, err) < 0) {
		monthly_runs_abort(mr, err);
		return -1;
	}
	return 0;
}

/* The trend's last two rows: the previous month's run, then the month's. */
static int rows_from_runs(struct monthly_runs *mr, pm_error *err)
{
	sqlite3_int64 runs[2] = { mr->prev_run, mr->cur_run };
	char months[2][8];

	memcpy(months[0], mr->prev_month, sizeof(months[0]));
	memcpy(months[1], mr->month, sizeof(months[1]));
	return trend_rows_from_runs(mr->r, runs, months, 2, mr->trend_rows + mr->ntrend - 2, err);
}

int monthly_runs_finish(struct monthly_runs *mr, pm_error *err)
{
	int rc = 0;

	side_run_join(&mr->side);
	if (mr->trend.started) {
		reader_thread_join(&mr->trend);
		if (mr->trend_rc < 0)
			rc = pm_fail(err, "%s", mr->trend_err.msg);
	} else {
		rc = trend_rows_from_trend(mr->r, mr->first, mr->ntrend - 2, mr->trend_rows, err);
	}
	if (rc == 0)
		rc = rows_from_runs(mr, err);
	/* before COMMIT: a damaged file stores nothing */
	rc = runs_verify_verdict(&mr->verify, rc, err);
	if (rc < 0) {
		monthly_runs_abort(mr, err);
		return -1;
	}
	mr->in_transaction = 0;
	return db_exec(mr->r->db, "COMMIT", err);
}

void monthly_runs_abort(struct monthly_runs *mr, pm_error *err)
{
	side_run_join(&mr->side);
	reader_thread_join(&mr->trend);
	reader_thread_join(&mr->fees);
	runs_verify_verdict(&mr->verify, -1, err);
	if (mr->in_transaction)
		sqlite3_exec(mr->r->db, "ROLLBACK", NULL, NULL, NULL);
	mr->in_transaction = 0;
}
