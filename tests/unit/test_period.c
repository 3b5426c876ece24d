/*
 * Unit tests for util/period.c: the one parser of command-line periods and
 * times, with the forms the six parsers it replaced disagreed on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "util/period.h"

static struct period p;
static pm_error err;

static void window(const char *from, const char *to)
{
	assert_string_equal(p.from, from);
	assert_string_equal(p.to, to);
}

static void test_month_forms(void **state)
{
	static const char *const same[] = { "2026-10", "2026/10", "202610", "2026年10月" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_int_equal(period_month(same[i], &p, &err), 0);
		window("2026-10-01 00:00:00", "2026-11-01 00:00:00");
		assert_string_equal(p.label, "2026-10");
	}
	assert_int_equal(period_month("2026年9月", &p, &err), 0);
	assert_string_equal(p.label, "2026-09");
	assert_int_equal(period_month("2026-12", &p, &err), 0);
	window("2026-12-01 00:00:00", "2027-01-01 00:00:00");
}

static void test_month_errors_name_option(void **state)
{
	static const char *const bad[] = {
		"2026-13", "2026-00", "2026-1", "2026-100", "26-10", "2026_10", "2026年10",
		"20261", "1969-12", "2199-12", "", "2026-10 ", " 2026-10",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = 0;
		assert_int_equal(period_month(bad[i], &p, &err), -1);
		assert_non_null(strstr(err.msg, "--month"));
		assert_non_null(strstr(err.msg, bad[i]));
	}
	/* the range's edges: check took 1970, the reports 2199 */
	assert_int_equal(period_month("1970-01", &p, &err), 0);
	assert_int_equal(period_month("2199-11", &p, &err), 0);
	window("2199-11-01 00:00:00", "2199-12-01 00:00:00");
}

static void test_quarter(void **state)
{
	(void)state;
	assert_int_equal(period_quarter("2026Q4", &p, &err), 0);
	window("2026-10-01 00:00:00", "2027-01-01 00:00:00");
	assert_int_equal(period_quarter("2026-Q4", &p, &err), 0);
	assert_string_equal(p.label, "2026Q4");
	assert_int_equal(period_quarter("2026q1", &p, &err), 0);
	window("2026-01-01 00:00:00", "2026-04-01 00:00:00");
	assert_int_equal(period_quarter("2026Q5", &p, &err), -1);
	assert_non_null(strstr(err.msg, "--quarter: '2026Q5'"));
	assert_int_equal(period_quarter("2026Q1x", &p, &err), -1);
	assert_int_equal(period_quarter("2026Q", &p, &err), -1);
	assert_int_equal(period_quarter("2199Q4", &p, &err), -1);
	assert_int_equal(period_quarter("1969Q4", &p, &err), -1);
}

static void test_year(void **state)
{
	(void)state;
	assert_int_equal(period_year("2026", &p, &err), 0);
	window("2026-01-01 00:00:00", "2027-01-01 00:00:00");
	assert_int_equal(period_year("1970", &p, &err), 0);
	assert_int_equal(period_year("2198", &p, &err), 0);
	assert_int_equal(period_year("2199", &p, &err), -1);
	assert_int_equal(period_year("26", &p, &err), -1);
	assert_non_null(strstr(err.msg, "--year: '26'"));
	assert_int_equal(period_year("1989", &p, &err), 0);
	assert_int_equal(period_year("20260", &p, &err), -1);
}

static void test_times(void **state)
{
	char ts[20];
	int date_only = -1;

	(void)state;
	assert_int_equal(period_time("--as-of", "2026-10-20", ts, &date_only, &err), 0);
	assert_string_equal(ts, "2026-10-20 00:00:00");
	assert_int_equal(date_only, 1);
	assert_int_equal(period_time("--as-of", "2026-10-20 12:00", ts, &date_only, &err), 0);
	assert_string_equal(ts, "2026-10-20 12:00:00");
	assert_int_equal(date_only, 0);
	assert_int_equal(period_time("--as-of", "2026-10-20T08:05:09", ts, NULL, &err), 0);
	assert_string_equal(ts, "2026-10-20 08:05:09");
	/* the reports took one-digit fields: still taken */
	assert_int_equal(period_time("--as-of", "2026-1-5 8:05", ts, NULL, &err), 0);
	assert_string_equal(ts, "2026-01-05 08:05:00");
	assert_int_equal(period_time("--as-of", "2024-02-29", ts, NULL, &err), 0);
	/* the reports let 02-30 through to the engine */
	assert_int_equal(period_time("--as-of", "2026-02-30", ts, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "--as-of: '2026-02-30'"));
	assert_int_equal(period_time("--as-of", "2025-02-29", ts, NULL, &err), -1);
	assert_int_equal(period_time("--as-of", "2026-10-20 25:00", ts, NULL, &err), -1);
	assert_int_equal(period_time("--as-of", "2026-10-20 12:60", ts, NULL, &err), -1);
	assert_int_equal(period_time("--as-of", "2026-10-20 12", ts, NULL, &err), -1);
	assert_int_equal(period_time("--as-of", "2026-10-20 12:00:00x", ts, NULL, &err), -1);
	assert_int_equal(period_time("--from", "1969-12-31", ts, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "--from"));
}

static void test_range(void **state)
{
	(void)state;
	assert_int_equal(period_range("2026-10-01", "2026-10-31", &p, &err), 0);
	window("2026-10-01 00:00:00", "2026-11-01 00:00:00");
	assert_int_equal(period_range("2026-10-01 08:00", "2026-10-31 12:00", &p, &err), 0);
	window("2026-10-01 08:00:00", "2026-10-31 12:00:00");
	assert_int_equal(period_range("2026-12-01", "2026-12-31", &p, &err), 0);
	window("2026-12-01 00:00:00", "2027-01-01 00:00:00");
	assert_int_equal(period_range("2026-10-01", NULL, &p, &err), -1);
	assert_int_equal(period_range("2026-10-01", "2026-10-32", &p, &err), -1);
	assert_non_null(strstr(err.msg, "--to: '2026-10-32'"));
	assert_int_equal(period_range("2199-12-01", "2199-12-31", &p, &err), -1);
}

static void test_exactly_one(void **state)
{
	(void)state;
	assert_int_equal(period_from_options(NULL, NULL, NULL, NULL, NULL, &p, &err), -1);
	assert_int_equal(period_from_options("2026-10", NULL, "2026", NULL, NULL, &p, &err), -1);
	assert_int_equal(period_from_options(NULL, NULL, NULL, "2026-10-01", NULL, &p, &err), -1);
	assert_int_equal(period_from_options(NULL, "2026Q4", NULL, NULL, NULL, &p, &err), 0);
	assert_string_equal(p.label, "2026Q4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_forms),
		cmocka_unit_test(test_month_errors_name_option),
		cmocka_unit_test(test_quarter),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_exactly_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
