/*
 * check_run(): one check run in one transaction. The per-record rules
 * (deadline, coverage, weekly) are evaluated in C over a few plain scans
 * (rules/eval.h); the fee figures, F-AGING and F-LETTER in C over the fee
 * ledger by account (rules/check_fee_pass.c); the findings in SQL over the
 * indexed tables, C generating the statements and collecting the totals.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "db/db.h"
#include "rules/check.h"
#include "rules/check_internal.h"
#include "rules/check_preload.h"
#include "rules/eval.h"
#include "rules/find.h"

static int is_timestamp(const char *s)
{
	int day;

	return s && strlen(s) == 19 && s[10] == ' ' && s[13] == ':' && s[16] == ':' &&
	       day_parse(s, &day) == 0 &&
	       s[11] >= '0' && s[11] <= '2' && s[12] >= '0' && s[12] <= '9' &&
	       (s[11] - '0') * 10 + (s[12] - '0') < 24 &&
	       s[14] >= '0' && s[14] <= '5' && s[15] >= '0' && s[15] <= '9' &&
	       s[17] >= '0' && s[17] <= '5' && s[18] >= '0' && s[18] <= '9';
}

static int check_params_valid(const struct check_params *p, pm_error *err)
{
	if (!is_timestamp(p->from))
		return pm_fail(err, "from: '%s' is not a 'YYYY-MM-DD HH:MM:SS' time", p->from ? p->from : "");
	if (!is_timestamp(p->to))
		return pm_fail(err, "to: '%s' is not a 'YYYY-MM-DD HH:MM:SS' time", p->to ? p->to : "");
	if (p->as_of && !is_timestamp(p->as_of))
		return pm_fail(err, "as-of: '%s' is not a 'YYYY-MM-DD HH:MM:SS' time", p->as_of);
	if (strcmp(p->from, p->to) >= 0)
		return pm_fail(err, "the period is empty: from %s is not before to %s", p->from, p->to);
	if (p->keep_met && p->figures_only)
		return pm_fail(err, "keep_met stores records, a figures-only run none: not both");
	return 0;
}

/* The fee periods whose first day lies in [from, to): :pfrom <= period < :pto. */
static void period_bounds(struct check_ctx *c)
{
	int y, m;

	sscanf(c->from, "%4d-%2d", &y, &m);
	if (strcmp(c->from + 8, "01 00:00:00") && ++m > 12) {
		m = 1;
		y++;
	}
	snprintf(c->pfrom, sizeof(c->pfrom), "%04d-%02d", y % 10000, m % 100);
	sscanf(c->to, "%4d-%2d", &y, &m);
	if (strcmp(c->to + 8, "01 00:00:00") && ++m > 12) {
		m = 1;
		y++;
	}
	snprintf(c->pto, sizeof(c->pto), "%04d-%02d", y % 10000, m % 100);
}

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

