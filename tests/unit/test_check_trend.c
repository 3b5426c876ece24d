/*
 * check_trend() against check_run(): for each month, every deadline and
 * coverage rule of the default set (and a rule the file lacks) and the fee
 * figures must be exactly what the month's own run stores -- on the
 * fixtures, on a data set of the generator (build/pmgen, $PMGEN), with and
 * without a site, and on hand-made records at the month's end, where the
 * as-of cut decides (a callback or an arrival after the month's end, a
 * pending record, a payment made the month after), and with records whose
 * file lacked a field a rule needs (unknown). Then what it refuses.
 * check_rule_figures() (one run's window, the inspection's coverage
 * figures) against check_run() likewise: quarters and other windows, as
 * of their end, before it and after it, with and without a site.
 */
#include <sys/stat.h>
#include "tests/unit/check_helpers.h"
#include "etl/import.h"
#include "rules/results/results.h"

static const char *const RULE_IDS[] = {
	"T-CB-SAFETY", "T-CB-LEAK", "T-CB-OTHER", "T-ARRIVE", "C-RESPOND", "C-MAJOR-ESCALATE",
	"C-MAJOR-REPLY", "C-MAJOR-RESOLVE", "C-IMPORTANT-ESCALATE", "C-IMPORTANT-RESOLVE",
	"C-MINOR-RESOLVE", "T-CB-COVERAGE", "C-CB-COVERAGE", "T-PAID-SUPERVISOR", "NO-SUCH-RULE",
};
#define NIDS (int)(sizeof(RULE_IDS) / sizeof(RULE_IDS[0]))

/* What the comparisons saw, so that a test can ask that they saw something. */
struct seen {
	long long months, rules, met, breached, pending, unknown, due_months, paid, records, rated;
};

/* [from, to) of the month k months after first ('YYYY-MM'). */
static void month_window_of(const char *first, int k, char from[20], char to[20])
{
	int y, m;

	assert_int_equal(sscanf(first, "%4d-%2d", &y, &m), 2);
	m += k;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	snprintf(from, 20, "%04u-%02u-01 00:00:00", (unsigned)y % 10000u, (unsigned)m % 100u);
	if (++m > 12) {
		m = 1;
		y++;
	}
	snprintf(to, 20, "%04u-%02u-01 00:00:00", (unsigned)y % 10000u, (unsigned)m % 100u);
}

static sqlite3_stmt *row_of(sqlite3 *db, const char *sql, sqlite3_int64 run, const char *key)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* A column that is NULL in the run: the trend has no value (want_null) there. */
static void assert_int_col(sqlite3_stmt *st, int i, int want_null, long long v, const char *what)
{
	if (want_null) {
		if (sqlite3_column_type(st, i) != SQLITE_NULL)
			fail_msg("%s: the run has %lld, the trend none", what, (long long)sqlite3_column_int64(st, i));
		return;
	}
	if (sqlite3_column_type(st, i) == SQLITE_NULL || sqlite3_column_int64(st, i) != v)
		fail_msg("%s: the run has %s, the trend %lld", what, sqlite3_column_type(st, i) ==
			 SQLITE_NULL ? "NULL" : (const char *)sqlite3_column_text(st, i), v);
}

static void assert_rate_col(sqlite3_stmt *st, int i, int has, double v, const char *what)
{
	if (!has) {
		if (sqlite3_column_type(st, i) != SQLITE_NULL)
			fail_msg("%s: the run has rate %.17g, the trend null", what, sqlite3_column_double(st, i));
		return;
	}
	if (sqlite3_column_type(st, i) == SQLITE_NULL || sqlite3_column_double(st, i) != v)
		fail_msg("%s: the run has rate %s, the trend %.17g", what, sqlite3_column_type(st, i) ==
			 SQLITE_NULL ? "null" : (const char *)sqlite3_column_text(st, i), v);
}

