/* Unit tests for etl/value.c: every accepted form and the rejections. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "etl/value.h"

static void ts_ok(const char *in, const char *want, int want_time)
{
	char out[PM_TIMESTAMP_SIZE];
	const char *why = NULL;
	int has_time = -1;

	if (value_timestamp(in, strlen(in), out, &has_time, &why))
		fail_msg("'%s' rejected: %s", in, why);
	assert_string_equal(out, want);
	assert_int_equal(has_time, want_time);
}

static void ts_bad(const char *in)
{
	char out[PM_TIMESTAMP_SIZE];
	const char *why = NULL;

	if (!value_timestamp(in, strlen(in), out, NULL, &why))
		fail_msg("'%s' accepted as %s", in, out);
	assert_non_null(why);
}

static void test_timestamp_forms(void **state)
{
	(void)state;
	ts_ok("2026-10-03 08:05:00", "2026-10-03 08:05:00", 1);
	ts_ok("2026-10-03 08:05", "2026-10-03 08:05:00", 1);
	ts_ok("2026/10/3 8:05", "2026-10-03 08:05:00", 1);
	ts_ok("2026/10/03 08:05:09", "2026-10-03 08:05:09", 1);
	ts_ok("2026-10-03T08:05:00", "2026-10-03 08:05:00", 1);
	ts_ok("2026年10月3日 8:05", "2026-10-03 08:05:00", 1);
	ts_ok("2026年10月3日 8时5分", "2026-10-03 08:05:00", 1);
	ts_ok("2026年10月3日8时5分30秒", "2026-10-03 08:05:30", 1);
	ts_ok("2026-10-03", "2026-10-03 00:00:00", 0);
	ts_ok("2026/10/3", "2026-10-03 00:00:00", 0);
	ts_ok("2026年10月3日", "2026-10-03 00:00:00", 0);
	ts_ok("2024-02-29 23:59:59", "2024-02-29 23:59:59", 1);
}

static void test_timestamp_rejections(void **state)
{
	(void)state;
	ts_bad("2026-02-30");
	ts_bad("2026-02-29 08:00");
	ts_bad("2026-10-03 25:00");
	ts_bad("2026-10-03 08:60");
	ts_bad("2026-10-03 08:05:60");
	ts_bad("2026-13-01");
	ts_bad("2026年13月1日");
	ts_bad("2026-10-00");
	ts_bad("2026-10/03");
	ts_bad("2026-10-03 08");
	ts_bad("2026-10-03 08:05:00 extra");
	ts_bad("2026-10-03x08:05");
	ts_bad("abc");
	ts_bad("");
	ts_bad("2026");
	ts_bad("2026-10-003");
	ts_bad("12026-10-03");
}

/* The forms of MAPPING.md ("Values every export may hold"). */
static void test_timestamp_export_forms(void **state)
{
	char out[PM_TIMESTAMP_SIZE];
	const char *why = NULL;

	(void)state;
	/* Excel serial numbers: days since 1899-12-30 */
	ts_ok("45933", "2025-10-03 00:00:00", 0);
	ts_ok("45933.5", "2025-10-03 12:00:00", 1);
	ts_ok("45933.3368", "2025-10-03 08:05:00", 1);
	ts_ok("45933.99999999", "2025-10-04 00:00:00", 1);
	ts_ok("46298.3368055556", "2026-10-03 08:05:00", 1);
	/* 12-hour clocks */
	ts_ok("2026/10/03 上午 08:05:00", "2026-10-03 08:05:00", 1);
	ts_ok("2026/10/03 下午 3:05", "2026-10-03 15:05:00", 1);
	ts_ok("2026/10/03 上午 12:30", "2026-10-03 00:30:00", 1);
	ts_ok("2026/10/03 下午 12:30", "2026-10-03 12:30:00", 1);
	ts_ok("2026年10月3日下午3:05", "2026-10-03 15:05:00", 1);
	ts_ok("2026-10-03 08:05:09 PM", "2026-10-03 20:05:09", 1);
	ts_ok("2026-10-03 12:00:03 AM", "2026-10-03 00:00:03", 1);
	/* fractional seconds are truncated */
	ts_ok("2026-10-03 08:05:00.000", "2026-10-03 08:05:00", 1);
	ts_ok("2026-10-03T08:05:59.999", "2026-10-03 08:05:59", 1);
	/* dots, compact, full-width */
	ts_ok("2026.10.03", "2026-10-03 00:00:00", 0);
	ts_ok("2026.10.3 8:05", "2026-10-03 08:05:00", 1);
	ts_ok("20261003", "2026-10-03 00:00:00", 0);
	ts_ok("20261003 08:05", "2026-10-03 08:05:00", 1);
	ts_ok("２０２６－１０－０３", "2026-10-03 00:00:00", 0);
	ts_ok("２０２６－１０－０３　０８：０５", "2026-10-03 08:05:00", 1);
	/* timezones to China time */
	ts_ok("2026-10-03T00:05:00Z", "2026-10-03 08:05:00", 1);
	ts_ok("2026-10-03T08:05:00+08:00", "2026-10-03 08:05:00", 1);
	ts_ok("2026-10-02T20:05:00-04:00", "2026-10-03 08:05:00", 1);
	ts_ok("2026-12-31T20:00:00Z", "2027-01-01 04:00:00", 1);
	ts_ok("2026-10-03 08:05:00 +0800", "2026-10-03 08:05:00", 1);
	/* year last, only with a date order */
	ts_bad("10/03/2026");
	assert_int_equal(value_timestamp_order("05/01/2022 12:00:03 AM", 22, PM_MDY, out, NULL,
					       &why), 0);
	assert_string_equal(out, "2022-05-01 00:00:03");
	assert_int_equal(value_timestamp_order("05/01/2022 12:00:03 PM", 22, PM_DMY, out, NULL,
					       &why), 0);
	assert_string_equal(out, "2022-01-05 12:00:03");
	assert_int_equal(value_timestamp_order("02/30/2022", 10, PM_MDY, out, NULL, &why), -1);
	assert_int_equal(value_timestamp_order("13/01/2022", 10, PM_MDY, out, NULL, &why), -1);
}

