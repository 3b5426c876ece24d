/*
 * The open backlog's condition, its age buckets, and its counting in the
 * findings' records' table scans (rules/findings/find.h): shared by
 * find_backlog.c, which counts a log by its own statement, and
 * find_records.c, whose table scan of a log counts it on the way.
 */
#include <stdlib.h>
#include "rules/findings/find.h"

/*
 * Up to 2 days, 3-7 (over 2, up to 7), 8-30, over 30; 4 = unknown: the
 * comparisons SQL made of the same difference (a NULL one is none of them).
 * Column col is the unknown flag, col + 1 the age in days (BACKLOG_SQL,
 * OPEN_COLUMNS), or with as_of_day the start's julian day
 * (BACKLOG_PAIR_SQL), the age being their difference.
 */
int find_backlog_bucket(sqlite3_stmt *st, int col, const double *as_of_day)
{
	double age;

	if (sqlite3_column_int(st, col))
		return 4;
	if (sqlite3_column_type(st, col + 1) == SQLITE_NULL)
		return 3;
	age = sqlite3_column_double(st, col + 1);
	if (as_of_day)
		age = *as_of_day - age;
	return age <= 2 ? 0 : age <= 7 ? 1 : age <= 30 ? 2 : 3;
}

/* A condition's column: yes as WHERE reads it (NULL: no). */
int find_column_yes(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) != SQLITE_NULL && sqlite3_column_int(st, i) != 0;
}

/*
 * A log read whole for the findings' records (find_records.c: every
 * ticket or complaint begun in R-REPEAT's look-back or the window, on
 * tables whose rows lie in no time order, and for a year) is a table scan
 * as the backlog's own: that scan also counts the log's open rows, and
 * the backlog's statement for the log is not run (docs/performance.md,
 * "check --month and check --year, session 8"). OPEN_COLUMNS are
 * BACKLOG_SQL's condition (with its site filter) as a column, then its
 * unknown flag and age for the open rows; the scan's WHERE adds the
 * condition with OR.
 */
#define OPEN_IF(start, done, valid) \
	"(" BACKLOG_OPEN(start, done, ":asof") valid " AND (:site IS NULL OR site = :site))"
#define OPEN_COLUMNS(table, start, done, valid) \
	OPEN_IF(start, done, valid) ", CASE WHEN " OPEN_IF(start, done, valid) " THEN " \
	BACKLOG_UNKNOWN(table, done) " END, CASE WHEN " OPEN_IF(start, done, valid) \
	" THEN julianday(:asof) - julianday(" start ") END"

/* By log (0 tickets, 1 complaints, as struct find_backlog counts them). */
static const char *const open_if[2] = {
	OPEN_IF("reported_at", "completed_at", ""),
	OPEN_IF("received_at", "resolved_at", " AND coalesce(valid, 1) = 1"),
};
static const char *const open_columns[2] = {
	OPEN_COLUMNS("tickets", "reported_at", "completed_at", ""),
	OPEN_COLUMNS("complaints", "received_at", "resolved_at", " AND coalesce(valid, 1) = 1"),
};

struct find_open {
	int counted[2];                       /* by log: the scan ran to its end */
	struct site_counts lc[2];
};

static int log_of(int kind)
{
	return kind == FIND_TICKET ? 0 : 1;
}

struct find_open *find_open_new(void)
{
	struct find_open *o = calloc(1, sizeof(*o));

	if (o) {
		site_counts_init(&o->lc[0], RESULTS_BACKLOG_FIGS);
		site_counts_init(&o->lc[1], RESULTS_BACKLOG_FIGS);
	}
	return o;
}

void find_open_free(struct find_open *o)
{
	if (!o)
		return;
	site_counts_free(&o->lc[0]);
	site_counts_free(&o->lc[1]);
	free(o);
}

const char *find_open_if(int kind)
{
	return open_if[log_of(kind)];
}

const char *find_open_columns(int kind)
{
	return open_columns[log_of(kind)];
}

int find_open_row(struct find_open *o, int kind, sqlite3_stmt *st, int site_col, int col)
{
	long long *n;

	if (!find_column_yes(st, col))
		return 0;
	if (!(n = site_counts_row(&o->lc[log_of(kind)],
				  (const char *)sqlite3_column_text(st, site_col))))
		return -1;
	n[find_backlog_bucket(st, col + 1, NULL)]++;
	return 0;
}

void find_open_counted(struct find_open *o, int kind)
{
	o->counted[log_of(kind)] = 1;
}

/* Whether any log's open rows were counted in the records' scans. */
int find_open_any(const struct find_open *o)
{
	return o && (o->counted[0] || o->counted[1]);
}

/* Log's counts if the records' scan of it ran to its end, else NULL. */
const struct site_counts *find_open_counts(const struct find_open *o, int log)
{
	return o && o->counted[log] ? &o->lc[log] : NULL;
}