static void compare_rule(sqlite3 *db, sqlite3_int64 run, const char *id,
			 const struct check_trend_rule *x, const char *month, struct seen *seen)
{
	char what[96];
	sqlite3_stmt *st = row_of(db, "SELECT met, breached, pending, numerator, denominator, rate,"
				  " rule_kind, unknown FROM check_rule_results WHERE run_id = ?1 AND rule_id = ?2",
				  run, id);

	snprintf(what, sizeof(what), "%s %s", month, id);
	if (!st) {
		if (x->evaluated)
			fail_msg("%s: the run has no row, the trend has one", what);
		return;
	}
	if (!x->evaluated)
		fail_msg("%s: the run has a row, the trend none", what);
	assert_int_equal(x->is_deadline, !strcmp((const char *)sqlite3_column_text(st, 6), "deadline"));
	assert_int_col(st, 0, !x->is_deadline, x->met, what);
	assert_int_col(st, 1, !x->is_deadline, x->breached, what);
	assert_int_col(st, 2, !x->is_deadline, x->pending, what);
	assert_int_col(st, 3, 0, x->numerator, what);
	assert_int_col(st, 4, 0, x->denominator, what);
	assert_rate_col(st, 5, x->has_rate, x->rate, what);
	assert_int_col(st, 7, 0, x->unknown, what);
	sqlite3_finalize(st);
	seen->rules++;
	seen->met += x->numerator;
	seen->breached += x->denominator - x->numerator;
	seen->pending += x->pending;
	seen->unknown += x->unknown;
}

static void compare_fees(sqlite3 *db, sqlite3_int64 run, const struct check_trend_month *m,
			 struct seen *seen)
{
	static const char sql[] = "SELECT int_value, real_value FROM check_figures"
		" WHERE run_id = ?1 AND key = ?2";
	sqlite3_stmt *st;
	char what[64];

	snprintf(what, sizeof(what), "%s fees", m->month);
	assert_non_null(st = row_of(db, sql, run, "fees.due_cents"));
	assert_int_col(st, 0, 0, m->due_cents, what);
	sqlite3_finalize(st);
	assert_non_null(st = row_of(db, sql, run, "fees.paid_cents"));
	assert_int_col(st, 0, 0, m->paid_cents, what);
	sqlite3_finalize(st);
	assert_non_null(st = row_of(db, sql, run, "fees.current_rate"));
	assert_rate_col(st, 1, m->has_current_rate, m->current_rate, what);
	sqlite3_finalize(st);
	seen->due_months += m->due_cents != 0;
	seen->paid += m->paid_cents;
}

static void compare_volumes(sqlite3 *db, sqlite3_int64 run, const struct check_trend_month *m,
			    struct seen *seen)
{
	static const char sql[] = "SELECT int_value FROM check_figures WHERE run_id = ?1 AND key = ?2";
	static const char rsql[] = "SELECT int_value, real_value FROM check_figures"
		" WHERE run_id = ?1 AND key = ?2";
	const char *keys[7] = { "volumes.tickets", "volumes.complaints", "volumes.callbacks",
				"satisfaction.satisfied", "satisfaction.basic",
				"satisfaction.dissatisfied", "satisfaction.unrated" };
	sqlite3_int64 got[7] = { m->tickets, m->complaints, m->callbacks, m->satisfaction[0],
				 m->satisfaction[1], m->satisfaction[2], m->satisfaction[3] };
	sqlite3_stmt *st;
	char what[64];
	int i;

	for (i = 0; i < 7; i++) {
		snprintf(what, sizeof(what), "%s %s", m->month, keys[i]);
		assert_non_null(st = row_of(db, sql, run, keys[i]));
		assert_int_col(st, 0, 0, got[i], what);
		sqlite3_finalize(st);
		if (i < 3)
			seen->records += got[i];
		else if (i < 6)
			seen->rated += got[i];
	}
	snprintf(what, sizeof(what), "%s satisfaction.rate", m->month);
	assert_non_null(st = row_of(db, rsql, run, "satisfaction.rate"));
	assert_rate_col(st, 1, m->has_satisfaction_rate, m->satisfaction_rate, what);
	sqlite3_finalize(st);
}

/*
 * The same trend with its rules counted by a check run over the months'
 * window (check_params.trend), as the annual report's year run counts its
 * twelve months: check_trend() with the counts reads no record for them,
 * check_trend_rules() adds them from the run's.
 */
static void counted_trend(sqlite3 *db, struct check_trend_params *p, const char *rules,
			  struct check_trend *t)
{
	struct loaded_rules l;
	struct check_trend_counts *tc;
	struct check_params cp = { 0 };
	char from[20], to[20], skip[20];
	sqlite3_int64 run;
	pm_error err = { "" };

