/*
 * Figures-only check runs (check_params.figures_only): on a generated data
 * set and on the fixtures, for a month, a year, one site and an as-of cut,
 * a figures-only run stores no check_records row and exactly the
 * check_rule_results, check_weeks, check_site_results, check_figures and
 * JSON summary of a full run (assert_same_figures). The figures that used
 * to be read back from the stored records (findings.missing_start,
 * F-LETTER's per-site counts, its not_evaluated and letters_due) are also
 * checked against the full run's records with the SQL that computed them.
 */
#include <time.h>
#include "check_helpers.h"
#include "etl/import.h"

/* ---- a generated data set: three sites, a year and a half of all four logs ---- */

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* 'YYYY-MM-DD HH:MM:SS' of seconds since 1970 (UTC: the texts are China time already). */
static const char *ts(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%d %H:%M:%S", &tm);
	return out;
}

static time_t epoch(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };

	return timegm(&tm);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	return st;
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("step: %s", sqlite3_errmsg(db));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static const char *const SITES[3] = { "甲苑", "乙园", "丙湾" };
static const char *const CATEGORIES[4] = { "安全设施", "渗漏水", "水电", "门窗" };
static const char *const LEVELS[3] = { "major", "important", "minor" };
static const char *const ROLES[3] = { "客服", "主管", "经理" };

#define GEN_TICKETS 1500
#define GEN_COMPLAINTS 300

