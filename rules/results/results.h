#ifndef PM_RESULTS_H
#define PM_RESULTS_H

/*
 * The typed reader of a stored check run, for the reports (and anyone who
 * prints results): no caller writes SQL on the check_* tables or spells a
 * figure key. A run is opened once (its rule results and figures are read
 * then); its per-site results, records and weeks are read on demand.
 *
 *   results_open_run()     rule results (rules-file order) and figures
 *   results_rule()         one rule's result by id
 *   results_figure_*()     a figure by its enum (the key strings are in
 *                          one table, results_figure_key())
 *   results_sites_*()      per-site counts of a rule (or of every rule)
 *   results_records_*()    a rule's breached, pending or finding records
 *   results_weeks_*()      the ISO weeks of a weekly rule
 *   results_aging_*()      arrears by site and bucket (F-AGING records)
 *
 * Iterators: begin (-1 on error), next (1: a row; 0: the end or an error),
 * end (always, to finalize; -1 with err when next stopped at an error).
 *
 * Which rule plays which part in a report ("the complaint callback coverage
 * rule") is decided from the rules file, never from a rule's id: the roles,
 * below. Also here: the one breaches CSV writer and the run's exports (JSON
 * summary, CSV). The engine's side of the module, the sink every stored row
 * goes through, is rules/results/results_sink.h.
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include "rules/ruleset/ruleset.h"
#include "util/error.h"

/* The figures of check_figures. */
enum results_figure {
	FIG_FEES_CHARGED, FIG_FEES_WAIVED, FIG_FEES_DUE, FIG_FEES_PAID, FIG_FEES_CURRENT_RATE,
	FIG_FEES_ARREARS_START, FIG_FEES_RECOVERED, FIG_FEES_RECOVERY_RATE,
	FIG_FEES_AGING_1_30, FIG_FEES_AGING_31_90, FIG_FEES_AGING_91_180,
	FIG_FEES_AGING_181_365, FIG_FEES_AGING_365_PLUS,
	FIG_VOLUMES_TICKETS, FIG_VOLUMES_COMPLAINTS, FIG_VOLUMES_COMPLAINTS_INVALID,
	FIG_VOLUMES_CALLBACKS, FIG_VOLUMES_ORPHAN_CALLBACKS,
	FIG_FINDINGS_ORPHAN_CALLBACKS, FIG_FINDINGS_IMPOSSIBLE_ORDER, FIG_FINDINGS_PROBLEM_OPEN,
	FIG_FINDINGS_MISSING_START, FIG_FINDINGS_REJECTED_ROWS, FIG_FINDINGS_REPEAT_RECORDS,
	FIG_FINDINGS_REPEAT_GROUPS,
	/* 满意度 (issue 14; docs/rules.md "Satisfaction"): the window's callbacks by result */
	FIG_SATISFACTION_SATISFIED, FIG_SATISFACTION_BASIC, FIG_SATISFACTION_DISSATISFIED,
	FIG_SATISFACTION_UNRATED, FIG_SATISFACTION_RATE,
	/* the open backlog at the as-of time by age (docs/rules.md "Open backlog") */
	FIG_BACKLOG_TICKETS_0_2, FIG_BACKLOG_TICKETS_3_7, FIG_BACKLOG_TICKETS_8_30,
	FIG_BACKLOG_TICKETS_30_PLUS, FIG_BACKLOG_TICKETS_UNKNOWN,
	FIG_BACKLOG_COMPLAINTS_0_2, FIG_BACKLOG_COMPLAINTS_3_7, FIG_BACKLOG_COMPLAINTS_8_30,
	FIG_BACKLOG_COMPLAINTS_30_PLUS, FIG_BACKLOG_COMPLAINTS_UNKNOWN,
	FIG_COUNT
};

/* The satisfaction figures, FIG_SATISFACTION_SATISFIED on, and the rate last. */
#define RESULTS_SATISFACTION_FIGS 5
/*
 * The backlog's age buckets (up to 2 days, 3-7, 8-30, over 30) and the
 * unknown ones, per log: FIG_BACKLOG_TICKETS_0_2 + i, FIG_BACKLOG_COMPLAINTS_0_2 + i.
 */
