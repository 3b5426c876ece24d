#ifndef PM_RUNS_VERIFY_H
#define PM_RUNS_VERIFY_H

#include "reports/report.h"

/*
 * The file's verification beside a report's check runs
 * (report_opts.verify_path), shared by the month-end audit
 * (monthly_runs.c), the year-end summary (annual_runs.c) and the
 * inspection (inspection.c): started once
 * the runs' BEGIN IMMEDIATE keeps every other writer out, so that it sees
 * what the runs read, on a read-only connection of its own; its verdict
 * comes before the runs' COMMIT, so a damaged file stores nothing and
 * prints nothing. With one core (one_thread) the file is verified before
 * the transaction instead, as it used to be when opened.
 */
struct runs_verify {
	struct db_verify_job *job;      /* NULL: not started */
};

/* With one core: verifies now (before BEGIN IMMEDIATE); 0, or -1 with the finding. */
int runs_verify_before(const struct report *r, pm_error *err);

/* Starts the verification beside the runs (inside their transaction). */
int runs_verify_beside(struct runs_verify *v, const struct report *r, pm_error *err);

/*
 * Waits for the verdict of a started verification: rc, or -1 with the
 * finding in err if the file is damaged (which replaces whatever else
 * failed). Nothing started: rc.
 */
int runs_verify_verdict(struct runs_verify *v, int rc, pm_error *err);

/*
 * A step of the report failed before its runs began (or without them):
 * with report_opts.verify_path, verifies the file now, and a damaged
 * file's finding replaces err.
 */
void runs_damaged_first(sqlite3 *db, const struct report_opts *o, pm_error *err);

#endif
