/*
 * check_trend(): the figures of n month runs from one pass (rules/check.h).
 *
 * A month's run reads the records whose start (deadline) or event
 * (coverage) lies in [from, to) and judges them as of to; the months
 * partition the text interval [first month's start, last month's end), so
 * one scan of that union window puts each record in exactly one month (the
 * last whose start is at or before its timestamp, by text order as the
 * run's window compares) and judges it with that month's end as its as-of
 * time and that month's working-day table. The callback map holds the
 * union window's callbacks; deadline_end() and coverage_callback() cut
 * them at the record's own month's end, which is what the month's own map
 * (callbacks from its start to its end) would have given: a callback
 * counts only at or after the record's start, itself in the month.
 *
 * The fees: each charge of a month's period is what that month's figures
 * see (check_fee_pass.c fee_pass_months()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules/check_fee_pass.h"
#include "rules/eval_internal.h"

struct trend_count {
	sqlite3_int64 met, breached, pending;
};

struct trend_pass {
	int nmonths;
	char (*start)[20];              /* nmonths + 1: each month's first instant, then the end */
	char (*period)[8];              /* nmonths + 1: 'YYYY-MM' */
	struct judge_ctx *j;            /* per month: its as-of time and working-day range */
	const struct rule **rules;      /* the distinct rules evaluated */
	int nrules;
	int *slot[2];                   /* per subject rule: its place in rules */
	struct trend_count *counts;     /* [month * nrules + place] */
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the months ---- */

static int parse_month(const char *text, int *y, int *m)
{
	int n = -1;

	if (!text || strlen(text) != 7 || sscanf(text, "%4d-%2d%n", y, m, &n) != 2 || n != 7 ||
	    text[4] != '-' || *m < 1 || *m > 12 || *y < 1000 || *y > 9997)
		return -1;
	return 0;
}

