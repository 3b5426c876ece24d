/* One statement over a subject table, each row read and handed to a function. */
#include <stdio.h>
#include "rules/eval_internal.h"

static int scan_sql(const struct subject *s, const char *where, char *sql, size_t size)
{
	size_t n;
	int i;

	n = (size_t)snprintf(sql, size, "SELECT t.%s, t.site, t.category, %s, %s, %s, %s, %s",
		s->id, s->which == SUBJECT_COMPLAINTS ? "t.level" : "NULL",
		s->which == SUBJECT_TICKETS ? "t.urgent" : "NULL",
		s->which == SUBJECT_TICKETS ? "t.paid" : "NULL",
		s->which == SUBJECT_COMPLAINTS ? "t.valid" : "NULL",
		s->which == SUBJECT_TICKETS ? "t.charge" : "NULL");
	for (i = 0; i < s->nts && n < size; i++)
		n += (size_t)snprintf(sql + n, size - n, ", t.%s", s->ts[i]);
	if (n < size)
		n += (size_t)snprintf(sql + n, size - n, " FROM %s t WHERE %s"
				      " AND (:site IS NULL OR t.site = :site)", s->table, where);
	return n < size ? 0 : -1;
}

int scan(struct eval *e, struct subject *s, const char *where, row_fn fn, void *arg,
		pm_error *err)
{
	char sql[2048];
	struct row w;
	int rc;

	if (scan_sql(s, where, sql, sizeof(sql)))
		return pm_fail(err, "%s: too many fields", s->table);
	if (ctx_prepare(e->c, sql, &w.st, err))
		return -1;
	while ((rc = sqlite3_step(w.st)) == SQLITE_ROW) {
		row_read(&w, COL_TS + s->nts);
		e->rows_read++;
		if (fn(e, s, &w, arg, err)) {
			sqlite3_finalize(w.st);
			return -1;
		}
	}
	sqlite3_finalize(w.st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(e->c->db));
}
