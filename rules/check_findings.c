/*
 * Volumes and the findings that are not violations: orphan callbacks,
 * impossible orderings, problem callbacks never followed up, repeated
 * problems (R-REPEAT), rejected rows. Findings are check_records rows with
 * status 'finding'; their counts are check_figures findings.*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/check_internal.h"

#define IN_WINDOW(x) x " >= :from AND " x " < :to"
#define SITE(t) " AND (:site IS NULL OR " t ".site = :site)"

static int volume(struct check_ctx *c, const char *key, const char *sql, pm_error *err)
{
	sqlite3_int64 n;

	return ctx_int(c, sql, NULL, &n, err) || ctx_figure_int(c, key, n, err) ? -1 : 0;
}

int check_volumes(struct check_ctx *c, pm_error *err)
{
	return volume(c, "volumes.tickets", "SELECT count(*) FROM tickets t WHERE "
		      IN_WINDOW("t.reported_at") SITE("t"), err) ||
	       volume(c, "volumes.complaints", "SELECT count(*) FROM complaints t WHERE "
		      IN_WINDOW("t.received_at") SITE("t"), err) ||
	       volume(c, "volumes.complaints_invalid", "SELECT count(*) FROM complaints t WHERE "
		      IN_WINDOW("t.received_at") SITE("t") " AND t.valid = 0", err) ||
	       volume(c, "volumes.callbacks", "SELECT count(*) FROM callbacks t WHERE "
		      IN_WINDOW("t.callback_at") SITE("t"), err) ? -1 : 0;
}

/* Q-ORPHAN: callbacks in the window whose ticket or complaint is unknown. */
static int orphans(struct check_ctx *c, pm_error *err)
{
	return ctx_run(c, "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		       " end_at, status, detail)"
		       " SELECT :run, 'Q-ORPHAN', 'callback', t.callback_id, t.site, t.callback_at, 'finding',"
		       "  t.ref_kind || ' ' || t.ref_id || ' is unknown'"
		       " FROM callbacks t WHERE " IN_WINDOW("t.callback_at") SITE("t")
		       " AND CASE t.ref_kind"
		       "  WHEN 'ticket' THEN NOT EXISTS (SELECT 1 FROM tickets k WHERE k.ticket_id = t.ref_id)"
		       "  WHEN 'complaint' THEN NOT EXISTS (SELECT 1 FROM complaints k WHERE k.complaint_id = t.ref_id)"
		       "  ELSE 1 END", NULL, err);
}

static int order_field(struct check_ctx *c, const char *table, const char *id, const char *kind,
		       const char *start, const char *field, pm_error *err)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		 " start_at, end_at, status, detail)"
		 " SELECT :run, 'Q-ORDER', '%s', t.%s, t.site, t.%s, t.%s, 'finding',"
		 "  '%s before %s' FROM %s t WHERE t.%s >= :from AND t.%s < :to"
		 " AND (:site IS NULL OR t.site = :site) AND t.%s < t.%s",
		 kind, id, start, field, field, start, table, start, start, field, start);
	return ctx_run(c, sql, NULL, err);
}

/* Q-ORDER for callbacks: a callback before its record began. */
static int callback_order(struct check_ctx *c, const char *table, const char *id, const char *kind,
			  const char *start, pm_error *err)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		 " start_at, end_at, status, detail)"
		 " SELECT :run, 'Q-ORDER', 'callback', t.callback_id, t.site, s.%s, t.callback_at,"
		 "  'finding', 'callback_at before its %s ' || t.ref_id || ' began'"
		 " FROM callbacks t JOIN %s s ON s.%s = t.ref_id"
		 " WHERE t.ref_kind = '%s' AND t.callback_at >= :from AND t.callback_at < :to"
		 " AND (:site IS NULL OR t.site = :site) AND t.callback_at < s.%s",
		 start, kind, table, id, kind, start);
	return ctx_run(c, sql, NULL, err);
}

/* Q-ORDER: events recorded before the record began (completed before reported, ...). */
static int impossible_orderings(struct check_ctx *c, pm_error *err)
{
	static const char *const ticket_fields[] = { "dispatched_at", "arrived_at", "completed_at", "leak_test_at" };
	static const char *const complaint_fields[] = { "responded_at", "escalated_at", "replied_at", "resolved_at" };
	int i;

	for (i = 0; i < 4; i++)
		if (order_field(c, "tickets", "ticket_id", "ticket", "reported_at", ticket_fields[i], err) ||
		    order_field(c, "complaints", "complaint_id", "complaint", "received_at",
				complaint_fields[i], err))
			return -1;
	return callback_order(c, "tickets", "ticket_id", "ticket", "reported_at", err) ||
	       callback_order(c, "complaints", "complaint_id", "complaint", "received_at", err) ? -1 : 0;
}

