/*
 * The run's read-ahead threads (rules/engine/preload.h): each reads on its
 * own read-only connection with the run's scope, read-only, and writes only
 * its own output, which the engine takes once the thread is joined.
 */
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "rules/engine/preload.h"
#include "rules/findings/findings.h"
#include "util/outfile.h"

/* A read transaction on the thread's own connection around fn. */
static int in_snapshot(struct preload_job *j, int (*fn)(struct preload_job *, void *), void *arg)
{
	sqlite3 *db = j->in.db;
	int rc;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return pm_fail(&j->err, "database: %s", sqlite3_errmsg(db));
	rc = fn(j, arg);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/*
 * The threads' work: each takes the run's scope read-only with its own
 * connection (in) and writes only its own output.
 */
static int read_map(const struct run_reader *in, int roles, struct cb_map *map, pm_error *err)
{
	return cb_map_load(in->db, in->scope->from, in->scope->as_of, roles, map, err);
}

/*
 * The findings' records, then the window's callbacks judged against them
 * (the look-ups of records outside the window are this connection's, and
 * are finalized before it closes), then R-REPEAT's repeats among them.
 */
static int read_records(const struct run_reader *in, struct find_records **records,
			struct cb_pass **callbacks, pm_error *err)
{
	int rc;

	if (find_records_read(in, records, err))
		return -1;
	rc = findings_judge_callbacks(in, *records, callbacks, err);
	find_records_detach(*records);
	/*
	 * R-REPEAT's repeats found here too: after the passes the run's thread
	 * works alone (the year's last fifth), and finding them was half of
	 * its R-REPEAT; it stores them.
	 */
	if (rc == 0)
		findings_repeats_ahead(in->scope, *records);
	return rc;
}

static int map_job(struct preload_job *j, void *arg)
{
	struct preload *p = arg;

	return read_map(&j->in, p->want_roles, &p->map, &j->err);
}

static int records_job(struct preload_job *j, void *arg)
{
	struct preload *p = arg;

	return read_records(&j->in, &p->records, &p->callbacks, &j->err);
}

static int backlog_job(struct preload_job *j, void *arg)
{
	struct preload *p = arg;

	return findings_count_backlog(&j->in, &p->backlog, &j->err);
}

/* Sets *done and wakes the threads waiting for it. */
static void signal_done(struct preload *p, int *done)
{
	pthread_mutex_lock(&p->lock);
	*done = 1;
	pthread_cond_broadcast(&p->job_done);
	pthread_mutex_unlock(&p->lock);
}

/* Waits for the job before this one (j started) to set *done. */
static void wait_done(struct preload *p, const struct preload_job *j, const int *done)
{
	if (!j->started)
		return;
	pthread_mutex_lock(&p->lock);
	while (!*done)
		pthread_cond_wait(&p->job_done, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

static void *map_thread(void *arg)
{
	struct preload *p = arg;

	p->map_job.rc = in_snapshot(&p->map_job, map_job, p);
	signal_done(p, &p->map_done);
	return NULL;
}

/*
 * The records wait for the map: the run needs the map first (its passes
 * start with it) and the records only after them, and read at once the two
 * threads share a core with the run's own thread, which then waits longer
 * for its map (docs/performance.md, step 21).
 */
static void *records_thread(void *arg)
{
	struct preload *p = arg;

	wait_done(p, &p->map_job, &p->map_done);
	p->records_job.rc = in_snapshot(&p->records_job, records_job, p);
	signal_done(p, &p->records_done);
	return NULL;
}

/*
 * The backlog is counted once, by the first to claim it: its thread after
 * the records, or the run's thread while it waits for the map (below).
 */
static int claim_backlog(struct preload *p)
{
	int mine;

	pthread_mutex_lock(&p->lock);
	mine = p->backlog_job.started && !p->backlog_claimed;
	p->backlog_claimed = 1;
	pthread_mutex_unlock(&p->lock);
	return mine;
}

/* On the backlog job's own connection, whichever thread claimed it. */
static void count_backlog(struct preload *p)
{
	p->backlog_job.rc = in_snapshot(&p->backlog_job, backlog_job, p);
	signal_done(p, &p->backlog_done);
}

/*
 * The open backlog, a scan of the tickets and complaints the findings
 * store last, after the records: on the run's own thread it was a fifth of
 * the month's check (docs/performance.md, "The run's second core").
 */
static void *backlog_thread(void *arg)
{
	struct preload *p = arg;

	wait_done(p, &p->records_job, &p->records_done);
	if (claim_backlog(p))
		count_backlog(p);
	/*
	 * Then the file's verification, which the run waits for only before
	 * its COMMIT, on a thread of its own (the run joins this one for the
	 * backlog), if the run's thread has not walked it while waiting:
	 * started with the map, it took the second core from the map and the
	 * records the run waits for first, and the first core from the run's
	 * own thread (three threads on two cores).
	 */
	db_verify_spawn(p->verify);
	return NULL;
}

static void start_job(sqlite3 *run_db, const struct run_scope *scope, struct preload_job *j,
		      void *(*fn)(void *), struct preload *p)
{
	const char *path = sqlite3_db_filename(run_db, "main");
	sqlite3 *db = NULL;
	pm_error ignored;

	if (!path || !*path || db_open_readonly(path, &db, &ignored) < 0)
		return;
	sqlite3_busy_timeout(db, 30000);
	/*
	 * The sorts of a thread's grouped reads (the open backlog's GROUP BY
	 * site, bucket: some 70,000 open rows a month) in memory, as the run's
	 * own connection has them (run_pragmas()): in temp files they were a
	 * quarter of the backlog thread, in write() calls (docs/performance.md,
	 * "check --month, session 5").
	 */
	sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	/*
	 * All a thread gets of the run: its own connection and the run's
	 * scope as const (rules/run/run.h). Never the run's context, whose
	 * hand-offs the run's thread goes on writing; the engine moves the
	 * thread's output into them after joining it (preload_take_*()).
	 */
	j->in.db = db;
	j->in.scope = scope;
	/* signals stay with the thread that writes outputs (util/outfile.h) */
	if (outfile_thread_create(&j->thread, fn, p) != 0) {
		sqlite3_close(db);
		return;
	}
	j->started = 1;
}

void preload_start(sqlite3 *run_db, const struct run_scope *scope, struct db_verify_job *verify,
		   struct preload *p)
{
	memset(p, 0, sizeof(*p));
	p->verify = verify;
	if (pthread_mutex_init(&p->lock, NULL))
		return;
	if (pthread_cond_init(&p->job_done, NULL)) {
		pthread_mutex_destroy(&p->lock);
		return;
	}
	p->synced = 1;
	p->want_map = eval_map_needs(scope->rs, &p->want_roles);
	if (p->want_map)
		start_job(run_db, scope, &p->map_job, map_thread, p);
	/* every run reads them: volumes and Q-ORDER, besides R-REPEAT */
	start_job(run_db, scope, &p->records_job, records_thread, p);
	start_job(run_db, scope, &p->backlog_job, backlog_thread, p);
}

/* Waits for the job; 1 if it ran and succeeded, 0 if never started, -1 failed. */
static int finish_job(struct preload_job *j, pm_error *err)
{
	if (!j->started)
		return 0;
	pthread_join(j->thread, NULL);
	j->started = 0;
	sqlite3_close(j->in.db);
	j->in.db = NULL;
	if (j->rc) {
		pm_fail(err, "%s", j->err.msg);
		return -1;
	}
	return 1;
}

static int is_done(struct preload *p, const int *done)
{
	int ready;

	pthread_mutex_lock(&p->lock);
	ready = *done;
	pthread_mutex_unlock(&p->lock);
	return ready;
}

/*
 * The run's thread, about to wait for job j (not done yet): the second
 * core is the read-ahead's, busy with j, and this one would idle. So it
 * does what no one has taken on yet meanwhile: waiting for the map, the
 * open backlog, which needs neither the map nor the records -- on the
 * read-ahead's one line (map, records, backlog) it was what the shuffled
 * month's run waited for last (docs/performance.md, "check --month and
 * check --year, session 9") --, then the file's verification.
 */
static void help_while_waiting(struct preload *p, const struct preload_job *j, const int *done)
{
	if (!j->started || !p->synced)
		return;
	if (j == &p->map_job && !is_done(p, done) && claim_backlog(p))
		count_backlog(p);
	if (p->verify && !is_done(p, done))
		db_verify_help(p->verify);
}

int preload_take_map(struct preload *p, int roles, struct cb_map *out, pm_error *err)
{
	int rc;

	help_while_waiting(p, &p->map_job, &p->map_done);
	rc = finish_job(&p->map_job, err);

	if (rc <= 0)
		return rc;
	if (roles != p->want_roles) {
		cb_map_free(&p->map);
		return 0;
	}
	*out = p->map;
	memset(&p->map, 0, sizeof(p->map));
	return 1;
}

int preload_take_records(struct preload *p, struct find_records **records,
			 struct cb_pass **callbacks, pm_error *err)
{
	int rc;

	help_while_waiting(p, &p->records_job, &p->records_done);
	rc = finish_job(&p->records_job, err);

	if (rc <= 0)
		return rc;
	*records = p->records;
	p->records = NULL;
	*callbacks = p->callbacks;
	p->callbacks = NULL;
	return 1;
}

int preload_take_backlog(struct preload *p, struct find_backlog **out, pm_error *err)
{
	int rc;

	help_while_waiting(p, &p->backlog_job, &p->backlog_done);
	rc = finish_job(&p->backlog_job, err);

	if (rc <= 0)
		return rc;
	*out = p->backlog;
	p->backlog = NULL;
	return 1;
}

void preload_end(struct preload *p)
{
	pm_error ignored;

	finish_job(&p->map_job, &ignored);
	finish_job(&p->records_job, &ignored);
	finish_job(&p->backlog_job, &ignored);
	if (p->synced) {
		pthread_cond_destroy(&p->job_done);
		pthread_mutex_destroy(&p->lock);
		p->synced = 0;
	}
	cb_map_free(&p->map);
	if (p->records)
		find_records_free(p->records);
	p->records = NULL;
	findings_callbacks_free(p->callbacks);
	p->callbacks = NULL;
	findings_backlog_free(p->backlog);
	p->backlog = NULL;
}
