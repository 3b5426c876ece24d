#ifndef PM_LOAD_H
#define PM_LOAD_H

/*
 * Storing converted rows: upsert by the log's unique key, telling inserted,
 * updated and unchanged apart, and storing rejected rows. The statements
 * are prepared once per file and reused for every row.
 */

#include <sqlite3.h>
#include <stdint.h>
#include "etl/row.h"
#include "util/error.h"

enum pm_outcome { PM_INSERTED, PM_UPDATED, PM_UNCHANGED };

struct pm_loader {
	sqlite3 *db;
	int kind;
	int64_t run_id;
	sqlite3_stmt *insert;	/* INSERT OR IGNORE: new key */
	sqlite3_stmt *update;	/* UPDATE ... WHERE key = ? AND something differs */
	sqlite3_stmt *reject;
};

/* With kind -1 only loader_reject() may be used (a file that failed). */
int loader_open(struct pm_loader *l, sqlite3 *db, int kind, int64_t run_id, pm_error *err);

/* Stores row (from source line src_line) and says what happened. */
int loader_store(struct pm_loader *l, const struct pm_row *row, int64_t src_line,
		 enum pm_outcome *outcome, pm_error *err);

/* Keeps a rejected record: file, physical line, original text, field, reason. */
int loader_reject(struct pm_loader *l, const char *file, int64_t line, const char *text,
		  size_t text_len, const char *field, const char *reason, pm_error *err);

void loader_close(struct pm_loader *l);

#endif
