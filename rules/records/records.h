#ifndef PM_EVAL_H
#define PM_EVAL_H

/*
 * The evaluator of the per-record rules (deadline, coverage, weekly) and of
 * Q-MISSING-START, in C over a few plain scans of tickets and complaints.
 *
 *   records_pass.c   the pass: the rules compiled to column numbers, each
 *                    row filtered and handed to its kind's judge, the
 *                    counts to the sink (rules/results); start here
 *   deadline.c       one record under a deadline rule: end, deadline,
 *                    status, late seconds (the judge of runs and the trend)
 *   coverage.c       one record under a coverage or weekly rule; the weeks
 *   eval_scan_rows.c the scan: a subject's rows of the window, read
 *                    (eval_scan.c: range scans or one full scan)
 *   eval_missing.c   Q-MISSING-START
 *   eval_callbacks.c the callback map
 *   eval_time.c      timestamp arithmetic; eval_sql.c: SQLite for odd values
 *   months.c         several months in one pass, for check_trend()
 *   months_judge.c   a record judged in its month: the trend's, or a run's
 *                    pass counting a trend's months too (check_ctx.months)
 *   rule_filter.c    a row against one rule: filters, missing fields, start
 *   eval_internal.h  what these files share
 */
#include <sqlite3.h>
#include "rules/ruleset/ruleset.h"
#include "rules/calendar/calendar.h"
#include "rules/records/eval_callbacks.h"
#include "rules/records/eval_time.h"
#include "util/error.h"

/* ---- one record under one deadline rule (deadline.c) ---- */

/* What judging needs besides the record: the run and its working-day table. */
struct judge_ctx {
	sqlite3 *db;            /* for values that are not well-formed (eval_sql.c) */
	const char *as_of;
	const struct calendar *cal;
	int first_day, last_day;        /* the days of [from, to]: temp.wd's range before */
};

/* V_UNKNOWN: the record lacks a field the rule needs (never judged, never breached). */
enum verdict_status { V_MET, V_BREACHED, V_PENDING, V_NO_CALENDAR, V_UNKNOWN };

struct verdict {
	enum verdict_status status;
	const char *deadline;   /* NULL: none (no_calendar) */
	int has_late;
	long long late;         /* seconds, when has_late */
	int missing_year;       /* no_calendar of a working-day limit: the year lacking */
	char buf[64];           /* holds a computed deadline */
};

/*
 * Judges a record whose start is start and whose end event (already cut at
 * the as-of time; NULL: none yet) is end, with req its own deadline field
 * (NULL: none or not given). Returns -1 only on a database error.
 */
int judge_deadline(const struct judge_ctx *j, const struct rule *r, const char *start,
		   const char *end, const char *req, struct verdict *v, pm_error *err);

const char *verdict_status_name(enum verdict_status s);

/* ---- SQLite itself, for values C does not parse (eval_sql.c) ---- */

/*
 * Runs a one-value SELECT with text parameters a and b (either may be
 * NULL), writing the text result to out. Returns 1 for a value, 0 for NULL,
 * -1 on error.
 */
int eval_sql_text(sqlite3 *db, const char *sql, const char *a, const char *b,
		  char *out, size_t size, pm_error *err);

/* ---- the pass (records_pass.c), called by check.c ---- */

struct check_ctx;

/*
 * Evaluates every enabled deadline, coverage and weekly rule and
 * Q-MISSING-START, and stores their check_records rows (all but the met
 * ones; none in a figures-only run), check_weeks, check_site_results and
 * check_rule_results, and c->missing_start (findings.missing_start).
 * ahead: the callback map read ahead with the roles eval_map_needs() asked
 * for, moved from (NULL: none, the passes read it themselves).
 */
int eval_subject_passes(struct check_ctx *c, struct cb_map *ahead, pm_error *err);

/*
 * What a check_run() with rs will ask of the callback map (its enabled
 * per-record rules, as subjects_need_callbacks() says of them compiled):
 * 1 if it needs the map, and *roles 1 if the map must hold the roles.
 */
int eval_map_needs(const struct ruleset *rs, int *roles);

/* ---- several months in one pass (months.c), for check_trend() ---- */

struct month_count {
	sqlite3_int64 met, breached, pending, unknown;
};

/*
 * The deadline and coverage rules listed (nrules, distinct, enabled) over
 * nmonths consecutive months, each record judged as of its own month's
 * end (or of c->as_of, if that is before), exactly as each month's own run
 * would judge it: counts[m * nrules + k] for month m and rules[k]. start
 * holds the months' first instants and then the last one's end
 * ('YYYY-MM-DD HH:MM:SS'); c's window must be [start[0], start[nmonths]),
 * as of start[nmonths] or earlier. With run_as_of, every record is judged
 * as of c's as-of time instead, which may be after the window's end, as a
 * run of the window judges it (nmonths 1: one run's window). Fails as a
 * month's run would for a working-day deadline in a year the calendar lacks.
 */
int eval_months(struct check_ctx *c, const char (*start)[20], int nmonths, int run_as_of,
		const struct rule *const *rules, int nrules, struct month_count *counts,
		pm_error *err);

/*
 * A trend's months counted by a check run's own records pass instead of a
 * pass of their own (check_ctx.months; check_trend_counts, rules/engine):
 * each record the run reads is judged a second time for each listed rule,
 * in its month, as of that month's end (or as_of, if before), exactly as
 * eval_months() judges it, and counted into counts. The run's window must
 * be the months' [start[0], start[nmonths]), of the same site, and its
 * as-of time at or after as_of; the rules must be the run's ruleset's.
 */
struct months_spec {
	const char (*start)[20];        /* nmonths + 1 */
	int nmonths;
	const char *as_of;
	const struct rule *const *rules;        /* distinct, enabled, deadline or coverage */
	int nrules;
	struct month_count *counts;     /* [month * nrules + place], added to */
};

/*
 * For a reader outside the engine (the inspection's sample): whether the
 * rows of table with field in [from, to) are better read by one scan of
 * the whole table than by a range scan of field's index, as the records
 * pass decides for its own reads (eval_scan.h, eval_prefer_full_scan()).
 */
int records_prefer_full_scan(sqlite3 *db, const char *table, const char *field,
			     const char *from, const char *to, int *full, pm_error *err);

#endif
