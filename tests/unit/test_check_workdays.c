/*
 * Working-day limits over China's 2026 calendar: 国庆 (10-01..10-07 off,
 * Saturday 10-10 a 调休 working day) and 春节 (02-15..02-23 off, Saturday
 * 02-14 and 02-28 working days); and the error for an uncovered year.
 */
#include "tests/unit/check_helpers.h"
#include "rules/calendar/calendar.h"

static const char WD_RULES[] =
	"# two working-day rules on complaints\n"
	"[W1]\n"
	"kind = deadline\n"
	"subject = complaints\n"
	"start = received_at\n"
	"end = replied_at\n"
	"limit = 1wd\n"
	"\n"
	"[W3]\n"
	"kind = deadline\n"
	"subject = complaints\n"
	"start = received_at\n"
	"end = replied_at\n"
	"limit = 3wd\n";

static void calendar_walks(void **state)
{
	struct calendar *cal = calendar_new();
	pm_error err = { "" };
	int day, out, missing = 0;
	char text[11];

	(void)state;
	assert_int_equal(calendar_finish(cal, &err), 0);
	/* Friday 2026-11-06 + 1 working day = Monday 11-09 */
	day_parse("2026-11-06", &day);
	assert_int_equal(calendar_nth_workday_after(cal, day, 1, &out, &missing), 0);
	day_format(out, text);
	assert_string_equal(text, "2026-11-09");
	/* Wednesday 2026-09-30 + 1 = Thursday 10-08 (国庆 10-01..10-07) */
	day_parse("2026-09-30", &day);
	calendar_nth_workday_after(cal, day, 1, &out, &missing);
	day_format(out, text);
	assert_string_equal(text, "2026-10-08");
	/* Friday 2026-10-09 + 1 = Saturday 10-10, an adjusted working day */
	day_parse("2026-10-09", &day);
	calendar_nth_workday_after(cal, day, 1, &out, &missing);
	day_format(out, text);
	assert_string_equal(text, "2026-10-10");
	/* 2026-12-31 + 1 needs 2027, which the built-in calendar lacks */
	day_parse("2026-12-31", &day);
	assert_int_equal(calendar_nth_workday_after(cal, day, 1, &out, &missing), -1);
	assert_int_equal(missing, 2027);
	assert_true(calendar_covers(cal, 2024));
	assert_false(calendar_covers(cal, 2023));
	assert_int_equal(day_weekday(0), 3);
	calendar_free(cal);
}

static void workday_rules_across_holidays(void **state)
{
	sqlite3 *db = fresh_db();
	const char *rules = temp_file(WD_RULES, 0);
	sqlite3_int64 run;

	(void)state;
	/* 国庆: received Wednesday 09-30, deadline Thursday 10-08 23:59:59 */
	complaint(db, "K1", "minor", "1", "2026-09-30 10:00:00", NULL, NULL, "2026-10-08 23:59:59", NULL, NULL);
	complaint(db, "K2", "minor", "1", "2026-09-30 10:00:00", NULL, NULL, "2026-10-09 00:00:00", NULL, NULL);
	/* received Friday 10-09: the next working day is Saturday 10-10 (调休) */
	complaint(db, "K3", "minor", "1", "2026-10-09 10:00:00", NULL, NULL, "2026-10-10 23:59:59", NULL, NULL);
	run = run_check_full(db, "2026-09-01 00:00:00", OCT_TO, NULL, NULL, rules, NULL);
	assert_string_equal(status_of(db, run, "W1", "K1"), "met");
	assert_string_equal(column_of(db, run, "W1", "K1", "deadline_at"), "2026-10-08 23:59:59");
	assert_string_equal(status_of(db, run, "W1", "K2"), "breached");
	assert_int_equal(late_of(db, run, "W1", "K2"), 1);
	assert_string_equal(status_of(db, run, "W1", "K3"), "met");
	assert_string_equal(column_of(db, run, "W1", "K3", "deadline_at"), "2026-10-10 23:59:59");
	/* 3 working days after 09-30: 10-08, 10-09, 10-10 */
	assert_string_equal(column_of(db, run, "W3", "K1", "deadline_at"), "2026-10-10 23:59:59");

	/* 春节: received Friday 02-13; Saturday 02-14 is a working day */
	complaint(db, "F1", "minor", "1", "2026-02-13 16:00:00", NULL, NULL, NULL, NULL, NULL);
	/* received on that Saturday: next working day Tuesday 02-24 */
	complaint(db, "F2", "minor", "1", "2026-02-14 09:00:00", NULL, NULL, "2026-02-25 00:00:00", NULL, NULL);
	run = run_check_full(db, "2026-02-01 00:00:00", "2026-03-01 00:00:00", NULL, NULL, rules, NULL);
	assert_string_equal(column_of(db, run, "W1", "F1", "deadline_at"), "2026-02-14 23:59:59");
	assert_string_equal(column_of(db, run, "W3", "F1", "deadline_at"), "2026-02-25 23:59:59");
	assert_string_equal(status_of(db, run, "W1", "F1"), "breached");
	assert_string_equal(column_of(db, run, "W1", "F2", "deadline_at"), "2026-02-24 23:59:59");
	assert_string_equal(status_of(db, run, "W1", "F2"), "breached");
	assert_int_equal(late_of(db, run, "W1", "F2"), 1);
	/* judged as of Monday 02-23 (a holiday), F1's 3wd deadline is still ahead */
	run = run_check_full(db, "2026-02-01 00:00:00", "2026-03-01 00:00:00", "2026-02-23 12:00:00",
			     NULL, rules, NULL);
	assert_string_equal(status_of(db, run, "W3", "F1"), "pending");
	unlink(rules);
	sqlite3_close(db);
}

