/*
 * pmaudit rejects: list the rows imports rejected (file, physical line,
 * field, reason, original text), or export them as CSV for a spreadsheet.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "util/i18n.h"
#include "db/db.h"
#include "db/reject_reason.h"
#include "util/csv_write.h"
#include "util/outfile.h"
#include "util/pathcheck.h"
#include "util/term.h"

static const char SYNOPSIS[] = N_(
"usage: pmaudit rejects [--db FILE] [--run N] [--open] [--csv FILE [--raw-csv]]\n"
"\n"
"Lists the rows that imports rejected, with file, physical line, field,\n"
"reason and the original text; --run limits the list to one import run\n"
"(the run number is printed by `pmaudit import`). A reject is resolved\n"
"when a later import read the same file again or stored the record's key;\n"
"--open lists the open ones only (those the reports count). --csv writes\n"
"them as a\n"
"CSV file instead (UTF-8 with BOM, which Excel opens correctly; - is\n"
"standard output). A cell starting with = + - @, a tab or a CR is written\n"
"with a ' in front, so that a spreadsheet does not run it as a formula;\n"
"--raw-csv writes the cells as they are.\n"
"\n");

static const char *text_or_empty(sqlite3_stmt *stmt, int col)
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);

	return s ? s : "";
}

/*
 * Prints the original text indented, line by line (LF, CRLF or CR), so
 * that it stands out; control characters in it are shown, not sent.
 */
static void print_indented(FILE *out, const char *text)
{
	char *copy = strdup(text), *line, *end;

	if (!copy) {
		fputs(_("    | (out of memory)\n"), out);
		return;
	}
	for (line = copy;; line = end + 1) {
		end = line + strcspn(line, "\r\n");
		fputs("    | ", out);
		if (*end == '\0') {
			term_write(out, line, 0);
			fputc('\n', out);
			break;
		}
		if (end[0] == '\r' && end[1] == '\n')
			*end++ = '\0';
		*end = '\0';
		term_write(out, line, 0);
		fputc('\n', out);
	}
	free(copy);
}

static void list(sqlite3_stmt *stmt, FILE *out)
{
	int64_t last_run = -1;

	while (sqlite3_step(stmt) == SQLITE_ROW) {
		int64_t run = sqlite3_column_int64(stmt, 0);
		const char *field = (const char *)sqlite3_column_text(stmt, 3);
		const char *reason = text_or_empty(stmt, 4);
		char zh[1200];

		if (i18n_chinese()) {
			reject_reason_zh(reason, zh, sizeof(zh));
			reason = zh;
		}
		if (run != last_run)
			fprintf(out, _("%srun %lld:\n"), last_run < 0 ? "" : "\n", (long long)run);
		last_run = run;
		term_printf(out, "%s:%lld: %s%s%s", text_or_empty(stmt, 1),
			    (long long)sqlite3_column_int64(stmt, 2), field ? field : "",
			    field ? ": " : "", reason);
		if (sqlite3_column_type(stmt, 6) != SQLITE_NULL)
			fprintf(out, _("    (resolved by run %lld)\n"),
				(long long)sqlite3_column_int64(stmt, 6));
		print_indented(out, text_or_empty(stmt, 5));
	}
}

/* util/csv_write.h: RFC 4180 quoting, formula starters defused unless --raw-csv */
static void csv_cell(FILE *out, const char *s, int last)
{
	csv_write_field(out, s);
	fputs(last ? "\r\n" : ",", out);
}

static void export_csv(sqlite3_stmt *stmt, FILE *out)
{
	char number[32];

	fputs(CSV_UTF8_BOM, out);
	fputs("run,file,line,field,reason,text,resolved_by\r\n", out);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(number, sizeof(number), "%lld", (long long)sqlite3_column_int64(stmt, 0));
		csv_cell(out, number, 0);
		csv_cell(out, text_or_empty(stmt, 1), 0);
		snprintf(number, sizeof(number), "%lld", (long long)sqlite3_column_int64(stmt, 2));
		csv_cell(out, number, 0);
		csv_cell(out, text_or_empty(stmt, 3), 0);
		csv_cell(out, text_or_empty(stmt, 4), 0);
		csv_cell(out, text_or_empty(stmt, 5), 0);
		csv_cell(out, text_or_empty(stmt, 6), 1);
	}
}

