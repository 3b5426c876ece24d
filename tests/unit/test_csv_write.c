/* CSV fields as the exports write them (RFC 4180). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/csv_write.h"

/* What csv_write_field writes for s. */
static char *written(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	csv_write_field(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void check(const char *s, const char *want)
{
	char *got = written(s);

	assert_string_equal(got, want);
	free(got);
}

static void test_fields(void **state)
{
	(void)state;
	check("plain", "plain");
	check("", "");
	check(NULL, "");
	check("1号楼 101", "1号楼 101");
	check("a,b", "\"a,b\"");
	check("say \"hi\"", "\"say \"\"hi\"\"\"");
	check("two\nlines", "\"two\nlines\"");
	check("cr\r", "\"cr\r\"");
}

/* OWASP's CSV injection: formula starters get a quote; numbers do not. */
static void test_formulas_defused(void **state)
{
	(void)state;
	check("=1+2", "'=1+2");
	check("+86 138", "'+86 138");
	check("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0");
	check("@SUM(A1)", "'@SUM(A1)");
	check("\tx", "'\tx");
	check("\rx", "\"'\rx\"");
	check("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	check("-20.00", "-20.00");
	check("+5", "+5");
	check("-3", "-3");
	check("-", "'-");
	check("-1.", "'-1.");
	check("a=b", "a=b");
	csv_write_raw(1);
	check("=1+2", "=1+2");
	csv_write_raw(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_formulas_defused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
