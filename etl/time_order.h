#ifndef PM_TIME_ORDER_H
#define PM_TIME_ORDER_H

/*
 * The order rows are stored in once a large file's keys came in random
 * order (etl/indexes.h: the key's index set aside, the rest of the file
 * inserted without upsert). Then the order of the inserts decides nothing
 * but the rows' rowids, so the rows are collected in chunks of a few MiB,
 * each put in order by the kind's time field (ties in file order) and
 * stored so: a month's rows then lie together in one stretch of each
 * chunk's part of the table, read in time order by a handful of cursors
 * moving forward, as in a file that came in time order (docs/performance.md,
 * "The import, ninth pass").
 */

#include <stddef.h>
#include <stdint.h>
#include "etl/row.h"

/* The field that orders kind's rows in time, or -1 (fees go by account, not time). */
int time_order_field(int kind);

struct pm_timed_row;

/* Rows collected, copied with their texts, to be stored in time order. */
struct pm_time_chunk {
	int field;			/* the time field */
	char *data;			/* the rows, packed one after the other */
	size_t len, cap;
	struct pm_timed_row *row;	/* per row: its place in data, its time */
	size_t n, nmax;
	int odd_times;			/* a time that is not a canonical timestamp: sort by texts */
};

/* An empty chunk of about size bytes for the rows of field's kind; -1 when out of memory. */
int time_chunk_init(struct pm_time_chunk *c, int field, size_t size);

/* Whether the chunk has less room left than a batch of rows takes (more can still be added). */
int time_chunk_full(const struct pm_time_chunk *c);

/* Copies row (of source line line) into the chunk; -1 when out of memory. */
int time_chunk_add(struct pm_time_chunk *c, const struct pm_row *row, int64_t line);

/*
 * Puts the rows in order: by the time field (NULL first, texts as SQLite's
 * BINARY collation orders them), ties in the order they were added.
 */
void time_chunk_sort(struct pm_time_chunk *c);

/* The i-th row (after time_chunk_sort(): in order); its strings point into the chunk. */
void time_chunk_row(const struct pm_time_chunk *c, size_t i, struct pm_row *row,
		    int64_t *line);

/* Empties the chunk (the rows handed out are gone). */
void time_chunk_clear(struct pm_time_chunk *c);

void time_chunk_free(struct pm_time_chunk *c);

#endif
