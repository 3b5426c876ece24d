/*
 * Stored reject reasons in Chinese (db/reject_reason.h).
 */
#include <stdio.h>
#include <string.h>
#include "db/reject_reason.h"

/*
 * The importer's phrases and their Chinese. "%s" is a hole: it takes the
 * text up to the phrase's next literal part, or, for a last hole, up to
 * the end of the reason's part ("; " or the end). The holes keep their
 * order. A longer phrase comes before one it begins with.
 */
static const char *const PHRASES[][2] = {
	/* etl/row.c: what a bad value is not */
	{ "not a valid timestamp", "不是有效的时间" },
	{ "not a valid date", "不是有效的日期" },
	{ "not a valid period", "不是有效的账期" },
	{ "not a valid amount", "不是有效的金额" },
	{ "not a yes/no value", "不是“是/否”值" },
	{ "unknown level", "未知的投诉等级" },
	{ "unknown callback type", "未知的回访类型" },
	{ "unknown entry type", "未知的台账类型" },
	{ "expected 重大, 重要, 一般 or 轻微", "应为 重大、重要、一般 或 轻微" },
	{ "expected 报修 or 投诉", "应为 报修 或 投诉" },
	{ "expected 应收, 实收, 减免 or 催缴", "应为 应收、实收、减免 或 催缴" },
	{ "internal error: unknown field type", "内部错误：未知的字段类型" },
	{ "NUL byte in the value", "值中含有 NUL 字节" },
	{ "bytes that are not valid in the file's encoding", "含有文件编码中无效的字节" },
	{ "required value is empty", "必填值为空" },
	{ "the header row again (were two files joined?)",
	  "再次出现表头行（是否把两个文件拼接在了一起？）" },
	{ "expected %s fields as in the header, found %s", "表头有 %s 列，此行有 %s 列" },
	{ "amount is required for a %s", "%s 记录必须填写金额 (amount)" },
	/* etl/statement.c: a fee statement's bill */
	{ "paid_amount %s without a payment date (paid_at)",
	  "paid_amount %s 没有付款日期 (paid_at)" },
	{ "arrears_amount %s is not due - waived - paid = %s",
	  "arrears_amount %s 不等于 应收 - 减免 - 实收 = %s" },
	/* etl/reader.c: the record itself */
	{ "more than 1024 fields", "超过 1024 列" },
	{ "record longer than 1 MiB", "记录超过 1 MiB" },
	{ "unterminated quoted field: a quote in this record is never closed, "
	  "so the rest of the file was read as part of it",
	  "引号未闭合：此记录中的引号没有结束，文件其余部分都被读成了这一记录" },
	/* etl/value.c: why a value is not what it should be */
	{ "expected a date such as 2026-10-03 (a date such as 10/03/2026 "
	  "needs date_order = mdy or dmy in a mapping file)",
	  "应为 2026-10-03 这样的日期（10/03/2026 这样的日期需要在映射文件中设置 "
	  "date_order = mdy 或 dmy）" },
	{ "expected a date such as %s", "应为 %s 这样的日期" },
	{ "expected a time such as %s", "应为 %s 这样的时刻" },
	{ "expected a period such as %s", "应为 %s 这样的账期" },
	{ "expected an amount such as %s", "应为 %s 这样的金额" },
	{ "expected a timezone such as %s", "应为 %s 这样的时区" },
	{ "expected digits after the decimal point", "小数点后应有数字" },
	{ "expected 是/否, Y/N, yes/no, true/false, 1/0, √/× or 有/无",
	  "应为 是/否、Y/N、yes/no、true/false、1/0、√/× 或 有/无" },
	{ "year out of range", "年份超出范围" },
	{ "month out of range", "月份超出范围" },
	{ "day out of range", "日超出范围" },
	{ "hour out of range for a 12-hour clock", "小时超出 12 小时制的范围" },
	{ "hour out of range", "小时超出范围" },
	{ "minute out of range", "分钟超出范围" },
	{ "second out of range", "秒超出范围" },
	{ "timezone out of range", "时区超出范围" },
	{ "unexpected text after the time", "时刻后面有多余的文字" },
	{ "unexpected text after the date", "日期后面有多余的文字" },
	{ "unexpected text after the period", "账期后面有多余的文字" },
	{ "a timezone without a time of day", "有时区而没有时刻" },
	{ "amount too large", "金额过大" },
	{ "misplaced thousands separator", "千位分隔符的位置不对" },
	{ "more than two decimals", "小数超过两位" },
};

