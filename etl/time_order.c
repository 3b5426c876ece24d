/*
 * Rows put in time order before they are stored (etl/time_order.h).
 */
#include <stdlib.h>
#include <string.h>
#include "etl/kinds.h"
#include "etl/time_order.h"
#include "util/bigmem.h"
#include "util/civil.h"

int time_order_field(int kind)
{
	static const char *const field[PM_NKINDS] = {
		[PM_TICKETS] = "reported_at",
		[PM_COMPLAINTS] = "received_at",
		[PM_CALLBACKS] = "callback_at",
	};

	if (kind < 0 || kind >= PM_NKINDS || !field[kind])
		return -1;
	return kind_field_index(&PM_KINDS[kind], field[kind]);
}

/*
 * A row in the chunk: its time as a number that sorts as the text does
 * (0: NULL; a canonical timestamp: 1 + its seconds from the year 0000,
 * util/civil.h), where it starts in data, its place in the order added,
 * and its time's text in data (time_off 0: NULL, no text starts a row),
 * compared only when the chunk holds a time that is not canonical.
 */
struct pm_timed_row {
	uint64_t key;
	uint32_t at, seq, time_off, time_n;
	const char *time;
};

/* Seconds from 0000-01-01 00:00:00 to 1970-01-01 00:00:00 (civil_days(0, 1, 1) days). */
#define YEAR_0_SECONDS 62167219200LL

/* A packed row: line (8 bytes), nfields (1), then per field its tag (1) and
 * PM_INT: 8 bytes; PM_STR: length (4), the bytes, a NUL. */

int time_chunk_init(struct pm_time_chunk *c, int field, size_t size)
{
	memset(c, 0, sizeof(*c));
	c->field = field;
	c->cap = size;
	/*
	 * rows of 128 bytes on average at most (a ticket packs into about 200):
	 * a chunk of narrower rows is full by their number
	 */
	c->nmax = size / 128 + 1;
	/*
	 * mapped, not malloc()ed: a chunk is 12 MiB, and glibc's heap, once it
	 * takes blocks that large after the first is freed, keeps them in the
	 * process after the file (peak RSS 60.7 MB instead of 56 for the four
	 * benchmark files)
	 */
	c->data = bigmem_map(c->cap);
	c->row = bigmem_map(c->nmax * sizeof(*c->row));
	if (!c->data || !c->row) {
		time_chunk_free(c);
		return -1;
	}
	return 0;
}

int time_chunk_full(const struct pm_time_chunk *c)
{
	/* room for about a batch of rows more (etl/batch.h: 1,024 rows, ~200 KiB packed) */
	return c->nmax - c->n < 1024 || c->cap - c->len < (512u << 10);
}

/* A mapped region of *size bytes, used of them kept, moved into one of size bytes. */
static int regrow(void **p, size_t *size, size_t used, size_t size_now)
{
	void *grown = bigmem_map(size_now);

	if (!grown)
		return -1;
	memcpy(grown, *p, used);
	bigmem_unmap(*p, *size);
	*p = grown;
	*size = size_now;
	return 0;
}

/*
 * Room for one more row of n bytes: a chunk grows past its size only for
 * a batch of unusually wide rows, by what they need.
 */
static int reserve(struct pm_time_chunk *c, size_t n)
{
	if (c->n == c->nmax) {
		size_t bytes = c->nmax * sizeof(*c->row);

		if (regrow((void **)&c->row, &bytes, bytes, bytes + 1024 * sizeof(*c->row)))
			return -1;
		c->nmax += 1024;
	}
	/* offsets are 32-bit */
	if (c->len + n <= c->cap)
		return 0;
	return c->len + n > UINT32_MAX ? -1
		: regrow((void **)&c->data, &c->cap, c->len, c->len + n + (256u << 10));
}

static size_t packed_size(const struct pm_row *row)
{
	size_t size = 9;
	int f;

	for (f = 0; f < row->nfields; f++) {
		const struct pm_value *v = &row->value[f];

		size += 1 + (v->tag == PM_INT ? 8 : v->tag == PM_STR ? 4 + v->n + 1 : 0);
	}
	return size;
}

/*
 * The row's time, text at s (NUL-terminated): a canonical timestamp as its
 * number, anything else marks the chunk for sorting by the texts.
 */