static void test_timestamp_export_rejections(void **state)
{
	(void)state;
	/* invalid dates stay errors in every spelling */
	ts_bad("2026.02.30");
	ts_bad("20260230");
	ts_bad("２０２６－０２－３０");
	ts_bad("2026-02-30T08:00:00Z");
	ts_bad("2026/10/03 下午 13:05");
	ts_bad("2026/10/03 上午 0:05");
	ts_bad("2026/10/03 下午");
	ts_bad("2026-10-03 08:05:00.");
	ts_bad("2026-10-03 08:05:00+25:00");
	ts_bad("2026-10-03 08:05:00+08:0");
	ts_bad("2026-10-03 08:05:00 CST");
	ts_bad("2026.10-03");
	ts_bad("2026.10.03.");
	ts_bad("4593");
	ts_bad("459330");
	ts_bad("45933.");
	ts_bad("45933.5x");
	ts_bad("202610031");
	ts_bad("2026-10-03 08:05 上午 PM");
	/* found by fuzz_value: a date alone has no time to convert */
	ts_bad("20261003Z");
	ts_bad("2026-10-03+08:00");
}

static void test_timestamp_never_reads_past_end(void **state)
{
	/* the length says the value stops before the time */
	char out[PM_TIMESTAMP_SIZE];

	(void)state;
	assert_int_equal(value_timestamp("2026-10-03 08:05", 10, out, NULL, NULL), 0);
	assert_string_equal(out, "2026-10-03 00:00:00");
	assert_int_equal(value_timestamp("2026-10-03 08:05", 13, out, NULL, NULL), -1);
}

