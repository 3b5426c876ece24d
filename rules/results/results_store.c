/*
 * The sink's writers (rules/results/results_sink.h): check_records rows a
 * batch at a time, check_weeks, check_site_results, check_rule_results and
 * check_figures, each figure's rate from results_rate().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/results/results_sink.h"

/*
 * The one rate: num / den as a double, and whether it reaches target with
 * the tolerance of 1e-9 the engine has always allowed (a target of 0.95
 * is met by 95 of 100, though 0.95 * 100 is 95.00000000000001 in binary).
 * The SQL the engine once stored it with (1.0 * num / den, num >= target *
 * den - 1e-9) computed the same doubles.
 */
int results_rate(long long num, long long den, double target, double *rate, int *met)
{
	if (den == 0)
		return 0;
	*rate = (double)num / (double)den;
	if (met)
		*met = (double)num >= target * (double)den - 1e-9;
	return 1;
}


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
	/* a figures-only run stores no record: no statement, the writer only counts */
	*st = NULL;
	rc = c->figures_only ? 0 : ctx_prepare(c, sql, st, err);
	free(sql);
	if (rc)
		return -1;
	if (*st)
		sqlite3_bind_int64(*st, 1, c->run_id);
	return 0;
}

int record_writer_open(struct check_ctx *c, struct record_writer *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	if (prepare_rows(c, 1, &w->one, err) || prepare_rows(c, WRITER_BATCH, &w->batch, err)) {
		record_writer_close(w);
		return -1;
	}
	return 0;
}

/* Copies s into the writer's text; its offset, or -1 for NULL (-2: out of memory). */
static long keep_text(struct record_writer *w, const char *s)
{
	size_t at;

	if (!s)
		return -1;
	return buf_append_str(&w->text, s, &at) ? -2 : (long)at;
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
			sqlite3_bind_text(st, col, w->text.data + off, -1, SQLITE_STATIC);
	}
	if (w->has_late[row])
		sqlite3_bind_int64(st, first + 8, w->late[row]);
	else
		sqlite3_bind_null(st, first + 8);
	if (w->amount[row])
		sqlite3_bind_value(st, first + 9, w->amount[row]);
	else if (w->has_cents[row])
		sqlite3_bind_int64(st, first + 9, w->cents[row]);
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
	w->text.len = 0;
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

	/* a figures-only run (no statement): the row is counted, not stored */
	if (!w->one) {
		w->rows++;
		return 0;
	}
	for (k = 0; k < WRITER_TEXTS; k++)
		if ((w->off[i][k] = keep_text(w, texts[k])) == -2)
			return pm_fail(err, "out of memory");
	w->has_late[i] = row->has_late;
	w->late[i] = row->late;
	w->has_cents[i] = row->has_cents;
	w->cents[i] = row->cents;
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
	buf_free(&w->text);
	memset(w, 0, sizeof(*w));
}

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

int store_site_results(struct check_ctx *c, const struct rule *r, const struct strtab *sites,
		       const struct site_count *counts, int ncounts, pm_error *err)
{
	sqlite3_stmt *st;
	int i;

	if (ctx_prepare(c, "INSERT INTO check_site_results(run_id, rule_id, site, met, breached, pending,"
			" unknown) VALUES(:run, :rule, :site_name, :met, :breached, :pending, :unknown)",
			&st, err))
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
		ctx_bind_int(st, ":unknown", counts[i].unknown);
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

/* "<key>/<site>" in a malloc'ed buffer; NULL when out of memory. */
static char *site_key(const char *site, enum results_figure f)
{
	size_t size = strlen(site) + strlen(results_figure_key(f)) + 2;
	char *key = malloc(size);

	if (key && results_site_figure_key(key, size, site, f)) {
		free(key);
		key = NULL;
	}
	return key;
}

int ctx_site_figure_int(struct check_ctx *c, const char *site, enum results_figure f,
			sqlite3_int64 v, pm_error *err)
{
	char *key = site_key(site, f);
	int rc;

	if (!key)
		return pm_fail(err, "out of memory");
	rc = put_figure(c, key, 1, v, 0, err);
	free(key);
	return rc;
}

int ctx_site_figure_rate(struct check_ctx *c, const char *site, enum results_figure f,
			 sqlite3_int64 num, sqlite3_int64 den, pm_error *err)
{
	char *key = site_key(site, f);
	int rc;

	if (!key)
		return pm_fail(err, "out of memory");
	rc = put_rate(c, key, num, den, err);
	free(key);
	return rc;
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

/* The rule's id, titles (the id when it has none) and target, by name. */
static void bind_rule(sqlite3_stmt *st, const struct rule *r)
{
	ctx_bind_text(st, ":rule", r->id);
	ctx_bind_text(st, ":tzh", r->title_zh ? r->title_zh : r->id);
	ctx_bind_text(st, ":ten", r->title_en ? r->title_en : r->id);
	sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":target"), r->target);
}

