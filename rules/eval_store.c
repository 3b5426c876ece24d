#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/eval_store.h"

#define WRITER_COLS "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site," \
	" start_at, deadline_at, end_at, status, late_seconds, amount_cents, detail) VALUES"

/* "INSERT ... VALUES(?1, ?, ... ), (?1, ...)" for n rows; run_id is ?1. */
static char *insert_sql(int n)
{
	static const char row[] = "(?1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	size_t size = sizeof(WRITER_COLS) + (size_t)n * sizeof(row) + 1;
	char *sql = malloc(size), *p;
	int i;

	if (!sql)
		return NULL;
	p = sql + sprintf(sql, "%s", WRITER_COLS);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "," : "", row);
	return sql;
}

static int prepare_rows(struct check_ctx *c, int n, sqlite3_stmt **st, pm_error *err)
{
	char *sql = insert_sql(n);
	int rc;

	if (!sql)
		return pm_fail(err, "out of memory");
	rc = ctx_prepare(c, sql, st, err);
	free(sql);
	if (rc)
		return -1;
	sqlite3_bind_int64(*st, 1, c->run_id);
	return 0;
}

int record_writer_open(struct check_ctx *c, struct record_writer *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	return prepare_rows(c, 1, &w->one, err) || prepare_rows(c, WRITER_BATCH, &w->batch, err)
		? -1 : 0;
}

/* Copies s into the writer's text; its offset, or -1 for NULL. */
static long keep_text(struct record_writer *w, const char *s)
{
	size_t n;

	if (!s)
		return -1;
	n = strlen(s) + 1;
	if (w->used + n > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16384;
		char *grown;

		while (cap < w->used + n)
			cap *= 2;
		grown = realloc(w->text, cap);
		if (!grown)
			return -2;
		w->text = grown;
		w->cap = cap;
	}
	memcpy(w->text + w->used, s, n);
	w->used += n;
	return (long)(w->used - n);
}

/*
 * SQLITE_STATIC: the texts stay in w->text until the statement has run and
 * been reset (no copy by SQLite for each value, which cost a third of the
 * inserts' time).
 */
static void bind_row(struct record_writer *w, sqlite3_stmt *st, int row, int first)
{
	int k;

	for (k = 0; k < WRITER_TEXTS; k++) {
		long off = w->off[row][k];
		int col = first + (k < 8 ? k : 10);

		if (off < 0)
			sqlite3_bind_null(st, col);
		else
			sqlite3_bind_text(st, col, w->text + off, -1, SQLITE_STATIC);
	}
	if (w->has_late[row])
		sqlite3_bind_int64(st, first + 8, w->late[row]);
	else
		sqlite3_bind_null(st, first + 8);
	if (w->amount[row])
		sqlite3_bind_value(st, first + 9, w->amount[row]);
	else
		sqlite3_bind_null(st, first + 9);
}

static int run_rows(struct check_ctx *c, sqlite3_stmt *st, pm_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
}

static void forget_pending(struct record_writer *w)
{
	int i;

	for (i = 0; i < w->pending; i++) {
		sqlite3_value_free(w->amount[i]);
		w->amount[i] = NULL;
	}
	w->pending = 0;
	w->used = 0;
}

int record_writer_flush(struct check_ctx *c, struct record_writer *w, pm_error *err)
{
	int i, rc = 0;

	if (w->pending == WRITER_BATCH) {
		for (i = 0; i < WRITER_BATCH; i++)
			bind_row(w, w->batch, i, 2 + i * 11);
		rc = run_rows(c, w->batch, err);
	} else {
		for (i = 0; i < w->pending && !rc; i++) {
			bind_row(w, w->one, i, 2);
			rc = run_rows(c, w->one, err);
		}
	}
	forget_pending(w);
	return rc;
}

int record_writer_put(struct check_ctx *c, struct record_writer *w, const struct record_row *row,
		      pm_error *err)
{
	const char *texts[WRITER_TEXTS] = { row->rule_id, row->kind, row->id, row->site, row->start,
					    row->deadline, row->end, row->status, row->detail };
	int i = w->pending, k;

	for (k = 0; k < WRITER_TEXTS; k++)
		if ((w->off[i][k] = keep_text(w, texts[k])) == -2)
			return pm_fail(err, "out of memory");
	w->has_late[i] = row->has_late;
	w->late[i] = row->late;
	w->amount[i] = NULL;
	if (row->amount && !(w->amount[i] = sqlite3_value_dup(row->amount)))
		return pm_fail(err, "out of memory");
	w->pending++;
	w->rows++;
	return w->pending == WRITER_BATCH ? record_writer_flush(c, w, err) : 0;
}

void record_writer_close(struct record_writer *w)
{
	forget_pending(w);
	sqlite3_finalize(w->one);
	sqlite3_finalize(w->batch);
	free(w->text);
	memset(w, 0, sizeof(*w));
}

/* The rate and the judgement in SQL, as the engine always computed them. */
int store_weeks(struct check_ctx *c, const struct rule *r, char (*labels)[16], int nweeks,
		const sqlite3_int64 *num, const sqlite3_int64 *den, pm_error *err)
{
	sqlite3_stmt *st;
	int i;

	if (ctx_prepare(c, "INSERT INTO check_weeks(run_id, rule_id, week, numerator, denominator, rate, met)"
			" SELECT :run, :rule, :week, num, den,"
			"  CASE WHEN den > 0 THEN 1.0 * num / den END,"
			"  CASE WHEN den > 0 THEN num >= :target * den - 1e-9 END"
			" FROM (SELECT :num AS num, :den AS den)", &st, err))
		return -1;
	for (i = 0; i < nweeks; i++) {
		sqlite3_reset(st);
		ctx_bind_text(st, ":rule", r->id);
		ctx_bind_text(st, ":week", labels[i]);
		ctx_bind_int(st, ":num", num[i]);
		ctx_bind_int(st, ":den", den[i]);
		sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":target"), r->target);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
		}
	}
	sqlite3_finalize(st);
	return 0;
}

int store_site_results(struct check_ctx *c, const struct rule *r, const struct strtab *sites,
		       const struct site_count *counts, int ncounts, pm_error *err)
{
	sqlite3_stmt *st;
	int i;

	if (ctx_prepare(c, "INSERT INTO check_site_results(run_id, rule_id, site, met, breached, pending)"
			" VALUES(:run, :rule, :site_name, :met, :breached, :pending)", &st, err))
		return -1;
	for (i = 0; i < ncounts; i++) {
		if (!counts[i].seen)
			continue;
		sqlite3_reset(st);
		ctx_bind_text(st, ":rule", r->id);
		ctx_bind_text(st, ":site_name", sites->strs[i]);
		ctx_bind_int(st, ":met", counts[i].met);
		ctx_bind_int(st, ":breached", counts[i].breached);
		ctx_bind_int(st, ":pending", counts[i].pending);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
		}
	}
	sqlite3_finalize(st);
	return 0;
}
