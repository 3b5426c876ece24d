/*
 * The exports of a stored run (rules/results/results_export.h): its JSON
 * summary, and its breached and pending records as CSV.
 */
#include <string.h>
#include "rules/results/results_export.h"
#include "util/csv_write.h"

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

void check_format_late(long long s, char *buf, size_t size)
{
	if (s >= 86400)
		snprintf(buf, size, "%lldd %02lld:%02lld:%02lld", s / 86400, s % 86400 / 3600,
			 s % 3600 / 60, s % 60);
	else
		snprintf(buf, size, "%02lld:%02lld:%02lld", s / 3600, s % 3600 / 60, s % 60);
}

/* One field and its separator: a comma, or CRLF after the last. */
static void csv_field(FILE *out, const char *s, int last)
{
	csv_write_field(out, s);
	fputs(last ? "\r\n" : ",", out);
}

int check_write_csv(sqlite3 *db, sqlite3_int64 run_id, FILE *out, pm_error *err)
{
	sqlite3_stmt *st;
	char late[48], secs[32];
	int rc, i;

	if (sqlite3_prepare_v2(db, "SELECT rule_id, record_id, site, start_at, deadline_at, end_at,"
			       " status, late_seconds FROM check_records WHERE run_id = ?"
			       " AND status IN ('breached', 'pending')"
			       " ORDER BY rule_id, start_at, record_id", -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	fputs(CSV_UTF8_BOM "rule_id,record_id,site,start,deadline,end,status,how_late,late_seconds\r\n", out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < 7; i++)
			csv_field(out, (const char *)sqlite3_column_text(st, i), 0);
		if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
			csv_field(out, NULL, 0);
			csv_field(out, NULL, 1);
			continue;
		}
		check_format_late(sqlite3_column_int64(st, 7), late, sizeof(late));
		snprintf(secs, sizeof(secs), "%lld", (long long)sqlite3_column_int64(st, 7));
		csv_field(out, late, 0);
		csv_field(out, secs, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	return ferror(out) ? pm_fail(err, "write error") : 0;
}
