/*
 * Deadline rules of the default rule set, record by record at the edges.
 * Every expected status below is worked out by hand from RULES.md; the
 * window is October 2026 and the as-of time its end unless a test says so.
 */
#include "tests/unit/check_helpers.h"

/* T-CB-SAFETY: first callback within 2 days (48 h) of completed_at. */
static void safety_callback_edges(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	/* exactly on the deadline: 10-10 10:00 + 48 h = 10-12 10:00:00 */
	repair(db, "S1", "安全设施", "2026-10-09 08:00:00", "2026-10-10 10:00:00");
	callback(db, "CB1", "ticket", "S1", "2026-10-12 10:00:00", NULL, NULL);
	/* one second late */
	repair(db, "S2", "安全设施", "2026-10-09 08:00:00", "2026-10-10 10:00:00");
	callback(db, "CB2", "ticket", "S2", "2026-10-12 10:00:01", NULL, NULL);
	/* callback after the as-of time, deadline 11-01 12:00 not yet past: pending */
	repair(db, "S3", "安全设施", "2026-10-30 08:00:00", "2026-10-30 12:00:00");
	callback(db, "CB3", "ticket", "S3", "2026-11-01 09:00:00", NULL, NULL);
	/* callback after the as-of time, deadline 10-22 10:00 already past: breached */
	repair(db, "S4", "安全设施", "2026-10-20 08:00:00", "2026-10-20 10:00:00");
	callback(db, "CB4", "ticket", "S4", "2026-11-05 10:00:00", NULL, NULL);
	/* completed one second before the window */
	repair(db, "S5", "安全设施", "2026-09-30 08:00:00", "2026-09-30 23:59:59");
	callback(db, "CB5", "ticket", "S5", "2026-10-01 10:00:00", NULL, NULL);
	/* never marked completed, yet called back: not evaluated, a finding */
	repair(db, "S6", "安全设施", "2026-10-03 08:00:00", NULL);
	callback(db, "CB6", "ticket", "S6", "2026-10-05 10:00:00", NULL, NULL);
	/* the only callback is before completion: ignored, so breached */
	repair(db, "S7", "安全设施", "2026-10-09 08:00:00", "2026-10-10 10:00:00");
	callback(db, "CB7", "ticket", "S7", "2026-10-10 09:00:00", NULL, NULL);
	/* two callbacks: the earliest (in time) decides, the late second one does not */
	repair(db, "S8", "安全设施", "2026-10-09 08:00:00", "2026-10-10 10:00:00");
	callback(db, "CB8b", "ticket", "S8", "2026-10-13 10:00:00", NULL, NULL);
	callback(db, "CB8a", "ticket", "S8", "2026-10-11 10:00:00", NULL, NULL);
	/* a safety ticket is not judged by the other-repairs rule */
	run = run_check(db, NULL);

	assert_string_equal(status_of(db, run, "T-CB-SAFETY", "S1"), "met");
	assert_string_equal(column_of(db, run, "T-CB-SAFETY", "S1", "deadline_at"), "2026-10-12 10:00:00");
	assert_string_equal(status_of(db, run, "T-CB-SAFETY", "S2"), "breached");
	assert_int_equal(late_of(db, run, "T-CB-SAFETY", "S2"), 1);
	assert_string_equal(status_of(db, run, "T-CB-SAFETY", "S3"), "pending");
	assert_null(column_of(db, run, "T-CB-SAFETY", "S3", "end_at"));
	assert_string_equal(status_of(db, run, "T-CB-SAFETY", "S4"), "breached");
	/* as-of 11-01 00:00 minus deadline 10-22 10:00 = 9 d 14 h */
	assert_int_equal(late_of(db, run, "T-CB-SAFETY", "S4"), 9 * 86400 + 14 * 3600);
	assert_null(status_of(db, run, "T-CB-SAFETY", "S5"));
	assert_null(status_of(db, run, "T-CB-SAFETY", "S6"));
	assert_string_equal(status_of(db, run, "Q-MISSING-START", "S6"), "finding");
	assert_string_equal(status_of(db, run, "T-CB-SAFETY", "S7"), "breached");
	assert_null(column_of(db, run, "T-CB-SAFETY", "S7", "end_at"));
	assert_string_equal(status_of(db, run, "T-CB-SAFETY", "S8"), "met");
	assert_string_equal(column_of(db, run, "T-CB-SAFETY", "S8", "end_at"), "2026-10-11 10:00:00");
	assert_null(status_of(db, run, "T-CB-OTHER", "S1"));
	/* met 2 (S1, S8), breached 3 (S2, S4, S7), pending 1 (S3) */
	assert_string_equal(result_of(db, run, "T-CB-SAFETY", "met"), "2");
	assert_string_equal(result_of(db, run, "T-CB-SAFETY", "breached"), "3");
	assert_string_equal(result_of(db, run, "T-CB-SAFETY", "pending"), "1");
	assert_string_equal(result_of(db, run, "T-CB-SAFETY", "rate"), "0.4");
	assert_string_equal(result_of(db, run, "T-CB-SAFETY", "target_met"), "0");
	assert_int_equal(figure_int(db, run, "findings.missing_start"), 1);
	sqlite3_close(db);
}

