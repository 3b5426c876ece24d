/*
 * The pass over the fee ledger that every fee figure, F-AGING and F-LETTER
 * come from (RULES.md "Fees and collection").
 *
 * The ledger is the largest table (2M events in a year of 100 sites) and
 * every run must read all of it, since any old charge may still be owed. It
 * is read by account from fee_ledger (db/fee_ledger.h: 73k rows instead of
 * 2M), and everything is computed here in C in one walk; the rows and
 * figures are stored by rules/fees/fees.c. Each figure's definition is
 * written beside its code as the SQL expression it equals (the unit tests
 * compare the two): an event counts when it happened by the as-of time;
 * payments and waivers reduce the charge of the period they name; a NULL
 * amount counts as nothing.
 *
 * Times, dates and periods are numbers when they are canonical and text
 * otherwise (util/civil.h); a comparison uses the numbers when both sides
 * have them and the texts, as SQL compared them, when not.
 */
#include <stdlib.h>
#include <string.h>
#include "db/fee_ledger.h"
#include "rules/fees/fee_pass.h"
#include "rules/run/run.h"
#include "util/civil.h"

/* A bound of the run: its number and its text. */
struct bound {
	int64_t num;
	const char *text;
};

/* One charge's running totals (site, room, fee item, period); has_* mark a SQL sum() that saw a value. */
struct charge {
	int64_t owed_asof, owed_from, charged, waived, paid, recovered;
	unsigned char has_owed_asof, has_owed_from, has_charged, has_waived, has_paid,
		      has_recovered, reminded;
	const struct fee_event *due;    /* the charge event with the latest due date */
};

/* What the pass keeps of an account while walking it. */
struct account {
	int64_t owed;                   /* sum(owed_asof) */
	int has_owed;
	int64_t aged[FEE_NBUCKETS];
	const struct fee_event *aged_due[FEE_NBUCKETS];   /* min(due) of the bucket; NULL: none */
	const struct fee_event **r1, **letter;            /* per letter rule */
};

struct pass {
	struct check_ctx *c;
	struct fee_pass *out;
	struct bound asof, from, to, pfrom, pto;
	int64_t asof_day;
	const struct rule **letters;
	int nletters;
	struct account acct;
	sqlite3_value *fee_item;        /* the account's, for count_charge() */
	sqlite3_stmt *days_sql;         /* julianday() for a due date that is not canonical */
	int acct_overflow;              /* a sum of the account's own did not fit in 64 bits */
	pm_error *err;
};

/* The text of a canonical value, for comparing it with one that is not. */
static int cmp_text_at(const struct fee_event *a, const struct fee_event *b)
{
	char ta[20], tb[20];

	if (!a->at_text)
		civil_format_timestamp(a->at, ta);
	if (!b->at_text)
		civil_format_timestamp(b->at, tb);
	return strcmp(a->at_text ? a->at_text : ta, b->at_text ? b->at_text : tb);
}

static int cmp_at(const struct fee_event *a, const struct fee_event *b)
{
	if (a->at_text || b->at_text)
		return cmp_text_at(a, b);
	return (a->at > b->at) - (a->at < b->at);
}

static int cmp_at_bound(const struct fee_event *e, const struct bound *b)
{
	if (e->at_text)
		return strcmp(e->at_text, b->text);
	return (e->at > b->num) - (e->at < b->num);
}

static int cmp_due(const struct fee_event *a, const struct fee_event *b)
{
	char ta[11], tb[11];

	if (!a->due_text && !b->due_text)
		return (a->due > b->due) - (a->due < b->due);
	if (!a->due_text)
		civil_format_date(a->due, ta);
	if (!b->due_text)
		civil_format_date(b->due, tb);
	return strcmp(a->due_text ? a->due_text : ta, b->due_text ? b->due_text : tb);
}

static int cmp_period_bound(const struct fee_event *e, const struct bound *b)
{
	if (e->period_text)
		return strcmp(e->period_text, b->text);
	return (e->period > b->num) - (e->period < b->num);
}

