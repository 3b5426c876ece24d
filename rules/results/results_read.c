/*
 * The typed reader of stored check runs (rules/results/results.h): the run,
 * its figures (with the figure keys' one table), weeks, fee items and arrears
 * aging. A rule's own rows (check_rule_results, check_site_results,
 * check_records) are read in results_rules.c, next to their writers.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "db/record_json.h"
#include "rules/results/results_internal.h"
#include "util/buf.h"

/* The engine's id of the arrears aging rows (rules/check_fees.c). */
#define AGING_RULE_ID "F-AGING"

static const char *const FIGURE_KEY[FIG_COUNT] = {
	[FIG_FEES_CHARGED] = "fees.charged_cents",
	[FIG_FEES_WAIVED] = "fees.waived_cents",
	[FIG_FEES_DUE] = "fees.due_cents",
	[FIG_FEES_PAID] = "fees.paid_cents",
	[FIG_FEES_CURRENT_RATE] = "fees.current_rate",
	[FIG_FEES_ARREARS_START] = "fees.arrears_start_cents",
	[FIG_FEES_RECOVERED] = "fees.recovered_cents",
	[FIG_FEES_RECOVERY_RATE] = "fees.recovery_rate",
	[FIG_FEES_AGING_1_30] = "fees.aging.1-30",
	[FIG_FEES_AGING_31_90] = "fees.aging.31-90",
	[FIG_FEES_AGING_91_180] = "fees.aging.91-180",
	[FIG_FEES_AGING_181_365] = "fees.aging.181-365",
	[FIG_FEES_AGING_365_PLUS] = "fees.aging.365+",
	[FIG_VOLUMES_TICKETS] = "volumes.tickets",
	[FIG_VOLUMES_COMPLAINTS] = "volumes.complaints",
	[FIG_VOLUMES_COMPLAINTS_INVALID] = "volumes.complaints_invalid",
	[FIG_VOLUMES_CALLBACKS] = "volumes.callbacks",
	[FIG_VOLUMES_ORPHAN_CALLBACKS] = "volumes.orphan_callbacks",
	[FIG_FINDINGS_ORPHAN_CALLBACKS] = "findings.orphan_callbacks",
	[FIG_FINDINGS_IMPOSSIBLE_ORDER] = "findings.impossible_order",
	[FIG_FINDINGS_PROBLEM_OPEN] = "findings.problem_open",
	[FIG_FINDINGS_MISSING_START] = "findings.missing_start",
	[FIG_FINDINGS_REJECTED_ROWS] = "findings.rejected_rows",
	[FIG_FINDINGS_REPEAT_RECORDS] = "findings.repeat_records",
	[FIG_FINDINGS_REPEAT_GROUPS] = "findings.repeat_groups",
	[FIG_SATISFACTION_SATISFIED] = "satisfaction.satisfied",
	[FIG_SATISFACTION_BASIC] = "satisfaction.basic",
	[FIG_SATISFACTION_DISSATISFIED] = "satisfaction.dissatisfied",
	[FIG_SATISFACTION_UNRATED] = "satisfaction.unrated",
	[FIG_SATISFACTION_RATE] = "satisfaction.rate",
	[FIG_BACKLOG_TICKETS_0_2] = "backlog.tickets.0-2",
	[FIG_BACKLOG_TICKETS_3_7] = "backlog.tickets.3-7",
	[FIG_BACKLOG_TICKETS_8_30] = "backlog.tickets.8-30",
	[FIG_BACKLOG_TICKETS_30_PLUS] = "backlog.tickets.30+",
	[FIG_BACKLOG_TICKETS_UNKNOWN] = "backlog.tickets.unknown",
	[FIG_BACKLOG_COMPLAINTS_0_2] = "backlog.complaints.0-2",
	[FIG_BACKLOG_COMPLAINTS_3_7] = "backlog.complaints.3-7",
	[FIG_BACKLOG_COMPLAINTS_8_30] = "backlog.complaints.8-30",
	[FIG_BACKLOG_COMPLAINTS_30_PLUS] = "backlog.complaints.30+",
	[FIG_BACKLOG_COMPLAINTS_UNKNOWN] = "backlog.complaints.unknown",
};

