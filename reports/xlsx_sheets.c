/*
 * The Excel workbook's sheets (reports/xlsx.h). Each list streams its rows
 * from the data layer (reports/xlsx_data.c) into the sheet helpers
 * (reports/xlsx.c); every figure is the check run's own, read as the PDF
 * reads it (load_run, figures, the fee and aging helpers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/report.h"
#include "reports/sections.h"
#include "reports/xlsx_book.h"
#include "reports/sample.h"
#include "reports/xlsx_data.h"
#include "db/db.h"
#include "db/reject_reason.h"
#include "rules/results/results.h"
#include "rules/engine/check.h"
#include "util/civil.h"

/* A list sheet written: its name, its data rows, the sheets it took. */
struct written {
	char name[64];
	long long rows;
	int parts;
};

#define MAX_LISTS 12

struct book_ctx {
	const struct xlsx_job *job;
	struct report r;                /* for the shared readers: db, language */
	struct report_opts ropts;
	struct run_view run;
	struct xbook book;
	struct xsheet list;             /* the list being written */
	struct written lists[MAX_LISTS];
	int nlists;
	pm_error *err;
};

static const char *T(const struct book_ctx *c, const char *zh, const char *en)
{
	return c->job->english ? en : zh;
}

static void remember(struct book_ctx *c, const struct xsheet *s)
{
	struct written *w;

	if (c->nlists == MAX_LISTS)
		return;
	w = &c->lists[c->nlists++];
	snprintf(w->name, sizeof(w->name), "%s", s->name);
	w->rows = s->rows;
	w->parts = s->part;
}

static void end_list(struct book_ctx *c)
{
	xsheet_end(&c->list);
	remember(c, &c->list);
}

static const char *status_name(const struct book_ctx *c, const char *status)
{
	if (!strcmp(status, "breached"))
		return T(c, "超时", "breached");
	if (!strcmp(status, "pending"))
		return T(c, "待定", "pending");
	if (!strcmp(status, "unknown"))
		return T(c, "无法判定", "unknown");
	return status;
}

/*
 * An account's record id is "site/room/fee item": the room and the item
 * after the site's prefix, cut at the last '/' (fee items hold none).
 */
static void split_account(const char *site, const char *account, char *room, size_t nroom,
			  char *item, size_t nitem)
{
	size_t len = strlen(site);
	const char *rest = account, *slash;

	if (!strncmp(account, site, len) && account[len] == '/')
		rest = account + len + 1;
	slash = strrchr(rest, '/');
	if (!slash) {
		snprintf(room, nroom, "%s", rest);
		snprintf(item, nitem, "%s", "");
		return;
	}
	snprintf(room, nroom, "%.*s", (int)(slash - rest), rest);
	snprintf(item, nitem, "%s", slash + 1);
}

/* ---- 违规明细 / Breaches ---- */

static int breach_row(struct book_ctx *c, const char *rule_id, const struct results_record *x)
{
	struct xsheet *s = &c->list;
	const char *category = x->category, *room = x->room;
	char aroom[512], item[512];

	if (xsheet_next(s, c->err) < 0)
		return -1;
	if (!strcmp(x->record_kind, "account")) {
		split_account(x->site, x->record_id, aroom, sizeof(aroom), item, sizeof(item));
		room = aroom;
		category = item;
	} else if (!strcmp(x->record_kind, "complaint") && *category) {
		category = complaint_level_name(&c->r, category);
	}
	xcell_text(s, 0, rule_id);
	xcell_text(s, 1, rule_title(&c->r, &c->run, rule_id));
	xcell_text(s, 2, x->site);
	xcell_text(s, 3, room);
	xcell_text(s, 4, x->record_id);
	xcell_text(s, 5, category);
	xcell_text(s, 6, x->responsible);
	xcell_time(s, 7, x->start);
	xcell_time(s, 8, x->deadline);
	xcell_time(s, 9, x->end);
	xcell_text(s, 10, status_name(c, x->status));
	if (x->has_late)
		xcell_duration(s, 11, x->late_seconds);
	return 0;
}

static int by_rule_id(const void *a, const void *b)
{
	return strcmp(((const struct rule_result *)a)->rule_id,
		      ((const struct rule_result *)b)->rule_id);
}

/* One rule's breached and pending records, by start and record id (the CSV's order). */
static int rule_breaches(struct book_ctx *c, const char *rule_id)
{
	struct results_records it;
	int rc = 0;

	if (results_records_begin(c->run.results, rule_id, RECORDS_BREACHES, -1, &it, c->err) < 0)
		return -1;
	while (rc == 0 && results_records_next(&it))
		rc = breach_row(c, rule_id, &it.row);
	if (rc < 0) {
		results_records_end(&it, NULL);
		return -1;
	}
	return results_records_end(&it, c->err);
}

