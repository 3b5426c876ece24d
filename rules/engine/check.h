#ifndef PM_CHECK_H
#define PM_CHECK_H

#include <sqlite3.h>
#include "rules/fees/fees.h"       /* struct check_site_fees */
#include "util/error.h"

/*
 * The rules engine's entry point, shared by `pmaudit check` and the reports.
 *
 * check_run() evaluates every enabled rule of the rules file over [from, to)
 * as of as_of (NULL: as_of = to), optionally for one site, and stores the
 * result in the database as one new check run:
 *
 *   check_runs          the run: window, as-of, site, rules file, summary_json
 *                       (the JSON summary of ../shared/spec/OUTPUT.md)
 *   check_rule_results  one row per rule: rule_kind deadline|coverage|weekly|
 *                       letter, met/breached/pending or numerator/denominator,
 *                       rate (NULL for a zero denominator), target, target_met
 *   check_weeks         T-PAID-CB-WEEKLY, one row per ISO week ('2026-W40')
 *   check_site_results  per rule and site: met, breached, pending (deadline,
 *                       coverage, weekly and letter rules; for coverage and
 *                       weekly, met = called back, breached = not); the
 *                       rule's totals in check_rule_results are their sums
 *   check_records       the records behind the figures, with their status:
 *                       breached and pending (and no_calendar) records of
 *                       deadline, coverage and weekly rules -- not the met
 *                       ones, which are only counted (keep_met stores them
 *                       too); every F-LETTER record (met, breached, pending,
 *                       not_evaluated); finding for the non-violation
 *                       findings Q-* and R-*; F-AGING rows carry the bucket in
 *                       detail and the outstanding amount in amount_cents.
 *                       record_kind ticket|complaint|callback|account
 *                       (account = site/room/fee_item)
 *   check_figures       key/value figures: fees.* and volumes.* as in
 *                       OUTPUT.md ("fees.due_cents", "fees.aging.1-30",
 *                       "volumes.orphan_callbacks", ...) and findings.* counts
 *
 * Every figure is computed from in-memory counts, never from the stored
 * check_records, so a figures-only run (figures_only below), which stores
 * no check_records, stores the same figures.
 *
 * Timestamps are 'YYYY-MM-DD HH:MM:SS' text, as stored by the import.
 *
 * The fee figures, F-AGING and F-LETTER come from fee_ledger, the ledger by
 * account (db/fee_ledger.h); if a change to fees made it stale, check_run()
 * rebuilds it first, in the run's transaction.
 */
struct ruleset;                 /* rules/ruleset/ruleset.h */
struct calendar;                /* rules/calendar/calendar.h */
struct results_rule;            /* rules/results/results.h */
struct check_trend_counts;      /* check_trend_counts_new() below */

