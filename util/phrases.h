#ifndef PM_PHRASES_H
#define PM_PHRASES_H

#include <stddef.h>

/*
 * Texts the program stores in English (reject reasons, findings' details)
 * shown in another language: each phrase of a table found at the start of
 * the text or of one of its parts (after "; " or ": ") is replaced by its
 * translation, the rest (quoted values, ids, names) is kept as it is.
 *
 * A phrase's "%s" is a hole: it takes the text up to the phrase's next
 * literal part, or, for a last hole, up to the end of the part ("; " or
 * the end of the text); the translation gets the holes in the same order,
 * each translated if it is exactly a phrase of the table without holes (a
 * field name, a record kind), else as it is.
 * The first phrase of the table that matches wins: a longer phrase comes
 * before one it begins with. out always holds a terminated text, cut
 * between two UTF-8 characters if it is too short.
 */
struct phrase {
	const char *from, *to;
};

void phrases_translate(const struct phrase *table, size_t n, const char *text, char *out,
		       size_t size);

#endif
