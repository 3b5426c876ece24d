/*
 * The file's verification beside a report's check runs (reports/runs_verify.h).
 */
#include "db/db.h"
#include "reports/runs_verify.h"

int runs_verify_before(const struct report *r, pm_error *err)
{
	const struct report_opts *o = r->opts;

	return o->verify_path && o->one_thread ? db_verify(r->db, o->verify_path, err) : 0;
}

int runs_verify_beside(struct runs_verify *v, const struct report *r, pm_error *err)
{
	const struct report_opts *o = r->opts;

	v->job = NULL;
	if (!o->verify_path || o->one_thread)
		return 0;
	v->job = db_verify_start(o->verify_path);
	return v->job ? 0 : pm_fail(err, "out of memory");
}

int runs_verify_verdict(struct runs_verify *v, int rc, pm_error *err)
{
	pm_error found;

	if (!v->job)
		return rc;
	rc = db_verify_finish(v->job, &found) ? pm_fail(err, "%s", found.msg) : rc;
	v->job = NULL;
	return rc;
}

void runs_damaged_first(sqlite3 *db, const struct report_opts *o, pm_error *err)
{
	pm_error found;

	if (o->verify_path && sqlite3_get_autocommit(db) && db_verify(db, o->verify_path, &found))
		pm_fail(err, "%s", found.msg);
}
