/*
 * A record judged in its month, as of that month's end (or an earlier
 * as-of time): the trend's months (months.c, check_trend()) and the same
 * months counted by a check run's own records pass (check_ctx.months,
 * records_pass.c), for the annual report's year and its twelve months from
 * one read of the logs. A run over exactly the months' window reads every
 * record the months' own pass would (its scans stop at its as-of time, at
 * or after the months'), so each row it reads is judged a second time
 * here, in its month, with the run's compiled rules and the callbacks it
 * looked up. The callback map may hold callbacks after a month's end:
 * deadline_end() and coverage_status() cut them at the record's own
 * month's as-of time.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"

struct months_pass {
	int nmonths;
	const char (*start)[20];        /* nmonths + 1 */
	struct judge_ctx *j;            /* per month: its as-of time and working-day range */
	const struct rule *const *rules;
	int nrules;
	int *slot[2];                   /* per subject rule: its place in rules, -1: not listed */
	struct month_count *counts;     /* [month * nrules + place] */
};

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

static int judges_init(struct months_pass *mp, const struct check_ctx *c, const char *as_of,
		       int run_as_of, pm_error *err)
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
		mp->j[k].as_of = run_as_of || strcmp(mp->start[k + 1], as_of) > 0 ?
				 as_of : mp->start[k + 1];
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
			for (mp->slot[s][i] = -1, k = 0; k < mp->nrules; k++)
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

/* The record's callbacks, looked up once per row (the run's judge may have already). */
static const struct cb_hit *row_hits(struct eval *e, struct row_ctx *x, int *nhits)
{
	if (!x->looked) {
		x->hits = cb_map_find(&e->map, x->s->cb_kind,
				      x->w->v[COL_ID] ? x->w->v[COL_ID] : "", &x->nhits);
		x->looked = 1;
	}
	*nhits = x->nhits;
	return x->hits;
}

int months_row(struct months_pass *mp, struct eval *e, struct row_ctx *x, int scan_col,
	       pm_error *err)
{
	struct subject *s = x->s;
	const struct row *w = x->w;
	int which = s->which == SUBJECT_TICKETS ? 0 : 1, i, m, place;

	for (i = 0; i < s->nrules; i++) {
		struct eval_rule *er = &s->rules[i];
		int col;
		unsigned missing;
		const struct cb_hit *hits;
		int nhits;

		if ((place = mp->slot[which][i]) < 0)
			continue;
		col = rule_column(er, w);
		if (col < 0 || (scan_col >= 0 && col != scan_col) || w->type[col] != SQLITE_TEXT)
			continue;
		/* after the month's as-of time: not in its run (its scans stop at :asof) */
		if ((m = month_of(mp, w->v[col])) < 0 || strcmp(w->v[col], mp->j[m].as_of) > 0)
			continue;
		missing = record_missing(er, w);
		if (!rule_takes(s, er, w, missing))
			continue;
		if (missing) {         /* as judge_row() counts it */
			count(&mp->counts[m * mp->nrules + place], V_UNKNOWN);
			continue;
		}
		hits = row_hits(e, x, &nhits);
		if (judge_one(mp, er, w, col, m, hits, nhits, &mp->counts[m * mp->nrules + place],
			      err))
			return -1;
	}
	return 0;
}

int months_attach(struct eval *e, struct subject subj[2], const struct months_spec *spec,
		  int run_as_of, struct months_pass **out, pm_error *err)
{
	struct months_pass *mp = calloc(1, sizeof(*mp));

	*out = mp;
	if (!mp)
		return pm_fail(err, "out of memory");
	mp->nmonths = spec->nmonths;
	mp->start = spec->start;
	mp->rules = spec->rules;
	mp->nrules = spec->nrules;
	mp->counts = spec->counts;
	return judges_init(mp, e->c, spec->as_of, run_as_of, err) || slots_init(mp, subj, err) ? -1 : 0;
}

void months_detach(struct months_pass *mp)
{
	if (!mp)
		return;
	free(mp->j);
	free(mp->slot[0]);
	free(mp->slot[1]);
	free(mp);
}
