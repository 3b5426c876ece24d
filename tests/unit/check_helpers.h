/*
 * Helpers for the rules-engine tests: a fresh in-memory database with the
 * real schema, records inserted in the storage conventions (bound values),
 * a check run, and look-ups of what it stored.
 */
#ifndef PM_CHECK_HELPERS_H
#define PM_CHECK_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "db/db.h"
#include "rules/calendar/calendar.h"
#include "rules/engine/check.h"
#include "rules/ruleset/ruleset.h"

#define OCT_FROM "2026-10-01 00:00:00"
#define OCT_TO   "2026-11-01 00:00:00"

static inline sqlite3 *fresh_db(void)
{
	sqlite3 *db = NULL;
	pm_error err = { "" };

	if (db_open(":memory:", 1000, &db, &err))
		fail_msg("db_open: %s", err.msg);
	return db;
}

/*
 * A fresh database in a file (path: a mkstemp() template, filled in), the
 * real schema: a file's run reads ahead on connections of its own.
 */
static inline sqlite3 *file_db(char *path)
{
	int fd = mkstemp(path);
	sqlite3 *db = NULL;
	pm_error err = { "" };

	assert_true(fd >= 0);
	close(fd);
	if (db_open(path, 1000, &db, &err))
		fail_msg("db_open: %s", err.msg);
	return db;
}

/*
 * The engine reads no rules or calendar file: like the commands, a test
 * loads them with the public loaders (ruleset_load(): NULL is the default
 * set; check_calendar_load(): the rules' calendars and calendar_file, may
 * be NULL) and passes them in.
 */
struct loaded_rules {
	struct ruleset rs;
	struct calendar *cal;
};

static inline int load_rules(struct loaded_rules *l, const char *rules_file,
			     const char *calendar_file, pm_error *err)
{
	memset(l, 0, sizeof(*l));
	if (ruleset_load(rules_file, &l->rs, err))
		return -1;
	if (check_calendar_load(&l->rs, calendar_file, &l->cal, err)) {
		ruleset_free(&l->rs);
		return -1;
	}
	return 0;
}

static inline void free_rules(struct loaded_rules *l)
{
	calendar_free(l->cal);
	ruleset_free(&l->rs);
	memset(l, 0, sizeof(*l));
}

/* check_run() with the rules and calendar of these files, loaded as cmd/ loads them. */
static inline int check_run_files(sqlite3 *db, struct check_params *p, const char *rules_file,
				  const char *calendar_file, sqlite3_int64 *run, pm_error *err)
{
	struct loaded_rules l;
	int rc;

	if (load_rules(&l, rules_file, calendar_file, err))
		return -1;
	p->rules = &l.rs;
	p->calendar = l.cal;
	rc = check_run(db, p, run, err);
	p->rules = NULL;
	p->calendar = NULL;
	free_rules(&l);
	return rc;
}

/* check_trend() likewise. */
static inline int check_trend_files(sqlite3 *db, struct check_trend_params *p,
				    const char *rules_file, const char *calendar_file,
				    struct check_trend *out, pm_error *err)
{
	struct loaded_rules l;
	int rc;

	if (load_rules(&l, rules_file, calendar_file, err))
		return -1;
	p->rules = &l.rs;
	p->calendar = l.cal;
	rc = check_trend(db, p, out, err);
	p->rules = NULL;
	p->calendar = NULL;
	free_rules(&l);
	return rc;
}

/* check_rule_figures() likewise. */
static inline int check_rule_figures_files(sqlite3 *db, struct check_params *p,
					   const char *const *ids, int nids,
					   struct results_rule *out, pm_error *err)
{
	struct loaded_rules l;
	int rc;

	if (load_rules(&l, NULL, NULL, err))
		return -1;
	p->rules = &l.rs;
	p->calendar = l.cal;
	rc = check_rule_figures(db, p, ids, nids, out, err);
	p->rules = NULL;
	p->calendar = NULL;
	free_rules(&l);
	return rc;
}