/* The CSV whole or not at all: a temporary renamed over path (util/outfile.h). */
static int export_to(sqlite3_stmt *stmt, const char *path)
{
	struct outfile out;
	pm_error err;

	if (outfile_open(&out, path, &err) < 0) {
		fprintf(stderr, "pmaudit rejects: %s\n", err.msg);
		return 2;
	}
	export_csv(stmt, out.f);
	if (outfile_commit(&out, &err) < 0) {
		fprintf(stderr, "pmaudit rejects: %s\n", err.msg);
		return 2;
	}
	return 0;
}

int cmd_rejects(int argc, char **argv)
{
	const char *db_path = NULL, *csv_path = NULL;
	long long run = LLONG_MIN;   /* not given: every run */
	int raw_csv = 0, open_only = 0;
	const struct option_spec options[] = {
		OPT_STRING("db", 0, &db_path, "FILE", "the database"),
		OPT_INT("run", 0, &run, "N", "only the rows of this import run"),
		OPT_FLAG("open", 0, &open_only, "only the rejects no later import resolved"),
		OPT_STRING("csv", 0, &csv_path, "FILE", "write CSV to FILE ('-' for stdout)"),
		OPT_FLAG("raw-csv", 0, &raw_csv, "write CSV cells as they are (no ' before = + - @)"),
		OPT_END(),
	};
	const struct cmd_usage usage = { "rejects", SYNOPSIS, options, NULL };
	sqlite3 *db;
	sqlite3_stmt *stmt;
	pm_error err;
	FILE *out = stdout;
	int n = cmd_parse(&usage, argc, argv), status = 0;

	if (n < 0)
		return CMD_EXIT_STATUS(n);
	if (n > 0) {
		fprintf(stderr, _("pmaudit rejects: unexpected argument '%s'\n"), argv[0]);
		return 2;
	}
	if (run != LLONG_MIN && run < 1) {
		fprintf(stderr, _("pmaudit rejects: --run needs a run number, not '%lld'\n"), run);
		return 2;
	}
	if (run == LLONG_MIN)
		run = -1;
	csv_write_raw(raw_csv);
	if (csv_path && paths_check(db_default_path(db_path),
				    &(struct path_use){ csv_path, "--csv", 1 }, 1, &err)) {
		fprintf(stderr, "pmaudit rejects: %s\n", err.msg);
		return 2;
	}
	if (db_open_readonly(db_default_path(db_path), &db, &err)) {
		fprintf(stderr, "pmaudit rejects: %s\n", err.msg);
		return 2;
	}
	if (sqlite3_prepare_v2(db, "SELECT run_id, file, line, field, reason, text, resolved_by "
			       "FROM import_rejects WHERE (?1 < 0 OR run_id = ?1) "
			       "AND (?2 = 0 OR resolved_by IS NULL) "
			       "ORDER BY run_id, line", -1, &stmt, NULL)) {
		fprintf(stderr, _("pmaudit rejects: database: %s\n"), sqlite3_errmsg(db));
		sqlite3_close(db);
		return 2;
	}
	sqlite3_bind_int64(stmt, 1, run);
	sqlite3_bind_int(stmt, 2, open_only);
	if (csv_path)
		status = export_to(stmt, csv_path);
	else {
		list(stmt, out);
		if (fflush(out) != 0) {
			fprintf(stderr, _("pmaudit rejects: %s: write failed: %s\n"), "stdout", strerror(errno));
			status = 2;
		}
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return status;
}
