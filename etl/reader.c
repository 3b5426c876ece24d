/*
 * The CSV record reader over libcsv, fed text in pieces (etl/reader.h).
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "etl/reader.h"
#include "util/buf.h"
#include "util/i18n.h"

/*
 * How records and lines are found: libcsv ends a record only on a CR or LF
 * byte, so we hand it the text one physical line at a time (split after
 * every LF and every CR). Whenever libcsv reports the end of a record while
 * parsing a line, the record ends exactly at that line's end. That gives
 * the physical line numbers and the original text of every record without
 * re-implementing libcsv's quoting rules.
 */

/* libcsv's parser states (libcsv.c); only "between records" matters here */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2

/* a line without line end is fed in pieces of this size, to check limits */
#define PIECE_MAX (64u * 1024)

/* libcsv's step when a field outgrows its buffer (reader_new()) */
#define READER_FIELD_STEP (64u * 1024)

struct pm_reader {
	struct csv_parser csv;
	int64_t line;		/* physical line of the next byte, from 1 */
	int prev_cr;		/* the last byte seen was CR (a following LF is the same line end) */
	int in_record;
	int row_done;		/* libcsv ended a record in the current piece */
	int64_t record_line;
	struct buf raw;		/* the current record's text, NUL-terminated */
	struct buf arena;	/* its fields, each NUL-terminated */
	size_t *offset, *len;	/* per field: where in the arena, how long */
	const char **field;
	size_t nfields;
	int too_many, too_long;
	int failed;		/* out of memory */
	char delim;
	int fast_off;		/* every line through libcsv (tests compare the two) */
};

/* Appends n bytes to b and keeps a NUL after them (not counted in len). */
static int buffer_append(struct buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n + 1))
		return -1;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

struct pm_reader *reader_new(char delim)
{
	struct pm_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->offset = malloc(PM_MAX_COLUMNS * sizeof(*r->offset));
	r->len = malloc(PM_MAX_COLUMNS * sizeof(*r->len));
	r->field = malloc(PM_MAX_COLUMNS * sizeof(*r->field));
	if (!r->offset || !r->len || !r->field || csv_init(&r->csv, 0) != 0) {
		free(r->offset);
		free(r->len);
		free(r->field);
		free(r);
		return NULL;
	}
	csv_set_delim(&r->csv, (unsigned char)delim);
	/*
	 * libcsv grows a field's buffer by blk_size bytes at a time (128 by
	 * default), a copy of the whole field each time realloc() cannot grow
	 * it in place: quadratic in the field's length. A multi-megabyte field
	 * (an unclosed quote swallowing the rest of the file) took 80 s under
	 * ASan, whose realloc() always copies. 64 KiB steps make it 1/512 of
	 * the copies for one small buffer per file.
	 */
	csv_set_blk_size(&r->csv, READER_FIELD_STEP);
	r->delim = delim;
	r->line = 1;
	return r;
}

void reader_free(struct pm_reader *r)
{
	if (!r)
		return;
	csv_free(&r->csv);
	buf_free(&r->raw);
	buf_free(&r->arena);
	free(r->offset);
	free(r->len);
	free(r->field);
	free(r);
}

void reader_libcsv_only(struct pm_reader *r)
{
	r->fast_off = 1;
}

int64_t reader_lines(const struct pm_reader *r)
{
	return r->line - 1;
}

static void on_field(void *s, size_t n, void *ctx)
{
	struct pm_reader *r = ctx;

	if (r->too_long || r->too_many)
		return;
	if (r->nfields == PM_MAX_COLUMNS) {
		r->too_many = 1;
		return;
	}
	if (r->arena.len + n > PM_MAX_RECORD_BYTES) {
		r->too_long = 1;
		return;
	}
	r->offset[r->nfields] = r->arena.len;
	r->len[r->nfields] = n;
	/* libcsv passes NULL for an empty field it never buffered */
	if (buffer_append(&r->arena, s ? s : "", s ? n : 0) || buffer_append(&r->arena, "", 1)) {
		r->failed = 1;
		return;
	}
	r->nfields++;
}

static void on_row_end(int c, void *ctx)
{
	(void)c;
	((struct pm_reader *)ctx)->row_done = 1;
}

static void start_record(struct pm_reader *r)
{
	r->record_line = r->line;
	r->raw.len = 0;
	r->arena.len = 0;
	r->nfields = 0;
	r->too_many = r->too_long = 0;
}

static int emit(struct pm_reader *r, const char *error, pm_record_fn fn, void *ctx)
{
	struct pm_record rec;
	size_t i;

	while (r->raw.len > 0 && (r->raw.data[r->raw.len - 1] == '\n' ||
				  r->raw.data[r->raw.len - 1] == '\r'))
		r->raw.len--;
	for (i = 0; i < r->nfields; i++)
		r->field[i] = r->arena.data + r->offset[i];
	rec.line = r->record_line;
	rec.nfields = r->nfields;
	rec.field = r->field;
	rec.len = r->len;
	rec.raw = r->raw.data ? r->raw.data : "";
	rec.raw_len = r->raw.len;
	/* an open quote is the cause of any size problem it brings along */
	if (error)
		;
	else if (r->too_many)
		error = N_("more than 1024 fields");
	else if (r->too_long)
		error = N_("record longer than 1 MiB");
	rec.error = error;
	r->in_record = 0;
	r->row_done = 0;
	return fn(ctx, &rec);
}

