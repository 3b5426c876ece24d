/*
 * The year-end summary's check runs, on both cores, as the month-end
 * audit's (reports/monthly_runs.c, whose reasoning holds here):
 *
 *   main thread    the year's run (with its own read-ahead threads); then
 *                  it copies in the previous year's run
 *   second thread  the previous year's run, figures only, as a scratch run
 *                  on a read-only connection, then the twelve months'
 *                  figures from check_trend() on a second one
 *                  (reports/side_run.c)
 *
 * All in one write transaction of the report's connection (BEGIN
 * IMMEDIATE), committed when the second thread is done. Before, the three
 * came one after the other, though the year's run keeps the second core
 * busy only with its read-ahead and the other two are read-only work
 * (docs/performance.md, "check --year and report annual: records
 * stored later, the annual on both cores"). With one thread
 * the main thread does it all, in the same order.
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "reports/annual_runs.h"

/* ---- the second thread, after the previous year's run ---- */

static void months_beside(struct side_run *s, sqlite3 *db)
{
	struct annual_runs *ar = s->ctx;

	ar->trend_rc = trend_months_on(db, ar->r->opts, ar->first, 12, ar->as_of, ar->trend,
				       &ar->trend_err);
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
	ar->side.r = r;
	if (prev_from) {
		snprintf(ar->side.from, sizeof(ar->side.from), "%s", prev_from);
		snprintf(ar->side.to, sizeof(ar->side.to), "%s", from);
	}
	ar->side.then = months_beside;
	ar->side.ctx = ar;
	/* one write transaction for the runs, with the settings they need */
	if (check_begin_runs(r->db, err) < 0)
		return -1;
	ar->in_transaction = 1;
	side_run_start(&ar->side);
	if (run_year(ar, err) < 0 || side_run_copy(&ar->side, &ar->prev_run, err) < 0) {
		annual_runs_abort(ar);
		return -1;
	}
	return 0;
}

int annual_runs_finish(struct annual_runs *ar, pm_error *err)
{
	int rc;

	if (ar->side.started) {
		side_run_join(&ar->side);
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
	side_run_join(&ar->side);
	if (ar->in_transaction)
		sqlite3_exec(ar->r->db, "ROLLBACK", NULL, NULL, NULL);
	ar->in_transaction = 0;
}
