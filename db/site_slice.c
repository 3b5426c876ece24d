/*
 * One site's records at a time, for `report monthly --each-site`
 * (db/db.h: db_site_slice_open()).
 *
 * A site's report reads the logs through the rules engine and the report's
 * own queries, all by the tables' plain names with the site in a WHERE
 * clause. The logs have no index by site, so a site's run reads every
 * site's records: a hundred sites made a hundred passes over the whole
 * year. Here one pass copies the three logs, ordered by site, into a
 * scratch database (private, on disk, deleted on close); then for each
 * site, TEMP tables named as the logs, with the same columns and indexes,
 * are filled with that site's rows only. SQLite resolves a plain name to
 * TEMP first (as a scratch run's check_* tables, rules/results/
 * results_scratch.c), so the unchanged engine reads the site's rows at the
 * cost of the site's rows; the fee ledger is not copied (fees_account and
 * fee_ledger are indexed by site already).
 *
 * What a site's report reads must be the same rows as on the whole
 * database, and in the same order: each row keeps its rowid; the slice
 * also holds the tickets and complaints the site's callbacks refer to and
 * every callback of the slice's tickets and complaints (a callback filed
 * under another site than its ticket's is read by both sites' runs). The
 * database's own coverage (db_coverage() without a site) reads main.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"

enum { LOG_TICKETS, LOG_COMPLAINTS, LOG_CALLBACKS, NLOGS };
static const char *const LOGS[NLOGS] = { "tickets", "complaints", "callbacks" };

struct db_site_slice {
	sqlite3 *db;
	long long max_rows;     /* a larger site is not sliced */
	char *cols[NLOGS];      /* the log's columns in order, quoted, comma-separated */
	int shadowing;          /* the TEMP tables are there */
};

static int exec_fmt(sqlite3 *db, pm_error *err, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	int rc;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql)
		return pm_fail(err, "out of memory");
	rc = db_exec(db, sql, err);
	sqlite3_free(sql);
	return rc;
}

/* "\"ticket_id\",\"site\",..." : the log's columns as main has them. */
static char *column_list(sqlite3 *db, const char *log, pm_error *err)
{
	sqlite3_stmt *st;
	char *list = NULL;

	if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1, 'main') ORDER BY cid",
			       -1, &st, NULL)) {
		db_error(db, err);
		return NULL;
	}
	sqlite3_bind_text(st, 1, log, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *longer = sqlite3_mprintf("%s%s\"%w\"", list ? list : "", list ? "," : "",
					       (const char *)sqlite3_column_text(st, 0));

		sqlite3_free(list);
		if (!(list = longer))
			break;
	}
	if (sqlite3_finalize(st) != SQLITE_OK || !list) {
		sqlite3_free(list);
		if (!list)
			pm_fail(err, "database: no table %s to make a scratch copy of", log);
		else
			db_error(db, err);
		return NULL;
	}
	return list;
}

/*
 * The scratch database on disk whatever the runs' settings: an ATTACH ''
 * database is kept in memory when temp_store is MEMORY as it is opened, so
 * it is opened under FILE (a change of temp_store drops the TEMP schema,
 * which holds nothing between reports) and the runs' MEMORY set after; and
 * the copy's pages may go to the file before it commits (the runs turn
 * cache_spill off for themselves: with it off, the whole copy, 500 MB for
 * the benchmark's year, stayed in memory).
 */
static int attach_scratch(sqlite3 *db, pm_error *err)
{
	return db_exec(db, "PRAGMA temp_store = FILE; PRAGMA cache_spill = ON;"
		       " ATTACH '' AS pm_sites;"
		       " PRAGMA pm_sites.journal_mode = OFF; PRAGMA pm_sites.synchronous = OFF;"
		       " PRAGMA temp_store = MEMORY", err);
}

