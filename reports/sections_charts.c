/*
 * The charts of the reports and the twelve-month trend. The numbers behind
 * a chart come from the same queries as the tables next to it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/sections.h"
#include "util/civil.h"
#include "util/strtab.h"
#include "rules/engine/check.h"

/*
 * A chart that cannot be drawn fails the report (report_fail): a PDF with
 * an error message where a chart belongs must not reach the general
 * manager. --no-charts makes the report without them, and says so.
 */
void place_chart(struct report *r, const char *name, const struct chart *c,
		 const char *caption)
{
	const char *path;
	char note[400], numbered[400];
	pm_error err;

	if (r->opts->no_charts) {
		snprintf(note, sizeof(note), r->english ? "(%s: not drawn, --no-charts.)" :
			 "（%s：按 --no-charts 未绘制。）", caption);
		pdf_note(r->pdf, note);
		return;
	}
	if (!chart_has_data(c)) {
		pdf_note(r->pdf, tr(r, "（本期没有可绘制的数据，未绘制此图。）",
				    "(No data to draw for this chart.)"));
		return;
	}
	/* the report fails anyway: no more waiting for gnuplot */
	if (r->failed)
		return;
	/* Figures are numbered in the order they appear: 图1 …, Figure 1: … */
	if (r->english)
		snprintf(numbered, sizeof(numbered), "Figure %d: %s", r->nfigures + 1, caption);
	else
		snprintf(numbered, sizeof(numbered), "图%d %s", r->nfigures + 1, caption);
	path = NULL;
	if (chart_file(r, name, &path, &err) < 0 ||
	    (!r->gnuplot && chart_session_start(&r->gnuplot, &err) < 0) ||
	    chart_session_render(r->gnuplot, c, path, &err) < 0 ||
	    pdf_image(r->pdf, path, 1.0, numbered, &err) < 0) {
		const char *why = err.msg;
		pm_error e;

		/* the message names our temporary; the chart's name says more */
		if (path && !strncmp(why, path, strlen(path)) && why[strlen(path)] == ':')
			why += strlen(path) + 2;
		pm_fail(&e, "chart '%s' could not be drawn: %s (--no-charts makes the report "
			"without charts)", name, why);
		report_fail(r, &e);
	} else {
		r->nfigures++;
	}
}

/* Labels and values of a query (label, value...) for a chart. */
struct series_data {
	char **labels;
	double *values;
	int n, nseries;
};

static void free_series(struct series_data *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		free(d->labels[i]);
	free(d->labels);
	free(d->values);
	memset(d, 0, sizeof(*d));
}

static int add_row(struct series_data *d, const char *label, const double *v)
{
	char **l = realloc(d->labels, (d->n + 1) * sizeof(*l));
	double *x;

	if (!l)
		return -1;
	d->labels = l;
	x = realloc(d->values, (size_t)(d->n + 1) * d->nseries * sizeof(*x));
	if (!x)
		return -1;
	d->values = x;
	d->labels[d->n] = strdup(label);
	memcpy(d->values + (size_t)d->n * d->nseries, v, d->nseries * sizeof(*v));
	d->n++;
	return 0;
}

/*
 * The rows of a query over [from, to) and the report's site (bound as ?1,
 * ?2, ?3): a label, then d->nseries values (at most 3). Finalizes st.
 */
static int read_window_series(struct report *r, sqlite3_stmt *st, const char *from,
			      const char *to, struct series_data *d, pm_error *err)
{
	double v[3];
	int k, rc;

	bind_text(st, 1, from);
	bind_text(st, 2, to);
	bind_text(st, 3, r->opts->site);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < d->nseries; k++)
			v[k] = sqlite3_column_double(st, 1 + k);
		if (add_row(d, col_text(st, 0), v) < 0) {
			sqlite3_finalize(st);
			return pm_fail(err, "out of memory");
		}
	}
	return step_done(r, st, rc, err);
}

/*
 * A day of the daily chart outside the log's coverage is a gap, not 0 (a
 * month the data ends inside). label is 'MM-DD' of from's year; "24:00:00"
 * compares above every time of the day and below the next day's.
 */
