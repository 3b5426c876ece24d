/*
 * The choice between range scans and one full scan of a table (rules/records/eval_scan.h).
 */
#include <stdio.h>
#include <string.h>
#include "rules/calendar/calendar.h"
#include "rules/records/eval_scan.h"
#include "rules/records/records.h"
#include "rules/run/run.h"

static int has_index(sqlite3 *db, const char *table, const char *field, int *yes, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_index_list(?1) l,"
			       " pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = ?2",
			       -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

static int int_query(sqlite3 *db, sqlite3_stmt *st, sqlite3_int64 *out, pm_error *err)
{
	int rc = sqlite3_step(st);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

/*
 * The first or last text value of field as a day; has = 0 if none or not a
 * time. A seek in the index: min() and max() walk the NULL entries (most of
 * leak_test_at's), 0.6-0.7 s on the bench database.
 */
static int end_day(sqlite3 *db, const char *table, const char *field, const char *order, int *day,
		   int *has, pm_error *err)
{
	sqlite3_stmt *st;
	char sql[256];
	int rc;

	*has = 0;
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s > '' ORDER BY %s %s LIMIT 1", field,
		 table, field, field, order);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		*has = day_parse((const char *)sqlite3_column_text(st, 0), day) == 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

/*
 * *most = 1 when the window spans more than half of the days from the
 * field's first value to its last: then counting the index entries outside
 * it is the cheaper way to its count (a ten-month trend, a year). Only the
 * cost of the count depends on it, not the count.
 */
static int window_is_most(sqlite3 *db, const char *table, const char *field, const char *lower,
			  const char *upper, int upper_inclusive, const char *as_of, int *most,
			  pm_error *err)
{
	const char *cap = strcmp(as_of, upper) < 0 ? as_of : upper;
	int first, last, from, to, has_first, has_last;

	*most = 0;
	if (end_day(db, table, field, "ASC", &first, &has_first, err) ||
	    end_day(db, table, field, "DESC", &last, &has_last, err))
		return -1;
	if (!has_first || !has_last || day_parse(lower, &from) || day_parse(cap, &to))
		return 0;
	/* the window's last day counts when it reaches into it */
	if (upper_inclusive || cap == as_of || strcmp(cap + 10, " 00:00:00"))
		to++;
	if (from < first)
		from = first;
	if (to > last + 1)
		to = last + 1;
	*most = 2 * (to - from) > last + 1 - first;
	return 0;
}

/*
 * The index entries of field outside the window: NULL, before lower, after
 * the window's end (upper, or as_of if sooner). Text compares after every
 * number and before every blob, as SQLite orders them, so these are all
 * the entries but the window's.
 */
static int count_outside(sqlite3 *db, const char *table, const char *field, const char *lower,
			 const char *upper, int upper_inclusive, const char *as_of,
			 sqlite3_int64 *outside, pm_error *err)
{
	/* past as_of when it comes first, else past (or at) upper */
	int by_as_of = strcmp(as_of, upper) < 0 || (upper_inclusive && !strcmp(as_of, upper));
	sqlite3_stmt *st;
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM %s WHERE %s IS NULL)"
		 " + (SELECT count(*) FROM %s WHERE %s < ?1) + (SELECT count(*) FROM %s WHERE %s %s ?2)",
		 table, field, table, field, table, field,
		 by_as_of || upper_inclusive ? ">" : ">=");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, lower, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, by_as_of ? as_of : upper, -1, SQLITE_STATIC);
	return int_query(db, st, outside, err);
}

int eval_prefer_full_scan(sqlite3 *db, const char *table, const char *const *fields, int nfields,
			  const char *lower, const char *upper, int upper_inclusive,
			  const char *as_of, int *full, pm_error *err)
{
	sqlite3_int64 rows, in_window = 0, n[16], blocks, outside;
	double touched = 0, per_row;
	sqlite3_stmt *st;
	char sql[512];
	int i, indexed, most;

	*full = 1;
	if (run_table_blocks(db, table, &rows, &blocks, err))
		return -1;
	if (nfields > (int)(sizeof(n) / sizeof(n[0])))
		return 0;
	for (i = 0; i < nfields; i++) {
		if (has_index(db, table, fields[i], &indexed, err))
			return -1;
		if (!indexed)
			return 0;
		if (window_is_most(db, table, fields[i], lower, upper, upper_inclusive, as_of,
				   &most, err))
			return -1;
		if (most) {
			if (count_outside(db, table, fields[i], lower, upper, upper_inclusive, as_of,
					  &outside, err))
				return -1;
			n[i] = rows > outside ? rows - outside : 0;
		} else {
			/* Counting stops at the limit: at most half the table's index entries. */
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s >= ?1"
				 " AND %s %s ?2 AND %s <= ?3 LIMIT ?4)", table, fields[i], fields[i],
				 upper_inclusive ? "<=" : "<", fields[i]);
			if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
				return pm_fail(err, "database: %s", sqlite3_errmsg(db));
			sqlite3_bind_text(st, 1, lower, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, as_of, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, rows / 2 - in_window + 1);
			if (int_query(db, st, &n[i], err))
				return -1;
		}
		in_window += n[i];
		if (in_window > rows / 2)
			return 0;
	}
	/*
	 * Under half the table, but a range scan looks each row up in the
	 * table: rows in time order are a few pages of it, rows in any other
	 * order (exports sorted by site or room, newest first, shuffled) a page
	 * each. When the ranges would touch every block of the table or more,
	 * the one scan reads no more pages, each once and in order, without a
	 * look-up per row (docs/performance.md, "check --month: the scan chosen
	 * from the rows' order"). A range alone is counted at most every block,
	 * so `>=`: with `>` one field's range never chose the scan (the callback
	 * map of a shuffled month: 84k look-ups, docs/performance.md, "check
	 * --month, session 6"). A small table is read either way at no cost.
	 */
	if (blocks >= RUN_MIN_BLOCKS) {
		for (i = 0; i < nfields; i++) {
			if (run_range_spread(db, table, fields[i], lower, upper, upper_inclusive, as_of,
					     &per_row, err))
				return -1;
			/* a range touches at most every block */
			touched += (double)n[i] * per_row < (double)blocks ?
				(double)n[i] * per_row : (double)blocks;
		}
		if (touched >= (double)blocks)
			return 0;
	}
	*full = 0;
	return 0;
}

int records_prefer_full_scan(sqlite3 *db, const char *table, const char *field,
			     const char *from, const char *to, int *full, pm_error *err)
{
	const char *fields[1] = { field };

	/* [from, to): "<= to" adds nothing to "< to" */
	return eval_prefer_full_scan(db, table, fields, 1, from, to, 0, to, full, err);
}

int eval_in_window(const char *x, const char *a, const char *b, const char *c)
{
	return x && strcmp(x, a) >= 0 && strcmp(x, b) < 0 && strcmp(x, c) <= 0;
}
