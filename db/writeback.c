/*
 * Writing a database file's changed pages to disk while a long transaction
 * goes on (db/db.h, db_writeback_start()).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "db/db.h"

/* how often the thread asks the kernel to start writing */
#define WRITEBACK_MS 250

struct db_writeback {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
};

static void deadline_in(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_REALTIME, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/*
 * Every WRITEBACK_MS: start writing whatever pages of the file are dirty
 * in the kernel's cache (SYNC_FILE_RANGE_WRITE waits for nothing but the
 * device's queue), as the kernel's own background writeback would, only
 * sooner: the fsync of the COMMIT then finds little left to write.
 */
static void *writeback_thread(void *arg)
{
	struct db_writeback *wb = arg;
	struct timespec until;

	pthread_mutex_lock(&wb->lock);
	while (!wb->stop) {
		deadline_in(&until, WRITEBACK_MS);
		while (!wb->stop && pthread_cond_timedwait(&wb->wake, &wb->lock, &until) != ETIMEDOUT)
			;
		if (wb->stop)
			break;
		pthread_mutex_unlock(&wb->lock);
		sync_file_range(wb->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		pthread_mutex_lock(&wb->lock);
	}
	pthread_mutex_unlock(&wb->lock);
	return NULL;
}

struct db_writeback *db_writeback_start(sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	struct db_writeback *wb;

	if (!path || !path[0] || !(wb = calloc(1, sizeof(*wb))))
		return NULL;
	wb->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (wb->fd < 0) {
		free(wb);
		return NULL;
	}
	pthread_mutex_init(&wb->lock, NULL);
	pthread_cond_init(&wb->wake, NULL);
	if (pthread_create(&wb->thread, NULL, writeback_thread, wb)) {
		wb->stop = 1;
		db_writeback_stop(wb);
		return NULL;
	}
	return wb;
}

void db_writeback_stop(struct db_writeback *wb)
{
	if (!wb)
		return;
	pthread_mutex_lock(&wb->lock);
	if (!wb->stop) {
		wb->stop = 1;
		pthread_cond_signal(&wb->wake);
		pthread_mutex_unlock(&wb->lock);
		pthread_join(wb->thread, NULL);
	} else {
		pthread_mutex_unlock(&wb->lock);
	}
	pthread_mutex_destroy(&wb->lock);
	pthread_cond_destroy(&wb->wake);
	close(wb->fd);
	free(wb);
}
