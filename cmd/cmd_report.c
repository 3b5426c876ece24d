/*
 * pmaudit report monthly|inspection|annual: parses the options, opens the
 * database and hands over to reports/.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "cmd/each_site.h"
#include "util/i18n.h"
#include "cmd/profile.h"
#include "db/db.h"
#include "reports/report.h"
#include "rules/calendar/calendar.h"
#include "rules/engine/check.h"
#include "rules/ruleset/ruleset.h"
#include "util/csv_write.h"
#include "util/outfile.h"
#include "util/pathcheck.h"
#include "util/period.h"
#include "util/term.h"

static const char SYNOPSIS[] = N_(
"usage: pmaudit report monthly    [--db FILE] --month YYYY-MM [--site NAME]\n"
"                                 [--company NAME]\n"
"                                 [--as-of TIME] --out FILE.pdf [--charts DIR]\n"
"                                 [--lang zh|en] [--rules FILE] [--wall-clock]\n"
"                                 [--xlsx FILE.xlsx]\n"
"       pmaudit report inspection [--db FILE] --quarter YYYYQn [--fraction 0.2]\n"
"                                 [--seed N] [--site NAME] --out FILE.pdf\n"
"                                 [--checklist FILE.csv] [--lang zh|en]\n"
"                                 [--xlsx FILE.xlsx]\n"
"       pmaudit report annual     [--db FILE] --year YYYY [--site NAME]\n"
"                                 --out FILE.pdf [--charts DIR] [--lang zh|en]\n"
"                                 [--xlsx FILE.xlsx]\n"
"\n"
"monthly     the month-end compliance audit (月度合规稽核报告): every rule\n"
"            against its target, per site, with the breach lists, fees,\n"
"            data quality and a twelve-month trend. The breached and\n"
"            pending records also go to FILE-breaches.csv. With --each-site\n"
"            DIR, also one report per site in DIR, as --site would make it.\n"
"inspection  the quarterly spot check (seed 003: 每季度抽查回访20%): a\n"
"            reproducible random sample of the quarter's repair tickets,\n"
"            stratified by site, as a checklist for the inspector.\n"
"annual      the year-end summary (年度工作总结).\n"
"\n");

static int bad(const char *msg, const char *value)
{
	fprintf(stderr, "pmaudit report: %s%s%s\n", msg, value ? ": " : "", value ? value : "");
	return 2;
}

/* The option texts before they are checked and converted into report_opts. */
struct report_args {
	const char *db, *lang, *seed, *fraction;
	const char *each_site;   /* --each-site DIR */
	int raw_csv;
	struct period period;    /* the report's --month, --quarter or --year */
	char as_of[20];
};

/*
 * The report's period and --as-of, read by util/period.h as for check;
 * the report gets them in canonical form ('2026-10', '2026Q4', '2026',
 * 'YYYY-MM-DD HH:MM:SS'). Returns -1, else the exit status.
 */
static int check_period(const char *kind, struct report_args *a, struct report_opts *o)
{
	pm_error err = { "" };
	const char **text = !strcmp(kind, "monthly") ? &o->month :
			    !strcmp(kind, "inspection") ? &o->quarter : &o->year;
	int (*parse)(const char *, struct period *, pm_error *) =
		text == &o->month ? period_month : text == &o->quarter ? period_quarter : period_year;

	if (!*text)
		return bad(text == &o->month ? _("--month YYYY-MM is required") :
			   text == &o->quarter ? _("--quarter YYYYQn is required") :
			   _("--year YYYY is required"), NULL);
	if (parse(*text, &a->period, &err) ||
	    (o->as_of && period_time("--as-of", o->as_of, a->as_of, NULL, &err))) {
		fprintf(stderr, "pmaudit report %s: %s\n", kind, err.msg);
		return 2;
	}
	*text = a->period.label;
	if (o->as_of)
		o->as_of = a->as_of;
	return -1;
}

/* --lang, --seed and --fraction into o; returns -1, else the exit status. */
static int check_values(const struct report_args *a, struct report_opts *o)
{
	char *end;

	if (a->lang && strcmp(a->lang, "zh") && strcmp(a->lang, "en"))
		return bad(_("--lang must be zh or en"), a->lang);
	o->english = a->lang && !strcmp(a->lang, "en");
	if (a->seed) {
		o->seed = strtoull(a->seed, &end, 10);
		if (*end)
			return bad(_("--seed must be a whole number"), a->seed);
	}
	if (a->fraction) {
		o->fraction = strtod(a->fraction, &end);
		if (*end || !(o->fraction > 0 && o->fraction <= 1))
			return bad(_("--fraction must be a number in (0, 1]"), a->fraction);
	}
	return -1;
}

