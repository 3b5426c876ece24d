#ifndef PM_SECTIONS_H
#define PM_SECTIONS_H

#include "reports/chart.h"
#include "reports/report.h"

/*
 * Report sections built from one check run (reports/sections.c for the rule
 * families, reports/sections_fees.c for fees (with the fee tiles), findings and data quality,
 * reports/sections_charts.c for the charts). The monthly report uses all of
 * them; the annual and inspection reports reuse some.
 *
 * A section returns 0, or -1 with the message in err when something could
 * not be read (a database error, out of memory): the report then fails and
 * writes no PDF, rather than print a section with rows missing. A chart that
 * cannot be drawn fails the report too, through report_fail() (place_chart()
 * keeps drawing the rest of the section; report_end() then writes nothing).
 */

int summary_text(struct report *r, const struct run_view *cur, const char *period, pm_error *err);
/*
 * The executive summary page (reports/exec_summary.c) of the monthly and
 * the annual report: targets missed, the largest changes of a rule's rate
 * from changes->before to changes->after (the previous month or year and
 * cur; or, in a year without a previous one to compare with, the year's
 * first and last quarter with data), the sites with most breaches, and the
 * rectification list (整改清单). heading names the comparison
 * ("较上月变化最大的规则：").
 */
struct exec_changes {
	const struct run_view *before, *after;   /* either may be NULL: no comparison */
	const char *heading;
};
int executive_summary(struct report *r, const struct run_view *cur,
		      const struct exec_changes *changes, pm_error *err);
/* How many rules have a rate in both runs (a comparison has something to say). */
int exec_comparable(const struct run_view *before, const struct run_view *after);
int rule_tiles(struct report *r, const struct run_view *cur, const struct run_view *prev,
	       pm_error *err);
int fee_tiles(struct report *r, sqlite3_int64 run, sqlite3_int64 prev_run, pm_error *err);
int volume_table(struct report *r, sqlite3_int64 run, sqlite3_int64 prev_run, pm_error *err);
/* Sections 2-4: repair callbacks, arrival, complaints (and other deadline rules). */
int deadline_sections(struct report *r, const struct run_view *cur,
		      const struct run_view *prev, const char *from, const char *to,
		      pm_error *err);
/* One rule: sentence, per-site table, breach list (at most max_rows). */
int rule_detail(struct report *r, const struct run_view *cur, const struct run_view *prev,
		const struct rule_result *x, int max_rows, pm_error *err);
int coverage_section(struct report *r, const struct run_view *cur,
		     const struct run_view *prev, const char *title, pm_error *err);
int findings_section(struct report *r, const struct run_view *cur, const char *title,
		     pm_error *err);
int fees_section(struct report *r, const struct run_view *cur, const char *from,
		 const char *to, const char *as_of, const char *title, pm_error *err);
int quality_section(struct report *r, const struct run_view *cur, const char *title,
		    pm_error *err);
/*
 * Issue 14's audit content (reports/sections_audit.c), from the run's
 * stored figures: 满意度 with its per-site table and the group's total row
 * (and the previous period's rate; prev may be NULL); the same month by
 * month from each month's run, with total's row (may be NULL); the site ranking per rule group; the open
 * backlog by age, per site and in all.
 */
int satisfaction_section(struct report *r, const struct run_view *cur, const struct run_view *prev,
			 const char *title, pm_error *err);
struct check_trend;             /* rules/engine/check.h */
struct check_trend_params;      /* rules/engine/check.h */
/* The satisfaction of each month of t (check_trend()), then total's (may be NULL). */
int satisfaction_by_month(struct report *r, const struct check_trend *t,
			  const struct run_view *total, pm_error *err);
int ranking_section(struct report *r, const struct run_view *cur, const char *title, pm_error *err);
int backlog_section(struct report *r, const struct run_view *cur, const char *title, pm_error *err);
/*
 * The appendix of breached and pending records, in two steps: the breaches
 * CSV written and the appendix's first rows read (*out; NULL on failure),
 * then the appendix printed and *out freed -- the first can be done while
 * the report waits for its trend.
 */
struct appendix_rows;
int appendix_prepare(struct report *r, const struct run_view *cur, struct appendix_rows **out,
		     pm_error *err);
int appendix_print(struct report *r, struct appendix_rows *a, pm_error *err);
void appendix_free(struct appendix_rows *a);

int chart_daily_volumes(struct report *r, const char *from, const char *to, pm_error *err);
int chart_compliance_by_site(struct report *r, const struct run_view *cur, pm_error *err);
int chart_repair_categories(struct report *r, const char *from, const char *to, pm_error *err);
/*
 * The window's repair or complaint categories with their counts, largest
 * first (ties in byte order), read once for the reports that print them
 * more than once (the annual summary: a sentence, a table and a chart).
 */
enum category_log { CATEGORY_TICKETS, CATEGORY_COMPLAINTS };
struct category_counts {
	enum category_log log;
	char **labels;                  /* "—" for a complaint without one */
	long long *counts;
	long long total;
	int n;
};
int category_counts_read(struct report *r, enum category_log log, const char *from,
			 const char *to, struct category_counts *cc, pm_error *err);
/*
 * The same read on the connection db, touching nothing of r but what it
 * reads (its options and coverage): for a report's second thread, on a
 * read-only connection that sees what r's connection reads.
 */
int category_counts_on(sqlite3 *db, const struct report *r, enum category_log log,
		       const char *from, const char *to, struct category_counts *cc,
		       pm_error *err);
