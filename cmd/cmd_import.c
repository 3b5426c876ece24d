/*
 * pmaudit import: load CSV exports into the database, one transaction per
 * file. Exit status 0: every row stored; 1: some rows rejected (kept in
 * import_rejects, the rest stored); 2: a file could not be imported at all.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "cmd/profile.h"
#include "util/i18n.h"
#include "db/db.h"
#include "etl/dry_run.h"
#include "etl/import.h"
#include "etl/kinds.h"
#include "etl/map.h"
#include "db/reject_reason.h"
#include "rules/ruleset/ruleset.h"
#include "util/pathcheck.h"
#include "util/term.h"

/* files smaller than this finish too fast to need a progress line */
#define PROGRESS_MIN_BYTES (4 << 20)
/* how many rejected rows are shown; the rest are listed by `pmaudit rejects` */
#define SHOW_REJECTS 10

static const char SYNOPSIS[] = N_(
"usage: pmaudit import [--db FILE] [--kind tickets|complaints|callbacks|fees]\n"
"                      [--encoding auto|utf-8|gb18030] [--delimiter comma|tab]\n"
"                      [--map FILE] [--dry-run] [--write-map FILE]\n"
"                      [--rules FILE] FILE...\n"
"\n"
"Loads CSV exports into the database (default pmaudit.db, or $PMAUDIT_DB).\n"
"The log is recognised from the header unless --kind names it; the\n"
"encoding is detected (UTF-8, else GB18030) unless --encoding forces it;\n"
"*.tsv files are tab-separated. Re-importing a file changes nothing.\n"
"--map FILE reads another system's export through a mapping file\n"
"(docs/import.md). --dry-run reads and checks the files and shows how\n"
"each column and value is read, storing nothing; --write-map FILE also\n"
"writes a mapping file from what was recognised, to complete. A file\n"
"lacking a field that a rule in force needs is reported with those rules;\n"
"--rules FILE names the rules file in force (as check and report take it).\n"
"\n");

static const char FOOTER[] = N_(
"Exit status: 0 every row stored; 1 some rows rejected (see `pmaudit\n"
"rejects`), the others stored; 2 a file could not be imported at all.\n");

struct progress {
	const char *path;
	struct timespec start, last;
	int shown;
};

static double elapsed(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) + (to->tv_nsec - from->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, int64_t done, int64_t total, int64_t rows)
{
	struct progress *p = ctx;
	struct timespec now;
	double secs;

	if (total < PROGRESS_MIN_BYTES)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->shown && elapsed(&p->last, &now) < 0.25)
		return;
	p->last = now;
	p->shown = 1;
	secs = elapsed(&p->start, &now);
	fputc('\r', stderr);
	term_write(stderr, p->path, 0);
	fprintf(stderr, _(": %lld rows, %.1f MB/s, %d%%  "), (long long)rows,
		secs > 0 ? done / secs / 1e6 : 0.0, total > 0 ? (int)(100 * done / total) : 100);
	fflush(stderr);
}

static void clear_progress(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = 0;
}

/* Prints the first rejected rows of a run to stderr. */
static void show_rejects(sqlite3 *db, int64_t run_id, int64_t rejected)
{
	sqlite3_stmt *stmt;
	int shown = 0;

	if (sqlite3_prepare_v2(db, "SELECT file, line, field, reason FROM import_rejects "
			       "WHERE run_id=?1 ORDER BY line LIMIT ?2", -1, &stmt, NULL))
		return;
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_int(stmt, 2, SHOW_REJECTS);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *field = (const char *)sqlite3_column_text(stmt, 2);
		const char *reason = (const char *)sqlite3_column_text(stmt, 3);
		char zh[1200];

		if (reason && i18n_chinese()) {
			reject_reason_zh(reason, zh, sizeof(zh));
			reason = zh;
		}
		/* the reason quotes the bad value: untrusted text */
		term_printf(stderr, "%s:%lld: %s%s%s", sqlite3_column_text(stmt, 0),
			    (long long)sqlite3_column_int64(stmt, 1), field ? field : "",
			    field ? ": " : "", reason ? reason : "");
		shown++;
	}
	sqlite3_finalize(stmt);
	if (rejected > shown)
		fprintf(stderr, _("... and %lld more; see `pmaudit rejects --run %lld`\n"),
			(long long)(rejected - shown), (long long)run_id);
}

