/*
 * Storing what the fee pass (rules/fees/fee_pass.c) found: F-LETTER's rows
 * and counts per letter rule (check_letter()), the fee figures and
 * F-AGING's rows (check_fees()), and every site's figures for
 * check_fees_by_site() (check_fees_per_site()). No figure is computed here
 * but the letters' statuses (fee_letter_eval()); amounts are integer cents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/fees/fee_pass.h"
#include "rules/run/run.h"
#include "rules/results/results_sink.h"
#include "util/civil.h"

/* A kept time or date as text (buf holds a canonical one); NULL for NULL. */
static const char *value_str(const struct fee_pass *fp, const struct fee_value *v, int is_date,
			     char *buf)
{
	if (v->state == FEE_VALUE_NULL)
		return NULL;
	if (v->state == FEE_VALUE_TEXT)
		return fp->text.data + v->text;
	if (is_date)
		civil_format_date(v->num, buf);
	else
		civil_format_timestamp(v->num, buf);
	return buf;
}

/* Due, paid and the current collection rate for the periods in the window. */
static int current_collection(struct check_ctx *c, const struct fee_figures *f, pm_error *err)
{
	int over = 0;
	int64_t due = fee_add(f->charged, f->waived, -1, &over);

	if (over)
		return pm_fail(err, "fee amounts too large to add up: charges less waivers pass "
			       "92,233,720,368,547,758.07 yuan; correct the amounts and import "
			       "the fees again");
	return ctx_figure_int(c, FIG_FEES_CHARGED, f->charged, err) ||
	       ctx_figure_int(c, FIG_FEES_WAIVED, f->waived, err) ||
	       ctx_figure_int(c, FIG_FEES_DUE, due, err) ||
	       ctx_figure_int(c, FIG_FEES_PAID, f->paid, err) ||
	       ctx_figure_rate(c, FIG_FEES_CURRENT_RATE, f->paid, due, err) ? -1 : 0;
}

/*
 * Arrears at the window's start: what the charges of earlier periods still
 * owed just before `from` (per charge, never below zero); recovered: the
 * payments made inside the window (by the as-of time) for those periods.
 */
static int arrears_recovery(struct check_ctx *c, const struct fee_figures *f, pm_error *err)
{
	return ctx_figure_int(c, FIG_FEES_ARREARS_START, f->arrears, err) ||
	       ctx_figure_int(c, FIG_FEES_RECOVERED, f->recovered, err) ||
	       ctx_figure_rate(c, FIG_FEES_RECOVERY_RATE, f->recovered, f->arrears, err) ? -1 : 0;
}

/*
 * F-AGING rows: what each account (site/room/fee item) owes at the as-of
 * time, by days past the charge's due date: 1-30, 31-90, 91-180, 181-365,
 * 365+ (over 365), with the earliest due date of the bucket's charges. Not
 * yet due is not in arrears.
 */
static int aging_rows(struct check_ctx *c, const struct fee_pass *fp, pm_error *err)
{
	struct record_writer w;
	struct record_row out;
	char due[16];
	size_t i;
	int rc;

	if (record_writer_open(c, &w, err))
		return -1;
	memset(&out, 0, sizeof(out));
	out.rule_id = "F-AGING";
	out.kind = "account";
	out.status = "finding";
	out.has_cents = 1;
	for (i = 0, rc = 0; i < fp->naging && !rc; i++) {
		const struct fee_aging_row *row = &fp->aging[i];

		out.id = fp->text.data + row->id;
		out.site = fp->text.data + row->site;
		out.deadline = value_str(fp, &row->due, 1, due);
		out.cents = row->owed;
		out.detail = FEE_BUCKETS[row->bucket];
		rc = record_writer_put(c, &w, &out, err);
	}
	if (rc == 0)
		rc = record_writer_flush(c, &w, err);
	record_writer_close(&w);
	return rc;
}

