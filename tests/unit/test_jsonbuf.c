/* util/jsonbuf.c: whatever the text, the output is valid JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
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

/*
 * jb_string_n(), jb_int(), jb_real(): what SQLite's json_extract() reads
 * back from them is the value written, byte for byte and of the same type
 * (the stored records, rules/results/results_rules.c): quotes, backslashes,
 * control characters, bytes that are not UTF-8, integers at the ends of
 * their range, doubles to the last bit, the infinities.
 */
/* The array jb holds, closed; its one value read back by SQLite, of the type expected. */
static sqlite3_stmt *read_back(sqlite3 *db, struct jsonbuf *jb, const char *type)
{
	sqlite3_stmt *st;

	jb_raw(jb, "]");
	assert_false(jb->failed);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$[0]'),"
					    " typeof(json_extract(?1, '$[0]'))", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, jb_text(jb), -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 1), type);
	return st;
}

static void roundtrip_text(sqlite3 *db, const char *text, size_t n)
{
	struct jsonbuf jb = { { NULL, 0, 0 }, 0 };
	sqlite3_stmt *st;

	jb_raw(&jb, "[");
	jb_string_n(&jb, text, n);
	st = read_back(db, &jb, "text");
	assert_int_equal(sqlite3_column_bytes(st, 0), (int)n);
	assert_memory_equal(sqlite3_column_blob(st, 0), text, n);
	sqlite3_finalize(st);
	jb_free(&jb);
}

/* An integer and a double: each written both ways, read back as what it is. */
static void roundtrip_numbers(sqlite3 *db, long long v, double d)
{
	struct jsonbuf jb = { { NULL, 0, 0 }, 0 };
	sqlite3_stmt *st;

	jb_raw(&jb, "[");
	jb_int(&jb, v);
	st = read_back(db, &jb, "integer");
	assert_true(sqlite3_column_int64(st, 0) == v);
	sqlite3_finalize(st);
	jb.out.len = 0;
	jb_raw(&jb, "[");
	jb_real(&jb, d);
	st = read_back(db, &jb, "real");
	assert_memory_equal(&(double){ sqlite3_column_double(st, 0) }, &d, sizeof(d));
	sqlite3_finalize(st);
	jb_free(&jb);
}

static void test_values_read_back_by_sqlite(void **state)
{
	static const char bytes[] = "a\"b\\c\n\t\x01\x1f\x7f \xff\xfe\xe4\xb8 花园 😀";
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	roundtrip_text(db, bytes, sizeof(bytes) - 1);
	roundtrip_text(db, "", 0);
	roundtrip_text(db, "T2026100001", 11);
	roundtrip_numbers(db, 0, 0.1 + 0.2);
	roundtrip_numbers(db, -1, 5.0);
	roundtrip_numbers(db, 2978, -1234.5678e-300);
	roundtrip_numbers(db, 9223372036854775807LL, 1e300 * 1e300);
	roundtrip_numbers(db, -9223372036854775807LL - 1, -1e300 * 1e300);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_values_read_back_by_sqlite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
