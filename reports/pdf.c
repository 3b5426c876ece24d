/*
 * Report layout over libharu. Pages flow: a cursor y moves down the current
 * page and every block first makes sure it fits, else opens a new page.
 * Footers are drawn at save time because "共 N 页" needs the page count.
 */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/pdf.h"
#include "reports/pdf_deflate.h"
#include "reports/pdf_mem.h"
#include "reports/pdf_show.h"
#include "util/utf8.h"

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 50.0
#define MARGIN_TOP 62.0
#define MARGIN_BOTTOM 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)

#define BODY_SIZE 10.0
#define NOTE_SIZE 8.0
#define CELL_SIZE 8.0
#define CELL_PAD 3.0
#define CELL_MAX_LINES 3
#define MAX_COLS 16
#define MAX_LINES 400
/* Headings and the text after them held back for what they introduce. */
#define MAX_PENDING 12
/* Text held back with its headings at most (a longer text is content enough). */
#define PENDING_TEXT_MAX 220.0

/* The palette: a dark blue for structure, green/red only for pass/fail. */
static const float INK[3] = { 0.13f, 0.13f, 0.13f };
static const float BLUE[3] = { 0.11f, 0.25f, 0.45f };
static const float GREY[3] = { 0.45f, 0.45f, 0.45f };
static const float RULE[3] = { 0.75f, 0.78f, 0.82f };
static const float STRIPE[3] = { 0.95f, 0.96f, 0.98f };
static const float PASS[3] = { 0.15f, 0.55f, 0.30f };
static const float FAIL[3] = { 0.78f, 0.16f, 0.16f };

struct pdf_doc {
	HPDF_Doc hpdf;
	HPDF_Font font;
	HPDF_Encoder utf8;
	HPDF_Page page;
	HPDF_Page *pages;
	int npages, cap_pages;
	double y;                 /* cursor: top of the free space */
	HPDF_Outline section;     /* bookmark parent of subsections */
	HPDF_STATUS status;       /* first libharu error, 0 if none */
	HPDF_STATUS detail;
	char *header_left, *header_right;
	int english;
	/* the open table */
	struct pdf_col cols[MAX_COLS];
	double col_w[MAX_COLS];
	int ncols, table_rows;
	double row_min_h;
	/*
	 * A gridded table's rows on this page, from grid_top down to the
	 * cursor: their vertical rules are drawn once per page, as lines from
	 * grid_top to the last row's bottom (grid_rows of them so far).
	 */
	double grid_top;
	int grid_rows;
	/*
	 * Headings not drawn yet, and the text that came after them: a heading
	 * is drawn with the first block that is not text (a table's header and
	 * first rows, tiles, a figure), together with the paragraphs between
	 * them (keep with next), so no page ends with a heading, or with a
	 * heading and its introducing paragraph, whose table or figure starts
	 * the next page.
	 */
	struct pending_block {
		char *text;       /* the heading's title, the paragraph's text; NULL: space */
		int level;        /* 1 section, 2 subsection, 3 subsection without bookmark;
				     0 text, -1 space */
		double size;      /* text: font size */
		const float *rgb;
		int spaces_only;  /* text: pdf_code() */
		double after;     /* text: the space after it; space: its points */
		double height;    /* the points it takes */
	} pending[MAX_PENDING];
	int npending;
	int spaces_only;          /* pdf_code(): lines break at spaces only */
	/*
	 * Each character's width in font units (1/1000 of the size), measured
	 * by libharu once and kept: the line breaking measures every character
	 * of every cell, and libharu's look-up of a character in the font's
	 * cmap is a linear search (a quarter of a 3,000-page checklist's time).
	 * Indexed by code point (the Basic Multilingual Plane); -1: not yet
	 * measured. NULL until the first measure.
	 */
	int *glyph_w;
	/* the finished pages' content streams, deflated beside the layout */
	struct pdf_deflate *deflate;
	/*
	 * Table rows drawn but for some cells (pdf_table_row_held()), to be
	 * filled in (pdf_table_fill()). Their pages go to pdf_deflate at their
	 * page break as any other: the filled cells are drawn into a content
	 * stream of their own (fill_page: the last page given one; -1: none).
	 */
	struct held_row {
		int page;                 /* index in pages */
		double top;
		int lines;                /* the row's lines: no held cell gets more */
		unsigned mask;            /* bit i: column i is held */
		double x[MAX_COLS], w[MAX_COLS];
		enum pdf_align align[MAX_COLS];
		int filled;
	} *held;
	int nheld, fill_page;
};

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	struct pdf_doc *doc = data;

	if (!doc->status) {
		doc->status = code;
		doc->detail = detail;
	}
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* 'YYYY-MM-DD HH:MM:SS' China time into a PDF date (+08'00). */
static HPDF_Date pdf_date(const char *ts)
{
	HPDF_Date d = { 2000, 1, 1, 0, 0, 0, '+', 8, 0 };
	int y, mo, da, h = 0, mi = 0, s = 0;

	if (ts && sscanf(ts, "%d-%d-%d %d:%d:%d", &y, &mo, &da, &h, &mi, &s) >= 3) {
		d.year = y; d.month = mo; d.day = da;
		d.hour = h; d.minutes = mi; d.seconds = s;
	}
	return d;
}

int pdf_new(const struct pdf_meta *meta, struct pdf_doc **out, pm_error *err)
{
	struct pdf_doc *doc = calloc(1, sizeof(*doc));
	const char *font_name;

	if (!doc)
		return pm_fail(err, "out of memory");
	pdf_mem_open();
	doc->hpdf = HPDF_NewEx(on_hpdf_error, pdf_mem_alloc, pdf_mem_free, 0, doc);
	if (!doc->hpdf) {
		pdf_mem_close();
		free(doc);
		return pm_fail(err, "cannot start a PDF document");
	}
	HPDF_SetCompressionMode(doc->hpdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(doc->hpdf);
	HPDF_SetCurrentEncoder(doc->hpdf, "UTF-8");
	doc->utf8 = HPDF_GetEncoder(doc->hpdf, "UTF-8");
	font_name = HPDF_LoadTTFontFromFile2(doc->hpdf, PDF_FONT_PATH, 0, HPDF_TRUE);
	if (font_name)
		doc->font = HPDF_GetFont(doc->hpdf, font_name, "UTF-8");
	if (!doc->font || doc->status) {
		pdf_free(doc);
		return pm_fail(err, "cannot load the font %s (install fonts-wqy-zenhei)",
			       PDF_FONT_PATH);
	}
	doc->header_left = dup_or_empty(meta->header_left);
	doc->header_right = dup_or_empty(meta->header_right);
	doc->english = meta->english;
	HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_TITLE, meta->title ? meta->title : "");
	HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_CREATOR, "pmaudit");
	HPDF_SetInfoDateAttr(doc->hpdf, HPDF_INFO_CREATION_DATE, pdf_date(meta->as_of));
	HPDF_SetInfoDateAttr(doc->hpdf, HPDF_INFO_MOD_DATE, pdf_date(meta->as_of));
	HPDF_SetPageMode(doc->hpdf, HPDF_PAGE_MODE_USE_OUTLINE);
	doc->deflate = pdf_deflate_new();
	doc->fill_page = -1;
	*out = doc;
	return 0;
}

