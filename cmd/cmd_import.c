/*
 * pmaudit import: load CSV exports into the database, one transaction per
 * file. Exit status 0: every row stored; 1: some rows rejected (kept in
 * import_rejects, the rest stored); 2: a file could not be imported at all.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "db/db.h"
#include "etl/import.h"
#include "etl/kinds.h"
#include "util/term.h"

/* files smaller than this finish too fast to need a progress line */
#define PROGRESS_MIN_BYTES (4 << 20)
/* how many rejected rows are shown; the rest are listed by `pmaudit rejects` */
#define SHOW_REJECTS 10

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pmaudit import [--db FILE] [--kind tickets|complaints|callbacks|fees]\n"
		"                      [--encoding auto|utf-8|gb18030] [--delimiter comma|tab] FILE...\n"
		"\n"
		"Loads CSV exports into the database (default pmaudit.db, or $PMAUDIT_DB).\n"
		"The log is recognised from the header unless --kind names it; the\n"
		"encoding is detected (UTF-8, else GB18030) unless --encoding forces it;\n"
		"*.tsv files are tab-separated. Re-importing a file changes nothing.\n"
		"\n"
		"Exit status: 0 every row stored; 1 some rows rejected (see `pmaudit\n"
		"rejects`), the others stored; 2 a file could not be imported at all.\n");
}

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
	fprintf(stderr, ": %lld rows, %.1f MB/s, %d%%  ", (long long)rows,
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

		/* the reason quotes the bad value: untrusted text */
		term_printf(stderr, "%s:%lld: %s%s%s", sqlite3_column_text(stmt, 0),
			    (long long)sqlite3_column_int64(stmt, 1), field ? field : "",
			    field ? ": " : "", sqlite3_column_text(stmt, 3));
		shown++;
	}
	sqlite3_finalize(stmt);
	if (rejected > shown)
		fprintf(stderr, "... and %lld more; see `pmaudit rejects --run %lld`\n",
			(long long)(rejected - shown), (long long)run_id);
}

static int parse_options(int argc, char **argv, const char **db_path,
			 struct pm_import_options *opt)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "kind", required_argument, NULL, 'k' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "delimiter", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			*db_path = optarg;
			break;
		case 'k':
			opt->kind = kind_by_name(optarg);
			if (opt->kind < 0) {
				fprintf(stderr, "pmaudit import: unknown --kind '%s' (tickets, "
					"complaints, callbacks or fees)\n", optarg);
				return 2;
			}
			break;
		case 'e':
			if (encoding_parse(optarg) < 0) {
				fprintf(stderr, "pmaudit import: unknown --encoding '%s' (auto, "
					"utf-8 or gb18030)\n", optarg);
				return 2;
			}
			opt->encoding = encoding_parse(optarg);
			break;
		case 't':
			if (!strcmp(optarg, "comma") || !strcmp(optarg, ","))
				opt->delimiter = ',';
			else if (!strcmp(optarg, "tab") || !strcmp(optarg, "\\t"))
				opt->delimiter = '\t';
			else {
				fprintf(stderr, "pmaudit import: unknown --delimiter '%s' (comma "
					"or tab)\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "pmaudit import: no file given\n");
		usage(stderr);
		return 2;
	}
	return -1;
}

static int import_one(sqlite3 *db, const char *path, struct pm_import_options *opt)
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
		term_printf(stderr, "%s: warning: %s", path, r.warning);
	term_printf(stdout, "%s: %s, %lld rows read, %lld inserted, %lld updated, %lld unchanged, "
		    "%lld rejected, %.2f s (run %lld, %s)", path, PM_KINDS[r.kind].name,
		    (long long)r.rows, (long long)r.inserted, (long long)r.updated,
		    (long long)r.unchanged, (long long)r.rejected, r.seconds, (long long)r.run_id,
		    encoding_name(r.encoding));
	fflush(stdout);
	if (r.rejected) {
		show_rejects(db, r.run_id, r.rejected);
		return 1;
	}
	return 0;
}

int cmd_import(int argc, char **argv)
{
	struct pm_import_options opt = { .kind = -1, .encoding = PM_ENC_AUTO };
	const char *db_path = NULL;
	sqlite3 *db;
	pm_error err;
	int status = 0, rc, i;

	rc = parse_options(argc, argv, &db_path, &opt);
	if (rc >= 0)
		return rc;
	db_path = db_default_path(db_path);
	if (db_is_memory(db_path)) {
		fprintf(stderr, "pmaudit import: %s is an in-memory database: nothing imported would "
			"be kept; give --db (or PMAUDIT_DB) a file\n", db_path);
		return 2;
	}
	/* one connection, one thread: SQLite's per-call mutexes cost ~3% of a load */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	/*
	 * Without memory statistics SQLite's malloc takes no mutex: 6% fewer
	 * instructions in the storing thread (callgrind, 100k tickets).
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (db_open(db_path, 10000, &db, &err)) {
		fprintf(stderr, "pmaudit import: %s\n", err.msg);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		rc = import_one(db, argv[i], &opt);
		if (rc > status)
			status = rc;
	}
	sqlite3_close(db);
	return status;
}
