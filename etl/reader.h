#ifndef PM_READER_H
#define PM_READER_H

/*
 * The CSV record reader (RFC 4180, via libcsv), push style: feed it UTF-8
 * text in pieces of any size and it calls back once per record with the
 * fields, the record's original text and the physical line it starts on
 * (newlines inside quoted fields count; LF, CRLF and a lone CR each end a
 * line). Blank lines are skipped. Memory is bounded: a record longer than
 * PM_MAX_RECORD_BYTES or with more than PM_MAX_COLUMNS fields is still
 * delivered, marked with an error, so that the caller can reject it.
 */

#include <stddef.h>
#include <stdint.h>

#define PM_MAX_RECORD_BYTES (1u << 20)
#define PM_MAX_COLUMNS 1024

struct pm_record {
	int64_t line;		/* physical line the record starts on, from 1 */
	size_t nfields;
	const char *const *field;	/* each NUL-terminated (may hold NUL bytes) */
	const size_t *len;
	const char *raw;	/* the record's text, without its line end; cut */
	size_t raw_len;		/* at PM_MAX_RECORD_BYTES for oversized records */
	const char *error;	/* non-NULL: why the record is unusable */
};

/* Called per record; a non-zero return stops reading and is passed back. */
typedef int (*pm_record_fn)(void *ctx, const struct pm_record *rec);

struct pm_reader;

/* delim is ',' or '\t'. NULL when out of memory. */
struct pm_reader *reader_new(char delim);

/* Parses the next piece of text; returns 0, -1 (out of memory) or fn's value. */
int reader_feed(struct pm_reader *r, const char *data, size_t n, pm_record_fn fn, void *ctx);

/* Ends the input: delivers a last record that has no line end. */
int reader_finish(struct pm_reader *r, pm_record_fn fn, void *ctx);

/*
 * Sends every line through libcsv, even those without a quote character
 * that the reader otherwise cuts itself; tests compare the two.
 */
void reader_libcsv_only(struct pm_reader *r);

/* Physical lines seen so far. */
int64_t reader_lines(const struct pm_reader *r);

void reader_free(struct pm_reader *r);

#endif
