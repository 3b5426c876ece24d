/* libharu's memory: its 4 KB stream blocks cut from one region, recycled (pdf_mem.h). */
#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_utils.h>
#include <stdlib.h>
#include <string.h>
#include "reports/pdf_mem.h"
#include "util/bigmem.h"

/* what libharu's memory streams ask for at a time (hpdf_conf.h) */
#define BLOCK HPDF_STREAM_BUF_SIZ
/*
 * Address space for the blocks: 128 MB, faulted in as they are first used
 * (two 3,000-page checklists' worth if none were recycled); past it,
 * malloc().
 */
#define REGION ((size_t)128 << 20)

/* Before every allocation: how to free it. 16 bytes keep malloc's alignment. */
struct head {
	size_t size;                /* BLOCK: from the region */
	struct head *next;          /* on the free list */
};

#define SLOT (sizeof(struct head) + BLOCK)

static _Thread_local struct {
	char *region;               /* NULL: not mapped (or it could not be) */
	size_t used;
	struct head *free;          /* blocks given back */
	int docs;                   /* documents open on this thread */
} mem;

static void *from_malloc(HPDF_UINT size)
{
	struct head *h = malloc(sizeof(*h) + size);

	if (!h)
		return NULL;
	/* never taken for a region block, whatever size was asked */
	h->size = size == BLOCK ? 0 : size;
	return h + 1;
}

void *pdf_mem_alloc(HPDF_UINT size)
{
	struct head *h;

	if (size != BLOCK || !mem.docs)
		return from_malloc(size);
	if (mem.free) {
		h = mem.free;
		mem.free = h->next;
		return h + 1;
	}
	if (!mem.region)
		mem.region = bigmem_map(REGION);
	if (!mem.region || mem.used + SLOT > REGION)
		return from_malloc(size);
	h = (struct head *)(mem.region + mem.used);
	mem.used += SLOT;
	h->size = BLOCK;
	return h + 1;
}

void pdf_mem_free(void *p)
{
	struct head *h;

	if (!p)
		return;
	h = (struct head *)p - 1;
	if (h->size != BLOCK) {
		free(h);
		return;
	}
	h->next = mem.free;
	mem.free = h;
}

void pdf_mem_open(void)
{
	mem.docs++;
}

void pdf_mem_close(void)
{
	/* every block was given back with the last document: the region goes */
	if (--mem.docs > 0)
		return;
	bigmem_unmap(mem.region, REGION);
	mem.region = NULL;
	mem.used = 0;
	mem.free = NULL;
}

/*
 * libharu's own copy and fill, a byte at a time, replaced by the C
 * library's: libharu calls them through its procedure linkage table, so
 * these definitions in the program are the ones it runs (ELF symbol
 * interposition; linked statically or built with -Bsymbolic, it would
 * run its own, which give the same bytes). Every drawing call clears a
 * 512-byte buffer with HPDF_MemSet() (600,000 calls for the 2026Q3
 * checklist), and loading the font grows its 65,536-entry width table by
 * copying it whole twenty entries at a time: 50 ms of HPDF_MemCpy()
 * before the report's threads could start. Same results: the end of what
 * was written (libharu's return values); libharu never copies a region
 * onto itself shifted, and memmove() would copy it right if it did.
 */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (n)
		memmove(out, in, n);
	return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	if (n)
		memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}
