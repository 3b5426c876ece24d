#ifndef PM_FIND_H
#define PM_FIND_H

/*
 * The in-memory passes behind the findings (rules/findings/find_*.c, findings.c):
 * the tickets and complaints a run needs are read once, with a plain index
 * range scan or one table scan, and R-REPEAT, Q-ORDER, Q-ORPHAN, the volumes
 * and (with a probe of callbacks_ref per problem callback) Q-PROBLEM-OPEN are
 * computed in C from them instead of by per-record SQL.
 */
#include "rules/findings/findings.h"
#include "rules/results/results_sink.h"
#include "rules/findings/find_strings.h"
#include "util/strtab.h"

/* Kinds in the byte order of their names, the order R-REPEAT lists them in. */
enum { FIND_COMPLAINT, FIND_TICKET, FIND_KINDS };

/*
 * A ticket or complaint whose start lies in [from, to), or in [lo, from) if
 * it can count for R-REPEAT (a room, a category, valid, of the site).
 */
struct find_row {
	const char *id, *start;               /* one arena copy "id\0start\0" */
	int site, room, category;             /* ids in names; room/category -1 when NULL */
	int valid;                            /* complaints.valid = 1 (tickets: 1) */
	int in_window;                        /* start >= from */
};

/* A Q-ORDER finding on a ticket or complaint: a time field before its start. */
struct find_order {
	const char *id, *site, *start, *end;
};

struct find_orders {
	struct find_order *hit;
	int n, cap;
};

struct find_kind {
	const char *name;            /* "complaint" | "ticket" */
	struct find_row *row;
	int n, cap;
	struct str_index by_id;      /* record id -> row, for the rows from `from` on */
	sqlite3_stmt *lookup;        /* start of a record not indexed: outside [from, to) */
	sqlite3_int64 in_window;     /* volumes: start in [from, to), of the site */
	sqlite3_int64 invalid;       /* ... with valid = 0 (complaints) */
	struct find_orders order[4]; /* Q-ORDER, by time field in find_order_field() order */
};

/* R-REPEAT: a repeat found -- a row of the kind listed, and its count (find_repeat.c). */
struct rep_hit {
	int kind, row, count;
};

/*
 * One R-REPEAT rule's repeats, found (find_repeat.c) in the order they are
 * stored: by kind, then (site, room, category, ts, id); its figures' totals.
 */
struct repeat_found {
	const struct rule *rule;
	struct rep_hit *hit;
	size_t n, cap;
	sqlite3_int64 groups, records;
};

struct find_records {
	char lo[24];                 /* the earliest start held: from less R-REPEAT's window */
	struct str_arena text;
	struct strtab names;         /* sites, rooms, categories, numbered (util/strtab.h) */
	struct find_kind kind[FIND_KINDS];
	/* the R-REPEAT rules' repeats found with the records (findings_repeats_ahead()) */
	struct repeat_found *repeats;
	int nrepeats;
};

/* The name of kind's i-th time field checked by Q-ORDER, and of its start field. */
const char *find_order_field(int kind, int i);
const char *find_start_field(int kind);
/*
 * start[j] = the start (reported_at / received_at) of the record of kind[j]
 * (-1: none) and id[j], held or looked up in the database, or NULL if there
 * is no such record; n <= FIND_BATCH. The held ones are found a batch at a
 * time, so that their cache misses overlap (str_index_find_all()).
 */
#define FIND_BATCH 256
int find_record_starts(const struct run_reader *c, struct find_records *r, int n, const int *kind,
		       const char *const *id, const char **start, pm_error *err);
/* *whole = 1 if a window of the table's rows [lo, hi) is better read by one table scan. */
int find_scan_whole(const struct run_reader *c, const char *table, const char *column,
		    const char *lo, const char *hi, int *whole, pm_error *err);
/* Whether the record's site passes the run's site filter. */
int find_site_ok(const struct run_scope *s, const char *site);
/* datetime(ts, '-N days') for a stored 'YYYY-MM-DD HH:MM:SS' ("" if ts is not one). */
void find_days_before(const char *ts, int days, char out[24]);

/*
 * 满意度 (find_satisfaction.c): the window's callbacks up to the as-of time
 * counted by result -- 满意, 基本满意, 不满意, anything else or nothing
 * (unrated) -- per site, stored as the satisfaction.* figures and each
 * site's (docs/rules.md "Satisfaction").
 */
enum { SAT_SATISFIED, SAT_BASIC, SAT_DISSATISFIED, SAT_UNRATED, SAT_KINDS };

/* Counts by site (site_counts.c): `width` counters a site, sites numbered as first seen. */
struct site_counts {
	struct strtab sites;
	long long *n;                          /* site i's row: n + i * width */
	int width, cap;
};

void site_counts_init(struct site_counts *t, int width);
void site_counts_free(struct site_counts *t);
/* site's row of counters (NULL site: ""), zeroed when new; NULL when out of memory. */
long long *site_counts_row(struct site_counts *t, const char *site);

struct sat_tally {
	struct site_counts by_site;            /* SAT_KINDS counts a site */
};

void sat_tally_init(struct sat_tally *t);
void sat_tally_free(struct sat_tally *t);
/* Counts one callback of site with this result (NULL: none); -1 when out of memory. */
int sat_tally_add(struct sat_tally *t, const char *site, const char *result);
int sat_tally_store(struct check_ctx *c, const struct sat_tally *t, pm_error *err);

/*
 * The open backlog (find_backlog.c): tickets and valid complaints received
 * by the as-of time and not completed / resolved by it, of every period,
 * by age and site, stored as the backlog.* figures (docs/rules.md "Open
 * backlog").
 */
int check_backlog(struct check_ctx *c, pm_error *err);

/* Finding rows into check_records, through the sink's record writer (finding_rows.c). */
struct finding_rows {
	struct check_ctx *c;
	struct record_writer out;
	struct buf detail;                    /* finding_detail()'s text */
};

int finding_rows_open(struct check_ctx *c, struct finding_rows *w, pm_error *err);
/* One row with status 'finding'; start, end and detail may be NULL. Copied. */
int finding_row(struct finding_rows *w, const char *rule, const char *kind, const char *id,
		const char *site, const char *start, const char *end, const char *detail,
		pm_error *err);
/* The detail text formatted into w's buffer (valid until the next call); NULL: out of memory. */
const char *finding_detail(struct finding_rows *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Stores the rows still waiting. */
int finding_rows_finish(struct finding_rows *w, pm_error *err);
void finding_rows_close(struct finding_rows *w);

#endif
