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
 *
 * Each row is judged in its month by months_judge.c, which a check run's
 * own records pass uses too (check_ctx.months): the annual report's year
 * and its twelve months from one read of the logs.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"
#include "util/clock.h"

static void profile(const struct check_ctx *c, const char *what, double since)
{
	if (c->profile)
		c->profile(what, clock_wall_seconds() - since);
}

/* One row of the trend's own scan of column *arg (-1: the whole table). */
static int month_row(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err)
{
	struct row_ctx x = { s, w, -1, 0, NULL, 0 };

	return months_row(e->months, e, &x, *(int *)arg, err);
}

static int pass(const struct months_spec *spec, struct eval *e, struct subject subj[2],
		int run_as_of, pm_error *err)
{
	int k, roles, full;
	double t = clock_wall_seconds();

	if (subjects_init_rules(e, subj, spec->rules, spec->nrules, err) ||
	    months_attach(e, subj, spec, run_as_of, &e->months, err))
		return -1;
	subj[0].lean = subj[1].lean = 1;
	if (subjects_need_callbacks(subj, &roles)) {
		if (cb_map_load(e->c->db, e->c->scope->from, e->c->scope->as_of, roles, &e->map,
				err))
			return -1;
		profile(e->c, "trend: load the callback map", t);
	}
	for (k = 0; k < 2; k++) {
		char where[1024];
		int rc;

		if (!subj[k].nrules)
			continue;
		t = clock_wall_seconds();
		/*
		 * the scope is the months' union window: a row no month can take
		 * (of a later month, or without a start) is left to SQLite, as a
		 * run's own full scan leaves it; months_row() would skip it for
		 * every rule (a quarter of the rows of the bench's trend)
		 */
		subj[k].full_where = full_scan_where(&subj[k], 0, where, sizeof(where));
		rc = roles_init(e, &subj[k], err) || scan_subject(e, &subj[k], month_row, &full, err);
		subj[k].full_where = NULL;
		if (rc)
			return -1;
		profile(e->c, k ? "trend: complaints" : "trend: tickets", t);
	}
	return calendar_gaps(subj, err);
}

int eval_months(struct check_ctx *c, const char (*start)[20], int nmonths, int run_as_of,
		const struct rule *const *rules, int nrules, struct month_count *counts,
		pm_error *err)
{
	struct months_spec spec = { start, nmonths, c->scope->as_of, rules, nrules, counts };
	struct eval e;
	struct subject subj[2];
	int rc;

	memset(&e, 0, sizeof(e));
	memset(subj, 0, sizeof(subj));
	e.c = c;
	strtab_init(&e.sites);
	rc = pass(&spec, &e, subj, run_as_of, err);
	months_detach(e.months);
	subject_free(&subj[0]);
	subject_free(&subj[1]);
	cb_map_free(&e.map);
	strtab_free(&e.sites);
	return rc;
}
