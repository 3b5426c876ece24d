/*
 * The executive summary (执行摘要): a page generated from the run's stored
 * figures for the reader who signs -- the targets missed, the biggest
 * changes against the previous period, the sites with most breaches, and
 * the rectification list (整改清单): each missed rule with the sites and
 * counts to fix. Nothing is computed here that the engine did not store:
 * rates and targets are the rules' results, counts the per-site results.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/sections.h"

#define TOP_CHANGES 3
#define TOP_SITES 3
/* sites named per rectification row: two lines of the cell at most */
#define FIX_SITES 3

static void free_totals(struct name_count *t, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

/*
 * The breached records per site of one rule (rule_id) or of all rules
 * (NULL), most first; sites without a breach are left out.
 */
static int site_breaches(const struct run_view *cur, const char *rule_id,
			 struct name_count **out, int *n, pm_error *err)
{
	struct results_sites it;
	struct name_count *t = NULL;
	int cnt = 0, cap = 0, i;

	*out = NULL;
	*n = 0;
	if (results_sites_begin(cur->results, rule_id, &it, err) < 0)
		return -1;
	while (results_sites_next(&it)) {
		if (!it.row.breached)
			continue;
		for (i = 0; i < cnt && strcmp(t[i].name, it.row.site); i++)
			;
		if (i == cnt) {
			if (cnt == cap) {
				struct name_count *g = realloc(t, (cap ? cap * 2 : 16) * sizeof(*g));

				if (!g)
					break;
				t = g;
				cap = cap ? cap * 2 : 16;
			}
			t[cnt].name = strdup(it.row.site);
			t[cnt].count = 0;
			if (!t[cnt].name)
				break;
			cnt++;
		}
		t[i].count += it.row.breached;
	}
	if (results_sites_end(&it, err) < 0) {
		free_totals(t, cnt);
		return -1;
	}
	/* qsort's base must not be NULL, even for no rows (UBSan) */
	if (cnt > 1)
		qsort(t, cnt, sizeof(*t), name_count_desc);
	*out = t;
	*n = cnt;
	return 0;
}

/*
 * How many rules missed their target; the rules themselves, with rate and
 * target, are the rectification list's rows (one list, so that the page
 * holds sixteen missed rules without running onto a second page).
 */
static void missed_targets(struct report *r, const struct run_view *cur)
{
	char text[400];
	int i, missed = 0, judged = 0;

	for (i = 0; i < cur->nrules; i++)
		if (cur->rules[i].has_target_met) {
			judged++;
			missed += !cur->rules[i].target_met;
		}
	if (!missed)
		snprintf(text, sizeof(text), r->english ?
			 "All %d rules with records to judge met their target." :
			 "本期有考核记录的 %d 项规则全部达到目标。", judged);
	else
		snprintf(text, sizeof(text), r->english ?
			 "%d of the %d rules with records to judge missed their target; "
			 "the rectification list below gives each with its rate and the sites to fix." :
			 "本期有考核记录的 %2$d 项规则中，%1$d 项未达到目标，"
			 "见下方整改清单（达标率与需整改项目）。", missed, judged);
	pdf_paragraph(r->pdf, text);
}

/* A rule's change of rate against prev in points; -1 when either has no rate. */
static double change_of(const struct rule_result *x, const struct run_view *prev)
{
	const struct rule_result *p = prev ? find_rule(prev, x->rule_id) : NULL;

	if (!p || !x->has_rate || !p->has_rate || x->rate == p->rate)
		return -1;
	return fabs(x->rate - p->rate);
}

int exec_comparable(const struct run_view *before, const struct run_view *after)
{
	int i, n = 0;

	for (i = 0; before && after && i < after->nrules; i++) {
		const struct rule_result *p = find_rule(before, after->rules[i].rule_id);

		n += p && p->has_rate && after->rules[i].has_rate;
	}
	return n;
}

static void biggest_changes(struct report *r, const struct exec_changes *ch)
{
	const struct run_view *cur = ch->after, *prev = ch->before;
	const struct rule_result *top[TOP_CHANGES] = { NULL };
	char text[2000], a[32], b[32], pts[32];
	size_t len;
	int i, k, n = 0;

	/* the TOP_CHANGES largest changes, largest first (rules-file order on ties) */
	for (k = 0; cur && prev && k < TOP_CHANGES; k++) {
		double most = -1;

		for (i = 0; i < cur->nrules; i++) {
			double d = change_of(&cur->rules[i], prev);
			int j, taken = 0;

			for (j = 0; j < n; j++)
				taken |= top[j] == &cur->rules[i];
			if (!taken && d > most) {
				most = d;
				top[n] = &cur->rules[i];
			}
		}
		if (most < 0)
			break;
		n++;
	}
	len = 0;
	text_append(text, sizeof(text), &len, "%s", ch->heading);
	if (!n)
		text_append(text, sizeof(text), &len, "%s",
				tr(r, "无可比较的数据。", " no comparable figures."));
	for (i = 0; i < n; i++) {
		const struct rule_result *p = find_rule(prev, top[i]->rule_id);

		fmt_rate(a, sizeof(a), p->has_rate, p->rate);
		fmt_rate(b, sizeof(b), top[i]->has_rate, top[i]->rate);
		fmt_points(pts, sizeof(pts), top[i]->has_rate, top[i]->rate, p->has_rate, p->rate);
		text_append(text, sizeof(text), &len, r->english ?
				"\n· %s: %s → %s (%s pp)" : "\n· %s：%s → %s（%s 个百分点）",
				top[i]->rule_id, a, b, pts);
	}
	pdf_paragraph(r->pdf, text);
}

static int worst_sites(struct report *r, const struct run_view *cur, pm_error *err)
{
	struct name_count *t;
	char text[1500];
	size_t len;
	int n, i;

	if (site_breaches(cur, NULL, &t, &n, err) < 0)
		return -1;
	len = 0;
	text_append(text, sizeof(text), &len, "%s",
		       tr(r, "超时记录最多的项目：", "Sites with the most breached records:"));
	if (!n)
		text_append(text, sizeof(text), &len, "%s",
				tr(r, "无超时记录。", " none."));
	for (i = 0; i < n && i < TOP_SITES; i++)
		text_append(text, sizeof(text), &len, r->english ?
				"%s %s %lld" : "%s%s %lld 条", i ? (r->english ? "," : "、") : "",
				t[i].name, t[i].count);
	pdf_paragraph(r->pdf, text);
	free_totals(t, n);
	return 0;
}

/* 整改清单: each missed rule, its breaches and the sites to fix (most first). */
static int fix_list(struct report *r, const struct run_view *cur, pm_error *err)
{
	const struct pdf_col cols[5] = {
		{ tr(r, "未达标规则", "Rule missing its target"), 2.9, PDF_LEFT },
		{ tr(r, "达标率", "Rate"), 0.65, PDF_RIGHT },
		{ tr(r, "目标", "Target"), 0.65, PDF_RIGHT },
		{ tr(r, "超时", "Breached"), 0.6, PDF_RIGHT },
		{ tr(r, "需整改项目（超时条数）", "Sites to fix (breached records)"), 2.5, PDF_LEFT }
	};
	int i, rows = 0;

	pdf_subsection(r->pdf, tr(r, "整改清单", "Rectification list"));
	for (i = 0; i < cur->nrules; i++) {
		const struct rule_result *x = &cur->rules[i];
		struct name_count *t;
		char rule[300], rate[32], target[32], count[32], sites[1200];
		const char *cells[5];
		size_t len = 0;
		int n, k;

		if (!x->has_target_met || x->target_met)
			continue;
		if (site_breaches(cur, x->rule_id, &t, &n, err) < 0)
			return -1;
		sites[0] = '\0';
		for (k = 0; k < n && k < FIX_SITES; k++)
			if (text_append(sites, sizeof(sites), &len, "%s%s %lld",
					k ? (r->english ? ", " : "、") : "", t[k].name, t[k].count))
				break;
		if (n > FIX_SITES)
			text_append(sites, sizeof(sites), &len, r->english ?
				 ", and %d more sites" : " 等 %d 个项目", r->english ? n - FIX_SITES : n);
		if (!n)
			snprintf(sites, sizeof(sites), "%s", tr(r, "（未达标来自覆盖率或周指标，见正文）",
								"(a coverage or weekly shortfall: see the section)"));
		snprintf(rule, sizeof(rule), "%s %s", x->rule_id, x->title);
		fmt_rate(rate, sizeof(rate), x->has_rate, x->rate);
		fmt_rate(target, sizeof(target), x->has_target, x->target);
		fmt_count(count, sizeof(count), x->breached);
		cells[0] = rule;
		cells[1] = rate;
		cells[2] = target;
		/* deadline and letter rules count breached records; the others a share */
		cells[3] = !strcmp(x->kind, "deadline") || !strcmp(x->kind, "letter") ? count : "—";
		cells[4] = sites;
		if (!rows++)
			pdf_table_begin(r->pdf, cols, 5);
		pdf_table_row(r->pdf, cells);
		free_totals(t, n);
	}
	if (rows)
		pdf_table_end(r->pdf);
	else
		pdf_paragraph(r->pdf, tr(r, "本期全部规则达到目标，无整改项。",
					 "Every rule met its target: nothing to rectify."));
	return 0;
}

int executive_summary(struct report *r, const struct run_view *cur,
		      const struct exec_changes *changes, pm_error *err)
{
	pdf_new_page(r->pdf);
	pdf_section(r->pdf, tr(r, "执行摘要", "Executive summary"));
	missed_targets(r, cur);
	biggest_changes(r, changes);
	if (worst_sites(r, cur, err) < 0)
		return -1;
	return fix_list(r, cur, err);
}
