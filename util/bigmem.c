/* Large scratch regions in huge pages (util/bigmem.h). */
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