static void note_time(struct pm_time_chunk *c, struct pm_timed_row *r, const char *s,
		      uint32_t n)
{
	int64_t secs;

	r->time_off = (uint32_t)(s - c->data);
	r->time_n = n;
	if (n == 19 && civil_parse_timestamp(s, &secs) == 0 && secs >= -YEAR_0_SECONDS)
		r->key = (uint64_t)(secs + YEAR_0_SECONDS) + 1;
	else
		c->odd_times = 1;
}

int time_chunk_add(struct pm_time_chunk *c, const struct pm_row *row, int64_t line)
{
	struct pm_timed_row *r;
	char *p;
	int f;

	if (reserve(c, packed_size(row)))
		return -1;
	r = &c->row[c->n];
	r->at = (uint32_t)c->len;
	r->key = 0;
	r->time_off = 0;
	r->time_n = 0;
	r->seq = (uint32_t)c->n;
	p = c->data + c->len;
	memcpy(p, &line, 8);
	p[8] = (char)row->nfields;
	p += 9;
	for (f = 0; f < row->nfields; f++) {
		const struct pm_value *v = &row->value[f];
		uint32_t n = (uint32_t)v->n;

		*p++ = (char)v->tag;
		if (v->tag == PM_INT) {
			memcpy(p, &v->i, 8);
			p += 8;
		} else if (v->tag == PM_STR) {
			memcpy(p, &n, 4);
			memcpy(p + 4, v->s, n);
			p[4 + n] = '\0';
			if (f == c->field)
				note_time(c, r, p + 4, n);
			p += 4 + n + 1;
		}
	}
	c->len = (size_t)(p - c->data);
	c->n++;
	return 0;
}

/* By time, then in the order added: canonical times as numbers. */
static int key_cmp(const void *pa, const void *pb)
{
	const struct pm_timed_row *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* As SQLite orders them: NULL first, texts by bytes, then in the order added. */
static int text_cmp(const void *pa, const void *pb)
{
	const struct pm_timed_row *a = pa, *b = pb;
	size_t n;
	int c;

	if (!a->time || !b->time)
		c = (a->time != NULL) - (b->time != NULL);
	else {
		n = a->time_n < b->time_n ? a->time_n : b->time_n;
		c = n ? memcmp(a->time, b->time, n) : 0;
		if (!c)
			c = (a->time_n > b->time_n) - (a->time_n < b->time_n);
	}
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

void time_chunk_sort(struct pm_time_chunk *c)
{
	size_t i;

	if (c->n < 2)
		return;
	if (!c->odd_times) {
		qsort(c->row, c->n, sizeof(c->row[0]), key_cmp);
		return;
	}
	/* data is complete: pointers into it stay valid until it is cleared */
	for (i = 0; i < c->n; i++)
		c->row[i].time = c->row[i].time_off ? c->data + c->row[i].time_off : NULL;
	qsort(c->row, c->n, sizeof(c->row[0]), text_cmp);
}

void time_chunk_row(const struct pm_time_chunk *c, size_t i, struct pm_row *row,
		    int64_t *line)
{
	const char *p = c->data + c->row[i].at;
	int f;

	/* in time order the rows lie anywhere in data: fetch a later one meanwhile */
	if (i + 8 < c->n)
		__builtin_prefetch(c->data + c->row[i + 8].at);

	memcpy(line, p, 8);
	row->nfields = (unsigned char)p[8];
	p += 9;
	for (f = 0; f < row->nfields; f++) {
		struct pm_value *v = &row->value[f];
		uint32_t n;

		v->tag = (enum pm_value_tag)*p++;
		v->s = NULL;
		v->n = 0;
		v->i = 0;
		if (v->tag == PM_INT) {
			memcpy(&v->i, p, 8);
			p += 8;
		} else if (v->tag == PM_STR) {
			memcpy(&n, p, 4);
			v->s = p + 4;
			v->n = n;
			p += 4 + n + 1;
		}
	}
}

void time_chunk_clear(struct pm_time_chunk *c)
{
	c->len = 0;
	c->n = 0;
	c->odd_times = 0;
}

void time_chunk_free(struct pm_time_chunk *c)
{
	if (c->data)
		bigmem_unmap(c->data, c->cap);
	if (c->row)
		bigmem_unmap(c->row, c->nmax * sizeof(*c->row));
	memset(c, 0, sizeof(*c));
}