	if (load_rules(&l, rules, NULL, &err))
		fail_msg("rules: %s", err.msg);
	p->rules = &l.rs;
	p->calendar = l.cal;
	if (check_trend_counts_new(p, &tc, &err))
		fail_msg("check_trend_counts_new: %s", err.msg);
	p->counts = tc;
	if (check_trend(db, p, t, &err))
		fail_msg("check_trend (counts): %s", err.msg);
	/* no run has counted them yet */
	assert_int_equal(check_trend_rules(p, tc, t, &err), -1);
	month_window_of(p->first_month, 0, from, skip);
	month_window_of(p->first_month, p->nmonths - 1, skip, to);
	cp.from = from;
	cp.to = to;
	cp.site = p->site;
	cp.as_of = p->as_of;
	cp.rules = &l.rs;
	cp.calendar = l.cal;
	cp.trend = tc;
	if (check_run(db, &cp, &run, &err))
		fail_msg("check_run (counting the months): %s", err.msg);
	if (check_trend_rules(p, tc, t, &err))
		fail_msg("check_trend_rules: %s", err.msg);
	/* a run of another window cannot count them */
	cp.to = skip;
	assert_int_equal(check_run(db, &cp, &run, &err), -1);
	check_trend_counts_free(tc);
	p->counts = NULL;
	p->rules = NULL;
	p->calendar = NULL;
	free_rules(&l);
}

/*
 * check_trend over n months from first, then each month's own run, compared;
 * as_of as the annual report gives it (NULL: each month as of its end). The
 * trend with its rules counted by a run over the months (counted_trend())
 * is compared with the runs as well.
 */
static struct seen trend_is_runs_as_of(sqlite3 *db, const char *first, int n, const char *site,
				       const char *rules, const char *const *ids, int nids,
				       const char *as_of)
{
	struct check_trend_params p = { .first_month = first, .nmonths = n, .rule_ids = ids,
					.nrules = nids, .site = site, .as_of = as_of };
	struct check_trend t, counted;
	struct seen seen = { 0 }, seen_counted = { 0 };
	pm_error err = { "" };
	int k, i;

	if (check_trend_files(db, &p, rules, NULL, &t, &err))
		fail_msg("check_trend: %s", err.msg);
	counted_trend(db, &p, rules, &counted);
	assert_int_equal(counted.nmonths, n);
	assert_int_equal(t.nmonths, n);
	assert_int_equal(t.nrules, nids);
	for (k = 0; k < n; k++) {
		char from[20], to[20];
		struct check_params cp = { 0 };
		sqlite3_int64 run;

		month_window_of(first, k, from, to);
		assert_memory_equal(t.months[k].month, from, 7);
		assert_int_equal(t.months[k].month[7], '\0');
		cp.from = from;
		cp.to = to;
		cp.site = site;
		/* a month ending after as_of: its run is judged as of then (report annual) */
		cp.as_of = as_of && strcmp(to, as_of) > 0 ? as_of : NULL;
		if (check_run_files(db, &cp, rules, NULL, &run, &err))
			fail_msg("check_run %s: %s", from, err.msg);
		for (i = 0; i < nids; i++) {
			compare_rule(db, run, ids[i], &t.months[k].rules[i], t.months[k].month, &seen);
			compare_rule(db, run, ids[i], &counted.months[k].rules[i],
				     counted.months[k].month, &seen_counted);
		}
		compare_fees(db, run, &t.months[k], &seen);
		compare_volumes(db, run, &t.months[k], &seen);
		compare_fees(db, run, &counted.months[k], &seen_counted);
		compare_volumes(db, run, &counted.months[k], &seen_counted);
		seen.months++;
		seen_counted.months++;
	}
	/* the counted trend saw what the trend saw */
	assert_memory_equal(&seen, &seen_counted, sizeof(seen));
	check_trend_free(&counted);
	check_trend_free(&t);
	return seen;
}

static struct seen trend_is_runs(sqlite3 *db, const char *first, int n, const char *site,
				 const char *rules, const char *const *ids, int nids)
{
	return trend_is_runs_as_of(db, first, n, site, rules, ids, nids, NULL);
}

/* Every deadline and coverage rule of the default set, and one it lacks. */
static struct seen assert_trend_is_runs(sqlite3 *db, const char *first, int n, const char *site)
{
	return trend_is_runs(db, first, n, site, NULL, RULE_IDS, NIDS);
}

