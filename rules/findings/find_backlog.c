/*
 * The open backlog (未办结): tickets and valid complaints received by the
 * as-of time and not completed / resolved by it, whatever period they
 * began in, counted by age at the as-of time and by site (docs/rules.md
 * "Open backlog"). A record whose files never had the completion field
 * (its fields mask lacks completed_at / resolved_at, schema v5) cannot be
 * told open from done: it is counted unknown, never open.
 *
 * One statement per log, reading the table in rowid order: the
 * open ones are those with no completion (NULL) or one after the as-of
 * time. NOT INDEXED because either index the planner would pick costs a
 * table look-up per candidate row, at random pages when the file's rows
 * came in no time order: through the start time (its choice) everything
 * begun by the as-of time, through the completion time everything done
 * after it. On the shuffled benchmark database that was 1.2-1.3 s for the
 * tickets of a late as-of time; the plain scan is 0.1 s at any as-of time
 * and in either order (docs/performance.md, "The open backlog"). But an
 * early as-of time (the annual report's previous year, as of this year's
 * first instant) has begun few of the log's records: those are read
 * through the start's index when find_scan_whole() finds them a small
 * share of the log lying together -- the same rows, fewer pages.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"
#include "rules/findings/findings.h"

/*
 * Per open record: its site, whether its files never had the completion
 * field (the bit of the completion column in its fields mask, the column's
 * cid; NULL mask: every field), and its age at the as-of time in days of
 * 24 hours (NULL if its start is no time). backlog_bucket() sorts it; the
 * counting by site is done in C (count_log()): grouped in SQL, the sort and
 * the CASE's three julianday() of each of some 66,000 open tickets were a
 * third of the tickets' statement (docs/performance.md, "check --month,
 * session 6").
 */
#define BACKLOG_SQL(table, how, start, done, valid) \
	"SELECT site, fields IS NOT NULL AND (fields >> (SELECT cid FROM pragma_table_info('" \
	table "') WHERE name = '" done "')) & 1 = 0," \
	" julianday(:asof) - julianday(" start ") FROM " table " " how \
	" WHERE (" done " IS NULL OR " done " > :asof) AND " start " <= :asof" valid \
	" AND (:site IS NULL OR site = :site)"

struct backlog_site {
	char *site;
	long long n[2][RESULTS_BACKLOG_FIGS];  /* tickets, complaints */
};

struct find_backlog {
	struct backlog_site *s;
	int n, cap;
	int sorted;                            /* s[0 .. sorted) in byte order */
	long long all[2][RESULTS_BACKLOG_FIGS];
};

static struct backlog_site *site_row(struct find_backlog *b, const char *site)
{
	int lo = 0, hi = b->sorted;

	/* a site's rows come together: the one sought is the last, or new */
	if (b->n && !strcmp(b->s[b->n - 1].site, site))
		return &b->s[b->n - 1];
	/* the first log's sites are in byte order (ORDER BY site): a binary search */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, cmp = strcmp(b->s[mid].site, site);

