/*
 * check_trend(): the figures of n month runs from one pass
 * (rules/engine/check.h): the per-record rules of all the months in one
 * pass of the evaluator (eval_months(), rules/records/months.c), the fees
 * in one walk of the ledger (fee_pass_months(), rules/fees/fee_pass.c:
 * each charge of a month's period is what that month's figures see), and
 * each figure as the month's run would store it (results_rate()). The
 * per-record part can instead come from a run over the same months
 * (check_trend_counts: the run's own pass counts each month too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/engine/engine.h"
#include "rules/fees/fees.h"
#include "rules/findings/findings.h"
#include "rules/records/records.h"
#include "rules/results/results_sink.h"
#include "util/clock.h"

/* ---- the months ---- */

static int parse_month(const char *text, int *y, int *m)
{
	int n = -1;

	if (!text || strlen(text) != 7 || sscanf(text, "%4d-%2d%n", y, m, &n) != 2 || n != 7 ||
	    text[4] != '-' || *m < 1 || *m > 12 || *y < 1000 || *y > 9997)
		return -1;
	return 0;
}

static int months_init(struct trend_pass *tp, struct run_scope *s, const char *first, int n,
		       const char *as_of, pm_error *err)
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
	if (!tp->start || !tp->period)
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
	s->from = tp->start[0];
	s->to = s->as_of = tp->start[n];
	/* the months' judging ends at as_of: eval_months() cuts each month's there */
	if (as_of && strcmp(as_of, s->to) < 0)
		s->as_of = as_of;
	snprintf(s->pfrom, sizeof(s->pfrom), "%s", tp->period[0]);
	snprintf(s->pto, sizeof(s->pto), "%s", tp->period[n]);
	return 0;
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
		      const char *const *rule_ids, int nrules, pm_error *err)
{
	int i, k;

	tp->rules = calloc((size_t)nrules + 1, sizeof(*tp->rules));
	if (!tp->rules)
		return pm_fail(err, "out of memory");
	for (i = 0; i < nrules; i++) {
		const struct rule *r = find_rule_id(rs, rule_ids[i] ? rule_ids[i] : "");

		if (!r || !r->enabled)
			continue;
		if (!rule_kind_info(r->kind)->has_trend)
			return pm_fail(err, "trend: rule %s is a %s rule; only deadline and coverage "
				       "rules have a monthly trend", r->id, rule_kind_name(r->kind));
		for (k = 0; k < tp->nrules && tp->rules[k] != r; k++)
			;
		if (k == tp->nrules)
			tp->rules[tp->nrules++] = r;
	}
	return 0;
}

static void profile(const struct check_ctx *c, const char *what, double since)
{
	if (c->profile)
		c->profile(what, clock_wall_seconds() - since);
}

static int records_pass(struct trend_pass *tp, struct check_ctx *c, pm_error *err)
{
	tp->counts = calloc((size_t)tp->nmonths * (size_t)tp->nrules + 1, sizeof(*tp->counts));
	if (!tp->counts)
		return pm_fail(err, "out of memory");
	return eval_months(c, (const char (*)[20])tp->start, tp->nmonths, tp->run_as_of, tp->rules,
			   tp->nrules, tp->counts, err);
}

/* ---- the results ---- */

static int fees_pass(struct trend_pass *tp, struct check_ctx *c, struct check_trend *out,
		     pm_error *err)
{
	struct fee_month *fm = calloc((size_t)tp->nmonths, sizeof(*fm));
	double t = clock_wall_seconds();
	int k;

	if (!fm)
		return pm_fail(err, "out of memory");
	for (k = 0; k < tp->nmonths; k++) {
		fm[k].period = tp->period[k];
		fm[k].next_period = tp->period[k + 1];
		/* a month ending after the trend's as-of time is judged as of then */
		fm[k].as_of = strcmp(tp->start[k + 1], c->scope->as_of) > 0 ? c->scope->as_of :
			      tp->start[k + 1];
	}
	if (fee_pass_months(c, fm, tp->nmonths, err)) {
		free(fm);
		return -1;
	}
	/* fees.due_cents, fees.paid_cents, fees.current_rate as rules/fees/fees.c stores them */
	for (k = 0; k < tp->nmonths; k++) {
		struct check_trend_month *m = &out->months[k];
		int over = 0;

		m->due_cents = fee_due(fm[k].charged, fm[k].waived, &over);
		if (over) {
			pm_fail(err, "%s: fee amounts too large to add up (charges less waivers "
				"pass 92,233,720,368,547,758.07 yuan)", fm[k].period);
			free(fm);
			return -1;
		}
		m->paid_cents = fm[k].paid;
		m->has_current_rate = results_rate(m->paid_cents, m->due_cents, 0,
						   &m->current_rate, NULL);
	}
	free(fm);
	profile(c, "trend: fees", t);
	return 0;
}