#define RESULTS_BACKLOG_BUCKETS 4
#define RESULTS_BACKLOG_FIGS 5

#define RESULTS_AGING_BUCKETS 5
/* FIG_FEES_AGING_1_30 + i; the bucket names as stored ("1-30" ... "365+") */
extern const char *const RESULTS_AGING_BUCKET[RESULTS_AGING_BUCKETS];

/*
 * "fees.due_cents" for FIG_FEES_DUE: the key check_figures stores it under.
 * The one table of figure keys: the engine writes through it
 * (results_sink.h ctx_figure_int()), the reader reads through it.
 */
const char *results_figure_key(enum results_figure f);

/*
 * The key of one fee item's figure f (FIG_FEES_DUE, FIG_FEES_PAID or
 * FIG_FEES_CURRENT_RATE): "fee_item.<item>.due_cents", the part after
 * "fees." from the same table. 0, or -1 when it does not fit in size.
 */
int results_fee_item_key(char *buf, size_t size, const char *item, enum results_figure f);

/*
 * The key of figure f for one site: "<key>/<site>" ("satisfaction.rate/海棠湾";
 * no figure key holds a '/'). Stored for the satisfaction and backlog
 * figures, for each site that has any. 0, or -1 when it does not fit.
 */
int results_site_figure_key(char *buf, size_t size, const char *site, enum results_figure f);


/* One row of check_rule_results. */
struct results_rule {
	char rule_id[48];
	char kind[16];                /* deadline | coverage | weekly | letter | repeat */
	char title_zh[160], title_en[160];
	long long met, breached, pending, numerator, denominator;
	/*
	 * Records lacking a field the rule needs (the file had no such column):
	 * not judged, in no rate (met / (met + breached) leaves them out).
	 */
	long long unknown;
	int counted;                  /* met/breached/pending are stored (deadline, letter) */
	int has_rate, has_target, has_target_met, target_met;
	double rate, target;          /* the stored rate: never recomputed */
};

struct results_run {
	sqlite3 *db;
	sqlite3_int64 run_id;
	/*
	 * The run's window [from, to) and as-of time, as stored: a report's
	 * table read from the logs beside the run's figures applies the same
	 * as-of cut (issue 14: one as-of rule for every table of a report).
	 */
	char from[20], to[20], as_of[20];
	struct results_rule *rules;
	int nrules;
	int has[FIG_COUNT];
	long long ivalue[FIG_COUNT];
	double rvalue[FIG_COUNT];
};

int results_open_run(sqlite3 *db, sqlite3_int64 run_id, struct results_run *run, pm_error *err);
void results_close_run(struct results_run *run);
const struct results_rule *results_rule(const struct results_run *run, const char *rule_id);
/*
 * A deadline or coverage rule's row from its counts, in memory: what a run
 * stores for it (check_rule_result_counts(), store_rule_unknown()) and
 * results_open_run() reads back -- titles (the id when it has none), kind,
 * counts of a counted kind, numerator, denominator, rate, target,
 * target_met. For figures computed without a run (check_rule_figures()).
 */
void results_rule_of_counts(const struct rule *r, long long met, long long breached,
			    long long pending, long long unknown, struct results_rule *x);

/* 0 and the value, or -1 when the run has no such figure (or it is null). */
int results_figure_int(const struct results_run *run, enum results_figure f, long long *v);
int results_figure_real(const struct results_run *run, enum results_figure f, double *v);

/*
 * The one computation of a rate, the engine's (every stored rate) and the
 * readers' (a share the engine does not store: a site's rate in a per-site
 * table, a fee item's collection rate): num / den, 1 and *rate, or 0 when
 * den is 0 (no rate: NULL stored, "—" printed). *met: whether it reaches
 * target (a target of 0.95 is met by 95 of 100); met may be NULL.
 */
int results_rate(long long num, long long den, double target, double *rate, int *met);

