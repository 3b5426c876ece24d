/*
 * Writing CSV for people: BOM, CRLF, RFC 4180 quoting (util/csv_write.h).
 */
#include <string.h>
#include "util/csv_write.h"

/* Set once by the command from --raw-csv, before anything is written. */
static int write_raw;

void csv_write_raw(int raw)
{
	write_raw = raw;
}

/* "-20.00", "+5", "-3": an optional sign, digits, optionally '.' and digits. */
static int is_plain_number(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');
	const char *digits = p;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p == digits)
		return 0;
	if (*p == '.') {
		const char *frac = ++p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == frac)
			return 0;
	}
	return *p == '\0';
}

int csv_needs_defusing(const char *s)
{
	return s && *s && strchr("=+-@\t\r", *s) && !is_plain_number(s);
}

void csv_write_field(FILE *f, const char *s)
{
	int defuse;

	if (!s)
		return;
	defuse = !write_raw && csv_needs_defusing(s);
	if (!strpbrk(s, ",\"\r\n")) {
		if (defuse)
			fputc('\'', f);
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (defuse)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
