/*
 * R-REPEAT (seed 000: 反复出现的问题): a record in the window is listed
 * when, counting itself, its room has at least `tickets` tickets (or
 * `complaints` valid complaints) of the same category in the `window` days
 * up to it (from datetime(ts, '-N days') to ts, both included: records at
 * the same instant count for each other).
 *
 * Over the records read once (rules/findings/find_records.c): the candidates are
 * put in the byte order of (site, room, category) by three stable counting
 * sorts on the ranks of those values (a few hundred distinct ones), so each
 * group is a run; a run that can reach the number is put in (ts, id) order
 * and walked with two pointers. The repeats come out in the order of
 * (kind, site, room, category, ts, id). (A hash of the groups would cost
 * three cache misses a record.)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"
#include "util/bigmem.h"

/*
 * A candidate with its start copied in (when it is a short text, as stored
 * timestamps are): sorting and counting a group compare the copies, where
 * reaching each row's text would be a cache miss.
 */
struct rep_cand {
	int key[3];                     /* ranks of site, room, category */
	int row;
	unsigned char in_window;        /* start >= from */
	unsigned char short_ts;         /* ts holds the start */
	char ts[20];
};

static const char *ts_of(const struct rep_cand *x, const struct find_row *row)
{
	return x->short_ts ? x->ts : row[x->row].start;
}

static int by_text(const void *a, const void *b, void *text)
{
	const char *const *t = text;

	return strcmp(t[*(const int *)a], t[*(const int *)b]);
}

/* rank[id]: the place of each pooled text in byte order. */
static int *text_ranks(const struct strtab *p)
{
	size_t n = (size_t)p->count, i;
	int *order = malloc((n + 1) * sizeof(int)), *rank = malloc((n + 1) * sizeof(int));

	if (!order || !rank) {
		free(order);
		free(rank);
		return NULL;
	}
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	qsort_r(order, n, sizeof(int), by_text, (void *)p->strs);
	for (i = 0; i < n; i++)
		rank[order[i]] = (int)i;
	free(order);
	return rank;
}

/* A stable counting sort of n candidates by key[k] < nkeys, from `from` into `to`. */
static int counting_sort(const struct rep_cand *from, struct rep_cand *to, int n, int k, int nkeys)
{
	int *start = calloc((size_t)nkeys + 1, sizeof(int)), i, at = 0;

	if (!start)
		return -1;
	for (i = 0; i < n; i++)
		start[from[i].key[k]]++;
	for (i = 0; i < nkeys; i++) {
		int c = start[i];

		start[i] = at;
		at += c;
	}
	for (i = 0; i < n; i++)
		to[start[from[i].key[k]]++] = from[i];
	free(start);
	return 0;
}

static int is_candidate(const struct run_scope *s, const struct find_records *rec, int kind,
			const struct find_row *row, const char *back)
{
	return row->room >= 0 && row->category >= 0 && (kind == FIND_TICKET || row->valid) &&
	       strcmp(row->start, back) >= 0 && strcmp(row->start, s->as_of) <= 0 &&
	       find_site_ok(s, rec->names.strs[row->site]);
}

/*
 * The candidates' two arrays (the sorts go from one to the other and back):
 * a year's tickets make two of 40 MB, which malloc() would give in 4 KB
 * pages, each first touch a page fault (a quarter of R-REPEAT's time in
 * perf); one region of huge pages takes a few dozen (util/bigmem.h).
 */
struct rep_mem {
	void *base;                     /* the mapping */
	size_t size;
	struct rep_cand *a, *b;         /* its halves, a the sorted one */
};

static int rep_mem_map(struct rep_mem *m, int n)
{
	size_t each = ((size_t)n + 1) * sizeof(struct rep_cand);

	m->size = 2 * each;
	m->base = bigmem_map(m->size);
	m->a = m->base;
	m->b = m->base ? (struct rep_cand *)((char *)m->base + each) : NULL;
	return m->base ? 0 : -1;
}