struct check_params {
	const char *from;        /* inclusive, 'YYYY-MM-DD HH:MM:SS' */
	const char *to;          /* exclusive */
	const char *as_of;       /* NULL: same as to */
	const char *site;        /* NULL: all sites */
	/*
	 * The parsed rules file (ruleset_load()) and its calendar
	 * (check_calendar_load()), both required: the caller loads them once,
	 * as the commands do, and keeps them unchanged until the run returns.
	 * The engine reads no rules or calendar file itself.
	 */
	const struct ruleset *rules;
	const struct calendar *calendar;
	int keep_met;            /* 1: also store the met records of deadline,
				    coverage and weekly rules in check_records
				    (to trace one record; a year has millions) */
	int one_thread;          /* 1: no read-ahead threads (rules/engine/preload.h) */
	/*
	 * The database file as the command named it, to verify (db_verify())
	 * beside the run, from its BEGIN, on a thread of its own: the run waits
	 * for the verdict before its COMMIT and fails with the finding. For a
	 * command that opened the file unverified (db_open_unverified()); a run
	 * inside the caller's transaction leaves it to the caller. With
	 * one_thread, verified before the run begins.
	 */
	const char *verify_path;
	/* If set, called after each pass of the C evaluator with its wall time. */
	void (*profile)(const char *what, double seconds);
	/*
	 * 1: a figures-only run. It stores the check_runs row,
	 * check_rule_results, check_weeks, check_site_results and
	 * check_figures exactly as a full run does, and no check_records row:
	 * for a run read only for its figures (the previous period of a
	 * report), where storing the records is much of the work. The JSON
	 * summary then has "records": false. Not with keep_met.
	 */
	int figures_only;
	/*
	 * 1: of the records, store only the fee ledger's (F-AGING and F-LETTER,
	 * record_kind 'account'), and the rest as a full run: for a report that
	 * lists those and prints only the figures of the other rules (the
	 * annual summary without a workbook), where storing a year's breached
	 * tickets is much of the work. The JSON summary then has "records":
	 * "accounts". Not with keep_met or figures_only.
	 */
	int account_records_only;
	/*
	 * If set (check_trend_counts_new()), the run's records pass also
	 * counts the trend's months for its listed rules, each record judged a
	 * second time in its month as the trend's own pass would judge it: for
	 * a report that makes a run over exactly those months (the annual
	 * summary's year), so that check_trend() need not read the records
	 * again. The run must cover the months' window, from the first month's
	 * start to the last's end, for the same site and rules file, as of the
	 * trend's as-of time or later; else it fails.
	 */
	struct check_trend_counts *trend;
	/*
	 * If set, a run of every site (site NULL) also hands over every site's
	 * fee figures from its own fee pass, what check_fees_by_site() gives
	 * for the run's window and as-of time, into *site_fees and
	 * *nsite_fees once the run is stored; the caller frees them with
	 * check_site_fees_free(). For a report that prints the run and the
	 * sites' fee table: one walk of the ledger instead of two.
	 */
	struct check_site_fees **site_fees;
	int *nsite_fees;
	/*
	 * If set, the run also counts its window's tickets (by reported_at)
	 * and complaints (by received_at) of its site by category, from the
	 * records its findings read anyway (check_categories below): for a
	 * report that prints the window's categories beside the run, one read
	 * of the logs instead of two.
	 */
	struct check_categories *categories;
	/*
	 * If set (check_backlog_pair_new()), the run's open backlog is counted
	 * in one read with that of the pair's other run: for a report that
	 * makes two runs at once (the month and the month before).
	 */
	struct check_backlog_pair *backlog_pair;
};

/*
 * A run's window by category (check_params.categories): log[CHECK_TICKETS]
 * the tickets with reported_at in [from, to), log[CHECK_COMPLAINTS] the
 * complaints with received_at in it, of the run's site (every site: NULL),
 * whatever the as-of time -- each distinct category as stored (name NULL:
 * none) with its count, in no order. counted is 1 once a run has counted
 * them. Free with check_categories_free().
 */
enum { CHECK_TICKETS, CHECK_COMPLAINTS };
struct check_category {
	char *name;
	long long count;
};
struct check_categories {
	struct check_category *log[2];
	int n[2];
	int counted;
};
void check_categories_free(struct check_categories *c);

/*
 * One write transaction of its own; called inside the caller's write
 * transaction (begun by check_begin_runs()), the run is a savepoint of
 * that transaction instead.
 */
int check_run(sqlite3 *db, const struct check_params *params,
	      sqlite3_int64 *run_id, pm_error *err);

/*
 * BEGIN IMMEDIATE on db with the settings a run needs (which cannot change
 * inside a transaction), for a caller that makes several runs in one
 * write transaction (a report). The caller commits or rolls back.
 */
int check_begin_runs(sqlite3 *db, pm_error *err);

/*
 * The calendar a run of rs uses: the calendars the rules file names, then
 * calendar_file (may be NULL), over the built-in one. Free with
 * calendar_free().
 */
int check_calendar_load(const struct ruleset *rs, const char *calendar_file,
			struct calendar **cal, pm_error *err);