static void daily_gaps(struct report *r, const char *from, struct series_data *d)
{
	static const int logs[2] = { DB_COVERAGE_TICKETS, DB_COVERAGE_COMPLAINTS };
	char start[32], end[32];
	int i, k;

	for (i = 0; i < d->n; i++) {
		snprintf(start, sizeof(start), "%.4s-%.5s 00:00:00", from, d->labels[i]);
		snprintf(end, sizeof(end), "%.4s-%.5s 24:00:00", from, d->labels[i]);
		for (k = 0; k < 2; k++)
			if (!has_data(r, logs[k], start, end))
				d->values[i * 2 + k] = NAN;
	}
}

int chart_daily_volumes(struct report *r, const char *from, const char *to, pm_error *err)
{
	/* Every day of the window, also the quiet ones. */
	sqlite3_stmt *st = prepare(r,
		"WITH RECURSIVE days(d) AS (SELECT date(?1) UNION ALL"
		"  SELECT date(d, '+1 day') FROM days WHERE date(d, '+1 day') < date(?2))"
		" SELECT substr(d, 6),"
		"  (SELECT COUNT(*) FROM tickets WHERE reported_at >= d || ' 00:00:00'"
		"    AND reported_at < date(d, '+1 day') || ' 00:00:00' AND (?3 IS NULL OR site = ?3)),"
		"  (SELECT COUNT(*) FROM complaints WHERE received_at >= d || ' 00:00:00'"
		"    AND received_at < date(d, '+1 day') || ' 00:00:00' AND (?3 IS NULL OR site = ?3))"
		" FROM days", err);
	struct series_data d = { .nseries = 2 };
	struct chart c = { .kind = CHART_LINES, .nseries = 2 };

	if (!st || read_window_series(r, st, from, to, &d, err) < 0) {
		free_series(&d);
		return -1;
	}
	daily_gaps(r, from, &d);
	c.series[0] = tr(r, "报修", "Repair tickets");
	c.series[1] = tr(r, "投诉", "Complaints");
	c.ylabel = tr(r, "件数", "Count");
	c.whole = 1;
	c.ncats = d.n;
	c.cats = (const char *const *)d.labels;
	c.values = d.values;
	c.label_every = d.n > 40 ? 14 : d.n > 16 ? 3 : 1;
	if (d.n)
		place_chart(r, "daily", &c, tr(r, "每日报修与投诉量", "tickets and complaints per day"));
	free_series(&d);
	return 0;
}

/*
 * Three families per site, by the rules' roles (rules/results/results.h: roles):
 * callbacks on time (repair deadlines ended by a callback), arrival (other
 * repair deadlines), complaints (complaint deadlines), each met / (met +
 * breached) over the family's records.
 */
static int family_of(const struct run_view *cur, const char *rule_id)
{
	const struct rule_result *x = find_rule(cur, rule_id);

	if (!x || strcmp(x->kind, "deadline"))
		return -1;
	return x->role == ROLE_REPAIR_CALLBACK ? 0 : x->role == ROLE_REPAIR_DEADLINE ? 1 :
	       x->role == ROLE_COMPLAINT_DEADLINE ? 2 : -1;
}

/* One site's row of the three families' counts (met, judged) into d. */
static void add_site(struct series_data *d, const char *site, const long long (*sum)[2])
{
	double row[6];
	int k;

	for (k = 0; k < 3; k++) {
		row[2 * k] = (double)sum[k][0];
		row[2 * k + 1] = (double)sum[k][1];
	}
	add_row(d, site, row);
}

struct ranked {
	double weight;
	int index;
};

static int by_weight_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->index - y->index;
}

int chart_top_sites(const char *const *labels, const double *values, int width,
		    const double *weight, int n, const char *other, const char **out_labels,
		    double *out_values)
{
	struct ranked *order;
	int i, k;

	if (n <= CHART_TOP_SITES) {
		/* no sites: labels may be NULL, which memcpy must not be given even for 0 bytes */
		if (n > 0) {
			memcpy(out_labels, labels, n * sizeof(*labels));
			memcpy(out_values, values, (size_t)n * width * sizeof(*values));
		}
		return n;
	}
	order = malloc(n * sizeof(*order));
	if (!order)
		return -1;
	for (i = 0; i < n; i++)
		order[i] = (struct ranked){ weight[i], i };
	qsort(order, n, sizeof(*order), by_weight_desc);
	for (i = 0; i < CHART_TOP_SITES; i++) {
		out_labels[i] = labels[order[i].index];
		memcpy(out_values + (size_t)i * width, values + (size_t)order[i].index * width,
		       width * sizeof(*values));
	}
	out_labels[CHART_TOP_SITES] = other;
	for (k = 0; k < width; k++)
		out_values[(size_t)CHART_TOP_SITES * width + k] = 0;
	for (; i < n; i++)
		for (k = 0; k < width; k++) {
			double v = values[(size_t)order[i].index * width + k];

			if (!isnan(v))
				out_values[(size_t)CHART_TOP_SITES * width + k] += v;
		}
	free(order);
	return CHART_TOP_SITES + 1;
}

