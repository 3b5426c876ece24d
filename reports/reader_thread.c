/*
 * A read-only thread of a report (reports/reader_thread.h).
 */
#include <string.h>
#include "db/db.h"
#include "reports/reader_thread.h"
#include "util/outfile.h"

void reader_thread_start(struct reader_thread *t, sqlite3 *db, int one_thread,
			 void *(*fn)(void *), void *arg)
{
	const char *path = sqlite3_db_filename(db, "main");
	pm_error ignored;

	memset(t, 0, sizeof(*t));
	if (one_thread || !path || !*path || db_open_readonly(path, &t->db, &ignored) < 0) {
		sqlite3_close(t->db);
		t->db = NULL;
		return;
	}
	/* the main thread's COMMIT comes after these reads; wait for its lock long */
	sqlite3_busy_timeout(t->db, 60000);
	/* signals stay with the thread that writes outputs (util/outfile.h) */
	if (outfile_thread_create(&t->thread, fn, arg) != 0) {
		sqlite3_close(t->db);
		t->db = NULL;
		return;
	}
	t->started = 1;
}

void reader_thread_join(struct reader_thread *t)
{
	if (!t->started)
		return;
	pthread_join(t->thread, NULL);
	sqlite3_close(t->db);
	t->db = NULL;
	t->started = 0;
}
