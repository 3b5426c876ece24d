/*
 * Fuzz target: the whole importer (etl/import.h) on the bytes as a file,
 * into a fresh in-memory database: header detection, row conversion, the
 * upsert loader and the run records. Imported twice -- the log found from
 * the header, then a log chosen by the input -- as `pmaudit import` with
 * and without --kind.
 *
 * Checked: import_file returns 0 or -1 with a message naming the file; the
 * counts add up; the rows stored and rejected match the counts; a failed
 * import leaves nothing of the file but its failed-run record; every text
 * stored (values, rejected rows, reasons) is valid UTF-8 without NUL, since
 * reports and JSON output print it as it is.
 */
#include <string.h>
#include "db/db.h"
#include "etl/encoding.h"
#include "etl/import.h"
#include "etl/kinds.h"
#include "tests/fuzz/fuzz.h"

static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t n;

	FUZZ_CHECK(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK);
	FUZZ_CHECK(sqlite3_step(stmt) == SQLITE_ROW);
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* Every text value of every table is valid UTF-8 without NUL. */
static void check_texts(sqlite3 *db)
{
	static const char *const tables[] = {
		"tickets", "complaints", "callbacks", "fees", "import_rejects", "import_runs", NULL
	};
	char sql[64];
	sqlite3_stmt *stmt;
	int t, c;

	for (t = 0; tables[t]; t++) {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s", tables[t]);
		FUZZ_CHECK(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK);
		while (sqlite3_step(stmt) == SQLITE_ROW)
			for (c = 0; c < sqlite3_column_count(stmt); c++) {
				const char *text;
				int n;

				if (sqlite3_column_type(stmt, c) != SQLITE_TEXT)
					continue;
				text = (const char *)sqlite3_column_text(stmt, c);
				n = sqlite3_column_bytes(stmt, c);
				/* the file name is the caller's, not the file's text */
				if (!strcmp(sqlite3_column_name(stmt, c), "file"))
					continue;
				if (!utf8_valid(text, (size_t)n) || memchr(text, '\0', (size_t)n)) {
					fprintf(stderr, "%s.%s: '%.*s'\n", tables[t],
						sqlite3_column_name(stmt, c), n, text);
					FUZZ_CHECK(!"stored text is valid UTF-8 without NUL");
				}
			}
		sqlite3_finalize(stmt);
	}
}

static int64_t stored_rows(sqlite3 *db)
{
	return count(db, "SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM complaints)"
		     " + (SELECT count(*) FROM callbacks) + (SELECT count(*) FROM fees)");
}

static void import_once(sqlite3 *db, const char *path, int kind)
{
	struct pm_import_options opt;
	struct pm_import_result r;
	pm_error err;
	int64_t before = stored_rows(db), rejects = count(db, "SELECT count(*) FROM import_rejects");
	int64_t runs = count(db, "SELECT count(*) FROM import_runs");

	memset(&opt, 0, sizeof(opt));
	opt.kind = kind;
	opt.encoding = PM_ENC_AUTO;
	opt.delimiter = ',';
	if (import_file(db, path, &opt, &r, &err)) {
		FUZZ_CHECK(!strncmp(err.msg, path, strlen(path)));
		FUZZ_CHECK(stored_rows(db) == before);
		/* the failed run and its reason, or nothing if even that failed */
		FUZZ_CHECK(count(db, "SELECT count(*) FROM import_runs") <= runs + 1);
		FUZZ_CHECK(count(db, "SELECT count(*) FROM import_rejects") <= rejects + 1);
		return;
	}
	FUZZ_CHECK(r.run_id > 0);
	FUZZ_CHECK(r.kind >= 0 && r.kind < PM_NKINDS);
	FUZZ_CHECK(kind < 0 || r.kind == kind);
	FUZZ_CHECK(r.rows == r.inserted + r.updated + r.unchanged + r.rejected);
	FUZZ_CHECK(stored_rows(db) == before + r.inserted);
	FUZZ_CHECK(count(db, "SELECT count(*) FROM import_rejects") == rejects + r.rejected);
	FUZZ_CHECK(count(db, "SELECT count(*) FROM import_runs") == runs + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfile(data, size, path);
	static sqlite3 *db;
	pm_error err;

	/* one database for all inputs (creating the schema costs more than an import) */
	if (!db)
		FUZZ_CHECK(db_open(":memory:", 0, &db, &err) == 0);
	/* emptied each time, so that an input gives the same result alone */
	FUZZ_CHECK(db_exec(db, "DELETE FROM tickets; DELETE FROM complaints; "
			   "DELETE FROM callbacks; DELETE FROM fees; DELETE FROM import_rejects; "
			   "DELETE FROM import_runs", &err) == 0);
	import_once(db, path, -1);
	import_once(db, path, size ? data[0] % PM_NKINDS : PM_TICKETS);
	check_texts(db);
	close(fd);
	return 0;
}
