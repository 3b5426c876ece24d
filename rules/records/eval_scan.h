#ifndef PM_EVAL_SCAN_H
#define PM_EVAL_SCAN_H

#include <sqlite3.h>
#include "util/error.h"

/*
 * How the evaluator reads a table's rows in a window: by the index on each
 * timestamp field in use (a range scan per field), or with one scan of the
 * whole table. A range scan looks each row up in the table: on the big
 * database in time order it costs 1.3-2.4 times a full scan per row it
 * returns, so the ranges win while their rows together are under half the
 * table (a month), the full scan wins beyond (a year). In another order
 * (shuffled, by site, newest first) each row looked up is a page of its
 * own: there the full scan wins once the ranges would touch more of the
 * table's blocks of rows than it has, which the first rows of each range
 * tell.
 *
 * Sets *full to 1 when the rows of the ranges [lower, upper) (or
 * [lower, upper] when upper_inclusive), also <= as_of, of the given fields
 * number more than half the table, or would lie on more blocks of it than
 * it has, or when a field has no index.
 */
int eval_prefer_full_scan(sqlite3 *db, const char *table, const char *const *fields, int nfields,
			  const char *lower, const char *upper, int upper_inclusive,
			  const char *as_of, int *full, pm_error *err);

/* 1 if a <= x < b (text order, as SQLite compares TEXT) and x <= c; x NULL: 0. */
int eval_in_window(const char *x, const char *a, const char *b, const char *c);

#endif
