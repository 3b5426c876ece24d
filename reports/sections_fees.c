/*
 * Fees, findings, data quality and the appendix of breaches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/sections.h"
#include "rules/engine/check.h"
#include "db/reject_reason.h"
#include "rules/results/results.h"
#include "util/csv_write.h"

#define FINDING_ROWS 30
#define APPENDIX_ROWS 300

const char *rule_title(const struct report *r, const struct run_view *cur, const char *rule_id)
{
	const struct rule_result *x = find_rule(cur, rule_id);
	const char *engine_title = finding_title(rule_id, r->english);
	size_t i;

	if (x)
		return x->title;
	if (engine_title)
		return engine_title;
	/* a repeat rule stores findings, no result row: its title is the rules file's */
	for (i = 0; r->rules && i < r->rules->count; i++) {
		const struct rule *rule = &r->rules->rules[i];

		if (!strcmp(rule->id, rule_id)) {
			const char *t = r->english && rule->title_en ? rule->title_en : rule->title_zh;

			return t ? t : "";
		}
	}
	return "";
}

/* The finding records of one rule as a table: record, site, start, end, detail. */
static int record_table(struct report *r, const struct run_view *cur, const char *rule_id,
			int max_rows, pm_error *err)
{
	struct pdf_col cols[5] = {
		{ tr(r, "记录", "Record"), 1.8, PDF_LEFT }, { tr(r, "项目", "Site"), 1.6, PDF_LEFT },
		{ tr(r, "开始", "Start"), 1.9, PDF_LEFT }, { tr(r, "结束", "End"), 1.9, PDF_LEFT },
		{ tr(r, "说明", "Detail"), 3.2, PDF_LEFT }
	};
	struct results_records it;
	long long total = 0;
	int rows = 0;

	if (results_records_begin(cur->results, rule_id, RECORDS_FINDINGS, max_rows, &it, err) < 0)
		return -1;
	while (results_records_next(&it)) {
		const char *cells[5] = {
			it.row.record_id, it.row.site, it.row.start, it.row.end ? it.row.end : "",
			it.row.detail
		};
		char detail[600];

		/* stored in English by the engine */
		if (!r->english && it.row.detail) {
			results_detail_zh(it.row.detail, detail, sizeof(detail));
			cells[4] = detail;
		}

		if (!rows++)
			pdf_table_begin(r->pdf, cols, 5);
		total = it.total;
		pdf_table_row(r->pdf, cells);
	}
	if (results_records_end(&it, err) < 0)
		return -1;
	if (!rows)
		return 0;
	pdf_table_end(r->pdf);
	if (total > rows) {
		char note[160];

		snprintf(note, sizeof(note), r->english ? "First %d of %lld shown." :
			 "仅列出前 %d 条，共 %lld 条。", rows, total);
		pdf_note(r->pdf, note);
	}
	return 0;
}

/* The finding rules of one group and their counts, collected by finding_groups(). */
struct finding_list {
	int data_faults;          /* the group: faults in the data, or the others */
	char (*ids)[48];
	long long *counts;
	int n;
	pm_error err;
};

static int collect_finding(void *ctx, const char *rule_id, long long n)
{
	struct finding_list *l = ctx;
	void *g1, *g2;

	if (finding_is_data_fault(rule_id) != l->data_faults)
		return 0;
	g1 = realloc(l->ids, (l->n + 1) * sizeof(*l->ids));
	if (g1)
		l->ids = g1;
	g2 = g1 ? realloc(l->counts, (l->n + 1) * sizeof(*l->counts)) : NULL;
	if (!g2)
		return pm_fail(&l->err, "out of memory");
	l->counts = g2;
	snprintf(l->ids[l->n], sizeof(l->ids[0]), "%s", rule_id);
	l->counts[l->n++] = n;
	return 0;
}

/*
 * Finding rules (status 'finding'): the faults in the data (Q-ORDER, ...) or
 * the others (a repeat rule, and Q-PROBLEM-OPEN: a callback found a problem
 * and nobody called again, which is for the quality department, not a data
 * fault); rules/results/results.h: roles tells them apart. Returns how many, or -1.
 */
