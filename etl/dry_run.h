#ifndef PM_DRY_RUN_H
#define PM_DRY_RUN_H

/*
 * `pmaudit import --dry-run` and `--write-map` (MAPPING.md "Trying a file
 * before importing it"). The file is imported exactly as by import_file(),
 * into a scratch database that SQLite keeps in a temporary file and
 * deletes on close, so that nothing is stored and the user's database is
 * not even opened; these functions then describe what that import read.
 */

#include <sqlite3.h>
#include <stdio.h>
#include "etl/import.h"
#include "etl/map.h"
#include "util/error.h"

/* Opens the scratch database. */
int dry_run_open(sqlite3 **db, pm_error *err);

/*
 * Prints how path was read: kind, encoding, header line and skipped lines,
 * each column and its field, the first three rows as stored, rejects by
 * reason (counts and first lines) and summary rows. (The rules that will
 * lack data are the command's to print: etl/ does not read rules.)
 */
void dry_run_report(sqlite3 *db, const char *path, const struct pm_import_result *r,
		    FILE *out);

/* Prints how each column is read (also of a file whose header was not found). */
void dry_run_columns(const struct pm_import_result *r, FILE *out);

/*
 * Writes a mapping file for path to out_path from what was recognised:
 * kind, encoding, header line; [columns] for every column read, each
 * unmapped column and each unknown value as a commented line to complete.
 */
int dry_run_write_map(sqlite3 *db, const char *path, const struct pm_import_result *r,
		      const struct pm_map *map, const char *out_path, pm_error *err);

#endif
