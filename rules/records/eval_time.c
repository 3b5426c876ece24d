/*
 * Timestamp arithmetic of the evaluator in C (rules/records/eval_time.h): seconds,
 * days, ISO weeks and working-day deadlines of 'YYYY-MM-DD HH:MM:SS' texts.
 */
#include <stdio.h>
#include <string.h>
#include "rules/records/eval_time.h"
#include "util/civil.h"
#include "rules/calendar/calendar.h"

#define YEAR_LOW 1000
#define YEAR_HIGH 9998

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : len[m - 1];
}

/* Parses a well-formed timestamp into its days and second of the day. */
static int parse(const char *s, long long *days, int *second_of_day)
{
	int y, mo, d, h, mi, se;

	if (!s || strlen(s) != TS_LEN || s[4] != '-' || s[7] != '-' || s[10] != ' ' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return -1;
	if (y < YEAR_LOW || y > YEAR_HIGH || mo < 1 || mo > 12 || d < 1 ||
	    d > month_length(y, mo) || h > 23 || mi > 59 || se > 59)
		return -1;
	*days = civil_days(y, mo, d);
	*second_of_day = h * 3600 + mi * 60 + se;
	return 0;
}

int ts_seconds(const char *text, long long *secs)
{
	long long days;
	int sod;

	if (parse(text, &days, &sod))
		return -1;
	*secs = days * 86400 + sod;
	return 0;
}

/* Floor division: the day of a negative second is the one before. */
static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

int ts_format(long long secs, char out[TS_LEN + 1])
{
	long long days = floor_div(secs, 86400);
	int sod = (int)(secs - days * 86400), y, m, d;

	/* the years it formats, checked before the day is turned into one */
	if (days < civil_days(YEAR_LOW, 1, 1) || days > civil_days(YEAR_HIGH, 12, 31))
		return -1;
	civil_from_days(days, &y, &m, &d);
	/* by hand: snprintf was most of a deadline's cost, a million times a year */
	put2(out, (int)(y / 100));
	put2(out + 2, (int)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = ' ';
	put2(out + 11, sod / 3600);
	out[13] = ':';
	put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	put2(out + 17, sod % 60);
	out[19] = '\0';
	return 0;
}

int ts_add_seconds(const char *text, long long n, char out[TS_LEN + 1])
{
	long long secs;

	if (ts_seconds(text, &secs))
		return -1;
	return ts_format(secs + n, out);
}

int ts_same_day_end(const char *text, char out[TS_LEN + 1])
{
	long long days;
	int sod;

	if (parse(text, &days, &sod))
		return -1;
	memcpy(out, text, 10);
	memcpy(out + 10, " 23:59:59", 10);
	return 0;
}

int ts_day(const char *text, int *day)
{
	long long days;
	int sod;

	if (parse(text, &days, &sod))
		return -1;
	*day = (int)days;
	return 0;
}

void ts_iso_week(int day, char out[16])
{
	int thursday = day - day_weekday(day) + 3;
	int y, m, d;
	long long jan1;
	char buf[48];

	civil_from_days(thursday, &y, &m, &d);
	jan1 = civil_days(y, 1, 1);
	snprintf(buf, sizeof(buf), "%04d-W%02lld", y, (thursday - jan1) / 7 + 1);
	snprintf(out, 16, "%.15s", buf);
}
