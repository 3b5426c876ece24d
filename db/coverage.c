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
#include "db/fee_ledger.h"

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
	/* without a site: fee_coverage() */
	{ NULL, "SELECT min(at), max(at) FROM fees WHERE site = ?1" },
	{ NULL, "SELECT min(at), max(at) FROM fees WHERE site = ?1 AND kind = 'payment'" },
};

/*
 * The fees log's first and last time (its charges, payments, waivers and
 * reminders), then its payments'. The fee ledger keeps them with its state
 * (schema version 9, db/fee_ledger.c): one row to read instead of an index
 * of 2M events (fees_at, which an import of 2M events spent 2 s of CPU
 * building). A stale ledger (fees changed by something else than pmaudit)
 * does not vouch for them: fees is read whole, as the ledger would be
 * rebuilt from it.
 */
static const char FEE_COVERAGE_LEDGER[] =
	"SELECT first_at, last_at, first_paid, last_paid FROM main.fee_ledger_state";
static const char FEE_COVERAGE_FEES[] =
	"SELECT min(CASE WHEN kind IN ('charge', 'payment', 'waiver', 'reminder') THEN at END),"
	" max(CASE WHEN kind IN ('charge', 'payment', 'waiver', 'reminder') THEN at END),"
	" min(CASE WHEN kind = 'payment' THEN at END), max(CASE WHEN kind = 'payment' THEN at END)"
	" FROM main.fees";

const char *const DB_COVERAGE_KEYS[DB_COVERAGE_LOGS] = {
	"tickets", "complaints", "callbacks", "fees", "fee_payments"
};

static void copy_time(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t ? t : "");
}

static int fee_coverage(sqlite3 *db, struct db_coverage *cov, pm_error *err)
{
	sqlite3_stmt *st;
	int stale, rc;

	if (fee_ledger_is_stale(db, &stale, err))
		return -1;
	if (sqlite3_prepare_v2(db, stale ? FEE_COVERAGE_FEES : FEE_COVERAGE_LEDGER, -1, &st, NULL))
		return db_error(db, err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_time(st, 0, cov->log[DB_COVERAGE_FEES].first, sizeof(cov->log[0].first));
		copy_time(st, 1, cov->log[DB_COVERAGE_FEES].last, sizeof(cov->log[0].last));
		copy_time(st, 2, cov->log[DB_COVERAGE_FEE_PAYMENTS].first, sizeof(cov->log[0].first));
		copy_time(st, 3, cov->log[DB_COVERAGE_FEE_PAYMENTS].last, sizeof(cov->log[0].last));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, err);
}

/* One log's first and last time from sql (site bound to ?1 if not NULL). */
static int log_coverage(sqlite3 *db, const char *sql, const char *site, char *first,
			char *last, size_t size, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return db_error(db, err);
	if (site)
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_time(st, 0, first, size);
		copy_time(st, 1, last, size);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, err);
}

int db_coverage(sqlite3 *db, const char *site, struct db_coverage *cov, pm_error *err)
{
	int i;

	memset(cov, 0, sizeof(*cov));
	if (!site && fee_coverage(db, cov, err))
		return -1;
	for (i = 0; i < DB_COVERAGE_LOGS; i++) {
		const char *sql = COVERAGE_SQL[i][site != NULL];

		/* without a site, fee_coverage() read the fees */
		if (sql && log_coverage(db, sql, site, cov->log[i].first, cov->log[i].last,
					sizeof(cov->log[i].first), err))
			return -1;
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
