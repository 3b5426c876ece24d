/*
 * The line reader of hand-written files: rules and mapping files (util/kvfile.h).
 */
#include <string.h>
#include "util/kvfile.h"
#include "util/utf8.h"

void kv_open(struct kv_reader *r, const char *name, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->text = text;
	r->len = len;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		r->pos = 3;
}

char *kv_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/*
 * Why a line of n bytes is not plain text, or NULL. Titles and sources go
 * to the terminal, the JSON and the PDF: a file saved as GBK by an editor,
 * or an escape character, is an error naming the line, not garbage later.
 */
static const char *not_text(const char *s, size_t n)
{
	while (n > 0) {
		int len = utf8_sequence_length(s, n);
		unsigned cp = len ? utf8_code_point(s, len) : 0;

		if (len == 0)
			return "not UTF-8 text (save the file as UTF-8)";
		if ((cp < 0x20 && cp != '\t' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F))
			return "a control character in the line";
		s += len;
		n -= (size_t)len;
	}
	return NULL;
}

/* Cuts a " # comment" (a '#' after a space or tab) off the line. */
static void cut_comment(char *s)
{
	char *p;

	for (p = s + 1; *p; p++)
		if (*p == '#' && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

int kv_next(struct kv_reader *r, char **stmt, pm_error *err)
{
	const char *why;
	char *s;
	size_t n;

	while (r->pos < r->len) {
		r->line++;
		for (n = 0; r->pos < r->len && r->text[r->pos] != '\n'; r->pos++)
			if (n + 1 < sizeof(r->buf))
				r->buf[n++] = r->text[r->pos];
		r->pos++;
		r->buf[n] = '\0';
		if (n + 1 >= sizeof(r->buf) || memchr(r->buf, '\0', n))
			return pm_fail(err, "%s:%d: line too long or not text", r->name, r->line);
		why = not_text(r->buf, n);
		if (why)
			return pm_fail(err, "%s:%d: %s", r->name, r->line, why);
		s = kv_trim(r->buf);
		if (!*s || *s == '#')
			continue;
		if (r->inline_comments) {
			cut_comment(s);
			s = kv_trim(s);
		}
		*stmt = s;
		return 1;
	}
	return 0;
}

int kv_assignment(char *stmt, char **key, char **value)
{
	char *eq = strchr(stmt, '=');

	if (!eq)
		return -1;
	*eq = '\0';
	*key = kv_trim(stmt);
	*value = kv_trim(eq + 1);
	return 0;
}

char *kv_section(char *stmt)
{
	char *end = strchr(stmt, ']');

	if (stmt[0] != '[' || !end || kv_trim(end + 1)[0])
		return NULL;
	*end = '\0';
	return kv_trim(stmt + 1);
}

/* The full-width comma U+FF0C. */
static const char WIDE_COMMA[] = "\xEF\xBC\x8C";

int kv_list(char *value, char **items, int max)
{
	int count = 0;
	char *p = value, *stop;

	for (;;) {
		char *comma = strchr(p, ','), *wide = strstr(p, WIDE_COMMA);
		size_t skip = 1;

		stop = comma;
		if (wide && (!comma || wide < comma)) {
			stop = wide;
			skip = 3;
		}
		if (stop)
			*stop = '\0';
		if (count == max)
			return -1;
		items[count] = kv_trim(p);
		if (!*items[count])
			return -1;
		count++;
		if (!stop)
			return count;
		p = stop + skip;
	}
}
