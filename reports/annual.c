/*
 * The year-end summary (年度工作总结), in the manner of seed 004: totals
 * and plain sentences ("全年共处理业主报修 N 例，主要集中在…"), month by
 * month tables and charts, the main repair and complaint categories, and the
 * change against the previous year when the database holds it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/annual_runs.h"
#include "reports/report.h"
#include "util/period.h"
#include "reports/sections.h"
#include "rules/engine/check.h"

struct annual {
	struct report r;
	char year[8], from[20], to[20], as_of[20];
	struct run_view cur, prev;
	int has_prev;
	/* the twelve months' figures, from the rules engine's one pass (check_trend) */
	struct check_trend trend;
	/*
	 * The executive summary's comparison when the previous year has no rate
	 * to compare with: the year's first and last quarter with data (qfirst
	 * and qlast are 0 when there are not two).
	 */
	struct run_view qruns[2];
	int qfirst, qlast;
	char months[12][8];
	/* the year's repair and complaint categories: a sentence, a table, a chart each */
	struct category_counts cats[2];
	/* every site's fee figures, read beside the year's run (r.site_fees; NULL: not read) */
	struct check_site_fees *site_fees;
	int nsite_fees;
};

static int year_window(const char *year, char *from, char *to, pm_error *err)
{
	struct period p;

	if (period_year(year ? year : "", &p, err) < 0)
		return -1;
	memcpy(from, p.from, sizeof(p.from));
	memcpy(to, p.to, sizeof(p.to));
	return 0;
}

static long long fig(struct annual *a, sqlite3_int64 run, enum results_figure key)
{
	long long v = 0;

	figure_int(&a->r, run, key, &v);
	return v;
}

/* The previous year counts only when it has records: else no comparison. */
static int year_has_data(struct annual *a, sqlite3_int64 run)
{
	return fig(a, run, FIG_VOLUMES_TICKETS) + fig(a, run, FIG_VOLUMES_COMPLAINTS) +
	       fig(a, run, FIG_FEES_DUE) > 0;
}

/*
 * The year's run, the previous year's and the twelve months' figures
 * (reports/annual_runs.c: the last two on the second core), and the
 * year's repair and complaint categories on whichever core is free first. The months come
 * from one pass over the year's records and ledger (check_trend()), each
 * as its own figures-only run would give it -- as of its end, or of the
 * report's as-of time for a month ending after it -- instead of a run per
 * month (volumes, fees, satisfaction and the trend's rates are all that is
 * printed of a month).
 */
static int run_all(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;
	struct annual_runs ar;
	char pfrom[20], first[8];
	/* the first year of the calendar has none before it to compare with */
	int year_before = atoi(a->year) - 1 >= PERIOD_YEAR_MIN;
	int i;

	/* the year before: [its first instant, this year's) */
	snprintf(pfrom, sizeof(pfrom), "%04u-01-01 00:00:00", (unsigned)(atoi(a->year) - 1) % 10000);
	snprintf(first, sizeof(first), "%.4s-01", a->year);
	if (annual_runs_start(&ar, r, a->from, a->to, a->as_of, year_before ? pfrom : NULL, first,
			      &a->trend, a->cats, err) < 0)
		return -1;
	if (annual_runs_finish(&ar, err) < 0)
		return -1;
	a->site_fees = ar.site_fees;
	a->nsite_fees = ar.nsite_fees;
	if (load_run(r, ar.cur_run, &a->cur, err) < 0)
		return -1;
	for (i = 0; i < 12; i++)
		memcpy(a->months[i], a->trend.months[i].month, sizeof(a->months[i]));
	if (!year_before)
		return 0;
	/* read only for its rule results and figures: a figures-only run */
	if (load_run(r, ar.prev_run, &a->prev, err) < 0)
		return -1;
	a->has_prev = year_has_data(a, ar.prev_run);
	return 0;
}