static int breaches_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "规则编号", "Rule"), X_TEXT }, { T(c, "规则", "Rule title"), X_TEXT },
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "房号", "Room"), X_TEXT },
		{ T(c, "记录编号", "Record"), X_TEXT },
		{ T(c, "类别/级别", "Category / level"), X_TEXT },
		{ T(c, "维修人员/责任部门", "Technician / department"), X_TEXT },
		{ T(c, "开始", "Start"), X_TIME }, { T(c, "期限", "Deadline"), X_TIME },
		{ T(c, "完成", "End"), X_TIME }, { T(c, "状态", "Status"), X_TEXT },
		{ T(c, "超时时长", "Late by"), X_DURATION },
	};
	struct rule_result *rules;
	int i, rc = 0;

	if (xsheet_list(&c->list, &c->book, T(c, "违规明细", "Breaches"), cols, 12, c->err) < 0)
		return -1;
	/* by rule id, as the breaches CSV */
	rules = malloc((c->run.nrules + 1) * sizeof(*rules));
	if (!rules)
		return pm_fail(c->err, "out of memory");
	memcpy(rules, c->run.rules, c->run.nrules * sizeof(*rules));
	qsort(rules, c->run.nrules, sizeof(*rules), by_rule_id);
	for (i = 0; rc == 0 && i < c->run.nrules; i++)
		rc = rule_breaches(c, rules[i].rule_id);
	free(rules);
	if (rc < 0)
		return -1;
	end_list(c);
	return 0;
}

/* ---- 项目排名 / Site ranking (rules/results/ranking.c, as the PDF ranks) ---- */

static int ranking_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "规则组", "Rule group"), X_TEXT }, { T(c, "名次", "Rank"), X_COUNT },
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "达标", "Met"), X_COUNT },
		{ T(c, "未达标", "Breached"), X_COUNT }, { T(c, "待定", "Pending"), X_COUNT },
		{ T(c, "无法判定", "Unknown"), X_COUNT }, { T(c, "达标率", "Rate"), X_RATE },
	};
	struct ranking k;
	int g, i, rc = 0;

	if (results_ranking(c->run.results, c->job->rules, &k, c->err) < 0)
		return -1;
	if (xsheet_list(&c->list, &c->book, T(c, "项目排名", "Site ranking"), cols, 8, c->err) < 0)
		rc = -1;
	for (g = 0; rc == 0 && g < RANK_GROUPS; g++)
		for (i = 0; rc == 0 && i < k.n[g]; i++) {
			const struct rank_row *x = &k.rows[g][i];
			double rate = 0;
			int has = ranking_rate(x, &rate);

			if (xsheet_next(&c->list, c->err) < 0) {
				rc = -1;
				break;
			}
			xcell_text(&c->list, 0, ranking_group_title(g, c->job->english));
			xcell_count(&c->list, 1, x->rank);
			xcell_text(&c->list, 2, x->site);
			xcell_count(&c->list, 3, x->met);
			xcell_count(&c->list, 4, x->breached);
			xcell_count(&c->list, 5, x->pending);
			xcell_count(&c->list, 6, x->unknown);
			xcell_rate(&c->list, 7, has, rate);
		}
	if (rc == 0)
		end_list(c);
	results_ranking_free(&k);
	return rc;
}

/* ---- per-site figures: 满意度 and 未办结 ---- */

/*
 * A list of the run's per-site figures first .. first + n - 1: a row per
 * site that has any, then the total row, which is the run's own figures
 * (the JSON summary's); cells() writes a row's figures from column 1.
 */
static int site_figures_sheet(struct book_ctx *c, const char *name, const struct xcol *cols,
			      int ncols, enum results_figure first, int n,
			      void (*cells)(struct book_ctx *c, const struct results_site_figs *x))
{
	const struct results_run *run = c->run.results;
	struct results_site_figs *sites, total;
	int nsites, i, k, rc = 0;

	if (results_site_figures(run, first, n, &sites, &nsites, c->err) < 0)
		return -1;
	if (xsheet_list(&c->list, &c->book, name, cols, ncols, c->err) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < nsites; i++) {
		if (xsheet_next(&c->list, c->err) < 0) {
			rc = -1;
			break;
		}
		xcell_text(&c->list, 0, sites[i].site);
		cells(c, &sites[i]);
	}
	results_site_figures_free(sites, nsites);
	if (rc < 0 || xsheet_next(&c->list, c->err) < 0)
		return -1;
	memset(&total, 0, sizeof(total));
	for (k = 0; k < n; k++) {
		int has_int = !results_figure_int(run, first + k, &total.ivalue[k]);
		int has_real = !results_figure_real(run, first + k, &total.rvalue[k]);

		total.has[k] = has_int || has_real;
	}
	c->list.rows--;         /* not a site */
	xcell_label(&c->list, 0, T(c, "合计", "Total"));
	cells(c, &total);
	end_list(c);
	return 0;
}

/* 满意度: the counts, then the rate; a rate of no rated callback is 无数据, never 0. */
static void sat_cells(struct book_ctx *c, const struct results_site_figs *x)
{
	const int R = RESULTS_SATISFACTION_FIGS - 1;
	int k;

	for (k = 0; k < R; k++)
		xcell_count(&c->list, 1 + k, x->ivalue[k]);
	if (x->has[R])
		xcell_rate(&c->list, 1 + R, 1, x->rvalue[R]);
	else
		xcell_text(&c->list, 1 + R, T(c, "无数据", "no data"));
}

static int satisfaction_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "满意", "Satisfied"), X_COUNT },
		{ T(c, "基本满意", "Basically satisfied"), X_COUNT },
		{ T(c, "不满意", "Dissatisfied"), X_COUNT }, { T(c, "未评价", "Unrated"), X_COUNT },
		{ T(c, "满意度", "Satisfaction"), X_RATE },
	};

	return site_figures_sheet(c, T(c, "满意度", "Satisfaction"), cols, 6,
				  FIG_SATISFACTION_SATISFIED, RESULTS_SATISFACTION_FIGS, sat_cells);
}

