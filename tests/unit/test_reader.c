/*
 * Unit tests for etl/reader.c: RFC 4180 quoting, line ends, physical line
 * numbers, original text, limits, and that the result does not depend on
 * how the input is cut into pieces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "etl/reader.h"

#define UNTERMINATED "unterminated quoted field: a quote in this record is never closed, " \
	"so the rest of the file was read as part of it"

/* Records rendered as "line:[f1|f2]{raw}" or "line:!error" and appended. */
struct out {
	char text[8192];
	size_t records;
};

static int collect(void *ctx, const struct pm_record *rec)
{
	struct out *o = ctx;
	size_t used = strlen(o->text), i;

	o->records++;
	if (rec->error) {
		snprintf(o->text + used, sizeof(o->text) - used, "%lld:!%s\n",
			 (long long)rec->line, rec->error);
		return 0;
	}
	used += snprintf(o->text + used, sizeof(o->text) - used, "%lld:[", (long long)rec->line);
	for (i = 0; i < rec->nfields; i++)
		used += snprintf(o->text + used, sizeof(o->text) - used, "%s%.*s", i ? "|" : "",
				 (int)rec->len[i], rec->field[i]);
	snprintf(o->text + used, sizeof(o->text) - used, "]{%.*s}\n", (int)rec->raw_len, rec->raw);
	return 0;
}

/* Reads input cut into pieces of size step (0 = all at once). */
static void read_all(const char *input, size_t n, char delim, size_t step, struct out *o)
{
	struct pm_reader *r = reader_new(delim);
	size_t pos = 0;

	assert_non_null(r);
	memset(o, 0, sizeof(*o));
	if (step == 0)
		step = n ? n : 1;
	while (pos < n) {
		size_t len = n - pos < step ? n - pos : step;

		assert_int_equal(reader_feed(r, input + pos, len, collect, o), 0);
		pos += len;
	}
	assert_int_equal(reader_finish(r, collect, o), 0);
	reader_free(r);
}

/* As read_all, all at once, with every line through libcsv. */
static void read_libcsv(const char *input, size_t n, char delim, struct out *o)
{
	struct pm_reader *r = reader_new(delim);

	assert_non_null(r);
	reader_libcsv_only(r);
	memset(o, 0, sizeof(*o));
	assert_int_equal(reader_feed(r, input, n, collect, o), 0);
	assert_int_equal(reader_finish(r, collect, o), 0);
	reader_free(r);
}

/* Checks the result for every piece size from 1 byte up. */
static void expect(const char *input, char delim, const char *want)
{
	size_t n = strlen(input), step;
	struct out o;

	for (step = 0; step <= n + 1; step++) {
		read_all(input, n, delim, step, &o);
		if (strcmp(o.text, want))
			fail_msg("pieces of %zu:\n got: %s\nwant: %s", step, o.text, want);
	}
}

/* Fails showing the first record where a and b differ. */
static void same_records(const char *a, const char *b, int round, char delim, size_t step)
{
	size_t i = 0, line_start = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n')
			line_start = i + 1;
		i++;
	}
	if (a[i] || b[i])
		fail_msg("round %d, delimiter %d, pieces of %zu:\n own: %.80s\nlibcsv: %.80s",
			 round, delim, step, a + line_start, b + line_start);
}

/*
 * Lines without quotes are cut by the reader itself, the others by libcsv:
 * on random text made of delimiters, spaces, tabs, line ends, Chinese and
 * now and then a quote, both give the same records, fields and lines.
 */
static void test_own_cutting_matches_libcsv(void **state)
{
	static const char *const atoms[] = { "a", "bc", ",", ",", " ", "\t", "中", "\n", "\r\n",
					     "\r", "\n", "\"", "x y", "\xe3\x80\x80" };
	char input[600];
	struct out fast, slow;
	unsigned seed = 12345;
	int round, delim;

	(void)state;
	for (round = 0; round < 3000; round++) {
		size_t n = 0;

		while (n < sizeof(input) - 8) {
			const char *atom;

			seed = seed * 1103515245u + 12345u;
			atom = atoms[(seed >> 16) % (sizeof(atoms) / sizeof(atoms[0]))];
			/* quotes rarely, so that most lines take the reader's own path */
			if (atom[0] == '"' && (seed >> 8) % 8)
				continue;
			memcpy(input + n, atom, strlen(atom));
			n += strlen(atom);
		}
		input[n] = '\0';
		for (delim = 0; delim < 2; delim++) {
			char d = delim ? '\t' : ',';

			read_libcsv(input, n, d, &slow);
			read_all(input, n, d, 0, &fast);
			same_records(fast.text, slow.text, round, d, 0);
			read_all(input, n, d, 7, &fast);
			same_records(fast.text, slow.text, round, d, 7);
		}
	}
}

