/*
 * pmaudit check: evaluate the rules for a period, print the table, and
 * optionally write the JSON summary and the CSV of breached/pending records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd/cmd.h"
#include "cmd/profile.h"
#include "db/db.h"
#include "rules/calendar/calendar.h"
#include "rules/engine/check.h"
#include "rules/ruleset/ruleset.h"
#include "rules/results/results_export.h"
#include "util/term.h"

static const char USAGE[] =
"usage: pmaudit check [--db FILE] PERIOD [--as-of TIME] [--site NAME]\n"
"                     [--rules FILE] [--calendar FILE] [--json FILE] [--csv FILE]\n"
"                     [--keep-met | --no-records]\n"
"\n"
"PERIOD is one of:\n"
"  --month 2026-10        --quarter 2026Q4        --year 2026\n"
"  --from DATE --to DATE  (a bare --to date includes that whole day;\n"
"                          a --to time 'YYYY-MM-DD HH:MM[:SS]' is exclusive)\n"
"\n"
"  --db FILE        the database (default: $PMAUDIT_DB, else pmaudit.db)\n"
"  --as-of TIME     judge as of this time (default: the end of the period);\n"
"                   events after it count as not having happened yet\n"
"  --site NAME      one site (项目) only\n"
"  --rules FILE     the rules file (default: rules/default.rules next to the\n"
"                   binary, else the built-in copy); see `pmaudit rules`\n"
"  --calendar FILE  a holiday calendar (date,kind,name) adding years to, or\n"
"                   replacing years of, the built-in 2024-2026 calendar\n"
"  --json FILE      write the JSON summary ('-' for stdout)\n"
"  --csv FILE       write every breached and pending record as CSV (UTF-8, BOM)\n"
"  --keep-met       also store the records the deadline, coverage and weekly\n"
"                   rules found met in check_records (by default they are only\n"
"                   counted, per site, in check_site_results)\n"
"  --no-records     a figures-only run: store the rule results, weeks, per-site\n"
"                   counts and figures, but no check_records row (no --csv)\n"
"\n"
"Prints one line per rule (met, breached, pending, rate, target), then the fee\n"
"figures and the findings. Exit status 0 on success, 1 on error, 2 on bad usage.\n";

struct check_options {
	const char *db, *month, *quarter, *year, *from, *to, *as_of, *site;
	const char *rules, *calendar, *json, *csv;
	int keep_met, no_records;
	char from_ts[24], to_ts[24], as_of_ts[24];
};

/* Accepts YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS (or a T). */
static int parse_time(const char *text, char out[24], int *date_only)
{
	int day, h = 0, m = 0, s = 0, n = 0;
	size_t len = strlen(text);

	if (len < 10 || day_parse(text, &day))
		return -1;
	*date_only = len == 10;
	if (len > 10) {
		if ((text[10] != ' ' && text[10] != 'T') ||
		    (sscanf(text + 11, "%2d:%2d%n", &h, &m, &n) != 2) ||
		    (text[11 + n] == ':' && sscanf(text + 12 + n, "%2d", &s) != 1))
			return -1;
		if (len != (size_t)(11 + n) && len != (size_t)(14 + n))
			return -1;
		if (h > 23 || m > 59 || s > 59 || h < 0 || m < 0 || s < 0)
			return -1;
	}
	snprintf(out, 24, "%.10s %02d:%02d:%02d", text, h, m, s);
	return 0;
}

static void day_plus(const char *ts, int days, char out[24])
{
	int day;
	char date[11];

	day_parse(ts, &day);
	day_format(day + days, date);
	snprintf(out, 24, "%s 00:00:00", date);
}

static void month_start(int y, int m, char out[24])
{
	while (m > 12) {
		m -= 12;
		y++;
	}
	snprintf(out, 24, "%04d-%02d-01 00:00:00", y % 10000, m % 100);
}

static int parse_year(const char *t, int *y)
{
	char *end;
	long v = strtol(t, &end, 10);

	if (end - t != 4 || v < 1970 || v > 2199)
		return -1;
	*y = (int)v;
	return (int)(end - t);
}