static int same_period(const struct fee_event *a, const struct fee_event *b)
{
	if (a->period_text || b->period_text)
		return a->period_text && b->period_text && !strcmp(a->period_text, b->period_text);
	return a->period == b->period;
}

/*
 * A text that is empty, or 64 bytes and more, counts as no value for the
 * due date and the reminders' times (as every earlier engine had it).
 */
static int usable_text(const char *s)
{
	size_t n;

	if (!s)
		return 1;
	n = strlen(s);
	return n > 0 && n < 64;
}

/* instr(method, word) > 0 for one of the words (UTF-8: a byte match is a character match). */
static int method_in(const char *method, const struct rule_list *l)
{
	int i;

	if (!method)
		return 0;
	for (i = 0; i < l->count; i++)
		if (strstr(method, l->items[i]))
			return 1;
	return 0;
}

/*
 * A sum of amounts that does not fit in 64 bits (more than 92 quadrillion
 * yuan): only a value typed by mistake gets there. The error names the
 * rows with the largest amounts -- of the account whose own sums overflow,
 * or (fa NULL) of the whole ledger when a total over accounts does.
 */
static int fee_overflow_error(sqlite3 *db, const struct fee_account *fa, pm_error *err)
{
	sqlite3_stmt *st;
	const char *rows = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT group_concat(entry_id, ', ') FROM (SELECT entry_id"
			       " FROM fees WHERE (?4 OR (site IS ?1 AND room IS ?2 AND fee_item IS ?3))"
			       " AND amount IS NOT NULL ORDER BY abs(amount) DESC, entry_id LIMIT 5)",
			       -1, &st, NULL) != SQLITE_OK)
		return pm_fail(err, "fee amounts too large to add up; database: %s",
			       sqlite3_errmsg(db));
	if (fa) {
		sqlite3_bind_value(st, 1, fa->site);
		sqlite3_bind_value(st, 2, fa->room);
		sqlite3_bind_value(st, 3, fa->fee_item);
	}
	sqlite3_bind_int(st, 4, fa == NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		rows = (const char *)sqlite3_column_text(st, 0);
	if (fa)
		rc = pm_fail(err, "fee amounts too large to add up (a sum passes "
			     "92,233,720,368,547,758.07 yuan) at site %s, room %s, fee item %s; its "
			     "largest rows (entry_id): %s. Correct the amounts and import the fees again",
			     (const char *)sqlite3_value_text(fa->site),
			     (const char *)sqlite3_value_text(fa->room),
			     (const char *)sqlite3_value_text(fa->fee_item), rows ? rows : "?");
	else
		rc = pm_fail(err, "fee amounts too large to add up (a total passes "
			     "92,233,720,368,547,758.07 yuan); the largest amounts are in rows "
			     "(entry_id): %s. Correct the amounts and import the fees again",
			     rows ? rows : "?");
	sqlite3_finalize(st);
	return rc;
}

/*
 * sum(CASE WHEN at <= :asof THEN <effect> ELSE 0 END) and the same before
 * `from`: an event outside the bound, a reminder or an unknown kind adds 0
 * (a value, not NULL); only a NULL amount adds nothing.
 */
static void owed_one(int64_t *sum, unsigned char *has, int inside, int sign,
		     const struct fee_event *e, int *overflow)
{
	if (!inside || sign == 0) {
		*has = 1;
		return;
	}
	if (!e->has_amount)
		return;
	*sum = fee_add(*sum, e->amount, sign, overflow);
	*has = 1;
}

static void add(int64_t *sum, unsigned char *has, const struct fee_event *e, int *overflow)
{
	if (!e->has_amount)
		return;
	*sum = fee_add(*sum, e->amount, 1, overflow);
	*has = 1;
}

/* A reminder by the as-of time: the first phone/SMS reminder and first letter of each letter rule. */
static void remind(struct pass *p, struct charge *ch, const struct fee_event *e)
{
	struct account *a = &p->acct;
	int i;

	if (!usable_text(e->at_text))
		return;
	for (i = 0; i < p->nletters; i++) {
		if (method_in(e->method, &p->letters[i]->first_reminder)) {
			if (!a->r1[i] || cmp_at(e, a->r1[i]) < 0)
				a->r1[i] = e;
			ch->reminded |= i == 0;
		}
		if (method_in(e->method, &p->letters[i]->letter)) {
			if (!a->letter[i] || cmp_at(e, a->letter[i]) < 0)
				a->letter[i] = e;
			ch->reminded |= i == 0;
		}
	}
}

