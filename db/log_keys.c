/*
 * The logs' keys as named unique indexes (db/log_keys.h). A PRIMARY KEY's
 * index (sqlite_autoindex_*) cannot be dropped; a named unique index can,
 * so a large import of rows in random key order sets it aside and builds it
 * sorted at the end like the other indexes (etl/indexes.h,
 * docs/performance.md "The import, third pass").
 */
#include <string.h>
#include "db/log_keys.h"

/*
 * (db/db.c runs the migration and calls this file: its helpers are not
 * called back, which would tie the two objects in a cycle.)
 */
static int sql_error(sqlite3 *db, pm_error *err)
{
	return pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

static const struct {
	const char *table, *key;
} LOGS[] = {
	{ "tickets", "ticket_id" }, { "complaints", "complaint_id" },
	{ "callbacks", "callback_id" }, { "fees", "entry_id" },
};

static int table_is_empty(sqlite3 *db, const char *table, int *empty, pm_error *err)
{
	char *sql = sqlite3_mprintf("SELECT NOT EXISTS (SELECT 1 FROM \"%w\")", table);
	sqlite3_stmt *st;
	int rc;

	if (!sql)
		return pm_fail(err, "out of memory");
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc)
		return sql_error(db, err);
	rc = sqlite3_step(st);
	*empty = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sql_error(db, err);
}

/*
 * The table's CREATE TABLE without "PRIMARY KEY" after its key, then the
 * key's unique index, then its indexes and triggers as they are: the
 * statements that make it again. NULL in *out: a table not made by
 * schema version 1 (no "<key> TEXT NOT NULL PRIMARY KEY"), left as it is.
 */
static int remake_sql(sqlite3 *db, const char *table, const char *key, char **out,
		      pm_error *err)
{
	char *pk = sqlite3_mprintf("%s TEXT NOT NULL PRIMARY KEY", key);
	sqlite3_str *s = sqlite3_str_new(db);
	sqlite3_stmt *st = NULL;
	int rc, remade = 0;

	*out = NULL;
	if (!pk || sqlite3_prepare_v2(db, "SELECT type, sql FROM sqlite_schema WHERE tbl_name = ?1"
				      " AND sql IS NOT NULL ORDER BY type <> 'table', rowid", -1,
				      &st, NULL)) {
		sqlite3_free(pk);
		sqlite3_free(sqlite3_str_finish(s));
		return pk ? sql_error(db, err) : pm_fail(err, "out of memory");
	}
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_str_appendf(s, "DROP TABLE \"%w\";\n", table);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		const char *at = strstr(sql, pk);

		if (!strcmp((const char *)sqlite3_column_text(st, 0), "table")) {
			if (!at)
				break;
			/* "<key> TEXT NOT NULL" and the rest after " PRIMARY KEY" */
			sqlite3_str_appendf(s, "%.*s%s;\n", (int)(at - sql) + (int)strlen(pk) - 12,
					    sql, at + strlen(pk));
			sqlite3_str_appendf(s, "CREATE UNIQUE INDEX %s_key ON %s(%s);\n",
					    table, table, key);
			remade = 1;
			continue;
		}
		sqlite3_str_appendf(s, "%s;\n", sql);
	}
	sqlite3_finalize(st);
	sqlite3_free(pk);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		sqlite3_free(sqlite3_str_finish(s));
		return sql_error(db, err);
	}
	if (!remade) {
		sqlite3_free(sqlite3_str_finish(s));
		return 0;
	}
	if (!(*out = sqlite3_str_finish(s)))
		return pm_fail(err, "out of memory");
	return 0;
}

int log_keys_as_indexes(sqlite3 *db, pm_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(LOGS) / sizeof(LOGS[0]); i++) {
		char *sql;
		int empty, rc;

		if (table_is_empty(db, LOGS[i].table, &empty, err))
			return -1;
		if (!empty)
			continue;
		if (remake_sql(db, LOGS[i].table, LOGS[i].key, &sql, err))
			return -1;
		if (!sql)
			continue;
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_free(sql);
		if (rc != SQLITE_OK)
			return sql_error(db, err);
	}
	return 0;
}
