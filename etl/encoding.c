/*
 * Detecting UTF-8 or GB18030 and converting to UTF-8 (etl/encoding.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "etl/encoding.h"

const char *encoding_name(enum pm_encoding enc)
{
	switch (enc) {
	case PM_ENC_UTF8:
		return "utf-8";
	case PM_ENC_GB18030:
		return "gb18030";
	default:
		return "auto";
	}
}

int encoding_parse(const char *name)
{
	if (!strcasecmp(name, "auto"))
		return PM_ENC_AUTO;
	if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
		return PM_ENC_UTF8;
	if (!strcasecmp(name, "gb18030") || !strcasecmp(name, "gbk") || !strcasecmp(name, "cp936"))
		return PM_ENC_GB18030;
	return -1;
}

/*
 * Length of the UTF-8 sequence starting at s[0..n): >0 if valid, 0 if
 * invalid, -1 if valid so far but cut off by n.
 */
static int utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	int len, i;
	unsigned char lo = 0x80, hi = 0xBF;	/* allowed range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;	/* overlong */
		else if (c == 0xED)
			hi = 0x9F;	/* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;	/* overlong */
		else if (c == 0xF4)
			hi = 0x8F;	/* above U+10FFFF */
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if (i == 1 ? (s[i] < lo || s[i] > hi) : (s[i] < 0x80 || s[i] > 0xBF))
			return 0;
	}
	return len;
}

size_t utf8_valid_prefix(const char *str, size_t n, int *truncated)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	int len;

	if (truncated)
		*truncated = 0;
	while (i < n) {
		unsigned char c = s[i];

		/* fast path over ASCII, which is most of any export: 8 bytes a step */
		if (c < 0x80) {
			uint64_t word;

			while (i + 8 <= n) {
				memcpy(&word, s + i, 8);
				if (word & 0x8080808080808080ull)
					break;
				i += 8;
			}
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		/*
		 * Chinese characters: lead bytes E1..EC and EE..EF take any two
		 * continuation bytes (E0 and ED have narrower ranges, below).
		 */
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 2 < n &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		len = utf8_sequence(s + i, n - i);
		if (len < 0 && truncated)
			*truncated = 1;
		if (len <= 0)
			break;
		i += len;
	}
	return i;
}

int utf8_valid(const char *s, size_t n)
{
	return utf8_valid_prefix(s, n, NULL) == n;
}

size_t utf8_sanitize(const char *str, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0;
	int len;

	while (i < n) {
		len = s[i] ? utf8_sequence(s + i, n - i) : 0;
		if (len > 0) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

void encoding_score_init(struct pm_encoding_score *sc)
{
	memset(sc, 0, sizeof(*sc));
}

/* One byte through a UTF-8 decoder that counts and resynchronises. */
static void score_byte(struct pm_encoding_score *sc, unsigned char c)
{
	if (sc->need > 0) {
		if (c >= sc->lo && c <= sc->hi) {
			sc->lo = 0x80;
			sc->hi = 0xBF;
			if (--sc->need == 0)
				sc->utf8_chars++;
			return;
		}
		/* the sequence broke off: an error, and c starts afresh */
		sc->utf8_errors++;
		sc->need = 0;
	}
	sc->lo = 0x80;
	sc->hi = 0xBF;
	if (c < 0x80)
		return;
	if (c >= 0xC2 && c <= 0xDF)
		sc->need = 1;
	else if (c >= 0xE0 && c <= 0xEF) {
		sc->need = 2;
		if (c == 0xE0)
			sc->lo = 0xA0;	/* overlong */
		else if (c == 0xED)
			sc->hi = 0x9F;	/* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		sc->need = 3;
		if (c == 0xF0)
			sc->lo = 0x90;	/* overlong */
		else if (c == 0xF4)
			sc->hi = 0x8F;	/* above U+10FFFF */
	} else
		sc->utf8_errors++;
}

void encoding_score_feed(struct pm_encoding_score *sc, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++)
		score_byte(sc, u[i]);
}

void encoding_score_end(struct pm_encoding_score *sc)
{
	if (sc->need)
		sc->utf8_errors++;
	sc->need = 0;
}

enum pm_encoding encoding_score_pick(const struct pm_encoding_score *sc)
{
	return sc->utf8_chars >= sc->utf8_errors ? PM_ENC_UTF8 : PM_ENC_GB18030;
}

int gb18030_open(struct pm_gb18030 *gb, pm_error *err)
{
	gb->cd = iconv_open("UTF-8", "GB18030");
	if (gb->cd == (iconv_t)-1)
		return pm_fail(err, "iconv cannot convert GB18030 to UTF-8: %s", strerror(errno));
	return 0;
}

void gb18030_close(struct pm_gb18030 *gb)
{
	if (gb->cd != (iconv_t)-1)
		iconv_close(gb->cd);
	gb->cd = (iconv_t)-1;
}

/*
 * Excel's CP936 writes the euro sign as the single byte 0x80, which glibc's
 * GB18030 does not map to U+20AC: iconv stops there as at any invalid
 * byte, and we write the euro sign instead of PM_BAD_BYTE. Deciding it
 * where iconv stops, rather than by scanning ahead for 0x80 bytes, keeps
 * the result the same wherever the input is cut into pieces: a scan and
 * iconv's recovery after a bad byte could disagree on where characters
 * start, and then a read boundary changed the output.
 */
void gb18030_convert(struct pm_gb18030 *gb, const char *in, size_t n, int final,
		     char *out, size_t cap, size_t *consumed, size_t *produced)
{
	char *inp = (char *)in, *outp = out;
	size_t inleft = n, outleft = cap;

	while (inleft > 0 && outleft >= 8) {
		/* keep 8 bytes spare so that a replacement always fits */
		size_t room = outleft - 8;
		size_t rc = iconv(gb->cd, &inp, &inleft, &outp, &room);

		outleft = room + 8;
		if (rc != (size_t)-1)
			continue;
		if (errno == E2BIG)
			break;
		if (errno == EINVAL && !final)
			break;	/* cut-off sequence: wait for the next bytes */
		/* iconv stopped at the first byte of the character it could not convert */
		if ((unsigned char)*inp == 0x80) {
			memcpy(outp, "\xe2\x82\xac", 3);
			outp += 3;
			outleft -= 3;
		} else {
			*outp++ = (char)PM_BAD_BYTE;
			outleft--;
		}
		inp++;
		inleft--;
	}
	*consumed = n - inleft;
	*produced = cap - outleft;
}