static void import_all(sqlite3 *db, const char *dir, const char *const *names, int n)
{
	struct pm_import_options opt = { .kind = -1, .encoding = PM_ENC_AUTO };
	int i;

	for (i = 0; i < n; i++) {
		struct pm_import_result res;
		pm_error err = { "" };
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (import_file(db, path, &opt, &res, &err))
			fail_msg("import %s: %s", path, err.msg);
	}
}

/* The fixtures: September to November 2026, fees back to 2025-07; three sites. */
static void fixtures(void **state)
{
	static const char *const files[] = { "tickets.csv", "complaints-gbk.csv", "callbacks.csv",
					     "fees.csv" };
	sqlite3 *db = fresh_db();
	struct seen all, one;

	(void)state;
	import_all(db, "fixtures", files, 4);
	all = assert_trend_is_runs(db, "2025-06", 19, NULL);
	one = assert_trend_is_runs(db, "2026-08", 5, "翠湖花园");
	/* the months held records of every outcome, and fees */
	assert_true(all.met > 0 && all.breached > 0 && all.pending > 0);
	assert_true(all.due_months >= 10 && all.paid > 0);
	assert_true(one.met > 0 && one.breached > 0 && one.due_months >= 3);
	assert_true(one.met < all.met);
	sqlite3_close(db);
}

/*
 * An as-of time inside a month (the annual report's, where the data ends):
 * that month and the ones after it are judged as of then, records after it
 * left out, as their runs with that as-of time do; the months before it as
 * of their ends. Volumes count the month's records whatever the as-of time.
 */
static void as_of_inside(void **state)
{
	static const char *const files[] = { "tickets.csv", "complaints-gbk.csv", "callbacks.csv",
					     "fees.csv" };
	sqlite3 *db = fresh_db();
	struct seen all, one, late;

	(void)state;
	import_all(db, "fixtures", files, 4);
	all = trend_is_runs_as_of(db, "2026-08", 5, NULL, NULL, RULE_IDS, NIDS,
				  "2026-10-15 12:00:00");
	one = trend_is_runs_as_of(db, "2026-09", 3, "翠湖花园", NULL, RULE_IDS, NIDS,
				  "2026-10-02 08:30:00");
	/* as of before the first month: every month is judged as of then */
	late = trend_is_runs_as_of(db, "2026-10", 2, NULL, NULL, RULE_IDS, NIDS,
				   "2026-09-20 00:00:00");
	assert_true(all.met > 0 && all.breached > 0 && all.pending > 0 && all.records > 0);
	assert_true(all.rated > 0);
	assert_true(one.met > 0 && one.records > 0 && one.records < all.records);
	assert_true(late.records > 0);
	sqlite3_close(db);
}

/*
 * The fixtures with some records' files lacking fields (their fields masks
 * cut, as an import of such a file leaves them): every third ticket without
 * paid and charge, every other complaint without resolved_at. The trend
 * counts them unknown exactly as the runs do.
 */
static void unknown_records(void **state)
{
	static const char *const files[] = { "tickets.csv", "complaints-gbk.csv", "callbacks.csv" };
	sqlite3 *db = fresh_db();
	struct seen all;

	(void)state;
	import_all(db, "fixtures", files, 3);
	sql_exec(db, "UPDATE tickets SET fields = fields & ~((1 << 5) | (1 << 6)) WHERE rowid % 3 = 0",
		 0);
	sql_exec(db, "UPDATE complaints SET fields = fields & ~(1 << 11) WHERE rowid % 2 = 0", 0);
	all = assert_trend_is_runs(db, "2026-08", 5, NULL);
	assert_true(all.unknown > 0 && all.met > 0 && all.breached > 0);
	sqlite3_close(db);
}

/* The generator's data, four months of three sites, into a fresh database. */
static void generated(void **state)
{
	static const char *const files[] = { "tickets.csv", "complaints.csv", "callbacks.csv",
					     "fees.csv" };
	const char *pmgen = getenv("PMGEN") ? getenv("PMGEN") : "build/pmgen";
	char dir[] = "/tmp/pmaudit-trend-XXXXXX", cmd[1024];
	sqlite3 *db = fresh_db();
	struct seen all, one, first;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "'%s' --seed 11 --sites 3 --from 2026-01 --to 2026-04"
		 " --tickets 3000 --callbacks 3000 --complaints 600 --fees 6000 --out '%s'", pmgen, dir);
	if (system(cmd) != 0)
		fail_msg("%s failed (set PMGEN to the generator)", cmd);
	import_all(db, dir, files, 4);
	for (i = 0; i < 4; i++) {
		char path[600];

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	all = assert_trend_is_runs(db, "2025-12", 6, NULL);
	one = assert_trend_is_runs(db, "2026-01", 4, "金桂苑");
	/*
	 * three of the four months: the trend's one scan of the table (most of
	 * it in the window) leaves April's rows to SQLite (full_scan_where())
	 */
	first = assert_trend_is_runs(db, "2026-01", 3, NULL);
	assert_true(first.met > 0 && first.met < all.met);
	assert_true(all.met > 1000 && all.breached > 100 && all.pending > 0);
	assert_true(all.due_months >= 4 && all.paid > 0);
	assert_true(one.met > 0 && one.met < all.met);
	sqlite3_close(db);
}

