#ifndef PM_EVAL_INTERNAL_H
#define PM_EVAL_INTERNAL_H

/*
 * Shared by the records pass (rules/records/records_pass.c) and the files it
 * calls -- the judges of each kind (deadline.c, coverage.c), the scan
 * (eval_scan_rows.c), Q-MISSING-START, the trend's months (months.c): the
 * rules of a subject compiled to column numbers, a row of a scan, and the
 * pass's state.
 */
#include "rules/run/run.h"
#include "rules/records/records.h"
#include "rules/results/results_sink.h"

/* The columns every scan reads, then the timestamp fields in use. */
/*
 * COL_FIELDS: the fields the record was ever given, a bit per column of its
 * table (schema v5; NULL: every field).
 */
enum { COL_ID, COL_SITE, COL_CATEGORY, COL_LEVEL, COL_URGENT, COL_PAID, COL_VALID,
       COL_CHARGE, COL_FIELDS, COL_TS };
#define MAX_TS 8
#define NCOLS (COL_TS + MAX_TS)

struct eval_rule {
	const struct rule *r;
	int start[RULE_MAX_START];      /* columns */
	int end;                        /* column, -1: the first callback */
	int req;                        /* column of the deadline field, -1: none */
	int event;                      /* column (coverage, weekly) */
	int missing_start;              /* Q-MISSING-START looks at this rule */
	/*
	 * The fields of the subject's table the rule reads (rule_needs()), as
	 * column bits, and their names by bit: a record lacking one is unknown.
	 */
	unsigned need;
	const char *need_name[32];
	unsigned char *role_ok;         /* by role number; NULL: any callback counts */
	struct site_count *sites;
	int nsites;
	sqlite3_int64 met, breached, pending, unknown;
	sqlite3_int64 *week_num, *week_den;
	/* the first record (by start, id) whose working-day deadline lacks a year */
	int gap_year;
	char *gap_start, *gap_id;
};

struct subject {
	enum rule_subject which;
	const char *table, *kind, *id;
	enum cb_kind cb_kind;
	const char *ts[MAX_TS];         /* column COL_TS + i */
	int nts;
	char columns[32][32];                   /* the table's columns by number (cid) */
	int ncolumns;
	unsigned filter_bit[COL_FIELDS];        /* the column bit of each filter column (0: none) */
	struct eval_rule *rules;
	int nrules;
	/*
	 * 1: a scan reads only the id, the columns the rules filter on and the
	 * timestamps (check_trend, which only counts); the site and the other
	 * columns read as NULL.
	 */
	int lean;
	/*
	 * The full scan's WHERE (NULL: every row): the rows some rule of the
	 * pass can take, left to SQLite, which reads the rows of other times
	 * without handing them to C (records_pass.c, full_scan_where()).
	 */
	const char *full_where;
};

struct row {
	sqlite3_stmt *st;
	const char *v[NCOLS];
	int type[NCOLS];
};

struct eval {
	struct check_ctx *c;
	struct judge_ctx j;
	struct cb_map map;
	struct strtab sites;
	struct strtab missing;          /* Q-MISSING-START: "kind id" of each record found */
	struct record_writer out;
	int first_monday, nweeks;
	char (*week_labels)[16];
	sqlite3_int64 rows_read;
	void *user;                     /* the caller's own state, for its row_fn (check_trend) */
	struct months_pass *months;     /* a trend's months judged on the pass's rows (months_judge.c) */
};

/* A row as one rule's judge sees it: its subject, site and callbacks (looked up once). */
struct row_ctx {
	struct subject *s;
	struct row *w;
	int site;                       /* number in eval.sites, -1 not yet */
	int looked;
	const struct cb_hit *hits;
	int nhits;
};

/* ---- records_pass.c: the rules compiled, counted, stored; rule_filter.c: a row's filters ---- */

/* The subjects' enabled per-record rules as column numbers. */
int subjects_init(struct eval *e, struct subject subj[2], pm_error *err);
/* The given rules only (deadline, coverage or weekly, in this order; check_trend). */
int subjects_init_rules(struct eval *e, struct subject subj[2], const struct rule *const *rules,
			int nrules, pm_error *err);
void subject_free(struct subject *s);
/* 1 if a rule needs the callback map; *roles 1 if one also needs the callbacks' roles. */
int subjects_need_callbacks(const struct subject subj[2], int *roles);
int rule_matches(const struct rule *r, const struct row *w);
/* The fields er needs that the row's record was never given (column bits; 0: none). */
unsigned record_missing(const struct eval_rule *er, const struct row *w);
/*
 * Whether the rule takes the record, its filters on the missing fields
 * (record_missing()) left out: a record a known field excludes is not the
 * rule's; one only an unknown field could exclude is unknown, not dropped.
 */
int rule_takes(const struct subject *s, const struct eval_rule *er, const struct row *w,
	       unsigned missing);
/* "resolved_at, paid": the names of the missing fields, into buf. */
const char *missing_names(const struct eval_rule *er, unsigned missing, char *buf, size_t size);
/* The column of the rule's start: its first start field given, -1 if none. */
int start_column(const struct eval_rule *er, const struct row *w);
/* The column that puts the row in a period: the start (deadline), the event (coverage). */
int rule_column(const struct eval_rule *er, const struct row *w);

