/*
 * The charts of the reports and the twelve-month trend. The numbers behind
 * a chart come from the same queries as the tables next to it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/sections.h"
#include "rules/engine/check.h"

void place_chart(struct report *r, const char *name, const struct chart *c,
		 const char *caption)
{
	char path[600];
	pm_error err;

	if (!chart_has_data(c)) {
		pdf_note(r->pdf, tr(r, "（本期没有可绘制的数据，未绘制此图。）",
				    "(No data to draw for this chart.)"));
		return;
	}
	chart_path(r, name, path, sizeof(path));
	if (chart_render(c, path, &err) < 0 || pdf_image(r->pdf, path, 1.0, caption, &err) < 0)
		pdf_note(r->pdf, err.msg);
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
static void read_window_series(struct report *r, sqlite3_stmt *st, const char *from,
			       const char *to, struct series_data *d)
{
	double v[3];
	int k;

	bind_text(st, 1, from);
	bind_text(st, 2, to);
	bind_text(st, 3, r->opts->site);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (k = 0; k < d->nseries; k++)
			v[k] = sqlite3_column_double(st, 1 + k);
		if (add_row(d, col_text(st, 0), v) < 0)
			break;
	}
	sqlite3_finalize(st);
}

void chart_daily_volumes(struct report *r, const char *from, const char *to)
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
		" FROM days", NULL);
	struct series_data d = { .nseries = 2 };
	struct chart c = { .kind = CHART_LINES, .nseries = 2 };

	if (!st)
		return;
	read_window_series(r, st, from, to, &d);
	c.series[0] = tr(r, "报修", "Repair tickets");
	c.series[1] = tr(r, "投诉", "Complaints");
	c.ylabel = tr(r, "件数", "Count");
	c.ncats = d.n;
	c.cats = (const char *const *)d.labels;
	c.values = d.values;
	c.label_every = d.n > 40 ? 14 : d.n > 16 ? 3 : 1;
	if (d.n)
		place_chart(r, "daily", &c, tr(r, "图 每日报修与投诉量", "Figure: tickets and complaints per day"));
	free_series(&d);
}

/*
 * Three families per site: callbacks on time (T-CB-* deadline rules),
 * arrival (other T-* deadline rules), complaints (C-* deadline rules),
 * each met / (met + breached) over the family's records.
 */
void chart_compliance_by_site(struct report *r, const struct run_view *cur)
{
	sqlite3_stmt *st = prepare(r,
		"SELECT sr.site,"
		"  CASE WHEN sr.rule_id LIKE 'T-CB-%' THEN 0 WHEN sr.rule_id LIKE 'T-%' THEN 1 ELSE 2 END,"
		"  SUM(sr.met), SUM(sr.met + sr.breached)"
		" FROM check_site_results sr JOIN check_rule_results rr"
		"  ON rr.run_id = sr.run_id AND rr.rule_id = sr.rule_id AND rr.rule_kind = 'deadline'"
		" WHERE sr.run_id = ? AND (sr.rule_id LIKE 'T-%' OR sr.rule_id LIKE 'C-%')"
		" GROUP BY 1, 2 ORDER BY 1, 2", NULL);
	struct series_data d = { .nseries = 3 };
	struct chart c = { .kind = CHART_BARS, .nseries = 3, .percent = 1, .has_target = 1,
			   .target = 1.0 };
	double row[3] = { NAN, NAN, NAN };
	char site[128] = "";
	int have = 0;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, cur->run_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int family = sqlite3_column_int(st, 1);
		double met = sqlite3_column_double(st, 2), den = sqlite3_column_double(st, 3);

		if (have && strcmp(site, col_text(st, 0))) {
			add_row(&d, site, row);
			row[0] = row[1] = row[2] = NAN;
		}
		snprintf(site, sizeof(site), "%s", col_text(st, 0));
		have = 1;
		row[family] = den > 0 ? met / den : NAN;
	}
	if (have)
		add_row(&d, site, row);
	sqlite3_finalize(st);
	c.series[0] = tr(r, "报修回访及时率", "Callbacks on time");
	c.series[1] = tr(r, "紧急报修到场及时率", "Arrival on time");
	c.series[2] = tr(r, "投诉处理及时率", "Complaints on time");
	c.target_label = tr(r, "目标 100%", "target 100%");
	c.ylabel = tr(r, "及时率", "Rate");
	c.ncats = d.n;
	c.cats = (const char *const *)d.labels;
	c.values = d.values;
	if (d.n)
		place_chart(r, "by-site", &c, tr(r, "图 各项目时限规则达标率（虚线为目标）",
						 "Figure: deadline rules met by site (dashed: target)"));
	free_series(&d);
}

static void category_chart(struct report *r, const char *sql, const char *from, const char *to,
			   const char *name, const char *series, const char *caption)
{
	sqlite3_stmt *st = prepare(r, sql, NULL);
	struct series_data d = { .nseries = 1 };
	struct chart c = { .kind = CHART_HBARS, .nseries = 1 };

	if (!st)
		return;
	read_window_series(r, st, from, to, &d);
	c.series[0] = series;
	c.ylabel = tr(r, "件数", "Count");
	c.ncats = d.n;
	c.cats = (const char *const *)d.labels;
	c.values = d.values;
	c.height = 120 + 34 * (d.n < 4 ? 4 : d.n);
	if (d.n)
		place_chart(r, name, &c, caption);
	free_series(&d);
}

