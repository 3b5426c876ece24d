/*
 * A run's target (rules/results/results_sink.h): the database's check_*
 * tables, or for a scratch run (rules/engine/check.h) TEMP tables of the
 * same names on a read-only connection, which the writing connection then
 * copies into the database. Every writer uses the tables' plain names, which
 * SQLite resolves to TEMP first; results_target() makes that explicit and
 * checks it: a scratch run must have every table of RUN_TABLES in TEMP, a
 * run on the database none (one would divert its rows).
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "rules/results/results_sink.h"

/* The tables of a run, check_runs first: the copy takes its new run_id from it. */
static const char *const RUN_TABLES[] = {
	"check_runs", "check_rule_results", "check_weeks", "check_site_results",
	"check_figures", "check_record_sets",
};
#define NTABLES (sizeof(RUN_TABLES) / sizeof(RUN_TABLES[0]))

static int fail(sqlite3 *db, pm_error *err)
{
	return pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

/*
 * Each table as the database has it (its columns as migrations left them):
 * the stored CREATE TABLE statement, made TEMP.
 */
int results_scratch_open(sqlite3 *db, pm_error *err)
{
	const char *prefix = "CREATE TABLE ";
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	/*
	 * The run's own setting, set first: a change of temp_store drops
	 * every TEMP table (the run's would then be gone).
	 */
	if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, err);
	if (sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_schema WHERE type = 'table'"
			       " AND name = ?1", -1, &st, NULL))
		return fail(db, err);
	for (i = 0; i < NTABLES && rc == 0; i++) {
		const char *sql;
		char *temp;

		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, RUN_TABLES[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW || !(sql = (const char *)sqlite3_column_text(st, 0)) ||
		    strncmp(sql, prefix, strlen(prefix))) {
			rc = pm_fail(err, "database: no table %s to make a scratch copy of",
				     RUN_TABLES[i]);
			break;
		}
		temp = sqlite3_mprintf("CREATE TEMP TABLE %s", sql + strlen(prefix));
		if (!temp)
			rc = pm_fail(err, "out of memory");
		else if (sqlite3_exec(db, temp, NULL, NULL, NULL) != SQLITE_OK)
			rc = fail(db, err);
		sqlite3_free(temp);
	}
	sqlite3_finalize(st);
	/* check_records of the TEMP sets, before the database's view of its own */
	if (rc == 0 && sqlite3_exec(db, "CREATE TEMP " CHECK_RECORDS_VIEW_SQL("", "temp.check_record_sets"),
				    NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(db, err);
	return rc;
}

/* "INSERT INTO main.<table> VALUES(?1, ?2, ...)" for n columns. */
static char *insert_sql(const char *table, int n)
{
	char *sql = sqlite3_mprintf("INSERT INTO main.%s VALUES(", table);
	int i;

	for (i = 1; sql && i <= n; i++)
		sql = sqlite3_mprintf("%z?%d%s", sql, i, i < n ? ", " : ")");
	return sql;
}

static int run_id_column(sqlite3_stmt *st)
{
	int i;

	for (i = 0; i < sqlite3_column_count(st); i++)
		if (!strcmp(sqlite3_column_name(st, i), "run_id"))
			return i;
	return -1;
}

/*
 * The rows of one table: each column as stored, the run's column replaced
 * by the new run (NULL in check_runs, which then numbers it).
 */
static int copy_table(sqlite3 *from, sqlite3 *to, const char *table, sqlite3_int64 from_run,
		      sqlite3_int64 *to_run, pm_error *err)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	char *sql = sqlite3_mprintf("SELECT * FROM temp.%s WHERE run_id = ?1", table);
	int i, col, n, rc = 0, step;

	if (!sql)
		return pm_fail(err, "out of memory");
	step = sqlite3_prepare_v2(from, sql, -1, &rd, NULL);
	sqlite3_free(sql);
	if (step != SQLITE_OK)
		return fail(from, err);
	sqlite3_bind_int64(rd, 1, from_run);
	n = sqlite3_column_count(rd);
	col = run_id_column(rd);
	sql = insert_sql(table, n);
	if (!sql)
		rc = pm_fail(err, "out of memory");
	else if (col < 0)
		rc = pm_fail(err, "database: %s has no run_id", table);
	else if (sqlite3_prepare_v2(to, sql, -1, &wr, NULL) != SQLITE_OK)
		rc = fail(to, err);
	sqlite3_free(sql);
	while (rc == 0 && (step = sqlite3_step(rd)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			if (i != col)
				sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
		if (*to_run)
			sqlite3_bind_int64(wr, col + 1, *to_run);
		else
			sqlite3_bind_null(wr, col + 1);
		if (sqlite3_step(wr) != SQLITE_DONE)
			rc = fail(to, err);
		else if (!*to_run)
			*to_run = sqlite3_last_insert_rowid(to);
		sqlite3_reset(wr);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = fail(from, err);
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}

int results_run_copy(sqlite3 *scratch, sqlite3_int64 from_run, sqlite3 *db,
		     sqlite3_int64 *to_run, pm_error *err)
{
	size_t i;

	*to_run = 0;
	for (i = 0; i < NTABLES; i++)
		if (copy_table(scratch, db, RUN_TABLES[i], from_run, to_run, err))
			return -1;
	if (!*to_run)
		return pm_fail(err, "database: scratch run %lld is missing", (long long)from_run);
	return 0;
}

int results_target(struct check_ctx *c, pm_error *err)
{
	sqlite3_stmt *st;
	size_t i;
	int in_temp = 0, rc;

	c->target = sqlite3_db_readonly(c->db, "main") == 1 ? RUN_TARGET_SCRATCH : RUN_TARGET_MAIN;
	if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM temp.sqlite_schema WHERE type = 'table'"
			       " AND name = ?1", -1, &st, NULL))
		return fail(c->db, err);
	for (i = 0; i < NTABLES; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, RUN_TABLES[i], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			in_temp++;
		else if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return fail(c->db, err);
		}
	}
	sqlite3_finalize(st);
	if (c->target == RUN_TARGET_SCRATCH && in_temp != (int)NTABLES)
		return pm_fail(err, "database: the connection is readonly and has no scratch tables for the run"
			       " (check_scratch_open())");
	if (c->target == RUN_TARGET_MAIN && in_temp)
		return pm_fail(err, "database: TEMP tables named as the run tables would take the"
			       " run's rows");
	return 0;
}
