#ifndef PM_RULES_FEES_H
#define PM_RULES_FEES_H

/*
 * Fees and collection (RULES.md "Fees and collection"): the fee pass over
 * the ledger by account computes every fee figure, F-AGING row and F-LETTER
 * row once (fee_pass.c); F-LETTER and the fee figures are stored from what
 * it found (fees.c). The engine calls, in this order: check_fee_pass(),
 * check_letter() for each enabled letter rule, check_fees(); then frees
 * with fee_pass_free() and letter_summaries_free().
 */
#include <stdint.h>
#include <sqlite3.h>
#include "util/error.h"
#include "util/strtab.h"

struct check_ctx;               /* rules/run/run.h */
struct fee_pass;
struct rule;

/*
 * The fee figures of one site, exactly what a run over that site would
 * store (fees.due_cents, fees.paid_cents, fees.current_rate,
 * fees.arrears_start_cents, fees.recovered_cents, fees.recovery_rate).
 */
struct check_site_fees {
	char *site;
	sqlite3_int64 due_cents, paid_cents, arrears_start_cents, recovered_cents;
	int has_current_rate, has_recovery_rate;   /* 0: the rate is null */
	double current_rate, recovery_rate;
};

/*
 * The pass over the fee ledger: every fee figure, F-AGING row and F-LETTER
 * row into c->fees; call before check_letter() and check_fees().
 * may_rebuild: a stale fee_ledger is rebuilt (the run is in a write
 * transaction), else fees is read instead.
 */
int check_fee_pass(struct check_ctx *c, int may_rebuild, pm_error *err);
void fee_pass_free(struct fee_pass *fp);
/* Stores the fee figures and the F-AGING rows (F-AGING's figures). */
int check_fees(struct check_ctx *c, pm_error *err);
/* Every site's figures, after check_fee_pass() over every site (check_fees_by_site()). */
int check_fees_per_site(struct check_ctx *c, struct check_site_fees **out, int *n, pm_error *err);
void fee_sites_free(struct check_site_fees *sites, int nsites);

/*
 * What is due of a period's charges: charged less waived (the one
 * definition of fees.due_cents, the run's, a site's and a trend month's).
 */
int64_t fee_due(int64_t charged, int64_t waived, int *overflow);

/* F-LETTER: the rule's rows and counts; what the summary needs in c->letters. */
int check_letter(struct check_ctx *c, const struct rule *r, pm_error *err);
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

/*
 * check_trend's fee figures (rules/engine/trend.c): for each of n
 * consecutive months, what check_fee_pass() over that month alone (as of
 * its end) finds for the month's own period: charged, waived and paid, by
 * one walk of the ledger (c->scope->site's accounts; a stale ledger is read
 * around, never rebuilt). period and next_period are 'YYYY-MM' (the
 * month's and the next: the run's :pfrom and :pto), as_of the month's end.
 */
struct fee_month {
	const char *period, *next_period, *as_of;
	int64_t charged, waived, paid;
};
int fee_pass_months(struct check_ctx *c, struct fee_month *months, int n, pm_error *err);

#endif
