/*
 * The callback map: one read of the window's callbacks (a range scan of
 * callbacks_at, or the whole table for a long window, see eval_scan.h),
 * then a counting sort by record so that each record's callbacks are
 * together, then each record's few callbacks sorted by time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_callbacks.h"
#include "rules/records/cb_grouped.h"
#include "rules/records/eval_scan.h"
#include "util/bigmem.h"

struct cb_item {
	int kind, key, role;
	const char *id, *at;    /* in cb_map.texts */
};

struct cb_items {
	struct cb_item *v;
	size_t n, cap;
};

static int push(struct cb_items *items, const struct cb_item *item)
{
	if (items->n == items->cap) {
		size_t cap = items->cap ? items->cap * 2 : 4096;
		struct cb_item *v = realloc(items->v, cap * sizeof(*v));

		if (!v)
			return -1;
		items->v = v;
		items->cap = cap;
	}
	items->v[items->n++] = *item;
	return 0;
}

static int read_row(struct cb_map *m, sqlite3_stmt *st, int want_roles, struct cb_items *items)
{
	const char *kind = (const char *)sqlite3_column_text(st, 0);
	const char *id = (const char *)sqlite3_column_text(st, 1);
	const char *at = (const char *)sqlite3_column_text(st, 2);
	const char *role = want_roles ? (const char *)sqlite3_column_text(st, 3) : NULL;
	int role_given = !want_roles || sqlite3_column_int(st, 4);
	struct cb_item item;

	if (!kind || !id || !at)
		return 0;
	if (!strcmp(kind, "ticket"))
		item.kind = CB_TICKET;
	else if (!strcmp(kind, "complaint"))
		item.kind = CB_COMPLAINT;
	else
		return 0;
	item.key = -1;          /* numbered once all are read: number_items() */
	item.id = strtab_store(&m->texts, id);
	item.at = strtab_store(&m->texts, at);
	item.role = !role_given ? CB_ROLE_UNKNOWN : role ? strtab_intern(&m->roles, role) : -1;
	if (!item.id || !item.at || (role && item.role < 0))
		return -1;
	return push(items, &item);
}

/*
 * Each item's record numbered, once the items are counted: the tables of
 * records are made large enough for them all before the first is added.
 */
static int number_items(struct cb_map *m, struct cb_items *items)
{
	size_t count[2] = { 0, 0 }, i;

	for (i = 0; i < items->n; i++)
		count[items->v[i].kind]++;
	if (cb_keys_reserve(&m->ids[CB_TICKET], count[CB_TICKET]) ||
	    cb_keys_reserve(&m->ids[CB_COMPLAINT], count[CB_COMPLAINT]))
		return -1;
	for (i = 0; i < items->n; i++) {
		struct cb_item *it = &items->v[i];

		it->key = cb_keys_add(&m->ids[it->kind], it->id, strlen(it->id));
		if (it->key < 0)
			return -1;
	}
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cb_hit *)a)->at, ((const struct cb_hit *)b)->at);
}

/* Places the items of one kind by record into hits (start: by key number), each record's sorted. */
static void place(struct cb_hit *hits, const unsigned *start, unsigned *fill, unsigned nkeys,
		  const struct cb_items *items, int kind)
{
	unsigned k;
	size_t i;

	for (i = 0; i < items->n; i++) {
		const struct cb_item *it = &items->v[i];
		struct cb_hit *h;

		if (it->kind != kind)
			continue;
		h = &hits[start[it->key] + fill[it->key]++];
		h->at = it->at;
		h->role = it->role;
	}
	for (k = 0; k < nkeys; k++) {
		unsigned a = start[k], n = start[k + 1] - a;

		if (n > 1)
			qsort(hits + a, n, sizeof(struct cb_hit), hit_cmp);
	}
	/* sorted: the times into the hits, which move no more */
	for (k = 0; k < start[nkeys]; k++) {
		size_t len = strlen(hits[k].at);

		if (len < CB_AT_INLINE) {
			memcpy(hits[k].text, hits[k].at, len + 1);
			hits[k].at = hits[k].text;
		}
	}
}

/*
 * Groups one kind's items by record (a counting sort by key number, the
 * counts kept in the records' slots), then sorts each record's; each slot
 * then says where its record's hits are.
 */
static int group_kind(struct cb_map *m, const struct cb_items *items, int kind)
{
	struct cb_keys *keys = &m->ids[kind];
	unsigned nkeys = keys->count, k;
	unsigned *start = calloc((size_t)nkeys + 1, sizeof(unsigned));
	unsigned *fill = calloc((size_t)nkeys + 1, sizeof(unsigned));
	int rc = -1;

	if (!start || !fill)
		goto done;
	for (k = 0; k < keys->nslots; k++)
		if (keys->slots[k].n)
			start[keys->slots[k].first + 1] = keys->slots[k].n;
	for (k = 0; k < nkeys; k++)
		start[k + 1] += start[k];
	m->hits[kind] = malloc(((size_t)start[nkeys] + 1) * sizeof(struct cb_hit));
	if (!m->hits[kind])
		goto done;
	place(m->hits[kind], start, fill, nkeys, items, kind);
	for (k = 0; k < keys->nslots; k++)
		if (keys->slots[k].n)
			keys->slots[k].first = start[keys->slots[k].first];
	rc = 0;
done:
	free(start);
	free(fill);
	return rc;
}

