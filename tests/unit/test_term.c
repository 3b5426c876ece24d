/* Unit tests for util/term.c, util/utf8.c and util/edit_distance.c: what reaches a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/term.h"
#include "util/utf8.h"

/* term_write(s, keep_newlines) into a string. */
static char *shown(const char *s, int keep_newlines)
{
	static char result[256];
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	term_write(out, s, keep_newlines);
	fclose(out);
	snprintf(result, sizeof(result), "%s", buf);
	free(buf);
	return result;
}

static void test_text_unchanged(void **state)
{
	(void)state;
	assert_string_equal(shown("花园小区 1-101, a\\b \"q\" 😀", 0), "花园小区 1-101, a\\b \"q\" 😀");
	assert_string_equal(shown("", 0), "");
}

static void test_controls_escaped(void **state)
{
	(void)state;
	assert_string_equal(shown("a\033[2Jb", 0), "a\\x1b[2Jb");
	assert_string_equal(shown("\033]0;title\007", 0), "\\x1b]0;title\\x07");
	assert_string_equal(shown("x\r\ny\tz\x7f", 0), "x\\r\\ny\\tz\\x7f");
	/* C1 controls: 0x9B is a one-byte CSI to some terminals */
	assert_string_equal(shown("a\xc2\x9b" "31m", 0), "a\\u009b31m");
	/* right-to-left override and isolates */
	assert_string_equal(shown("e\xe2\x80\xaelive", 0), "e\\u202elive");
	assert_string_equal(shown("\xe2\x81\xa6x", 0), "\\u2066x");
}

static void test_newlines_kept_when_asked(void **state)
{
	(void)state;
	assert_string_equal(shown("a\nb\tc\033", 1), "a\nb\tc\\x1b");
	assert_string_equal(shown("a\rb", 1), "a\\rb");
}

static void test_invalid_utf8_as_bytes(void **state)
{
	(void)state;
	assert_string_equal(shown("x\xffy", 0), "x\\xffy");
	/* a raw 0x9B byte (not UTF-8) must not reach the terminal either */
	assert_string_equal(shown("\x9b" "2J", 0), "\\x9b2J");
	/* overlong ESC (C0 9B) and a cut-off sequence at the end */
	assert_string_equal(shown("\xc0\x9b", 0), "\\xc0\\x9b");
	assert_string_equal(shown("\xe4\xb8", 0), "\\xe4\\xb8");
}

static void test_printf(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(out);
	term_printf(out, "%s:%d: %s", "f.csv", 3, "bad '\033[2J'");
	fclose(out);
	assert_string_equal(buf, "f.csv:3: bad '\\x1b[2J'\n");
	free(buf);
}

static void test_utf8_sequence_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_sequence_length("a", 1), 1);
	assert_int_equal(utf8_sequence_length("\xe4\xb8\xad", 3), 3);
	assert_int_equal(utf8_code_point("\xe4\xb8\xad", 3), 0x4E2D);
	assert_int_equal(utf8_sequence_length("\xe4\xb8\xad", 2), 0);
	assert_int_equal(utf8_sequence_length("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(utf8_code_point("\xf0\x9f\x98\x80", 4), 0x1F600);
	assert_int_equal(utf8_sequence_length("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_sequence_length("\xf4\x90\x80\x80", 4), 0);	/* > U+10FFFF */
	assert_int_equal(utf8_sequence_length("\xe0\x80\x80", 3), 0);	/* overlong */
	assert_int_equal(utf8_sequence_length("", 0), 0);
}

/* Distances count characters: a CJK character is one edit, not three bytes. */
static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(utf8_edit_distance("", ""), 0);
	assert_int_equal(utf8_edit_distance("翠湖", "翠湖花园"), 2);
	assert_int_equal(utf8_edit_distance("翠湖花园", "翠湖花园"), 0);
	assert_int_equal(utf8_edit_distance("金桂", "金桂苑"), 1);
	assert_int_equal(utf8_edit_distance("ab", "a湖"), 1);
	assert_int_equal(utf8_edit_distance("ab", "abcd"), 2);
	assert_int_equal(utf8_edit_distance("kitten", "sitting"), 3);
	/* an invalid byte is one character */
	assert_int_equal(utf8_edit_distance("a\xff", "ab"), 1);
	assert_int_equal(utf8_edit_distance("海棠湾", ""), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_unchanged),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_newlines_kept_when_asked),
		cmocka_unit_test(test_invalid_utf8_as_bytes),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_utf8_sequence_length),
		cmocka_unit_test(test_edit_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
