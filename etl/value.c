/*
 * Parsers for the value types of the input contract (etl/value.h).
 */
#include <stdio.h>
#include <string.h>
#include "etl/value.h"

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

/* Year, month and day in one of the three spellings. */
static int parse_date_part(struct cursor *c, int *y, int *m, int *d, const char **why)
{
	if (!digits(c, 4, 4, y))
		return fail(why, "expected a date such as 2026-10-03");
	if (eat(c, "年")) {
		if (!digits(c, 1, 2, m) || !eat(c, "月") || !digits(c, 1, 2, d) || !eat(c, "日"))
			return fail(why, "expected a date such as 2026年10月3日");
	} else if (!at_end(c) && (*c->p == '-' || *c->p == '/')) {
		unsigned char sep = *c->p++;

		if (!digits(c, 1, 2, m) || at_end(c) || *c->p++ != sep || !digits(c, 1, 2, d))
			return fail(why, "expected a date such as 2026-10-03");
	} else {
		return fail(why, "expected a date such as 2026-10-03");
	}
	if (*y < 1900 || *y > 2999)
		return fail(why, "year out of range");
	if (*m < 1 || *m > 12)
		return fail(why, "month out of range");
	if (*d < 1 || *d > days_in_month(*y, *m))
		return fail(why, "day out of range");
	return 0;
}

/* H:MM[:SS] or H时M分[S秒]. */
static int parse_time_part(struct cursor *c, int *h, int *mi, int *se, const char **why)
{
	*se = 0;
	if (!digits(c, 1, 2, h))
		return fail(why, "expected a time such as 08:05");
	if (eat(c, "时") || eat(c, "点")) {
		if (!digits(c, 1, 2, mi) || !eat(c, "分"))
			return fail(why, "expected a time such as 8时5分");
		if (!at_end(c) && (!digits(c, 1, 2, se) || !eat(c, "秒")))
			return fail(why, "expected a time such as 8时5分3秒");
	} else if (eat(c, ":")) {
		if (!digits(c, 2, 2, mi))
			return fail(why, "expected a time such as 08:05");
		if (eat(c, ":") && !digits(c, 2, 2, se))
			return fail(why, "expected a time such as 08:05:09");
	} else {
		return fail(why, "expected a time such as 08:05");
	}
	if (*h > 23)
		return fail(why, "hour out of range");
	if (*mi > 59)
		return fail(why, "minute out of range");
	if (*se > 59)
		return fail(why, "second out of range");
	return 0;
}

int value_timestamp(const char *s, size_t n, char out[PM_TIMESTAMP_SIZE],
		    int *has_time, const char **why)
{
	struct cursor c = { (const unsigned char *)s, (const unsigned char *)s + n };
	int y, m, d, h = 0, mi = 0, se = 0, timed = 0;

	if (parse_date_part(&c, &y, &m, &d, why))
		return -1;
	if (!at_end(&c)) {
		if (*c.p == 'T')
			c.p++;
		else if (*c.p == ' ')
			skip_spaces(&c);
		else if (memcmp(c.p - 3, "日", 3))	/* 2026年10月3日8:05 needs no space */
			return fail(why, "unexpected text after the date");
		if (parse_time_part(&c, &h, &mi, &se, why))
			return -1;
		timed = 1;
	}
	if (!at_end(&c))
		return fail(why, "unexpected text after the time");
	format_timestamp(out, y, m, d, h, mi, se);
	if (has_time)
		*has_time = timed;
	return 0;
}

int value_date(const char *s, size_t n, char out[PM_DATE_SIZE], const char **why)
{
	char ts[PM_TIMESTAMP_SIZE];

	if (value_timestamp(s, n, ts, NULL, why))
		return -1;
	memcpy(out, ts, 10);
	out[10] = '\0';
	return 0;
}

int value_period(const char *s, size_t n, char out[PM_PERIOD_SIZE], const char **why)
{
	struct cursor c = { (const unsigned char *)s, (const unsigned char *)s + n };
	int y, m;

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
	snprintf(out, PM_PERIOD_SIZE, "%04d-%02d", y, m);
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

int value_money(const char *s, size_t n, int64_t *cents, const char **why)
{
	struct cursor c = { (const unsigned char *)s, (const unsigned char *)s + n };
	int64_t whole, frac = 0;
	int negative = 0, decimals = 0;

	if (eat(&c, "-"))
		negative = 1;
	if (!eat(&c, "¥"))
		eat(&c, "￥");
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

/* ASCII case-insensitive equality of (s, n) with the NUL-terminated word. */
static int same_word(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncasecmp(s, word, n);
}

int value_bool(const char *s, size_t n, int *out, const char **why)
{
	static const char *const yes[] = { "是", "y", "yes", "true", "1" };
	static const char *const no[] = { "否", "n", "no", "false", "0" };
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
	return fail(why, "expected 是/否, Y/N, yes/no, true/false or 1/0");
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
