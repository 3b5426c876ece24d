/*
 * The b-tree part of db_verify()'s walk (db/verify.c): every page of every
 * b-tree and overflow chain, read from the file with pread().
 *
 * It makes the checks SQLite's dbstat table made for the walk before
 * (sqlite3/src/dbstat.c, statDecodePage()), and a few more that a sound
 * file always passes: the page type is one of the four b-tree types; the
 * cell pointer array fits in the page; every cell pointer lies past the
 * header and inside the page; the freeblock chain stays inside the page and
 * goes forward; a cell's payload size and its local part fit the page, the
 * overflow chain's length follows from the payload size; a child or
 * overflow page number lies inside the file; a child page is of its
 * parent's kind (table or index).
 *
 * The walk goes a level at a time -- the roots, then every page a page of
 * the level points to (children, the next page of an overflow chain) --
 * and visits each level's pages in the file's order, reading runs of
 * nearby pages with one pread() into a small buffer. Almost all pages are
 * the leaves of the last level, so the file is read about once, in order.
 * A depth-first walk of the mapped file, as before, touched each page
 * first through the mapping: on this virtual machine ≈ 1.5 µs a page
 * (its page-table entry, a TLB miss through two levels of page tables), ≈
 * 0.55 CPU s for the 282,000 pages of the benchmark database, where a
 * kernel copy of the same 1.1 GB costs ≈ 0.08 s (docs/performance.md,
 * "check --month: the verification read in file order"). Which pages are
 * checked, and how, is the same; only the order differs, so a damaged
 * file with several faults may be named by another of its pages.
 *
 * The caller holds a read transaction (SQLite's shared lock: no writer can
 * change the file meanwhile) and has checked that the file holds all of
 * its pages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
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

/* What a page is, as the page pointing to it says. */
enum { KIND_ROOT = -1, KIND_INDEX = 0, KIND_TABLE = 1, KIND_OVERFLOW = 2 };

/* A page to visit: its kind, and for an overflow page the chain's pages after it. */
struct visit {
	uint32_t page;
	int32_t kind;
	uint32_t more;
};

/* The pages of one level. */
struct level {
	struct visit *item;
	size_t n, cap;
};

static int push(struct level *l, uint32_t page, int kind, uint32_t more)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		void *bigger = realloc(l->item, cap * sizeof(*l->item));

		if (!bigger)
			return -1;
		l->item = bigger;
		l->cap = cap;
	}
	l->item[l->n].page = page;
	l->item[l->n].kind = kind;
	l->item[l->n].more = more;
	l->n++;
	return 0;
}

static int by_page(const void *a, const void *b)
{
	uint32_t x = ((const struct visit *)a)->page, y = ((const struct visit *)b)->page;

	return x < y ? -1 : x > y;
}

/* pages first .. last into the buffer: 0, or -1 (errno; 0 if the file came short) */
static int read_run(struct page_file *f, uint32_t first, uint32_t last)
{
	size_t want = (size_t)(last - first + 1) * (size_t)f->page_size, got = 0;
	off_t at = (off_t)(first - 1) * f->page_size;

	f->n = 0;
	while (got < want) {
		ssize_t r = pread(f->fd, f->buf + got, want - got, at + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = 0;
			return -1;
		}
		got += (size_t)r;
	}
	f->first = first;
	f->n = last - first + 1;
	return 0;
}

/*
 * The page of v[i], a page inside the file, from the buffer; on a miss the
 * buffer is filled from it up to the last page of the level (sorted) that
 * lies within VERIFY_RUN pages and the file, with no gap of more than 8
 * pages that nothing needs. NULL if the read failed.
 */
static const unsigned char *page_at(struct page_file *f, const struct visit *v, size_t n,
				    size_t i, sqlite3_int64 count)
{
	uint32_t page = v[i].page, last = page;
	size_t j;

	if (page < f->first || page - f->first >= f->n) {
		for (j = i + 1; j < n && v[j].page <= count && v[j].page - page < VERIFY_RUN &&
		     v[j].page - last <= 8; j++)
			last = v[j].page;
		if (read_run(f, page, last))
			return NULL;
	}
	return f->buf + (size_t)(page - f->first) * (size_t)f->page_size;
}

/* One cell: its child, or the first page of its overflow chain, to the next level. */
static int cell(const struct page_file *f, struct level *next, const unsigned char *data,
		unsigned off, int flags, int table)
{
	const unsigned char *end = data + f->page_size, *p = data + off;
	uint64_t payload, rowid, local, pages;
	int n;

	if (!(flags & 0x08)) {
		if (p + 4 > end)
			return VERIFY_CORRUPT;
		if (push(next, get4(p), table, 0))
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
	pages = (payload - local + (uint64_t)f->usable - 5) / ((uint64_t)f->usable - 4);
	return push(next, get4(p + local), KIND_OVERFLOW, (uint32_t)(pages - 1)) ? VERIFY_NOMEM : 0;
}

/* One b-tree page of the kind its parent says (table, index, or a root). */
static int btree_page(const struct page_file *f, struct level *next, const unsigned char *data,
		      uint32_t page, int table)
{
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
	if (!leaf && push(next, get4(data + hdr + 8), table, 0))
		return VERIFY_NOMEM;
	for (i = 0; i < cells; i++) {
		unsigned off = get2(data + first_cell + 2 * i);

		if (off < first_cell + 2 * cells || off >= (unsigned)f->page_size)
			return VERIFY_CORRUPT;
		if ((rc = cell(f, next, data, off, flags, table)))
			return rc;
	}
	return 0;
}

/* One level's pages, in the file's order; what they point to goes to next. */
static int visit_level(struct page_file *f, struct page_map *map, struct level *cur,
		       struct level *next, uint32_t *bad_page)
{
	size_t i;

	qsort(cur->item, cur->n, sizeof(*cur->item), by_page);
	for (i = 0; i < cur->n; i++) {
		const struct visit *v = &cur->item[i];
		const unsigned char *data;
		int rc;

		*bad_page = v->page;
		if (page_mark(map, v->page)) {
			*bad_page = (uint32_t)map->page;
			return VERIFY_TWICE;
		}
		if (!(data = page_at(f, cur->item, cur->n, i, map->count)))
			return VERIFY_READ;
		if (v->kind == KIND_OVERFLOW)
			rc = v->more && push(next, get4(data), KIND_OVERFLOW, v->more - 1) ?
				VERIFY_NOMEM : 0;
		else
			rc = btree_page(f, next, data, v->page, v->kind);
		if (rc)
			return rc;
	}
	return 0;
}

int verify_btrees(struct page_file *f, struct page_map *map, const uint32_t *roots, int n,
		  uint32_t *bad_page)
{
	struct level cur = { NULL, 0, 0 }, next = { NULL, 0, 0 }, swap;
	int i, rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = push(&cur, roots[i], KIND_ROOT, 0) ? VERIFY_NOMEM : 0;
	while (rc == 0 && cur.n) {
		next.n = 0;
		rc = visit_level(f, map, &cur, &next, bad_page);
		swap = cur;
		cur = next;
		next = swap;
	}
	free(cur.item);
	free(next.item);
	return rc;
}
