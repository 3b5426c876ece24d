/*
 * The open backlog (未办结): tickets and valid complaints received by the
 * as-of time and not completed / resolved by it, whatever period they
 * began in, counted by age at the as-of time and by site (docs/rules.md
 * "Open backlog"). A record whose files never had the completion field
 * (its fields mask lacks completed_at / resolved_at, schema v5) cannot be
 * told open from done: it is counted unknown, never open.
 *
 * One grouped statement per log, reading the table in rowid order: the
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
 * Age = as-of - start in days of 24 hours: up to 2 days, 3-7 (over 2, up
 * to 7), 8-30, over 30; 4 = unknown. The bit of the completion column in
 * a record's fields mask is its cid (NULL mask: every field).
 */
#define BACKLOG_SQL(table, how, start, done, valid) \
	"SELECT site, CASE" \
	" WHEN fields IS NOT NULL AND (fields >> (SELECT cid FROM pragma_table_info('" table "')" \
	"  WHERE name = '" done "')) & 1 = 0 THEN 4" \
	" WHEN julianday(:asof) - julianday(" start ") <= 2 THEN 0" \
	" WHEN julianday(:asof) - julianday(" start ") <= 7 THEN 1" \
	" WHEN julianday(:asof) - julianday(" start ") <= 30 THEN 2 ELSE 3 END AS bucket," \
	" count(*) FROM " table " " how \
	" WHERE (" done " IS NULL OR " done " > :asof) AND " start " <= :asof" valid \
	" AND (:site IS NULL OR site = :site) GROUP BY site, bucket ORDER BY site, bucket"

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

static int count_log(const struct run_reader *rd, struct find_backlog *b, int log,
		     const char *sql, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (reader_prepare(rd, sql, &st, err))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *site = (const char *)sqlite3_column_text(st, 0);
		int bucket = sqlite3_column_int(st, 1);
		long long n = sqlite3_column_int64(st, 2);
		struct backlog_site *x = site_row(b, site ? site : "");

		if (!x) {
			sqlite3_finalize(st);
			return pm_fail(err, "out of memory");
		}
		x->n[log][bucket] += n;
		b->all[log][bucket] += n;
	}
	sqlite3_finalize(st);
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
