#ifndef PM_CHECK_EXPORT_H
#define PM_CHECK_EXPORT_H

#include <stdio.h>
#include <sqlite3.h>
#include "util/error.h"

/* Writes the run's JSON summary (check_runs.summary_json). */
int check_write_json(sqlite3 *db, sqlite3_int64 run_id, FILE *out, pm_error *err);

/*
 * Writes every breached and pending record of the run as CSV, in English
 * (english 1) or Chinese: the one writer of rules/results/breaches.h, whose
 * comment lists the columns.
 */
int check_write_csv(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out, pm_error *err);

#endif
