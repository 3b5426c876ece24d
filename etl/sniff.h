#ifndef PM_SNIFF_H
#define PM_SNIFF_H

/*
 * Telling a text file from something else passed by mistake (an Excel
 * workbook, a picture, a program) before any of it is parsed as CSV, so
 * that the user hears "this is an .xlsx workbook" instead of a puzzling
 * header error or a few thousand rejected "rows" of binary noise.
 */

#include <stddef.h>

/* How much of the start of a file sniff_binary() looks at. */
#define PM_SNIFF_BYTES (64u * 1024)

/*
 * Looks at the first n bytes of a file. Returns NULL for text (UTF-8,
 * GB18030 or ASCII, whatever the content), or a phrase naming what the
 * file looks like instead: a known signature (ZIP/.xlsx, .xls, PDF, PNG,
 * JPEG, GIF, gzip, ELF, UTF-16 text), or "binary data" when more than one
 * byte in 32 is a control character other than TAB, CR and LF (about one
 * in nine is, in compressed or random data; text has none).
 */
const char *sniff_binary(const unsigned char *s, size_t n);

#endif