/* Moving the as-of time: a callback at the as-of instant counts, one after does not. */
static void as_of_moves_the_judgement(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	repair(db, "A1", "电梯", "2026-10-09 08:00:00", "2026-10-10 10:00:00");
	callback(db, "CA1", "ticket", "A1", "2026-10-11 10:00:00", NULL, NULL);
	run = run_check(db, "2026-10-11 10:00:00");
	assert_string_equal(status_of(db, run, "T-CB-OTHER", "A1"), "met");
	run = run_check(db, "2026-10-11 09:59:59");
	assert_string_equal(status_of(db, run, "T-CB-OTHER", "A1"), "pending");
	/* completed after the as-of time: not yet a start event */
	run = run_check(db, "2026-10-10 09:59:59");
	assert_null(status_of(db, run, "T-CB-OTHER", "A1"));
	sqlite3_close(db);
}

/* T-CB-LEAK: 3 days from leak_test_at, else from completed_at. */
static void leak_callback_edges(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket(db, "L1", "渗漏水", "0", "0", NULL, "2026-10-08 08:00:00", NULL, "2026-10-09 18:00:00", "2026-10-10 08:00:00");
	callback(db, "CL1", "ticket", "L1", "2026-10-13 08:00:00", NULL, NULL);
	repair(db, "L2", "渗漏水", "2026-10-08 08:00:00", "2026-10-10 08:00:00");
	callback(db, "CL2", "ticket", "L2", "2026-10-13 08:00:01", NULL, NULL);
	ticket(db, "L3", "渗漏水", "0", "0", NULL, "2026-10-08 08:00:00", NULL, "2026-10-09 08:00:00", "2026-10-10 08:00:00");
	callback(db, "CL3", "ticket", "L3", "2026-10-13 08:00:01", NULL, NULL);
	/* leak test before the window, completion inside: the start is the leak test */
	ticket(db, "L4", "渗漏水", "0", "0", NULL, "2026-09-28 08:00:00", NULL, "2026-10-01 09:00:00", "2026-09-30 23:00:00");
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "T-CB-LEAK", "L1"), "met");
	assert_string_equal(column_of(db, run, "T-CB-LEAK", "L1", "start_at"), "2026-10-10 08:00:00");
	assert_string_equal(status_of(db, run, "T-CB-LEAK", "L2"), "breached");
	assert_string_equal(column_of(db, run, "T-CB-LEAK", "L2", "start_at"), "2026-10-10 08:00:00");
	assert_int_equal(late_of(db, run, "T-CB-LEAK", "L2"), 1);
	assert_string_equal(status_of(db, run, "T-CB-LEAK", "L3"), "breached");
	assert_null(status_of(db, run, "T-CB-LEAK", "L4"));
	assert_null(status_of(db, run, "T-CB-OTHER", "L1"));
	sqlite3_close(db);
}