/* Fills o from argv (argv[0] is the report); returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct report_opts *o, struct report_args *a)
{
	const struct option_spec options[] = {
		OPT_STRING("db", 0, &a->db, "FILE", "database (default $PMAUDIT_DB, else pmaudit.db)"),
		OPT_STRING("month", 0, &o->month, "YYYY-MM", "monthly: the month"),
		OPT_STRING("quarter", 0, &o->quarter, "YYYYQn", "inspection: the quarter"),
		OPT_STRING("year", 0, &o->year, "YYYY", "annual: the year"),
		OPT_STRING("out", 0, &o->out, "FILE", "the PDF to write"),
		OPT_STRING("as-of", 0, &o->as_of, "TIME", "judge as of this time (default: the end of the period)"),
		OPT_STRING("site", 0, &o->site, "NAME", "one site only"),
		OPT_STRING("company", 0, &o->company, "NAME", "the company name for the cover and page headers"),
		OPT_STRING("charts", 0, &o->charts_dir, "DIR", "keep the chart PNGs in DIR"),
		OPT_FLAG("no-charts", 0, &o->no_charts, "make the report without charts (the pages say so); without\n"
			 "it, a chart that cannot be drawn fails the report"),
		OPT_FLAG("raw-csv", 0, &a->raw_csv, "write CSV cells as they are: by default a cell starting with\n"
			 "= + - @, a tab or a CR gets a ' in front (no spreadsheet formula)"),
		OPT_STRING("lang", 0, &a->lang, "zh|en", "Chinese (default) or English"),
		OPT_STRING("rules", 0, &o->rules_file, "FILE", "rules file (default: the built-in rule set)"),
		OPT_STRING("calendar", 0, &o->calendar_file, "FILE", "holiday calendar (default: the built-in one)"),
		OPT_FLAG("wall-clock", 0, &o->wall_clock, "print the real generation time instead of the as-of time\n"
			 "(the PDF is then no longer byte-identical between runs)"),
		OPT_STRING("seed", 0, &a->seed, "N", "inspection sample seed (default 1); same seed, same sample"),
		OPT_STRING("fraction", 0, &a->fraction, "F", "inspection sample share, 0 < F <= 1 (default 0.2)"),
		OPT_STRING("checklist", 0, &o->checklist, "FILE.csv", "inspection: write the checklist as CSV"),
		OPT_STRING("prepared-by", 0, &o->prepared_by, "NAME", "the approval block's 编制 (prepared by);\n"
			   "without it a blank line to sign"),
		OPT_STRING("reviewed-by", 0, &o->reviewed_by, "NAME", "the approval block's 审核 (reviewed by)"),
		OPT_STRING("approved-by", 0, &o->approved_by, "NAME", "the approval block's 批准 (approved by)"),
		OPT_STRING("each-site", 0, &a->each_site, "DIR", "monthly: also write one report per site into DIR\n"
			   "(SITE.pdf and SITE-breaches.csv, as --site SITE makes them)"),
		OPT_STRING("xlsx", 0, &o->xlsx, "FILE.xlsx", "also write the Excel workbook of the report's run (summary,\n"
			   "breaches, by site, arrears aging, letters due, data quality;\n"
			   "for inspection the checklist)"),
		OPT_END(),
	};
	const struct cmd_usage usage = { "report", SYNOPSIS, options, NULL };
	int n = cmd_parse(&usage, argc, argv);

	if (n < 0)
		return CMD_EXIT_STATUS(n);
	if (n > 0)
		return bad(_("unexpected argument"), argv[0]);
	if (!o->out)
		return bad(_("--out FILE.pdf is required"), NULL);
	if (o->no_charts && o->charts_dir)
		return bad(_("--no-charts draws no chart: not with --charts"), NULL);
	if (a->each_site && o->site)
		return bad(_("--each-site writes every site's report: not with --site"), NULL);
	csv_write_raw(a->raw_csv);
	return check_values(a, o);
}

/*
 * A report allocates and frees in waves (the sample, then the layout's
 * pages; a run's records, then the next month's): glibc gives the top of
 * the heap back to the kernel after each wave (brk, munmap) and takes it
 * again page fault by page fault -- 9% of the inspection's main thread.
 * Kept instead: peak RSS +30 MB, 8-15% less CPU (docs/performance.md,
 * "report inspection ... sixth session"). Not for import, whose peak RSS
 * has a bound; the glibc tunables (MALLOC_*_) would reach child
 * processes too, mallopt() does not.
 */