/* Turns the PERIOD options into [from_ts, to_ts). */
static int resolve_period(struct check_options *o)
{
	int given = !!o->month + !!o->quarter + !!o->year + !!(o->from || o->to);
	int y, m, q, date_only, n;

	if (given != 1) {
		fprintf(stderr, "pmaudit check: give exactly one period: --month, --quarter, "
			"--year or --from/--to\n");
		return -1;
	}
	if (o->month) {
		n = parse_year(o->month, &y);
		if (n != 4 || (o->month[4] != '-' && o->month[4] != '/') ||
		    sscanf(o->month + 5, "%2d", &m) != 1 || m < 1 || m > 12 || strlen(o->month) != 7) {
			fprintf(stderr, "pmaudit check: --month: '%s' is not YYYY-MM\n", o->month);
			return -1;
		}
		month_start(y, m, o->from_ts);
		month_start(y, m + 1, o->to_ts);
	} else if (o->quarter) {
		n = parse_year(o->quarter, &y);
		const char *qp = o->quarter + 4 + (o->quarter[4] == '-');
		if (n != 4 || (*qp != 'Q' && *qp != 'q') || qp[1] < '1' || qp[1] > '4' || qp[2]) {
			fprintf(stderr, "pmaudit check: --quarter: '%s' is not YYYYQn (2026Q4)\n", o->quarter);
			return -1;
		}
		q = qp[1] - '0';
		month_start(y, 3 * q - 2, o->from_ts);
		month_start(y, 3 * q + 1, o->to_ts);
	} else if (o->year) {
		if (parse_year(o->year, &y) != 4 || o->year[4]) {
			fprintf(stderr, "pmaudit check: --year: '%s' is not a year\n", o->year);
			return -1;
		}
		month_start(y, 1, o->from_ts);
		month_start(y + 1, 1, o->to_ts);
	} else {
		if (!o->from || !o->to) {
			fprintf(stderr, "pmaudit check: --from and --to go together\n");
			return -1;
		}
		if (parse_time(o->from, o->from_ts, &date_only)) {
			fprintf(stderr, "pmaudit check: --from: '%s' is not a date or time\n", o->from);
			return -1;
		}
		if (parse_time(o->to, o->to_ts, &date_only)) {
			fprintf(stderr, "pmaudit check: --to: '%s' is not a date or time\n", o->to);
			return -1;
		}
		if (date_only)
			day_plus(o->to_ts, 1, o->to_ts);
	}
	if (o->as_of && parse_time(o->as_of, o->as_of_ts, &date_only)) {
		fprintf(stderr, "pmaudit check: --as-of: '%s' is not a date or time\n", o->as_of);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct check_options *o)
{
	static const char *const names[] = {
		"--db", "--month", "--quarter", "--year", "--from", "--to", "--as-of", "--site",
		"--rules", "--calendar", "--json", "--csv"
	};
	const char **slots[] = {
		&o->db, &o->month, &o->quarter, &o->year, &o->from, &o->to, &o->as_of, &o->site,
		&o->rules, &o->calendar, &o->json, &o->csv
	};
	int i;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		size_t len;

		if (!strcmp(arg, "--keep-met")) {
			o->keep_met = 1;
			continue;
		}
		if (!strcmp(arg, "--no-records")) {
			o->no_records = 1;
			continue;
		}
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			len = strlen(names[k]);
			if (!strncmp(arg, names[k], len) && (arg[len] == '\0' || arg[len] == '='))
				break;
		}
		if (k == sizeof(names) / sizeof(names[0])) {
			fprintf(stderr, "pmaudit check: unknown option '%s'\n\n%s", arg, USAGE);
			return -1;
		}
		if (arg[len] == '=')
			value = arg + len + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		if (!value || !*value) {
			fprintf(stderr, "pmaudit check: %s needs a value\n", names[k]);
			return -1;
		}
		*slots[k] = value;
	}
	if (o->no_records && (o->keep_met || o->csv)) {
		fprintf(stderr, "pmaudit check: --no-records stores no records: not with %s\n",
			o->keep_met ? "--keep-met" : "--csv");
		return -1;
	}
	return resolve_period(o);
}

static void print_money(const char *label, long long cents)
{
	long long a = cents < 0 ? -cents : cents;

	printf("  %-26s %s%lld.%02lld\n", label, cents < 0 ? "-" : "", a / 100, a % 100);
}

