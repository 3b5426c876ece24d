/*
 * db_verify() (db/verify.c), the walk of every page that check and report
 * make before they read: a sound file passes, free pages included; damage
 * to a page's cell pointers, a free list that names a page in use, a child
 * pointer bent to another tree and a file cut short are each an error
 * naming the file; an auto-vacuum or write-ahead-log file (not pmaudit's
 * making) goes to PRAGMA quick_check instead; beside the work, on a
 * thread, it gives the same verdict.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include "db/db.h"

#define PAGE 4096

static char path[64];

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* A file of two tables with an index each, 4,000 rows, then some deleted: free pages. */
static void make_db(int mode)
{
	sqlite3 *db;

	strcpy(path, "/tmp/pmaudit-verify-XXXXXX");
	close(mkstemp(path));
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (mode == 1)
		exec(db, "PRAGMA auto_vacuum = FULL");
	exec(db, "PRAGMA page_size = 4096; PRAGMA secure_delete = OFF;"
		 "CREATE TABLE a(id INTEGER PRIMARY KEY, t TEXT); CREATE INDEX a_t ON a(t);"
		 "CREATE TABLE b(k TEXT PRIMARY KEY, v BLOB);"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)"
		 " INSERT INTO a SELECT i, printf('row %08d of the table a, padded', i * 7919 % 4000) FROM n;"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
		 " INSERT INTO b SELECT printf('k%05d', i), randomblob(i * 20) FROM n;"
		 "DELETE FROM b WHERE rowid % 3 = 0");
	if (mode == 2)
		exec(db, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
			 " DELETE FROM a WHERE id % 5 = 0");
	sqlite3_close(db);
}

/* db_verify's return on the file as it is now; its message into msg. */
static int verify(char *msg, size_t size)
{
	sqlite3 *db;
	pm_error err = { "" };
	int rc;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	rc = db_verify(db, path, &err);
	sqlite3_close(db);
	snprintf(msg, size, "%s", err.msg);
	return rc;
}

