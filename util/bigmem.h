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

/*
 * A table of size bytes, zero-filled, that may be small or large (a hash
 * table's slots): a region as above from BIGMEM_TABLE_BIG bytes on, where
 * thousands of 4 KB page faults would cost more than filling it, else
 * calloc(). Freed by bigmem_table_free() with the same size.
 */
#define BIGMEM_TABLE_BIG ((size_t)1 << 20)
void *bigmem_table(size_t size);
void bigmem_table_free(void *p, size_t size);

#endif