/* Whether the quarter [from, to) holds tickets or complaints, which the rules judge. */
static int quarter_has_data(struct annual *a, const char *from, const char *to)
{
	return has_data(&a->r, DB_COVERAGE_TICKETS, from, to) ||
	       has_data(&a->r, DB_COVERAGE_COMPLAINTS, from, to);
}

/*
 * The executive summary compares the year's rates with the previous
 * year's when some rule has a rate in both; else (decided, docs/reports.md)
 * the year's last quarter with data with its first: two more figures-only
 * runs, the last quarter judged as of the report's as-of time if it ends
 * after it. A year with data in one quarter only compares nothing.
 */
static int quarter_runs(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;
	int q, k;

	if (exec_comparable(&a->prev, &a->cur) > 0)
		return 0;
	for (q = 1; q <= 4; q++) {
		/* room for any year text and int: no truncation the compiler must assume */
		char label[32], from[20], to[20];

		snprintf(label, sizeof(label), "%sQ%d", a->year, q);
		if (quarter_window(label, from, to, err) < 0)
			return -1;
		if (strcmp(from, a->as_of) >= 0)
			break;
		if (quarter_has_data(a, from, to)) {
			if (!a->qfirst)
				a->qfirst = q;
			a->qlast = q;
		}
	}
	if (a->qfirst == a->qlast) {
		a->qfirst = a->qlast = 0;
		return 0;
	}
	for (k = 0; k < 2; k++) {
		char label[16], from[20], to[20];
		sqlite3_int64 run;

		snprintf(label, sizeof(label), "%sQ%d", a->year, k ? a->qlast : a->qfirst);
		if (quarter_window(label, from, to, err) < 0 ||
		    run_figures(r, from, to, strcmp(to, a->as_of) > 0 ? a->as_of : NULL,
				r->opts->site, &run, err) < 0 ||
		    load_run(r, run, &a->qruns[k], err) < 0)
			return -1;
	}
	return 0;
}

static int exec_page(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;
	struct exec_changes ch = {
		a->has_prev ? &a->prev : NULL, &a->cur,
		tr(r, "较上年变化最大的规则：", "Largest changes against the previous year:")
	};
	char heading[200];

	if (quarter_runs(a, err) < 0)
		return -1;
	if (a->qfirst) {
		ch.before = &a->qruns[0];
		ch.after = &a->qruns[1];
		snprintf(heading, sizeof(heading), r->english ?
			 "Largest changes from Q%d to Q%d (the previous year has no rates to "
			 "compare with):" :
			 "第%d季度较第%d季度变化最大的规则（上一年度没有可比的达标率）：",
			 r->english ? a->qfirst : a->qlast, r->english ? a->qlast : a->qfirst);
		ch.heading = heading;
	}
	return executive_summary(r, &a->cur, &ch, err);
}

/*
 * The key rates month by month, from the month runs made anyway for their
 * volumes and fee sums.
 */
static int monthly_rates(struct annual *a, pm_error *err)
{
	struct trend_row rows[12];

	trend_rows_of(&a->trend, rows);
	return trend_table_and_chart(&a->r, rows, 12, err);
}

/* "A（12 例）、B（9 例）、C（5 例）": the first k of the year's categories. */
static void top_categories(struct annual *a, const struct category_counts *cc, int k, char *out,
			   size_t n)
{
	size_t used = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < cc->n && i < k; i++) {
		char cnt[32];

		fmt_count(cnt, sizeof(cnt), cc->counts[i]);
		if (text_append(out, n, &used, a->r.english ? "%s%s (%s)" : "%s%s（%s 例）",
				i ? (a->r.english ? ", " : "、") : "", cc->labels[i], cnt) < 0)
			break;
	}
}

static void change_phrase(struct annual *a, enum results_figure key, const char *unit, char *out,
			  size_t n)
{
	long long before = fig(a, a->prev.run_id, key);
	long long d = fig(a, a->cur.run_id, key) - before;
	char cnt[32];

	out[0] = '\0';
	/* A year with none of these records is missing data, not a low year. */
	if (!a->has_prev || before == 0)
		return;
	fmt_count(cnt, sizeof(cnt), d < 0 ? -d : d);
	if (a->r.english)
		snprintf(out, n, " (%s %s on the previous year)", d < 0 ? "down" : "up", cnt);
	else
		snprintf(out, n, "，较上年%s %s %s", d < 0 ? "减少" : "增加", cnt, unit);
}

