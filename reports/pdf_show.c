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

/* a cell's line (draw_cell(): at most 1,024 bytes) as 4 hex digits a byte */
#define LINE_MAX 1024
#define NUM_MAX 32

int pdf_show_fits(const char *text, int len)
{
	const unsigned char *u = (const unsigned char *)text;
	int i = 0;

	if (len > LINE_MAX)
		return 0;
	while (i < len) {
		unsigned c;

		if (u[i] < 0x80) {
			if (!u[i])
				return 0;
			i++;
			continue;
		}
		/* two or three bytes, canonical, no surrogate: one BMP code point */
		if ((u[i] & 0xE0) == 0xC0) {
			if (i + 1 >= len || (u[i + 1] & 0xC0) != 0x80)
				return 0;
			c = ((u[i] & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu);
			if (c < 0x80)
				return 0;
			i += 2;
		} else if ((u[i] & 0xF0) == 0xE0) {
			if (i + 2 >= len || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80)
				return 0;
			c = ((u[i] & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
			if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
				return 0;
			i += 3;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Each character's code point as four upper-case hex digits (libharu's encoder). */
static char *put_hex(char *p, const char *text, int len)
{
	static const char digits[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)text;
	int i = 0;

	while (i < len) {
		unsigned c;

		if (u[i] < 0x80) {
			c = u[i++];
		} else if ((u[i] & 0xE0) == 0xC0) {
			c = ((u[i] & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu);
			i += 2;
		} else {
			c = ((u[i] & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
			i += 3;
		}
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