static void keep_heap(void)
{
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_TOP_PAD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

/*
 * No output may be the database, an input or another output
 * (util/pathcheck.h); the monthly report also writes FILE-breaches.csv.
 */
static int check_paths(const struct report_opts *o, const char *db_path, int monthly,
		       pm_error *err)
{
	char *breaches = monthly ? breaches_csv_path(o->out) : NULL;
	const struct path_use uses[] = {
		{ o->out, "--out", 1 }, { breaches, "the breaches CSV", 1 },
		{ o->checklist, "--checklist", 1 }, { o->xlsx, "--xlsx", 1 },
		{ o->charts_dir, "--charts", 1 },
		{ o->rules_file, "--rules", 0 }, { o->calendar_file, "--calendar", 0 },
	};
	int rc = paths_check(db_path, uses, sizeof(uses) / sizeof(uses[0]), err);

	free(breaches);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts opts = { .fraction = 0.2, .seed = 1 };
	struct report_args args = { 0 };
	const char *db_option, *kind;
	int (*run)(sqlite3 *, const struct report_opts *, pm_error *);
	sqlite3 *db;
	char *db_real;
	pm_error err;
	struct ruleset rules;
	struct calendar *cal = NULL;
	struct site_files *sites = NULL;
	char who[40];
	int rc;

	if (argc < 2) {
		fprintf(stderr, _("pmaudit report: which report? (monthly, inspection, annual)\n"
			"`pmaudit report --help` lists the options.\n"));
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return parse(argc, argv, &opts, &args);
	kind = argv[1];
	if (!strcmp(kind, "monthly"))
		run = report_monthly;
	else if (!strcmp(kind, "inspection"))
		run = report_inspection;
	else if (!strcmp(kind, "annual"))
		run = report_annual;
	else
		return bad(_("unknown report (monthly, inspection, annual)"), kind);
	rc = parse(argc - 1, argv + 1, &opts, &args);
	if (rc >= 0)
		return rc;
	if (args.each_site && run != report_monthly)
		return bad(_("--each-site is for report monthly"), NULL);
	db_option = args.db;
	keep_heap();
	rc = check_period(kind, &args, &opts);
	if (rc >= 0)
		return rc;
	/* PMAUDIT_THREADS=1: one core only, as for check */
	opts.one_thread = getenv("PMAUDIT_THREADS") && atoi(getenv("PMAUDIT_THREADS")) == 1;
	/* Read-write: the report records the check runs it makes. */
	/*
	 * The three reports verify the file beside their reads
	 * (report_opts.verify_path).
	 */
	if (run == report_monthly || run == report_annual || run == report_inspection)
		opts.verify_path = db_default_path(db_option);
	if (check_paths(&opts, db_default_path(db_option), run == report_monthly, &err) < 0 ||
	    (opts.verify_path ? db_open_unverified : db_open_existing)(db_default_path(db_option),
								      5000, &db, &err) < 0) {
		term_printf(stderr, "pmaudit report: %s", err.msg);
		return 1;
	}
	snprintf(who, sizeof(who), "pmaudit report %s", kind);
	if (db_site_known(db, opts.site, &err)) {
		rc = opts.verify_path && cmd_damaged(who, db, opts.verify_path);
		/* a typo must not give a report of dashes (issue 14) */
		if (!rc)
			term_printf(stderr, "pmaudit report %s: --site: %s", kind, err.msg);
		sqlite3_close(db);
		return rc ? 1 : 2;
	}
	if (cmd_as_of(who, db, args.period.to, opts.as_of, args.as_of)) {
		if (opts.verify_path)
			cmd_damaged(who, db, opts.verify_path);
		sqlite3_close(db);
		return 1;
	}
	opts.as_of = args.as_of;
	/* the command in 数据来源 names the database wherever it is run from */
	db_real = realpath(db_default_path(db_option), NULL);
	opts.db_path = db_real ? db_real : db_default_path(db_option);
	profile_from_env(db);
	/* the rules file and its calendar, parsed once and handed to every run and trend */
	memset(&rules, 0, sizeof(rules));
	if (ruleset_load(opts.rules_file, &rules, &err) == 0 &&
	    check_calendar_load(&rules, opts.calendar_file, &cal, &err) == 0 &&
	    (!args.each_site ||
	     each_site_prepare(db, &opts, db_default_path(db_option), args.each_site, &sites,
			       &err) == 0)) {
		opts.rules = &rules;
		opts.calendar = cal;
		rc = run(db, &opts, &err);
	} else {
		rc = -1;
		/* a step before the report, which verifies the file, failed: damaged? */
		if (opts.verify_path && cmd_damaged(who, db, opts.verify_path))
			rc = -2;
	}
	if (rc == -2) {
		rc = 1;
	} else if (rc < 0) {
		/* may quote a site or a label from the data */
		term_printf(stderr, "pmaudit report %s: %s", kind, err.msg);
		rc = 1;
	} else {
		/* the PDF itself may be on standard output: the path goes to stderr then */
		fprintf(outfile_is_stdout(opts.out) ? stderr : stdout, "%s\n", opts.out);
		rc = sites ? each_site_run(db, &opts, sites) : 0;
	}
	each_site_free(sites);
	calendar_free(cal);
	ruleset_free(&rules);
	free(db_real);
	sqlite3_close(db);
	return rc;
}