/* What the command does besides importing: the options of MAPPING.md. */
struct import_cmd {
	const char *map_path;		/* --map */
	int dry_run;			/* --dry-run (or --write-map) */
	const char *write_map;		/* --write-map */
	const char *rules_path;		/* --rules; NULL: the default rules */
	struct ruleset rules;		/* the rules in force, to name what a file lacks */
	int have_rules;
};

struct import_args {
	const char *db, *kind, *encoding, *delimiter;
};

/* The option values into opt; returns 0 or -1 after naming the bad one. */
static int check_values(const struct import_args *a, struct pm_import_options *opt)
{
	if (a->kind && (opt->kind = kind_by_name(a->kind)) < 0) {
		fprintf(stderr, _("pmaudit import: unknown --kind '%s' (tickets, "
			"complaints, callbacks or fees)\n"), a->kind);
		return -1;
	}
	if (a->encoding && (opt->encoding = encoding_parse(a->encoding)) < 0) {
		fprintf(stderr, _("pmaudit import: unknown --encoding '%s' (auto, "
			"utf-8 or gb18030)\n"), a->encoding);
		return -1;
	}
	if (!a->delimiter)
		return 0;
	if (!strcmp(a->delimiter, "comma") || !strcmp(a->delimiter, ","))
		opt->delimiter = ',';
	else if (!strcmp(a->delimiter, "tab") || !strcmp(a->delimiter, "\\t"))
		opt->delimiter = '\t';
	else {
		fprintf(stderr, _("pmaudit import: unknown --delimiter '%s' (comma "
			"or tab)\n"), a->delimiter);
		return -1;
	}
	return 0;
}

/*
 * Fills a and opt, moves the files to argv[0..*nfiles - 1]; returns -1 to
 * go on, else the exit status.
 */
static int parse_options(int argc, char **argv, struct import_args *a,
			 struct pm_import_options *opt, struct import_cmd *ic, int *nfiles)
{
	const struct option_spec options[] = {
		OPT_STRING("db", 0, &a->db, "FILE", "the database"),
		OPT_STRING("kind", 0, &a->kind, "LOG", "tickets, complaints, callbacks or fees"),
		OPT_STRING("encoding", 0, &a->encoding, "ENC", "auto (default), utf-8 or gb18030"),
		OPT_STRING("delimiter", 0, &a->delimiter, "D", "comma or tab"),
		OPT_STRING("map", 0, &ic->map_path, "FILE", "read the files through a mapping file"),
		OPT_FLAG("dry-run", 0, &ic->dry_run, "read and check, store nothing"),
		OPT_STRING("write-map", 0, &ic->write_map, "FILE",
			   "write a mapping file from what was recognised (a dry run)"),
		OPT_STRING("rules", 0, &ic->rules_path, "FILE",
			   "the rules in force, to name those a file cannot feed\n"
			   "(default: as check)"),
		OPT_END(),
	};
	const struct cmd_usage usage = { "import", SYNOPSIS, options, FOOTER };
	int n = cmd_parse(&usage, argc, argv);

	if (n < 0)
		return CMD_EXIT_STATUS(n);
	if (check_values(a, opt))
		return 2;
	if (n == 0) {
		fprintf(stderr, _("pmaudit import: no file given\n"));
		cmd_help(stderr, &usage);
		return 2;
	}
	*nfiles = n;
	if (ic->write_map)
		ic->dry_run = 1;
	if (ic->write_map && n != 1) {
		fprintf(stderr, _("pmaudit import: --write-map describes one file; give one\n"));
		return 2;
	}
	return -1;
}

/* Title lines above the header and summary rows: skipped, not rejected. */
static void show_skipped(const char *path, const struct pm_import_result *r)
{
	int i;

	if (r->title_lines)
		term_printf(stdout, _("%s: header on line %lld; %lld line(s) above it skipped "
			    "(titles)"), path, (long long)r->header_line, (long long)r->title_lines);
	if (!r->summary_rows)
		return;
	term_write(stdout, path, 0);
	printf(_(": %lld summary row(s) (合计/总计/小计) skipped, not imported: line"),
	       (long long)r->summary_rows);
	for (i = 0; i < r->summary_rows && i < PM_IMPORT_SHOW_LINES; i++)
		printf("%s %lld", i ? "," : "", (long long)r->summary_line[i]);
	printf("%s\n", r->summary_rows > PM_IMPORT_SHOW_LINES ? ", ..." : "");
}

