#ifndef PM_ENCODING_H
#define PM_ENCODING_H

/*
 * Character encodings of the input files: UTF-8 (with or without BOM) and
 * GB18030/GBK, which Chinese Excel writes. Everything is converted to UTF-8
 * before the CSV reader sees it; since GB18030 never uses bytes below 0x30
 * inside a multibyte character, the CSV structure (, " CR LF TAB) is the
 * same before and after conversion.
 */

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

enum pm_encoding { PM_ENC_AUTO, PM_ENC_UTF8, PM_ENC_GB18030 };

/* "auto", "utf-8", "gb18030" */
const char *encoding_name(enum pm_encoding enc);

/* Parses utf-8|utf8|gb18030|gbk|auto (case-insensitive); -1 if unknown. */
int encoding_parse(const char *name);

/*
 * Byte length of the longest prefix of s that is valid UTF-8 (no overlongs,
 * no surrogates, nothing above U+10FFFF). If the rest is only the start of
 * a sequence cut off by the end of s, *truncated (if not NULL) is set to 1.
 */
size_t utf8_valid_prefix(const char *s, size_t n, int *truncated);

/* 1 if all of s is valid UTF-8. */
int utf8_valid(const char *s, size_t n);

/*
 * Copies s to out (capacity at least 3 * n + 1), replacing each NUL byte and
 * each byte that is not part of valid UTF-8 with U+FFFD, and NUL-terminates; returns the length.
 * Used to store the original text of rejected rows.
 */
size_t utf8_sanitize(const char *s, size_t n, char *out);

/*
 * Guessing the encoding of a file that is not valid UTF-8, fed in pieces
 * of any size (sequences may straddle pieces): counts its multibyte UTF-8
 * characters and its invalid UTF-8 sequences. A GB18030 export is invalid
 * UTF-8 at nearly every Chinese character; a UTF-8 file with a stray bad
 * byte is valid at nearly every one, and reading it as GB18030 would
 * silently garble them all.
 */
struct pm_encoding_score {
	int64_t utf8_chars, utf8_errors;
	int need;			/* continuation bytes still expected */
	unsigned char lo, hi;		/* allowed range of the next one */
};

void encoding_score_init(struct pm_encoding_score *sc);
void encoding_score_feed(struct pm_encoding_score *sc, const char *s, size_t n);
/* The end of the file: a sequence cut off counts as an error. */
void encoding_score_end(struct pm_encoding_score *sc);
/* UTF-8 if at least as many multibyte sequences are valid UTF-8 as not. */
enum pm_encoding encoding_score_pick(const struct pm_encoding_score *sc);

/*
 * The byte written for an input byte that is not valid GB18030: 0xFF never
 * occurs in UTF-8, so the row holding it fails UTF-8 validation and is
 * rejected with a reason instead of being stored garbled.
 */
#define PM_BAD_BYTE 0xFF

struct pm_gb18030 {
	iconv_t cd;
};

int gb18030_open(struct pm_gb18030 *gb, pm_error *err);
void gb18030_close(struct pm_gb18030 *gb);

/*
 * Converts GB18030 in[0..n) to UTF-8 into out[0..cap). Stops when the input
 * is used up or fewer than 8 bytes of output remain. A multibyte sequence
 * cut off at the end of in is left unconsumed (the caller passes it again
 * with the next bytes) unless final is set. Byte 0x80 (the euro sign in
 * Microsoft's CP936, which glibc's GB18030 does not map) becomes U+20AC; any
 * other invalid byte becomes PM_BAD_BYTE.
 */
void gb18030_convert(struct pm_gb18030 *gb, const char *in, size_t n, int final,
		     char *out, size_t cap, size_t *consumed, size_t *produced);

#endif
