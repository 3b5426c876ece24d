/*
 * The audit content of issue 14 that is not a rule: 满意度 (satisfaction)
 * per site and per month, the site ranking per rule group, and the open
 * backlog by age. Every figure is the run's stored one (satisfaction.*,
 * backlog.* and check_site_results, read through rules/results/results.h):
 * the JSON summary of the same run holds the same numbers
 * (docs/rules.md "Satisfaction", "Open backlog"; docs/reports.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "reports/sections.h"
#include "rules/engine/check.h"

/* A table of many sites lists this many, then one row of the others. */
#define AUDIT_SITE_ROWS 20

/* ---- 满意度 ---- */

/* A site's (or all's) satisfaction cells: 满意, 基本满意, 不满意, 未评价, 满意度. */
static void sat_cells(struct report *r, const int *has, const long long *iv, const double *rv,
		      char (*buf)[32], const char **cells)
{
	int k;

	for (k = 0; k < RESULTS_SATISFACTION_FIGS - 1; k++) {
		fmt_count(buf[k], sizeof(buf[k]), iv[k]);
		cells[k] = has[k] ? buf[k] : no_data(r);
	}
	fmt_rate(buf[k], sizeof(buf[k]), 1, rv[k]);
	/* no rated callback: no rate, 无数据 (never 0%) */
	cells[k] = has[k] ? buf[k] : no_data(r);
}

static long long sat_rated(const struct results_site_figs *x)
{
	return x->ivalue[0] + x->ivalue[1] + x->ivalue[2];
}

/* Most rated callbacks first, then by name: the sites a table of many keeps. */
static int by_rated(const void *a, const void *b)
{
	const struct results_site_figs *x = a, *y = b;
	long long nx = sat_rated(x), ny = sat_rated(y);

	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(x->site, y->site);
}

static int by_site(const void *a, const void *b)
{
	return strcmp(((const struct results_site_figs *)a)->site,
		      ((const struct results_site_figs *)b)->site);
}

/* The run's satisfaction figures: has, iv, rv of RESULTS_SATISFACTION_FIGS. */
static void run_sat(const struct results_run *run, int *has, long long *iv, double *rv)
{
	int k;

	for (k = 0; k < RESULTS_SATISFACTION_FIGS; k++) {
		iv[k] = 0;
		rv[k] = 0;
		has[k] = k == RESULTS_SATISFACTION_FIGS - 1 ?
			 !results_figure_real(run, FIG_SATISFACTION_SATISFIED + k, &rv[k]) :
			 !results_figure_int(run, FIG_SATISFACTION_SATISFIED + k, &iv[k]);
	}
}

static void sat_sentence(struct report *r, const struct results_run *cur,
			 const struct results_run *prev)
{
	int has[RESULTS_SATISFACTION_FIGS], phas[RESULTS_SATISFACTION_FIGS];
	long long iv[RESULTS_SATISFACTION_FIGS], piv[RESULTS_SATISFACTION_FIGS];
	double rv[RESULTS_SATISFACTION_FIGS], prv[RESULTS_SATISFACTION_FIGS];
	char rate[32], prate[32], text[600];
	const int R = RESULTS_SATISFACTION_FIGS - 1;

	run_sat(cur, has, iv, rv);
	fmt_rate(rate, sizeof(rate), 1, rv[R]);
	if (prev)
		run_sat(prev, phas, piv, prv);
	if (prev && phas[R])
		fmt_rate(prate, sizeof(prate), 1, prv[R]);
	else
		snprintf(prate, sizeof(prate), "%s", no_data(r));
	snprintf(text, sizeof(text), tr(r,
		"本期回访 %lld 次，其中有满意度评价 %lld 次：满意 %lld 次、基本满意 %lld 次、"
		"不满意 %lld 次，满意度 %s（%s %s）。",
		"Of %lld callbacks in the period %lld carry a rating: %lld satisfied, %lld "
		"basically satisfied, %lld dissatisfied; satisfaction %s (%s %s)."),
		 iv[0] + iv[1] + iv[2] + iv[3], iv[0] + iv[1] + iv[2], iv[0], iv[1], iv[2],
		 has[R] ? rate : no_data(r),
		 r->yearly ? tr(r, "上年", "last year") : tr(r, "上月", "last month"), prate);
	pdf_paragraph(r->pdf, text);
	pdf_note(r->pdf, tr(r,
		"满意度 =（满意 + 基本满意）/ 有评价的回访；每次回访计一次，回访结果为空或不是"
		"满意、基本满意、不满意的计为未评价，不计入比率；没有评价时为无数据。",
		"Satisfaction = (satisfied + basically satisfied) / rated callbacks; every "
		"callback counts once; one without one of the three results is unrated and in "
		"no rate; with no rated callback there is no rate (no data)."));
}