/*
 * "，另收取停车费 ¥a、垃圾清运费 ¥b" / "; besides, 停车费 ¥a and ..." : the
 * fee items other than skip, paid for the year's charges.
 */
static void other_items(struct report *r, const struct fee_item_figures *items, int n, int skip,
			char *out, size_t size)
{
	size_t used = 0;
	int i, k = 0;

	out[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		char paid[40];

		if (i == skip)
			continue;
		fmt_money(paid, sizeof(paid), items[i].paid_cents);
		used += (size_t)snprintf(out + used, size - used, "%s%s %s",
					 k++ ? (r->english ? ", " : "、") :
					 (r->english ? "; besides, " : "，另收取"), items[i].item, paid);
	}
}

/*
 * The year's fees: the management fee alone where the sentence names it
 * (issue 14: the old sentence gave all items' total as 物业管理费), the
 * other items after it, then all items' collection and recovery rates.
 */
static int fee_narrative(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;
	struct fee_item_figures *items;
	struct fee_text all;
	char text[2400], others[1200], mdue[40], mpaid[40], mrate[32];
	int n, m;
	double rate = 0;

	if (fee_items(r, a->cur.run_id, &items, &n, &m, err) < 0)
		return -1;
	fee_text(r, a->cur.run_id, &all);
	other_items(r, items, n, m, others, sizeof(others));
	if (m >= 0) {
		int has = items[m].due_cents > 0 &&
			  results_rate(items[m].paid_cents, items[m].due_cents, 0, &rate, NULL);

		fmt_money(mdue, sizeof(mdue), items[m].due_cents);
		fmt_money(mpaid, sizeof(mpaid), items[m].paid_cents);
		fmt_rate(mrate, sizeof(mrate), has, rate);
	}
	if (m >= 0 && r->english)
		snprintf(text, sizeof(text), "%s collected for the year's charges: %s of %s due "
			 "(%s)%s. All fee items: %s of %s due, a collection rate of %s. Of %s arrears "
			 "from earlier years, %s was recovered (recovery rate %s).", items[m].item,
			 mpaid, mdue, mrate, others, all.paid, all.due, all.rate, all.arrears,
			 all.recovered, all.recovery);
	else if (m >= 0)
		snprintf(text, sizeof(text), "全年收取%s共计 %s（本年应收 %s，收缴率 %s）%s；"
			 "各项费用合计实收 %s（本年应收 %s），当期收缴率 %s；清收往年欠费 %s（年初欠费 %s），"
			 "清欠率 %s。", items[m].item, mpaid, mdue, mrate, others, all.paid, all.due,
			 all.rate, all.recovered, all.arrears, all.recovery);
	else if (r->english)
		snprintf(text, sizeof(text), "All fee items collected for the year's charges: %s of %s "
			 "due, a collection rate of %s%s. Of %s arrears from earlier years, %s was "
			 "recovered (recovery rate %s).", all.paid, all.due, all.rate, others,
			 all.arrears, all.recovered, all.recovery);
	else
		snprintf(text, sizeof(text), "全年各项费用共收取 %s（本年应收 %s），当期收缴率 %s%s；"
			 "清收往年欠费 %s（年初欠费 %s），清欠率 %s。", all.paid, all.due, all.rate,
			 others[0] ? others : "", all.recovered, all.arrears, all.recovery);
	free(items);
	pdf_paragraph(r->pdf, text);
	return 0;
}

