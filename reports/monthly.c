/*
 * The month-end compliance audit (月度合规稽核报告).
 *
 * check_run() is called for the month and for the month before ("change vs
 * previous month"); the report then only reads the check_* tables of those
 * runs, plus the raw tables for breakdowns the engine does not total
 * (categories, days). The twelve-month trend's four rates come from the
 * rules engine's check_trend(), one pass for the twelve months, each month
 * as its own run would give them, computed on a second thread while the
 * two runs are made.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "reports/chart.h"
#include "reports/report.h"
#include "reports/sections.h"

#define TREND_MONTHS 12

struct monthly {
	struct report r;
	char month[8], from[20], to[20], as_of[20];
	char label[32];           /* "2026年10月" or "2026-10" */
	char prev_from[20], prev_to[20];
	struct run_view cur, prev;
	struct trend_row trend[TREND_MONTHS];
};

static void cover(struct monthly *m)
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
	pdf_space(r->pdf, 20);
	pdf_subsection_plain(r->pdf, tr(r, "数据指纹", "Data fingerprint"));
	print_fingerprint(r);
	pdf_note(r->pdf, tr(r,
		"本报告的每一个数字均可由 `pmaudit check --json` 以相同的期间与截止时间复核。"
		"比率 = 达标 / (达标 + 超时)，待定记录不计入。",
		"Every figure can be re-checked with `pmaudit check --json` for the same period "
		"and as-of time. Rate = met / (met + breached); pending records are not counted."));
}

/*
 * The trend's months are each as of its end; the report's own month is as
 * of the report's as-of time, as its run (and the summary) has it.
 */
/*
 * The trend is computed on the second core while the month's and the
 * previous month's runs take the first: check_trend() only reads, on a
 * read-only connection of its own (the runs' COMMITs wait for its reads
 * to end, as for any reader). A database without a file, or a thread that
 * cannot start, computes it afterwards on the report's connection.
 */
struct trend_job {
	pthread_t thread;
	int started, rc;
	sqlite3 *db;
	const struct report_opts *opts;
	char first[8];
	struct trend_row *rows;
	pm_error err;
};

static void *trend_thread(void *arg)
{
	struct trend_job *j = arg;

	j->rc = trend_rows_on(j->db, j->opts, j->first, TREND_MONTHS, j->rows, &j->err);
	return NULL;
}

static void trend_start(struct monthly *m, struct trend_job *j)
{
	const char *path = sqlite3_db_filename(m->r.db, "main");
	pm_error ignored;

	memset(j, 0, sizeof(*j));
	j->opts = m->r.opts;
	j->rows = m->trend;
	month_add(m->month, -(TREND_MONTHS - 1), j->first);
	if (!path || !*path || db_open_readonly(path, &j->db, &ignored) < 0)
		return;
	sqlite3_busy_timeout(j->db, 60000);
	if (pthread_create(&j->thread, NULL, trend_thread, j) != 0) {
		sqlite3_close(j->db);
		return;
	}
	j->started = 1;
}

/* Waits for the trend (or computes it now); 0 or -1 with err. */
static int trend_finish(struct monthly *m, struct trend_job *j, pm_error *err)
{
	if (!j->started)
		return trend_rows_from_trend(&m->r, j->first, TREND_MONTHS, m->trend, err);
	pthread_join(j->thread, NULL);
	sqlite3_close(j->db);
	j->started = 0;
	if (j->rc < 0)
		return pm_fail(err, "%s", j->err.msg);
	return 0;
}

static int trend_rows(struct monthly *m, struct trend_job *j, pm_error *err)
{
	if (trend_finish(m, j, err) < 0)
		return -1;
	if (strcmp(m->as_of, m->to) &&
	    trend_rows_from_runs(&m->r, &m->cur.run_id, &m->trend[TREND_MONTHS - 1].month,
				 1, &m->trend[TREND_MONTHS - 1]) < 1)
		return pm_fail(err, "database: the month's run cannot be read");
	return 0;
}

/*
 * The two runs in one write transaction, with the trend reading beside them:
 * one COMMIT at the end, when the trend is done (a COMMIT waits for every
 * reader of the file; the month's own COMMIT used to wait 0.5 s for the
 * trend's scan), and all three see the same data.
 */
