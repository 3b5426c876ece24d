/*
 * The per-record rules over several consecutive months in one pass
 * (eval_months(), for check_trend() in rules/engine/trend.c), or over one
 * run's window (check_rule_figures(), the same file).
 *
 * A month's run reads the records whose start (deadline) or event
 * (coverage) lies in [from, to) and judges them as of to; the months
 * partition the text interval [first month's start, last month's end), so
 * one scan of that union window puts each record in exactly one month (the
 * last whose start is at or before its timestamp, by text order as the
 * run's window compares) and judges it with that month's end as its as-of
 * time and that month's working-day range: with the run's own scans, rule
 * filters and judge (judge_deadline() in deadline.c, coverage_status()).
 * The callback map holds the union window's callbacks; deadline_end() and
 * coverage_status() cut them at the record's own month's end, which is
 * what the month's own map (callbacks from its start to its end) would have
 * given: a callback counts only at or after the record's start, itself in
 * the month.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"
#include "util/clock.h"

struct months_pass {
	int nmonths;
	const char (*start)[20];        /* nmonths + 1 */
	struct judge_ctx *j;            /* per month: its as-of time and working-day range */
	const struct rule *const *rules;
	int nrules;
	int *slot[2];                   /* per subject rule: its place in rules */
	struct month_count *counts;     /* [month * nrules + place] */
	int run_as_of;                  /* 1: every month as of the pass's as-of time */
};

static void profile(const struct check_ctx *c, const char *what, double since)
{
	if (c->profile)
		c->profile(what, clock_wall_seconds() - since);
}

