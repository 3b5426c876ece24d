#ifndef PM_RULES_FEE_PASS_H
#define PM_RULES_FEE_PASS_H

/*
 * What the fee pass (rules/fees/fee_pass.c) found, held for the run until
 * check_letter() and check_fees() (rules/fees/fees.c) store it: the
 * figures, every site's figures, and the F-AGING and F-LETTER rows in
 * account order. Texts are kept in one buffer (text) by offset.
 */
#include <stddef.h>
#include <stdint.h>
#include "db/fee_ledger.h"
#include "util/buf.h"
#include "rules/fees/fees.h"
#include "util/error.h"

#define FEE_NBUCKETS 5
/* '1-30' '31-90' '91-180' '181-365' '365+', and the order their names sort in. */
extern const char *const FEE_BUCKETS[FEE_NBUCKETS];
extern const int FEE_BUCKET_TEXT_ORDER[FEE_NBUCKETS];

struct fee_figures {
	int64_t charged, waived, paid, arrears, recovered;
	int64_t aged[FEE_NBUCKETS];
};

/* A time or date as the ledger held it: NULL, canonical (num), or text at an offset. */
enum { FEE_VALUE_NULL, FEE_VALUE_NUM, FEE_VALUE_TEXT };
struct fee_value {
	int64_t num;
	size_t text;
	unsigned char state;
};

struct fee_aging_row {
	size_t id, site;                /* 'site/room/fee_item' and the site */
	int bucket;
	int64_t owed;
	struct fee_value due;           /* min(due) of the account's charges in the bucket */
};

struct fee_letter_row {
	size_t id, site;
	int rule;                       /* the rule's place among the enabled letter rules */
	int64_t owed;
	struct fee_value r1, letter;    /* seconds */
};

/* The window's due and paid of one fee item (fee_item.<item>.* figures). */
struct fee_item_sum {
	char *item;
	int64_t due, paid;
};

struct fee_pass {
	struct fee_figures run;
	struct fee_item_sum *items;     /* by fee item, in the order first met */
	int nitems, item_cap;
	struct check_site_fees *sites;  /* sites any figure can see, in byte order */
	int nsites, site_cap;
	int nletters;
	/*
	 * 1: the F-AGING rows are not kept, only summed: a figures-only run
	 * stores no record, and the aging figures are the sums (the previous
	 * month's run of a report: 71k rows on the bench's month)
	 */
	int no_aging_rows;
	struct fee_aging_row *aging;
	size_t naging, aging_cap;
	struct fee_letter_row *letter_rows;
	size_t nletter_rows, letter_cap;
	struct buf text;                /* the rows' texts, by offset */
	int overflow;                   /* a sum did not fit in 64 bits: the pass fails */
};

/*
 * Keeps the account's F-AGING rows (the buckets it owes in, aged_due NULL
 * for the others) and, if it owes money, one F-LETTER row per letter rule
 * with its first reminder and letter (NULL: none).
 */
int fee_pass_keep_rows(struct fee_pass *fp, const struct fee_account *a, const int64_t *aged,
		       const struct fee_event *const *aged_due, int has_owed, int64_t owed,
		       const struct fee_event *const *r1, const struct fee_event *const *letter,
		       int nletters, pm_error *err);
/* a + sign * b; sets *overflow when it does not fit (rules/fees/fee_rows.c). */
int64_t fee_add(int64_t a, int64_t b, int sign, int *overflow);

/*
 * F-LETTER for one account (exposed for the unit tests, which compare the
 * C arithmetic with the SQL it replaced): from r1, letter_at (NULL or text)
 * and the rule's months and grace, the deadline L + grace (lim7), the
 * status, the late seconds (has_late 0: NULL) and the detail. sql != 0
 * computes it with the SQL expressions, which is also what a value that is
 * not canonical gets.
 */
struct fee_letter_result {
	char lim7[64], status[16], detail[80];
	int has_lim7, has_late;
	int64_t late;
};
int fee_letter_eval(sqlite3 *db, const char *r1, const char *letter_at, const char *as_of,
		    int after_months, long long grace_seconds, int sql,
		    struct fee_letter_result *out, pm_error *err);

#endif
