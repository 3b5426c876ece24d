/*
 * pmaudit check: evaluate the rules for a period, print the table, and
 * optionally write the JSON summary, the CSV of breached/pending records and
 * the Excel workbook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd/cmd.h"
#include "cmd/profile.h"
#include "db/db.h"
#include "reports/report.h"
#include "rules/calendar/calendar.h"
#include "rules/engine/check.h"
#include "rules/results/results.h"
#include "rules/ruleset/ruleset.h"
#include "util/csv_write.h"
#include "util/outfile.h"
#include "util/pathcheck.h"
#include "util/i18n.h"
#include "util/period.h"
#include "util/term.h"

static const char SYNOPSIS[] = N_(
"usage: pmaudit check [--db FILE] PERIOD [--as-of TIME] [--site NAME]\n"
"                     [--rules FILE] [--calendar FILE] [--json FILE] [--csv FILE]\n"
"                     [--xlsx FILE] [--keep-met | --no-records] [--lang zh|en]\n");

static const char FOOTER[] = N_(
"Prints one line per rule (met, breached, pending, unknown, rate, target), then\n"
"the fee figures and the findings. Unknown: records whose file lacked a field\n"
"the rule needs; they are in no rate. Exit status 0 on success, 1 on error, 2 on\n"
"bad usage.\n");

struct check_options {
	const char *db, *month, *quarter, *year, *from, *to, *as_of, *site;
	const char *rules, *calendar, *json, *csv, *xlsx, *lang;
	int keep_met, no_records, english, raw_csv;
	char from_ts[20], to_ts[20], as_of_ts[20];
};

/* Turns the PERIOD options and --as-of into [from_ts, to_ts) and as_of_ts. */
static int resolve_period(struct check_options *o)
{
	struct period p;
	pm_error err = { "" };

	if (period_from_options(o->month, o->quarter, o->year, o->from, o->to, &p, &err) ||
	    (o->as_of && period_time("--as-of", o->as_of, o->as_of_ts, NULL, &err))) {
		fprintf(stderr, "pmaudit check: %s\n", err.msg);
		return -1;
	}
	memcpy(o->from_ts, p.from, sizeof(p.from));
	memcpy(o->to_ts, p.to, sizeof(p.to));
	return 0;
}

