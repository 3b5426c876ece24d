/*
 * Batches of converted rows handed from the reader thread to the storer (etl/batch.h).
 */
#include <stdlib.h>
#include <string.h>
#include "etl/batch.h"

int batch_init(struct pm_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->items = malloc(PM_BATCH_ROWS * sizeof(*b->items));
	/* one batch's texts are about this much: no growing in the common case */
	if (!b->items || buf_reserve(&b->text, 256u << 10)) {
		batch_free(b);
		return -1;
	}
	return 0;
}

void batch_free(struct pm_batch *b)
{
	free(b->items);
	buf_free(&b->text);
	memset(b, 0, sizeof(*b));
}

void batch_clear(struct pm_batch *b)
{
	b->n = 0;
	b->text.len = 0;
}

int batch_full(const struct pm_batch *b)
{
	return b->n == PM_BATCH_ROWS || b->text.len >= PM_BATCH_TEXT;
}

/* Copies s[0..n) and a NUL into the text; returns its offset or -1. */
static int64_t add_text(struct pm_batch *b, const char *s, size_t n)
{
	size_t off = b->text.len;

	if (buf_reserve(&b->text, n + 1))
		return -1;
	memcpy(b->text.data + off, s, n);
	b->text.data[off + n] = '\0';
	b->text.len += n + 1;
	return (int64_t)off;
}

int batch_add_row(struct pm_batch *b, int64_t line, const struct pm_row *row)
{
	struct pm_batch_item *item = &b->items[b->n];
	int f;

	if (b->n == PM_BATCH_ROWS)
		return -1;
	item->line = line;
	item->rejected = 0;
	item->row.nfields = row->nfields;
	/*
	 * value by value, without the parse buffers (buf): a whole struct
	 * pm_row is 900 bytes, most of them buffers the batch never reads
	 */
	for (f = 0; f < row->nfields; f++) {
		const struct pm_value *v = &row->value[f];
		struct pm_value *to = &item->row.value[f];
		int64_t off;

		to->tag = v->tag;
		to->n = v->n;
		to->i = v->i;
		if (v->tag != PM_STR)
			continue;
		off = add_text(b, v->s, v->n);
		if (off < 0)
			return -1;
		item->text_off[f] = (size_t)off;
	}
	b->n++;
	return 0;
}

int batch_add_reject(struct pm_batch *b, int64_t line, const char *raw, size_t raw_len,
		     const char *field, const char *reason, const char *key, size_t key_len)
{
	struct pm_batch_item *item = &b->items[b->n];
	int64_t raw_off, reason_off, key_off;

	if (b->n == PM_BATCH_ROWS)
		return -1;
	raw_off = add_text(b, raw, raw_len);
	reason_off = raw_off < 0 ? -1 : add_text(b, reason, strlen(reason));
	key_off = reason_off < 0 ? -1 : add_text(b, key ? key : "", key ? key_len : 0);
	if (key_off < 0)
		return -1;
	item->key_off = (size_t)key_off;
	item->key_len = key ? key_len : 0;
	item->line = line;
	item->rejected = 1;
	item->field = field;
	item->raw_off = (size_t)raw_off;
	item->raw_len = raw_len;
	item->reason_off = (size_t)reason_off;
	b->n++;
	return 0;
}

void batch_seal(struct pm_batch *b)
{
	size_t i;
	int f;

	for (i = 0; i < b->n; i++) {
		struct pm_batch_item *item = &b->items[i];

		if (item->rejected)
			continue;
		for (f = 0; f < item->row.nfields; f++)
			if (item->row.value[f].tag == PM_STR)
				item->row.value[f].s = b->text.data + item->text_off[f];
	}
}

const char *batch_text(const struct pm_batch *b, size_t off)
{
	return b->text.data + off;
}