/* The month whose window holds t (text order, as the runs compare); -1: none. */
static int month_of(const struct months_pass *mp, const char *t)
{
	int lo = 0, hi = mp->nmonths;

	if (strcmp(t, mp->start[0]) < 0 || strcmp(t, mp->start[mp->nmonths]) >= 0)
		return -1;
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(t, mp->start[mid]) >= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int judges_init(struct months_pass *mp, const struct check_ctx *c, pm_error *err)
{
	int k;

	mp->j = calloc((size_t)mp->nmonths, sizeof(*mp->j));
	if (!mp->j)
		return pm_fail(err, "out of memory");
	for (k = 0; k < mp->nmonths; k++) {
		mp->j[k].db = c->db;
		/*
		 * each month as of its end, or of the pass's as-of time if that is
		 * before; a run's window (run_as_of) as of the run's, even after its end
		 */
		mp->j[k].as_of = mp->run_as_of || strcmp(mp->start[k + 1], c->scope->as_of) > 0 ?
				 c->scope->as_of : mp->start[k + 1];
		mp->j[k].cal = c->scope->cal;
		if (day_parse(mp->start[k], &mp->j[k].first_day) ||
		    day_parse(mp->start[k + 1], &mp->j[k].last_day))
			return pm_fail(err, "trend: bad month");
	}
	return 0;
}

static int slots_init(struct months_pass *mp, const struct subject subj[2], pm_error *err)
{
	int s, i, k;

	for (s = 0; s < 2; s++) {
		mp->slot[s] = calloc((size_t)subj[s].nrules + 1, sizeof(int));
		if (!mp->slot[s])
			return pm_fail(err, "out of memory");
		for (i = 0; i < subj[s].nrules; i++)
			for (k = 0; k < mp->nrules; k++)
				if (mp->rules[k] == subj[s].rules[i].r)
					mp->slot[s][i] = k;
	}
	return 0;
}

static void count(struct month_count *n, enum verdict_status status)
{
	if (status == V_MET)
		n->met++;
	else if (status == V_BREACHED)
		n->breached++;
	else if (status == V_PENDING)
		n->pending++;
	else if (status == V_UNKNOWN)
		n->unknown++;
}

/* One rule on a record of month m, as judge_deadline_row() and judge_coverage_row() judge it. */
static int judge_one(struct months_pass *mp, struct eval_rule *er, const struct row *w, int col,
		     int m, const struct cb_hit *hits, int nhits, struct month_count *n,
		     pm_error *err)
{
	const char *t = w->v[col], *as_of = mp->j[m].as_of;
	struct verdict v;

	if (er->r->kind == RULE_COVERAGE) {
		const char *cb;

		count(n, coverage_status(er, hits, nhits, t, as_of, &cb));
		return 0;
	}
	if (judge_deadline(&mp->j[m], er->r, t, deadline_end(er, w, hits, nhits, t, as_of),
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
static int month_row(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err)
{
	struct months_pass *mp = e->user;
	int scan_col = *(int *)arg, which = s->which == SUBJECT_TICKETS ? 0 : 1, looked = 0;
	const struct cb_hit *hits = NULL;
	int nhits = 0, i, m;

	for (i = 0; i < s->nrules; i++) {
		struct eval_rule *er = &s->rules[i];
		int col = rule_column(er, w);

		if (col < 0 || (scan_col >= 0 && col != scan_col) || w->type[col] != SQLITE_TEXT)
			continue;
		unsigned missing;

		/* after the month's as-of time: not in its run (its scans stop at :asof) */
		if ((m = month_of(mp, w->v[col])) < 0 || strcmp(w->v[col], mp->j[m].as_of) > 0)
			continue;
		missing = record_missing(er, w);
		if (!rule_takes(s, er, w, missing))
			continue;
		if (missing) {         /* as judge_row() counts it */
			count(&mp->counts[m * mp->nrules + mp->slot[which][i]], V_UNKNOWN);
			continue;
		}
		if (!looked++)
			hits = cb_map_find(&e->map, s->cb_kind, w->v[COL_ID] ? w->v[COL_ID] : "",
					   &nhits);
		if (judge_one(mp, er, w, col, m, hits, nhits,
			      &mp->counts[m * mp->nrules + mp->slot[which][i]], err))
			return -1;
	}
	return 0;
}

static int pass(struct months_pass *mp, struct eval *e, struct subject subj[2], pm_error *err)
{
	int k, roles, full;
	double t = clock_wall_seconds();

	if (judges_init(mp, e->c, err) ||
	    subjects_init_rules(e, subj, mp->rules, mp->nrules, err) || slots_init(mp, subj, err))
		return -1;
	subj[0].lean = subj[1].lean = 1;
	if (subjects_need_callbacks(subj, &roles)) {
		if (cb_map_load(e->c->db, e->c->scope->from, e->c->scope->as_of, roles, &e->map,
				err))
			return -1;
		profile(e->c, "trend: load the callback map", t);
	}
	for (k = 0; k < 2; k++) {
		if (!subj[k].nrules)
			continue;
		t = clock_wall_seconds();
		if (roles_init(e, &subj[k], err) || scan_subject(e, &subj[k], month_row, &full, err))
			return -1;
		profile(e->c, k ? "trend: complaints" : "trend: tickets", t);
	}
	return calendar_gaps(subj, err);
}

int eval_months(struct check_ctx *c, const char (*start)[20], int nmonths, int run_as_of,
		const struct rule *const *rules, int nrules, struct month_count *counts,
		pm_error *err)
{
	struct months_pass mp;
	struct eval e;
	struct subject subj[2];
	int rc;

	memset(&mp, 0, sizeof(mp));
	memset(&e, 0, sizeof(e));
	memset(subj, 0, sizeof(subj));
	mp.nmonths = nmonths;
	mp.start = start;
	mp.rules = rules;
	mp.nrules = nrules;
	mp.counts = counts;
	mp.run_as_of = run_as_of;
	e.c = c;
	e.user = &mp;
	strtab_init(&e.sites);
	rc = pass(&mp, &e, subj, err);
	subject_free(&subj[0]);
	subject_free(&subj[1]);
	cb_map_free(&e.map);
	strtab_free(&e.sites);
	free(mp.j);
	free(mp.slot[0]);
	free(mp.slot[1]);
	return rc;
}