/* Never guess: a deadline in a year without a calendar is an error, until one is added. */
static void uncovered_year_is_an_error(void **state)
{
	sqlite3 *db = fresh_db();
	const char *rules = temp_file(WD_RULES, 0);
	const char *cal2027 = temp_file("date,kind,name\n2027-01-01,holiday,元旦\n", 1);
	struct check_params p = { .from = "2026-12-01 00:00:00", .to = "2027-01-01 00:00:00" };
	pm_error err = { "" };
	sqlite3_int64 run = 0;

	(void)state;
	/* no record near the year's end: nothing needs 2027 */
	complaint(db, "D1", "minor", "1", "2026-12-01 10:00:00", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(check_run_files(db, &p, rules, NULL, &run, &err), 0);
	complaint(db, "D2", "minor", "1", "2026-12-31 10:00:00", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(check_run_files(db, &p, rules, NULL, &run, &err), -1);
	assert_non_null(strstr(err.msg, "2027"));
	assert_non_null(strstr(err.msg, "D2"));
	/* the failed run left nothing behind */
	assert_string_equal(query_text(db, "SELECT count(*) FROM check_runs WHERE ?1 = ?1", 0, NULL, NULL), "1");
	/* 2027-01-01 (Friday) is a holiday: the next working day is Monday 01-04 */
	assert_int_equal(check_run_files(db, &p, rules, cal2027, &run, &err), 0);
	assert_string_equal(column_of(db, run, "W1", "D2", "deadline_at"), "2027-01-04 23:59:59");
	unlink(rules);
	unlink(cal2027);
	sqlite3_close(db);
}

static void calendar_file_errors(void **state)
{
	struct calendar *cal = calendar_new();
	pm_error err = { "" };
	const char *bad_kind = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,x\n";
	const char *bad_word = "date,kind,name\n2027-01-01,rest,x\n";
	const char *no_header = "2027-01-01,holiday,x\n";

	(void)state;
	assert_int_equal(calendar_add_text(cal, "c.csv", bad_kind, strlen(bad_kind), &err), -1);
	assert_non_null(strstr(err.msg, "c.csv:3:"));
	assert_int_equal(calendar_add_text(cal, "d.csv", bad_word, strlen(bad_word), &err), -1);
	assert_non_null(strstr(err.msg, "d.csv:2: kind"));
	assert_int_equal(calendar_add_text(cal, "e.csv", no_header, strlen(no_header), &err), -1);
	assert_non_null(strstr(err.msg, "e.csv:1:"));
	/* empty, or blank lines and comments only: a mistake, not "no holidays" */
	assert_int_equal(calendar_add_text(cal, "f.csv", "", 0, &err), -1);
	assert_non_null(strstr(err.msg, "f.csv: empty calendar file"));
	assert_int_equal(calendar_add_text(cal, "g.csv", "\n# x\n", 5, &err), -1);
	assert_non_null(strstr(err.msg, "g.csv: empty calendar file"));
	calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar_walks),
		cmocka_unit_test(workday_rules_across_holidays),
		cmocka_unit_test(uncovered_year_is_an_error),
		cmocka_unit_test(calendar_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