void pdf_one_thread(struct pdf_doc *doc)
{
	pdf_deflate_one_thread(doc->deflate);
}

void pdf_free(struct pdf_doc *doc)
{
	if (!doc)
		return;
	/* its thread reads the document's streams: stopped first */
	pdf_deflate_free(doc->deflate);
	if (doc->hpdf) {
		HPDF_Free(doc->hpdf);
		pdf_mem_close();
	}
	while (doc->npending > 0)
		free(doc->pending[--doc->npending].text);
	free(doc->pages);
	free(doc->held);
	free(doc->glyph_w);
	free(doc->header_left);
	free(doc->header_right);
	free(doc);
}

/* ---- text primitives ---- */

static void set_fill(HPDF_Page page, const float *rgb)
{
	HPDF_Page_SetRGBFill(page, rgb[0], rgb[1], rgb[2]);
}

static void set_stroke(HPDF_Page page, const float *rgb)
{
	HPDF_Page_SetRGBStroke(page, rgb[0], rgb[1], rgb[2]);
}

/* Draws len bytes of text with its left edge at x, baseline at y. */
static void draw_text(struct pdf_doc *doc, HPDF_Page page, double x, double y,
		      double size, const float *rgb, int bold, const char *text, int len)
{
	char buf[2048];

	if (len < 0)
		len = (int)strlen(text);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, doc->font, size);
	set_fill(page, rgb);
	/* The font has no bold face: bold is the outline stroked over the fill. */
	if (bold) {
		set_stroke(page, rgb);
		HPDF_Page_SetLineWidth(page, size / 30.0);
		HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
	}
	HPDF_Page_TextOut(page, x, y, buf);
	if (bold)
		HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
	HPDF_Page_EndText(page);
}

static int utf8_len(unsigned char c)
{
	if (c < 0x80) return 1;
	if ((c & 0xE0) == 0xC0) return 2;
	if ((c & 0xF0) == 0xE0) return 3;
	if ((c & 0xF8) == 0xF0) return 4;
	return 1;
}

static unsigned utf8_code(const char *s, int n)
{
	const unsigned char *u = (const unsigned char *)s;

	switch (n) {
	case 2: return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
	case 3: return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
	case 4: return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) |
		       ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
	default: return u[0];
	}
}

