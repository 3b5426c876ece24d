#ifndef PM_CIVIL_H
#define PM_CIVIL_H

/*
 * Proleptic Gregorian dates as day numbers (days since 1970-01-01) and the
 * three text shapes the store uses, parsed strictly: a text is "canonical"
 * only if formatting its number gives back exactly the same text, so code
 * may compare the numbers instead of the texts (the fixed-width digits sort
 * the same way) and fall back to the text for anything else.
 *   timestamp 'YYYY-MM-DD HH:MM:SS'   seconds since 1970-01-01 00:00:00
 *   date      'YYYY-MM-DD'            day number
 *   period    'YYYY-MM'               months since 0000-01: y * 12 + m - 1
 * Years 0000-9999. Each parse returns 0, or -1 if the text is not canonical.
 */
#include <stdint.h>

int64_t civil_days(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
int civil_month_days(int y, int m);

int civil_parse_timestamp(const char *s, int64_t *secs);
int civil_parse_date(const char *s, int64_t *day);
int civil_parse_period(const char *s, int *period);
/* out must hold 20 / 11 / 8 bytes. */
void civil_format_timestamp(int64_t secs, char *out);
void civil_format_date(int64_t day, char *out);
void civil_format_period(int period, char *out);

#endif