/* The aging figures are the pass's sums, not the rows': a figures-only run stores no rows. */
static int aging(struct check_ctx *c, const struct fee_pass *fp, pm_error *err)
{
	int i;

	if (aging_rows(c, fp, err))
		return -1;
	for (i = 0; i < FEE_NBUCKETS; i++)
		if (ctx_figure_int(c, FIG_FEES_AGING_1_30 + i, fp->run.aged[i], err))
			return -1;
	return 0;
}

/*
 * fee_item.<item>.due_cents, .paid_cents and .current_rate: the window's
 * collection of each fee item alone (a total named after one fee item must
 * be that item's: issue 14).
 */
static int by_item(struct check_ctx *c, const struct fee_pass *fp, pm_error *err)
{
	int i;

	for (i = 0; i < fp->nitems; i++) {
		const struct fee_item_sum *it = &fp->items[i];

		if (ctx_fee_item_figures(c, it->item, it->due, it->paid, err))
			return -1;
	}
	return 0;
}

int check_fees(struct check_ctx *c, pm_error *err)
{
	if (!c->fees)
		return pm_fail(err, "internal: fee figures asked for before the fee pass");
	return current_collection(c, &c->fees->run, err) ||
	       arrears_recovery(c, &c->fees->run, err) || aging(c, c->fees, err) ||
	       by_item(c, c->fees, err) ? -1 : 0;
}

/* Y-M-D H:M:S of seconds since 1970, as numbers. */
static void split_time(int64_t secs, int *y, int *m, int *d, int64_t *sod)
{
	int64_t day = secs / 86400 - (secs % 86400 < 0);

	*sod = secs - day * 86400;
	civil_from_days(day, y, m, d);
}

/*
 * L = r1 + N calendar months, clamped to the month's last day (30 Nov + 3
 * months = 28/29 Feb), at r1's time of day; as the SQL did:
 *   CASE WHEN strftime('%d', r1, '+N months') = strftime('%d', r1)
 *   THEN datetime(r1, '+N months')
 *   ELSE date(r1, 'start of month', '+N+1 months', '-1 day') || ' ' || time(r1) END
 * Returns -1 where the C arithmetic would leave SQLite's range (years 1-9999).
 */
static int letter_limit(int64_t r1, int months, int64_t *lim)
{
	int y, m, d, dim;
	int64_t sod, mm;

	split_time(r1, &y, &m, &d, &sod);
	mm = (int64_t)y * 12 + (m - 1) + months;
	if (mm < 12 || mm >= 10000 * 12)
		return -1;
	y = (int)(mm / 12);
	m = (int)(mm % 12) + 1;
	dim = civil_month_days(y, m);
	*lim = civil_days(y, m, d < dim ? d : dim) * 86400 + sod;
	return 0;
}

static int in_sqlite_range(int64_t secs)
{
	/* 0001-01-01 00:00:00 .. 9999-12-31 23:59:59 */
	return secs >= -62135596800LL && secs <= 253402300799LL;
}

static int letter_in_c(const char *r1, const char *letter_at, const char *as_of, int months,
		       long long grace, struct fee_letter_result *out)
{
	int64_t t1, tl = 0, asof, lim, lim7;
	char lim_text[20];

	if (civil_parse_timestamp(r1, &t1) || civil_parse_timestamp(as_of, &asof) ||
	    (letter_at && civil_parse_timestamp(letter_at, &tl)) || !in_sqlite_range(t1) ||
	    letter_limit(t1, months, &lim) ||
	    grace > 253402300799LL || grace < -253402300799LL || !in_sqlite_range(lim7 = lim + grace))
		return -1;
	civil_format_timestamp(lim, lim_text);
	civil_format_timestamp(lim7, out->lim7);
	out->has_lim7 = 1;
	snprintf(out->detail, sizeof(out->detail), "L %s", lim_text);
	out->has_late = 0;
	if (asof <= lim) {
		strcpy(out->status, "not_evaluated");
		return 0;
	}
	if (letter_at && tl <= lim7)
		strcpy(out->status, "met");
	else
		strcpy(out->status, asof <= lim7 ? "pending" : "breached");
	if (letter_at && tl > lim7) {
		out->has_late = 1;
		out->late = tl - lim7;
	} else if (!letter_at && asof > lim7) {
		out->has_late = 1;
		out->late = asof - lim7;
	}
	return 0;
}

