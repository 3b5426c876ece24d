#ifndef PM_IMPORT_H
#define PM_IMPORT_H

/*
 * Importing one file: read, convert, check, store, all in one transaction,
 * and record the run in import_runs (rejected rows in import_rejects).
 */

#include <sqlite3.h>
#include <stdint.h>
#include "etl/encoding.h"
#include "util/error.h"

/* Called now and then during a long import (the library never prints). */
typedef void (*pm_progress_fn)(void *ctx, int64_t bytes_done, int64_t bytes_total,
			       int64_t rows);

struct pm_map;

struct pm_import_options {
	int kind;			/* enum pm_kind_id, or -1: from the header */
	const struct pm_map *map;	/* --map FILE (etl/map.h), or NULL; it gives */
					/* kind, encoding and delimiter unless set here */
	enum pm_encoding encoding;	/* PM_ENC_AUTO: detect */
	char delimiter;			/* ',' or '\t'; 0: tab for *.tsv, else comma */
	pm_progress_fn progress;	/* may be NULL */
	void *progress_ctx;
};

/* how many columns a result describes (for --dry-run and --write-map) */
#define PM_IMPORT_MAX_COLUMNS 64

/*
 * How one column of the header was read: as field ("" if unmapped) by how:
 * "alias", "mapping file", "constant" (name is then the value), "derived"
 * (no column: paid from charge) or "unmapped"; hint: the field an unmapped
 * column's name resembles, or "".
 */
struct pm_column_read {
	char name[96];
	char field[24];
	char how[16];
	char hint[24];
};

/* how many summary rows are listed by line in a result */
#define PM_IMPORT_SHOW_LINES 8

struct pm_import_result {
	int64_t run_id;			/* 0 if no run could be recorded */
	int kind;			/* -1 if unknown */
	enum pm_encoding encoding;
	int64_t size;
	int64_t rows, inserted, updated, unchanged, rejected;
	int64_t stored;			/* rows not rejected */
	double seconds;
	char warning[512];		/* e.g. unknown columns; "" if none */
	int64_t header_line;		/* physical line of the header row */
	int64_t title_lines;		/* records above it, skipped (report titles) */
	int64_t summary_rows;		/* 合计/总计/小计 rows skipped */
	int64_t summary_line[PM_IMPORT_SHOW_LINES];	/* the first of them */
	int statement;			/* the file was a fee statement (kind fees) */
	int64_t removed;		/* statement: events its bills no longer show, removed */
	int paid_derived;		/* tickets: no paid column, paid = charge > 0 */
	char fields[512];		/* the stored fields the file gave, comma-separated */
	struct pm_column_read column[PM_IMPORT_MAX_COLUMNS];	/* how each was read */
	int ncolumns;
};

/*
 * Imports path. Returns 0 if the file was imported (result->rejected rows
 * may have been rejected and kept), or -1 if the file could not be imported
 * at all: err then names the file, and the line and column where it applies;
 * the database then holds nothing of the file (only a failed run record).
 */
int import_file(sqlite3 *db, const char *path, const struct pm_import_options *opt,
		struct pm_import_result *result, pm_error *err);

#endif
