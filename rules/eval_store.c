#include <string.h>
#include "rules/eval_store.h"

int record_writer_open(struct check_ctx *c, struct record_writer *w, pm_error *err)
{
	w->rows = 0;
	if (ctx_prepare(c, "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
			" start_at, deadline_at, end_at, status, late_seconds, amount_cents, detail)"
			" VALUES(?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &w->st, err))
		return -1;
	sqlite3_bind_int64(w->st, 12, c->run_id);
	return 0;
}

/*
 * SQLITE_STATIC: the texts (the scan's current row, the rule) outlive the
 * step, and the statement is reset right after it, so that no later call
 * (the profile's expanded SQL) reads them once they are gone; a copy of
 * each value cost a third of the inserts' time.
 */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int record_writer_put(struct check_ctx *c, struct record_writer *w, const struct record_row *row,
		      pm_error *err)
{
	sqlite3_stmt *st = w->st;
	int rc;

	bind_text(st, 1, row->rule_id);
	bind_text(st, 2, row->kind);
	bind_text(st, 3, row->id);
	bind_text(st, 4, row->site);
	bind_text(st, 5, row->start);
	bind_text(st, 6, row->deadline);
	bind_text(st, 7, row->end);
	bind_text(st, 8, row->status);
	if (row->has_late)
		sqlite3_bind_int64(st, 9, row->late);
	else
		sqlite3_bind_null(st, 9);
	if (row->amount)
		sqlite3_bind_value(st, 10, row->amount);
	else
		sqlite3_bind_null(st, 10);
	bind_text(st, 11, row->detail);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	w->rows++;
	return 0;
}

void record_writer_close(struct record_writer *w)
{
	sqlite3_finalize(w->st);
	w->st = NULL;
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
