/* The growable byte buffer (util/buf.h). */
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

int buf_reserve(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *grown;

	if (b->len + n <= b->cap)
		return 0;
	while (cap < b->len + n)
		cap *= 2;
	if (!(grown = realloc(b->data, cap)))
		return -1;
	b->data = grown;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n))
		return -1;
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return 0;
}

int buf_append_str(struct buf *b, const char *s, size_t *at)
{
	size_t n = strlen(s) + 1;

	if (at)
		*at = b->len;
	return buf_append(b, s, n);
}

void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
