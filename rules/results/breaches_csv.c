/*
 * The breached and pending records of a run as CSV (rules/results/results.h):
 * one read of check_records in the CSV's order, one writer for check and
 * the report.
 */
#include <string.h>
#include "rules/results/results.h"
#include "rules/results/people_sql.h"
#include "util/csv_write.h"

/* The header in the report's language; the columns are the same. */
static const char HEADER_EN[] =
	"rule_id,rule_title,record_id,site,start,deadline,end,status,how_late,late_seconds,"
	"room,responsible";
static const char HEADER_ZH[] =
	"规则编号,规则名称,记录编号,项目,开始时间,期限,完成时间,状态,超时,超时秒数,"
	"房号,责任人";

void results_format_late(long long s, int english, char *buf, size_t size)
{
	long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;

	if (d > 0)
		snprintf(buf, size, english ? "%lldd %lldh" : "%lld天%lld小时", d, h);
	else if (h > 0)
		snprintf(buf, size, english ? "%lldh %lldm" : "%lld小时%lld分", h, m);
	else if (m > 0)
		snprintf(buf, size, english ? "%lldm" : "%lld分钟", m);
	else
		/* a second late is late: said so, not shown as nothing */
		snprintf(buf, size, english ? "under 1m" : "不足1分钟");
}

/* The stored status ('breached', 'pending') as the report words it. */
static const char *status_text(const char *status, int english)
{
	if (english || !status)
		return status;
	if (!strcmp(status, "breached"))
		return "超时";
	if (!strcmp(status, "pending"))
		return "待定";
	if (!strcmp(status, "unknown"))
		return "无法判定";
	return status;
}

/* One field and its separator: a comma, or CRLF after the last. */
static void field(FILE *out, const char *s, int last)
{
	csv_write_field(out, s);
	fputs(last ? "\r\n" : ",", out);
}

static void write_row(FILE *out, const struct breach_row *b, int english)
{
	char late[48], secs[32];

	field(out, b->rule_id, 0);
	field(out, b->rule_title ? b->rule_title : b->rule_id, 0);
	field(out, b->record_id, 0);
	field(out, b->site, 0);
	field(out, b->start, 0);
	field(out, b->deadline, 0);
	field(out, b->end, 0);
	field(out, status_text(b->status, english), 0);
	if (!b->has_late) {
		field(out, NULL, 0);
		field(out, NULL, 0);
	} else {
		results_format_late(b->late_seconds, english, late, sizeof(late));
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

int results_write_breaches(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out,
			   breach_row_fn each, void *ctx, pm_error *err)
{
	sqlite3_stmt *st;
	struct breach_row b;
	int rc;

	/* the rule's title as the run stored it, in the language asked for */
	if (sqlite3_prepare_v2(db, "SELECT r.rule_id, r.record_id, r.site, r.start_at,"
			       " r.deadline_at, r.end_at, r.status, r.late_seconds,"
			       " CASE WHEN ?2 THEN coalesce(nullif(t.title_en, ''), t.title_zh)"
			       " ELSE coalesce(nullif(t.title_zh, ''), t.title_en) END, " PEOPLE_COLUMNS
			       " FROM check_records r LEFT JOIN check_rule_results t"
			       " ON t.run_id = r.run_id AND t.rule_id = r.rule_id" PEOPLE_JOIN
			       " WHERE r.run_id = ?1 AND r.status IN ('breached', 'pending', 'unknown')"
			       " ORDER BY r.rule_id, r.start_at, r.record_id", -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, english != 0);
	fputs(CSV_UTF8_BOM, out);
	fputs(english ? HEADER_EN : HEADER_ZH, out);
	fputs("\r\n", out);
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
		b.rule_title = text(st, 8);
		b.room = text(st, 9);
		b.responsible = text(st, 10);
		write_row(out, &b, english);
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
