/*
 * The workbook's data layer: every statement the Excel workbook runs on
 * the check_* tables and the logs (reports/xlsx_data.h says why in one
 * file). Rows are streamed to a callback, never collected.
 */
#include <stdio.h>
#include <string.h>
#include "reports/xlsx_data.h"

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static const char *text_or_empty(sqlite3_stmt *st, int i)
{
	const char *s = text(st, i);

	return s ? s : "";
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, pm_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		pm_fail(err, "database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

/* Steps to the end; rc of fn or of SQLite decides. */
static int finish(sqlite3 *db, sqlite3_stmt *st, int rc, pm_error *err)
{
	sqlite3_finalize(st);
	if (rc == -1)
		return -1;
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

/* Hands each row of st to row(st, arg); a row that fails (-1) stops it. */
static int stream_rows(sqlite3 *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *, void *),
		       void *arg, pm_error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(st, arg) < 0) {
			rc = -1;
			break;
		}
	return finish(db, st, rc, err);
}

/*
 * Whether a results table has a column: the "unknown" count arrives with
 * issue 12; until then it reads as 0, and the workbook needs no change then.
 */
static int has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int xd_begin(sqlite3 *db, struct xd_session *s, pm_error *err)
{
	sqlite3_stmt *st;

	s->began = 0;
	s->temp_store = -1;
	/* inside a transaction temp_store cannot change: the caller's settings stand */
	if (!sqlite3_get_autocommit(db))
		return 0;
	if (sqlite3_prepare_v2(db, "PRAGMA temp_store", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			s->temp_store = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3_exec(db, "PRAGMA temp_store = FILE; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	s->began = 1;
	return 0;
}

void xd_end(sqlite3 *db, struct xd_session *s)
{
	char sql[40];

	if (!s->began)
		return;
	/* nothing was written: the end of a read transaction cannot fail */
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (s->temp_store >= 0) {
		snprintf(sql, sizeof(sql), "PRAGMA temp_store = %d", s->temp_store);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	s->began = 0;
}

long long xd_rule_unknown(sqlite3 *db, sqlite3_int64 run, const char *rule_id)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (!has_column(db, "check_rule_results", "unknown"))
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT unknown FROM check_rule_results WHERE run_id = ?"
			       " AND rule_id = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, rule_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct site_results_arg {
	int (*fn)(void *ctx, const struct xd_site_result *x);
	void *ctx;
};

static int site_results_row(sqlite3_stmt *st, void *arg)
{
	struct site_results_arg *a = arg;
	struct xd_site_result x;

	x.rule_id = text_or_empty(st, 0);
	x.site = text_or_empty(st, 1);
	x.met = sqlite3_column_int64(st, 2);
	x.breached = sqlite3_column_int64(st, 3);
	x.pending = sqlite3_column_int64(st, 4);
	x.unknown = sqlite3_column_int64(st, 5);
	return a->fn(a->ctx, &x);
}

int xd_site_results(sqlite3 *db, sqlite3_int64 run,
		    int (*fn)(void *ctx, const struct xd_site_result *x), void *ctx, pm_error *err)
{
	struct site_results_arg a = { fn, ctx };
	sqlite3_stmt *st = prepare(db, has_column(db, "check_site_results", "unknown") ?
		"SELECT rule_id, site, met, breached, pending, unknown FROM check_site_results"
		" WHERE run_id = ? ORDER BY rule_id, site" :
		"SELECT rule_id, site, met, breached, pending, 0 FROM check_site_results"
		" WHERE run_id = ? ORDER BY rule_id, site", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	return stream_rows(db, st, site_results_row, &a, err);
}

struct weeks_arg {
	int (*fn)(void *ctx, const struct xd_week *x);
	void *ctx;
};

static int weeks_row(sqlite3_stmt *st, void *arg)
{
	struct weeks_arg *a = arg;
	struct xd_week x;

	x.week = text_or_empty(st, 0);
	x.numerator = sqlite3_column_int64(st, 1);
	x.denominator = sqlite3_column_int64(st, 2);
	x.has_rate = sqlite3_column_type(st, 3) != SQLITE_NULL;
	x.rate = sqlite3_column_double(st, 3);
	x.met = sqlite3_column_int(st, 4);
	return a->fn(a->ctx, &x);
}

int xd_weeks(sqlite3 *db, sqlite3_int64 run, const char *rule_id,
	     int (*fn)(void *ctx, const struct xd_week *x), void *ctx, pm_error *err)
{
	struct weeks_arg a = { fn, ctx };
	sqlite3_stmt *st = prepare(db, "SELECT week, numerator, denominator, rate, met"
		" FROM check_weeks WHERE run_id = ? AND rule_id = ? ORDER BY week", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, rule_id, -1, SQLITE_STATIC);
	return stream_rows(db, st, weeks_row, &a, err);
}

struct breaches_arg {
	int (*fn)(void *ctx, const struct xd_breach *x);
	void *ctx;
};

static int breaches_row(sqlite3_stmt *st, void *arg)
{
	struct breaches_arg *a = arg;
	struct xd_breach x;

	x.rule_id = text_or_empty(st, 0);
	x.record_kind = text_or_empty(st, 1);
	x.record_id = text_or_empty(st, 2);
	x.site = text_or_empty(st, 3);
	x.room = text(st, 4);
	x.category = text(st, 5);
	x.who = text(st, 6);
	x.start = text(st, 7);
	x.deadline = text(st, 8);
	x.end = text(st, 9);
	x.status = text_or_empty(st, 10);
	x.has_late = sqlite3_column_type(st, 11) != SQLITE_NULL;
	x.late_seconds = sqlite3_column_int64(st, 11);
	return a->fn(a->ctx, &x);
}

int xd_breaches(sqlite3 *db, sqlite3_int64 run,
		int (*fn)(void *ctx, const struct xd_breach *x), void *ctx, pm_error *err)
{
	struct breaches_arg a = { fn, ctx };
	/* The record's room, category or level, technician or department from its log. */
	sqlite3_stmt *st = prepare(db,
		"SELECT r.rule_id, r.record_kind, r.record_id, COALESCE(r.site, ''),"
		"  CASE r.record_kind WHEN 'ticket' THEN t.room WHEN 'complaint' THEN c.room END,"
		"  CASE r.record_kind WHEN 'ticket' THEN t.category WHEN 'complaint' THEN c.level END,"
		"  CASE r.record_kind WHEN 'ticket' THEN t.technician WHEN 'complaint' THEN c.department END,"
		"  r.start_at, r.deadline_at, r.end_at, r.status, r.late_seconds"
		" FROM check_records r"
		" LEFT JOIN tickets t ON r.record_kind = 'ticket' AND t.ticket_id = r.record_id"
		" LEFT JOIN complaints c ON r.record_kind = 'complaint' AND c.complaint_id = r.record_id"
		" WHERE r.run_id = ? AND r.status IN ('breached', 'pending')"
		" ORDER BY r.rule_id, r.start_at, r.record_id", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	return stream_rows(db, st, breaches_row, &a, err);
}

struct aging_arg {
	int (*fn)(void *ctx, const struct xd_aging *x);
	void *ctx;
};

static int aging_row(sqlite3_stmt *st, void *arg)
{
	struct aging_arg *a = arg;
	struct xd_aging x;

	x.site = text_or_empty(st, 0);
	x.account = text_or_empty(st, 1);
	x.bucket = text_or_empty(st, 2);
	x.cents = sqlite3_column_int64(st, 3);
	return a->fn(a->ctx, &x);
}

int xd_aging(sqlite3 *db, sqlite3_int64 run,
	     int (*fn)(void *ctx, const struct xd_aging *x), void *ctx, pm_error *err)
{
	struct aging_arg a = { fn, ctx };
	sqlite3_stmt *st = prepare(db,
		"SELECT COALESCE(site, ''), record_id, COALESCE(detail, ''), SUM(amount_cents)"
		" FROM check_records WHERE run_id = ? AND rule_id = 'F-AGING'"
		" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	return stream_rows(db, st, aging_row, &a, err);
}

struct letters_due_arg {
	int (*fn)(void *ctx, const struct xd_letter *x);
	void *ctx;
};

static int letters_due_row(sqlite3_stmt *st, void *arg)
{
	struct letters_due_arg *a = arg;
	struct xd_letter x;

	x.site = text_or_empty(st, 0);
	x.account = text_or_empty(st, 1);
	x.first_reminder = text(st, 2);
	x.due_by = text(st, 3);
	x.has_amount = sqlite3_column_type(st, 4) != SQLITE_NULL;
	x.cents = sqlite3_column_int64(st, 4);
	return a->fn(a->ctx, &x);
}

int xd_letters_due(sqlite3 *db, sqlite3_int64 run,
		   int (*fn)(void *ctx, const struct xd_letter *x), void *ctx, pm_error *err)
{
	struct letters_due_arg a = { fn, ctx };
	sqlite3_stmt *st = prepare(db,
		"SELECT COALESCE(site, ''), record_id, start_at, deadline_at, amount_cents"
		" FROM check_records WHERE run_id = ? AND rule_id = 'F-LETTER'"
		" AND status = 'pending' ORDER BY deadline_at, record_id", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	return stream_rows(db, st, letters_due_row, &a, err);
}

struct rejects_arg {
	int (*fn)(void *ctx, const struct xd_reject *x);
	void *ctx;
};

static int rejects_row(sqlite3_stmt *st, void *arg)
{
	struct rejects_arg *a = arg;
	struct xd_reject x;

	x.file = text_or_empty(st, 0);
	x.line = sqlite3_column_int64(st, 1);
	x.field = text(st, 2);
	x.reason = text_or_empty(st, 3);
	x.text = text_or_empty(st, 4);
	return a->fn(a->ctx, &x);
}

int xd_rejects(sqlite3 *db, int (*fn)(void *ctx, const struct xd_reject *x), void *ctx,
	       pm_error *err)
{
	struct rejects_arg a = { fn, ctx };
	/* The latest import of each file, as the PDF's data-quality section counts them. */
	sqlite3_stmt *st = prepare(db,
		"SELECT file, line, field, reason, text FROM import_rejects"
		" WHERE run_id IN (SELECT MAX(run_id) FROM import_runs GROUP BY file)"
		" ORDER BY file, line, rowid", err);

	if (!st)
		return -1;
	return stream_rows(db, st, rejects_row, &a, err);
}

struct findings_arg {
	int (*fn)(void *ctx, const struct xd_finding *x);
	void *ctx;
};

static int findings_row(sqlite3_stmt *st, void *arg)
{
	struct findings_arg *a = arg;
	struct xd_finding x;

	x.rule_id = text_or_empty(st, 0);
	x.record_kind = text_or_empty(st, 1);
	x.record_id = text_or_empty(st, 2);
	x.site = text_or_empty(st, 3);
	x.start = text(st, 4);
	x.end = text(st, 5);
	x.detail = text(st, 6);
	return a->fn(a->ctx, &x);
}

int xd_findings(sqlite3 *db, sqlite3_int64 run,
		int (*fn)(void *ctx, const struct xd_finding *x), void *ctx, pm_error *err)
{
	struct findings_arg a = { fn, ctx };
	/* The data-quality findings of the PDF's section 8 (Q-PROBLEM-OPEN is a follow-up). */
	sqlite3_stmt *st = prepare(db,
		"SELECT rule_id, record_kind, record_id, COALESCE(site, ''), start_at, end_at, detail"
		" FROM check_records WHERE run_id = ? AND status = 'finding'"
		" AND rule_id LIKE 'Q-%' AND rule_id <> 'Q-PROBLEM-OPEN'"
		" ORDER BY rule_id, site, start_at, record_id", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	return stream_rows(db, st, findings_row, &a, err);
}

int xd_coverage(sqlite3 *db, struct xd_coverage out[XD_LOGS], pm_error *err)
{
	/* Each a min/max on the log's time index, and a count. */
	static const char *const sql[XD_LOGS] = {
		"SELECT COUNT(*), MIN(reported_at), MAX(reported_at) FROM tickets",
		"SELECT COUNT(*), MIN(received_at), MAX(received_at) FROM complaints",
		"SELECT COUNT(*), MIN(callback_at), MAX(callback_at) FROM callbacks",
		"SELECT COUNT(*), MIN(at), MAX(at) FROM fees",
	};
	static const char *const logs[XD_LOGS] = { "tickets", "complaints", "callbacks", "fees" };
	int i;

	for (i = 0; i < XD_LOGS; i++) {
		sqlite3_stmt *st = prepare(db, sql[i], err);

		if (!st)
			return -1;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].log = logs[i];
		if (sqlite3_step(st) == SQLITE_ROW) {
			out[i].rows = sqlite3_column_int64(st, 0);
			snprintf(out[i].first, sizeof(out[i].first), "%s", text_or_empty(st, 1));
			snprintf(out[i].last, sizeof(out[i].last), "%s", text_or_empty(st, 2));
		}
		if (finish(db, st, sqlite3_step(st), err) < 0)
			return -1;
	}
	return 0;
}
