/*
 * The exports of a stored run (rules/results/results.h): its JSON
 * summary, and its breached and pending records as CSV (through the one
 * breaches writer, breaches_csv.c).
 */
#include <string.h>
#include "rules/results/results.h"

int check_write_json(sqlite3 *db, sqlite3_int64 run_id, FILE *out, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT summary_json FROM check_runs WHERE run_id = ?", -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return pm_fail(err, "check run %lld has no summary", (long long)run_id);
	}
	fputs((const char *)sqlite3_column_text(st, 0), out);
	sqlite3_finalize(st);
	return ferror(out) ? pm_fail(err, "write error") : 0;
}

/* The breaches CSV has one writer, shared with the monthly report. */
int check_write_csv(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out, pm_error *err)
{
	return results_write_breaches(db, run_id, english, out, NULL, NULL, err);
}
