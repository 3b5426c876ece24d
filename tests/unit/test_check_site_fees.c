/*
 * check_fees_by_site(): every site's fee figures from one pass must be the
 * figures check_run() stores for that site alone (the report's per-site fee
 * table relies on it).
 */
#include "tests/unit/check_helpers.h"

static void site_fee(sqlite3 *db, const char *id, const char *site, const char *room,
		     const char *period, const char *kind, const char *amount, const char *at)
{
	sql_exec(db, "INSERT INTO fees(entry_id, site, room, fee_item, period, kind, amount, at)"
		 " VALUES(?1, ?2, ?3, '物业管理费', ?4, ?5, ?6, ?7)",
		 7, id, site, room, period, kind, amount, at);
}

/* A figure as stored: 1 and the value, or 0 for NULL / missing. */
static int stored(sqlite3 *db, sqlite3_int64 run, const char *key, double *v)
{
	sqlite3_stmt *st;
	int has = 0;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(int_value, real_value) FROM check_figures"
			       " WHERE run_id = ?1 AND key = ?2", -1, &st, NULL))
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*v = sqlite3_column_double(st, 0);
		has = 1;
	}
	sqlite3_finalize(st);
	return has;
}

static void assert_same_as_run(sqlite3 *db, const struct check_site_fees *x, sqlite3_int64 run)
{
	double v = 0;

	assert_true(stored(db, run, "fees.due_cents", &v) && v == (double)x->due_cents);
	assert_true(stored(db, run, "fees.paid_cents", &v) && v == (double)x->paid_cents);
	assert_true(stored(db, run, "fees.arrears_start_cents", &v) &&
		    v == (double)x->arrears_start_cents);
	assert_true(stored(db, run, "fees.recovered_cents", &v) && v == (double)x->recovered_cents);
	assert_int_equal(stored(db, run, "fees.current_rate", &v), x->has_current_rate);
	if (x->has_current_rate)
		assert_true(v == x->current_rate);
	assert_int_equal(stored(db, run, "fees.recovery_rate", &v), x->has_recovery_rate);
	if (x->has_recovery_rate)
		assert_true(v == x->recovery_rate);
}