/* The SQL that F-LETTER was, for one account. Pieces joined with %s: the SQL holds % signs. */
static int letter_in_sql(sqlite3 *db, const char *r1, const char *letter_at, const char *as_of,
			 int months, long long grace, struct fee_letter_result *out, pm_error *err)
{
	char m1[32], m2[32], g[48];
	const char *s;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "WITH l AS (SELECT ?1 AS r1, ?2 AS letter_at, ?3 AS asof,"
			       " CASE WHEN ?1 IS NULL THEN NULL"
			       "  WHEN strftime('%d', ?1, ?4) = strftime('%d', ?1) THEN datetime(?1, ?4)"
			       "  ELSE date(?1, 'start of month', ?5, '-1 day') || ' ' || time(?1) END AS lim),"
			       " e AS (SELECT l.*, datetime(lim, ?6) AS lim7 FROM l)"
			       " SELECT lim7,"
			       "  CASE WHEN r1 IS NULL OR asof <= lim THEN 'not_evaluated'"
			       "   WHEN letter_at IS NOT NULL AND letter_at <= lim7 THEN 'met'"
			       "   WHEN asof <= lim7 THEN 'pending' ELSE 'breached' END,"
			       "  CASE WHEN r1 IS NULL OR asof <= lim THEN NULL"
			       "   WHEN letter_at > lim7 THEN strftime('%s', letter_at) - strftime('%s', lim7)"
			       "   WHEN letter_at IS NULL AND asof > lim7"
			       "    THEN strftime('%s', asof) - strftime('%s', lim7) END,"
			       "  CASE WHEN r1 IS NULL THEN 'no phone or SMS reminder yet' ELSE 'L ' || lim END"
			       " FROM e", -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	snprintf(m1, sizeof(m1), "+%d months", months);
	snprintf(m2, sizeof(m2), "+%d months", months + 1);
	snprintf(g, sizeof(g), "+%lld seconds", grace);
	sqlite3_bind_text(st, 1, r1, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, letter_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m1, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m2, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, g, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		out->has_lim7 = s != NULL;
		snprintf(out->lim7, sizeof(out->lim7), "%s", s ? s : "");
		snprintf(out->status, sizeof(out->status), "%s", sqlite3_column_text(st, 1));
		out->has_late = sqlite3_column_type(st, 2) != SQLITE_NULL;
		out->late = sqlite3_column_int64(st, 2);
		s = (const char *)sqlite3_column_text(st, 3);
		snprintf(out->detail, sizeof(out->detail), "%s", s ? s : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

int fee_letter_eval(sqlite3 *db, const char *r1, const char *letter_at, const char *as_of,
		    int after_months, long long grace_seconds, int sql,
		    struct fee_letter_result *out, pm_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!r1) {
		strcpy(out->status, "not_evaluated");
		strcpy(out->detail, "no phone or SMS reminder yet");
		return 0;
	}
	if (!sql && letter_in_c(r1, letter_at, as_of, after_months, grace_seconds, out) == 0)
		return 0;
	return letter_in_sql(db, r1, letter_at, as_of, after_months, grace_seconds, out, err);
}

/* The rule's place among the enabled letter rules, as the pass numbered them. */
static int letter_index(const struct check_ctx *c, const struct rule *r)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->scope->rs->count; i++) {
		if (&c->scope->rs->rules[i] == r)
			return n;
		n += c->scope->rs->rules[i].enabled && c->scope->rs->rules[i].kind == RULE_LETTER;
	}
	return -1;
}

