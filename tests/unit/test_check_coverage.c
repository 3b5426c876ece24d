/* Coverage rules: T-CB-COVERAGE, C-CB-COVERAGE, T-PAID-CB-WEEKLY, T-PAID-SUPERVISOR. */
#include "tests/unit/check_helpers.h"

static void ticket_coverage(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	/* called back (late for T-CB-OTHER, but coverage only asks for a callback) */
	repair(db, "T1", "电梯", "2026-10-04 08:00:00", "2026-10-05 08:00:00");
	callback(db, "C1", "ticket", "T1", "2026-10-20 08:00:00", NULL, NULL);
	/* the only callback is before completion */
	repair(db, "T2", "电梯", "2026-10-04 08:00:00", "2026-10-06 08:00:00");
	callback(db, "C2", "ticket", "T2", "2026-10-05 08:00:00", NULL, NULL);
	/* callback after the as-of time */
	repair(db, "T3", "电梯", "2026-10-04 08:00:00", "2026-10-07 08:00:00");
	callback(db, "C3", "ticket", "T3", "2026-11-02 08:00:00", NULL, NULL);
	/* completed before the window; still open */
	repair(db, "T4", "电梯", "2026-09-04 08:00:00", "2026-09-30 08:00:00");
	repair(db, "T5", "电梯", "2026-10-04 08:00:00", NULL);
	/* complaints: resolved in the window, valid only */
	complaint(db, "P1", "minor", "1", "2026-10-01 08:00:00", NULL, NULL, NULL, "2026-10-02 08:00:00", NULL);
	callback(db, "C4", "complaint", "P1", "2026-10-02 08:00:00", NULL, NULL);
	complaint(db, "P2", "minor", "1", "2026-10-01 08:00:00", NULL, NULL, NULL, "2026-10-02 08:00:00", NULL);
	complaint(db, "P3", "minor", "0", "2026-10-01 08:00:00", NULL, NULL, NULL, "2026-10-02 08:00:00", NULL);
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "T-CB-COVERAGE", "T1"), "met");
	assert_string_equal(status_of(db, run, "T-CB-COVERAGE", "T2"), "breached");
	assert_string_equal(status_of(db, run, "T-CB-COVERAGE", "T3"), "breached");
	assert_null(status_of(db, run, "T-CB-COVERAGE", "T4"));
	assert_null(status_of(db, run, "T-CB-COVERAGE", "T5"));
	assert_string_equal(result_of(db, run, "T-CB-COVERAGE", "numerator"), "1");
	assert_string_equal(result_of(db, run, "T-CB-COVERAGE", "denominator"), "3");
	assert_string_equal(result_of(db, run, "T-CB-COVERAGE", "met"), "");
	assert_string_equal(status_of(db, run, "C-CB-COVERAGE", "P1"), "met");
	assert_string_equal(status_of(db, run, "C-CB-COVERAGE", "P2"), "breached");
	assert_null(status_of(db, run, "C-CB-COVERAGE", "P3"));
	assert_string_equal(result_of(db, run, "C-CB-COVERAGE", "rate"), "0.5");
	assert_string_equal(result_of(db, run, "C-CB-COVERAGE", "target_met"), "0");
	sqlite3_close(db);
}

/* Paid ticket n of a week, completed at the given time, called back or not. */
static void paid(sqlite3 *db, const char *id, const char *completed, int called_back)
{
	char cb[32];

	ticket(db, id, "电梯", "0", "1", "5000", "2026-09-20 08:00:00", NULL, completed, NULL);
	if (called_back) {
		snprintf(cb, sizeof(cb), "cb-%s", id);
		callback(db, cb, "ticket", id, "2026-10-31 20:00:00", NULL, NULL);
	}
}

/*
 * October 2026 overlaps ISO weeks W40 (09-28..10-04) to W44 (10-26..11-01).
 * W40: 2 of 2 (the 09-30 ticket is outside the period); W41: 3 of 5 = 60%,
 * met at the boundary; W42: 2 of 5, not met; W43, W44: none, not judged.
 */
