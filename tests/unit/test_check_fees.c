/* Fees: due, collection and recovery rates, aging buckets, F-LETTER. */
#include "tests/unit/check_helpers.h"

/*
 * Room 101, October: charge 100.00, waiver 10.00, payment 50.00 in October,
 * payment 20.00 after the as-of time. Room 102: 200.00 charged and paid.
 * Room 101, September: 80.00 charged, 30.00 paid in September, 20.00 paid in
 * October (arrears recovered).
 */
static void collection_and_recovery(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	fee(db, "F1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	fee(db, "F2", "101", "2026-10", "waiver", "1000", "2026-10-05 10:00:00", NULL, NULL);
	fee(db, "F3", "101", "2026-10", "payment", "5000", "2026-10-10 10:00:00", NULL, "微信");
	fee(db, "F4", "101", "2026-10", "payment", "2000", "2026-11-05 10:00:00", NULL, "微信");
	fee(db, "F5", "102", "2026-10", "charge", "20000", "2026-10-01 00:00:00", NULL, NULL);
	fee(db, "F6", "102", "2026-10", "payment", "20000", "2026-10-20 10:00:00", NULL, "现金");
	fee(db, "F7", "101", "2026-09", "charge", "8000", "2026-09-01 00:00:00", NULL, NULL);
	fee(db, "F8", "101", "2026-09", "payment", "3000", "2026-09-15 10:00:00", NULL, "现金");
	fee(db, "F9", "101", "2026-09", "payment", "2000", "2026-10-15 10:00:00", NULL, "现金");
	/* a November charge is outside the window */
	fee(db, "F10", "101", "2026-11", "charge", "10000", "2026-10-31 10:00:00", NULL, NULL);
	run = run_check(db, NULL);
	assert_int_equal(figure_int(db, run, "fees.charged_cents"), 30000);
	assert_int_equal(figure_int(db, run, "fees.waived_cents"), 1000);
	assert_int_equal(figure_int(db, run, "fees.due_cents"), 29000);
	assert_int_equal(figure_int(db, run, "fees.paid_cents"), 25000);
	assert_true(figure_real(db, run, "fees.current_rate") > 0.86206 &&
		    figure_real(db, run, "fees.current_rate") < 0.86207);
	assert_int_equal(figure_int(db, run, "fees.arrears_start_cents"), 5000);
	assert_int_equal(figure_int(db, run, "fees.recovered_cents"), 2000);
	assert_true(figure_real(db, run, "fees.recovery_rate") == 0.4);
	/* as of 11-01: Oct owes 40.00, due 10-31 -> 1 day; Sep owes 30.00, due 09-30 -> 32 days */
	assert_int_equal(figure_int(db, run, "fees.aging.1-30"), 4000);
	assert_int_equal(figure_int(db, run, "fees.aging.31-90"), 3000);
	assert_int_equal(figure_int(db, run, "fees.aging.91-180"), 0);
	assert_string_equal(query_text(db, "SELECT group_concat(record_id || ':' || detail || ':' || amount_cents, ' ')"
				       " FROM (SELECT * FROM check_records WHERE run_id = ?1 AND rule_id = 'F-AGING'"
				       " ORDER BY detail)", run, NULL, NULL),
			    "A/101/物业管理费:1-30:4000 A/101/物业管理费:31-90:3000");
	/* the summary nests the buckets and gives the rate to 4 decimals */
	assert_non_null(strstr(summary_of(db, run),
			       "\"current_rate\": 0.8621"));
	/* a window without charges: the rates are null */
	run = run_check_full(db, "2026-01-01 00:00:00", "2026-02-01 00:00:00", NULL, NULL, NULL, NULL);
	assert_true(figure_real(db, run, "fees.current_rate") == -1);
	assert_non_null(strstr(summary_of(db, run),
			       "\"current_rate\": null"));
	sqlite3_close(db);
}

/* Aging at as-of 2027-01-01: one charge of 1.00 per room at each boundary. */
static void aging_bucket_boundaries(void **state)
{
	static const char *const due[][2] = {
		{ "d0", "2027-01-01" }, { "d1", "2026-12-31" }, { "d30", "2026-12-02" },
		{ "d31", "2026-12-01" }, { "d90", "2026-10-03" }, { "d91", "2026-10-02" },
		{ "d180", "2026-07-05" }, { "d181", "2026-07-04" }, { "d365", "2026-01-01" },
		{ "d366", "2025-12-31" },
	};
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(due) / sizeof(due[0]); i++)
		fee(db, due[i][0], due[i][0], "2025-12", "charge", "100", "2025-12-01 00:00:00", due[i][1], NULL);
	run = run_check_full(db, "2026-12-01 00:00:00", "2027-01-01 00:00:00", NULL, NULL, NULL, NULL);
	assert_int_equal(figure_int(db, run, "fees.aging.1-30"), 200);
	assert_int_equal(figure_int(db, run, "fees.aging.31-90"), 200);
	assert_int_equal(figure_int(db, run, "fees.aging.91-180"), 200);
	assert_int_equal(figure_int(db, run, "fees.aging.181-365"), 200);
	assert_int_equal(figure_int(db, run, "fees.aging.365+"), 100);
	assert_null(status_of(db, run, "F-AGING", "A/d0/物业管理费"));
	assert_string_equal(column_of(db, run, "F-AGING", "A/d30/物业管理费", "detail"), "1-30");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d31/物业管理费", "detail"), "31-90");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d90/物业管理费", "detail"), "31-90");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d91/物业管理费", "detail"), "91-180");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d180/物业管理费", "detail"), "91-180");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d181/物业管理费", "detail"), "181-365");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d365/物业管理费", "detail"), "181-365");
	assert_string_equal(column_of(db, run, "F-AGING", "A/d366/物业管理费", "detail"), "365+");
	sqlite3_close(db);
}

