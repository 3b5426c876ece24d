#ifndef PM_CHECK_INTERNAL_H
#define PM_CHECK_INTERNAL_H

/*
 * Shared by the rules engine's parts (rules/check_*.c), not by callers.
 * Every statement is prepared through ctx_prepare(), which binds the run's
 * common named parameters wherever a statement uses them:
 *   :run :from :to :asof :site :pfrom :pto
 * (:pfrom/:pto bound the fee periods 'YYYY-MM' whose first day lies in
 * [from, to)). Rule-specific values are bound by rule_bind(): :rule. The
 * rules' lists are read in C from the parsed rules file.
 */
#include <sqlite3.h>
#include "rules/ruleset.h"
#include "rules/calendar.h"
#include "util/error.h"
#include "rules/check.h"
#include "rules/eval_strtab.h"

struct fee_pass;
struct preload;
struct cb_pass;

struct check_ctx {
	sqlite3 *db;
	sqlite3_int64 run_id;
	const char *from, *to, *as_of, *site;
	char pfrom[16], pto[16];
	const struct ruleset *rs;
	struct calendar *cal;
	int keep_met;           /* check_params.keep_met */
	int figures_only;       /* check_params.figures_only: no check_records rows */
	int scratch;            /* on a read-only connection: stores in TEMP tables (check.h) */
	sqlite3_int64 missing_start;    /* Q-MISSING-START: distinct records (rules/eval_missing.c) */
	struct letter_summary *letters; /* per letter rule, for the JSON summary (check_fees.c) */
	int nletters;
	void (*profile)(const char *what, double seconds);
	struct fee_pass *fees;  /* what check_fee_pass() found, until stored */
	struct find_records *records;   /* tickets and complaints read once (rules/find.h) */
	struct preload *preload;        /* what is being read ahead, or NULL (check_preload.h) */
	struct cb_pass *callbacks_judged; /* the findings' callbacks, judged ahead (rules/find.h) */
};

/* The rules file's calendars, then calendar_file (may be NULL), into c->cal. */
int check_load_calendar(struct check_ctx *c, const char *calendar_file, pm_error *err);
/* sqlite3_exec with the message in err. */
int db_exec_plain(struct check_ctx *c, const char *sql, pm_error *err);
/*
 * A read transaction around c's reads (every figure from the same data),
 * or, inside a caller's transaction (a report's), a savepoint of it named
 * savepoint; *nested says which, for ctx_read_end(). 0, or -1 with err.
 */
int ctx_read_begin(struct check_ctx *c, const char *savepoint, int *nested, pm_error *err);
void ctx_read_end(struct check_ctx *c, const char *savepoint, int nested, int failed);
int ctx_prepare(struct check_ctx *c, const char *sql, sqlite3_stmt **st, pm_error *err);
/* Binds a text value to a named parameter if the statement has it. */
void ctx_bind_text(sqlite3_stmt *st, const char *name, const char *value);
void ctx_bind_int(sqlite3_stmt *st, const char *name, sqlite3_int64 value);
/* Steps a statement to completion and finalizes it. */
int ctx_finish(struct check_ctx *c, sqlite3_stmt *st, pm_error *err);
/* Prepares, binds :rule (may be NULL), runs and finalizes. */
int ctx_run(struct check_ctx *c, const char *sql, const char *rule_id, pm_error *err);
/* Runs a query returning one integer (NULL -> 0). */
int ctx_int(struct check_ctx *c, const char *sql, const char *rule_id,
	    sqlite3_int64 *out, pm_error *err);

int ctx_figure_int(struct check_ctx *c, const char *key, sqlite3_int64 v, pm_error *err);
/* den == 0 stores NULL. */
int ctx_figure_rate(struct check_ctx *c, const char *key, sqlite3_int64 num,
		    sqlite3_int64 den, pm_error *err);

/* Binds :rule and :min_charge. */
void rule_bind(sqlite3_stmt *st, const struct rule *r);

/*
 * The parts, each storing its rows in check_records / check_figures. The
 * deadline, coverage and weekly rules and Q-MISSING-START are evaluated
 * together, in C: rules/eval.h.
 */
int check_letter(struct check_ctx *c, const struct rule *r, pm_error *err);
int check_repeat(struct check_ctx *c, const struct rule *r, pm_error *err);
/*
 * The pass over the fee ledger (rules/check_fee_pass.c): every fee figure,
 * F-AGING row and F-LETTER row into c->fees; call before F-LETTER and
 * check_fees. may_rebuild: a stale fee_ledger is rebuilt (the run is in a
 * write transaction), else fees is read instead.
 */
int check_fee_pass(struct check_ctx *c, int may_rebuild, pm_error *err);
void fee_pass_free(struct fee_pass *fp);
int check_fees(struct check_ctx *c, pm_error *err);
/* check_fees_by_site() after check_fee_pass() over every site. */
int check_fees_per_site(struct check_ctx *c, struct check_site_fees **out, int *n, pm_error *err);
int check_volumes(struct check_ctx *c, pm_error *err);
int check_findings(struct check_ctx *c, pm_error *err);
/*
 * One check_rule_results row for the rule from its counts (a weekly rule's
 * from its check_weeks rows, stored first).
 */
int check_rule_result_counts(struct check_ctx *c, const struct rule *r, sqlite3_int64 met,
			     sqlite3_int64 breached, sqlite3_int64 pending, pm_error *err);
/*
 * What the JSON summary says of a letter rule besides its totals: accounts
 * not evaluated yet, and the letters due now (the pending accounts, by
 * record id, with their deadline; by NULL: none). Kept by check_letter().
 */
struct letter_due {
	char *account, *by;
	size_t seq;             /* the account's place in the ledger's order */
};
struct letter_summary {
	const struct rule *r;
	struct strtab texts;            /* the sites counted and the due list's texts */
	sqlite3_int64 not_evaluated;
	struct letter_due *due;
	size_t ndue, cap;
};
void letter_summaries_free(struct check_ctx *c);
/* Builds the JSON summary and stores it in check_runs.summary_json. */
int check_summary(struct check_ctx *c, pm_error *err);

#endif