static int finding_groups(struct report *r, const struct run_view *cur, int quality,
			  pm_error *err)
{
	struct finding_list l = { .data_faults = quality };
	int i, rc = 0;

	/* Collected first: the tables below read records of their own. */
	if (results_finding_counts(cur->results, collect_finding, &l, err) < 0) {
		if (l.err.msg[0])
			*err = l.err;
		rc = -1;
	}
	for (i = 0; !rc && i < l.n; i++) {
		char heading[240], cnt[32];

		fmt_count(cnt, sizeof(cnt), l.counts[i]);
		snprintf(heading, sizeof(heading), r->english ? "%s  %s (%s)" : "%s  %s（%s 条）",
			 l.ids[i], rule_title(r, cur, l.ids[i]), cnt);
		pdf_subsection(r->pdf, heading);
		rc = record_table(r, cur, l.ids[i], FINDING_ROWS, err);
	}
	free(l.ids);
	free(l.counts);
	return rc < 0 ? -1 : l.n;
}

int findings_section(struct report *r, const struct run_view *cur, const char *title,
		     pm_error *err)
{
	int n;

	pdf_section(r->pdf, title);
	pdf_paragraph(r->pdf, tr(r,
		"以下事项不计为违规，供质量部门跟进：同一房间同类问题90天内反复出现（投诉2次以上或报修3次以上）；"
		"回访时发现问题但其后没有再次回访（问题未闭环）。",
		"Not violations, for the quality department: the same room and category again within "
		"90 days (2+ complaints or 3+ repairs); callbacks that found a problem with no later "
		"callback (not closed)."));
	if ((n = finding_groups(r, cur, 0, err)) < 0)
		return -1;
	if (!n)
		pdf_note(r->pdf, tr(r, "本期没有需跟进的事项。", "Nothing to follow up in the period."));
	return 0;
}

