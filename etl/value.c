/*
 * Parsers for the value types of the input contract (etl/value.h).
 */
#include <stdio.h>
#include <string.h>
#include "etl/value.h"
#include "util/civil.h"

/*
 * All parsers walk a cursor over (s, n) and never read past its end, since
 * fuzz targets call them on raw bytes.
 */
struct cursor {
	const unsigned char *p;
	const unsigned char *end;
};

static int fail(const char **why, const char *text)
{
	if (why)
		*why = text;
	return -1;
}

static int at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

/* Consumes the literal text lit if it comes next. */
static int eat(struct cursor *c, const char *lit)
{
	size_t len = strlen(lit);

	if ((size_t)(c->end - c->p) < len || memcmp(c->p, lit, len))
		return 0;
	c->p += len;
	return 1;
}

/* Reads min..max decimal digits into *v; returns the count read or 0. */
static int digits(struct cursor *c, int min, int max, int *v)
{
	int count = 0;

	*v = 0;
	while (count < max && !at_end(c) && *c->p >= '0' && *c->p <= '9') {
		*v = *v * 10 + (*c->p - '0');
		c->p++;
		count++;
	}
	if (count < min)
		return 0;
	/* a longer digit run is not this number */
	if (!at_end(c) && *c->p >= '0' && *c->p <= '9')
		return 0;
	return count;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/*
 * Writes v as exactly width digits. Used instead of snprintf, which showed
 * up at 10% of a million-row import.
 */
static char *put_digits(char *out, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return out + width;
}

/* 'YYYY-MM-DD HH:MM:SS' */
static void format_timestamp(char *out, int y, int m, int d, int h, int mi, int se)
{
	char *p = out;

	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = ' ';
	p = put_digits(p, h, 2);
	*p++ = ':';
	p = put_digits(p, mi, 2);
	*p++ = ':';
	p = put_digits(p, se, 2);
	*p = '\0';
}

static void skip_spaces(struct cursor *c)
{
	while (!at_end(c) && *c->p == ' ')
		c->p++;
}

/*
 * A run of digits starting at the cursor, without consuming it: how long
 * it is (up to 16).
 */
static int digit_run(const struct cursor *c)
{
	int k = 0;

	while (k < 16 && c->p + k < c->end && c->p[k] >= '0' && c->p[k] <= '9')
		k++;
	return k;
}

static int check_date(int y, int m, int d, const char **why)
{
	if (y < 1900 || y > 2999)
		return fail(why, "year out of range");
	if (m < 1 || m > 12)
		return fail(why, "month out of range");
	if (d < 1 || d > days_in_month(y, m))
		return fail(why, "day out of range");
	return 0;
}

static int is_date_sep(unsigned char ch)
{
	return ch == '-' || ch == '/' || ch == '.';
}

/*
 * 10/03/2026 or 3.10.2026: month and day first (date_order mdy or dmy);
 * with the default ymd such a date is refused, since 03/10/2026 means
 * different days in different countries.
 */
static int parse_date_year_last(struct cursor *c, enum pm_date_order order, int *y, int *m,
				int *d, const char **why)
{
	int a, b;
	unsigned char sep;

	if (order == PM_YMD)
		return fail(why, "expected a date such as 2026-10-03 (a date such as 10/03/2026 "
			    "needs date_order = mdy or dmy in a mapping file)");
	if (!digits(c, 1, 2, &a) || at_end(c) || !is_date_sep(*c->p))
		return fail(why, "expected a date such as 10/03/2026");
	sep = *c->p++;
	if (!digits(c, 1, 2, &b) || at_end(c) || *c->p++ != sep || !digits(c, 4, 4, y))
		return fail(why, "expected a date such as 10/03/2026");
	*m = order == PM_MDY ? a : b;
	*d = order == PM_MDY ? b : a;
	return check_date(*y, *m, *d, why);
}

/*
 * Year, month and day: 2026-10-03, 2026/10/3, 2026.10.03, 2026年10月3日,
 * 20261003; with date_order mdy/dmy also 10/03/2026.
 */
static int parse_date_part(struct cursor *c, enum pm_date_order order, int *y, int *m, int *d,
			   const char **why)
{
	int run = digit_run(c);

	if (run == 8) {
		/* 20261003: eight digits are a compact date */
		digits(c, 8, 8, y);
		*d = *y % 100;
		*m = *y / 100 % 100;
		*y /= 10000;
		return check_date(*y, *m, *d, why);
	}
	if (run == 1 || run == 2)
		return parse_date_year_last(c, order, y, m, d, why);
	if (!digits(c, 4, 4, y))
		return fail(why, "expected a date such as 2026-10-03");
	if (eat(c, "年")) {
		if (!digits(c, 1, 2, m) || !eat(c, "月") || !digits(c, 1, 2, d) || !eat(c, "日"))
			return fail(why, "expected a date such as 2026年10月3日");
	} else if (!at_end(c) && is_date_sep(*c->p)) {
		unsigned char sep = *c->p++;

		if (!digits(c, 1, 2, m) || at_end(c) || *c->p++ != sep || !digits(c, 1, 2, d))
			return fail(why, "expected a date such as 2026-10-03");
	} else {
		return fail(why, "expected a date such as 2026-10-03");
	}
	return check_date(*y, *m, *d, why);
}

/* 上午/AM = 1, 下午/PM = 2, else 0 (consumed when found). */
static int eat_half_day(struct cursor *c)
{
	if (eat(c, "上午") || eat(c, "AM") || eat(c, "am") || eat(c, "A.M.") || eat(c, "a.m."))
		return 1;
	if (eat(c, "下午") || eat(c, "PM") || eat(c, "pm") || eat(c, "P.M.") || eat(c, "p.m."))
		return 2;
	return 0;
}

/* Fractional seconds (.000): truncated to the second. */
static int skip_fraction(struct cursor *c)
{
	int any = 0;

	if (at_end(c) || *c->p != '.')
		return 0;
	c->p++;
	while (!at_end(c) && *c->p >= '0' && *c->p <= '9') {
		c->p++;
		any = 1;
	}
	return any ? 0 : -1;
}

/*
 * H:MM[:SS[.fff]] or H时M分[S秒], with 上午/下午 or AM/PM before or after
 * (12-hour clock: 12 a.m. is 00, 12 p.m. is 12).
 */
static int parse_time_part(struct cursor *c, int *h, int *mi, int *se, const char **why)
{
	int half = eat_half_day(c);

	if (half)
		skip_spaces(c);
	*se = 0;
	if (!digits(c, 1, 2, h))
		return fail(why, "expected a time such as 08:05");
	if (eat(c, "时") || eat(c, "点")) {
		if (!digits(c, 1, 2, mi) || !eat(c, "分"))
			return fail(why, "expected a time such as 8时5分");
		if (!at_end(c) && *c->p >= '0' && *c->p <= '9' &&
		    (!digits(c, 1, 2, se) || !eat(c, "秒")))
			return fail(why, "expected a time such as 8时5分3秒");
	} else if (eat(c, ":")) {
		if (!digits(c, 2, 2, mi))
			return fail(why, "expected a time such as 08:05");
		if (eat(c, ":") && (!digits(c, 2, 2, se) || skip_fraction(c)))
			return fail(why, "expected a time such as 08:05:09");
	} else {
		return fail(why, "expected a time such as 08:05");
	}
	if (!half && !at_end(c)) {
		const unsigned char *mark = c->p;

		skip_spaces(c);
		half = eat_half_day(c);
		if (!half)
			c->p = mark;
	}
	if (half) {
		if (*h < 1 || *h > 12)
			return fail(why, "hour out of range for a 12-hour clock");
		*h = *h % 12 + (half == 2 ? 12 : 0);
	}
	if (*h > 23)
		return fail(why, "hour out of range");
	if (*mi > 59)
		return fail(why, "minute out of range");
	if (*se > 59)
		return fail(why, "second out of range");
	return 0;
}

/* A timezone suffix: Z, +08:00, +0800, -05; *minutes east of UTC. */
static int parse_zone(struct cursor *c, int *minutes, const char **why)
{
	int sign, hh, mm = 0;

	if (eat(c, "Z")) {
		*minutes = 0;
		return 0;
	}
	if (at_end(c) || (*c->p != '+' && *c->p != '-'))
		return fail(why, "unexpected text after the time");
	sign = *c->p++ == '-' ? -1 : 1;
	if (digit_run(c) == 4) {
		digits(c, 4, 4, &hh);
		mm = hh % 100;
		hh /= 100;
	} else if (!digits(c, 2, 2, &hh) || (eat(c, ":") && !digits(c, 2, 2, &mm))) {
		return fail(why, "expected a timezone such as +08:00");
	}
	if (hh > 14 || mm > 59)
		return fail(why, "timezone out of range");
	*minutes = sign * (hh * 60 + mm);
	return 0;
}

/* China time (UTC+8, no DST): the stored local time of any zone's time. */
#define CHINA_MINUTES (8 * 60)

static void to_china_time(int *y, int *m, int *d, int *h, int *mi, int zone_minutes)
{
	int64_t minutes = civil_days(*y, *m, *d) * 1440 + *h * 60 + *mi
			  - zone_minutes + CHINA_MINUTES;
	int64_t day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;

	minutes -= day * 1440;
	civil_from_days(day, y, m, d);
	*h = (int)(minutes / 60);
	*mi = (int)(minutes % 60);
}

/*
 * An Excel serial number: days since 1899-12-30, the fraction the time of
 * day rounded to the nearest second. Five digits only (1927-05-18 to
 * 2173-10-14): a four-digit number is more likely a year than a date.
 */
static int parse_serial(struct cursor *c, int *y, int *m, int *d, int *h, int *mi, int *se,
			int *timed)
{
	int64_t whole = 0, num = 0, den = 1, secs;
	int k;

	if (digit_run(c) != 5)
		return -1;
	for (k = 0; k < 5; k++)
		whole = whole * 10 + (*c->p++ - '0');
	*timed = 0;
	if (!at_end(c)) {
		if (*c->p != '.')
			return -1;
		c->p++;
		for (k = 0; !at_end(c) && *c->p >= '0' && *c->p <= '9'; k++, c->p++)
			if (k < 12) {
				num = num * 10 + (*c->p - '0');
				den *= 10;
			}
		if (k == 0 || !at_end(c))
			return -1;
		*timed = 1;
	}
	secs = (num * 86400 * 2 + den) / (2 * den);
	whole += secs / 86400;
	secs %= 86400;
	civil_from_days(civil_days(1899, 12, 30) + whole, y, m, d);
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
	*se = (int)(secs % 60);
	return 0;
}

/* The grammar of value_timestamp_order() on (s, n) as given. */
static int parse_timestamp(const char *s, size_t n, enum pm_date_order order,
			   char out[PM_TIMESTAMP_SIZE], int *has_time, const char **why)
{
	struct cursor c = { (const unsigned char *)s, (const unsigned char *)s + n };
	int y, m, d, h = 0, mi = 0, se = 0, timed = 0, zone;

	if (parse_serial(&c, &y, &m, &d, &h, &mi, &se, &timed) == 0) {
		if (check_date(y, m, d, why))
			return -1;
		goto done;
	}
	c.p = (const unsigned char *)s;
	if (parse_date_part(&c, order, &y, &m, &d, why))
		return -1;
	if (!at_end(&c) && *c.p != '+' && *c.p != 'Z') {
		if (*c.p == 'T')
			c.p++;
		else if (*c.p == ' ')
			skip_spaces(&c);
		else if (c.p - (const unsigned char *)s < 3 || memcmp(c.p - 3, "日", 3))
			/* 2026年10月3日8:05 needs no space */
			if (!(c.end - c.p >= 6 && (!memcmp(c.p, "上午", 6) || !memcmp(c.p, "下午", 6))))
				return fail(why, "unexpected text after the date");
		if (parse_time_part(&c, &h, &mi, &se, why))
			return -1;
		timed = 1;
	}
	if (!at_end(&c)) {
		skip_spaces(&c);
		if (parse_zone(&c, &zone, why))
			return -1;
		if (!timed)
			return fail(why, "a timezone without a time of day");
		if (!at_end(&c))
			return fail(why, "unexpected text after the time");
		to_china_time(&y, &m, &d, &h, &mi, zone);
		if (check_date(y, m, d, why))
			return -1;
	}
done:
	format_timestamp(out, y, m, d, h, mi, se);
	if (has_time)
		*has_time = timed;
	return 0;
}

/*
 * Full-width forms (U+FF01..U+FF5E: ０-９, －, ：, ．, ／, （, ）, ...) and
 * the ideographic space, as a Chinese input method types them, folded to
 * ASCII into out. Returns the new length, or 0 when there is nothing to
 * fold or it does not fit.
 */
static size_t fold_fullwidth(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, k = 0;
	int folded = 0;

	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;

		if (k + 1 >= cap)
			return 0;
		if (n - i >= 3 && u[0] == 0xEF && (u[1] == 0xBC || u[1] == 0xBD)) {
			unsigned cp = 0xFF00 + ((u[1] & 0x03) << 6) + (u[2] & 0x3F);

			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				out[k++] = (char)(cp - 0xFEE0);
				i += 3;
				folded = 1;
				continue;
			}
		}
		if (n - i >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {
			out[k++] = ' ';
			i += 3;
			folded = 1;
			continue;
		}
		out[k++] = s[i++];
	}
	return folded ? k : 0;
}

