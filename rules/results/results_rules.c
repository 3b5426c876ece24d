/*
 * A rule's results, written and read in one place: the layout of
 * check_rule_results (one row per rule: counts, rate, target met),
 * check_site_results (the counts per site) and check_records (the records
 * behind them), for the engine's writing (rules/results/results_sink.h) and
 * the reports' reading (rules/results/results.h). A rule's rate is computed
 * here only (results_rate()).
 *
 *   writing  record_writer_*(): every check_records row, a batch at a time;
 *            store_site_results(); check_rule_result_counts(),
 *            store_weekly_result(), store_rule_unknown()
 *   reading  results_read_rules() (for results_open_run()), the per-site
 *            and the records iterators
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "rules/results/results_sink.h"
#include "rules/results/results_internal.h"
#include "util/bigmem.h"
#include "util/jsonbuf.h"

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


/* ---- check_records: the one record writer ---- */

/*
 * The rows are stored in sets (schema version 10, db/schema.sql.h): one
 * check_record_sets row per rule, status and up to RECORD_SET_ROWS records,
 * the records a JSON array of arrays that the view check_records reads
 * back as rows. One b-tree entry a set instead of two a record.
 */
#define WRITER_SQL "INSERT INTO check_record_sets(run_id, rule_id, status, records)" \
	" VALUES(?1, ?2, ?3, ?4)"

static int prepare_sets(struct check_ctx *c, sqlite3_stmt **st, pm_error *err)
{
	/* a figures-only run stores no record: no statement, the writer only counts */
	*st = NULL;
	if (c->figures_only)
		return 0;
	if (ctx_prepare(c, WRITER_SQL, st, err))
		return -1;
	sqlite3_bind_int64(*st, 1, c->run_id);
	return 0;
}

int record_writer_open(struct check_ctx *c, struct record_writer *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	if (prepare_sets(c, &w->st, err)) {
		record_writer_close(w);
		return -1;
	}
	return 0;
}

/* The rows' region: WRITER_CHUNK rows, then as many ints for the storing order. */
static size_t rows_region_size(void)
{
	return (size_t)WRITER_CHUNK * (sizeof(struct writer_row) + sizeof(int));
}

/* The regions a closed writer left to the run's next one (c->writer_mem). */
struct writer_mem {
	struct writer_row *row;
	char *text;
};

/*
 * The two regions, on the first row kept (a figures-only run never maps
 * them): those a closed writer of the run left, else new ones.
 */
static int writer_map(struct record_writer *w)
{
	struct writer_mem *kept = w->c->writer_mem;

	if (w->row)
		return 0;
	if (kept) {
		w->row = kept->row;
		w->text = kept->text;
		w->order = (int *)(w->row + WRITER_CHUNK);
		w->c->writer_mem = NULL;
		free(kept);
		return 0;
	}
	w->row = bigmem_map(rows_region_size());
	w->text = bigmem_map(WRITER_TEXT_BYTES);
	if (!w->row || !w->text) {
		bigmem_unmap(w->row, rows_region_size());
		bigmem_unmap(w->text, WRITER_TEXT_BYTES);
		w->row = NULL;
		w->text = NULL;
		return -1;
	}
	w->order = (int *)(w->row + WRITER_CHUNK);
	return 0;
}

/*
 * A record's amount as the old column stored it (INTEGER affinity, which
 * the values read from the logs' INTEGER columns already have): an
 * integer, a real (17 digits: read back as the same double), a text; a
 * BLOB, which JSON cannot hold, as its bytes in a string.
 */
static void json_amount(struct jsonbuf *jb, sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		jb_int(jb, sqlite3_value_int64(v));
		return;
	case SQLITE_FLOAT:
		jb_real(jb, sqlite3_value_double(v));
		return;
	case SQLITE_NULL:
		jb_raw(jb, "null");
		return;
	default:
		jb_string_n(jb, (const char *)sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v));
		return;
	}
}

/*
 * One record of a set: [kind, id, site, start, deadline, end, late, amount,
 * detail], from the row's texts (text[k], len[k] < 0 for NULL, k as in
 * record_writer_put()) and numbers.
 */
