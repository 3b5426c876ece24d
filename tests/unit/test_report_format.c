/* Report formats and periods: one spelling of every figure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "reports/report.h"

static void test_rates(void **state)
{
	char b[32];

	(void)state;
	fmt_rate(b, sizeof(b), 1, 0.9449);
	assert_string_equal(b, "94.49%");
	fmt_rate(b, sizeof(b), 1, 1.0);
	assert_string_equal(b, "100.00%");
	/* Rounded to the JSON's 4 decimals first: 0.78571428... -> 0.7857 */
	fmt_rate(b, sizeof(b), 1, 55.0 / 70.0);
	assert_string_equal(b, "78.57%");
	fmt_rate(b, sizeof(b), 0, 0);
	assert_string_equal(b, "—");
	fmt_points(b, sizeof(b), 1, 0.8333, 1, 0.30);
	assert_string_equal(b, "+53.33");
	fmt_points(b, sizeof(b), 1, 0.5, 0, 0);
	assert_string_equal(b, "—");
}

static void test_money_and_counts(void **state)
{
	char b[48];

	(void)state;
	fmt_money(b, sizeof(b), 123450);
	assert_string_equal(b, "¥1,234.50");
	fmt_money(b, sizeof(b), 5);
	assert_string_equal(b, "¥0.05");
	fmt_money(b, sizeof(b), -123456789);
	assert_string_equal(b, "-¥1,234,567.89");
	fmt_money(b, sizeof(b), 100000);
	assert_string_equal(b, "¥1,000.00");
	fmt_count(b, sizeof(b), 999);
	assert_string_equal(b, "999");
	fmt_count(b, sizeof(b), 1234567);
	assert_string_equal(b, "1,234,567");
}

static void test_periods(void **state)
{
	char from[20], to[20], m[8], d[11] = "2026-03-01";
	pm_error err;

	(void)state;
	assert_int_equal(month_window("2026-12", from, to, &err), 0);
	assert_string_equal(from, "2026-12-01 00:00:00");
	assert_string_equal(to, "2027-01-01 00:00:00");
	assert_int_equal(month_window("2026-13", from, to, &err), -1);
	assert_non_null(strstr(err.msg, "2026-13"));
	assert_int_equal(month_window("2026-1", from, to, &err), -1);
	month_add("2026-01", -1, m);
	assert_string_equal(m, "2025-12");
	month_add("2026-10", -11, m);
	assert_string_equal(m, "2025-11");
	assert_int_equal(quarter_window("2026Q4", from, to, &err), 0);
	assert_string_equal(from, "2026-10-01 00:00:00");
	assert_string_equal(to, "2027-01-01 00:00:00");
	assert_int_equal(quarter_window("2026Q5", from, to, &err), -1);
	assert_int_equal(quarter_window("2026Q1x", from, to, &err), -1);
	assert_int_equal(normalize_time("2026-10-20 12:00", from, &err), 0);
	assert_string_equal(from, "2026-10-20 12:00:00");
	assert_int_equal(normalize_time("2026-10-20 25:00", from, &err), -1);
	day_before(d);
	assert_string_equal(d, "2026-02-28");
}

/* The sample key depends on the seed and the id only. */
static void test_sample_key(void **state)
{
	(void)state;
	assert_true(sample_key(7, "T1") == sample_key(7, "T1"));
	assert_true(sample_key(7, "T1") != sample_key(8, "T1"));
	assert_true(sample_key(7, "T1") != sample_key(7, "T2"));
	/* "1:23" and "12:3" must not collide through concatenation */
	assert_true(sample_key(1, "23") != sample_key(12, "3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_money_and_counts),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_sample_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
