#ifndef PM_CSV_WRITE_H
#define PM_CSV_WRITE_H

#include <stdio.h>

/*
 * Writing CSV for people (the breach exports, the inspection checklist,
 * the rejected rows): UTF-8 with a byte order mark, since Excel takes a
 * file without one for the local code page, and CRLF line ends (RFC 4180).
 */
#define CSV_UTF8_BOM "\xEF\xBB\xBF"

/*
 * Writes one field, no separator: quoted when it holds a comma, quote, CR
 * or LF, with its quotes doubled (RFC 4180). NULL is written as empty.
 *
 * Formula injection (OWASP "CSV Injection"): a cell that starts with '=',
 * '+', '-', '@', a tab or a CR is taken by Excel and LibreOffice for a
 * formula (=HYPERLINK(...), =cmd|...). Such a cell is written with a single
 * quote in front, which the spreadsheet shows but does not evaluate. A
 * plain number (-20.00, +5, -3) is no formula and stays as it is, so that
 * amounts remain numbers. csv_write_raw(1) (--raw-csv) turns this off for
 * the whole process, for programs that read the values back exactly.
 */
void csv_write_field(FILE *f, const char *s);
void csv_write_raw(int raw);

/* Whether csv_write_field would put a quote in front of s (for the tests). */
int csv_needs_defusing(const char *s);

#endif