/* Fills o from argv; returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct check_options *o)
{
	const struct option_spec options[] = {
		OPT_GROUP("PERIOD is one of:"),
		OPT_STRING("month", 0, &o->month, "YYYY-MM", "a month: 2026-10"),
		OPT_STRING("quarter", 0, &o->quarter, "YYYYQn", "a quarter: 2026Q4"),
		OPT_STRING("year", 0, &o->year, "YYYY", "a year: 2026"),
		OPT_STRING("from", 0, &o->from, "DATE", "with --to: from this date or time"),
		OPT_STRING("to", 0, &o->to, "DATE", "a bare --to date includes that whole day;\n"
			   "a --to time 'YYYY-MM-DD HH:MM[:SS]' is exclusive"),
		OPT_GROUP("options:"),
		OPT_STRING("db", 0, &o->db, "FILE", "the database (default: $PMAUDIT_DB, else pmaudit.db)"),
		OPT_STRING("as-of", 0, &o->as_of, "TIME", "judge as of this time (default: the end of the period);\n"
			   "events after it count as not having happened yet"),
		OPT_STRING("site", 0, &o->site, "NAME", "one site (项目) only"),
		OPT_STRING("rules", 0, &o->rules, "FILE", "the rules file (default: rules/default.rules next to the\n"
			   "binary, else the built-in copy); see `pmaudit rules`"),
		OPT_STRING("calendar", 0, &o->calendar, "FILE", "a holiday calendar (date,kind,name) adding years to, or\n"
			   "replacing years of, the built-in 2024-2026 calendar"),
		OPT_STRING("json", 0, &o->json, "FILE", "write the JSON summary ('-' for stdout)"),
		OPT_STRING("csv", 0, &o->csv, "FILE", "write every breached, pending and unknown record as CSV (UTF-8, BOM)"),
		OPT_STRING("xlsx", 0, &o->xlsx, "FILE", "write the Excel workbook: summary, breaches, by site, arrears\n"
			   "aging, letters due, data quality (see `man pmaudit`)"),
		OPT_STRING("lang", 0, &o->lang, "zh|en", "the language of the CSV and the workbook (headers, rule\n"
			   "titles, status, lateness) and of the table's titles: Chinese\n"
			   "(default) or English"),
		OPT_FLAG("keep-met", 0, &o->keep_met, "also store the records the deadline, coverage and weekly\n"
			 "rules found met in check_records (by default they are only\n"
			 "counted, per site, in check_site_results)"),
		OPT_FLAG("no-records", 0, &o->no_records, "a figures-only run: store the rule results, weeks, per-site\n"
			 "counts and figures, but no check_records row (no --csv, --xlsx)"),
		OPT_FLAG("raw-csv", 0, &o->raw_csv, "write CSV cells as they are: by default a cell starting with\n"
			 "= + - @, a tab or a CR gets a ' in front (no spreadsheet formula)"),
		OPT_END(),
	};
	const struct cmd_usage usage = { "check", SYNOPSIS, options, FOOTER };
	int n = cmd_parse(&usage, argc, argv);

	if (n < 0)
		return CMD_EXIT_STATUS(n);
	if (n > 0) {
		fprintf(stderr, _("pmaudit check: unexpected argument '%s'\n"), argv[0]);
		return 2;
	}
	if (o->lang && strcmp(o->lang, "zh") && strcmp(o->lang, "en")) {
		fprintf(stderr, _("pmaudit check: --lang must be zh or en: %s\n"), o->lang);
		return 2;
	}
	o->english = o->lang && !strcmp(o->lang, "en");
	if (o->no_records && (o->keep_met || o->csv || o->xlsx)) {
		fprintf(stderr, _("pmaudit check: --no-records stores no records: not with %s\n"),
			o->keep_met ? "--keep-met" : o->csv ? "--csv" : "--xlsx");
		return 2;
	}
	return resolve_period(o) ? 2 : -1;
}

/* Terminal columns of s: a 3- or 4-byte (CJK) character is 2 columns wide. */
static int columns(const char *s)
{
	const unsigned char *p;
	int width = 0;

	for (p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			width += *p >= 0xE0 ? 2 : 1;
	return width;
}

/* s in width columns, left- or right-aligned (printf pads bytes, not columns) */
static void print_padded(const char *s, int width, int right)
{
	int pad = width - columns(s);

	if (pad < 0)
		pad = 0;
	if (right)
		printf("%*s", pad, "");
	/* a site's name is the data's: control characters shown, not sent */
	term_write(stdout, s, 0);
	if (!right)
		printf("%*s", pad, "");
}

/* The label of a figure, padded to 26 terminal columns. */
static void print_label(const char *label)
{
	printf("  ");
	print_padded(label, 26, 0);
	putchar(' ');
}

static void print_money(const char *label, long long cents)
{
	long long a = cents < 0 ? -cents : cents;

	print_label(label);
	printf("%s%lld.%02lld\n", cents < 0 ? "-" : "", a / 100, a % 100);
}

static void print_rate(const char *label, const struct results_run *run, enum results_figure f)
{
	double rate;

	print_label(label);
	if (results_figure_real(run, f, &rate) < 0)
		printf("-\n");
	else
		printf("%.2f%%\n", 100 * rate);
}

static const char *yes_no(int yes)
{
	return yes ? _("yes") : _("no");
}

static int print_weeks(const struct results_run *run, const char *rule, pm_error *err)
{
	struct results_weeks it;

	if (results_weeks_begin(run, rule, &it, err) < 0)
		return -1;
	while (results_weeks_next(&it)) {
		const struct results_week *w = &it.row;

		printf("    %-18s %8lld %8lld %8s", w->week, w->numerator,
		       w->denominator - w->numerator, "-");
		if (!w->has_rate)
			printf(" %8s %7s  %-3s\n", "-", "", "-");
		else {
			printf(" %7.2f%% %7s  ", 100 * w->rate, "");
			print_padded(yes_no(w->met), 3, 0);
			putchar('\n');
		}
	}
	return results_weeks_end(&it, err);
}

/* The table's header: each word in the language of the messages, in its column. */
static void print_rules_header(void)
{
	static const struct { const char *word, *gap; int width, right; } COLS[] = {
		{ N_("rule"), "", 22, 0 }, { N_("met"), " ", 8, 1 },
		{ N_("breached"), " ", 8, 1 }, { N_("pending"), " ", 8, 1 },
		{ N_("unknown"), " ", 8, 1 },
		{ N_("rate"), " ", 8, 1 }, { N_("target"), " ", 7, 1 }, { N_("ok"), "  ", 3, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(COLS) / sizeof(COLS[0]); i++) {
		fputs(COLS[i].gap, stdout);
		print_padded(_(COLS[i].word), COLS[i].width, COLS[i].right);
	}
	printf("  %s\n", _("title"));
}

static int print_rules(const struct results_run *run, int english, pm_error *err)
{
	int i;

	print_rules_header();
	for (i = 0; i < run->nrules; i++) {
		const struct results_rule *x = &run->rules[i];
		char pending[24] = "-";

		if (x->counted)
			snprintf(pending, sizeof(pending), "%lld", x->pending);
		printf("%-22s %8lld %8lld %8s %8lld", x->rule_id, x->numerator,
		       x->denominator - x->numerator, pending, x->unknown);
		if (!x->has_rate)
			printf(" %8s", "-");
		else
			printf(" %7.2f%%", 100 * x->rate);
		printf(" %6.0f%%  ", 100 * x->target);
		print_padded(!x->has_target_met ? "-" : yes_no(x->target_met), 3, 0);
		printf("  %s\n", english && *x->title_en ? x->title_en : x->title_zh);
		if (!strcmp(x->kind, "weekly") && print_weeks(run, x->rule_id, err) < 0)
			return -1;
	}
	return 0;
}

static long long figure(const struct results_run *run, enum results_figure f)
{
	long long v = 0;

	results_figure_int(run, f, &v);
	return v;
}

static void print_figures(const struct results_run *run)
{
	char label[64];
	int i;

	printf("\n%s\n", _("fees (yuan)"));
	print_money(_("due (charges - waivers)"), figure(run, FIG_FEES_DUE));
	print_money(_("paid by the as-of time"), figure(run, FIG_FEES_PAID));
	print_rate(_("current rate (当期收缴率)"), run, FIG_FEES_CURRENT_RATE);
	print_money(_("arrears at the start"), figure(run, FIG_FEES_ARREARS_START));
	print_money(_("arrears recovered"), figure(run, FIG_FEES_RECOVERED));
	print_rate(_("recovery rate (清欠率)"), run, FIG_FEES_RECOVERY_RATE);
	for (i = 0; i < RESULTS_AGING_BUCKETS; i++) {
		snprintf(label, sizeof(label), _("aging %s days"), RESULTS_AGING_BUCKET[i]);
		print_money(label, figure(run, FIG_FEES_AGING_1_30 + i));
	}
	printf(_("\nvolumes: %lld tickets, %lld complaints (%lld invalid), %lld callbacks, "
	       "%lld orphan callbacks\n"),
	       figure(run, FIG_VOLUMES_TICKETS), figure(run, FIG_VOLUMES_COMPLAINTS),
	       figure(run, FIG_VOLUMES_COMPLAINTS_INVALID), figure(run, FIG_VOLUMES_CALLBACKS),
	       figure(run, FIG_VOLUMES_ORPHAN_CALLBACKS));
	printf(_("findings: %lld repeated-problem records in %lld room/category groups, "
	       "%lld problem callbacks not followed up,\n"
	       "          %lld impossible orderings, %lld records missing a start event, "
	       "%lld rejected import rows\n"),
	       figure(run, FIG_FINDINGS_REPEAT_RECORDS), figure(run, FIG_FINDINGS_REPEAT_GROUPS),
	       figure(run, FIG_FINDINGS_PROBLEM_OPEN), figure(run, FIG_FINDINGS_IMPOSSIBLE_ORDER),
	       figure(run, FIG_FINDINGS_MISSING_START), figure(run, FIG_FINDINGS_REJECTED_ROWS));
}

/* 满意度: the run's satisfaction.* figures (the JSON's "satisfaction"). */
static void print_satisfaction(const struct results_run *run)
{
	double rate;

	printf(_("satisfaction: %lld satisfied, %lld basically satisfied, %lld dissatisfied, "
		 "%lld unrated; "), figure(run, FIG_SATISFACTION_SATISFIED),
	       figure(run, FIG_SATISFACTION_BASIC), figure(run, FIG_SATISFACTION_DISSATISFIED),
	       figure(run, FIG_SATISFACTION_UNRATED));
	/* no rated callback: no rate, never 0% */
	if (results_figure_real(run, FIG_SATISFACTION_RATE, &rate) < 0)
		printf("%s\n", _("rate: no data"));
	else
		printf(_("rate %.2f%%\n"), 100 * rate);
}

/* The open backlog at the as-of time by age (the JSON's "backlog"). */
static void print_backlog(const struct results_run *run)
{
	static const char *const HEAD[] = { N_("<= 2 d"), N_("3-7 d"), N_("8-30 d"),
					    N_("> 30 d"), N_("open"), N_("unknown") };
	/* not "tickets": the coverage lines above begin with the logs' names */
	static const char *const LOG[2] = { N_("repair tickets"), N_("valid complaints") };
	int log, k;

	printf("\n");
	print_padded(_("open backlog by age"), 22, 0);
	for (k = 0; k < 6; k++) {
		putchar(' ');
		print_padded(_(HEAD[k]), 8, 1);
	}
	putchar('\n');
	for (log = 0; log < 2; log++) {
		enum results_figure f = log ? FIG_BACKLOG_COMPLAINTS_0_2 : FIG_BACKLOG_TICKETS_0_2;
		long long open = 0;

		printf("  ");
		print_padded(_(LOG[log]), 20, 0);
		for (k = 0; k < RESULTS_BACKLOG_BUCKETS; k++) {
			printf(" %8lld", figure(run, f + k));
			open += figure(run, f + k);
		}
		printf(" %8lld %8lld\n", open, figure(run, f + RESULTS_BACKLOG_FIGS - 1));
	}
}

/* The site ranking per rule group (rules/results/ranking.c, as the reports rank). */
static int print_ranking(const struct results_run *run, const struct ruleset *rs, int english,
			 pm_error *err)
{
	struct ranking k;
	int g, i;

	if (results_ranking(run, rs, &k, err) < 0)
		return -1;
	for (g = 0; g < RANK_GROUPS; g++) {
		if (!k.n[g])
			continue;
		putchar('\n');
		term_printf(stdout, _("site ranking: %s"), ranking_group_title(g, english));
		printf("  ");
		print_padded(_("rank"), 4, 1);
		printf("  ");
		print_padded(_("site"), 24, 0);
		printf(" ");
		print_padded(_("met"), 8, 1);
		printf(" ");
		print_padded(_("breached"), 8, 1);
		printf(" ");
		print_padded(_("rate"), 8, 1);
		putchar('\n');
		for (i = 0; i < k.n[g]; i++) {
			const struct rank_row *x = &k.rows[g][i];
			double rate = 0;

			if (!ranking_shown(k.n[g], i)) {
				printf(_("  ... (%d sites between)\n"), k.n[g] - RANK_SHOWN);
				while (!ranking_shown(k.n[g], i))
					i++;
				x = &k.rows[g][i];
			}
			printf("  %4d  ", x->rank);
			print_padded(x->site, 24, 0);
			printf(" %8lld %8lld", x->met, x->breached);
			if (ranking_rate(x, &rate))
				printf(" %7.2f%%\n", 100 * rate);
			else
				printf(" %8s\n", "-");
		}
	}
	results_ranking_free(&k);
	return 0;
}

/* The run's table of rules, its fee figures and findings, through the results reader. */
static int print_run(sqlite3 *db, sqlite3_int64 id, const struct ruleset *rs, int english,
		     pm_error *err)
{
	struct results_run run;
	int rc;

	if (results_open_run(db, id, &run, err) < 0)
		return -1;
	rc = print_rules(&run, english, err);
	if (rc == 0) {
		print_figures(&run);
		print_satisfaction(&run);
		print_backlog(&run);
		rc = print_ranking(&run, rs, english, err);
	}
	results_close_run(&run);
	return rc;
}

/* Per log, the first and last event time in the database (of the site, with --site). */
static void print_check_coverage(const struct db_coverage *cov, const char *site)
{
	int i;

	/* term_printf() ends the line */
	if (site)
		term_printf(stdout, _("data coverage of %s (first and last event in the database):"), site);
	else
		printf("%s\n", _("data coverage (first and last event in the database):"));
	for (i = 0; i < DB_COVERAGE_LOGS; i++)
		printf("  %-14s %-19s  %s\n", DB_COVERAGE_KEYS[i],
		       cov->log[i].first[0] ? cov->log[i].first : _("no records"), cov->log[i].last);
}

/* --json (csv 0) or --csv to path, whole or not at all: a temporary renamed over it (util/outfile.h). */
static int write_output(sqlite3 *db, sqlite3_int64 run, const char *path, int csv, int english)
{
	struct outfile out;
	pm_error err = { "" };

	if (outfile_open(&out, path, &err) < 0) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		return -1;
	}
	if ((csv ? check_write_csv(db, run, english, out.f, &err)
		 : check_write_json(db, run, out.f, &err)) < 0) {
		outfile_abort(&out);
		term_printf(stderr, "pmaudit check: %s: %s", path, err.msg);
		return -1;
	}
	if (outfile_commit(&out, &err) < 0) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		return -1;
	}
	return 0;
}

