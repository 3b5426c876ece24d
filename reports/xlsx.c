/*
 * Sheet helpers for the Excel workbook (reports/xlsx_book.h): typed cells,
 * formats, CJK column widths, the list layout and lists split over sheets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/xlsx_book.h"
#include "util/civil.h"
#include "util/utf8.h"

#define EXCEL_ROWS 1048576UL
/* wider text (a rejected row's original line) runs on into the empty cell beside */
#define MAX_WIDTH 45.0

/* Excel's serial day of 1970-01-01 (its 1900 date system). */
#define EXCEL_EPOCH_DAYS 25569.0

static const char *const NUM_FORMATS[X_COUNT + 1] = {
	[X_TEXT] = NULL, [X_TIME] = "yyyy-mm-dd hh:mm", [X_MONEY] = "¥#,##0.00",
	[X_RATE] = "0.00%", [X_DURATION] = "[h]:mm", [X_COUNT] = "#,##0",
};

/* Typical widths of the typed columns, in characters. */
static const double KIND_WIDTH[X_COUNT + 1] = {
	[X_TEXT] = 6, [X_TIME] = 17, [X_MONEY] = 14, [X_RATE] = 10, [X_DURATION] = 10,
	[X_COUNT] = 9,
};

/* PMAUDIT_XLSX_MAX_ROWS: a test hook, so a split can be tested with a few rows. */
static unsigned long max_rows_from_env(void)
{
	const char *v = getenv("PMAUDIT_XLSX_MAX_ROWS");
	char *end;
	unsigned long n;

	if (!v || !*v)
		return EXCEL_ROWS;
	n = strtoul(v, &end, 10);
	if (*end || n < 3 || n > EXCEL_ROWS)
		return EXCEL_ROWS;
	return n;
}

int xbook_open(struct xbook *b, const char *path, const char *title, time_t created,
	       int english, pm_error *err)
{
	lxw_workbook_options opts = { .constant_memory = LXW_TRUE, .tmpdir = NULL,
				      .use_zip64 = LXW_TRUE };
	lxw_doc_properties props = { 0 };
	const char *tmp = getenv("TMPDIR");
	int k;

	memset(b, 0, sizeof(*b));
	/* the sheets' rows wait in temporary files there until the workbook is zipped */
	opts.tmpdir = (char *)(tmp && *tmp ? tmp : "/tmp");
	b->wb = workbook_new_opt(path, &opts);
	if (!b->wb)
		return pm_fail(err, "%s: cannot start the workbook", path);
	b->english = english;
	b->max_rows = max_rows_from_env();
	props.title = (char *)title;
	props.author = (char *)"pmaudit";
	props.comments = (char *)(english ? "Written by pmaudit from its check run" :
				  "由 pmaudit 根据稽核运行结果生成");
	/* never 0, which would mean "now" */
	props.created = created > 0 ? created : 1;
	workbook_set_properties(b->wb, &props);
	for (k = 0; k <= X_COUNT; k++) {
		b->fmt[k] = workbook_add_format(b->wb);
		if (NUM_FORMATS[k])
			format_set_num_format(b->fmt[k], NUM_FORMATS[k]);
		format_set_align(b->fmt[k], LXW_ALIGN_VERTICAL_TOP);
	}
	b->header = workbook_add_format(b->wb);
	format_set_bold(b->header);
	format_set_bg_color(b->header, 0xDDE5F0);
	format_set_bottom(b->header, LXW_BORDER_THIN);
	format_set_align(b->header, LXW_ALIGN_VERTICAL_CENTER);
	/* over a column of numbers, dates or durations: aligned with them */
	b->header_num = workbook_add_format(b->wb);
	format_set_bold(b->header_num);
	format_set_bg_color(b->header_num, 0xDDE5F0);
	format_set_bottom(b->header_num, LXW_BORDER_THIN);
	format_set_align(b->header_num, LXW_ALIGN_VERTICAL_CENTER);
	format_set_align(b->header_num, LXW_ALIGN_RIGHT);
	b->label = workbook_add_format(b->wb);
	format_set_bold(b->label);
	format_set_align(b->label, LXW_ALIGN_VERTICAL_TOP);
	b->title = workbook_add_format(b->wb);
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	b->box = workbook_add_format(b->wb);
	format_set_border(b->box, LXW_BORDER_THIN);
	b->note = workbook_add_format(b->wb);
	format_set_italic(b->note);
	format_set_font_color(b->note, 0x595959);
	return 0;
}

int xbook_close(struct xbook *b, pm_error *err)
{
	lxw_error rc = workbook_close(b->wb);

	b->wb = NULL;
	if (rc != LXW_NO_ERROR)
		return pm_fail(err, "cannot write the workbook: %s", lxw_strerror(rc));
	return 0;
}