/* A callback on ref at a random time after `after`; sometimes none. */
static void gen_callback(sqlite3 *db, sqlite3_stmt *cb, int *ncb, const char *site,
			 const char *kind, const char *ref, time_t after)
{
	char id[32], at[24];

	if (rnd(10) < 2)
		return;
	snprintf(id, sizeof(id), "CB%06d", (*ncb)++);
	sqlite3_bind_text(cb, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(cb, 2, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(cb, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(cb, 4, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(cb, 5, ts(after + 3600 + rnd(4 * 86400), at), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(cb, 6, ROLES[rnd(3)], -1, SQLITE_STATIC);
	sqlite3_bind_int(cb, 7, rnd(10) == 0);
	step(db, cb);
}

static void gen_tickets(sqlite3 *db, sqlite3_stmt *cb, int *ncb)
{
	sqlite3_stmt *st = prep(db, "INSERT INTO tickets(ticket_id, site, room, category, urgent, paid,"
				" charge, reported_at, arrived_at, completed_at, leak_test_at)"
				" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	time_t base = epoch(2025, 10, 1), span = epoch(2026, 12, 20) - base;
	char id[32], room[16], rep[24], arr[24], done[24], leak[24];
	int i;

	for (i = 0; i < GEN_TICKETS; i++) {
		int site = rnd(3), cat = rnd(4), urgent = rnd(5) == 0, paid = rnd(4) == 0;
		time_t reported = base + rnd((unsigned)span), completed = reported + 1800 + rnd(3 * 86400);

		snprintf(id, sizeof(id), "T%05d", i);
		/* few rooms: repeated problems (R-REPEAT) */
		snprintf(room, sizeof(room), "%d-%d", 1 + rnd(3), 101 + rnd(8));
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, SITES[site], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, room, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, CATEGORIES[cat], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, urgent);
		sqlite3_bind_int(st, 6, paid);
		if (paid)
			sqlite3_bind_int(st, 7, 5000 + rnd(40000));
		sqlite3_bind_text(st, 8, ts(reported, rep), -1, SQLITE_TRANSIENT);
		if (urgent && rnd(4))
			bind_opt(st, 9, ts(reported + 300 + rnd(1200), arr));
		/* one in eight never completed: a callback on it is Q-MISSING-START */
		if (rnd(8))
			bind_opt(st, 10, ts(completed, done));
		if (cat == 1 && rnd(2))
			bind_opt(st, 11, ts(completed + rnd(86400), leak));
		step(db, st);
		gen_callback(db, cb, ncb, SITES[site], "ticket", id, completed);
	}
	sqlite3_finalize(st);
}

static void gen_complaints(sqlite3 *db, sqlite3_stmt *cb, int *ncb)
{
	sqlite3_stmt *st = prep(db, "INSERT INTO complaints(complaint_id, site, room, level, category,"
				" valid, received_at, responded_at, escalated_at, replied_at, resolved_at,"
				" requested_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	time_t base = epoch(2025, 10, 1), span = epoch(2026, 12, 20) - base;
	char id[32], room[16], t[6][24];
	int i;

	for (i = 0; i < GEN_COMPLAINTS; i++) {
		int site = rnd(3);
		time_t received = base + rnd((unsigned)span), resolved = received + rnd(20 * 86400);

		snprintf(id, sizeof(id), "C%05d", i);
		snprintf(room, sizeof(room), "%d-%d", 1 + rnd(3), 101 + rnd(8));
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, SITES[site], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, room, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, LEVELS[rnd(3)], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, rnd(2) ? "噪音" : "卫生", -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, rnd(10) != 0);
		sqlite3_bind_text(st, 7, ts(received, t[0]), -1, SQLITE_TRANSIENT);
		if (rnd(6))
			bind_opt(st, 8, ts(received + rnd(4 * 3600), t[1]));
		if (rnd(3) == 0)
			bind_opt(st, 9, ts(received + rnd(2 * 86400), t[2]));
		if (rnd(2))
			bind_opt(st, 10, ts(received + rnd(5 * 86400), t[3]));
		if (rnd(7))
			bind_opt(st, 11, ts(resolved, t[4]));
		if (rnd(4) == 0)
			bind_opt(st, 12, ts(received + rnd(10 * 86400), t[5]));
		step(db, st);
		gen_callback(db, cb, ncb, SITES[site], "complaint", id, resolved);
	}
	sqlite3_finalize(st);
}

static void fee_event(sqlite3 *db, sqlite3_stmt *st, int *n, const char *site, const char *room,
		      const char *period, const char *kind, long long amount, time_t at,
		      const char *due, const char *method)
{
	char id[32], when[24];

	snprintf(id, sizeof(id), "F%07d", (*n)++);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, room, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, period, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
	if (amount >= 0)
		sqlite3_bind_int64(st, 6, amount);
	sqlite3_bind_text(st, 7, ts(at, when), -1, SQLITE_TRANSIENT);
	bind_opt(st, 8, due);
	bind_opt(st, 9, method);
	step(db, st);
}

/*
 * Monthly charges from 2025-07 for 3 x 16 accounts; most paid, some late,
 * some never; debtors get a phone or SMS reminder, some a letter in time,
 * some late, some none -- F-AGING, and F-LETTER met, breached, pending and
 * not evaluated across the windows.
 */
static void gen_fees(sqlite3 *db)
{
	sqlite3_stmt *st = prep(db, "INSERT INTO fees(entry_id, site, room, fee_item, period, kind,"
				" amount, at, due_date, method) VALUES(?1, ?2, ?3, '物业管理费', ?4, ?5, ?6,"
				" ?7, ?8, ?9)");
	int n = 0, site, r, k;

	for (site = 0; site < 3; site++)
		for (r = 0; r < 16; r++) {
			char room[16];
			int debtor = rnd(3) == 0;
			time_t reminded = 0;

			snprintf(room, sizeof(room), "%d-%d", 1 + r / 8, 101 + r % 8);
			for (k = 0; k < 18; k++) {
				int y = 2025 + (6 + k) / 12, m = (6 + k) % 12 + 1;
				char period[8], due[16];
				time_t first = epoch(y, m, 1), due_t = epoch(y, m + 1, 1) - 86400;
				struct tm tm;

				snprintf(period, sizeof(period), "%04d-%02d", y, m);
				gmtime_r(&due_t, &tm);
				strftime(due, sizeof(due), "%Y-%m-%d", &tm);
				fee_event(db, st, &n, SITES[site], room, period, "charge", 30000, first, due, NULL);
				if (rnd(10) == 0)
					fee_event(db, st, &n, SITES[site], room, period, "waiver", 5000, first + 86400,
						  NULL, NULL);
				if (!debtor || rnd(4) == 0)
					fee_event(db, st, &n, SITES[site], room, period, "payment", 30000,
						  first + rnd(60 * 86400), NULL, rnd(2) ? "微信" : "现金");
				else if (!reminded) {
					reminded = due_t + rnd(200 * 86400);
					fee_event(db, st, &n, SITES[site], room, period, "reminder", -1, reminded,
						  NULL, rnd(2) ? "电话" : "短信");
					/* a letter about 3 months later: early, in the grace week, late, or never */
					if (rnd(4))
						fee_event(db, st, &n, SITES[site], room, period, "reminder", -1,
							  reminded + (80 + rnd(30)) * 86400, NULL, "函件");
				}
			}
		}
	/*
	 * Two debtors reminded by phone on 5 July (L = 5 October 10:00, L + 7d =
	 * 12 October): letters due as of 10 October, listed by record id
	 * ("乙园/9-9-1/..." before "乙园/9-9/...": '-' sorts before '/'), not in
	 * the ledger's order by site, room, fee item.
	 */
	for (r = 0; r < 2; r++) {
		const char *room = r ? "9-9-1" : "9-9";

		site = 1;
		fee_event(db, st, &n, SITES[site], room, "2026-05", "charge", 30000, epoch(2026, 5, 1),
			  "2026-05-31", NULL);
		fee_event(db, st, &n, SITES[site], room, "2026-05", "reminder", -1,
			  epoch(2026, 7, 5) + 36000, NULL, "电话");
	}
	sqlite3_finalize(st);
}

static sqlite3 *generated_db(void)
{
	sqlite3 *db = fresh_db();
	sqlite3_stmt *cb;
	int ncb = 0, i;

	rng_state = 20261126;
	sql_exec(db, "BEGIN", 0);
	cb = prep(db, "INSERT INTO callbacks(callback_id, site, ref_kind, ref_id, callback_at, role,"
		  " problem_found) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	gen_tickets(db, cb, &ncb);
	gen_complaints(db, cb, &ncb);
	/* orphans: callbacks on records that do not exist */
	for (i = 0; i < 20; i++) {
		char ref[16];

		snprintf(ref, sizeof(ref), "X%03d", i);
		gen_callback(db, cb, &ncb, SITES[i % 3], "ticket", ref, epoch(2026, 1 + i % 12, 5));
	}
	sqlite3_finalize(cb);
	gen_fees(db);
	sql_exec(db, "COMMIT", 0);
	return db;
}

/* ---- the comparisons ---- */

struct window {
	const char *from, *to, *as_of, *site;
};

static sqlite3_int64 run(sqlite3 *db, const struct window *w, int figures_only)
{
	struct check_params p = { .from = w->from, .to = w->to, .as_of = w->as_of, .site = w->site,
				  .figures_only = figures_only };
	pm_error err = { "" };
	sqlite3_int64 id = 0;

	if (check_run_files(db, &p, NULL, NULL, &id, &err))
		fail_msg("check_run: %s", err.msg);
	return id;
}

static long long count_run(sqlite3 *db, const char *sql, sqlite3_int64 run)
{
	return count_of_runs(db, sql, run, run);
}

/*
 * The figures that were read back from check_records, against the SQL
 * over the full run's records that computed them before.
 */
static void assert_counts_match_records(sqlite3 *db, sqlite3_int64 full)
{
	const char *json = summary_of(db, full);
	char *expected;
	long long n;

	/* findings.missing_start */
	assert_int_equal(figure_int(db, full, "findings.missing_start"),
			 count_run(db, "SELECT count(DISTINCT record_kind || ' ' || record_id) FROM check_records"
				   " WHERE run_id = ?1 AND rule_id = 'Q-MISSING-START' AND ?2 = ?2", full));
	/* F-LETTER's check_site_results: its records grouped by site, both ways */
	assert_int_equal(count_run(db, "SELECT count(*) FROM (SELECT site, met, breached, pending FROM"
				   " check_site_results WHERE run_id = ?1 AND rule_id = 'F-LETTER' EXCEPT"
				   " SELECT coalesce(site, ''), sum(status = 'met'), sum(status = 'breached'),"
				   " sum(status = 'pending') FROM check_records WHERE run_id = ?2"
				   " AND rule_id = 'F-LETTER' GROUP BY 1)", full), 0);
	assert_int_equal(count_run(db, "SELECT count(*) FROM check_site_results WHERE run_id = ?1"
				   " AND rule_id = 'F-LETTER' AND ?2 = ?2", full),
			 count_run(db, "SELECT count(DISTINCT coalesce(site, '')) FROM check_records"
				   " WHERE run_id = ?1 AND rule_id = 'F-LETTER' AND ?2 = ?2", full));
	/* not_evaluated and letters_due, as the summary wrote them from the records */
	n = count_run(db, "SELECT count(*) FROM check_records WHERE run_id = ?1 AND ?2 = ?2"
		      " AND rule_id = 'F-LETTER' AND status = 'not_evaluated'", full);
	expected = sqlite3_mprintf("\"not_evaluated\": %lld, \"letters_due\": [", n);
	assert_non_null(strstr(json, expected));
	sqlite3_free(expected);
	expected = query_text(db, "SELECT '\"letters_due\": [' || coalesce(group_concat('{\"account\": '"
			      " || json_quote(record_id) || ', \"by\": ' || json_quote(deadline_at) || '}',"
			      " ', '), '') || ']' FROM (SELECT record_id, deadline_at FROM check_records"
			      " WHERE run_id = ?1 AND rule_id = 'F-LETTER' AND status = 'pending'"
			      " ORDER BY record_id)", full, NULL, NULL);
	assert_non_null(expected);
	assert_non_null(strstr(json, expected));
}

/* A full and a figures-only run of the window: the same figures; returns the full run. */
static sqlite3_int64 compare_window(sqlite3 *db, const struct window *w)
{
	sqlite3_int64 full = run(db, w, 0), figs = run(db, w, 1);

	assert_same_figures(db, full, figs);
	assert_counts_match_records(db, full);
	/* the full run stored its records */
	assert_true(count_run(db, "SELECT count(*) FROM check_records WHERE run_id = ?1 AND ?2 = ?2",
			      full) > 0);
	return full;
}

static const struct window OCTOBER = { OCT_FROM, OCT_TO, NULL, NULL };
static const struct window YEAR = { "2026-01-01 00:00:00", "2027-01-01 00:00:00", NULL, NULL };

/* How many records of the rule the run stored with the status (NULL: any). */
static long long stored(sqlite3 *db, sqlite3_int64 run, const char *rule, const char *status)
{
	return count_rows(db, run, rule, status);
}

static void generated_data(void **state)
{
	static const struct window site = { OCT_FROM, OCT_TO, NULL, "乙园" };
	static const struct window cut = { "2026-03-01 00:00:00", "2026-04-01 00:00:00",
					   "2026-04-10 00:00:00", NULL };
	static const struct window letters = { OCT_FROM, OCT_TO, "2026-10-10 00:00:00", NULL };
	sqlite3 *db = generated_db();
	sqlite3_int64 oct, year, due;

	(void)state;
	oct = compare_window(db, &OCTOBER);
	year = compare_window(db, &YEAR);
	compare_window(db, &site);
	compare_window(db, &cut);
	due = compare_window(db, &letters);
	/* the comparisons were not vacuous: every kind of row the figures came from */
	assert_true(stored(db, year, "Q-MISSING-START", NULL) > 0);
	assert_true(figure_int(db, year, "findings.missing_start") > 0);
	assert_true(figure_int(db, oct, "findings.missing_start") > 0);
	assert_true(stored(db, year, "R-REPEAT", NULL) > 0);
	assert_true(stored(db, oct, "F-AGING", NULL) > 0);
	/* which a figures-only run's fee pass sums without keeping its rows */
	assert_true(figure_int(db, oct, "fees.aging.1-30") > 0 &&
		    figure_int(db, oct, "fees.aging.365+") + figure_int(db, oct, "fees.aging.181-365") +
		    figure_int(db, oct, "fees.aging.91-180") + figure_int(db, oct, "fees.aging.31-90") > 0);
	assert_true(stored(db, year, "F-LETTER", "met") > 0);
	assert_true(stored(db, year, "F-LETTER", "breached") > 0);
	assert_true(stored(db, year, "F-LETTER", "not_evaluated") > 0);
	assert_true(stored(db, due, "F-LETTER", "pending") >= 2);
	assert_non_null(strstr(summary_of(db, due), "{\"account\": \"乙园/9-9-1/物业管理费\", \"by\":"
			       " \"2026-10-12 10:00:00\"}, {\"account\": \"乙园/9-9/物业管理费\""));
	assert_true(stored(db, oct, "T-CB-OTHER", "breached") > 0);
	assert_true(figure_int(db, oct, "findings.orphan_callbacks") + figure_int(db, year,
		    "findings.orphan_callbacks") > 0);
	sqlite3_close(db);
}

static void fixtures(void **state)
{
	static const char *const files[] = { "fixtures/tickets.csv", "fixtures/complaints-gbk.csv",
					     "fixtures/callbacks.csv", "fixtures/fees.csv" };
	static const struct window site = { OCT_FROM, OCT_TO, NULL, "金桂苑" };
	static const struct window cut = { "2026-09-01 00:00:00", "2026-10-01 00:00:00",
					   "2026-10-10 12:00:00", NULL };
	sqlite3 *db = fresh_db();
	struct pm_import_options opt = { .kind = -1 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct pm_import_result res;
		pm_error err = { "" };

		if (import_file(db, files[i], &opt, &res, &err))
			fail_msg("import %s: %s", files[i], err.msg);
	}
	compare_window(db, &OCTOBER);
	compare_window(db, &YEAR);
	compare_window(db, &site);
	compare_window(db, &cut);
	sqlite3_close(db);
}

/* A figures-only run stores no records; with keep_met it is refused. */
static void keep_met_excluded(void **state)
{
	sqlite3 *db = fresh_db();
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO, .keep_met = 1, .figures_only = 1 };
	pm_error err = { "" };
	sqlite3_int64 id = 0;

	(void)state;
	assert_int_equal(check_run_files(db, &p, NULL, NULL, &id, &err), -1);
	assert_non_null(strstr(err.msg, "keep_met"));
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated_data),
		cmocka_unit_test(fixtures),
		cmocka_unit_test(keep_met_excluded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
