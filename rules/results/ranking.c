/*
 * The site ranking per rule group (rules/results/results.h: ranking): the
 * one computation behind the PDF's 项目排名 section, the workbook's
 * ranking sheet and check's text table. Every count is a stored per-site
 * result (check_site_results); nothing is recomputed from the logs.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/results/results.h"

static const char *const GROUP_ZH[RANK_GROUPS] = {
	"报修回访及时率", "报修其他时限（到场等）", "投诉处理时限", "回访覆盖率", "催缴函", "其他时限"
};
static const char *const GROUP_EN[RANK_GROUPS] = {
	"Repair callbacks on time", "Other repair deadlines (arrival)", "Complaint deadlines",
	"Callback coverage", "Reminder letters", "Other deadlines"
};

const char *ranking_group_title(enum rank_group g, int english)
{
	return english ? GROUP_EN[g] : GROUP_ZH[g];
}

/* The group of a rule of the run, from its kind and role (never its id). */
static enum rank_group group_of(const struct results_rule *x, const struct ruleset *rs)
{
	if (!strcmp(x->kind, "coverage") || !strcmp(x->kind, "weekly"))
		return RANK_COVERAGE;
	if (!strcmp(x->kind, "letter"))
		return RANK_LETTER;
	if (strcmp(x->kind, "deadline"))
		return RANK_GROUPS;             /* a repeat rule: in no ranking */
	switch (rule_role(rs, x->rule_id)) {
	case ROLE_REPAIR_CALLBACK:
		return RANK_REPAIR_CALLBACK;
	case ROLE_REPAIR_DEADLINE:
		return RANK_REPAIR_DEADLINE;
	case ROLE_COMPLAINT_DEADLINE:
		return RANK_COMPLAINT;
	default:
		return RANK_OTHER;
	}
}

/* Higher rate first (compared as fractions, exactly), then more judged, then by name. */
static int by_rank(const void *a, const void *b)
{
	const struct rank_row *x = a, *y = b;
	long long nx = x->met + x->breached, ny = y->met + y->breached;
	/* met/nx against met/ny: both denominators are positive */
	__int128 l = (__int128)x->met * ny, r = (__int128)y->met * nx;

	if (l != r)
		return l > r ? -1 : 1;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(x->site, y->site);
}

static int same_rate(const struct rank_row *x, const struct rank_row *y)
{
	return (__int128)x->met * (y->met + y->breached) == (__int128)y->met * (x->met + x->breached);
}

/* A new site's row in every group (the per-site rows come by site). */
static int add_site(struct ranking *k, const char *site, pm_error *err)
{
	int g;

	if (k->nsites == k->cap) {
		int cap = k->cap ? 2 * k->cap : 64;
		char **sites = realloc(k->sites, (size_t)cap * sizeof(*sites));

		if (!sites)
			return pm_fail(err, "out of memory");
		k->sites = sites;
		for (g = 0; g < RANK_GROUPS; g++) {
			struct rank_row *rows = realloc(k->rows[g], (size_t)cap * sizeof(*rows));

			if (!rows)
				return pm_fail(err, "out of memory");
			k->rows[g] = rows;
		}
		k->cap = cap;
	}
	if (!(k->sites[k->nsites] = strdup(site)))
		return pm_fail(err, "out of memory");
	for (g = 0; g < RANK_GROUPS; g++) {
		memset(&k->rows[g][k->nsites], 0, sizeof(struct rank_row));
		k->rows[g][k->nsites].site = k->sites[k->nsites];
	}
	k->nsites++;
	return 0;
}

static int read_sites(const struct results_run *run, const struct ruleset *rs,
		      struct ranking *k, pm_error *err)
{
	struct results_sites it;
	int rc = 0;

	if (results_sites_begin(run, NULL, &it, err) < 0)
		return -1;
	while (rc == 0 && results_sites_next(&it)) {
		const struct results_rule *x = results_rule(run, it.row.rule_id);
		enum rank_group g = x ? group_of(x, rs) : RANK_GROUPS;
		struct rank_row *row;

		if (!k->nsites || strcmp(k->sites[k->nsites - 1], it.row.site))
			rc = add_site(k, it.row.site, err);
		if (rc || g == RANK_GROUPS)
			continue;
		row = &k->rows[g][k->nsites - 1];
		row->met += it.row.met;
		row->breached += it.row.breached;
		row->pending += it.row.pending;
		row->unknown += it.row.unknown;
	}
	if (rc) {
		results_sites_end(&it, NULL);
		return -1;
	}
	return results_sites_end(&it, err);
}

/* Keeps a group's sites with records judged, in rank order, ranks set. */
static void rank(struct rank_row *rows, int *n, int nsites)
{
	int i, m = 0;

	for (i = 0; i < nsites; i++)
		if (rows[i].met + rows[i].breached > 0)
			rows[m++] = rows[i];
	if (m > 1)
		qsort(rows, (size_t)m, sizeof(*rows), by_rank);
	/* equal rates share a rank (1, 1, 3): the order among them is by count, then name */
	for (i = 0; i < m; i++)
		rows[i].rank = i && same_rate(&rows[i - 1], &rows[i]) ? rows[i - 1].rank : i + 1;
	*n = m;
}

int results_ranking(const struct results_run *run, const struct ruleset *rs, struct ranking *out,
		    pm_error *err)
{
	int g;

	memset(out, 0, sizeof(*out));
	if (read_sites(run, rs, out, err) < 0) {
		results_ranking_free(out);
		return -1;
	}
	for (g = 0; g < RANK_GROUPS; g++)
		rank(out->rows[g], &out->n[g], out->nsites);
	return 0;
}

void results_ranking_free(struct ranking *k)
{
	int i;

	for (i = 0; i < RANK_GROUPS; i++)
		free(k->rows[i]);
	for (i = 0; i < k->nsites; i++)
		free(k->sites[i]);
	free(k->sites);
	memset(k, 0, sizeof(*k));
}

int ranking_shown(int n, int i)
{
	return n <= RANK_SHOWN || i < RANK_SHOWN / 2 || i >= n - RANK_SHOWN / 2;
}

int ranking_rate(const struct rank_row *x, double *rate)
{
	return results_rate(x->met, x->met + x->breached, 0, rate, NULL);
}
