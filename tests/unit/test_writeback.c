/*
 * Unit tests for db/writeback.c: the thread that hands a long transaction's
 * pages to the disk runs beside the writes without changing what is stored
 * or undone, starts only for a database file, and leaves no thread or file
 * descriptor behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>
#include "db/db.h"

#define ROWS 200000

/* Descriptors the process has open. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void temp_path(char path[64])
{
	int fd;

	strcpy(path, "/tmp/pmaudit-writeback-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static long long count_rows(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), sum(length(t)) FROM w", -1, &st,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Fills w with ROWS rows (about 25 MB, a page cache of 1 MiB: most pages
 * reach the file during the transaction) while the thread runs for over
 * a second.
 */
static void fill(sqlite3 *db)
{
	exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
		" INSERT INTO w SELECT i, printf('%0120d', i) FROM n");
	usleep(600 * 1000);
}

static void test_commit_keeps_rows(void **state)
{
	char path[64];
	sqlite3 *db;
	struct db_writeback *wb;
	int fds;

	(void)state;
	temp_path(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA cache_size=-1024; CREATE TABLE w(i INTEGER PRIMARY KEY, t TEXT)");
	fds = open_fds();
	exec_ok(db, "BEGIN IMMEDIATE");
	wb = db_writeback_start(db);
	assert_non_null(wb);
	fill(db);
	exec_ok(db, "COMMIT");
	db_writeback_stop(wb);
	/* the journal SQLite opened is closed again; the thread's descriptor too */
	assert_int_equal(open_fds(), fds);
	assert_int_equal(count_rows(db), ROWS);
	sqlite3_close(db);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(count_rows(db), ROWS);
	sqlite3_close(db);
	unlink(path);
}

/* Pages written early are still undone by the rollback journal. */
static void test_rollback_undoes(void **state)
{
	char path[64];
	sqlite3 *db;
	struct db_writeback *wb;

	(void)state;
	temp_path(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA cache_size=-1024; CREATE TABLE w(i INTEGER PRIMARY KEY, t TEXT);"
		" INSERT INTO w VALUES(0, 'before')");
	exec_ok(db, "BEGIN IMMEDIATE");
	wb = db_writeback_start(db);
	assert_non_null(wb);
	exec_ok(db, "UPDATE w SET t = 'changed'");
	fill(db);
	exec_ok(db, "ROLLBACK");
	db_writeback_stop(wb);
	sqlite3_close(db);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(count_rows(db), 1);
	exec_ok(db, "PRAGMA integrity_check");
	sqlite3_close(db);
	unlink(path);
}

/* Nothing to write for a database in memory; stopping nothing is harmless. */
static void test_memory_none(void **state)
{
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_null(db_writeback_start(db));
	db_writeback_stop(NULL);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_keeps_rows),
		cmocka_unit_test(test_rollback_undoes),
		cmocka_unit_test(test_memory_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
