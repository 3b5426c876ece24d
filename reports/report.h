#ifndef PM_REPORT_H
#define PM_REPORT_H

#include <stddef.h>
#include <sqlite3.h>
#include "db/db.h"
#include "reports/pdf.h"
#include "rules/results/results.h"
#include "util/error.h"
#include "util/outfile.h"

/*
 * The three PDF reports. Each runs the rules engine (check_run) for the
 * periods it needs and prints what the check_* tables then hold, so every
 * figure in the PDF is the figure of the JSON summary of the same run.
 */

struct calendar;               /* rules/calendar/calendar.h */

struct report_opts {
	const char *out;          /* the PDF to write */
	const char *charts_dir;   /* keep the chart PNGs here; NULL: temporary */
	int no_charts;            /* --no-charts: no chart drawn, the pages say so */
	const char *site;         /* NULL: all sites */
	const char *company;      /* printed on the cover and in the header; may be NULL */
	const char *as_of;        /* NULL: the end of the period */
	/*
	 * The rules file and calendar, parsed once by the command
	 * (ruleset_load(), check_calendar_load()) and passed to every run and
	 * trend of the report; rules_file is the --rules name the cover
	 * prints (NULL: the default rule set).
	 */
	const struct ruleset *rules;
	const struct calendar *calendar;
	const char *rules_file;
	const char *calendar_file; /* the --calendar name (the workbook's command) */
	const char *xlsx;         /* the Excel workbook to write; NULL: none */
	int english;
	int wall_clock;           /* print the real generation time, not as-of */
	int one_thread;           /* 1: no second thread, no read-ahead (PMAUDIT_THREADS=1) */
	const char *db_path;      /* the database, for the command in 数据来源; may be NULL */
	/*
	 * monthly, annual and inspection: the database as the command named
	 * it, opened unverified (db_open_unverified()), to verify beside the
	 * report's reads; the report has the verdict before its COMMIT and
	 * before any file is written, and a damaged file is the error whatever
	 * else failed. NULL: verified already.
	 */
	const char *verify_path;
	/* the approval block's names (编制 / 审核 / 批准); NULL: a blank line to sign */
	const char *prepared_by, *reviewed_by, *approved_by;
	/* monthly */
	const char *month;        /* 'YYYY-MM' */
	/* inspection */
	const char *quarter;      /* 'YYYYQn' */
	double fraction;
	unsigned long long seed;
	const char *checklist;    /* CSV to write; NULL: none */
	/* annual */
	const char *year;         /* 'YYYY' */
};

int report_monthly(sqlite3 *db, const struct report_opts *opts, pm_error *err);
int report_inspection(sqlite3 *db, const struct report_opts *opts, pm_error *err);
int report_annual(sqlite3 *db, const struct report_opts *opts, pm_error *err);

/* The inspection sample's ordering key for a ticket (reports/inspection.c). */
unsigned long long sample_key(unsigned long long seed, const char *ticket_id);
/* '2026Q3' -> from/to timestamps. */
int quarter_window(const char *quarter, char *from, char *to, pm_error *err);

/* ---- shared by the reports (reports/report_util.c) ---- */

/* One rule's result (rules/results/results.h) as the report prints it. */
struct rule_result {
	char rule_id[48];
	char kind[16];            /* deadline | coverage | weekly | letter | ... */
	char title[160];          /* title_zh or title_en, else the id */
	enum rule_role role;      /* from the rules file (rules/results/results.h: roles) */
	long long met, breached, pending, numerator, denominator;
	long long unknown;        /* 无法判定: the file lacked a field the rule needs; in no rate */
	double rate, target;
	int has_rate, has_target, target_met, has_target_met;
};

struct run_view {
	sqlite3_int64 run_id;
	const struct results_run *results;   /* the reader's run (the report's cache) */
	struct rule_result *rules;
	int nrules;
};

/*
 * A report under construction: the database, the PDF, the chart folder.
 * Every file it writes is an outfile (util/outfile.h), committed together
 * in report_end() only if nothing failed: a failed or interrupted report
 * leaves the previous PDF, CSV and charts as they were.
 */
struct check_site_fees;         /* rules/fees/fees.h, through rules/engine/check.h */
struct check_backlog_pair;      /* rules/engine/check.h */