/* T-ARRIVE: urgent tickets, arrived_at within 15 minutes of reported_at. */
static void arrive_edges(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket(db, "U1", "电梯", "1", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 10:15:00", NULL, NULL);
	ticket(db, "U2", "电梯", "1", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 10:15:01", NULL, NULL);
	ticket(db, "U3", "电梯", "0", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 11:00:00", NULL, NULL);
	ticket(db, "U4", "电梯", "1", "0", NULL, "2026-10-31 23:50:00", NULL, NULL, NULL);
	ticket(db, "U5", "电梯", "1", "0", NULL, "2026-10-31 23:00:00", NULL, NULL, NULL);
	ticket(db, "U6", "电梯", "1", "0", NULL, "2026-11-01 00:00:00", "2026-11-01 00:01:00", NULL, NULL);
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "T-ARRIVE", "U1"), "met");
	assert_string_equal(status_of(db, run, "T-ARRIVE", "U2"), "breached");
	assert_int_equal(late_of(db, run, "T-ARRIVE", "U2"), 1);
	assert_null(status_of(db, run, "T-ARRIVE", "U3"));
	assert_string_equal(status_of(db, run, "T-ARRIVE", "U4"), "pending");
	assert_string_equal(status_of(db, run, "T-ARRIVE", "U5"), "breached");
	assert_int_equal(late_of(db, run, "T-ARRIVE", "U5"), 45 * 60);
	assert_null(status_of(db, run, "T-ARRIVE", "U6"));
	/* reported_at is never missing, so no data-quality finding */
	assert_int_equal(figure_int(db, run, "findings.missing_start"), 0);
	sqlite3_close(db);
}

/* The complaint rules: C-RESPOND 30m and the level-specific limits. */
static void complaint_edges(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	complaint(db, "R1", "minor", "1", "2026-10-05 10:00:00", "2026-10-05 10:30:00", NULL, NULL, NULL, NULL);
	complaint(db, "R2", "minor", "1", "2026-10-05 10:00:00", "2026-10-05 10:30:01", NULL, NULL, NULL, NULL);
	/* invalid: excluded from every complaint rule, still counted in volumes */
	complaint(db, "R3", "major", "0", "2026-10-05 10:00:00", "2026-10-05 12:00:00", NULL, NULL, NULL, NULL);
	/* major: same day 23:59:59 is met, the next midnight is one second late */
	complaint(db, "M1", "major", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00",
		  "2026-10-05 23:59:59", "2026-10-07 08:00:00", "2026-10-15 08:00:00", NULL);
	complaint(db, "M2", "major", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00",
		  "2026-10-06 00:00:00", "2026-10-07 08:00:01", "2026-10-15 08:00:01", NULL);
	/* important: 1 h escalation, 3 d resolution */
	complaint(db, "I1", "important", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00",
		  "2026-10-05 09:00:00", NULL, "2026-10-08 08:00:00", NULL);
	complaint(db, "I2", "important", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00",
		  "2026-10-05 09:00:01", NULL, "2026-10-08 08:00:01", NULL);
	/* minor: requested_by (a bare date, stored as its 23:59:59) replaces 2 d */
	complaint(db, "N1", "minor", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00", NULL, NULL,
		  "2026-10-20 23:59:59", "2026-10-20 23:59:59");
	complaint(db, "N2", "minor", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00", NULL, NULL,
		  "2026-10-21 00:00:00", "2026-10-20 23:59:59");
	complaint(db, "N3", "minor", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00", NULL, NULL,
		  "2026-10-07 08:00:00", NULL);
	complaint(db, "N4", "minor", "1", "2026-10-05 08:00:00", "2026-10-05 08:10:00", NULL, NULL,
		  "2026-10-07 08:00:01", NULL);
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "C-RESPOND", "R1"), "met");
	assert_string_equal(status_of(db, run, "C-RESPOND", "R2"), "breached");
	assert_null(status_of(db, run, "C-RESPOND", "R3"));
	assert_null(status_of(db, run, "C-MAJOR-ESCALATE", "R3"));
	assert_int_equal(figure_int(db, run, "volumes.complaints"), 11);
	assert_int_equal(figure_int(db, run, "volumes.complaints_invalid"), 1);

	assert_string_equal(status_of(db, run, "C-MAJOR-ESCALATE", "M1"), "met");
	assert_string_equal(column_of(db, run, "C-MAJOR-ESCALATE", "M1", "deadline_at"), "2026-10-05 23:59:59");
	assert_string_equal(status_of(db, run, "C-MAJOR-ESCALATE", "M2"), "breached");
	assert_int_equal(late_of(db, run, "C-MAJOR-ESCALATE", "M2"), 1);
	assert_string_equal(status_of(db, run, "C-MAJOR-REPLY", "M1"), "met");
	assert_string_equal(status_of(db, run, "C-MAJOR-REPLY", "M2"), "breached");
	assert_string_equal(status_of(db, run, "C-MAJOR-RESOLVE", "M1"), "met");
	assert_string_equal(status_of(db, run, "C-MAJOR-RESOLVE", "M2"), "breached");
	assert_null(status_of(db, run, "C-IMPORTANT-RESOLVE", "M1"));

	assert_string_equal(status_of(db, run, "C-IMPORTANT-ESCALATE", "I1"), "met");
	assert_string_equal(status_of(db, run, "C-IMPORTANT-ESCALATE", "I2"), "breached");
	assert_string_equal(status_of(db, run, "C-IMPORTANT-RESOLVE", "I1"), "met");
	assert_string_equal(status_of(db, run, "C-IMPORTANT-RESOLVE", "I2"), "breached");

	assert_string_equal(status_of(db, run, "C-MINOR-RESOLVE", "N1"), "met");
	assert_string_equal(column_of(db, run, "C-MINOR-RESOLVE", "N1", "deadline_at"), "2026-10-20 23:59:59");
	assert_string_equal(status_of(db, run, "C-MINOR-RESOLVE", "N2"), "breached");
	assert_int_equal(late_of(db, run, "C-MINOR-RESOLVE", "N2"), 1);
	assert_string_equal(status_of(db, run, "C-MINOR-RESOLVE", "N3"), "met");
	assert_string_equal(status_of(db, run, "C-MINOR-RESOLVE", "N4"), "breached");
	/* R1 and R2 are minor with nothing resolved: 10-07 10:00 deadline passed */
	assert_string_equal(status_of(db, run, "C-MINOR-RESOLVE", "R1"), "breached");
	sqlite3_close(db);
}

/* A site filter evaluates that site's records only. */
static void site_filter(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket(db, "X1", "电梯", "1", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 10:05:00", NULL, NULL);
	sql_exec(db, "INSERT INTO tickets(ticket_id, site, category, urgent, reported_at)"
		 " VALUES('X2', 'B', '电梯', 1, '2026-10-05 10:00:00')", 0);
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, "B", NULL, NULL);
	assert_null(status_of(db, run, "T-ARRIVE", "X1"));
	assert_string_equal(status_of(db, run, "T-ARRIVE", "X2"), "breached");
	assert_int_equal(figure_int(db, run, "volumes.tickets"), 1);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safety_callback_edges),
		cmocka_unit_test(as_of_moves_the_judgement),
		cmocka_unit_test(leak_callback_edges),
		cmocka_unit_test(arrive_edges),
		cmocka_unit_test(complaint_edges),
		cmocka_unit_test(site_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
