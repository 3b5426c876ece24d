#ifndef PM_PDF_H
#define PM_PDF_H

#include "util/error.h"

/*
 * A small layout layer over libharu for the reports: A4 portrait pages that
 * flow top to bottom, the embedded WenQuanYi Zen Hei font (so Chinese prints
 * on any reader), a running header, "第 n 页 / 共 N 页" footers, bookmarks
 * per section, wrapped paragraphs, tables that break across pages with the
 * header row repeated, KPI tiles and PNG images.
 *
 * Drawing calls do not return errors: the first libharu error is kept in the
 * document and reported by pdf_save(), so report code stays linear.
 * The same calls with the same meta produce the same bytes (the PDF dates
 * come from meta.as_of, nothing depends on the clock or on addresses).
 */

#define PDF_FONT_PATH "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

enum pdf_align { PDF_LEFT, PDF_RIGHT, PDF_CENTER };

/* A tile's frame colour: neutral, target met, target missed. */
enum pdf_state { PDF_NEUTRAL, PDF_PASS, PDF_FAIL };

struct pdf_meta {
	const char *title;         /* document info title */
	const char *header_left;   /* running header on pages after the cover */
	const char *header_right;
	const char *as_of;         /* 'YYYY-MM-DD HH:MM:SS' China time: PDF dates */
	int english;               /* footer "Page n of N" instead of Chinese */
};

struct pdf_col {
	const char *title;
	double width;              /* share of the text width; shares are normalised */
	enum pdf_align align;
};

struct pdf_tile {
	const char *label;         /* e.g. the rule's title */
	const char *value;         /* the big figure, e.g. "94.49%" */
	const char *note;          /* one small line, e.g. "目标 100% · 较上月 +1.20" */
	enum pdf_state state;
};

struct pdf_doc;

int pdf_new(const struct pdf_meta *meta, struct pdf_doc **out, pm_error *err);
/*
 * No second thread for this document (PMAUDIT_THREADS=1): its pages'
 * streams are deflated when it is saved. Before the first page; the same
 * bytes either way.
 */
void pdf_one_thread(struct pdf_doc *doc);
void pdf_free(struct pdf_doc *doc);
/*
 * Draws the deferred footers (the page total is known only now) and writes
 * to path; messages call the file name (the target of a temporary path).
 */
int pdf_save(struct pdf_doc *doc, const char *path, const char *name, pm_error *err);

/* The cover: a big title, a subtitle and label/value lines. */
void pdf_cover(struct pdf_doc *doc, const char *title, const char *subtitle,
	       const char *const *labels, const char *const *values, int n);
void pdf_new_page(struct pdf_doc *doc);
/* Starts a new page unless height points are still free on this one. */
void pdf_need(struct pdf_doc *doc, double height);
/* Level-1 heading with a top-level bookmark; level-2 heading, child bookmark. */
void pdf_section(struct pdf_doc *doc, const char *title);
void pdf_subsection(struct pdf_doc *doc, const char *title);
/* A level-2 heading without a bookmark (e.g. on the cover). */
void pdf_subsection_plain(struct pdf_doc *doc, const char *title);
void pdf_paragraph(struct pdf_doc *doc, const char *text);
/* A command to type: wrapped at spaces only, so a word is never cut. */
void pdf_code(struct pdf_doc *doc, const char *text);
/* Smaller grey text, for sources and footnotes. */
void pdf_note(struct pdf_doc *doc, const char *text);
void pdf_space(struct pdf_doc *doc, double points);
/* Tiles three to a row. */
void pdf_tiles(struct pdf_doc *doc, const struct pdf_tile *tiles, int n);

/* Tables: begin, rows (ncols cells each; NULL cell = empty), end. */
void pdf_table_begin(struct pdf_doc *doc, const struct pdf_col *cols, int ncols);
void pdf_table_row(struct pdf_doc *doc, const char *const *cells);
/* Rows of the open table at least this tall (room for handwriting). */
void pdf_table_min_height(struct pdf_doc *doc, double points);
void pdf_table_end(struct pdf_doc *doc);
/*
 * A row whose cells of mask (bit i: column i) are drawn later, when their
 * text is known (the inspection lays out its checklist while its coverage
 * figures are still being computed): the row is as high as cells make it,
 * the held cells' text standing in for what will be filled in (it must
 * take as many lines: a filled cell of more lines ends with "…"). Returns
 * the row's handle for pdf_table_fill(), which draws the held cells of
 * cells on the row's page -- after the table has ended, pages later, as
 * long as the document is not saved; on a finished page, into a content
 * stream of its own, so that the bytes depend on where the caller fills,
 * not on when. -1: out of memory (pdf_save() fails).
 */
int pdf_table_row_held(struct pdf_doc *doc, const char *const *cells, unsigned mask);
void pdf_table_fill(struct pdf_doc *doc, int row, const char *const *cells);

/* A PNG scaled to width_share of the text width, with a caption under it. */
int pdf_image(struct pdf_doc *doc, const char *png_path, double width_share,
	      const char *caption, pm_error *err);

/*
 * Line breaking, exposed for the unit tests: splits text into lines no wider
 * than width points at font size size. Breaks anywhere between CJK characters
 * (but never before a closing or after an opening punctuation mark), at
 * spaces in Latin text, and at '\n'. Fills starts/lens (byte offsets) and
 * returns the number of lines, at most max_lines; *more is set when text was
 * left over.
 */
int pdf_wrap(struct pdf_doc *doc, const char *text, double size, double width,
	     int *starts, int *lens, int max_lines, int *more);
double pdf_text_width(struct pdf_doc *doc, const char *text, int len, double size);

#endif