/*
 * The workbook into xlsx, the outfile opened before the run (an unwritable
 * --xlsx is refused before any work); libxlsxwriter writes its temporary by
 * path, renamed over FILE when the workbook is whole (util/outfile.h).
 */
static int write_xlsx(sqlite3 *db, sqlite3_int64 run, const struct check_options *o,
		      const struct check_params *p, struct outfile *xlsx)
{
	struct xlsx_job job = {
		.db = db, .run_id = run, .path = outfile_path(xlsx), .english = o->english,
		.from = p->from, .to = p->to, .as_of = p->as_of, .site = p->site,
		.rules_file = o->rules, .calendar_file = o->calendar,
		.rules = p->rules, .calendar = p->calendar,
	};
	pm_error err = { "" };
	char *title;
	int rc;

	/* the window as the run has it: from inclusive, to exclusive */
	if (asprintf(&title, o->english ? "Check results · %.16s to %.16s (exclusive) · %s" :
		     "稽核结果 · %.16s 至 %.16s（不含） · %s", p->from, p->to,
		     p->site ? p->site : o->english ? "all sites" : "全部项目") < 0) {
		outfile_abort(xlsx);
		fprintf(stderr, "pmaudit check: %s\n", _("out of memory"));
		return -1;
	}
	job.title = title;
	rc = xlsx_write(&job, &err);
	free(title);
	if (rc < 0) {
		outfile_abort(xlsx);
		term_printf(stderr, "pmaudit check: %s: %s", o->xlsx, err.msg);
		return -1;
	}
	if (outfile_commit(xlsx, &err) < 0) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		return -1;
	}
	return 0;
}