/*
 * The same counts from a run's (check_params.categories, counted): the
 * labels as category_counts_on()'s statements give them -- "" for a ticket
 * without a category, "—" for a complaint without one or with "" -- in its
 * order. -1: out of memory.
 */
struct check_categories;
int category_counts_of(const struct check_categories *c, enum category_log log,
		       struct category_counts *cc);
void category_counts_free(struct category_counts *cc);
/* The top ten of cc as a chart, as chart_repair_categories() draws it. */
int chart_categories(struct report *r, const struct category_counts *cc, pm_error *err);
int chart_complaint_categories(struct report *r, const char *from, const char *to,
			       pm_error *err);
/*
 * The trend: per month the rates of T-CB-COVERAGE, C-CB-COVERAGE, T-ARRIVE,
 * the current collection rate (has 0: none, printed "—") and 满意度 at
 * TREND_SATISFACTION (has 0: no rated callback, printed 无数据).
 */
#define TREND_RULES_N 3
#define TREND_SATISFACTION (TREND_RULES_N + 1)
#define TREND_COLS (TREND_RULES_N + 2)
struct trend_row {
	char month[8];
	int has[TREND_COLS];
	double rate[TREND_COLS];
};
/* From each month's stored run; 0, or -1 if a run cannot be read. */
int trend_rows_from_runs(struct report *r, const sqlite3_int64 *runs, char (*months)[8], int n,
			 struct trend_row *rows, pm_error *err);
/* From the rules engine's check_trend() for n months from first_month, as of each one's end. */
int trend_rows_from_trend(struct report *r, const char *first_month, int n, struct trend_row *rows,
			  pm_error *err);
/* The same on a connection of its own (thread-safe with respect to r). */
int trend_rows_on(sqlite3 *db, const struct report_opts *o, const char *first_month, int n,
		  struct trend_row *rows, pm_error *err);
/*
 * The engine's figures of n months from first_month (check_trend(): the
 * trend's rules, fees and volumes), each month judged as of its end or of
 * as_of if that is before (NULL: its end); free t with check_trend_free().
 */
int trend_months_on(sqlite3 *db, const struct report_opts *o, const char *first_month, int n,
		    const char *as_of, struct check_trend *t, pm_error *err);
/*
 * The check_trend_params trend_months_on() asks with (counts NULL): the
 * trend's rules' ids into ids (TREND_RULES_N), which p points to.
 */
void trend_params_of(const struct report_opts *o, const char *first_month, int n,
		     const char *as_of, const char **ids, struct check_trend_params *p);
/* The trend's rows of t's months (t->nmonths rows). */
void trend_rows_of(const struct check_trend *t, struct trend_row *rows);
int trend_table_and_chart(struct report *r, const struct trend_row *rows, int n, pm_error *err);
/*
 * Charts with many sites: at most CHART_TOP_SITES of them and 其他. When n
 * is larger, the CHART_TOP_SITES rows (width values each) of the largest
 * weight, largest first, and a row labelled other summing the rest (NAN
 * counts as 0); else the rows as they are. out_* hold CHART_TOP_SITES + 1
 * rows (or n); returns the rows written, -1 when out of memory.
 */
#define CHART_TOP_SITES 20
int chart_top_sites(const char *const *labels, const double *values, int width,
		    const double *weight, int n, const char *other, const char **out_labels,
		    double *out_values);
/* Draws c into the next chart file and places it as 图n caption; a failure is a note. */
void place_chart(struct report *r, const char *name, const struct chart *c,
		 const char *caption);

/* The fee figures of one run, formatted as printed. */
struct fee_text {
	char due[40], paid[40], rate[32], arrears[40], recovered[40], recovery[32];
};
void fee_text(struct report *r, sqlite3_int64 run, struct fee_text *t);

/*
 * The run's fee items (results_fee_items_*), *n of them (malloc'ed, free
 * with free()); the one named 物业管理费 or 物业费 (else one whose name holds
 * 管理费) is *management, or -1. A sentence or total named after a fee
 * item gives that item's figures, never all items' (issue 14).
 */
struct fee_item_figures {
	char item[128];
	long long due_cents, paid_cents;
};
int fee_items(struct report *r, sqlite3_int64 run, struct fee_item_figures **out, int *n,
	      int *management, pm_error *err);
/* The table of due, paid and rate per fee item, with the all-items total row. */
int fee_items_table(struct report *r, sqlite3_int64 run, pm_error *err);

/* A run's fee figures (check_figures), in the shape check_fees_by_site() gives per site. */
struct check_site_fees;
void run_fee_figures(struct report *r, sqlite3_int64 run, struct check_site_fees *x);
/* A complaint level as printed: "重大投诉" / "major". */
const char *complaint_level_name(const struct report *r, const char *level);
/* A rule's title: the run's, or the finding's (Q-ORDER, Q-ORPHAN, ...); "" if none. */
const char *rule_title(const struct report *r, const struct run_view *cur, const char *rule_id);

/* The aging buckets 1-30, 31-90, 91-180, 181-365 and 365+ days. */
#define AGING_BUCKETS 5
/* The run's fees.aging.* figures into cents[AGING_BUCKETS]; returns their sum. */
long long aging_figures(struct report *r, sqlite3_int64 run, long long *cents);

/*
 * A breached or pending record's cells: record, site, start, deadline and
 * end ("not done" when it has none), from the results reader's record.
 */
void record_cells(const struct report *r, const struct results_record *x, const char **cells);

#endif
