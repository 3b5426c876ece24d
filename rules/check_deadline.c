/*
 * Deadline rules: a record is evaluated when its start event lies in
 * [from, to) and at or before the as-of time; its end event counts only if it
 * happened by the as-of time. Deadline = start + limit (or the record's own
 * deadline field when given). One check_records row per evaluated record.
 */
#include <stdio.h>
#include <string.h>
#include "rules/check_internal.h"

#define SQL_MAX 8192

static const char *record_kind(const struct rule *r)
{
	return r->subject == SUBJECT_TICKETS ? "ticket" : "complaint";
}

/* The end event of the record aliased t whose start is column start. */
static void end_sql(const struct rule *r, const char *start, char *buf, size_t size)
{
	if (r->end)
		snprintf(buf, size, "CASE WHEN t.%s <= :asof THEN t.%s END", r->end, r->end);
	else
		/* The earliest callback at or after the start, by the as-of time
		 * (callbacks_ref covers ref_kind, ref_id, callback_at). */
		snprintf(buf, size, "(SELECT min(c.callback_at) FROM callbacks c"
			 " WHERE c.ref_kind = '%s' AND c.ref_id = t.%s"
			 " AND c.callback_at >= t.%s AND c.callback_at <= :asof)",
			 record_kind(r), rule_subject_id(r->subject), start);
}

static void limit_sql(const struct rule *r, char *buf, size_t size)
{
	switch (r->limit_unit) {
	case LIMIT_SAMEDAY:
		snprintf(buf, size, "date(start_at) || ' 23:59:59'");
		break;
	case LIMIT_WORKDAYS:
		snprintf(buf, size, "(SELECT w.deadline FROM temp.wd w"
			 " WHERE w.n = :wd_n AND w.day = date(start_at))");
		break;
	default:
		snprintf(buf, size, "datetime(start_at, :limit_mod)");
		break;
	}
}

/*
 * The records: one SELECT per start field, each bounded on its own column so
 * that an index on it can be used; a later field counts only where every
 * earlier one is empty ("leak_test_at, else completed_at").
 */
static int records_sql(const struct rule *r, char *buf, size_t size)
{
	size_t used = 0;
	int i, j;

	buf[0] = '\0';
	for (i = 0; i < r->nstart; i++) {
		char end[512], cond[2048] = "";

		end_sql(r, r->start[i], end, sizeof(end));
		/* The unary + keeps "earlier field empty" off that field's index. */
		for (j = 0; j < i; j++) {
			size_t n = strlen(cond);
			snprintf(cond + n, sizeof(cond) - n, " AND +t.%s IS NULL", r->start[j]);
		}
		if (rule_filter_sql(r, cond, sizeof(cond)))
			return -1;
		used += (size_t)snprintf(buf + used, size - used,
			"%sSELECT t.%s AS id, t.site AS site, t.%s AS start_at, %s AS end_at, %s AS req"
			" FROM %s t WHERE t.%s >= :from AND t.%s < :to AND t.%s <= :asof%s",
			i ? " UNION ALL " : "", rule_subject_id(r->subject), r->start[i], end,
			r->deadline_field ? "t.requested_by" : "NULL",
			rule_subject_table(r->subject), r->start[i], r->start[i], r->start[i], cond);
		if (used >= size)
			return -1;
	}
	return 0;
}

static int insert_records(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	char records[SQL_MAX], limit[256], deadline[512], sql[SQL_MAX + 2048], mod[48];
	sqlite3_stmt *st;

	if (records_sql(r, records, sizeof(records)))
		return pm_fail(err, "rule %s: too many conditions", r->id);
	limit_sql(r, limit, sizeof(limit));
	if (r->deadline_field)
		snprintf(deadline, sizeof(deadline), "CASE WHEN req IS NOT NULL THEN req ELSE %s END", limit);
	else
		snprintf(deadline, sizeof(deadline), "%s", limit);
	snprintf(sql, sizeof(sql),
		"INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		" start_at, deadline_at, end_at, status, late_seconds)"
		" WITH d AS MATERIALIZED (%s),"
		" e AS MATERIALIZED (SELECT id, site, start_at, end_at, %s AS deadline_at FROM d)"
		" SELECT :run, :rule, '%s', id, site, start_at, deadline_at, end_at,"
		"  CASE WHEN deadline_at IS NULL THEN 'no_calendar'"
		"   WHEN end_at IS NOT NULL AND end_at <= deadline_at THEN 'met'"
		"   WHEN end_at IS NOT NULL OR deadline_at < :asof THEN 'breached'"
		"   ELSE 'pending' END,"
		"  CASE WHEN deadline_at IS NULL THEN NULL"
		"   WHEN end_at > deadline_at THEN strftime('%%s', end_at) - strftime('%%s', deadline_at)"
		"   WHEN end_at IS NULL AND deadline_at < :asof THEN strftime('%%s', :asof) - strftime('%%s', deadline_at)"
		"   END"
		" FROM e",
		records, deadline, record_kind(r));
	if (ctx_prepare(c, sql, &st, err))
		return -1;
	rule_bind(st, r);
	snprintf(mod, sizeof(mod), "+%lld seconds", r->limit_value);
	ctx_bind_text(st, ":limit_mod", mod);
	ctx_bind_int(st, ":wd_n", r->limit_value);
	return ctx_finish(c, st, err);
}