/* ---- deadline.c: one record under a deadline rule ---- */

/*
 * A deadline rule's end of a record starting at start, as of as_of: its
 * end column if by then, else NULL; or the first callback of hits (the
 * record's, sorted) at or after the start, if by then.
 */
const char *deadline_end(const struct eval_rule *er, const struct row *w,
			 const struct cb_hit *hits, int nhits, const char *start, const char *as_of);
/*
 * The row's record, its start in column col: judged into v, its check_records
 * fields (start, deadline, end, status, lateness) into out, which then points
 * into v. The records pass counts it and keeps it.
 */
/* Notes a record whose working-day deadline falls in a missing year. */
int note_gap(struct eval_rule *er, const char *start, const char *id, int year, pm_error *err);
/*
 * The error for the first rule (file order: the rules point into one
 * ruleset) whose records met a calendar gap; 0: none.
 */
int calendar_gaps(const struct subject subj[2], pm_error *err);
int deadline_judge_row(const struct judge_ctx *j, const struct row_ctx *x,
		       const struct eval_rule *er, int col, struct verdict *v,
		       struct record_row *out, pm_error *err);

/* ---- coverage.c: one record under a coverage or weekly rule ---- */

/* The ISO weeks whose Monday lies from the window's first week to its last day. */
int weeks_init(struct eval *e, pm_error *err);
/* The roles each of the subject's coverage rules accepts, by the map's role numbers. */
int roles_init(struct eval *e, struct subject *s, pm_error *err);
/*
 * A coverage rule on a record whose event is ev, judged by the record's
 * callbacks at or after ev and by as_of (hits): V_MET when one is of a role
 * the rule accepts (any, for a rule naming none), *cb its time; else, for a
 * rule naming roles, V_UNKNOWN when one of them was never given a role
 * (every file that wrote it lacked the column: it may have been a
 * supervisor's); else V_BREACHED (docs/rules.md "Who called back").
 */
enum verdict_status coverage_status(const struct eval_rule *er, const struct cb_hit *hits,
				   int nhits, const char *ev, const char *as_of, const char **cb);
/*
 * The row's record, its event in column col: its status (coverage_status():
 * V_MET, V_BREACHED or V_UNKNOWN), -1 on error; its check_records fields
 * into out (a weekly rule's week label into label, 16 bytes, which out then
 * points to); a weekly rule's week counted if the record is judged. The
 * records pass counts it and keeps it.
 */
int coverage_judge_row(const struct eval *e, const struct row_ctx *x, struct eval_rule *er,
		       int col, struct record_row *out, char *label, pm_error *err);

/* ---- eval_scan_rows.c: the scan, one statement over a subject, a function per row ---- */

/* The subject (tickets or complaints) and its table's columns; no rules yet. */
int subject_init(sqlite3 *db, struct subject *s, enum rule_subject which, pm_error *err);

void row_read(struct row *w, int ncols);
typedef int (*row_fn)(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err);
int scan(struct eval *e, struct subject *s, const char *where, row_fn fn, void *arg, pm_error *err);
/*
 * The subject's rows in the window [from, to) (and by as-of) of the field
 * each rule starts from or counts by: a range scan per field, fn's arg
 * pointing to that field's column; or one scan of the whole table (*full
 * set; of its rows those of s->full_where, if set), arg pointing to -1,
 * where fn must check the window itself.
 */
int scan_subject(struct eval *e, struct subject *s, row_fn fn, int *full, pm_error *err);
/*
 * The full scan's WHERE for s->full_where: the rows some rule of s can
 * take (its value in the scope's window, or, with missing_starts, no start
 * at all: Q-MISSING-START); NULL (every row) when it would not fit in size
 * (records_pass.c).
 */
const char *full_scan_where(const struct subject *s, int missing_starts, char *where,
			    size_t size);

/* ---- months_judge.c: a record judged in its month (the trend's, check_ctx.months) ---- */

struct months_pass;

/*
 * The months of spec over compiled subjects (the run's, or the trend's
 * own): the listed rules' places among them, each month's judge, as of its
 * end or spec->as_of if before (run_as_of: every month as of spec->as_of).
 * *out is freed by months_detach(), also on failure.
 */
int months_attach(struct eval *e, struct subject subj[2], const struct months_spec *spec,
		  int run_as_of, struct months_pass **out, pm_error *err);
/*
 * The row of the scan of column scan_col (-1: the whole table) counted in
 * its month for each listed rule, as the trend's own pass counts it
 * (x->hits looked up if not yet).
 */
int months_row(struct months_pass *mp, struct eval *e, struct row_ctx *x, int scan_col,
	       pm_error *err);
void months_detach(struct months_pass *mp);

/* ---- eval_missing.c: Q-MISSING-START ---- */

/*
 * A row whose start fields are all empty and which passed er's filters (the
 * caller checked both): a finding if its end lies in the window (checked
 * here when check_window, after a full scan).
 */
int missing_start_row(struct eval *e, struct subject *s, struct eval_rule *er,
		      struct row *w, int check_window, pm_error *err);

#endif