/* One log's cells from column col: the age buckets, open (their sum), unknown. */
static void backlog_log_cells(struct xsheet *s, int col, const long long *v)
{
	long long open = 0;
	int k;

	for (k = 0; k < RESULTS_BACKLOG_BUCKETS; k++) {
		xcell_count(s, col + k, v[k]);
		open += v[k];
	}
	xcell_count(s, col + k, open);
	xcell_count(s, col + k + 1, v[RESULTS_BACKLOG_FIGS - 1]);
}

/* 未办结: tickets from column 1, complaints after them. */
static void backlog_cells(struct book_ctx *c, const struct results_site_figs *x)
{
	backlog_log_cells(&c->list, 1, x->ivalue);
	backlog_log_cells(&c->list, 1 + RESULTS_BACKLOG_FIGS + 1, x->ivalue + RESULTS_BACKLOG_FIGS);
}

static int backlog_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "项目", "Site"), X_TEXT },
		{ T(c, "报修 ≤2天", "Tickets ≤ 2 d"), X_COUNT },
		{ T(c, "报修 3–7天", "Tickets 3–7 d"), X_COUNT },
		{ T(c, "报修 8–30天", "Tickets 8–30 d"), X_COUNT },
		{ T(c, "报修 30天以上", "Tickets > 30 d"), X_COUNT },
		{ T(c, "未完工报修", "Open tickets"), X_COUNT },
		{ T(c, "报修无法判定", "Tickets unknown"), X_COUNT },
		{ T(c, "投诉 ≤2天", "Complaints ≤ 2 d"), X_COUNT },
		{ T(c, "投诉 3–7天", "Complaints 3–7 d"), X_COUNT },
		{ T(c, "投诉 8–30天", "Complaints 8–30 d"), X_COUNT },
		{ T(c, "投诉 30天以上", "Complaints > 30 d"), X_COUNT },
		{ T(c, "未办结投诉", "Open complaints"), X_COUNT },
		{ T(c, "投诉无法判定", "Complaints unknown"), X_COUNT },
	};

	return site_figures_sheet(c, T(c, "未办结", "Open backlog"), cols, 13,
				  FIG_BACKLOG_TICKETS_0_2, 2 * RESULTS_BACKLOG_FIGS, backlog_cells);
}

/* ---- 欠费账龄 / Arrears aging ---- */

static void aging_cells(struct xsheet *s, const long long *cents)
{
	long long sum = 0;
	int k;

	for (k = 0; k < AGING_BUCKETS; k++) {
		xcell_money(s, 3 + k, cents[k]);
		sum += cents[k];
	}
	xcell_money(s, 3 + AGING_BUCKETS, sum);
}

static int aging_row(struct book_ctx *c, const struct results_aging_account *x)
{
	char room[512], item[512];

	if (xsheet_next(&c->list, c->err) < 0)
		return -1;
	split_account(x->site, x->account, room, sizeof(room), item, sizeof(item));
	xcell_text(&c->list, 0, x->site);
	xcell_text(&c->list, 1, room);
	xcell_text(&c->list, 2, item);
	aging_cells(&c->list, x->cents);
	return 0;
}

static int aging_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "房号", "Room"), X_TEXT },
		{ T(c, "收费项目", "Fee item"), X_TEXT },
		{ T(c, "1-30天", "1-30 d"), X_MONEY }, { T(c, "31-90天", "31-90 d"), X_MONEY },
		{ T(c, "91-180天", "91-180 d"), X_MONEY }, { T(c, "181-365天", "181-365 d"), X_MONEY },
		{ T(c, "365天以上", "over 365 d"), X_MONEY }, { T(c, "合计", "Total"), X_MONEY },
	};
	struct results_aging_accounts it;
	long long total[AGING_BUCKETS];
	int rc = 0;

	if (xsheet_list(&c->list, &c->book, T(c, "欠费账龄", "Arrears aging"), cols, 9, c->err) < 0 ||
	    results_aging_accounts_begin(c->run.results, &it, c->err) < 0)
		return -1;
	while (rc == 0 && results_aging_accounts_next(&it))
		rc = aging_row(c, &it.row);
	if (rc < 0) {
		results_aging_accounts_end(&it, NULL);
		return -1;
	}
	if (results_aging_accounts_end(&it, c->err) < 0)
		return -1;
	/* the total row: the run's figures, i.e. the JSON summary's aging */
	aging_figures(&c->r, c->job->run_id, total);
	if (xsheet_next(&c->list, c->err) < 0)
		return -1;
	c->list.rows--;         /* not an account */
	xcell_label(&c->list, 0, T(c, "合计", "Total"));
	aging_cells(&c->list, total);
	end_list(c);
	return 0;
}

/* ---- 催缴函 / Letters due ---- */

static int letter_row(struct book_ctx *c, const struct results_record *x)
{
	char room[512], item[512];

	if (xsheet_next(&c->list, c->err) < 0)
		return -1;
	split_account(x->site, x->record_id, room, sizeof(room), item, sizeof(item));
	xcell_text(&c->list, 0, x->site);
	xcell_text(&c->list, 1, room);
	xcell_text(&c->list, 2, item);
	xcell_time(&c->list, 3, x->start);
	xcell_time(&c->list, 4, x->deadline);
	if (x->has_amount)
		xcell_money(&c->list, 5, x->amount_cents);
	return 0;
}