/*
 * Records at September's end, judged as of September's end in the trend
 * though October's callbacks, arrivals and payments are in the same pass.
 */
static void month_end_cut(void **state)
{
	static const char *const ids[] = { "T-ARRIVE", "T-CB-COVERAGE", "T-CB-OTHER" };
	struct check_trend_params p = { .first_month = "2026-09", .nmonths = 2, .rule_ids = ids,
					.nrules = 3 };
	sqlite3 *db = fresh_db();
	struct check_trend t;
	pm_error err = { "" };
	const struct check_trend_rule *arrive, *cover, *other;

	(void)state;
	/* urgent, September: arrival after the month's end (pending, deadline not yet passed), */
	ticket(db, "U1", "电梯", "1", "0", NULL, "2026-09-30 23:50:00", "2026-10-01 00:00:10", NULL, NULL);
	/* arrival exactly at the month's end (met), */
	ticket(db, "U2", "电梯", "1", "0", NULL, "2026-09-30 23:50:00", "2026-10-01 00:00:00", NULL, NULL);
	/* none by the month's end and the deadline passed (breached); */
	ticket(db, "U3", "电梯", "1", "0", NULL, "2026-09-30 23:40:00", "2026-10-01 00:30:00", NULL, NULL);
	/* October: arrived in time */
	ticket(db, "U4", "电梯", "1", "0", NULL, "2026-10-01 00:00:00", "2026-10-01 00:10:00", NULL, NULL);
	/* completed in September: a callback the second after the month's end, at it, none */
	repair(db, "R1", "电梯", "2026-09-29 08:00:00", "2026-09-30 23:00:00");
	callback(db, "K1", "ticket", "R1", "2026-10-01 00:00:01", NULL, NULL);
	repair(db, "R2", "电梯", "2026-09-29 08:00:00", "2026-09-30 23:00:00");
	callback(db, "K2", "ticket", "R2", "2026-10-01 00:00:00", NULL, NULL);
	repair(db, "R3", "电梯", "2026-09-29 08:00:00", "2026-09-30 23:00:00");
	/* completed in October, called back in October */
	repair(db, "R4", "电梯", "2026-10-01 08:00:00", "2026-10-02 08:00:00");
	callback(db, "K4", "ticket", "R4", "2026-10-02 09:00:00", NULL, NULL);
	/* fees (the ledger is stale: inserted by SQL) */
	fee(db, "F1", "1-101", "2026-09", "charge", "10000", "2026-09-01 00:00:00", NULL, NULL);
	fee(db, "F2", "1-101", "2026-09", "payment", "4000", "2026-10-01 00:00:00", NULL, "微信");
	fee(db, "F3", "1-101", "2026-09", "payment", "6000", "2026-10-01 00:00:01", NULL, "微信");
	fee(db, "F4", "1-101", "2026-10", "charge", "20000", "2026-09-28 00:00:00", NULL, NULL);
	fee(db, "F5", "1-101", "2026-10", "waiver", "5000", "2026-10-03 00:00:00", NULL, NULL);
	if (check_trend_files(db, &p, NULL, NULL, &t, &err))
		fail_msg("check_trend: %s", err.msg);
	arrive = &t.months[0].rules[0];
	cover = &t.months[0].rules[1];
	other = &t.months[0].rules[2];
	assert_int_equal(arrive->met, 1);
	assert_int_equal(arrive->breached, 1);
	assert_int_equal(arrive->pending, 1);
	assert_true(arrive->has_rate && arrive->rate == 0.5);
	assert_int_equal(t.months[1].rules[0].met, 1);
	assert_int_equal(t.months[1].rules[0].denominator, 1);
	assert_int_equal(cover->numerator, 1);          /* R2 only */
	assert_int_equal(cover->denominator, 3);
	assert_int_equal(t.months[1].rules[1].numerator, 1);
	assert_int_equal(t.months[1].rules[1].denominator, 1);
	/* T-CB-OTHER (2 days): R1, R3 pending at September's end, R2 met */
	assert_int_equal(other->met, 1);
	assert_int_equal(other->pending, 2);
	assert_int_equal(t.months[0].due_cents, 10000);
	assert_int_equal(t.months[0].paid_cents, 4000);
	assert_true(t.months[0].has_current_rate && t.months[0].current_rate == 0.4);
	assert_int_equal(t.months[1].due_cents, 15000);
	assert_int_equal(t.months[1].paid_cents, 0);
	check_trend_free(&t);
	/* and the runs say the same (they rebuild the ledger the trend read around) */
	assert_trend_is_runs(db, "2026-09", 2, NULL);
	assert_trend_is_runs(db, "2026-09", 2, "A");
	assert_trend_is_runs(db, "2026-09", 2, "B");
	sqlite3_close(db);
}