static int insert_run(struct check_ctx *c, const char *rules_file, pm_error *err)
{
	sqlite3_stmt *st;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	/* created_at in China local time, like every other timestamp stored. */
	t += 8 * 3600;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", &tm);
	if (ctx_prepare(c, "INSERT INTO check_runs(created_at, from_ts, to_ts, as_of, site,"
			" rules_file, rules_sha256) VALUES(:now, :from, :to, :asof, :site, :file, :sha)",
			&st, err))
		return -1;
	ctx_bind_text(st, ":now", now);
	ctx_bind_text(st, ":file", rules_file);
	ctx_bind_text(st, ":sha", c->rs->sha256);
	if (ctx_finish(c, st, err))
		return -1;
	c->run_id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

static int run_rule(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	int rc = 0;

	switch (r->kind) {
	case RULE_DEADLINE:
	case RULE_COVERAGE:
	case RULE_WEEKLY:
		return 0;       /* evaluated by eval_subject_passes() */
	case RULE_LETTER:
		rc = check_letter(c, r, err);
		break;
	case RULE_REPEAT:
		return check_repeat(c, r, err);
	}
	return rc;
}

static int evaluate(struct check_ctx *c, const char *rules_file, pm_error *err)
{
	size_t i;

	/* a scratch run cannot write the ledger: a stale one is read around */
	if (insert_run(c, rules_file, err) || check_fee_pass(c, !c->scratch, err) ||
	    eval_subject_passes(c, err))
		return -1;
	for (i = 0; i < c->rs->count; i++)
		if (c->rs->rules[i].enabled && run_rule(c, &c->rs->rules[i], err))
			return -1;
	if (check_volumes(c, err) || check_findings(c, err) || check_fees(c, err))
		return -1;
	return check_summary(c, err);
}

int check_load_calendar(struct check_ctx *c, const char *calendar_file, pm_error *err)
{
	int i;

	c->cal = calendar_new();
	if (!c->cal)
		return pm_fail(err, "out of memory");
	for (i = 0; i < c->rs->ncalendars; i++)
		if (calendar_add_file(c->cal, c->rs->calendars[i], err))
			return -1;
	if (calendar_file && calendar_add_file(c->cal, calendar_file, err))
		return -1;
	return calendar_finish(c->cal, err);
}

int check_run(sqlite3 *db, const struct check_params *p,
	      sqlite3_int64 *run_id, pm_error *err)
{
	struct preload ahead;
	struct ruleset rs;
	struct check_ctx c;
	const char *begin;
	int rc, nested;

	if (check_params_valid(p, err))
		return -1;
	if (ruleset_load(p->rules_file, &rs, err))
		return -1;
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.from = p->from;
	c.to = p->to;
	c.as_of = p->as_of ? p->as_of : p->to;
	c.site = p->site;
	c.rs = &rs;
	c.keep_met = p->keep_met;
	c.figures_only = p->figures_only;
	c.profile = p->profile;
	period_bounds(&c);
	rc = check_load_calendar(&c, p->calendar_file, err);
	/*
	 * Inside the caller's transaction (a report making its runs in one),
	 * the run is a savepoint of it; the caller has set the pragmas below
	 * and holds the write lock the read-ahead threads rely on.
	 */
	nested = !sqlite3_get_autocommit(db);
	/*
	 * On a read-only connection the run is a scratch run (check.h): it
	 * writes only TEMP tables, in a plain read transaction.
	 */
	c.scratch = sqlite3_db_readonly(db, "main") == 1;
	begin = nested ? "SAVEPOINT check_run" : c.scratch ? "BEGIN" : "BEGIN IMMEDIATE";
	/*
	 * The fee figures group the whole ledger: keep those sorts in memory
	 * rather than in temp files. No cache spill: writing dirty pages to the
	 * file before COMMIT needs the exclusive lock, which waits for every
	 * reader -- the run's own read-ahead threads, a report's trend -- so
	 * the run's new pages stay in memory until COMMIT (a year's run: a
	 * few hundred MB).
	 */
	if (rc == 0 && !nested)
		rc = db_exec_plain(&c, "PRAGMA temp_store = MEMORY; PRAGMA cache_spill = OFF", err);
	if (rc == 0 && (rc = db_exec_plain(&c, begin, err)) == 0) {
		/*
		 * After the BEGIN: the threads then read what the run reads. Not
		 * for a scratch run, whose read transaction holds no write lock
		 * that would keep the threads' snapshots the same as its own.
		 */
		memset(&ahead, 0, sizeof(ahead));
		if (!p->one_thread && !c.scratch) {
			preload_start(&c, &ahead);
			c.preload = &ahead;
		}
		rc = evaluate(&c, rs.origin, err);
		c.preload = NULL;
		/* before COMMIT, which waits for every reader of the file */
		preload_end(&ahead);
		if (rc == 0)
			rc = db_exec_plain(&c, nested ? "RELEASE check_run" : "COMMIT", err);
		if (rc)
			sqlite3_exec(db, nested ? "ROLLBACK TO check_run; RELEASE check_run" : "ROLLBACK",
				     NULL, NULL, NULL);
	}
	fee_pass_free(c.fees);
	if (rc == 0 && run_id)
		*run_id = c.run_id;
	find_records_free(c.records);
	findings_callbacks_free(c.callbacks_judged);
	letter_summaries_free(&c);
	calendar_free(c.cal);
	ruleset_free(&rs);
	return rc;
}

int check_fees_by_site(sqlite3 *db, const struct check_params *p,
		       struct check_site_fees **sites, int *nsites, pm_error *err)
{
	struct ruleset none;
	struct check_ctx c;
	int rc, nested;

	*sites = NULL;
	*nsites = 0;
	if (check_params_valid(p, err))
		return -1;
	/* No rules: no letter rule's reminders are needed for these figures. */
	memset(&none, 0, sizeof(none));
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.from = p->from;
	c.to = p->to;
	c.as_of = p->as_of ? p->as_of : p->to;
	c.rs = &none;
	period_bounds(&c);
	/* a caller's transaction (a report's) has set temp_store, which cannot change in it */
	rc = sqlite3_get_autocommit(db) ? db_exec_plain(&c, "PRAGMA temp_store = MEMORY", err) : 0;
	/* One read transaction: every site's figures from the same ledger. */
	if (rc == 0 && (rc = ctx_read_begin(&c, "fees_by_site", &nested, err)) == 0) {
		rc = check_fee_pass(&c, 0, err) || check_fees_per_site(&c, sites, nsites, err) ? -1 : 0;
		ctx_read_end(&c, "fees_by_site", nested, rc);
	}
	fee_pass_free(c.fees);
	return rc;
}