/* The letters due now: the pending records of the letter rule(s), by due date. */
static int letters_due(struct book_ctx *c)
{
	int i, rc = 0;

	for (i = 0; rc == 0 && i < c->run.nrules; i++) {
		struct results_records it;

		if (strcmp(c->run.rules[i].kind, "letter"))
			continue;
		if (results_records_begin(c->run.results, c->run.rules[i].rule_id, RECORDS_DUE_NOW, -1,
					  &it, c->err) < 0)
			return -1;
		while (rc == 0 && results_records_next(&it))
			rc = letter_row(c, &it.row);
		if (rc < 0)
			results_records_end(&it, NULL);
		else
			rc = results_records_end(&it, c->err);
	}
	return rc;
}

static int letters_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "房号", "Room"), X_TEXT },
		{ T(c, "收费项目", "Fee item"), X_TEXT },
		{ T(c, "首次电话/短信催缴", "First phone/SMS reminder"), X_TIME },
		{ T(c, "催缴函期限", "Letter due by"), X_TIME }, { T(c, "欠费", "Outstanding"), X_MONEY },
	};

	if (xsheet_list(&c->list, &c->book, T(c, "催缴函", "Letters due"), cols, 6, c->err) < 0 ||
	    letters_due(c) < 0)
		return -1;
	end_list(c);
	return 0;
}

/* ---- 数据质量 / Data quality ---- */

static int reject_row(void *ctx, const struct xd_reject *x)
{
	struct book_ctx *c = ctx;

	if (xsheet_next(&c->list, c->err) < 0)
		return -1;
	xcell_text(&c->list, 0, T(c, "导入拒收", "rejected at import"));
	xcell_text(&c->list, 1, x->file);
	xcell_count(&c->list, 2, x->line);
	xcell_text(&c->list, 3, x->field);
	if (c->job->english) {
		xcell_text(&c->list, 6, x->reason);
	} else {
		char reason[600];

		/* stored in English (db/reject_reason.h), as the PDF prints it */
		reject_reason_zh(x->reason, reason, sizeof(reason));
		xcell_text(&c->list, 6, reason);
	}
	xcell_text(&c->list, 7, x->text);
	return 0;
}

static int finding_row(struct book_ctx *c, const char *rule_id, const struct results_record *x)
{
	char detail[600];

	if (xsheet_next(&c->list, c->err) < 0)
		return -1;
	xcell_text(&c->list, 0, T(c, "记录矛盾", "inconsistent record"));
	xcell_text(&c->list, 1, rule_id);
	xcell_text(&c->list, 4, x->record_id);
	xcell_text(&c->list, 5, x->site);
	xcell_text(&c->list, 6, rule_title(&c->r, &c->run, rule_id));
	/* stored in English by the engine */
	if (!c->job->english && *x->detail) {
		results_detail_zh(x->detail, detail, sizeof(detail));
		xcell_text(&c->list, 7, detail);
	} else {
		xcell_text(&c->list, 7, x->detail);
	}
	return 0;
}

/* The data-quality findings of the PDF's section 8: Q-* but the follow-up Q-PROBLEM-OPEN. */
static int quality_rule(void *ctx, const char *rule_id, long long n)
{
	struct book_ctx *c = ctx;
	struct results_records it;
	int rc = 0;

	(void)n;
	if (strncmp(rule_id, "Q-", 2) || !strcmp(rule_id, "Q-PROBLEM-OPEN"))
		return 0;
	if (results_records_begin(c->run.results, rule_id, RECORDS_FINDINGS, -1, &it, c->err) < 0)
		return -1;
	while (rc == 0 && results_records_next(&it))
		rc = finding_row(c, rule_id, &it.row);
	if (rc < 0) {
		results_records_end(&it, NULL);
		return -1;
	}
	return results_records_end(&it, c->err);
}

static int quality_sheet(struct book_ctx *c)
{
	const struct xcol cols[] = {
		{ T(c, "类型", "Kind"), X_TEXT }, { T(c, "文件/规则", "File / rule"), X_TEXT },
		{ T(c, "行号", "Line"), X_COUNT }, { T(c, "字段", "Field"), X_TEXT },
		{ T(c, "记录", "Record"), X_TEXT }, { T(c, "项目", "Site"), X_TEXT },
		{ T(c, "原因", "Reason"), X_TEXT }, { T(c, "原文/说明", "Text / detail"), X_TEXT },
	};

	if (xsheet_list(&c->list, &c->book, T(c, "数据质量", "Data quality"), cols, 8, c->err) < 0 ||
	    xd_rejects(c->job->db, reject_row, c, c->err) < 0 ||
	    results_finding_counts(c->run.results, quality_rule, c, c->err) < 0)
		return -1;
	end_list(c);
	return 0;
}

/* ---- 抽查清单 / Checklist (inspection) ---- */

static const char *yes_no(const struct book_ctx *c, int v)
{
	return v ? T(c, "是", "yes") : T(c, "否", "no");
}

/* the checklist CSV's 18 columns; the inspector's four from column 14 */
#define CHECKLIST_COLS 18
#define INSPECTOR_COL 14