/* Runs sql with the given text values bound to ?1, ?2, ... (NULL binds NULL). */
static inline void sql_exec(sqlite3 *db, const char *sql, int n, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	va_start(ap, n);
	for (i = 1; i <= n; i++) {
		const char *v = va_arg(ap, const char *);
		if (v)
			sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("step %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

/* id, category, urgent, paid, charge (cents text), reported, arrived, completed, leak_test */
static inline void ticket(sqlite3 *db, const char *id, const char *category, const char *urgent,
		   const char *paid, const char *charge, const char *reported,
		   const char *arrived, const char *completed, const char *leak)
{
	sql_exec(db, "INSERT INTO tickets(ticket_id, site, room, category, urgent, paid, charge,"
		 " reported_at, arrived_at, completed_at, leak_test_at)"
		 " VALUES(?1, 'A', '1-101', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		 9, id, category, urgent, paid, charge, reported, arrived, completed, leak);
}

/* A plain repair: not urgent, not paid, no arrival or leak test recorded. */
static inline void repair(sqlite3 *db, const char *id, const char *category, const char *reported,
			  const char *completed)
{
	ticket(db, id, category, "0", "0", NULL, reported, NULL, completed, NULL);
}

static inline void ticket_room(sqlite3 *db, const char *id, const char *site, const char *room,
			const char *category, const char *reported)
{
	sql_exec(db, "INSERT INTO tickets(ticket_id, site, room, category, reported_at)"
		 " VALUES(?1, ?2, ?3, ?4, ?5)", 5, id, site, room, category, reported);
}

/* id, level, valid, received, responded, escalated, replied, resolved, requested_by */
static inline void complaint(sqlite3 *db, const char *id, const char *level, const char *valid,
		      const char *received, const char *responded, const char *escalated,
		      const char *replied, const char *resolved, const char *requested_by)
{
	sql_exec(db, "INSERT INTO complaints(complaint_id, site, room, level, category, valid,"
		 " received_at, responded_at, escalated_at, replied_at, resolved_at, requested_by)"
		 " VALUES(?1, 'A', '2-202', ?2, '噪音', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		 9, id, level, valid, received, responded, escalated, replied, resolved, requested_by);
}

/* id, ref_kind, ref_id, at, role, problem_found */
static inline void callback(sqlite3 *db, const char *id, const char *kind, const char *ref,
		     const char *at, const char *role, const char *problem)
{
	sql_exec(db, "INSERT INTO callbacks(callback_id, site, ref_kind, ref_id, callback_at, role,"
		 " problem_found) VALUES(?1, 'A', ?2, ?3, ?4, ?5, coalesce(?6, 0))",
		 6, id, kind, ref, at, role, problem);
}

/* id, room, fee_item, period, kind, amount (cents), at, due_date, method */
static inline void fee(sqlite3 *db, const char *id, const char *room, const char *period,
		const char *kind, const char *amount, const char *at, const char *due,
		const char *method)
{
	sql_exec(db, "INSERT INTO fees(entry_id, site, room, fee_item, period, kind, amount, at,"
		 " due_date, method) VALUES(?1, 'A', ?2, '物业管理费', ?3, ?4, ?5, ?6, ?7, ?8)",
		 8, id, room, period, kind, amount, at, due, method);
}

/* Writes text to a temporary file and returns its path (static buffer per slot). */
static inline const char *temp_file(const char *text, int slot)
{
	static char paths[4][64];
	FILE *f;
	int fd;

	snprintf(paths[slot], sizeof(paths[slot]), "/tmp/pmaudit-test-XXXXXX");
	fd = mkstemp(paths[slot]);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return paths[slot];
}

/* The number of rows of a query with ?1 and ?2 bound to two runs. */
static inline long long count_of_runs(sqlite3 *db, const char *sql, sqlite3_int64 a, sqlite3_int64 b)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The rules whose met records a run counts instead of storing. */
#define COUNTED_RULES(run) "(SELECT rule_id FROM check_rule_results WHERE run_id = " run \
	" AND rule_kind IN ('deadline', 'coverage', 'weekly'))"
#define RECORD_COLS "rule_id, record_kind, record_id, site, start_at, deadline_at, end_at," \
	" status, late_seconds, amount_cents, detail"

/*
 * The run that stores only what the engine stores (plain) against the run
 * that also keeps the met records (traced), with the same data: the plain
 * run stores no met record of a deadline, coverage or weekly rule and every
 * other row of the traced run; its check_site_results are the traced run's
 * records grouped by rule and site (what the reports grouped before); its
 * rule results, weeks and figures are the traced run's.
 */
static inline void assert_same_runs(sqlite3 *db, sqlite3_int64 plain, sqlite3_int64 traced)
{
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_records WHERE run_id = ?1"
		" AND status = 'met' AND rule_id IN " COUNTED_RULES("?1") " AND ?2 = ?2", plain, traced), 0);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_records WHERE run_id = ?1 AND ?2 = ?2",
				       plain, traced),
			 count_of_runs(db, "SELECT count(*) FROM check_records WHERE run_id = ?2 AND NOT"
				       " (status = 'met' AND rule_id IN " COUNTED_RULES("?2") ") AND ?1 = ?1",
				       plain, traced));
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM (SELECT " RECORD_COLS " FROM check_records"
		" WHERE run_id = ?2 AND NOT (status = 'met' AND rule_id IN " COUNTED_RULES("?2") ")"
		" EXCEPT SELECT " RECORD_COLS " FROM check_records WHERE run_id = ?1)", plain, traced), 0);
	/* per site, both ways */
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM (SELECT rule_id, site, met, breached, pending"
		" FROM check_site_results WHERE run_id = ?1 EXCEPT SELECT rule_id, coalesce(site, ''),"
		" sum(status = 'met'), sum(status = 'breached'), sum(status = 'pending') FROM check_records"
		" WHERE run_id = ?2 AND rule_id IN (SELECT rule_id FROM check_rule_results WHERE run_id = ?2"
		" AND rule_kind <> 'repeat') GROUP BY 1, 2)", plain, traced), 0);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM (SELECT rule_id, coalesce(site, ''),"
		" sum(status = 'met'), sum(status = 'breached'), sum(status = 'pending') FROM check_records"
		" WHERE run_id = ?2 AND rule_id IN (SELECT rule_id FROM check_rule_results WHERE run_id = ?2"
		" AND rule_kind <> 'repeat') GROUP BY 1, 2 EXCEPT SELECT rule_id, site, met, breached, pending"
		" FROM check_site_results WHERE run_id = ?1)", plain, traced), 0);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM (SELECT rule_id, rule_kind, title_zh, title_en,"
		" met, breached, pending, numerator, denominator, rate, target, target_met FROM check_rule_results"
		" WHERE run_id = ?1 EXCEPT SELECT rule_id, rule_kind, title_zh, title_en, met, breached, pending,"
		" numerator, denominator, rate, target, target_met FROM check_rule_results WHERE run_id = ?2)",
		plain, traced), 0);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM (SELECT rule_id, week, numerator, denominator,"
		" rate, met FROM check_weeks WHERE run_id = ?1 EXCEPT SELECT rule_id, week, numerator,"
		" denominator, rate, met FROM check_weeks WHERE run_id = ?2)", plain, traced), 0);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM (SELECT key, int_value, real_value FROM"
		" check_figures WHERE run_id = ?1 EXCEPT SELECT key, int_value, real_value FROM check_figures"
		" WHERE run_id = ?2)", plain, traced), 0);
}

