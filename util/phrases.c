/*
 * Stored English texts shown in another language through a table of the
 * phrases that make them up (util/phrases.h).
 */
#include <stdio.h>
#include <string.h>
#include "util/phrases.h"

/* a phrase has at most this many holes */
#define MAX_HOLES 4

struct hole {
	const char *at;
	size_t len;
};

/* End of the reason's part that starts at s: "; " or the end. */
static const char *part_end(const char *s)
{
	const char *semi = strstr(s, "; ");

	return semi ? semi : s + strlen(s);
}

/*
 * Matches pattern at s; returns the length matched (0: no match) and the
 * holes' texts.
 */
static size_t match(const char *pattern, const char *s, struct hole *holes, int *nholes)
{
	const char *p = pattern, *t = s;

	*nholes = 0;
	while (*p) {
		const char *hole = strstr(p, "%s");
		size_t lit = hole ? (size_t)(hole - p) : strlen(p);

		if (strncmp(t, p, lit))
			return 0;
		t += lit;
		p += lit;
		if (!hole)
			break;
		p += 2;
		if (*nholes == MAX_HOLES)
			return 0;
		holes[*nholes].at = t;
		if (*p) {
			/* up to the next literal part's first character run */
			const char *next = strstr(p, "%s");
			size_t nlen = next ? (size_t)(next - p) : strlen(p);
			const char *found = NULL, *q;

			for (q = t; *q && q < part_end(t); q++)
				if (!strncmp(q, p, nlen)) {
					found = q;
					break;
				}
			if (!found || found == t)
				return 0;
			holes[*nholes].len = (size_t)(found - t);
		} else {
			holes[*nholes].len = (size_t)(part_end(t) - t);
			if (!holes[*nholes].len)
				return 0;
		}
		t += holes[(*nholes)++].len;
	}
	return (size_t)(t - s);
}

/* Appends n bytes of s to out[*used..size); a cut text takes nothing more. */
static void put(char *out, size_t size, size_t *used, const char *s, size_t n)
{
	int cut = 0;

	if (*used + 1 >= size)
		return;
	if (n > size - 1 - *used) {
		n = size - 1 - *used;
		cut = 1;
		/* never half a character: the text is printed as UTF-8 */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out + *used, s, n);
	out[*used + n] = '\0';
	*used = cut ? size - 1 : *used + n;
}

/*
 * The hole's text, or the translation of a phrase without holes that is
 * exactly that text (a field name, a record kind).
 */
static void put_hole(const struct phrase *table, size_t n, char *out, size_t size, size_t *used,
		     const struct hole *h)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr(table[i].from, '%') && strlen(table[i].from) == h->len &&
		    !strncmp(table[i].from, h->at, h->len)) {
			put(out, size, used, table[i].to, strlen(table[i].to));
			return;
		}
	put(out, size, used, h->at, h->len);
}

/* The translation of the phrase matched, holes filled in. */
static void put_phrase(const struct phrase *table, size_t n, char *out, size_t size, size_t *used,
		       const char *to, const struct hole *holes, int nholes)
{
	int h = 0;

	while (*to) {
		const char *hole = strstr(to, "%s");
		size_t lit = hole ? (size_t)(hole - to) : strlen(to);

		put(out, size, used, to, lit);
		if (!hole)
			break;
		if (h < nholes)
			put_hole(table, n, out, size, used, &holes[h++]);
		to = hole + 2;
	}
}

/* A phrase may start the text or follow "; " or ": " (after a quoted value too). */
static int at_boundary(const char *reason, const char *s)
{
	return s == reason || (s - reason >= 2 && (s[-2] == ';' || s[-2] == ':') && s[-1] == ' ');
}

void phrases_translate(const struct phrase *table, size_t n, const char *text, char *out,
		       size_t size)
{
	const char *s = text;
	size_t used = 0, i;

	if (size == 0)
		return;
	out[0] = '\0';
	while (*s) {
		struct hole holes[MAX_HOLES];
		int nholes = 0;
		size_t len = 0;

		for (i = 0; at_boundary(text, s) && i < n; i++)
			if ((len = match(table[i].from, s, holes, &nholes)) > 0)
				break;
		if (len) {
			put_phrase(table, n, out, size, &used, table[i].to, holes, nholes);
			s += len;
		} else {
			put(out, size, &used, s, 1);
			s++;
		}
	}
}
