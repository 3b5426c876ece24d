/*
 * R-REPEAT (seed 000: 反复出现的问题): a record in the window is listed
 * when, counting itself, its room has at least `tickets` tickets (or
 * `complaints` valid complaints) of the same category in the `window` days
 * up to it (from datetime(ts, '-N days') to ts, both included: records at
 * the same instant count for each other).
 *
 * Over the records read once (rules/eval_records.c): the candidates are
 * grouped by (site, room, category) through a hash on the pooled pointers,
 * each group large enough to reach the number is sorted by (ts, id) and
 * walked with two pointers, and the repeats are stored in the byte order
 * of (kind, site, room, category, ts, id). Before, a temp table of the
 * candidates and its index cost 1.3 s for a month.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rules/eval.h"

struct rep_group {
	const struct eval_row *key;     /* a row giving site, room, category */
	int first, n;                   /* its rows: member[first .. first + n) */
	int in_window;                  /* has a row at or after from */
};

struct rep_pass {
	const struct eval_row *row;     /* the kind's rows */
	int *cand, ncand;               /* candidate rows */
	int *group_of;                  /* per candidate */
	struct rep_group *group;
	int ngroups;
	int *slot;                      /* hash: group + 1, 0 empty */
	size_t nslots;
	int *member;                    /* candidates' rows, grouped */
};

static int is_candidate(const struct check_ctx *c, int kind, const struct eval_row *row,
			const char *back)
{
	return row->room && row->category && (kind == EVAL_TICKET || row->valid) &&
	       strcmp(row->start, back) >= 0 && strcmp(row->start, c->as_of) <= 0 &&
	       eval_site_ok(c, row->site);
}

static size_t key_hash(const struct eval_row *row)
{
	uint64_t h = (uintptr_t)row->site;

	h = h * 0x9E3779B97F4A7C15ULL ^ (uintptr_t)row->room;
	h = h * 0x9E3779B97F4A7C15ULL ^ (uintptr_t)row->category;
	h *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 20);
}

/* The group of a candidate row (pooled text: equal keys are equal pointers). */
static int group_for(struct rep_pass *p, const struct eval_row *row)
{
	size_t j = key_hash(row) & (p->nslots - 1);

	for (; p->slot[j]; j = (j + 1) & (p->nslots - 1)) {
		const struct eval_row *k = p->group[p->slot[j] - 1].key;

		if (k->site == row->site && k->room == row->room && k->category == row->category)
			return p->slot[j] - 1;
	}
	p->group[p->ngroups].key = row;
	p->group[p->ngroups].n = 0;
	p->group[p->ngroups].in_window = 0;
	p->slot[j] = ++p->ngroups;
	return p->ngroups - 1;
}

static int collect(struct check_ctx *c, struct rep_pass *p, const struct eval_kind *k, int kind,
		   const char *back)
{
	int i, g, at;

	p->row = k->row;
	p->cand = malloc(((size_t)k->n + 1) * sizeof(int));
	p->group_of = malloc(((size_t)k->n + 1) * sizeof(int));
	p->group = malloc(((size_t)k->n + 1) * sizeof(*p->group));
	for (p->nslots = 16; p->nslots < 2 * (size_t)k->n; p->nslots *= 2)
		;
	p->slot = calloc(p->nslots, sizeof(int));
	p->member = malloc(((size_t)k->n + 1) * sizeof(int));
	if (!p->cand || !p->group_of || !p->group || !p->slot || !p->member)
		return -1;
	for (i = 0; i < k->n; i++) {
		if (!is_candidate(c, kind, &k->row[i], back))
			continue;
		g = group_for(p, &k->row[i]);
		p->group[g].n++;
		p->group[g].in_window |= strcmp(k->row[i].start, c->from) >= 0;
		p->group_of[p->ncand] = g;
		p->cand[p->ncand++] = i;
	}
	/* counting sort of the candidates by group */
	for (g = 0, at = 0; g < p->ngroups; g++) {
		p->group[g].first = at;
		at += p->group[g].n;
		p->group[g].n = 0;
	}
	for (i = 0; i < p->ncand; i++) {
		struct rep_group *gr = &p->group[p->group_of[i]];

		p->member[gr->first + gr->n++] = p->cand[i];
	}
	return 0;
}

static void pass_free(struct rep_pass *p)
{
	free(p->cand);
	free(p->group_of);
	free(p->group);
	free(p->slot);
	free(p->member);
}

/* ts, then id: the order of temp.rep's index before. */
static int by_time_id(const void *a, const void *b, void *rows)
{
	const struct eval_row *row = rows;
	const struct eval_row *x = &row[*(const int *)a], *y = &row[*(const int *)b];
	int d = strcmp(x->start, y->start);

	return d ? d : strcmp(x->id, y->id);
}