static int checklist_sheet(struct book_ctx *c)
{
	/* the columns of the checklist CSV; the last four are the inspector's */
	const struct xcol cols[] = {
		{ T(c, "序号", "No."), X_COUNT }, { T(c, "报修单号", "Ticket"), X_TEXT },
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "房号", "Room"), X_TEXT },
		{ T(c, "类别", "Category"), X_TEXT }, { T(c, "维修人", "Technician"), X_TEXT },
		{ T(c, "报修时间", "Reported"), X_TIME },
		{ T(c, "完成时间", "Completed"), X_TIME },
		{ T(c, "最近回访时间", "Latest callback"), X_TIME },
		{ T(c, "回访人", "Callback staff"), X_TEXT }, { T(c, "岗位", "Role"), X_TEXT },
		{ T(c, "主管已回访", "Supervisor callback"), X_TEXT },
		{ T(c, "回访结果", "Callback result"), X_TEXT },
		{ T(c, "发现问题", "Problem found"), X_TEXT },
		{ T(c, "抽查结果", "Inspection result"), X_TEXT },
		{ T(c, "业主意见", "Owner's opinion"), X_TEXT },
		{ T(c, "检查人", "Inspector"), X_TEXT }, { T(c, "检查日期", "Date"), X_TEXT },
	};
	int i, k;

	if (xsheet_list(&c->list, &c->book, T(c, "抽查清单", "Checklist"), cols, CHECKLIST_COLS,
			c->err) < 0)
		return -1;
	for (i = 0; i < c->job->nsample; i++) {
		const struct sampled *x = &c->job->sample[i];
		struct xsheet *s = &c->list;

		if (xsheet_next(s, c->err) < 0)
			return -1;
		xcell_count(s, 0, i + 1);
		xcell_text(s, 1, x->id);
		xcell_text(s, 2, x->site);
		xcell_text(s, 3, x->room);
		xcell_text(s, 4, x->category);
		xcell_text(s, 5, x->technician);
		xcell_time(s, 6, x->reported);
		xcell_time(s, 7, x->completed);
		xcell_time(s, 8, x->cb_at);
		xcell_text(s, 9, x->cb_staff);
		xcell_text(s, 10, x->cb_role);
		xcell_text(s, 11, sampled_supervisor(x, c->job->english));
		xcell_text(s, 12, x->cb_result);
		if (x->cb_at)
			xcell_text(s, 13, yes_no(c, x->problem));
		for (k = INSPECTOR_COL; k < CHECKLIST_COLS; k++)
			xcell_box(s, k);
		xsheet_row_height(s, 24);
	}
	/* room to write by hand in the inspector's columns */
	for (i = INSPECTOR_COL; i < CHECKLIST_COLS; i++)
		if (c->list.width[i] < 16)
			c->list.width[i] = 16;
	end_list(c);
	return 0;
}

/* ---- 汇总 / Summary ---- */

static void pair(struct xsheet *s, const char *label, const char *value)
{
	xcell_label(s, 0, label);
	xcell_text(s, 1, value);
	s->row++;
}

static void pair_time(struct xsheet *s, const char *label, const char *ts)
{
	xcell_label(s, 0, label);
	xcell_time(s, 1, ts);
	s->row++;
}

static void pair_money(struct xsheet *s, const char *label, long long cents)
{
	xcell_label(s, 0, label);
	xcell_money(s, 1, cents);
	s->row++;
}

static void pair_rate(struct xsheet *s, const char *label, int has, double rate)
{
	xcell_label(s, 0, label);
	xcell_rate(s, 1, has, rate);
	s->row++;
}

/* The command that gives this run's figures again as JSON. */
static void command_text(const struct xlsx_job *job, const struct results_run *run, char *out,
			 size_t n)
{
	const char *db = sqlite3_db_filename(job->db, "main");

	snprintf(out, n, "pmaudit check");
	/* the database by its absolute path, as the PDF's appendix 数据来源 */
	command_add_option(out, n, "--db", db && *db ? db : NULL);
	command_add_option(out, n, "--from", run->from);
	command_add_option(out, n, "--to", run->to);
	command_add_option(out, n, "--as-of", run->as_of);
	command_add_option(out, n, "--site", job->site);
	command_add_option(out, n, "--rules", job->rules_file);
	command_add_option(out, n, "--calendar", job->calendar_file);
	command_add_option(out, n, "--json", "-");
}

static void rules_table(struct book_ctx *c, struct xsheet *s)
{
	const struct xcol cols[] = {
		{ T(c, "规则编号", "Rule"), X_TEXT }, { T(c, "规则", "Title"), X_TEXT },
		{ T(c, "目标", "Target"), X_RATE }, { T(c, "达标", "Met"), X_COUNT },
		{ T(c, "未达标", "Breached"), X_COUNT }, { T(c, "待定", "Pending"), X_COUNT },
		{ T(c, "无法判定", "Unknown"), X_COUNT }, { T(c, "达标率", "Rate"), X_RATE },
		{ T(c, "达到目标", "Target met"), X_TEXT },
	};
	int i;

	xsheet_header(s, cols, 9);
	s->row++;
	for (i = 0; i < c->run.nrules; i++) {
		const struct rule_result *x = &c->run.rules[i];
		int counted = !strcmp(x->kind, "deadline") || !strcmp(x->kind, "letter");

		xcell_text(s, 0, x->rule_id);
		xcell_text(s, 1, x->title);
		xcell_rate(s, 2, x->has_target, x->target);
		/* coverage rules: met = numerator, breached = the rest of the denominator */
		xcell_count(s, 3, counted ? x->met : x->numerator);
		xcell_count(s, 4, counted ? x->breached : x->denominator - x->numerator);
		if (counted)
			xcell_count(s, 5, x->pending);
		xcell_count(s, 6, x->unknown);
		xcell_rate(s, 7, x->has_rate, x->rate);
		if (x->has_target_met)
			xcell_text(s, 8, yes_no(c, x->target_met));
		s->row++;
	}
}