/*
 * Scratch runs: a run made on a read-only connection, beside the writing
 * one (a report's second thread makes the previous month's run while its
 * main thread makes the month's). check_scratch_open() gives the connection
 * TEMP tables named and shaped as the check_* tables; SQLite resolves an
 * unqualified table name to TEMP first, so check_run() on that connection
 * stores its run there, in a plain read transaction, without the read-ahead
 * threads; a stale fee ledger is read around, not rebuilt. The run reads
 * what the writer's transaction started from: the writer must hold the
 * write lock (BEGIN IMMEDIATE) from before the scratch run to after
 * check_run_copy(), and must not have changed the logs or the ledger.
 *
 * check_run_copy() copies run from_run and all its rows from the scratch
 * connection to the writing connection's database, as a new run
 * (*to_run). Its figures and records are the same as check_run() on the
 * writing connection would have stored.
 */
int check_scratch_open(sqlite3 *scratch, pm_error *err);
int check_run_copy(sqlite3 *scratch, sqlite3_int64 from_run, sqlite3 *db,
		   sqlite3_int64 *to_run, pm_error *err);

/*
 * The fee figures of every site at once, each exactly what check_run() with
 * that site would store (fees.due_cents, fees.paid_cents, fees.current_rate,
 * fees.arrears_start_cents, fees.recovered_cents, fees.recovery_rate), from
 * one pass over the ledger instead of one run per site. params->site is
 * ignored; the rules file plays no part in these figures. Sites are in
 * byte order; a site whose ledger no figure can see is missing (all its
 * figures are 0 and its rates null). Stores nothing (a stale fee_ledger
 * is read around, through fees). Free with check_site_fees_free().
 */
int check_fees_by_site(sqlite3 *db, const struct check_params *params,
		       struct check_site_fees **sites, int *nsites, pm_error *err);
void check_site_fees_free(struct check_site_fees *sites, int nsites);

/*
 * The open backlog (backlog.* figures) of two runs as of as_of_a and
 * as_of_b (of site, NULL: all) from one read of the tickets and the
 * complaints instead of one each: both runs are given the pair
 * (check_params.backlog_pair); the first to come to its backlog counts
 * both, the other takes its counts, waiting while they are counted. A run
 * of another as-of time or site counts its own. Freed after both runs
 * have returned. -1: out of memory.
 */
struct check_backlog_pair;
int check_backlog_pair_new(const char *as_of_a, const char *as_of_b, const char *site,
			   struct check_backlog_pair **out, pm_error *err);
void check_backlog_pair_free(struct check_backlog_pair *p);

/*
 * The figures a chart of several months needs, without a run per month:
 * for each of nmonths consecutive calendar months from first_month, what
 * check_run() over that month alone (from its first day 00:00:00 to the
 * next month's, as_of = to -- or as_of = params->as_of for a month ending
 * after it --, the same site, rules file and calendar file) would store for
 * each listed rule in check_rule_results, as fees.due_cents,
 * fees.paid_cents and fees.current_rate, as volumes.tickets,
 * volumes.complaints and volumes.callbacks, and as satisfaction.* (the
 * month's callbacks up to its as-of time by result). One pass over the records of
 * all the months, each judged as of its own month's end (or as_of), one
 * walk of the fee ledger, and a count of each month's records through the
 * logs' time indexes (rules/engine/trend.c).
 *
 * Only deadline and coverage rules can be listed (another kind is an
 * error). A rule the rules file lacks or disables has evaluated = 0 in
 * every month, as check_run() stores no row for it. A deadline rule whose
 * working-day deadline falls in a year the calendar lacks fails, as the
 * month's run would. Stores nothing and writes nothing (it works on a
 * read-only connection; a stale fee ledger is read around, through fees).
 * Free with check_trend_free().
 */
#define CHECK_TREND_MAX_MONTHS 24

