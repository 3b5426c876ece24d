/*
 * Which secondary indexes a large load sets aside, and when: see
 * etl/indexes.h for the policy, docs/performance.md for the measurements.
 */
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "etl/batch.h"
#include "etl/indexes.h"
#include "etl/kinds.h"

/* batches in a row of keys in random order before the key's index is set aside */
#define WATCH_DISORDERED_BATCHES 4

/* Watches the key's unique index (name, sql); if memory is short it is simply kept. */
static void watch_key(struct pm_deferred *d, const char *name, const char *sql, int field)
{
	struct pm_key_watch *k = &d->key;

	k->name = strdup(name);
	k->sql = strdup(sql);
	k->field = field;
	if (!k->name || !k->sql) {
		free(k->name);
		free(k->sql);
		k->name = k->sql = NULL;
	}
}

int indexes_drop(sqlite3 *db, const struct pm_kind *kind, int watch_the_key,
		 struct pm_deferred *d, pm_error *err)
{
	sqlite3_stmt *stmt;
	char *names[PM_MAX_DEFERRED];
	int i, n = 0, rc;

	memset(d, 0, sizeof(*d));
	/* autoindexes (a PRIMARY KEY's) have no SQL and are not listed */
	if (sqlite3_prepare_v2(db, "SELECT s.name, s.sql, (SELECT i.name FROM pragma_index_info(s.name) i"
			       " WHERE i.seqno = 0), (SELECT l.\"unique\" FROM pragma_index_list(?1) l"
			       " WHERE l.name = s.name) FROM sqlite_schema s WHERE s.type = 'index'"
			       " AND s.tbl_name = ?1 AND s.sql IS NOT NULL ORDER BY s.name", -1, &stmt,
			       NULL))
		return db_error(db, err);
	sqlite3_bind_text(stmt, 1, kind->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < PM_MAX_DEFERRED) {
		const char *lead = (const char *)sqlite3_column_text(stmt, 2);

		/* a unique index finds repeated keys: only the key's, watched, may go */
		if (sqlite3_column_int(stmt, 3)) {
			if (watch_the_key && lead && kind_field_index(kind, lead) == kind->key)
				watch_key(d, (const char *)sqlite3_column_text(stmt, 0),
					  (const char *)sqlite3_column_text(stmt, 1), kind->key);
			continue;
		}
		names[n] = sqlite3_mprintf("DROP INDEX \"%w\"", sqlite3_column_text(stmt, 0));
		d->sql[n] = strdup((const char *)sqlite3_column_text(stmt, 1));
		if (!names[n] || !d->sql[n]) {
			sqlite3_free(names[n]);
			free(d->sql[n]);
			break;
		}
		n++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		for (i = 0; i < n; i++) {
			sqlite3_free(names[i]);
			free(d->sql[i]);
		}
		d->n = 0;
		return rc == SQLITE_ROW ? pm_fail(err, "too many indexes on %s", kind->name)
			: db_error(db, err);
	}
	d->n = n;
	rc = 0;
	for (i = 0; i < n; i++) {
		if (rc == 0 && db_exec(db, names[i], err))
			rc = -1;
		sqlite3_free(names[i]);
	}
	return rc;
}

/* Keys compared as SQLite's BINARY collation compares texts. */
static int key_cmp(const struct pm_value *a, const struct pm_value *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->s, b->s, n) : 0;

	return c ? c : (a->n > b->n) - (a->n < b->n);
}

/*
 * Whether the batch's keys come in random order: at least a quarter of its
 * rows' keys fall below the key of the row before and a quarter above it.
 * Keys in order go up from row to row, newest first down; either way each
 * goes to the index's edge, where the last one went. Shuffled, or sorted
 * by anything else, they go both ways, each to a page of its own.
 */
static int keys_disordered(const struct pm_key_watch *k, const struct pm_batch *b)
{
	const struct pm_value *prev = NULL;
	size_t i, up = 0, down = 0;

	for (i = 0; i < b->n; i++) {
		const struct pm_value *v = &b->items[i].row.value[k->field];
		int c;

		if (b->items[i].rejected || v->tag != PM_STR)
			continue;
		if (prev && (c = key_cmp(prev, v)) != 0)
			*(c < 0 ? &up : &down) += 1;
		prev = v;
	}
	return up + down >= 64 && (up < down ? up : down) * 4 > up + down;
}

/* Drops the index name for the build at the end (sql its definition, now d's). */
static int set_aside(sqlite3 *db, struct pm_deferred *d, const char *name, char *sql,
		     pm_error *err)
{
	char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", name);
	int rc;

	if (!drop)
		return pm_fail(err, "out of memory");
	rc = db_exec(db, drop, err);
	sqlite3_free(drop);
	if (rc)
		return -1;
	d->sql[d->n++] = sql;
	return 0;
}

/* The key's index, dropped after WATCH_DISORDERED_BATCHES batches in a row of keys in random order. */
static int watch_key_order(sqlite3 *db, struct pm_deferred *d, const struct pm_batch *b,
			   pm_error *err)
{
	struct pm_key_watch *k = &d->key;

	if (!k->name || k->dropped)
		return 0;
	if (!keys_disordered(k, b)) {
		k->disordered_batches = 0;
		return 0;
	}
	if (++k->disordered_batches < WATCH_DISORDERED_BATCHES || d->n == PM_MAX_DEFERRED)
		return 0;
	if (set_aside(db, d, k->name, k->sql, err))
		return -1;
	k->sql = NULL;
	k->dropped = 1;
	return 0;
}

int indexes_watch(sqlite3 *db, struct pm_deferred *d, const struct pm_batch *b, pm_error *err)
{
	return watch_key_order(db, d, b, err);
}

int indexes_rebuild(sqlite3 *db, struct pm_deferred *d, int *key_repeated, pm_error *err)
{
	int i;

	*key_repeated = 0;
	for (i = 0; i < d->n; i++)
		if (db_exec(db, d->sql[i], err)) {
			*key_repeated = d->key.dropped &&
				sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE;
			return -1;
		}
	return 0;
}

void indexes_free(struct pm_deferred *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		free(d->sql[i]);
	d->n = 0;
	free(d->key.name);
	free(d->key.sql);
	memset(&d->key, 0, sizeof(d->key));
}
