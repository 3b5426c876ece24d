#ifndef PM_XLSX_DATA_H
#define PM_XLSX_DATA_H

#include <sqlite3.h>
#include "util/error.h"

/*
 * What the Excel workbook reads beside the check run: the run's results
 * come through the typed results reader (rules/results/results.h) like
 * the PDF's, the data's coverage from db_coverage(); the statements here
 * are on the import tables alone.
 */

/* An open reject (import_rejects, resolved by no later import). */
struct xd_reject {
	const char *file, *field, *reason, *text;
	long long line;
};

/*
 * Around all of a workbook's reads: one read transaction, so every sheet sees
 * the same data (unless the caller holds a transaction, which then does), and
 * temp_store = FILE, so that SQLite sorts a run's millions of breach rows in
 * temporary files rather than in memory (a check leaves the connection at
 * MEMORY); xd_end() restores both.
 */
struct xd_session {
	int began, temp_store;
};
int xd_begin(sqlite3 *db, struct xd_session *s, pm_error *err);
void xd_end(sqlite3 *db, struct xd_session *s);

/*
 * The open rejects, as the PDF's data-quality section and the findings'
 * rejected_rows count them, by file and line; each to fn (the strings live
 * until fn returns), which returns 0 to go on, -1 to stop with its error.
 */
int xd_rejects(sqlite3 *db, int (*fn)(void *ctx, const struct xd_reject *x), void *ctx,
	       pm_error *err);

#endif