/* Every rule per site, in the rules' order, the sites by name. */
static int site_rules(struct book_ctx *c, struct xsheet *s)
{
	int i;

	for (i = 0; i < c->run.nrules; i++) {
		const struct rule_result *rule = &c->run.rules[i];
		struct results_sites it;

		if (results_sites_begin(c->run.results, rule->rule_id, &it, c->err) < 0)
			return -1;
		while (results_sites_next(&it)) {
			const struct results_site *x = &it.row;
			double rate = 0;
			int has_rate = x->met + x->breached > 0 &&
				       results_rate(x->met, x->met + x->breached, 0, &rate, NULL);

			xcell_text(s, 0, x->rule_id);
			xcell_text(s, 1, rule->title);
			xcell_text(s, 2, x->site);
			xcell_count(s, 3, x->met);
			xcell_count(s, 4, x->breached);
			xcell_count(s, 5, x->pending);
			xcell_count(s, 6, x->unknown);
			xcell_rate(s, 7, has_rate, rate);
			s->row++;
		}
		if (results_sites_end(&it, c->err) < 0)
			return -1;
	}
	return 0;
}

/* The ISO weeks of a weekly rule. */
static int weeks(struct book_ctx *c, struct xsheet *s, const char *rule_id)
{
	struct results_weeks it;

	if (results_weeks_begin(c->run.results, rule_id, &it, c->err) < 0)
		return -1;
	while (results_weeks_next(&it)) {
		xcell_text(s, 0, it.row.week);
		xcell_count(s, 3, it.row.numerator);
		xcell_count(s, 4, it.row.denominator - it.row.numerator);
		xcell_rate(s, 7, it.row.has_rate, it.row.rate);
		s->row++;
	}
	return results_weeks_end(&it, c->err);
}

static void fee_block(struct book_ctx *c, struct xsheet *s)
{
	struct check_site_fees f;
	long long aging[AGING_BUCKETS];
	static const char *const zh[AGING_BUCKETS] = {
		"账龄 1-30天", "账龄 31-90天", "账龄 91-180天", "账龄 181-365天", "账龄 365天以上" };
	static const char *const en[AGING_BUCKETS] = {
		"Aging 1-30 d", "Aging 31-90 d", "Aging 91-180 d", "Aging 181-365 d", "Aging over 365 d" };
	int k;

	run_fee_figures(&c->r, c->job->run_id, &f);
	aging_figures(&c->r, c->job->run_id, aging);
	xcell_label(s, 0, T(c, "物业费收缴", "Fee collection"));
	s->row++;
	pair_money(s, T(c, "本期应收", "Due (charges less waivers)"), f.due_cents);
	pair_money(s, T(c, "截至数据截止时间实收", "Paid by the as-of time"), f.paid_cents);
	pair_rate(s, T(c, "当期收缴率", "Current collection rate"), f.has_current_rate, f.current_rate);
	pair_money(s, T(c, "期初欠费", "Arrears at the start"), f.arrears_start_cents);
	pair_money(s, T(c, "本期收回欠费", "Arrears recovered"), f.recovered_cents);
	pair_rate(s, T(c, "清欠率", "Recovery rate"), f.has_recovery_rate, f.recovery_rate);
	for (k = 0; k < AGING_BUCKETS; k++)
		pair_money(s, c->job->english ? en[k] : zh[k], aging[k]);
}

/* Due, paid and rate of each fee item (物业管理费, 停车费, ...), as the PDF's table. */
static int fee_items_block(struct book_ctx *c, struct xsheet *s)
{
	const struct xcol cols[] = {
		{ T(c, "收费项目", "Fee item"), X_TEXT }, { T(c, "本期应收", "Due"), X_MONEY },
		{ T(c, "实收", "Paid"), X_MONEY }, { T(c, "当期收缴率", "Rate"), X_RATE },
	};
	struct results_fee_items it;
	int header = 0;

	if (results_fee_items_begin(c->run.results, &it, c->err) < 0)
		return -1;
	while (results_fee_items_next(&it)) {
		double rate = 0;
		/* a due below zero (waivers beyond the charges) has no rate to show */
		int has_rate = it.row.due_cents > 0 &&
			       results_rate(it.row.paid_cents, it.row.due_cents, 0, &rate, NULL);

		if (!header++) {
			s->row++;
			xsheet_header(s, cols, 4);
			s->row++;
		}
		xcell_text(s, 0, it.row.item);
		xcell_money(s, 1, it.row.due_cents);
		xcell_money(s, 2, it.row.paid_cents);
		xcell_rate(s, 3, has_rate, rate);
		s->row++;
	}
	return results_fee_items_end(&it, c->err);
}

