#ifndef PM_BIGMEM_H
#define PM_BIGMEM_H

/*
 * Large scratch memory that is filled once and thrown away whole (the
 * record writer's pending rows and their texts, rules/results/): a region
 * mapped at its full size up front, so it never moves or is copied as it
 * fills, and asked of the kernel in 2 MB pages where it gives them
 * (transparent huge pages in "madvise" mode), so that filling 100 MB takes
 * about fifty page faults instead of 25,000. Pages are given on first
 * touch: a region mostly left empty costs address space, not memory.
 */
#include <stddef.h>

/* A region of size bytes, zero-filled; NULL when it cannot be mapped. */
void *bigmem_map(size_t size);
void bigmem_unmap(void *p, size_t size);

#endif
