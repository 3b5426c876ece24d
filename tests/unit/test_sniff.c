/* Unit tests for etl/sniff.c: text files pass, other files are named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "etl/sniff.h"

static const char *sniff(const char *s, size_t n)
{
	return sniff_binary((const unsigned char *)s, n);
}

static void test_text_passes(void **state)
{
	const char *csv = "ticket_id,site\r\nT1,\xe8\x8a\xb1\xe5\x9b\xad\tx\n";
	const char *gbk = "\xb9\xa4\xb5\xa5\xba\xc5,site\nT1,\xd6\xd0\xce\xc4\n";
	char with_nul[400];

	(void)state;
	assert_null(sniff(csv, strlen(csv)));
	assert_null(sniff(gbk, strlen(gbk)));
	assert_null(sniff("", 0));
	/* a few NUL bytes in a text export are left to the rows that hold them */
	memset(with_nul, 'a', sizeof(with_nul));
	with_nul[100] = with_nul[200] = with_nul[300] = '\0';
	assert_null(sniff(with_nul, sizeof(with_nul)));
}

static void test_signatures(void **state)
{
	(void)state;
	assert_non_null(strstr(sniff("PK\x03\x04\x14\0", 6), "xlsx"));
	assert_non_null(strstr(sniff("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0", 9), ".xls"));
	assert_non_null(strstr(sniff("\xff\xfet\0i\0", 6), "UTF-16"));
	assert_non_null(strstr(sniff("\x89PNG\r\n\x1a\n", 8), "PNG"));
	assert_non_null(strstr(sniff("%PDF-1.4\n", 9), "PDF"));
	assert_non_null(strstr(sniff("\x7f" "ELF\x02\x01", 6), "ELF"));
}

static void test_control_density(void **state)
{
	unsigned char buf[4096];
	size_t i;
	unsigned x = 12345;

	(void)state;
	/* pseudo-random bytes, as in compressed data, with no known signature */
	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	buf[0] = 'a';
	assert_string_equal(sniff_binary(buf, sizeof(buf)), "binary data");
	/* escape codes in more than one byte of 32 */
	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < sizeof(buf); i += 16)
		buf[i] = 0x1b;
	assert_string_equal(sniff_binary(buf, sizeof(buf)), "binary data");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_passes),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_control_density),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
