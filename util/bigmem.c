/* Large scratch regions in huge pages (util/bigmem.h). */
#include <stdlib.h>
#include <sys/mman.h>
#include "util/bigmem.h"

void *bigmem_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	/* a hint: without huge pages (or their support) the region works as well */
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

void bigmem_unmap(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

void *bigmem_table(size_t size)
{
	return size >= BIGMEM_TABLE_BIG ? bigmem_map(size) : calloc(1, size ? size : 1);
}

void bigmem_table_free(void *p, size_t size)
{
	if (size >= BIGMEM_TABLE_BIG)
		bigmem_unmap(p, size);
	else
		free(p);
}
