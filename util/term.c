/*
 * Printing text of the data to a terminal safely (util/term.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "util/term.h"
#include "util/utf8.h"

static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void term_write(FILE *out, const char *s, int keep_newlines)
{
	size_t n = strlen(s);

	while (n > 0) {
		int len = utf8_sequence_length(s, n);
		unsigned cp = len ? utf8_code_point(s, len) : 0;

		if (len == 0) {
			fprintf(out, "\\x%02x", (unsigned char)s[0]);
			s++;
			n--;
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
		n -= (size_t)len;
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