		if (!cmp)
			return &b->s[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (b->n == b->cap) {
		int cap = b->cap ? 2 * b->cap : 64;
		struct backlog_site *more = realloc(b->s, (size_t)cap * sizeof(*more));

		if (!more)
			return NULL;
		b->s = more;
		b->cap = cap;
	}
	memset(&b->s[b->n], 0, sizeof(b->s[0]));
	if (!(b->s[b->n].site = strdup(site)))
		return NULL;
	return &b->s[b->n++];
}

/*
 * Up to 2 days, 3-7 (over 2, up to 7), 8-30, over 30; 4 = unknown: the
 * comparisons SQL made of the same difference (a NULL one is none of them).
 * Column 2 is the age in days (BACKLOG_SQL), or with as_of_day the start's
 * julian day (BACKLOG_PAIR_SQL), the age being their difference.
 */
static int backlog_bucket(sqlite3_stmt *st, const double *as_of_day)
{
	double age;

	if (sqlite3_column_int(st, 1))
		return 4;
	if (sqlite3_column_type(st, 2) == SQLITE_NULL)
		return 3;
	age = sqlite3_column_double(st, 2);
	if (as_of_day)
		age = *as_of_day - age;
	return age <= 2 ? 0 : age <= 7 ? 1 : age <= 30 ? 2 : 3;
}

struct site_at {
	const char *site;
	int i;          /* its row in the log's struct site_counts */
};

static int by_site(const void *a, const void *b)
{
	return strcmp(((const struct site_at *)a)->site, ((const struct site_at *)b)->site);
}

/*
 * The log's sites into b in byte order, as ORDER BY site gave them: the
 * first log's sites stay sorted (site_row()'s binary search).
 */
static int add_sorted(struct find_backlog *b, int log, const struct site_counts *lc)
{
	int n = lc->sites.count, i, k;
	struct site_at *order = malloc(((size_t)n + 1) * sizeof(*order));

	if (!order)
		return -1;
	for (i = 0; i < n; i++) {
		order[i].site = lc->sites.strs[i];
		order[i].i = i;
	}
	qsort(order, (size_t)n, sizeof(*order), by_site);
	for (i = 0; i < n; i++) {
		struct backlog_site *x = site_row(b, order[i].site);

		if (!x) {
			free(order);
			return -1;
		}
		for (k = 0; k < RESULTS_BACKLOG_FIGS; k++) {
			long long count = lc->n[(size_t)order[i].i * RESULTS_BACKLOG_FIGS + k];

			x->n[log][k] += count;
			b->all[log][k] += count;
		}
	}
	free(order);
	return 0;
}

static int count_log(const struct run_reader *rd, struct find_backlog *b, int log,
		     const char *sql, pm_error *err)
{
	struct site_counts lc;
	sqlite3_stmt *st;
	long long *n = NULL;
	int rc, bad = 0;

	if (reader_prepare(rd, sql, &st, err))
		return -1;
	/* the rows in the statement's order, their sites sorted after */
	site_counts_init(&lc, RESULTS_BACKLOG_FIGS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((bad = !(n = site_counts_row(&lc, (const char *)sqlite3_column_text(st, 0)))))
			break;
		n[backlog_bucket(st, NULL)]++;
	}
	sqlite3_finalize(st);
	if (!bad && rc == SQLITE_DONE)
		bad = add_sorted(b, log, &lc);
	site_counts_free(&lc);
	if (bad)
		return pm_fail(err, "out of memory");
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(rd->db));
}

static int store(struct check_ctx *c, struct find_backlog *b, pm_error *err)
{
	static const enum results_figure first[2] = {
		FIG_BACKLOG_TICKETS_0_2, FIG_BACKLOG_COMPLAINTS_0_2
	};
	struct site_figures w;
	int i, log, k, rc = 0;

	for (log = 0; log < 2; log++)
		for (k = 0; k < RESULTS_BACKLOG_FIGS; k++)
			if (ctx_figure_int(c, first[log] + k, b->all[log][k], err))
				return -1;
	if (site_figures_open(c, &w, err))
		return -1;
	/* a site's zero counts are not stored: most of 100,000 sites have nothing open */
	for (i = 0; i < b->n && !rc; i++)
		for (log = 0; log < 2 && !rc; log++)
			for (k = 0; k < RESULTS_BACKLOG_FIGS && !rc; k++)
				if (b->s[i].n[log][k])
					rc = site_figure_int(&w, b->s[i].site, first[log] + k,
							     b->s[i].n[log][k], err);
	site_figures_close(&w);
	return rc;
}

void findings_backlog_free(struct find_backlog *b)
{
	int i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++)
		free(b->s[i].site);
	free(b->s);
	free(b);
}

/* The records begun by the as-of time: one table scan, or through the index of their start. */
static int count_begun(const struct run_reader *rd, struct find_backlog *b, int log,
		       const char *table, const char *start, const char *const sql[2],
		       pm_error *err)
{
	int whole;

	if (find_scan_whole(rd, table, start, "1970-01-01 00:00:00", rd->scope->as_of, &whole,
			    err))
		return -1;
	return count_log(rd, b, log, sql[whole], err);
}

/* ---- two as-of times from one read (a report's month and the month before) ---- */