/* summary_json without the line a figures-only run adds (a copy to free). */
static inline char *summary_without_records_key(sqlite3 *db, sqlite3_int64 run, int *had_key)
{
	static const char key[] = ",\n  \"records\": false";
	sqlite3_stmt *st;
	char *text = NULL, *at;

	if (sqlite3_prepare_v2(db, "SELECT summary_json FROM check_runs WHERE run_id = ?", -1, &st, NULL))
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_non_null(text);
	at = strstr(text, key);
	*had_key = at != NULL;
	if (at)
		memmove(at, at + sizeof(key) - 1, strlen(at + sizeof(key) - 1) + 1);
	return text;
}

/* The rows of one table of run ?1 not in run ?2, both ways: 0 when they are the same. */
static inline long long rows_differing(sqlite3 *db, const char *cols, const char *table,
				       sqlite3_int64 a, sqlite3_int64 b)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM (SELECT %s FROM %s WHERE run_id = ?1"
		 " EXCEPT SELECT %s FROM %s WHERE run_id = ?2)) + (SELECT count(*) FROM (SELECT %s FROM %s"
		 " WHERE run_id = ?2 EXCEPT SELECT %s FROM %s WHERE run_id = ?1)) +"
		 " abs((SELECT count(*) FROM %s WHERE run_id = ?1) - (SELECT count(*) FROM %s WHERE run_id = ?2))",
		 cols, table, cols, table, cols, table, cols, table, table, table);
	return count_of_runs(db, sql, a, b);
}