/*
 * The by-site chart: each site's three family rates; with more than
 * CHART_TOP_SITES sites, the ones with the most judged records and 其他
 * (the rest's records together).
 */
static int draw_compliance(struct report *r, const struct series_data *d, pm_error *err)
{
	struct chart c = { .kind = CHART_BARS, .nseries = 3, .percent = 1, .has_target = 1,
			   .target = 1.0 };
	int rows = d->n < CHART_TOP_SITES + 1 ? d->n : CHART_TOP_SITES + 1, i, k;
	const char **cats = calloc(rows ? rows : 1, sizeof(*cats));
	double *counts = calloc((size_t)(rows ? rows : 1) * 6, sizeof(*counts));
	double *rates = calloc((size_t)(rows ? rows : 1) * 3, sizeof(*rates));
	double *weight = calloc(d->n ? d->n : 1, sizeof(*weight));

	if (!cats || !counts || !rates || !weight)
		goto oom;
	for (i = 0; i < d->n; i++)
		weight[i] = d->values[i * 6 + 1] + d->values[i * 6 + 3] + d->values[i * 6 + 5];
	rows = chart_top_sites((const char *const *)d->labels, d->values, 6, weight, d->n,
			       tr(r, "其他", "others"), cats, counts);
	if (rows < 0)
		goto oom;
	for (i = 0; i < rows; i++)
		for (k = 0; k < 3; k++)
			rates[i * 3 + k] = counts[i * 6 + 2 * k + 1] > 0 ?
				counts[i * 6 + 2 * k] / counts[i * 6 + 2 * k + 1] : NAN;
	c.series[0] = tr(r, "报修回访及时率", "Callbacks on time");
	c.series[1] = tr(r, "紧急报修到场及时率", "Arrival on time");
	c.series[2] = tr(r, "投诉处理及时率", "Complaints on time");
	c.target_label = tr(r, "目标 100%", "target 100%");
	c.ylabel = tr(r, "及时率", "Rate");
	c.ncats = rows;
	c.cats = cats;
	c.values = rates;
	if (rows)
		place_chart(r, "by-site", &c, d->n > CHART_TOP_SITES ?
			    tr(r, "各项目时限规则达标率（记录最多的20个项目及其他，虚线为目标）",
			       "deadline rules met by site (the 20 sites with most records and others; dashed: target)") :
			    tr(r, "各项目时限规则达标率（虚线为目标）",
			       "deadline rules met by site (dashed: target)"));
	free(cats); free(counts); free(rates); free(weight);
	return 0;
oom:
	free(cats); free(counts); free(rates); free(weight);
	return pm_fail(err, "out of memory");
}

int chart_compliance_by_site(struct report *r, const struct run_view *cur, pm_error *err)
{
	struct results_sites it;
	struct series_data d = { .nseries = 6 };
	long long sum[3][2] = { { 0 } };   /* per family: met, met + breached */
	char *site = NULL;          /* the site of sum; any length */
	int rc;

	if (results_sites_begin(cur->results, NULL, &it, err) < 0)
		return -1;
	while (results_sites_next(&it)) {
		int family = family_of(cur, it.row.rule_id);

		if (family < 0)
			continue;
		if (site && strcmp(site, it.row.site)) {
			add_site(&d, site, (const long long (*)[2])sum);
			memset(sum, 0, sizeof(sum));
			free(site);
			site = NULL;
		}
		if (!site && !(site = strdup(it.row.site)))
			break;
		sum[family][0] += it.row.met;
		sum[family][1] += it.row.met + it.row.breached;
	}
	if (site)
		add_site(&d, site, (const long long (*)[2])sum);
	free(site);
	if (results_sites_end(&it, err) < 0) {
		free_series(&d);
		return -1;
	}
	rc = draw_compliance(r, &d, err);
	free_series(&d);
	return rc;
}