/*
 * volumes.tickets, volumes.complaints and volumes.callbacks of each month:
 * the records whose start lies in the month's [from, to) (by text order, as
 * the run's window compares), of the site if one is given; counted through
 * the logs' time indexes, whatever the as-of time.
 */
static const char *const VOLUME_SQL[3][2] = {
	{ "SELECT count(*) FROM tickets WHERE reported_at >= ?1 AND reported_at < ?2",
	  "SELECT count(*) FROM tickets WHERE reported_at >= ?1 AND reported_at < ?2 AND site = ?3" },
	{ "SELECT count(*) FROM complaints WHERE received_at >= ?1 AND received_at < ?2",
	  "SELECT count(*) FROM complaints WHERE received_at >= ?1 AND received_at < ?2"
	  " AND site = ?3" },
	{ "SELECT count(*) FROM callbacks WHERE callback_at >= ?1 AND callback_at < ?2",
	  "SELECT count(*) FROM callbacks WHERE callback_at >= ?1 AND callback_at < ?2"
	  " AND site = ?3" },
};

static sqlite3_int64 *volume_of(struct check_trend_month *m, int log)
{
	return log == 0 ? &m->tickets : log == 1 ? &m->complaints : &m->callbacks;
}

static int volumes_pass(const struct trend_pass *tp, struct check_ctx *c, struct check_trend *out,
			pm_error *err)
{
	const char *site = c->scope->site;
	double t = clock_wall_seconds();
	int log, k;

	for (log = 0; log < 3; log++) {
		sqlite3_stmt *st;

		if (ctx_prepare(c, VOLUME_SQL[log][site != NULL], &st, err))
			return -1;
		for (k = 0; k < tp->nmonths; k++) {
			int rc;

			sqlite3_bind_text(st, 1, tp->start[k], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, tp->start[k + 1], -1, SQLITE_STATIC);
			if (site)
				sqlite3_bind_text(st, 3, site, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				*volume_of(&out->months[k], log) = sqlite3_column_int64(st, 0);
			if (rc != SQLITE_ROW || sqlite3_reset(st) != SQLITE_OK) {
				pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
				sqlite3_finalize(st);
				return -1;
			}
		}
		sqlite3_finalize(st);
	}
	profile(c, "trend: volumes", t);
	return 0;
}

/*
 * satisfaction.* of each month, as the run's findings count them: the
 * month's callbacks (of the site) up to its as-of time, by result, from
 * one read of the months' callbacks.
 */
static int satisfaction_pass(const struct trend_pass *tp, struct check_ctx *c,
			     struct check_trend *out, pm_error *err)
{
	struct run_reader rd = ctx_reader(c);
	double t = clock_wall_seconds();
	sqlite3_int64 (*n)[4] = calloc((size_t)tp->nmonths, sizeof(*n));
	int k;

	if (!n)
		return pm_fail(err, "out of memory");
	if (findings_satisfaction_months(&rd, (const char (*)[20])tp->start, tp->nmonths,
					 c->scope->as_of, n, err)) {
		free(n);
		return -1;
	}
	for (k = 0; k < tp->nmonths; k++) {
		struct check_trend_month *m = &out->months[k];
		sqlite3_int64 good, rated;

		memcpy(m->satisfaction, n[k], sizeof(m->satisfaction));
		good = m->satisfaction[0] + m->satisfaction[1];
		rated = good + m->satisfaction[2];
		m->has_satisfaction_rate = results_rate(good, rated, 0, &m->satisfaction_rate, NULL);
	}
	free(n);
	profile(c, "trend: satisfaction", t);
	return 0;
}

/* A rule's check_rule_results figures from its counts (check_rule_result_counts()). */
static void rule_figures(const struct rule *r, const struct month_count *n,
			 struct check_trend_rule *x)
{
	x->evaluated = 1;
	x->is_deadline = r->kind == RULE_DEADLINE;
	x->met = n->met;
	x->breached = n->breached;
	x->pending = x->is_deadline ? n->pending : 0;
	x->unknown = n->unknown;
	x->numerator = n->met;
	x->denominator = n->met + n->breached;
	x->has_rate = results_rate(x->numerator, x->denominator, r->target, &x->rate, NULL);
}

/* The place of the rule the list names among the rules evaluated; -1: none (missing, disabled). */
static int place_of(const struct trend_pass *tp, const struct ruleset *rs, const char *rule_id)
{
	const struct rule *r = find_rule_id(rs, rule_id ? rule_id : "");
	int place;

	for (place = 0; place < tp->nrules && tp->rules[place] != r; place++)
		;
	return place < tp->nrules ? place : -1;
}

/* Each month's listed rules from the pass's counts (a rule not evaluated left 0). */
static int results(const struct trend_pass *tp, const struct ruleset *rs,
		   const struct check_trend_params *p, struct check_trend *out, pm_error *err)
{
	int k, i, place;

	for (k = 0; k < tp->nmonths; k++) {
		struct check_trend_month *m = &out->months[k];

		m->rules = calloc((size_t)p->nrules + 1, sizeof(*m->rules));
		if (!m->rules)
			return pm_fail(err, "out of memory");
		for (i = 0; i < p->nrules; i++)
			if ((place = place_of(tp, rs, p->rule_ids[i])) >= 0)
				rule_figures(tp->rules[place], &tp->counts[k * tp->nrules + place],
					     &m->rules[i]);
	}
	return 0;
}

static void month_names(const struct trend_pass *tp, struct check_trend *out)
{
	int k;

	for (k = 0; k < tp->nmonths; k++)
		memcpy(out->months[k].month, tp->period[k], sizeof(out->months[k].month));
}

/* ---- the entry point ---- */

static void trend_pass_free(struct trend_pass *tp)
{
	free(tp->start);
	free(tp->period);
	free(tp->rules);
	free(tp->counts);
}

/* Both passes in one read transaction: every month from the same data. */
static int evaluate(struct trend_pass *tp, struct check_ctx *c, const struct check_trend_params *p,
		    struct check_trend *out, pm_error *err)
{
	int rc, nested;

	/* inside a caller's transaction (a report on one thread): a savepoint of it */
	if (ctx_read_begin(c, "check_trend", &nested, err))
		return -1;
	month_names(tp, out);
	/* with counts made by a run, the rules' figures wait for check_trend_rules() */
	if (p->counts)
		rc = fees_pass(tp, c, out, err) || volumes_pass(tp, c, out, err) ||
		     satisfaction_pass(tp, c, out, err) ? -1 : 0;
	else
		rc = records_pass(tp, c, err) || fees_pass(tp, c, out, err) ||
		     volumes_pass(tp, c, out, err) || satisfaction_pass(tp, c, out, err) ||
		     results(tp, c->scope->rs, p, out, err) ? -1 : 0;
	ctx_read_end(c, "check_trend", nested, rc);
	return rc;
}

int check_trend(sqlite3 *db, const struct check_trend_params *p, struct check_trend *out,
		pm_error *err)
{
	struct run_scope scope;
	struct check_ctx c;
	struct trend_pass tp;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&tp, 0, sizeof(tp));
	memset(&c, 0, sizeof(c));
	if (p->nrules < 0 || (p->nrules && !p->rule_ids))
		return pm_fail(err, "trend: no rules given");
	if (check_rules_given(p->rules, p->calendar, err))
		return -1;
	memset(&scope, 0, sizeof(scope));
	scope.site = p->site;
	scope.rs = p->rules;
	scope.cal = p->calendar;
	rc = months_init(&tp, &scope, p->first_month, p->nmonths, p->as_of, err) ||
	     rules_init(&tp, scope.rs, p->rule_ids, p->nrules, err) ? -1 : 0;
	/* from here on the scope is only read */
	c.db = db;
	c.scope = &scope;
	c.profile = p->profile;
	if (rc == 0) {
		out->months = calloc((size_t)tp.nmonths, sizeof(*out->months));
		out->nmonths = tp.nmonths;
		out->nrules = p->nrules;
		rc = out->months ? evaluate(&tp, &c, p, out, err) : pm_fail(err, "out of memory");
	}
	if (rc)
		check_trend_free(out);
	trend_pass_free(&tp);
	return rc;
}

