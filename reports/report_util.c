/*
 * What the three reports share: number formats (one place, so that a rate
 * reads the same in every table, tile and sentence), period arithmetic,
 * reading a check run back, and the PDF/chart-folder lifecycle.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "reports/chart.h"
#include "reports/sample.h"
#include "reports/report.h"
#include "db/db.h"
#include "util/civil.h"
#include "util/period.h"
#include "rules/engine/check.h"
#include "rules/results/results.h"
#include "rules/ruleset/ruleset.h"

const char *tr(const struct report *r, const char *zh, const char *en)
{
	return r->english ? en : zh;
}

/* "上月" in the monthly report, "上年" in the annual one. */
const char *prev_name(const struct report *r)
{
	if (r->yearly)
		return tr(r, "上年", "Last year");
	return tr(r, "上月", "Last month");
}

/*
 * text_append() (reports/report.h): whole or not at all, so the text stays
 * valid UTF-8 and *len never passes cap.
 */
int text_append(char *text, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*len >= cap)
		return -1;
	va_start(ap, fmt);
	w = vsnprintf(text + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= cap - *len) {
		text[*len] = '\0';
		return -1;
	}
	*len += (size_t)w;
	return 0;
}

void fmt_rate(char *buf, size_t n, int has_rate, double rate)
{
	if (!has_rate)
		snprintf(buf, n, "—");
	else
		/* Rounded to 4 decimals first, as the JSON summary holds it. */
		snprintf(buf, n, "%.2f%%", round(rate * 10000.0) / 100.0);
}

/* Digits with a comma every three, e.g. 1234567 -> "1,234,567". */
static void group_digits(char *buf, size_t n, unsigned long long v)
{
	char digits[32], out[48];
	int len, i, o = 0;

	len = snprintf(digits, sizeof(digits), "%llu", v);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, n, "%s", out);
}

void fmt_money(char *buf, size_t n, long long cents)
{
	char whole[48];
	unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;

	group_digits(whole, sizeof(whole), a / 100);
	snprintf(buf, n, "%s¥%s.%02llu", cents < 0 ? "-" : "", whole, a % 100);
}

