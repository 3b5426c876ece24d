/*
 * The working-day calendar (rules/calendar/calendar.h): holiday files read
 * into a sorted table of exceptions to Monday-Friday, and the questions
 * `Nwd` deadlines ask of it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "rules/calendar/calendar.h"
#include "util/civil.h"
#include "rules/calendar/builtin_calendar.h"

#define YEAR_MIN 1970
#define YEAR_MAX 2199

struct cal_entry {
	int day;
	int workday;            /* 1: adjusted working day, 0: holiday */
};

struct calendar {
	struct cal_entry *entries;
	size_t count, cap;
	unsigned char covered[YEAR_MAX - YEAR_MIN + 1];
	int sorted;
};

int day_parse(const char *t, int *day)
{
	int i, y, m, d;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (t[i] != '-')
				return -1;
		} else if (!isdigit((unsigned char)t[i])) {
			return -1;
		}
	}
	y = atoi(t);
	m = (t[5] - '0') * 10 + (t[6] - '0');
	d = (t[8] - '0') * 10 + (t[9] - '0');
	if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 || d > civil_month_days(y, m))
		return -1;
	*day = (int)civil_days(y, m, d);
	return 0;
}

void day_format(int day, char out[11])
{
	int y, m, d;

	char buf[32];

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

int day_year(int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

int day_weekday(int day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (day + 3) % 7;

	return w < 0 ? w + 7 : w;
}

struct calendar *calendar_new(void)
{
	return calloc(1, sizeof(struct calendar));
}

void calendar_free(struct calendar *cal)
{
	if (!cal)
		return;
	free(cal->entries);
	free(cal);
}

static int push_entry(struct calendar *cal, int day, int workday)
{
	struct cal_entry *grown;

	if (cal->count == cal->cap) {
		cal->cap = cal->cap ? cal->cap * 2 : 128;
		grown = realloc(cal->entries, cal->cap * sizeof(*grown));
		if (!grown)
			return -1;
		cal->entries = grown;
	}
	cal->entries[cal->count].day = day;
	cal->entries[cal->count].workday = workday;
	cal->count++;
	cal->sorted = 0;
	return 0;
}

/* Copies one line (without its end) into buf; returns the offset after it. */
static size_t next_line(const char *text, size_t len, size_t pos, char *buf, size_t size)
{
	size_t n = 0;

	while (pos < len && text[pos] != '\n') {
		if (text[pos] != '\r' && n + 1 < size)
			buf[n++] = text[pos];
		pos++;
	}
	buf[n] = '\0';
	return pos < len ? pos + 1 : pos;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

/*
 * Parses one data line "date,kind[,name]" and records it; the years it
 * touches are collected in years[] so they become covered only once the
 * whole file is good.
 */
static int parse_line(struct calendar *cal, const char *name, int line, char *text,
		      unsigned char *years, const unsigned char *had_before, pm_error *err)
{
	char *date = text, *kind, *rest;
	int day, workday, year;
	size_t i;

	kind = strchr(text, ',');
	if (!kind)
		return pm_fail(err, "%s:%d: expected date,kind,name", name, line);
	*kind++ = '\0';
	rest = strchr(kind, ',');
	if (rest)
		*rest = '\0';
	date = trim(date);
	kind = trim(kind);
	if (strlen(date) != 10 || day_parse(date, &day))
		return pm_fail(err, "%s:%d: date: '%s' is not a valid YYYY-MM-DD date",
			       name, line, date);
	if (!strcmp(kind, "holiday"))
		workday = 0;
	else if (!strcmp(kind, "workday"))
		workday = 1;
	else
		return pm_fail(err, "%s:%d: kind: '%s' must be holiday or workday",
			       name, line, kind);
	year = day_year(day);
	if (had_before[year - YEAR_MIN])
		return pm_fail(err, "%s:%d: year %d is already given by another calendar file",
			       name, line, year);
	for (i = 0; i < cal->count; i++)
		if (cal->entries[i].day == day)
			return pm_fail(err, "%s:%d: date %s is listed twice", name, line, date);
	years[year - YEAR_MIN] = 1;
	if (push_entry(cal, day, workday))
		return pm_fail(err, "%s:%d: out of memory", name, line);
	return 0;
}

int calendar_add_text(struct calendar *cal, const char *name,
		      const char *text, size_t len, pm_error *err)
{
	unsigned char years[sizeof(cal->covered)] = { 0 };
	char buf[512], *s;
	size_t pos = 0, i;
	int line = 0, header = 0;

	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len) {
		pos = next_line(text, len, pos, buf, sizeof(buf));
		line++;
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		if (!header) {
			if (strncmp(s, "date,kind", 9))
				return pm_fail(err, "%s:%d: the first line must be the header "
					       "date,kind,name", name, line);
			header = 1;
			continue;
		}
		if (parse_line(cal, name, line, s, years, cal->covered, err))
			return -1;
	}
	/* an empty file is a mistake (a wrong name, a failed export), not "no holidays" */
	if (!header)
		return pm_fail(err, "%s: empty calendar file: the first line must be the header "
			       "date,kind,name", name);
	for (i = 0; i < sizeof(years); i++)
		cal->covered[i] |= years[i];
	return 0;
}

/* A century of holidays is about 100 KB: anything far bigger is not a calendar. */
#define CALENDAR_MAX_BYTES (1u << 20)

int calendar_add_file(struct calendar *cal, const char *path, pm_error *err)
{
	FILE *f;
	struct stat st;
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	/* before fopen, which would wait forever on a FIFO without a writer */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return pm_fail(err, "%s: not a regular file", path);
	f = fopen(path, "rb");
	if (!f)
		return pm_fail(err, "%s: cannot open calendar file: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return pm_fail(err, "%s: not a regular file", path);
	}
	for (;;) {
		if (len > CALENDAR_MAX_BYTES) {
			free(text);
			fclose(f);
			return pm_fail(err, "%s: a calendar file is at most 1 MiB", path);
		}
		if (cap - len < 4096) {
			char *grown = realloc(text, cap + 65536);
			if (!grown) {
				free(text);
				fclose(f);
				return pm_fail(err, "%s: out of memory", path);
			}
			text = grown;
			cap += 65536;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(text);
		fclose(f);
		return pm_fail(err, "%s: cannot read calendar file: %s", path, strerror(errno));
	}
	fclose(f);
	rc = calendar_add_text(cal, path, text, len, err);
	free(text);
	return rc;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct cal_entry *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

int calendar_finish(struct calendar *cal, pm_error *err)
{
	struct calendar *builtin = calendar_new();
	size_t i;

	if (!builtin)
		return pm_fail(err, "out of memory");
	if (calendar_add_text(builtin, "built-in calendar", pm_builtin_calendar,
			      strlen(pm_builtin_calendar), err)) {
		calendar_free(builtin);
		return -1;
	}
	for (i = 0; i < builtin->count; i++) {
		int year = day_year(builtin->entries[i].day);

		if (cal->covered[year - YEAR_MIN])
			continue;
		if (push_entry(cal, builtin->entries[i].day, builtin->entries[i].workday)) {
			calendar_free(builtin);
			return pm_fail(err, "out of memory");
		}
	}
	for (i = 0; i < sizeof(cal->covered); i++)
		cal->covered[i] |= builtin->covered[i];
	calendar_free(builtin);
	qsort(cal->entries, cal->count, sizeof(cal->entries[0]), entry_cmp);
	cal->sorted = 1;
	return 0;
}

int calendar_covers(const struct calendar *cal, int year)
{
	return year >= YEAR_MIN && year <= YEAR_MAX && cal->covered[year - YEAR_MIN];
}

void calendar_describe(const struct calendar *cal, char *buf, size_t size)
{
	size_t used = 0;
	int y = YEAR_MIN, start;

	buf[0] = '\0';
	while (y <= YEAR_MAX) {
		if (!calendar_covers(cal, y)) {
			y++;
			continue;
		}
		start = y;
		while (y + 1 <= YEAR_MAX && calendar_covers(cal, y + 1))
			y++;
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, start == y ? "%s%d" : "%s%d-%d",
						 used ? ", " : "", start, y);
		y++;
	}
}

/* 1 for a working day; the calendar must cover the day's year. */
static int is_workday(const struct calendar *cal, int day)
{
	size_t lo = 0, hi = cal->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->entries[mid].day == day)
			return cal->entries[mid].workday;
		if (cal->entries[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return day_weekday(day) < 5;
}

int calendar_nth_workday_after(const struct calendar *cal, int day, int n,
			       int *out, int *missing_year)
{
	while (n > 0) {
		int year;

		day++;
		year = day_year(day);
		if (!calendar_covers(cal, year)) {
			*missing_year = year;
			return -1;
		}
		if (is_workday(cal, day))
			n--;
	}
	*out = day;
	return 0;
}