static void rep_mem_unmap(struct rep_mem *m)
{
	bigmem_unmap(m->base, m->size);
	m->base = NULL;
	m->a = m->b = NULL;
}

/*
 * The candidates of one kind in (site, room, category) order, in m->a (m->b
 * the sorts' scratch); *n = their count.
 */
static int grouped(const struct run_scope *s, const struct find_records *rec, int kind,
		   const int *rank, const char *back, struct rep_mem *m, int *n)
{
	const struct find_kind *k = &rec->kind[kind];
	struct rep_cand *cand, *tmp;
	int nkeys = (int)rec->names.count, i;

	*n = 0;
	if (rep_mem_map(m, k->n))
		return -1;
	cand = m->a;
	tmp = m->b;
	for (i = 0; i < k->n; i++) {
		const struct find_row *row = &k->row[i];

		if (!is_candidate(s, rec, kind, row, back))
			continue;
		struct rep_cand *x = &cand[(*n)++];
		size_t len = strlen(row->start);

		x->key[0] = rank[row->site];
		x->key[1] = rank[row->room];
		x->key[2] = rank[row->category];
		x->row = i;
		x->in_window = strcmp(row->start, s->from) >= 0;
		x->short_ts = len < sizeof(x->ts);
		if (x->short_ts)
			memcpy(x->ts, row->start, len + 1);
	}
	/* least significant first: category, room, then site; ends in tmp */
	if (counting_sort(cand, tmp, *n, 2, nkeys) || counting_sort(tmp, cand, *n, 1, nkeys) ||
	    counting_sort(cand, tmp, *n, 0, nkeys))
		return -1;
	m->a = tmp;
	m->b = cand;
	return 0;
}

static int same_group(const struct rep_cand *a, const struct rep_cand *b)
{
	return a->key[0] == b->key[0] && a->key[1] == b->key[1] && a->key[2] == b->key[2];
}

/* ts, then id: the order of temp.rep's index before. */
static int by_time_id(const void *a, const void *b, void *rows)
{
	const struct find_row *row = rows;
	const struct rep_cand *x = a, *y = b;
	int d = strcmp(ts_of(x, row), ts_of(y, row));

	return d ? d : strcmp(row[x->row].id, row[y->row].id);
}

/* Puts a group in (ts, id) order: already so when read in time order. */
static void sort_group(const struct find_row *row, struct rep_cand *g, int n)
{
	int i;

	for (i = 1; i < n; i++)
		if (by_time_id(&g[i - 1], &g[i], (void *)row) > 0) {
			qsort_r(g, (size_t)n, sizeof(*g), by_time_id, (void *)row);
			return;
		}
}

/*
 * datetime(ts, '-N days') for each record's day, remembered by day: a
 * year's records fall on a few hundred days.
 */
struct back_cache {
	int day[512];
	char date[512][11];
};

static void back_of(struct back_cache *bc, const char *ts, int days, char out[24])
{
	int day, slot;

	if (day_parse(ts, &day) || strlen(ts) != 19) {
		out[0] = '\0';
		return;
	}
	slot = day & 511;
	if (bc->day[slot] != day) {
		day_format(day - days, bc->date[slot]);
		bc->day[slot] = day;
	}
	memcpy(out, bc->date[slot], 10);
	memcpy(out + 10, ts + 10, 10);
}

/*
 * count[i]: for each in-window row of the sorted group, the rows from
 * ts - window to ts, ties included, or 0 where below the number.
 */
static int count_group(const struct rule *r, const struct find_row *row,
		       const struct rep_cand *g, int n, int need, struct back_cache *bc, int *count)
{
	int i, lo = 0, hi = 0, hits = 0;
	char back[24];

	for (i = 0; i < n; i++) {
		const char *ts = ts_of(&g[i], row);

		count[i] = 0;
		if (!g[i].in_window)
			continue;
		back_of(bc, ts, r->window_days, back);
		while (lo < n && strcmp(ts_of(&g[lo], row), back) < 0)
			lo++;
		if (hi < i)
			hi = i;
		while (hi + 1 < n && strcmp(ts_of(&g[hi + 1], row), ts) <= 0)
			hi++;
		if (hi - lo + 1 >= need) {
			count[i] = hi - lo + 1;
			hits++;
		}
	}
	return hits;
}