static void accumulate(struct pass *p, struct charge *ch, const struct fee_event *e)
{
	int sign = e->kind == FEE_CHARGE ? 1 : e->kind == FEE_PAYMENT || e->kind == FEE_WAIVER ? -1 : 0;

	int *over = &p->acct_overflow;

	owed_one(&ch->owed_asof, &ch->has_owed_asof, cmp_at_bound(e, &p->asof) <= 0, sign, e, over);
	owed_one(&ch->owed_from, &ch->has_owed_from, cmp_at_bound(e, &p->from) < 0, sign, e, over);
	if (cmp_at_bound(e, &p->asof) > 0)
		return;
	switch (e->kind) {
	case FEE_CHARGE:
		/* max(due): the latest due date of the period's charges */
		if (e->has_due && usable_text(e->due_text) && (!ch->due || cmp_due(e, ch->due) > 0))
			ch->due = e;
		add(&ch->charged, &ch->has_charged, e, over);
		break;
	case FEE_WAIVER:
		add(&ch->waived, &ch->has_waived, e, over);
		break;
	case FEE_PAYMENT:
		add(&ch->paid, &ch->has_paid, e, over);
		if (cmp_at_bound(e, &p->from) >= 0 && cmp_at_bound(e, &p->to) < 0)
			add(&ch->recovered, &ch->has_recovered, e, over);
		break;
	case FEE_REMINDER:
		remind(p, ch, e);
		break;
	}
}

/* CAST(julianday(date(:asof)) - julianday(due) AS INTEGER); 0 and *days, or 1 for NULL. */
static int due_days(struct pass *p, const struct fee_event *due, int64_t *days, pm_error *err)
{
	int rc;

	if (!due->due_text) {
		*days = p->asof_day - due->due;
		return 0;
	}
	if (!p->days_sql && ctx_prepare(p->c, "SELECT CAST(julianday(date(:asof)) - julianday(?1)"
					" AS INTEGER)", &p->days_sql, err))
		return -1;
	sqlite3_reset(p->days_sql);
	sqlite3_bind_text(p->days_sql, 1, due->due_text, -1, SQLITE_STATIC);
	rc = sqlite3_step(p->days_sql);
	if (rc != SQLITE_ROW)
		return pm_fail(err, "database: %s", sqlite3_errmsg(p->c->db));
	if (sqlite3_column_type(p->days_sql, 0) == SQLITE_NULL)
		return 1;
	*days = sqlite3_column_int64(p->days_sql, 0);
	return 0;
}

static int bucket_of(int64_t days)
{
	return days <= 30 ? 0 : days <= 90 ? 1 : days <= 180 ? 2 : days <= 365 ? 3 : 4;
}

/* F-AGING: what the charge owes at the as-of time, by days past its due date (not yet due: none). */
static int age(struct pass *p, const struct charge *ch)
{
	struct account *a = &p->acct;
	int64_t days = 0;
	int b, rc;

	if (!ch->has_owed_asof || ch->owed_asof <= 0 || !ch->due)
		return 0;
	if ((rc = due_days(p, ch->due, &days, p->err)) != 0)
		return rc < 0 ? -1 : 0;
	if (days < 1)
		return 0;
	b = bucket_of(days);
	a->aged[b] = fee_add(a->aged[b], ch->owed_asof, 1, &p->acct_overflow);
	if (!a->aged_due[b] || cmp_due(ch->due, a->aged_due[b]) < 0)
		a->aged_due[b] = ch->due;
	return 0;
}

/* The figures of one site, in key order: a new site starts a new entry. */
static struct check_site_fees *site_entry(struct pass *p, sqlite3_value *site)
{
	struct fee_pass *o = p->out;
	const char *name = (const char *)sqlite3_value_text(site);
	struct check_site_fees *grown;

