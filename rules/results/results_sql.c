/*
 * The reader's statement helpers (rules/results/results_internal.h), shared
 * by results_read.c and results_rules.c.
 */
#include <stdio.h>
#include "rules/results/results_internal.h"

const char *results_sql_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

int results_sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, pm_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

int results_sql_done(sqlite3 *db, sqlite3_stmt *st, int rc, pm_error *err)
{
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

/* Steps an iterator's statement: 1 for a row, else 0 with the step's code kept. */
int results_sql_step(sqlite3_stmt *st, int *rc)
{
	if (!st || *rc != SQLITE_ROW)
		return 0;
	*rc = sqlite3_step(st);
	return *rc == SQLITE_ROW;
}

/* Ends an iterator: -1 if its last step was an error, not the end. */
int results_sql_finish(sqlite3_stmt **st, int rc, pm_error *err)
{
	sqlite3 *db = *st ? sqlite3_db_handle(*st) : NULL;
	int ok = rc == SQLITE_DONE;

	if (!ok && db)
		pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(*st);
	*st = NULL;
	return ok ? 0 : -1;
}

void results_sql_copy(char *out, size_t n, sqlite3_stmt *st, int i)
{
	snprintf(out, n, "%s", results_sql_text(st, i));
}
