/*
 * Scratch runs (rules/engine/check.h): a run made on a read-only connection, into
 * its TEMP tables, then copied to the database by the writing connection,
 * stores exactly what check_run() on the writing connection stores -- the
 * rule results, weeks, per-site counts, figures, records, the run's row and
 * its JSON summary -- for full and figures-only runs of a month, a year, one
 * site and an as-of cut on the fixtures, with the writer holding its
 * transaction open throughout as a report does; a stale fee ledger is read
 * around; without check_scratch_open() the run fails with a message.
 */
#include "check_helpers.h"
#include "etl/import.h"

static char db_path[64];

/* The fixtures imported into a database file (a read-only connection needs one). */
static sqlite3 *fixtures_db(void)
{
	static const char *const files[] = { "fixtures/tickets.csv", "fixtures/complaints-gbk.csv",
					     "fixtures/callbacks.csv", "fixtures/fees.csv" };
	struct pm_import_options opt = { .kind = -1 };
	pm_error err = { "" };
	sqlite3 *db = NULL;
	size_t i;
	int fd;

	snprintf(db_path, sizeof(db_path), "/tmp/pmaudit-scratch-XXXXXX");
	fd = mkstemp(db_path);
	assert_true(fd >= 0);
	close(fd);
	if (db_open(db_path, 1000, &db, &err))
		fail_msg("db_open: %s", err.msg);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct pm_import_result res;

		if (import_file(db, files[i], &opt, &res, &err))
			fail_msg("import %s: %s", files[i], err.msg);
	}
	return db;
}

static void close_db(sqlite3 *db)
{
	sqlite3_close(db);
	unlink(db_path);
}

static sqlite3 *scratch_connection(void)
{
	pm_error err = { "" };
	sqlite3 *ro = NULL;

	if (db_open_readonly(db_path, &ro, &err))
		fail_msg("db_open_readonly: %s", err.msg);
	if (check_scratch_open(ro, &err))
		fail_msg("check_scratch_open: %s", err.msg);
	return ro;
}

/* Every row of the two runs the same, in every table. */
static void assert_identical_runs(sqlite3 *db, sqlite3_int64 a, sqlite3_int64 b)
{
	assert_same_result_tables(db, a, b);
	assert_int_equal(rows_differing(db, RECORD_COLS, "check_records", a, b), 0);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_runs x JOIN check_runs y"
				       " ON x.run_id = ?1 AND y.run_id = ?2 WHERE x.from_ts IS y.from_ts"
				       " AND x.to_ts IS y.to_ts AND x.as_of IS y.as_of AND x.site IS y.site"
				       " AND x.rules_file IS y.rules_file AND x.rules_sha256 IS y.rules_sha256"
				       " AND x.summary_json IS y.summary_json AND x.summary_json IS NOT NULL",
				       a, b), 1);
}

struct window {
	const char *from, *to, *as_of, *site;
};

/*
 * The window's run made both ways inside one write transaction of db, the
 * scratch run first (it reads what the transaction started from); returns
 * the copied run after comparing it with the direct one.
 */
static sqlite3_int64 compare_window(sqlite3 *db, const struct window *w, int figures_only)
{
	struct check_params p = { .from = w->from, .to = w->to, .as_of = w->as_of, .site = w->site,
				  .figures_only = figures_only };
	sqlite3_int64 scratch = 0, copied = 0, direct = 0;
	pm_error err = { "" };
	sqlite3 *ro = scratch_connection();

	sql_exec(db, "PRAGMA temp_store = MEMORY", 0);
	sql_exec(db, "PRAGMA cache_spill = OFF", 0);
	sql_exec(db, "BEGIN IMMEDIATE", 0);
	if (check_run_files(ro, &p, NULL, NULL, &scratch, &err))
		fail_msg("scratch check_run: %s", err.msg);
	if (check_run_copy(ro, scratch, db, &copied, &err))
		fail_msg("check_run_copy: %s", err.msg);
	sqlite3_close(ro);
	if (check_run_files(db, &p, NULL, NULL, &direct, &err))
		fail_msg("check_run: %s", err.msg);
	sql_exec(db, "COMMIT", 0);
	assert_true(copied > 0 && direct == copied + 1);
	assert_identical_runs(db, direct, copied);
	return copied;
}

static const struct window MONTH = { OCT_FROM, OCT_TO, NULL, NULL };
static const struct window YEAR = { "2026-01-01 00:00:00", "2027-01-01 00:00:00", NULL, NULL };
static const struct window SITE = { OCT_FROM, OCT_TO, NULL, "金桂苑" };
static const struct window CUT = { "2026-09-01 00:00:00", "2026-10-01 00:00:00",
				   "2026-10-10 12:00:00", NULL };

static void same_as_direct_runs(void **state)
{
	const struct window *windows[] = { &MONTH, &YEAR, &SITE, &CUT };
	sqlite3 *db = fixtures_db();
	sqlite3_int64 full;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		compare_window(db, windows[i], 1);
		full = compare_window(db, windows[i], 0);
		/* not vacuous: the copy brought records and figures */
		if (windows[i] == &MONTH) {
			assert_true(count_of_runs(db, "SELECT count(*) FROM check_records WHERE run_id = ?1"
						  " AND ?2 = ?2", full, full) > 0);
			assert_true(figure_int(db, full, "fees.due_cents") > 0);
		}
	}
	/* the scratch tables stayed in their connections: nothing but copies in the file */
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_runs WHERE ?1 = ?2", 0, 0), 16);
	close_db(db);
}

/* A fee changed by hand makes the ledger stale: the scratch run reads fees instead. */
static void stale_ledger_is_read_around(void **state)
{
	sqlite3 *db = fixtures_db();

	(void)state;
	sql_exec(db, "UPDATE fees SET amount = amount + 100 WHERE rowid = (SELECT min(rowid) FROM fees"
		 " WHERE kind = 'payment')", 0);
	assert_int_equal(count_of_runs(db, "SELECT stale FROM fee_ledger_state WHERE ?1 = ?2", 0, 0), 1);
	compare_window(db, &MONTH, 1);
	compare_window(db, &YEAR, 0);
	close_db(db);
}

/* Without its TEMP tables a run on a read-only connection cannot store: an error, no crash. */
static void without_scratch_tables_fails(void **state)
{
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO, .figures_only = 1 };
	sqlite3 *db = fixtures_db(), *ro = NULL;
	pm_error err = { "" };
	sqlite3_int64 run = 0;

	(void)state;
	if (db_open_readonly(db_path, &ro, &err))
		fail_msg("db_open_readonly: %s", err.msg);
	assert_int_equal(check_run_files(ro, &p, NULL, NULL, &run, &err), -1);
	assert_non_null(strstr(err.msg, "readonly"));
	sqlite3_close(ro);
	assert_int_equal(count_of_runs(db, "SELECT count(*) FROM check_runs WHERE ?1 = ?2", 0, 0), 0);
	close_db(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_direct_runs),
		cmocka_unit_test(stale_ledger_is_read_around),
		cmocka_unit_test(without_scratch_tables_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
