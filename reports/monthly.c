/*
 * The month-end compliance audit (月度合规稽核报告).
 *
 * check_run() is called for the month and for the month before ("change vs
 * previous month"); the report then only reads the check_* tables of those
 * runs, plus the raw tables for breakdowns the engine does not total
 * (categories, days). The twelve-month trend's four rates come from the
 * rules engine's check_trend(), one pass for the ten months before those
 * two, whose own runs give the last two rows. The previous month's run and
 * the trend are made on two more threads while the month's run is made,
 * the breaches CSV written and sections 1-8 printed (reports/monthly_runs.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "reports/chart.h"
#include "reports/monthly_runs.h"
#include "reports/report.h"
#include "reports/sections.h"

#define TREND_MONTHS 12

struct monthly {
	struct report r;
	char month[8], from[20], to[20], as_of[20];
	char label[32];           /* "2026年10月" or "2026-10" */
	struct monthly_runs runs;
	struct run_view cur, prev;
	struct trend_row trend[TREND_MONTHS];
};

static int cover(struct monthly *m, pm_error *err)
{
	struct report *r = &m->r;
	struct cover_facts f;
	const char *labels[5], *values[5];

	cover_facts(r, m->label, m->from, m->to, m->as_of, &f);
	labels[0] = tr(r, "公司 / 项目", "Company / site");
	values[0] = f.scope;
	labels[1] = tr(r, "统计期间", "Period");
	values[1] = f.period;
	labels[2] = tr(r, "数据截止时间", "As of");
	values[2] = m->as_of;
	labels[3] = tr(r, "报告生成时间", "Generated");
	values[3] = f.generated;
	labels[4] = tr(r, "规则文件", "Rules");
	values[4] = r->opts->rules_file ? r->opts->rules_file : tr(r, "默认规则集", "default rule set");
	pdf_cover(r->pdf, tr(r, "月度合规稽核报告", "Monthly Compliance Audit"), f.subtitle,
		  labels, values, 5);
	cover_facts_free(&f);
	pdf_space(r->pdf, 20);
	if (print_coverage(r, m->to, m->as_of, err) < 0)
		return -1;
	pdf_note(r->pdf, tr(r,
		"本报告的每一个数字均可由 `pmaudit check --json` 以相同的期间与截止时间复核"
		"（命令与数据指纹见附录“数据来源”）。",
		"Every figure can be re-checked with `pmaudit check --json` for the same period "
		"and as-of time (the command and the data's fingerprint: appendix \"data sources\")."));
	approval_block(r);
	return 0;
}

static int summary(struct monthly *m, pm_error *err)
{
	struct report *r = &m->r;
	const struct exec_changes changes = {
		&m->prev, &m->cur,
		tr(r, "较上月变化最大的规则：", "Largest changes against the previous month:")
	};

	if (executive_summary(r, &m->cur, &changes, err) < 0)
		return -1;
	pdf_new_page(r->pdf);
	pdf_section(r->pdf, tr(r, "一、总体情况", "1. Summary"));
	if (summary_text(r, &m->cur, m->label, err) < 0)
		return -1;
	pdf_subsection(r->pdf, tr(r, "各项规则达标情况", "Rules against their targets"));
	if (rule_tiles(r, &m->cur, &m->prev, err) < 0 ||
	    fee_tiles(r, m->cur.run_id, m->prev.run_id, err) < 0 ||
	    volume_table(r, m->cur.run_id, m->prev.run_id, err) < 0 ||
	    chart_daily_volumes(r, m->from, m->to, err) < 0 ||
	    chart_compliance_by_site(r, &m->cur, err) < 0)
		return -1;
	return chart_repair_categories(r, m->from, m->to, err);
}

static int trend(struct monthly *m, pm_error *err)
{
	struct report *r = &m->r;

	pdf_section(r->pdf, tr(r, "九、近十二个月趋势", "9. Twelve-month trend"));
	return trend_table_and_chart(r, m->trend, TREND_MONTHS, err);
}

/* Issue 14's audit content: satisfaction, the site ranking, the open backlog. */
static int audit(struct monthly *m, pm_error *err)
{
	struct report *r = &m->r;

	return satisfaction_section(r, &m->cur, &m->prev, tr(r, "十、回访满意度", "10. Satisfaction"),
				    err) < 0 ||
	       ranking_section(r, &m->cur, tr(r, "十一、项目排名", "11. Site ranking"), err) < 0 ||
	       backlog_section(r, &m->cur, tr(r, "十二、未办结事项", "12. Open backlog"), err) < 0
	       ? -1 : 0;
}

