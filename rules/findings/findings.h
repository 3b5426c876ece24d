#ifndef PM_RULES_FINDINGS_H
#define PM_RULES_FINDINGS_H

/*
 * The findings (RULES.md "Findings"): R-REPEAT, Q-ORDER, Q-ORPHAN,
 * Q-PROBLEM-OPEN, Q-MISSING-START's figure, the volumes. The tickets and
 * complaints a run needs are read once (find_records.c) and the findings
 * computed in C from them (find.h has the parts). The engine calls
 * check_repeat() for an enabled R-REPEAT rule, then check_volumes() and
 * check_findings(); the records and the window's callbacks judged may be
 * read ahead on another connection and handed in (c->records,
 * c->callbacks_judged) before.
 */
#include "rules/run/run.h"

int check_repeat(struct check_ctx *c, const struct rule *r, pm_error *err);
int check_volumes(struct check_ctx *c, pm_error *err);
int check_findings(struct check_ctx *c, pm_error *err);

/*
 * The run's records: c->records if the engine handed them in (read ahead),
 * else read now (find_records_read()) and held there until the run ends.
 */
int find_records_get(struct check_ctx *c, struct find_records **out, pm_error *err);
/* The records read with rd (a read-ahead thread's connection, or the run's), into *out. */
int find_records_read(const struct run_reader *rd, struct find_records **out, pm_error *err);
void find_records_free(struct find_records *r);
/* Finalizes the look-up statements, before their connection closes (read ahead). */
void find_records_detach(struct find_records *r);
/*
 * The tickets (complaints 0) or the complaints (1) r holds of the run's
 * window [from, to) and of its site, counted by category
 * (find_categories.c): fn(arg, name, count) for each distinct one (name
 * NULL: the records without one), in no order; -1 if fn or memory fails.
 */
int find_records_each_category(const struct find_records *r, const struct run_scope *s,
			       int complaints,
			       int (*fn)(void *arg, const char *name, long long count), void *arg);

/*
 * The repeats of every enabled R-REPEAT rule of s's rules found among the
 * records rec -- in C, no database -- and kept with them for check_repeat()
 * to store: a read-ahead thread finds them after reading the records, so
 * that the run's thread only stores them (docs/performance.md, "check
 * --month and check --year, session 9"). A rule whose repeats cannot be
 * found here (no memory) is found by check_repeat() as without this.
 */
void findings_repeats_ahead(const struct run_scope *s, struct find_records *rec);

/*
 * The window's callbacks judged against the records r (read with the same
 * rd) -- Q-ORPHAN, Q-ORDER of callbacks, Q-PROBLEM-OPEN, volumes.callbacks
 * -- ready to store (findings.c). It may run on a read-ahead thread's
 * connection: what it returns holds no statement.
 */
int findings_judge_callbacks(const struct run_reader *rd, struct find_records *r,
			     struct cb_pass **out, pm_error *err);
void findings_callbacks_free(struct cb_pass *p);

/*
 * The open backlog (find_backlog.c) counted with rd -- a read-ahead
 * thread's connection, or the run's -- into *out, which the run stores
 * (check_findings(), from c->backlog if handed in).
 */
int findings_count_backlog(const struct run_reader *rd, struct find_backlog **out, pm_error *err);
void findings_backlog_free(struct find_backlog *b);
/*
 * The open backlog at two as-of times (of one site, NULL: all) from one
 * read of the logs, for two runs made at once (run_scope.backlog_pair):
 * findings_count_backlog() of the first of them counts both, that of the
 * other takes its counts (waiting while they are counted). A run of
 * another as-of time or site counts its own. -1: out of memory.
 */
struct backlog_pair;
int findings_backlog_pair_new(const char *as_of_a, const char *as_of_b, const char *site,
			      struct backlog_pair **out);
void findings_backlog_pair_free(struct backlog_pair *p);

/*
 * Which of the satisfaction.* counts a callback's result falls in: 0 满意,
 * 1 基本满意, 2 不满意, 3 unrated (the order of FIG_SATISFACTION_SATISFIED
 * and after), as the run counts it (find_satisfaction.c).
 */
int findings_satisfaction_kind(const char *result);

/*
 * satisfaction.* of n consecutive months, as each month's run counts them:
 * the callbacks (of rd's site, if any) with callback_at in [start[k],
 * start[k + 1]) and at or before as_of and the month's end, added into
 * counts[k] by findings_satisfaction_kind(). start has n + 1 entries.
 */
int findings_satisfaction_months(const struct run_reader *rd, const char (*start)[20], int n,
				 const char *as_of, sqlite3_int64 (*counts)[4], pm_error *err);

#endif
