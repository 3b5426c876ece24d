/*
 * The packed form of an account's events in fee_ledger.events.
 *
 * Each event is a tag byte, then varints (LEB128; signed values zigzag):
 *   tag   bits 0-2 kind, 3 has_amount, 4 at is text, 5 has_due, 6 due is
 *         text, 7 has method
 *   period  0: as the previous event; 1: text follows; n: period n - 2
 *   at      text, or the difference from the previous event's time
 *   amount  if has_amount
 *   due     if has_due: text, or the difference from the previous due day
 *   method  if present: text
 * A text is its length, its bytes and a NUL (so it is read in place). The
 * events of one period come together and mostly a day or a month apart,
 * so an event takes 9-12 bytes instead of the 60-odd of its row in fees.
 */
#include <stdlib.h>
#include <string.h>
#include "db/fee_ledger.h"

enum {
	TAG_KIND = 7, TAG_AMOUNT = 8, TAG_AT_TEXT = 16, TAG_DUE = 32, TAG_DUE_TEXT = 64,
	TAG_METHOD = 128
};

/* Differences wrap around (a stored number may be anything), never undefined. */
static int64_t wrap_sub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* A varint takes at most 10 bytes; every put reserves its own room. */
static int put_uint(struct buf *b, uint64_t v)
{
	if (buf_reserve(b, 10))
		return -1;
	while (v >= 0x80) {
		b->data[b->len++] = (char)(unsigned char)(v | 0x80);
		v >>= 7;
	}
	b->data[b->len++] = (char)(unsigned char)v;
	return 0;
}

static int put_int(struct buf *b, int64_t v)
{
	return put_uint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static int put_text(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (put_uint(b, n) || buf_reserve(b, n + 1))
		return -1;
	memcpy(b->data + b->len, s, n + 1);
	b->len += n + 1;
	return 0;
}

static int same_period(const struct fee_packer *p, const struct fee_event *e)
{
	if (p->n == 0 || !p->period_text != !e->period_text)
		return 0;
	return e->period_text ? !strcmp(p->period_text, e->period_text) : p->period == e->period;
}

/* Remembers the period just packed, to say "as before" for the next event. */
static int keep_period(struct fee_packer *p, const struct fee_event *e)
{
	size_t n;

	p->period = e->period;
	if (!e->period_text) {
		free(p->period_text);
		p->period_text = NULL;
		return 0;
	}
	n = strlen(e->period_text) + 1;
	free(p->period_text);
	p->period_text = malloc(n);
	if (!p->period_text)
		return -1;
	memcpy(p->period_text, e->period_text, n);
	return 0;
}

static unsigned tag_of(const struct fee_event *e)
{
	return e->kind | (e->has_amount ? TAG_AMOUNT : 0) | (e->at_text ? TAG_AT_TEXT : 0) |
	       (e->has_due ? TAG_DUE : 0) | (e->has_due && e->due_text ? TAG_DUE_TEXT : 0) |
	       (e->method ? TAG_METHOD : 0);
}

void fee_pack_start(struct fee_packer *p)
{
	p->buf.len = 0;
	p->n = 0;
	p->at = 0;
	p->due = 0;
}

int fee_pack_event(struct fee_packer *p, const struct fee_event *e)
{
	struct buf *out = &p->buf;
	int rc;

	if (buf_reserve(out, 1))
		return -1;
	out->data[out->len++] = (char)(unsigned char)tag_of(e);
	if (same_period(p, e))
		rc = put_uint(out, 0);
	else if (e->period_text)
		rc = put_uint(out, 1) || put_text(out, e->period_text) || keep_period(p, e);
	else
		rc = put_uint(out, (uint64_t)e->period + 2) || keep_period(p, e);
	if (rc)
		return -1;
	if (e->at_text) {
		rc = put_text(out, e->at_text);
	} else {
		rc = put_int(out, wrap_sub(e->at, p->at));
		p->at = e->at;
	}
	if (rc || (e->has_amount && put_int(out, e->amount)))
		return -1;
	if (e->has_due && e->due_text) {
		rc = put_text(out, e->due_text);
	} else if (e->has_due) {
		rc = put_int(out, wrap_sub(e->due, p->due));
		p->due = e->due;
	}
	if (rc || (e->method && put_text(out, e->method)))
		return -1;
	p->n++;
	return 0;
}

void fee_pack_free(struct fee_packer *p)
{
	buf_free(&p->buf);
	free(p->period_text);
	memset(p, 0, sizeof(*p));
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_uint(struct reader *r)
{
	uint64_t v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 64) {
		unsigned char c = *r->p++;

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	r->bad = 1;
	return 0;
}

static int64_t get_int(struct reader *r)
{
	uint64_t v = get_uint(r);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static const char *get_text(struct reader *r)
{
	uint64_t n = get_uint(r);
	const char *s = (const char *)r->p;

	if (r->bad || n >= (uint64_t)(r->end - r->p) || r->p[n] != '\0') {
		r->bad = 1;
		return "";
	}
	r->p += n + 1;
	return s;
}

static int grow(struct fee_event **events, int *cap, int need)
{
	struct fee_event *grown;
	int n = *cap ? *cap : 64;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	grown = realloc(*events, (size_t)n * sizeof(**events));
	if (!grown)
		return -1;
	*events = grown;
	*cap = n;
	return 0;
}

int fee_unpack(const void *packed, size_t len, struct fee_event **events, int *cap, int *n)
{
	const unsigned char *blob = packed;
	struct reader r = { blob, blob + len, 0 };
	int64_t at = 0, due = 0;
	uint64_t period;
	unsigned tag;

	*n = 0;
	while (r.p < r.end && !r.bad) {
		struct fee_event *e;

		if (grow(events, cap, *n + 1))
			return -1;
		e = &(*events)[*n];
		tag = *r.p++;
		period = get_uint(&r);
		if (period == 0 && *n == 0)
			return -1;
		if (period == 0) {
			e->period = e[-1].period;
			e->period_text = e[-1].period_text;
		} else {
			e->period = period == 1 ? 0 : (int)(period - 2);
			e->period_text = period == 1 ? get_text(&r) : NULL;
		}
		e->kind = tag & TAG_KIND;
		if (e->kind > FEE_OTHER)
			return -1;
		e->at_text = tag & TAG_AT_TEXT ? get_text(&r) : NULL;
		e->at = e->at_text ? 0 : (at = wrap_add(at, get_int(&r)));
		e->has_amount = !!(tag & TAG_AMOUNT);
		e->amount = e->has_amount ? get_int(&r) : 0;
		e->has_due = !!(tag & TAG_DUE);
		e->due_text = tag & TAG_DUE_TEXT ? get_text(&r) : NULL;
		e->due = e->has_due && !e->due_text ? (due = wrap_add(due, get_int(&r))) : 0;
		e->method = tag & TAG_METHOD ? get_text(&r) : NULL;
		(*n)++;
	}
	return r.bad || r.p != r.end ? -1 : 0;
}