	name = name ? name : "";
	if (o->nsites && !strcmp(o->sites[o->nsites - 1].site, name))
		return &o->sites[o->nsites - 1];
	if (o->nsites == o->site_cap) {
		o->site_cap = o->site_cap ? 2 * o->site_cap : 128;
		grown = realloc(o->sites, (size_t)o->site_cap * sizeof(*grown));
		if (!grown)
			return NULL;
		o->sites = grown;
	}
	grown = &o->sites[o->nsites];
	memset(grown, 0, sizeof(*grown));
	if (!(grown->site = strdup(name)))
		return NULL;
	o->nsites++;
	return grown;
}

/* The sums of one fee item; accounts come item by item within a room, so few items. */
static struct fee_item_sum *item_entry(struct pass *p, sqlite3_value *item)
{
	struct fee_pass *o = p->out;
	const char *name = (const char *)sqlite3_value_text(item);
	struct fee_item_sum *grown;
	int i;

	name = name ? name : "";
	for (i = o->nitems - 1; i >= 0; i--)
		if (!strcmp(o->items[i].item, name))
			return &o->items[i];
	if (o->nitems == o->item_cap) {
		o->item_cap = o->item_cap ? 2 * o->item_cap : 8;
		grown = realloc(o->items, (size_t)o->item_cap * sizeof(*grown));
		if (!grown)
			return NULL;
		o->items = grown;
	}
	grown = &o->items[o->nitems];
	memset(grown, 0, sizeof(*grown));
	if (!(grown->item = strdup(name)))
		return NULL;
	o->nitems++;
	return grown;
}

/*
 * What the charge adds to the run's and its site's figures, if any figure
 * can see it: owing or owed something, a period of the window, or a
 * payment made inside the window (a settled charge of an earlier period
 * adds nothing to any figure, and its site has no entry unless another
 * charge gives it one). A reminder alone adds nothing to any sum either:
 * its site gets no entry, so a run's sites are those of a pass without
 * letter rules (check_fees_by_site(), check_params.site_fees).
 *   due, paid:   charges of the window's periods
 *   arrears:     earlier periods' charges, what each owed before `from` if > 0
 *   recovered:   earlier periods' payments made inside the window
 */
static int count_charge(struct pass *p, sqlite3_value *site, const struct charge *ch,
			const struct fee_event *first)
{
	int in_window = cmp_period_bound(first, &p->pfrom) >= 0 && cmp_period_bound(first, &p->pto) < 0;
	int before = cmp_period_bound(first, &p->pfrom) < 0;
	struct fee_figures *run = &p->out->run;
	struct check_site_fees *s;
	int *over = &p->out->overflow;
	struct fee_item_sum *it;

	if (!((ch->has_owed_asof && ch->owed_asof != 0) || (ch->has_owed_from && ch->owed_from > 0) ||
	      in_window || ch->has_recovered))
		return 0;
	if (!(s = site_entry(p, site)))
		return pm_fail(p->err, "out of memory");
	if (in_window) {
		run->charged = fee_add(run->charged, ch->charged, 1, over);
		run->waived = fee_add(run->waived, ch->waived, 1, over);
		run->paid = fee_add(run->paid, ch->paid, 1, over);
		s->due_cents = fee_add(s->due_cents, fee_due(ch->charged, ch->waived, over), 1, over);
		s->paid_cents = fee_add(s->paid_cents, ch->paid, 1, over);
		if (!(it = item_entry(p, p->fee_item)))
			return pm_fail(p->err, "out of memory");
		it->due = fee_add(it->due, fee_due(ch->charged, ch->waived, over), 1, over);
		it->paid = fee_add(it->paid, ch->paid, 1, over);
	}
	if (before && ch->has_owed_from && ch->owed_from > 0) {
		run->arrears = fee_add(run->arrears, ch->owed_from, 1, over);
		s->arrears_start_cents = fee_add(s->arrears_start_cents, ch->owed_from, 1, over);
	}
	if (before) {
		run->recovered = fee_add(run->recovered, ch->recovered, 1, over);
		s->recovered_cents = fee_add(s->recovered_cents, ch->recovered, 1, over);
	}
	return 0;
}