/* Terminal-style width: CJK and other wide characters count two. */
static double text_width(const char *s)
{
	double w = 0;
	size_t n = strlen(s);

	while (*s && *s != '\n') {
		int len = utf8_sequence_length(s, n);
		unsigned cp;

		if (len == 0) {
			s++;
			n--;
			w += 1;
			continue;
		}
		cp = utf8_code_point(s, len);
		w += cp >= 0x1100 ? 2 : 1;
		s += len;
		n -= len;
	}
	return w;
}

static void note_width(struct xsheet *s, int col, double w)
{
	if (col < XLSX_MAX_COLS && w > s->width[col])
		s->width[col] = w > MAX_WIDTH ? MAX_WIDTH : w;
}

/* The "_xHHHH_" Excel would decode as an escaped character (then kept literally). */
static int looks_escaped(const char *p)
{
	int i;

	if (p[0] != '_' || p[1] != 'x')
		return 0;
	for (i = 2; i < 6; i++)
		if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
			return 0;
	return p[6] == '_';
}

/* UTF-16 units of a valid UTF-8 sequence of len bytes: Excel counts those. */
static size_t units_of(int len)
{
	return len == 4 ? 2 : 1;
}

/* Cuts clean (valid UTF-8) after at most max UTF-16 units and appends the marker. */
static void cut_with_marker(char *clean, size_t max, const char *marker)
{
	size_t units = 0, o = 0, n = strlen(clean);

	while (clean[o]) {
		int len = utf8_sequence_length(clean + o, n - o);

		if (units + units_of(len) > max)
			break;
		units += units_of(len);
		o += len;
	}
	strcpy(clean + o, marker);
}

/*
 * The text as a cell may hold it. Control characters other than tab and
 * line ends become their visible pictures (U+2400 + c, U+2421 for DEL),
 * bytes that are not UTF-8 become U+FFFD, a literal "_xHHHH_" gets its
 * underscore escaped (_x005F_) so that Excel shows it as written instead of
 * decoding it, and a text longer than Excel's 32,767 characters (UTF-16
 * units) is cut with a marker: the whole text stays in the database and
 * the CSV. Returns a new string.
 */
static char *cell_text(const struct xbook *b, const char *in)
{
	const char *marker = b->english ? "…[truncated]" : "…[已截断]";
	const size_t marker_units = b->english ? 12 : 6;
	size_t n = strlen(in), o = 0, units = 0;
	/* each input byte gives at most 3 output bytes; "_" gives 7 for its 7 */
	char *out = malloc(3 * n + 32);

	if (!out)
		return NULL;
	while (*in) {
		int len = utf8_sequence_length(in, n);
		unsigned char c = (unsigned char)in[0];

		if (len == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			len = 1;
			units++;
		} else if ((c < 0x20 && !strchr("\t\r\n", c)) || c == 0x7F) {
			unsigned cp = c == 0x7F ? 0x2421 : 0x2400 + c;

			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
			units++;
		} else if (looks_escaped(in)) {
			memcpy(out + o, "_x005F_", 7);
			o += 7;
			units += 7;
		} else {
			memcpy(out + o, in, len);
			o += len;
			units += units_of(len);
		}
		in += len;
		n -= len;
	}
	out[o] = '\0';
	if (units > XLSX_CELL_MAX)
		cut_with_marker(out, XLSX_CELL_MAX - marker_units, marker);
	return out;
}

static void write_string(struct xsheet *s, int col, const char *text, lxw_format *fmt)
{
	char *clean;

	if (!text || !*text)
		return;
	clean = cell_text(s->book, text);
	if (!clean)
		return;
	/* worksheet_write_string: a cell beginning with '=' stays text */
	worksheet_write_string(s->ws, s->row, (lxw_col_t)col, clean, fmt);
	note_width(s, col, text_width(clean) + 2);
	free(clean);
}

void xcell_text(struct xsheet *s, int col, const char *text)
{
	write_string(s, col, text, s->book->fmt[X_TEXT]);
}

void xcell_label(struct xsheet *s, int col, const char *text)
{
	write_string(s, col, text, s->book->label);
}

void xcell_time(struct xsheet *s, int col, const char *ts)
{
	int64_t secs, day;

	if (!ts || !*ts)
		return;
	if (civil_parse_timestamp(ts, &secs) == 0)
		worksheet_write_number(s->ws, s->row, (lxw_col_t)col,
				       EXCEL_EPOCH_DAYS + (double)secs / 86400.0, s->book->fmt[X_TIME]);
	else if (civil_parse_date(ts, &day) == 0)
		/* a date alone is midnight of that day */
		worksheet_write_number(s->ws, s->row, (lxw_col_t)col,
				       EXCEL_EPOCH_DAYS + (double)day, s->book->fmt[X_TIME]);
	else
		/* not a time the store writes (a user's own edit): kept as text */
		xcell_text(s, col, ts);
	note_width(s, col, KIND_WIDTH[X_TIME]);
}