/*
 * A run's per-site figures first .. first + n - 1 (n at most
 * RESULTS_SITE_FIGS_MAX), one row per site that has any of them, by site
 * (byte order). has[i]: figure first + i is stored for the site and not
 * null (a satisfaction rate of no rated callbacks is null: 无数据).
 */
#define RESULTS_SITE_FIGS_MAX 10
struct results_site_figs {
	char *site;
	int has[RESULTS_SITE_FIGS_MAX];
	long long ivalue[RESULTS_SITE_FIGS_MAX];
	double rvalue[RESULTS_SITE_FIGS_MAX];
};

int results_site_figures(const struct results_run *run, enum results_figure first, int n,
			 struct results_site_figs **out, int *count, pm_error *err);
void results_site_figures_free(struct results_site_figs *rows, int count);

/* ---- per site (check_site_results) ---- */

struct results_site {
	const char *rule_id, *site;
	long long met, breached, pending, unknown;
};

struct results_sites {
	sqlite3_stmt *st;
	int rc;                       /* the last step's */
	struct results_site row;
};

/* One rule's sites by name, or with rule_id NULL every rule's, by site. */
int results_sites_begin(const struct results_run *run, const char *rule_id,
			struct results_sites *it, pm_error *err);
int results_sites_next(struct results_sites *it);     /* 1: it->row; 0: done */
int results_sites_end(struct results_sites *it, pm_error *err);

/* ---- records (check_records) ---- */

enum results_records_kind {
	RECORDS_LATE,        /* breached then pending, each by start, record id */
	RECORDS_FINDINGS,    /* status finding, by site, start, record id */
	RECORDS_DUE_NOW,     /* pending, by deadline, record id (letters due now) */
	RECORDS_BREACHES,    /* breached, pending and unknown together, by start, record
				id (the breaches CSV's rows and order within a rule) */
};

/* Absent texts are "", except end: NULL when the record has no end (not done). */
struct results_record {
	const char *record_id, *site, *start, *deadline, *end, *status, *detail;
	/* a ticket's room and technician, a complaint's room and department ("" else) */
	const char *room, *responsible;
	/* the record's kind (ticket, complaint, callback, account); a ticket's category, a complaint's level */
	const char *record_kind, *category;
	int has_late, has_amount;
	long long late_seconds, amount_cents;
};

struct results_records {
	sqlite3_stmt *st;
	int rc;
	struct results_record row;
	long long total;              /* all the records of the kind, beyond limit */
};

int results_records_begin(const struct results_run *run, const char *rule_id,
			  enum results_records_kind kind, int limit, struct results_records *it,
			  pm_error *err);
int results_records_next(struct results_records *it);  /* 1: it->row; 0: done */
int results_records_end(struct results_records *it, pm_error *err);

/*
 * The rules with finding records (status finding) and how many, by rule
 * id: each (rule_id, count) to fn. The fee aging rows (F-AGING) are not
 * findings to list and are left out.
 */
int results_finding_counts(const struct results_run *run,
			   int (*fn)(void *ctx, const char *rule_id, long long n), void *ctx,
			   pm_error *err);

/*
 * A finding's detail (check_records.detail, stored in English by the
 * engine: "completed_at before reported_at", "ticket T1: problem found, no
 * later callback") in Chinese, through the table of the engine's phrases
 * in rules/results/details_zh.c; ids, rooms and what the table does not
 * know stay as stored.
 */
void results_detail_zh(const char *detail, char *out, size_t size);

/* ---- weeks (check_weeks) ---- */

struct results_week {
	const char *week;
	long long numerator, denominator;
	int has_rate, met;
	double rate;
};

struct results_weeks {
	sqlite3_stmt *st;
	int rc;
	struct results_week row;
};

int results_weeks_begin(const struct results_run *run, const char *rule_id,
			struct results_weeks *it, pm_error *err);
int results_weeks_next(struct results_weeks *it);      /* 1: it->row; 0: done */
int results_weeks_end(struct results_weeks *it, pm_error *err);

/* ---- fees by fee item ---- */

