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
 * Every site's fee figures for the fee section come from the year's run,
 * whose walk of the ledger sums them anyway (check_params.site_fees), as
 * the monthly report's from its month's run; and so do the year's repair
 * and complaint categories, from the tickets and complaints its findings
 * read anyway (check_params.categories): before, two table scans of the
 * logs on the second thread (0.2-0.45 CPU s; docs/performance.md, "report
 * annual, session 9").
 *
 * All in one write transaction of the report's connection (BEGIN
 * IMMEDIATE), committed when the second thread is done and the file's
 * verification, made beside them from the start of the transaction
 * (reports/runs_verify.h), has found it sound. Before, the three
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

/*
 * The categories from the year's run's counts. annual_runs_finish() comes
 * only after the year's run returned 0, and a run given
 * check_params.categories returns 0 only once it has counted them.
 */
static void categories_of_run(struct annual_runs *ar)
{
	int k;

	for (k = 0; k < 2; k++)
		if (!ar->year_cats.counted)
			ar->category_rc[k] = pm_fail(&ar->category_err[k],
						     "the year's run counted no categories");
		else if (category_counts_of(&ar->year_cats, (enum category_log)k, &ar->cats[k]) < 0)
			ar->category_rc[k] = pm_fail(&ar->category_err[k], "out of memory");
	check_categories_free(&ar->year_cats);
}

/* ---- the second thread, after the previous year's run ---- */

static void months_beside(struct side_run *s, sqlite3 *db)
{
	struct annual_runs *ar = s->ctx;

	ar->trend_rc = check_trend(db, &ar->trend_params, ar->trend, &ar->trend_err) ? -1 : 0;
}

/* ---- the main thread ---- */

/*
 * The PDF lists only the ledger's records; the workbook (--xlsx) every
 * rule's. Of every site, the run also hands over the sites' fee figures
 * (the section prints the table of sites only for all of them).
 */
static int run_year(struct annual_runs *ar, pm_error *err)
{
	struct report *r = ar->r;
	int all = !r->opts->site;

	return run_counting_months(r, ar->from, ar->to, ar->as_of, r->opts->site, r->opts->xlsx != NULL,
				   ar->trend_counts, &ar->year_cats, all ? &ar->site_fees : NULL,
				   all ? &ar->nsite_fees : NULL, &ar->cur_run, err);
}

int annual_runs_start(struct annual_runs *ar, struct report *r, const char *from,
		      const char *to, const char *as_of, const char *prev_from,
		      const char *first, struct check_trend *trend,
		      struct category_counts *cats, pm_error *err)
{
	memset(ar, 0, sizeof(*ar));
	ar->r = r;
	ar->trend = trend;
	ar->cats = cats;
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
	/*
	 * The months' rules are counted by the year's run in its own pass (the
	 * year is the twelve months' window), their other figures read beside
	 */
	trend_params_of(r->opts, ar->first, 12, ar->as_of, ar->trend_ids, &ar->trend_params);
	if (check_trend_counts_new(&ar->trend_params, &ar->trend_counts, err) < 0) {
		report_fail(r, err);
		return -1;
	}
	ar->trend_params.counts = ar->trend_counts;
	if (runs_verify_before(r, err) < 0)
		return -1;
	/*
	 * the two runs' open backlogs (as of the year's as-of time and of the
	 * previous year's end) from one read of the tickets and the complaints,
	 * by whichever run comes to them first: the year's run counted its own
	 * at its end, alone on the critical path, while the second thread had
	 * counted the other's long before
	 */
	if (prev_from && check_backlog_pair_new(as_of, from, r->opts->site, &ar->backlog, err) < 0) {
		report_fail(r, err);
		return -1;
	}
	r->backlog_pair = ar->backlog;
	/* one write transaction for the runs, with the settings they need */
	if (check_begin_runs(r->db, err) < 0) {
		runs_damaged_first(r->db, r->opts, err);
		return -1;
	}
	ar->in_transaction = 1;
	if (runs_verify_beside(&ar->verify, r, err) < 0) {
		annual_runs_abort(ar, err);
		return -1;
	}
	side_run_start(&ar->side);
	if (run_year(ar, err) < 0 || side_run_copy(&ar->side, &ar->prev_run, err) < 0) {
		annual_runs_abort(ar, err);
		return -1;
	}
	return 0;
}

/* Once both runs have returned (the second thread joined). */
static void free_backlog_pair(struct annual_runs *ar)
{
	ar->r->backlog_pair = NULL;
	check_backlog_pair_free(ar->backlog);
	ar->backlog = NULL;
}

static void free_site_fees(struct annual_runs *ar)
{
	check_site_fees_free(ar->site_fees, ar->nsite_fees);
	ar->site_fees = NULL;
	ar->nsite_fees = 0;
}

/* The first failed read's error, in the order of the one-thread report. */
static int categories_verdict(struct annual_runs *ar, pm_error *err)
{
	int k;

	for (k = 0; k < 2; k++)
		if (ar->category_rc[k] < 0) {
			*err = ar->category_err[k];
			report_fail(ar->r, err);
			return -1;
		}
	return 0;
}

int annual_runs_finish(struct annual_runs *ar, pm_error *err)
{
	int rc;

	categories_of_run(ar);
	if (ar->side.started) {
		side_run_join(&ar->side);
		rc = ar->trend_rc < 0 ? pm_fail(err, "%s", ar->trend_err.msg) : 0;
	} else {
		rc = categories_verdict(ar, err);
		if (rc == 0)
			rc = check_trend(ar->r->db, &ar->trend_params, ar->trend, err) ? -1 : 0;
	}
	if (rc == 0)
		rc = categories_verdict(ar, err);
	free_backlog_pair(ar);
	/* the months' rules from the year's run's counts */
	if (rc == 0)
		rc = check_trend_rules(&ar->trend_params, ar->trend_counts, ar->trend, err) ? -1 : 0;
	check_trend_counts_free(ar->trend_counts);
	ar->trend_counts = NULL;
	/* before COMMIT: a damaged file stores nothing */
	rc = runs_verify_verdict(&ar->verify, rc, err);
	if (rc < 0) {
		annual_runs_abort(ar, err);
		return -1;
	}
	ar->in_transaction = 0;
	if (db_exec(ar->r->db, "COMMIT", err) < 0) {
		free_site_fees(ar);
		return -1;
	}
	ar->r->site_fees = ar->site_fees;
	ar->r->nsite_fees = ar->nsite_fees;
	return 0;
}

void annual_runs_abort(struct annual_runs *ar, pm_error *err)
{
	side_run_join(&ar->side);
	free_backlog_pair(ar);
	free_site_fees(ar);
	check_categories_free(&ar->year_cats);
	check_trend_counts_free(ar->trend_counts);
	ar->trend_counts = NULL;
	runs_verify_verdict(&ar->verify, -1, err);
	if (ar->in_transaction)
		sqlite3_exec(ar->r->db, "ROLLBACK", NULL, NULL, NULL);
	ar->in_transaction = 0;
}