/* What F-LETTER counts of the rule's rows, stored or not. */
struct letter_counts {
	struct strtab *sites;           /* the summary's texts: sites, then its due list */
	struct site_count *count;       /* by site number */
	int cap;
	struct letter_summary *sum;
};

static int count_letter(struct letter_counts *n, const char *site, const char *account,
			const struct fee_letter_result *res)
{
	struct letter_summary *sum = n->sum;
	int i = strtab_intern(n->sites, site);
	struct site_count *x;

	if (i < 0)
		return -1;
	if (i >= n->cap) {
		int cap = n->cap ? 2 * n->cap : 64;
		struct site_count *grown = realloc(n->count, cap * sizeof(*grown));

		if (!grown)
			return -1;
		memset(grown + n->cap, 0, (cap - n->cap) * sizeof(*grown));
		n->count = grown;
		n->cap = cap;
	}
	x = &n->count[i];
	x->seen = 1;
	x->met += !strcmp(res->status, "met");
	x->breached += !strcmp(res->status, "breached");
	sum->not_evaluated += !strcmp(res->status, "not_evaluated");
	if (strcmp(res->status, "pending"))
		return 0;
	x->pending++;
	if (sum->ndue == sum->cap) {
		size_t cap = sum->cap ? 2 * sum->cap : 16;
		struct letter_due *grown = realloc(sum->due, cap * sizeof(*grown));

		if (!grown)
			return -1;
		sum->due = grown;
		sum->cap = cap;
	}
	sum->due[sum->ndue].seq = sum->ndue;
	sum->due[sum->ndue].account = strtab_store(n->sites, account);
	sum->due[sum->ndue].by = res->has_lim7 ? strtab_store(n->sites, res->lim7) : NULL;
	if (!sum->due[sum->ndue].account || (res->has_lim7 && !sum->due[sum->ndue].by))
		return -1;
	sum->ndue++;
	return 0;
}

static int letter_row(struct check_ctx *c, const struct rule *r, const struct fee_letter_row *row,
		      struct record_writer *w, struct letter_counts *n, pm_error *err)
{
	const struct fee_pass *fp = c->fees;
	struct fee_letter_result res;
	char t1[20], tl[20];
	const char *r1 = value_str(fp, &row->r1, 0, t1), *letter = value_str(fp, &row->letter, 0, tl);

	if (fee_letter_eval(c->db, r1, letter, c->scope->as_of, r->after_months, r->grace_seconds,
			    0, &res, err))
		return -1;
	struct record_row out;

	if (count_letter(n, fp->text.data + row->site, fp->text.data + row->id, &res))
		return pm_fail(err, "out of memory");
	memset(&out, 0, sizeof(out));
	out.rule_id = r->id;
	out.kind = "account";
	out.id = fp->text.data + row->id;
	out.site = fp->text.data + row->site;
	out.start = r1;
	out.deadline = res.has_lim7 ? res.lim7 : NULL;
	out.end = letter;
	out.status = res.status;
	out.has_late = res.has_late;
	out.late = res.late;
	out.has_cents = 1;
	out.cents = row->owed;
	out.detail = res.detail;
	if (record_writer_put(c, w, &out, err))
		return -1;
	return 0;
}