/*
 * F-LETTER: 100.00 owed since June; first phone reminder 07-10 10:00, so
 * L = 10-10 10:00:00 and L + 7 days = 10-17 10:00:00.
 */
static void letter_day_l_l7_l8(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	const char *acct = "A/201/物业管理费";

	(void)state;
	fee(db, "G1", "201", "2026-06", "charge", "10000", "2026-06-01 00:00:00", NULL, NULL);
	fee(db, "G2", "201", "2026-06", "reminder", NULL, "2026-07-10 10:00:00", NULL, "电话");
	fee(db, "G3", "201", "2026-06", "reminder", NULL, "2026-08-10 10:00:00", NULL, "短信");
	/* a paid-up account is not listed */
	fee(db, "H1", "202", "2026-06", "charge", "10000", "2026-06-01 00:00:00", NULL, NULL);
	fee(db, "H2", "202", "2026-06", "reminder", NULL, "2026-07-01 10:00:00", NULL, "电话");
	fee(db, "H3", "202", "2026-06", "payment", "10000", "2026-07-02 10:00:00", NULL, "现金");

	run = run_check(db, "2026-10-10 10:00:00");       /* day L */
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "not_evaluated");
	assert_null(status_of(db, run, "F-LETTER", "A/202/物业管理费"));
	run = run_check(db, "2026-10-17 10:00:00");       /* L + 7 days */
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "pending");
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "deadline_at"), "2026-10-17 10:00:00");
	assert_non_null(strstr(summary_of(db, run),
			       "\"letters_due\": [{\"account\": \"A/201/物业管理费\", \"by\": \"2026-10-17 10:00:00\"}]"));
	run = run_check(db, "2026-10-18 10:00:00");       /* L + 8 days */
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "breached");
	assert_int_equal(late_of(db, run, "F-LETTER", acct), 86400);

	/* a letter exactly at L + 7 is met; the rate counts it */
	fee(db, "G4", "201", "2026-06", "reminder", NULL, "2026-10-17 10:00:00", NULL, "函件/特快专递");
	run = run_check(db, "2026-10-18 10:00:00");
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "met");
	assert_string_equal(result_of(db, run, "F-LETTER", "rate"), "1.0");
	/* ... a letter one second later is not */
	sql_exec(db, "UPDATE fees SET at = '2026-10-17 10:00:01' WHERE entry_id = 'G4'", 0);
	run = run_check(db, "2026-10-18 10:00:00");
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "breached");
	assert_int_equal(late_of(db, run, "F-LETTER", acct), 1);
	sqlite3_close(db);
}

/* Calendar months end on the month's last day: 11-30 + 3 months = 02-28. */
static void letter_month_end(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	const char *acct = "A/301/物业管理费";

	(void)state;
	fee(db, "K1", "301", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	fee(db, "K2", "301", "2026-10", "reminder", NULL, "2026-11-30 10:00:00", NULL, "短信");
	run = run_check_full(db, "2027-02-01 00:00:00", "2027-03-01 00:00:00", "2027-02-28 10:00:00",
			     NULL, NULL, NULL);
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "not_evaluated");
	run = run_check_full(db, "2027-02-01 00:00:00", "2027-03-01 00:00:00", "2027-02-28 10:00:01",
			     NULL, NULL, NULL);
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "pending");
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "deadline_at"), "2027-03-07 10:00:00");
	sqlite3_close(db);
}

