#ifndef PM_ANNUAL_RUNS_H
#define PM_ANNUAL_RUNS_H

#include "reports/report.h"
#include "reports/runs_verify.h"
#include "reports/sections.h"
#include "reports/side_run.h"
#include "rules/engine/check.h"

/*
 * The check runs of the year-end summary, on both cores (reports/annual_runs.c):
 * the year's run, the previous year's figures-only run and the twelve
 * months' figures (check_trend()), in one write transaction of the
 * report's connection, committed by annual_runs_finish(); and the year's
 * repair and complaint categories, as the year's run counted them.
 */
struct annual_runs {
	struct report *r;
	char from[20], to[20], as_of[20];
	char first[8];                          /* the year's first month */
	struct check_trend *trend;              /* filled for the twelve months */
	/* the months' rules: counted by the year's run, their other figures by the side */
	const char *trend_ids[TREND_RULES_N];
	struct check_trend_params trend_params;
	struct check_trend_counts *trend_counts;
	struct category_counts *cats;           /* [CATEGORY_TICKETS], [CATEGORY_COMPLAINTS] */
	sqlite3_int64 cur_run, prev_run;        /* prev_run 0: no previous year */
	int in_transaction;
	struct runs_verify verify;              /* the file's, beside the runs (report_opts.verify_path) */

	/* the second thread: the previous year's run, then the months */
	struct side_run side;
	int trend_rc;
	pm_error trend_err;
	/* every site's fee figures (report.site_fees), from the year's run (without --site) */
	struct check_site_fees *site_fees;
	int nsite_fees;

	/* the two runs' open backlogs (report.backlog_pair), counted in one read */
	struct check_backlog_pair *backlog;
	/* the categories: as the year's run counted them, then each one's error */
	struct check_categories year_cats;
	int category_rc[2];
	pm_error category_err[2];
};

/*
 * Begins the transaction and makes the year's run over [from, to) as of
 * as_of (all records with --xlsx, else the ledger's) and, if prev_from is
 * not NULL, the previous year's figures-only run over [prev_from, from);
 * cur_run and prev_run are stored when it returns 0, and the twelve
 * months from first ('YYYY-MM') go on being computed into trend. On
 * failure nothing is stored and err says why.
 */
int annual_runs_start(struct annual_runs *ar, struct report *r, const char *from,
		      const char *to, const char *as_of, const char *prev_from,
		      const char *first, struct check_trend *trend,
		      struct category_counts *cats, pm_error *err);

/*
 * Gives the categories of [from, to) into cats[2] (as category_counts_read()
 * reads them), waits for the months' figures, and commits; on failure rolls back
 * (nothing stored). The sites' fee figures the year's run made (all
 * sites only) are then the report's site_fees, the caller's to free with
 * check_site_fees_free(ar->site_fees, ar->nsite_fees); else the fee
 * section makes them itself.
 */
int annual_runs_finish(struct annual_runs *ar, pm_error *err);

/*
 * Rolls back whatever is not committed and stops the second thread; a
 * damaged file's finding replaces err (report_opts.verify_path).
 */
void annual_runs_abort(struct annual_runs *ar, pm_error *err);

#endif