struct report {
	sqlite3 *db;
	const struct report_opts *opts;
	struct pdf_doc *pdf;
	struct outfile pdf_out;   /* the PDF (--out) */
	struct outfile side_out;  /* the breaches CSV or the checklist, if any */
	int has_side_out;
	struct outfile xlsx_out;  /* the workbook (--xlsx), if any */
	int has_xlsx_out;
	char *charts_dir;         /* NULL with --no-charts */
	int temp_charts;          /* charts_dir is ours to remove */
	int charts_slot;          /* its signal-registry slot */
	int ncharts;
	struct outfile *charts;   /* the PNGs made, ncharts of them */
	struct chart_session *gnuplot; /* draws them all; NULL until the first (reports/chart.h) */
	int nfigures;             /* figures placed so far: captions 图1, 图2, ... */
	int english;
	int yearly;               /* comparisons are with the previous year */
	struct results_run **runs; /* the runs read so far (report_run()) */
	int nruns;
	const struct ruleset *rules; /* opts->rules, for the rules' roles */
	struct db_coverage coverage; /* the data's coverage, the site's with --site */
	/*
	 * Every site's fee figures over the report's window (check_fees_by_site()),
	 * made beforehand by the caller, who frees them (the month-end audit's,
	 * on a thread beside its runs); NULL: the fee section makes them.
	 */
	const struct check_site_fees *site_fees;
	int nsite_fees;
	/*
	 * The open backlog of two of the report's runs counted in one read
	 * (check_params.backlog_pair): the month-end audit's month and the
	 * month before, its owner's; NULL: each run counts its own.
	 */
	struct check_backlog_pair *backlog_pair;
	/*
	 * The first failure of a section (a chart not drawn, a query that
	 * failed): the sections print what they can, report_end() fails with
	 * this message and writes nothing.
	 */
	int failed;
	pm_error error;
};

/* Records a section's failure (the first one is kept) for report_end(). */
void report_fail(struct report *r, const pm_error *e);

/*
 * FILE.pdf -> FILE-breaches.csv (malloc'ed); NULL when the PDF goes to
 * standard output, a pipe or a device, which have no folder to put it in.
 */
char *breaches_csv_path(const char *pdf_out);

const char *tr(const struct report *r, const char *zh, const char *en);
/* "上月" in the monthly report, "上年" in the annual one (the previous run). */
const char *prev_name(const struct report *r);

/*
 * Whether the data has anything for [from, to) in log (DB_COVERAGE_*): the
 * window meets the log's coverage, from its first to its last event. A
 * month outside it prints 无数据 / "no data" and is a gap in a chart, never
 * 0 (issue 14: months before the ledger's payments were 0.00% collection).
 */
int has_data(const struct report *r, int log, const char *from, const char *to);
/* The same for a month 'YYYY-MM'. */
int month_has_data(const struct report *r, int log, const char *month);
/* "无数据" / "no data" */
const char *no_data(const struct report *r);

/*
 * Appends a formatted piece to text (cap bytes, *len used) whole or not at
 * all: a piece that does not fit is left out, so the text stays valid UTF-8
 * and *len never passes cap (a long site name once made it pass, and the
 * next append's size wrapped around). Returns 0, or -1 when left out.
 */
