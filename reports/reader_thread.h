#ifndef PM_READER_THREAD_H
#define PM_READER_THREAD_H

#include <pthread.h>
#include <sqlite3.h>

/*
 * A report's read-only work on a thread of its own, on a read-only
 * connection of its own to the report's database file (the trend of the
 * month-end audit, the inspection's sample). The caller holds the write
 * lock of its own connection (BEGIN IMMEDIATE) from before
 * reader_thread_start() to after reader_thread_join(): the thread then
 * reads what the caller's transaction started from, and the caller's
 * COMMIT, which waits for every reader of the file, comes after it.
 */
struct reader_thread {
	int started;                    /* 0: no thread, no connection; the caller does the work */
	pthread_t thread;
	sqlite3 *db;                    /* the thread's connection, for fn */
};

/*
 * Opens the connection to db's file and starts fn(arg) on a thread (with
 * the cleanup signals blocked, util/outfile.h). Nothing is started for
 * one_thread, a database without a file, or when either fails.
 */
void reader_thread_start(struct reader_thread *t, sqlite3 *db, int one_thread,
			 void *(*fn)(void *), void *arg);
/* Waits for the thread, if started, and closes its connection. */
void reader_thread_join(struct reader_thread *t);

#endif