static long long query(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* n bytes at offset off of page p, each XOR 0xA5 (as t_faults_damaged_db.sh does) */
static void flip(long long p, int off, int n)
{
	FILE *f = fopen(path, "r+b");
	unsigned char b[64];
	int i;

	assert_non_null(f);
	fseek(f, (long)((p - 1) * PAGE + off), SEEK_SET);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	for (i = 0; i < n; i++)
		b[i] ^= 0xA5;
	fseek(f, (long)((p - 1) * PAGE + off), SEEK_SET);
	fwrite(b, 1, (size_t)n, f);
	fclose(f);
}

static void put32(long long p, int off, unsigned v)
{
	FILE *f = fopen(path, "r+b");
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	assert_non_null(f);
	fseek(f, (long)((p - 1) * PAGE + off), SEEK_SET);
	fwrite(b, 1, 4, f);
	fclose(f);
}

static void assert_damaged(void)
{
	char msg[512];

	assert_int_equal(verify(msg, sizeof(msg)), -1);
	if (!strstr(msg, path) || !strstr(msg, "the database is damaged"))
		fail_msg("message: %s", msg);
}

static void sound_file_passes(void **state)
{
	char msg[512];

	(void)state;
	make_db(0);
	assert_true(query("PRAGMA freelist_count") > 0);
	assert_int_equal(verify(msg, sizeof(msg)), 0);
	unlink(path);
}

/* every leaf page of index a_t, its cell pointers garbled: each one found */
static void garbled_cell_pointers(void **state)
{
	long long first, last, p;

	(void)state;
	make_db(0);
	first = query("SELECT min(pageno) FROM dbstat WHERE name = 'a_t' AND pagetype = 'leaf'");
	last = query("SELECT max(pageno) FROM dbstat WHERE name = 'a_t' AND pagetype = 'leaf'");
	unlink(path);
	assert_true(first > 0 && last > first);
	for (p = first; p <= last; p += (last - first) / 4 + 1) {
		make_db(0);	/* the same pages each time: the data is fixed */
		flip(p, 8, 32);
		assert_damaged();
		unlink(path);
	}
}

/* the free list's first trunk names page 2, which a table uses */
static void free_list_names_a_page_in_use(void **state)
{
	long long trunk;

	(void)state;
	make_db(0);
	/* the first trunk page's number is at offset 32 of the header */
	{
		FILE *f = fopen(path, "rb");
		unsigned char h[40];

		assert_non_null(f);
		assert_int_equal(fread(h, 1, 40, f), 40);
		fclose(f);
		trunk = (long long)h[32] << 24 | h[33] << 16 | h[34] << 8 | h[35];
	}
	assert_true(trunk > 0);
	put32(trunk, 8, 2);
	assert_damaged();
	unlink(path);
}

/* an interior page's right child bent to the root of another tree: a page reached twice */
static void child_pointer_bent(void **state)
{
	long long inner, other;

	(void)state;
	make_db(0);
	inner = query("SELECT min(pageno) FROM dbstat WHERE name = 'a' AND pagetype = 'internal'");
	other = query("SELECT rootpage FROM sqlite_schema WHERE name = 'b'");
	assert_true(inner > 0 && other > 0);
	put32(inner, 8, (unsigned)other);
	assert_damaged();
	unlink(path);
}

static void file_cut_short(void **state)
{
	(void)state;
	make_db(0);
	assert_int_equal(truncate(path, (off_t)query("PRAGMA page_count") * PAGE / 2), 0);
	assert_damaged();
	unlink(path);
}

/* pointer-map pages are not the walk's business: quick_check judges, and passes */
static void auto_vacuum_file_goes_to_quick_check(void **state)
{
	char msg[512];

	(void)state;
	make_db(1);
	assert_int_equal(query("PRAGMA auto_vacuum"), 1);
	assert_int_equal(verify(msg, sizeof(msg)), 0);
	unlink(path);
}

/* a write-ahead log (pages newer than the file's header) goes to quick_check too */
/*
 * The walk beside the work gives db_verify()'s verdict and message however
 * it is run: on a thread of its own from the start (db_verify_start()),
 * opened and started later from another thread (db_verify_spawn(), as the
 * check run's read-ahead does), opened and never started, when
 * db_verify_finish() walks itself, or walked by the caller
 * (db_verify_help(), as the run's thread does while it waits); once.
 */
static void *spawn_thread(void *job)
{
	db_verify_spawn(job);
	return NULL;
}

static void beside_the_work(int damaged)
{
	char want[512];
	int want_rc, way;

	make_db(0);
	{       /* a pmaudit database, which the walk's read-only connection insists on */
		sqlite3 *db;
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", PM_SCHEMA_VERSION);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		exec(db, sql);
		sqlite3_close(db);
	}
	if (damaged)
		flip(query("SELECT max(pageno) FROM dbstat WHERE name = 'a_t' AND pagetype = 'leaf'"),
		     8, 32);
	want_rc = verify(want, sizeof(want));
	assert_int_equal(want_rc, damaged ? -1 : 0);
	for (way = 0; way < 5; way++) {
		struct db_verify_job *job = way == 0 ? db_verify_start(path) : db_verify_open(path);
		pm_error err = { "" };
		pthread_t t;

		assert_non_null(job);
		if (way == 1 || way == 4) {
			assert_int_equal(pthread_create(&t, NULL, spawn_thread, job), 0);
			assert_int_equal(pthread_join(t, NULL), 0);
		}
		if (way == 3)           /* walked by the caller, once */
			assert_int_equal(db_verify_help(job), 1);
		if (way >= 3)           /* taken on already: nothing more */
			assert_int_equal(db_verify_help(job), 0);
		assert_int_equal(db_verify_finish(job, &err), want_rc);
		assert_string_equal(err.msg, damaged ? want : "");
	}
	unlink(path);
}

static void beside_the_work_same_verdict(void **state)
{
	(void)state;
	beside_the_work(0);
	beside_the_work(1);
}

static void wal_file_goes_to_quick_check(void **state)
{
	char msg[512];

	(void)state;
	make_db(2);
	assert_int_equal(verify(msg, sizeof(msg)), 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sound_file_passes),
		cmocka_unit_test(garbled_cell_pointers),
		cmocka_unit_test(free_list_names_a_page_in_use),
		cmocka_unit_test(child_pointer_bent),
		cmocka_unit_test(file_cut_short),
		cmocka_unit_test(auto_vacuum_file_goes_to_quick_check),
		cmocka_unit_test(wal_file_goes_to_quick_check),
		cmocka_unit_test(beside_the_work_same_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
