#ifndef PM_CALENDAR_H
#define PM_CALENDAR_H

#include "util/error.h"

/*
 * The working-day calendar behind `Nwd` limits: Monday-Friday work, weekends
 * off, except the dates a holiday notice lists (public holidays off,
 * adjusted working days 调休 on). A calendar file covers exactly the years
 * that appear in it; asking about any other year is an error, never a guess.
 *
 * Calendar files are CSV with the header `date,kind,name` (kind holiday or
 * workday), the format of rules/calendar/cn-2024-2026.csv, which is compiled
 * into the binary. A file a user adds replaces the built-in data for every
 * year it covers.
 *
 * Days are numbered from 1970-01-01 (day 0), so arithmetic is plain integers.
 */
struct calendar;

struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal);

/* Adds a user's calendar file; errors name the file and line. */
int calendar_add_file(struct calendar *cal, const char *path, pm_error *err);

/* Adds calendar text already in memory (name is used in messages). */
int calendar_add_text(struct calendar *cal, const char *name,
		      const char *text, size_t len, pm_error *err);

/* Adds the built-in years not covered by the files added so far; call once last. */
int calendar_finish(struct calendar *cal, pm_error *err);

/* 1 if the year is covered. */
int calendar_covers(const struct calendar *cal, int year);

/* Writes the covered years as "2024-2026" or "2024, 2026" into buf. */
void calendar_describe(const struct calendar *cal, char *buf, size_t size);

/*
 * The Nth working day after day (not counting day itself). Returns 0 and
 * sets *out; returns -1 with *missing_year set when the walk reaches a year
 * the calendar does not cover.
 */
int calendar_nth_workday_after(const struct calendar *cal, int day, int n,
			       int *out, int *missing_year);

/* 'YYYY-MM-DD' (only the first 10 characters are read) to a day number. */
int day_parse(const char *text, int *day);
/* Day number to 'YYYY-MM-DD'. */
void day_format(int day, char out[11]);
int day_year(int day);
/* 0 = Monday ... 6 = Sunday. */
int day_weekday(int day);

#endif