/*
 * A run's fee figures of one fee item (物业管理费, 停车费, ...): due and paid
 * for the window's charges of that item, as fees.due_cents and
 * fees.paid_cents are for all of them (stored as the figures
 * fee_item.<item>.due_cents and .paid_cents; issue 14: a total named
 * after one fee item must be that item's). In item order.
 */
struct results_fee_item {
	const char *item;
	long long due_cents, paid_cents;
};

struct results_fee_items {
	sqlite3_stmt *st;
	int rc;
	struct results_fee_item row;
};

int results_fee_items_begin(const struct results_run *run, struct results_fee_items *it,
			    pm_error *err);
int results_fee_items_next(struct results_fee_items *it);  /* 1: it->row; 0: done */
int results_fee_items_end(struct results_fee_items *it, pm_error *err);

/* ---- arrears aging by site (the F-AGING records) ---- */

struct results_aging_site {
	char site[128];
	long long cents[RESULTS_AGING_BUCKETS];
};

/* The sites with arrears, by name (*out malloc'ed, *n of them). */
int results_aging_by_site(const struct results_run *run, struct results_aging_site **out, int *n,
			  pm_error *err);

/*
 * The same by account ("site/room/fee item", the F-AGING records' id), by
 * site and account, streamed: a run may have as many accounts as rooms.
 */
struct results_aging_account {
	const char *site, *account;
	long long cents[RESULTS_AGING_BUCKETS];
};

struct results_aging_accounts {
	sqlite3_stmt *st;
	int rc;
	struct results_aging_account row;
};

int results_aging_accounts_begin(const struct results_run *run, struct results_aging_accounts *it,
				 pm_error *err);
int results_aging_accounts_next(struct results_aging_accounts *it);  /* 1: it->row; 0: done */
int results_aging_accounts_end(struct results_aging_accounts *it, pm_error *err);

/* ---- the breaches CSV (breaches_csv.c) ---- */

/*
 * The one writer of a run's breached and pending records as CSV, used by
 * `pmaudit check --csv` and by the monthly report's FILE-breaches.csv, so
 * both files of one run are the same bytes. UTF-8 with a BOM (Excel reads it
 * as UTF-8), CRLF line ends, RFC 4180 quoting. Columns, in the report's
 * language (english 0: the Chinese header, rule titles and words):
 *   rule_id, rule_title, record_id, site, start, deadline, end, status,
 *   how_late, late_seconds, room, responsible
 *   规则编号, 规则名称, 记录编号, 项目, 开始时间, 期限, 完成时间, 状态,
 *   超时, 超时秒数, 房号, 责任人
 * (room and responsible: a ticket's room and technician, a complaint's room
 * and department; empty for other records)
 * ordered by rule id, start, record id. status is breached/pending (超时/
 * 待定); how_late is "1d 3h" (1天3小时); how_late and late_seconds are
 * empty for a record that is not late (pending, or a coverage breach).
 */

struct breach_row {
	const char *rule_id, *record_id, *site, *start, *deadline, *end, *status;
	const char *rule_title;    /* in the CSV's language; NULL: none stored */
	const char *room, *responsible;   /* "" when the record has none */
	int has_late;              /* late_seconds is given */
	long long late_seconds;
};

/*
 * Called for each row written (the report keeps the first rows for its
 * appendix, so the records are read once); a non-zero return stops the
 * writer, which then fails with err as the callback left it.
 */
typedef int (*breach_row_fn)(void *ctx, const struct breach_row *row, pm_error *err);

int results_write_breaches(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out,
			   breach_row_fn each, void *ctx, pm_error *err);

/*
 * How late, as a reader says it: "1d 3h", "3h 5m", "12m" (1天3小时, 3小时5分,
 * 12分钟); under a minute is "under 1m" (不足1分钟). The reports print
 * lateness with it too.
 */
void results_format_late(long long seconds, int english, char *buf, size_t size);

/* ---- exports of a stored run (results_export.c) ---- */

/* Writes the run's JSON summary (check_runs.summary_json). */
int check_write_json(sqlite3 *db, sqlite3_int64 run_id, FILE *out, pm_error *err);

