/*
 * The sink's writers of check_weeks and check_figures
 * (rules/results/results_sink.h), each rate from results_rate(); a rule's
 * own rows (check_rule_results, check_site_results, check_records) are
 * written in results_rules.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/results/results_sink.h"

int store_weeks(struct check_ctx *c, const struct rule *r, char (*labels)[16], int nweeks,
		const sqlite3_int64 *num, const sqlite3_int64 *den, pm_error *err)
{
	sqlite3_stmt *st;
	double rate;
	int i, met;

	if (ctx_prepare(c, "INSERT INTO check_weeks(run_id, rule_id, week, numerator, denominator, rate, met)"
			" VALUES(:run, :rule, :week, :num, :den, :rate, :met)", &st, err))
		return -1;
	for (i = 0; i < nweeks; i++) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		ctx_bind_int(st, ":run", c->run_id);
		ctx_bind_text(st, ":rule", r->id);
		ctx_bind_text(st, ":week", labels[i]);
		ctx_bind_int(st, ":num", num[i]);
		ctx_bind_int(st, ":den", den[i]);
		if (results_rate(num[i], den[i], r->target, &rate, &met)) {
			sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":rate"), rate);
			ctx_bind_int(st, ":met", met);
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int put_figure(struct check_ctx *c, const char *key, int kind,
		      sqlite3_int64 i, double r, pm_error *err)
{
	sqlite3_stmt *st;

	if (ctx_prepare(c, "INSERT OR REPLACE INTO check_figures(run_id, key, int_value, real_value) "
			"VALUES(:run, :key, :i, :r)", &st, err))
		return -1;
	ctx_bind_text(st, ":key", key);
	if (kind == 1)
		ctx_bind_int(st, ":i", i);
	if (kind == 2)
		sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":r"), r);
	return ctx_finish(c, st, err);
}

static int put_rate(struct check_ctx *c, const char *key, sqlite3_int64 num,
		    sqlite3_int64 den, pm_error *err)
{
	double rate = 0;
	int has_rate = results_rate(num, den, 0, &rate, NULL);

	return put_figure(c, key, has_rate ? 2 : 0, 0, rate, err);
}

int ctx_figure_int(struct check_ctx *c, enum results_figure f, sqlite3_int64 v, pm_error *err)
{
	return put_figure(c, results_figure_key(f), 1, v, 0, err);
}

int ctx_figure_rate(struct check_ctx *c, enum results_figure f, sqlite3_int64 num,
		    sqlite3_int64 den, pm_error *err)
{
	return put_rate(c, results_figure_key(f), num, den, err);
}

int site_figures_open(struct check_ctx *c, struct site_figures *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	/* a figures-only run stores figures too: not ctx_prepare_records() */
	return ctx_prepare(c, "INSERT OR REPLACE INTO check_figures(run_id, key, int_value, real_value)"
			   " VALUES(:run, :key, :i, :r)", &w->st, err);
}

/* One "<key>/<site>" row: an integer (kind 1), a rate (2) or NULL (0). */
static int site_figure(struct site_figures *w, const char *site, enum results_figure f, int kind,
		       sqlite3_int64 i, double r, pm_error *err)
{
	size_t size = strlen(site) + strlen(results_figure_key(f)) + 2;
	int rc;

	if (size > w->cap) {
		char *more = realloc(w->key, size + 64);

		if (!more)
			return pm_fail(err, "out of memory");
		w->key = more;
		w->cap = size + 64;
	}
	if (results_site_figure_key(w->key, w->cap, site, f))
		return pm_fail(err, "figure key of site '%s'", site);
	sqlite3_reset(w->st);
	sqlite3_clear_bindings(w->st);
	ctx_bind_int(w->st, ":run", w->c->run_id);
	ctx_bind_text(w->st, ":key", w->key);
	if (kind == 1)
		ctx_bind_int(w->st, ":i", i);
	if (kind == 2)
		sqlite3_bind_double(w->st, sqlite3_bind_parameter_index(w->st, ":r"), r);
	rc = sqlite3_step(w->st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(w->c->db));
	return 0;
}

int site_figure_int(struct site_figures *w, const char *site, enum results_figure f,
		    sqlite3_int64 v, pm_error *err)
{
	return site_figure(w, site, f, 1, v, 0, err);
}

int site_figure_rate(struct site_figures *w, const char *site, enum results_figure f,
		     sqlite3_int64 num, sqlite3_int64 den, pm_error *err)
{
	double rate = 0;
	int has_rate = results_rate(num, den, 0, &rate, NULL);

	return site_figure(w, site, f, has_rate ? 2 : 0, 0, rate, err);
}

void site_figures_close(struct site_figures *w)
{
	sqlite3_finalize(w->st);
	w->st = NULL;
	free(w->key);
	w->key = NULL;
	w->cap = 0;
}

int ctx_fee_item_figures(struct check_ctx *c, const char *item, sqlite3_int64 due,
			 sqlite3_int64 paid, pm_error *err)
{
	size_t size = strlen(item) + 32;   /* "fee_item." + item + ".current_rate" */
	char *key = malloc(size);
	int rc;

	if (!key)
		return pm_fail(err, "out of memory");
	rc = results_fee_item_key(key, size, item, FIG_FEES_DUE) ||
	     put_figure(c, key, 1, due, 0, err) ||
	     results_fee_item_key(key, size, item, FIG_FEES_PAID) ||
	     put_figure(c, key, 1, paid, 0, err) ||
	     results_fee_item_key(key, size, item, FIG_FEES_CURRENT_RATE) ||
	     put_rate(c, key, paid, due, err) ? -1 : 0;
	free(key);
	return rc;
}
