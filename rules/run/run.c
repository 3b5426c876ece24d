/* Statement helpers shared by the parts of the rules engine. */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "rules/run/run.h"

int db_exec_plain(struct check_ctx *c, const char *sql, pm_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		/* a lock or a full disk in the words every command uses (db_error) */
		return db_error(c->db, err);
	}
	return 0;
}

void ctx_bind_text(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0) {
		if (value)
			sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, i);
	}
}

void ctx_bind_int(sqlite3_stmt *st, const char *name, sqlite3_int64 value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_int64(st, i, value);
}

struct run_reader ctx_reader(const struct check_ctx *c)
{
	struct run_reader rd = { c->db, c->scope };

	return rd;
}

int reader_prepare(const struct run_reader *rd, const char *sql, sqlite3_stmt **st,
		   pm_error *err)
{
	const struct run_scope *s = rd->scope;

	if (sqlite3_prepare_v2(rd->db, sql, -1, st, NULL) != SQLITE_OK)
		return pm_fail(err, "database: %s (in: %.200s)", sqlite3_errmsg(rd->db), sql);
	ctx_bind_text(*st, ":from", s->from);
	ctx_bind_text(*st, ":to", s->to);
	ctx_bind_text(*st, ":asof", s->as_of);
	ctx_bind_text(*st, ":site", s->site);
	ctx_bind_text(*st, ":pfrom", s->pfrom);
	ctx_bind_text(*st, ":pto", s->pto);
	return 0;
}

int ctx_prepare(struct check_ctx *c, const char *sql, sqlite3_stmt **st, pm_error *err)
{
	struct run_reader rd = ctx_reader(c);

	if (reader_prepare(&rd, sql, st, err))
		return -1;
	ctx_bind_int(*st, ":run", c->run_id);
	return 0;
}

int ctx_read_begin(struct check_ctx *c, const char *savepoint, int *nested, pm_error *err)
{
	char sql[64];

	*nested = !sqlite3_get_autocommit(c->db);
	snprintf(sql, sizeof(sql), "SAVEPOINT %s", savepoint);
	return db_exec_plain(c, *nested ? sql : "BEGIN", err);
}

void ctx_read_end(struct check_ctx *c, const char *savepoint, int nested, int failed)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "RELEASE %s", savepoint);
	sqlite3_exec(c->db, nested ? sql : failed ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
}

int ctx_finish(struct check_ctx *c, sqlite3_stmt *st, pm_error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return 0;
}

int ctx_run(struct check_ctx *c, const char *sql, const char *rule_id, pm_error *err)
{
	sqlite3_stmt *st;

	if (ctx_prepare(c, sql, &st, err))
		return -1;
	ctx_bind_text(st, ":rule", rule_id);
	return ctx_finish(c, st, err);
}

int ctx_int(struct check_ctx *c, const char *sql, const char *rule_id,
	    sqlite3_int64 *out, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (ctx_prepare(c, sql, &st, err))
		return -1;
	ctx_bind_text(st, ":rule", rule_id);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return 0;
}
