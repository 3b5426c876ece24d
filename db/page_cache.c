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
 * header: a little over a page size), which come from a region of address
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

/*
 * A class of slots for each page size SQLite allows from 4 KB (pmaudit
 * makes 16 KB pages since the sixth session; older files have 4 KB): a
 * page and SQLite's header for it. Each class has CLASS_BYTES of address
 * space, not memory: a year's run uses ~135 MB of its class.
 */
#define CLASSES 5
#define SMALLEST_PAGE 4096
#define HEADER_BYTES 512
#define CLASS_BYTES ((size_t)1 << 30)

struct free_slot {
	struct free_slot *next;
};

struct slot_class {
	size_t used;
	struct free_slot *free;
};

static sqlite3_mem_methods sqlite_mem;  /* SQLite's own methods */
static char *region;                    /* CLASSES * CLASS_BYTES */
static struct slot_class classes[CLASSES];
/* SQLite allocates from every thread of the process */
static pthread_mutex_t region_lock = PTHREAD_MUTEX_INITIALIZER;

static int slot_bytes(int k)
{
	return (SMALLEST_PAGE << k) + HEADER_BYTES;
}

/* The class of an allocation of n bytes, or -1: none of a page's size. */
static int class_of_size(int n)
{
	int k;

	for (k = 0; k < CLASSES; k++)
		if (n > (SMALLEST_PAGE << k) && n <= slot_bytes(k))
			return k;
	return -1;
}

/* The class p was taken from, or -1: not from the region. */
static int class_of(const void *p)
{
	const char *c = p;

	if (!region || c < region || c >= region + CLASSES * CLASS_BYTES)
		return -1;
	return (int)((size_t)(c - region) / CLASS_BYTES);
}

static void *slot_take(int k)
{
	struct slot_class *sc = &classes[k];
	void *p = NULL;

	pthread_mutex_lock(&region_lock);
	if (sc->free) {
		p = sc->free;
		sc->free = sc->free->next;
	} else if (sc->used + (size_t)slot_bytes(k) <= CLASS_BYTES) {
		p = region + (size_t)k * CLASS_BYTES + sc->used;
		sc->used += (size_t)slot_bytes(k);
	}
	pthread_mutex_unlock(&region_lock);
	return p;
}

static void slot_give(int k, void *p)
{
	struct free_slot *s = p;

	pthread_mutex_lock(&region_lock);
	s->next = classes[k].free;
	classes[k].free = s;
	pthread_mutex_unlock(&region_lock);
}

static void *mem_malloc(int n)
{
	int k = class_of_size(n);
	void *p = k >= 0 ? slot_take(k) : NULL;

	return p ? p : sqlite_mem.xMalloc(n);
}

static void mem_free(void *p)
{
	int k = class_of(p);

	if (k >= 0)
		slot_give(k, p);
	else
		sqlite_mem.xFree(p);
}

static void *mem_realloc(void *p, int n)
{
	int k = class_of(p);
	void *q;

	if (k < 0)
		return sqlite_mem.xRealloc(p, n);
	if (n <= slot_bytes(k))
		return p;
	if (!(q = sqlite_mem.xMalloc(n)))
		return NULL;
	memcpy(q, p, (size_t)slot_bytes(k));
	slot_give(k, p);
	return q;
}

static int mem_size(void *p)
{
	int k = class_of(p);

	return k >= 0 ? slot_bytes(k) : sqlite_mem.xSize(p);
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
	size_t used = 0;
	int k;

	pthread_mutex_lock(&region_lock);
	for (k = 0; k < CLASSES; k++)
		used += classes[k].used;
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
	if (!(region = bigmem_map(CLASSES * CLASS_BYTES)))
		return 0;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
		bigmem_unmap(region, CLASSES * CLASS_BYTES);
		region = NULL;
		return 0;
	}
	return 1;
}
