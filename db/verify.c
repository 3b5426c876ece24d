/*
 * Opening what imports stored, for check and report: the file must exist
 * (db_open_existing) and is verified before anything is read (issue 13).
 *
 * db_verify() walks every page instead of running PRAGMA quick_check,
 * which cost about 1 CPU second per 1.2 GB -- as much as the month's whole
 * check: it checks each page's cells for overlap and order (sorting their
 * extents) and type-checks every column of every row of the STRICT tables.
 * The walk costs a third of that (docs/performance.md, "The database's
 * verification", with what each of the two finds on damaged copies).
 *
 * The walk visits every page of every b-tree, following child and overflow
 * pointers, and decodes each page's header, cell pointer array, freeblock
 * chain and cells' payload sizes (db/verify_pages.c, read from the file in
 * its order; it was SQLite's dbstat table, which makes the same checks at
 * several times the cost); a page that does not make sense, or a pointer past the last
 * page, is damage. On top of it every page
 * of the file must be accounted for exactly once: a b-tree page, an
 * overflow page, a free page (the free list walked here from the file's
 * header) or the page of SQLite's lock bytes. A pointer that damage bent
 * to another page shows up as a page seen twice and one never seen.
 *
 * What quick_check saw that this does not: cells that overlap inside a
 * well-formed page (a flipped bit in a cell pointer), keys out of order, a
 * value of the wrong type in a STRICT column; a malformed record SQLite
 * itself reports as SQLITE_CORRUPT when a run reads it. What neither sees:
 * a changed byte inside a stored value.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "db/db.h"
#include "db/verify_pages.h"
#include "util/outfile.h"

/* The one message for a damaged file, whoever found the damage: the page
 * walk, SQLite's own error, or quick_check. */
static int damaged_because(const char *path, const char *finding, pm_error *err)
{
	return pm_fail(err, "%s: the database is damaged (%s); restore it from a backup, "
		       "or import the logs into a new database", path, finding);
}

/* The finding and the page it is on, in the message quick_check's findings had. */
static int damaged(const char *path, const char *what, sqlite3_int64 page, pm_error *err)
{
	char finding[160];

	snprintf(finding, sizeof(finding), "%s, page %lld", what, (long long)page);
	return damaged_because(path, finding, err);
}

static int sql_failed(sqlite3 *db, const char *path, pm_error *err)
{
	int code = sqlite3_errcode(db) & 0xff;

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return damaged_because(path, sqlite3_errmsg(db), err);
	return db_error(db, err);
}

static int pragma_int(sqlite3 *db, const char *sql, sqlite3_int64 *value)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int wal_mode(sqlite3 *db)
{
	sqlite3_stmt *stmt;
	int wal = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		wal = !strcmp((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	return wal;
}

/* The root page of every b-tree: the schema's own (page 1), then every table's and index's. */
static int roots(sqlite3 *db, const char *path, uint32_t **out, int *n, pm_error *err)
{
	sqlite3_stmt *stmt;
	uint32_t *list = malloc(sizeof(*list) * 16);
	int cap = 16, rc;

	*n = 0;
	*out = NULL;
	if (!list)
		return pm_fail(err, "%s: out of memory", path);
	list[(*n)++] = 1;
	if (sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE rootpage > 0", -1,
			       &stmt, NULL) != SQLITE_OK) {
		free(list);
		return sql_failed(db, path, err);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 root = sqlite3_column_int64(stmt, 0);

		if (*n == cap) {
			uint32_t *more = realloc(list, sizeof(*list) * (size_t)(cap *= 2));

			if (!more)
				break;
			list = more;
		}
		/* a root past any page number is out of range: 0 is never a page */
		list[(*n)++] = root > 0 && root <= 0xffffffff ? (uint32_t)root : 0;
	}
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_ROW)
			pm_fail(err, "%s: out of memory", path);
		else
			sql_failed(db, path, err);
		sqlite3_finalize(stmt);
		free(list);
		return -1;
	}
	sqlite3_finalize(stmt);
	*out = list;
	return 0;
}

/*
 * Every b-tree and overflow page, read from the file in its order
 * (db/verify_pages.c): none makes no sense, none is reached twice. The
 * read transaction the caller holds keeps the file as it is.
 */
