#ifndef PM_MONTHLY_RUNS_H
#define PM_MONTHLY_RUNS_H

#include "reports/report.h"
#include "reports/sections.h"
#include "reports/runs_verify.h"
#include "reports/side_run.h"
#include "reports/reader_thread.h"

/*
 * The check runs of the month-end audit, on both cores (reports/monthly_runs.c):
 * the month's run, the previous month's figures-only run, and the rates of
 * the twelve-month trend, all in one write transaction of the report's
 * connection, which stays open while the report prints its sections and
 * ends with monthly_runs_finish().
 */
struct monthly_runs {
	struct report *r;
	char month[8], from[20], to[20], as_of[20];
	char prev_month[8], prev_from[20], prev_to[20];
	char first[8];                  /* the trend's first month */
	struct trend_row *trend_rows;   /* ntrend rows, the last for the month */
	int ntrend;
	sqlite3_int64 cur_run, prev_run;
	int in_transaction;
	struct runs_verify verify;      /* the file's, beside the runs (report_opts.verify_path) */
	struct check_backlog_pair *backlog; /* the two runs' open backlog (report.backlog_pair) */

	/* the second thread: the previous month's run */
	struct side_run side;
	/* the third thread: the trend, on a read-only connection of its own */
	struct reader_thread trend;
	int trend_rc;
	pm_error trend_err;

	/* every site's fee figures for the fee section, from the month's run (without --site) */
	struct check_site_fees *site_fees;
	int nsite_fees;
};

/*
 * Begins the transaction and makes the month's run (cur_run is stored when
 * it returns 0); the previous month's run and the trend go on being
 * computed. month is 'YYYY-MM', from/to its window, as_of the month's as-of
 * time; trend has ntrend (3 or more) rows to fill, the month last. On
 * failure nothing is stored and err says why.
 */
int monthly_runs_start(struct monthly_runs *mr, struct report *r, const char *month,
		       const char *from, const char *to, const char *as_of,
		       struct trend_row *trend, int ntrend, pm_error *err);

/*
 * The previous month's run, stored as prev_run once the second thread has
 * made it (or made here); the trend goes on being computed. On failure
 * rolls back (nothing stored).
 */
int monthly_runs_prev(struct monthly_runs *mr, pm_error *err);

/*
 * Every site's fee figures over the month, made by the month's run, into
 * r->site_fees for the fee section (left NULL with --site, where the
 * section prints no table of sites). The caller frees them with
 * monthly_runs_free().
 */
int monthly_runs_site_fees(struct monthly_runs *mr, pm_error *err);

/* Fills the trend rows and commits; on failure rolls back (nothing stored). */
int monthly_runs_finish(struct monthly_runs *mr, pm_error *err);

/*
 * Rolls back whatever is not committed and stops the second thread; a
 * damaged file's finding replaces err (report_opts.verify_path).
 */
void monthly_runs_abort(struct monthly_runs *mr, pm_error *err);
/* Frees what the runs left for the report (the site fees). */
void monthly_runs_free(struct monthly_runs *mr);

#endif
