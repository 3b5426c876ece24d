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
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"

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
 */
static int backlog_bucket(sqlite3_stmt *st)
{
	double age;

	if (sqlite3_column_int(st, 1))
		return 4;
	if (sqlite3_column_type(st, 2) == SQLITE_NULL)
		return 3;
	age = sqlite3_column_double(st, 2);
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
		n[backlog_bucket(st)]++;
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

int findings_count_backlog(const struct run_reader *rd, struct find_backlog **out, pm_error *err)
{
	static const char *const tickets[2] = {
		BACKLOG_SQL("tickets", "INDEXED BY tickets_reported", "reported_at", "completed_at",
			    ""),
		BACKLOG_SQL("tickets", "NOT INDEXED", "reported_at", "completed_at", ""),
	};
	static const char *const complaints[2] = {
		BACKLOG_SQL("complaints", "INDEXED BY complaints_received", "received_at",
			    "resolved_at", " AND coalesce(valid, 1) = 1"),
		BACKLOG_SQL("complaints", "NOT INDEXED", "received_at", "resolved_at",
			    " AND coalesce(valid, 1) = 1"),
	};
	struct find_backlog *b = calloc(1, sizeof(*b));
	int rc;

	*out = NULL;
	if (!b)
		return pm_fail(err, "out of memory");
	rc = count_begun(rd, b, 0, "tickets", "reported_at", tickets, err);
	b->sorted = b->n;
	rc = rc || count_begun(rd, b, 1, "complaints", "received_at", complaints, err);
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