static int walk_btrees(sqlite3 *db, int fd, const char *path, struct page_map *map,
		       int page_size, pm_error *err)
{
	struct page_file f;
	struct stat st;
	sqlite3_int64 length = map->count * page_size;
	unsigned char head[100];
	uint32_t *root = NULL, bad = 0;
	int nroots, rc = 0;

	/* a file cut short would come short where its pages should be */
	if (fstat(fd, &st) < 0 || (sqlite3_int64)st.st_size < length)
		return damaged(path, "the file is shorter than its pages", map->count, err);
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head))
		return damaged(path, "the header cannot be read", 1, err);
	if (roots(db, path, &root, &nroots, err))
		return -1;
	memset(&f, 0, sizeof(f));
	f.fd = fd;
	f.page_size = page_size;
	f.usable = page_size - head[20];
	if (!(f.buf = malloc((size_t)VERIFY_RUN * (size_t)page_size))) {
		free(root);
		return pm_fail(err, "%s: out of memory", path);
	}
	if (f.usable < 480)
		rc = damaged(path, "the header makes no sense", 1, err);
	if (rc == 0) {
		switch (verify_btrees(&f, map, root, nroots, &bad)) {
		case 0:
			break;
		case VERIFY_CORRUPT:
			rc = damaged(path, "a b-tree page makes no sense", bad, err);
			break;
		case VERIFY_TWICE:
			rc = damaged(path, "a page is reached twice or lies past the end", bad, err);
			break;
		case VERIFY_READ:
			rc = errno ? pm_fail(err, "%s: cannot read: %s", path, strerror(errno)) :
				damaged(path, "the file is shorter than its pages", bad, err);
			break;
		default:
			rc = pm_fail(err, "%s: out of memory", path);
		}
	}
	free(f.buf);
	free(root);
	return rc;
}

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/*
 * The free list, read from the file (SQLite has no table of it): a chain of
 * trunk pages from header offset 32, each naming the next trunk and up to
 * page_size/4 - 2 free leaf pages; freelist_count (offset 36) pages in all.
 */
static int walk_freelist(int fd, const char *path, struct page_map *map, int page_size,
			 pm_error *err)
{
	unsigned char head[40], *trunk = malloc((size_t)page_size);
	sqlite3_int64 page, total = 0, expected;
	int rc = 0;

	if (!trunk)
		return pm_fail(err, "%s: out of memory", path);
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head)) {
		free(trunk);
		return damaged(path, "the header cannot be read", 1, err);
	}
	page = be32(head + 32);
	expected = be32(head + 36);
	while (page && rc == 0) {
		unsigned leaves, i;

		if (page_mark(map, page) ||
		    pread(fd, trunk, (size_t)page_size, (off_t)(page - 1) * page_size) != page_size) {
			rc = damaged(path, "the free list names a page in use or past the end", page, err);
			break;
		}
		leaves = be32(trunk + 4);
		if (leaves > (unsigned)page_size / 4 - 2) {
			rc = damaged(path, "a free-list page makes no sense", page, err);
			break;
		}
		for (i = 0; i < leaves && rc == 0; i++)
			if (page_mark(map, be32(trunk + 8 + 4 * i)))
				rc = damaged(path, "the free list names a page in use or past the end",
					     map->page, err);
		total += 1 + leaves;
		if (total > expected && rc == 0)
			rc = damaged(path, "the free list is longer than its count", page, err);
		page = be32(trunk);
	}
	free(trunk);
	if (rc == 0 && total != expected)
		rc = damaged(path, "the free list is shorter than its count", 1, err);
	return rc;
}

/* Every page seen once; the lock-byte page (at 1 GiB) is never used by SQLite. */
static int all_accounted(const char *path, struct page_map *map, int page_size, pm_error *err)
{
	sqlite3_int64 lock_page = 1073741824 / page_size + 1, p;

	if (lock_page <= map->count && page_mark(map, lock_page))
		return damaged(path, "the lock-byte page is in use", lock_page, err);
	for (p = 1; p <= map->count; p++)
		if (!(map->seen[(p - 1) >> 3] & (1u << ((p - 1) & 7))))
			return damaged(path, "a page belongs to nothing", p, err);
	return 0;
}

/* The walk inside one read transaction, so that the pages and the free list are one state. */
static int walk(sqlite3 *db, const char *path, pm_error *err)
{
	struct page_map map = { 0, NULL, 0 };
	sqlite3_int64 page_size, vacuum;
	int fd, rc;

	if (pragma_int(db, "PRAGMA page_count", &map.count) ||
	    pragma_int(db, "PRAGMA page_size", &page_size) ||
	    pragma_int(db, "PRAGMA auto_vacuum", &vacuum))
		return sql_failed(db, path, err);
	/*
	 * Pointer-map pages (auto-vacuum), or pages newer than the file in a
	 * write-ahead log, whose header the free list is read from: not a file
	 * pmaudit makes; SQLite's own check knows them.
	 */
	if (vacuum || wal_mode(db))
		return 1;
	map.seen = calloc((size_t)(map.count / 8 + 1), 1);
	if (!map.seen)
		return pm_fail(err, "%s: out of memory", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(map.seen);
		return pm_fail(err, "%s: cannot read: %s", path, strerror(errno));
	}
	rc = walk_btrees(db, fd, path, &map, (int)page_size, err);
	if (rc == 0)
		rc = walk_freelist(fd, path, &map, (int)page_size, err);
	if (rc == 0)
		rc = all_accounted(path, &map, (int)page_size, err);
	close(fd);
	free(map.seen);
	return rc;
}