static int end_charge(struct pass *p, sqlite3_value *site, const struct charge *ch,
		      const struct fee_event *first)
{
	if (ch->has_owed_asof) {
		p->acct.owed = fee_add(p->acct.owed, ch->owed_asof, 1, &p->acct_overflow);
		p->acct.has_owed = 1;
	}
	return count_charge(p, site, ch, first) || age(p, ch) ? -1 : 0;
}

static void start_account(struct pass *p)
{
	struct account *a = &p->acct;

	a->owed = 0;
	a->has_owed = 0;
	memset(a->aged, 0, sizeof(a->aged));
	memset(a->aged_due, 0, sizeof(a->aged_due));
	if (p->nletters) {
		memset(a->r1, 0, (size_t)p->nletters * sizeof(*a->r1));
		memset(a->letter, 0, (size_t)p->nletters * sizeof(*a->letter));
	}
}

static int on_account(void *ctx, const struct fee_account *fa, pm_error *err)
{
	struct pass *p = ctx;
	struct charge ch;
	int i, first = 0;

	start_account(p);
	p->fee_item = fa->fee_item;
	memset(&ch, 0, sizeof(ch));
	for (i = 0; i < fa->nevents; i++) {
		if (i > 0 && !same_period(&fa->events[i], &fa->events[first])) {
			if (end_charge(p, fa->site, &ch, &fa->events[first]))
				return -1;
			memset(&ch, 0, sizeof(ch));
			first = i;
		}
		accumulate(p, &ch, &fa->events[i]);
	}
	if (fa->nevents && end_charge(p, fa->site, &ch, &fa->events[first]))
		return -1;
	if (fee_pass_keep_rows(p->out, fa, p->acct.aged, p->acct.aged_due, p->acct.has_owed,
			       p->acct.owed, p->acct.r1, p->acct.letter, p->nletters, err))
		return -1;
	/* checked per account: the first account whose own sums overflow is the one named */
	if (p->acct_overflow)
		return fee_overflow_error(p->c->db, fa, err);
	return p->out->overflow ? fee_overflow_error(p->c->db, NULL, err) : 0;
}

static int letter_rules(struct pass *p)
{
	const struct ruleset *rs = p->c->scope->rs;
	size_t i;

	p->letters = calloc(rs->count + 1, sizeof(*p->letters));
	p->acct.r1 = calloc(rs->count + 1, sizeof(*p->acct.r1));
	p->acct.letter = calloc(rs->count + 1, sizeof(*p->acct.letter));
	if (!p->letters || !p->acct.r1 || !p->acct.letter)
		return -1;
	/*
	 * In rules-file order; the first one's reminders also make a charge
	 * visible to the figures (count_charge), as they did in temp.fee_bal.
	 */
	for (i = 0; i < rs->count; i++)
		if (rs->rules[i].enabled && rs->rules[i].kind == RULE_LETTER)
			p->letters[p->nletters++] = &rs->rules[i];
	return 0;
}

static void set_bound(struct bound *b, const char *text)
{
	b->text = text;
	b->num = 0;
	civil_parse_timestamp(text, &b->num);
}

static void set_period_bound(struct bound *b, const char *text)
{
	int period = 0;

	b->text = text;
	civil_parse_period(text, &period);
	b->num = period;
}

/*
 * The ledger from fee_ledger; a stale one is rebuilt first if the run may
 * write (check_run), or read around by walking fees (check_fees_by_site):
 * the same events either way.
 */
static int walk(struct check_ctx *c, int may_rebuild, fee_account_fn fn, void *ctx, pm_error *err)
{
	int stale;

	if (fee_ledger_is_stale(c->db, &stale, err))
		return -1;
	if (stale == FEE_LEDGER_ABSENT || (stale && !may_rebuild))
		return fee_ledger_walk_fees(c->db, c->scope->site, fn, ctx, err);
	if (stale && fee_ledger_rebuild(c->db, err))
		return -1;
	return fee_ledger_walk(c->db, c->scope->site, fn, ctx, err);
}