/*
 * The columns no field reads, as a block of the summary (MAPPING.md: listed
 * "in the import summary, not only a one-line warning"): data no rule will
 * see, each with the field its name resembles.
 */
static void show_unknown_columns(const char *path, const struct pm_import_result *r)
{
	int i, n = 0;

	for (i = 0; i < r->ncolumns; i++)
		n += !strcmp(r->column[i].how, "unmapped");
	if (!n)
		return;
	term_printf(stdout, _("%s: %d unknown column(s) ignored, not imported (no rule sees "
		    "them; a mapping file's [columns] can name their fields):"), path, n);
	for (i = 0; i < r->ncolumns; i++) {
		const struct pm_column_read *c = &r->column[i];

		if (strcmp(c->how, "unmapped"))
			continue;
		if (c->hint[0])
			term_printf(stdout, _("    %s (looks like %s?)"), c->name, c->hint);
		else
			term_printf(stdout, "    %s", c->name);
	}
	if (r->ncolumns == PM_IMPORT_MAX_COLUMNS)
		term_printf(stdout, _("    ... (only the first %d columns are described)"),
			    PM_IMPORT_MAX_COLUMNS);
}

/* Where the rules a file cannot feed are told, and how. */
struct lacking_out {
	const char *path;	/* NULL: as a dry-run list */
	int count;
};

static void print_lacking(void *ctx, const char *field, const char *rules)
{
	struct lacking_out *lo = ctx;

	if (!lo->path) {
		if (lo->count++ == 0)
			printf(_("  rules that will lack data (the file has no such field):\n"));
		term_printf(stdout, "    %s: %s", field, rules);
		return;
	}
	term_printf(stdout, _("%s: the file has no %s: rules %s cannot judge its records (无法判定)"),
		    lo->path, field, rules);
}

/*
 * The rules in force that need a field the file lacks (rules/ruleset/ruleset.h);
 * path NULL: as a list in a dry run's report.
 */
static void show_lacking(struct import_cmd *ic, const char *path,
			 const struct pm_import_result *r)
{
	struct lacking_out lo = { path, 0 };

	if (!ic->have_rules || r->kind < 0 || !r->header_line || !r->fields[0])
		return;
	rules_lacking(&ic->rules, PM_KINDS[r->kind].name, r->fields, print_lacking, &lo);
	if (!path && lo.count == 0)
		printf(_("  rules that will lack data: none\n"));
}

static int dry_run_one(sqlite3 *db, const char *path, struct pm_import_options *opt,
		       struct import_cmd *ic)
{
	struct pm_import_result r;
	pm_error err;
	int rc;

	opt->progress = NULL;
	rc = import_file(db, path, opt, &r, &err);
	fflush(stdout);
	if (rc) {
		term_printf(stderr, "pmaudit import: %s", err.msg);
		if (r.ncolumns) {
			term_printf(stdout, _("%s: no header found; the likeliest is line %lld "
				    "(as %s):"), path, (long long)r.header_line,
				    PM_KINDS[r.kind].name);
			dry_run_columns(&r, stdout);
		}
	} else {
		dry_run_report(db, path, &r, stdout);
		show_lacking(ic, NULL, &r);
	}
	if (ic->write_map && r.ncolumns && r.kind >= 0) {
		if (dry_run_write_map(db, path, &r, opt->map, ic->write_map, &err)) {
			term_printf(stderr, "pmaudit import: %s", err.msg);
			return 2;
		}
		term_printf(stdout, _("%s: mapping file written to %s; complete it, then try it "
			    "with --dry-run --map %s"), path, ic->write_map, ic->write_map);
	}
	if (rc)
		return 2;
	return r.rejected ? 1 : 0;
}

static int import_one(sqlite3 *db, const char *path, struct pm_import_options *opt,
		      struct import_cmd *ic)
{
	struct pm_import_result r;
	struct progress p;
	pm_error err;
	int rc;