/* The one pass: each log in (site, rowid) order, rowid kept, indexed by site. */
static int copy_log(struct db_site_slice *s, int log, pm_error *err)
{
	return exec_fmt(s->db, err,
			"CREATE TABLE pm_sites.%s AS SELECT rowid AS pm_rowid, %s FROM main.%s"
			" ORDER BY site, rowid;"
			" CREATE INDEX pm_sites.%s_site ON %s(site)",
			LOGS[log], s->cols[log], LOGS[log], LOGS[log], LOGS[log]);
}

int db_site_slice_open(sqlite3 *db, long long max_rows, struct db_site_slice **out,
		       pm_error *err)
{
	struct db_site_slice *s = calloc(1, sizeof(*s));
	int i;

	*out = NULL;
	if (!s)
		return pm_fail(err, "out of memory");
	s->db = db;
	s->max_rows = max_rows;
	if (attach_scratch(db, err) < 0) {
		free(s);
		return -1;
	}
	for (i = 0; i < NLOGS; i++)
		if (!(s->cols[i] = column_list(db, LOGS[i], err)) || copy_log(s, i, err) < 0) {
			db_site_slice_close(s);
			return -1;
		}
	*out = s;
	return 0;
}

/*
 * "CREATE TABLE x(...)" as "CREATE TEMP TABLE x(...)", "CREATE [UNIQUE]
 * INDEX i ON x(...)" as "CREATE [UNIQUE] INDEX temp.i ON x(...)": the
 * stored statement, so the TEMP table has main's columns (as migrations
 * left them) and every index a query names (INDEXED BY) or the planner
 * uses.
 */
static char *temp_ddl(const char *sql)
{
	const char *index = strstr(sql, "INDEX ");

	if (!strncmp(sql, "CREATE TABLE ", 13))
		return sqlite3_mprintf("CREATE TEMP TABLE %s", sql + 13);
	if (!strncmp(sql, "CREATE ", 7) && index)
		return sqlite3_mprintf("%.*stemp.%s", (int)(index + 6 - sql), sql, index + 6);
	return NULL;
}

static int create_shadow(sqlite3 *db, const char *log, pm_error *err)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_schema WHERE tbl_name = ?1"
			       " AND type IN ('table', 'index') AND sql IS NOT NULL"
			       " ORDER BY type = 'index', rowid", -1, &st, NULL))
		return db_error(db, err);
	sqlite3_bind_text(st, 1, log, -1, SQLITE_STATIC);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char *ddl = temp_ddl((const char *)sqlite3_column_text(st, 0));

		if (!ddl)
			rc = pm_fail(err, "database: %s: an index or table pmaudit cannot copy: %s", log,
				     (const char *)sqlite3_column_text(st, 0));
		else
			rc = db_exec(db, ddl, err);
		sqlite3_free(ddl);
	}
	sqlite3_finalize(st);
	return rc;
}

static int drop_shadows(struct db_site_slice *s, pm_error *err)
{
	int i;

	for (i = 0; i < NLOGS; i++)
		if (exec_fmt(s->db, err, "DROP TABLE IF EXISTS temp.%s", LOGS[i]) < 0)
			return -1;
	s->shadowing = 0;
	return 0;
}

static int empty_shadows(struct db_site_slice *s, pm_error *err)
{
	int i;

	for (i = 0; i < NLOGS; i++) {
		if (s->shadowing ? exec_fmt(s->db, err, "DELETE FROM temp.%s", LOGS[i]) < 0
				 : create_shadow(s->db, LOGS[i], err) < 0) {
			drop_shadows(s, err);
			return -1;
		}
	}
	s->shadowing = 1;
	return 0;
}

/* Runs sql (NULL: out of memory) with ?1 bound to site. */
static int exec_site(sqlite3 *db, const char *sql, const char *site, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!sql)
		return pm_fail(err, "out of memory");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return db_error(db, err);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(db, err);
}

