/*
 * The quarterly spot check (seed 003: 客户服务中心主任每季度对报修记录抽查回访20%):
 * the sample (reports/sample.c), the quarter's coverage figures and the
 * checklist to fill in.
 *
 * One write transaction (BEGIN IMMEDIATE) holds the quarter's figures and
 * the sample's reads: the sample is drawn and the coverage figures are
 * computed on threads of their own, on read-only connections (all read
 * what the transaction started from); the main thread lays out the report
 * as soon as the sample is there, the coverage table's figures filled in
 * after the checklist (coverage_fill()); the COMMIT comes after all of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "reports/report.h"
#include "reports/runs_verify.h"
#include "reports/reader_thread.h"
#include "reports/sample.h"
#include "rules/engine/check.h"
#include "util/period.h"
#include "reports/sections.h"
#include "util/csv_write.h"

int quarter_window(const char *quarter, char *from, char *to, pm_error *err)
{
	struct period p;

	if (period_quarter(quarter ? quarter : "", &p, err) < 0)
		return -1;
	memcpy(from, p.from, sizeof(p.from));
	memcpy(to, p.to, sizeof(p.to));
	return 0;
}

/*
 * Per site: tickets, sampled, sampled with a callback, with a supervisor
 * callback. The rows and the sites are both in site order: one pass.
 */
static void site_summary(struct report *r, const struct sample *s)
{
	struct pdf_col cols[5] = {
		{ tr(r, "项目", "Site"), 2.4, PDF_LEFT }, { tr(r, "本季报修", "Tickets"), 1.2, PDF_RIGHT },
		{ tr(r, "抽查", "Sampled"), 1.2, PDF_RIGHT }, { tr(r, "已回访", "Called back"), 1.2, PDF_RIGHT },
		{ tr(r, "主管已回访", "By a supervisor"), 1.4, PDF_RIGHT }
	};
	long long tot[4] = { 0, 0, 0, 0 };
	char cell[4][32];
	const char *cells[5];
	int k, site, i = 0;

	pdf_table_begin(r->pdf, cols, 5);
	for (site = 0; site < s->nsites; site++) {
		long long v[4] = { s->sites[site].tickets, 0, 0, 0 };

		for (; i < s->n && !strcmp(s->rows[i].site, s->sites[site].site); i++) {
			v[1]++;
			v[2] += s->rows[i].cb_at != NULL;
			v[3] += s->rows[i].supervisor > 0;
		}
		cells[0] = s->sites[site].site;
		for (k = 0; k < 4; k++) {
			fmt_count(cell[k], sizeof(cell[k]), v[k]);
			cells[k + 1] = cell[k];
			tot[k] += v[k];
		}
		pdf_table_row(r->pdf, cells);
	}
	cells[0] = tr(r, "合计", "Total");
	for (k = 0; k < 4; k++) {
		fmt_count(cell[k], sizeof(cell[k]), tot[k]);
		cells[k + 1] = cell[k];
	}
	pdf_table_row(r->pdf, cells);
	pdf_table_end(r->pdf);
}

/*
 * The quarter's coverage figures on a reader thread while the main thread
 * lays out the sample's pages: on the critical path they came before the
 * layout (0.9 s ordered, 1.3-1.6 s shuffled, of a 2.3-2.8 s report).
 * Without a thread (one core, no file) they are computed at the start, on
 * the report's connection, and the table is drawn whole, as before.
 */
struct figures_job {
	struct report *r;
	const struct sample_params *sp;
	struct reader_thread reader;
	struct run_view view;           /* the figures, once done */
	int rc;
	pm_error err;
	/* the table laid out before the figures: its rows' handles (pdf_table_row_held()) */
	struct run_view titles;
	int *held;
	int nheld;
};

static int figures_load(struct figures_job *fj, sqlite3 *db)
{
	const struct sample_params *sp = fj->sp;

	return load_rule_figures(fj->r, db, sp->from, sp->to, sp->as_of, sp->site, RULE_COVERAGE,
				 &fj->view, &fj->err);
}