const char *const RESULTS_AGING_BUCKET[RESULTS_AGING_BUCKETS] = {
	"1-30", "31-90", "91-180", "181-365", "365+"
};

const char *results_figure_key(enum results_figure f)
{
	return f >= 0 && f < FIG_COUNT ? FIGURE_KEY[f] : "";
}

int results_fee_item_key(char *buf, size_t size, const char *item, enum results_figure f)
{
	const char *key = results_figure_key(f);
	int n;

	if (strncmp(key, "fees.", 5))
		return -1;
	n = snprintf(buf, size, "fee_item.%s.%s", item, key + 5);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int results_site_figure_key(char *buf, size_t size, const char *site, enum results_figure f)
{
	int n = snprintf(buf, size, "%s/%s", results_figure_key(f), site);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* A figure is its real_value when it has one (the rates), else its int_value. */
static int read_figures(struct results_run *run, pm_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, f;

	/*
	 * Each figure by its key: a run may also hold a dozen figures per site
	 * ("<key>/<site>") for 100,000 sites, which a scan of the run would read.
	 */
	if (results_sql_prepare(run->db, "SELECT int_value, real_value FROM check_figures"
				" WHERE run_id = ? AND key = ?", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, run->run_id);
	for (f = 0; f < FIG_COUNT && rc == SQLITE_DONE; f++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 2, FIGURE_KEY[f], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			int col = sqlite3_column_type(st, 1) != SQLITE_NULL ? 1 : 0;

			if (sqlite3_column_type(st, col) != SQLITE_NULL) {
				run->has[f] = 1;
				run->ivalue[f] = sqlite3_column_int64(st, col);
				run->rvalue[f] = sqlite3_column_double(st, col);
			}
			rc = sqlite3_step(st);
		}
	}
	return results_sql_done(run->db, st, rc, err);
}

/* The run's window and as-of time from check_runs. */
static int read_window(struct results_run *run, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (results_sql_prepare(run->db,
				"SELECT from_ts, to_ts, as_of FROM check_runs WHERE run_id = ?", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, run->run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(run->from, sizeof(run->from), "%s", results_sql_text(st, 0));
		snprintf(run->to, sizeof(run->to), "%s", results_sql_text(st, 1));
		snprintf(run->as_of, sizeof(run->as_of), "%s", results_sql_text(st, 2));
		rc = sqlite3_step(st);
	}
	return results_sql_done(run->db, st, rc, err);
}

int results_open_run(sqlite3 *db, sqlite3_int64 run_id, struct results_run *run, pm_error *err)
{
	memset(run, 0, sizeof(*run));
	run->db = db;
	run->run_id = run_id;
	if (read_window(run, err) || results_read_rules(run, err) || read_figures(run, err)) {
		results_close_run(run);
		return -1;
	}
	return 0;
}

void results_close_run(struct results_run *run)
{
	free(run->rules);
	run->rules = NULL;
	run->nrules = 0;
}

const struct results_rule *results_rule(const struct results_run *run, const char *rule_id)
{
	int i;

	for (i = 0; run && rule_id && i < run->nrules; i++)
		if (!strcmp(run->rules[i].rule_id, rule_id))
			return &run->rules[i];
	return NULL;
}

int results_figure_int(const struct results_run *run, enum results_figure f, long long *v)
{
	if (!run || f < 0 || f >= FIG_COUNT || !run->has[f])
		return -1;
	*v = run->ivalue[f];
	return 0;
}

int results_figure_real(const struct results_run *run, enum results_figure f, double *v)
{
	if (!run || f < 0 || f >= FIG_COUNT || !run->has[f])
		return -1;
	*v = run->rvalue[f];
	return 0;
}

/* ---- per-site figures ---- */

void results_site_figures_free(struct results_site_figs *rows, int count)
{
	int i;

	for (i = 0; rows && i < count; i++)
		free(rows[i].site);
	free(rows);
}

/* A new row for site at the end of *rows; NULL when out of memory. */
static struct results_site_figs *site_figs_add(struct results_site_figs **rows, int *count,
					       int *cap, const char *site)
{
	struct results_site_figs *x;

	if (*count == *cap) {
		int more = *cap ? 2 * *cap : 64;
		struct results_site_figs *grown = realloc(*rows, (size_t)more * sizeof(*grown));

		if (!grown)
			return NULL;
		*rows = grown;
		*cap = more;
	}
	x = &(*rows)[*count];
	memset(x, 0, sizeof(*x));
	if (!(x->site = strdup(site)))
		return NULL;
	(*count)++;
	return x;
}

/* One figure's sites: "<key>/<site>" for key/ <= x < key0 ('0' follows '/'), by site. */
struct site_stream {
	sqlite3_stmt *st;
	int rc;
	char lo[64], hi[64];
	size_t skip;                 /* strlen("<key>/") */
};

static int stream_open(sqlite3 *db, sqlite3_int64 run_id, enum results_figure f,
		       struct site_stream *s, pm_error *err)
{
	const char *key = results_figure_key(f);

	snprintf(s->lo, sizeof(s->lo), "%s/", key);
	snprintf(s->hi, sizeof(s->hi), "%s0", key);
	s->skip = strlen(s->lo);
	if (results_sql_prepare(db, "SELECT key, int_value, real_value FROM check_figures"
				" WHERE run_id = ? AND key >= ? AND key < ? ORDER BY key", &s->st, err))
		return -1;
	sqlite3_bind_int64(s->st, 1, run_id);
	sqlite3_bind_text(s->st, 2, s->lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->st, 3, s->hi, -1, SQLITE_STATIC);
	s->rc = sqlite3_step(s->st);
	return 0;
}

static const char *stream_site(const struct site_stream *s)
{
	return s->rc == SQLITE_ROW ? results_sql_text(s->st, 0) + s->skip : NULL;
}

/* The smallest site of the streams' current rows (copied into out), 0 at their end. */
static int streams_next_site(struct site_stream *s, int n, char **out)
{
	const char *min = NULL;
	int i;

	for (i = 0; i < n; i++) {
		const char *site = stream_site(&s[i]);

		if (site && (!min || strcmp(site, min) < 0))
			min = site;
	}
	free(*out);
	*out = min ? strdup(min) : NULL;
	return min != NULL;
}

int results_site_figures(const struct results_run *run, enum results_figure first, int n,
			 struct results_site_figs **out, int *count, pm_error *err)
{
	struct site_stream s[RESULTS_SITE_FIGS_MAX];
	struct results_site_figs *rows = NULL;
	char *site = NULL;
	int cap = 0, i, opened = 0, rc = 0;

	*out = NULL;
	*count = 0;
	if (n < 1 || n > RESULTS_SITE_FIGS_MAX || first < 0 || first + n > FIG_COUNT)
		return pm_fail(err, "per-site figures: %d from %d", n, (int)first);
	/* one range of the key index per figure, merged by site */
	for (opened = 0; opened < n && !rc; opened++)
		rc = stream_open(run->db, run->run_id, first + opened, &s[opened], err);
	if (rc)
		opened--;
	while (!rc && streams_next_site(s, n, &site)) {
		struct results_site_figs *x = site_figs_add(&rows, count, &cap, site);

		if (!x) {
			rc = pm_fail(err, "out of memory");
			break;
		}
		for (i = 0; i < n; i++) {
			const char *at = stream_site(&s[i]);
			int col;

			if (!at || strcmp(at, site))
				continue;
			col = sqlite3_column_type(s[i].st, 2) != SQLITE_NULL ? 2 : 1;
			if (sqlite3_column_type(s[i].st, col) != SQLITE_NULL) {
				x->has[i] = 1;
				x->ivalue[i] = sqlite3_column_int64(s[i].st, col);
				x->rvalue[i] = sqlite3_column_double(s[i].st, col);
			}
			s[i].rc = sqlite3_step(s[i].st);
		}
	}
	free(site);
	for (i = 0; i < opened; i++) {
		if (!rc && s[i].rc != SQLITE_DONE)
			rc = pm_fail(err, "database: %s", sqlite3_errmsg(run->db));
		sqlite3_finalize(s[i].st);
	}
	if (rc) {
		results_site_figures_free(rows, *count);
		*count = 0;
		return -1;
	}
	*out = rows;
	return 0;
}

int results_finding_counts(const struct results_run *run,
			   int (*fn)(void *ctx, const char *rule_id, long long n), void *ctx,
			   pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (results_sql_prepare(run->db,
				"SELECT rule_id, COUNT(*) FROM check_records WHERE run_id = ?"
				" AND status = 'finding' AND rule_id <> '" AGING_RULE_ID "'"
				" GROUP BY rule_id ORDER BY rule_id", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, run->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, results_sql_text(st, 0), sqlite3_column_int64(st, 1))) {
			sqlite3_finalize(st);
			return -1;
		}
	return results_sql_done(run->db, st, rc, err);
}

/* ---- weeks ---- */

int results_weeks_begin(const struct results_run *run, const char *rule_id,
			struct results_weeks *it, pm_error *err)
{
	memset(it, 0, sizeof(*it));
	if (results_sql_prepare(run->db,
				"SELECT week, numerator, denominator, rate, met FROM check_weeks"
				" WHERE run_id = ? AND rule_id = ? ORDER BY week", &it->st, err))
		return -1;
	sqlite3_bind_int64(it->st, 1, run->run_id);
	sqlite3_bind_text(it->st, 2, rule_id, -1, SQLITE_TRANSIENT);
	it->rc = SQLITE_ROW;
	return 0;
}

int results_weeks_next(struct results_weeks *it)
{
	sqlite3_stmt *st = it->st;

	if (!results_sql_step(st, &it->rc))
		return 0;
	it->row.week = results_sql_text(st, 0);
	it->row.numerator = sqlite3_column_int64(st, 1);
	it->row.denominator = sqlite3_column_int64(st, 2);
	it->row.has_rate = sqlite3_column_type(st, 3) != SQLITE_NULL;
	it->row.rate = sqlite3_column_double(st, 3);
	it->row.met = sqlite3_column_int(st, 4);
	return 1;
}

int results_weeks_end(struct results_weeks *it, pm_error *err)
{
	return results_sql_finish(&it->st, it->rc, err);
}

/* ---- fees by fee item ---- */

int results_fee_items_begin(const struct results_run *run, struct results_fee_items *it,
			    pm_error *err)
{
	memset(it, 0, sizeof(*it));
	/* 'fee_item.' is 9 characters, '.due_cents' 10 */
	if (results_sql_prepare(run->db,
				"SELECT substr(d.key, 10, length(d.key) - 19), d.int_value, p.int_value"
				" FROM check_figures d JOIN check_figures p ON p.run_id = d.run_id"
				"  AND p.key = substr(d.key, 1, length(d.key) - 10) || '.paid_cents'"
				" WHERE d.run_id = ? AND d.key GLOB 'fee_item.*.due_cents' ORDER BY d.key",
				&it->st, err))
		return -1;
	sqlite3_bind_int64(it->st, 1, run->run_id);
	it->rc = SQLITE_ROW;
	return 0;
}

int results_fee_items_next(struct results_fee_items *it)
{
	sqlite3_stmt *st = it->st;

	if (!results_sql_step(st, &it->rc))
		return 0;
	it->row.item = results_sql_text(st, 0);
	it->row.due_cents = sqlite3_column_int64(st, 1);
	it->row.paid_cents = sqlite3_column_int64(st, 2);
	return 1;
}

int results_fee_items_end(struct results_fee_items *it, pm_error *err)
{
	return results_sql_finish(&it->st, it->rc, err);
}

/* ---- aging ---- */

static int aging_add(struct results_aging_site **out, int *n, const char *site, pm_error *err)
{
	struct results_aging_site *grown;

	if (*n && !strcmp((*out)[*n - 1].site, site))
		return 0;
	grown = realloc(*out, (*n + 1) * sizeof(**out));
	if (!grown)
		return pm_fail(err, "out of memory");
	*out = grown;
	memset(&grown[*n], 0, sizeof(grown[*n]));
	snprintf(grown[*n].site, sizeof(grown[*n].site), "%s", site);
	(*n)++;
	return 0;
}

/* Through the view, as SQL sums: for a run with a record of another form. */
static int aging_by_site_sql(const struct results_run *run, struct results_aging_site **out, int *n,
			     pm_error *err)
{
	sqlite3_stmt *st;
	int rc, k;

	*out = NULL;
	*n = 0;
	if (results_sql_prepare(run->db,
				"SELECT COALESCE(site, ''), detail, SUM(amount_cents) FROM check_records"
				" WHERE run_id = ? AND rule_id = '" AGING_RULE_ID "' GROUP BY 1, 2 ORDER BY 1, 2",
				&st, err))
		return -1;
	sqlite3_bind_int64(st, 1, run->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (aging_add(out, n, results_sql_text(st, 0), err)) {
			sqlite3_finalize(st);
			return -1;
		}
		for (k = 0; k < RESULTS_AGING_BUCKETS; k++)
			if (!strcmp(results_sql_text(st, 1), RESULTS_AGING_BUCKET[k]))
				(*out)[*n - 1].cents[k] += sqlite3_column_int64(st, 2);
	}
	return results_sql_done(run->db, st, rc, err);
}

/*
 * The arrears by site in C from the sets (db/db.h), each record's array
 * taken apart once (db/record_json.h): through the view each of a record's
 * three fields was a parse of it, for every account in arrears (0.17 s CPU
 * of the monthly report on the bench database, 71k records). A record of
 * another form, a site or bucket that is not a text, or amounts whose
 * magnitudes could overflow a sum in any order: the view's query, which
 * knows them all (and fails on an overflow as it did).
 */
struct aging_rec {
	long long site;         /* offset in the reader's text */
	int bucket;             /* in RESULTS_AGING_BUCKET, or -1 */
	long long cents;
};

struct aging_reader {
	struct buf text;
	struct buf scratch;
	struct aging_rec *rec;
	int n, cap;
	long long magnitude;    /* the sum of every |amount|: no sum can pass it */
};

static int aging_bucket(const char *detail)
{
	int k;

	for (k = 0; detail && k < RESULTS_AGING_BUCKETS; k++)
		if (!strcmp(detail, RESULTS_AGING_BUCKET[k]))
			return k;
	return -1;
}

/* One record; 1 for one the view must read, -1 out of memory. */
static int aging_take(struct aging_reader *a, const char *json, size_t len)
{
	struct record_json f;
	struct aging_rec *x;
	long long mag;
	size_t at;
	int site = atoi(CHECK_RECORD_SITE), amount = atoi(CHECK_RECORD_AMOUNT),
	    detail = atoi(CHECK_RECORD_DETAIL);

	a->scratch.len = 0;
	if (buf_reserve(&a->scratch, len + 1))
		return -1;
	if (record_json_parse(json, len, a->scratch.data, &f) || f.type[site] == RECORD_JSON_INT ||
	    f.type[amount] == RECORD_JSON_TEXT || f.type[detail] == RECORD_JSON_INT)
		return 1;
	mag = f.num[amount] < 0 ? -f.num[amount] : f.num[amount];
	if (f.num[amount] == LLONG_MIN || __builtin_add_overflow(a->magnitude, mag, &a->magnitude))
		return 1;
	if (a->n == a->cap) {
		int cap = a->cap ? 2 * a->cap : 1024;
		struct aging_rec *more = realloc(a->rec, (size_t)cap * sizeof(*more));

		if (!more)
			return -1;
		a->rec = more;
		a->cap = cap;
	}
	if (buf_append_str(&a->text, f.type[site] == RECORD_JSON_TEXT ? f.text[site] : "", &at))
		return -1;
	x = &a->rec[a->n++];
	x->site = (long long)at;
	x->bucket = aging_bucket(f.type[detail] == RECORD_JSON_TEXT ? f.text[detail] : NULL);
	x->cents = f.num[amount];
	return 0;
}

/* Every F-AGING record of the run; 1 when one must be read by the view. */
static int aging_read(const struct results_run *run, struct aging_reader *a, pm_error *err)
{
	sqlite3_stmt *st;
	int rc, got = 0;

	if (results_sql_prepare(run->db, "SELECT j.value FROM check_record_sets s,"
				" json_each(s.records) j WHERE s.run_id = ? AND s.rule_id = '"
				AGING_RULE_ID "'", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, run->run_id);
	while (got == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		got = sqlite3_column_type(st, 0) != SQLITE_TEXT ? 1 :
		      aging_take(a, results_sql_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	if (got == 0)
		return results_sql_done(run->db, st, rc, err);
	sqlite3_finalize(st);
	return got < 0 ? pm_fail(err, "out of memory") : 1;
}

static int by_site(const void *pa, const void *pb, void *text)
{
	const struct aging_rec *a = pa, *b = pb;

	return strcmp((const char *)text + a->site, (const char *)text + b->site);
}

int results_aging_by_site(const struct results_run *run, struct results_aging_site **out, int *n,
			  pm_error *err)
{
	struct aging_reader a;
	int i, rc;

	*out = NULL;
	*n = 0;
	memset(&a, 0, sizeof(a));
	buf_init(&a.text);
	buf_init(&a.scratch);
	rc = aging_read(run, &a, err);
	if (rc == 0) {
		/*
		 * the view's order: by site, in bytes (no records: rec is NULL,
		 * which qsort_r() must not be given)
		 */
		if (a.n > 1)
			qsort_r(a.rec, (size_t)a.n, sizeof(*a.rec), by_site, a.text.data);
		for (i = 0; i < a.n && rc == 0; i++) {
			rc = aging_add(out, n, a.text.data + a.rec[i].site, err);
			if (rc == 0 && a.rec[i].bucket >= 0)
				(*out)[*n - 1].cents[a.rec[i].bucket] += a.rec[i].cents;
		}
	}
	free(a.rec);
	buf_free(&a.text);
	buf_free(&a.scratch);
	if (rc > 0)
		return aging_by_site_sql(run, out, n, err);
	return rc;
}

int results_aging_accounts_begin(const struct results_run *run, struct results_aging_accounts *it,
				 pm_error *err)
{
	memset(it, 0, sizeof(*it));
	/* the buckets in RESULTS_AGING_BUCKET's order */
	if (results_sql_prepare(run->db, "SELECT COALESCE(site, ''), record_id,"
		    " SUM(CASE detail WHEN '1-30' THEN amount_cents ELSE 0 END),"
		    " SUM(CASE detail WHEN '31-90' THEN amount_cents ELSE 0 END),"
		    " SUM(CASE detail WHEN '91-180' THEN amount_cents ELSE 0 END),"
		    " SUM(CASE detail WHEN '181-365' THEN amount_cents ELSE 0 END),"
		    " SUM(CASE detail WHEN '365+' THEN amount_cents ELSE 0 END)"
		    " FROM check_records WHERE run_id = ? AND rule_id = '" AGING_RULE_ID "'"
		    " GROUP BY 1, 2 ORDER BY 1, 2", &it->st, err))
		return -1;
	sqlite3_bind_int64(it->st, 1, run->run_id);
	it->rc = SQLITE_ROW;
	return 0;
}

int results_aging_accounts_next(struct results_aging_accounts *it)
{
	int k;

	if (!results_sql_step(it->st, &it->rc))
		return 0;
	it->row.site = results_sql_text(it->st, 0);
	it->row.account = results_sql_text(it->st, 1);
	for (k = 0; k < RESULTS_AGING_BUCKETS; k++)
		it->row.cents[k] = sqlite3_column_int64(it->st, 2 + k);
	return 1;
}

int results_aging_accounts_end(struct results_aging_accounts *it, pm_error *err)
{
	return results_sql_finish(&it->st, it->rc, err);
}