/* ---- the months' counts from a run's own pass (check_params.trend) ---- */

int check_trend_counts_new(const struct check_trend_params *p, struct check_trend_counts **out,
			   pm_error *err)
{
	struct check_trend_counts *tc;
	struct run_scope scope;

	*out = NULL;
	if (p->nrules < 0 || (p->nrules && !p->rule_ids))
		return pm_fail(err, "trend: no rules given");
	if (check_rules_given(p->rules, p->calendar, err))
		return -1;
	if (!(tc = calloc(1, sizeof(*tc))))
		return pm_fail(err, "out of memory");
	memset(&scope, 0, sizeof(scope));
	if (months_init(&tc->tp, &scope, p->first_month, p->nmonths, p->as_of, err) ||
	    rules_init(&tc->tp, p->rules, p->rule_ids, p->nrules, err)) {
		check_trend_counts_free(tc);
		return -1;
	}
	tc->tp.counts = calloc((size_t)tc->tp.nmonths * (size_t)tc->tp.nrules + 1,
			       sizeof(*tc->tp.counts));
	tc->site = p->site ? strdup(p->site) : NULL;
	if (!tc->tp.counts || (p->site && !tc->site)) {
		check_trend_counts_free(tc);
		return pm_fail(err, "out of memory");
	}
	snprintf(tc->as_of, sizeof(tc->as_of), "%s", scope.as_of);
	tc->rs = p->rules;
	tc->spec.start = (const char (*)[20])tc->tp.start;
	tc->spec.nmonths = tc->tp.nmonths;
	tc->spec.as_of = tc->as_of;
	tc->spec.rules = tc->tp.rules;
	tc->spec.nrules = tc->tp.nrules;
	tc->spec.counts = tc->tp.counts;
	*out = tc;
	return 0;
}