/* A second letter rule reads the ledger itself; each uses its own reminder methods. */
static void two_letter_rules(void **state)
{
	sqlite3 *db = fresh_db();
	const char *rules = temp_file(
		"[F-LETTER]\nkind = letter\nfirst_reminder = 电话\nletter = 函件\n"
		"after_months = 3\ngrace = 7d\n\n"
		"[F-LETTER-SMS]\nkind = letter\nfirst_reminder = 短信\nletter = 函件\n"
		"after_months = 3\ngrace = 7d\n", 0);
	const char *acct = "A/201/物业管理费";
	sqlite3_int64 run;

	(void)state;
	fee(db, "G1", "201", "2026-06", "charge", "10000", "2026-06-01 00:00:00", NULL, NULL);
	fee(db, "G2", "201", "2026-06", "reminder", NULL, "2026-07-10 10:00:00", NULL, "电话");
	fee(db, "G3", "201", "2026-07", "reminder", NULL, "2026-08-10 10:00:00", NULL, "短信");
	run = run_check_full(db, OCT_FROM, OCT_TO, "2026-10-18 10:00:00", NULL, rules, NULL);
	/* phone 07-10: L + 7 = 10-17 10:00, passed without a letter */
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "breached");
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "start_at"), "2026-07-10 10:00:00");
	/* SMS 08-10: L = 11-10 10:00, not yet */
	assert_string_equal(status_of(db, run, "F-LETTER-SMS", acct), "not_evaluated");
	assert_string_equal(column_of(db, run, "F-LETTER-SMS", acct, "start_at"), "2026-08-10 10:00:00");
	unlink(rules);
	sqlite3_close(db);
}

/*
 * The as-of cut: a payment made exactly at the as-of time counts (paid,
 * recovered, and what the charge owes), one a second later does not.
 */
