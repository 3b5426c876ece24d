/*
 * A cell's line written by pdf_show_line() is byte for byte what libharu's
 * HPDF_Page_SetTextMatrix() and HPDF_Page_ShowText() write, and leaves the
 * page's text state as they do: every character of the Basic Multilingual
 * Plane, strings of them, numbers of every shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>
#include "reports/pdf.h"
#include "reports/pdf_show.h"

struct two_pages {
	HPDF_Doc pdf;
	HPDF_Page by_libharu, by_show;
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	(void)data;
	fail_msg("libharu error 0x%04X (detail %u)", (unsigned)code, (unsigned)detail);
}

/* Two pages inside a text object, the report's font set (as pdf.c sets it). */
static void open_pages(struct two_pages *t)
{
	const char *name;
	HPDF_Font font;

	t->pdf = HPDF_New(on_error, NULL);
	assert_non_null(t->pdf);
	HPDF_UseUTFEncodings(t->pdf);
	HPDF_SetCurrentEncoder(t->pdf, "UTF-8");
	name = HPDF_LoadTTFontFromFile2(t->pdf, PDF_FONT_PATH, 0, HPDF_TRUE);
	assert_non_null(name);
	font = HPDF_GetFont(t->pdf, name, "UTF-8");
	assert_non_null(font);
	t->by_libharu = HPDF_AddPage(t->pdf);
	t->by_show = HPDF_AddPage(t->pdf);
	HPDF_Page_BeginText(t->by_libharu);
	HPDF_Page_SetFontAndSize(t->by_libharu, font, 8);
	HPDF_Page_BeginText(t->by_show);
	HPDF_Page_SetFontAndSize(t->by_show, font, 8);
}

/* A page's content so far, NUL-terminated; the caller frees it. */
static char *content(HPDF_Page page)
{
	HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
	HPDF_UINT n = HPDF_MemStream_GetBufCount(s), i, len;
	char *out = malloc(s->size + 1), *p = out;

	assert_non_null(out);
	for (i = 0; i < n; i++) {
		HPDF_BYTE *block = HPDF_MemStream_GetBufPtr(s, i, &len);

		memcpy(p, block, len);
		p += len;
	}
	*p = '\0';
	assert_int_equal(p - out, s->size);
	return out;
}

/* The line drawn both ways; the text state after it the same. */
static void show_both(struct two_pages *t, float x, float y, const char *text)
{
	HPDF_PageAttr a = (HPDF_PageAttr)t->by_libharu->attr;
	HPDF_PageAttr b = (HPDF_PageAttr)t->by_show->attr;
	int len = (int)strlen(text);

	assert_true(pdf_show_fits(text, len));
	HPDF_Page_SetTextMatrix(t->by_libharu, 1, 0, 0, 1, x, y);
	HPDF_Page_ShowText(t->by_libharu, text);
	pdf_show_line(t->by_show, x, y, text, len, HPDF_Page_TextWidth(t->by_show, text));
	assert_true(a->text_matrix.x == b->text_matrix.x && a->text_matrix.y == b->text_matrix.y);
	assert_true(a->text_matrix.a == b->text_matrix.a && a->text_matrix.d == b->text_matrix.d);
	assert_true(a->text_pos.x == b->text_pos.x && a->text_pos.y == b->text_pos.y);
}

static void compare_and_close(struct two_pages *t)
{
	char *a = content(t->by_libharu), *b = content(t->by_show);
	size_t i = 0;

	assert_true(strlen(a) > 0);
	while (a[i] && a[i] == b[i])
		i++;
	/* the first difference, not megabytes of both */
	if (a[i] != b[i])
		fail_msg("at byte %zu: libharu \"%.60s\", pdf_show \"%.60s\"", i,
			 a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
	free(a);
	free(b);
	HPDF_Free(t->pdf);
}

/* One character's UTF-8 (BMP, not a surrogate) into buf. */
static void utf8_of(unsigned c, char *buf)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		buf[1] = '\0';
	} else if (c < 0x800) {
		buf[0] = (char)(0xC0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3F));
		buf[2] = '\0';
	} else {
		buf[0] = (char)(0xE0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (c & 0x3F));
		buf[3] = '\0';
	}
}

/*
 * Every character of the plane on its own (some have no width: libharu
 * then writes no Tj), at places with every shape of number.
 */
static void test_every_bmp_character(void **state)
{
	static const float xs[] = { 60.8504f, 0, 545.276f, 1e-6f, 0.5f, 123.456789f, 32767.5f };
	struct two_pages t;
	unsigned c;

	(void)state;
	open_pages(&t);
	for (c = 1; c <= 0xFFFF; c++) {
		char ch[4];

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		utf8_of(c, ch);
		show_both(&t, xs[c % 7], 841.89f - (float)(c % 997) * 0.37f, ch);
	}
	compare_and_close(&t);
}

/* Cells as the checklist has them, cut lines, an empty line, negative places. */
static void test_strings_and_places(void **state)
{
	static const char *texts[] = {
		"T2026070000123", "翠湖花园 · 3栋", "2026-07-21", "10:27",
		"已回访（客户满意）…", "R-1  回访率", "98.50%", "—", "", " ", "a b  c ",
		"第 12 页 / 共 2949 页", "Ünïcödé ½ €", "\xef\xbf\xbd\xef\xbf\xbf",
	};
	static const float places[][2] = {
		{ 60.8504f, 268.48999f }, { 156.1825f, 246.89f }, { -3.5f, -0.25f },
		{ 0.000004f, 99999.0f }, { 1e-9f, 841.89f }, { 387.31131f, 1.0f },
	};
	struct two_pages t;
	size_t i, k;

	(void)state;
	open_pages(&t);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (k = 0; k < sizeof(places) / sizeof(places[0]); k++)
			show_both(&t, places[k][0], places[k][1], texts[i]);
	compare_and_close(&t);
}

/* Only canonical UTF-8 of the plane is for pdf_show_line(). */
static void test_fits(void **state)
{
	(void)state;
	assert_true(pdf_show_fits("abc 翠湖 ½", (int)strlen("abc 翠湖 ½")));
	assert_true(pdf_show_fits("", 0));
	assert_false(pdf_show_fits("\xf0\x9f\x98\x80", 4));       /* past U+FFFF */
	assert_false(pdf_show_fits("\xc0\x80", 2));               /* overlong */
	assert_false(pdf_show_fits("\xe0\x80\xaf", 3));           /* overlong */
	assert_false(pdf_show_fits("\xed\xa0\x80", 3));           /* a surrogate */
	assert_false(pdf_show_fits("\xe7\xbf", 2));               /* cut */
	assert_false(pdf_show_fits("a\x80z", 3));                 /* stray byte */
	assert_false(pdf_show_fits("\xe7\xbf\xa0", 2));           /* cut by len */
	assert_false(pdf_show_fits("a\0b", 3));                   /* a NUL inside */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_bmp_character),
		cmocka_unit_test(test_strings_and_places),
		cmocka_unit_test(test_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
