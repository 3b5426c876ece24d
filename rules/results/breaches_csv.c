/*
 * The breached and pending records of a run as CSV (rules/results/breaches.h):
 * one read of check_records in the CSV's order, one writer for check and
 * the report.
 */
#include "rules/results/breaches.h"
#include "rules/results/people_sql.h"
#include "util/csv_write.h"

#define HEADER "rule_id,record_id,site,start,deadline,end,status,how_late,late_seconds," \
	"room,responsible"

void results_format_late(long long s, char *buf, size_t size)
{
	if (s >= 86400)
		snprintf(buf, size, "%lldd %02lld:%02lld:%02lld", s / 86400, s % 86400 / 3600,
			 s % 3600 / 60, s % 60);
	else
		snprintf(buf, size, "%02lld:%02lld:%02lld", s / 3600, s % 3600 / 60, s % 60);
}

/* One field and its separator: a comma, or CRLF after the last. */
static void field(FILE *out, const char *s, int last)
{
	csv_write_field(out, s);
	fputs(last ? "\r\n" : ",", out);
}

static void write_row(FILE *out, const struct breach_row *b)
{
	char late[48], secs[32];

	field(out, b->rule_id, 0);
	field(out, b->record_id, 0);
	field(out, b->site, 0);
	field(out, b->start, 0);
	field(out, b->deadline, 0);
	field(out, b->end, 0);
	field(out, b->status, 0);
	if (!b->has_late) {
		field(out, NULL, 0);
		field(out, NULL, 0);
	} else {
		results_format_late(b->late_seconds, late, sizeof(late));
		snprintf(secs, sizeof(secs), "%lld", b->late_seconds);
		field(out, late, 0);
		field(out, secs, 0);
	}
	field(out, b->room, 0);
	field(out, b->responsible, 1);
}

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int results_write_breaches(sqlite3 *db, sqlite3_int64 run_id, FILE *out,
			   breach_row_fn each, void *ctx, pm_error *err)
{
	sqlite3_stmt *st;
	struct breach_row b;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT r.rule_id, r.record_id, r.site, r.start_at, r.deadline_at,"
			       " r.end_at, r.status, r.late_seconds, " PEOPLE_COLUMNS
			       " FROM check_records r" PEOPLE_JOIN " WHERE r.run_id = ?"
			       " AND r.status IN ('breached', 'pending')"
			       " ORDER BY r.rule_id, r.start_at, r.record_id", -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	fputs(CSV_UTF8_BOM HEADER "\r\n", out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b.rule_id = text(st, 0);
		b.record_id = text(st, 1);
		b.site = text(st, 2);
		b.start = text(st, 3);
		b.deadline = text(st, 4);
		b.end = text(st, 5);
		b.status = text(st, 6);
		b.has_late = sqlite3_column_type(st, 7) != SQLITE_NULL;
		b.late_seconds = sqlite3_column_int64(st, 7);
		b.room = text(st, 8);
		b.responsible = text(st, 9);
		write_row(out, &b);
		if (each && each(ctx, &b, err)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	return ferror(out) ? pm_fail(err, "write error") : 0;
}