/* The site's own rows of the log, from the scratch copy, rowids kept. */
static int fill_own(struct db_site_slice *s, int log, const char *site, pm_error *err)
{
	char *sql = sqlite3_mprintf("INSERT INTO temp.%s(rowid, %s) SELECT pm_rowid, %s"
				    " FROM pm_sites.%s WHERE site = ?1",
				    LOGS[log], s->cols[log], s->cols[log], LOGS[log]);
	int rc = exec_site(s->db, sql, site, err);

	sqlite3_free(sql);
	return rc;
}

/* The records of other sites the site's callbacks refer to. */
static int fill_referred(struct db_site_slice *s, int log, const char *kind, const char *key,
			 const char *site, pm_error *err)
{
	char *sql = sqlite3_mprintf("INSERT INTO temp.%s(rowid, %s) SELECT rowid, %s FROM main.%s"
				    " WHERE site <> ?1 AND %s IN (SELECT ref_id FROM temp.callbacks"
				    " WHERE ref_kind = '%q')",
				    LOGS[log], s->cols[log], s->cols[log], LOGS[log], key, kind);
	int rc = exec_site(s->db, sql, site, err);

	sqlite3_free(sql);
	return rc;
}

/* The callbacks of other sites that refer to the slice's tickets or complaints. */
static int fill_referring(struct db_site_slice *s, const char *kind, int log, const char *key,
			  const char *site, pm_error *err)
{
	const char *cols = s->cols[LOG_CALLBACKS];
	char *sql = sqlite3_mprintf("INSERT INTO temp.callbacks(rowid, %s) SELECT rowid, %s"
				    " FROM main.callbacks WHERE site <> ?1 AND ref_kind = '%q'"
				    " AND ref_id IN (SELECT %s FROM temp.%s)",
				    cols, cols, kind, key, LOGS[log]);
	int rc = exec_site(s->db, sql, site, err);

	sqlite3_free(sql);
	return rc;
}

static int site_rows(struct db_site_slice *s, const char *site, sqlite3_int64 *rows,
		     pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT (SELECT count(*) FROM pm_sites.tickets WHERE site = ?1)"
			       " + (SELECT count(*) FROM pm_sites.complaints WHERE site = ?1)"
			       " + (SELECT count(*) FROM pm_sites.callbacks WHERE site = ?1)",
			       -1, &st, NULL))
		return db_error(s->db, err);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(s->db, err);
}

int db_site_slice_use(struct db_site_slice *s, const char *site, int *sliced, pm_error *err)
{
	sqlite3_int64 rows = 0;

	*sliced = 0;
	if (site_rows(s, site, &rows, err) < 0)
		return -1;
	if (rows > s->max_rows)
		return s->shadowing ? drop_shadows(s, err) : 0;
	if (empty_shadows(s, err) < 0 ||
	    fill_own(s, LOG_TICKETS, site, err) < 0 || fill_own(s, LOG_COMPLAINTS, site, err) < 0 ||
	    fill_own(s, LOG_CALLBACKS, site, err) < 0 ||
	    fill_referred(s, LOG_TICKETS, "ticket", "ticket_id", site, err) < 0 ||
	    fill_referred(s, LOG_COMPLAINTS, "complaint", "complaint_id", site, err) < 0 ||
	    fill_referring(s, "ticket", LOG_TICKETS, "ticket_id", site, err) < 0 ||
	    fill_referring(s, "complaint", LOG_COMPLAINTS, "complaint_id", site, err) < 0) {
		pm_error ignored;

		drop_shadows(s, &ignored);
		return -1;
	}
	*sliced = 1;
	return 0;
}

void db_site_slice_close(struct db_site_slice *s)
{
	pm_error ignored;
	int i;

	if (!s)
		return;
	drop_shadows(s, &ignored);
	sqlite3_exec(s->db, "DETACH pm_sites", NULL, NULL, NULL);
	for (i = 0; i < NLOGS; i++)
		sqlite3_free(s->cols[i]);
	free(s);
}
