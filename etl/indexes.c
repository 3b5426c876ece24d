/*
 * Secondary indexes set aside while a large file loads and rebuilt at its
 * end (etl/indexes.h).
 */
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "etl/indexes.h"
#include "etl/kinds.h"

/*
 * An index led by one of the kind's timestamps is kept while loading: logs
 * are exported in time order, so its keys arrive nearly sorted and each
 * goes to the right edge of the index, which costs about what the sort at
 * the end would, but in the storing thread while the reader thread parses
 * (1M tickets: 0.81x the wall time of deferring all three time indexes).
 */
static int led_by_timestamp(const struct pm_kind *kind, const char *column)
{
	int f = column ? kind_field_index(kind, column) : -1;

	return f >= 0 && (kind->fields[f].type == PM_TIMESTAMP ||
			  kind->fields[f].type == PM_TIMESTAMP_EOD);
}

int indexes_drop(sqlite3 *db, const struct pm_kind *kind, struct pm_deferred *d, pm_error *err)
{
	sqlite3_stmt *stmt;
	char *names[PM_MAX_DEFERRED];
	int i, n = 0, rc;

	memset(d, 0, sizeof(*d));
	/* autoindexes (the key's) have no SQL and are not listed */
	if (sqlite3_prepare_v2(db, "SELECT s.name, s.sql, (SELECT i.name FROM pragma_index_info(s.name) i"
			       " WHERE i.seqno = 0) FROM sqlite_schema s WHERE s.type = 'index'"
			       " AND s.tbl_name = ?1 AND s.sql IS NOT NULL ORDER BY s.name", -1, &stmt,
			       NULL))
		return db_error(db, err);
	sqlite3_bind_text(stmt, 1, kind->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < PM_MAX_DEFERRED) {
		if (led_by_timestamp(kind, (const char *)sqlite3_column_text(stmt, 2)))
			continue;
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

int indexes_rebuild(sqlite3 *db, struct pm_deferred *d, pm_error *err)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (db_exec(db, d->sql[i], err))
			return -1;
	return 0;
}

void indexes_free(struct pm_deferred *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		free(d->sql[i]);
	d->n = 0;
}