/*
 * TABLE is the log, with NOT INDEXED for a table scan (category_scan()).
 * Each row's category, counted in C (category_counts_on()): GROUP BY had
 * SQLite sort every row of the window (a year's 917k tickets) to count a
 * few dozen categories.
 */
#define CATEGORY_SQL_TICKETS(TABLE) "SELECT category FROM " TABLE \
	" WHERE reported_at >= ?1 AND reported_at < ?2 AND (?3 IS NULL OR site = ?3)"
#define CATEGORY_SQL_COMPLAINTS(TABLE) "SELECT COALESCE(NULLIF(category, ''), '—')" \
	" FROM " TABLE " WHERE received_at >= ?1 AND received_at < ?2" \
	" AND (?3 IS NULL OR site = ?3)"

void category_counts_free(struct category_counts *cc)
{
	int i;

	for (i = 0; i < cc->n; i++)
		free(cc->labels[i]);
	free(cc->labels);
	free(cc->counts);
	memset(cc, 0, sizeof(*cc));
}

static int category_add(struct category_counts *cc, const char *label, long long count)
{
	char **l = realloc(cc->labels, ((size_t)cc->n + 1) * sizeof(*l));
	long long *c;

	if (!l)
		return -1;
	cc->labels = l;
	c = realloc(cc->counts, ((size_t)cc->n + 1) * sizeof(*c));
	if (!c)
		return -1;
	cc->counts = c;
	if (!(l[cc->n] = strdup(label)))
		return -1;
	c[cc->n++] = count;
	cc->total += count;
	return 0;
}

/* A time of the coverage as its day number; -1 if it has none. */
static int coverage_day(const char *t, int64_t *day)
{
	char date[11];

	if (strlen(t) < 10)
		return -1;
	memcpy(date, t, 10);
	date[10] = 0;
	return civil_parse_date(date, day);
}

/*
 * Whether [from, to) holds more than half of the log's time span (its
 * coverage, first to last event): then one table scan reads it. Through
 * the time index every row costs a table look-up, out of order on a
 * database whose rows are not in time order: the year's ticket categories
 * of the shuffled benchmark database took 2.1 s CPU through the index and
 * 0.45 s by a scan (in time order, 0.42 s either way). Only how the rows
 * are read changes, not which.
 */
static int category_scan(const struct report *r, enum category_log log, const char *from,
			 const char *to)
{
	int cov = log == CATEGORY_COMPLAINTS ? DB_COVERAGE_COMPLAINTS : DB_COVERAGE_TICKETS;
	int64_t first, last, lo, hi;

	if (coverage_day(r->coverage.log[cov].first, &first) ||
	    coverage_day(r->coverage.log[cov].last, &last) ||
	    coverage_day(from, &lo) || coverage_day(to, &hi))
		return 0;
	lo = lo < first ? first : lo;
	hi = hi > last + 1 ? last + 1 : hi;
	return 2 * (hi - lo) > last + 1 - first;
}

static const char *category_sql(const struct report *r, enum category_log log, const char *from,
				const char *to)
{
	int scan = category_scan(r, log, from, to);

	if (log == CATEGORY_COMPLAINTS)
		return scan ? CATEGORY_SQL_COMPLAINTS("complaints NOT INDEXED") :
		       CATEGORY_SQL_COMPLAINTS("complaints");
	return scan ? CATEGORY_SQL_TICKETS("tickets NOT INDEXED") : CATEGORY_SQL_TICKETS("tickets");
}

/* The counts of the categories numbered in a string table, by their numbers. */
struct category_tally {
	struct strtab names;
	long long *counts;
	int cap;
};

/* n more of the category name (n 1: a row read; more: counted elsewhere, category_counts_of()). */
static int tally_add(struct category_tally *t, const char *name, long long n)
{
	int k = strtab_intern(&t->names, name);

	if (k < 0)
		return -1;
	if (k >= t->cap) {
		int cap = t->cap ? t->cap * 2 : 64;
		long long *c = realloc(t->counts, (size_t)cap * sizeof(*c));

		if (!c)
			return -1;
		memset(c + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*c));
		t->counts = c;
		t->cap = cap;
	}
	t->counts[k] += n;
	return 0;
}