/* The rule's summary, kept in c->letters until the run ends. */
static struct letter_summary *new_summary(struct check_ctx *c, const struct rule *r)
{
	struct letter_summary *grown = realloc(c->letters, (c->nletters + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	c->letters = grown;
	memset(&grown[c->nletters], 0, sizeof(*grown));
	grown[c->nletters].r = r;
	return &grown[c->nletters++];
}

/* By record id in byte order (SQL's ORDER BY record_id), ties in account order. */
static int due_order(const void *a, const void *b)
{
	const struct letter_due *x = a, *y = b;
	int d = strcmp(x->account, y->account);

	return d ? d : (x->seq > y->seq) - (x->seq < y->seq);
}

/* check_site_results and check_rule_results from the counts. */
static int store_letter_counts(struct check_ctx *c, const struct rule *r, struct letter_counts *n,
			       pm_error *err)
{
	sqlite3_int64 met = 0, breached = 0, pending = 0;
	int i;

	for (i = 0; i < n->sites->count; i++) {
		met += n->count[i].met;
		breached += n->count[i].breached;
		pending += n->count[i].pending;
	}
	if (n->sum->ndue > 1)
		qsort(n->sum->due, n->sum->ndue, sizeof(*n->sum->due), due_order);
	return store_site_results(c, r, n->sites, n->count, n->sites->count, err) ||
	       check_rule_result_counts(c, r, met, breached, pending, err) ? -1 : 0;
}

/*
 * F-LETTER: for each account owing money at the as-of time, r1 = its first
 * phone/SMS reminder and L = r1 + N calendar months (clamped to the month's
 * last day: 30 Nov + 3 months = 28/29 Feb). Not evaluated until the as-of
 * time passes L; then met if a letter was sent by min(as-of, L + grace),
 * pending while the as-of time is at or before L + grace, breached after.
 * Reminder methods match when they contain one of the rule's words, so
 * "函件/特快专递" counts as a letter. The pass found r1 and the letter.
 * Every row is stored (met ones too) unless the run is figures-only; the
 * per-site and total counts and the summary's letters come from the rows
 * in memory either way.
 */
int check_letter(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	int rule = letter_index(c, r), rc = 0;
	struct letter_counts n;
	struct record_writer w;
	size_t i;

	if (!c->fees)
		return pm_fail(err, "internal: F-LETTER asked for before the fee pass");
	memset(&n, 0, sizeof(n));
	if (!(n.sum = new_summary(c, r)))
		return pm_fail(err, "out of memory");
	n.sites = &n.sum->texts;
	strtab_init(n.sites);
	if (record_writer_open(c, &w, err))
		return -1;
	for (i = 0; i < c->fees->nletter_rows && !rc; i++)
		if (c->fees->letter_rows[i].rule == rule)
			rc = letter_row(c, r, &c->fees->letter_rows[i], &w, &n, err);
	if (rc == 0)
		rc = record_writer_flush(c, &w, err);
	record_writer_close(&w);
	if (rc == 0)
		rc = store_letter_counts(c, r, &n, err);
	free(n.count);
	return rc;
}

void letter_summaries_free(struct check_ctx *c)
{
	int i;

	for (i = 0; i < c->nletters; i++) {
		free(c->letters[i].due);
		strtab_free(&c->letters[i].texts);
	}
	free(c->letters);
	c->letters = NULL;
	c->nletters = 0;
}

/*
 * check_fees_by_site(): the pass's per-site sums, the same as
 * current_collection() and arrears_recovery() for each site (each charge
 * belongs to one site, so a site's sums are what the run for that site
 * would store). The caller takes the array.
 */
int check_fees_per_site(struct check_ctx *c, struct check_site_fees **out, int *n, pm_error *err)
{
	struct check_site_fees *f;
	int i;

	if (!c->fees)
		return pm_fail(err, "internal: site fees asked for before the fee pass");
	*out = c->fees->sites;
	*n = c->fees->nsites;
	c->fees->sites = NULL;
	c->fees->nsites = 0;
	for (i = 0; i < *n; i++) {
		f = &(*out)[i];
		/* as ctx_figure_rate() stores them */
		f->has_current_rate = results_rate(f->paid_cents, f->due_cents, 0,
						   &f->current_rate, NULL);
		f->has_recovery_rate = results_rate(f->recovered_cents, f->arrears_start_cents, 0,
						    &f->recovery_rate, NULL);
	}
	return 0;
}
