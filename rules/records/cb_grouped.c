/*
 * The callback map from rows grouped by record (cb_grouped.h): the
 * whole-table read of callbacks_ref, where each record's callbacks arrive
 * together and in time order. The general read (eval_callbacks.c) keeps
 * every row as an item, numbers the records, sorts the items by record and
 * each record's by time: for the trend's ten months (840k callbacks) that
 * was four fifths of the map, most of it the items' growing array and its
 * page faults (docs/performance.md, "report monthly, session 8").
 */
#include <stdlib.h>
#include <string.h>
#include "rules/records/cb_grouped.h"
#include "util/bigmem.h"
#include "util/buf.h"

/*
 * The largest table read this way: 2^26 rows, a region of 2 GB of address
 * space a kind (pages are given only as they are filled).
 */
#define CB_GROUPED_MOST ((sqlite3_int64)1 << 26)

/* One kind's records and hits, as they are read. */
struct kind_rows {
	struct buf ids;         /* each record's id and its NUL, in order */
	size_t last_id;         /* the last record's id in ids */
	uint32_t *starts;       /* each record's first hit */
	size_t nkeys, capkeys;
	struct cb_hit *hits;
	size_t nhits, caphits;  /* caphits: the region's room (bigmem_map()) */
};

static int grow(void **v, size_t *cap, size_t size)
{
	size_t n = *cap ? *cap * 2 : 16384;
	void *p = realloc(*v, n * size);

	if (!p)
		return -1;
	*v = p;
	*cap = n;
	return 0;
}

/* A new record: its id kept, its first hit the next one. */
static int new_record(struct kind_rows *k, const char *id)
{
	if (k->nkeys == k->capkeys && grow((void **)&k->starts, &k->capkeys, sizeof(uint32_t)))
		return -1;
	if (k->nhits > UINT32_MAX - 1)
		return -1;
	k->last_id = k->ids.len;
	if (buf_append_str(&k->ids, id, NULL))
		return -1;
	k->starts[k->nkeys++] = (uint32_t)k->nhits;
	return 0;
}

/*
 * One row of kind k: 0, 1 if its record was not the last one's and came
 * before (not grouped) or its time is before the last one's, -1 out of
 * memory.
 */
static int add_row(struct cb_map *m, struct kind_rows *k, const char *id, const char *at)
{
	struct cb_hit *h;
	size_t len = strlen(at);

	if (k->nkeys && !strcmp(id, k->ids.data + k->last_id)) {
		if (strcmp(k->hits[k->nhits - 1].at, at) > 0)
			return 1;
	} else if (new_record(k, id)) {
		return -1;
	}
	/* more than the table's largest rowid (negative ones): the general read */
	if (k->nhits == k->caphits)
		return 1;
	h = &k->hits[k->nhits++];
	h->role = -1;
	if (len < CB_AT_INLINE) {
		memcpy(h->text, at, len + 1);
		h->at = h->text;
	} else if (!(h->at = strtab_store(&m->texts, at))) {
		return -1;
	}
	return 0;
}

/*
 * The slots lie at random in a table of tens of MB: each asked of the
 * processor this many records before it is filled.
 */
#define CB_PLACE_AHEAD 8

/*
 * The kind's records into the map's table, each with where its hits lie;
 * 1 if a record came twice (its rows were not together).
 */
static int place_records(struct cb_map *m, struct kind_rows *k, struct cb_keys *keys)
{
	const char *id = k->ids.data, *ahead = id;
	size_t i;

	if (cb_keys_reserve(keys, k->nkeys))
		return -1;
	for (i = 0; i < k->nkeys && i < CB_PLACE_AHEAD; i++)
		ahead += strlen(ahead) + 1;
	for (i = 0; i < k->nkeys; i++) {
		size_t len = strlen(id);
		uint32_t end = i + 1 < k->nkeys ? k->starts[i + 1] : (uint32_t)k->nhits;
		/* a long id stays where the slot points: with the map's texts */
		const char *kept = len > CB_KEY_INLINE ? strtab_store(&m->texts, id) : id;
		int rc;

		if (!kept)
			return -1;
		if (i + CB_PLACE_AHEAD < k->nkeys) {
			size_t n = strlen(ahead);

			cb_keys_prefetch(keys, ahead, n);
			ahead += n + 1;
		}
		rc = cb_keys_put(keys, kept, len, k->starts[i], end - k->starts[i]);
		if (rc)
			return rc;
		id += len + 1;
	}
	return 0;
}

static void hand_hits(struct cb_map *m, struct kind_rows *k, int kind)
{
	m->hits[kind] = k->hits;
	m->hits_mapped[kind] = k->caphits * sizeof(*k->hits);
	k->hits = NULL;
	m->count += (long long)k->nhits;
}

static void free_rows(struct kind_rows *k)
{
	buf_free(&k->ids);
	free(k->starts);
	bigmem_unmap(k->hits, k->caphits * sizeof(*k->hits));
}

/*
 * Each kind's hits in a region with room for every row of the table
 * (its largest rowid), filled once and never moved: grown by realloc(),
 * its copies and fresh pages were a quarter of the map's read. 1 when the
 * table is too large for the regions (the general read), -2 a database
 * error.
 */
static int map_hits(sqlite3 *db, struct kind_rows rows[2])
{
	sqlite3_stmt *st;
	sqlite3_int64 most = 0;
	int kind, rc;

	if (sqlite3_prepare_v2(db, "SELECT max(rowid) FROM callbacks", -1, &st, NULL))
		return -2;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		most = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return -2;
	if (most > CB_GROUPED_MOST)
		return 1;
	for (kind = 0; kind < 2; kind++) {
		size_t n = most > 0 ? (size_t)most : 1;

		if (!(rows[kind].hits = bigmem_map(n * sizeof(struct cb_hit))))
			return 1;
		rows[kind].caphits = n;
	}
	return 0;
}

static int kind_of(const char *kind)
{
	if (!strcmp(kind, "ticket"))
		return CB_TICKET;
	if (!strcmp(kind, "complaint"))
		return CB_COMPLAINT;
	return -1;
}

static int read_rows(sqlite3_stmt *st, const char *from, const char *as_of, struct cb_map *m,
		     struct kind_rows rows[2])
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *id = (const char *)sqlite3_column_text(st, 1);
		const char *at = (const char *)sqlite3_column_text(st, 2);
		int k, added;

		/* the window in C (TEXT order), as the general read's whole-table scan */
		if (sqlite3_column_type(st, 2) != SQLITE_TEXT || !kind || !id || !at ||
		    strcmp(at, from) < 0 || strcmp(at, as_of) > 0 || (k = kind_of(kind)) < 0)
			continue;
		added = add_row(m, &rows[k], id, at);
		if (added)
			return added;
	}
	return rc == SQLITE_DONE ? 0 : -2;
}

int cb_map_read_grouped(sqlite3_stmt *st, const char *from, const char *as_of,
			struct cb_map *m)
{
	struct kind_rows rows[2];
	int rc, kind;

	memset(rows, 0, sizeof(rows));
	buf_init(&rows[0].ids);
	buf_init(&rows[1].ids);
	rc = map_hits(sqlite3_db_handle(st), rows);
	if (!rc)
		rc = read_rows(st, from, as_of, m, rows);
	for (kind = 0; kind < 2 && !rc; kind++) {
		rc = place_records(m, &rows[kind], &m->ids[kind]);
		if (!rc)
			hand_hits(m, &rows[kind], kind);
	}
	free_rows(&rows[0]);
	free_rows(&rows[1]);
	return rc;
}