/* Q-PROBLEM-OPEN: a callback found a problem and no later callback followed (003: 再次回访). */
static int problems_open(struct check_ctx *c, pm_error *err)
{
	return ctx_run(c, "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		       " start_at, status, detail)"
		       " SELECT :run, 'Q-PROBLEM-OPEN', 'callback', t.callback_id, t.site, t.callback_at,"
		       "  'finding', t.ref_kind || ' ' || t.ref_id || ': problem found, no later callback'"
		       " FROM callbacks t WHERE " IN_WINDOW("t.callback_at") SITE("t")
		       " AND t.callback_at <= :asof AND t.problem_found = 1"
		       " AND NOT EXISTS (SELECT 1 FROM callbacks n WHERE n.ref_kind = t.ref_kind"
		       "  AND n.ref_id = t.ref_id AND n.callback_at > t.callback_at AND n.callback_at <= :asof)",
		       NULL, err);
}

static int count_finding(struct check_ctx *c, const char *key, const char *rule, pm_error *err)
{
	sqlite3_int64 n;

	return ctx_int(c, "SELECT count(*) FROM check_records WHERE run_id = :run AND rule_id = :rule",
		       rule, &n, err) || ctx_figure_int(c, key, n, err) ? -1 : 0;
}

int check_findings(struct check_ctx *c, pm_error *err)
{
	sqlite3_int64 missing, rejects;

	if (orphans(c, err) || impossible_orderings(c, err) || problems_open(c, err))
		return -1;
	if (count_finding(c, "volumes.orphan_callbacks", "Q-ORPHAN", err) ||
	    count_finding(c, "findings.orphan_callbacks", "Q-ORPHAN", err) ||
	    count_finding(c, "findings.impossible_order", "Q-ORDER", err) ||
	    count_finding(c, "findings.problem_open", "Q-PROBLEM-OPEN", err))
		return -1;
	if (ctx_int(c, "SELECT count(DISTINCT record_kind || ' ' || record_id) FROM check_records"
		    " WHERE run_id = :run AND rule_id = 'Q-MISSING-START'", NULL, &missing, err) ||
	    ctx_figure_int(c, "findings.missing_start", missing, err))
		return -1;
	/* Rejected rows carry no site or date: every reject kept in the database. */
	if (ctx_int(c, "SELECT count(*) FROM import_rejects", NULL, &rejects, err) ||
	    ctx_figure_int(c, "findings.rejected_rows", rejects, err))
		return -1;
	return 0;
}

/*
 * The rows of one room/category group of temp.rep in time order, while the
 * group is being read.
 */
struct rep_group {
	char *key[4];               /* kind, site, room, category */
	char **id, **ts;
	int n, cap;
};

static void rep_group_clear(struct rep_group *g)
{
	int i;

	for (i = 0; i < g->n; i++) {
		free(g->id[i]);
		free(g->ts[i]);
	}
	g->n = 0;
}

static void rep_group_free(struct rep_group *g)
{
	int i;

	rep_group_clear(g);
	free(g->id);
	free(g->ts);
	for (i = 0; i < 4; i++)
		free(g->key[i]);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v ? v : "";
}

static int rep_same_group(const struct rep_group *g, sqlite3_stmt *row)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!g->key[i] || strcmp(g->key[i], col(row, i)))
			return 0;
	return 1;
}

static int rep_add(struct rep_group *g, sqlite3_stmt *row)
{
	int i;

	if (!rep_same_group(g, row)) {
		rep_group_clear(g);
		for (i = 0; i < 4; i++) {
			free(g->key[i]);
			if (!(g->key[i] = strdup(col(row, i))))
				return -1;
		}
	}
	if (g->n == g->cap) {
		int cap = g->cap ? 2 * g->cap : 16;
		char **id = realloc(g->id, (size_t)cap * sizeof(*id));

		if (!id)
			return -1;
		g->id = id;
		id = realloc(g->ts, (size_t)cap * sizeof(*id));
		if (!id)
			return -1;
		g->ts = id;
		g->cap = cap;
	}
	g->id[g->n] = strdup(col(row, 4));
	g->ts[g->n] = strdup(col(row, 5));
	if (!g->id[g->n] || !g->ts[g->n]) {
		free(g->id[g->n]);
		free(g->ts[g->n]);
		return -1;
	}
	g->n++;
	return 0;
}

/* datetime(ts, '-N days') for a stored 'YYYY-MM-DD HH:MM:SS'. */
static void days_before(const char *ts, int days, char out[24])
{
	int day;

	if (day_parse(ts, &day) || strlen(ts) != 19) {
		out[0] = '\0';
		return;
	}
	day_format(day - days, out);
	memcpy(out + 10, ts + 10, 10);
}

/*
 * For each row of the group inside the window: n = the rows with
 * ts - window <= o.ts <= ts (ties count, before or after it in the index);
 * a repeat when n reaches the rule's number for its kind.
 */