static void weekly_paid_callbacks(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	paid(db, "W40a", "2026-10-01 09:00:00", 1);
	paid(db, "W40b", "2026-10-04 23:59:59", 1);
	paid(db, "W40x", "2026-09-30 09:00:00", 0);
	paid(db, "W41a", "2026-10-05 00:00:00", 1);
	paid(db, "W41b", "2026-10-06 09:00:00", 1);
	paid(db, "W41c", "2026-10-07 09:00:00", 1);
	paid(db, "W41d", "2026-10-08 09:00:00", 0);
	paid(db, "W41e", "2026-10-11 23:59:59", 0);
	paid(db, "W42a", "2026-10-12 09:00:00", 1);
	paid(db, "W42b", "2026-10-13 09:00:00", 1);
	paid(db, "W42c", "2026-10-14 09:00:00", 0);
	paid(db, "W42d", "2026-10-15 09:00:00", 0);
	paid(db, "W42e", "2026-10-18 09:00:00", 0);
	repair(db, "U44", "电梯", "2026-10-20 08:00:00", "2026-10-27 09:00:00");
	run = run_check(db, NULL);
	assert_string_equal(query_text(db, "SELECT group_concat(week || ':' || numerator || '/' ||"
				       " denominator || ':' || coalesce(met, '-'), ' ') FROM"
				       " (SELECT * FROM check_weeks WHERE run_id = ?1 ORDER BY week)",
				       run, NULL, NULL),
			    "2026-W40:2/2:1 2026-W41:3/5:1 2026-W42:2/5:0 2026-W43:0/0:- 2026-W44:0/0:-");
	assert_string_equal(result_of(db, run, "T-PAID-CB-WEEKLY", "numerator"), "7");
	assert_string_equal(result_of(db, run, "T-PAID-CB-WEEKLY", "denominator"), "12");
	assert_string_equal(result_of(db, run, "T-PAID-CB-WEEKLY", "target_met"), "0");
	sqlite3_close(db);
}

/* The ISO week of 2027-01-02 is 2026-W53 (2026 began on a Thursday). */
static void weekly_year_boundary(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket(db, "Y1", "电梯", "0", "1", "5000", "2026-12-30 08:00:00", NULL, "2027-01-02 09:00:00", NULL);
	run = run_check_full(db, "2026-12-28 00:00:00", "2027-01-04 00:00:00", NULL, NULL, NULL, NULL);
	assert_string_equal(column_of(db, run, "T-PAID-CB-WEEKLY", "Y1", "detail"), "2026-W53");
	assert_string_equal(query_text(db, "SELECT group_concat(week || ':' || denominator) FROM check_weeks"
				       " WHERE run_id = ?1", run, NULL, NULL), "2026-W53:1");
	sqlite3_close(db);
}

/* T-PAID-SUPERVISOR: paid, charge >= 200.00, callback by 主管/主任/经理. */
static void supervisor_callbacks(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket(db, "V1", "电梯", "0", "1", "20000", "2026-10-04 08:00:00", NULL, "2026-10-05 08:00:00", NULL);
	callback(db, "CV1", "ticket", "V1", "2026-10-06 08:00:00", "客服主管", NULL);
	ticket(db, "V2", "电梯", "0", "1", "19999", "2026-10-04 08:00:00", NULL, "2026-10-05 08:00:00", NULL);
	ticket(db, "V3", "电梯", "0", "1", "30000", "2026-10-04 08:00:00", NULL, "2026-10-05 08:00:00", NULL);
	callback(db, "CV3", "ticket", "V3", "2026-10-06 08:00:00", "客服专员", NULL);
	ticket(db, "V4", "电梯", "0", "0", "20000", "2026-10-04 08:00:00", NULL, "2026-10-05 08:00:00", NULL);
	ticket(db, "V5", "电梯", "0", "1", "25000", "2026-10-04 08:00:00", NULL, "2026-10-05 08:00:00", NULL);
	callback(db, "CV5a", "ticket", "V5", "2026-10-06 08:00:00", "维修员", NULL);
	callback(db, "CV5b", "ticket", "V5", "2026-10-07 08:00:00", "经理", NULL);
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "T-PAID-SUPERVISOR", "V1"), "met");
	assert_null(status_of(db, run, "T-PAID-SUPERVISOR", "V2"));
	assert_string_equal(status_of(db, run, "T-PAID-SUPERVISOR", "V3"), "breached");
	assert_null(status_of(db, run, "T-PAID-SUPERVISOR", "V4"));
	assert_string_equal(status_of(db, run, "T-PAID-SUPERVISOR", "V5"), "met");
	assert_string_equal(column_of(db, run, "T-PAID-SUPERVISOR", "V5", "end_at"), "2026-10-07 08:00:00");
	assert_string_equal(result_of(db, run, "T-PAID-SUPERVISOR", "numerator"), "2");
	assert_string_equal(result_of(db, run, "T-PAID-SUPERVISOR", "denominator"), "3");
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ticket_coverage),
		cmocka_unit_test(weekly_paid_callbacks),
		cmocka_unit_test(weekly_year_boundary),
		cmocka_unit_test(supervisor_callbacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