/* The check SQLite offers, for a file this walk does not know how to read. */
static int quick_check(sqlite3 *db, const char *path, pm_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, NULL) != SQLITE_OK)
		return sql_failed(db, path, err);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(stmt, 0), "ok")) {
		const char *what = (const char *)sqlite3_column_text(stmt, 0);
		const char *line = strchr(what, '\n');

		/* "*** in database main ***" heads the finding: the file is named already */
		if (!strncmp(what, "*** ", 4) && line)
			what = line + 1;
		damaged_because(path, what, err);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : sql_failed(db, path, err);
}

int db_verify(sqlite3 *db, const char *path, pm_error *err)
{
	int rc;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sql_failed(db, path, err);
	} else {
		rc = walk(db, path, err);
		if (rc > 0)
			rc = quick_check(db, path, err);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	return rc;
}

/*
 * The verification beside the work (db.h): on its own read-only connection,
 * which maps the file as every read-only connection does.
 */
struct db_verify_job {
	pthread_t thread;
	int started;
	atomic_int claimed;             /* a thread has taken the walk on (claim()) */
	int done;                       /* the walk has run (or could not open the file) */
	sqlite3 *db;
	char *path;
	int rc;
	pm_error err;
};

/* The walk, once, on the calling thread. */
static void verify_run(struct db_verify_job *job)
{
	if (job->done)
		return;
	job->rc = db_verify(job->db, job->path, &job->err);
	job->done = 1;
}

static void *verify_thread(void *arg)
{
	verify_run(arg);
	return NULL;
}

/* 1 for the one caller that gets the walk to run (or to start), 0 for every other. */
static int claim(struct db_verify_job *job)
{
	return atomic_exchange(&job->claimed, 1) == 0;
}

void db_verify_spawn(struct db_verify_job *job)
{
	if (!job || job->done || !claim(job))
		return;
	/* signals stay with the thread that writes outputs (util/outfile.h) */
	if (outfile_thread_create(&job->thread, verify_thread, job) == 0)
		job->started = 1;
	else
		verify_run(job);        /* no thread: here and now */
}

int db_verify_help(struct db_verify_job *job)
{
	if (!job || job->done || !claim(job))
		return 0;
	verify_run(job);
	return 1;
}

struct db_verify_job *db_verify_open(const char *path)
{
	struct db_verify_job *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	job->path = strdup(path);
	if (!job->path) {
		free(job);
		return NULL;
	}
	if (db_open_readonly(path, &job->db, &job->err) < 0) {
		job->rc = -1;
		job->done = 1;
	}
	return job;
}

struct db_verify_job *db_verify_start(const char *path)
{
	struct db_verify_job *job = db_verify_open(path);

	db_verify_spawn(job);
	return job;
}

int db_verify_finish(struct db_verify_job *job, pm_error *err)
{
	int rc;

	if (!job)
		return pm_fail(err, "out of memory");
	if (job->started)
		pthread_join(job->thread, NULL);
	if (claim(job))                 /* opened, and no one took it on: here and now */
		verify_run(job);
	sqlite3_close(job->db);
	rc = job->rc ? pm_fail(err, "%s", job->err.msg) : 0;
	free(job->path);
	free(job);
	return rc;
}

/* The file must be there and hold something; a missing one is not created. */
static int existing_file(const char *path, pm_error *err)
{
	struct stat st;

	if (db_is_memory(path) || stat(path, &st) < 0)
		return pm_fail(err, "%s: no such database (run `pmaudit import` first)", path);
	if (!S_ISREG(st.st_mode))
		return pm_fail(err, "%s: not a database file", path);
	if (st.st_size == 0)
		return pm_fail(err, "%s: empty database file, nothing imported yet "
			       "(run `pmaudit import` first)", path);
	return 0;
}

/*
 * A file just copied (from a backup; the benchmark copies one before each
 * run) may still have most of its pages waiting in the OS to be written:
 * the run's COMMIT, whose fsync waits for every dirty page of the file,
 * then waited for the copy's too (0.6 s of a 0.7 s COMMIT after copying
 * the 1.2 GB benchmark database). Asking the kernel to start writing them
 * now lets that happen while the file is verified and checked. Only a
 * start: nothing waits here, and a failure changes nothing.
 */
static void start_writeback(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	close(fd);
}

int db_open_unverified(const char *path, int busy_ms, sqlite3 **out, pm_error *err)
{
	*out = NULL;
	if (existing_file(path, err) || db_open(path, busy_ms, out, err))
		return -1;
	start_writeback(path);
	return 0;
}

int db_open_existing(const char *path, int busy_ms, sqlite3 **out, pm_error *err)
{
	if (db_open_unverified(path, busy_ms, out, err))
		return -1;
	if (db_verify(*out, path, err)) {
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