#define MAX_HOLES 4

struct hole {
	const char *at;
	size_t len;
};

/* End of the reason's part that starts at s: "; " or the end. */
static const char *part_end(const char *s)
{
	const char *semi = strstr(s, "; ");

	return semi ? semi : s + strlen(s);
}

/*
 * Matches pattern at s; returns the length matched (0: no match) and the
 * holes' texts.
 */
static size_t match(const char *pattern, const char *s, struct hole *holes, int *nholes)
{
	const char *p = pattern, *t = s;

	*nholes = 0;
	while (*p) {
		const char *hole = strstr(p, "%s");
		size_t lit = hole ? (size_t)(hole - p) : strlen(p);

		if (strncmp(t, p, lit))
			return 0;
		t += lit;
		p += lit;
		if (!hole)
			break;
		p += 2;
		if (*nholes == MAX_HOLES)
			return 0;
		holes[*nholes].at = t;
		if (*p) {
			/* up to the next literal part's first character run */
			const char *next = strstr(p, "%s");
			size_t nlen = next ? (size_t)(next - p) : strlen(p);
			const char *found = NULL, *q;

			for (q = t; *q && q < part_end(t); q++)
				if (!strncmp(q, p, nlen)) {
					found = q;
					break;
				}
			if (!found || found == t)
				return 0;
			holes[*nholes].len = (size_t)(found - t);
		} else {
			holes[*nholes].len = (size_t)(part_end(t) - t);
			if (!holes[*nholes].len)
				return 0;
		}
		t += holes[(*nholes)++].len;
	}
	return (size_t)(t - s);
}

/* Appends n bytes of s to out[*used..size); a cut text takes nothing more. */
static void put(char *out, size_t size, size_t *used, const char *s, size_t n)
{
	int cut = 0;

	if (*used + 1 >= size)
		return;
	if (n > size - 1 - *used) {
		n = size - 1 - *used;
		cut = 1;
		/* never half a character: the text is printed as UTF-8 */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out + *used, s, n);
	out[*used + n] = '\0';
	*used = cut ? size - 1 : *used + n;
}

/* The Chinese of the phrase matched, holes filled in. */
static void put_phrase(char *out, size_t size, size_t *used, const char *zh,
		       const struct hole *holes, int nholes)
{
	int h = 0;

	while (*zh) {
		const char *hole = strstr(zh, "%s");
		size_t lit = hole ? (size_t)(hole - zh) : strlen(zh);

		put(out, size, used, zh, lit);
		if (!hole)
			break;
		if (h < nholes) {
			put(out, size, used, holes[h].at, holes[h].len);
			h++;
		}
		zh = hole + 2;
	}
}

/* A phrase may start the reason or follow "; ", ": " or "': ". */
static int at_boundary(const char *reason, const char *s)
{
	return s == reason || (s - reason >= 2 && (s[-2] == ';' || s[-2] == ':') && s[-1] == ' ');
}

void reject_reason_zh(const char *reason, char *out, size_t size)
{
	const char *s = reason;
	size_t used = 0, i;

	if (size == 0)
		return;
	out[0] = '\0';
	while (*s) {
		struct hole holes[MAX_HOLES];
		int nholes = 0;
		size_t len = 0;

		for (i = 0; at_boundary(reason, s) && i < sizeof(PHRASES) / sizeof(PHRASES[0]); i++)
			if ((len = match(PHRASES[i][0], s, holes, &nholes)) > 0)
				break;
		if (len) {
			put_phrase(out, size, &used, PHRASES[i][1], holes, nholes);
			s += len;
		} else {
			put(out, size, &used, s, 1);
			s++;
		}
	}
}
