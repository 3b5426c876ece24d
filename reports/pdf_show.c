/*
 * A table cell's line of text written as libharu writes it (pdf_show.h).
 * libharu's page record is read through its installed header
 * (hpdf_pages.h): the page's content stream, its text matrix and position.
 */
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdint.h>
#include <string.h>
#include "reports/pdf_show.h"
#include "util/utf8.h"

/* a cell's line (draw_cell(): at most 1,024 bytes) as 4 hex digits a byte */
#define LINE_MAX 1024
#define NUM_MAX 32

int pdf_show_fits(const char *text, int len)
{
	int i = 0, n;

	if (len > LINE_MAX)
		return 0;
	/* canonical UTF-8 (util/utf8.h), no NUL, no character past U+FFFF */
	for (i = 0; i < len; i += n) {
		n = utf8_sequence_length(text + i, (size_t)(len - i));
		if (n == 0 || n == 4 || !text[i])
			return 0;
	}
	return 1;
}

/* Each character's code point as four upper-case hex digits (libharu's encoder). */
static char *put_hex(char *p, const char *text, int len)
{
	static const char digits[] = "0123456789ABCDEF";
	int i, n;

	for (i = 0; i < len; i += n) {
		unsigned c;

		n = utf8_sequence_length(text + i, (size_t)(len - i));
		c = utf8_code_point(text + i, n);
		*p++ = digits[c >> 12];
		*p++ = digits[(c >> 8) & 0xF];
		*p++ = digits[(c >> 4) & 0xF];
		*p++ = digits[c & 0xF];
	}
	return p;
}

/*
 * Numbers formatted lately, by their bits: a row's lines share their
 * baselines across its cells, and a column's lines their left edge, so
 * most numbers were formatted a moment ago. Per thread: each thread
 * lays out documents of its own.
 */
#define RECENT 64

struct recent_real {
	uint32_t bits;
	unsigned char len;        /* 0: empty */
	char text[NUM_MAX - 1];
};

static _Thread_local struct recent_real recent[RECENT];

/* A number as HPDF_Page_SetTextMatrix() writes it: libharu's own formatting. */
static char *put_real(char *p, HPDF_REAL v)
{
	struct recent_real *r;
	char num[NUM_MAX];
	uint32_t bits;
	char *end;

	memcpy(&bits, &v, sizeof(bits));
	r = &recent[(bits ^ (bits >> 11) ^ (bits >> 23)) % RECENT];
	if (!r->len || r->bits != bits) {
		memset(num, 0, sizeof(num));
		end = HPDF_FToA(num, v, num + sizeof(num) - 1);
		r->bits = bits;
		r->len = (unsigned char)(end - num);
		memcpy(r->text, num, r->len);
	}
	memcpy(p, r->text, r->len);
	return p + r->len;
}

void pdf_show_line(HPDF_Page page, HPDF_REAL x, HPDF_REAL y, const char *text, int len,
		   HPDF_REAL width)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	char buf[16 + 2 * NUM_MAX + 4 * LINE_MAX + 8];
	char *p = buf;

	memcpy(p, "1 0 0 1 ", 8);
	p = put_real(p + 8, x);
	*p++ = ' ';
	p = put_real(p, y);
	memcpy(p, " Tm\n", 4);
	p += 4;
	/* HPDF_Page_ShowText() writes nothing for text of no width */
	if (width != 0) {
		*p++ = '<';
		p = put_hex(p, text, len);
		memcpy(p, "> Tj\n", 5);
		p += 5;
	}
	if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf)) != HPDF_OK) {
		HPDF_CheckError(page->error);
		return;
	}
	/* the state the two calls leave: the matrix set, the position after the text */
	attr->text_matrix.a = 1;
	attr->text_matrix.b = 0;
	attr->text_matrix.c = 0;
	attr->text_matrix.d = 1;
	attr->text_matrix.x = x;
	attr->text_matrix.y = y;
	attr->text_pos.x = x + (width != 0 ? width : 0);
	attr->text_pos.y = y;
}