static int by_key(const void *a, const void *b, void *groups)
{
	const struct rep_group *group = groups;
	const struct eval_row *x = group[*(const int *)a].key;
	const struct eval_row *y = group[*(const int *)b].key;
	int d = strcmp(x->site, y->site);

	if (!d)
		d = strcmp(x->room, y->room);
	return d ? d : strcmp(x->category, y->category);
}

/*
 * The count of each in-window row of the (sorted) group: rows from
 * ts - window to ts, ties included; count[i] = 0 where below the number.
 */
static int count_group(struct check_ctx *c, const struct rule *r, const struct eval_row *row,
		       const int *m, int n, int need, int *count)
{
	int i, lo = 0, hi = 0, hits = 0;
	char back[24];

	for (i = 0; i < n; i++) {
		count[i] = 0;
		if (strcmp(row[m[i]].start, c->from) < 0)
			continue;
		eval_days_before(row[m[i]].start, r->window_days, back);
		while (lo < n && strcmp(row[m[lo]].start, back) < 0)
			lo++;
		if (hi < i)
			hi = i;
		while (hi + 1 < n && strcmp(row[m[hi + 1]].start, row[m[i]].start) <= 0)
			hi++;
		if (hi - lo + 1 >= need) {
			count[i] = hi - lo + 1;
			hits++;
		}
	}
	return hits;
}

static int store_group(struct finding_rows *w, const struct rule *r, const struct eval_kind *k,
		       const struct rep_group *g, const int *m, const int *count, pm_error *err)
{
	int i;

	for (i = 0; i < g->n; i++) {
		const struct eval_row *row = &k->row[m[i]];
		const char *detail;

		if (!count[i])
			continue;
		detail = finding_detail(w, "%s %s: %d %ss within %d days", row->room, row->category,
					count[i], k->name, r->window_days);
		if (!detail)
			return pm_fail(err, "out of memory");
		if (finding_row(w, r->id, k->name, row->id, row->site, row->start, NULL, detail, err))
			return -1;
	}
	return 0;
}

/* One kind's repeats; *groups and *records count what was stored. */
static int repeat_kind(struct check_ctx *c, const struct rule *r, struct eval_records *rec,
		       int kind, struct finding_rows *w, sqlite3_int64 *groups,
		       sqlite3_int64 *records, pm_error *err)
{
	const struct eval_kind *k = &rec->kind[kind];
	int need = kind == EVAL_TICKET ? r->min_tickets : r->min_complaints;
	struct rep_pass p;
	int *hit_groups = NULL, nhit = 0, *count = NULL, g, i, rc = 0;
	char back[24];

	memset(&p, 0, sizeof(p));
	eval_days_before(c->from, r->window_days, back);
	if (collect(c, &p, k, kind, back) ||
	    !(hit_groups = malloc(((size_t)p.ngroups + 1) * sizeof(int))) ||
	    !(count = malloc(((size_t)p.ncand + 1) * sizeof(int)))) {
		rc = pm_fail(err, "out of memory");
		goto done;
	}
	for (g = 0; g < p.ngroups; g++) {
		struct rep_group *gr = &p.group[g];

		if (!gr->in_window || gr->n < need)
			continue;
		qsort_r(p.member + gr->first, (size_t)gr->n, sizeof(int), by_time_id, (void *)k->row);
		if (count_group(c, r, k->row, p.member + gr->first, gr->n, need, count + gr->first))
			hit_groups[nhit++] = g;
	}
	qsort_r(hit_groups, (size_t)nhit, sizeof(int), by_key, p.group);
	for (i = 0; i < nhit && !rc; i++) {
		const struct rep_group *gr = &p.group[hit_groups[i]];

		rc = store_group(w, r, k, gr, p.member + gr->first, count + gr->first, err);
		for (g = 0; g < gr->n; g++)
			*records += count[gr->first + g] > 0;
	}
	*groups += nhit;
done:
	free(hit_groups);
	free(count);
	pass_free(&p);
	return rc;
}

int check_repeat(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	struct eval_records *rec;
	struct finding_rows w;
	sqlite3_int64 groups = 0, records = 0;
	int rc;

	if (eval_records_get(c, &rec, err) || finding_rows_open(c, &w, err))
		return -1;
	rc = repeat_kind(c, r, rec, EVAL_COMPLAINT, &w, &groups, &records, err) ||
	     repeat_kind(c, r, rec, EVAL_TICKET, &w, &groups, &records, err);
	finding_rows_close(&w);
	if (rc)
		return -1;
	return ctx_figure_int(c, "findings.repeat_groups", groups, err) ||
	       ctx_figure_int(c, "findings.repeat_records", records, err) ? -1 : 0;
}