void fmt_count(char *buf, size_t n, long long v)
{
	char digits[30];

	group_digits(digits, sizeof(digits), v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	snprintf(buf, n, "%s%s", v < 0 ? "-" : "", digits);
}

void fmt_points(char *buf, size_t n, int has_a, double a, int has_b, double b)
{
	double d;

	if (!has_a || !has_b) {
		snprintf(buf, n, "—");
		return;
	}
	/* Rounded as the printed rates are, so the change adds up on paper. */
	d = round(a * 10000.0) / 100.0 - round(b * 10000.0) / 100.0;
	if (fabs(d) < 0.005)
		d = 0;
	snprintf(buf, n, "%+.2f", d);
}

void site_and_room(const char *site, const char *room, char *buf, size_t n)
{
	if (room && *room)
		snprintf(buf, n, "%s %s", site ? site : "", room);
	else
		snprintf(buf, n, "%s", site ? site : "");
}

void fmt_late(const struct report *r, char *buf, size_t n, long long s)
{
	if (s <= 0)
		snprintf(buf, n, "—");
	else
		results_format_late(s, r->english, buf, n);
}

/* The windows of the canonical texts cmd/ gives (util/period.h parses both). */
int month_window(const char *month, char *from, char *to, pm_error *err)
{
	struct period p;

	if (period_month(month ? month : "", &p, err) < 0)
		return -1;
	memcpy(from, p.from, sizeof(p.from));
	memcpy(to, p.to, sizeof(p.to));
	return 0;
}

void month_add(const char *month, int n, char *out)
{
	struct period p;
	int k;

	if (period_month(month ? month : "", &p, NULL) < 0) {
		strcpy(out, "0000-00");
		return;
	}
	k = p.year * 12 + (p.month - 1) + n;
	sprintf(out, "%04d-%02d", k / 12, k % 12 + 1);
}

void day_before(char *date)
{
	int64_t day;

	if (civil_parse_date(date, &day) == 0)
		civil_format_date(day - 1, date);
}

int normalize_time(const char *in, char *out, pm_error *err)
{
	return period_time("--as-of", in, out, NULL, err);
}

enum run_records { RUN_RECORDS_ALL, RUN_RECORDS_NONE, RUN_RECORDS_ACCOUNTS };

static void run_params(struct report *r, const char *from, const char *to, const char *as_of,
		       const char *site, enum run_records records, struct check_params *p)
{
	memset(p, 0, sizeof(*p));
	p->from = from;
	p->to = to;
	p->as_of = as_of;
	p->site = site;
	p->rules = r->opts->rules;
	p->calendar = r->opts->calendar;
	p->one_thread = r->opts->one_thread;
	p->figures_only = records == RUN_RECORDS_NONE;
	p->account_records_only = records == RUN_RECORDS_ACCOUNTS;
	p->backlog_pair = r->backlog_pair;
}

static int run_with(struct report *r, const char *from, const char *to, const char *as_of,
		    const char *site, enum run_records records, sqlite3_int64 *run_id,
		    pm_error *err)
{
	struct check_params p;

	run_params(r, from, to, as_of, site, records, &p);
	return check_run(r->db, &p, run_id, err);
}

int run_counting_months(struct report *r, const char *from, const char *to, const char *as_of,
			const char *site, int all_records, struct check_trend_counts *months,
			struct check_categories *cats, struct check_site_fees **fees, int *nfees,
			sqlite3_int64 *run_id, pm_error *err)
{
	struct check_params p;

	run_params(r, from, to, as_of, site, all_records ? RUN_RECORDS_ALL : RUN_RECORDS_ACCOUNTS,
		   &p);
	p.trend = months;
	p.categories = cats;
	p.site_fees = fees;
	p.nsite_fees = nfees;
	return check_run(r->db, &p, run_id, err);
}

int run_check(struct report *r, const char *from, const char *to, const char *as_of,
	      const char *site, sqlite3_int64 *run_id, pm_error *err)
{
	return run_with(r, from, to, as_of, site, RUN_RECORDS_ALL, run_id, err);
}

int run_check_site_fees(struct report *r, const char *from, const char *to, const char *as_of,
			sqlite3_int64 *run_id, struct check_site_fees **fees, int *nfees,
			pm_error *err)
{
	struct check_params p;

	run_params(r, from, to, as_of, NULL, RUN_RECORDS_ALL, &p);
	p.site_fees = fees;
	p.nsite_fees = nfees;
	return check_run(r->db, &p, run_id, err);
}

int run_figures(struct report *r, const char *from, const char *to, const char *as_of,
		const char *site, sqlite3_int64 *run_id, pm_error *err)
{
	return run_with(r, from, to, as_of, site, RUN_RECORDS_NONE, run_id, err);
}

int run_accounts(struct report *r, const char *from, const char *to, const char *as_of,
		 const char *site, sqlite3_int64 *run_id, pm_error *err)
{
	return run_with(r, from, to, as_of, site, RUN_RECORDS_ACCOUNTS, run_id, err);
}

void report_fail(struct report *r, const pm_error *e)
{
	if (r->failed)
		return;
	r->failed = 1;
	r->error = *e;
}

/* A section that cannot read its data fails the report, also when it passes no err. */
sqlite3_stmt *prepare(struct report *r, const char *sql, pm_error *err)
{
	sqlite3_stmt *st = NULL;
	pm_error e;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		pm_fail(&e, "database: %s", sqlite3_errmsg(r->db));
		report_fail(r, &e);
		if (err)
			*err = e;
		return NULL;
	}
	return st;
}

int step_done(struct report *r, sqlite3_stmt *st, int rc, pm_error *err)
{
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(r->db));
	return 0;
}