/* Room for a folded value; longer ones are not dates or amounts anyway. */
#define FOLD_CAP 96

int value_timestamp_order(const char *s, size_t n, enum pm_date_order order,
			  char out[PM_TIMESTAMP_SIZE], int *has_time, const char **why)
{
	char folded[FOLD_CAP];
	size_t m;

	if (parse_timestamp(s, n, order, out, has_time, why) == 0)
		return 0;
	m = fold_fullwidth(s, n, folded, sizeof(folded));
	return m ? parse_timestamp(folded, m, order, out, has_time, why) : -1;
}

int value_timestamp(const char *s, size_t n, char out[PM_TIMESTAMP_SIZE],
		    int *has_time, const char **why)
{
	return value_timestamp_order(s, n, PM_YMD, out, has_time, why);
}

int value_date_order(const char *s, size_t n, enum pm_date_order order, char out[PM_DATE_SIZE],
		     const char **why)
{
	char ts[PM_TIMESTAMP_SIZE];

	if (value_timestamp_order(s, n, order, ts, NULL, why))
		return -1;
	memcpy(out, ts, 10);
	out[10] = '\0';
	return 0;
}

int value_date(const char *s, size_t n, char out[PM_DATE_SIZE], const char **why)
{
	return value_date_order(s, n, PM_YMD, out, why);
}

