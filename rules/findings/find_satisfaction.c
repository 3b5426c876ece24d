/*
 * 满意度: the window's callbacks counted by their result, per site and in
 * all, as figures (docs/rules.md "Satisfaction"). The counting rides on the
 * findings' one read of the window's callbacks (findings.c); the rate is
 * (满意 + 基本满意) / the rated callbacks, none rated: no rate (无数据).
 */
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"
#include "rules/findings/findings.h"

void sat_tally_init(struct sat_tally *t)
{
	site_counts_init(&t->by_site, SAT_KINDS);
}

void sat_tally_free(struct sat_tally *t)
{
	site_counts_free(&t->by_site);
}

/* The import stores the text trimmed; the three words of DATA.md count. */
int findings_satisfaction_kind(const char *result)
{
	if (!result)
		return SAT_UNRATED;
	if (!strcmp(result, "满意"))
		return SAT_SATISFIED;
	if (!strcmp(result, "基本满意"))
		return SAT_BASIC;
	if (!strcmp(result, "不满意"))
		return SAT_DISSATISFIED;
	return SAT_UNRATED;
}

int sat_tally_add(struct sat_tally *t, const char *site, const char *result)
{
	long long *n = site_counts_row(&t->by_site, site);

	if (!n)
		return -1;
	n[findings_satisfaction_kind(result)]++;
	return 0;
}

/* The four counts and the rate of one site. */
static int store_site(struct site_figures *w, const char *site, const long long *n, pm_error *err)
{
	long long good = n[SAT_SATISFIED] + n[SAT_BASIC];
	int k;

	for (k = 0; k < SAT_KINDS; k++)
		if (site_figure_int(w, site, FIG_SATISFACTION_SATISFIED + k, n[k], err))
			return -1;
	return site_figure_rate(w, site, FIG_SATISFACTION_RATE, good, good + n[SAT_DISSATISFIED], err);
}

int sat_tally_store(struct check_ctx *c, const struct sat_tally *t, pm_error *err)
{
	struct site_figures w;
	long long all[SAT_KINDS] = { 0 }, good;
	int i, k, rc = 0;

	if (site_figures_open(c, &w, err))
		return -1;
	for (i = 0; i < t->by_site.sites.count && !rc; i++) {
		const long long *n = t->by_site.n + (size_t)i * SAT_KINDS;

		for (k = 0; k < SAT_KINDS; k++)
			all[k] += n[k];
		rc = store_site(&w, t->by_site.sites.strs[i], n, err);
	}
	site_figures_close(&w);
	for (k = 0; k < SAT_KINDS && !rc; k++)
		rc = ctx_figure_int(c, FIG_SATISFACTION_SATISFIED + k, all[k], err);
	good = all[SAT_SATISFIED] + all[SAT_BASIC];
	return rc || ctx_figure_rate(c, FIG_SATISFACTION_RATE, good, good + all[SAT_DISSATISFIED], err)
	       ? -1 : 0;
}

/* The month of n whose [start[k], start[k + 1]) holds at (text order); -1 if none. */
static int month_of(const char (*start)[20], int n, const char *at)
{
	int lo = 0, hi = n;

	if (strcmp(at, start[0]) < 0 || strcmp(at, start[n]) >= 0)
		return -1;
	/* the last month whose start is at or before at */
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(start[mid], at) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * One read of the months' callbacks, each counted in its month up to that
 * month's as-of time: the same counts as a statement per month through
 * callbacks_at, whose table look-up per callback (for its result) cost
 * 0.9 s CPU for the report's twelve months. A window holding most of the
 * table is read by one table scan (find_scan_whole()).
 */
int findings_satisfaction_months(const struct run_reader *rd, const char (*start)[20], int n,
				 const char *as_of, sqlite3_int64 (*counts)[4], pm_error *err)
{
	static const char *const sql[2][2] = {
		{ "SELECT callback_at, result FROM callbacks WHERE callback_at >= ?1"
		  " AND callback_at < ?2 AND callback_at <= ?3",
		  "SELECT callback_at, result FROM callbacks WHERE callback_at >= ?1"
		  " AND callback_at < ?2 AND callback_at <= ?3 AND site = ?4" },
		{ "SELECT callback_at, result FROM callbacks NOT INDEXED WHERE callback_at >= ?1"
		  " AND callback_at < ?2 AND callback_at <= ?3",
		  "SELECT callback_at, result FROM callbacks NOT INDEXED WHERE callback_at >= ?1"
		  " AND callback_at < ?2 AND callback_at <= ?3 AND site = ?4" },
	};
	const char *site = rd->scope->site;
	sqlite3_stmt *st;
	int whole, rc;

	if (n <= 0)
		return 0;
	if (find_scan_whole(rd, "callbacks", "callback_at", start[0], start[n], &whole, err) ||
	    reader_prepare(rd, sql[whole][site != NULL], &st, err))
		return -1;
	sqlite3_bind_text(st, 1, start[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, start[n], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, as_of, -1, SQLITE_STATIC);
	if (site)
		sqlite3_bind_text(st, 4, site, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 0);
		int k = at ? month_of(start, n, at) : -1;

		/* each month's as-of time is its end (start[k + 1]), or as_of if sooner */
		if (k >= 0)
			counts[k][findings_satisfaction_kind(
				(const char *)sqlite3_column_text(st, 1))]++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(rd->db));
}