/* v in decimal. */
static void int_text(int v, char out[16])
{
	char digits[16];
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	int n = 0, at = 0;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		out[at++] = '-';
	while (n > 0)
		out[at++] = digits[--n];
	out[at] = '\0';
}

/* Appends text to buf at *at; 0 if it does not fit. */
static int put(char *buf, size_t size, size_t *at, const char *text)
{
	size_t n = strlen(text);

	if (*at + n >= size)
		return 0;
	memcpy(buf + *at, text, n + 1);
	*at += n;
	return 1;
}

/*
 * "room category: n kinds within N days" without printf (a year has
 * hundreds of thousands); NULL if buf is too small.
 */
static const char *repeat_detail(char *buf, size_t size, const char *room, const char *category,
				 int n, const char *kind, int days)
{
	char count[16], window[16];
	size_t at = 0;

	int_text(n, count);
	int_text(days, window);
	return put(buf, size, &at, room) && put(buf, size, &at, " ") && put(buf, size, &at, category) &&
	       put(buf, size, &at, ": ") && put(buf, size, &at, count) && put(buf, size, &at, " ") &&
	       put(buf, size, &at, kind) && put(buf, size, &at, "s within ") &&
	       put(buf, size, &at, window) && put(buf, size, &at, " days") ? buf : NULL;
}

static int add_hit(struct repeat_found *f, int kind, int row, int count)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 1024;
		struct rep_hit *hit = realloc(f->hit, cap * sizeof(*hit));

		if (!hit)
			return -1;
		f->hit = hit;
		f->cap = cap;
	}
	f->hit[f->n].kind = kind;
	f->hit[f->n].row = row;
	f->hit[f->n].count = count;
	f->n++;
	return 0;
}

/* One kind's repeats, in key order, added to f. */
static int repeat_kind(const struct run_scope *s, const struct find_records *rec,
		       const struct rule *r, const int *rank, int kind, struct back_cache *bc,
		       struct repeat_found *f)
{
	int need = kind == FIND_TICKET ? r->min_tickets : r->min_complaints;
	int n, i, end, j, *count = NULL, rc = 0;
	struct rep_mem m = { NULL, 0, NULL, NULL };
	struct rep_cand *cand;
	char back[24];

	find_days_before(s->from, r->window_days, back);
	if (grouped(s, rec, kind, rank, back, &m, &n) ||
	    !(count = malloc(((size_t)n + 1) * sizeof(int)))) {
		rep_mem_unmap(&m);
		return -1;
	}
	cand = m.a;
	for (i = 0; i < n && !rc; i = end) {
		int in_window = 0;

		for (end = i; end < n && same_group(&cand[i], &cand[end]); end++)
			in_window |= cand[end].in_window;
		if (!in_window || end - i < need)
			continue;
		sort_group(rec->kind[kind].row, cand + i, end - i);
		if (!count_group(r, rec->kind[kind].row, cand + i, end - i, need, bc, count))
			continue;
		f->groups++;
		for (j = 0; j < end - i && !rc; j++)
			if (count[j] > 0) {
				f->records++;
				rc = add_hit(f, kind, cand[i + j].row, count[j]);
			}
	}
	free(count);
	rep_mem_unmap(&m);
	return rc;
}