int value_period(const char *s, size_t n, char out[PM_PERIOD_SIZE], const char **why)
{
	struct cursor c = { (const unsigned char *)s, (const unsigned char *)s + n };
	int y, m;
	char *p;

	if (n == 6 && digits(&c, 6, 6, &y)) {
		m = y % 100;
		y /= 100;
	} else {
		c.p = (const unsigned char *)s;
		if (!digits(&c, 4, 4, &y))
			return fail(why, "expected a period such as 2026-10");
		if (eat(&c, "年")) {
			if (!digits(&c, 1, 2, &m) || !eat(&c, "月"))
				return fail(why, "expected a period such as 2026年10月");
		} else if (eat(&c, "-") || eat(&c, "/")) {
			if (!digits(&c, 1, 2, &m))
				return fail(why, "expected a period such as 2026-10");
		} else {
			return fail(why, "expected a period such as 2026-10");
		}
		if (!at_end(&c))
			return fail(why, "unexpected text after the period");
	}
	if (y < 1900 || y > 2999)
		return fail(why, "year out of range");
	if (m < 1 || m > 12)
		return fail(why, "month out of range");
	/* put_digits, not snprintf: once per fee event (2M in the benchmark) */
	p = put_digits(out, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p = '\0';
	return 0;
}

int value_period_end(const char *period, char out[PM_DATE_SIZE])
{
	int y, m;

	if (strlen(period) != 7 || sscanf(period, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return -1;
	snprintf(out, PM_DATE_SIZE, "%04d-%02d-%02d", y, m, days_in_month(y, m));
	return 0;
}

/* Appends one digit to *v unless that overflows. */
static int push_digit(int64_t *v, int digit)
{
	if (*v > (INT64_MAX - digit) / 10)
		return -1;
	*v = *v * 10 + digit;
	return 0;
}

/* The integer part, with optional thousands separators (1,234,567). */
static int money_integer(struct cursor *c, int64_t *v, const char **why)
{
	int group = 0, groups = 0, any = 0;

	*v = 0;
	while (!at_end(c)) {
		if (*c->p >= '0' && *c->p <= '9') {
			if (push_digit(v, *c->p - '0'))
				return fail(why, "amount too large");
			group++;
			any = 1;
			if (groups > 0 && group > 3)
				return fail(why, "misplaced thousands separator");
		} else if (*c->p == ',') {
			if (group == 0 || (groups == 0 && group > 3) || (groups > 0 && group != 3))
				return fail(why, "misplaced thousands separator");
			groups++;
			group = 0;
		} else {
			break;
		}
		c->p++;
	}
	if (!any)
		return fail(why, "expected an amount such as 1234.50");
	if (groups > 0 && group != 3)
		return fail(why, "misplaced thousands separator");
	return 0;
}

/*
 * The grammar of value_money(): [(][-][¥|￥][ ][-]digits[.dd][ ][元][)].
 * Parentheses are an accounting negative: (20.00) is -20.00.
 */
static int parse_money(const char *s, size_t n, int64_t *cents, const char **why)
{
	struct cursor c = { (const unsigned char *)s, (const unsigned char *)s + n };
	int64_t whole, frac = 0;
	int negative = 0, decimals = 0, paren;

	paren = eat(&c, "(");
	if (eat(&c, "-"))
		negative = 1;
	if (eat(&c, "¥") || eat(&c, "￥"))
		skip_spaces(&c);
	if (!negative && eat(&c, "-"))
		negative = 1;
	if (money_integer(&c, &whole, why))
		return -1;
	if (eat(&c, ".")) {
		while (!at_end(&c) && *c.p >= '0' && *c.p <= '9') {
			if (++decimals > 2)
				return fail(why, "more than two decimals");
			frac = frac * 10 + (*c.p++ - '0');
		}
		if (decimals == 0)
			return fail(why, "expected digits after the decimal point");
	}
	if (!at_end(&c) && *c.p != ')') {
		skip_spaces(&c);
		if (!eat(&c, "元"))
			return fail(why, "expected an amount such as 1234.50");
	}
	if (paren) {
		if (negative || !eat(&c, ")"))
			return fail(why, "expected an amount such as (20.00)");
		negative = 1;
	}
	if (!at_end(&c))
		return fail(why, "expected an amount such as 1234.50");
	if (decimals == 1)
		frac *= 10;
	if (whole > (INT64_MAX - frac) / 100)
		return fail(why, "amount too large");
	*cents = whole * 100 + frac;
	if (negative)
		*cents = -*cents;
	return 0;
}

int value_money(const char *s, size_t n, int64_t *cents, const char **why)
{
	char folded[FOLD_CAP];
	size_t m;

	if (parse_money(s, n, cents, why) == 0)
		return 0;
	m = fold_fullwidth(s, n, folded, sizeof(folded));
	return m ? parse_money(folded, m, cents, why) : -1;
}

/* ASCII case-insensitive equality of (s, n) with the NUL-terminated word. */
static int same_word(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncasecmp(s, word, n);
}

int value_bool(const char *s, size_t n, int *out, const char **why)
{
	static const char *const yes[] = { "是", "y", "yes", "true", "1", "√", "有" };
	static const char *const no[] = { "否", "n", "no", "false", "0", "×", "无" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (same_word(s, n, yes[i])) {
			*out = 1;
			return 0;
		}
		if (same_word(s, n, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return fail(why, "expected 是/否, Y/N, yes/no, true/false, 1/0, √/× or 有/无");
}

struct word_map {
	const char *word;
	const char *canonical;
};

static const char *lookup(const struct word_map *map, size_t count, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (same_word(s, n, map[i].word))
			return map[i].canonical;
	return NULL;
}

const char *value_level(const char *s, size_t n)
{
	static const struct word_map map[] = {
		{ "重大", "major" }, { "重要", "important" },
		{ "一般", "minor" }, { "轻微", "minor" },
		{ "major", "major" }, { "important", "important" },
		{ "minor", "minor" }, { "general", "minor" },
	};

	return lookup(map, sizeof(map) / sizeof(map[0]), s, n);
}

const char *value_ref_kind(const char *s, size_t n)
{
	static const struct word_map map[] = {
		{ "报修", "ticket" }, { "ticket", "ticket" },
		{ "投诉", "complaint" }, { "complaint", "complaint" },
	};

	return lookup(map, sizeof(map) / sizeof(map[0]), s, n);
}

const char *value_fee_kind(const char *s, size_t n)
{
	static const struct word_map map[] = {
		{ "应收", "charge" }, { "charge", "charge" },
		{ "实收", "payment" }, { "payment", "payment" },
		{ "减免", "waiver" }, { "waiver", "waiver" },
		{ "催缴", "reminder" }, { "reminder", "reminder" },
	};

	return lookup(map, sizeof(map) / sizeof(map[0]), s, n);
}

/* U+3000 IDEOGRAPHIC SPACE, which Chinese spreadsheets leave in cells. */
static const char IDEOGRAPHIC_SPACE[] = "\xe3\x80\x80";
/*
 * U+FEFF, invisible: where two exported files were joined with cat, the
 * second one's byte-order mark starts a line in the middle of the file and
 * would otherwise become part of a key ("\ufeffT1" is not "T1").
 */
static const char BYTE_ORDER_MARK[] = "\xef\xbb\xbf";

/* Length of a space-like character at s[0..n) (see value_trim), or 0. */
static size_t space_at(const char *s, size_t n)
{
	if (n > 0 && (*s == ' ' || *s == '\t'))
		return 1;
	if (n >= 3 && (!memcmp(s, IDEOGRAPHIC_SPACE, 3) || !memcmp(s, BYTE_ORDER_MARK, 3)))
		return 3;
	return 0;
}

/* The same, for a space-like character that ends just before s[n]. */
static size_t space_before(const char *s, size_t n)
{
	if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		return 1;
	if (n >= 3 && (!memcmp(s + n - 3, IDEOGRAPHIC_SPACE, 3) ||
		       !memcmp(s + n - 3, BYTE_ORDER_MARK, 3)))
		return 3;
	return 0;
}

void value_trim(const char **s, size_t *n)
{
	size_t k;

	while ((k = space_at(*s, *n)) > 0) {
		*s += k;
		*n -= k;
	}
	while ((k = space_before(*s, *n)) > 0)
		*n -= k;
}