void xcell_money(struct xsheet *s, int col, long long cents)
{
	/* the nearest double to the yuan amount; Excel shows it to the fen */
	worksheet_write_number(s->ws, s->row, (lxw_col_t)col, (double)cents / 100.0,
			       s->book->fmt[X_MONEY]);
	note_width(s, col, KIND_WIDTH[X_MONEY]);
}

void xcell_rate(struct xsheet *s, int col, int has_rate, double rate)
{
	if (has_rate)
		worksheet_write_number(s->ws, s->row, (lxw_col_t)col, rate, s->book->fmt[X_RATE]);
	note_width(s, col, KIND_WIDTH[X_RATE]);
}

void xcell_duration(struct xsheet *s, int col, long long seconds)
{
	worksheet_write_number(s->ws, s->row, (lxw_col_t)col, (double)seconds / 86400.0,
			       s->book->fmt[X_DURATION]);
	note_width(s, col, KIND_WIDTH[X_DURATION]);
}

void xcell_count(struct xsheet *s, int col, long long v)
{
	char digits[32];

	worksheet_write_number(s->ws, s->row, (lxw_col_t)col, (double)v, s->book->fmt[X_COUNT]);
	note_width(s, col, snprintf(digits, sizeof(digits), "%lld", v) * 1.3 + 2);
}

void xcell_box(struct xsheet *s, int col)
{
	worksheet_write_blank(s->ws, s->row, (lxw_col_t)col, s->book->box);
}

void xsheet_row_height(struct xsheet *s, double points)
{
	worksheet_set_row(s->ws, s->row, points, NULL);
}

/* Landscape A4, the header row on every page, as wide as one page. */
static void print_setup(lxw_worksheet *ws, int header)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_set_footer(ws, "&C&P / &N");
	if (header)
		worksheet_repeat_rows(ws, 0, 0);
}

static int add_sheet(struct xsheet *s, pm_error *err)
{
	char name[80];

	if (s->part == 1)
		snprintf(name, sizeof(name), "%s", s->name);
	else
		snprintf(name, sizeof(name), "%s(%d)", s->name, s->part);
	s->ws = workbook_add_worksheet(s->book->wb, name);
	if (!s->ws)
		return pm_fail(err, "cannot add the sheet %s", name);
	return 0;
}

void xsheet_header(struct xsheet *s, const struct xcol *cols, int ncols)
{
	int c;

	for (c = 0; c < ncols && c < XLSX_MAX_COLS; c++) {
		worksheet_write_string(s->ws, s->row, (lxw_col_t)c, cols[c].title,
				       cols[c].kind == X_TEXT ? s->book->header : s->book->header_num);
		note_width(s, c, text_width(cols[c].title) + 3);
		note_width(s, c, KIND_WIDTH[cols[c].kind]);
	}
}

static void header_row(struct xsheet *s)
{
	memset(s->width, 0, sizeof(s->width));
	s->row = 0;
	xsheet_header(s, s->cols, s->ncols);
	worksheet_freeze_panes(s->ws, 1, 0);
	print_setup(s->ws, 1);
}

int xsheet_list(struct xsheet *s, struct xbook *b, const char *name, const struct xcol *cols,
		int ncols, pm_error *err)
{
	memset(s, 0, sizeof(*s));
	s->book = b;
	s->cols = cols;
	s->ncols = ncols < XLSX_MAX_COLS ? ncols : XLSX_MAX_COLS;
	s->part = 1;
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (add_sheet(s, err) < 0)
		return -1;
	header_row(s);
	return 0;
}

int xsheet_free(struct xsheet *s, struct xbook *b, const char *name, pm_error *err)
{
	memset(s, 0, sizeof(*s));
	s->book = b;
	s->part = 1;
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (add_sheet(s, err) < 0)
		return -1;
	print_setup(s->ws, 0);
	return 0;
}

static void set_widths(struct xsheet *s)
{
	int c;

	for (c = 0; c < XLSX_MAX_COLS; c++)
		if (s->width[c] > 0)
			worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, s->width[c], NULL);
}

void xsheet_end(struct xsheet *s)
{
	if (s->cols && s->ncols > 0) {
		worksheet_autofilter(s->ws, 0, 0, s->row, (lxw_col_t)(s->ncols - 1));
		/* the list's columns only: a long last text running on is not printed smaller */
		worksheet_print_area(s->ws, 0, 0, s->row, (lxw_col_t)(s->ncols - 1));
	}
	set_widths(s);
}

int xsheet_next(struct xsheet *s, pm_error *err)
{
	/* a full sheet keeps its last row for the note */
	if (s->row + 2 >= s->book->max_rows) {
		char note[200];

		snprintf(note, sizeof(note), s->book->english ?
			 "Continued on sheet %s(%d)." : "续见工作表 %s(%d)。", s->name, s->part + 1);
		xsheet_end(s);
		worksheet_write_string(s->ws, s->row + 1, 0, note, s->book->note);
		s->part++;
		if (add_sheet(s, err) < 0)
			return -1;
		header_row(s);
	}
	s->row++;
	s->rows++;
	return 0;
}
