/*
 * How the rows of an index range lie in their table (rules/run/run.h,
 * run_range_spread()): the reads of a window choose between a range scan,
 * which looks each row up in the table, and one scan of the whole table.
 */
#include <stdio.h>
#include <stdlib.h>
#include "rules/run/run.h"

static int by_value(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;

	return x < y ? -1 : x > y;
}

int run_table_blocks(sqlite3 *db, const char *table, sqlite3_int64 *rows, sqlite3_int64 *blocks,
		     pm_error *err)
{
	sqlite3_stmt *st;
	char sql[128];
	int rc;

	/* The largest rowid is the table's size (rows are never deleted), in a seek. */
	snprintf(sql, sizeof(sql), "SELECT max(rowid) FROM %s", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	*rows = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	*blocks = (*rows >> RUN_BLOCK_SHIFT) + 1;
	return 0;
}

int run_range_spread(sqlite3 *db, const char *table, const char *field, const char *lower,
		     const char *upper, int upper_inclusive, const char *as_of, double *per_row,
		     pm_error *err)
{
	sqlite3_int64 *block = malloc(RUN_SAMPLE * sizeof(*block));
	sqlite3_stmt *st;
	char sql[512];
	int k = 0, distinct = 0, i, rc;

	*per_row = 0;
	if (!block)
		return pm_fail(err, "out of memory");
	snprintf(sql, sizeof(sql), "SELECT rowid FROM %s WHERE %s >= ?1 AND %s %s ?2 AND %s <= ?3"
		 " LIMIT %d", table, field, field, upper_inclusive ? "<=" : "<", field, RUN_SAMPLE);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL)) {
		free(block);
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	}
	sqlite3_bind_text(st, 1, lower, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, as_of, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		block[k++] = sqlite3_column_int64(st, 0) >> RUN_BLOCK_SHIFT;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(block);
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	}
	qsort(block, (size_t)k, sizeof(*block), by_value);
	for (i = 0; i < k; i++)
		distinct += i == 0 || block[i] != block[i - 1];
	free(block);
	if (k)
		*per_row = (double)distinct / k;
	return 0;
}