/* Rule r's repeats among rec's records (no database: any thread may find them). */
static int repeat_find(const struct run_scope *s, const struct find_records *rec,
		       const struct rule *r, struct repeat_found *f)
{
	struct back_cache *bc;
	int *rank, rc, i;

	memset(f, 0, sizeof(*f));
	f->rule = r;
	rank = text_ranks(&rec->names);
	bc = malloc(sizeof(*bc));
	if (!rank || !bc) {
		free(rank);
		free(bc);
		return -1;
	}
	for (i = 0; i < 512; i++)
		bc->day[i] = INT_MIN;
	rc = repeat_kind(s, rec, r, rank, FIND_COMPLAINT, bc, f) ||
	     repeat_kind(s, rec, r, rank, FIND_TICKET, bc, f) ? -1 : 0;
	free(rank);
	free(bc);
	return rc;
}

static void repeat_found_free(struct repeat_found *f)
{
	free(f->hit);
	memset(f, 0, sizeof(*f));
}

/* The found repeats as finding rows, in their order. */
static int store_found(struct finding_rows *w, const struct find_records *rec,
		       const struct repeat_found *f, pm_error *err)
{
	const struct rule *r = f->rule;
	char buf[256];
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct find_kind *k = &rec->kind[f->hit[i].kind];
		const struct find_row *row = &k->row[f->hit[i].row];
		int count = f->hit[i].count;
		const char *detail;

		detail = repeat_detail(buf, sizeof(buf), rec->names.strs[row->room],
				       rec->names.strs[row->category], count, k->name, r->window_days);
		if (!detail)
			detail = finding_detail(w, "%s %s: %d %ss within %d days", rec->names.strs[row->room],
						rec->names.strs[row->category], count, k->name,
						r->window_days);
		if (!detail)
			return pm_fail(err, "out of memory");
		if (finding_row(w, r->id, k->name, row->id, rec->names.strs[row->site], row->start, NULL,
				detail, err))
			return -1;
	}
	return 0;
}

/* The R-REPEAT rules, those the engine calls check_repeat() for. */
static int is_repeat_rule(const struct rule *r)
{
	return r->enabled && rule_kind_info(r->kind)->part == RULE_PART_FINDINGS;
}

void findings_repeats_ahead(const struct run_scope *s, struct find_records *rec)
{
	const struct ruleset *rs = s->rs;
	size_t i;
	int n = 0;

	for (i = 0; i < rs->count; i++)
		n += is_repeat_rule(&rs->rules[i]);
	if (!n || !(rec->repeats = calloc((size_t)n, sizeof(*rec->repeats))))
		return;
	for (i = 0; i < rs->count; i++) {
		if (!is_repeat_rule(&rs->rules[i]))
			continue;
		/* left for check_repeat() to find, as without this, if it cannot be found here */
		if (repeat_find(s, rec, &rs->rules[i], &rec->repeats[rec->nrepeats]))
			repeat_found_free(&rec->repeats[rec->nrepeats]);
		else
			rec->nrepeats++;
	}
}

/* Rule r's repeats found ahead with the records, or NULL. */
static const struct repeat_found *found_ahead(const struct find_records *rec, const struct rule *r)
{
	int i;

	for (i = 0; i < rec->nrepeats; i++)
		if (rec->repeats[i].rule == r)
			return &rec->repeats[i];
	return NULL;
}

int check_repeat(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	struct find_records *rec;
	const struct repeat_found *f;
	struct repeat_found mine;
	struct finding_rows w;
	int rc;

	if (find_records_get(c, &rec, err))
		return -1;
	memset(&mine, 0, sizeof(mine));
	if (!(f = found_ahead(rec, r))) {
		if (repeat_find(c->scope, rec, r, &mine)) {
			repeat_found_free(&mine);
			return pm_fail(err, "out of memory");
		}
		f = &mine;
	}
	rc = finding_rows_open(c, &w, err);
	if (rc == 0) {
		rc = store_found(&w, rec, f, err) || finding_rows_finish(&w, err);
		finding_rows_close(&w);
	}
	if (rc == 0)
		rc = ctx_figure_int(c, FIG_FINDINGS_REPEAT_GROUPS, f->groups, err) ||
		     ctx_figure_int(c, FIG_FINDINGS_REPEAT_RECORDS, f->records, err) ? -1 : 0;
	repeat_found_free(&mine);
	return rc;
}