/* Counts the line end (if any) at the end of piece p[0..n). */
static void count_lines(struct pm_reader *r, const char *p, size_t n)
{
	char last = p[n - 1];

	if (last == '\r') {
		r->line++;
		r->prev_cr = 1;
	} else if (last == '\n') {
		if (!(n == 1 && r->prev_cr))
			r->line++;
		r->prev_cr = 0;
	} else {
		r->prev_cr = 0;
	}
}

/* libcsv's default: spaces and tabs around an unquoted field are dropped */
static int is_blank(const struct pm_reader *r, char c)
{
	return (c == ' ' || c == '\t') && c != r->delim;
}

/*
 * A whole line without a quote character, between records: its fields are
 * the text between delimiters, with the spaces and tabs around them
 * dropped, exactly what libcsv makes of it; a line of nothing but those
 * is blank. Cutting it here costs a few instructions a byte where libcsv's
 * byte-by-byte state machine costs about forty (docs/performance.md);
 * every line with a quote still goes through libcsv.
 */
static int simple_line(struct pm_reader *r, const char *p, size_t n)
{
	const char *end = p + n, *field, *stop, *a, *b;

	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (a = p; a < end && is_blank(r, *a); a++)
		;
	if (a == end)
		return 0;	/* blank line: no record */
	if (buffer_append(&r->raw, p, n))
		return -1;
	for (field = p;; field = stop + 1) {
		stop = memchr(field, r->delim, end - field);
		if (!stop)
			stop = end;
		for (a = field; a < stop && is_blank(r, *a); a++)
			;
		for (b = stop; b > a && is_blank(r, b[-1]); b--)
			;
		on_field((void *)a, b - a, r);
		if (r->failed)
			return -1;
		if (stop == end)
			break;
	}
	r->row_done = 1;
	return 0;
}

/* Parses one piece that contains no line end except at its end. */
static int feed_piece(struct pm_reader *r, const char *p, size_t n, pm_record_fn fn, void *ctx)
{
	if (!r->in_record)
		start_record(r);
	if (!r->in_record && !r->fast_off && (p[n - 1] == '\n' || p[n - 1] == '\r') &&
	    !memchr(p, '"', n)) {
		if (simple_line(r, p, n))
			return -1;
		count_lines(r, p, n);
		return r->row_done ? emit(r, NULL, fn, ctx) : 0;
	}
	if (r->raw.len + n <= PM_MAX_RECORD_BYTES) {
		if (buffer_append(&r->raw, p, n))
			return -1;
	} else {
		r->too_long = 1;
	}
	if (csv_parse(&r->csv, p, n, on_field, on_row_end, r) != n || r->failed)
		return -1;
	/*
	 * An oversized field lives in libcsv's own buffer until it ends; the
	 * record is rejected anyway, so drop those bytes to keep memory flat
	 * while libcsv goes on finding where the record ends.
	 */
	if (r->csv.entry_pos > PM_MAX_RECORD_BYTES) {
		r->too_long = 1;
		r->csv.entry_pos = 0;
	}
	count_lines(r, p, n);
	if (r->row_done)
		return emit(r, NULL, fn, ctx);
	/*
	 * libcsv skips spaces and tabs before a record's first field without
	 * leaving the "not begun" state; until the line ends they may still be
	 * the start of a record, so keep them in its original text.
	 */
	r->in_record = r->csv.pstate != CSV_ROW_NOT_BEGUN ||
		       (p[n - 1] != '\n' && p[n - 1] != '\r');
	return 0;
}

int reader_feed(struct pm_reader *r, const char *data, size_t n, pm_record_fn fn, void *ctx)
{
	const char *p = data, *end = data + n;
	const char *next_lf = NULL, *next_cr = NULL;
	int rc;

	while (p < end) {
		const char *stop;

		/* the next LF and CR, searched once per occurrence, not per line */
		if (!next_lf || (next_lf != end && next_lf < p)) {
			next_lf = memchr(p, '\n', end - p);
			if (!next_lf)
				next_lf = end;
		}
		if (!next_cr || (next_cr != end && next_cr < p)) {
			next_cr = memchr(p, '\r', end - p);
			if (!next_cr)
				next_cr = end;
		}
		if (next_cr < next_lf)
			stop = next_cr + 1 < end && next_cr[1] == '\n' ? next_cr + 2 : next_cr + 1;
		else
			stop = next_lf < end ? next_lf + 1 : end;
		while ((size_t)(stop - p) > PIECE_MAX) {
			/* a long line: feed all but its end in bounded pieces */
			rc = feed_piece(r, p, PIECE_MAX, fn, ctx);
			if (rc)
				return rc;
			p += PIECE_MAX;
		}
		rc = feed_piece(r, p, stop - p, fn, ctx);
		if (rc)
			return rc;
		p = stop;
	}
	return 0;
}

int reader_finish(struct pm_reader *r, pm_record_fn fn, void *ctx)
{
	const char *error = NULL;

	if (r->csv.pstate == CSV_FIELD_BEGUN && r->csv.quoted)
		error = N_("unterminated quoted field: a quote in this record is never closed, "
			"so the rest of the file was read as part of it");
	if (csv_fini(&r->csv, on_field, on_row_end, r) != 0 || r->failed)
		return -1;
	if (r->row_done)
		return emit(r, error, fn, ctx);
	return 0;
}
