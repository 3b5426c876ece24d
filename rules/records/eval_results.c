/* The end of the passes: a missing calendar year is an error, else the counts are stored. */
#include "rules/records/eval_internal.h"

static int calendar_gap(const struct subject *s, const struct eval_rule *er, pm_error *err)
{
	return pm_fail(err, "rule %s (limit %s): %s %s starts %s and its deadline falls in %d, "
		       "which the holiday calendar does not cover; add that year's holiday notice "
		       "with --calendar FILE or `calendar = FILE` in the rules file",
		       er->r->id, er->r->limit_text, s->kind, er->gap_id, er->gap_start, er->gap_year);
}

static const struct eval_rule *find_rule(const struct subject subj[2], const struct rule *r,
					 const struct subject **s)
{
	int k, i;

	for (k = 0; k < 2; k++)
		for (i = 0; i < subj[k].nrules; i++)
			if (subj[k].rules[i].r == r) {
				*s = &subj[k];
				return &subj[k].rules[i];
			}
	return NULL;
}

int calendar_gaps(const struct ruleset *rs, const struct subject subj[2], pm_error *err)
{
	size_t i;

	/* The first rule, in file order, with a deadline in a missing year is an error. */
	for (i = 0; i < rs->count; i++) {
		const struct subject *s;
		const struct eval_rule *er = find_rule(subj, &rs->rules[i], &s);

		if (er && er->gap_start)
			return calendar_gap(s, er, err);
	}
	return 0;
}

int store_results(struct eval *e, const struct subject subj[2], pm_error *err)
{
	const struct ruleset *rs = e->c->rs;
	size_t i;

	if (calendar_gaps(rs, subj, err))
		return -1;
	for (i = 0; i < rs->count; i++) {
		const struct subject *s;
		const struct eval_rule *er = find_rule(subj, &rs->rules[i], &s);
		const struct rule *r = &rs->rules[i];

		if (!er)
			continue;
		if (r->kind == RULE_WEEKLY &&
		    store_weeks(e->c, r, e->week_labels, e->nweeks, er->week_num, er->week_den, err))
			return -1;
		if (store_site_results(e->c, r, &e->sites, er->sites,
				       er->nsites < e->sites.count ? er->nsites : e->sites.count, err))
			return -1;
		if (r->kind == RULE_WEEKLY ?
		    store_weekly_result(e->c, r, e->nweeks, er->week_num, er->week_den, err) :
		    check_rule_result_counts(e->c, r, er->met, er->breached, er->pending, err))
			return -1;
		if (store_rule_unknown(e->c, r, er->unknown, err))
			return -1;
	}
	return 0;
}