/* The tally into cc, largest first; -1 when out of memory. */
static int tally_sorted(const struct category_tally *t, struct category_counts *cc)
{
	int n = t->names.count, i, rc = 0;
	struct name_count *order = malloc(((size_t)n + 1) * sizeof(*order));

	if (!order)
		return -1;
	for (i = 0; i < n; i++) {
		order[i].name = t->names.strs[i];
		order[i].count = t->counts[i];
	}
	qsort(order, (size_t)n, sizeof(*order), name_count_desc);
	for (i = 0; i < n && rc == 0; i++)
		rc = category_add(cc, order[i].name, order[i].count);
	free(order);
	return rc;
}

int category_counts_on(sqlite3 *db, const struct report *r, enum category_log log,
		       const char *from, const char *to, struct category_counts *cc,
		       pm_error *err)
{
	sqlite3_stmt *st = NULL;
	struct category_tally t = { .counts = NULL };
	int rc;

	memset(cc, 0, sizeof(*cc));
	cc->log = log;
	if (sqlite3_prepare_v2(db, category_sql(r, log, from, to), -1, &st, NULL) != SQLITE_OK)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	bind_text(st, 1, from);
	bind_text(st, 2, to);
	bind_text(st, 3, r->opts->site);
	strtab_init(&t.names);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (tally_add(&t, col_text(st, 0), 1) < 0)
			break;
	if (rc == SQLITE_DONE && tally_sorted(&t, cc) == 0) {
		rc = 0;
	} else {
		if (rc == SQLITE_DONE || rc == SQLITE_ROW)
			pm_fail(err, "out of memory");
		else
			pm_fail(err, "database: %s", sqlite3_errmsg(db));
		category_counts_free(cc);
		rc = -1;
	}
	sqlite3_finalize(st);
	strtab_free(&t.names);
	free(t.counts);
	return rc;
}

int category_counts_of(const struct check_categories *c, enum category_log log,
		       struct category_counts *cc)
{
	const struct check_category *x = c->log[log == CATEGORY_COMPLAINTS ? CHECK_COMPLAINTS :
						 CHECK_TICKETS];
	int n = c->n[log == CATEGORY_COMPLAINTS ? CHECK_COMPLAINTS : CHECK_TICKETS], i, rc = 0;
	struct category_tally t = { .counts = NULL };

	memset(cc, 0, sizeof(*cc));
	cc->log = log;
	strtab_init(&t.names);
	for (i = 0; i < n && rc == 0; i++) {
		const char *name = x[i].name ? x[i].name : "";

		/* COALESCE(NULLIF(category, ''), '—') and col_text()'s "" for NULL */
		if (log == CATEGORY_COMPLAINTS && !*name)
			name = "—";
		rc = tally_add(&t, name, x[i].count);
	}
	if (rc == 0)
		rc = tally_sorted(&t, cc);
	if (rc)
		category_counts_free(cc);
	strtab_free(&t.names);
	free(t.counts);
	return rc;
}

/* A section that cannot read its data fails the report (prepare()). */
int category_counts_read(struct report *r, enum category_log log, const char *from,
			 const char *to, struct category_counts *cc, pm_error *err)
{
	if (category_counts_on(r->db, r, log, from, to, cc, err) < 0) {
		report_fail(r, err);
		return -1;
	}
	return 0;
}

int chart_categories(struct report *r, const struct category_counts *cc, pm_error *err)
{
	int complaints = cc->log == CATEGORY_COMPLAINTS, n = cc->n < 10 ? cc->n : 10, i;
	struct chart c = { .kind = CHART_HBARS, .nseries = 1 };
	double *values = calloc((size_t)n + 1, sizeof(*values));

	if (!values)
		return pm_fail(err, "out of memory");
	for (i = 0; i < n; i++)
		values[i] = (double)cc->counts[i];
	c.series[0] = complaints ? tr(r, "投诉", "Complaints") : tr(r, "报修", "Repair tickets");
	c.ylabel = tr(r, "件数", "Count");
	c.whole = 1;
	c.ncats = n;
	c.cats = (const char *const *)cc->labels;
	c.values = values;
	c.height = 120 + 34 * (n < 4 ? 4 : n);
	if (n)
		place_chart(r, complaints ? "complaint-categories" : "repair-categories", &c,
			    complaints ? tr(r, "投诉类别（前十位）", "complaint categories (top 10)") :
			    tr(r, "报修类别（前十位）", "repair categories (top 10)"));
	free(values);
	return 0;
}