/*
 * A row open at either as-of time (BACKLOG_SQL's condition at :a0 or at
 * :a1), with its start's julian day and whether it is open at each
 * (NULL: not). Its age at each is that julian day's difference from the
 * as-of time's, made in C: the same subtraction of the same two doubles
 * as BACKLOG_SQL's, with one julianday() a row instead of one an as-of
 * time (a third of the statement's work; docs/performance.md,
 * "report monthly, session 7").
 */
#define BACKLOG_OPEN(start, done, at) \
	"(" done " IS NULL OR " done " > " at ") AND " start " <= " at
#define BACKLOG_PAIR_SQL(table, how, start, done, valid) \
	"SELECT site, fields IS NOT NULL AND (fields >> (SELECT cid FROM pragma_table_info('" \
	table "') WHERE name = '" done "')) & 1 = 0, julianday(" start "), " \
	BACKLOG_OPEN(start, done, ":a0") ", " BACKLOG_OPEN(start, done, ":a1") " FROM " table \
	" " how " WHERE (" BACKLOG_OPEN(start, done, ":a0") " OR " BACKLOG_OPEN(start, done, ":a1") \
	")" valid " AND (:site IS NULL OR site = :site)"

/*
 * Each log's statements (tickets, complaints), read through its start's
 * index or whole (find_scan_whole()): for one as-of time, and for two.
 */
#define LOG_SQL(MAKE, table, index, start, done, valid) \
	{ MAKE(table, "INDEXED BY " index, start, done, valid), \
	  MAKE(table, "NOT INDEXED", start, done, valid) }
static const char *const one_sql[2][2] = {
	LOG_SQL(BACKLOG_SQL, "tickets", "tickets_reported", "reported_at", "completed_at", ""),
	LOG_SQL(BACKLOG_SQL, "complaints", "complaints_received", "received_at", "resolved_at",
		" AND coalesce(valid, 1) = 1"),
};
static const char *const pair_sql[2][2] = {
	LOG_SQL(BACKLOG_PAIR_SQL, "tickets", "tickets_reported", "reported_at", "completed_at", ""),
	LOG_SQL(BACKLOG_PAIR_SQL, "complaints", "complaints_received", "received_at",
		"resolved_at", " AND coalesce(valid, 1) = 1"),
};

struct backlog_pair {
	pthread_mutex_t lock;
	char as_of[2][20];
	double day[2];                  /* julianday() of each */
	char *site;                     /* NULL: all */
	int counted, failed;
	int taken[2];
	struct find_backlog *b[2];
};

int findings_backlog_pair_new(const char *as_of_a, const char *as_of_b, const char *site,
			      struct backlog_pair **out)
{
	struct backlog_pair *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || strlen(as_of_a) >= sizeof(p->as_of[0]) || strlen(as_of_b) >= sizeof(p->as_of[1]) ||
	    (site && !(p->site = strdup(site)))) {
		free(p);
		return -1;
	}
	memcpy(p->as_of[0], as_of_a, strlen(as_of_a) + 1);
	memcpy(p->as_of[1], as_of_b, strlen(as_of_b) + 1);
	pthread_mutex_init(&p->lock, NULL);
	*out = p;
	return 0;
}

void findings_backlog_pair_free(struct backlog_pair *p)
{
	if (!p)
		return;
	findings_backlog_free(p->b[0]);
	findings_backlog_free(p->b[1]);
	pthread_mutex_destroy(&p->lock);
	free(p->site);
	free(p);
}

/* A column of BACKLOG_PAIR_SQL's that says yes (NULL: no, as WHERE reads it). */
static int says_yes(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) != SQLITE_NULL && sqlite3_column_int(st, i) != 0;
}