/* The rule results, weeks, per-site counts and figures of two runs: the same rows. */
static inline void assert_same_result_tables(sqlite3 *db, sqlite3_int64 a, sqlite3_int64 b)
{
	assert_int_equal(rows_differing(db, "rule_id, rule_kind, title_zh, title_en, met, breached,"
					" pending, numerator, denominator, rate, target, target_met",
					"check_rule_results", a, b), 0);
	assert_int_equal(rows_differing(db, "rule_id, week, numerator, denominator, rate, met",
					"check_weeks", a, b), 0);
	assert_int_equal(rows_differing(db, "rule_id, site, met, breached, pending",
					"check_site_results", a, b), 0);
	assert_int_equal(rows_differing(db, "key, int_value, real_value, text_value", "check_figures",
					a, b), 0);
}

/*
 * A figures-only run (figs) against a full run (full) of the same window:
 * no check_records row at all, and every check_rule_results, check_weeks,
 * check_site_results and check_figures row and the JSON summary the same
 * (the summary has one more line, "records": false; the full run's has not).
 */
static inline void assert_same_figures(sqlite3 *db, sqlite3_int64 full, sqlite3_int64 figs)
{
	char *a, *b;
	int a_key, b_key;

	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_records WHERE run_id = ?1"
				       " AND ?2 = ?2", figs, full), 0);
	assert_same_result_tables(db, full, figs);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_runs a JOIN check_runs b"
				       " ON a.run_id = ?1 AND b.run_id = ?2 WHERE a.from_ts IS b.from_ts"
				       " AND a.to_ts IS b.to_ts AND a.as_of IS b.as_of AND a.site IS b.site"
				       " AND a.rules_file IS b.rules_file AND a.rules_sha256 IS b.rules_sha256",
				       full, figs), 1);
	a = summary_without_records_key(db, full, &a_key);
	b = summary_without_records_key(db, figs, &b_key);
	assert_false(a_key);
	assert_true(b_key);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/*
 * Runs the check three times on the same data: as the engine runs it, with
 * keep_met (every met record stored too) and figures-only (no records);
 * checks they agree (assert_same_runs, assert_same_figures) and returns the
 * traced run, so that a test can look at any record, met ones included.
 */
static inline sqlite3_int64 run_check_full(sqlite3 *db, const char *from, const char *to,
				    const char *as_of, const char *site, const char *rules,
				    const char *calendar)
{
	struct check_params p = { .from = from, .to = to, .as_of = as_of, .site = site };
	pm_error err = { "" };
	sqlite3_int64 plain = 0, traced = 0, figs = 0;

	if (check_run_files(db, &p, rules, calendar, &plain, &err))
		fail_msg("check_run: %s", err.msg);
	p.figures_only = 1;
	if (check_run_files(db, &p, rules, calendar, &figs, &err))
		fail_msg("check_run (figures_only): %s", err.msg);
	assert_same_figures(db, plain, figs);
	p.figures_only = 0;
	p.keep_met = 1;
	if (check_run_files(db, &p, rules, calendar, &traced, &err))
		fail_msg("check_run (keep_met): %s", err.msg);
	assert_same_runs(db, plain, traced);
	return traced;
}

