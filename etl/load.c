#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "etl/encoding.h"
#include "etl/load.h"
#include "db/db.h"

/* Appends formatted text to a fixed SQL buffer; the buffer is ample. */
static void sql_add(char *sql, size_t size, const char *fmt, const char *a, int i)
{
	size_t used = strlen(sql);

	snprintf(sql + used, size - used, fmt, a, i);
}

/*
 * INSERT OR IGNORE INTO t(f1..fn, import_run, src_line) VALUES(?1..?n+2)
 * UPDATE t SET f2=?2.., import_run=?n+1, src_line=?n+2
 *   WHERE f1=?1 AND (f2 IS NOT ?2 OR ...)
 * Both use the same parameter numbers. The WHERE clause leaves identical
 * rows untouched, so sqlite3_changes() tells updated from unchanged.
 */
static int prepare_upsert(struct pm_loader *l, pm_error *err)
{
	const struct pm_kind *k = &PM_KINDS[l->kind];
	char sql[4096];
	int f;

	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO %s(", k->name);
	for (f = 0; f < k->nfields; f++)
		sql_add(sql, sizeof(sql), "%s,", k->fields[f].name, 0);
	sql_add(sql, sizeof(sql), "%simport_run,src_line) VALUES(", "", 0);
	for (f = 0; f < k->nfields + 2; f++)
		sql_add(sql, sizeof(sql), "%s?%d", f ? "," : "", f + 1);
	sql_add(sql, sizeof(sql), "%s)", "", 0);
	if (sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &l->insert, NULL))
		return db_error(l->db, err);

	snprintf(sql, sizeof(sql), "UPDATE %s SET ", k->name);
	for (f = 0; f < k->nfields; f++)
		if (f != k->key)
			sql_add(sql, sizeof(sql), "%s=?%d,", k->fields[f].name, f + 1);
	snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
		 "import_run=?%d,src_line=?%d WHERE %s=?%d AND (", k->nfields + 1,
		 k->nfields + 2, k->fields[k->key].name, k->key + 1);
	for (f = 0; f < k->nfields; f++)
		if (f != k->key)
			snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "%s%s IS NOT ?%d",
				 f == (k->key ? 0 : 1) ? "" : " OR ", k->fields[f].name, f + 1);
	sql_add(sql, sizeof(sql), "%s)", "", 0);
	if (sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &l->update, NULL))
		return db_error(l->db, err);
	return 0;
}

static int prepare_reject(struct pm_loader *l, pm_error *err)
{
	if (sqlite3_prepare_v3(l->db,
			       "INSERT INTO import_rejects(run_id,file,line,field,text,reason) "
			       "VALUES(?1,?2,?3,?4,?5,?6)", -1, SQLITE_PREPARE_PERSISTENT,
			       &l->reject, NULL))
		return db_error(l->db, err);
	return 0;
}

int loader_open(struct pm_loader *l, sqlite3 *db, int kind, int64_t run_id, pm_error *err)
{
	memset(l, 0, sizeof(*l));
	l->db = db;
	l->kind = kind;
	l->run_id = run_id;
	if ((kind >= 0 && prepare_upsert(l, err)) || prepare_reject(l, err)) {
		loader_close(l);
		return -1;
	}
	return 0;
}

static int bind_row(sqlite3_stmt *stmt, const struct pm_row *row, int64_t run_id,
		    int64_t src_line)
{
	int f, rc = SQLITE_OK;

	for (f = 0; f < row->nfields && rc == SQLITE_OK; f++) {
		const struct pm_value *v = &row->value[f];

		if (v->tag == PM_STR)
			/* the row outlives the step, so SQLite need not copy */
			rc = sqlite3_bind_text(stmt, f + 1, v->s, (int)v->n, SQLITE_STATIC);
		else if (v->tag == PM_INT)
			rc = sqlite3_bind_int64(stmt, f + 1, v->i);
		else
			rc = sqlite3_bind_null(stmt, f + 1);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, row->nfields + 1, run_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, row->nfields + 2, src_line);
	return rc;
}

/* Runs a bound statement to completion; returns the rows it changed or -1. */
static int run(sqlite3 *db, sqlite3_stmt *stmt, pm_error *err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return db_error(db, err);
	return sqlite3_changes(db);
}

int loader_store(struct pm_loader *l, const struct pm_row *row, int64_t src_line,
		 enum pm_outcome *outcome, pm_error *err)
{
	int changed;

	if (bind_row(l->insert, row, l->run_id, src_line) != SQLITE_OK)
		return db_error(l->db, err);
	changed = run(l->db, l->insert, err);
	if (changed < 0)
		return -1;
	if (changed > 0) {
		*outcome = PM_INSERTED;
		return 0;
	}
	if (bind_row(l->update, row, l->run_id, src_line) != SQLITE_OK)
		return db_error(l->db, err);
	changed = run(l->db, l->update, err);
	if (changed < 0)
		return -1;
	*outcome = changed ? PM_UPDATED : PM_UNCHANGED;
	return 0;
}

int loader_reject(struct pm_loader *l, const char *file, int64_t line, const char *text,
		  size_t text_len, const char *field, const char *reason, pm_error *err)
{
	char *clean = malloc(3 * text_len + 1);
	size_t clean_len;
	int rc;

	if (!clean)
		return pm_fail(err, "out of memory");
	/* the text may hold bytes that are not UTF-8: that may be why it is here */
	clean_len = utf8_sanitize(text, text_len, clean);
	sqlite3_bind_int64(l->reject, 1, l->run_id);
	sqlite3_bind_text(l->reject, 2, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(l->reject, 3, line);
	if (field)
		sqlite3_bind_text(l->reject, 4, field, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(l->reject, 4);
	sqlite3_bind_text(l->reject, 5, clean, (int)clean_len, SQLITE_STATIC);
	sqlite3_bind_text(l->reject, 6, reason, -1, SQLITE_STATIC);
	rc = run(l->db, l->reject, err);
	free(clean);
	return rc < 0 ? -1 : 0;
}

void loader_close(struct pm_loader *l)
{
	sqlite3_finalize(l->insert);
	sqlite3_finalize(l->update);
	sqlite3_finalize(l->reject);
	l->insert = l->update = l->reject = NULL;
}