/* Sections 1-8, while the second thread computes the trend. */
static int sections(struct monthly *m, pm_error *err)
{
	struct report *r = &m->r;

	if (cover(m, err) < 0 || summary(m, err) < 0 ||
	    deadline_sections(r, &m->cur, &m->prev, m->from, m->to, err) < 0 ||
	    coverage_section(r, &m->cur, &m->prev, tr(r, "五、回访覆盖率", "5. Callback coverage"),
			     err) < 0 ||
	    findings_section(r, &m->cur, tr(r, "六、需关注事项", "6. Findings for follow-up"),
			     err) < 0 ||
	    fees_section(r, &m->cur, m->from, m->to, m->as_of,
			 tr(r, "七、物业费收缴", "7. Fee collection"), err) < 0)
		return -1;
	return quality_section(r, &m->cur, tr(r, "八、数据质量", "8. Data quality"), err);
}

int report_monthly(sqlite3 *db, const struct report_opts *opts, pm_error *err)
{
	struct monthly *m = calloc(1, sizeof(*m));
	struct appendix_rows *appendix;
	struct pdf_meta meta;
	char *header = NULL;
	int rc = -1;

	if (!m)
		return pm_fail(err, "out of memory");
	snprintf(m->month, sizeof(m->month), "%s", opts->month ? opts->month : "");
	if (month_window(opts->month, m->from, m->to, err) < 0)
		goto out;
	if (opts->english)
		snprintf(m->label, sizeof(m->label), "%s", m->month);
	else
		snprintf(m->label, sizeof(m->label), "%.4s年%d月", m->month, atoi(m->month + 5));
	if (report_as_of(db, opts, m->to, m->as_of, err) < 0) {
		runs_damaged_first(db, opts, err);
		goto out;
	}
	header = report_header(opts, opts->english ? "Monthly Compliance Audit" : "月度合规稽核报告");
	if (!header) {
		pm_fail(err, "out of memory");
		goto out;
	}
	meta.title = opts->english ? "Monthly Compliance Audit" : "月度合规稽核报告";
	meta.header_left = header;
	meta.header_right = m->label;
	meta.as_of = m->as_of;
	meta.english = opts->english;
	if (report_begin(&m->r, db, opts, &meta, err) < 0) {
		runs_damaged_first(db, opts, err);
		goto out;
	}
	report_charts_early(&m->r);
	if (monthly_runs_start(&m->runs, &m->r, m->month, m->from, m->to, m->as_of, m->trend,
			       TREND_MONTHS, err) < 0) {
		report_abort(&m->r);
		goto out;
	}
	/*
	 * the month's run is made: what is left reads (the breaches CSV and
	 * the breach lists look up a ticket each), through the map, not a copy
	 * each; the previous month's run, copied in, is a few figures
	 */
	db_map_reads(db);
	/*
	 * the breaches CSV and the appendix's rows read only the month's run:
	 * made while the second thread still makes the previous month's,
	 * which the main thread used to wait for with nothing to do
	 */
	if (load_run(&m->r, m->runs.cur_run, &m->cur, err) < 0 ||
	    appendix_prepare(&m->r, &m->cur, &appendix, err) < 0) {
		monthly_runs_abort(&m->runs, err);
		report_abort(&m->r);
		goto out;
	}
	/* then sections 1-8, while the third thread computes the trend */
	if (monthly_runs_prev(&m->runs, err) < 0 || monthly_runs_site_fees(&m->runs, err) < 0) {
		appendix_free(appendix);
		report_abort(&m->r);
		goto out;
	}
	if (load_run(&m->r, m->runs.prev_run, &m->prev, err) < 0 || sections(m, err) < 0) {
		appendix_free(appendix);
		monthly_runs_abort(&m->runs, err);
		report_abort(&m->r);
		goto out;
	}
	if (monthly_runs_finish(&m->runs, err) < 0) {
		appendix_free(appendix);
		report_abort(&m->r);
		goto out;
	}
	if (trend(m, err) < 0 || audit(m, err) < 0) {
		appendix_free(appendix);
		report_abort(&m->r);
		goto out;
	}
	if (appendix_print(&m->r, appendix, err) < 0 ||
	    data_sources(&m->r, "--month", m->month, m->as_of, err) < 0 ||
	    report_xlsx(&m->r, m->cur.run_id, meta.title, m->label, m->from, m->to, m->as_of,
			NULL, 0, err) < 0) {
		report_abort(&m->r);
		goto out;
	}
	rc = report_end(&m->r, err);
out:
	monthly_runs_free(&m->runs);
	free(header);
	free_run(&m->cur);
	free_run(&m->prev);
	free(m);
	return rc;
}