int text_append(char *text, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Formats as printed everywhere: "94.49%", "—" for no rate. */
void fmt_rate(char *buf, size_t n, int has_rate, double rate);
/* "¥1,234.50", "-¥12.00" */
void fmt_money(char *buf, size_t n, long long cents);
/* "1,234" */
void fmt_count(char *buf, size_t n, long long v);
/* "+1.20" percentage points between two rates; "—" if either is missing */
void fmt_points(char *buf, size_t n, int has_a, double a, int has_b, double b);
/* "翠湖花园 3栋1单元502", or the site alone when room is empty or NULL. */
void site_and_room(const char *site, const char *room, char *buf, size_t n);
/* "2天3小时" / "2d 3h" from seconds late */
void fmt_late(const struct report *r, char *buf, size_t n, long long seconds);

/* '2026-10' -> from/to timestamps; fails on anything else. */
int month_window(const char *month, char *from, char *to, pm_error *err);
/* The month n months after 'YYYY-MM' (n may be negative). */
void month_add(const char *month, int n, char *out);
/* 'YYYY-MM-DD' in place: the day before. */
void day_before(char *date);
/* 'YYYY-MM-DD[ HH:MM[:SS]]' -> 'YYYY-MM-DD HH:MM:SS'. */
int normalize_time(const char *in, char *out, pm_error *err);

int run_check(struct report *r, const char *from, const char *to, const char *as_of,
	      const char *site, sqlite3_int64 *run_id, pm_error *err);
/*
 * A figures-only check run (check_params.figures_only): for a run the
 * report reads only through load_run() and figure_*(), never its records.
 */
int run_figures(struct report *r, const char *from, const char *to, const char *as_of,
		const char *site, sqlite3_int64 *run_id, pm_error *err);
/*
 * A run storing of its records only the fee ledger's, F-AGING and F-LETTER
 * (check_params.account_records_only): for a report that lists those and
 * reads only the figures of the other rules.
 */
int run_accounts(struct report *r, const char *from, const char *to, const char *as_of,
		 const char *site, sqlite3_int64 *run_id, pm_error *err);
struct check_site_fees;         /* rules/engine/check.h */
/*
 * run_check() of every site that also hands over every site's fee figures
 * from the run's own fee pass (check_params.site_fees), what
 * check_fees_by_site() gives for the same window: the caller frees them with
 * check_site_fees_free().
 */
int run_check_site_fees(struct report *r, const char *from, const char *to, const char *as_of,
			sqlite3_int64 *run_id, struct check_site_fees **fees, int *nfees,
			pm_error *err);
struct check_trend_counts;      /* rules/engine/check.h */
struct check_categories;
/*
 * run_check() (all_records) or run_accounts() whose records pass also
 * counts a trend's months (check_params.trend): the annual's year; and
 * the window's categories (check_params.categories) into cats. With
 * fees (a run of every site), every site's fee figures from the run's fee
 * pass too, as run_check_site_fees().
 */
int run_counting_months(struct report *r, const char *from, const char *to, const char *as_of,
			const char *site, int all_records, struct check_trend_counts *months,
			struct check_categories *cats, struct check_site_fees **fees, int *nfees,
			sqlite3_int64 *run_id, pm_error *err);
/* A stored run through the results reader, read once per report. */
const struct results_run *report_run(struct report *r, sqlite3_int64 run_id, pm_error *err);
/* Frees the runs read through r (report_end() does it for a report). */
void report_forget_runs(struct report *r);
/* The rules in force (opts->rules, which the command loaded). */
const struct ruleset *report_rules(struct report *r, pm_error *err);
int load_run(struct report *r, sqlite3_int64 run_id, struct run_view *view, pm_error *err);
void free_run(struct run_view *view);
/*
 * The figures of the enabled rules of one kind (deadline or coverage) over
 * [from, to) as of as_of, as load_run() would read them from a run of that
 * window, computed without a run (check_rule_figures(): those rules alone,
 * nothing stored): for a report printing those rules' figures and nothing
 * else of a run, on db (the report's connection, or a reader thread's).
 * view->run_id is 0 and view->results NULL; free_run().
 */
int load_rule_figures(struct report *r, sqlite3 *db, const char *from, const char *to,
		      const char *as_of, const char *site, enum rule_kind kind,
		      struct run_view *view, pm_error *err);
/*
 * The rules load_rule_figures() gives, in its order, with their ids, kinds
 * and titles and no figures: for a table laid out before its figures are
 * known. free_run().
 */
int load_rule_titles(struct report *r, enum rule_kind kind, struct run_view *view,
		     pm_error *err);
/* The same rule in another run (NULL: none); rule_id "" finds nothing. */
const struct rule_result *find_rule(const struct run_view *view, const char *rule_id);
/* The rule playing a key part (rules/results/results.h: roles) in view; NULL: none. */
const struct rule_result *key_rule(struct report *r, const struct run_view *view,
				   enum key_rule k);
/* A figure of a run; returns 0 and sets *v, or -1 when absent. */
int figure_int(struct report *r, sqlite3_int64 run_id, enum results_figure f, long long *v);
int figure_real(struct report *r, sqlite3_int64 run_id, enum results_figure f, double *v);

sqlite3_stmt *prepare(struct report *r, const char *sql, pm_error *err);
/* Finalizes st after its last step rc: 0 if that was the end, else -1 and why. */
int step_done(struct report *r, sqlite3_stmt *st, int rc, pm_error *err);
/* Binds text or NULL (sqlite3_bind_text with SQLITE_TRANSIENT). */
void bind_text(sqlite3_stmt *st, int i, const char *text);
const char *col_text(sqlite3_stmt *st, int i);
/*
 * A name and its count; name_count_desc() orders them for qsort largest
 * count first, ties in byte order (as ORDER BY count DESC, name would).
 */
struct name_count {
	char *name;
	long long count;
};
int name_count_desc(const void *a, const void *b);


/*
 * Starts the PDF and the chart folder. meta NULL: the PDF later, by
 * report_begin_pdf() (its font takes 50 ms to load: a report that starts
 * its reads on other threads first loads it while they run).
 */
int report_begin(struct report *r, sqlite3 *db, const struct report_opts *opts,
		 const struct pdf_meta *meta, pm_error *err);
int report_begin_pdf(struct report *r, const struct pdf_meta *meta, pm_error *err);
/*
 * Starts the charts' gnuplot now (with charts), for a report that draws
 * them only after long work: its start (libraries, fonts) then overlaps
 * that work instead of holding up the first chart, and the fork is of a
 * process still small. A failure is left to the first chart, which starts
 * it again and says why.
 */
void report_charts_early(struct report *r);
/* Saves the PDF, removes temporary charts, frees. */
int report_end(struct report *r, pm_error *err);
void report_abort(struct report *r);
/*
 * Starts the next chart PNG, "NN-name.png" in the chart folder: *path is
 * where to draw it (a temporary, renamed by report_end()).
 */
int chart_file(struct report *r, const char *name, const char **path, pm_error *err);

/*
 * The report's as-of time into out: opts->as_of, else the period's end to
 * or the latest event in the database, whichever is earlier
 * (db_default_as_of(), the rule of `pmaudit check`).
 */
int report_as_of(sqlite3 *db, const struct report_opts *opts, const char *to, char out[20],
		 pm_error *err);
/*
 * The cover's data coverage: per log the first and last event time in the
 * database (the site's with --site), and a warning when the period [.., to)
 * runs past the data, saying the as-of time it is judged by.
 */
int print_coverage(struct report *r, const char *to, const char *as_of, pm_error *err);

/* The import fingerprint: files, rows, SHA-256 (in the appendix 数据来源). */
int print_fingerprint(struct report *r, pm_error *err);
/*
 * The appendix 数据来源: the `pmaudit check` command that reproduces the
 * report's figures (period as check's option, e.g. "--month" "2026-10")
 * and the fingerprint of the files they were computed from.
 */
int data_sources(struct report *r, const char *period_option, const char *period,
		 const char *as_of, pm_error *err);
/* The approval block 编制 / 审核 / 批准 with the names of the options, or blank lines. */
void approval_block(struct report *r);
/* "公司 · 项目" / "Company · site" (all sites when no --site); malloc'ed, NULL: no memory. */
char *scope_name(const struct report_opts *opts);
/* "<title> · <scope>", the running header; malloc'ed, NULL: no memory. */
char *report_header(const struct report_opts *opts, const char *title);
/* The generation time printed on the cover. */
void generation_time(const struct report *r, const char *as_of, char *out, size_t n);

/*
 * What every report's cover says about its scope and period: the scope
 * ("公司 · 项目"), the period [from, to) printed as its first and last day,
 * the generation time, and the subtitle "<label> · <scope>".
 */
struct cover_facts {
	char *scope;              /* the --company and --site names, whole */
	char period[96];
	char generated[32];
	char *subtitle;
};

void cover_facts(const struct report *r, const char *label, const char *from,
		 const char *to, const char *as_of, struct cover_facts *f);
void cover_facts_free(struct cover_facts *f);

/*
 * " --name value" appended to cmd, the value quoted for a POSIX shell when
 * it needs it (nothing when value is NULL): the reproducing commands of
 * the appendix 数据来源 and of the workbook's summary.
 */
void command_add_option(char *cmd, size_t n, const char *name, const char *value);

/* ---- the Excel workbook (reports/xlsx_sheets.c) ---- */

struct sampled;          /* reports/sample.h */

/*
 * The Excel workbook written beside a check run or a report (--xlsx FILE):
 * the sheets 汇总/Summary, 违规明细/Breaches, 按项目/By site, 欠费账龄/Arrears
 * aging, 催缴函/Letters due, 数据质量/Data quality, and for the inspection
 * report 抽查清单/Checklist. Every figure is the check run's, as in the JSON
 * summary; real Excel types (dates, money, rates, durations); the same run
 * and options give the same bytes (docs/reports.md, "The Excel workbook").
 */
struct xlsx_job {
	sqlite3 *db;
	sqlite3_int64 run_id;           /* the check run the sheets show */
	const char *path;               /* where to write: the outfile's temporary */
	const char *title;              /* the document's title */
	int english;                    /* headers in English (default Chinese) */
	const char *from, *to, *as_of;  /* the run's window and as-of time */
	const char *site;               /* NULL: all sites */
	const char *rules_file, *calendar_file;   /* the names (NULL: the defaults) */
	const struct ruleset *rules;    /* as loaded by the command (report_opts) */
	const struct calendar *calendar;
	const struct sampled *sample;   /* the inspection sample, or NULL */
	int nsample;
};

/*
 * Writes the workbook to job->path, which the caller makes and commits as
 * an outfile (util/outfile.h: a temporary renamed over the target when
 * complete, so a failure leaves no partial workbook).
 */
int xlsx_write(const struct xlsx_job *job, pm_error *err);

/*
 * Writes the report's workbook (opts->xlsx) of its check run into the
 * temporary that report_end() commits with the PDF; a no-op without
 * --xlsx. Its title is "<title> · <label> · <scope>" (label: the period as
 * the cover prints it). The inspection report passes its sample.
 */
struct sampled;
int report_xlsx(struct report *r, sqlite3_int64 run_id, const char *title, const char *label,
		const char *from, const char *to, const char *as_of, const struct sampled *sample,
		int nsample, pm_error *err);

#endif