/* The top ten categories of the window: read, drawn, dropped. */
static int category_chart(struct report *r, enum category_log log, const char *from,
			  const char *to, pm_error *err)
{
	struct category_counts cc;
	int rc;

	if (category_counts_read(r, log, from, to, &cc, err) < 0)
		return -1;
	rc = chart_categories(r, &cc, err);
	category_counts_free(&cc);
	return rc;
}

int chart_repair_categories(struct report *r, const char *from, const char *to, pm_error *err)
{
	return category_chart(r, CATEGORY_TICKETS, from, to, err);
}

int chart_complaint_categories(struct report *r, const char *from, const char *to, pm_error *err)
{
	return category_chart(r, CATEGORY_COMPLAINTS, from, to, err);
}

/*
 * The trend's rules, in its columns' order, before the current collection
 * rate: found by their parts in the rules file (rules/results/results.h: roles).
 */
static const enum key_rule TREND_RULES[TREND_RULES_N] = {
	KEY_REPAIR_COVERAGE, KEY_COMPLAINT_COVERAGE, KEY_URGENT_ARRIVAL
};

/* The key rates of each month's own run, as its JSON summary has them. */
int trend_rows_from_runs(struct report *r, const sqlite3_int64 *runs, char (*months)[8], int n,
			 struct trend_row *rows, pm_error *err)
{
	int i, k;

	for (i = 0; i < n; i++) {
		struct trend_row *row = &rows[i];
		struct run_view v;
		double rate;
		char month[8];

		/* months may be the rows' own (the monthly report's last row) */
		memcpy(month, months[i], sizeof(month));
		memset(row, 0, sizeof(*row));
		memcpy(row->month, month, sizeof(row->month));
		if (load_run(r, runs[i], &v, err) < 0)
			return -1;
		for (k = 0; k < TREND_RULES_N; k++) {
			const struct rule_result *x = key_rule(r, &v, TREND_RULES[k]);

			row->has[k] = x && x->has_rate;
			row->rate[k] = row->has[k] ? x->rate : 0;
		}
		if (figure_real(r, runs[i], FIG_FEES_CURRENT_RATE, &rate) == 0) {
			row->has[TREND_RULES_N] = 1;
			row->rate[TREND_RULES_N] = rate;
		}
		/* the run's satisfaction.rate: null (no rated callback) is no rate */
		if (figure_real(r, runs[i], FIG_SATISFACTION_RATE, &rate) == 0) {
			row->has[TREND_SATISFACTION] = 1;
			row->rate[TREND_SATISFACTION] = rate;
		}
		free_run(&v);
	}
	return 0;
}

/*
 * The same rates of n months from first_month, each what the month's own
 * run (as of its end) would store, from the rules engine's one pass
 * (check_trend) instead of a run per month.
 */
int trend_rows_from_trend(struct report *r, const char *first_month, int n, struct trend_row *rows,
			  pm_error *err)
{
	return trend_rows_on(r->db, r->opts, first_month, n, rows, err);
}

int trend_rows_on(sqlite3 *db, const struct report_opts *o, const char *first_month, int n,
		  struct trend_row *rows, pm_error *err)
{
	struct check_trend t;

	if (trend_months_on(db, o, first_month, n, NULL, &t, err) < 0)
		return -1;
	trend_rows_of(&t, rows);
	check_trend_free(&t);
	return 0;
}

void trend_params_of(const struct report_opts *o, const char *first_month, int n,
		     const char *as_of, const char **ids, struct check_trend_params *p)
{
	int k;

	memset(p, 0, sizeof(*p));
	p->first_month = first_month;
	p->nmonths = n;
	p->rule_ids = ids;
	p->nrules = TREND_RULES_N;
	p->site = o->site;
	p->rules = o->rules;
	p->calendar = o->calendar;
	p->as_of = as_of;
	/* the command's rules and calendar: only read, by either thread */
	for (k = 0; k < TREND_RULES_N; k++)
		ids[k] = key_rule_id(o->rules, TREND_RULES[k]);
}

