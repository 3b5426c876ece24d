/* Stored reject reasons shown in Chinese (db/reject_reason.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "db/reject_reason.h"

static void zh_is(const char *reason, const char *want)
{
	char out[600];

	reject_reason_zh(reason, out, sizeof(out));
	assert_string_equal(out, want);
}

/* what a value is not, the value as quoted, and why */
static void test_value_reasons(void **state)
{
	(void)state;
	zh_is("not a valid timestamp '2026-10-12 25:10': hour out of range",
	      "不是有效的时间 '2026-10-12 25:10': 小时超出范围");
	zh_is("unknown level '特级': expected 重大, 重要, 一般 or 轻微",
	      "未知的投诉等级 '特级': 应为 重大、重要、一般 或 轻微");
	zh_is("not a valid amount '12.345': more than two decimals",
	      "不是有效的金额 '12.345': 小数超过两位");
	zh_is("not a valid date '10/03/2026': expected a date such as 2026-10-03 (a date such "
	      "as 10/03/2026 needs date_order = mdy or dmy in a mapping file)",
	      "不是有效的日期 '10/03/2026': 应为 2026-10-03 这样的日期（10/03/2026 这样的日期"
	      "需要在映射文件中设置 date_order = mdy 或 dmy）");
	zh_is("required value is empty", "必填值为空");
}

/* holes carry numbers and examples over; each part of a many-cell reason */
static void test_holes_and_parts(void **state)
{
	(void)state;
	zh_is("expected 9 fields as in the header, found 8", "表头有 9 列，此行有 8 列");
	zh_is("amount is required for a charge", "应收记录必须填写金额");
	zh_is("arrears_amount 12.00 is not due - waived - paid = 10.00",
	      "arrears_amount 12.00 不等于 应收 - 减免 - 实收 = 10.00");
	zh_is("not a valid amount 'x': expected an amount such as 1234.50; reported_at: "
	      "not a valid timestamp 'y': expected a time such as 08:05",
	      "不是有效的金额 'x': 应为 1234.50 这样的金额; reported_at: "
	      "不是有效的时间 'y': 应为 08:05 这样的时刻");
}

/* a phrase inside a quoted value is the value, not a phrase */
static void test_values_stay(void **state)
{
	(void)state;
	zh_is("unknown level 'required value is empty': expected 重大, 重要, 一般 or 轻微",
	      "未知的投诉等级 'required value is empty': 应为 重大、重要、一般 或 轻微");
	zh_is("a reason nobody wrote", "a reason nobody wrote");
	zh_is("", "");
}

/* a short buffer is cut between characters, and nothing follows the cut */
static void test_cut(void **state)
{
	char out[20];

	(void)state;
	reject_reason_zh("not a valid amount 'x': more than two decimals", out, sizeof(out));
	assert_string_equal(out, "不是有效的金");
	reject_reason_zh("required value is empty", out, 1);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_reasons),
		cmocka_unit_test(test_holes_and_parts),
		cmocka_unit_test(test_values_stay),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
