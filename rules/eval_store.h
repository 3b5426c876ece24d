#ifndef PM_EVAL_STORE_H
#define PM_EVAL_STORE_H

/*
 * What the evaluator stores (rules/eval_pass.c computes it): check_records
 * rows through one prepared statement, and the per-site, per-week and
 * per-rule results from its counts.
 */
#include "rules/check_internal.h"
#include "rules/eval_strtab.h"

struct site_count {
	sqlite3_int64 met, breached, pending, seen;  /* seen: every record evaluated */
};

/* One check_records row; NULL text and has_late = 0 store NULL. */
struct record_row {
	const char *rule_id, *kind, *id, *site, *start, *deadline, *end, *status, *detail;
	int has_late;
	sqlite3_int64 late;
	sqlite3_value *amount;  /* NULL: NULL */
};

/*
 * Rows are kept (copied into text) and stored WRITER_BATCH at a time by one
 * multi-row INSERT: a statement per row spent more in starting and ending
 * statements than in storing (a year's 510k rows: 2 s).
 */
#define WRITER_BATCH 64
#define WRITER_TEXTS 9

struct record_writer {
	sqlite3_stmt *one, *batch;      /* one row; WRITER_BATCH rows */
	sqlite3_int64 rows;             /* rows put, stored or not yet */
	int pending;
	/* pending row i's texts: offsets into text (-1: NULL) */
	long off[WRITER_BATCH][WRITER_TEXTS];
	int has_late[WRITER_BATCH];
	sqlite3_int64 late[WRITER_BATCH];
	sqlite3_value *amount[WRITER_BATCH];
	char *text;
	size_t used, cap;
};

int record_writer_open(struct check_ctx *c, struct record_writer *w, pm_error *err);
int record_writer_put(struct check_ctx *c, struct record_writer *w, const struct record_row *row,
		      pm_error *err);
/* Stores the rows still pending; call before anything reads check_records. */
int record_writer_flush(struct check_ctx *c, struct record_writer *w, pm_error *err);
void record_writer_close(struct record_writer *w);

/* check_weeks: week i has num[i] called back of den[i]. */
int store_weeks(struct check_ctx *c, const struct rule *r, char (*labels)[16], int nweeks,
		const sqlite3_int64 *num, const sqlite3_int64 *den, pm_error *err);

/* check_site_results: one row per site (number in sites) the rule saw records of. */
int store_site_results(struct check_ctx *c, const struct rule *r, const struct strtab *sites,
		       const struct site_count *counts, int ncounts, pm_error *err);

#endif