/* A working-day deadline in a year the calendar lacks is an error, not a guess. */
static int check_calendar_gap(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (ctx_prepare(c, "SELECT r.record_id, r.start_at, w.missing_year FROM check_records r"
			" JOIN temp.wd w ON w.n = :wd_n AND w.day = date(r.start_at)"
			" WHERE r.run_id = :run AND r.rule_id = :rule AND r.status = 'no_calendar'"
			" ORDER BY r.start_at, r.record_id LIMIT 1", &st, err))
		return -1;
	ctx_bind_text(st, ":rule", r->id);
	ctx_bind_int(st, ":wd_n", r->limit_value);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		pm_fail(err, "rule %s (limit %s): %s %s starts %s and its deadline falls in %d, "
			"which the holiday calendar does not cover; add that year's holiday notice "
			"with --calendar FILE or `calendar = FILE` in the rules file",
			r->id, r->limit_text, record_kind(r), sqlite3_column_text(st, 0),
			sqlite3_column_text(st, 1), sqlite3_column_int(st, 2));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
}

/* The start can be missing only where every start field may be empty. */
static int start_can_be_missing(const struct rule *r)
{
	int i;

	for (i = 0; i < r->nstart; i++)
		if (!strcmp(r->start[i], "reported_at") || !strcmp(r->start[i], "received_at"))
			return 0;
	return 1;
}

/*
 * Q-MISSING-START: the end event happened in the window but the start event
 * it follows is missing (a callback on a ticket never marked completed).
 * For a callback end, the walk starts from the records whose last start
 * field is empty (its index holds them together: a few percent of the
 * tickets) and looks up their callbacks in the window through
 * callbacks_ref, rather than taking every callback of the window (all of a
 * year's callbacks for --year) to its ticket; the unary + keeps the other
 * start fields off their indexes.
 */
static int missing_start(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	char cond[SQL_MAX] = "", sql[SQL_MAX + 1024], detail[256];
	const char *id = rule_subject_id(r->subject);
	sqlite3_stmt *st;
	int i;

	if (!start_can_be_missing(r))
		return 0;
	for (i = 0; i < r->nstart; i++) {
		size_t n = strlen(cond);
		snprintf(cond + n, sizeof(cond) - n, " AND %st.%s IS NULL",
			 r->end || i == r->nstart - 1 ? "" : "+", r->start[i]);
	}
	if (rule_filter_sql(r, cond, sizeof(cond)))
		return pm_fail(err, "rule %s: too many conditions", r->id);
	if (r->end)
		snprintf(sql, sizeof(sql),
			 "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
			 " end_at, status, detail)"
			 " SELECT :run, 'Q-MISSING-START', '%s', t.%s, t.site, t.%s, 'finding', :detail"
			 " FROM %s t WHERE t.%s >= :from AND t.%s < :to AND t.%s <= :asof%s",
			 record_kind(r), id, r->end, rule_subject_table(r->subject),
			 r->end, r->end, r->end, cond);
	else
		snprintf(sql, sizeof(sql),
			 "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
			 " end_at, status, detail)"
			 " SELECT :run, 'Q-MISSING-START', '%s', t.%s, t.site, min(c.callback_at),"
			 " 'finding', :detail"
			 " FROM %s t CROSS JOIN callbacks c ON c.ref_kind = '%s' AND c.ref_id = t.%s"
			 " WHERE c.callback_at >= :from AND c.callback_at < :to"
			 " AND c.callback_at <= :asof%s GROUP BY t.%s",
			 record_kind(r), id, rule_subject_table(r->subject), record_kind(r), id,
			 cond, id);
	snprintf(detail, sizeof(detail), "%s: no %s%s, but %s", r->id, r->start[0],
		 r->nstart > 1 ? " (nor the fallbacks)" : "",
		 r->end ? "the end event is recorded" : "a callback is recorded");
	if (ctx_prepare(c, sql, &st, err))
		return -1;
	rule_bind(st, r);
	ctx_bind_text(st, ":detail", detail);
	return ctx_finish(c, st, err);
}

int check_deadline(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	if (insert_records(c, r, err))
		return -1;
	if (r->limit_unit == LIMIT_WORKDAYS && check_calendar_gap(c, r, err))
		return -1;
	return missing_start(c, r, err);
}
