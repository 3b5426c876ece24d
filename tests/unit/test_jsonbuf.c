/* util/jsonbuf.c: whatever the text, the output is valid JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/jsonbuf.h"

static void expect(const char *text, const char *json)
{
	struct jsonbuf jb;

	memset(&jb, 0, sizeof(jb));
	jb_string(&jb, text);
	assert_false(jb.failed);
	assert_string_equal(jb_text(&jb), json);
	jb_free(&jb);
}

static void test_strings(void **state)
{
	(void)state;
	expect("花园小区", "\"花园小区\"");
	expect("a\"b\\c", "\"a\\\"b\\\\c\"");
	expect("x\ny\033[2J", "\"x\\u000ay\\u001b[2J\"");
	expect("</script>\\u0000", "\"</script>\\\\u0000\"");
	expect("😀", "\"😀\"");
	expect(NULL, "null");
}

/* A --site argument or a file need not be UTF-8: bad bytes become U+FFFD. */
static void test_invalid_utf8(void **state)
{
	(void)state;
	expect("x\xffy", "\"x\\ufffdy\"");
	expect("\xe4\xb8", "\"\\ufffd\\ufffd\"");
	expect("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	expect("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
