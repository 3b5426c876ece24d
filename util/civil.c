/*
 * Day numbers after Howard Hinnant's days_from_civil / civil_from_days,
 * which are exact for every proleptic Gregorian date.
 */
#include <string.h>
#include "util/civil.h"

int64_t civil_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int civil_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* 'YYYY-MM' at s: year and month, or -1. */
static int year_month(const char *s, int *y, int *m)
{
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	return *y < 0 || s[4] != '-' || *m < 1 || *m > 12 ? -1 : 0;
}

static int ymd(const char *s, int64_t *day)
{
	int y, m, d;

	if (year_month(s, &y, &m) || s[7] != '-')
		return -1;
	d = digits(s + 8, 2);
	if (d < 1 || d > civil_month_days(y, m))
		return -1;
	*day = civil_days(y, m, d);
	return 0;
}

int civil_parse_timestamp(const char *s, int64_t *secs)
{
	int64_t day;
	int h, mi, se;

	if (strlen(s) != 19 || ymd(s, &day) || s[10] != ' ' || s[13] != ':' || s[16] != ':')
		return -1;
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	se = digits(s + 17, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
		return -1;
	*secs = day * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

int civil_parse_date(const char *s, int64_t *day)
{
	return strlen(s) != 10 || ymd(s, day) ? -1 : 0;
}

int civil_parse_period(const char *s, int *period)
{
	int y, m;

	if (strlen(s) != 7 || year_month(s, &y, &m))
		return -1;
	*period = y * 12 + m - 1;
	return 0;
}

/* Floor division: a time before 1970 still has its day and second of day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* n digits of v (0 <= v < 10^n) at out; formatting by hand, since the fee pass formats 100k times a run. */
static void put_digits(char *out, int v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void put_date(char *out, int y, int m, int d)
{
	put_digits(out, ((y % 10000) + 10000) % 10000, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
}

void civil_format_timestamp(int64_t secs, char *out)
{
	int64_t day = floor_div(secs, 86400), sod = secs - day * 86400;
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	put_date(out, y, m, d);
	out[10] = ' ';
	put_digits(out + 11, (int)(sod / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (int)(sod / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (int)(sod % 60), 2);
	out[19] = '\0';
}

void civil_format_date(int64_t day, char *out)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	put_date(out, y, m, d);
	out[10] = '\0';
}

void civil_format_period(int period, char *out)
{
	put_digits(out, ((period / 12) % 10000 + 10000) % 10000, 4);
	out[4] = '-';
	put_digits(out + 5, period % 12 + 1, 2);
	out[7] = '\0';
}
