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

/*
 * The file, read with pread() a run of pages at a time into buf (room for
 * VERIFY_RUN pages), which holds pages first .. first + n - 1.
 */
enum { VERIFY_RUN = 64 };

struct page_file {
	int fd;
	int page_size;
	int usable;             /* page_size less the reserved bytes at each page's end */
	unsigned char *buf;
	uint32_t first, n;
};

enum { VERIFY_CORRUPT = 1, VERIFY_TWICE, VERIFY_NOMEM, VERIFY_READ };

/*
 * The b-trees rooted at the n roots and their overflow pages, each marked
 * seen: 0, or VERIFY_CORRUPT (a page makes no sense), VERIFY_TWICE (a page
 * reached twice or out of range), VERIFY_NOMEM, VERIFY_READ (pread()
 * failed or came short: errno); *bad_page names the page.
 */
int verify_btrees(struct page_file *f, struct page_map *map, const uint32_t *roots, int n,
		  uint32_t *bad_page);

#endif