static int narrative(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;
	const struct rule_result *tcov = key_rule(r, &a->cur, KEY_REPAIR_COVERAGE);
	const struct rule_result *ccov = key_rule(r, &a->cur, KEY_COMPLAINT_COVERAGE);
	char t[32], c[32], cb[32], top_t[600], top_c[600], ch_t[96], ch_c[96];
	char r1[32], r2[32], text[2400];

	fmt_count(t, sizeof(t), fig(a, a->cur.run_id, FIG_VOLUMES_TICKETS));
	fmt_count(c, sizeof(c), fig(a, a->cur.run_id, FIG_VOLUMES_COMPLAINTS));
	fmt_count(cb, sizeof(cb), fig(a, a->cur.run_id, FIG_VOLUMES_CALLBACKS));
	top_categories(a, &a->cats[CATEGORY_TICKETS], 3, top_t, sizeof(top_t));
	top_categories(a, &a->cats[CATEGORY_COMPLAINTS], 3, top_c, sizeof(top_c));
	change_phrase(a, FIG_VOLUMES_TICKETS, "例", ch_t, sizeof(ch_t));
	change_phrase(a, FIG_VOLUMES_COMPLAINTS, "宗", ch_c, sizeof(ch_c));
	fmt_rate(r1, sizeof(r1), tcov && tcov->has_rate, tcov ? tcov->rate : 0);
	fmt_rate(r2, sizeof(r2), ccov && ccov->has_rate, ccov ? ccov->rate : 0);
	if (r->english)
		snprintf(text, sizeof(text), "In %s the centre handled %s repair requests from owners%s, "
			 "mainly %s. It received %s complaints%s, mainly about %s. It made %s callbacks: "
			 "%s of completed repairs and %s of resolved complaints were called back.",
			 a->year, t, ch_t, top_t[0] ? top_t : "—", c, ch_c, top_c[0] ? top_c : "—", cb, r1, r2);
	else
		snprintf(text, sizeof(text), "%s 年全年共处理业主报修 %s 例%s，主要集中在%s等方面；"
			 "受理业主投诉 %s 宗%s，主要涉及%s。全年完成回访 %s 次，维修回访率 %s，投诉回访率 %s。",
			 a->year, t, ch_t, top_t[0] ? top_t : "—", c, ch_c, top_c[0] ? top_c : "—", cb, r1, r2);
	pdf_paragraph(r->pdf, text);
	if (fee_narrative(a, err) < 0)
		return -1;
	if (!a->has_prev)
		pdf_note(r->pdf, tr(r, "数据库中没有上一年度的数据，本报告不作同比。",
				    "The database holds no data for the previous year: no year-on-year comparison."));
	return 0;
}

