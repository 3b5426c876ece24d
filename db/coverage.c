/*
 * Data coverage (issue 14): how far each log of the database goes -- its
 * first and last event time -- and the default as-of time that follows
 * from it. A report or check whose period runs past the data used to judge
 * as of the period's end: callbacks due after the export became breaches,
 * arrears aged by a month nobody had data for.
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"

/*
 * Per log: the first main event (reported_at, received_at, callback_at,
 * fees.at) and the last of the event times an index gives at once
 * (tickets: reported_at, completed_at; complaints: received_at,
 * resolved_at). With a site, the same over that site's records (a scan of
 * the log: there is no site index but on fees). The database's coverage
 * reads main's tables by name: a report per site reads the logs' TEMP
 * slices of its site (db/site_slice.c), and its cover still names how far
 * the database goes.
 */
static const char *const COVERAGE_SQL[DB_COVERAGE_LOGS][2] = {
	{ "SELECT (SELECT min(reported_at) FROM main.tickets),"
	  " max(ifnull((SELECT max(reported_at) FROM main.tickets), ''),"
	  "     ifnull((SELECT max(completed_at) FROM main.tickets), ''))",
	  "SELECT min(reported_at), max(ifnull(max(reported_at), ''), ifnull(max(completed_at), ''))"
	  " FROM tickets WHERE site = ?1" },
	{ "SELECT (SELECT min(received_at) FROM main.complaints),"
	  " max(ifnull((SELECT max(received_at) FROM main.complaints), ''),"
	  "     ifnull((SELECT max(resolved_at) FROM main.complaints), ''))",
	  "SELECT min(received_at), max(ifnull(max(received_at), ''), ifnull(max(resolved_at), ''))"
	  " FROM complaints WHERE site = ?1" },
	{ "SELECT (SELECT min(callback_at) FROM main.callbacks),"
	  " (SELECT max(callback_at) FROM main.callbacks)",
	  "SELECT min(callback_at), max(callback_at) FROM callbacks WHERE site = ?1" },
	/*
	 * fees_at is (kind, at): one kind at a time uses it, and each min() or
	 * max() alone in its SELECT is one seek. Both in one SELECT, SQLite
	 * walks the kind's whole range (0.2 s CPU for 2M events, and a report
	 * asks once per run).
	 */
	{ "SELECT min(f), max(l) FROM ("
	  "SELECT (SELECT min(at) FROM main.fees WHERE kind = 'charge') f,"
	  " (SELECT max(at) FROM main.fees WHERE kind = 'charge') l"
	  " UNION ALL SELECT (SELECT min(at) FROM main.fees WHERE kind = 'payment'),"
	  " (SELECT max(at) FROM main.fees WHERE kind = 'payment')"
	  " UNION ALL SELECT (SELECT min(at) FROM main.fees WHERE kind = 'waiver'),"
	  " (SELECT max(at) FROM main.fees WHERE kind = 'waiver')"
	  " UNION ALL SELECT (SELECT min(at) FROM main.fees WHERE kind = 'reminder'),"
	  " (SELECT max(at) FROM main.fees WHERE kind = 'reminder'))",
	  "SELECT min(at), max(at) FROM fees WHERE site = ?1" },
	{ "SELECT (SELECT min(at) FROM main.fees WHERE kind = 'payment'),"
	  " (SELECT max(at) FROM main.fees WHERE kind = 'payment')",
	  "SELECT min(at), max(at) FROM fees WHERE site = ?1 AND kind = 'payment'" },
};

const char *const DB_COVERAGE_KEYS[DB_COVERAGE_LOGS] = {
	"tickets", "complaints", "callbacks", "fees", "fee_payments"
};

static void copy_time(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t ? t : "");
}

int db_coverage(sqlite3 *db, const char *site, struct db_coverage *cov, pm_error *err)
{
	int i;

	memset(cov, 0, sizeof(*cov));
	for (i = 0; i < DB_COVERAGE_LOGS; i++) {
		sqlite3_stmt *st;
		int rc;

		if (sqlite3_prepare_v2(db, COVERAGE_SQL[i][site != NULL], -1, &st, NULL))
			return db_error(db, err);
		if (site)
			sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			copy_time(st, 0, cov->log[i].first, sizeof(cov->log[i].first));
			copy_time(st, 1, cov->log[i].last, sizeof(cov->log[i].last));
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return db_error(db, err);
		/* the payments are a part of the fees log, not a log of their own */
		if (i < DB_COVERAGE_FEE_PAYMENTS && strcmp(cov->log[i].last, cov->last) > 0)
			snprintf(cov->last, sizeof(cov->last), "%s", cov->log[i].last);
	}
	return 0;
}

/* A stored time as a full 'YYYY-MM-DD HH:MM:SS' (a bare date is its midnight). */
static void full_time(const char *t, char out[20])
{
	if (strlen(t) == 10)
		snprintf(out, 20, "%.10s 00:00:00", t);
	else
		snprintf(out, 20, "%.19s", t);
}

int db_past_data(const struct db_coverage *all, const char *to)
{
	char last[20];

	full_time(all->last, last);
	return strcmp(last, to) < 0;
}

int db_default_as_of(sqlite3 *db, const char *to, char as_of[20], int *past_data, pm_error *err)
{
	struct db_coverage cov;
	char last[20];

	if (db_coverage(db, NULL, &cov, err))
		return -1;
	full_time(cov.last, last);
	*past_data = db_past_data(&cov, to);
	snprintf(as_of, 20, "%s", *past_data && cov.last[0] ? last : to);
	return 0;
}
