#ifndef PM_CHECK_EXPORT_H
#define PM_CHECK_EXPORT_H

#include <stdio.h>
#include <sqlite3.h>
#include "util/error.h"

/* Writes the run's JSON summary (check_runs.summary_json). */
int check_write_json(sqlite3 *db, sqlite3_int64 run_id, FILE *out, pm_error *err);

/*
 * Writes every breached and pending record of the run as CSV: UTF-8 with a
 * BOM (so that Excel reads it as UTF-8), CRLF line ends, RFC 4180 quoting.
 * Columns: rule_id, record_id, site, start, deadline, end, status, how_late
 * ("2d 03:04:05"), late_seconds. Ordered by rule id, start, record id.
 */
int check_write_csv(sqlite3 *db, sqlite3_int64 run_id, FILE *out, pm_error *err);

/* "2d 03:04:05" or "00:00:01". */
void check_format_late(long long seconds, char *buf, size_t size);

#endif