/* "N rows rejected earlier were resolved by later imports." when N > 0. */
static int resolved_rejects_note(struct report *r, pm_error *err)
{
	sqlite3_stmt *st = prepare(r, "SELECT count(*) FROM import_rejects"
				   " WHERE resolved_by IS NOT NULL", err);
	long long n;
	char cnt[32], text[200];
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	if (step_done(r, st, rc, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	fmt_count(cnt, sizeof(cnt), n);
	snprintf(text, sizeof(text), r->english ?
		 "%s rows rejected earlier were resolved by later imports (the same file again, "
		 "or a file storing the record) and are not counted." :
		 "另有 %s 行拒收已由后来的导入解决（同一文件重新导入，或另一文件存入了该记录），不计入。", cnt);
	pdf_note(r->pdf, text);
	return 0;
}

int quality_section(struct report *r, const struct run_view *cur, const char *title,
		    pm_error *err)
{
	struct pdf_col cols[3] = {
		{ tr(r, "文件", "File"), 3, PDF_LEFT }, { tr(r, "原因", "Reason"), 4, PDF_LEFT },
		{ tr(r, "行数", "Rows"), 1, PDF_RIGHT }
	};
	sqlite3_stmt *st;
	long long orphans = 0;
	int rows = 0, rc, n;
	char text[400], cnt[32];

	pdf_section(r->pdf, title);
	pdf_subsection(r->pdf, tr(r, "导入时拒收的行", "Rows rejected at import"));
	/*
	 * Open rejects only (schema v4): one that a later import of the same
	 * file, or of the record's key, resolved is no longer a fault of the
	 * data. This is the JSON's findings.rejected_rows, by file and reason.
	 */
	st = prepare(r,
		"SELECT file, reason, COUNT(*) FROM import_rejects WHERE resolved_by IS NULL"
		" GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 30", err);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[3];
		char n[32], reason[1200];

		if (!rows++)
			pdf_table_begin(r->pdf, cols, 3);
		fmt_count(n, sizeof(n), sqlite3_column_int64(st, 2));
		cells[0] = col_text(st, 0);
		/* stored in English (db/reject_reason.h) */
		if (r->english)
			snprintf(reason, sizeof(reason), "%s", col_text(st, 1));
		else
			reject_reason_zh(col_text(st, 1), reason, sizeof(reason));
		cells[1] = reason;
		cells[2] = n;
		pdf_table_row(r->pdf, cells);
	}
	if (step_done(r, st, rc, err) < 0)
		return -1;
	if (rows)
		pdf_table_end(r->pdf);
	else
		pdf_note(r->pdf, tr(r, "没有未解决的拒收行。", "No rejected row is open."));
	if (resolved_rejects_note(r, err) < 0)
		return -1;
	figure_int(r, cur->run_id, FIG_VOLUMES_ORPHAN_CALLBACKS, &orphans);
	fmt_count(cnt, sizeof(cnt), orphans);
	snprintf(text, sizeof(text), r->english ?
		 "Callbacks in the period whose ticket or complaint is unknown: %s." :
		 "本期找不到对应报修或投诉记录的回访：%s 条。", cnt);
	pdf_subsection(r->pdf, tr(r, "记录之间的矛盾", "Inconsistent records"));
	pdf_paragraph(r->pdf, text);
	if ((n = finding_groups(r, cur, 1, err)) < 0)
		return -1;
	if (!n)
		pdf_note(r->pdf, tr(r, "没有发现时间顺序矛盾或缺少起始事件的记录。",
				    "No impossible orderings or missing start events found."));
	return 0;
}

/* ---- fees ---- */

void run_fee_figures(struct report *r, sqlite3_int64 run, struct check_site_fees *x)
{
	long long due = 0, paid = 0, arrears = 0, rec = 0;
	double rate = 0, rrate = 0;

	memset(x, 0, sizeof(*x));
	x->has_current_rate = figure_real(r, run, FIG_FEES_CURRENT_RATE, &rate) == 0;
	x->has_recovery_rate = figure_real(r, run, FIG_FEES_RECOVERY_RATE, &rrate) == 0;
	x->current_rate = rate;
	x->recovery_rate = rrate;
	figure_int(r, run, FIG_FEES_DUE, &due);
	figure_int(r, run, FIG_FEES_PAID, &paid);
	figure_int(r, run, FIG_FEES_ARREARS_START, &arrears);
	figure_int(r, run, FIG_FEES_RECOVERED, &rec);
	x->due_cents = due;
	x->paid_cents = paid;
	x->arrears_start_cents = arrears;
	x->recovered_cents = rec;
}

static void fee_format(const struct check_site_fees *x, struct fee_text *t)
{
	fmt_money(t->due, sizeof(t->due), x->due_cents);
	fmt_money(t->paid, sizeof(t->paid), x->paid_cents);
	fmt_rate(t->rate, sizeof(t->rate), x->has_current_rate, x->current_rate);
	fmt_money(t->arrears, sizeof(t->arrears), x->arrears_start_cents);
	fmt_money(t->recovered, sizeof(t->recovered), x->recovered_cents);
	fmt_rate(t->recovery, sizeof(t->recovery), x->has_recovery_rate, x->recovery_rate);
}

void fee_text(struct report *r, sqlite3_int64 run, struct fee_text *t)
{
	struct check_site_fees x;

	run_fee_figures(r, run, &x);
	fee_format(&x, t);
}

int fee_items(struct report *r, sqlite3_int64 run, struct fee_item_figures **out, int *n,
	      int *management, pm_error *err)
{
	const struct results_run *x = report_run(r, run, err);
	struct results_fee_items it;
	int by_word = -1;

	*out = NULL;
	*n = 0;
	*management = -1;
	if (!x || results_fee_items_begin(x, &it, err) < 0)
		return -1;
	while (results_fee_items_next(&it)) {
		struct fee_item_figures *grown = realloc(*out, (*n + 1) * sizeof(**out));

		if (!grown) {
			results_fee_items_end(&it, err);
			free(*out);
			*out = NULL;
			return pm_fail(err, "out of memory");
		}
		*out = grown;
		snprintf(grown[*n].item, sizeof(grown[*n].item), "%s", it.row.item);
		grown[*n].due_cents = it.row.due_cents;
		grown[*n].paid_cents = it.row.paid_cents;
		if (!strcmp(it.row.item, "物业管理费") || !strcmp(it.row.item, "物业费"))
			*management = *n;
		else if (by_word < 0 && strstr(it.row.item, "管理费"))
			by_word = *n;
		(*n)++;
	}
	if (*management < 0)
		*management = by_word;
	if (results_fee_items_end(&it, err) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* One row of the fee item table. */
static void fee_item_row(struct report *r, const char *label, long long due, long long paid)
{
	char a[40], b[40], c[32];
	const char *cells[4];
	double rate = 0;
	/* a due below zero (waivers beyond the charges) has no share to print */
	int has = due > 0 && results_rate(paid, due, 0, &rate, NULL);

	fmt_money(a, sizeof(a), due);
	fmt_money(b, sizeof(b), paid);
	fmt_rate(c, sizeof(c), has, rate);
	cells[0] = label;
	cells[1] = a;
	cells[2] = b;
	cells[3] = c;
	pdf_table_row(r->pdf, cells);
}

int fee_items_table(struct report *r, sqlite3_int64 run, pm_error *err)
{
	struct pdf_col cols[4] = {
		{ tr(r, "收费项目", "Fee item"), 3, PDF_LEFT }, { tr(r, "应收", "Due"), 2, PDF_RIGHT },
		{ tr(r, "实收", "Paid"), 2, PDF_RIGHT }, { tr(r, "收缴率", "Rate"), 1.4, PDF_RIGHT }
	};
	struct fee_item_figures *items;
	long long due = 0, paid = 0;
	int n, management, i;

	if (fee_items(r, run, &items, &n, &management, err) < 0)
		return -1;
	if (n > 0) {
		pdf_subsection(r->pdf, tr(r, "按收费项目", "By fee item"));
		pdf_table_begin(r->pdf, cols, 4);
		for (i = 0; i < n; i++)
			fee_item_row(r, items[i].item, items[i].due_cents, items[i].paid_cents);
		figure_int(r, run, FIG_FEES_DUE, &due);
		figure_int(r, run, FIG_FEES_PAID, &paid);
		fee_item_row(r, tr(r, "合计", "Total"), due, paid);
		pdf_table_end(r->pdf);
	}
	free(items);
	return 0;
}

static void fee_paragraph(struct report *r, sqlite3_int64 run)
{
	struct fee_text t;
	char text[600];

	fee_text(r, run, &t);
	snprintf(text, sizeof(text), r->english ?
		 "Due for the period %s (charges less waivers), paid by the as-of time %s: current "
		 "collection rate %s. Arrears at the start of the period %s, of which %s was "
		 "recovered: recovery rate %s." :
		 "本期应收 %s（收费扣除减免），截至数据截止时间实收 %s，当期收缴率 %s。"
		 "期初欠费 %s，本期收回 %s，清欠率 %s。", t.due, t.paid, t.rate, t.arrears,
		 t.recovered, t.recovery);
	pdf_paragraph(r->pdf, text);
}

/* One row of the fee table: the label, then the fee figures. */
static void fee_row(struct report *r, const char *label, const struct check_site_fees *x)
{
	struct fee_text t;
	const char *cells[7];

	fee_format(x, &t);
	cells[0] = label;
	cells[1] = t.due;
	cells[2] = t.paid;
	cells[3] = t.rate;
	cells[4] = t.arrears;
	cells[5] = t.recovered;
	cells[6] = t.recovery;
	pdf_table_row(r->pdf, cells);
}

/* Per site: the figures a rules engine run for that site alone stores, so totals agree. */
static int fee_site_table(struct report *r, sqlite3_int64 total_run, const char *from,
			  const char *to, const char *as_of, pm_error *err)
{
	struct pdf_col cols[7] = {
		{ tr(r, "项目", "Site"), 2.2, PDF_LEFT }, { tr(r, "应收", "Due"), 1.8, PDF_RIGHT },
		{ tr(r, "实收", "Paid"), 1.8, PDF_RIGHT }, { tr(r, "收缴率", "Rate"), 1.2, PDF_RIGHT },
		{ tr(r, "期初欠费", "Arrears"), 1.8, PDF_RIGHT }, { tr(r, "收回欠费", "Recovered"), 1.8, PDF_RIGHT },
		{ tr(r, "清欠率", "Recovery"), 1.2, PDF_RIGHT }
	};
	/*
	 * The ledger's sites, one index seek each on fees_account (led by
	 * site): DISTINCT would read all of its entries (0.2 s for 2M events).
	 */
	sqlite3_stmt *st = prepare(r,
		"WITH RECURSIVE s(site) AS (SELECT min(site) FROM fees"
		" UNION ALL SELECT (SELECT min(site) FROM fees WHERE site > s.site) FROM s"
		"  WHERE s.site IS NOT NULL)"
		" SELECT site FROM s WHERE site IS NOT NULL", err);
	struct check_params p = {
		.from = from, .to = to, .as_of = as_of,
		.rules = r->opts->rules, .calendar = r->opts->calendar,
	};
	struct check_site_fees *figs = NULL;
	char (*sites)[128] = NULL;
	int n = 0, i, k = 0, nfigs = 0, rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		void *grown = realloc(sites, (n + 1) * sizeof(*sites));

		if (!grown) {
			sqlite3_finalize(st);
			free(sites);
			return pm_fail(err, "out of memory");
		}
		sites = grown;
		snprintf(sites[n++], sizeof(sites[0]), "%s", col_text(st, 0));
	}
	if (step_done(r, st, rc, err) < 0) {
		free(sites);
		return -1;
	}
	/*
	 * Every site's figures from one pass over the ledger, each what a run
	 * for that site would store (one check_run per site read the whole
	 * ledger a hundred times).
	 */
	if (r->site_fees) {
		figs = (struct check_site_fees *)r->site_fees;
		nfigs = r->nsite_fees;
	} else if (n && check_fees_by_site(r->db, &p, &figs, &nfigs, err) < 0) {
		free(sites);
		return -1;
	}
	for (i = 0; i < n; i++) {
		static const struct check_site_fees none;
		const struct check_site_fees *x = &none;

		/* A site missing from the pass has nothing any figure sees. */
		while (k < nfigs && strcmp(figs[k].site, sites[i]) < 0)
			k++;
		if (k < nfigs && !strcmp(figs[k].site, sites[i]))
			x = &figs[k];
		if (i == 0)
			pdf_table_begin(r->pdf, cols, 7);
		fee_row(r, sites[i], x);
	}
	if (!r->site_fees)
		check_site_fees_free(figs, nfigs);
	if (n) {
		struct check_site_fees all;

		/* The total row: the all-sites run, i.e. the JSON summary's figures. */
		run_fee_figures(r, total_run, &all);
		fee_row(r, tr(r, "合计", "Total"), &all);
		pdf_table_end(r->pdf);
	}
	free(sites);
	return 0;
}

/*
 * a + b for money: each bucket fits in 64-bit cents (the fee pass checks),
 * their sum may not; that fails the report (report_fail) rather than print
 * a wrapped-around total.
 */
static long long money_add(struct report *r, long long a, long long b)
{
	long long sum;
	pm_error e;

	if (!__builtin_add_overflow(a, b, &sum))
		return sum;
	pm_fail(&e, "fee amounts too large to add up: the arrears aging total passes "
		"92,233,720,368,547,758.07 yuan; correct the amounts and import the fees again");
	report_fail(r, &e);
	return 0;
}

long long aging_figures(struct report *r, sqlite3_int64 run, long long *cents)
{
	long long total = 0;
	int k;

	for (k = 0; k < AGING_BUCKETS; k++) {
		cents[k] = 0;
		figure_int(r, run, FIG_FEES_AGING_1_30 + k, &cents[k]);
		total = money_add(r, total, cents[k]);
	}
	return total;
}

/*
 * A fee rate tile: the run's figure rate_key as the value; under it the
 * amounts part_key / whole_key and the change against the previous run.
 */
static void fee_rate_tile(struct report *r, sqlite3_int64 run, sqlite3_int64 prev_run,
			  enum results_figure rate_key, enum results_figure part_key,
			  enum results_figure whole_key,
			  char *value, size_t value_size, char *note, size_t note_size)
{
	double rate = 0, prate = 0;
	long long part = 0, whole = 0;
	int has = figure_real(r, run, rate_key, &rate) == 0;
	int phas = figure_real(r, prev_run, rate_key, &prate) == 0;
	char a[40], b[40], change[32];

	figure_int(r, run, part_key, &part);
	figure_int(r, run, whole_key, &whole);
	fmt_rate(value, value_size, has, rate);
	fmt_money(a, sizeof(a), part);
	fmt_money(b, sizeof(b), whole);
	fmt_points(change, sizeof(change), has, rate, phas, prate);
	if (r->english)
		snprintf(note, note_size, "%s of %s · change %s pp", a, b, change);
	else
		snprintf(note, note_size, "%s / %s · 较%s %s", a, b, prev_name(r), change);
}

int fee_tiles(struct report *r, sqlite3_int64 run, sqlite3_int64 prev_run, pm_error *err)
{
	struct pdf_tile tiles[3];
	char v[3][40], notes[3][160];
	long long buckets[AGING_BUCKETS];

	fee_rate_tile(r, run, prev_run, FIG_FEES_CURRENT_RATE, FIG_FEES_PAID, FIG_FEES_DUE,
		      v[0], sizeof(v[0]), notes[0], sizeof(notes[0]));
	fee_rate_tile(r, run, prev_run, FIG_FEES_RECOVERY_RATE, FIG_FEES_RECOVERED,
		      FIG_FEES_ARREARS_START, v[1], sizeof(v[1]), notes[1], sizeof(notes[1]));
	fmt_money(v[2], sizeof(v[2]), aging_figures(r, run, buckets));
	snprintf(notes[2], sizeof(notes[2]), "%s", tr(r, "截至数据截止时间的全部欠费",
						       "all arrears at the as-of time"));
	tiles[0] = (struct pdf_tile){ tr(r, "当期收缴率", "Current collection rate"), v[0], notes[0], PDF_NEUTRAL };
	tiles[1] = (struct pdf_tile){ tr(r, "清欠率", "Arrears recovery rate"), v[1], notes[1], PDF_NEUTRAL };
	tiles[2] = (struct pdf_tile){ tr(r, "欠费余额", "Arrears outstanding"), v[2], notes[2], PDF_NEUTRAL };
	pdf_tiles(r->pdf, tiles, 3);
	(void)err;
	return 0;
}

/* A row of the aging table: the label, the buckets and their sum. */
static void aging_row(struct report *r, const char *label, const long long *cents)
{
	char cell[AGING_BUCKETS + 2][40];
	const char *cells[AGING_BUCKETS + 2];
	long long sum = 0;
	int k;

	cells[0] = label;
	for (k = 0; k < AGING_BUCKETS; k++) {
		fmt_money(cell[k + 1], sizeof(cell[0]), cents[k]);
		cells[k + 1] = cell[k + 1];
		sum = money_add(r, sum, cents[k]);
	}
	fmt_money(cell[AGING_BUCKETS + 1], sizeof(cell[0]), sum);
	cells[AGING_BUCKETS + 1] = cell[AGING_BUCKETS + 1];
	pdf_table_row(r->pdf, cells);
}

/*
 * The chart in yuan, one stacked bar per site; with many sites the ones
 * owing most and 其他 (chart_top_sites()). -1: out of memory.
 */
static int aging_chart(struct report *r, const struct results_aging_site *sites, int n,
		       const struct pdf_col *cols)
{
	struct chart c = { .kind = CHART_STACKED, .ylabel = tr(r, "元", "yuan"), .money = 1,
			   .nseries = AGING_BUCKETS };
	double *values = calloc((size_t)n * AGING_BUCKETS, sizeof(*values));
	double *owed = calloc(n, sizeof(*owed));
	double *shown = calloc((size_t)(CHART_TOP_SITES + 1) * AGING_BUCKETS, sizeof(*shown));
	const char **names = calloc(n, sizeof(*names));
	const char **cats = calloc(CHART_TOP_SITES + 1, sizeof(*cats));
	int i, k, rc = -1;

	if (!values || !owed || !shown || !names || !cats)
		goto out;
	for (k = 0; k < AGING_BUCKETS; k++)
		c.series[k] = cols[k + 1].title;
	for (i = 0; i < n; i++) {
		names[i] = sites[i].site;
		for (k = 0; k < AGING_BUCKETS; k++) {
			values[i * AGING_BUCKETS + k] = sites[i].cents[k] / 100.0;
			owed[i] += sites[i].cents[k];
		}
	}
	c.ncats = chart_top_sites(names, values, AGING_BUCKETS, owed, n, tr(r, "其他", "others"),
				  cats, shown);
	if (c.ncats < 0)
		goto out;
	c.cats = cats;
	c.values = shown;
	place_chart(r, "aging", &c, n > CHART_TOP_SITES ?
		    tr(r, "欠费账龄（欠费最多的20个项目及其他）",
		       "arrears aging by site (the 20 sites owing most and others)") :
		    tr(r, "欠费账龄（按项目）", "arrears aging by site"));
	rc = 0;
out:
	free(values); free(owed); free(shown); free(names); free(cats);
	return rc;
}

/* Aging by site from the fee aging records; the total row from the figures. */
static int aging_table(struct report *r, const struct run_view *cur, pm_error *err)
{
	struct pdf_col cols[7] = {
		{ tr(r, "项目", "Site"), 2.2, PDF_LEFT }, { tr(r, "1-30天", "1-30 d"), 1.5, PDF_RIGHT },
		{ tr(r, "31-90天", "31-90 d"), 1.5, PDF_RIGHT }, { tr(r, "91-180天", "91-180 d"), 1.5, PDF_RIGHT },
		{ tr(r, "181-365天", "181-365 d"), 1.5, PDF_RIGHT }, { tr(r, "365天以上", "over 365 d"), 1.5, PDF_RIGHT },
		{ tr(r, "合计", "Total"), 1.6, PDF_RIGHT }
	};
	struct results_aging_site *sites = NULL;
	int n = 0, i;

	if (results_aging_by_site(cur->results, &sites, &n, err) < 0) {
		free(sites);
		return -1;
	}
	if (n)
		pdf_table_begin(r->pdf, cols, AGING_BUCKETS + 2);
	for (i = 0; i < n; i++)
		aging_row(r, sites[i].site, sites[i].cents);
	if (n) {
		long long total[AGING_BUCKETS];

		aging_figures(r, cur->run_id, total);
		aging_row(r, tr(r, "合计", "Total"), total);
		pdf_table_end(r->pdf);
		if (aging_chart(r, sites, n, cols) < 0) {
			free(sites);
			return pm_fail(err, "out of memory");
		}
	} else {
		pdf_note(r->pdf, tr(r, "截至数据截止时间没有欠费。", "No arrears at the as-of time."));
	}
	free(sites);
	return 0;
}

/* The letter rule: the action list first (letters due now), then the breaches. */
static int letters(struct report *r, const struct run_view *cur, pm_error *err)
{
	const struct rule_result *x = key_rule(r, cur, KEY_LETTER);
	struct pdf_col cols[5] = {
		{ tr(r, "账户（项目/房号/收费项目）", "Account (site/room/item)"), 3.4, PDF_LEFT },
		{ tr(r, "项目", "Site"), 1.6, PDF_LEFT },
		{ tr(r, "首次电话/短信催缴", "First phone/SMS reminder"), 1.9, PDF_LEFT },
		{ tr(r, "催缴函期限", "Letter due by"), 1.9, PDF_LEFT },
		{ tr(r, "欠费", "Outstanding"), 1.5, PDF_RIGHT }
	};
	struct results_records it;
	int rows = 0;

	if (!x)
		return 0;
	if (rule_detail(r, cur, NULL, x, 15, err) < 0)
		return -1;
	pdf_subsection(r->pdf, tr(r, "应立即发出催缴函", "Letters due now"));
	if (results_records_begin(cur->results, x->rule_id, RECORDS_DUE_NOW, -1, &it, err) < 0)
		return -1;
	while (results_records_next(&it)) {
		const char *cells[5];
		char money[40];

		if (!rows++)
			pdf_table_begin(r->pdf, cols, 5);
		fmt_money(money, sizeof(money), it.row.amount_cents);
		cells[0] = it.row.record_id;
		cells[1] = it.row.site;
		cells[2] = it.row.start;
		cells[3] = it.row.deadline;
		cells[4] = it.row.has_amount ? money : "—";
		pdf_table_row(r->pdf, cells);
	}
	if (results_records_end(&it, err) < 0)
		return -1;
	if (rows)
		pdf_table_end(r->pdf);
	else
		pdf_note(r->pdf, tr(r, "目前没有到期应发的催缴函。", "No letter is due now."));
	return 0;
}

int fees_section(struct report *r, const struct run_view *cur, const char *from,
		 const char *to, const char *as_of, const char *title, pm_error *err)
{
	pdf_section(r->pdf, title);
	fee_paragraph(r, cur->run_id);
	if (fee_items_table(r, cur->run_id, err) < 0)
		return -1;
	if (!r->opts->site) {
		pdf_subsection(r->pdf, tr(r, "各项目收缴情况", "Collection by site"));
		if (fee_site_table(r, cur->run_id, from, to, as_of, err) < 0)
			return -1;
	}
	pdf_subsection(r->pdf, tr(r, "欠费账龄", "Arrears aging"));
	if (aging_table(r, cur, err) < 0)
		return -1;
	return letters(r, cur, err);
}

/* ---- appendix and CSV ---- */

/*
 * The appendix's first rows, kept while the CSV is written: one read of the
 * run's breached and pending records serves both (a second sorted read of
 * tens of thousands of records cost 0.1-0.2 s on the big database).
 */
struct appendix_rows {
	/* rule title, record, site and room, responsible, start, deadline, end (NULL: not done) */
	char *cell[APPENDIX_ROWS][7];
	int pending[APPENDIX_ROWS];
	int unknown[APPENDIX_ROWS];     /* 无法判定: not judged, neither late nor not done */
	int has_late[APPENDIX_ROWS];
	long long late[APPENDIX_ROWS];
	int n;
	long long total;
	char *csv;                      /* the CSV written; NULL: none (the PDF goes to a stream) */
};

static void appendix_rows_free(struct appendix_rows *a)
{
	int i, k;

	for (i = 0; i < a->n; i++)
		for (k = 0; k < 7; k++)
			free(a->cell[i][k]);
	a->n = 0;
}

/* A breach_row_fn: keeps the first APPENDIX_ROWS rows and counts them all. */
static int keep_row(void *ctx, const struct breach_row *b, pm_error *err)
{
	struct appendix_rows *a = ctx;
	/* the rule by its title in the report's language, as in the CSV's column */
	const char *v[7] = { b->rule_title ? b->rule_title : b->rule_id, b->record_id, b->site,
			     b->responsible, b->start, b->deadline, b->end };
	char place[300];
	int i = a->n, k;

	a->total++;
	if (a->n >= APPENDIX_ROWS)
		return 0;
	site_and_room(b->site, b->room, place, sizeof(place));
	v[2] = place;
	for (k = 0; k < 7; k++) {
		a->cell[i][k] = NULL;
		if (k == 6 && !v[6])
			continue;
		if (!(a->cell[i][k] = strdup(v[k] ? v[k] : "")))
			return pm_fail(err, "out of memory");
	}
	a->pending[i] = !strcmp(b->status, "pending");
	a->unknown[i] = !strcmp(b->status, "unknown");
	a->has_late[i] = b->has_late;
	a->late[i] = b->late_seconds;
	a->n++;
	return 0;
}

/* The CSV through the one writer of check --csv (rules/results/results.h). */
static int write_csv(struct report *r, sqlite3_int64 run, const char *path,
		     struct appendix_rows *a, pm_error *err)
{
	FILE *f;
	int rc;

	/* renamed into place with the PDF by report_end() */
	if (path) {
		if (outfile_open(&r->side_out, path, err) < 0)
			return -1;
		r->has_side_out = 1;
		f = r->side_out.f;
	} else if (!(f = fopen("/dev/null", "w"))) {
		/* no CSV (the PDF goes to a stream): the rows still fill the appendix */
		return pm_fail(err, "/dev/null: %s", strerror(errno));
	}
	rc = results_write_breaches(r->db, run, r->english, f, keep_row, a, err);
	if (!path)
		fclose(f);
	else if (rc == 0 && ferror(f))
		return pm_fail(err, "%s: write failed: %s", path, strerror(errno));
	return rc;
}

static void appendix_table(struct report *r, const struct appendix_rows *a)
{
	struct pdf_col cols[8] = {
		{ tr(r, "规则", "Rule"), 1.8, PDF_LEFT }, { tr(r, "记录", "Record"), 1.7, PDF_LEFT },
		{ tr(r, "项目 / 房号", "Site / room"), 2.0, PDF_LEFT },
		{ tr(r, "责任人 / 部门", "Technician / dept."), 1.2, PDF_LEFT },
		{ tr(r, "开始", "Start"), 1.5, PDF_LEFT }, { tr(r, "期限", "Deadline"), 1.5, PDF_LEFT },
		{ tr(r, "完成", "End"), 1.5, PDF_LEFT }, { tr(r, "超时", "Late by"), 1.7, PDF_RIGHT }
	};
	int i, k;

	if (!a->n)
		return;
	pdf_table_begin(r->pdf, cols, 8);
	for (i = 0; i < a->n; i++) {
		const char *cells[8];
		char late[48];

		fmt_late(r, late, sizeof(late), a->late[i]);
		for (k = 0; k < 6; k++)
			cells[k] = a->cell[i][k];
		cells[6] = a->cell[i][6] ? a->cell[i][6] : a->unknown[i] ? "—" :
			   tr(r, "未完成", "not done");
		cells[7] = a->pending[i] ? tr(r, "待定", "pending") :
			   a->unknown[i] ? tr(r, "无法判定", "unknown") : late;
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
}

int appendix_prepare(struct report *r, const struct run_view *cur, struct appendix_rows **out,
		     pm_error *err)
{
	struct appendix_rows *a = calloc(1, sizeof(*a));

	*out = NULL;
	if (!a)
		return pm_fail(err, "out of memory");
	a->csv = breaches_csv_path(r->opts->out);
	if (write_csv(r, cur->run_id, a->csv, a, err) < 0) {
		appendix_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

int appendix_print(struct report *r, struct appendix_rows *a, pm_error *err)
{
	const char *base = !a->csv ? NULL : strrchr(a->csv, '/') ? strrchr(a->csv, '/') + 1 : a->csv;
	char *note = NULL;
	int n;

	pdf_section(r->pdf, tr(r, "附录  超时及待定记录明细", "Appendix: breached and pending records"));
	appendix_table(r, a);
	if (base)
		n = asprintf(&note, r->english ?
			     "%d of %lld records shown. All of them are in %s (UTF-8 CSV, opens in Excel)." :
			     "本附录列出 %d 条，共 %lld 条；全部记录见 %s（UTF-8 CSV，可用 Excel 打开）。",
			     a->n, a->total, base);
	else
		n = asprintf(&note, r->english ? "%d of %lld records shown (`pmaudit check --csv` "
			     "writes all of them)." : "本附录列出 %d 条，共 %lld 条（全部记录可用 "
			     "`pmaudit check --csv` 导出）。", a->n, a->total);
	if (n >= 0)
		pdf_note(r->pdf, note);
	free(note);
	appendix_free(a);
	(void)err;
	return 0;
}

void appendix_free(struct appendix_rows *a)
{
	if (!a)
		return;
	appendix_rows_free(a);
	free(a->csv);
	free(a);
}
