/*
 * Unit tests for etl/indexes.c: every secondary index but the unique ones
 * is set aside for the build at the end, whatever the rows' order, and
 * built again; the key's unique index (schema v8) is kept while its keys go
 * one way and set aside once they go both, and its build finds a repeated
 * key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "db/db.h"
#include "etl/batch.h"
#include "etl/indexes.h"
#include "etl/kinds.h"
#include "util/civil.h"

#define ROWS 307200		/* 300 batches: past the cache's worth of keys */
#define SITES 10

enum order { IN_TIME, NEWEST_FIRST, BY_SITE, SHUFFLED };

/* The key of the i-th row in the file: one callback every 100 s from 2026-01-01. */
static int64_t key_of(int64_t i, enum order order)
{
	int64_t start = civil_days(2026, 1, 1) * 86400, per_site = ROWS / SITES;

	switch (order) {
	case IN_TIME:
		return start + i * 100;
	case NEWEST_FIRST:
		return start + (ROWS - 1 - i) * 100;
	case BY_SITE:		/* each site's rows in time order, one site after the other */
		return start + ((i % per_site) * SITES + i / per_site) * 100;
	case SHUFFLED:		/* a permutation: 104729 is prime to ROWS */
		return start + (i * 104729 % ROWS) * 100;
	}
	return 0;
}

static int index_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *stmt;
	int n;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
					    -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/*
 * Feeds ROWS rows through indexes_watch() in batches, field holding the
 * i-th row's key_of() as a timestamp (as_id 0) or as a callback_id.
 */
static void feed(sqlite3 *db, struct pm_deferred *d, int nfields, int field, enum order order,
		 int as_id)
{
	struct pm_batch b;
	struct pm_row row;
	pm_error err;
	char text[24];
	int64_t i;

	assert_int_equal(batch_init(&b), 0);
	memset(&row, 0, sizeof(row));
	row.nfields = nfields;
	for (i = 0; i < ROWS; i++) {
		if (as_id)
			snprintf(text, sizeof(text), "CB%09lld", (long long)(key_of(i, order) / 100));
		else
			civil_format_timestamp(key_of(i, order), text);
		row.value[field].tag = PM_STR;
		row.value[field].s = text;
		row.value[field].n = strlen(text);
		assert_int_equal(batch_add_row(&b, i + 2, &row), 0);
		if (batch_full(&b) || i == ROWS - 1) {
			batch_seal(&b);
			assert_int_equal(indexes_watch(db, d, &b, &err), 0);
			batch_clear(&b);
		}
	}
	batch_free(&b);
}

/*
 * Sets callbacks' indexes aside, loads ROWS callback times in the order
 * given through indexes_watch() and builds them again: the same whatever
 * the order (no time index is watched), every index there at the end.
 */
static void load_times(enum order order)
{
	const struct pm_kind *kind = &PM_KINDS[PM_CALLBACKS];
	int at = kind_field_index(kind, "callback_at");
	struct pm_deferred d;
	pm_error err;
	sqlite3 *db;
	int repeated;

	assert_int_equal(db_open(":memory:", 0, &db, &err), 0);
	assert_int_equal(db_exec(db, "BEGIN", &err), 0);
	assert_int_equal(indexes_drop(db, kind, 0, &d, &err), 0);
	/* callbacks_at (led by a timestamp) and callbacks_ref, at once */
	assert_int_equal(d.n, 2);
	assert_int_equal(index_exists(db, "callbacks_at"), 0);
	assert_int_equal(index_exists(db, "callbacks_ref"), 0);
	assert_null(d.key.name);
	feed(db, &d, kind->nfields, at, order, 0);
	assert_int_equal(d.n, 2);
	/* whatever was set aside is built again */
	assert_int_equal(indexes_rebuild(db, &d, &repeated, &err), 0);
	assert_int_equal(repeated, 0);
	/* the key's index is never dropped unless watched */
	assert_int_equal(index_exists(db, "callbacks_key"), 1);
	assert_int_equal(index_exists(db, "callbacks_at"), 1);
	assert_int_equal(index_exists(db, "callbacks_ref"), 1);
	indexes_free(&d);
	assert_int_equal(db_exec(db, "COMMIT", &err), 0);
	sqlite3_close(db);
}

static void test_time_indexes_set_aside(void **state)
{
	(void)state;
	load_times(IN_TIME);
	load_times(NEWEST_FIRST);
	load_times(SHUFFLED);
}

/*
 * Loads ROWS callbacks' keys (callback_id, numbered as key_of() orders
 * them) through indexes_watch() with the key's index watched; stores two
 * rows of one key if repeat. Returns whether the key's index was set aside;
 * *repeated says whether its build found the repeated key.
 */
static int load_keys(enum order order, int repeat, int *repeated)
{
	const struct pm_kind *kind = &PM_KINDS[PM_CALLBACKS];
	int dropped, rc;
	struct pm_deferred d;
	pm_error err;
	sqlite3 *db;

	assert_int_equal(db_open(":memory:", 0, &db, &err), 0);
	assert_int_equal(db_exec(db, "BEGIN", &err), 0);
	assert_int_equal(indexes_drop(db, kind, 1, &d, &err), 0);
	assert_non_null(d.key.name);
	assert_int_equal(index_exists(db, "callbacks_key"), 1);
	feed(db, &d, kind->nfields, kind->key, order, 1);
	dropped = d.key.dropped;
	assert_int_equal(index_exists(db, "callbacks_key"), !dropped);
	if (repeat)
		assert_int_equal(db_exec(db, "INSERT INTO callbacks(callback_id, site, ref_kind, ref_id,"
					 " callback_at) VALUES('CB1', 's', 'ticket', 'T1', '2026-01-01'),"
					 "('CB1', 's', 'ticket', 'T2', '2026-01-02')", &err), 0);
	rc = indexes_rebuild(db, &d, repeated, &err);
	assert_int_equal(rc, *repeated ? -1 : 0);
	if (!*repeated)
		assert_int_equal(index_exists(db, "callbacks_key"), 1);
	indexes_free(&d);
	sqlite3_close(db);
	return dropped;
}

static void test_key_in_order_kept(void **state)
{
	int repeated;

	(void)state;
	assert_int_equal(load_keys(IN_TIME, 0, &repeated), 0);
	assert_int_equal(load_keys(NEWEST_FIRST, 0, &repeated), 0);
	assert_int_equal(load_keys(BY_SITE, 0, &repeated), 0);
}

static void test_key_shuffled_set_aside(void **state)
{
	int repeated;

	(void)state;
	assert_int_equal(load_keys(SHUFFLED, 0, &repeated), 1);
	assert_int_equal(repeated, 0);
}

static void test_key_repeated_found(void **state)
{
	int repeated;

	(void)state;
	assert_int_equal(load_keys(SHUFFLED, 1, &repeated), 1);
	assert_int_equal(repeated, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_indexes_set_aside),
		cmocka_unit_test(test_key_in_order_kept),
		cmocka_unit_test(test_key_shuffled_set_aside),
		cmocka_unit_test(test_key_repeated_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