/* A read-only connection, with the fee ledger stale: read through fees, nothing stored. */
static void read_only(void **state)
{
	static const char *const ids[] = { "T-CB-COVERAGE" };
	struct check_trend_params p = { .first_month = "2026-09", .nmonths = 2, .rule_ids = ids,
					.nrules = 1 };
	char path[] = "/tmp/pmaudit-trend-ro-XXXXXX";
	sqlite3 *db = file_db(path), *ro = NULL;
	struct check_trend t;
	pm_error err = { "" };

	(void)state;
	repair(db, "R1", "电梯", "2026-09-29 08:00:00", "2026-09-30 23:00:00");
	callback(db, "K1", "ticket", "R1", "2026-09-30 23:30:00", NULL, NULL);
	fee(db, "F1", "1-101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	fee(db, "F2", "1-101", "2026-10", "payment", "2500", "2026-10-02 00:00:00", NULL, "现金");
	sqlite3_close(db);
	if (db_open_readonly(path, &ro, &err))
		fail_msg("db_open_readonly: %s", err.msg);
	if (check_trend_files(ro, &p, NULL, NULL, &t, &err))
		fail_msg("check_trend read-only: %s", err.msg);
	assert_int_equal(t.months[0].rules[0].numerator, 1);
	assert_int_equal(t.months[0].rules[0].denominator, 1);
	assert_false(t.months[0].has_current_rate);
	assert_int_equal(t.months[1].due_cents, 10000);
	assert_true(t.months[1].current_rate == 0.25);
	check_trend_free(&t);
	assert_int_equal(count_of_runs(ro, "SELECT count(*) FROM check_runs WHERE ?1 = ?2", 0, 0), 0);
	sqlite3_close(ro);
	unlink(path);
}

static const char WD_RULES[] =
	"[W2]\n"
	"kind = deadline\n"
	"subject = complaints\n"
	"start = received_at\n"
	"end = replied_at\n"
	"limit = 2wd\n"
	"\n"
	"[WEEK]\n"
	"kind = weekly\n"
	"subject = tickets\n"
	"event = completed_at\n"
	"target = 60%\n";

/* Working days over 国庆, as the runs; then what the trend refuses. */
static void workdays_and_refusals(void **state)
{
	const char *rules = temp_file(WD_RULES, 0);
	static const char *const wd[] = { "W2" }, *const weekly[] = { "W2", "WEEK" };
	static const char *const minor[] = { "C-MINOR-RESOLVE" };
	struct check_trend_params p = { .first_month = "2026-12", .nmonths = 1, .rule_ids = wd,
					.nrules = 1 };
	const char *trend_rules = rules;
	sqlite3 *db = fresh_db();
	struct check_trend t;
	pm_error err = { "" };
	struct check_params cp = { .from = "2026-12-01 00:00:00", .to = "2027-01-01 00:00:00" };
	sqlite3_int64 run;

	(void)state;
	/* met; breached; pending at September's end over 国庆 (deadline 10-09); pending at October's */
	complaint(db, "P1", "minor", "1", "2026-09-30 10:00:00", NULL, NULL, "2026-09-30 18:00:00", NULL, NULL);
	complaint(db, "P2", "minor", "1", "2026-09-21 10:00:00", NULL, NULL, "2026-09-25 10:00:00", NULL, NULL);
	complaint(db, "P5", "minor", "1", "2026-09-30 11:00:00", NULL, NULL, "2026-10-09 10:00:00", NULL, NULL);
	complaint(db, "P3", "minor", "1", "2026-10-30 10:00:00", NULL, NULL, NULL, NULL, NULL);
	p.first_month = "2026-09";
	p.nmonths = 2;
	if (check_trend_files(db, &p, trend_rules, NULL, &t, &err))
		fail_msg("check_trend: %s", err.msg);
	assert_int_equal(t.months[0].rules[0].met, 1);
	assert_int_equal(t.months[0].rules[0].breached, 1);
	assert_int_equal(t.months[0].rules[0].pending, 1);
	assert_int_equal(t.months[1].rules[0].pending, 1);
	assert_int_equal(t.months[1].rules[0].denominator, 0);
	assert_false(t.months[1].rules[0].has_rate);
	check_trend_free(&t);
	trend_is_runs(db, "2026-08", 4, NULL, rules, wd, 1);
	/* a deadline in 2027, which the calendar lacks: the month's run fails, so does the trend */
	complaint(db, "P4", "minor", "1", "2026-12-31 10:00:00", NULL, NULL, NULL, NULL, NULL);
	assert_int_not_equal(check_run_files(db, &cp, rules, NULL, &run, &err), 0);
	p.nmonths = 4;
	assert_int_not_equal(check_trend_files(db, &p, trend_rules, NULL, &t, &err), 0);
	assert_non_null(strstr(err.msg, "2027"));
	assert_null(t.months);
	p.nmonths = 3;
	if (check_trend_files(db, &p, trend_rules, NULL, &t, &err))
		fail_msg("check_trend to November: %s", err.msg);
	check_trend_free(&t);
	/* a weekly rule */
	p.rule_ids = weekly;
	p.nrules = 2;
	assert_int_not_equal(check_trend_files(db, &p, trend_rules, NULL, &t, &err), 0);
	assert_non_null(strstr(err.msg, "WEEK is a weekly rule"));
	/* the months */
	p.rule_ids = wd;
	p.nrules = 1;
	p.nmonths = CHECK_TREND_MAX_MONTHS + 1;
	assert_int_not_equal(check_trend_files(db, &p, trend_rules, NULL, &t, &err), 0);
	p.nmonths = 0;
	assert_int_not_equal(check_trend_files(db, &p, trend_rules, NULL, &t, &err), 0);
	p.nmonths = 1;
	p.first_month = "2026-13";
	assert_int_not_equal(check_trend_files(db, &p, trend_rules, NULL, &t, &err), 0);
	assert_non_null(strstr(err.msg, "2026-13"));
	p.first_month = "2026-1";
	assert_int_not_equal(check_trend_files(db, &p, trend_rules, NULL, &t, &err), 0);
	/* 24 months across a year's end (the default rules: no working days) */
	p.first_month = "2025-11";
	p.nmonths = CHECK_TREND_MAX_MONTHS;
	trend_rules = NULL;
	p.rule_ids = minor;
	if (check_trend_files(db, &p, trend_rules, NULL, &t, &err))
		fail_msg("check_trend 24 months: %s", err.msg);
	assert_string_equal(t.months[23].month, "2027-10");
	assert_int_equal(t.months[10].rules[0].breached, 1);      /* 2026-09: P2 */
	assert_int_equal(t.months[10].rules[0].pending, 2);       /* P1, P5 */
	assert_int_equal(t.months[11].rules[0].pending, 1);       /* P3 */
	check_trend_free(&t);
	unlink(rules);
	sqlite3_close(db);
}

/* Every field of a rule's row, as results_open_run() reads the run's back. */
static void assert_same_row(const struct results_rule *run, const struct results_rule *x,
			    const char *what, struct seen *seen)
{
	if (!run) {
		if (x->rule_id[0])
			fail_msg("%s %s: the run has no row, check_rule_figures one", what, x->rule_id);
		return;
	}
	if (strcmp(run->rule_id, x->rule_id) || strcmp(run->kind, x->kind) ||
	    strcmp(run->title_zh, x->title_zh) || strcmp(run->title_en, x->title_en) ||
	    run->counted != x->counted || run->met != x->met || run->breached != x->breached ||
	    run->pending != x->pending || run->unknown != x->unknown ||
	    run->numerator != x->numerator || run->denominator != x->denominator ||
	    run->has_rate != x->has_rate || (run->has_rate && run->rate != x->rate) ||
	    run->has_target != x->has_target || run->target != x->target ||
	    run->has_target_met != x->has_target_met ||
	    (run->has_target_met && run->target_met != x->target_met))
		fail_msg("%s %s: the run has %lld/%lld/%lld %lld of %lld (unknown %lld), "
			 "check_rule_figures %s %lld/%lld/%lld %lld of %lld (unknown %lld)", what,
			 run->rule_id, run->met, run->breached, run->pending, run->numerator,
			 run->denominator, run->unknown, x->rule_id, x->met, x->breached, x->pending,
			 x->numerator, x->denominator, x->unknown);
	seen->rules++;
	seen->met += x->numerator;
	seen->breached += x->denominator - x->numerator;
	seen->pending += x->pending;
	seen->unknown += x->unknown;
}

/* check_rule_figures() over [from, to) as of as_of, then the run of the same window, compared. */
static struct seen window_is_run(sqlite3 *db, const char *from, const char *to, const char *as_of,
				 const char *site)
{
	struct check_params cp = { .from = from, .to = to, .as_of = as_of, .site = site };
	struct results_rule x[NIDS];
	struct results_run run;
	struct seen seen = { 0 };
	pm_error err = { "" };
	sqlite3_int64 run_id;
	char what[80];
	int i;

	if (check_rule_figures_files(db, &cp, RULE_IDS, NIDS, x, &err))
		fail_msg("check_rule_figures: %s", err.msg);
	if (check_run_files(db, &cp, NULL, NULL, &run_id, &err))
		fail_msg("check_run %s: %s", from, err.msg);
	if (results_open_run(db, run_id, &run, &err))
		fail_msg("results_open_run: %s", err.msg);
	snprintf(what, sizeof(what), "%.10s..%.10s as of %s", from, to, as_of ? as_of : "its end");
	for (i = 0; i < NIDS; i++)
		assert_same_row(results_rule(&run, RULE_IDS[i]), &x[i], what, &seen);
	results_close_run(&run);
	return seen;
}

/*
 * One run's window: a quarter as of its end, a quarter judged as of a time
 * inside it and one after its end (the callbacks after it count, as in the
 * run), a window not of whole months, one site; on the fixtures with some
 * records' files lacking fields (unknown).
 */
static void window_figures(void **state)
{
	static const char *const files[] = { "tickets.csv", "complaints-gbk.csv", "callbacks.csv" };
	sqlite3 *db = fresh_db();
	struct seen q, inside, after, odd, one, unknown;

	(void)state;
	import_all(db, "fixtures", files, 3);
	q = window_is_run(db, "2026-10-01 00:00:00", "2027-01-01 00:00:00", NULL, NULL);
	inside = window_is_run(db, "2026-10-01 00:00:00", "2027-01-01 00:00:00",
			       "2026-11-10 12:00:00", NULL);
	after = window_is_run(db, "2026-07-01 00:00:00", "2026-10-01 00:00:00",
			      "2026-10-20 00:00:00", NULL);
	odd = window_is_run(db, "2026-09-10 08:00:00", "2026-10-20 17:30:00", NULL, NULL);
	one = window_is_run(db, "2026-07-01 00:00:00", "2026-10-01 00:00:00",
			    "2026-10-20 00:00:00", "翠湖花园");
	sql_exec(db, "UPDATE tickets SET fields = fields & ~((1 << 5) | (1 << 6)) WHERE rowid % 3 = 0",
		 0);
	unknown = window_is_run(db, "2026-10-01 00:00:00", "2027-01-01 00:00:00", NULL, NULL);
	assert_true(q.met > 0 && q.breached > 0);
	assert_true(inside.met > 0 && inside.met < q.met && inside.pending > 0);
	assert_true(after.met > 0 && odd.met > 0 && one.met > 0 && one.met < after.met);
	assert_true(unknown.unknown > 0);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window_figures),
		cmocka_unit_test(month_end_cut),
		cmocka_unit_test(read_only),
		cmocka_unit_test(workdays_and_refusals),
		cmocka_unit_test(fixtures),
		cmocka_unit_test(as_of_inside),
		cmocka_unit_test(unknown_records),
		cmocka_unit_test(generated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
