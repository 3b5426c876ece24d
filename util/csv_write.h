#ifndef PM_CSV_WRITE_H
#define PM_CSV_WRITE_H

#include <stdio.h>

/*
 * Writing CSV for people (the breach exports, the inspection checklist):
 * UTF-8 with a byte order mark, since Excel takes a file without one for
 * the local code page, and CRLF line ends (RFC 4180).
 */
#define CSV_UTF8_BOM "\xEF\xBB\xBF"

/*
 * Writes one field, no separator: quoted when it holds a comma, quote, CR
 * or LF, with its quotes doubled (RFC 4180). NULL is written as empty.
 */
void csv_write_field(FILE *f, const char *s);

#endif
