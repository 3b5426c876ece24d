#ifndef PM_INDEXES_H
#define PM_INDEXES_H

/*
 * Secondary indexes set aside while a large file is loaded into an empty
 * table, and built again at the end, inside the same transaction (a crash
 * in between rolls back the drop too). Inserting rows one by one into an
 * index whose keys arrive in random order (fees by account, callbacks by
 * the record they follow up) touches a random page of an index larger than
 * the page cache for each row; building it at the end sorts the keys once
 * and writes the index in order (docs/performance.md). The key's own
 * unique index stays: it finds the rows a file repeats.
 */

#include <sqlite3.h>
#include "util/error.h"

#define PM_MAX_DEFERRED 8

struct pm_deferred {
	int n;
	char *sql[PM_MAX_DEFERRED];	/* CREATE INDEX statements, from sqlite_schema */
};

struct pm_kind;

/*
 * Drops the secondary indexes of kind's table that are not led by a
 * timestamp, keeping their definitions in d.
 */
int indexes_drop(sqlite3 *db, const struct pm_kind *kind, struct pm_deferred *d, pm_error *err);

/* Creates the dropped indexes again. */
int indexes_rebuild(sqlite3 *db, struct pm_deferred *d, pm_error *err);

void indexes_free(struct pm_deferred *d);

#endif
