/*
 * Storing converted and rejected rows by multi-row upserts (etl/load.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "etl/encoding.h"
#include "etl/load.h"
#include "db/db.h"

/* Appends formatted text to a fixed SQL buffer; the buffer is ample. */
static void sql_add(char *sql, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sql_add(char *sql, size_t size, const char *fmt, ...)
{
	size_t used = strlen(sql);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql + used, size - used, fmt, ap);
	va_end(ap);
}

/*
 * ON CONFLICT(key) DO UPDATE SET ... WHERE <a value differs>: a stored row
 * of the same key takes the file's values for the fields it gives.
 */
static void sql_on_conflict(const struct pm_loader *l, char *sql, size_t size, int masked)
{
	const struct pm_kind *k = &PM_KINDS[l->kind];
	int f, first = 1;

	sql_add(sql, size, " ON CONFLICT(%s) DO UPDATE SET ", k->fields[k->key].name);
	for (f = 0; f < k->nfields; f++)
		if (f != k->key && (l->present & (1u << f)))
			sql_add(sql, size, "%s=excluded.%s,", k->fields[f].name, k->fields[f].name);
	/* the fields ever given: a file lacking one never takes it away (schema v5) */
	if (masked)
		sql_add(sql, size, "fields=fields|excluded.fields,");
	sql_add(sql, size, "import_run=excluded.import_run,src_line=excluded.src_line WHERE ");
	if (masked) {
		sql_add(sql, size, "fields IS NOT (fields|excluded.fields)");
		first = 0;
	}
	for (f = 0; f < k->nfields; f++)
		if (f != k->key && (l->present & (1u << f))) {
			sql_add(sql, size, "%s%s IS NOT excluded.%s", first ? "" : " OR ",
				k->fields[f].name, k->fields[f].name);
			first = 0;
		}
	if (first)
		sql_add(sql, size, "0");
}

/*
 * INSERT INTO t(f1..fn, import_run, src_line) VALUES(?..),(?..)...
 *   ON CONFLICT(key) DO UPDATE SET f2=excluded.f2, ..., import_run=..., src_line=...
 *   WHERE f2 IS NOT excluded.f2 OR ...
 * for nrows rows; tickets, complaints and callbacks also store the file's fields as a
 * mask (a literal: one file, one mask), ORed into a stored record's.
 * The WHERE clause leaves identical rows untouched, so the
 * statement's changes count the rows inserted or updated. Insert-only
 * (loader_insert_only()): the same without the ON CONFLICT clause.
 */
static int prepare_upsert(struct pm_loader *l, int nrows, sqlite3_stmt **out, pm_error *err)
{
	const struct pm_kind *k = &PM_KINDS[l->kind];
	/*
	 * tickets and complaints (the rules' subjects) and callbacks (whose role
	 * a rule reads) keep the fields each record was given
	 */
	int masked = l->kind == PM_TICKETS || l->kind == PM_COMPLAINTS || l->kind == PM_CALLBACKS;
	size_t size = 256 + (size_t)nrows * ((k->nfields + 2) * 8 + 16) + 64 * (size_t)k->nfields;
	char *sql = malloc(size);
	int f, r, rc;

	if (!sql)
		return pm_fail(err, "out of memory");
	snprintf(sql, size, "INSERT INTO %s(", k->name);
	for (f = 0; f < k->nfields; f++)
		sql_add(sql, size, "%s,", k->fields[f].name);
	sql_add(sql, size, "import_run,src_line%s) VALUES", masked ? ",fields" : "");
	for (r = 0; r < nrows; r++) {
		sql_add(sql, size, "%s(", r ? "," : "");
		for (f = 0; f < k->nfields + 2; f++)
			sql_add(sql, size, "%s?", f ? "," : "");
		if (masked)
			sql_add(sql, size, ",%u", l->present & ((1u << k->nfields) - 1));
		sql_add(sql, size, ")");
	}
	if (!l->insert_only)
		sql_on_conflict(l, sql, size, masked);
	rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	free(sql);
	if (rc)
		return db_error(l->db, err);
	return 0;
}

static int prepare_reject(struct pm_loader *l, pm_error *err)
{
	if (sqlite3_prepare_v3(l->db,
			       "INSERT INTO import_rejects(run_id,file,line,field,text,reason,record_key) "
			       "VALUES(?1,?2,?3,?4,?5,?6,?7)", -1, SQLITE_PREPARE_PERSISTENT,
			       &l->reject, NULL))
		return db_error(l->db, err);
	return 0;
}

int loader_open(struct pm_loader *l, sqlite3 *db, int kind, int64_t run_id, pm_error *err)
{
	return loader_open_fields(l, db, kind, run_id, ~0u, err);
}

