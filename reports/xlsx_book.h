#ifndef PM_XLSX_BOOK_H
#define PM_XLSX_BOOK_H

#include <time.h>
#include <xlsxwriter.h>
#include "util/error.h"

/*
 * Sheet helpers over libxlsxwriter (reports/xlsx.c): the cell types and
 * their formats, column widths that fit CJK text, the list layout (frozen
 * header, autofilter, print setup) and lists longer than a sheet, which
 * continue on "<name>(2)", "<name>(3)", ... The workbook is written in
 * constant-memory mode: each sheet's rows go to a temporary file as they
 * are written, so memory does not grow with the rows -- and rows must be
 * written in order within a sheet (sheets may be written in any order).
 */

enum xkind {
	X_TEXT,         /* always a string cell, never a formula */
	X_TIME,         /* 'YYYY-MM-DD HH:MM:SS' text as an Excel date, yyyy-mm-dd hh:mm */
	X_MONEY,        /* integer fen as yuan, ¥#,##0.00 */
	X_RATE,         /* a fraction, 0.00% */
	X_DURATION,     /* seconds as days, [h]:mm */
	X_COUNT,        /* an integer, #,##0 */
};

struct xcol {
	const char *title;
	enum xkind kind;
};

#define XLSX_MAX_COLS 24

struct xbook {
	lxw_workbook *wb;
	lxw_format *fmt[X_COUNT + 1];
	lxw_format *header, *header_num, *label, *title, *note, *box;
	int english;
	unsigned long max_rows;         /* rows a sheet holds, header and note included */
};

struct xsheet {
	struct xbook *book;
	lxw_worksheet *ws;
	char name[64];                  /* the first sheet's name; parts add "(n)" */
	int part;                       /* 1, 2, ... */
	const struct xcol *cols;        /* a list's columns; NULL for a free sheet */
	int ncols;
	lxw_row_t row;                  /* the row being written */
	long long rows;                 /* data rows over all parts */
	double width[XLSX_MAX_COLS];
};

/*
 * Starts a workbook at path: the document's properties fixed (created is
 * the given time, not the clock, so the same data gives the same bytes;
 * libxlsxwriter dates every zip entry 1980-01-01). max_rows comes from
 * PMAUDIT_XLSX_MAX_ROWS (a test hook) or is Excel's 1,048,576.
 */
int xbook_open(struct xbook *b, const char *path, const char *title, time_t created,
	       int english, pm_error *err);
/* Writes the file; the workbook is freed whatever happens. */
int xbook_close(struct xbook *b, pm_error *err);

/* A list: the header row, frozen, filtered, printed on every page. */
int xsheet_list(struct xsheet *s, struct xbook *b, const char *name, const struct xcol *cols,
		int ncols, pm_error *err);
/* A free-form sheet (the summary): labels and values anywhere, rows in order. */
int xsheet_free(struct xsheet *s, struct xbook *b, const char *name, pm_error *err);
/*
 * Begins the next data row of a list; when the sheet is full, ends it with
 * a note row and goes on on the next part.
 */
int xsheet_next(struct xsheet *s, pm_error *err);
/* Ends a list: the autofilter over its rows, the column widths. */
void xsheet_end(struct xsheet *s);

/* A header row at the current row (a free sheet's table): titles, numbers' right-aligned. */
void xsheet_header(struct xsheet *s, const struct xcol *cols, int ncols);

/* Cells of the current row, typed as the column's kind (free sheets: as called). */
void xcell_text(struct xsheet *s, int col, const char *text);
void xcell_label(struct xsheet *s, int col, const char *text);
void xcell_time(struct xsheet *s, int col, const char *timestamp);
void xcell_money(struct xsheet *s, int col, long long cents);
void xcell_rate(struct xsheet *s, int col, int has_rate, double rate);
void xcell_duration(struct xsheet *s, int col, long long seconds);
void xcell_count(struct xsheet *s, int col, long long v);
/* An empty bordered cell, to be filled in by hand (the inspector's columns). */
void xcell_box(struct xsheet *s, int col);
/* The current row's height in points (room to write by hand). */
void xsheet_row_height(struct xsheet *s, double points);

/* The text as Excel will hold it: at most 32,767 characters, a marker at the cut. */
#define XLSX_CELL_MAX 32767

#endif
