#ifndef PM_UTF8_H
#define PM_UTF8_H

/*
 * UTF-8 for the modules that print or write text (util/term.c, the JSON
 * writer, the rules file reader). The importer's own, faster validation is
 * in etl/encoding.c; the rules are the same: no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 */

#include <stddef.h>

/*
 * Length (1-4) of the valid UTF-8 sequence at s[0..n), or 0 if the bytes
 * there are not valid UTF-8 or the sequence is cut off by n.
 */
int utf8_sequence_length(const char *s, size_t n);

/* The code point of a sequence utf8_sequence_length() accepted. */
unsigned utf8_code_point(const char *s, int len);

/*
 * Levenshtein distance between two NUL-terminated texts counted in
 * characters (code points), not bytes: '翠湖' is one edit from '翠湖苑'. A
 * byte that is not valid UTF-8 counts as one character. Texts longer than
 * 256 characters are compared on their first 256. (util/edit_distance.c)
 */
int utf8_edit_distance(const char *a, const char *b);

#endif
