#ifndef PM_SAMPLE_H
#define PM_SAMPLE_H

#include <pthread.h>
#include <sqlite3.h>
#include "reports/reader_thread.h"
#include "util/error.h"
#include "util/strtab.h"

struct rule_list;

/*
 * The inspection sample (reports/sample.c): the quarter's repair tickets,
 * stratified by site, each site's ceil(fraction x n) tickets with the
 * lowest keys hash(seed, ticket_id) (sample_key(), reports/report.h), with
 * what the checklist prints of them.
 */

/*
 * One ticket of the sample, with its latest callback by the as-of time;
 * NULL where the log has nothing.
 */
struct sampled {
	char *id, *site, *room, *category, *reported, *completed, *technician;
	char *cb_at, *cb_staff, *cb_role, *cb_result;
	int problem;
	/*
	 * Called back by a supervisor: 1 yes, 0 no, -1 无法判定 (a callback
	 * from files without a role column: it may have been the supervisor's).
	 */
	int supervisor;
	unsigned long long key;
	sqlite3_int64 rowid;            /* the ticket's row, for the second read */
};

/* A site's tickets in the quarter, sampled or not. */
struct site_total {
	char *site;
	int tickets;
};

struct sample {
	struct sampled *rows;           /* by site, then reported_at, then id */
	int n, cap;
	struct site_total *sites;       /* in site order */
	int nsites;
	int total;                      /* the quarter's tickets (of the site) */
	/*
	 * The rows' strings, in a few large blocks: 50,000 rows of eleven
	 * strings were 550,000 mallocs to draw and as many frees at the end,
	 * on the layout's thread, leaving its heap in crumbs.
	 */
	struct strtab strings;
};

struct sample_params {
	const char *from, *to;          /* the quarter: reported_at in [from, to) */
	const char *as_of;              /* callbacks up to this time */
	const char *site;               /* NULL: all sites */
	double fraction;
	unsigned long long seed;
	/*
	 * The roles whose callback is the supervisor's: those of the rule
	 * playing KEY_SUPERVISOR_CALLBACK (T-PAID-SUPERVISOR's callback_roles,
	 * matched as the engine matches them: the role holds one of them);
	 * NULL: no rule names them, and no callback is the supervisor's.
	 */
	const struct rule_list *supervisor_roles;
};

/* Draws the sample on db and reads what the checklist prints of it. */
int sample_draw(sqlite3 *db, const struct sample_params *p, struct sample *s, pm_error *err);
void sample_free(struct sample *s);

/*
 * The sample on a second thread, while the main thread makes the check
 * run: sample_start() opens a read-only connection to db's file and starts
 * the thread (or does nothing: a database without a file, one_thread, a
 * thread that cannot start); sample_finish() waits for it, or draws the
 * sample on db itself. The caller holds the write lock (BEGIN IMMEDIATE)
 * from before sample_start() to after sample_finish(), so the sample is
 * of the data the run judged; its COMMIT waits for the thread's reads.
 * p and what it points to stay unchanged until sample_finish().
 */
struct sample_job {
	const struct sample_params *params;
	struct reader_thread reader;    /* the thread and its read-only connection */
	int rc;
	pm_error err;
	struct sample s;
};

void sample_start(struct sample_job *job, sqlite3 *db, const struct sample_params *p,
		  int one_thread);
int sample_finish(struct sample_job *job, sqlite3 *db, struct sample *out, pm_error *err);
/* Waits for the thread and drops its sample (the run failed). */
void sample_abandon(struct sample_job *job);

/* 是 / 否 / 无法判定 (yes / no / unknown): the checklist's 主管已回访. */
const char *sampled_supervisor(const struct sampled *x, int english);

#endif
