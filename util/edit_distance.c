/*
 * Edit distance on characters: the known-sites list of an unknown --site
 * is ordered by it (db/sites.c), closest first.
 */
#include <string.h>
#include "util/utf8.h"

#define MAX_CHARS 256

/* Splits s into code points (an invalid byte is one unit); returns how many. */
static int code_points(const char *s, unsigned *out)
{
	size_t n = strlen(s), i = 0;
	int count = 0;

	while (i < n && count < MAX_CHARS) {
		int len = utf8_sequence_length(s + i, n - i);

		if (len == 0) {
			out[count++] = 0x110000u + (unsigned char)s[i];
			i++;
		} else {
			out[count++] = utf8_code_point(s + i, len);
			i += (size_t)len;
		}
	}
	return count;
}

int utf8_edit_distance(const char *a, const char *b)
{
	unsigned ca[MAX_CHARS], cb[MAX_CHARS];
	int row[MAX_CHARS + 1];
	int na = code_points(a, ca), nb = code_points(b, cb), i, j;

	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		int diag = row[0];

		row[0] = i;
		for (j = 1; j <= nb; j++) {
			int up = row[j], best = diag + (ca[i - 1] != cb[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}
