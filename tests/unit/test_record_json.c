/*
 * db/record_json.c: a stored record's array taken apart in C gives each
 * field exactly as SQLite's json_extract() does, or refuses the record
 * (whose fields the reader then takes from json_extract() itself).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "db/record_json.h"
#include "util/jsonbuf.h"

/* Each field of json compared with json_extract(json, '$[i]'); returns what the parse did. */
static int same_as_sqlite(sqlite3 *db, const char *json)
{
	struct record_json f;
	char *buf = malloc(strlen(json) + 1);
	sqlite3_stmt *st;
	int rc, i;

	assert_non_null(buf);
	rc = record_json_parse(json, strlen(json), buf, &f);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$[' || ?2 || ']')", -1,
					    &st, NULL), SQLITE_OK);
	for (i = 0; rc == 0 && i < RECORD_JSON_FIELDS; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, i);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		switch (f.type[i]) {
		case RECORD_JSON_NULL:
			assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
			break;
		case RECORD_JSON_INT:
			assert_int_equal(sqlite3_column_type(st, 0), SQLITE_INTEGER);
			assert_true(sqlite3_column_int64(st, 0) == f.num[i]);
			break;
		case RECORD_JSON_TEXT:
			assert_int_equal(sqlite3_column_type(st, 0), SQLITE_TEXT);
			assert_int_equal(sqlite3_column_bytes(st, 0), (int)strlen(f.text[i]));
			assert_string_equal((const char *)sqlite3_column_text(st, 0), f.text[i]);
			break;
		}
	}
	sqlite3_finalize(st);
	free(buf);
	return rc;
}

static sqlite3 *open_memory(void)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

/* The engine's form: strings, nulls, integers, as jb_string_n() escapes them. */
static void test_engine_form(void **state)
{
	sqlite3 *db = open_memory();

	(void)state;
	assert_int_equal(same_as_sqlite(db, "[\"ticket\",\"T-1\",\"花园小区\",\"2026-10-01 08:00:00\","
				       "\"2026-10-02 08:00:00\",null,3600,null,null]"), 0);
	assert_int_equal(same_as_sqlite(db, "[\"account\",\"S/1-101/物业费\",null,null,null,null,"
				       "null,-120050,\"31-90\"]"), 0);
	assert_int_equal(same_as_sqlite(db, "[\"a\\\"b\\\\c\",\"x\\u000ay\\u001b[2J\",\"\\/\","
				       "\"\\b\\f\\n\\r\\t\",\"\\u007f\",\"\",0,-0,123456789012345678]"),
			 0);
	/* fewer fields than nine: the rest are NULL, as json_extract() says */
	assert_int_equal(same_as_sqlite(db, "[\"ticket\",\"T-2\"]"), 0);
	assert_int_equal(same_as_sqlite(db, "[]"), 0);
	sqlite3_close(db);
}

/* What jb_string_n() writes for every byte is read back byte for byte. */
static void test_every_byte(void **state)
{
	sqlite3 *db = open_memory();
	struct jsonbuf jb;
	char text[255];
	int i;

	(void)state;
	for (i = 0; i < 255; i++)
		text[i] = (char)(i + 1);
	memset(&jb, 0, sizeof(jb));
	jb_raw(&jb, "[");
	jb_string_n(&jb, text, sizeof(text));
	jb_raw(&jb, "]");
	assert_false(jb.failed);
	assert_int_equal(same_as_sqlite(db, jb_text(&jb)), 0);
	jb_free(&jb);
	sqlite3_close(db);
}

/* Other forms are refused, for SQLite to read: never read differently. */
static void test_other_forms(void **state)
{
	static const char *const other[] = {
		"[1.5]", "[1e3]", "[true]", "[false]", "[[1]]", "[{\"a\":1}]", "[ 1]", "[1 ]",
		"[\"\\u0000x\"]", "[\"\\u00e9\"]", "[\"\\ud83d\\ude00\"]", "[\"a\tb\"]", "[01]",
		"[1234567890123456789]", "[\"x\"", "[\"x\",]", "[,]", "[\"\\x\"]", "[-]", "x",
		"[1,2,3,4,5,6,7,8,9,10]", "[\"a\"]x", "",
	};
	sqlite3 *db = open_memory();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_int_equal(same_as_sqlite(db, other[i]), -1);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_form),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_other_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