int check_fee_pass(struct check_ctx *c, int may_rebuild, pm_error *err)
{
	struct pass p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.err = err;
	set_bound(&p.asof, c->scope->as_of);
	set_bound(&p.from, c->scope->from);
	set_bound(&p.to, c->scope->to);
	set_period_bound(&p.pfrom, c->scope->pfrom);
	set_period_bound(&p.pto, c->scope->pto);
	p.asof_day = p.asof.num / 86400 - (p.asof.num % 86400 < 0);
	fee_pass_free(c->fees);
	c->fees = calloc(1, sizeof(*c->fees));
	p.out = c->fees;
	if (!p.out || letter_rules(&p)) {
		rc = pm_fail(err, "out of memory");
	} else {
		p.out->nletters = p.nletters;
		p.out->no_aging_rows = c->figures_only;
		rc = walk(c, may_rebuild, on_account, &p, err);
	}
	sqlite3_finalize(p.days_sql);
	free(p.letters);
	free(p.acct.r1);
	free(p.acct.letter);
	return rc ? -1 : 0;
}

/* ---- check_trend's due and paid, month by month ---- */

struct months_pass {
	sqlite3 *db;
	struct fee_month *months;
	int n;
	struct bound *period;           /* n + 1: each month's period, then the next */
	struct bound *asof;             /* each month's end */
};

/* The month whose period the charge's is, as count_charge's in_window decides; -1: none. */
static int charge_month(const struct months_pass *mp, const struct fee_event *first)
{
	int lo = 0, hi = mp->n;

	if (cmp_period_bound(first, &mp->period[0]) < 0 ||
	    cmp_period_bound(first, &mp->period[mp->n]) >= 0)
		return -1;
	/* the bounds rise as numbers and as texts alike: the last one at or before */
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (cmp_period_bound(first, &mp->period[mid]) >= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* What accumulate() adds to charged, waived and paid, with the month's as-of. */
static void month_charge(const struct months_pass *mp, const struct fee_event *ev, int from, int to,
			 int *over)
{
	int k = charge_month(mp, &ev[from]), i;
	struct fee_month *m;
	unsigned char has = 0;

	if (k < 0)
		return;
	m = &mp->months[k];
	for (i = from; i < to; i++) {
		const struct fee_event *e = &ev[i];

		if (cmp_at_bound(e, &mp->asof[k]) > 0)
			continue;
		if (e->kind == FEE_CHARGE)
			add(&m->charged, &has, e, over);
		else if (e->kind == FEE_WAIVER)
			add(&m->waived, &has, e, over);
		else if (e->kind == FEE_PAYMENT)
			add(&m->paid, &has, e, over);
	}
}

static int on_account_months(void *ctx, const struct fee_account *fa, pm_error *err)
{
	const struct months_pass *mp = ctx;
	int i, first = 0, over = 0;

	for (i = 1; i <= fa->nevents; i++)
		if (i == fa->nevents || !same_period(&fa->events[i], &fa->events[first])) {
			month_charge(mp, fa->events, first, i, &over);
			first = i;
		}
	return over ? fee_overflow_error(mp->db, NULL, err) : 0;
}

int fee_pass_months(struct check_ctx *c, struct fee_month *months, int n, pm_error *err)
{
	struct months_pass mp;
	int k, rc;

	mp.db = c->db;
	mp.months = months;
	mp.n = n;
	mp.period = calloc((size_t)n + 1, sizeof(*mp.period));
	mp.asof = calloc((size_t)n + 1, sizeof(*mp.asof));
	if (!mp.period || !mp.asof) {
		free(mp.period);
		free(mp.asof);
		return pm_fail(err, "out of memory");
	}
	for (k = 0; k < n; k++) {
		months[k].charged = months[k].waived = months[k].paid = 0;
		set_period_bound(&mp.period[k], months[k].period);
		set_bound(&mp.asof[k], months[k].as_of);
	}
	set_period_bound(&mp.period[n], months[n - 1].next_period);
	rc = walk(c, 0, on_account_months, &mp, err);
	free(mp.period);
	free(mp.asof);
	return rc ? -1 : 0;
}