/*
 * Writes every breached and pending record of the run as CSV, in English
 * (english 1) or Chinese: the one writer above (results_write_breaches()), whose
 * comment lists the columns.
 */
int check_write_csv(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out, pm_error *err);

/* ---- roles: which rule is which (roles.c) ---- */

/*
 * Which part a rule plays in the reports, decided from what the rule says
 * in the rules file (its kind, subject, end event, filters), never from its
 * id: a user who renames T-CB-SAFETY to SAFETY-CALLBACK still finds it under
 * "repair callbacks on time". The ids the engine itself gives findings
 * (Q-ORDER, ...) are constants of the engine and listed here once.
 */

enum rule_role {
	ROLE_OTHER,
	ROLE_REPAIR_CALLBACK,     /* deadline on tickets, ended by a callback */
	ROLE_REPAIR_DEADLINE,     /* any other deadline on tickets (arrival) */
	ROLE_COMPLAINT_DEADLINE,  /* deadline on complaints */
};

/* The role of the rule with this id in rs; ROLE_OTHER if rs has none. */
enum rule_role rule_role(const struct ruleset *rs, const char *rule_id);

/* ---- the site ranking per rule group (ranking.c) ---- */

/*
 * The sites ranked per group of rules (docs/reports.md "Site ranking"):
 * rate = the group's rules' met / (met + breached) summed over the site's
 * stored results (a coverage rule's met: called back); equal rates share a
 * rank, ordered by records judged, then by name. The groups come from the
 * rules' kinds and roles, never their ids. One computation for the PDF, the
 * workbook and check's table.
 */
enum rank_group {
	RANK_REPAIR_CALLBACK, RANK_REPAIR_DEADLINE, RANK_COMPLAINT, RANK_COVERAGE, RANK_LETTER,
	RANK_OTHER,               /* deadlines of no role: a custom rules file's */
	RANK_GROUPS
};

struct rank_row {
	const char *site;         /* lives as long as the ranking */
	long long met, breached, pending, unknown;
	int rank;                 /* 1 = best */
};

struct ranking {
	struct rank_row *rows[RANK_GROUPS];   /* the sites judged, best first */
	int n[RANK_GROUPS];
	char **sites;
	int nsites, cap;
};

int results_ranking(const struct results_run *run, const struct ruleset *rs, struct ranking *out,
		    pm_error *err);
void results_ranking_free(struct ranking *k);
const char *ranking_group_title(enum rank_group g, int english);
/* A row's rate (1), or 0 when nothing was judged. */
int ranking_rate(const struct rank_row *x, double *rate);
/*
 * Whether a printed ranking shows row i of n: all up to RANK_SHOWN, else
 * the best and the worst RANK_SHOWN / 2 (the workbook lists every row).
 */
#define RANK_SHOWN 10
int ranking_shown(int n, int i);

/* The single rules a report names: the trend's columns, the annual summary. */
enum key_rule {
	KEY_REPAIR_COVERAGE,      /* coverage of all tickets by any callback */
	KEY_COMPLAINT_COVERAGE,   /* coverage of complaints by any callback */
	KEY_URGENT_ARRIVAL,       /* deadline on tickets ended by arrived_at */
	KEY_LETTER,               /* the fee reminder letter rule */
	KEY_SUPERVISOR_CALLBACK,  /* tickets called back by given roles (the supervisor's) */
	KEY_COUNT
};

/*
 * The id of the first enabled rule of rs playing that part, or "" when
 * none does (a report then prints "—" or leaves the part out).
 */
const char *key_rule_id(const struct ruleset *rs, enum key_rule k);

/* The same rule itself, or NULL when none plays that part. */
const struct rule *key_rule_of(const struct ruleset *rs, enum key_rule k);

/*
 * A finding of the engine (status finding) that is a fault in the data
 * (impossible order, orphan callback, missing start) rather than something
 * for the quality department to follow up (a problem callback not closed,
 * a repeat rule's groups).
 */
int finding_is_data_fault(const char *rule_id);

/* The engine's own finding ids with their titles; NULL when not one. */
const char *finding_title(const char *rule_id, int english);

#endif
