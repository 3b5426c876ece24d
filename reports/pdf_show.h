#ifndef PM_PDF_SHOW_H
#define PM_PDF_SHOW_H

#include <hpdf.h>

/*
 * A table cell's line of text written into the page's content stream
 * (reports/pdf.c's own helper, not a public header of reports/).
 *
 * A 3,000-page checklist shows 600,000 lines, each one
 * HPDF_Page_SetTextMatrix() and HPDF_Page_ShowText(): per call libharu
 * clears a 512-byte buffer byte by byte, formats six numbers, measures the
 * text again (a linear search of the font's cmap per character), and
 * encodes it into a fresh allocation, a byte at a time. That was half of
 * the layout's time. This writes the same bytes -- "1 0 0 1 x y Tm", then
 * "<hex> Tj" unless the text has no width (libharu writes nothing then) --
 * in one write, the numbers formatted by libharu's own HPDF_FToA(), and
 * leaves the page's text state as those two calls leave it.
 *
 * Only for text whose every character is canonical UTF-8 of the Basic
 * Multilingual Plane (libharu's UTF-8 encoder writes each as its code
 * point, two bytes): pdf_show_fits() says so; otherwise the caller draws
 * with libharu's calls. Inside a text object (HPDF_Page_BeginText()),
 * with the document's UTF-8 CID font set.
 */

/* 1: pdf_show_line() writes len bytes of text as libharu would. */
int pdf_show_fits(const char *text, int len);
/*
 * "1 0 0 1 x y Tm\n", and "<...> Tj\n" when width (the text's width in
 * points, as HPDF_Page_TextWidth() gives it) is not 0. Errors as
 * libharu's: kept in the document (its error handler).
 */
void pdf_show_line(HPDF_Page page, HPDF_REAL x, HPDF_REAL y, const char *text, int len,
		   HPDF_REAL width);

#endif
