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

/* A date in any timestamp form; a time of day, if present, is dropped. */
int value_date(const char *s, size_t n, char out[PM_DATE_SIZE], const char **why);

/* Period: 2026-10, 2026/10, 202610, 2026年10月. */
int value_period(const char *s, size_t n, char out[PM_PERIOD_SIZE], const char **why);

/*
 * Money: 1234.5, 1,234.50, ¥1234.50, ￥1,234.5, -20.00; at most two decimals.
 * Stored as integer cents; overflow of int64 is an error.
 */
int value_money(const char *s, size_t n, int64_t *cents, const char **why);

/* Bool: 是/否, Y/N, yes/no, true/false, 1/0, case-insensitive. */
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