static void test_simple_lf_and_crlf(void **state)
{
	(void)state;
	expect("a,b\n1,2\n", ',', "1:[a|b]{a,b}\n2:[1|2]{1,2}\n");
	expect("a,b\r\n1,2\r\n", ',', "1:[a|b]{a,b}\n2:[1|2]{1,2}\n");
	expect("a,b\r1,2\r", ',', "1:[a|b]{a,b}\n2:[1|2]{1,2}\n");
	expect("a,b\n1,2", ',', "1:[a|b]{a,b}\n2:[1|2]{1,2}\n");
	expect("a,,c\n", ',', "1:[a||c]{a,,c}\n");
}

static void test_quoted_fields_byte_for_byte(void **state)
{
	(void)state;
	expect("\"x,y\",\"say \"\"hi\"\"\"\n", ',',
	       "1:[x,y|say \"hi\"]{\"x,y\",\"say \"\"hi\"\"\"}\n");
	/* a newline inside quotes: the next record starts on line 3 */
	expect("id,note\n1,\"two\nlines\"\n2,x\n", ',',
	       "1:[id|note]{id,note}\n2:[1|two\nlines]{1,\"two\nlines\"}\n4:[2|x]{2,x}\n");
	expect("1,\"a\r\nb\"\r\n2,x\r\n", ',',
	       "1:[1|a\r\nb]{1,\"a\r\nb\"}\n3:[2|x]{2,x}\n");
	expect("1,\"a\rb\"\r2,x\r", ',', "1:[1|a\rb]{1,\"a\rb\"}\n3:[2|x]{2,x}\n");
}

static void test_blank_lines_count(void **state)
{
	(void)state;
	expect("a\n\n\nb\n", ',', "1:[a]{a}\n4:[b]{b}\n");
	expect("a\r\n\r\nb\r\n", ',', "1:[a]{a}\n3:[b]{b}\n");
	expect("a\n  \nb\n", ',', "1:[a]{a}\n3:[b]{b}\n");
}

static void test_tab_delimiter(void **state)
{
	(void)state;
	expect("a\tb,c\t\td\n", '\t', "1:[a|b,c||d]{a\tb,c\t\td}\n");
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	expect("a,b\n1,\"open\n2,x\n", ',', "1:[a|b]{a,b}\n2:!" UNTERMINATED "\n");
}

/* An open quote that swallows more than 1 MiB is still named as the cause. */
static void test_unterminated_quote_over_the_limit(void **state)
{
	size_t big = 2u * PM_MAX_RECORD_BYTES, n;
	char *input = malloc(big + 64);
	struct out o;

	(void)state;
	assert_non_null(input);
	n = (size_t)sprintf(input, "a,b\n1,\"");
	memset(input + n, 'x', big);
	n += big;
	read_all(input, n, ',', 70000, &o);
	assert_string_equal(o.text, "1:[a|b]{a,b}\n2:!" UNTERMINATED "\n");
	free(input);
}

static void test_nul_bytes_survive(void **state)
{
	struct out o;

	(void)state;
	read_all("a\0b,c\n", 6, ',', 0, &o);
	assert_int_equal(o.records, 1);
}

static void test_huge_field_is_rejected_not_kept(void **state)
{
	size_t big = 3u * PM_MAX_RECORD_BYTES, n;
	char *input = malloc(big + 64);
	struct out o;

	(void)state;
	assert_non_null(input);
	n = (size_t)sprintf(input, "a,b\n1,\"");
	memset(input + n, 'x', big);
	n += big;
	n += (size_t)sprintf(input + n, "\"\n2,y\n");
	read_all(input, n, ',', 100000, &o);
	assert_string_equal(o.text, "1:[a|b]{a,b}\n2:!record longer than 1 MiB\n3:[2|y]{2,y}\n");
	/* an unquoted line without line end is bounded too */
	memset(input, 'z', big);
	read_all(input, big, ',', 0, &o);
	assert_string_equal(o.text, "1:!record longer than 1 MiB\n");
	free(input);
}

static void test_too_many_columns(void **state)
{
	size_t n = 20000, i;
	char *input = malloc(n + 16);
	struct out o;

	(void)state;
	assert_non_null(input);
	for (i = 0; i < n; i += 2) {
		input[i] = 'x';
		input[i + 1] = ',';
	}
	memcpy(input + n, "y\nok\n", 5);
	read_all(input, n + 5, ',', 4096, &o);
	assert_string_equal(o.text, "1:!more than 1024 fields\n2:[ok]{ok}\n");
	free(input);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_lf_and_crlf),
		cmocka_unit_test(test_own_cutting_matches_libcsv),
		cmocka_unit_test(test_quoted_fields_byte_for_byte),
		cmocka_unit_test(test_blank_lines_count),
		cmocka_unit_test(test_tab_delimiter),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_unterminated_quote_over_the_limit),
		cmocka_unit_test(test_nul_bytes_survive),
		cmocka_unit_test(test_huge_field_is_rejected_not_kept),
		cmocka_unit_test(test_too_many_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
