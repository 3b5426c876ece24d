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

/*
 * The bytes copied in runs between the characters JSON must escape; other
 * bytes go as they are, UTF-8 or not, for SQLite's JSON functions to give
 * back byte for byte (a stored record's text, rules/results/results_rules.c).
 */
void jb_string_n(struct jsonbuf *jb, const char *s, size_t n)
{
	size_t i, run = 0;
	char *out;

	/* at most 6 bytes a byte (\u00XX), the quotes */
	if (n > ((size_t)-1 - 3) / 6 || reserve(jb, 6 * n + 2))
		return;
	out = jb->out.data + jb->out.len;
	*out++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		memcpy(out, s + run, i - run);
		out += i - run;
		run = i + 1;
		if (ch < 0x20) {
			snprintf(out, 7, "\\u%04x", ch);
			out += 6;
		} else {
			*out++ = '\\';
			*out++ = (char)ch;
		}
	}
	memcpy(out, s + run, n - run);
	out += n - run;
	*out++ = '"';
	*out = '\0';
	jb->out.len = (size_t)(out - jb->out.data);
}

void jb_int(struct jsonbuf *jb, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	if (reserve(jb, n))
		return;
	memcpy(jb->out.data + jb->out.len, p, n);
	jb->out.len += n;
	jb->out.data[jb->out.len] = '\0';
}

/*
 * A double that reads back as the same double and as a real (17
 * significant digits, a ".0" when they look like an integer); the
 * infinities as SQLite's JSON writes them (9e999).
 */
void jb_real(struct jsonbuf *jb, double d)
{
	char buf[40];

	if (isinf(d)) {
		jb_raw(jb, d < 0 ? "-9e999" : "9e999");
		return;
	}
	if (isnan(d)) {
		jb_raw(jb, "null");
		return;
	}
	snprintf(buf, sizeof(buf), "%.17g", d);
	if (!strpbrk(buf, ".eE"))
		strcat(buf, ".0");
	jb_raw(jb, buf);
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
