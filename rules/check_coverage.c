/*
 * Coverage rules: the share of records whose event (completion, resolution)
 * lies in the window that have a callback at or after the event and by the
 * as-of time (by a supervisor role where the rule names roles). Each record
 * is stored as met (called back) or breached (not). The weekly rule groups
 * the same records by ISO week (Monday-Sunday) and judges each week.
 */
#include <stdio.h>
#include <string.h>
#include "rules/check_internal.h"

#define SQL_MAX 8192

/* ISO 8601 week of a timestamp: the year and week of its week's Thursday. */
#define ISO_WEEK_SQL(x) \
	"(strftime('%Y', date(" x ", '-3 days', 'weekday 4')) || '-W' || " \
	"printf('%02d', (CAST(strftime('%j', date(" x ", '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1))"

static int insert_records(struct check_ctx *c, const struct rule *r, int weekly, pm_error *err)
{
	char cond[SQL_MAX] = "", sql[SQL_MAX + 2048];
	const char *kind = r->subject == SUBJECT_TICKETS ? "ticket" : "complaint";
	const char *id = rule_subject_id(r->subject);
	sqlite3_stmt *st;

	if (rule_filter_sql(r, cond, sizeof(cond)))
		return pm_fail(err, "rule %s: too many conditions", r->id);
	snprintf(sql, sizeof(sql),
		"INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		" start_at, end_at, status, amount_cents, detail)"
		" WITH d AS MATERIALIZED (SELECT t.%s AS id, t.site AS site, t.%s AS ev, %s AS amount,"
		"  (SELECT min(c.callback_at) FROM callbacks c WHERE c.ref_kind = '%s'"
		"   AND c.ref_id = t.%s AND c.callback_at >= t.%s AND c.callback_at <= :asof%s) AS cb"
		"  FROM %s t WHERE t.%s >= :from AND t.%s < :to AND t.%s <= :asof%s)"
		" SELECT :run, :rule, '%s', id, site, ev, cb,"
		"  CASE WHEN cb IS NOT NULL THEN 'met' ELSE 'breached' END, amount, %s FROM d",
		id, r->event, r->subject == SUBJECT_TICKETS ? "t.charge" : "NULL", kind, id, r->event,
		r->callback_roles.count ?
			" AND EXISTS (SELECT 1 FROM temp.rule_list l WHERE l.rule_id = :rule"
			" AND l.key = 'callback_roles' AND instr(c.role, l.value) > 0)" : "",
		rule_subject_table(r->subject), r->event, r->event, r->event, cond,
		kind, weekly ? ISO_WEEK_SQL("ev") : "NULL");
	if (ctx_prepare(c, sql, &st, err))
		return -1;
	rule_bind(st, r);
	return ctx_finish(c, st, err);
}

int check_coverage(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	return insert_records(c, r, 0, err);
}

/* The ISO week label of a day, computed the same way as ISO_WEEK_SQL. */
static void iso_week(int day, char out[24])
{
	int thursday = day - day_weekday(day) + 3;
	char date[11];
	int jan1;

	day_format(thursday, date);
	memcpy(date + 4, "-01-01", 7);
	day_parse(date, &jan1);
	snprintf(out, 24, "%.4s-W%02d", date, ((thursday - jan1) / 7 + 1) % 100);
}

static int store_week(struct check_ctx *c, const struct rule *r, const char *week, pm_error *err)
{
	sqlite3_stmt *st;

	if (ctx_prepare(c, "INSERT INTO check_weeks(run_id, rule_id, week, numerator, denominator, rate, met)"
			" SELECT :run, :rule, :week, num, den,"
			"  CASE WHEN den > 0 THEN 1.0 * num / den END,"
			"  CASE WHEN den > 0 THEN num >= :target * den - 1e-9 END"
			" FROM (SELECT coalesce(sum(status = 'met'), 0) AS num, count(*) AS den"
			"  FROM check_records WHERE run_id = :run AND rule_id = :rule AND detail = :week)",
			&st, err))
		return -1;
	ctx_bind_text(st, ":rule", r->id);
	ctx_bind_text(st, ":week", week);
	sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":target"), r->target);
	return ctx_finish(c, st, err);
}

int check_weekly(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	int first, last, monday;
	char week[24];
	sqlite3_int64 secs;

	if (insert_records(c, r, 1, err))
		return -1;
	/* The last day of the window is the day of the instant before `to`. */
	if (ctx_int(c, "SELECT strftime('%s', :to) - 1", NULL, &secs, err))
		return -1;
	day_parse(c->from, &first);
	last = (int)(secs / 86400);
	for (monday = first - day_weekday(first); monday <= last; monday += 7) {
		iso_week(monday, week);
		if (store_week(c, r, week, err))
			return -1;
	}
	return 0;
}
