#ifndef PM_RESULTS_INTERNAL_H
#define PM_RESULTS_INTERNAL_H

/*
 * Shared by the reader's files (results_read.c, results_rules.c): the
 * statements' helpers, and a run's rules read for results_open_run().
 */
#include "rules/results/results.h"
#include "rules/results/people_sql.h"

/* A text column, "" for NULL. */
const char *results_sql_text(sqlite3_stmt *st, int i);
int results_sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, pm_error *err);
/* Finalizes st: 0 if rc is SQLITE_DONE, else -1 with the database's message. */
int results_sql_done(sqlite3 *db, sqlite3_stmt *st, int rc, pm_error *err);
/* Steps an iterator's statement: 1 for a row, else 0 with the step's code kept. */
int results_sql_step(sqlite3_stmt *st, int *rc);
/* Ends an iterator: -1 if its last step was an error, not the end. */
int results_sql_finish(sqlite3_stmt **st, int rc, pm_error *err);
/* Column i's text into out (n bytes). */
void results_sql_copy(char *out, size_t n, sqlite3_stmt *st, int i);

/* run->rules from check_rule_results, in the order they were stored. */
int results_read_rules(struct results_run *run, pm_error *err);

#endif