int satisfaction_section(struct report *r, const struct run_view *cur, const struct run_view *prev,
			 const char *title, pm_error *err)
{
	struct pdf_col cols[6] = {
		{ tr(r, "项目", "Site"), 3, PDF_LEFT }, { tr(r, "满意", "Satisfied"), 1.2, PDF_RIGHT },
		{ tr(r, "基本满意", "Basically"), 1.2, PDF_RIGHT },
		{ tr(r, "不满意", "Dissatisfied"), 1.3, PDF_RIGHT },
		{ tr(r, "未评价", "Unrated"), 1.1, PDF_RIGHT },
		{ tr(r, "满意度", "Satisfaction"), 1.3, PDF_RIGHT }
	};
	struct results_site_figs *sites;
	int nsites, shown, i, k, has[RESULTS_SATISFACTION_FIGS];
	long long iv[RESULTS_SATISFACTION_FIGS];
	double rv[RESULTS_SATISFACTION_FIGS];
	char buf[RESULTS_SATISFACTION_FIGS][32], name[96];
	const char *cells[6];

	pdf_section(r->pdf, title);
	sat_sentence(r, cur->results, prev ? prev->results : NULL);
	if (results_site_figures(cur->results, FIG_SATISFACTION_SATISFIED, RESULTS_SATISFACTION_FIGS,
				 &sites, &nsites, err) < 0)
		return -1;
	if (!nsites) {
		results_site_figures_free(sites, nsites);
		return 0;
	}
	pdf_subsection(r->pdf, tr(r, "各项目满意度", "Satisfaction by site"));
	shown = nsites;
	if (nsites > AUDIT_SITE_ROWS + 1) {
		/* the sites with most rated callbacks, then by name; the rest in one row */
		qsort(sites, (size_t)nsites, sizeof(*sites), by_rated);
		shown = AUDIT_SITE_ROWS;
		qsort(sites, (size_t)shown, sizeof(*sites), by_site);
	}
	pdf_table_begin(r->pdf, cols, 6);
	for (i = 0; i < shown; i++) {
		cells[0] = sites[i].site;
		sat_cells(r, sites[i].has, sites[i].ivalue, sites[i].rvalue, buf, cells + 1);
		pdf_table_row(r->pdf, cells);
	}
	if (shown < nsites) {
		long long other[RESULTS_SATISFACTION_FIGS] = { 0 };
		int ohas[RESULTS_SATISFACTION_FIGS] = { 1, 1, 1, 1, 0 };
		double orv[RESULTS_SATISFACTION_FIGS] = { 0 };

		for (i = shown; i < nsites; i++)
			for (k = 0; k < RESULTS_SATISFACTION_FIGS - 1; k++)
				other[k] += sites[i].ivalue[k];
		ohas[4] = results_rate(other[0] + other[1], other[0] + other[1] + other[2], 0,
				       &orv[4], NULL);
		snprintf(name, sizeof(name), tr(r, "其他 %d 个项目", "%d other sites"), nsites - shown);
		cells[0] = name;
		sat_cells(r, ohas, other, orv, buf, cells + 1);
		pdf_table_row(r->pdf, cells);
	}
	run_sat(cur->results, has, iv, rv);
	cells[0] = tr(r, "合计", "Total");
	sat_cells(r, has, iv, rv, buf, cells + 1);
	pdf_table_row(r->pdf, cells);
	pdf_table_end(r->pdf);
	results_site_figures_free(sites, nsites);
	return 0;
}

