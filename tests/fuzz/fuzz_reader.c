/*
 * Fuzz target: the bytes as a whole input file through the path import
 * uses -- source (encoding detection, GB18030 conversion, BOM) into the
 * record reader -- once with comma and once with tab as the delimiter. The
 * first record goes through the header matcher, the others through row
 * conversion for every log whose header it matches, as import does.
 *
 * Checked on every record: the reader's promises in etl/reader.h (line
 * numbers, limits, NUL-terminated fields, original text without its line
 * end). Checked per input: the very same records come out when the text is
 * cut into small pieces before the reader, and when the file itself is read
 * in small blocks (the source reads 1 MiB blocks, so in real files records
 * and GB18030 characters straddle two reads; here short reads make that
 * happen in a small input).
 */
#include <string.h>
#include "etl/header.h"
#include "etl/reader.h"
#include "etl/row.h"
#include "etl/source.h"
#include "tests/fuzz/fuzz.h"

/*
 * Linked with -Wl,--wrap=read (Makefile), the source's read() comes here:
 * while short_read is set it returns at most that many bytes, as a block
 * boundary would. A short read is allowed for any file, so the source must
 * cope anyway.
 */
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
static size_t short_read;

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (short_read && n > short_read)
		n = short_read;
	return __real_read(fd, buf, n);
}

struct pass {
	uint64_t hash;			/* of all records seen */
	enum pm_encoding encoding;	/* the source's */
	char sha[65];			/* the file's SHA-256 */
	int64_t last_line;
	size_t records;
	int convert;			/* also run header and rows (first pass only) */
	int have_header;
	struct pm_header header[PM_NKINDS];
	int matched[PM_NKINDS];
};

static void check_record(struct pass *p, const struct pm_record *rec)
{
	size_t i, total = 0;

	FUZZ_CHECK(rec->line > p->last_line);
	p->last_line = rec->line;
	FUZZ_CHECK(rec->nfields <= PM_MAX_COLUMNS);
	FUZZ_CHECK(rec->raw != NULL);
	FUZZ_CHECK(rec->raw_len <= PM_MAX_RECORD_BYTES);
	if (rec->raw_len)
		FUZZ_CHECK(rec->raw[rec->raw_len - 1] != '\n' && rec->raw[rec->raw_len - 1] != '\r');
	for (i = 0; i < rec->nfields; i++) {
		FUZZ_CHECK(rec->field[i] != NULL);
		FUZZ_CHECK(rec->field[i][rec->len[i]] == '\0');
		total += rec->len[i];
	}
	/* unquoting only ever removes bytes */
	if (!rec->error)
		FUZZ_CHECK(total <= rec->raw_len);
}

static uint64_t hash_record(uint64_t h, const struct pm_record *rec)
{
	size_t i;

	h = fuzz_hash(h, &rec->line, sizeof(rec->line));
	h = fuzz_hash(h, &rec->nfields, sizeof(rec->nfields));
	for (i = 0; i < rec->nfields; i++) {
		h = fuzz_hash(h, &rec->len[i], sizeof(rec->len[i]));
		h = fuzz_hash(h, rec->field[i], rec->len[i]);
	}
	h = fuzz_hash(h, &rec->raw_len, sizeof(rec->raw_len));
	h = fuzz_hash(h, rec->raw, rec->raw_len);
	if (rec->error)
		h = fuzz_hash(h, rec->error, strlen(rec->error));
	return h;
}

static void on_header(struct pass *p, const struct pm_record *rec)
{
	char unknown[400];
	pm_error err;
	int kind;

	kind = header_detect_kind(rec->field, rec->len, rec->nfields, &err);
	FUZZ_CHECK(kind >= -1 && kind < PM_NKINDS);
	for (kind = 0; kind < PM_NKINDS; kind++)
		p->matched[kind] = header_match(kind, rec->field, rec->len, rec->nfields,
						&p->header[kind], unknown, sizeof(unknown),
						&err) == 0;
}

static void on_row(struct pass *p, const struct pm_record *rec)
{
	struct pm_row row;
	const char *field;
	char reason[256];
	int kind, f;

	for (kind = 0; kind < PM_NKINDS; kind++) {
		if (!p->matched[kind])
			continue;
		if (row_convert(&p->header[kind], rec, 0, &row, &field, reason, sizeof(reason)))
			continue;
		/* what the loader binds: text values are valid UTF-8 without NUL */
		for (f = 0; f < row.nfields; f++)
			if (row.value[f].tag == PM_STR) {
				FUZZ_CHECK(utf8_valid(row.value[f].s, row.value[f].n));
				FUZZ_CHECK(!memchr(row.value[f].s, '\0', row.value[f].n));
			}
	}
}

static int on_record(void *ctx, const struct pm_record *rec)
{
	struct pass *p = ctx;

	check_record(p, rec);
	p->hash = hash_record(p->hash, rec);
	p->records++;
	if (!p->convert)
		return 0;
	if (!p->have_header) {
		p->have_header = 1;
		on_header(p, rec);
	} else {
		on_row(p, rec);
	}
	return 0;
}

