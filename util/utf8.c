/*
 * Validating and decoding UTF-8 (util/utf8.h).
 */
#include "util/utf8.h"

int utf8_sequence_length(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c, lo = 0x80, hi = 0xBF;
	int len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80;	/* overlong */
		hi = c == 0xED ? 0x9F : 0xBF;	/* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;	/* overlong */
		hi = c == 0xF4 ? 0x8F : 0xBF;	/* above U+10FFFF */
	} else
		return 0;
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++)
		if (i == 1 ? (s[i] < lo || s[i] > hi) : (s[i] < 0x80 || s[i] > 0xBF))
			return 0;
	return len;
}

unsigned utf8_code_point(const char *str, int len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned cp = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
	int i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3Fu);
	return cp;
}
