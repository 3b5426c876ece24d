/*
 * A stored record's JSON array taken apart (db/record_json.h).
 */
#include <string.h>
#include "db/record_json.h"

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* \uXXXX of 0x01-0x7f: the character; else -1 (SQLite's reading is the caller's). */
static int ascii_escape(const char *p, const char *end)
{
	int i, v = 0;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		int h = hex(p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v >= 1 && v <= 0x7f ? v : -1;
}

/* A string from *p (at its opening quote) into *out; -1 for what is not in our form. */
static int string(const char **p, const char *end, char **out)
{
	static const char plain[] = "\"\\/bfnrt", made[] = "\"\\/\b\f\n\r\t";
	const char *s = *p + 1;
	char *o = *out;

	while (s < end && *s != '"') {
		unsigned char c = (unsigned char)*s;
		const char *k;

		if (c < 0x20)
			return -1;
		if (c != '\\') {
			*o++ = *s++;
			continue;
		}
		if (s + 1 >= end)
			return -1;
		if (s[1] == 'u') {
			int v = ascii_escape(s + 2, end);

			if (v < 0)
				return -1;
			*o++ = (char)v;
			s += 6;
		} else if (s[1] && (k = strchr(plain, s[1]))) {
			*o++ = made[k - plain];
			s += 2;
		} else {
			return -1;
		}
	}
	if (s >= end)
		return -1;
	*o++ = '\0';
	*p = s + 1;
	*out = o;
	return 0;
}

/* An integer of 1-18 digits, perhaps negative; -1 for any other number. */
static int integer(const char **p, const char *end, long long *v)
{
	const char *s = *p;
	int neg = 0, digits = 0;

	*v = 0;
	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	while (s < end && *s >= '0' && *s <= '9' && digits < 19) {
		*v = *v * 10 + (*s++ - '0');
		digits++;
	}
	/* a real, an exponent, a leading zero, too many digits: SQLite's */
	if (digits == 0 || digits > 18 || (s < end && strchr(".eE0123456789", *s)) ||
	    (digits > 1 && (*p)[neg] == '0'))
		return -1;
	if (neg)
		*v = -*v;
	*p = s;
	return 0;
}

static int element(const char **p, const char *end, char **buf, struct record_json *out, int i)
{
	const char *s = *p;

	if (s >= end)
		return -1;
	if (*s == '"') {
		out->type[i] = RECORD_JSON_TEXT;
		out->text[i] = *buf;
		return string(p, end, buf);
	}
	if (end - s >= 4 && !memcmp(s, "null", 4)) {
		*p = s + 4;
		return 0;
	}
	out->type[i] = RECORD_JSON_INT;
	return integer(p, end, &out->num[i]);
}

int record_json_parse(const char *json, size_t n, char *buf, struct record_json *out)
{
	const char *p = json, *end = json + n;
	int i;

	memset(out, 0, sizeof(*out));
	if (p >= end || *p++ != '[')
		return -1;
	if (p < end && *p == ']')
		return p + 1 == end ? 0 : -1;
	for (i = 0; i < RECORD_JSON_FIELDS; i++) {
		if (element(&p, end, &buf, out, i))
			return -1;
		out->n = i + 1;
		if (p < end && *p == ']')
			return p + 1 == end ? 0 : -1;
		if (p >= end || *p++ != ',')
			return -1;
	}
	return -1;
}