/* The rule's check_rule_results row, its rate (if any) and target_met (-1: NULL). */
static int rule_row(struct check_ctx *c, const struct rule *r, int counted, sqlite3_int64 met,
		    sqlite3_int64 breached, sqlite3_int64 pending, sqlite3_int64 num,
		    sqlite3_int64 den, int has_rate, double rate, int target_met, pm_error *err)
{
	sqlite3_stmt *st;

	if (ctx_prepare(c, "INSERT INTO check_rule_results(run_id, rule_id, rule_kind, title_zh, title_en,"
			" met, breached, pending, numerator, denominator, rate, target, target_met)"
			" VALUES(:run, :rule, :kind, :tzh, :ten, :met, :breached, :pending,"
			" :num, :den, :rate, :target, :target_met)", &st, err))
		return -1;
	bind_rule(st, r);
	ctx_bind_text(st, ":kind", rule_kind_name(r->kind));
	if (counted) {
		ctx_bind_int(st, ":met", met);
		ctx_bind_int(st, ":breached", breached);
		ctx_bind_int(st, ":pending", pending);
	}
	ctx_bind_int(st, ":num", num);
	ctx_bind_int(st, ":den", den);
	if (has_rate)
		sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":rate"), rate);
	if (target_met >= 0)
		ctx_bind_int(st, ":target_met", target_met);
	return ctx_finish(c, st, err);
}

/*
 * A weekly rule's row from its weeks: the weeks' numerators and
 * denominators summed, the rate of the sums, and target_met when every week
 * with a denominator met the target (NULL when no week had one).
 */
int store_weekly_result(struct check_ctx *c, const struct rule *r, int nweeks,
			const sqlite3_int64 *num, const sqlite3_int64 *den, pm_error *err)
{
	sqlite3_int64 sum_num = 0, sum_den = 0;
	int i, judged = 0, weeks_met = 0, met, has_rate;
	double rate = 0;

	for (i = 0; i < nweeks; i++) {
		sum_num += num[i];
		sum_den += den[i];
		if (results_rate(num[i], den[i], r->target, &rate, &met)) {
			judged++;
			weeks_met += met;
		}
	}
	has_rate = results_rate(sum_num, sum_den, r->target, &rate, NULL);
	return rule_row(c, r, 0, 0, 0, 0, sum_num, sum_den, has_rate, rate,
			judged ? judged == weeks_met : -1, err);
}

/*
 * The rule's row from its counts: met, breached and pending for a deadline
 * (or letter) rule; met of met + breached as the rate of a coverage rule.
 */
int check_rule_result_counts(struct check_ctx *c, const struct rule *r, sqlite3_int64 met,
			     sqlite3_int64 breached, sqlite3_int64 pending, pm_error *err)
{
	double rate = 0;
	int target_met = -1, has_rate = results_rate(met, met + breached, r->target, &rate,
						      &target_met);

	return rule_row(c, r, rule_kind_info(r->kind)->counted, met, breached, pending, met,
			met + breached, has_rate, rate, has_rate ? target_met : -1, err);
}

/*
 * check_rule_results.unknown defaults to 0; only a rule that met records
 * lacking a field it needs updates it (no statement for the others).
 */
int store_rule_unknown(struct check_ctx *c, const struct rule *r, sqlite3_int64 unknown,
		       pm_error *err)
{
	sqlite3_stmt *st;

	if (!unknown)
		return 0;
	if (ctx_prepare(c, "UPDATE check_rule_results SET unknown = :unknown"
			" WHERE run_id = :run AND rule_id = :rule", &st, err))
		return -1;
	ctx_bind_text(st, ":rule", r->id);
	ctx_bind_int(st, ":unknown", unknown);
	return ctx_finish(c, st, err);
}
