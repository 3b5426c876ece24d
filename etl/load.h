#ifndef PM_LOAD_H
#define PM_LOAD_H

/*
 * Storing converted rows: upsert by the log's unique key, and storing
 * rejected rows. Rows are stored PM_LOAD_ROWS at a time by one multi-row
 * statement, prepared once per file: SQLite's cost of starting and ending
 * a statement is then paid once per PM_LOAD_ROWS rows instead of per row.
 * A stored row whose values are all the same is left untouched, so the
 * statements' change counts are the rows inserted or updated; the caller
 * tells the two apart by counting the table before and after.
 */

#include <sqlite3.h>
#include <stdint.h>
#include "etl/row.h"
#include "util/error.h"

#define PM_LOAD_ROWS 256

struct pm_loader {
	sqlite3 *db;
	int kind;
	int64_t run_id;
	size_t rows_per_stmt;		/* at most PM_LOAD_ROWS */
	sqlite3_stmt *upsert_many;	/* rows_per_stmt rows */
	sqlite3_stmt *upsert_one;
	sqlite3_stmt *reject;
	const struct pm_row *pending[PM_LOAD_ROWS];
	int64_t pending_line[PM_LOAD_ROWS];
	size_t npending;
	int64_t changed;		/* rows inserted or updated so far */
	unsigned present;		/* bit per field the file gives (see below) */
	int insert_only;		/* loader_insert_only() */
};

/* With kind -1 only loader_reject() may be used (a file that failed). */
int loader_open(struct pm_loader *l, sqlite3 *db, int kind, int64_t run_id, pm_error *err);

/*
 * The same for a file that gives only the fields in present (a bit per
 * field index): a row that updates a stored record leaves the fields the
 * file lacks as they are stored (MAPPING.md: a file that lacks a field
 * never clears it). New records get NULL or the default for them.
 */
int loader_open_fields(struct pm_loader *l, sqlite3 *db, int kind, int64_t run_id,
		       unsigned present, pm_error *err);

/*
 * Queues row (from source line src_line) for storing, in order; row must
 * stay valid until loader_flush() (called here whenever the queue is full).
 */
int loader_add(struct pm_loader *l, const struct pm_row *row, int64_t src_line,
	       pm_error *err);

/*
 * From now on rows are inserted without looking for a stored row of the
 * same key: for a load whose key index was set aside (etl/indexes.h),
 * whose build at the end finds any key the file repeats. The queue must
 * be empty.
 */
int loader_insert_only(struct pm_loader *l, pm_error *err);

/* Stores the queued rows. */
int loader_flush(struct pm_loader *l, pm_error *err);

/* Rows in the kind's table. */
int loader_count(struct pm_loader *l, int64_t *count, pm_error *err);

/*
 * Keeps a rejected record: file, physical line, original text, field,
 * reason, and the record's key as read (key_len 0: none; the reject is open
 * until an import stores that key or the same file again, schema v4).
 */
int loader_reject(struct pm_loader *l, const char *file, int64_t line, const char *text,
		  size_t text_len, const char *field, const char *reason, const char *key,
		  size_t key_len, pm_error *err);

void loader_close(struct pm_loader *l);

#endif
