/*
 * File names from names in the data (util/safe_name.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "util/safe_name.h"
#include "util/utf8.h"

static int replaced_byte(unsigned char c)
{
	return c < 0x20 || c == 0x7f || strchr("/\\<>:\"|?*", c);
}

/* CON, PRN, AUX, NUL, COM1-9, LPT1-9, alone or before a '.' */
static int device_name(const char *s)
{
	static const char *const names[] = { "CON", "PRN", "AUX", "NUL" };
	size_t len = strcspn(s, "."), i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == 3 && !strncasecmp(s, names[i], 3))
			return 1;
	return len == 4 && (!strncasecmp(s, "COM", 3) || !strncasecmp(s, "LPT", 3)) &&
	       s[3] >= '1' && s[3] <= '9';
}

/* FNV-1a: stable across runs and machines */
static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int safe_file_name(const char *name, char *out)
{
	size_t n = strlen(name), i = 0, len = 0;
	int changed = 0;

	while (i < n) {
		int k = utf8_sequence_length(name + i, n - i);
		int bad = !k || (k == 1 && replaced_byte((unsigned char)name[i]));

		if (!k)
			k = 1;
		if (len + (bad ? 1 : (size_t)k) > SAFE_NAME_MAX) {
			changed = 1;        /* cut: too long */
			break;
		}
		if (bad || (len == 0 && (name[i] == '.' || name[i] == ' '))) {
			out[len++] = '_';
			changed = 1;
		} else {
			memcpy(out + len, name + i, (size_t)k);
			len += (size_t)k;
		}
		i += (size_t)k;
	}
	while (len && (out[len - 1] == '.' || out[len - 1] == ' ')) {
		len--;
		changed = 1;
	}
	out[len] = '\0';
	if (!len) {
		strcpy(out, "site");
		changed = 1;
	} else if (device_name(out)) {
		/* room for the '_': cut the last character, not half of it */
		while (len >= SAFE_NAME_MAX) {
			len--;
			while (len && ((unsigned char)out[len] & 0xc0) == 0x80)
				len--;
		}
		memmove(out + 1, out, len);
		out[0] = '_';
		out[len + 1] = '\0';
		changed = 1;
	}
	if (changed)
		snprintf(out + strlen(out), SAFE_NAME_SIZE - strlen(out), "-%08x", name_hash(name));
	return changed;
}