int trend_months_on(sqlite3 *db, const struct report_opts *o, const char *first_month, int n,
		    const char *as_of, struct check_trend *t, pm_error *err)
{
	const char *ids[TREND_RULES_N];
	struct check_trend_params p;

	trend_params_of(o, first_month, n, as_of, ids, &p);
	return check_trend(db, &p, t, err) ? -1 : 0;
}

void trend_rows_of(const struct check_trend *t, struct trend_row *rows)
{
	int i, k;

	for (i = 0; i < t->nmonths; i++) {
		const struct check_trend_month *m = &t->months[i];

		memset(&rows[i], 0, sizeof(rows[i]));
		memcpy(rows[i].month, m->month, sizeof(rows[i].month));
		for (k = 0; k < TREND_RULES_N; k++) {
			rows[i].has[k] = m->rules[k].evaluated && m->rules[k].has_rate;
			rows[i].rate[k] = rows[i].has[k] ? m->rules[k].rate : 0;
		}
		rows[i].has[TREND_RULES_N] = m->has_current_rate;
		rows[i].rate[TREND_RULES_N] = m->has_current_rate ? m->current_rate : 0;
		rows[i].has[TREND_SATISFACTION] = m->has_satisfaction_rate;
		rows[i].rate[TREND_SATISFACTION] = m->has_satisfaction_rate ? m->satisfaction_rate : 0;
	}
}

int trend_table_and_chart(struct report *r, const struct trend_row *rows, int n, pm_error *err)
{
	struct pdf_col cols[1 + TREND_COLS] = {
		{ tr(r, "月份", "Month"), 1.2, PDF_LEFT },
		{ tr(r, "维修回访率", "Repair callback coverage"), 1.5, PDF_RIGHT },
		{ tr(r, "投诉回访率", "Complaint callback coverage"), 1.5, PDF_RIGHT },
		{ tr(r, "紧急报修到场及时率", "Urgent arrival on time"), 1.5, PDF_RIGHT },
		{ tr(r, "当期收缴率", "Current collection rate"), 1.5, PDF_RIGHT },
		{ tr(r, "满意度", "Satisfaction"), 1.3, PDF_RIGHT }
	};
	/* the log each column reads: a month outside its coverage has no data */
	static const int column_log[TREND_COLS] = {
		DB_COVERAGE_TICKETS, DB_COVERAGE_COMPLAINTS, DB_COVERAGE_TICKETS,
		DB_COVERAGE_FEE_PAYMENTS, DB_COVERAGE_CALLBACKS
	};
	struct chart c = { .kind = CHART_LINES, .nseries = TREND_COLS, .percent = 1 };
	double *values = calloc((size_t)n * TREND_COLS + 1, sizeof(*values));
	const char **cats = calloc((size_t)n + 1, sizeof(*cats));
	int i, k, rc = -1;

	if (!values || !cats) {
		pm_fail(err, "out of memory");
		goto out;
	}
	/* a table of twelve months is read as one: it starts where it fits whole */
	pdf_need(r->pdf, 30 + n * 18.0);
	pdf_table_begin(r->pdf, cols, 1 + TREND_COLS);
	for (i = 0; i < n; i++) {
		char cell[TREND_COLS][32];
		const char *cells[1 + TREND_COLS];

		cats[i] = rows[i].month;
		cells[0] = rows[i].month;
		for (k = 0; k < TREND_COLS; k++) {
			int known = month_has_data(r, column_log[k], rows[i].month);

			fmt_rate(cell[k], sizeof(cell[k]), rows[i].has[k], rows[i].rate[k]);
			values[i * TREND_COLS + k] = known && rows[i].has[k] ? rows[i].rate[k] : NAN;
			cells[k + 1] = known ? cell[k] : no_data(r);
			/* callbacks without a rating give no satisfaction: 无数据, never 0 or "—" */
			if (k == TREND_SATISFACTION && !rows[i].has[k])
				cells[k + 1] = no_data(r);
		}
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
	for (k = 0; k < TREND_COLS; k++)
		c.series[k] = cols[k + 1].title;
	c.ylabel = tr(r, "比率", "Rate");
	c.ncats = n;
	c.cats = cats;
	c.values = values;
	place_chart(r, "trend", &c, r->yearly ?
		    tr(r, "逐月关键指标", "key rates month by month") :
		    tr(r, "近十二个月关键指标趋势", "key rates, last twelve months"));
	rc = 0;
out:
	free(values);
	free(cats);
	return rc;
}