static void pass_init(struct pass *p, int convert)
{
	memset(p, 0, sizeof(*p));
	p->hash = FUZZ_HASH_INIT;
	p->convert = convert;
}

static void pass_free(struct pass *p)
{
	int kind;

	for (kind = 0; kind < PM_NKINDS; kind++)
		if (p->matched[kind])
			header_free(&p->header[kind]);
}

/* The fuzz input itself, for the promises about unconverted text. */
static const uint8_t *input_data;
static size_t input_size;

/* Appends a piece of converted text to text[*len], growing it. */
static void keep_text(char **text, size_t *len, size_t *cap, const char *data, size_t n)
{
	if (*len + n > *cap) {
		*cap = (*len + n) * 2;
		*text = realloc(*text, *cap);
		FUZZ_CHECK(*text != NULL);
	}
	memcpy(*text + *len, data, n);
	*len += n;
}

/* The import path: source into reader; keeps the UTF-8 text it read. */
static void read_source(const char *path, int has_bom, char delim, struct pass *p,
			char **text, size_t *text_len)
{
	struct pm_source src;
	struct pm_reader *reader = reader_new(delim);
	const char *data;
	size_t len, cap = 0;
	pm_error err;

	FUZZ_CHECK(reader != NULL);
	*text = NULL;
	*text_len = 0;
	FUZZ_CHECK(source_open(&src, path, PM_ENC_AUTO, &err) == 0);
	FUZZ_CHECK(src.encoding == PM_ENC_UTF8 || src.encoding == PM_ENC_GB18030);
	p->encoding = src.encoding;
	for (;;) {
		FUZZ_CHECK(source_next(&src, &data, &len, &err) == 0);
		if (len == 0) {
			FUZZ_CHECK(reader_finish(reader, on_record, p) == 0);
			break;
		}
		keep_text(text, text_len, &cap, data, len);
		FUZZ_CHECK(reader_feed(reader, data, len, on_record, p) == 0);
	}
	/*
	 * Detected as UTF-8 without a BOM: the bytes are passed through
	 * unchanged. They need not all be valid UTF-8: a file that is mostly
	 * UTF-8 stays UTF-8 and only the rows holding stray bytes are rejected
	 * (docs/import.md), so the promise is "unchanged", not "valid".
	 */
	if (src.encoding == PM_ENC_UTF8 && !has_bom)
		FUZZ_CHECK(*text_len == input_size &&
			   (!input_size || !memcmp(*text, input_data, input_size)));
	FUZZ_CHECK(source_sha256(&src, p->sha, &err) == 0);
	FUZZ_CHECK(strlen(p->sha) == 64);
	source_close(&src);
	reader_free(reader);
}

/* The same text fed in pieces of step bytes. */
static void read_pieces(const char *text, size_t n, char delim, size_t step, struct pass *p)
{
	struct pm_reader *reader = reader_new(delim);
	size_t pos = 0;

	FUZZ_CHECK(reader != NULL);
	while (pos < n) {
		size_t len = n - pos < step ? n - pos : step;

		FUZZ_CHECK(reader_feed(reader, text + pos, len, on_record, p) == 0);
		pos += len;
	}
	FUZZ_CHECK(reader_finish(reader, on_record, p) == 0);
	reader_free(reader);
}

static void run(const char *path, int has_bom, char delim, size_t step, size_t block)
{
	struct pass whole, pieces, blocks;
	char *text, *text2;
	size_t text_len, text2_len;

	pass_init(&whole, 1);
	read_source(path, has_bom, delim, &whole, &text, &text_len);
	pass_free(&whole);
	pass_init(&pieces, 0);
	read_pieces(text, text_len, delim, step, &pieces);
	FUZZ_CHECK(pieces.records == whole.records);
	FUZZ_CHECK(pieces.hash == whole.hash);
	pass_init(&blocks, 0);
	short_read = block;
	read_source(path, has_bom, delim, &blocks, &text2, &text2_len);
	short_read = 0;
	FUZZ_CHECK(blocks.encoding == whole.encoding);
	FUZZ_CHECK(!strcmp(blocks.sha, whole.sha));
	FUZZ_CHECK(text2_len == text_len && (!text_len || !memcmp(text2, text, text_len)));
	FUZZ_CHECK(blocks.records == whole.records);
	FUZZ_CHECK(blocks.hash == whole.hash);
	free(text);
	free(text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfile(data, size, path);
	/* piece and block sizes from the input, so the fuzzer can steer them */
	size_t step = 1 + (size ? data[size - 1] % 13 : 0);
	/* at least 3, so that the first read sees a whole BOM */
	size_t block = 3 + (size ? data[0] % 29 : 0);

	int has_bom = size >= 3 && !memcmp(data, "\xef\xbb\xbf", 3);

	input_data = data;
	input_size = size;

	run(path, has_bom, ',', step, block);
	run(path, has_bom, '\t', step, block);
	close(fd);
	return 0;
}
