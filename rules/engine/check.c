/*
 * check_run(): one check run in one transaction (rules/engine/check.h). The
 * engine sets the run's scope, starts the read-ahead threads, and calls the
 * parts in order, handing each what an earlier one (or a thread) produced:
 * the fee pass (rules/fees), the per-record rules (rules/records), the
 * rules of other kinds as the table of kinds says (rules/ruleset), the
 * findings (rules/findings), the fee figures, then the JSON summary; every
 * result goes to the sink (rules/results).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db/db.h"
#include "rules/engine/engine.h"
#include "rules/engine/preload.h"
#include "rules/fees/fees.h"
#include "rules/findings/findings.h"
#include "rules/records/records.h"
#include "rules/results/results_sink.h"
#include "util/clock.h"

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
	if (p->account_records_only && (p->keep_met || p->figures_only))
		return pm_fail(err, "account_records_only is neither keep_met nor figures_only");
	if (p->site_fees && (p->site || !p->nsite_fees))
		return pm_fail(err, "site_fees are every site's: a run of all sites, with nsite_fees");
	return 0;
}

/* The caller loads the rules and the calendar (as cmd/ does) and passes them in. */
int check_rules_given(const struct ruleset *rules, const struct calendar *cal, pm_error *err)
{
	if (!rules)
		return pm_fail(err, "no rules given: the caller loads them (ruleset_load())");
	if (!cal)
		return pm_fail(err, "no calendar given: the caller loads it (check_calendar_load())");
	return 0;
}

/* The fee periods whose first day lies in [from, to): :pfrom <= period < :pto. */
static void period_bounds(struct run_scope *s)
{
	int y, m;

	sscanf(s->from, "%4d-%2d", &y, &m);
	if (strcmp(s->from + 8, "01 00:00:00") && ++m > 12) {
		m = 1;
		y++;
	}
	snprintf(s->pfrom, sizeof(s->pfrom), "%04d-%02d", y % 10000, m % 100);
	sscanf(s->to, "%4d-%2d", &y, &m);
	if (strcmp(s->to + 8, "01 00:00:00") && ++m > 12) {
		m = 1;
		y++;
	}
	snprintf(s->pto, sizeof(s->pto), "%04d-%02d", y % 10000, m % 100);
}