void check_trend_counts_free(struct check_trend_counts *tc)
{
	if (!tc)
		return;
	trend_pass_free(&tc->tp);
	free(tc->site);
	free(tc);
}

int check_trend_rules(const struct check_trend_params *p, const struct check_trend_counts *tc,
		      struct check_trend *out, pm_error *err)
{
	int k;

	if (!tc->counted || out->nmonths != tc->tp.nmonths || out->nrules != p->nrules ||
	    strcmp(out->months[0].month, tc->tp.period[0]))
		return pm_fail(err, "trend: no run has counted these months");
	for (k = 0; k < out->nmonths; k++) {
		free(out->months[k].rules);
		out->months[k].rules = NULL;
	}
	return results(&tc->tp, tc->rs, p, out, err);
}

void check_trend_free(struct check_trend *t)
{
	int k;

	for (k = 0; t->months && k < t->nmonths; k++)
		free(t->months[k].rules);
	free(t->months);
	memset(t, 0, sizeof(*t));
}

/* ---- one run's window: check_rule_figures() ---- */

/* The window as the pass's one "month", judged as of the run's as-of time. */
static int window_init(struct trend_pass *tp, struct run_scope *s, const struct check_params *p,
		       pm_error *err)
{
	tp->nmonths = 1;
	tp->run_as_of = 1;
	tp->start = calloc(2, sizeof(*tp->start));
	if (!tp->start)
		return pm_fail(err, "out of memory");
	if (!p->from || !p->to || strlen(p->from) != 19 || strlen(p->to) != 19 ||
	    (p->as_of && strlen(p->as_of) != 19) || strcmp(p->from, p->to) >= 0)
		return pm_fail(err, "rule figures: the window [%s, %s) is not one of two times",
			       p->from ? p->from : "", p->to ? p->to : "");
	memcpy(tp->start[0], p->from, 20);
	memcpy(tp->start[1], p->to, 20);
	s->from = tp->start[0];
	s->to = tp->start[1];
	s->as_of = p->as_of ? p->as_of : p->to;
	s->site = p->site;
	return 0;
}

/* The listed rules' rows from the window's counts, in their order ("" for a rule not evaluated). */
static void window_rows(const struct trend_pass *tp, const struct ruleset *rs,
			const char *const *rule_ids, int nrules, struct results_rule *out)
{
	int i, place;

	for (i = 0; i < nrules; i++) {
		const struct month_count *n;

		if ((place = place_of(tp, rs, rule_ids[i])) < 0)
			continue;
		n = &tp->counts[place];
		results_rule_of_counts(tp->rules[place], n->met, n->breached, n->pending, n->unknown,
				       &out[i]);
	}
}

int check_rule_figures(sqlite3 *db, const struct check_params *p, const char *const *rule_ids,
		       int nrules, struct results_rule *out, pm_error *err)
{
	struct run_scope scope;
	struct check_ctx c;
	struct trend_pass tp;
	int rc, nested;

	memset(&tp, 0, sizeof(tp));
	memset(&c, 0, sizeof(c));
	memset(&scope, 0, sizeof(scope));
	if (nrules < 0 || (nrules && !rule_ids))
		return pm_fail(err, "rule figures: no rules given");
	memset(out, 0, (size_t)nrules * sizeof(*out));
	if (check_rules_given(p->rules, p->calendar, err))
		return -1;
	scope.rs = p->rules;
	scope.cal = p->calendar;
	rc = window_init(&tp, &scope, p, err) || rules_init(&tp, scope.rs, rule_ids, nrules, err) ?
	     -1 : 0;
	/* from here on the scope is only read */
	c.db = db;
	c.scope = &scope;
	c.profile = p->profile;
	/* inside a caller's transaction (the inspection's): a savepoint of it */
	if (rc == 0 && (rc = ctx_read_begin(&c, "check_rule_figures", &nested, err)) == 0) {
		rc = records_pass(&tp, &c, err);
		ctx_read_end(&c, "check_rule_figures", nested, rc);
	}
	if (rc == 0)
		window_rows(&tp, scope.rs, rule_ids, nrules, out);
	trend_pass_free(&tp);
	return rc;
}

int check_prefer_full_scan(sqlite3 *db, const char *table, const char *field, const char *from,
			   const char *to, int *full, pm_error *err)
{
	return records_prefer_full_scan(db, table, field, from, to, full, err);
}