static void *figures_thread(void *arg)
{
	struct figures_job *fj = arg;

	/* one read transaction: the figures of one state of the file */
	if (sqlite3_exec(fj->reader.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		fj->rc = pm_fail(&fj->err, "database: %s", sqlite3_errmsg(fj->reader.db));
	else {
		fj->rc = figures_load(fj, fj->reader.db);
		sqlite3_exec(fj->reader.db, "COMMIT", NULL, NULL, NULL);
	}
	return NULL;
}

/* The thread started, or the figures computed here (err: they failed). */
static int figures_start(struct figures_job *fj, struct report *r,
			 const struct sample_params *sp, pm_error *err)
{
	memset(fj, 0, sizeof(*fj));
	fj->r = r;
	fj->sp = sp;
	reader_thread_start(&fj->reader, r->db, r->opts->one_thread, figures_thread, fj);
	if (fj->reader.started)
		return 0;
	fj->rc = figures_load(fj, r->db);
	if (fj->rc < 0)
		*err = fj->err;
	return fj->rc;
}

/* Waits for the thread: 0, or -1 with its error. */
static int figures_finish(struct figures_job *fj, pm_error *err)
{
	reader_thread_join(&fj->reader);
	if (fj->rc < 0)
		*err = fj->err;
	return fj->rc;
}

static void figures_free(struct figures_job *fj)
{
	reader_thread_join(&fj->reader);
	free_run(&fj->view);
	free_run(&fj->titles);
	free(fj->held);
	fj->held = NULL;
}

static const struct pdf_col *coverage_cols(const struct report *r, struct pdf_col *cols)
{
	cols[0] = (struct pdf_col){ tr(r, "规则", "Rule"), 4, PDF_LEFT };
	cols[1] = (struct pdf_col){ tr(r, "分子", "Numerator"), 1, PDF_RIGHT };
	cols[2] = (struct pdf_col){ tr(r, "分母", "Denominator"), 1, PDF_RIGHT };
	cols[3] = (struct pdf_col){ tr(r, "无法判定", "Unknown"), 1.1, PDF_RIGHT };
	cols[4] = (struct pdf_col){ tr(r, "比率", "Rate"), 1.1, PDF_RIGHT };
	cols[5] = (struct pdf_col){ tr(r, "目标", "Target"), 1.1, PDF_RIGHT };
	return cols;
}

/* A coverage rule's cells: "id  title", numerator, denominator, unknown, rate, target. */
struct coverage_cells {
	char label[240], a[32], b[32], u[32], rate[32], target[32];
	const char *cells[6];
};

static const char *const *coverage_row(struct coverage_cells *c, const struct rule_result *x)
{
	snprintf(c->label, sizeof(c->label), "%s  %s", x->rule_id, x->title);
	fmt_count(c->a, sizeof(c->a), x->numerator);
	fmt_count(c->b, sizeof(c->b), x->denominator);
	fmt_count(c->u, sizeof(c->u), x->unknown);
	fmt_rate(c->rate, sizeof(c->rate), x->has_rate, x->rate);
	fmt_rate(c->target, sizeof(c->target), x->has_target, x->target);
	c->cells[0] = c->label;
	c->cells[1] = c->a;
	c->cells[2] = c->b;
	c->cells[3] = c->u;
	c->cells[4] = c->rate;
	c->cells[5] = c->target;
	return c->cells;
}

/*
 * The coverage rules of the quarter, as the JSON summary of the run has
 * them; 无法判定: records whose file lacked a field the rule needs, in
 * neither the numerator nor the denominator.
 */
static void coverage_figures(struct report *r, const struct run_view *v)
{
	struct pdf_col cols[6];
	int i, rows = 0;

	for (i = 0; i < v->nrules; i++) {
		struct coverage_cells c;

		if (strcmp(v->rules[i].kind, "coverage"))
			continue;
		if (!rows++)
			pdf_table_begin(r->pdf, coverage_cols(r, cols), 6);
		pdf_table_row(r->pdf, coverage_row(&c, &v->rules[i]));
	}
	if (rows)
		pdf_table_end(r->pdf);
}

/*
 * Whether every count the coverage table can print takes one line of its
 * columns, as "99,999,999" does (the logs' largest rowid, a bound of their
 * records, under 10^8): then rows laid out before their figures are as
 * high as the figures make them. A look-up of each table's last row.
 */
static int counts_fit(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int fit = 0;

	if (sqlite3_prepare_v2(db,
		"SELECT max((SELECT ifnull(max(rowid), 0) FROM tickets),"
		" (SELECT ifnull(max(rowid), 0) FROM complaints),"
		" (SELECT ifnull(max(rowid), 0) FROM callbacks),"
		" (SELECT ifnull(max(rowid), 0) FROM fees))", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		fit = sqlite3_column_int64(st, 0) < 100000000;
	sqlite3_finalize(st);
	return fit;
}

/*
 * The same table before its figures (counts_fit()): each rule's row laid
 * out from its title, the figures held (pdf_table_row_held()) for
 * coverage_fill(); zeros stand in for them.
 */
static int coverage_held(struct report *r, struct figures_job *fj, pm_error *err)
{
	struct pdf_col cols[6];
	int i;

	if (load_rule_titles(r, RULE_COVERAGE, &fj->titles, err) < 0)
		return -1;
	fj->held = calloc((size_t)fj->titles.nrules + 1, sizeof(*fj->held));
	if (!fj->held)
		return pm_fail(err, "out of memory");
	for (i = 0; i < fj->titles.nrules; i++) {
		struct coverage_cells c;
		const char *const *cells = coverage_row(&c, &fj->titles.rules[i]);

		if (i == 0)
			pdf_table_begin(r->pdf, coverage_cols(r, cols), 6);
		fj->held[fj->nheld++] = pdf_table_row_held(r->pdf, cells, 0x3e);
	}
	if (fj->titles.nrules)
		pdf_table_end(r->pdf);
	return 0;
}

/*
 * The held rows' figures, from the thread's view: the same rules in the
 * same order (both are the enabled coverage rules of the rules file).
 */
static int coverage_fill(struct report *r, struct figures_job *fj, pm_error *err)
{
	int i;

	if (figures_finish(fj, err) < 0)
		return -1;
	if (fj->view.nrules != fj->nheld)
		return pm_fail(err, "coverage figures: %d rules, %d laid out", fj->view.nrules,
			       fj->nheld);
	for (i = 0; i < fj->nheld; i++) {
		struct coverage_cells c;

		if (strcmp(fj->view.rules[i].rule_id, fj->titles.rules[i].rule_id) ||
		    strcmp(fj->view.rules[i].title, fj->titles.rules[i].title))
			return pm_fail(err, "coverage figures: rule %s laid out as %s",
				       fj->view.rules[i].rule_id, fj->titles.rules[i].rule_id);
		pdf_table_fill(r->pdf, fj->held[i], coverage_row(&c, &fj->view.rules[i]));
	}
	fj->nheld = 0;
	return 0;
}

static void callback_text(const struct report *r, const struct sampled *x, char *buf, size_t n)
{
	if (!x->cb_at)
		snprintf(buf, n, "%s", tr(r, "未回访", "none"));
	else
		snprintf(buf, n, "%.16s %s%s%s%s", x->cb_at, x->cb_staff ? x->cb_staff : "",
			 x->cb_role ? "（" : "", x->cb_role ? x->cb_role : "", x->cb_role ? "）" : "");
}

static void result_text(const struct report *r, const struct sampled *x, char *buf, size_t n)
{
	if (!x->cb_at)
		snprintf(buf, n, "—");
	else
		snprintf(buf, n, "%s%s%s", x->cb_result ? x->cb_result : "",
			 x->problem ? tr(r, " · 发现问题", " · problem found") : "",
			 x->supervisor > 0 ? tr(r, " · 主管已回访", " · supervisor called") :
			 x->supervisor < 0 ? tr(r, " · 主管回访无法判定", " · supervisor: unknown") : "");
}

static void checklist_table(struct report *r, const struct sample *s)
{
	struct pdf_col cols[9] = {
		/*
		 * Widths for whole words: a ticket id on one line, "technician" and
		 * a date (2026-10-06) unbroken, the time wrapping at its space; the
		 * row number to five digits (a company's checklist of 50,000 rows)
		 */
		{ "#", 0.8, PDF_RIGHT }, { tr(r, "报修单号", "Ticket"), 1.7, PDF_LEFT },
		{ tr(r, "项目 / 房号", "Site / room"), 1.4, PDF_LEFT },
		{ tr(r, "类别 / 维修人", "Category / technician"), 1.3, PDF_LEFT },
		{ tr(r, "完成时间", "Completed"), 1.3, PDF_LEFT },
		{ tr(r, "最近回访（人员/岗位）", "Latest callback (staff/role)"), 1.6, PDF_LEFT },
		{ tr(r, "回访结果", "Result"), 1.1, PDF_LEFT },
		/* the two columns written in by hand: room for a sentence and a name */
		{ tr(r, "抽查结果", "Inspector's finding"), 1.8, PDF_LEFT },
		{ tr(r, "检查人", "Inspector"), 1.0, PDF_LEFT }
	};
	int i;

	pdf_table_begin(r->pdf, cols, 9);
	pdf_table_min_height(r->pdf, 38);
	for (i = 0; i < s->n; i++) {
		const struct sampled *x = &s->rows[i];
		char num[16], place[200], cb[200], res[200], kind[200], done[20];
		const char *cells[9];

		snprintf(num, sizeof(num), "%d", i + 1);
		snprintf(place, sizeof(place), "%s %s", x->site, x->room ? x->room : "");
		callback_text(r, x, cb, sizeof(cb));
		result_text(r, x, res, sizeof(res));
		cells[0] = num;
		cells[1] = x->id;
		cells[2] = place;
		snprintf(kind, sizeof(kind), "%s%s%s", x->category ? x->category : "",
			 x->technician ? " · " : "", x->technician ? x->technician : "");
		cells[3] = kind;
		/* to the minute, as the callback's time: "2026-10-06 22:09" wraps at the space */
		snprintf(done, sizeof(done), "%.16s", x->completed ? x->completed : "");
		cells[4] = x->completed ? done : tr(r, "未完成", "open");
		cells[5] = cb;
		cells[6] = res;
		cells[7] = "";
		cells[8] = "";
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
}

/* The checklist as CSV, UTF-8 with BOM so that Excel opens it, empty columns to fill in. */
static int write_checklist(struct report *r, const struct sample *s, const char *path,
			   pm_error *err)
{
	FILE *f;
	int i;

	/* renamed into place with the PDF by report_end() */
	if (outfile_open(&r->side_out, path, err) < 0)
		return -1;
	r->has_side_out = 1;
	f = r->side_out.f;
	fputs(CSV_UTF8_BOM, f);
	fputs(r->english ?
	      "no,ticket_id,site,room,category,technician,reported_at,completed_at,callback_at,callback_staff,"
	      "callback_role,supervisor_callback,callback_result,problem_found,inspection_result,"
	      "owner_opinion,inspector,date\r\n" :
	      "序号,报修单号,项目,房号,类别,维修人,报修时间,完成时间,最近回访时间,回访人,岗位,主管已回访,"
	      "回访结果,发现问题,抽查结果,业主意见,检查人,检查日期\r\n", f);
	for (i = 0; i < s->n; i++) {
		const struct sampled *x = &s->rows[i];

		fprintf(f, "%d,", i + 1);
		csv_write_field(f, x->id); fputc(',', f);
		csv_write_field(f, x->site); fputc(',', f);
		csv_write_field(f, x->room); fputc(',', f);
		csv_write_field(f, x->category); fputc(',', f);
		csv_write_field(f, x->technician); fputc(',', f);
		csv_write_field(f, x->reported); fputc(',', f);
		csv_write_field(f, x->completed); fputc(',', f);
		csv_write_field(f, x->cb_at); fputc(',', f);
		csv_write_field(f, x->cb_staff); fputc(',', f);
		csv_write_field(f, x->cb_role); fputc(',', f);
		fputs(sampled_supervisor(x, r->english), f); fputc(',', f);
		csv_write_field(f, x->cb_result); fputc(',', f);
		fputs(!x->cb_at ? "" : x->problem ? tr(r, "是", "yes") : tr(r, "否", "no"), f);
		fputs(",,,,\r\n", f);
	}
	if (ferror(f))
		return pm_fail(err, "%s: write failed: %s", path, strerror(errno));
	return 0;
}

static int cover(struct report *r, const char *from, const char *to, const char *as_of,
		 int sampled, int total, pm_error *err)
{
	struct cover_facts f;
	char plan[200];
	const char *labels[5], *values[5];

	cover_facts(r, r->opts->quarter, from, to, as_of, &f);
	snprintf(plan, sizeof(plan), r->english ?
		 "%.0f%% per site, seed %llu: %d of %d tickets" :
		 "各项目按 %.0f%% 抽取，随机种子 %llu：共抽取 %d 例（本季报修 %d 例）",
		 r->opts->fraction * 100, r->opts->seed, sampled, total);
	labels[0] = tr(r, "公司 / 项目", "Company / site");
	values[0] = f.scope;
	labels[1] = tr(r, "抽查期间", "Period");
	values[1] = f.period;
	labels[2] = tr(r, "抽样方案", "Sample");
	values[2] = plan;
	labels[3] = tr(r, "数据截止时间", "As of");
	values[3] = as_of;
	labels[4] = tr(r, "报告生成时间", "Generated");
	values[4] = f.generated;
	pdf_cover(r->pdf, tr(r, "季度报修回访抽查表", "Quarterly Repair Spot Check"), f.subtitle,
		  labels, values, 5);
	cover_facts_free(&f);
	pdf_space(r->pdf, 20);
	pdf_note(r->pdf, tr(r,
		"依据：客户服务中心主任每季度对报修记录抽查回访20%（服务手册 003）。"
		"样本按项目分层：每个项目按随机种子对报修单号计算的键值排序，取前 20%（向上取整）；"
		"同一种子、同一数据得到同一样本，与记录的存储顺序无关。",
		"Source: the centre's head spot-checks 20% of the quarter's repair records each "
		"quarter (handbook 003). Stratified by site: per site, tickets are ranked by a key "
		"computed from the seed and the ticket id and the first 20% (rounded up) are taken; "
		"the same seed and data give the same sample, whatever the row order."));
	pdf_space(r->pdf, 10);
	return print_coverage(r, to, as_of, err);
}

/*
 * The sample on a thread of its own, the quarter's coverage figures on
 * another (figures_start()) and the file's verification on a third, in one
 * write transaction (above); back when the sample is there, the figures
 * and the verdict to come (figures_commit()). The PDF prints the coverage
 * rules' figures and nothing else of a run: they are computed alone
 * (load_rule_figures(): the coverage rules' records pass, no fee pass, no
 * findings, no other rule) and no run is stored -- unless the workbook
 * (--xlsx) lists the run's records, when the quarter's full run is made on
 * this thread, committed and its figures read back before the layout.
 */
static int figures_and_sample(struct report *r, const struct sample_params *sp,
			      const struct pdf_meta *meta, sqlite3_int64 *run,
			      struct run_view *view, struct figures_job *fj,
			      struct runs_verify *verify, struct sample *s, pm_error *err)
{
	const struct report_opts *o = r->opts;
	struct sample_job job;
	int rc;

	*run = 0;
	if (runs_verify_before(r, err) < 0)
		return -1;
	/*
	 * Without a run the report writes nothing to the file: its connection
	 * maps it (db_map_reads()) and reads the quarter's tickets in place
	 * instead of a system call and a copy per page (1.3-1.7 s of the
	 * shuffled database's random reads).
	 */
	if (!o->xlsx)
		db_map_reads(r->db);
	if (check_begin_runs(r->db, err) < 0) {
		runs_damaged_first(r->db, o, err);
		return -1;
	}
	if (runs_verify_beside(verify, r, err) < 0) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	sample_start(&job, r->db, sp, o->one_thread);
	rc = o->xlsx ? run_check(r, sp->from, sp->to, sp->as_of, o->site, run, err) :
	     figures_start(fj, r, sp, err);
	/* the font loads (50 ms) while the sample and the figures are read */
	if (rc == 0)
		rc = report_begin_pdf(r, meta, err);
	if (rc < 0)
		sample_abandon(&job);
	else
		rc = sample_finish(&job, r->db, s, err);
	if (rc < 0 || o->xlsx) {
		if (!o->xlsx)
			reader_thread_join(&fj->reader);
		/* before COMMIT: a damaged file stores nothing, and is the error */
		rc = runs_verify_verdict(verify, rc, err);
		if (rc < 0) {
			sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (db_exec(r->db, "COMMIT", err) < 0)
			return -1;
	}
	return o->xlsx ? load_run(r, *run, view, err) : 0;
}

/*
 * The figures in (the held rows filled), the verification's verdict, the
 * COMMIT: after the layout, before any file is written. The workbook's run
 * was committed before the layout (figures_and_sample()).
 */
static int figures_commit(struct report *r, struct figures_job *fj, struct runs_verify *verify,
			  int rc, pm_error *err)
{
	if (r->opts->xlsx)
		return rc;
	if (rc == 0 && fj->nheld)
		rc = coverage_fill(r, fj, err);
	else if (rc == 0)
		rc = figures_finish(fj, err);
	rc = runs_verify_verdict(verify, rc, err);
	if (rc < 0) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return db_exec(r->db, "COMMIT", err);
}

/* "主管、主任或经理" / "主管, 主任 or 经理": the roles of the supervisor's rule, in a sentence. */
static void roles_text(const struct rule_list *roles, int english, char *out, size_t size)
{
	size_t used = 0;
	int n;

	out[0] = '\0';
	for (n = 0; n < roles->count && used < size; n++) {
		const char *sep = n == 0 ? "" : n < roles->count - 1 ? (english ? ", " : "、")
					       : (english ? " or " : "或");

		used += snprintf(out + used, size - used, "%s%s", sep, roles->items[n]);
	}
}

/*
 * The overview's first sentences: the quarter's tickets, the sample, those
 * called back and, when a rule names the supervisor's roles (rules file:
 * T-PAID-SUPERVISOR's callback_roles), those called back by one of them.
 */
static void overview_text(const struct report *r, const struct sample *s, int total, int called,
			  int supervised, const struct rule_list *roles, char *out, size_t size)
{
	char names[200];

	if (!roles) {
		snprintf(out, size, r->english ?
			 "%d tickets sampled of %d. %d already have a callback. No rule of the rules "
			 "file names the supervisor's roles, so none is counted as the supervisor's." :
			 "本季共报修 %d 例，抽取 %d 例。其中已回访 %d 例。规则文件中没有规定主管岗位的"
			 "回访规则，不判定是否由主管回访。",
			 r->english ? s->n : total, r->english ? total : s->n, called);
		return;
	}
	roles_text(roles, r->english, names, sizeof(names));
	if (r->english)
		snprintf(out, size, "%d tickets sampled of %d. %d already have a callback, %d of "
			 "them by a supervisor (role %s).", s->n, total, called, supervised, names);
	else
		snprintf(out, size, "本季共报修 %d 例，抽取 %d 例。其中已回访 %d 例，由主管（岗位为%s）"
			 "回访 %d 例。", total, s->n, called, names, supervised);
}

int report_inspection(sqlite3 *db, const struct report_opts *opts, pm_error *err)
{
	struct report r;
	struct sample s = { 0 };
	struct sample_params sp;
	struct run_view view = { 0 };
	struct figures_job fj;
	struct runs_verify verify = { 0 };
	struct pdf_meta meta;
	char from[20], to[20], as_of[20], text[400], *header;
	sqlite3_int64 run;
	const struct rule *supervisor;
	int total, supervised = 0, unsure = 0, called = 0, i, rc, in_tx = 0;

	memset(&fj, 0, sizeof(fj));
	if (quarter_window(opts->quarter, from, to, err) < 0)
		return -1;
	if (report_as_of(db, opts, to, as_of, err) < 0) {
		runs_damaged_first(db, opts, err);
		return -1;
	}
	header = report_header(opts, opts->english ? "Quarterly Repair Spot Check" : "季度报修回访抽查表");
	if (!header)
		return pm_fail(err, "out of memory");
	meta = (struct pdf_meta){ opts->english ? "Quarterly Repair Spot Check" : "季度报修回访抽查表",
				  header, opts->quarter, as_of, opts->english };
	/* the PDF once the reads have started (figures_and_sample()) */
	rc = report_begin(&r, db, opts, NULL, err);
	if (rc < 0) {
		free(header);
		runs_damaged_first(db, opts, err);
		return -1;
	}
	supervisor = key_rule_of(r.rules, KEY_SUPERVISOR_CALLBACK);
	sp = (struct sample_params){ from, to, as_of, opts->site, opts->fraction, opts->seed,
				     supervisor ? &supervisor->callback_roles : NULL };
	rc = figures_and_sample(&r, &sp, &meta, &run, &view, &fj, &verify, &s, err);
	/* pdf_new() keeps a copy of the header */
	free(header);
	if (rc < 0)
		goto fail;
	/* the figures and the verdict to come, the transaction open (figures_commit()) */
	in_tx = !opts->xlsx;
	total = s.total;
	for (i = 0; i < s.n; i++) {
		supervised += s.rows[i].supervisor > 0;
		unsure += s.rows[i].supervisor < 0;
		called += s.rows[i].cb_at != NULL;
	}
	if (opts->checklist && write_checklist(&r, &s, opts->checklist, err) < 0)
		goto fail;
	if (cover(&r, from, to, as_of, s.n, total, err) < 0)
		goto fail;
	pdf_new_page(r.pdf);
	pdf_section(r.pdf, tr(&r, "一、抽查概况", "1. Overview"));
	overview_text(&r, &s, total, called, supervised, sp.supervisor_roles, text, sizeof(text));
	if (unsure)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), r.english ?
			 " For %d more it cannot be told: their callbacks came from files without "
			 "a role column (无法判定)." :
			 "另有 %d 例无法判定是否由主管回访：其回访来自没有“岗位”一栏的文件。", unsure);
	pdf_paragraph(r.pdf, text);
	site_summary(&r, &s);
	pdf_subsection(r.pdf, tr(&r, "本季回访覆盖率", "Callback coverage this quarter"));
	if (opts->xlsx)
		coverage_figures(&r, &view);
	else if (fj.reader.started && counts_fit(r.db)) {
		if (coverage_held(&r, &fj, err) < 0)
			goto fail;
	} else if (figures_finish(&fj, err) < 0)
		goto fail;
	else
		coverage_figures(&r, &fj.view);
	pdf_section(r.pdf, tr(&r, "二、抽查清单", "2. Checklist"));
	pdf_note(r.pdf, tr(&r, "“抽查结果”与“检查人”两栏由检查人回访业主后填写。",
			   "The inspector fills in the last two columns after calling the owner."));
	checklist_table(&r, &s);
	in_tx = 0;
	if (figures_commit(&r, &fj, &verify, 0, err) < 0)
		goto fail;
	if (opts->checklist) {
		const char *base = strrchr(opts->checklist, '/');

		snprintf(text, sizeof(text), r.english ? "The checklist is also in %s." :
			 "清单同时导出为 %s。", base ? base + 1 : opts->checklist);
		pdf_note(r.pdf, text);
	}
	/* the inspector's signature line and the approval block on one page */
	pdf_need(r.pdf, 30 + 21 + 10 + 105);
	pdf_space(r.pdf, 30);
	pdf_paragraph(r.pdf, tr(&r, "检查人签字：____________________        日期：____________________",
				"Inspector: ____________________        Date: ____________________"));
	/* the checklist is reviewed and approved like the other reports */
	pdf_space(r.pdf, 10);
	approval_block(&r);
	if (data_sources(&r, "--quarter", opts->quarter, as_of, err) < 0 ||
	    report_xlsx(&r, run, meta.title, opts->quarter, from, to, as_of, s.rows, s.n, err) < 0)
		goto fail;
	free_run(&view);
	figures_free(&fj);
	sample_free(&s);
	return report_end(&r, err);
fail:
	if (in_tx)
		figures_commit(&r, &fj, &verify, -1, err);
	free_run(&view);
	figures_free(&fj);
	sample_free(&s);
	report_abort(&r);
	return -1;
}