/* Per site, what a run for that site alone gives (check_fees_by_site(), as the PDF's table). */
static int fee_sites_block(struct book_ctx *c, struct xsheet *s)
{
	const struct xlsx_job *job = c->job;
	const struct xcol cols[] = {
		{ T(c, "各项目收缴情况", "Collection by site"), X_TEXT },
		{ T(c, "本期应收", "Due"), X_MONEY }, { T(c, "实收", "Paid"), X_MONEY },
		{ T(c, "当期收缴率", "Rate"), X_RATE }, { T(c, "期初欠费", "Arrears"), X_MONEY },
		{ T(c, "本期收回欠费", "Recovered"), X_MONEY }, { T(c, "清欠率", "Recovery"), X_RATE },
	};
	struct check_params p = {
		.from = job->from, .to = job->to, .as_of = job->as_of,
		.rules = job->rules, .calendar = job->calendar,
	};
	struct check_site_fees *f = NULL;
	int n = 0, i;

	if (job->site)
		return 0;
	if (check_fees_by_site(job->db, &p, &f, &n, c->err) < 0)
		return -1;
	s->row++;
	xsheet_header(s, cols, 7);
	s->row++;
	for (i = 0; i < n; i++) {
		xcell_text(s, 0, f[i].site);
		xcell_money(s, 1, f[i].due_cents);
		xcell_money(s, 2, f[i].paid_cents);
		xcell_rate(s, 3, f[i].has_current_rate, f[i].current_rate);
		xcell_money(s, 4, f[i].arrears_start_cents);
		xcell_money(s, 5, f[i].recovered_cents);
		xcell_rate(s, 6, f[i].has_recovery_rate, f[i].recovery_rate);
		s->row++;
	}
	check_site_fees_free(f, n);
	return 0;
}

/* Per log, the first and last event in the database (the site's with --site), as on the PDFs' covers. */
static int coverage_block(struct book_ctx *c, struct xsheet *s)
{
	const struct xcol cols[] = {
		{ T(c, "数据覆盖", "Data coverage"), X_TEXT },
		{ T(c, "最早", "First event"), X_TIME }, { T(c, "最晚", "Last event"), X_TIME },
	};
	static const char *const zh[DB_COVERAGE_LOGS] = {
		"报修工单", "投诉", "回访", "收费台账", "收费台账（收款）" };
	struct db_coverage cov;
	int i;

	if (db_coverage(c->job->db, c->job->site, &cov, c->err) < 0)
		return -1;
	xsheet_header(s, cols, 3);
	s->row++;
	for (i = 0; i < DB_COVERAGE_LOGS; i++) {
		xcell_text(s, 0, c->job->english ? DB_COVERAGE_KEYS[i] : zh[i]);
		if (cov.log[i].first[0]) {
			xcell_time(s, 1, cov.log[i].first);
			xcell_time(s, 2, cov.log[i].last);
		} else {
			xcell_text(s, 1, T(c, "无记录", "no records"));
		}
		s->row++;
	}
	return 0;
}

static void sheet_index(struct book_ctx *c, struct xsheet *s)
{
	const struct xcol cols[] = {
		{ T(c, "工作表", "Sheet"), X_TEXT }, { T(c, "行数", "Rows"), X_COUNT },
		{ T(c, "说明", "Note"), X_TEXT },
	};
	int i;

	xsheet_header(s, cols, 3);
	s->row++;
	for (i = 0; i < c->nlists; i++) {
		char note[200] = "";

		if (c->lists[i].parts > 1)
			snprintf(note, sizeof(note), c->job->english ?
				 "More rows than one sheet holds: continued on %s(2) to %s(%d)" :
				 "超出单个工作表的行数上限，续见 %s(2) 至 %s(%d)",
				 c->lists[i].name, c->lists[i].name, c->lists[i].parts);
		xcell_text(s, 0, c->lists[i].name);
		xcell_count(s, 1, c->lists[i].rows);
		xcell_text(s, 2, note);
		s->row++;
	}
}