static int group(struct cb_map *m, const struct cb_items *items)
{
	return group_kind(m, items, CB_TICKET) || group_kind(m, items, CB_COMPLAINT) ? -1 : 0;
}

int cb_map_load(sqlite3 *db, const char *from, const char *as_of, int want_roles,
		struct cb_map *m, pm_error *err)
{
	static const char *const field[] = { "callback_at" };
	struct cb_items items = { 0 };
	sqlite3_stmt *st;
	int full, rc;
	char sql[512];

	memset(m, 0, sizeof(*m));
	strtab_init(&m->texts);
	strtab_init(&m->roles);
	if (eval_prefer_full_scan(db, "callbacks", field, 1, from, as_of, 1, as_of, &full, err))
		return -1;
	/*
	 * Without roles a whole-table read takes callbacks_ref, which holds
	 * every column needed: a third of the table's pages, and each record's
	 * callbacks arrive together and in order. With roles, whether the
	 * callback was ever given a role: its fields' bit of the role column
	 * (schema v6; NULL: every field); the whole table's read then leaves
	 * the rows outside the window to SQLite (`+`: not through the index),
	 * so that a month of a shuffled table (84k of 1M rows) does not hand
	 * every row to C (docs/performance.md, "check --month, session 6").
	 */
	snprintf(sql, sizeof(sql), "SELECT ref_kind, ref_id, callback_at%s FROM callbacks%s",
		 want_roles ? ", role, fields IS NULL OR fields & (SELECT 1 << cid FROM"
		 " pragma_table_info('callbacks') WHERE name = 'role') <> 0" : "",
		 !full ? " WHERE callback_at >= ?1 AND callback_at <= ?2" :
		 want_roles ? " WHERE +callback_at >= ?1 AND +callback_at <= ?2" :
		 " INDEXED BY callbacks_ref");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	if (!full || want_roles) {
		sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, as_of, -1, SQLITE_STATIC);
	} else {
		/* callbacks_ref's order: each record's together, in time order */
		rc = cb_map_read_grouped(st, from, as_of, m);
		if (rc <= 0) {
			sqlite3_finalize(st);
			if (rc == -1)
				return pm_fail(err, "out of memory reading the callbacks");
			return rc ? pm_fail(err, "database: %s", sqlite3_errmsg(db)) : 0;
		}
		/* not so after all: read again, the general way */
		cb_map_free(m);
		strtab_init(&m->texts);
		strtab_init(&m->roles);
		sqlite3_reset(st);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 2);

		/* the full scan: the same window in C (TEXT order) */
		if (full && (sqlite3_column_type(st, 2) != SQLITE_TEXT || strcmp(at, from) < 0 ||
			     strcmp(at, as_of) > 0))
			continue;
		if (read_row(m, st, want_roles, &items)) {
			sqlite3_finalize(st);
			free(items.v);
			return pm_fail(err, "out of memory reading the callbacks");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(items.v);
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	}
	m->count = (long long)items.n;
	rc = number_items(m, &items) || group(m, &items) ? -1 : 0;
	free(items.v);
	return rc ? pm_fail(err, "out of memory grouping the callbacks") : 0;
}

void cb_map_free(struct cb_map *m)
{
	int kind;

	for (kind = 0; kind < 2; kind++) {
		cb_keys_free(&m->ids[kind]);
		if (m->hits_mapped[kind])
			bigmem_unmap(m->hits[kind], m->hits_mapped[kind]);
		else
			free(m->hits[kind]);
	}
	strtab_free(&m->texts);
	strtab_free(&m->roles);
	memset(m, 0, sizeof(*m));
}

void cb_map_prefetch(const struct cb_map *m, enum cb_kind kind, const char *id)
{
	if (m->hits[kind])
		cb_keys_prefetch(&m->ids[kind], id, strlen(id));
}

const struct cb_hit *cb_map_find(const struct cb_map *m, enum cb_kind kind, const char *id,
				 int *n)
{
	const struct cb_key *k = m->hits[kind] ? cb_keys_find(&m->ids[kind], id, strlen(id)) : NULL;

	if (!k) {
		*n = 0;
		return NULL;
	}
	*n = (int)k->n;
	return m->hits[kind] + k->first;
}

int cb_first_from(const struct cb_hit *hits, int n, const char *t)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(hits[mid].at, t) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
