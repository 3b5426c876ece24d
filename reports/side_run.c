/*
 * A report's second thread: an earlier period's figures-only run as a
 * scratch run, then the caller's read-only work (reports/side_run.h).
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "reports/side_run.h"
#include "rules/engine/check.h"

static void *side_thread(void *arg)
{
	struct side_run *s = arg;
	const struct report_opts *o = s->r->opts;
	struct check_params p = {
		.from = s->from, .to = s->to, .site = o->site,
		.rules = o->rules, .calendar = o->calendar,
		.figures_only = 1, .one_thread = 1,
		.backlog_pair = s->r->backlog_pair,
	};
	int rc = s->from[0] ? check_run(s->run_db, &p, &s->scratch_run, &s->err) : 0;

	/* from here on run_db is the main thread's */
	pthread_mutex_lock(&s->lock);
	s->rc = rc;
	s->done = 1;
	pthread_cond_signal(&s->ready);
	pthread_mutex_unlock(&s->lock);
	if (rc == 0 && s->then)
		s->then(s, s->then_db);
	return NULL;
}

static void close_side(struct side_run *s)
{
	sqlite3_close(s->run_db);
	sqlite3_close(s->then_db);
	s->run_db = s->then_db = NULL;
}

void side_run_start(struct side_run *s)
{
	const char *path = sqlite3_db_filename(s->r->db, "main");
	pm_error ignored;

	s->started = 0;
	if (s->r->opts->one_thread || !path || !*path ||
	    db_open_readonly(path, &s->run_db, &ignored) < 0 ||
	    (s->then && db_open_readonly(path, &s->then_db, &ignored) < 0) ||
	    check_scratch_open(s->run_db, &ignored) < 0) {
		close_side(s);
		return;
	}
	/* the main thread's COMMIT comes after these reads; wait for its lock long */
	sqlite3_busy_timeout(s->run_db, 60000);
	if (s->then_db)
		sqlite3_busy_timeout(s->then_db, 60000);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->ready, NULL);
	/* signals stay with the thread that writes outputs (util/outfile.h) */
	if (outfile_thread_create(&s->thread, side_thread, s) != 0) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->ready);
		close_side(s);
		return;
	}
	s->started = 1;
}

int side_run_copy(struct side_run *s, sqlite3_int64 *run, pm_error *err)
{
	int rc;

	*run = 0;
	if (!s->started)
		return s->from[0] ? run_figures(s->r, s->from, s->to, NULL, s->r->opts->site, run,
						err) : 0;
	pthread_mutex_lock(&s->lock);
	while (!s->done)
		pthread_cond_wait(&s->ready, &s->lock);
	pthread_mutex_unlock(&s->lock);
	if (s->rc < 0)
		return pm_fail(err, "%s", s->err.msg);
	rc = s->from[0] ? check_run_copy(s->run_db, s->scratch_run, s->r->db, run, err) : 0;
	sqlite3_close(s->run_db);
	s->run_db = NULL;
	return rc;
}

void side_run_join(struct side_run *s)
{
	if (!s->started)
		return;
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->ready);
	close_side(s);
	s->started = 0;
}
