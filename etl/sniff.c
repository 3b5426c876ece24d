/*
 * Telling a text file from a workbook, picture or program (etl/sniff.h).
 */
#include <string.h>
#include "etl/sniff.h"
#include "util/i18n.h"

struct signature {
	const char *magic;
	size_t len;
	const char *what;
};

/* what the file seems to be: stored in English, shown through the catalogue (N_) */
static const struct signature SIGNATURES[] = {
	{ "PK\x03\x04", 4, N_("a ZIP archive, e.g. an Excel .xlsx workbook: save it as CSV first") },
	{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8,
	  N_("an Office document, e.g. an Excel .xls workbook: save it as CSV first") },
	{ "\xff\xfe", 2, N_("UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\"") },
	{ "\xfe\xff", 2, N_("UTF-16 text: save it as \"CSV UTF-8\"") },
	{ "%PDF-", 5, N_("a PDF document") },
	{ "\x89PNG\r\n\x1a\n", 8, N_("a PNG image") },
	{ "\xff\xd8\xff", 3, N_("a JPEG image") },
	{ "GIF8", 4, N_("a GIF image") },
	{ "\x1f\x8b", 2, N_("gzip-compressed data: unpack it first") },
	{ "\x7f" "ELF", 4, N_("a program (ELF)") },
};

static int is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

const char *sniff_binary(const unsigned char *s, size_t n)
{
	size_t i, controls = 0;

	for (i = 0; i < sizeof(SIGNATURES) / sizeof(SIGNATURES[0]); i++)
		if (n >= SIGNATURES[i].len && !memcmp(s, SIGNATURES[i].magic, SIGNATURES[i].len))
			return SIGNATURES[i].what;
	if (n > PM_SNIFF_BYTES)
		n = PM_SNIFF_BYTES;
	for (i = 0; i < n; i++)
		controls += is_control(s[i]);
	/*
	 * A few NUL bytes or escape codes in a text export are the business
	 * of the rows that hold them (rejected one by one); a file made of
	 * them is not a CSV file.
	 */
	return controls * 32 > n ? N_("binary data") : NULL;
}
