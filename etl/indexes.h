#ifndef PM_INDEXES_H
#define PM_INDEXES_H

/*
 * Secondary indexes set aside while a large file is loaded into an empty
 * table, and built again at the end, inside the same transaction (a crash
 * in between rolls back the drop too). Inserting rows one by one into an
 * index whose keys arrive in random order (fees by account, callbacks by
 * the record they follow up, any log an Excel user sorted by room) touches
 * a random page of an index larger than the page cache for each row;
 * building it at the end sorts the keys once and writes the index in order
 * (docs/performance.md).
 *
 * The key's unique index finds the rows a file repeats, so it is kept while
 * the keys arrive in order (or newest first): each goes to the index's
 * edge. A table made at schema version 8 has it as a named index
 * (<table>_key, db/log_keys.h), and once the keys arrive in random order
 * for several batches it is dropped too and the rest of the file inserted
 * without looking for repeats, in time order (etl/time_order.h); its build
 * at the end then fails on a key the file repeats, and the caller imports
 * the file again with the index kept, in file order (etl/import.c).
 *
 * Every other secondary index is set aside from the start, those led by a
 * timestamp too: even in time order, where each key goes to the index's
 * edge, keeping an index costs the storing thread a descent of its b-tree
 * per row, more than its share of a sorted build now that the build's sort
 * runs on a helper thread (PRAGMA threads, etl/import.c). Sessions 2-4
 * kept them while their keys arrived close together (measured per batch);
 * the four benchmark files in order: the storing thread 10.3 -> 9.2 s of
 * CPU with them set aside (docs/performance.md, "The import, fifth pass").
 */

#include <stdint.h>
#include <sqlite3.h>
#include "util/error.h"

#define PM_MAX_DEFERRED 8

/* The key's named unique index, watched for keys in random order. */
struct pm_key_watch {
	char *name;		/* NULL: not watched (a PRIMARY KEY, or not asked for) */
	char *sql;		/* its CREATE UNIQUE INDEX statement */
	int field;		/* the key, as a field of the kind */
	int disordered_batches;	/* batches in a row whose keys came in random order */
	int dropped;		/* set aside: the rest of the file is inserted without upsert */
};

struct pm_deferred {
	int n;
	char *sql[PM_MAX_DEFERRED];	/* CREATE INDEX statements, from sqlite_schema */
	struct pm_key_watch key;
};

struct pm_kind;
struct pm_batch;

/*
 * Drops the secondary indexes of kind's table but the unique ones, keeping
 * their definitions in d; the key's named unique index is watched if
 * watch_key (never dropped here).
 */
int indexes_drop(sqlite3 *db, const struct pm_kind *kind, int watch_key, struct pm_deferred *d,
		 pm_error *err);

/*
 * After batch b was stored: drops (for the build at the end) the key's
 * index after several batches in a row of keys in random order
 * (d->key.dropped says so: the caller stops upserting).
 */
int indexes_watch(sqlite3 *db, struct pm_deferred *d, const struct pm_batch *b, pm_error *err);

/*
 * Creates the dropped indexes again. *key_repeated is set when the key's
 * unique index could not be built because the file repeats a key.
 */
int indexes_rebuild(sqlite3 *db, struct pm_deferred *d, int *key_repeated, pm_error *err);

void indexes_free(struct pm_deferred *d);

#endif
