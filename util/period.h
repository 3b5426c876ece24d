#ifndef PM_PERIOD_H
#define PM_PERIOD_H

/*
 * The one parser of the periods and times given on the command line, for
 * every command (check, report): what a user may type, and the window
 * [from, to) of 'YYYY-MM-DD HH:MM:SS' timestamps it means.
 *
 *   --month    2026-10, 2026/10, 202610, 2026年10月 (2026年9月)
 *   --quarter  2026Q4, 2026q4, 2026-Q4
 *   --year     2026
 *   --from, --to, --as-of
 *              YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS ('T' may
 *              stand for the space; month, day and time fields may have one
 *              digit: 2026-1-5 8:05); the date must exist (2026-02-30 does not)
 *
 * Years are 1970-2199 for every command: the working-day calendar's range
 * (rules/calendar/calendar.c). A period's end is exclusive and must lie in that range
 * too, so 2199-12, 2199Q4 and 2199 are refused. Every error names the option
 * and the text.
 */
#include "util/error.h"

#define PERIOD_YEAR_MIN 1970
#define PERIOD_YEAR_MAX 2199

struct period {
	char from[20], to[20];   /* [from, to) */
	int year, month, quarter; /* as named; 0 when not (month 1-12, quarter 1-4) */
	char label[8];           /* canonical: '2026-10', '2026Q4', '2026'; '' for a range */
};

int period_month(const char *text, struct period *p, pm_error *err);
int period_quarter(const char *text, struct period *p, pm_error *err);
int period_year(const char *text, struct period *p, pm_error *err);
/* --from/--to: a bare --to date includes that whole day; a --to time is exclusive. */
int period_range(const char *from, const char *to, struct period *p, pm_error *err);

/*
 * A time for option (e.g. "--as-of"): a bare date is its midnight. out gets
 * 'YYYY-MM-DD HH:MM:SS'; *date_only (may be NULL) says no time was given.
 */
int period_time(const char *option, const char *text, char out[20], int *date_only,
		pm_error *err);

/*
 * Exactly one of month, quarter, year or from/to (the others NULL) into p:
 * the PERIOD options of `pmaudit check`.
 */
int period_from_options(const char *month, const char *quarter, const char *year,
			const char *from, const char *to, struct period *p, pm_error *err);

#endif