	memset(&p, 0, sizeof(p));
	p.path = path;
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	opt->progress = NULL;
	if (isatty(STDERR_FILENO)) {
		opt->progress = show_progress;
		opt->progress_ctx = &p;
	}
	rc = import_file(db, path, opt, &r, &err);
	clear_progress(&p);
	if (rc) {
		/* messages may quote the file's header: untrusted text */
		term_printf(stderr, "pmaudit import: %s", err.msg);
		return 2;
	}
	if (r.warning[0])
		term_printf(stderr, _("%s: warning: %s"), path, r.warning);
	show_skipped(path, &r);
	term_printf(stdout, _("%s: %s, %lld rows read, %lld inserted, %lld updated, %lld unchanged, "
		    "%lld rejected, %.2f s (run %lld, %s)"), path, PM_KINDS[r.kind].name,
		    (long long)r.rows, (long long)r.inserted, (long long)r.updated,
		    (long long)r.unchanged, (long long)r.rejected, r.seconds, (long long)r.run_id,
		    encoding_name(r.encoding));
	fflush(stdout);
	if (r.removed)
		term_printf(stdout, _("%s: %lld waiver or payment event(s) removed: their bills' rows "
			    "in this statement no longer show them (a bill's events are its latest "
			    "statement's)"), path, (long long)r.removed);
	show_unknown_columns(path, &r);
	if (r.paid_derived)
		term_printf(stdout, _("%s: no paid (是否有偿) column: paid = charge > 0 "
			    "(a repair with a charge was paid for)"), path);
	show_lacking(ic, path, &r);
	if (r.rejected) {
		show_rejects(db, r.run_id, r.rejected);
		return 1;
	}
	return 0;
}

int cmd_import(int argc, char **argv)
{
	struct pm_import_options opt = { .kind = -1, .encoding = PM_ENC_AUTO };
	struct import_args args = { 0 };
	const char *db_path;
	struct import_cmd ic;
	struct pm_map map;
	sqlite3 *db;
	pm_error err;
	int status = 0, rc, i, nfiles;

	memset(&ic, 0, sizeof(ic));
	rc = parse_options(argc, argv, &args, &opt, &ic, &nfiles);
	if (rc >= 0)
		return rc;
	if (ic.map_path) {
		/* a mapping file that does not parse stores nothing */
		if (map_load(ic.map_path, &map, &err)) {
			term_printf(stderr, "pmaudit import: %s", err.msg);
			return 2;
		}
		opt.map = &map;
		if (opt.kind >= 0 && opt.kind != map.kind) {
			fprintf(stderr, _("pmaudit import: --kind %s contradicts the mapping file's "
				"kind = %s\n"), kind_get(opt.kind)->name, kind_get(map.kind)->name);
			map_free(&map);
			return 2;
		}
	}
	/*
	 * The rules in force, loaded here and handed to the import's report: a
	 * file lacking what they need is reported with them. A --rules file
	 * that does not load stores nothing, as a bad mapping file; without
	 * --rules the default set (if even that fails, no rules are named).
	 */
	if (ruleset_load(ic.rules_path, &ic.rules, &err) == 0) {
		ic.have_rules = 1;
	} else if (ic.rules_path) {
		term_printf(stderr, "pmaudit import: %s", err.msg);
		status = 2;
		goto done;
	}
	db_path = db_default_path(args.db);
	/* one connection, one thread: SQLite's per-call mutexes cost ~3% of a load */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	/*
	 * Without memory statistics SQLite's malloc takes no mutex: 6% fewer
	 * instructions in the storing thread (callgrind, 100k tickets).
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* --write-map may not replace the file it describes, the --map file or the database */
	if (ic.write_map) {
		const struct path_use uses[] = {
			{ ic.write_map, "--write-map", 1 }, { argv[0], "the file to import", 0 },
			{ ic.map_path, "--map", 0 },
		};

		if (paths_check(db_path, uses, 3, &err)) {
			fprintf(stderr, "pmaudit import: %s\n", err.msg);
			status = 2;
			goto done;
		}
	}
	if (!ic.dry_run && db_is_memory(db_path)) {
		fprintf(stderr, _("pmaudit import: %s is an in-memory database: nothing imported would "
			"be kept; give --db (or PMAUDIT_DB) a file\n"), db_path);
		status = 2;
		goto done;
	}
	/* a dry run never opens the database: a scratch one takes the rows */
	if (ic.dry_run ? dry_run_open(&db, &err) : db_open(db_path, 10000, &db, &err)) {
		fprintf(stderr, "pmaudit import: %s\n", err.msg);
		status = 2;
		goto done;
	}
	profile_from_env(db);
	for (i = 0; i < nfiles; i++) {
		rc = ic.dry_run ? dry_run_one(db, argv[i], &opt, &ic) : import_one(db, argv[i], &opt, &ic);
		if (rc > status)
			status = rc;
	}
	sqlite3_close(db);
done:
	if (opt.map)
		map_free(&map);
	if (ic.have_rules)
		ruleset_free(&ic.rules);
	return status;
}