/* The length of the character at s, never running past the string's end. */
static int char_len(const char *s)
{
	int n = utf8_len((unsigned char)s[0]), i;

	for (i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/* libharu's width of len bytes of text, in font units. */
static unsigned hpdf_width(struct pdf_doc *doc, const char *text, int len)
{
	return HPDF_Font_TextWidth(doc->font, (const HPDF_BYTE *)text, (HPDF_UINT)len).width;
}

/*
 * The code point of the n bytes at s if they are one character of the Basic
 * Multilingual Plane in canonical UTF-8, else -1 (measured by libharu each
 * time: a stray byte, an overlong form, a surrogate, a character past
 * U+FFFF).
 */
static long bmp_code(const char *s, int n)
{
	if (n > 3 || utf8_sequence_length(s, (size_t)n) != n)
		return -1;
	return (long)utf8_code_point(s, n);
}

/*
 * The width of one character (the n bytes at s) in font units, from the
 * cache. A string's width is the sum of its characters' (libharu adds
 * them up the same way), so widths measured here and by libharu agree.
 */
static unsigned char_units(struct pdf_doc *doc, const char *s, int n)
{
	long c = bmp_code(s, n);

	if (c < 0)
		return hpdf_width(doc, s, n);
	if (!doc->glyph_w) {
		doc->glyph_w = malloc(0x10000 * sizeof(*doc->glyph_w));
		if (!doc->glyph_w)
			return hpdf_width(doc, s, n);
		memset(doc->glyph_w, 0xFF, 0x10000 * sizeof(*doc->glyph_w));
	}
	if (doc->glyph_w[c] < 0)
		doc->glyph_w[c] = (int)hpdf_width(doc, s, n);
	return (unsigned)doc->glyph_w[c];
}

/*
 * The character at s: its length in bytes, its code point (*code) and its
 * width in font units (*units) -- utf8_code() and char_units() in one, the
 * cached widths of canonical characters looked up without measuring.
 */
static int next_char(struct pdf_doc *doc, const char *s, unsigned *code, unsigned *units)
{
	const unsigned char *u = (const unsigned char *)s;
	int n;
	long c;

	if (u[0] < 0x80 && doc->glyph_w && doc->glyph_w[u[0]] >= 0) {
		*code = u[0];
		*units = (unsigned)doc->glyph_w[u[0]];
		return 1;
	}
	n = char_len(s);
	c = bmp_code(s, n);
	if (c >= 0 && doc->glyph_w && doc->glyph_w[c] >= 0) {
		*code = (unsigned)c;
		*units = (unsigned)doc->glyph_w[c];
		return n;
	}
	*code = utf8_code(s, n);
	*units = char_units(doc, s, n);
	return n;
}

double pdf_text_width(struct pdf_doc *doc, const char *text, int len, double size)
{
	unsigned units = 0;
	int i, n;

	if (len < 0)
		len = (int)strlen(text);
	for (i = 0; i < len; i += n) {
		n = utf8_len((unsigned char)text[i]);
		/* a character cut by len, or not canonical: libharu measures the whole */
		if (i + n > len || bmp_code(text + i, n) < 0)
			return hpdf_width(doc, text, len) * size / 1000.0;
		units += char_units(doc, text + i, n);
	}
	return units * size / 1000.0;
}

static int is_cjk(unsigned c)
{
	return c >= 0x2E80;
}

/*
 * Chinese typesetting (禁则): these never start a line... (a switch, not a
 * search of a list: the line breaking asks for every character of every
 * cell, 3 million times for a 3,000-page checklist)
 */
static int no_break_before(unsigned c)
{
	switch (c) {
	case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF01:
	case 0xFF1F: case 0xFF09: case 0x300B: case 0x300D: case 0x300F: case 0x3011:
	case 0x3015: case 0x201D: case 0x2019: case 0xFF05: case 0x2026:
	case ',': case '.': case ';': case ':': case '!': case '?': case ')': case '%': case ']':
		return 1;
	default:
		return 0;
	}
}

/* ...and these never end one. */
static int no_break_after(unsigned c)
{
	switch (c) {
	case 0xFF08: case 0x300A: case 0x300C: case 0x300E: case 0x3010: case 0x3014:
	case 0x201C: case 0x2018: case '(': case '[': case 0xA5:
		return 1;
	default:
		return 0;
	}
}

static int is_id_char(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* before, prev, cur: three characters in a row (before 0 at the start) */
static int can_break_between(unsigned before, unsigned prev, unsigned cur)
{
	if (no_break_before(cur) || no_break_after(prev))
		return 0;
	if (prev == ' ')
		return 1;
	/*
	 * A rule id (C-IMPORTANT-RESOLVE: capitals and digits) breaks after a
	 * hyphen, never mid-word. Not other words: a path or name with a
	 * hyphen stays whole where it can (text extractors drop a hyphen at a
	 * line's end).
	 */
	if (prev == '-' && is_id_char(before) && is_id_char(cur))
		return 1;
	/* a path breaks after a slash: "…/gen/" and "tickets.csv", not "tickets.c" and "sv" */
	if (prev == '/' && cur != ' ' && cur != '/')
		return 1;
	return is_cjk(prev) || is_cjk(cur);
}

int pdf_wrap(struct pdf_doc *doc, const char *text, double size, double width,
	     int *starts, int *lens, int max_lines, int *more)
{
	int nlines = 0, pos = 0;
	int total = (int)strlen(text);

	*more = 0;
	while (pos < total) {
		int i = pos, brk = -1, n;
		unsigned before = 0, prev = 0;
		double w = 0;

		if (nlines == max_lines) {
			*more = 1;
			break;
		}
		/* A wrapped line does not start with the space it broke at. */
		while (pos < total && text[pos] == ' ' && nlines > 0 && text[pos - 1] != '\n')
			pos++;
		i = pos;
		while (i < total && text[i] != '\n') {
			unsigned cur, units;

			n = next_char(doc, text + i, &cur, &units);
			if (i > pos && (doc->spaces_only ? prev == ' ' && cur != ' ' :
					can_break_between(before, prev, cur)))
				brk = i;
			w += units * size / 1000.0;
			if (w > width && i > pos)
				break;
			before = prev;
			prev = cur;
			i += n;
		}
		if (i < total && text[i] != '\n' && brk > pos)
			i = brk;
		starts[nlines] = pos;
		lens[nlines] = i - pos;
		/* Trailing spaces do not count against the line. */
		while (lens[nlines] > 0 && text[pos + lens[nlines] - 1] == ' ')
			lens[nlines]--;
		nlines++;
		pos = i;
		if (pos < total && text[pos] == '\n')
			pos++;
	}
	return nlines;
}

/*
 * One line of at most max_w points: a longer text (a long --company or
 * --site name in the running header or the cover's subtitle) is cut at a
 * character and ends in "…"; the cover's table prints it whole.
 */
static void draw_fitted(struct pdf_doc *doc, HPDF_Page page, double x, double y, double size,
			const float *rgb, const char *text, double max_w)
{
	double room = max_w - pdf_text_width(doc, "…", -1, size);
	char *cut;
	int len = 0, next;

	if (pdf_text_width(doc, text, -1, size) <= max_w) {
		draw_text(doc, page, x, y, size, rgb, 0, text, -1);
		return;
	}
	while (text[len] && pdf_text_width(doc, text, len + (next = char_len(text + len)), size) <= room)
		len += next;
	if (asprintf(&cut, "%.*s…", len, text) < 0)
		return;
	draw_text(doc, page, x, y, size, rgb, 0, cut, -1);
	free(cut);
}

/* ---- pages ---- */

static void draw_header(struct pdf_doc *doc)
{
	HPDF_Page page = doc->page;
	double base = PAGE_H - 36;
	double rw;

	rw = pdf_text_width(doc, doc->header_right, -1, NOTE_SIZE);
	draw_fitted(doc, page, MARGIN_X, base, NOTE_SIZE, GREY, doc->header_left,
		    TEXT_W - rw - 12);
	draw_text(doc, page, PAGE_W - MARGIN_X - rw, base, NOTE_SIZE, GREY, 0,
		  doc->header_right, -1);
	set_stroke(page, RULE);
	HPDF_Page_SetLineWidth(page, 0.6);
	HPDF_Page_MoveTo(page, MARGIN_X, base - 6);
	HPDF_Page_LineTo(page, PAGE_W - MARGIN_X, base - 6);
	HPDF_Page_Stroke(page);
}

static void draw_grid(struct pdf_doc *doc);

static void add_page(struct pdf_doc *doc, int with_header)
{
	draw_grid(doc);
	/* nothing is drawn on it any more but its footer (pdf_save()) */
	pdf_deflate_page(doc->deflate, doc->page);
	if (doc->npages == doc->cap_pages) {
		int cap = doc->cap_pages ? doc->cap_pages * 2 : 16;
		HPDF_Page *grown = realloc(doc->pages, cap * sizeof(*grown));

		if (!grown) {
			if (!doc->status)
				doc->status = HPDF_FAILD_TO_ALLOC_MEM;
			return;
		}
		doc->pages = grown;
		doc->cap_pages = cap;
	}
	doc->page = HPDF_AddPage(doc->hpdf);
	HPDF_Page_SetSize(doc->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	doc->pages[doc->npages++] = doc->page;
	doc->y = PAGE_H - MARGIN_TOP;
	if (with_header)
		draw_header(doc);
}

void pdf_new_page(struct pdf_doc *doc)
{
	add_page(doc, 1);
}

static void table_header(struct pdf_doc *doc);
static void flush_headings(struct pdf_doc *doc, double height);
static int hold_space(struct pdf_doc *doc, double points);

void pdf_need(struct pdf_doc *doc, double height)
{
	if (doc->npending)
		flush_headings(doc, height);
	if (!doc->page || doc->y - height < MARGIN_BOTTOM) {
		add_page(doc, 1);
		if (doc->ncols)
			table_header(doc);
	}
}

void pdf_space(struct pdf_doc *doc, double points)
{
	if (doc->npending && hold_space(doc, points))
		return;
	if (doc->page && doc->y - points >= MARGIN_BOTTOM)
		doc->y -= points;
}

static void draw_footers(struct pdf_doc *doc)
{
	int i;

	for (i = 0; i < doc->npages; i++) {
		char buf[96];
		double w;

		if (doc->english)
			snprintf(buf, sizeof(buf), "Page %d of %d", i + 1, doc->npages);
		else
			snprintf(buf, sizeof(buf), "第 %d 页 / 共 %d 页", i + 1, doc->npages);
		w = pdf_text_width(doc, buf, -1, NOTE_SIZE);
		/* the page's drawing was handed to pdf_deflate: a stream of its own */
		if (doc->deflate)
			pdf_deflate_new_stream(doc->pages[i]);
		draw_text(doc, doc->pages[i], (PAGE_W - w) / 2, 30, NOTE_SIZE, GREY, 0, buf, -1);
	}
}

int pdf_save(struct pdf_doc *doc, const char *path, const char *name, pm_error *err)
{
	if (doc->npending)
		flush_headings(doc, 0);
	if (!doc->page)
		add_page(doc, 0);
	pdf_deflate_page(doc->deflate, doc->page);
	draw_footers(doc);
	pdf_deflate_finish(doc->deflate);
	if (!doc->status)
		HPDF_SaveToFile(doc->hpdf, path);
	if (doc->status)
		return pm_fail(err, "%s: PDF error 0x%04X (detail %u)", name,
			       (unsigned)doc->status, (unsigned)doc->detail);
	return 0;
}

/* ---- blocks ---- */

/* Wrapped text from the cursor down, page breaks between lines. */
static void flow_text(struct pdf_doc *doc, const char *text, double size,
		      const float *rgb, int bold, double indent)
{
	static int starts[MAX_LINES], lens[MAX_LINES];
	int n, i, more;
	double lead = size * 1.55;

	n = pdf_wrap(doc, text, size, TEXT_W - indent, starts, lens, MAX_LINES, &more);
	for (i = 0; i < n; i++) {
		pdf_need(doc, lead);
		doc->y -= lead;
		draw_text(doc, doc->page, MARGIN_X + indent, doc->y + (lead - size) / 2,
			  size, rgb, bold, text + starts[i], lens[i]);
	}
}

static int hold_text(struct pdf_doc *doc, const char *text, double size, const float *rgb,
		     int spaces_only, double after);

/* Text, then after points of space: held back while a heading waits for its content. */
static void text_block(struct pdf_doc *doc, const char *text, double size, const float *rgb,
		       int spaces_only, double after)
{
	if (doc->npending && hold_text(doc, text, size, rgb, spaces_only, after))
		return;
	doc->spaces_only = spaces_only;
	flow_text(doc, text, size, rgb, 0, 0);
	doc->spaces_only = 0;
	pdf_space(doc, after);
}

void pdf_paragraph(struct pdf_doc *doc, const char *text)
{
	text_block(doc, text, BODY_SIZE, INK, 0, 5);
}

void pdf_code(struct pdf_doc *doc, const char *text)
{
	text_block(doc, text, BODY_SIZE, BLUE, 1, 5);
}

void pdf_note(struct pdf_doc *doc, const char *text)
{
	text_block(doc, text, NOTE_SIZE, GREY, 0, 4);
}

static HPDF_Outline bookmark(struct pdf_doc *doc, HPDF_Outline parent, const char *title)
{
	HPDF_Outline o = HPDF_CreateOutline(doc->hpdf, parent, title, doc->utf8);
	HPDF_Destination dst;

	if (!o)
		return NULL;
	dst = HPDF_Page_CreateDestination(doc->page);
	if (dst) {
		HPDF_Destination_SetXYZ(dst, 0, doc->y + 24, 1);
		HPDF_Outline_SetDestination(o, dst);
	}
	HPDF_Outline_SetOpened(o, HPDF_TRUE);
	return o;
}

/* Heights a heading takes, and the room it wants below it (with what follows). */
#define SECTION_H 44.0
#define SUBSECTION_H 28.0
#define SECTION_KEEP 150.0
#define SUBSECTION_KEEP 130.0

static void draw_section(struct pdf_doc *doc, const char *title)
{
	if (doc->y < PAGE_H - MARGIN_TOP - 1)
		doc->y -= 10;
	doc->section = bookmark(doc, NULL, title);
	doc->y -= 22;
	draw_text(doc, doc->page, MARGIN_X, doc->y + 4, 15, BLUE, 1, title, -1);
	set_stroke(doc->page, BLUE);
	HPDF_Page_SetLineWidth(doc->page, 1.2);
	HPDF_Page_MoveTo(doc->page, MARGIN_X, doc->y - 3);
	HPDF_Page_LineTo(doc->page, PAGE_W - MARGIN_X, doc->y - 3);
	HPDF_Page_Stroke(doc->page);
	doc->y -= 12;
}

static void draw_subheading(struct pdf_doc *doc, const char *title, int with_bookmark)
{
	doc->y -= 6;
	if (with_bookmark && doc->section)
		bookmark(doc, doc->section, title);
	doc->y -= 16;
	draw_text(doc, doc->page, MARGIN_X, doc->y + 3, 11.5, BLUE, 1, title, -1);
	doc->y -= 6;
}

/* The points held back: headings, text and space; *text: the text's. */
static double pending_height(const struct pdf_doc *doc, double *text)
{
	double total = 0;
	int i;

	*text = 0;
	for (i = 0; i < doc->npending; i++) {
		total += doc->pending[i].height;
		if (doc->pending[i].level == 0)
			*text += doc->pending[i].height;
	}
	return total;
}

/*
 * Draws the pending headings, with the text that came after them, where
 * the next block of height points fits under them all (and at least
 * SECTION_KEEP / SUBSECTION_KEEP with the headings), on a new page if it
 * does not fit on this one. height 0: the block is not known (the end, a
 * new heading with no room left to hold it).
 */
static void flush_headings(struct pdf_doc *doc, double height)
{
	struct pending_block held[MAX_PENDING];
	double keep = 0, text;
	double total = pending_height(doc, &text);
	int i, n = doc->npending;

	for (i = 0; i < n; i++) {
		if (doc->pending[i].level == 1 && keep < SECTION_KEEP)
			keep = SECTION_KEEP;
		else if (doc->pending[i].level >= 2 && keep < SUBSECTION_KEEP)
			keep = SUBSECTION_KEEP;
	}
	if (total + height > keep)
		keep = total + height;
	/* more than a page: the headings and the text's first lines start a page */
	if (keep > PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)
		keep = total - text + BODY_SIZE * 1.55 * 2;
	/* drawing the text below calls pdf_need(): nothing may be pending then */
	memcpy(held, doc->pending, sizeof(held[0]) * (size_t)n);
	doc->npending = 0;
	if (!doc->page || doc->y - keep < MARGIN_BOTTOM)
		add_page(doc, 1);
	for (i = 0; i < n; i++) {
		struct pending_block *b = &held[i];

		if (b->level == 1)
			draw_section(doc, b->text);
		else if (b->level >= 2)
			draw_subheading(doc, b->text, b->level == 2);
		else if (b->level == 0)
			text_block(doc, b->text, b->size, b->rgb, b->spaces_only, b->after);
		else
			pdf_space(doc, b->after);
		free(b->text);
	}
}

/*
 * The next free slot of the pending blocks; NULL when they are full, after
 * drawing them (what comes next is then drawn at once).
 */
static struct pending_block *pending_slot(struct pdf_doc *doc)
{
	if (doc->npending == MAX_PENDING) {
		flush_headings(doc, 0);
		return NULL;
	}
	memset(&doc->pending[doc->npending], 0, sizeof(doc->pending[0]));
	return &doc->pending[doc->npending++];
}

/*
 * Holds text back with the pending headings; 0 when it is not held (no
 * memory), and then it is drawn at once. Text past PENDING_TEXT_MAX is
 * content enough: the headings are drawn with it.
 */
static int hold_text(struct pdf_doc *doc, const char *text, double size, const float *rgb,
		     int spaces_only, double after)
{
	static int starts[MAX_LINES], lens[MAX_LINES];
	struct pending_block *b;
	double held;
	int lines, more;

	doc->spaces_only = spaces_only;
	lines = pdf_wrap(doc, text, size, TEXT_W, starts, lens, MAX_LINES, &more);
	doc->spaces_only = 0;
	b = pending_slot(doc);
	if (!b)
		return 0;
	b->text = strdup(text ? text : "");
	if (!b->text) {
		doc->npending--;
		flush_headings(doc, 0);
		return 0;
	}
	b->level = 0;
	b->size = size;
	b->rgb = rgb;
	b->spaces_only = spaces_only;
	b->after = after;
	b->height = lines * size * 1.55 + after;
	pending_height(doc, &held);
	if (held > PENDING_TEXT_MAX)
		flush_headings(doc, 0);
	return 1;
}

/* Holds space back with the pending headings; 0 when it is not held. */
static int hold_space(struct pdf_doc *doc, double points)
{
	struct pending_block *b = pending_slot(doc);

	if (!b)
		return 0;
	b->level = -1;
	b->after = points;
	b->height = points;
	return 1;
}

static void add_heading(struct pdf_doc *doc, const char *title, int level)
{
	struct pending_block *b;
	double text;

	/*
	 * A heading of the same rank as the first one held (or higher) after
	 * text: that text was the held heading's content. A subsection under a
	 * held section goes on holding: the section, its paragraph and the
	 * subsection's table stay together.
	 */
	pending_height(doc, &text);
	if (text > 0 && (level == 1 || doc->pending[0].level != 1))
		flush_headings(doc, 0);
	b = pending_slot(doc);

	/* full: the blocks held were drawn, the heading starts a new hold */
	if (!b)
		b = pending_slot(doc);
	b->text = strdup(title ? title : "");
	b->level = level;
	b->height = level == 1 ? SECTION_H : SUBSECTION_H;
}

void pdf_section(struct pdf_doc *doc, const char *title)
{
	add_heading(doc, title, 1);
}

void pdf_subsection(struct pdf_doc *doc, const char *title)
{
	add_heading(doc, title, 2);
}

void pdf_subsection_plain(struct pdf_doc *doc, const char *title)
{
	add_heading(doc, title, 3);
}

void pdf_cover(struct pdf_doc *doc, const char *title, const char *subtitle,
	       const char *const *labels, const char *const *values, int n)
{
	HPDF_Page page;
	double y, label_w = 0;
	int i;

	add_page(doc, 0);
	page = doc->page;
	set_fill(page, BLUE);
	HPDF_Page_Rectangle(page, 0, PAGE_H - 250, PAGE_W, 250);
	HPDF_Page_Fill(page);
	draw_text(doc, page, MARGIN_X, PAGE_H - 150, 28, (const float[]){ 1, 1, 1 }, 1, title, -1);
	if (subtitle)
		draw_fitted(doc, page, MARGIN_X, PAGE_H - 190, 14,
			    (const float[]){ 0.85f, 0.9f, 1 }, subtitle, TEXT_W);
	for (i = 0; i < n; i++) {
		double w = pdf_text_width(doc, labels[i], -1, 11);

		if (w > label_w)
			label_w = w;
	}
	y = PAGE_H - 320;
	for (i = 0; i < n; i++) {
		static int starts[8], lens[8];
		int k, m, more;

		draw_text(doc, page, MARGIN_X, y, 11, GREY, 0, labels[i], -1);
		m = pdf_wrap(doc, values[i] ? values[i] : "", 11, TEXT_W - label_w - 20,
			     starts, lens, 8, &more);
		for (k = 0; k < m; k++) {
			draw_text(doc, page, MARGIN_X + label_w + 20, y, 11, INK, 0,
				  values[i] + starts[k], lens[k]);
			y -= 17;
		}
		if (m == 0)
			y -= 17;
		y -= 8;
	}
	doc->y = y;
}

/* ---- tiles ---- */

/*
 * buf (len bytes, room for 4 more) cut at a character so that it and "…"
 * fit in width: the last line of a text that did not fit. Returns the length.
 */
static int with_ellipsis(struct pdf_doc *doc, char *buf, int len, double size, double width)
{
	double dots = pdf_text_width(doc, "…", -1, size);

	while (len > 0 && pdf_text_width(doc, buf, len, size) + dots > width) {
		do
			len--;
		while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80);
	}
	strcpy(buf + len, "…");
	return (int)strlen(buf);
}

/* Up to max_lines of text from (x, top) down, the last one with "…" if cut. */
static void draw_lines(struct pdf_doc *doc, double x, double top, double width, double size,
		       double lead, const float *rgb, const char *text, int max_lines)
{
	int starts[4], lens[4], n, i, more;

	if (max_lines > 4)
		max_lines = 4;
	n = pdf_wrap(doc, text, size, width, starts, lens, max_lines, &more);
	for (i = 0; i < n; i++) {
		char buf[1024];
		int len = lens[i] < (int)sizeof(buf) - 4 ? lens[i] : (int)sizeof(buf) - 4;

		memcpy(buf, text + starts[i], len);
		buf[len] = '\0';
		if (more && i == n - 1)
			len = with_ellipsis(doc, buf, len, size, width);
		draw_text(doc, doc->page, x, top - i * lead, size, rgb, 0, buf, len);
	}
}

static void draw_tile(struct pdf_doc *doc, double x, double top, double w, double h,
		      const struct pdf_tile *t)
{
	HPDF_Page page = doc->page;
	const float *edge = t->state == PDF_PASS ? PASS : t->state == PDF_FAIL ? FAIL : RULE;

	set_fill(page, STRIPE);
	HPDF_Page_Rectangle(page, x, top - h, w, h);
	HPDF_Page_Fill(page);
	set_fill(page, edge);
	HPDF_Page_Rectangle(page, x, top - h, 4, h);
	HPDF_Page_Fill(page);
	draw_lines(doc, x + 10, top - 12, w - 16, NOTE_SIZE, 10, GREY, t->label ? t->label : "", 2);
	draw_text(doc, page, x + 10, top - 46, 18,
		  t->state == PDF_NEUTRAL ? INK : edge, 1, t->value ? t->value : "—", -1);
	if (t->note)
		draw_lines(doc, x + 10, top - h + 7, w - 16, 7, 9, GREY, t->note, 1);
}

void pdf_tiles(struct pdf_doc *doc, const struct pdf_tile *tiles, int n)
{
	const double gap = 10, h = 70;
	const double w = (TEXT_W - 2 * gap) / 3;
	int i;

	for (i = 0; i < n; i++) {
		if (i % 3 == 0) {
			pdf_need(doc, h + gap);
			if (i)
				doc->y -= h + gap;
		}
		draw_tile(doc, MARGIN_X + (i % 3) * (w + gap), doc->y, w, h, &tiles[i]);
	}
	if (n)
		doc->y -= h + gap;
}

/* ---- tables ---- */

/* A cell's lines (at most CELL_MAX_LINES; more: the last one gets "…"). */
struct cell_wrap {
	int starts[CELL_MAX_LINES], lens[CELL_MAX_LINES];
	int n, more;
};

/*
 * A row's cells are drawn in one text object, the font and colour set once
 * (text_begin(), text_end()): a checklist of 50,000 rows is 3,000 pages,
 * and a text object per line of a cell was most of each page's content to
 * write and compress.
 */
static void text_begin(struct pdf_doc *doc, const float *rgb)
{
	HPDF_Page_BeginText(doc->page);
	HPDF_Page_SetFontAndSize(doc->page, doc->font, CELL_SIZE);
	set_fill(doc->page, rgb);
}

static void text_end(struct pdf_doc *doc)
{
	HPDF_Page_EndText(doc->page);
}

/* A cell's lines (wrap_row()), inside the row's text object (text_begin()). */
static void draw_cell(struct pdf_doc *doc, double x, double top, double w,
		      const char *text, enum pdf_align align, const struct cell_wrap *cw)
{
	int i;
	double inner = w - 2 * CELL_PAD, lead = CELL_SIZE * 1.35;

	if (!text || !*text)
		return;
	for (i = 0; i < cw->n; i++) {
		char buf[1024];
		int len = cw->lens[i];
		double tw, tx, ty;

		if (len > (int)sizeof(buf) - 4)
			len = sizeof(buf) - 4;
		memcpy(buf, text + cw->starts[i], len);
		buf[len] = '\0';
		/* Text that does not fit in the cell's lines ends with an ellipsis. */
		if (cw->more && i == cw->n - 1)
			len = with_ellipsis(doc, buf, len, CELL_SIZE, inner);
		tw = pdf_text_width(doc, buf, len, CELL_SIZE);
		tx = align == PDF_RIGHT ? x + w - CELL_PAD - tw :
		     align == PDF_CENTER ? x + (w - tw) / 2 : x + CELL_PAD;
		ty = top - CELL_PAD - CELL_SIZE - i * lead + 1;
		/* an absolute position (Tm), not a move from the last line's: no drift */
		if (pdf_show_fits(buf, len)) {
			pdf_show_line(doc->page, (HPDF_REAL)tx, (HPDF_REAL)ty, buf, len,
				      (HPDF_REAL)tw);
			continue;
		}
		HPDF_Page_SetTextMatrix(doc->page, 1, 0, 0, 1, tx, ty);
		HPDF_Page_ShowText(doc->page, buf);
	}
}

/*
 * Breaks each cell of a row into its lines, once for both the row's height
 * and its drawing; returns the height (at least one line, and row_min_h).
 */
static double wrap_row(struct pdf_doc *doc, const char *const *cells, struct cell_wrap *cw)
{
	int i, most = 1;
	double h;

	for (i = 0; i < doc->ncols; i++) {
		cw[i].n = cw[i].more = 0;
		if (!cells[i])
			continue;
		cw[i].n = pdf_wrap(doc, cells[i], CELL_SIZE, doc->col_w[i] - 2 * CELL_PAD,
				   cw[i].starts, cw[i].lens, CELL_MAX_LINES, &cw[i].more);
		if (cw[i].n > most)
			most = cw[i].n;
	}
	h = most * CELL_SIZE * 1.35 + 2 * CELL_PAD + 1;
	return h > doc->row_min_h ? h : doc->row_min_h;
}

static void table_header(struct pdf_doc *doc)
{
	const char *titles[MAX_COLS];
	struct cell_wrap cw[MAX_COLS];
	double x = MARGIN_X, h, keep = doc->row_min_h;
	int i;

	for (i = 0; i < doc->ncols; i++)
		titles[i] = doc->cols[i].title;
	doc->row_min_h = 0;
	h = wrap_row(doc, titles, cw);
	doc->row_min_h = keep;
	set_fill(doc->page, BLUE);
	HPDF_Page_Rectangle(doc->page, MARGIN_X, doc->y - h, TEXT_W, h);
	HPDF_Page_Fill(doc->page);
	text_begin(doc, (const float[]){ 1, 1, 1 });
	for (i = 0; i < doc->ncols; i++) {
		draw_cell(doc, x, doc->y, doc->col_w[i], titles[i], doc->cols[i].align, &cw[i]);
		x += doc->col_w[i];
	}
	text_end(doc);
	doc->y -= h;
	doc->table_rows = 0;
	doc->grid_top = doc->y;
	doc->grid_rows = 0;
}

void pdf_table_begin(struct pdf_doc *doc, const struct pdf_col *cols, int ncols)
{
	double total = 0;
	int i;

	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	for (i = 0; i < ncols; i++)
		total += cols[i].width > 0 ? cols[i].width : 1;
	for (i = 0; i < ncols; i++) {
		doc->cols[i] = cols[i];
		doc->col_w[i] = TEXT_W * (cols[i].width > 0 ? cols[i].width : 1) / total;
	}
	doc->ncols = 0;
	/* Header plus two rows, so a header never stands alone. */
	pdf_need(doc, 60);
	doc->ncols = ncols;
	table_header(doc);
}

/* Where held's cells lie on the page the row was placed on (pdf_table_row_held()). */
static void held_place(struct pdf_doc *doc, struct held_row *held, const struct cell_wrap *cw)
{
	double x = MARGIN_X;
	int i;

	held->page = doc->npages - 1;
	held->top = doc->y;
	held->lines = 1;
	for (i = 0; i < doc->ncols; i++) {
		if (cw[i].n > held->lines)
			held->lines = cw[i].n;
		held->x[i] = x;
		held->w[i] = doc->col_w[i];
		held->align[i] = doc->cols[i].align;
		x += doc->col_w[i];
	}
}

/*
 * A row as high as the cells of sized need, with the cells of drawn drawn
 * (pdf_table_row(): the same; pdf_table_row_held(): some of them NULL,
 * their places kept in held).
 */
static void pdf_table_row_sized(struct pdf_doc *doc, const char *const *drawn,
				const char *const *sized, struct held_row *held)
{
	struct cell_wrap cw[MAX_COLS];
	double h = wrap_row(doc, sized, cw), x = MARGIN_X;
	int i;

	pdf_need(doc, h);
	if (held)
		held_place(doc, held, cw);
	if (doc->table_rows % 2 == 1) {
		set_fill(doc->page, STRIPE);
		HPDF_Page_Rectangle(doc->page, MARGIN_X, doc->y - h, TEXT_W, h);
		HPDF_Page_Fill(doc->page);
	}
	text_begin(doc, INK);
	for (i = 0; i < doc->ncols; i++) {
		draw_cell(doc, x, doc->y, doc->col_w[i], drawn[i], doc->cols[i].align, &cw[i]);
		x += doc->col_w[i];
	}
	text_end(doc);
	set_stroke(doc->page, RULE);
	HPDF_Page_SetLineWidth(doc->page, 0.4);
	HPDF_Page_MoveTo(doc->page, MARGIN_X, doc->y - h);
	HPDF_Page_LineTo(doc->page, MARGIN_X + TEXT_W, doc->y - h);
	HPDF_Page_Stroke(doc->page);
	/* Forms to fill in by hand get a full grid (draw_grid()). */
	if (doc->row_min_h > 0)
		doc->grid_rows++;
	doc->y -= h;
	doc->table_rows++;
}

void pdf_table_row(struct pdf_doc *doc, const char *const *cells)
{
	pdf_table_row_sized(doc, cells, cells, NULL);
}

/*
 * A row as pdf_table_row() draws it, without the cells of mask (bit i:
 * column i), whose text only sets the row's height; pdf_table_fill() draws
 * them later. Returns the row's handle, or -1 (out of memory: the held
 * cells stay empty and pdf_save() fails).
 */
int pdf_table_row_held(struct pdf_doc *doc, const char *const *cells, unsigned mask)
{
	const char *drawn[MAX_COLS];
	struct held_row *grown;
	int i;

	for (i = 0; i < doc->ncols; i++)
		drawn[i] = mask & (1u << i) ? NULL : cells[i];
	grown = realloc(doc->held, (doc->nheld + 1) * sizeof(*grown));
	if (!grown) {
		/* the row without its held cells; pdf_save() reports the failure */
		if (!doc->status)
			doc->status = HPDF_FAILD_TO_ALLOC_MEM;
		pdf_table_row_sized(doc, drawn, cells, NULL);
		return -1;
	}
	doc->held = grown;
	memset(&doc->held[doc->nheld], 0, sizeof(*grown));
	doc->held[doc->nheld].mask = mask;
	/* the row's height from every cell, the drawing of the others */
	pdf_table_row_sized(doc, drawn, cells, &doc->held[doc->nheld]);
	return doc->nheld++;
}

/*
 * Draws the held cells of row (pdf_table_row_held()) on its page, as
 * pdf_table_row() would have: a text object of its own. A finished page's
 * drawing may be with pdf_deflate already, so the cells go into a content
 * stream of their own, one per page (as the footers': draw_footers()).
 * The bytes then depend only on where the caller fills, not on when the
 * figures came. A cell of more lines than the row ends with "…".
 */
void pdf_table_fill(struct pdf_doc *doc, int row, const char *const *cells)
{
	struct held_row *h;
	HPDF_Page keep = doc->page;
	int i;

	if (row < 0 || row >= doc->nheld || doc->held[row].filled)
		return;
	h = &doc->held[row];
	doc->page = doc->pages[h->page];
	if (doc->deflate && h->page < doc->npages - 1 && h->page != doc->fill_page) {
		pdf_deflate_new_stream(doc->page);
		doc->fill_page = h->page;
	}
	text_begin(doc, INK);
	for (i = 0; i < MAX_COLS; i++) {
		struct cell_wrap cw;

		if (!(h->mask & (1u << i)) || !cells[i])
			continue;
		cw.more = 0;
		cw.n = pdf_wrap(doc, cells[i], CELL_SIZE, h->w[i] - 2 * CELL_PAD, cw.starts,
				cw.lens, CELL_MAX_LINES, &cw.more);
		if (cw.n > h->lines) {
			cw.n = h->lines;
			cw.more = 1;
		}
		draw_cell(doc, h->x[i], h->top, h->w[i], cells[i], h->align[i], &cw);
	}
	text_end(doc);
	doc->page = keep;
	h->filled = 1;
}

/*
 * The vertical rules of the gridded rows on this page, each one line from
 * the first row's top to the last row's bottom: the same picture as a
 * short line per row, a tenth of the drawing.
 */
static void draw_grid(struct pdf_doc *doc)
{
	double x = MARGIN_X;
	int i;

	if (!doc->grid_rows || !doc->page)
		return;
	set_stroke(doc->page, RULE);
	HPDF_Page_SetLineWidth(doc->page, 0.4);
	for (i = 0; i <= doc->ncols; i++) {
		HPDF_Page_MoveTo(doc->page, x, doc->grid_top);
		HPDF_Page_LineTo(doc->page, x, doc->y);
		if (i < doc->ncols)
			x += doc->col_w[i];
	}
	HPDF_Page_Stroke(doc->page);
	doc->grid_rows = 0;
}

void pdf_table_min_height(struct pdf_doc *doc, double points)
{
	doc->row_min_h = points;
}

void pdf_table_end(struct pdf_doc *doc)
{
	draw_grid(doc);
	doc->ncols = 0;
	doc->row_min_h = 0;
	pdf_space(doc, 10);
}

/* ---- images ---- */

int pdf_image(struct pdf_doc *doc, const char *png_path, double width_share,
	      const char *caption, pm_error *err)
{
	HPDF_Image img;
	double w, h;

	if (!doc->page)
		add_page(doc, 1);
	img = HPDF_LoadPngImageFromFile(doc->hpdf, png_path);
	if (!img)
		return pm_fail(err, "%s: cannot embed the chart image (PDF error 0x%04X)",
			       png_path, (unsigned)doc->status);
	w = TEXT_W * width_share;
	h = w * HPDF_Image_GetHeight(img) / HPDF_Image_GetWidth(img);
	if (h > PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 30) {
		h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 30;
		w = h * HPDF_Image_GetWidth(img) / HPDF_Image_GetHeight(img);
	}
	pdf_need(doc, h + 24);
	doc->y -= 4;
	HPDF_Page_DrawImage(doc->page, img, MARGIN_X + (TEXT_W - w) / 2, doc->y - h, w, h);
	doc->y -= h;
	if (caption) {
		double cw = pdf_text_width(doc, caption, -1, NOTE_SIZE);

		doc->y -= 12;
		draw_text(doc, doc->page, MARGIN_X + (TEXT_W - cw) / 2, doc->y, NOTE_SIZE,
			  GREY, 0, caption, -1);
	}
	doc->y -= 10;
	return 0;
}