int loader_open_fields(struct pm_loader *l, sqlite3 *db, int kind, int64_t run_id,
		       unsigned present, pm_error *err)
{
	memset(l, 0, sizeof(*l));
	l->present = present;
	l->db = db;
	l->kind = kind;
	l->run_id = run_id;
	if (kind >= 0) {
		/* a SQLite built with a low parameter limit gets shorter statements */
		int limit = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);

		l->rows_per_stmt = limit / (PM_KINDS[kind].nfields + 2);
		if (l->rows_per_stmt > PM_LOAD_ROWS)
			l->rows_per_stmt = PM_LOAD_ROWS;
		if (l->rows_per_stmt < 1)
			l->rows_per_stmt = 1;
	}
	if ((kind >= 0 && (prepare_upsert(l, (int)l->rows_per_stmt, &l->upsert_many, err) ||
			   prepare_upsert(l, 1, &l->upsert_one, err))) ||
	    prepare_reject(l, err)) {
		loader_close(l);
		return -1;
	}
	return 0;
}

int loader_insert_only(struct pm_loader *l, pm_error *err)
{
	sqlite3_finalize(l->upsert_many);
	sqlite3_finalize(l->upsert_one);
	l->upsert_many = l->upsert_one = NULL;
	l->insert_only = 1;
	return prepare_upsert(l, (int)l->rows_per_stmt, &l->upsert_many, err) ||
		prepare_upsert(l, 1, &l->upsert_one, err) ? -1 : 0;
}

/* Binds row as the parameters first+1 .. first+nfields+2. */
static int bind_row(sqlite3_stmt *stmt, int first, const struct pm_row *row, int64_t run_id,
		    int64_t src_line)
{
	int f, rc = SQLITE_OK;

	for (f = 0; f < row->nfields && rc == SQLITE_OK; f++) {
		const struct pm_value *v = &row->value[f];

		if (v->tag == PM_STR)
			/* the row outlives the step, so SQLite need not copy */
			rc = sqlite3_bind_text(stmt, first + f + 1, v->s, (int)v->n, SQLITE_STATIC);
		else if (v->tag == PM_INT)
			rc = sqlite3_bind_int64(stmt, first + f + 1, v->i);
		else
			rc = sqlite3_bind_null(stmt, first + f + 1);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, first + row->nfields + 1, run_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, first + row->nfields + 2, src_line);
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

/* Stores rows[0..n) with stmt, which takes n rows. */
static int store(struct pm_loader *l, sqlite3_stmt *stmt, size_t from, size_t n, pm_error *err)
{
	int per_row = PM_KINDS[l->kind].nfields + 2, changed;
	size_t i;

	for (i = 0; i < n; i++)
		if (bind_row(stmt, (int)i * per_row, l->pending[from + i], l->run_id,
			     l->pending_line[from + i]) != SQLITE_OK)
			return db_error(l->db, err);
	changed = run(l->db, stmt, err);
	if (changed < 0)
		return -1;
	l->changed += changed;
	return 0;
}

int loader_add(struct pm_loader *l, const struct pm_row *row, int64_t src_line, pm_error *err)
{
	l->pending[l->npending] = row;
	l->pending_line[l->npending] = src_line;
	if (++l->npending == l->rows_per_stmt)
		return loader_flush(l, err);
	return 0;
}

int loader_flush(struct pm_loader *l, pm_error *err)
{
	size_t i = 0, n = l->npending;

	l->npending = 0;
	if (n == l->rows_per_stmt)
		return store(l, l->upsert_many, 0, n, err);
	for (i = 0; i < n; i++)
		if (store(l, l->upsert_one, i, 1, err))
			return -1;
	return 0;
}

int loader_count(struct pm_loader *l, int64_t *count, pm_error *err)
{
	char sql[128];
	sqlite3_stmt *stmt;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", PM_KINDS[l->kind].name);
	if (sqlite3_prepare_v2(l->db, sql, -1, &stmt, NULL))
		return db_error(l->db, err);
	rc = sqlite3_step(stmt);
	*count = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return db_error(l->db, err);
	return 0;
}

int loader_reject(struct pm_loader *l, const char *file, int64_t line, const char *text,
		  size_t text_len, const char *field, const char *reason, const char *key,
		  size_t key_len, pm_error *err)
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
	if (key_len)
		sqlite3_bind_text(l->reject, 7, key, (int)key_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(l->reject, 7);
	rc = run(l->db, l->reject, err);
	free(clean);
	return rc < 0 ? -1 : 0;
}

void loader_close(struct pm_loader *l)
{
	sqlite3_finalize(l->upsert_many);
	sqlite3_finalize(l->upsert_one);
	sqlite3_finalize(l->reject);
	l->upsert_many = l->upsert_one = l->reject = NULL;
}
