/*
 * A growing text buffer for writing JSON (util/jsonbuf.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/jsonbuf.h"
#include "util/utf8.h"

static int reserve(struct jsonbuf *jb, size_t more)
{
	if (jb->failed)
		return -1;
	/* the text and its NUL */
	if (buf_reserve(&jb->out, more + 1)) {
		jb->failed = 1;
		return -1;
	}
	return 0;
}

void jb_raw(struct jsonbuf *jb, const char *text)
{
	size_t n = strlen(text);

	if (reserve(jb, n))
		return;
	memcpy(jb->out.data + jb->out.len, text, n + 1);
	jb->out.len += n;
}

void jb_printf(struct jsonbuf *jb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(jb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(jb->out.data + jb->out.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	jb->out.len += (size_t)n;
}

/*
 * A JSON string literal. The text is valid UTF-8 when it comes from the
 * database (the importer guarantees it), but a --site argument or a rules
 * file need not be: a byte that is not UTF-8 becomes U+FFFD, so the output
 * is always valid JSON.
 */
void jb_string(struct jsonbuf *jb, const char *s)
{
	char esc[8];
	size_t n;

	if (!s) {
		jb_raw(jb, "null");
		return;
	}
	jb_raw(jb, "\"");
	n = strlen(s);
	while (n > 0) {
		unsigned char ch = (unsigned char)*s;
		int len = utf8_sequence_length(s, n);

		if (len == 0) {
			jb_raw(jb, "\\ufffd");
			len = 1;
		} else if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			esc[2] = '\0';
			jb_raw(jb, esc);
		} else if (ch < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", ch);
			jb_raw(jb, esc);
		} else {
			memcpy(esc, s, (size_t)len);
			esc[len] = '\0';
			jb_raw(jb, esc);
		}
		s += len;
		n -= (size_t)len;
	}
	jb_raw(jb, "\"");
}

void jb_rate(struct jsonbuf *jb, double rate)
{
	char buf[32];
	size_t n;

	snprintf(buf, sizeof(buf), "%.4f", round(rate * 10000) / 10000);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
	jb_raw(jb, buf);
}

const char *jb_text(const struct jsonbuf *jb)
{
	return jb->out.data;
}

void jb_free(struct jsonbuf *jb)
{
	buf_free(&jb->out);
	jb->failed = 0;
}