static void monthly_volumes(struct annual *a)
{
	struct report *r = &a->r;
	struct pdf_col cols[6] = {
		{ tr(r, "月份", "Month"), 1.2, PDF_LEFT }, { tr(r, "报修", "Tickets"), 1, PDF_RIGHT },
		{ tr(r, "投诉", "Complaints"), 1, PDF_RIGHT }, { tr(r, "回访", "Callbacks"), 1, PDF_RIGHT },
		{ tr(r, "应收", "Due"), 1.6, PDF_RIGHT }, { tr(r, "实收", "Paid"), 1.6, PDF_RIGHT }
	};
	/* the log of each column: a month outside its coverage has no data, not 0 */
	static const int column_log[5] = {
		DB_COVERAGE_TICKETS, DB_COVERAGE_COMPLAINTS, DB_COVERAGE_CALLBACKS, DB_COVERAGE_FEES,
		DB_COVERAGE_FEE_PAYMENTS
	};
	double vol[12 * 2], money[12 * 2];
	const char *cats[12];
	int i, k;

	pdf_table_begin(r->pdf, cols, 6);
	for (i = 0; i < 12; i++) {
		const struct check_trend_month *m = &a->trend.months[i];
		long long tickets = m->tickets, complaints = m->complaints;
		long long due = m->due_cents, paid = m->paid_cents;
		char v[5][40];
		const char *cells[6];

		fmt_count(v[0], sizeof(v[0]), tickets);
		fmt_count(v[1], sizeof(v[1]), complaints);
		fmt_count(v[2], sizeof(v[2]), m->callbacks);
		fmt_money(v[3], sizeof(v[3]), due);
		fmt_money(v[4], sizeof(v[4]), paid);
		cells[0] = a->months[i];
		for (k = 0; k < 5; k++)
			cells[k + 1] = month_has_data(r, column_log[k], a->months[i]) ? v[k] : no_data(r);
		pdf_table_row(r->pdf, cells);
		cats[i] = a->months[i];
		vol[i * 2] = cells[1] == v[0] ? tickets : NAN;
		vol[i * 2 + 1] = cells[2] == v[1] ? complaints : NAN;
		money[i * 2] = cells[4] == v[3] ? due / 100.0 : NAN;
		money[i * 2 + 1] = cells[5] == v[4] ? paid / 100.0 : NAN;
	}
	pdf_table_end(r->pdf);
	{
		struct chart c = { .kind = CHART_BARS, .nseries = 2, .ncats = 12, .cats = cats,
				   .values = vol, .ylabel = tr(r, "件数", "Count"), .whole = 1 };

		c.series[0] = tr(r, "报修", "Tickets");
		c.series[1] = tr(r, "投诉", "Complaints");
		place_chart(r, "volumes", &c, tr(r, "逐月报修与投诉量", "tickets and complaints per month"));
	}
	{
		struct chart c = { .kind = CHART_BARS, .nseries = 2, .ncats = 12, .cats = cats,
				   .values = money, .ylabel = tr(r, "元", "yuan"), .money = 1 };

		c.series[0] = tr(r, "应收", "Due");
		c.series[1] = tr(r, "实收", "Paid");
		place_chart(r, "collection", &c, tr(r, "逐月物业费应收与实收", "fees due and paid per month"));
	}
}

