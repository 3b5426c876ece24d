#ifndef PM_BUF_H
#define PM_BUF_H

/*
 * A growable byte buffer: the one the engine keeps text and packed data in
 * (record and finding rows waiting to be stored, the fee pass's rows, the
 * fee ledger's packed events), the import keeps a record's text and fields
 * and a batch's texts in (etl/reader.c, etl/batch.c), and JSON is written
 * into (util/jsonbuf.h). Callers often keep offsets into data, never
 * pointers: data moves when the buffer grows.
 */
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
};

void buf_init(struct buf *b);
/* Room for n more bytes after len (doubling); 0, or -1 when out of memory. */
int buf_reserve(struct buf *b, size_t n);
/* Appends n bytes; 0, or -1 when out of memory. */
int buf_append(struct buf *b, const void *data, size_t n);
/* Appends s with its NUL; its offset in *at (may be NULL). 0, or -1 when out of memory. */
int buf_append_str(struct buf *b, const char *s, size_t *at);
void buf_free(struct buf *b);

#endif
