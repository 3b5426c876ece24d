/*
 * Writing CSV for people: BOM, CRLF, RFC 4180 quoting (util/csv_write.h).
 */
#include <string.h>
#include "util/csv_write.h"

void csv_write_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