/* Pads to 26 terminal columns: a 3-byte CJK character is 2 columns wide. */
static void print_label(const char *label)
{
	int width = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)label; *p; p++)
		if ((*p & 0xC0) != 0x80)
			width += *p >= 0xE0 ? 2 : 1;
	printf("  %s%*s ", label, width < 26 ? 26 - width : 0, "");
}

static void print_rate(const char *label, sqlite3_stmt *st, int col)
{
	print_label(label);
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		printf("-\n");
	else
		printf("%.2f%%\n", 100 * sqlite3_column_double(st, col));
}

static void print_weeks(sqlite3 *db, sqlite3_int64 run, const char *rule)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT week, numerator, denominator, rate, met FROM check_weeks"
			       " WHERE run_id = ? AND rule_id = ? ORDER BY week", -1, &st, NULL))
		return;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, rule, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		printf("    %-18s %8lld %8lld %8s", sqlite3_column_text(st, 0),
		       (long long)sqlite3_column_int64(st, 1),
		       (long long)(sqlite3_column_int64(st, 2) - sqlite3_column_int64(st, 1)), "-");
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			printf(" %8s %7s  %-3s\n", "-", "", "-");
		else
			printf(" %7.2f%% %7s  %-3s\n", 100 * sqlite3_column_double(st, 3), "",
			       sqlite3_column_int(st, 4) ? "yes" : "no");
	}
	sqlite3_finalize(st);
}

static void print_rules(sqlite3 *db, sqlite3_int64 run)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT rule_id, rule_kind, title_zh, met, breached, pending,"
			       " numerator, denominator, rate, target, target_met"
			       " FROM check_rule_results WHERE run_id = ? ORDER BY rowid", -1, &st, NULL))
		return;
	sqlite3_bind_int64(st, 1, run);
	printf("%-22s %8s %8s %8s %8s %7s  %-3s  %s\n", "rule", "met", "breached", "pending",
	       "rate", "target", "ok", "title");
	while (sqlite3_step(st) == SQLITE_ROW) {
		int counted = sqlite3_column_type(st, 3) != SQLITE_NULL;
		long long num = sqlite3_column_int64(st, 6), den = sqlite3_column_int64(st, 7);
		char pending[24] = "-";

		if (counted)
			snprintf(pending, sizeof(pending), "%lld", (long long)sqlite3_column_int64(st, 5));
		printf("%-22s %8lld %8lld %8s", sqlite3_column_text(st, 0), num, den - num, pending);
		if (sqlite3_column_type(st, 8) == SQLITE_NULL)
			printf(" %8s", "-");
		else
			printf(" %7.2f%%", 100 * sqlite3_column_double(st, 8));
		printf(" %6.0f%%  %-3s  %s\n", 100 * sqlite3_column_double(st, 9),
		       sqlite3_column_type(st, 10) == SQLITE_NULL ? "-" :
		       sqlite3_column_int(st, 10) ? "yes" : "no", sqlite3_column_text(st, 2));
		if (!strcmp((const char *)sqlite3_column_text(st, 1), "weekly"))
			print_weeks(db, run, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

static long long figure(sqlite3 *db, sqlite3_int64 run, const char *key)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (sqlite3_prepare_v2(db, "SELECT int_value FROM check_figures WHERE run_id = ? AND key = ?",
			       -1, &st, NULL))
		return 0;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void print_rate_figure(sqlite3 *db, sqlite3_int64 run, const char *label, const char *key)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT real_value FROM check_figures WHERE run_id = ? AND key = ?",
			       -1, &st, NULL))
		return;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		print_rate(label, st, 0);
	sqlite3_finalize(st);
}

