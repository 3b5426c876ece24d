#ifndef PM_RESULTS_BREACHES_H
#define PM_RESULTS_BREACHES_H

/*
 * The one writer of a run's breached and pending records as CSV, used by
 * `pmaudit check --csv` and by the monthly report's FILE-breaches.csv, so
 * both files of one run are the same bytes. UTF-8 with a BOM (Excel reads it
 * as UTF-8), CRLF line ends, RFC 4180 quoting. Columns:
 *   rule_id, record_id, site, start, deadline, end, status,
 *   how_late ("2d 03:04:05"), late_seconds, room, responsible
 * (room and responsible: a ticket's room and technician, a complaint's room
 * and department; empty for other records)
 * ordered by rule id, start, record id; how_late and late_seconds are empty
 * for a record that is not late (pending, or a coverage breach).
 */
#include <stdio.h>
#include <sqlite3.h>
#include "util/error.h"

struct breach_row {
	const char *rule_id, *record_id, *site, *start, *deadline, *end, *status;
	const char *room, *responsible;   /* "" when the record has none */
	int has_late;              /* late_seconds is given */
	long long late_seconds;
};

/*
 * Called for each row written (the report keeps the first rows for its
 * appendix, so the records are read once); a non-zero return stops the
 * writer, which then fails with err as the callback left it.
 */
typedef int (*breach_row_fn)(void *ctx, const struct breach_row *row, pm_error *err);

int results_write_breaches(sqlite3 *db, sqlite3_int64 run_id, FILE *out,
			   breach_row_fn each, void *ctx, pm_error *err);

/* how_late: "2d 03:04:05", or "00:00:01" under a day. */
void results_format_late(long long seconds, char *buf, size_t size);

#endif
