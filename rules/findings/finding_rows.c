/*
 * Finding rows (status 'finding') into check_records, gathered and stored
 * FINDING_BATCH at a time through one multi-row INSERT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"

#define COLUMNS "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site," \
		" start_at, end_at, detail, status) VALUES"

/* The INSERT of n rows: (?1, ?2, ... ?8, 'finding'), ... with the run bound as ?1. */
static int prepare_rows(struct check_ctx *c, int n, sqlite3_stmt **st, pm_error *err)
{
	char sql[128 + FINDING_BATCH * 80];
	size_t used = snprintf(sql, sizeof(sql), "%s", COLUMNS);
	int i;

	for (i = 0; i < n; i++)
		used += snprintf(sql + used, sizeof(sql) - used, "%s(?1, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, 'finding')",
				 i ? ", " : " ", 2 + 7 * i, 3 + 7 * i, 4 + 7 * i, 5 + 7 * i, 6 + 7 * i,
				 7 + 7 * i, 8 + 7 * i);
	if (results_records_prepare(c, sql, st, err))
		return -1;
	if (*st)
		sqlite3_bind_int64(*st, 1, c->run_id);
	return 0;
}

int finding_rows_open(struct check_ctx *c, struct finding_rows *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	if (prepare_rows(c, 1, &w->one, err) || prepare_rows(c, FINDING_BATCH, &w->batch, err)) {
		finding_rows_close(w);
		return -1;
	}
	return 0;
}

static void bind_or_null(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Stores the waiting rows first .. first + n - 1 through st (a statement of n rows). */
static int store(struct finding_rows *w, sqlite3_stmt *st, int first, int n, pm_error *err)
{
	int i, j;

	sqlite3_reset(st);
	for (i = 0; i < n; i++) {
		for (j = 0; j < 6; j++)
			bind_or_null(st, 2 + 7 * i + j, w->value[first + i][j]);
		bind_or_null(st, 8 + 7 * i, w->detail_null[first + i] ? NULL :
			     w->text.data + w->detail_at[first + i]);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(w->c->db));
	sqlite3_reset(st);
	return 0;
}

int finding_row(struct finding_rows *w, const char *rule, const char *kind, const char *id,
		const char *site, const char *start, const char *end, const char *detail,
		pm_error *err)
{
	const char **v = w->value[w->n];
	size_t len = detail ? strlen(detail) : 0;

	/* no statement (a figures-only run): the callers count their findings themselves */
	if (!w->one)
		return 0;
	v[0] = rule;
	v[1] = kind;
	v[2] = id;
	v[3] = site;
	v[4] = start;
	v[5] = end;
	w->detail_null[w->n] = !detail;
	/* detail may be the text being built at the end of the buffer: moved into place */
	if (detail && detail != w->text.data + w->text.len) {
		if (buf_reserve(&w->text, len + 1))
			return pm_fail(err, "out of memory");
		memmove(w->text.data + w->text.len, detail, len + 1);
	}
	w->detail_at[w->n++] = w->text.len;
	w->text.len += detail ? len + 1 : 0;
	if (w->n < FINDING_BATCH)
		return 0;
	w->n = 0;
	w->text.len = 0;
	return store(w, w->batch, 0, FINDING_BATCH, err);
}

const char *finding_detail(struct finding_rows *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf_reserve(&w->text, 256))
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(w->text.data + w->text.len, w->text.cap - w->text.len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n >= w->text.cap - w->text.len) {
		if (buf_reserve(&w->text, (size_t)n + 1))
			return NULL;
		va_start(ap, fmt);
		vsnprintf(w->text.data + w->text.len, w->text.cap - w->text.len, fmt, ap);
		va_end(ap);
	}
	return w->text.data + w->text.len;
}

int finding_rows_finish(struct finding_rows *w, pm_error *err)
{
	int i;

	/* the last rows one by one through the one-row statement */
	for (i = 0; i < w->n; i++)
		if (store(w, w->one, i, 1, err))
			return -1;
	w->n = 0;
	w->text.len = 0;
	return 0;
}

void finding_rows_close(struct finding_rows *w)
{
	sqlite3_finalize(w->one);
	sqlite3_finalize(w->batch);
	buf_free(&w->text);
	w->one = w->batch = NULL;
}