static void test_date(void **state)
{
	char out[PM_DATE_SIZE];

	(void)state;
	assert_int_equal(value_date("2026/1/5", 8, out, NULL), 0);
	assert_string_equal(out, "2026-01-05");
	assert_int_equal(value_date("2026年10月31日", strlen("2026年10月31日"), out, NULL), 0);
	assert_string_equal(out, "2026-10-31");
	assert_int_equal(value_date("2026/10/31 0:00", 15, out, NULL), 0);
	assert_string_equal(out, "2026-10-31");
	assert_int_equal(value_date("2026-02-30", 10, out, NULL), -1);
	assert_int_equal(value_date("2026-10", 7, out, NULL), -1);
}

static void period_ok(const char *in, const char *want)
{
	char out[PM_PERIOD_SIZE];
	const char *why = NULL;

	if (value_period(in, strlen(in), out, &why))
		fail_msg("'%s' rejected: %s", in, why);
	assert_string_equal(out, want);
}

static void period_bad(const char *in)
{
	char out[PM_PERIOD_SIZE];

	if (!value_period(in, strlen(in), out, NULL))
		fail_msg("'%s' accepted as %s", in, out);
}

static void test_period(void **state)
{
	char end[PM_DATE_SIZE];

	(void)state;
	period_ok("2026-10", "2026-10");
	period_ok("2026/10", "2026-10");
	period_ok("202610", "2026-10");
	period_ok("2026年10月", "2026-10");
	period_ok("2026/1", "2026-01");
	period_bad("2026年13月");
	period_bad("202613");
	period_bad("2026-00");
	period_bad("2026-10-01");
	period_bad("2026");
	period_bad("abc");
	period_bad("");
	assert_int_equal(value_period_end("2024-02", end), 0);
	assert_string_equal(end, "2024-02-29");
	assert_int_equal(value_period_end("2026-02", end), 0);
	assert_string_equal(end, "2026-02-28");
	assert_int_equal(value_period_end("2026-12", end), 0);
	assert_string_equal(end, "2026-12-31");
}

static void money_ok(const char *in, int64_t want)
{
	int64_t cents = 0;
	const char *why = NULL;

	if (value_money(in, strlen(in), &cents, &why))
		fail_msg("'%s' rejected: %s", in, why);
	assert_true(cents == want);
}

static void money_bad(const char *in)
{
	int64_t cents = 0;
	const char *why = NULL;

	if (!value_money(in, strlen(in), &cents, &why))
		fail_msg("'%s' accepted as %lld", in, (long long)cents);
	assert_non_null(why);
}

static void test_money(void **state)
{
	(void)state;
	money_ok("1234.5", 123450);
	money_ok("1,234.50", 123450);
	money_ok("¥1234.50", 123450);
	money_ok("￥1,234.5", 123450);
	money_ok("-20.00", -2000);
	money_ok("-¥20", -2000);
	money_ok("0", 0);
	money_ok("0.01", 1);
	money_ok("1,234,567.89", 123456789);
	/* the largest amount that fits: INT64_MAX cents */
	money_ok("92233720368547758.07", INT64_MAX);
	money_bad("92233720368547758.08");
	money_bad("99999999999999999999");
	money_bad("1.234");
	money_bad("abc");
	money_bad("");
	money_bad("1.");
	money_bad(".5");
	money_bad("12,34.5");
	money_bad("1234,567");
	money_bad("1,2345");
	money_bad("1 234");
	money_bad("1e3");
	money_bad("--5");
	money_bad("¥");
	/* MAPPING.md's forms */
	money_ok("1234.5元", 123450);
	money_ok("1234.5 元", 123450);
	money_ok("¥ 1,234.50", 123450);
	money_ok("￥ 20", 2000);
	money_ok("(20.00)", -2000);
	money_ok("(¥1,234.50)", -123450);
	money_ok("１２３４．５", 123450);
	money_ok("（２０．００）", -2000);
	money_bad("(20.00");
	money_bad("20.00)");
	money_bad("(-20.00)");
	money_bad("1234.5元元");
	money_bad("元");
	money_bad("1.234元");
	money_bad("１．２３４");
}