/* Four sites' ledgers: what each figure sees and does not. */
static void four_sites(sqlite3 *db)
{
	/* A: October charge, waiver, part payment, a payment after the as-of time. */
	site_fee(db, "A1", "A", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00");
	site_fee(db, "A2", "A", "101", "2026-10", "waiver", "1000", "2026-10-05 10:00:00");
	site_fee(db, "A3", "A", "101", "2026-10", "payment", "3000", "2026-10-10 10:00:00");
	site_fee(db, "A4", "A", "101", "2026-10", "payment", "6000", "2026-10-28 10:00:00");
	/* A: September arrears, part recovered in October; an overpaid August. */
	site_fee(db, "A5", "A", "102", "2026-09", "charge", "8000", "2026-09-01 00:00:00");
	site_fee(db, "A6", "A", "102", "2026-09", "payment", "2500", "2026-10-03 09:00:00");
	site_fee(db, "A7", "A", "103", "2026-08", "charge", "5000", "2026-08-01 00:00:00");
	site_fee(db, "A8", "A", "103", "2026-08", "payment", "7000", "2026-08-20 00:00:00");
	/* B: arrears only, nothing recovered; no October charge (null current rate). */
	site_fee(db, "B1", "B", "201", "2026-07", "charge", "4000", "2026-07-01 00:00:00");
	/* C: everything settled before October: no figure sees it. */
	site_fee(db, "C1", "C", "301", "2026-06", "charge", "3000", "2026-06-01 00:00:00");
	site_fee(db, "C2", "C", "301", "2026-06", "payment", "3000", "2026-06-09 00:00:00");
	/* D: a November charge already made, and an October one fully paid. */
	site_fee(db, "D1", "D", "401", "2026-11", "charge", "9000", "2026-10-20 00:00:00");
	site_fee(db, "D2", "D", "402", "2026-10", "charge", "2000", "2026-10-01 00:00:00");
	site_fee(db, "D3", "D", "402", "2026-10", "payment", "2000", "2026-10-02 00:00:00");
}

static void each_site_as_its_own_run(void **state)
{
	static const char *const all[] = { "A", "B", "C", "D" };
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO, .as_of = "2026-10-25 00:00:00" };
	struct check_site_fees *sites = NULL;
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	int n = 0, i, k;

	(void)state;
	four_sites(db);
	if (check_fees_by_site(db, &p, &sites, &n, &err))
		fail_msg("check_fees_by_site: %s", err.msg);
	assert_int_equal(n, 3);
	assert_string_equal(sites[0].site, "A");
	assert_int_equal(sites[0].due_cents, 9000);
	assert_int_equal(sites[0].paid_cents, 3000);
	assert_int_equal(sites[0].arrears_start_cents, 8000);
	assert_int_equal(sites[0].recovered_cents, 2500);
	assert_string_equal(sites[1].site, "B");
	assert_int_equal(sites[1].has_current_rate, 0);
	assert_string_equal(sites[2].site, "D");
	for (i = 0, k = 0; i < 4; i++) {
		static const struct check_site_fees none;
		const struct check_site_fees *x = &none;
		sqlite3_int64 run = run_check_full(db, OCT_FROM, OCT_TO, "2026-10-25 00:00:00",
						   all[i], NULL, NULL);

		if (k < n && !strcmp(sites[k].site, all[i]))
			x = &sites[k++];
		assert_same_as_run(db, x, run);
	}
	/* The run of all sites still sums them. */
	assert_int_equal(figure_int(db, run_check_full(db, OCT_FROM, OCT_TO, "2026-10-25 00:00:00",
						       NULL, NULL, NULL), "fees.due_cents"),
			 sites[0].due_cents + sites[1].due_cents + sites[2].due_cents);
	check_site_fees_free(sites, n);
	sqlite3_close(db);
}

/*
 * check_params.site_fees: a run of every site hands over what
 * check_fees_by_site() gives -- also with the default rules' letter rule,
 * whose reminder alone gives a site no entry -- and a run of one site
 * cannot ask.
 */
static void the_run_hands_over_the_same(void **state)
{
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO, .as_of = "2026-10-25 00:00:00" };
	struct check_site_fees *want = NULL, *got = NULL;
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	sqlite3_int64 run = 0;
	int nwant = 0, ngot = -1;

	(void)state;
	four_sites(db);
	/* E: owing since May, a phone reminder in June, settled in July: only the reminder */
	site_fee(db, "E1", "E", "501", "2026-05", "charge", "6000", "2026-05-01 00:00:00");
	sql_exec(db, "INSERT INTO fees(entry_id, site, room, fee_item, period, kind, amount, at,"
		 " method) VALUES('E2', 'E', '501', '物业管理费', '2026-05', 'reminder', NULL,"
		 " '2026-06-20 10:00:00', '电话')", 0);
	site_fee(db, "E3", "E", "501", "2026-05", "payment", "6000", "2026-07-01 00:00:00");
	if (check_fees_by_site(db, &p, &want, &nwant, &err))
		fail_msg("check_fees_by_site: %s", err.msg);
	p.site_fees = &got;
	p.nsite_fees = &ngot;
	if (check_run_files(db, &p, NULL, NULL, &run, &err))
		fail_msg("check_run: %s", err.msg);
	assert_true(run > 0);
	assert_int_equal(nwant, 3);
	assert_same_sites(got, ngot, want, nwant);
	check_site_fees_free(got, ngot);
	got = NULL;
	p.site = "A";
	assert_int_equal(check_run_files(db, &p, NULL, NULL, &run, &err), -1);
	assert_null(got);
	check_site_fees_free(want, nwant);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_site_as_its_own_run),
		cmocka_unit_test(the_run_hands_over_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
