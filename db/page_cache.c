/*
 * SQLite's page cache pages from one region of huge pages (db.h,
 * db_page_cache_setup()).
 *
 * A writing run keeps its new pages in memory until COMMIT (cache_spill
 * off, rules/engine/check.c): a year's check about 29,300 pages, each
 * malloc()'d as its tables grow, each first touch of a fresh 4 KB page of
 * the heap a page fault -- which on this kind of virtual machine costs
 * microseconds, and the kernel copies from them again at COMMIT. perf put
 * the page-cache pages' faults at a third of the record writer's flush.
 *
 * SQLite takes its memory through sqlite3_mem_methods: these pass every
 * allocation to SQLite's own methods but the page cache's (a page and its
 * header: between 4 KB and SLOT_BYTES), which come from a region of address
 * space mapped once in 2 MB pages (util/bigmem.h) and handed out in slots,
 * first from the slots freed, then the next never used. A page of the
 * region is only given when first touched: a month's run touches what it
 * uses, a fixture's run almost nothing. (SQLITE_CONFIG_PAGECACHE was
 * measured first: SQLite writes the whole of such a buffer when it starts,
 * which cost as much as the faults it saved.)
 */
#include <pthread.h>
#include <string.h>
#include "db/db.h"
#include "util/bigmem.h"

/* Address space, not memory: a year's run uses ~135 MB of it. */
#define REGION_BYTES ((size_t)4 << 30)
/* A page of 4 KB (pmaudit's databases') and SQLite's header for it. */
#define PAGE_BYTES 4096
#define SLOT_BYTES (PAGE_BYTES + 512)

struct free_slot {
	struct free_slot *next;
};

static sqlite3_mem_methods sqlite_mem;  /* SQLite's own methods */
static char *region;
static size_t region_used;
static struct free_slot *free_slots;
/* SQLite allocates from every thread of the process */
static pthread_mutex_t region_lock = PTHREAD_MUTEX_INITIALIZER;

static int in_region(const void *p)
{
	return region && (const char *)p >= region && (const char *)p < region + REGION_BYTES;
}

static void *slot_take(void)
{
	void *p = NULL;

	pthread_mutex_lock(&region_lock);
	if (free_slots) {
		p = free_slots;
		free_slots = free_slots->next;
	} else if (region_used + SLOT_BYTES <= REGION_BYTES) {
		p = region + region_used;
		region_used += SLOT_BYTES;
	}
	pthread_mutex_unlock(&region_lock);
	return p;
}

static void slot_give(void *p)
{
	struct free_slot *s = p;

	pthread_mutex_lock(&region_lock);
	s->next = free_slots;
	free_slots = s;
	pthread_mutex_unlock(&region_lock);
}

static void *mem_malloc(int n)
{
	void *p = n > PAGE_BYTES && n <= SLOT_BYTES ? slot_take() : NULL;

	return p ? p : sqlite_mem.xMalloc(n);
}

static void mem_free(void *p)
{
	if (in_region(p))
		slot_give(p);
	else
		sqlite_mem.xFree(p);
}

static void *mem_realloc(void *p, int n)
{
	void *q;

	if (!in_region(p))
		return sqlite_mem.xRealloc(p, n);
	if (n <= SLOT_BYTES)
		return p;
	if (!(q = sqlite_mem.xMalloc(n)))
		return NULL;
	memcpy(q, p, SLOT_BYTES);
	slot_give(p);
	return q;
}

static int mem_size(void *p)
{
	return in_region(p) ? SLOT_BYTES : sqlite_mem.xSize(p);
}

static int mem_roundup(int n)
{
	return sqlite_mem.xRoundup(n);
}

static int mem_init(void *unused)
{
	(void)unused;
	return sqlite_mem.xInit(sqlite_mem.pAppData);
}

static void mem_shutdown(void *unused)
{
	(void)unused;
	sqlite_mem.xShutdown(sqlite_mem.pAppData);
}

size_t db_page_cache_used(void)
{
	size_t used;

	pthread_mutex_lock(&region_lock);
	used = region_used;
	pthread_mutex_unlock(&region_lock);
	return used;
}

int db_page_cache_setup(void)
{
	static const sqlite3_mem_methods methods = {
		mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init, mem_shutdown, NULL
	};

	if (region)
		return 1;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
		return 0;
	if (!(region = bigmem_map(REGION_BYTES)))
		return 0;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
		bigmem_unmap(region, REGION_BYTES);
		region = NULL;
		return 0;
	}
	return 1;
}
