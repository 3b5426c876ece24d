/*
 * 满意度: the window's callbacks counted by their result, per site and in
 * all, as figures (docs/rules.md "Satisfaction"). The counting rides on the
 * findings' one read of the window's callbacks (findings.c); the rate is
 * (满意 + 基本满意) / the rated callbacks, none rated: no rate (无数据).
 */
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"
#include "rules/findings/findings.h"

void sat_tally_init(struct sat_tally *t)
{
	memset(t, 0, sizeof(*t));
	strtab_init(&t->sites);
}

void sat_tally_free(struct sat_tally *t)
{
	strtab_free(&t->sites);
	free(t->n);
	t->n = NULL;
	t->cap = 0;
}

/* The import stores the text trimmed; the three words of DATA.md count. */
int findings_satisfaction_kind(const char *result)
{
	if (!result)
		return SAT_UNRATED;
	if (!strcmp(result, "满意"))
		return SAT_SATISFIED;
	if (!strcmp(result, "基本满意"))
		return SAT_BASIC;
	if (!strcmp(result, "不满意"))
		return SAT_DISSATISFIED;
	return SAT_UNRATED;
}

int sat_tally_add(struct sat_tally *t, const char *site, const char *result)
{
	int i = strtab_intern(&t->sites, site ? site : "");

	if (i < 0)
		return -1;
	if (i >= t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		long long (*more)[SAT_KINDS] = realloc(t->n, (size_t)cap * sizeof(*more));

		if (!more)
			return -1;
		memset(more + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*more));
		t->n = more;
		t->cap = cap;
	}
	t->n[i][findings_satisfaction_kind(result)]++;
	return 0;
}

/* The four counts and the rate of one site. */
static int store_site(struct site_figures *w, const char *site, const long long *n, pm_error *err)
{
	long long good = n[SAT_SATISFIED] + n[SAT_BASIC];
	int k;

	for (k = 0; k < SAT_KINDS; k++)
		if (site_figure_int(w, site, FIG_SATISFACTION_SATISFIED + k, n[k], err))
			return -1;
	return site_figure_rate(w, site, FIG_SATISFACTION_RATE, good, good + n[SAT_DISSATISFIED], err);
}

int sat_tally_store(struct check_ctx *c, const struct sat_tally *t, pm_error *err)
{
	struct site_figures w;
	long long all[SAT_KINDS] = { 0 }, good;
	int i, k, rc = 0;

	if (site_figures_open(c, &w, err))
		return -1;
	for (i = 0; i < t->sites.count && !rc; i++) {
		for (k = 0; k < SAT_KINDS; k++)
			all[k] += t->n[i][k];
		rc = store_site(&w, t->sites.strs[i], t->n[i], err);
	}
	site_figures_close(&w);
	for (k = 0; k < SAT_KINDS && !rc; k++)
		rc = ctx_figure_int(c, FIG_SATISFACTION_SATISFIED + k, all[k], err);
	good = all[SAT_SATISFIED] + all[SAT_BASIC];
	return rc || ctx_figure_rate(c, FIG_SATISFACTION_RATE, good, good + all[SAT_DISSATISFIED], err)
	       ? -1 : 0;
}
