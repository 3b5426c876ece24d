/*
 * pmaudit report monthly|inspection|annual: parses the options, opens the
 * database and hands over to reports/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "cmd/profile.h"
#include "db/db.h"
#include "reports/report.h"
#include "util/term.h"

static void usage(FILE *out)
{
	fprintf(out,
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
		"            pending records also go to FILE-breaches.csv.\n"
		"inspection  the quarterly spot check (seed 003: 每季度抽查回访20%%): a\n"
		"            reproducible random sample of the quarter's repair tickets,\n"
		"            stratified by site, as a checklist for the inspector.\n"
		"annual      the year-end summary (年度工作总结).\n"
		"\n"
		"  --db FILE        database (default $PMAUDIT_DB, else pmaudit.db)\n"
		"  --as-of TIME     judge as of this time (default: the end of the period)\n"
		"  --site NAME      one site only\n"
		"  --company NAME   the company name for the cover and page headers\n"
		"  --charts DIR     keep the chart PNGs in DIR\n"
		"  --lang zh|en     Chinese (default) or English\n"
		"  --rules FILE     rules file (default: the built-in rule set)\n"
		"  --calendar FILE  holiday calendar (default: the built-in one)\n"
		"  --xlsx FILE      also write the Excel workbook of the report's run (breaches,\n"
		"                   by site, arrears aging, letters due, data quality; for\n"
		"                   inspection the checklist)\n"
		"  --wall-clock     print the real generation time instead of the as-of time\n"
		"                   (the PDF is then no longer byte-identical between runs)\n"
		"  --seed N         inspection sample seed (default 1); same seed, same sample\n"
		"  --fraction F     inspection sample share, 0 < F <= 1 (default 0.2)\n");
}

enum {
	OPT_DB = 1, OPT_COMPANY, OPT_MONTH, OPT_QUARTER, OPT_YEAR, OPT_SITE, OPT_AS_OF, OPT_OUT, OPT_CHARTS,
	OPT_LANG, OPT_RULES, OPT_CALENDAR, OPT_WALL, OPT_SEED, OPT_FRACTION, OPT_CHECKLIST, OPT_XLSX, OPT_HELP
};

static const struct option OPTIONS[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "company", required_argument, NULL, OPT_COMPANY },
	{ "month", required_argument, NULL, OPT_MONTH },
	{ "quarter", required_argument, NULL, OPT_QUARTER },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "charts", required_argument, NULL, OPT_CHARTS },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "calendar", required_argument, NULL, OPT_CALENDAR },
	{ "wall-clock", no_argument, NULL, OPT_WALL },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "fraction", required_argument, NULL, OPT_FRACTION },
	{ "checklist", required_argument, NULL, OPT_CHECKLIST },
	{ "xlsx", required_argument, NULL, OPT_XLSX },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static int bad(const char *msg, const char *value)
{
	fprintf(stderr, "pmaudit report: %s%s%s\n", msg, value ? ": " : "", value ? value : "");
	return 2;
}

/* Fills opts from argv; returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct report_opts *o, const char **db)
{
	int c;

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", OPTIONS, NULL)) != -1) {
		char *end;

		switch (c) {
		case OPT_DB: *db = optarg; break;
		case OPT_COMPANY: o->company = optarg; break;
		case OPT_MONTH: o->month = optarg; break;
		case OPT_QUARTER: o->quarter = optarg; break;
		case OPT_YEAR: o->year = optarg; break;
		case OPT_SITE: o->site = optarg; break;
		case OPT_AS_OF: o->as_of = optarg; break;
		case OPT_OUT: o->out = optarg; break;
		case OPT_CHARTS: o->charts_dir = optarg; break;
		case OPT_RULES: o->rules_file = optarg; break;
		case OPT_CALENDAR: o->calendar_file = optarg; break;
		case OPT_WALL: o->wall_clock = 1; break;
		case OPT_CHECKLIST: o->checklist = optarg; break;
		case OPT_XLSX: o->xlsx = optarg; break;
		case OPT_LANG:
			if (strcmp(optarg, "zh") && strcmp(optarg, "en"))
				return bad("--lang must be zh or en", optarg);
			o->english = !strcmp(optarg, "en");
			break;
		case OPT_SEED:
			o->seed = strtoull(optarg, &end, 10);
			if (!*optarg || *end)
				return bad("--seed must be a whole number", optarg);
			break;
		case OPT_FRACTION:
			o->fraction = strtod(optarg, &end);
			if (!*optarg || *end || !(o->fraction > 0 && o->fraction <= 1))
				return bad("--fraction must be a number in (0, 1]", optarg);
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "pmaudit report: unknown or incomplete option '%s'\n\n",
				argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		return bad("unexpected argument", argv[optind]);
	if (!o->out)
		return bad("--out FILE.pdf is required", NULL);
	return -1;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts opts = { .fraction = 0.2, .seed = 1 };
	const char *db_option = NULL, *kind;
	int (*run)(sqlite3 *, const struct report_opts *, pm_error *);
	sqlite3 *db;
	pm_error err;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	kind = argv[1];
	if (!strcmp(kind, "monthly"))
		run = report_monthly;
	else if (!strcmp(kind, "inspection"))
		run = report_inspection;
	else if (!strcmp(kind, "annual"))
		run = report_annual;
	else
		return bad("unknown report (monthly, inspection, annual)", kind);
	rc = parse(argc, argv, &opts, &db_option);
	if (rc >= 0)
		return rc;
	if (run == report_monthly && !opts.month)
		return bad("--month YYYY-MM is required", NULL);
	if (run == report_inspection && !opts.quarter)
		return bad("--quarter YYYYQn is required", NULL);
	if (run == report_annual && !opts.year)
		return bad("--year YYYY is required", NULL);
	/* PMAUDIT_THREADS=1: one core only, as for check */
	opts.one_thread = getenv("PMAUDIT_THREADS") && atoi(getenv("PMAUDIT_THREADS")) == 1;
	if (access(db_default_path(db_option), F_OK) < 0) {
		fprintf(stderr, "pmaudit report: %s: no such database (run `pmaudit import` first)\n",
			db_default_path(db_option));
		return 1;
	}
	/* Read-write: the report records the check runs it makes. */
	if (db_open(db_default_path(db_option), 5000, &db, &err) < 0) {
		fprintf(stderr, "pmaudit report: %s\n", err.msg);
		return 1;
	}
	profile_from_env(db);
	rc = run(db, &opts, &err);
	sqlite3_close(db);
	if (rc < 0) {
		/* may quote a site or a label from the data */
		term_printf(stderr, "pmaudit report %s: %s", kind, err.msg);
		return 1;
	}
	printf("%s\n", opts.out);
	return 0;
}
