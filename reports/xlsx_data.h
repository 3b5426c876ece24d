#ifndef PM_XLSX_DATA_H
#define PM_XLSX_DATA_H

#include <sqlite3.h>
#include "util/error.h"

/*
 * What the Excel workbook reads from a check run and the logs, and nothing
 * else: every SQL statement of the workbook is in reports/xlsx_data.c,
 * behind these small typed functions, so that they can be switched to the
 * typed results reader (rules/results/, issue 15) in one place. Figures the
 * PDF reports already read (load_run(), figure_int(), aging_figures(),
 * run_fee_figures(), check_fees_by_site()) are used as they are.
 *
 * The row functions stream: each row is handed to fn (the strings live
 * until fn returns) and nothing is kept, so memory does not grow with the
 * run. fn returns 0 to go on, -1 to stop with its own error in err.
 */

/* A rule's counts at one site (check_site_results). */
struct xd_site_result {
	const char *rule_id, *site;
	long long met, breached, pending;
	long long unknown;      /* "无法判定" (issue 12): 0 until results store it */
};

/* A week of the weekly coverage rule (check_weeks). */
struct xd_week {
	const char *week;
	long long numerator, denominator;
	int has_rate, met;
	double rate;
};

/* A breached or pending record with what the logs say about it. */
struct xd_breach {
	const char *rule_id, *record_kind, *record_id, *site;
	const char *room;       /* ticket's or complaint's room; NULL for others */
	const char *category;   /* ticket category, complaint level (stored word) */
	const char *who;        /* ticket technician, complaint department */
	const char *start, *deadline, *end, *status;   /* NULL when absent */
	int has_late;
	long long late_seconds;
};

/* One aging bucket of one account (F-AGING records summed). */
struct xd_aging {
	const char *site, *account, *bucket;
	long long cents;
};

/* A letter due now (F-LETTER pending). */
struct xd_letter {
	const char *site, *account, *first_reminder, *due_by;
	int has_amount;
	long long cents;
};

/* A row rejected by the latest import of its file. */
struct xd_reject {
	const char *file, *field, *reason, *text;
	long long line;
};

/* A data-quality finding (Q-* records other than Q-PROBLEM-OPEN). */
struct xd_finding {
	const char *rule_id, *record_kind, *record_id, *site, *start, *end, *detail;
};

/* The first and last event of one log ("" when the log is empty). */
#define XD_LOGS 4
struct xd_coverage {
	const char *log;        /* tickets, complaints, callbacks, fees */
	long long rows;
	char first[24], last[24];
};

/*
 * Around all of a workbook's reads: one read transaction, so every sheet sees
 * the same data (unless the caller holds a transaction, which then does), and
 * temp_store = FILE, so that SQLite sorts a run's millions of breach rows in
 * temporary files rather than in memory (a check leaves the connection at
 * MEMORY); xd_end() restores both.
 */
struct xd_session {
	int began, temp_store;
};
int xd_begin(sqlite3 *db, struct xd_session *s, pm_error *err);
void xd_end(sqlite3 *db, struct xd_session *s);

/* The unknown count of a rule as stored, 0 when the results have no such column. */
long long xd_rule_unknown(sqlite3 *db, sqlite3_int64 run, const char *rule_id);

int xd_site_results(sqlite3 *db, sqlite3_int64 run,
		    int (*fn)(void *ctx, const struct xd_site_result *x), void *ctx, pm_error *err);
int xd_weeks(sqlite3 *db, sqlite3_int64 run, const char *rule_id,
	     int (*fn)(void *ctx, const struct xd_week *x), void *ctx, pm_error *err);
/* Ordered as the breaches CSV: rule id, start, record id. */
int xd_breaches(sqlite3 *db, sqlite3_int64 run,
		int (*fn)(void *ctx, const struct xd_breach *x), void *ctx, pm_error *err);
/* Ordered by site and account; one call per bucket an account has. */
int xd_aging(sqlite3 *db, sqlite3_int64 run,
	     int (*fn)(void *ctx, const struct xd_aging *x), void *ctx, pm_error *err);
/* Ordered as the PDF's list: by the date the letter is due. */
int xd_letters_due(sqlite3 *db, sqlite3_int64 run,
		   int (*fn)(void *ctx, const struct xd_letter *x), void *ctx, pm_error *err);
int xd_rejects(sqlite3 *db, int (*fn)(void *ctx, const struct xd_reject *x), void *ctx,
	       pm_error *err);
int xd_findings(sqlite3 *db, sqlite3_int64 run,
		int (*fn)(void *ctx, const struct xd_finding *x), void *ctx, pm_error *err);
/* Each log's row count and first and last event time (reported_at, received_at, callback_at, at). */
int xd_coverage(sqlite3 *db, struct xd_coverage out[XD_LOGS], pm_error *err);

#endif