static void test_bool(void **state)
{
	static const char *const yes[] = { "是", "Y", "y", "yes", "YES", "True", "1" };
	static const char *const no[] = { "否", "N", "n", "no", "No", "FALSE", "0" };
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_int_equal(value_bool(yes[i], strlen(yes[i]), &v, NULL), 0);
		assert_int_equal(v, 1);
		assert_int_equal(value_bool(no[i], strlen(no[i]), &v, NULL), 0);
		assert_int_equal(v, 0);
	}
	assert_int_equal(value_bool("maybe", 5, &v, NULL), -1);
	assert_int_equal(value_bool("2", 1, &v, NULL), -1);
	assert_int_equal(value_bool("ye", 2, &v, NULL), -1);
	assert_int_equal(value_bool("√", strlen("√"), &v, NULL), 0);
	assert_int_equal(v, 1);
	assert_int_equal(value_bool("×", strlen("×"), &v, NULL), 0);
	assert_int_equal(v, 0);
	assert_int_equal(value_bool("有", strlen("有"), &v, NULL), 0);
	assert_int_equal(v, 1);
	assert_int_equal(value_bool("无", strlen("无"), &v, NULL), 0);
	assert_int_equal(v, 0);
	assert_int_equal(value_bool("√×", strlen("√×"), &v, NULL), -1);
}

static void test_enumerations(void **state)
{
	(void)state;
	assert_string_equal(value_level("重大", strlen("重大")), "major");
	assert_string_equal(value_level("重要", strlen("重要")), "important");
	assert_string_equal(value_level("一般", strlen("一般")), "minor");
	assert_string_equal(value_level("轻微", strlen("轻微")), "minor");
	assert_string_equal(value_level("Major", 5), "major");
	assert_null(value_level("紧急", strlen("紧急")));
	assert_null(value_level("", 0));
	assert_string_equal(value_ref_kind("报修", strlen("报修")), "ticket");
	assert_string_equal(value_ref_kind("complaint", 9), "complaint");
	assert_string_equal(value_ref_kind("投诉", strlen("投诉")), "complaint");
	assert_null(value_ref_kind("回访", strlen("回访")));
	assert_string_equal(value_fee_kind("应收", strlen("应收")), "charge");
	assert_string_equal(value_fee_kind("实收", strlen("实收")), "payment");
	assert_string_equal(value_fee_kind("减免", strlen("减免")), "waiver");
	assert_string_equal(value_fee_kind("催缴", strlen("催缴")), "reminder");
	assert_string_equal(value_fee_kind("Payment", 7), "payment");
	assert_null(value_fee_kind("退款", strlen("退款")));
}

static void test_trim(void **state)
{
	const char *s = " \t\xe3\x80\x80" "a b\xe3\x80\x80 ";
	size_t n = strlen(s);

	(void)state;
	value_trim(&s, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "a b", 3);
	s = "   ";
	n = 3;
	value_trim(&s, &n);
	assert_int_equal(n, 0);
	/* a byte-order mark left where two files were joined */
	s = "\xef\xbb\xbfT1 \xef\xbb\xbf";
	n = strlen(s);
	value_trim(&s, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(s, "T1", 2);
	/* inside a value it stays */
	s = "T\xef\xbb\xbf" "1";
	n = strlen(s);
	value_trim(&s, &n);
	assert_int_equal(n, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timestamp_forms),
		cmocka_unit_test(test_timestamp_rejections),
		cmocka_unit_test(test_timestamp_export_forms),
		cmocka_unit_test(test_timestamp_export_rejections),
		cmocka_unit_test(test_timestamp_never_reads_past_end),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_enumerations),
		cmocka_unit_test(test_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