static void json_record(struct jsonbuf *jb, const char *const *text, const int *len,
			const struct writer_row *r)
{
	int k;

	jb_raw(jb, "[");
	for (k = 1; k <= 6; k++) {
		if (len[k] < 0)
			jb_raw(jb, "null");
		else
			jb_string_n(jb, text[k], (size_t)len[k]);
		jb_raw(jb, ",");
	}
	if (r->has_late)
		jb_int(jb, r->late);
	else
		jb_raw(jb, "null");
	jb_raw(jb, ",");
	if (r->amount)
		json_amount(jb, r->amount);
	else if (r->has_cents)
		jb_int(jb, r->cents);
	else
		jb_raw(jb, "null");
	jb_raw(jb, ",");
	if (len[8] < 0)
		jb_raw(jb, "null");
	else
		jb_string_n(jb, text[8], (size_t)len[8]);
	jb_raw(jb, "]");
}

/* A kept row's record: its texts in the writer's text region. */
static void json_kept(struct record_writer *w, struct jsonbuf *jb, const struct writer_row *r)
{
	const char *text[WRITER_TEXTS];
	int k;

	for (k = 0; k < WRITER_TEXTS; k++)
		text[k] = w->text + r->off[k];
	json_record(jb, text, r->len, r);
}

/* A group's name as stored: "" stands for NULL (which the NOT NULL column refuses). */
static void bind_name(sqlite3_stmt *st, int col, const char *name)
{
	if (*name)
		sqlite3_bind_text(st, col, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

/* One set, its records (a JSON array) in w->set: of group (rule_id, status). */
static int store_set(struct check_ctx *c, struct record_writer *w, const char *rule_id,
		     const char *status, pm_error *err)
{
	int rc;

	jb_raw(&w->set, "]");
	if (w->set.failed || w->set.out.len > INT_MAX)
		return pm_fail(err, "out of memory");
	bind_name(w->st, 2, rule_id);
	bind_name(w->st, 3, status);
	sqlite3_bind_text(w->st, 4, w->set.out.data, (int)w->set.out.len, SQLITE_STATIC);
	rc = sqlite3_step(w->st);
	sqlite3_reset(w->st);
	w->set.out.len = 0;
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
}

/* The records order[from, to) of group g, as one set. */
static int store_kept(struct check_ctx *c, struct record_writer *w, int g, int from, int to,
		      pm_error *err)
{
	int i;

	w->set.out.len = 0;
	jb_raw(&w->set, "[");
	for (i = from; i < to; i++) {
		if (i > from)
			jb_raw(&w->set, ",");
		json_kept(w, &w->set, &w->row[w->order[i]]);
	}
	return store_set(c, w, w->groups[g].rule_id, w->groups[g].status, err);
}

static void forget_pending(struct record_writer *w)
{
	int i;

	for (i = 0; i < w->pending; i++) {
		sqlite3_value_free(w->row[i].amount);
		w->row[i].amount = NULL;
	}
	w->pending = 0;
	w->text_len = 0;
}

/* The pair's group: the last one found first (a rule puts its rows in runs). */
static int group_of(struct record_writer *w, const char *rule_id, const char *status)
{
	struct writer_group *g;
	int i;

	rule_id = rule_id ? rule_id : "";
	status = status ? status : "";
	for (i = 0; i < w->ngroups; i++) {
		int at = (w->last_group + i) % w->ngroups;

		g = &w->groups[at];
		if (!strcmp(g->status, status) && !strcmp(g->rule_id, rule_id))
			return w->last_group = at;
	}
	g = realloc(w->groups, (size_t)(w->ngroups + 1) * sizeof(*g));
	if (!g)
		return -1;
	w->groups = g;
	g = &w->groups[w->ngroups];
	g->rule_id = strdup(rule_id);
	g->status = strdup(status);
	if (!g->rule_id || !g->status) {
		free(g->rule_id);
		free(g->status);
		return -1;
	}
	return w->last_group = w->ngroups++;
}

/* The index's order of the groups: rule_id, then status (BINARY, as the index compares). */
static int group_rank_cmp(const void *a, const void *b, void *arg)
{
	const struct writer_group *g = arg;
	int x = *(const int *)a, y = *(const int *)b;
	int d = strcmp(g[x].rule_id, g[y].rule_id);

	return d ? d : strcmp(g[x].status, g[y].status);
}

/*
 * w->order: the pending rows by their group's rank, in the order put
 * within a group (a counting sort: stable, one pass).
 */
static int storing_order(struct record_writer *w)
{
	int *rank_of = calloc((size_t)w->ngroups + 1, sizeof(int));
	int *by_rank = malloc(((size_t)w->ngroups + 1) * sizeof(int));
	int *start = calloc((size_t)w->ngroups + 1, sizeof(int));
	int i, rc = -1;

	if (!rank_of || !by_rank || !start)
		goto out;
	for (i = 0; i < w->ngroups; i++)
		by_rank[i] = i;
	qsort_r(by_rank, (size_t)w->ngroups, sizeof(int), group_rank_cmp, w->groups);
	for (i = 0; i < w->ngroups; i++)
		rank_of[by_rank[i]] = i;
	for (i = 0; i < w->pending; i++)
		start[rank_of[w->row[i].group] + 1]++;
	for (i = 1; i <= w->ngroups; i++)
		start[i] += start[i - 1];
	for (i = 0; i < w->pending; i++)
		w->order[start[rank_of[w->row[i].group]]++] = i;
	rc = 0;
out:
	free(rank_of);
	free(by_rank);
	free(start);
	return rc;
}

/*
 * The pending rows, a set for each run of up to RECORD_SET_ROWS rows of a
 * group in storing order: a group's sets in the order put, the groups in
 * the order of the sets' index (run_id, rule_id, status).
 */
int record_writer_flush(struct check_ctx *c, struct record_writer *w, pm_error *err)
{
	int i = 0, end, rc = 0;

	if (w->pending && storing_order(w))
		rc = pm_fail(err, "out of memory");
	for (; !rc && i < w->pending; i = end) {
		int g = w->row[w->order[i]].group;

		for (end = i + 1; end < w->pending && end - i < RECORD_SET_ROWS &&
		     w->row[w->order[end]].group == g; end++)
			;
		rc = store_kept(c, w, g, i, end, err);
	}
	forget_pending(w);
	return rc;
}

/*
 * A row whose texts alone outgrow the text region: the rows pending before
 * it stored first, then it, a set of its own (put order kept within its group).
 */
static int store_now(struct check_ctx *c, struct record_writer *w, const struct record_row *row,
		     const char *const *texts, const int *len, pm_error *err)
{
	struct writer_row r;

	if (record_writer_flush(c, w, err))
		return -1;
	memset(&r, 0, sizeof(r));
	r.has_late = row->has_late;
	r.late = row->late;
	r.amount = row->amount;
	r.has_cents = row->has_cents;
	r.cents = row->cents;
	w->set.out.len = 0;
	jb_raw(&w->set, "[");
	json_record(&w->set, texts, len, &r);
	w->rows++;
	return store_set(c, w, row->rule_id ? row->rule_id : "", row->status ? row->status : "", err);
}

/* Keeps row in the writer's regions (mapped and with room for it). */
static int keep_row(struct record_writer *w, const struct record_row *row,
		    const char *const *texts, const int *len, pm_error *err)
{
	struct writer_row *r = &w->row[w->pending];
	int k;

	for (k = 0; k < WRITER_TEXTS; k++) {
		r->off[k] = (unsigned)w->text_len;
		r->len[k] = len[k];
		if (len[k] > 0) {
			memcpy(w->text + w->text_len, texts[k], (size_t)len[k]);
			w->text_len += (size_t)len[k];
		}
	}
	if ((r->group = group_of(w, row->rule_id, row->status)) < 0)
		return pm_fail(err, "out of memory");
	r->has_late = row->has_late;
	r->late = row->late;
	r->has_cents = row->has_cents;
	r->cents = row->cents;
	r->amount = NULL;
	if (row->amount && !(r->amount = sqlite3_value_dup(row->amount)))
		return pm_fail(err, "out of memory");
	w->pending++;
	return 0;
}

int record_writer_put(struct check_ctx *c, struct record_writer *w, const struct record_row *row,
		      pm_error *err)
{
	const char *texts[WRITER_TEXTS] = { row->rule_id, row->kind, row->id, row->site, row->start,
					    row->deadline, row->end, row->status, row->detail };
	int len[WRITER_TEXTS];
	size_t need = 0;
	int k;

	/*
	 * a figures-only run (no statement), or a record other than the
	 * ledger's in a run storing only those: the row is counted, not stored
	 */
	if (!w->st || (c->account_records_only && (!row->kind || strcmp(row->kind, "account")))) {
		w->rows++;
		return 0;
	}
	for (k = 0; k < WRITER_TEXTS; k++) {
		size_t n = texts[k] ? strlen(texts[k]) : 0;

		if (n > (size_t)INT_MAX)
			return pm_fail(err, "out of memory");        /* no text SQLite gives is that long */
		len[k] = texts[k] ? (int)n : -1;
		need += n;
	}
	if (need > WRITER_TEXT_BYTES)
		return store_now(c, w, row, texts, len, err);
	if (writer_map(w))
		return pm_fail(err, "out of memory");
	if (w->text_len + need > WRITER_TEXT_BYTES && record_writer_flush(c, w, err))
		return -1;
	if (keep_row(w, row, texts, len, err))
		return -1;
	w->rows++;
	return w->pending == WRITER_CHUNK ? record_writer_flush(c, w, err) : 0;
}

void record_writer_close(struct record_writer *w)
{
	int i;

	if (w->row) {
		forget_pending(w);
		/* left to the run's next writer, if none is left yet */
		if (w->c && !w->c->writer_mem && (w->c->writer_mem = malloc(sizeof(struct writer_mem)))) {
			w->c->writer_mem->row = w->row;
			w->c->writer_mem->text = w->text;
			w->row = NULL;
			w->text = NULL;
		}
	}
	sqlite3_finalize(w->st);
	jb_free(&w->set);
	bigmem_unmap(w->row, rows_region_size());
	bigmem_unmap(w->text, WRITER_TEXT_BYTES);
	for (i = 0; i < w->ngroups; i++) {
		free(w->groups[i].rule_id);
		free(w->groups[i].status);
	}
	free(w->groups);
	memset(w, 0, sizeof(*w));
}

void results_sink_free(struct check_ctx *c)
{
	struct writer_mem *kept = c->writer_mem;

	if (!kept)
		return;
	bigmem_unmap(kept->row, rows_region_size());
	bigmem_unmap(kept->text, WRITER_TEXT_BYTES);
	free(kept);
	c->writer_mem = NULL;
}

/* ---- check_site_results and check_rule_results ---- */

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

void results_rule_of_counts(const struct rule *r, long long met, long long breached,
			    long long pending, long long unknown, struct results_rule *x)
{
	int target_met = 0;

	memset(x, 0, sizeof(*x));
	snprintf(x->rule_id, sizeof(x->rule_id), "%s", r->id);
	snprintf(x->kind, sizeof(x->kind), "%s", rule_kind_name(r->kind));
	snprintf(x->title_zh, sizeof(x->title_zh), "%s", r->title_zh ? r->title_zh : r->id);
	snprintf(x->title_en, sizeof(x->title_en), "%s", r->title_en ? r->title_en : r->id);
	x->counted = rule_kind_info(r->kind)->counted;
	if (x->counted) {
		x->met = met;
		x->breached = breached;
		x->pending = pending;
	}
	x->unknown = unknown;
	x->numerator = met;
	x->denominator = met + breached;
	x->has_rate = results_rate(met, met + breached, r->target, &x->rate, &target_met);
	x->has_target = 1;
	x->target = r->target;
	x->has_target_met = x->has_rate;
	x->target_met = x->has_rate && target_met;
}

/*
 * The rule's row from its counts: met, breached and pending for a deadline
 * (or letter) rule; met of met + breached as the rate of a coverage rule.
 */
int check_rule_result_counts(struct check_ctx *c, const struct rule *r, sqlite3_int64 met,
			     sqlite3_int64 breached, sqlite3_int64 pending, pm_error *err)
{
	struct results_rule x;

	results_rule_of_counts(r, met, breached, pending, 0, &x);
	return rule_row(c, r, x.counted, met, breached, pending, x.numerator, x.denominator,
			x.has_rate, x.rate, x.has_target_met ? x.target_met : -1, err);
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

/* ---- reading: the rules' rows, per site, the records ---- */

static int read_rule(sqlite3_stmt *st, struct results_run *run, int *cap, pm_error *err)
{
	struct results_rule *x;

	if (run->nrules == *cap) {
		struct results_rule *grown;

		*cap = *cap ? *cap * 2 : 32;
		grown = realloc(run->rules, *cap * sizeof(*grown));
		if (!grown)
			return pm_fail(err, "out of memory");
		run->rules = grown;
	}
	x = &run->rules[run->nrules++];
	memset(x, 0, sizeof(*x));
	results_sql_copy(x->rule_id, sizeof(x->rule_id), st, 0);
	results_sql_copy(x->kind, sizeof(x->kind), st, 1);
	results_sql_copy(x->title_zh, sizeof(x->title_zh), st, 2);
	results_sql_copy(x->title_en, sizeof(x->title_en), st, 3);
	x->counted = sqlite3_column_type(st, 4) != SQLITE_NULL;
	x->met = sqlite3_column_int64(st, 4);
	x->breached = sqlite3_column_int64(st, 5);
	x->pending = sqlite3_column_int64(st, 6);
	x->numerator = sqlite3_column_int64(st, 7);
	x->denominator = sqlite3_column_int64(st, 8);
	x->has_rate = sqlite3_column_type(st, 9) != SQLITE_NULL;
	x->rate = sqlite3_column_double(st, 9);
	x->has_target = sqlite3_column_type(st, 10) != SQLITE_NULL;
	x->target = sqlite3_column_double(st, 10);
	x->has_target_met = sqlite3_column_type(st, 11) != SQLITE_NULL;
	x->target_met = sqlite3_column_int(st, 11);
	x->unknown = sqlite3_column_int64(st, 12);
	return 0;
}

int results_read_rules(struct results_run *run, pm_error *err)
{
	sqlite3_stmt *st;
	int rc, cap = 0;

	if (results_sql_prepare(run->db,
				"SELECT rule_id, rule_kind, title_zh, title_en, met, breached, pending,"
				" numerator, denominator, rate, target, target_met, unknown"
				" FROM check_rule_results WHERE run_id = ? ORDER BY rowid", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, run->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (read_rule(st, run, &cap, err)) {
			sqlite3_finalize(st);
			return -1;
		}
	return results_sql_done(run->db, st, rc, err);
}

/* ---- per site ---- */

int results_sites_begin(const struct results_run *run, const char *rule_id,
			struct results_sites *it, pm_error *err)
{
	memset(it, 0, sizeof(*it));
	if (results_sql_prepare(run->db,
				"SELECT rule_id, site, met, breached, pending, unknown FROM check_site_results"
				" WHERE run_id = ?1 AND (?2 IS NULL OR rule_id = ?2) ORDER BY site, rule_id",
				&it->st, err))
		return -1;
	sqlite3_bind_int64(it->st, 1, run->run_id);
	if (rule_id)
		sqlite3_bind_text(it->st, 2, rule_id, -1, SQLITE_TRANSIENT);
	it->rc = SQLITE_ROW;
	return 0;
}

int results_sites_next(struct results_sites *it)
{
	if (!results_sql_step(it->st, &it->rc))
		return 0;
	it->row.rule_id = results_sql_text(it->st, 0);
	it->row.site = results_sql_text(it->st, 1);
	it->row.met = sqlite3_column_int64(it->st, 2);
	it->row.breached = sqlite3_column_int64(it->st, 3);
	it->row.pending = sqlite3_column_int64(it->st, 4);
	it->row.unknown = sqlite3_column_int64(it->st, 5);
	return 1;
}

int results_sites_end(struct results_sites *it, pm_error *err)
{
	return results_sql_finish(&it->st, it->rc, err);
}

/* ---- records ---- */

/* A field of the record j.value of a set s (db/db.h). */
#define AT(field) CHECK_RECORD_AT("j.value", CHECK_RECORD_##field)

/*
 * Each kind's records: which (of one rule's), the fields they are ordered
 * by (extracted from every record of the rule, as k_*), and the order: of
 * those fields, and of the records kept (r).
 */
static const struct {
	const char *where, *keys, *order, *kept_order;
} RECORDS_SQL[] = {
	[RECORDS_LATE] = { "s.status IN ('breached', 'pending')",
			   AT(START) " AS k_start, " AT(ID) " AS k_id",
			   "s.status = 'pending', k_start, k_id",
			   "r.status = 'pending', r.start_at, r.record_id" },
	[RECORDS_FINDINGS] = { "s.status = 'finding'",
			       AT(SITE) " AS k_site, " AT(START) " AS k_start, " AT(ID) " AS k_id",
			       "k_site, k_start, k_id", "r.site, r.start_at, r.record_id" },
	[RECORDS_DUE_NOW] = { "s.status = 'pending'",
			      AT(DEADLINE) " AS k_deadline, " AT(ID) " AS k_id",
			      "k_deadline, k_id", "r.deadline_at, r.record_id" },
	[RECORDS_BREACHES] = { "s.status IN ('breached', 'pending', 'unknown')",
			       AT(START) " AS k_start, " AT(ID) " AS k_id",
			       "k_start, k_id", "r.start_at, r.record_id" },
};

/* The fields of a record kept as its JSON text (rec) through the sort and the LIMIT. */
#define REC_AT(field) CHECK_RECORD_AT("r.rec", CHECK_RECORD_##field)
#define RECORD_FIELDS \
	REC_AT(ID) " AS record_id, " REC_AT(SITE) " AS site, " REC_AT(START) " AS start_at, " \
	REC_AT(DEADLINE) " AS deadline_at, " REC_AT(END) " AS end_at, r.status, " \
	REC_AT(DETAIL) " AS detail, " REC_AT(LATE) " AS late_seconds, " \
	REC_AT(AMOUNT) " AS amount_cents, r.records_total, " REC_AT(KIND) " AS record_kind"

/*
 * The first `limit` records in order, with the count of all of them, and
 * only those joined to the logs for their people: joined before the
 * LIMIT, every breached record of a rule cost a look-up in its log (the
 * report's lists of 15 rows read 16k tickets for T-CB-COVERAGE, 33k for
 * R-REPEAT: 1.5 s CPU in all). Read from the sets themselves (the view
 * check_records gives the same rows, db/db.h): only the fields the order
 * needs are taken out of every record of the rule, the rest out of the
 * `limit` kept -- each field costs a JSON parse (docs/performance.md,
 * "check --year: the records in sets").
 */
int results_records_begin(const struct results_run *run, const char *rule_id,
			  enum results_records_kind kind, int limit, struct results_records *it,
			  pm_error *err)
{
	char sql[2400];

	memset(it, 0, sizeof(*it));
	/* the parts are our constants */
	snprintf(sql, sizeof(sql), "SELECT r.record_id, r.site, r.start_at, r.deadline_at,"
		 " r.end_at, r.status, r.detail, r.late_seconds, r.amount_cents, r.records_total, "
		 PEOPLE_COLUMNS ", r.record_kind, " PEOPLE_CATEGORY
		 " FROM (SELECT " RECORD_FIELDS " FROM (SELECT s.status, %s, j.value AS rec,"
		 " COUNT(*) OVER () AS records_total FROM check_record_sets s, json_each(s.records) j"
		 " WHERE s.run_id = ?1 AND s.rule_id = ?2 AND %s ORDER BY %s LIMIT ?3) r) r" PEOPLE_JOIN
		 " ORDER BY %s", RECORDS_SQL[kind].keys, RECORDS_SQL[kind].where,
		 RECORDS_SQL[kind].order, RECORDS_SQL[kind].kept_order);
	if (results_sql_prepare(run->db, sql, &it->st, err))
		return -1;
	sqlite3_bind_int64(it->st, 1, run->run_id);
	sqlite3_bind_text(it->st, 2, rule_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(it->st, 3, limit);
	it->rc = SQLITE_ROW;
	return 0;
}

int results_records_next(struct results_records *it)
{
	struct results_record *x = &it->row;
	sqlite3_stmt *st = it->st;

	if (!results_sql_step(st, &it->rc))
		return 0;
	x->record_id = results_sql_text(st, 0);
	x->site = results_sql_text(st, 1);
	x->start = results_sql_text(st, 2);
	x->deadline = results_sql_text(st, 3);
	x->end = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : results_sql_text(st, 4);
	x->status = results_sql_text(st, 5);
	x->detail = results_sql_text(st, 6);
	x->has_late = sqlite3_column_type(st, 7) != SQLITE_NULL;
	x->late_seconds = sqlite3_column_int64(st, 7);
	x->has_amount = sqlite3_column_type(st, 8) != SQLITE_NULL;
	x->amount_cents = sqlite3_column_int64(st, 8);
	it->total = sqlite3_column_int64(st, 9);
	x->room = results_sql_text(st, 10);
	x->responsible = results_sql_text(st, 11);
	x->record_kind = results_sql_text(st, 12);
	x->category = results_sql_text(st, 13);
	return 1;
}

int results_records_end(struct results_records *it, pm_error *err)
{
	return results_sql_finish(&it->st, it->rc, err);
}