/* The scope of a run over p's window; rs and cal are set by the caller. */
static void scope_of(const struct check_params *p, struct run_scope *s)
{
	memset(s, 0, sizeof(*s));
	s->from = p->from;
	s->to = p->to;
	s->as_of = p->as_of ? p->as_of : p->to;
	s->site = p->site;
	period_bounds(s);
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
	ctx_bind_text(st, ":sha", c->scope->rs->sha256);
	if (ctx_finish(c, st, err))
		return -1;
	c->run_id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

/*
 * The engine hands what was read ahead to its consumers: the callback map
 * to the evaluator's passes, the findings' records (and their callbacks,
 * judged) to the findings, just before the first part that needs them.
 */
static int take_records_read_ahead(struct check_ctx *c, struct preload *ahead, pm_error *err)
{
	if (!ahead || c->records)
		return 0;
	return preload_take_records(ahead, &c->records, &c->callbacks_judged, err) < 0 ? -1 : 0;
}

static int take_backlog_read_ahead(struct check_ctx *c, struct preload *ahead, pm_error *err)
{
	if (!ahead || c->backlog)
		return 0;
	return preload_take_backlog(ahead, &c->backlog, err) < 0 ? -1 : 0;
}

static int evaluate_records(struct check_ctx *c, struct preload *ahead, pm_error *err)
{
	struct cb_map map;
	int roles = 0, have = 0, rc;

	memset(&map, 0, sizeof(map));
	if (ahead && eval_map_needs(c->scope->rs, &roles)) {
		double t = clock_wall_seconds();

		if ((have = preload_take_map(ahead, roles, &map, err)) < 0)
			return -1;
		if (have && c->profile)
			c->profile("wait for the callback map read ahead", clock_wall_seconds() - t);
	}
	rc = eval_subject_passes(c, have ? &map : NULL, err);
	cb_map_free(&map);
	return rc;
}

/* One rule, by the part the table of kinds (rules/ruleset/ruleset.h) names. */
static int run_rule(struct check_ctx *c, struct preload *ahead, const struct rule *r,
		    pm_error *err)
{
	switch (rule_kind_info(r->kind)->part) {
	case RULE_PART_RECORDS:
		return 0;       /* all of them in eval_subject_passes() */
	case RULE_PART_FEES:
		return check_letter(c, r, err);
	case RULE_PART_FINDINGS:
		return take_records_read_ahead(c, ahead, err) || check_repeat(c, r, err) ? -1 : 0;
	}
	return 0;
}

static int evaluate(struct check_ctx *c, struct preload *ahead, pm_error *err)
{
	const struct ruleset *rs = c->scope->rs;
	size_t i;

	/* a scratch run cannot write the ledger: a stale one is read around */
	if (insert_run(c, rs->origin, err) ||
	    check_fee_pass(c, c->target == RUN_TARGET_MAIN, err) ||
	    evaluate_records(c, ahead, err))
		return -1;
	for (i = 0; i < rs->count; i++)
		if (rs->rules[i].enabled && run_rule(c, ahead, &rs->rules[i], err))
			return -1;
	if (take_records_read_ahead(c, ahead, err) || check_volumes(c, err) ||
	    take_backlog_read_ahead(c, ahead, err) || check_findings(c, err) || check_fees(c, err))
		return -1;
	return check_summary(c, err);
}

int check_calendar_load(const struct ruleset *rs, const char *calendar_file,
			struct calendar **out, pm_error *err)
{
	struct calendar *cal = calendar_new();
	int i;

	*out = NULL;
	if (!cal)
		return pm_fail(err, "out of memory");
	for (i = 0; i < rs->ncalendars; i++)
		if (calendar_add_file(cal, rs->calendars[i], err))
			goto fail;
	if (calendar_file && calendar_add_file(cal, calendar_file, err))
		goto fail;
	if (calendar_finish(cal, err))
		goto fail;
	*out = cal;
	return 0;
fail:
	calendar_free(cal);
	return -1;
}

/*
 * The settings of a writing run, which cannot change inside a transaction:
 * the fee figures group the whole ledger, so keep those sorts in memory
 * rather than in temp files; and no cache spill: writing dirty pages to
 * the file before COMMIT needs the exclusive lock, which waits for every
 * reader -- the run's own read-ahead threads, a report's trend -- so the
 * run's new pages stay in memory until COMMIT (a year's run: a few hundred
 * MB).
 */
static int run_pragmas(sqlite3 *db, pm_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY; PRAGMA cache_spill = OFF", NULL, NULL,
			 &msg) != SQLITE_OK) {
		pm_fail(err, "database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int check_begin_runs(sqlite3 *db, pm_error *err)
{
	char *msg = NULL;

	if (run_pragmas(db, err))
		return -1;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
		pm_fail(err, "database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The verdict, before COMMIT: a damaged file fails the run, whatever else did. */
static int verify_verdict(struct db_verify_job *job, int rc, pm_error *err)
{
	pm_error found;

	if (db_verify_finish(job, &found) == 0)
		return rc;
	pm_fail(err, "%s", found.msg);
	return -1;
}

/* The run's transaction around evaluate(), the read-ahead threads inside it. */
static int run_in_transaction(struct check_ctx *c, int one_thread, const char *verify_path,
			      int *verdict, pm_error *err)
{
	struct preload ahead;
	struct db_verify_job *verify = NULL;
	const char *begin;
	int rc, nested;

	/*
	 * Inside the caller's transaction (a report making its runs in one,
	 * check_begin_runs()), the run is a savepoint of it; the caller has
	 * set the pragmas and holds the write lock the read-ahead threads
	 * rely on. A scratch run writes only TEMP tables, in a plain read
	 * transaction.
	 */
	nested = !sqlite3_get_autocommit(c->db);
	begin = nested ? "SAVEPOINT check_run" :
		c->target == RUN_TARGET_SCRATCH ? "BEGIN" : "BEGIN IMMEDIATE";
	if (nested)
		verify_path = NULL;     /* the caller's transaction, the caller's verdict */
	/* one core: verified first, as the file used to be when opened */
	*verdict = verify_path && one_thread;
	if (*verdict && db_verify(c->db, verify_path, err))
		return -1;
	if (!nested && run_pragmas(c->db, err))
		return -1;
	if (db_exec_plain(c, begin, err))
		return -1;
	/*
	 * Else beside the run from here, where the BEGIN IMMEDIATE keeps every
	 * other writer out: it sees the data the run reads. Its connection is
	 * opened now; it runs last on the read-ahead's thread, or on a thread
	 * of its own when nothing is read ahead.
	 */
	if (verify_path && !one_thread &&
	    !(verify = c->target == RUN_TARGET_MAIN ? db_verify_open(verify_path) :
		      db_verify_start(verify_path))) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return pm_fail(err, "out of memory");
	}
	/*
	 * After the BEGIN: the threads then read what the run reads. Not for a
	 * scratch run, whose read transaction holds no write lock that would
	 * keep the threads' snapshots the same as its own.
	 */
	memset(&ahead, 0, sizeof(ahead));
	if (!one_thread && c->target == RUN_TARGET_MAIN)
		preload_start(c->db, c->scope, verify, &ahead);
	rc = evaluate(c, ahead.synced ? &ahead : NULL, err);
	/* before COMMIT, which waits for every reader of the file */
	preload_end(&ahead);
	if (verify) {
		rc = verify_verdict(verify, rc, err);
		*verdict = 1;
	}
	if (rc == 0)
		rc = db_exec_plain(c, nested ? "RELEASE check_run" : "COMMIT", err);
	if (rc)
		sqlite3_exec(c->db, nested ? "ROLLBACK TO check_run; RELEASE check_run" : "ROLLBACK",
			     NULL, NULL, NULL);
	return rc;
}

static int same_site(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/*
 * A trend's months counted by the run too (check_params.trend): only by a
 * run over exactly their window, site and rules, as of their as-of time or
 * later; the counts zeroed.
 */
static int trend_counts_fit(struct check_trend_counts *tc, const struct run_scope *s,
			    pm_error *err)
{
	int n = tc->tp.nmonths;

	if (strcmp(s->from, tc->tp.start[0]) || strcmp(s->to, tc->tp.start[n]) ||
	    !same_site(s->site, tc->site) || strcmp(s->as_of, tc->as_of) < 0 || s->rs != tc->rs)
		return pm_fail(err, "trend: the run over [%s, %s) as of %s is not the months' "
			       "[%s, %s) as of %s", s->from, s->to, s->as_of, tc->tp.start[0],
			       tc->tp.start[n], tc->as_of);
	memset(tc->tp.counts, 0, (size_t)n * (size_t)tc->tp.nrules * sizeof(*tc->tp.counts));
	tc->counted = 0;
	return 0;
}

/* The findings' pair (rules/findings/findings.h), behind the engine's name. */
struct check_backlog_pair {
	struct backlog_pair *pair;
};

int check_backlog_pair_new(const char *as_of_a, const char *as_of_b, const char *site,
			   struct check_backlog_pair **out, pm_error *err)
{
	struct check_backlog_pair *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || findings_backlog_pair_new(as_of_a, as_of_b, site, &p->pair)) {
		free(p);
		return pm_fail(err, "out of memory");
	}
	*out = p;
	return 0;
}

void check_backlog_pair_free(struct check_backlog_pair *p)
{
	if (p) {
		findings_backlog_pair_free(p->pair);
		free(p);
	}
}

int check_run(sqlite3 *db, const struct check_params *p,
	      sqlite3_int64 *run_id, pm_error *err)
{
	struct run_scope scope;
	struct check_ctx c;
	pm_error found;
	int rc, verdict = 0;

	if (check_params_valid(p, err) || check_rules_given(p->rules, p->calendar, err))
		return -1;
	scope_of(p, &scope);
	scope.rs = p->rules;
	scope.cal = p->calendar;
	scope.backlog_pair = p->backlog_pair ? p->backlog_pair->pair : NULL;
	/* from here on the scope is only read: by the parts and the read-ahead threads */
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.scope = &scope;
	c.keep_met = p->keep_met;
	c.figures_only = p->figures_only;
	c.account_records_only = p->account_records_only;
	c.profile = p->profile;
	rc = results_target(&c, err);
	/* a trend's months counted in the same pass */
	if (rc == 0 && p->trend && (rc = trend_counts_fit(p->trend, &scope, err)) == 0)
		c.months = &p->trend->spec;
	if (rc == 0)
		rc = run_in_transaction(&c, p->one_thread, p->verify_path, &verdict, err);
	if (rc == 0 && p->trend)
		p->trend->counted = 1;
	/* the pass's per-site sums: check_fees_by_site()'s, without its walk */
	if (rc == 0 && p->site_fees)
		rc = check_fees_per_site(&c, p->site_fees, p->nsite_fees, err);
	if (rc == 0 && p->categories)
		rc = check_count_categories(&c, p->categories, err);
	/* failed before the file's verdict: if it is damaged, that is the reason to give */
	if (rc && p->verify_path && !verdict && sqlite3_get_autocommit(db) &&
	    db_verify(db, p->verify_path, &found))
		pm_fail(err, "%s", found.msg);
	if (rc == 0 && run_id)
		*run_id = c.run_id;
	fee_pass_free(c.fees);
	find_records_free(c.records);
	findings_callbacks_free(c.callbacks_judged);
	findings_backlog_free(c.backlog);
	letter_summaries_free(&c);
	results_sink_free(&c);
	return rc;
}

int check_scratch_open(sqlite3 *scratch, pm_error *err)
{
	return results_scratch_open(scratch, err);
}

int check_run_copy(sqlite3 *scratch, sqlite3_int64 from_run, sqlite3 *db,
		   sqlite3_int64 *to_run, pm_error *err)
{
	return results_run_copy(scratch, from_run, db, to_run, err);
}

void check_site_fees_free(struct check_site_fees *sites, int nsites)
{
	fee_sites_free(sites, nsites);
}

int check_fees_by_site(sqlite3 *db, const struct check_params *p,
		       struct check_site_fees **sites, int *nsites, pm_error *err)
{
	struct ruleset none;
	struct run_scope scope;
	struct check_ctx c;
	int rc, nested;

	*sites = NULL;
	*nsites = 0;
	if (check_params_valid(p, err))
		return -1;
	/* No rules: no letter rule's reminders are needed for these figures. */
	memset(&none, 0, sizeof(none));
	scope_of(p, &scope);
	scope.site = NULL;      /* every site's figures */
	scope.rs = &none;
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.scope = &scope;
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
