/*
 * The b-tree part of db_verify()'s walk (db/verify.c): every page of every
 * b-tree and overflow chain, read in place from the mapped file.
 *
 * It makes the checks SQLite's dbstat table made for the walk before
 * (sqlite3/src/dbstat.c, statDecodePage()), and a few more that a sound
 * file always passes: the page type is one of the four b-tree types; the
 * cell pointer array fits in the page; every cell pointer lies past the
 * header and inside the page; the freeblock chain stays inside the page and
 * goes forward; a cell's payload size and its local part fit the page, the
 * overflow chain's length follows from the payload size; a child or
 * overflow page number lies inside the file; a child page is of its
 * parent's kind (table or index). What it changes is the cost: dbstat
 * copied every page into a buffer of its own through the pager and kept
 * each cell's sizes for its columns, about 0.5 CPU seconds on the 1.2 GB
 * benchmark database, against 0.25-0.3 s here, most of it the first touch
 * of each cell (docs/performance.md, "The run's second core").
 *
 * The caller holds a read transaction (SQLite's shared lock: no writer can
 * change the file meanwhile) and has checked that the file holds all of
 * its pages, so that every page read here is mapped.
 */
#include <stdint.h>
#include <stdlib.h>
#include "db/verify_pages.h"

/* (verify_pages.h) */
int page_mark(struct page_map *map, sqlite3_int64 p)
{
	unsigned char bit;

	if (p < 1 || p > map->count) {
		map->page = p;
		return -1;
	}
	bit = (unsigned char)(1u << ((p - 1) & 7));
	if (map->seen[(p - 1) >> 3] & bit) {
		map->page = p;
		return -1;
	}
	map->seen[(p - 1) >> 3] |= bit;
	return 0;
}

/* big-endian integers of the file format */
static unsigned get2(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get4(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A varint at p, before end: its length (1-9), or 0 if it runs past end. */
static int varint(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		if (p + i >= end)
			return 0;
		*v = (*v << 7) | (p[i] & 0x7f);
		if (!(p[i] & 0x80))
			return i + 1;
	}
	if (p + 8 >= end)
		return 0;
	*v = (*v << 8) | p[8];
	return 9;
}

/* The bytes of a payload of `total` bytes kept on the page (the file format, 1.6). */
static uint64_t local_payload(int usable, int flags, uint64_t total)
{
	uint64_t max_local = flags == 0x0D ? (uint64_t)usable - 35 : ((uint64_t)usable - 12) * 64 / 255 - 23;
	uint64_t min_local = ((uint64_t)usable - 12) * 32 / 255 - 23;
	uint64_t k;

	if (total <= max_local)
		return total;
	k = min_local + (total - min_local) % ((uint64_t)usable - 4);
	return k <= max_local ? k : min_local;
}

/* The pages still to visit, each with the kind its parent says it is. */
struct todo {
	struct { uint32_t page; int table; } *item;
	size_t n, cap;
};

static int push(struct todo *t, uint32_t page, int table)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		void *more = realloc(t->item, cap * sizeof(*t->item));

		if (!more)
			return -1;
		t->item = more;
		t->cap = cap;
	}
	t->item[t->n].page = page;
	t->item[t->n].table = table;
	t->n++;
	return 0;
}

/* A cell's overflow chain: n pages from first, each marked seen. */
static int overflow_chain(const struct mapped_file *f, struct page_map *map, uint32_t first,
			  uint64_t n)
{
	uint32_t page = first;

	while (n--) {
		if (page_mark(map, page))
			return VERIFY_TWICE;
		if (n)
			page = get4(f->base + (size_t)(page - 1) * f->page_size);
	}
	return 0;
}

/* The freeblock chain: inside the page, each block at least 4 bytes on. */
static int freeblocks(const unsigned char *data, unsigned first, int page_size)
{
	unsigned off = first;

	while (off) {
		unsigned next;

		if (off > (unsigned)page_size - 4)
			return -1;
		next = get2(data + off);
		if (next && next < off + 4)
			return -1;
		off = next;
	}
	return 0;
}

/* One cell: its child pushed, its overflow chain walked. */
static int cell(const struct mapped_file *f, struct page_map *map, struct todo *todo,
		const unsigned char *data, unsigned off, int flags, int table)
{
	const unsigned char *end = data + f->page_size, *p = data + off;
	uint64_t payload, rowid, local;
	int n;

	if (!(flags & 0x08)) {
		if (p + 4 > end)
			return VERIFY_CORRUPT;
		if (push(todo, get4(p), table))
			return VERIFY_NOMEM;
		p += 4;
	}
	if (flags == 0x05)
		return 0;               /* a table's interior cell: the child and a key */
	if (!(n = varint(p, end, &payload)) || payload > 0x7fffffff)
		return VERIFY_CORRUPT;
	p += n;
	if (flags == 0x0D && !(n = varint(p, end, &rowid)))
		return VERIFY_CORRUPT;
	p += flags == 0x0D ? n : 0;
	local = local_payload(f->usable, flags, payload);
	if (payload == local)
		return p + local <= end ? 0 : VERIFY_CORRUPT;
	/* the local part and the first overflow page's number inside the usable area */
	if (p + local + 4 > data + f->usable)
		return VERIFY_CORRUPT;
	return overflow_chain(f, map, get4(p + local),
			      (payload - local + (uint64_t)f->usable - 5) / ((uint64_t)f->usable - 4));
}

/* One b-tree page of the kind its parent says (table: 1, index: 0, root: -1). */
static int btree_page(const struct mapped_file *f, struct page_map *map, struct todo *todo,
		      uint32_t page, int table)
{
	const unsigned char *data = f->base + (size_t)(page - 1) * f->page_size;
	unsigned hdr = page == 1 ? 100 : 0, cells, first_cell, i;
	int flags = data[hdr], leaf = flags & 0x08, rc;

	if (flags != 0x0D && flags != 0x05 && flags != 0x0A && flags != 0x02)
		return VERIFY_CORRUPT;
	if (table >= 0 && table != (flags == 0x0D || flags == 0x05))
		return VERIFY_CORRUPT;
	table = flags == 0x0D || flags == 0x05;
	cells = get2(data + hdr + 3);
	first_cell = hdr + (leaf ? 8 : 12);
	if (first_cell + 2 * cells > (unsigned)f->page_size ||
	    freeblocks(data, get2(data + hdr + 1), f->page_size))
		return VERIFY_CORRUPT;
	if (!leaf && push(todo, get4(data + hdr + 8), table))
		return VERIFY_NOMEM;
	for (i = 0; i < cells; i++) {
		unsigned off = get2(data + first_cell + 2 * i);

		if (off < first_cell + 2 * cells || off >= (unsigned)f->page_size)
			return VERIFY_CORRUPT;
		if ((rc = cell(f, map, todo, data, off, flags, table)))
			return rc;
	}
	return 0;
}

int verify_btree(const struct mapped_file *f, struct page_map *map, uint32_t root,
		 uint32_t *bad_page)
{
	struct todo todo = { NULL, 0, 0 };
	int rc = push(&todo, root, -1) ? VERIFY_NOMEM : 0;

	while (rc == 0 && todo.n) {
		uint32_t page = todo.item[todo.n - 1].page;
		int table = todo.item[todo.n - 1].table;

		todo.n--;
		*bad_page = page;
		if (page_mark(map, page))
			rc = VERIFY_TWICE;
		else
			rc = btree_page(f, map, &todo, page, table);
		if (rc == VERIFY_TWICE)
			*bad_page = (uint32_t)map->page;
	}
	free(todo.item);
	return rc;
}
