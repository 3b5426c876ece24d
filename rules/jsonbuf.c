#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/jsonbuf.h"

static int reserve(struct jsonbuf *jb, size_t more)
{
	char *grown;
	size_t cap;

	if (jb->failed)
		return -1;
	if (jb->len + more + 1 <= jb->cap)
		return 0;
	cap = jb->cap ? jb->cap : 4096;
	while (cap < jb->len + more + 1)
		cap *= 2;
	grown = realloc(jb->text, cap);
	if (!grown) {
		jb->failed = 1;
		return -1;
	}
	jb->text = grown;
	jb->cap = cap;
	return 0;
}

void jb_raw(struct jsonbuf *jb, const char *text)
{
	size_t n = strlen(text);

	if (reserve(jb, n))
		return;
	memcpy(jb->text + jb->len, text, n + 1);
	jb->len += n;
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
	vsnprintf(jb->text + jb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	jb->len += (size_t)n;
}

void jb_string(struct jsonbuf *jb, const char *s)
{
	char esc[8];

	if (!s) {
		jb_raw(jb, "null");
		return;
	}
	jb_raw(jb, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			esc[2] = '\0';
		} else if (ch < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", ch);
		} else {
			esc[0] = (char)ch;
			esc[1] = '\0';
		}
		jb_raw(jb, esc);
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

void jb_free(struct jsonbuf *jb)
{
	free(jb->text);
	memset(jb, 0, sizeof(*jb));
}
