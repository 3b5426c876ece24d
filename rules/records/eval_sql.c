/*
 * The import stores well-formed timestamps, which rules/records/eval_time.c computes
 * with. A value written into the database by other means may be anything:
 * for those, SQLite's own functions give what the SQL engine gave.
 */
#include <stdio.h>
#include "rules/records/records.h"

int eval_sql_text(sqlite3 *db, const char *sql, const char *a, const char *b,
		  char *out, size_t size, pm_error *err)
{
	sqlite3_stmt *st;
	int rc, have = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
		have = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	return have;
}
