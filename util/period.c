/*
 * Command-line periods and times (util/period.h): the texts users type, read
 * strictly, with the calendar arithmetic of util/civil.h.
 */
#include <stdio.h>
#include <string.h>
#include "util/civil.h"
#include "util/period.h"

/* Reads 1..max digits at *s (advancing it) into *v; -1 if none. */
static int number(const char **s, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && **s >= '0' && **s <= '9') {
		*v = *v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n ? 0 : -1;
}

/* Exactly four digits of a year in range at *s. */
static int year_at(const char **s, int *y)
{
	const char *start = *s;

	if (number(s, 4, y) || *s - start != 4)
		return -1;
	return *y < PERIOD_YEAR_MIN || *y > PERIOD_YEAR_MAX ? -1 : 0;
}

static void month_start(int y, int m, char out[20])
{
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	snprintf(out, 20, "%04u-%02u-01 00:00:00", (unsigned)y % 10000, (unsigned)m % 100);
}

/* [first month, first month + n) of year y into p; -1 if it ends after the range. */
static int months(int y, int m, int n, struct period *p)
{
	month_start(y, m, p->from);
	month_start(y, m + n, p->to);
	return (y * 12 + m - 1 + n) / 12 > PERIOD_YEAR_MAX ? -1 : 0;
}

static void clear(struct period *p)
{
	memset(p, 0, sizeof(*p));
}

int period_month(const char *text, struct period *p, pm_error *err)
{
	const char *s = text;
	int y, m = 0;

	clear(p);
	if (!year_at(&s, &y)) {
		if (*s == '-' || *s == '/') {
			s++;
			if (number(&s, 2, &m) || s - text != 7)
				m = 0;
		} else if (!strncmp(s, "年", strlen("年"))) {
			s += strlen("年");
			if (number(&s, 2, &m) || strncmp(s, "月", strlen("月")))
				m = 0;
			else
				s += strlen("月");
		} else if (number(&s, 2, &m) || s - text != 6) {
			m = 0;
		}
	}
	if (!m || m > 12 || *s || months(y, m, 1, p))
		return pm_fail(err, "--month: '%s' is not a month from %d-01 to %d-11 "
			       "(2026-10, 2026/10, 202610 or 2026年10月)", text,
			       PERIOD_YEAR_MIN, PERIOD_YEAR_MAX);
	p->year = y;
	p->month = m;
	snprintf(p->label, sizeof(p->label), "%04d-%02d", y, m);
	return 0;
}

int period_quarter(const char *text, struct period *p, pm_error *err)
{
	const char *s = text;
	int y, q = 0;

	clear(p);
	if (!year_at(&s, &y)) {
		s += *s == '-';
		if ((*s == 'Q' || *s == 'q') && s[1] >= '1' && s[1] <= '4' && !s[2])
			q = s[1] - '0';
	}
	if (!q || months(y, 3 * q - 2, 3, p))
		return pm_fail(err, "--quarter: '%s' is not a quarter from %dQ1 to %dQ3 "
			       "(2026Q4 or 2026-Q4)", text, PERIOD_YEAR_MIN, PERIOD_YEAR_MAX);
	p->year = y;
	p->quarter = q;
	snprintf(p->label, sizeof(p->label), "%04dQ%d", y, q);
	return 0;
}

int period_year(const char *text, struct period *p, pm_error *err)
{
	const char *s = text;
	int y;

	clear(p);
	if (year_at(&s, &y) || *s || months(y, 1, 12, p))
		return pm_fail(err, "--year: '%s' is not a year from %d to %d (2026)", text,
			       PERIOD_YEAR_MIN, PERIOD_YEAR_MAX - 1);
	p->year = y;
	snprintf(p->label, sizeof(p->label), "%04d", y);
	return 0;
}

/* 'Y-M-D' (one or two digits for M and D) of an existing day in range. */
static int date_at(const char **s, int *y, int *m, int *d)
{
	if (year_at(s, y) || *(*s)++ != '-' || number(s, 2, m) || *(*s)++ != '-' ||
	    number(s, 2, d))
		return -1;
	return *m < 1 || *m > 12 || *d < 1 || *d > civil_month_days(*y, *m) ? -1 : 0;
}

/* ' H:M[:S]' or 'TH:M[:S]' at s, the rest of the text. */
static int clock_at(const char *s, int *h, int *mi, int *sec)
{
	if (*s != ' ' && *s != 'T')
		return -1;
	s++;
	if (number(&s, 2, h) || *s++ != ':' || number(&s, 2, mi))
		return -1;
	if (*s == ':' && (s++, number(&s, 2, sec)))
		return -1;
	return *s || *h > 23 || *mi > 59 || *sec > 59 ? -1 : 0;
}

int period_time(const char *option, const char *text, char out[20], int *date_only,
		pm_error *err)
{
	const char *s = text;
	int y, m, d, h = 0, mi = 0, sec = 0;

	if (date_at(&s, &y, &m, &d) || (*s && clock_at(s, &h, &mi, &sec)))
		return pm_fail(err, "%s: '%s' is not a date or time from %d to %d "
			       "(YYYY-MM-DD[ HH:MM[:SS]])", option, text, PERIOD_YEAR_MIN,
			       PERIOD_YEAR_MAX);
	if (date_only)
		*date_only = !*s;
	snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)y % 10000,
		 (unsigned)m % 100, (unsigned)d % 100, (unsigned)h % 100, (unsigned)mi % 100,
		 (unsigned)sec % 100);
	return 0;
}

int period_range(const char *from, const char *to, struct period *p, pm_error *err)
{
	int64_t day;
	int date_only, y, m, d;
	char date[11];

	clear(p);
	if (!from || !to)
		return pm_fail(err, "--from and --to go together");
	if (period_time("--from", from, p->from, NULL, err) ||
	    period_time("--to", to, p->to, &date_only, err))
		return -1;
	if (date_only) {
		/* the whole day: up to the next midnight, still in range */
		p->to[10] = 0;
		civil_parse_date(p->to, &day);
		civil_format_date(day + 1, date);
		civil_from_days(day + 1, &y, &m, &d);
		if (y > PERIOD_YEAR_MAX)
			return pm_fail(err, "--to: '%s' is not a date before %d-12-31", to,
				       PERIOD_YEAR_MAX);
		memcpy(p->to, date, 10);
		memcpy(p->to + 10, " 00:00:00", 10);
	}
	return 0;
}

int period_from_options(const char *month, const char *quarter, const char *year,
			const char *from, const char *to, struct period *p, pm_error *err)
{
	int given = !!month + !!quarter + !!year + !!(from || to);

	if (given != 1)
		return pm_fail(err, "give exactly one period: --month, --quarter, --year "
			       "or --from/--to");
	if (month)
		return period_month(month, p, err);
	if (quarter)
		return period_quarter(quarter, p, err);
	if (year)
		return period_year(year, p, err);
	return period_range(from, to, p, err);
}