static int months_init(struct trend_pass *tp, struct check_ctx *c, const char *first, int n,
		       pm_error *err)
{
	int y, m, k;

	if (parse_month(first, &y, &m))
		return pm_fail(err, "trend: first month '%s' is not 'YYYY-MM'", first ? first : "");
	if (n < 1 || n > CHECK_TREND_MAX_MONTHS)
		return pm_fail(err, "trend: %d months; 1 to %d can be asked for", n,
			       CHECK_TREND_MAX_MONTHS);
	tp->nmonths = n;
	tp->start = calloc((size_t)n + 1, sizeof(*tp->start));
	tp->period = calloc((size_t)n + 1, sizeof(*tp->period));
	tp->j = calloc((size_t)n, sizeof(*tp->j));
	if (!tp->start || !tp->period || !tp->j)
		return pm_fail(err, "out of memory");
	for (k = 0; k <= n; k++) {
		snprintf(tp->period[k], sizeof(tp->period[k]), "%04u-%02u", (unsigned)y % 10000u,
			 (unsigned)m % 100u);
		snprintf(tp->start[k], sizeof(tp->start[k]), "%s-01 00:00:00", tp->period[k]);
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	for (k = 0; k < n; k++) {
		tp->j[k].db = c->db;
		tp->j[k].as_of = tp->start[k + 1];
		tp->j[k].cal = c->cal;
		if (day_parse(tp->start[k], &tp->j[k].first_day) ||
		    day_parse(tp->start[k + 1], &tp->j[k].last_day))
			return pm_fail(err, "trend: bad month");
	}
	c->from = tp->start[0];
	c->to = c->as_of = tp->start[n];
	snprintf(c->pfrom, sizeof(c->pfrom), "%s", tp->period[0]);
	snprintf(c->pto, sizeof(c->pto), "%s", tp->period[n]);
	return 0;
}

/* The month whose window holds t (text order, as the runs compare); -1: none. */
static int month_of(const struct trend_pass *tp, const char *t)
{
	int lo = 0, hi = tp->nmonths;

	if (strcmp(t, tp->start[0]) < 0 || strcmp(t, tp->start[tp->nmonths]) >= 0)
		return -1;
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(t, tp->start[mid]) >= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* ---- the rules ---- */

static const struct rule *find_rule_id(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->count; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

/* The distinct listed rules the file has enabled; another kind than deadline or coverage fails. */
static int rules_init(struct trend_pass *tp, const struct ruleset *rs,
		      const struct check_trend_params *p, pm_error *err)
{
	int i, k;

	tp->rules = calloc((size_t)p->nrules + 1, sizeof(*tp->rules));
	if (!tp->rules)
		return pm_fail(err, "out of memory");
	for (i = 0; i < p->nrules; i++) {
		const struct rule *r = find_rule_id(rs, p->rule_ids[i] ? p->rule_ids[i] : "");

		if (!r || !r->enabled)
			continue;
		if (r->kind != RULE_DEADLINE && r->kind != RULE_COVERAGE)
			return pm_fail(err, "trend: rule %s is a %s rule; only deadline and coverage "
				       "rules have a monthly trend", r->id, rule_kind_name(r->kind));
		for (k = 0; k < tp->nrules && tp->rules[k] != r; k++)
			;
		if (k == tp->nrules)
			tp->rules[tp->nrules++] = r;
	}
	return 0;
}

static int slots_init(struct trend_pass *tp, const struct subject subj[2], pm_error *err)
{
	int s, i, k;

	for (s = 0; s < 2; s++) {
		tp->slot[s] = calloc((size_t)subj[s].nrules + 1, sizeof(int));
		if (!tp->slot[s])
			return pm_fail(err, "out of memory");
		for (i = 0; i < subj[s].nrules; i++)
			for (k = 0; k < tp->nrules; k++)
				if (tp->rules[k] == subj[s].rules[i].r)
					tp->slot[s][i] = k;
	}
	tp->counts = calloc((size_t)tp->nmonths * (size_t)tp->nrules + 1, sizeof(*tp->counts));
	return tp->counts ? 0 : pm_fail(err, "out of memory");
}

/* ---- the pass ---- */

static void count(struct trend_count *n, enum verdict_status status)
{
	if (status == V_MET)
		n->met++;
	else if (status == V_BREACHED)
		n->breached++;
	else if (status == V_PENDING)
		n->pending++;
}

/* One rule on a record of month m, as judge_deadline_row() and judge_coverage_row() judge it. */
static int judge_one(struct trend_pass *tp, struct eval_rule *er, const struct row *w, int col,
		     int m, const struct cb_hit *hits, int nhits, struct trend_count *n,
		     pm_error *err)
{
	const char *t = w->v[col], *as_of = tp->j[m].as_of;
	struct verdict v;

	if (er->r->kind == RULE_COVERAGE) {
		count(n, coverage_callback(er, hits, nhits, t, as_of) ? V_MET : V_BREACHED);
		return 0;
	}
	if (judge_deadline(&tp->j[m], er->r, t, deadline_end(er, w, hits, nhits, t, as_of),
			   er->req >= 0 ? w->v[er->req] : NULL, &v, err))
		return -1;
	count(n, v.status);
	if (v.status == V_NO_CALENDAR && v.missing_year &&
	    note_gap(er, t, w->v[COL_ID] ? w->v[COL_ID] : "", v.missing_year, err))
		return -1;
	return 0;
}

/*
 * Every rule of the subject on one row of the scan of column *arg (-1: the
 * whole table), in the month its start or event falls in.
 */
static int trend_row(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err)
{
	struct trend_pass *tp = e->user;
	int scan_col = *(int *)arg, which = s->which == SUBJECT_TICKETS ? 0 : 1, looked = 0;
	const struct cb_hit *hits = NULL;
	int nhits = 0, i, m;

	for (i = 0; i < s->nrules; i++) {
		struct eval_rule *er = &s->rules[i];
		int col = rule_column(er, w);

		if (col < 0 || (scan_col >= 0 && col != scan_col) || w->type[col] != SQLITE_TEXT)
			continue;
		if ((m = month_of(tp, w->v[col])) < 0 || !rule_matches(er->r, w))
			continue;
		if (!looked++)
			hits = cb_map_find(&e->map, s->cb_kind, w->v[COL_ID] ? w->v[COL_ID] : "",
					   &nhits);
		if (judge_one(tp, er, w, col, m, hits, nhits,
			      &tp->counts[m * tp->nrules + tp->slot[which][i]], err))
			return -1;
	}
	return 0;
}

static void profile(const struct check_ctx *c, const char *what, double since)
{
	if (c->profile)
		c->profile(what, now_seconds() - since);
}

static int records_pass(struct trend_pass *tp, struct eval *e, struct subject subj[2],
			pm_error *err)
{
	int k, roles, full;
	double t = now_seconds();

	if (subjects_init_rules(e, subj, tp->rules, tp->nrules, err) || slots_init(tp, subj, err))
		return -1;
	subj[0].lean = subj[1].lean = 1;
	if (subjects_need_callbacks(subj, &roles)) {
		if (cb_map_load(e->c->db, e->c->from, e->c->as_of, roles, &e->map, err))
			return -1;
		profile(e->c, "trend: load the callback map", t);
	}
	for (k = 0; k < 2; k++) {
		if (!subj[k].nrules)
			continue;
		t = now_seconds();
		if (roles_init(e, &subj[k], err) || scan_subject(e, &subj[k], trend_row, &full, err))
			return -1;
		profile(e->c, k ? "trend: complaints" : "trend: tickets", t);
	}
	return calendar_gaps(e->c->rs, subj, err);
}

/* ---- the results ---- */

static int fees_pass(struct trend_pass *tp, struct check_ctx *c, struct check_trend *out,
		     pm_error *err)
{
	struct fee_month *fm = calloc((size_t)tp->nmonths, sizeof(*fm));
	double t = now_seconds();
	int k;

	if (!fm)
		return pm_fail(err, "out of memory");
	for (k = 0; k < tp->nmonths; k++) {
		fm[k].period = tp->period[k];
		fm[k].next_period = tp->period[k + 1];
		fm[k].as_of = tp->start[k + 1];
	}
	if (fee_pass_months(c, fm, tp->nmonths, err)) {
		free(fm);
		return -1;
	}
	/* fees.due_cents, fees.paid_cents, fees.current_rate as check_fees.c stores them */
	for (k = 0; k < tp->nmonths; k++) {
		struct check_trend_month *m = &out->months[k];
		int over = 0;

		m->due_cents = fee_add(fm[k].charged, fm[k].waived, -1, &over);
		if (over) {
			pm_fail(err, "%s: fee amounts too large to add up (charges less waivers "
				"pass 92,233,720,368,547,758.07 yuan)", fm[k].period);
			free(fm);
			return -1;
		}
		m->paid_cents = fm[k].paid;
		m->has_current_rate = m->due_cents != 0;
		m->current_rate = m->due_cents ? (double)m->paid_cents / (double)m->due_cents : 0;
	}
	free(fm);
	profile(c, "trend: fees", t);
	return 0;
}

/* A rule's check_rule_results figures from its counts (check_rule_result_counts()). */
static void rule_figures(const struct rule *r, const struct trend_count *n,
			 struct check_trend_rule *x)
{
	x->evaluated = 1;
	x->is_deadline = r->kind == RULE_DEADLINE;
	x->met = n->met;
	x->breached = n->breached;
	x->pending = x->is_deadline ? n->pending : 0;
	x->numerator = n->met;
	x->denominator = n->met + n->breached;
	x->has_rate = x->denominator > 0;
	x->rate = x->has_rate ? 1.0 * (double)n->met / (double)x->denominator : 0;
}

static int results(const struct trend_pass *tp, const struct ruleset *rs,
		   const struct check_trend_params *p, struct check_trend *out, pm_error *err)
{
	int k, i, place;

	for (k = 0; k < tp->nmonths; k++) {
		struct check_trend_month *m = &out->months[k];

		memcpy(m->month, tp->period[k], sizeof(m->month));
		m->rules = calloc((size_t)p->nrules + 1, sizeof(*m->rules));
		if (!m->rules)
			return pm_fail(err, "out of memory");
		for (i = 0; i < p->nrules; i++) {
			const struct rule *r = find_rule_id(rs, p->rule_ids[i] ? p->rule_ids[i] : "");

			for (place = 0; place < tp->nrules && tp->rules[place] != r; place++)
				;
			if (place < tp->nrules)
				rule_figures(r, &tp->counts[k * tp->nrules + place], &m->rules[i]);
		}
	}
	return 0;
}

/* ---- the entry point ---- */

static void trend_pass_free(struct trend_pass *tp)
{
	free(tp->start);
	free(tp->period);
	free(tp->j);
	free(tp->rules);
	free(tp->slot[0]);
	free(tp->slot[1]);
	free(tp->counts);
}

/* Both passes in one read transaction: every month from the same data. */
static int evaluate(struct trend_pass *tp, struct check_ctx *c, const struct check_trend_params *p,
		    struct check_trend *out, pm_error *err)
{
	struct eval e;
	struct subject subj[2];
	int rc, nested;

	memset(&e, 0, sizeof(e));
	memset(subj, 0, sizeof(subj));
	e.c = c;
	e.user = tp;
	strtab_init(&e.sites);
	/* inside a caller's transaction (a report on one thread): a savepoint of it */
	if (ctx_read_begin(c, "check_trend", &nested, err))
		return -1;
	rc = records_pass(tp, &e, subj, err) || fees_pass(tp, c, out, err) ||
	     results(tp, c->rs, p, out, err) ? -1 : 0;
	ctx_read_end(c, "check_trend", nested, rc);
	subject_free(&subj[0]);
	subject_free(&subj[1]);
	cb_map_free(&e.map);
	strtab_free(&e.sites);
	return rc;
}

int check_trend(sqlite3 *db, const struct check_trend_params *p, struct check_trend *out,
		pm_error *err)
{
	struct ruleset rs;
	struct check_ctx c;
	struct trend_pass tp;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&tp, 0, sizeof(tp));
	memset(&c, 0, sizeof(c));
	if (p->nrules < 0 || (p->nrules && !p->rule_ids))
		return pm_fail(err, "trend: no rules given");
	if (ruleset_load(p->rules_file, &rs, err))
		return -1;
	c.db = db;
	c.site = p->site;
	c.rs = &rs;
	c.profile = p->profile;
	rc = check_load_calendar(&c, p->calendar_file, err) ||
	     months_init(&tp, &c, p->first_month, p->nmonths, err) ||
	     rules_init(&tp, &rs, p, err) ? -1 : 0;
	if (rc == 0) {
		out->months = calloc((size_t)tp.nmonths, sizeof(*out->months));
		out->nmonths = tp.nmonths;
		out->nrules = p->nrules;
		rc = out->months ? evaluate(&tp, &c, p, out, err) : pm_fail(err, "out of memory");
	}
	if (rc)
		check_trend_free(out);
	trend_pass_free(&tp);
	calendar_free(c.cal);
	ruleset_free(&rs);
	return rc;
}

void check_trend_free(struct check_trend *t)
{
	int k;

	for (k = 0; t->months && k < t->nmonths; k++)
		free(t->months[k].rules);
	free(t->months);
	memset(t, 0, sizeof(*t));
}
