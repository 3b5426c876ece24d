/* Finding rows (status 'finding') into check_records through one prepared statement. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "rules/eval.h"

int finding_rows_open(struct check_ctx *c, struct finding_rows *w, pm_error *err)
{
	w->c = c;
	w->buf = NULL;
	w->cap = 0;
	if (ctx_prepare(c, "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
			" start_at, end_at, status, detail)"
			" VALUES(?8, ?1, ?2, ?3, ?4, ?5, ?6, 'finding', ?7)", &w->ins, err))
		return -1;
	sqlite3_bind_int64(w->ins, 8, c->run_id);
	return 0;
}

static void bind_or_null(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int finding_row(struct finding_rows *w, const char *rule, const char *kind, const char *id,
		const char *site, const char *start, const char *end, const char *detail,
		pm_error *err)
{
	sqlite3_stmt *st = w->ins;

	sqlite3_reset(st);
	bind_or_null(st, 1, rule);
	bind_or_null(st, 2, kind);
	bind_or_null(st, 3, id);
	bind_or_null(st, 4, site);
	bind_or_null(st, 5, start);
	bind_or_null(st, 6, end);
	bind_or_null(st, 7, detail);
	if (sqlite3_step(st) != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(w->c->db));
	return 0;
}

const char *finding_detail(struct finding_rows *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(w->buf, w->cap, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n >= w->cap) {
		size_t cap = (size_t)n + 256;
		char *buf = realloc(w->buf, cap);

		if (!buf)
			return NULL;
		w->buf = buf;
		w->cap = cap;
		va_start(ap, fmt);
		vsnprintf(w->buf, w->cap, fmt, ap);
		va_end(ap);
	}
	return w->buf;
}

void finding_rows_close(struct finding_rows *w)
{
	sqlite3_finalize(w->ins);
	free(w->buf);
	w->ins = NULL;
	w->buf = NULL;
}
