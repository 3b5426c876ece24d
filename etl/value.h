#ifndef PM_VALUE_H
#define PM_VALUE_H

/*
 * Parsers for the value types of the input contract. Pure functions: they
 * read (s, n) -- not necessarily NUL-terminated, already trimmed -- and write
 * the stored form. Each returns 0 on success, or -1 and points *why (if not
 * NULL) at a static English phrase such as "day out of range".
 */

#include <stddef.h>
#include <stdint.h>

/* 'YYYY-MM-DD HH:MM:SS' + NUL */
#define PM_TIMESTAMP_SIZE 20
/* 'YYYY-MM-DD' + NUL */
#define PM_DATE_SIZE 11
/* 'YYYY-MM' + NUL */
#define PM_PERIOD_SIZE 8

/*
 * Timestamp forms: 2026-10-03 08:05:00, 2026-10-03 08:05, 2026/10/3 8:05,
 * 2026/10/03 08:05:09, 2026-10-03T08:05:00, 2026年10月3日 8:05,
 * 2026年10月3日 8时5分[3秒]; a date alone is 00:00:00. *has_time (if not
 * NULL) tells whether a time of day was given.
 */
int value_timestamp(const char *s, size_t n, char out[PM_TIMESTAMP_SIZE],
		    int *has_time, const char **why);

/*
 * How to read a date whose year comes last (10/03/2026): refused (ymd, the
 * default), month first (mdy) or day first (dmy). A mapping file's
 * date_order.
 */
enum pm_date_order { PM_YMD, PM_MDY, PM_DMY };

/*
 * value_timestamp() with a date order. Besides the forms above, both take
 * (../shared/spec/MAPPING.md): Excel serial numbers of five digits (45933,
 * 45933.3368: days since 1899-12-30, rounded to the second); 上午/下午 or
 * AM/PM before or after the time (12-hour clock); fractional seconds
 * (truncated); 2026.10.03; 20261003; full-width digits and punctuation; a
 * timezone suffix (Z, +08:00, +0800), converted to China time (UTC+8).
 * The canonical forms are tried first and cost what they did.
 */
int value_timestamp_order(const char *s, size_t n, enum pm_date_order order,
			  char out[PM_TIMESTAMP_SIZE], int *has_time, const char **why);

/* A date in any timestamp form; a time of day, if present, is dropped. */
int value_date(const char *s, size_t n, char out[PM_DATE_SIZE], const char **why);
int value_date_order(const char *s, size_t n, enum pm_date_order order, char out[PM_DATE_SIZE],
		     const char **why);

/* Period: 2026-10, 2026/10, 202610, 2026年10月. */
int value_period(const char *s, size_t n, char out[PM_PERIOD_SIZE], const char **why);

/*
 * Money: 1234.5, 1,234.50, ¥1234.50, ￥1,234.5, -20.00; also 1234.5元,
 * ¥ 1,234.50, (20.00) (accounting negative) and full-width digits; at
 * most two decimals.
 * Stored as integer cents; overflow of int64 is an error.
 */
int value_money(const char *s, size_t n, int64_t *cents, const char **why);

/* Bool: 是/否, Y/N, yes/no, true/false, 1/0, √/×, 有/无; case-insensitive. */
int value_bool(const char *s, size_t n, int *out, const char **why);

/* Enumerations: return the canonical English word, or NULL. */
const char *value_level(const char *s, size_t n);	/* major|important|minor */
const char *value_ref_kind(const char *s, size_t n);	/* ticket|complaint */
const char *value_fee_kind(const char *s, size_t n);	/* charge|payment|waiver|reminder */

/* The last day of a period's month: "2024-02" -> "2024-02-29". */
int value_period_end(const char *period, char out[PM_DATE_SIZE]);

/*
 * Trims ASCII spaces and tabs, the ideographic space U+3000 and the
 * byte-order mark U+FEFF from both ends of (*s, *n) in place.
 */
void value_trim(const char **s, size_t *n);

#endif