static int rep_flush(struct check_ctx *c, const struct rule *r, const struct rep_group *g,
		     sqlite3_stmt *ins, pm_error *err)
{
	int need, i, lo = 0, hi = 0;
	char back[24];

	if (!g->n)
		return 0;
	need = !strcmp(g->key[0], "ticket") ? r->min_tickets : r->min_complaints;
	for (i = 0; i < g->n; i++) {
		if (strcmp(g->ts[i], c->from) < 0)
			continue;
		days_before(g->ts[i], r->window_days, back);
		while (lo < g->n && strcmp(g->ts[lo], back) < 0)
			lo++;
		if (hi < i)
			hi = i;
		while (hi + 1 < g->n && strcmp(g->ts[hi + 1], g->ts[i]) <= 0)
			hi++;
		if (hi - lo + 1 < need)
			continue;
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, g->key[0], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, g->id[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, g->key[1], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, g->key[2], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, g->key[3], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, g->ts[i], -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 7, hi - lo + 1);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	}
	return 0;
}

/*
 * temp.rep_hit from one walk of temp.rep in rep_key order, counting each
 * group's rows in a sliding window (a count per record through the index
 * cost 7 s CPU for a year).
 */
static int repeat_hits(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	sqlite3_stmt *rows = NULL, *ins = NULL;
	struct rep_group g;
	int rc;

	if (db_exec_plain(c, "CREATE TEMP TABLE rep_hit(kind TEXT, id TEXT, site TEXT, room TEXT,"
			  " category TEXT, ts TEXT, n INTEGER);", err) ||
	    ctx_prepare(c, "SELECT kind, site, room, category, id, ts FROM temp.rep INDEXED BY rep_key"
			" ORDER BY kind, site, room, category, ts", &rows, err) ||
	    ctx_prepare(c, "INSERT INTO temp.rep_hit VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &ins, err)) {
		sqlite3_finalize(rows);
		return -1;
	}
	memset(&g, 0, sizeof(g));
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		if (!rep_same_group(&g, rows) && rep_flush(c, r, &g, ins, err)) {
			rc = -1;
			break;
		}
		if (rep_add(&g, rows)) {
			rc = pm_fail(err, "out of memory");
			break;
		}
	}
	if (rc == SQLITE_DONE)
		rc = rep_flush(c, r, &g, ins, err);
	else if (rc == SQLITE_ROW || rc > 0)
		rc = pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	rep_group_free(&g);
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	return rc;
}

/*
 * R-REPEAT (seed 000: 反复出现的问题): a record in the window is listed
 * when, counting itself, its room has at least `tickets` tickets (or
 * `complaints` valid complaints) of the same category in the `window` days
 * up to it. The candidates (window plus the look-back) go into temp.rep,
 * indexed on the group key, so the counting is an index range per record.
 */
int check_repeat(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	char back[32];
	sqlite3_stmt *st;
	sqlite3_int64 groups;

	if (db_exec_plain(c, "DROP TABLE IF EXISTS temp.rep; DROP TABLE IF EXISTS temp.rep_hit;"
			  "CREATE TEMP TABLE rep(kind TEXT, id TEXT, site TEXT, room TEXT,"
			  " category TEXT, ts TEXT);", err))
		return -1;
	snprintf(back, sizeof(back), "-%d days", r->window_days);
	if (ctx_prepare(c, "INSERT INTO temp.rep"
			" SELECT 'ticket', ticket_id, site, room, category, reported_at FROM tickets t"
			" WHERE t.reported_at >= datetime(:from, :back) AND t.reported_at < :to"
			" AND t.reported_at <= :asof AND t.room IS NOT NULL" SITE("t")
			" UNION ALL"
			" SELECT 'complaint', complaint_id, site, room, category, received_at FROM complaints t"
			" WHERE t.received_at >= datetime(:from, :back) AND t.received_at < :to"
			" AND t.received_at <= :asof AND t.room IS NOT NULL AND t.category IS NOT NULL"
			" AND t.valid = 1" SITE("t"), &st, err))
		return -1;
	ctx_bind_text(st, ":back", back);
	if (ctx_finish(c, st, err) ||
	    db_exec_plain(c, "CREATE INDEX temp.rep_key ON rep(kind, site, room, category, ts, id);", err))
		return -1;
	/* The repeats go to temp.rep_hit first, so the groups can be counted from it. */
	if (repeat_hits(c, r, err))
		return -1;
	if (ctx_prepare(c, "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
			" start_at, status, detail)"
			" SELECT :run, :rule, kind, id, site, ts, 'finding',"
			"  room || ' ' || category || ': ' || n || ' ' || kind || 's within ' || :days || ' days'"
			" FROM temp.rep_hit", &st, err))
		return -1;
	rule_bind(st, r);
	ctx_bind_int(st, ":days", r->window_days);
	if (ctx_finish(c, st, err))
		return -1;
	if (ctx_int(c, "SELECT count(*) FROM (SELECT DISTINCT kind, site, room, category FROM temp.rep_hit)",
		    NULL, &groups, err) ||
	    ctx_figure_int(c, "findings.repeat_groups", groups, err) ||
	    count_finding(c, "findings.repeat_records", r->id, err))
		return -1;
	return 0;
}
