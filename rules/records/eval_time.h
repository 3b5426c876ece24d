#ifndef PM_EVAL_TIME_H
#define PM_EVAL_TIME_H

/*
 * Timestamp arithmetic of the rules evaluator, in C instead of SQLite's
 * datetime()/strftime('%s'), giving the same results for the timestamps the
 * import stores: exactly 'YYYY-MM-DD HH:MM:SS', a real calendar date, years
 * 1000-9998. Anything else is "not well-formed" (-1): the caller asks SQLite
 * itself (rules/records/eval_sql.c), so that a hand-edited value still gets what the
 * SQL gave.
 *
 * Seconds are counted from 1970-01-01 00:00:00 (strftime('%s')).
 */

#define TS_LEN 19

/* 0 and *secs for a well-formed timestamp, else -1. */
int ts_seconds(const char *text, long long *secs);

/* 'YYYY-MM-DD HH:MM:SS' of secs; -1 (out untouched) outside years 1000-9998. */
int ts_format(long long secs, char out[TS_LEN + 1]);

/* datetime(text, '+N seconds'): 0 and out, or -1 if text is not well-formed. */
int ts_add_seconds(const char *text, long long n, char out[TS_LEN + 1]);

/* date(text) || ' 23:59:59': 0 and out, or -1 if text is not well-formed. */
int ts_same_day_end(const char *text, char out[TS_LEN + 1]);

/* The day number (calendar.h's, from 1970-01-01) of a well-formed timestamp. */
int ts_day(const char *text, int *day);

/*
 * The ISO 8601 week of a day as 'YYYY-Www': the year and week of its week's
 * Thursday, as strftime('%Y'/'%j') of date(x, '-3 days', 'weekday 4') give it.
 */
void ts_iso_week(int day, char out[16]);

#endif