static void print_figures(sqlite3 *db, sqlite3_int64 run)
{
	static const char *const buckets[] = { "1-30", "31-90", "91-180", "181-365", "365+" };
	char key[32], label[48];
	int i;

	printf("\nfees (yuan)\n");
	print_money("due (charges - waivers)", figure(db, run, "fees.due_cents"));
	print_money("paid by the as-of time", figure(db, run, "fees.paid_cents"));
	print_rate_figure(db, run, "current rate (当期收缴率)", "fees.current_rate");
	print_money("arrears at the start", figure(db, run, "fees.arrears_start_cents"));
	print_money("arrears recovered", figure(db, run, "fees.recovered_cents"));
	print_rate_figure(db, run, "recovery rate (清欠率)", "fees.recovery_rate");
	for (i = 0; i < 5; i++) {
		snprintf(key, sizeof(key), "fees.aging.%s", buckets[i]);
		snprintf(label, sizeof(label), "aging %s days", buckets[i]);
		print_money(label, figure(db, run, key));
	}
	printf("\nvolumes: %lld tickets, %lld complaints (%lld invalid), %lld callbacks, "
	       "%lld orphan callbacks\n",
	       figure(db, run, "volumes.tickets"), figure(db, run, "volumes.complaints"),
	       figure(db, run, "volumes.complaints_invalid"), figure(db, run, "volumes.callbacks"),
	       figure(db, run, "volumes.orphan_callbacks"));
	printf("findings: %lld repeated-problem records in %lld room/category groups, "
	       "%lld problem callbacks not followed up,\n"
	       "          %lld impossible orderings, %lld records missing a start event, "
	       "%lld rejected import rows\n",
	       figure(db, run, "findings.repeat_records"), figure(db, run, "findings.repeat_groups"),
	       figure(db, run, "findings.problem_open"), figure(db, run, "findings.impossible_order"),
	       figure(db, run, "findings.missing_start"), figure(db, run, "findings.rejected_rows"));
}

typedef int (*writer_fn)(sqlite3 *, sqlite3_int64, FILE *, pm_error *);

static int write_output(sqlite3 *db, sqlite3_int64 run, const char *path, writer_fn write)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	pm_error err = { "" };
	int rc;

	if (!f) {
		perror(path);
		return -1;
	}
	rc = write(db, run, f, &err);
	if (f != stdout && fclose(f) && rc == 0) {
		perror(path);
		return -1;
	}
	if (rc)
		term_printf(stderr, "pmaudit check: %s: %s", path, err.msg);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct check_options o;
	struct check_params p;
	struct ruleset rules;
	struct calendar *cal = NULL;
	pm_error err = { "" };
	sqlite3 *db;
	sqlite3_int64 run;
	int rc = 0, i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(USAGE, stdout);
			return 0;
		}
	memset(&o, 0, sizeof(o));
	if (parse_args(argc, argv, &o))
		return 2;
	memset(&p, 0, sizeof(p));
	p.from = o.from_ts;
	p.to = o.to_ts;
	p.as_of = o.as_of ? o.as_of_ts : NULL;
	p.site = o.site;
	p.keep_met = o.keep_met;
	p.figures_only = o.no_records;
	/* PMAUDIT_THREADS=1: one core only (a busy machine; the tests compare) */
	p.one_thread = getenv("PMAUDIT_THREADS") && atoi(getenv("PMAUDIT_THREADS")) == 1;
	if (db_open(db_default_path(o.db), 30000, &db, &err)) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		return 1;
	}
	profile_from_env(db);
	if (getenv("PMAUDIT_PROFILE"))
		p.profile = profile_pass;
	/* the rules file and its calendar, parsed once and handed to the engine */
	memset(&rules, 0, sizeof(rules));
	if (ruleset_load(o.rules, &rules, &err) == 0 &&
	    check_calendar_load(&rules, o.calendar, &cal, &err) == 0) {
		p.rules = &rules;
		p.calendar = cal;
		rc = check_run(db, &p, &run, &err);
	} else {
		rc = -1;
	}
	if (rc) {
		term_printf(stderr, "pmaudit check: %s", err.msg);
		calendar_free(cal);
		ruleset_free(&rules);
		sqlite3_close(db);
		return 1;
	}
	calendar_free(cal);
	ruleset_free(&rules);
	if (!(o.json && !strcmp(o.json, "-")) && !(o.csv && !strcmp(o.csv, "-"))) {
		/* the site may be any text of the data, escape characters included */
		term_printf(stdout, "check run %lld: %s to %s, as of %s, %s", (long long)run, p.from,
			    p.to, p.as_of ? p.as_of : p.to, p.site ? p.site : "all sites");
		putchar('\n');
		print_rules(db, run);
		print_figures(db, run);
	}
	if (o.json && write_output(db, run, o.json, check_write_json))
		rc = 1;
	if (o.csv && write_output(db, run, o.csv, check_write_csv))
		rc = 1;
	sqlite3_close(db);
	return rc;
}
