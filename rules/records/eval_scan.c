/*
 * The choice between range scans and one full scan of a table (rules/records/eval_scan.h).
 */
#include <stdio.h>
#include <string.h>
#include "rules/records/eval_scan.h"

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

int eval_prefer_full_scan(sqlite3 *db, const char *table, const char *const *fields, int nfields,
			  const char *lower, const char *upper, int upper_inclusive,
			  const char *as_of, int *full, pm_error *err)
{
	sqlite3_int64 rows, in_window = 0, n;
	sqlite3_stmt *st;
	char sql[512];
	int i, indexed;

	*full = 1;
	/* The largest rowid is the table's size (rows are never deleted), in a seek. */
	snprintf(sql, sizeof(sql), "SELECT max(rowid) FROM %s", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	if (int_query(db, st, &rows, err))
		return -1;
	for (i = 0; i < nfields; i++) {
		if (has_index(db, table, fields[i], &indexed, err))
			return -1;
		if (!indexed)
			return 0;
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
		if (int_query(db, st, &n, err))
			return -1;
		in_window += n;
		if (in_window > rows / 2)
			return 0;
	}
	*full = 0;
	return 0;
}

int eval_in_window(const char *x, const char *a, const char *b, const char *c)
{
	return x && strcmp(x, a) >= 0 && strcmp(x, b) < 0 && strcmp(x, c) <= 0;
}