/* The year's ten largest categories and their shares of all of them. */
static void category_table(struct annual *a, const struct category_counts *cc, const char *heading)
{
	struct report *r = &a->r;
	struct pdf_col cols[3] = {
		{ heading, 3, PDF_LEFT }, { tr(r, "件数", "Count"), 1, PDF_RIGHT },
		{ tr(r, "占比", "Share"), 1, PDF_RIGHT }
	};
	int i;

	if (!cc->n) {
		pdf_note(r->pdf, tr(r, "本年没有记录。", "No records this year."));
		return;
	}
	pdf_table_begin(r->pdf, cols, 3);
	for (i = 0; i < cc->n && i < 10; i++) {
		char n[32], share[32];
		const char *cells[3];

		fmt_count(n, sizeof(n), cc->counts[i]);
		fmt_rate(share, sizeof(share), cc->total > 0,
			 cc->total ? (double)cc->counts[i] / cc->total : 0);
		cells[0] = cc->labels[i];
		cells[1] = n;
		cells[2] = share;
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
}

static int cover(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;
	struct cover_facts f;
	const char *labels[4], *values[4];

	cover_facts(r, a->year, a->from, a->to, a->as_of, &f);
	labels[0] = tr(r, "公司 / 项目", "Company / site");
	values[0] = f.scope;
	labels[1] = tr(r, "统计期间", "Period");
	values[1] = f.period;
	labels[2] = tr(r, "数据截止时间", "As of");
	values[2] = a->as_of;
	labels[3] = tr(r, "报告生成时间", "Generated");
	values[3] = f.generated;
	pdf_cover(r->pdf, tr(r, "客户服务中心年度工作总结", "Customer Service Annual Summary"),
		  f.subtitle, labels, values, 4);
	cover_facts_free(&f);
	pdf_space(r->pdf, 20);
	if (print_coverage(r, a->to, a->as_of, err) < 0)
		return -1;
	approval_block(r);
	return 0;
}

/* Sections 1-5 of the summary. */
static int sections(struct annual *a, pm_error *err)
{
	struct report *r = &a->r;

	if (cover(a, err) < 0 || exec_page(a, err) < 0)
		return -1;
	pdf_new_page(r->pdf);
	pdf_section(r->pdf, tr(r, "一、全年工作概况", "1. The year in brief"));
	if (narrative(a, err) < 0)
		return -1;
	pdf_subsection(r->pdf, tr(r, "服务规则全年达标情况", "Service rules over the year"));
	if (rule_tiles(r, &a->cur, a->has_prev ? &a->prev : NULL, err) < 0 ||
	    fee_tiles(r, a->cur.run_id, a->prev.run_id, err) < 0 ||
	    volume_table(r, a->cur.run_id, a->prev.run_id, err) < 0)
		return -1;
	pdf_section(r->pdf, tr(r, "二、逐月业务量与收费", "2. Month by month: volumes and fees"));
	monthly_volumes(a);
	pdf_section(r->pdf, tr(r, "三、逐月达标率与收缴率", "3. Month by month: compliance and collection"));
	if (monthly_rates(a, err) < 0 ||
	    satisfaction_by_month(r, &a->trend, &a->cur, err) < 0)
		return -1;
	pdf_section(r->pdf, tr(r, "四、主要报修与投诉类别", "4. Main repair and complaint categories"));
	pdf_subsection(r->pdf, tr(r, "报修类别", "Repair categories"));
	category_table(a, &a->cats[CATEGORY_TICKETS], tr(r, "报修类别", "Category"));
	if (chart_categories(r, &a->cats[CATEGORY_TICKETS], err) < 0)
		return -1;
	pdf_subsection(r->pdf, tr(r, "投诉类别", "Complaint categories"));
	category_table(a, &a->cats[CATEGORY_COMPLAINTS], tr(r, "投诉类别", "Category"));
	if (chart_categories(r, &a->cats[CATEGORY_COMPLAINTS], err) < 0)
		return -1;
	if (fees_section(r, &a->cur, a->from, a->to, a->as_of,
			 tr(r, "五、物业费收缴与欠费", "5. Fee collection and arrears"), err) < 0 ||
	    ranking_section(r, &a->cur, tr(r, "六、项目排名", "6. Site ranking"), err) < 0)
		return -1;
	return data_sources(r, "--year", a->year, a->as_of, err);
}

int report_annual(sqlite3 *db, const struct report_opts *opts, pm_error *err)
{
	struct annual *a = calloc(1, sizeof(*a));
	struct report *r;
	struct pdf_meta meta;
	char *header = NULL;
	int rc = -1;

	if (!a)
		return pm_fail(err, "out of memory");
	r = &a->r;
	if (year_window(opts->year, a->from, a->to, err) < 0)
		goto out;
	snprintf(a->year, sizeof(a->year), "%s", opts->year);
	if (report_as_of(db, opts, a->to, a->as_of, err) < 0) {
		runs_damaged_first(db, opts, err);
		goto out;
	}
	header = report_header(opts, opts->english ? "Annual Summary" : "年度工作总结");
	if (!header) {
		pm_fail(err, "out of memory");
		goto out;
	}
	meta = (struct pdf_meta){ opts->english ? "Customer Service Annual Summary" :
				  "客户服务中心年度工作总结", header, a->year, a->as_of, opts->english };
	if (report_begin(r, db, opts, &meta, err) < 0) {
		runs_damaged_first(db, opts, err);
		goto out;
	}
	r->yearly = 1;
	/* gnuplot's start beside the runs, not before the first chart */
	report_charts_early(r);
	if (run_all(a, err) < 0 || sections(a, err) < 0 ||
	    report_xlsx(r, a->cur.run_id, meta.title, a->year, a->from, a->to, a->as_of, NULL, 0,
			err) < 0) {
		report_abort(r);
		goto out;
	}
	rc = report_end(r, err);
out:
	free(header);
	free_run(&a->cur);
	free_run(&a->prev);
	check_trend_free(&a->trend);
	category_counts_free(&a->cats[CATEGORY_TICKETS]);
	category_counts_free(&a->cats[CATEGORY_COMPLAINTS]);
	check_site_fees_free(a->site_fees, a->nsite_fees);
	free_run(&a->qruns[0]);
	free_run(&a->qruns[1]);
	free(a);
	return rc;
}