static inline sqlite3_int64 run_check(sqlite3 *db, const char *as_of)
{
	return run_check_full(db, OCT_FROM, OCT_TO, as_of, NULL, NULL, NULL);
}

/* One text value (or NULL) from a query with bound ?1.. text parameters. */
static inline char *query_text(sqlite3 *db, const char *sql, sqlite3_int64 run, const char *a,
			const char *b)
{
	static char buf[8][512];
	static int next;
	sqlite3_stmt *st;
	char *out = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run);
	if (a)
		sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		out = buf[next++ % 8];
		snprintf(out, 512, "%s", sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return out;
}

/* The status a rule gave a record in the run; NULL if not evaluated. */
static inline const char *status_of(sqlite3 *db, sqlite3_int64 run, const char *rule, const char *id)
{
	return query_text(db, "SELECT status FROM check_records WHERE run_id = ?1 AND rule_id = ?2"
			  " AND record_id = ?3", run, rule, id);
}

static inline const char *column_of(sqlite3 *db, sqlite3_int64 run, const char *rule, const char *id,
			     const char *column)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT %s FROM check_records WHERE run_id = ?1 AND rule_id = ?2"
		 " AND record_id = ?3", column);
	return query_text(db, sql, run, rule, id);
}

static inline long long late_of(sqlite3 *db, sqlite3_int64 run, const char *rule, const char *id)
{
	const char *v = column_of(db, run, rule, id, "late_seconds");

	return v ? atoll(v) : -1;
}

static inline long long figure_int(sqlite3 *db, sqlite3_int64 run, const char *key)
{
	const char *v = query_text(db, "SELECT int_value FROM check_figures WHERE run_id = ?1"
				   " AND key = ?2", run, key, NULL);
	if (!v)
		fail_msg("no figure %s", key);
	return atoll(v);
}

static inline double figure_real(sqlite3 *db, sqlite3_int64 run, const char *key)
{
	const char *v = query_text(db, "SELECT real_value FROM check_figures WHERE run_id = ?1"
				   " AND key = ?2", run, key, NULL);
	return v ? atof(v) : -1;
}

/* A check_rule_results column as text ("" for NULL). */
static inline const char *result_of(sqlite3 *db, sqlite3_int64 run, const char *rule, const char *column)
{
	char sql[256];
	const char *v;

	snprintf(sql, sizeof(sql), "SELECT %s FROM check_rule_results WHERE run_id = ?1"
		 " AND rule_id = ?2", column);
	v = query_text(db, sql, run, rule, NULL);
	return v ? v : "";
}

static inline long long count_rows(sqlite3 *db, sqlite3_int64 run, const char *rule, const char *status)
{
	const char *v = query_text(db, "SELECT count(*) FROM check_records WHERE run_id = ?1"
				   " AND rule_id = ?2 AND (?3 IS NULL OR status = ?3)", run, rule, status);
	return atoll(v);
}


/* The run's JSON summary (valid until the next call). */
static inline const char *summary_of(sqlite3 *db, sqlite3_int64 run)
{
	static char buf[1 << 16];
	sqlite3_stmt *st;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT summary_json FROM check_runs WHERE run_id = ?", -1, &st, NULL))
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof(buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

/* Two lists of every site's fee figures, the same site by site (check_fees_by_site()'s shape). */
static inline void assert_same_sites(const struct check_site_fees *a, int na,
				     const struct check_site_fees *b, int nb)
{
	int i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_string_equal(a[i].site, b[i].site);
		assert_int_equal(a[i].due_cents, b[i].due_cents);
		assert_int_equal(a[i].paid_cents, b[i].paid_cents);
		assert_int_equal(a[i].arrears_start_cents, b[i].arrears_start_cents);
		assert_int_equal(a[i].recovered_cents, b[i].recovered_cents);
		assert_int_equal(a[i].has_current_rate, b[i].has_current_rate);
		assert_true(a[i].current_rate == b[i].current_rate);
		assert_int_equal(a[i].has_recovery_rate, b[i].has_recovery_rate);
		assert_true(a[i].recovery_rate == b[i].recovery_rate);
	}
}

#endif