/* No output may be the database, an input or the other output (util/pathcheck.h). */
static int check_paths(const struct check_options *o, pm_error *err)
{
	const struct path_use uses[] = {
		{ o->json, "--json", 1 }, { o->csv, "--csv", 1 }, { o->xlsx, "--xlsx", 1 },
		{ o->rules, "--rules", 0 }, { o->calendar, "--calendar", 0 },
	};

	return paths_check(db_default_path(o->db), uses, sizeof(uses) / sizeof(uses[0]), err);
}

/* The run of o and p on db and its outputs; the exit status. */
static int check_and_write(sqlite3 *db, struct check_options *o, struct check_params *p,
			   struct outfile *xlsx)
{
	pm_error err = { "" };
	sqlite3_int64 run;
	struct db_coverage coverage;
	struct ruleset rules;
	struct calendar *cal = NULL;
	int rc = 0, quiet;

	/* the table goes to standard output unless the JSON, CSV or workbook does */
	quiet = (o->json && outfile_is_stdout(o->json)) || (o->csv && outfile_is_stdout(o->csv)) ||
		(o->xlsx && outfile_is_stdout(o->xlsx));
	/*
	 * The file is verified beside the run (p->verify_path): a step before
	 * it that fails may fail because the file is damaged, and then that is
	 * the reason to give (cmd_damaged()).
	 */
	if (db_site_known(db, p->site, &err)) {
		if (cmd_damaged("pmaudit check", db, p->verify_path))
			return 1;
		/* a typo must not give a check of nothing (issue 14) */
		term_printf(stderr, "pmaudit check: --site: %s", err.msg);
		return 2;
	}
	if (cmd_as_of("pmaudit check", db, p->to, p->as_of, o->as_of_ts)) {
		cmd_damaged("pmaudit check", db, p->verify_path);
		return 1;
	}
	p->as_of = o->as_of_ts;
	if (!quiet && db_coverage(db, p->site, &coverage, &err)) {
		if (!cmd_damaged("pmaudit check", db, p->verify_path))
			term_printf(stderr, "pmaudit check: %s", err.msg);
		return 1;
	}
	profile_from_env(db);
	if (getenv("PMAUDIT_PROFILE"))
		p->profile = profile_pass;
	/* the rules file and its calendar, parsed once and handed to the engine */
	memset(&rules, 0, sizeof(rules));
	if (ruleset_load(o->rules, &rules, &err) == 0 &&
	    check_calendar_load(&rules, o->calendar, &cal, &err) == 0) {
		p->rules = &rules;
		p->calendar = cal;
		rc = check_run(db, p, &run, &err);
	} else {
		rc = -1;
	}
	if (rc) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		rc = 1;
		goto out;
	}
	if (!quiet) {
		/* the site may be any text of the data, escape characters included */
		term_printf(stdout, _("check run %lld: %s to %s, as of %s, %s"), (long long)run, p->from,
			    p->to, p->as_of ? p->as_of : p->to, p->site ? p->site : _("all sites"));
		print_check_coverage(&coverage, p->site);
		putchar('\n');
		if (print_run(db, run, &rules, o->english, &err) < 0) {
			term_printf(stderr, "pmaudit check: %s", err.msg);
			rc = 1;
		}
	}
	if (o->json && write_output(db, run, o->json, 0, o->english))
		rc = 1;
	if (o->csv && write_output(db, run, o->csv, 1, o->english))
		rc = 1;
	if (o->xlsx && write_xlsx(db, run, o, p, xlsx))
		rc = 1;