struct check_trend_params {
	const char *first_month;        /* 'YYYY-MM' */
	int nmonths;                    /* 1 .. CHECK_TREND_MAX_MONTHS */
	const char *const *rule_ids;
	int nrules;
	const char *site;               /* NULL: all sites */
	void (*profile)(const char *what, double seconds);
	/* the parsed rules file and calendar, required, as in check_params */
	const struct ruleset *rules;
	const struct calendar *calendar;
	/*
	 * NULL: each month as of its end. Else a month ending after as_of is
	 * judged as of as_of ('YYYY-MM-DD HH:MM:SS'), as the annual report
	 * judges the months past its data.
	 */
	const char *as_of;
	/*
	 * NULL: the listed rules' figures from a pass of the trend's own over
	 * the months' records. Else counts a run is making (or has made) for
	 * the same months, rules and site (check_params.trend): no record is
	 * read, each month's rules are left NULL, and check_trend_rules()
	 * fills them in once the run is done.
	 */
	const struct check_trend_counts *counts;
};

/* One rule in one month, as its check_rule_results row would hold it. */
struct check_trend_rule {
	int evaluated;                  /* 0: no row (the rule is missing or disabled) */
	int is_deadline;                /* 1: met/breached/pending are the row's; 0: coverage (NULL there) */
	sqlite3_int64 met, breached, pending;
	sqlite3_int64 unknown;          /* records lacking a field the rule needs: not judged */
	sqlite3_int64 numerator, denominator;   /* met, met + breached */
	int has_rate;                   /* 0: rate NULL (denominator 0) */
	double rate;                    /* met / (met + breached) */
};

struct check_trend_month {
	char month[8];                  /* 'YYYY-MM' */
	struct check_trend_rule *rules; /* nrules, in the order of rule_ids */
	sqlite3_int64 due_cents, paid_cents;
	int has_current_rate;           /* 0: null (nothing due) */
	double current_rate;
	sqlite3_int64 tickets, complaints, callbacks;   /* volumes.* */
	/* satisfaction.satisfied, .basic, .dissatisfied, .unrated; the rate (0: null) */
	sqlite3_int64 satisfaction[4];
	int has_satisfaction_rate;
	double satisfaction_rate;
};

struct check_trend {
	struct check_trend_month *months;
	int nmonths, nrules;
};

int check_trend(sqlite3 *db, const struct check_trend_params *params, struct check_trend *out,
		pm_error *err);
void check_trend_free(struct check_trend *t);
/*
 * The per-record counts of a trend (params as for check_trend(); counts
 * NULL), for a run to make (check_params.trend). Free with
 * check_trend_counts_free().
 */
int check_trend_counts_new(const struct check_trend_params *params,
			   struct check_trend_counts **counts, pm_error *err);
void check_trend_counts_free(struct check_trend_counts *counts);
/*
 * Each month's listed rules of out (made by check_trend() with
 * params->counts) from the counts of the run that made them; fails if no
 * run has.
 */
int check_trend_rules(const struct check_trend_params *params,
		      const struct check_trend_counts *counts, struct check_trend *out,
		      pm_error *err);

/*
 * The check_rule_results rows of a few deadline and coverage rules over
 * params' window, as of its as-of time, for its site or all: exactly what
 * check_run() with the same params stores for them and results_open_run()
 * reads back (met, breached, pending, unknown, rate, target, titles), from
 * one records pass of those rules alone (the trend's, over one window),
 * storing nothing. For a report that prints those rules' figures and
 * nothing else of a run (the inspection's coverage rules): no fee pass, no
 * findings, no other rule. Reads params' from, to, as_of, site, rules,
 * calendar and profile; out has nrules entries in the order of rule_ids
 * (rule_id "": the rule is missing or disabled, as a run has no row for
 * it; a rule of another kind fails). Inside a caller's transaction, a
 * savepoint of it.
 */
int check_rule_figures(sqlite3 *db, const struct check_params *params,
		       const char *const *rule_ids, int nrules, struct results_rule *out,
		       pm_error *err);

/*
 * Whether the rows of table with field in [from, to) are better read by
 * one scan of the whole table than by a range scan of field's index (rows
 * out of time order: a page look-up each), as the engine decides for its
 * own reads; for a report reading a window of its own (the inspection's
 * sample). records_prefer_full_scan(), rules/records/records.h.
 */
int check_prefer_full_scan(sqlite3 *db, const char *table, const char *field, const char *from,
			   const char *to, int *full, pm_error *err);

#endif
