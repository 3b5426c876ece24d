#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "util/term.h"

/*
 * Length of the valid UTF-8 sequence at s (NUL-terminated), or 0. The same
 * rules as etl/encoding.c (no overlongs, surrogates or values above
 * U+10FFFF); util/ does not depend on etl/.
 */
static int sequence_length(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	int len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80;
		hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		/* the terminating NUL fails this test, so s is never overrun */
		if (i == 1 ? (s[i] < lo || s[i] > hi) : (s[i] < 0x80 || s[i] > 0xBF))
			return 0;
	}
	return len;
}

/* Decodes a valid sequence of len bytes. */
static unsigned code_point(const unsigned char *s, int len)
{
	unsigned cp = len == 1 ? s[0] : s[0] & (0x7F >> len);
	int i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void term_write(FILE *out, const char *str, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		int len = sequence_length(s);
		unsigned cp = len ? code_point(s, len) : 0;

		if (len == 0) {
			fprintf(out, "\\x%02x", s[0]);
			s++;
			continue;
		}
		if (keep_newlines && (cp == '\n' || cp == '\t'))
			fputc((int)cp, out);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\r')
			fputs("\\r", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp < 0x20 || cp == 0x7F)
			fprintf(out, "\\x%02x", cp);
		else if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp))
			fprintf(out, "\\u%04x", cp);
		else
			fwrite(s, 1, (size_t)len, out);
		s += len;
	}
}

void term_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text) {
		fputs("(out of memory)\n", out);
		return;
	}
	term_write(out, text, 0);
	fputc('\n', out);
	free(text);
}