out:
	/* the rules and calendar live until the workbook, which reads the rules' roles, is written */
	calendar_free(cal);
	ruleset_free(&rules);
	p->rules = NULL;
	p->calendar = NULL;
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct check_options o = { 0 };
	struct check_params p;
	struct outfile xlsx = { .slot = -1 };
	pm_error err = { "" };
	sqlite3 *db;
	int rc = parse_args(argc, argv, &o);

	if (rc >= 0)
		return rc;
	csv_write_raw(o.raw_csv);
	memset(&p, 0, sizeof(p));
	p.from = o.from_ts;
	p.to = o.to_ts;
	p.as_of = o.as_of ? o.as_of_ts : NULL;
	p.site = o.site;
	p.keep_met = o.keep_met;
	p.figures_only = o.no_records;
	/* PMAUDIT_THREADS=1: one core only (a busy machine; the tests compare) */
	p.one_thread = getenv("PMAUDIT_THREADS") && atoi(getenv("PMAUDIT_THREADS")) == 1;
	if (check_paths(&o, &err) || (o.xlsx && outfile_open_path(&xlsx, o.xlsx, &err))) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		return 1;
	}
	/* verified beside the run, which waits for the verdict before its COMMIT */
	p.verify_path = db_default_path(o.db);
	db_page_cache_setup();
	if (db_open_unverified(p.verify_path, 30000, &db, &err)) {
		outfile_abort(&xlsx);
		term_printf(stderr, "pmaudit check: %s", err.msg);
		return 1;
	}
	rc = check_and_write(db, &o, &p, &xlsx);
	/* written and committed, or nothing: the temporary goes (nothing after a commit) */
	outfile_abort(&xlsx);
	sqlite3_close(db);
	return rc;
}
