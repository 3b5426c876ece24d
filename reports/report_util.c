/*
 * What the three reports share: number formats (one place, so that a rate
 * reads the same in every table, tile and sentence), period arithmetic,
 * reading a check run back, and the PDF/chart-folder lifecycle.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "reports/report.h"
#include "rules/engine/check.h"

const char *tr(const struct report *r, const char *zh, const char *en)
{
	return r->english ? en : zh;
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

void fmt_late(const struct report *r, char *buf, size_t n, long long s)
{
	long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;

	if (s <= 0)
		snprintf(buf, n, "—");
	else if (d > 0)
		snprintf(buf, n, r->english ? "%lldd %lldh" : "%lld天%lld小时", d, h);
	else if (h > 0)
		snprintf(buf, n, r->english ? "%lldh %lldm" : "%lld小时%lld分", h, m);
	else
		snprintf(buf, n, r->english ? "%lldm" : "%lld分钟", m ? m : 1);
}

static int parse_month(const char *month, int *y, int *m)
{
	char tail;

	if (!month || sscanf(month, "%4d-%2d%c", y, m, &tail) != 2 || strlen(month) != 7)
		return -1;
	if (*y < 1990 || *y > 2200 || *m < 1 || *m > 12)
		return -1;
	return 0;
}

int month_window(const char *month, char *from, char *to, pm_error *err)
{
	int y, m;

	if (parse_month(month, &y, &m) < 0)
		return pm_fail(err, "--month '%s': expected YYYY-MM, e.g. 2026-10", month ? month : "");
	sprintf(from, "%04d-%02d-01 00:00:00", y, m);
	if (m == 12)
		sprintf(to, "%04d-01-01 00:00:00", y + 1);
	else
		sprintf(to, "%04d-%02d-01 00:00:00", y, m + 1);
	return 0;
}

void month_add(const char *month, int n, char *out)
{
	int y, m, k;

	if (parse_month(month, &y, &m) < 0) {
		strcpy(out, "0000-00");
		return;
	}
	k = y * 12 + (m - 1) + n;
	sprintf(out, "%04d-%02d", k / 12, k % 12 + 1);
}

void day_before(char *date)
{
	struct tm tm = { 0 };
	int y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d - 1;
	tm.tm_hour = 12;
	timegm(&tm);
	strftime(date, 11, "%Y-%m-%d", &tm);
}

int normalize_time(const char *in, char *out, pm_error *err)
{
	int y, mo, d, h = 0, mi = 0, s = 0, n;
	char tail;

	n = sscanf(in, "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
	if (!(n == 3 || n == 5 || n == 6) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
		return pm_fail(err, "--as-of '%s': expected YYYY-MM-DD[ HH:MM[:SS]]", in);
	sprintf(out, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
	return 0;
}

int run_check(struct report *r, const char *from, const char *to, const char *as_of,
	      const char *site, sqlite3_int64 *run_id, pm_error *err)
{
	struct check_params p = {
		.from = from, .to = to, .as_of = as_of, .site = site,
		.rules_file = r->opts->rules_file, .calendar_file = r->opts->calendar_file,
		.one_thread = r->opts->one_thread,
	};

	return check_run(r->db, &p, run_id, err);
}

int run_figures(struct report *r, const char *from, const char *to, const char *as_of,
		const char *site, sqlite3_int64 *run_id, pm_error *err)
{
	struct check_params p = {
		.from = from, .to = to, .as_of = as_of, .site = site,
		.rules_file = r->opts->rules_file, .calendar_file = r->opts->calendar_file,
		.figures_only = 1, .one_thread = r->opts->one_thread,
	};

	return check_run(r->db, &p, run_id, err);
}

sqlite3_stmt *prepare(struct report *r, const char *sql, pm_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		pm_fail(err, "database: %s", sqlite3_errmsg(r->db));
		return NULL;
	}
	return st;
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

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t n)
{
	snprintf(out, n, "%s", col_text(st, i));
}

int load_run(struct report *r, sqlite3_int64 run_id, struct run_view *view, pm_error *err)
{
	sqlite3_stmt *st = prepare(r,
		"SELECT rule_id, rule_kind, title_zh, title_en, met, breached, pending,"
		" numerator, denominator, rate, target, target_met"
		" FROM check_rule_results WHERE run_id = ? ORDER BY rowid", err);
	int cap = 0, rc;

	memset(view, 0, sizeof(*view));
	view->run_id = run_id;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rule_result *x;

		if (view->nrules == cap) {
			struct rule_result *grown;

			cap = cap ? cap * 2 : 32;
			grown = realloc(view->rules, cap * sizeof(*grown));
			if (!grown) {
				sqlite3_finalize(st);
				return pm_fail(err, "out of memory");
			}
			view->rules = grown;
		}
		x = &view->rules[view->nrules++];
		memset(x, 0, sizeof(*x));
		copy_col(st, 0, x->rule_id, sizeof(x->rule_id));
		copy_col(st, 1, x->kind, sizeof(x->kind));
		copy_col(st, r->english ? 3 : 2, x->title, sizeof(x->title));
		if (!x->title[0])
			copy_col(st, 0, x->title, sizeof(x->title));
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
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(r->db));
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

	for (i = 0; view && i < view->nrules; i++)
		if (!strcmp(view->rules[i].rule_id, rule_id))
			return &view->rules[i];
	return NULL;
}

static int figure(struct report *r, sqlite3_int64 run_id, const char *key,
		  long long *iv, double *dv)
{
	sqlite3_stmt *st = prepare(r,
		"SELECT int_value, real_value FROM check_figures WHERE run_id = ? AND key = ?", NULL);
	int found = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	bind_text(st, 2, key);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int col = sqlite3_column_type(st, 1) != SQLITE_NULL ? 1 : 0;

		if (sqlite3_column_type(st, col) != SQLITE_NULL) {
			if (iv)
				*iv = sqlite3_column_int64(st, col);
			if (dv)
				*dv = sqlite3_column_double(st, col);
			found = 0;
		}
	}
	sqlite3_finalize(st);
	return found;
}

int figure_int(struct report *r, sqlite3_int64 run_id, const char *key, long long *v)
{
	return figure(r, run_id, key, v, NULL);
}

int figure_real(struct report *r, sqlite3_int64 run_id, const char *key, double *v)
{
	return figure(r, run_id, key, NULL, v);
}

/* ---- lifecycle ---- */

