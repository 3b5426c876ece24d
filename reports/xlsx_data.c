/*
 * The workbook's reads of the import tables (reports/xlsx_data.h) and its
 * read transaction. Rows are streamed to a callback, never collected.
 */
#include <stdio.h>
#include <string.h>
#include "reports/xlsx_data.h"

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static const char *text_or_empty(sqlite3_stmt *st, int i)
{
	const char *s = text(st, i);

	return s ? s : "";
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, pm_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		pm_fail(err, "database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

/* Steps to the end; rc of fn or of SQLite decides. */
static int finish(sqlite3 *db, sqlite3_stmt *st, int rc, pm_error *err)
{
	sqlite3_finalize(st);
	if (rc == -1)
		return -1;
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

/* Hands each row of st to row(st, arg); a row that fails (-1) stops it. */
static int stream_rows(sqlite3 *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *, void *),
		       void *arg, pm_error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(st, arg) < 0) {
			rc = -1;
			break;
		}
	return finish(db, st, rc, err);
}

int xd_begin(sqlite3 *db, struct xd_session *s, pm_error *err)
{
	sqlite3_stmt *st;

	s->began = 0;
	s->temp_store = -1;
	/* inside a transaction temp_store cannot change: the caller's settings stand */
	if (!sqlite3_get_autocommit(db))
		return 0;
	if (sqlite3_prepare_v2(db, "PRAGMA temp_store", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			s->temp_store = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3_exec(db, "PRAGMA temp_store = FILE; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	s->began = 1;
	return 0;
}

void xd_end(sqlite3 *db, struct xd_session *s)
{
	char sql[40];

	if (!s->began)
		return;
	/* nothing was written: the end of a read transaction cannot fail */
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (s->temp_store >= 0) {
		snprintf(sql, sizeof(sql), "PRAGMA temp_store = %d", s->temp_store);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	s->began = 0;
}

struct rejects_arg {
	int (*fn)(void *ctx, const struct xd_reject *x);
	void *ctx;
};

static int rejects_row(sqlite3_stmt *st, void *arg)
{
	struct rejects_arg *a = arg;
	struct xd_reject x;

	x.file = text_or_empty(st, 0);
	x.line = sqlite3_column_int64(st, 1);
	x.field = text(st, 2);
	x.reason = text_or_empty(st, 3);
	x.text = text_or_empty(st, 4);
	return a->fn(a->ctx, &x);
}

int xd_rejects(sqlite3 *db, int (*fn)(void *ctx, const struct xd_reject *x), void *ctx,
	       pm_error *err)
{
	struct rejects_arg a = { fn, ctx };
	/* open: no later import resolved them (schema v4, docs/import.md) */
	sqlite3_stmt *st = prepare(db,
		"SELECT file, line, field, reason, text FROM import_rejects"
		" WHERE resolved_by IS NULL ORDER BY file, line, rowid", err);

	if (!st)
		return -1;
	return stream_rows(db, st, rejects_row, &a, err);
}
