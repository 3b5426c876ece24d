#ifndef PM_JSONBUF_H
#define PM_JSONBUF_H

#include <stddef.h>
#include "util/buf.h"

/*
 * A growing text buffer for writing JSON. Errors (out of memory) are sticky:
 * check jb->failed once at the end.
 */
struct jsonbuf {
	struct buf out;         /* the text, NUL-terminated once anything is written */
	int failed;
};

/* The text written so far (NULL before anything is). */
const char *jb_text(const struct jsonbuf *jb);

void jb_raw(struct jsonbuf *jb, const char *text);
void jb_printf(struct jsonbuf *jb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal, or null for NULL. */
void jb_string(struct jsonbuf *jb, const char *s);
/*
 * A JSON string of the n bytes at s, escaping only what JSON must ('"',
 * '\\', control characters): other bytes are copied as they are (not
 * checked as UTF-8), so that SQLite's JSON functions return them unchanged.
 */
void jb_string_n(struct jsonbuf *jb, const char *s, size_t n);
/* An integer. */
void jb_int(struct jsonbuf *jb, long long v);
/* A double that reads back as the same double, and as a real; +-Inf as 9e999. */
void jb_real(struct jsonbuf *jb, double d);
/* A rate rounded to 4 decimals ("0.9449", "1.0"). */
void jb_rate(struct jsonbuf *jb, double rate);
void jb_free(struct jsonbuf *jb);

#endif