void chart_repair_categories(struct report *r, const char *from, const char *to)
{
	category_chart(r,
		"SELECT category, COUNT(*) FROM tickets WHERE reported_at >= ?1 AND reported_at < ?2"
		" AND (?3 IS NULL OR site = ?3) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
		from, to, "repair-categories", tr(r, "报修", "Repair tickets"),
		tr(r, "图 报修类别（前十位）", "Figure: repair categories (top 10)"));
}

void chart_complaint_categories(struct report *r, const char *from, const char *to)
{
	category_chart(r,
		"SELECT COALESCE(NULLIF(category, ''), '—'), COUNT(*) FROM complaints"
		" WHERE received_at >= ?1 AND received_at < ?2"
		" AND (?3 IS NULL OR site = ?3) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
		from, to, "complaint-categories", tr(r, "投诉", "Complaints"),
		tr(r, "图 投诉类别（前十位）", "Figure: complaint categories (top 10)"));
}

/* The trend's rules, in its columns' order, before the current collection rate. */
static const char *const TREND_RULES[TREND_RULES_N] = { "T-CB-COVERAGE", "C-CB-COVERAGE", "T-ARRIVE" };

/* The key rates of each month's own run, as its JSON summary has them; the rows read. */
int trend_rows_from_runs(struct report *r, const sqlite3_int64 *runs, char (*months)[8], int n,
			 struct trend_row *rows)
{
	int i, k;

	for (i = 0; i < n; i++) {
		struct trend_row *row = &rows[i];
		struct run_view v;
		pm_error err;
		double rate;
		char month[8];

		/* months may be the rows' own (the monthly report's last row) */
		memcpy(month, months[i], sizeof(month));
		memset(row, 0, sizeof(*row));
		memcpy(row->month, month, sizeof(row->month));
		if (load_run(r, runs[i], &v, &err) < 0)
			break;
		for (k = 0; k < TREND_RULES_N; k++) {
			const struct rule_result *x = find_rule(&v, TREND_RULES[k]);

			row->has[k] = x && x->has_rate;
			row->rate[k] = row->has[k] ? x->rate : 0;
		}
		if (figure_real(r, runs[i], "fees.current_rate", &rate) == 0) {
			row->has[TREND_RULES_N] = 1;
			row->rate[TREND_RULES_N] = rate;
		}
		free_run(&v);
	}
	return i;
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
	struct check_trend_params p = {
		.first_month = first_month, .nmonths = n, .rule_ids = TREND_RULES,
		.nrules = TREND_RULES_N, .site = o->site, .rules_file = o->rules_file,
		.calendar_file = o->calendar_file,
	};
	struct check_trend t;
	int i, k;

	if (check_trend(db, &p, &t, err))
		return -1;
	for (i = 0; i < n; i++) {
		const struct check_trend_month *m = &t.months[i];

		memset(&rows[i], 0, sizeof(rows[i]));
		memcpy(rows[i].month, m->month, sizeof(rows[i].month));
		for (k = 0; k < TREND_RULES_N; k++) {
			rows[i].has[k] = m->rules[k].evaluated && m->rules[k].has_rate;
			rows[i].rate[k] = rows[i].has[k] ? m->rules[k].rate : 0;
		}
		rows[i].has[TREND_RULES_N] = m->has_current_rate;
		rows[i].rate[TREND_RULES_N] = m->has_current_rate ? m->current_rate : 0;
	}
	check_trend_free(&t);
	return 0;
}

void trend_table_and_chart(struct report *r, const struct trend_row *rows, int n)
{
	struct pdf_col cols[5] = {
		{ tr(r, "月份", "Month"), 1.3, PDF_LEFT },
		{ tr(r, "维修回访率", "Repair callback coverage"), 1.5, PDF_RIGHT },
		{ tr(r, "投诉回访率", "Complaint callback coverage"), 1.5, PDF_RIGHT },
		{ tr(r, "紧急报修到场及时率", "Urgent arrival on time"), 1.5, PDF_RIGHT },
		{ tr(r, "当期收缴率", "Current collection rate"), 1.5, PDF_RIGHT }
	};
	struct chart c = { .kind = CHART_LINES, .nseries = 4, .percent = 1 };
	double *values = calloc((size_t)n * 4 + 1, sizeof(*values));
	const char **cats = calloc((size_t)n + 1, sizeof(*cats));
	int i, k;

	if (!values || !cats)
		goto out;
	pdf_table_begin(r->pdf, cols, 5);
	for (i = 0; i < n; i++) {
		char cell[4][32];
		const char *cells[5];

		cats[i] = rows[i].month;
		cells[0] = rows[i].month;
		for (k = 0; k < 4; k++) {
			fmt_rate(cell[k], sizeof(cell[k]), rows[i].has[k], rows[i].rate[k]);
			values[i * 4 + k] = rows[i].has[k] ? rows[i].rate[k] : NAN;
			cells[k + 1] = cell[k];
		}
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
	for (k = 0; k < 4; k++)
		c.series[k] = cols[k + 1].title;
	c.ylabel = tr(r, "比率", "Rate");
	c.ncats = n;
	c.cats = cats;
	c.values = values;
	place_chart(r, "trend", &c, r->yearly ?
		    tr(r, "图 逐月关键指标", "Figure: key rates month by month") :
		    tr(r, "图 近十二个月关键指标趋势", "Figure: key rates, last twelve months"));
out:
	free(values);
	free(cats);
}