/* Written last (the sheet index needs the lists' sizes), shown first. */
static int summary_sheet(struct book_ctx *c, struct xsheet *s)
{
	const struct xlsx_job *job = c->job;
	const struct xcol site_cols[] = {
		{ T(c, "规则编号", "Rule"), X_TEXT }, { T(c, "规则", "Title"), X_TEXT },
		{ T(c, "项目", "Site"), X_TEXT }, { T(c, "达标", "Met"), X_COUNT },
		{ T(c, "未达标", "Breached"), X_COUNT }, { T(c, "待定", "Pending"), X_COUNT },
		{ T(c, "无法判定", "Unknown"), X_COUNT }, { T(c, "达标率", "Rate"), X_RATE },
	};
	const struct results_run *run = c->run.results;
	char command[2048];
	int i;

	worksheet_write_string(s->ws, 0, 0, job->title, c->book.title);
	s->row = 2;
	/* the run's own window and as-of time (a default as-of is the latest event) */
	pair_time(s, T(c, "统计期间起", "Period from"), run->from);
	pair_time(s, T(c, "统计期间止（不含）", "Period to (exclusive)"), run->to);
	pair_time(s, T(c, "数据截止时间", "As of"), run->as_of);
	if (strcmp(run->as_of, run->to) < 0)
		pair(s, "", T(c, "判定时间早于统计期末：其后的事件按尚未发生计（数据截至此时，或指定了 --as-of）。",
			      "Judged before the period's end: later events count as not yet happened "
			      "(the data ends there, or --as-of was given)."));
	pair(s, T(c, "项目", "Site"), job->site ? job->site : T(c, "全部项目", "All sites"));
	pair(s, T(c, "规则文件", "Rules file"), job->rules_file ? job->rules_file :
	     T(c, "默认规则集", "default rule set"));
	command_text(job, run, command, sizeof(command));
	pair(s, T(c, "复核命令", "Reproduce with"), command);
	xcell_text(s, 1, T(c, "比率 = 达标 / (达标 + 未达标)，待定与无法判定不计入。",
			   "Rate = met / (met + breached); pending and unknown are not counted."));
	s->row += 2;
	xcell_label(s, 0, T(c, "各项规则达标情况", "Rules against their targets"));
	s->row++;
	rules_table(c, s);
	for (i = 0; i < c->run.nrules; i++) {
		if (strcmp(c->run.rules[i].kind, "weekly"))
			continue;
		s->row++;
		xcell_label(s, 0, c->run.rules[i].rule_id);
		xcell_label(s, 1, c->run.rules[i].title);
		s->row++;
		if (weeks(c, s, c->run.rules[i].rule_id) < 0)
			return -1;
	}
	s->row++;
	xcell_label(s, 0, T(c, "各项目达标情况", "Rules by site"));
	s->row++;
	xsheet_header(s, site_cols, 8);
	s->row++;
	if (site_rules(c, s) < 0)
		return -1;
	s->row++;
	fee_block(c, s);
	if (fee_items_block(c, s) < 0 || fee_sites_block(c, s) < 0)
		return -1;
	s->row++;
	if (coverage_block(c, s) < 0)
		return -1;
	s->row++;
	sheet_index(c, s);
	xsheet_end(s);
	return 0;
}

/* ---- the workbook ---- */

/* The as-of time, China time (UTC+8) as the data is, as a time_t. */
static time_t created_time(const char *as_of)
{
	int64_t secs;

	if (!as_of || civil_parse_timestamp(as_of, &secs) < 0)
		return 1;
	return (time_t)(secs - 8 * 3600);
}

static int write_book(struct book_ctx *c, const char *path)
{
	const struct xlsx_job *job = c->job;
	struct xsheet summary;

	if (xbook_open(&c->book, path, job->title, created_time(job->as_of), job->english,
		       c->err) < 0)
		return -1;
	if (xsheet_free(&summary, &c->book, T(c, "汇总", "Summary"), c->err) < 0 ||
	    (job->sample && checklist_sheet(c) < 0) ||
	    breaches_sheet(c) < 0 || ranking_sheet(c) < 0 ||
	    satisfaction_sheet(c) < 0 || backlog_sheet(c) < 0 || aging_sheet(c) < 0 ||
	    letters_sheet(c) < 0 || quality_sheet(c) < 0 || summary_sheet(c, &summary) < 0) {
		pm_error ignored;

		xbook_close(&c->book, &ignored);
		return -1;
	}
	return xbook_close(&c->book, c->err);
}

int xlsx_write(const struct xlsx_job *job, pm_error *err)
{
	struct book_ctx *c = calloc(1, sizeof(*c));
	struct xd_session session;
	int rc = -1;

	if (!c)
		return pm_fail(err, "out of memory");
	c->job = job;
	c->err = err;
	c->ropts.site = job->site;
	c->ropts.rules = job->rules;
	c->ropts.calendar = job->calendar;
	c->ropts.rules_file = job->rules_file;
	c->ropts.calendar_file = job->calendar_file;
	c->ropts.english = job->english;
	c->r.db = job->db;
	c->r.opts = &c->ropts;
	c->r.rules = job->rules;
	c->r.english = job->english;
	if (xd_begin(job->db, &session, err) < 0) {
		free(c);
		return -1;
	}
	if (load_run(&c->r, job->run_id, &c->run, err) == 0)
		rc = write_book(c, job->path);
	xd_end(job->db, &session);
	free_run(&c->run);
	report_forget_runs(&c->r);
	free(c);
	return rc;
}

int report_xlsx(struct report *r, sqlite3_int64 run_id, const char *title, const char *label,
		const char *from, const char *to, const char *as_of, const struct sampled *sample,
		int nsample, pm_error *err)
{
	const struct report_opts *o = r->opts;
	struct xlsx_job job = {
		.db = r->db, .run_id = run_id, .path = outfile_path(&r->xlsx_out),
		.english = r->english, .from = from, .to = to, .as_of = as_of, .site = o->site,
		.rules_file = o->rules_file, .calendar_file = o->calendar_file,
		.rules = o->rules, .calendar = o->calendar,
		.sample = sample, .nsample = nsample,
	};
	char *scope, *full = NULL;
	int rc;

	if (!r->has_xlsx_out)
		return 0;
	/* allocated only when there is a workbook to write: a report without one leaked it */
	scope = scope_name(o);
	if (!scope || asprintf(&full, "%s · %s · %s", title, label, scope) < 0) {
		free(scope);
		return pm_fail(err, "out of memory");
	}
	job.title = full;
	rc = xlsx_write(&job, err);
	free(full);
	free(scope);
	if (rc < 0) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return pm_fail(err, "%s: %s", o->xlsx, msg);
	}
	return 0;
}