static int runs(struct monthly *m, pm_error *err)
{
	sqlite3_int64 run_id;
	char prev[8];

	/*
	 * The month before is read only for its rule results and figures (the
	 * tiles, the volume table, "vs previous month"): a figures-only run,
	 * which does not store its records.
	 */
	month_add(m->month, -1, prev);
	return run_check(&m->r, m->from, m->to, m->as_of, m->r.opts->site, &run_id, err) < 0 ||
	       load_run(&m->r, run_id, &m->cur, err) < 0 ||
	       month_window(prev, m->prev_from, m->prev_to, err) < 0 ||
	       run_figures(&m->r, m->prev_from, m->prev_to, NULL, m->r.opts->site, &run_id, err) < 0 ||
	       load_run(&m->r, run_id, &m->prev, err) < 0 ? -1 : 0;
}

static int run_all(struct monthly *m, pm_error *err)
{
	struct trend_job trend;
	pm_error ignored;
	int rc;

	/* the runs' settings (rules/check.c), which cannot change inside a transaction */
	if (db_exec(m->r.db, "PRAGMA temp_store = MEMORY; PRAGMA cache_spill = OFF;"
		    " BEGIN IMMEDIATE", err) < 0)
		return -1;
	trend_start(m, &trend);
	rc = runs(m, err);
	if (rc < 0) {
		if (trend.started)
			trend_finish(m, &trend, &ignored);
		sqlite3_exec(m->r.db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	rc = trend_rows(m, &trend, err);
	if (db_exec(m->r.db, rc < 0 ? "ROLLBACK" : "COMMIT", rc < 0 ? &ignored : err) < 0)
		return -1;
	return rc;
}

static void summary(struct monthly *m)
{
	struct report *r = &m->r;

	pdf_new_page(r->pdf);
	pdf_section(r->pdf, tr(r, "一、总体情况", "1. Summary"));
	summary_text(r, &m->cur, m->label);
	pdf_subsection(r->pdf, tr(r, "各项规则达标情况", "Rules against their targets"));
	rule_tiles(r, &m->cur, &m->prev);
	fee_tiles(r, m->cur.run_id, m->prev.run_id);
	volume_table(r, m->cur.run_id, m->prev.run_id);
	chart_daily_volumes(r, m->from, m->to);
	chart_compliance_by_site(r, &m->cur);
	chart_repair_categories(r, m->from, m->to);
}

static void trend(struct monthly *m)
{
	struct report *r = &m->r;

	pdf_section(r->pdf, tr(r, "九、近十二个月趋势", "9. Twelve-month trend"));
	trend_table_and_chart(r, m->trend, TREND_MONTHS);
}

int report_monthly(sqlite3 *db, const struct report_opts *opts, pm_error *err)
{
	struct monthly *m = calloc(1, sizeof(*m));
	struct pdf_meta meta;
	char header[300], scope[256];
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
	if (opts->as_of) {
		if (normalize_time(opts->as_of, m->as_of, err) < 0)
			goto out;
	} else {
		snprintf(m->as_of, sizeof(m->as_of), "%s", m->to);
	}
	scope_name(opts, scope, sizeof(scope));
	snprintf(header, sizeof(header), "%s · %s", opts->english ? "Monthly Compliance Audit" :
		 "月度合规稽核报告", scope);
	meta.title = opts->english ? "Monthly Compliance Audit" : "月度合规稽核报告";
	meta.header_left = header;
	meta.header_right = m->label;
	meta.as_of = m->as_of;
	meta.english = opts->english;
	if (report_begin(&m->r, db, opts, &meta, err) < 0)
		goto out;
	if (run_all(m, err) < 0) {
		report_abort(&m->r);
		goto out;
	}
	cover(m);
	summary(m);
	deadline_sections(&m->r, &m->cur, &m->prev, m->from, m->to);
	coverage_section(&m->r, &m->cur, &m->prev, tr(&m->r, "五、回访覆盖率", "5. Callback coverage"));
	findings_section(&m->r, &m->cur, tr(&m->r, "六、需关注事项", "6. Findings for follow-up"));
	fees_section(&m->r, &m->cur, m->from, m->to, m->as_of,
		     tr(&m->r, "七、物业费收缴", "7. Fee collection"));
	quality_section(&m->r, &m->cur, tr(&m->r, "八、数据质量", "8. Data quality"));
	trend(m);
	if (appendix_breaches(&m->r, &m->cur, err) < 0) {
		report_abort(&m->r);
		goto out;
	}
	rc = report_end(&m->r, err);
out:
	free_run(&m->cur);
	free_run(&m->prev);
	free(m);
	return rc;
}