/* Fails now, not after all the work, when the PDF cannot be written. */
static int check_writable(const char *path, pm_error *err)
{
	FILE *f = fopen(path, "r+b");

	if (!f && errno == ENOENT) {
		f = fopen(path, "wb");
		if (f) {
			fclose(f);
			unlink(path);
			return 0;
		}
	}
	if (!f)
		return pm_fail(err, "%s: cannot write the report: %s", path, strerror(errno));
	fclose(f);
	return 0;
}

int report_begin(struct report *r, sqlite3 *db, const struct report_opts *opts,
		 const struct pdf_meta *meta, pm_error *err)
{
	memset(r, 0, sizeof(*r));
	if (check_writable(opts->out, err) < 0)
		return -1;
	r->db = db;
	r->opts = opts;
	r->english = opts->english;
	if (opts->charts_dir) {
		if (mkdir(opts->charts_dir, 0777) < 0 && errno != EEXIST)
			return pm_fail(err, "%s: cannot create the chart folder: %s",
				       opts->charts_dir, strerror(errno));
		snprintf(r->charts_dir, sizeof(r->charts_dir), "%s", opts->charts_dir);
	} else {
		const char *tmp = getenv("TMPDIR");

		snprintf(r->charts_dir, sizeof(r->charts_dir), "%s/pmaudit-charts-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(r->charts_dir))
			return pm_fail(err, "cannot create a temporary folder: %s", strerror(errno));
		r->temp_charts = 1;
	}
	if (pdf_new(meta, &r->pdf, err) < 0) {
		report_abort(r);
		return -1;
	}
	return 0;
}

void chart_path(struct report *r, const char *name, char *out, size_t n)
{
	char **grown;

	snprintf(out, n, "%s/%02d-%s.png", r->charts_dir, r->ncharts + 1, name);
	/* Remember it, so a temporary folder is emptied of exactly our files. */
	grown = realloc(r->chart_files, (r->ncharts + 1) * sizeof(*grown));
	if (!grown)
		return;
	r->chart_files = grown;
	r->chart_files[r->ncharts++] = strdup(out);
}

static void remove_charts(struct report *r)
{
	int i;

	for (i = 0; i < r->ncharts && r->chart_files; i++) {
		if (r->temp_charts && r->chart_files[i])
			unlink(r->chart_files[i]);
		free(r->chart_files[i]);
	}
	free(r->chart_files);
	r->chart_files = NULL;
	r->ncharts = 0;
	if (r->temp_charts)
		rmdir(r->charts_dir);
	r->temp_charts = 0;
}

void report_abort(struct report *r)
{
	pdf_free(r->pdf);
	r->pdf = NULL;
	remove_charts(r);
}

int report_end(struct report *r, pm_error *err)
{
	int rc = pdf_save(r->pdf, r->opts->out, err);

	report_abort(r);
	return rc;
}

void scope_name(const struct report_opts *o, char *out, size_t n)
{
	const char *site = o->site ? o->site : o->english ? "All sites" : "全部项目";

	if (o->company && *o->company)
		snprintf(out, n, "%s · %s", o->company, site);
	else
		snprintf(out, n, "%s", site);
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

void print_fingerprint(struct report *r)
{
	static const struct pdf_col cols[] = {
		{ NULL, 3.2, PDF_LEFT }, { NULL, 1.2, PDF_RIGHT }, { NULL, 1, PDF_RIGHT },
		{ NULL, 4.6, PDF_LEFT }
	};
	struct pdf_col c[4];
	sqlite3_stmt *st;
	int i, rows = 0;

	/* The latest import of each file: what the figures were computed from. */
	st = prepare(r,
		"SELECT file, rows_read, rejected, sha256 FROM import_runs"
		" WHERE run_id IN (SELECT MAX(run_id) FROM import_runs GROUP BY file)"
		" ORDER BY file", NULL);
	if (!st)
		return;
	memcpy(c, cols, sizeof(c));
	c[0].title = tr(r, "文件", "File");
	c[1].title = tr(r, "读取行数", "Rows read");
	c[2].title = tr(r, "拒收", "Rejected");
	c[3].title = "SHA-256";
	for (i = 0; sqlite3_step(st) == SQLITE_ROW; i++) {
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
	sqlite3_finalize(st);
	if (rows)
		pdf_table_end(r->pdf);
	else
		pdf_note(r->pdf, tr(r, "数据库中没有导入记录。", "The database holds no import runs."));
}

void cover_facts(const struct report *r, const char *label, const char *from,
		 const char *to, const char *as_of, struct cover_facts *f)
{
	char last_day[16];

	scope_name(r->opts, f->scope, sizeof(f->scope));
	snprintf(last_day, sizeof(last_day), "%.10s", to);
	/* The period is [from, to): print the last day it includes. */
	day_before(last_day);
	snprintf(f->period, sizeof(f->period), "%.10s %s %s", from, tr(r, "至", "to"), last_day);
	generation_time(r, as_of, f->generated, sizeof(f->generated));
	snprintf(f->subtitle, sizeof(f->subtitle), "%s · %s", label, f->scope);
}
