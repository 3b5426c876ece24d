/* Unit tests for etl/encoding.c: UTF-8 validation, GB18030 conversion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "etl/encoding.h"

static void test_utf8_validation(void **state)
{
	int truncated;

	(void)state;
	assert_true(utf8_valid("abc", 3));
	assert_true(utf8_valid("中文", strlen("中文")));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));	/* U+1F600 */
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xc0\xaf", 2));		/* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));	/* above U+10FFFF */
	assert_false(utf8_valid("\xd6\xd0\xce\xc4", 4));	/* 中文 in GBK */
	assert_int_equal(utf8_valid_prefix("ab\xe4\xb8", 4, &truncated), 2);
	assert_int_equal(truncated, 1);
	assert_int_equal(utf8_valid_prefix("ab\xe4x", 4, &truncated), 2);
	assert_int_equal(truncated, 0);
	/* the three-byte fast path and the lead bytes it leaves to the full check */
	assert_true(utf8_valid("\xe1\x80\x80\xec\xbf\xbf\xee\x80\x80\xef\xbf\xbf", 12));
	assert_false(utf8_valid("\xe4\xb8\x41", 3));		/* bad third byte */
	assert_false(utf8_valid("\xe4\xc0\x80", 3));		/* bad second byte */
	assert_false(utf8_valid("\xe0\x80\x80", 3));		/* overlong */
	assert_true(utf8_valid("\xe0\xa0\x80\xed\x9f\xbf", 6));
	assert_int_equal(utf8_valid_prefix("a\xe4\xb8", 3, &truncated), 1);
	assert_int_equal(truncated, 1);
	assert_int_equal(utf8_valid_prefix("\xe4\xb8\xad\xe4", 4, &truncated), 3);
	assert_int_equal(truncated, 1);
}

/* Scores the bytes in pieces of step bytes and picks. */
static enum pm_encoding pick(const char *s, size_t step)
{
	struct pm_encoding_score sc;
	size_t n = strlen(s), pos;

	encoding_score_init(&sc);
	for (pos = 0; pos < n; pos += step)
		encoding_score_feed(&sc, s + pos, n - pos < step ? n - pos : step);
	encoding_score_end(&sc);
	return encoding_score_pick(&sc);
}

static void test_encoding_score(void **state)
{
	/* 花园小区,水电,张三 / 李四 in UTF-8 with one stray byte */
	const char *utf8_bad = "U1,\xe8\x8a\xb1\xe5\x9b\xad\xe5\xb0\x8f\xe5\x8c\xba,"
			       "\xe6\xb0\xb4\xe7\x94\xb5\n"
			       "U2,x\xffy,\xe6\x9d\x8e\xe5\x9b\x9b\n";
	/* 中文,报修 in GBK, with the CP936 euro sign 0x80 */
	const char *gbk = "G1,\xd6\xd0\xce\xc4,\xb1\xa8\xd0\xde,\x80" "5\n";
	/* UTF-8 cut off in the middle of its last character */
	const char *utf8_cut = "a,\xe6\xb0\xb4\xe7\x94\xb5\n\xe6\xb0";
	size_t step;

	(void)state;
	for (step = 1; step <= 8; step++) {
		assert_int_equal(pick(utf8_bad, step), PM_ENC_UTF8);
		assert_int_equal(pick(gbk, step), PM_ENC_GB18030);
		assert_int_equal(pick(utf8_cut, step), PM_ENC_UTF8);
		/* a four-byte GB18030 character */
		assert_int_equal(pick("\x81\x30\x81\x30,\xd6\xd0", step), PM_ENC_GB18030);
	}
}

static void test_sanitize(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(utf8_sanitize("a\xffz", 3, out), 5);
	assert_string_equal(out, "a\xef\xbf\xbdz");
	assert_int_equal(utf8_sanitize("中", 3, out), 3);
	assert_string_equal(out, "中");
}

/* Converts in, cut into pieces of step bytes, the way the file reader does. */
static void convert(const char *in, size_t n, size_t step, char *out, size_t *out_len)
{
	struct pm_gb18030 gb;
	pm_error err;
	char buf[256];
	size_t have = 0, given = 0, consumed, produced;

	assert_int_equal(gb18030_open(&gb, &err), 0);
	*out_len = 0;
	while (have > 0 || given < n) {
		size_t add = n - given < step ? n - given : step;

		memcpy(buf + have, in + given, add);
		have += add;
		given += add;
		gb18030_convert(&gb, buf, have, given == n, out + *out_len, 256, &consumed,
				&produced);
		*out_len += produced;
		memmove(buf, buf + consumed, have - consumed);
		have -= consumed;
		if (given == n && consumed == 0)
			break;
	}
	out[*out_len] = '\0';
	gb18030_close(&gb);
}

static void expect_gb(const char *in, size_t n, const char *want)
{
	char out[1024];
	size_t len, step;

	for (step = 1; step <= n; step++) {
		convert(in, n, step, out, &len);
		if (len != strlen(want) || memcmp(out, want, len))
			fail_msg("pieces of %zu: got '%s' want '%s'", step, out, want);
	}
}

static void test_gb18030_two_byte(void **state)
{
	(void)state;
	/* 中文,报修 */
	expect_gb("\xd6\xd0\xce\xc4,\xb1\xa8\xd0\xde", 9, "中文,报修");
}

static void test_gb18030_four_byte_split_anywhere(void **state)
{
	(void)state;
	/* U+20000 (𠀀) is 95 32 82 36; U+00A5 ¥ is 81 30 84 36 */
	expect_gb("a\x95\x32\x82\x36z\x81\x30\x84\x36", 10, "a\xf0\xa0\x80\x80z¥");
}

static void test_euro_byte(void **state)
{
	(void)state;
	/* 0x80 alone is the euro sign; as a second byte (81 80) it is not */
	expect_gb("\x80" "5", 2, "€5");
	expect_gb("x\x80\xd6\xd0\x80", 5, "x€中€");
	expect_gb("\x81\x80", 2, "亐");
}

static void test_invalid_bytes_are_marked(void **state)
{
	char want[8] = { 'a', (char)PM_BAD_BYTE, 'b', 0 };

	(void)state;
	expect_gb("a\xff" "b", 3, want);
	/* a lead byte cut off by the end of the file */
	want[0] = 'x';
	want[1] = (char)PM_BAD_BYTE;
	want[2] = 0;
	expect_gb("x\xd6", 2, want);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(encoding_parse("UTF-8"), PM_ENC_UTF8);
	assert_int_equal(encoding_parse("gbk"), PM_ENC_GB18030);
	assert_int_equal(encoding_parse("auto"), PM_ENC_AUTO);
	assert_int_equal(encoding_parse("latin1"), -1);
	assert_string_equal(encoding_name(PM_ENC_GB18030), "gb18030");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_validation),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_encoding_score),
		cmocka_unit_test(test_gb18030_two_byte),
		cmocka_unit_test(test_gb18030_four_byte_split_anywhere),
		cmocka_unit_test(test_euro_byte),
		cmocka_unit_test(test_invalid_bytes_are_marked),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