int name_count_desc(const void *a, const void *b)
{
	const struct name_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

void bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

const struct results_run *report_run(struct report *r, sqlite3_int64 run_id, pm_error *err)
{
	struct results_run **grown, *run;
	int i;

	for (i = 0; i < r->nruns; i++)
		if (r->runs[i]->run_id == run_id)
			return r->runs[i];
	/* each run its own allocation: views keep pointers to it */
	grown = realloc(r->runs, (r->nruns + 1) * sizeof(*grown));
	run = grown ? malloc(sizeof(*run)) : NULL;
	if (grown)
		r->runs = grown;
	if (!run) {
		pm_fail(err, "out of memory");
		return NULL;
	}
	if (results_open_run(r->db, run_id, run, err) < 0) {
		free(run);
		return NULL;
	}
	r->runs[r->nruns++] = run;
	return run;
}

void report_forget_runs(struct report *r)
{
	int i;

	for (i = 0; i < r->nruns; i++) {
		results_close_run(r->runs[i]);
		free(r->runs[i]);
	}
	free(r->runs);
	r->runs = NULL;
	r->nruns = 0;
}

const struct ruleset *report_rules(struct report *r, pm_error *err)
{
	(void)err;
	return r->opts->rules;
}

static void view_rule(struct report *r, const struct ruleset *rs, const struct results_rule *in,
		      struct rule_result *x)
{
	const char *title = r->english ? in->title_en : in->title_zh;

	memset(x, 0, sizeof(*x));
	snprintf(x->rule_id, sizeof(x->rule_id), "%s", in->rule_id);
	snprintf(x->kind, sizeof(x->kind), "%s", in->kind);
	snprintf(x->title, sizeof(x->title), "%s", *title ? title : in->rule_id);
	x->role = rule_role(rs, in->rule_id);
	x->met = in->met;
	x->breached = in->breached;
	x->pending = in->pending;
	x->unknown = in->unknown;
	x->numerator = in->numerator;
	x->denominator = in->denominator;
	x->has_rate = in->has_rate;
	x->rate = in->rate;
	x->has_target = in->has_target;
	x->target = in->target;
	x->has_target_met = in->has_target_met;
	x->target_met = in->target_met;
}

int load_run(struct report *r, sqlite3_int64 run_id, struct run_view *view, pm_error *err)
{
	const struct results_run *run = report_run(r, run_id, err);
	const struct ruleset *rs = report_rules(r, err);
	int i;

	memset(view, 0, sizeof(*view));
	view->run_id = run_id;
	if (!run || !rs)
		return -1;
	view->results = run;
	view->rules = calloc(run->nrules + 1, sizeof(*view->rules));
	if (!view->rules)
		return pm_fail(err, "out of memory");
	for (i = 0; i < run->nrules; i++)
		view_rule(r, rs, &run->rules[i], &view->rules[i]);
	view->nrules = run->nrules;
	return 0;
}

/* The enabled rules of the kind, in the rules file's order, as a run stores them. */
static int rules_of_kind(const struct ruleset *rs, enum rule_kind kind, const char **ids)
{
	size_t i;
	int n = 0;

	for (i = 0; i < rs->count; i++)
		if (rs->rules[i].enabled && rs->rules[i].kind == kind)
			ids[n++] = rs->rules[i].id;
	return n;
}

int load_rule_figures(struct report *r, sqlite3 *db, const char *from, const char *to,
		      const char *as_of, const char *site, enum rule_kind kind,
		      struct run_view *view, pm_error *err)
{
	const struct ruleset *rs = report_rules(r, err);
	struct check_params p = {
		.from = from, .to = to, .as_of = as_of, .site = site,
		.rules = r->opts->rules, .calendar = r->opts->calendar,
	};
	const char **ids = NULL;
	struct results_rule *rows = NULL;
	int n = 0, k, rc = -1;

	memset(view, 0, sizeof(*view));
	if (!rs)
		return -1;
	ids = calloc(rs->count + 1, sizeof(*ids));
	rows = calloc(rs->count + 1, sizeof(*rows));
	view->rules = calloc(rs->count + 1, sizeof(*view->rules));
	if (!ids || !rows || !view->rules) {
		pm_fail(err, "out of memory");
		goto out;
	}
	n = rules_of_kind(rs, kind, ids);
	if (check_rule_figures(db, &p, ids, n, rows, err) < 0)
		goto out;
	for (k = 0; k < n; k++)
		view_rule(r, rs, &rows[k], &view->rules[k]);
	view->nrules = n;
	rc = 0;
out:
	free(ids);
	free(rows);
	if (rc)
		free_run(view);
	return rc;
}

int load_rule_titles(struct report *r, enum rule_kind kind, struct run_view *view,
		     pm_error *err)
{
	const struct ruleset *rs = report_rules(r, err);
	size_t i;
	int n = 0;

	memset(view, 0, sizeof(*view));
	if (!rs)
		return -1;
	view->rules = calloc(rs->count + 1, sizeof(*view->rules));
	if (!view->rules)
		return pm_fail(err, "out of memory");
	/* the rules of rules_of_kind(), each the row a run of no records gives */
	for (i = 0; i < rs->count; i++) {
		struct results_rule row;

		if (!rs->rules[i].enabled || rs->rules[i].kind != kind)
			continue;
		results_rule_of_counts(&rs->rules[i], 0, 0, 0, 0, &row);
		view_rule(r, rs, &row, &view->rules[n++]);
	}
	view->nrules = n;
	return 0;
}

void free_run(struct run_view *view)
{
	free(view->rules);
	view->rules = NULL;
	view->nrules = 0;
}

const struct rule_result *find_rule(const struct run_view *view, const char *rule_id)
{
	int i;

	for (i = 0; view && rule_id && *rule_id && i < view->nrules; i++)
		if (!strcmp(view->rules[i].rule_id, rule_id))
			return &view->rules[i];
	return NULL;
}

const struct rule_result *key_rule(struct report *r, const struct run_view *view,
				   enum key_rule k)
{
	const struct ruleset *rs = report_rules(r, NULL);

	return rs ? find_rule(view, key_rule_id(rs, k)) : NULL;
}

int figure_int(struct report *r, sqlite3_int64 run_id, enum results_figure f, long long *v)
{
	const struct results_run *run = report_run(r, run_id, NULL);

	return run ? results_figure_int(run, f, v) : -1;
}

int figure_real(struct report *r, sqlite3_int64 run_id, enum results_figure f, double *v)
{
	const struct results_run *run = report_run(r, run_id, NULL);

	return run ? results_figure_real(run, f, v) : -1;
}

/* ---- lifecycle ---- */

char *breaches_csv_path(const char *pdf)
{
	struct stat st;
	size_t len = strlen(pdf);
	char *out;

	if (!strcmp(pdf, "-") || (stat(pdf, &st) == 0 && !S_ISREG(st.st_mode)))
		return NULL;
	if (len > 4 && !strcasecmp(pdf + len - 4, ".pdf"))
		len -= 4;
	if (asprintf(&out, "%.*s-breaches.csv", (int)len, pdf) < 0)
		return NULL;
	return out;
}

/* --charts DIR: made if missing; it must be a folder we can write in. */
static int user_chart_folder(struct report *r, const char *dir, pm_error *err)
{
	struct stat st;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return pm_fail(err, "--charts %s: cannot create the chart folder: %s", dir,
			       strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return pm_fail(err, "--charts %s: not a folder", dir);
	if (access(dir, W_OK | X_OK) < 0)
		return pm_fail(err, "--charts %s: cannot write in the chart folder: %s", dir,
			       strerror(errno));
	if (!(r->charts_dir = strdup(dir)))
		return pm_fail(err, "out of memory");
	return 0;
}

/* A folder of our own under $TMPDIR, removed at the end and on SIGINT/SIGTERM/SIGHUP. */
static int temp_chart_folder(struct report *r, pm_error *err)
{
	const char *tmp = getenv("TMPDIR");

	if (asprintf(&r->charts_dir, "%s/pmaudit-charts-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) {
		r->charts_dir = NULL;
		return pm_fail(err, "out of memory");
	}
	r->charts_slot = outfile_make_temp_dir(r->charts_dir);
	if (r->charts_slot == -1)
		return pm_fail(err, "cannot create a temporary folder: %s", strerror(errno));
	r->temp_charts = 1;
	return 0;
}

int report_begin(struct report *r, sqlite3 *db, const struct report_opts *opts,
		 const struct pdf_meta *meta, pm_error *err)
{
	memset(r, 0, sizeof(*r));
	r->charts_slot = -1;
	r->pdf_out.slot = r->side_out.slot = r->xlsx_out.slot = -1;
	r->db = db;
	r->opts = opts;
	r->rules = opts->rules;
	r->english = opts->english;
	/* the temporary PDF now: an unwritable --out fails before the work */
	if (outfile_open_path(&r->pdf_out, opts->out, err) < 0)
		return -1;
	/* and the workbook's (--xlsx), committed with the PDF by report_end() */
	if (opts->xlsx) {
		if (outfile_open_path(&r->xlsx_out, opts->xlsx, err) < 0) {
			report_abort(r);
			return -1;
		}
		r->has_xlsx_out = 1;
	}
	if (!opts->no_charts && (opts->charts_dir ? user_chart_folder(r, opts->charts_dir, err)
				 : temp_chart_folder(r, err)) < 0) {
		report_abort(r);
		return -1;
	}
	if (db_coverage(db, opts->site, &r->coverage, err) < 0 ||
	    (meta && report_begin_pdf(r, meta, err) < 0)) {
		report_abort(r);
		return -1;
	}
	return 0;
}

int report_begin_pdf(struct report *r, const struct pdf_meta *meta, pm_error *err)
{
	if (pdf_new(meta, &r->pdf, err) < 0)
		return -1;
	if (r->opts->one_thread)
		pdf_one_thread(r->pdf);
	return 0;
}

void report_charts_early(struct report *r)
{
	pm_error ignored;

	if (r->charts_dir && !r->gnuplot)
		chart_session_start(&r->gnuplot, &ignored);
}

int has_data(const struct report *r, int log, const char *from, const char *to)
{
	const char *first = r->coverage.log[log].first, *last = r->coverage.log[log].last;

	/* [from, to) meets [first, last]; a bare date (fees) compares as its day's start */
	return first[0] && strcmp(first, to) < 0 && strncmp(last, from, strlen(last)) >= 0;
}

int month_has_data(const struct report *r, int log, const char *month)
{
	char from[20], to[20];
	pm_error ignored;

	if (month_window(month, from, to, &ignored) < 0)
		return 1;
	return has_data(r, log, from, to);
}

const char *no_data(const struct report *r)
{
	return tr(r, "无数据", "no data");
}

int chart_file(struct report *r, const char *name, const char **path, pm_error *err)
{
	struct outfile *grown;
	char *target;
	int rc;

	if (!r->charts_dir)
		return pm_fail(err, "no chart folder");
	grown = realloc(r->charts, (r->ncharts + 1) * sizeof(*grown));
	if (!grown)
		return pm_fail(err, "out of memory");
	r->charts = grown;
	if (asprintf(&target, "%s/%02d-%s.png", r->charts_dir, r->ncharts + 1, name) < 0)
		return pm_fail(err, "out of memory");
	rc = outfile_open_path(&r->charts[r->ncharts], target, err);
	free(target);
	if (rc < 0)
		return -1;
	*path = outfile_path(&r->charts[r->ncharts++]);
	return 0;
}

/* Commits the PNGs into --charts DIR (keep 1), or removes them and our temporary folder. */
static int finish_charts(struct report *r, int keep, pm_error *err)
{
	int i, rc = 0;

	chart_session_end(r->gnuplot);
	r->gnuplot = NULL;
	for (i = 0; i < r->ncharts; i++) {
		if (keep && !r->temp_charts && rc == 0)
			rc = outfile_commit(&r->charts[i], err);
		else
			outfile_abort(&r->charts[i]);
	}
	free(r->charts);
	r->charts = NULL;
	r->ncharts = 0;
	if (r->temp_charts)
		rmdir(r->charts_dir);
	outfile_unregister(r->charts_slot);
	r->charts_slot = -1;
	r->temp_charts = 0;
	free(r->charts_dir);
	r->charts_dir = NULL;
	return rc;
}

void report_abort(struct report *r)
{
	report_forget_runs(r);
	pdf_free(r->pdf);
	r->pdf = NULL;
	finish_charts(r, 0, NULL);
	if (r->has_side_out)
		outfile_abort(&r->side_out);
	r->has_side_out = 0;
	if (r->has_xlsx_out)
		outfile_abort(&r->xlsx_out);
	r->has_xlsx_out = 0;
	outfile_abort(&r->pdf_out);
}

/* The PDF, then every file of the report renamed into place; the PDF last. */
int report_end(struct report *r, pm_error *err)
{
	if (r->failed) {
		*err = r->error;
		report_abort(r);
		return -1;
	}
	if (pdf_save(r->pdf, outfile_path(&r->pdf_out), r->opts->out, err) < 0 ||
	    finish_charts(r, 1, err) < 0 ||
	    (r->has_side_out && outfile_commit(&r->side_out, err) < 0) ||
	    (r->has_xlsx_out && outfile_commit(&r->xlsx_out, err) < 0)) {
		/* removes the temporaries not yet committed (an abort after a commit does nothing) */
		report_abort(r);
		return -1;
	}
	r->has_side_out = r->has_xlsx_out = 0;
	report_forget_runs(r);
	pdf_free(r->pdf);
	r->pdf = NULL;
	return outfile_commit(&r->pdf_out, err);
}

char *scope_name(const struct report_opts *o)
{
	const char *site = o->site ? o->site : o->english ? "All sites" : "全部项目";
	char *out;

	if (asprintf(&out, "%s%s%s", o->company && *o->company ? o->company : "",
		     o->company && *o->company ? " · " : "", site) < 0)
		return NULL;
	return out;
}

char *report_header(const struct report_opts *o, const char *title)
{
	char *scope = scope_name(o), *out = NULL;

	if (scope && asprintf(&out, "%s · %s", title, scope) < 0)
		out = NULL;
	free(scope);
	return out;
}

void generation_time(const struct report *r, const char *as_of, char *out, size_t n)
{
	if (r->opts->wall_clock) {
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
	} else {
		snprintf(out, n, "%s", as_of);
	}
}

int report_as_of(sqlite3 *db, const struct report_opts *opts, const char *to, char out[20],
		 pm_error *err)
{
	int past;

	if (opts->as_of)
		return normalize_time(opts->as_of, out, err) < 0 ? -1 : 0;
	return db_default_as_of(db, to, out, &past, err);
}

/* The warning under the coverage table when the period runs past the data. */
static void past_data_warning(struct report *r, const struct db_coverage *all, const char *to,
			      const char *as_of)
{
	char text[600], last_day[16];

	snprintf(last_day, sizeof(last_day), "%.10s", to);
	day_before(last_day);
	if (!all->last[0])
		snprintf(text, sizeof(text), "%s", tr(r, "注意：数据库中没有任何记录。",
						      "Note: the database holds no records."));
	else if (r->english)
		snprintf(text, sizeof(text), "Note: the period runs to %s, but the data ends at %s "
			 "(the latest event in the database). The report judges as of %s: what "
			 "happened after that is not in the data and is neither a breach nor met.",
			 last_day, all->last, as_of);
	else
		snprintf(text, sizeof(text), "注意：统计期间至 %s，但数据库中的数据只到 %s（最晚的事件时间）。"
			 "本报告按 %s 判定：此后发生的事不在数据中，既不算超时也不算达标。",
			 last_day, all->last, as_of);
	pdf_note(r->pdf, text);
}

int print_coverage(struct report *r, const char *to, const char *as_of, pm_error *err)
{
	static const char *const names[DB_COVERAGE_LOGS][2] = {
		{ "报修工单", "Repair tickets" }, { "投诉", "Complaints" }, { "回访", "Callbacks" },
		{ "收费台账", "Fee ledger" }, { "其中：实收", "of which payments" }
	};
	struct pdf_col c[3] = {
		{ NULL, 2, PDF_LEFT }, { NULL, 2.2, PDF_LEFT }, { NULL, 2.2, PDF_LEFT }
	};
	struct db_coverage cov, all;
	int i;

	if (db_coverage(r->db, r->opts->site, &cov, err) < 0 ||
	    db_coverage(r->db, NULL, &all, err) < 0)
		return -1;
	pdf_subsection_plain(r->pdf, r->opts->site ? tr(r, "数据覆盖范围（本项目）", "Data coverage (this site)")
			     : tr(r, "数据覆盖范围", "Data coverage"));
	c[0].title = tr(r, "台账", "Log");
	c[1].title = tr(r, "最早事件", "First event");
	c[2].title = tr(r, "最晚事件", "Last event");
	pdf_table_begin(r->pdf, c, 3);
	for (i = 0; i < DB_COVERAGE_LOGS; i++) {
		const char *cells[3];

		cells[0] = r->english ? names[i][1] : names[i][0];
		cells[1] = cov.log[i].first[0] ? cov.log[i].first : no_data(r);
		cells[2] = cov.log[i].last[0] ? cov.log[i].last : no_data(r);
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
	/* the as-of rule looks at the whole database: so does the warning */
	if (db_past_data(&all, to))
		past_data_warning(r, &all, to, as_of);
	return 0;
}

int print_fingerprint(struct report *r, pm_error *err)
{
	static const struct pdf_col cols[] = {
		{ NULL, 3.2, PDF_LEFT }, { NULL, 1.2, PDF_RIGHT }, { NULL, 1, PDF_RIGHT },
		{ NULL, 4.6, PDF_LEFT }
	};
	struct pdf_col c[4];
	sqlite3_stmt *st;
	int i, rows = 0, rc;

	/*
	 * The latest import of each file: what the figures were computed from.
	 * A file is its source (canonical path, schema v4), printed under the
	 * name the user gave it last; a source's latest import is left out when
	 * a later import read the same file: the same content, or a source
	 * that once had this content (as etl/import.c resolves rejects).
	 */
	st = prepare(r,
		"WITH latest AS (SELECT * FROM import_runs"
		"  WHERE run_id IN (SELECT MAX(run_id) FROM import_runs GROUP BY source))"
		" SELECT file, rows_read, rejected, sha256 FROM latest l"
		" WHERE NOT EXISTS (SELECT 1 FROM import_runs o WHERE o.run_id > l.run_id"
		"   AND l.sha256 <> '' AND (o.sha256 = l.sha256 OR o.source IN"
		"     (SELECT source FROM import_runs s WHERE s.sha256 = l.sha256)))"
		" ORDER BY file", err);
	if (!st)
		return -1;
	memcpy(c, cols, sizeof(c));
	c[0].title = tr(r, "文件", "File");
	c[1].title = tr(r, "读取行数", "Rows read");
	c[2].title = tr(r, "拒收", "Rejected");
	c[3].title = "SHA-256";
	for (i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
		char n1[32], n2[32];
		const char *cells[4];

		if (i == 0)
			pdf_table_begin(r->pdf, c, 4);
		fmt_count(n1, sizeof(n1), sqlite3_column_int64(st, 1));
		fmt_count(n2, sizeof(n2), sqlite3_column_int64(st, 2));
		cells[0] = col_text(st, 0);
		cells[1] = n1;
		cells[2] = n2;
		cells[3] = col_text(st, 3);
		pdf_table_row(r->pdf, cells);
		rows++;
	}
	if (step_done(r, st, rc, err) < 0)
		return -1;
	if (rows)
		pdf_table_end(r->pdf);
	else
		pdf_note(r->pdf, tr(r, "数据库中没有导入记录。", "The database holds no import runs."));
	return 0;
}

void cover_facts(const struct report *r, const char *label, const char *from,
		 const char *to, const char *as_of, struct cover_facts *f)
{
	char last_day[16];

	f->scope = scope_name(r->opts);
	snprintf(last_day, sizeof(last_day), "%.10s", to);
	/* The period is [from, to): print the last day it includes. */
	day_before(last_day);
	snprintf(f->period, sizeof(f->period), "%.10s %s %s", from, tr(r, "至", "to"), last_day);
	generation_time(r, as_of, f->generated, sizeof(f->generated));
	f->subtitle = NULL;
	if (f->scope && asprintf(&f->subtitle, "%s · %s", label, f->scope) < 0)
		f->subtitle = NULL;
}

void cover_facts_free(struct cover_facts *f)
{
	free(f->scope);
	free(f->subtitle);
	f->scope = f->subtitle = NULL;
}

/* A value for a POSIX shell: as it is when plainly safe, else in single quotes. */
static void shell_word(char *out, size_t n, const char *v)
{
	const unsigned char *s;
	size_t k = 0;
	int plain = *v != '\0';

	for (s = (const unsigned char *)v; *s; s++)
		if (!(*s >= 0x80 || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._/:-+=,", *s)))
			plain = 0;
	if (plain) {
		snprintf(out, n, "%s", v);
		return;
	}
	if (n < 3) {
		if (n)
			*out = '\0';
		return;
	}
	out[k++] = '\'';
	for (s = (const unsigned char *)v; *s && k + 5 < n; s++) {
		if (*s == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else {
			out[k++] = (char)*s;
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
}

void command_add_option(char *cmd, size_t n, const char *name, const char *value)
{
	char word[600];
	size_t len = strlen(cmd);

	if (!value)
		return;
	shell_word(word, sizeof(word), value);
	snprintf(cmd + len, n - len, " %s %s", name, word);
}

int data_sources(struct report *r, const char *period_option, const char *period,
		 const char *as_of, pm_error *err)
{
	const struct report_opts *o = r->opts;
	char cmd[2400] = "pmaudit check";

	pdf_section(r->pdf, tr(r, "附录  数据来源", "Appendix: data sources"));
	pdf_paragraph(r->pdf, tr(r,
		"本报告的数字由以下命令以相同的期间、截止时间、项目、规则与日历复核"
		"（JSON 摘要中的每一项与报告所印一致）：",
		"The command below reproduces the report's figures for the same period, as-of "
		"time, site, rules and calendar (each figure of its JSON summary is the one "
		"printed here):"));
	command_add_option(cmd, sizeof(cmd), "--db", o->db_path);
	command_add_option(cmd, sizeof(cmd), period_option, period);
	command_add_option(cmd, sizeof(cmd), "--as-of", as_of);
	command_add_option(cmd, sizeof(cmd), "--site", o->site);
	command_add_option(cmd, sizeof(cmd), "--rules", o->rules_file);
	command_add_option(cmd, sizeof(cmd), "--calendar", o->calendar_file);
	command_add_option(cmd, sizeof(cmd), "--json", "summary.json");
	pdf_code(r->pdf, cmd);
	pdf_note(r->pdf, tr(r,
		"比率 = 达标 / (达标 + 超时)，待定记录不计入；无法判定的记录（导入文件缺少该规则"
		"所需的字段）不作判定，也不计入比率。下表为计算所用的文件："
		"每个文件最近一次导入的读取行数、拒收行数与 SHA-256 指纹（文件内容不变，指纹不变）。",
		"Rate = met / (met + breached); pending records are not counted, nor are unknown "
		"ones (the imported file lacked a field the rule needs: not judged). The files the "
		"figures were computed from: each file's latest import, its rows read and "
		"rejected, and its SHA-256 fingerprint (the same content gives the same one)."));
	return print_fingerprint(r, err);
}

void approval_block(struct report *r)
{
	const struct report_opts *o = r->opts;
	const struct pdf_col cols[3] = {
		{ tr(r, "编制", "Prepared by"), 1, PDF_LEFT },
		{ tr(r, "审核", "Reviewed by"), 1, PDF_LEFT },
		{ tr(r, "批准", "Approved by"), 1, PDF_LEFT }
	};
	const char *who[3] = { o->prepared_by, o->reviewed_by, o->approved_by };
	char name[3][300];
	const char *cells[3];
	int k;

	for (k = 0; k < 3; k++) {
		snprintf(name[k], sizeof(name[k]), "%s%s", tr(r, "姓名：", "Name: "),
			 who[k] ? who[k] : "");
		cells[k] = name[k];
	}
	/* header, names, signatures, dates: a form kept on one page */
	pdf_need(r->pdf, 105);
	pdf_table_begin(r->pdf, cols, 3);
	pdf_table_min_height(r->pdf, 26);
	pdf_table_row(r->pdf, cells);
	for (k = 0; k < 3; k++)
		cells[k] = tr(r, "签字：", "Signature:");
	pdf_table_row(r->pdf, cells);
	for (k = 0; k < 3; k++)
		cells[k] = tr(r, "日期：", "Date:");
	pdf_table_row(r->pdf, cells);
	pdf_table_end(r->pdf);
}

/* The checklist's 主管已回访 (reports/sample.h): the PDF's CSV and the workbook's. */
const char *sampled_supervisor(const struct sampled *x, int english)
{
	if (x->supervisor < 0)
		return english ? "unknown" : "无法判定";
	return x->supervisor ? (english ? "yes" : "是") : (english ? "no" : "否");
}
