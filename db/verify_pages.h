#ifndef PM_DB_VERIFY_PAGES_H
#define PM_DB_VERIFY_PAGES_H

/* The page walk of db_verify() (db/verify.c, db/verify_pages.c); private to db/. */
#include <stdint.h>
#include <sqlite3.h>

/* the pages of one database file and which of them the walk has seen */
struct page_map {
	sqlite3_int64 count;	/* PRAGMA page_count */
	unsigned char *seen;	/* one bit per page, page 1 is bit 0 */
	sqlite3_int64 page;	/* the first page seen twice or out of range, else 0 */
};

/* Marks page p seen; 0, or -1 (and map->page set) if it is out of range or seen before. */
int page_mark(struct page_map *map, sqlite3_int64 p);

/* The file mapped read-only, every one of its pages inside the mapping. */
struct mapped_file {
	const unsigned char *base;
	int page_size;
	int usable;             /* page_size less the reserved bytes at each page's end */
};

enum { VERIFY_CORRUPT = 1, VERIFY_TWICE, VERIFY_NOMEM };

/*
 * The b-tree rooted at root and its overflow pages, each marked seen: 0,
 * or VERIFY_CORRUPT (a page makes no sense), VERIFY_TWICE (a page reached
 * twice or out of range), VERIFY_NOMEM; *bad_page names the page.
 */
int verify_btree(const struct mapped_file *f, struct page_map *map, uint32_t root,
		 uint32_t *bad_page);

#endif