static void payment_at_as_of(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	fee(db, "P1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	fee(db, "P2", "101", "2026-10", "payment", "3000", "2026-10-20 12:00:00", NULL, "微信");
	fee(db, "P3", "101", "2026-10", "payment", "5000", "2026-10-20 12:00:01", NULL, "微信");
	fee(db, "P4", "101", "2026-09", "charge", "8000", "2026-09-01 00:00:00", NULL, NULL);
	fee(db, "P5", "101", "2026-09", "payment", "2000", "2026-10-20 12:00:00", NULL, "现金");
	fee(db, "P6", "101", "2026-09", "payment", "6000", "2026-10-20 12:00:01", NULL, "现金");
	run = run_check(db, "2026-10-20 12:00:00");
	assert_int_equal(figure_int(db, run, "fees.paid_cents"), 3000);
	assert_int_equal(figure_int(db, run, "fees.arrears_start_cents"), 8000);
	assert_int_equal(figure_int(db, run, "fees.recovered_cents"), 2000);
	/* September owes 60.00, due 09-30: 20 days; October is not yet due */
	assert_int_equal(figure_int(db, run, "fees.aging.1-30"), 6000);
	assert_string_equal(column_of(db, run, "F-LETTER", "A/101/物业管理费", "amount_cents"), "13000");
	run = run_check(db, "2026-10-20 12:00:01");
	assert_int_equal(figure_int(db, run, "fees.paid_cents"), 8000);
	assert_int_equal(figure_int(db, run, "fees.recovered_cents"), 8000);
	assert_int_equal(figure_int(db, run, "fees.aging.1-30"), 0);
	assert_string_equal(column_of(db, run, "F-LETTER", "A/101/物业管理费", "amount_cents"), "2000");
	sqlite3_close(db);
}

/*
 * A NULL amount counts as nothing: a charge of unknown amount is not owed,
 * aged or lettered, but its period's figures still see it (due 0, rate null).
 */
static void null_amount_charge(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	fee(db, "N1", "101", "2026-10", "charge", NULL, "2026-10-01 00:00:00", "2026-10-10", NULL);
	fee(db, "N2", "101", "2026-10", "reminder", NULL, "2026-07-01 10:00:00", NULL, "电话");
	fee(db, "N3", "102", "2026-09", "charge", NULL, "2026-09-01 00:00:00", NULL, NULL);
	fee(db, "N4", "102", "2026-09", "charge", "5000", "2026-09-01 00:00:00", NULL, NULL);
	run = run_check(db, NULL);
	assert_int_equal(figure_int(db, run, "fees.charged_cents"), 0);
	assert_int_equal(figure_int(db, run, "fees.due_cents"), 0);
	assert_true(figure_real(db, run, "fees.current_rate") == -1);
	assert_null(status_of(db, run, "F-AGING", "A/101/物业管理费"));
	assert_null(status_of(db, run, "F-LETTER", "A/101/物业管理费"));
	/* beside a charge with an amount, the NULL one adds nothing */
	assert_int_equal(figure_int(db, run, "fees.arrears_start_cents"), 5000);
	assert_string_equal(column_of(db, run, "F-AGING", "A/102/物业管理费", "amount_cents"), "5000");
	assert_string_equal(column_of(db, run, "F-LETTER", "A/102/物业管理费", "status"),
			    "not_evaluated");
	sqlite3_close(db);
}

/* Waivers reduce what is due and owed; a charge waived in full is not in arrears. */
static void waivers(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	fee(db, "W1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", "2026-10-15", NULL);
	fee(db, "W2", "101", "2026-10", "waiver", "10000", "2026-10-02 00:00:00", NULL, NULL);
	fee(db, "W3", "102", "2026-10", "charge", "10000", "2026-10-01 00:00:00", "2026-10-15", NULL);
	fee(db, "W4", "102", "2026-10", "waiver", "2500", "2026-10-02 00:00:00", NULL, NULL);
	fee(db, "W5", "102", "2026-10", "payment", "2500", "2026-10-03 00:00:00", NULL, "现金");
	/* a waiver after the as-of time does not count yet */
	fee(db, "W6", "102", "2026-10", "waiver", "5000", "2026-11-02 00:00:00", NULL, NULL);
	run = run_check(db, NULL);
	assert_int_equal(figure_int(db, run, "fees.charged_cents"), 20000);
	assert_int_equal(figure_int(db, run, "fees.waived_cents"), 12500);
	assert_int_equal(figure_int(db, run, "fees.due_cents"), 7500);
	assert_true(figure_real(db, run, "fees.current_rate") > 0.33333 &&
		    figure_real(db, run, "fees.current_rate") < 0.33334);
	assert_null(status_of(db, run, "F-AGING", "A/101/物业管理费"));
	assert_string_equal(column_of(db, run, "F-AGING", "A/102/物业管理费", "amount_cents"), "5000");
	assert_string_equal(column_of(db, run, "F-AGING", "A/102/物业管理费", "deadline_at"),
			    "2026-10-15");
	assert_int_equal(figure_int(db, run, "fees.aging.1-30"), 5000);
	sqlite3_close(db);
}

/*
 * Reminder methods match when they contain one of the rule's words: "电话回访"
 * is a phone reminder, "挂号函件" a letter, "上门" neither. The earliest of
 * each counts, whichever period's charge it names.
 */
static void reminder_methods_by_containment(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	const char *acct = "A/401/物业管理费";

	(void)state;
	fee(db, "M1", "401", "2026-05", "charge", "10000", "2026-05-01 00:00:00", NULL, NULL);
	fee(db, "M2", "401", "2026-05", "reminder", NULL, "2026-06-01 10:00:00", NULL, "上门");
	fee(db, "M3", "401", "2026-06", "reminder", NULL, "2026-06-20 09:00:00", NULL, "电话回访");
	fee(db, "M4", "401", "2026-05", "reminder", NULL, "2026-07-01 10:00:00", NULL, "短信");
	fee(db, "M5", "401", "2026-07", "reminder", NULL, "2026-09-25 10:00:00", NULL, "挂号函件");
	fee(db, "M6", "401", "2026-05", "reminder", NULL, "2026-09-26 10:00:00", NULL, "函件");
	run = run_check(db, NULL);
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "start_at"), "2026-06-20 09:00:00");
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "end_at"), "2026-09-25 10:00:00");
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "detail"), "L 2026-09-20 09:00:00");
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "met");
	/* without the phone call, the SMS of 07-01 starts it: L 10-01, not yet evaluated */
	sql_exec(db, "DELETE FROM fees WHERE entry_id = 'M3'", 0);
	run = run_check(db, "2026-10-01 10:00:00");
	assert_string_equal(column_of(db, run, "F-LETTER", acct, "start_at"), "2026-07-01 10:00:00");
	assert_string_equal(status_of(db, run, "F-LETTER", acct), "not_evaluated");
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(collection_and_recovery),
		cmocka_unit_test(aging_bucket_boundaries),
		cmocka_unit_test(letter_day_l_l7_l8),
		cmocka_unit_test(letter_month_end),
		cmocka_unit_test(two_letter_rules),
		cmocka_unit_test(payment_at_as_of),
		cmocka_unit_test(null_amount_charge),
		cmocka_unit_test(waivers),
		cmocka_unit_test(reminder_methods_by_containment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