/* One log's rows, each counted at the as-of times it is open at, as count_log() would. */
static int count_log_pair(const struct run_reader *rd, struct backlog_pair *p, int log,
			  const char *table, const char *start, const char *const sql[2],
			  pm_error *err)
{
	int later = strcmp(p->as_of[0], p->as_of[1]) < 0, whole, rc = SQLITE_OK, bad = 0, i;
	struct site_counts lc[2];
	sqlite3_stmt *st;

	if (find_scan_whole(rd, table, start, "1970-01-01 00:00:00", p->as_of[later], &whole, err) ||
	    reader_prepare(rd, sql[whole], &st, err))
		return -1;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":a0"), p->as_of[0], -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":a1"), p->as_of[1], -1,
			  SQLITE_STATIC);
	site_counts_init(&lc[0], RESULTS_BACKLOG_FIGS);
	site_counts_init(&lc[1], RESULTS_BACKLOG_FIGS);
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW)
		for (i = 0; i < 2 && !bad; i++) {
			long long *n;

			if (!says_yes(st, 3 + i))
				continue;
			if ((bad = !(n = site_counts_row(&lc[i], (const char *)sqlite3_column_text(st, 0)))))
				break;
			n[backlog_bucket(st, &p->day[i])]++;
		}
	sqlite3_finalize(st);
	for (i = 0; i < 2; i++) {
		if (!bad && rc == SQLITE_DONE)
			bad = add_sorted(p->b[i], log, &lc[i]);
		site_counts_free(&lc[i]);
	}
	if (bad)
		return pm_fail(err, "out of memory");
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(rd->db));
}

/* julianday(as_of) as SQLite computes it for BACKLOG_SQL; -1 if it is no time. */
static int julian_day(sqlite3 *db, const char *as_of, double *day, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT julianday(?1)", -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_FLOAT ? 0 : -1;
	if (rc == 0)
		*day = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return rc ? pm_fail(err, "backlog: as-of time '%s' is no time", as_of) : 0;
}

static int count_pair(const struct run_reader *rd, struct backlog_pair *p, pm_error *err)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (julian_day(rd->db, p->as_of[i], &p->day[i], err))
			return -1;
		if (!(p->b[i] = calloc(1, sizeof(*p->b[i]))))
			return pm_fail(err, "out of memory");
	}
	if (count_log_pair(rd, p, 0, "tickets", "reported_at", pair_sql[0], err))
		return -1;
	p->b[0]->sorted = p->b[0]->n;
	p->b[1]->sorted = p->b[1]->n;
	return count_log_pair(rd, p, 1, "complaints", "received_at", pair_sql[1], err);
}

static int same_site(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/*
 * The counts of rd's as-of time from the pair: 1 and *out, counted now
 * for both if the other run has not (the other then waits on the lock,
 * then takes its own); 0: not one of the pair's (or counting them failed
 * before: the run counts its own); -1: failed.
 */
static int pair_take(struct backlog_pair *p, const struct run_reader *rd,
		     struct find_backlog **out, pm_error *err)
{
	int i, rc = 1;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < 2; i++)
		if (!p->taken[i] && !strcmp(p->as_of[i], rd->scope->as_of))
			break;
	if (i == 2 || !same_site(p->site, rd->scope->site) || p->failed) {
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	if (!p->counted && count_pair(rd, p, err)) {
		p->failed = 1;
		rc = -1;
	}
	p->counted = 1;
	if (rc == 1) {
		*out = p->b[i];
		p->b[i] = NULL;
		p->taken[i] = 1;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

int findings_count_backlog(const struct run_reader *rd, struct find_backlog **out, pm_error *err)
{
	struct find_backlog *b;
	int rc;

	*out = NULL;
	/* a report's two runs: counted once for both */
	if (rd->scope->backlog_pair && (rc = pair_take(rd->scope->backlog_pair, rd, out, err)) != 0)
		return rc < 0 ? -1 : 0;
	if (!(b = calloc(1, sizeof(*b))))
		return pm_fail(err, "out of memory");
	rc = count_begun(rd, b, 0, "tickets", "reported_at", one_sql[0], err);
	b->sorted = b->n;
	rc = rc || count_begun(rd, b, 1, "complaints", "received_at", one_sql[1], err);
	if (rc) {
		findings_backlog_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

/* The counts read ahead (c->backlog), or counted now on the run's connection. */
int check_backlog(struct check_ctx *c, pm_error *err)
{
	struct run_reader rd = ctx_reader(c);
	int rc;

	if (!c->backlog && findings_count_backlog(&rd, &c->backlog, err))
		return -1;
	rc = store(c, c->backlog, err);
	findings_backlog_free(c->backlog);
	c->backlog = NULL;
	return rc;
}