/* One month of the trend's satisfaction.* as run_sat() reads a run's (a run stores every count). */
static void trend_sat(const struct check_trend_month *m, int *has, long long *iv, double *rv)
{
	int k;

	for (k = 0; k < RESULTS_SATISFACTION_FIGS - 1; k++) {
		has[k] = 1;
		iv[k] = m->satisfaction[k];
		rv[k] = 0;
	}
	has[k] = m->has_satisfaction_rate;
	iv[k] = 0;
	rv[k] = m->has_satisfaction_rate ? m->satisfaction_rate : 0;
}

int satisfaction_by_month(struct report *r, const struct check_trend *t,
			  const struct run_view *total, pm_error *err)
{
	struct pdf_col cols[6] = {
		{ tr(r, "月份", "Month"), 2, PDF_LEFT }, { tr(r, "满意", "Satisfied"), 1.2, PDF_RIGHT },
		{ tr(r, "基本满意", "Basically"), 1.2, PDF_RIGHT },
		{ tr(r, "不满意", "Dissatisfied"), 1.3, PDF_RIGHT },
		{ tr(r, "未评价", "Unrated"), 1.1, PDF_RIGHT },
		{ tr(r, "满意度", "Satisfaction"), 1.3, PDF_RIGHT }
	};
	int i, k, has[RESULTS_SATISFACTION_FIGS];
	long long iv[RESULTS_SATISFACTION_FIGS];
	double rv[RESULTS_SATISFACTION_FIGS];
	char buf[RESULTS_SATISFACTION_FIGS][32];
	const char *cells[6];

	pdf_subsection(r->pdf, tr(r, "逐月满意度", "Satisfaction month by month"));
	pdf_table_begin(r->pdf, cols, 6);
	(void)err;
	for (i = 0; i < t->nmonths; i++) {
		trend_sat(&t->months[i], has, iv, rv);
		/* a month outside the callbacks' coverage has no data, not 0 */
		if (!month_has_data(r, DB_COVERAGE_CALLBACKS, t->months[i].month))
			for (k = 0; k < RESULTS_SATISFACTION_FIGS; k++)
				has[k] = 0;
		cells[0] = t->months[i].month;
		sat_cells(r, has, iv, rv, buf, cells + 1);
		pdf_table_row(r->pdf, cells);
	}
	if (total) {
		run_sat(total->results, has, iv, rv);
		cells[0] = tr(r, "全年", "The year");
		sat_cells(r, has, iv, rv, buf, cells + 1);
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
	return 0;
}

/* ---- the site ranking per rule group (rules/results/ranking.c) ---- */

static void rank_print_row(struct report *r, const struct rank_row *x)
{
	char rank[16], met[32], breached[32], rate[32];
	const char *cells[5];
	double share = 0;
	int has = ranking_rate(x, &share);

	snprintf(rank, sizeof(rank), "%d", x->rank);
	fmt_count(met, sizeof(met), x->met);
	fmt_count(breached, sizeof(breached), x->breached);
	fmt_rate(rate, sizeof(rate), has, share);
	cells[0] = rank;
	cells[1] = x->site;
	cells[2] = met;
	cells[3] = breached;
	cells[4] = rate;
	pdf_table_row(r->pdf, cells);
}

/* One group's table: all sites, or the best and the worst RANK_SHOWN / 2. */
static void rank_group(struct report *r, const struct ranking *k, enum rank_group g)
{
	struct pdf_col cols[5] = {
		{ tr(r, "名次", "Rank"), 0.8, PDF_RIGHT }, { tr(r, "项目", "Site"), 3, PDF_LEFT },
		{ tr(r, "达标", "Met"), 1.1, PDF_RIGHT }, { tr(r, "未达标", "Missed"), 1.1, PDF_RIGHT },
		{ tr(r, "达标率", "Rate"), 1.2, PDF_RIGHT }
	};
	const struct rank_row *rows = k->rows[g];
	int i, m = k->n[g];
	char text[200];

	if (!m)
		return;
	pdf_subsection(r->pdf, ranking_group_title(g, r->english));
	pdf_table_begin(r->pdf, cols, 5);
	for (i = 0; i < m; i++) {
		if (!ranking_shown(m, i)) {
			const char *cells[5] = { "", text, "", "", "" };

			snprintf(text, sizeof(text), tr(r, "……（中间 %d 个项目）", "... (%d sites between)"),
				 m - RANK_SHOWN);
			pdf_table_row(r->pdf, cells);
			while (!ranking_shown(m, i))
				i++;
		}
		rank_print_row(r, &rows[i]);
	}
	pdf_table_end(r->pdf);
	if (rows[0].rank == rows[m - 1].rank)
		snprintf(text, sizeof(text), tr(r, "共 %d 个项目参与排名，达标率相同。",
						 "%d sites ranked, all at the same rate."), m);
	else
		snprintf(text, sizeof(text), tr(r, "共 %d 个项目参与排名；最好：%s，最差：%s。",
						 "%d sites ranked; best: %s, worst: %s."),
			 m, rows[0].site, rows[m - 1].site);
	pdf_note(r->pdf, text);
}

int ranking_section(struct report *r, const struct run_view *cur, const char *title, pm_error *err)
{
	struct ranking k;
	int g;

	if (results_ranking(cur->results, r->rules, &k, err) < 0)
		return -1;
	pdf_section(r->pdf, title);
	pdf_paragraph(r->pdf, tr(r,
		"按规则组排列各项目：达标率 = 该组各规则的达标 /（达标 + 未达标）之和，"
		"覆盖率规则的达标为已回访；达标率相同的项目名次相同，按考核记录数、项目名排列。",
		"Sites ranked per rule group: rate = the group's rules' met / (met + missed), "
		"summed (a coverage rule's met: called back); equal rates share a rank, ordered "
		"by records judged, then by name."));
	for (g = 0; g < RANK_GROUPS; g++)
		rank_group(r, &k, g);
	results_ranking_free(&k);
	return 0;
}

/* ---- the open backlog ---- */

static long long backlog_open(const long long *v)
{
	long long n = 0;
	int k;

	for (k = 0; k < RESULTS_BACKLOG_BUCKETS; k++)
		n += v[k];
	return n;
}

/* Most open first, then by name; log 0: tickets, 1: complaints. */
static int backlog_order(const void *a, const void *b, int log)
{
	const struct results_site_figs *x = a, *y = b;
	long long nx = backlog_open(x->ivalue + log * RESULTS_BACKLOG_FIGS);
	long long ny = backlog_open(y->ivalue + log * RESULTS_BACKLOG_FIGS);

	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(x->site, y->site);
}

static int by_open_tickets(const void *a, const void *b)
{
	return backlog_order(a, b, 0);
}

static int by_open_complaints(const void *a, const void *b)
{
	return backlog_order(a, b, 1);
}

static void backlog_row(struct report *r, const char *name, const long long *v)
{
	char buf[RESULTS_BACKLOG_FIGS + 1][32];
	const char *cells[RESULTS_BACKLOG_FIGS + 2];
	int k;

	cells[0] = name;
	for (k = 0; k < RESULTS_BACKLOG_BUCKETS; k++) {
		fmt_count(buf[k], sizeof(buf[k]), v[k]);
		cells[1 + k] = buf[k];
	}
	fmt_count(buf[k], sizeof(buf[k]), backlog_open(v));
	cells[1 + k] = buf[k];
	fmt_count(buf[k + 1], sizeof(buf[k + 1]), v[RESULTS_BACKLOG_FIGS - 1]);
	cells[2 + k] = buf[k + 1];
	pdf_table_row(r->pdf, cells);
}

static void backlog_table(struct report *r, const struct results_run *run,
			  struct results_site_figs *sites, int nsites, int log)
{
	struct pdf_col cols[7] = {
		{ tr(r, "项目", "Site"), 3, PDF_LEFT }, { tr(r, "≤2天", "≤ 2 days"), 1, PDF_RIGHT },
		{ tr(r, "3–7天", "3–7 days"), 1, PDF_RIGHT }, { tr(r, "8–30天", "8–30 days"), 1, PDF_RIGHT },
		{ tr(r, "30天以上", "> 30 days"), 1.1, PDF_RIGHT }, { tr(r, "合计", "Open"), 1, PDF_RIGHT },
		{ tr(r, "无法判定", "Unknown"), 1.1, PDF_RIGHT }
	};
	enum results_figure first = log ? FIG_BACKLOG_COMPLAINTS_0_2 : FIG_BACKLOG_TICKETS_0_2;
	long long all[RESULTS_BACKLOG_FIGS] = { 0 }, other[RESULTS_BACKLOG_FIGS] = { 0 };
	int i, k, m = 0, others = 0;
	char name[96];

	/* the sites with something open or unknown, most open first (then by name); no sites: NULL */
	if (nsites > 1)
		qsort(sites, (size_t)nsites, sizeof(*sites), log ? by_open_complaints : by_open_tickets);
	for (k = 0; k < RESULTS_BACKLOG_FIGS; k++)
		results_figure_int(run, first + k, &all[k]);
	pdf_subsection(r->pdf, log ? tr(r, "未办结投诉（有效投诉）", "Open complaints (valid)") :
				     tr(r, "未完工报修", "Open repair tickets"));
	pdf_table_begin(r->pdf, cols, 7);
	for (i = 0; i < nsites; i++) {
		const long long *v = sites[i].ivalue + log * RESULTS_BACKLOG_FIGS;

		if (!backlog_open(v) && !v[RESULTS_BACKLOG_FIGS - 1])
			continue;
		if (m++ < AUDIT_SITE_ROWS) {
			backlog_row(r, sites[i].site, v);
			continue;
		}
		others++;
		for (k = 0; k < RESULTS_BACKLOG_FIGS; k++)
			other[k] += v[k];
	}
	if (others) {
		snprintf(name, sizeof(name), tr(r, "其他 %d 个项目", "%d other sites"), others);
		backlog_row(r, name, other);
	}
	backlog_row(r, tr(r, "合计", "Total"), all);
	pdf_table_end(r->pdf);
}

int backlog_section(struct report *r, const struct run_view *cur, const char *title, pm_error *err)
{
	struct results_site_figs *sites;
	long long t[RESULTS_BACKLOG_FIGS] = { 0 }, c[RESULTS_BACKLOG_FIGS] = { 0 };
	int nsites, k;
	char text[600], nt[32], nc[32], old[32];

	if (results_site_figures(cur->results, FIG_BACKLOG_TICKETS_0_2, 2 * RESULTS_BACKLOG_FIGS,
				 &sites, &nsites, err) < 0)
		return -1;
	for (k = 0; k < RESULTS_BACKLOG_FIGS; k++) {
		results_figure_int(cur->results, FIG_BACKLOG_TICKETS_0_2 + k, &t[k]);
		results_figure_int(cur->results, FIG_BACKLOG_COMPLAINTS_0_2 + k, &c[k]);
	}
	pdf_section(r->pdf, title);
	fmt_count(nt, sizeof(nt), backlog_open(t));
	fmt_count(nc, sizeof(nc), backlog_open(c));
	fmt_count(old, sizeof(old), t[RESULTS_BACKLOG_BUCKETS - 1] + c[RESULTS_BACKLOG_BUCKETS - 1]);
	snprintf(text, sizeof(text), tr(r,
		"截至 %s，未完工的报修 %s 单、未解决的有效投诉 %s 宗，其中超过 30 天的 %s 件。",
		"As of %s, %s repair tickets are not completed and %s valid complaints not "
		"resolved; %s of them for more than 30 days."),
		 cur->results->as_of, nt, nc, old);
	pdf_paragraph(r->pdf, text);
	pdf_note(r->pdf, tr(r,
		"未办结：截止时间前受理（报修时间、投诉时间），截止时间前没有完工（解决）时间的"
		"记录，不论受理于哪个月；账龄 = 截止时间减去受理时间，按 24 小时计天：≤2 天、"
		"3–7 天、8–30 天、30 天以上。导入文件没有完工（解决）时间一栏的记录无法判定，不计入未办结。",
		"Open: received (reported_at, received_at) by the as-of time and not completed "
		"(resolved) by it, whatever month it began in; age = as-of time minus received, in "
		"days of 24 hours: up to 2, 3–7, 8–30, over 30. A record whose files had no "
		"completion column cannot be judged and is not counted open."));
	backlog_table(r, cur->results, sites, nsites, 0);
	backlog_table(r, cur->results, sites, nsites, 1);
	results_site_figures_free(sites, nsites);
	return 0;
}
