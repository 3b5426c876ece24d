/*
 * The rule sections: tiles, the per-site tables, breach lists, complaints
 * by level/category/department. Results come through the typed reader
 * (rules/results/results.h); totals and rates are the stored ones, the
 * same the JSON summary is written from. Rules are placed by their role in
 * the rules file (rules/results/results.h: roles), never by their ids.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reports/chart.h"
#include "reports/sections.h"

#define SECTION_BREACH_ROWS 15

const char *complaint_level_name(const struct report *r, const char *level)
{
	if (!strcmp(level, "major"))
		return tr(r, "重大投诉", "major");
	if (!strcmp(level, "important"))
		return tr(r, "重要投诉", "important");
	if (!strcmp(level, "minor"))
		return tr(r, "一般投诉", "minor");
	return level;
}

static int is_deadline(const struct rule_result *x)
{
	return !strcmp(x->kind, "deadline");
}

static void target_text(const struct rule_result *x, char *buf, size_t n)
{
	fmt_rate(buf, n, x->has_target, x->target);
}

static enum pdf_state rule_state(const struct rule_result *x)
{
	if (!x->has_target_met || !x->has_rate)
		return PDF_NEUTRAL;
	return x->target_met ? PDF_PASS : PDF_FAIL;
}

int summary_text(struct report *r, const struct run_view *cur, const char *period, pm_error *err)
{
	long long tickets = 0, complaints = 0, callbacks = 0;
	int i, judged = 0, passed = 0;
	char text[1024], t1[32], t2[32], t3[32];

	figure_int(r, cur->run_id, FIG_VOLUMES_TICKETS, &tickets);
	figure_int(r, cur->run_id, FIG_VOLUMES_COMPLAINTS, &complaints);
	figure_int(r, cur->run_id, FIG_VOLUMES_CALLBACKS, &callbacks);
	for (i = 0; i < cur->nrules; i++) {
		if (!cur->rules[i].has_target_met || !cur->rules[i].has_rate)
			continue;
		judged++;
		passed += cur->rules[i].target_met;
	}
	fmt_count(t1, sizeof(t1), tickets);
	fmt_count(t2, sizeof(t2), complaints);
	fmt_count(t3, sizeof(t3), callbacks);
	if (r->english)
		snprintf(text, sizeof(text), "In %s the centre received %s repair tickets and %s "
			 "complaints and made %s callbacks. Of the %d rules with records to judge, "
			 "%d met their target and %d did not.", period, t1, t2, t3, judged,
			 passed, judged - passed);
	else
		snprintf(text, sizeof(text), "%s共受理业主报修 %s 例、投诉 %s 宗，完成回访 %s 次。"
			 "本期有考核记录的 %d 项规则中，%d 项达到目标，%d 项未达到目标。",
			 period, t1, t2, t3, judged, passed, judged - passed);
	(void)err;
	pdf_paragraph(r->pdf, text);
	return 0;
}

int rule_tiles(struct report *r, const struct run_view *cur, const struct run_view *prev,
	       pm_error *err)
{
	size_t slots = cur->nrules ? cur->nrules : 1;
	struct pdf_tile *tiles = calloc(slots, sizeof(*tiles));
	char (*labels)[216] = calloc(slots, sizeof(*labels));
	char (*values)[32] = calloc(slots, sizeof(*values));
	char (*notes)[120] = calloc(slots, sizeof(*notes));
	int i, n = 0, rc = -1;

	if (!tiles || !labels || !values || !notes) {
		pm_fail(err, "out of memory");
		goto out;
	}
	for (i = 0; i < cur->nrules; i++) {
		const struct rule_result *x = &cur->rules[i];
		const struct rule_result *p = find_rule(prev, x->rule_id);
		char target[32], change[32];

		if (strcmp(x->kind, "deadline") && strcmp(x->kind, "coverage") &&
		    strcmp(x->kind, "weekly") && strcmp(x->kind, "letter"))
			continue;
		snprintf(labels[n], sizeof(labels[n]), "%s %s", x->rule_id, x->title);
		fmt_rate(values[n], sizeof(values[n]), x->has_rate, x->rate);
		target_text(x, target, sizeof(target));
		fmt_points(change, sizeof(change), x->has_rate, x->rate,
			   p && p->has_rate, p ? p->rate : 0);
		if (r->english)
			snprintf(notes[n], sizeof(notes[n]), "target %s · change %s pp", target, change);
		else
			snprintf(notes[n], sizeof(notes[n]), "目标 %s · 较%s %s 个百分点", target,
				 prev_name(r), change);
		/*
		 * Records not judged (the file lacked a field): beside the rate, not
		 * in it; in place of the change, which a tile has no room for besides.
		 */
		if (x->unknown)
			snprintf(notes[n], sizeof(notes[n]), r->english ? "target %s · unknown %lld" :
				 "目标 %s · 无法判定 %lld 条", target, x->unknown);
		tiles[n].label = labels[n];
		tiles[n].value = values[n];
		tiles[n].note = notes[n];
		tiles[n].state = rule_state(x);
		n++;
	}
	pdf_tiles(r->pdf, tiles, n);
	pdf_note(r->pdf, tr(r, "绿色：达到目标；红色：未达到目标；灰色：本期无可考核记录。"
			    "无法判定：导入文件缺少该规则所需字段的记录，不计入比率。",
			    "Green: target met; red: target missed; grey: nothing to judge. "
			    "Unknown: records whose imported file lacked a field the rule needs; "
			    "in no rate."));
	rc = 0;
out:
	free(tiles);
	free(labels);
	free(values);
	free(notes);
	return rc;
}

/*
 * A count of run for a log: "无数据" when the run's window lies outside the
 * log's coverage (the year before the data began is not a year of 0).
 */
static int count_known(struct report *r, sqlite3_int64 run, int log, enum results_figure f,
		       long long *v, pm_error *err)
{
	const struct results_run *x = report_run(r, run, err);

	if (!x)
		return -1;
	if (!has_data(r, log, x->from, x->to))
		return 0;
	return results_figure_int(x, f, v) == 0;
}

int volume_table(struct report *r, sqlite3_int64 run, sqlite3_int64 prev_run, pm_error *err)
{
	static const enum results_figure keys[] = {
		FIG_VOLUMES_TICKETS, FIG_VOLUMES_COMPLAINTS, FIG_VOLUMES_CALLBACKS,
		FIG_VOLUMES_ORPHAN_CALLBACKS
	};
	static const int logs[] = {
		DB_COVERAGE_TICKETS, DB_COVERAGE_COMPLAINTS, DB_COVERAGE_CALLBACKS, DB_COVERAGE_CALLBACKS
	};
	const char *names[4];
	struct pdf_col cols[4] = {
		{ tr(r, "业务量", "Volume"), 3, PDF_LEFT }, { r->yearly ? tr(r, "本年", "This year") : tr(r, "本月", "This month"), 1.5, PDF_RIGHT },
		{ prev_name(r), 1.5, PDF_RIGHT }, { tr(r, "变化", "Change"), 1.5, PDF_RIGHT }
	};
	size_t i;

	names[0] = tr(r, "报修（按报修时间）", "Repair tickets (by report time)");
	names[1] = tr(r, "投诉（含无效投诉）", "Complaints (incl. invalid)");
	names[2] = tr(r, "回访", "Callbacks");
	names[3] = tr(r, "无对应记录的回访", "Callbacks with no known record");
	pdf_subsection(r->pdf, tr(r, "业务量", "Volumes"));
	pdf_table_begin(r->pdf, cols, 4);
	for (i = 0; i < 4; i++) {
		long long a = 0, b = 0;
		char sa[32], sb[32], sd[32];
		const char *cells[4];
		int ha = count_known(r, run, logs[i], keys[i], &a, err);
		int hb = count_known(r, prev_run, logs[i], keys[i], &b, err);

		if (ha < 0 || hb < 0)
			return -1;
		fmt_count(sa, sizeof(sa), a);
		fmt_count(sb, sizeof(sb), b);
		if (ha && hb)
			snprintf(sd, sizeof(sd), "%+lld", a - b);
		else
			snprintf(sd, sizeof(sd), "—");
		cells[0] = names[i];
		cells[1] = ha ? sa : no_data(r);
		cells[2] = hb ? sb : no_data(r);
		cells[3] = sd;
		pdf_table_row(r->pdf, cells);
	}
	pdf_table_end(r->pdf);
	return 0;
}

/* ---- one rule in detail ---- */

static void rule_sentence(struct report *r, const struct rule_result *x,
			  const struct rule_result *p)
{
	char text[800], rate[32], target[32], change[32], prate[32], verdict[64], before[160];
	size_t used = 0;

	fmt_rate(rate, sizeof(rate), x->has_rate, x->rate);
	target_text(x, target, sizeof(target));
	snprintf(verdict, sizeof(verdict), "%s", !x->has_rate ? tr(r, "本期无可考核记录", "nothing to judge") :
		 x->target_met ? tr(r, "达到目标", "met") : tr(r, "未达到目标", "missed"));
	/* The comparison only when the previous period had a rate. */
	before[0] = '\0';
	if (p && p->has_rate) {
		fmt_points(change, sizeof(change), x->has_rate, x->rate, 1, p->rate);
		fmt_rate(prate, sizeof(prate), 1, p->rate);
		snprintf(before, sizeof(before), r->english ? " %s %s (%s pp)." : "%s %s（%s 个百分点）。",
			 prev_name(r), prate, change);
	}
	if (is_deadline(x) || !strcmp(x->kind, "letter"))
		text_append(text, sizeof(text), &used, r->english ?
			"Met %lld, breached %lld, pending %lld (not counted). Rate %s against a target of %s: %s." :
			"按时 %lld 条，超时 %lld 条，待定 %lld 条（不计入）。及时率 %s，目标 %s，%s。",
			x->met, x->breached, x->pending, rate, target, verdict);
	else
		text_append(text, sizeof(text), &used, r->english ?
			"%lld of %lld: %s against a target of %s: %s." :
			"%lld / %lld，比率 %s，目标 %s，%s。",
			x->numerator, x->denominator, rate, target, verdict);
	/* records not judged: said beside the counts, never in the rate */
	if (x->unknown)
		text_append(text, sizeof(text), &used, r->english ?
			" Unknown %lld (the imported file lacked a field the rule needs; not counted)." :
			"无法判定 %lld 条（导入文件缺少该规则所需字段，不计入比率）。", x->unknown);
	text_append(text, sizeof(text), &used, "%s", before);
	pdf_paragraph(r->pdf, text);
}

/*
 * A per-site table of the rule x (the reader's per-site results), then the
 * total row: the site, the ncols - 2 counts shown (counts_of() picks them
 * and, after them, the rate's numerator and denominator). The total row is
 * the engine's own (check_rule_results): totals[] and x's stored rate.
 * At most 4 counts (ncols <= 6).
 */
static int per_site_table(struct report *r, const struct run_view *cur,
			  const struct rule_result *x, const struct pdf_col *cols, int ncols,
			  void (*counts_of)(const struct results_site *, long long *),
			  const long long *totals, pm_error *err)
{
	struct results_sites it;
	int ncounts = ncols - 2, rows = 0, i, has;
	char counts[4][32], rate[32];
	const char *cells[6];
	double share = 0;

	if (results_sites_begin(cur->results, x->rule_id, &it, err) < 0)
		return -1;
	for (i = 0; i < ncounts; i++)
		cells[1 + i] = counts[i];
	cells[ncols - 1] = rate;
	while (results_sites_next(&it)) {
		long long v[6];

		if (!rows++)
			pdf_table_begin(r->pdf, cols, ncols);
		counts_of(&it.row, v);
		for (i = 0; i < ncounts; i++)
			fmt_count(counts[i], sizeof(counts[i]), v[i]);
		has = v[ncounts + 1] > 0 &&
		      results_rate(v[ncounts], v[ncounts + 1], 0, &share, NULL);
		fmt_rate(rate, sizeof(rate), has, share);
		cells[0] = it.row.site;
		pdf_table_row(r->pdf, cells);
	}
	if (results_sites_end(&it, err) < 0)
		return -1;
	if (!rows)
		return 0;
	for (i = 0; i < ncounts; i++)
		fmt_count(counts[i], sizeof(counts[i]), totals[i]);
	fmt_rate(rate, sizeof(rate), x->has_rate, x->rate);
	cells[0] = tr(r, "合计", "Total");
	pdf_table_row(r->pdf, cells);
	pdf_table_end(r->pdf);
	return 0;
}

/* met, breached, pending, unknown; the rate met / (met + breached) */
static void deadline_counts(const struct results_site *s, long long *v)
{
	v[0] = s->met;
	v[1] = s->breached;
	v[2] = s->pending;
	v[3] = s->unknown;
	v[4] = s->met;
	v[5] = s->met + s->breached;
}

/*
 * Per site: met, breached, pending, unknown (无法判定: the file lacked a
 * field the rule needs) and the rate met / (met + breached).
 */
static int site_table(struct report *r, const struct run_view *cur, const struct rule_result *x,
		      pm_error *err)
{
	struct pdf_col cols[6] = {
		{ tr(r, "项目", "Site"), 3, PDF_LEFT }, { tr(r, "按时", "Met"), 1, PDF_RIGHT },
		{ tr(r, "超时", "Breached"), 1, PDF_RIGHT }, { tr(r, "待定", "Pending"), 1, PDF_RIGHT },
		{ tr(r, "无法判定", "Unknown"), 1.2, PDF_RIGHT },
		{ tr(r, "及时率", "Rate"), 1.3, PDF_RIGHT }
	};
	const long long totals[4] = { x->met, x->breached, x->pending, x->unknown };

	return per_site_table(r, cur, x, cols, 6, deadline_counts, totals, err);
}

/* Record, site, start, deadline, end ("not done" when none). */
void record_cells(const struct report *r, const struct results_record *x, const char **cells)
{
	cells[0] = x->record_id;
	cells[1] = x->site;
	cells[2] = x->start;
	cells[3] = x->deadline;
	cells[4] = x->end ? x->end : tr(r, "未完成", "not done");
}

/* Breached and pending records, the latest first, at most max_rows. */
static int breach_list(struct report *r, const struct run_view *cur, const char *rule_id,
		       int max_rows, pm_error *err)
{
	struct pdf_col cols[7] = {
		{ tr(r, "记录", "Record"), 1.5, PDF_LEFT },
		{ tr(r, "项目 / 房号", "Site / room"), 1.9, PDF_LEFT },
		{ tr(r, "责任人 / 部门", "Technician / dept."), 1.3, PDF_LEFT },
		{ tr(r, "开始", "Start"), 1.6, PDF_LEFT }, { tr(r, "期限", "Deadline"), 1.6, PDF_LEFT },
		{ tr(r, "完成", "End"), 1.6, PDF_LEFT }, { tr(r, "超时", "Late by"), 1.5, PDF_RIGHT }
	};
	struct results_records it;
	int rows = 0;
	long long total = 0;

	if (results_records_begin(cur->results, rule_id, RECORDS_LATE, max_rows, &it, err) < 0)
		return -1;
	while (results_records_next(&it)) {
		const char *cells[7], *rec[5];
		char late[48], place[300];
		int pending = !strcmp(it.row.status, "pending");

		if (!rows++) {
			/* The caption stays with the table's first rows. */
			pdf_need(r->pdf, 80);
			pdf_note(r->pdf, tr(r, "超时及待定记录：", "Breached and pending records:"));
			pdf_table_begin(r->pdf, cols, 7);
		}
		total = it.total;
		fmt_late(r, late, sizeof(late), it.row.late_seconds);
		record_cells(r, &it.row, rec);
		site_and_room(it.row.site, it.row.room, place, sizeof(place));
		cells[0] = rec[0];
		cells[1] = place;
		cells[2] = it.row.responsible;
		cells[3] = rec[2];
		cells[4] = rec[3];
		cells[5] = rec[4];
		cells[6] = pending ? tr(r, "待定", "pending") : late;
		pdf_table_row(r->pdf, cells);
	}
	if (results_records_end(&it, err) < 0)
		return -1;
	if (!rows)
		return 0;
	pdf_table_end(r->pdf);
	if (total > rows) {
		char note[200];

		snprintf(note, sizeof(note), r->english ?
			 "First %d of %lld shown; all are in the appendix and the CSV export." :
			 "仅列出前 %d 条，共 %lld 条，全部记录见附录及 CSV 导出文件。", rows, total);
		pdf_note(r->pdf, note);
	}
	return 0;
}

int rule_detail(struct report *r, const struct run_view *cur, const struct run_view *prev,
		const struct rule_result *x, int max_rows, pm_error *err)
{
	char title[240];

	snprintf(title, sizeof(title), "%s  %s", x->rule_id, x->title);
	pdf_subsection(r->pdf, title);
	rule_sentence(r, x, find_rule(prev, x->rule_id));
	if (site_table(r, cur, x, err) < 0)
		return -1;
	return breach_list(r, cur, x->rule_id, max_rows, err);
}

/* ---- complaints: level, category, department ---- */

/*
 * Complaints received in [from, to) by column; "resolved" is resolved by
 * the run's as-of time, as the rules judge them (C2026100019 resolved after
 * it is 未完成 in the list below, so not 已解决 here either).
 */
static int complaint_breakdown(struct report *r, const struct run_view *cur, const char *from,
			       const char *to, const char *column, const char *heading, int limit,
			       pm_error *err)
{
	char sql[600];
	struct pdf_col cols[5] = {
		{ heading, 3, PDF_LEFT }, { tr(r, "投诉", "Complaints"), 1, PDF_RIGHT },
		{ tr(r, "有效", "Valid"), 1, PDF_RIGHT }, { tr(r, "已解决", "Resolved"), 1, PDF_RIGHT },
		{ tr(r, "占比", "Share"), 1, PDF_RIGHT }
	};
	sqlite3_stmt *st;
	int rows = 0, rc;

	/* column is one of our own literals ("level", "category", "department"). */
	snprintf(sql, sizeof(sql),
		 "SELECT COALESCE(NULLIF(%s, ''), '—'), COUNT(*), SUM(valid),"
		 " SUM(resolved_at IS NOT NULL AND resolved_at <= ?5), SUM(COUNT(*)) OVER ()"
		 " FROM complaints WHERE received_at >= ?1 AND received_at < ?2"
		 " AND (?3 IS NULL OR site = ?3) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?4", column);
	st = prepare(r, sql, err);
	if (!st)
		return -1;
	bind_text(st, 1, from);
	bind_text(st, 2, to);
	bind_text(st, 3, r->opts->site);
	sqlite3_bind_int(st, 4, limit);
	bind_text(st, 5, cur->results->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char a[32], b[32], c[32], share[32];
		const char *cells[5];
		long long n = sqlite3_column_int64(st, 1), all = sqlite3_column_int64(st, 4);

		if (!rows++)
			pdf_table_begin(r->pdf, cols, 5);
		fmt_count(a, sizeof(a), n);
		fmt_count(b, sizeof(b), sqlite3_column_int64(st, 2));
		fmt_count(c, sizeof(c), sqlite3_column_int64(st, 3));
		fmt_rate(share, sizeof(share), all > 0, all ? (double)n / all : 0);
		cells[0] = !strcmp(column, "level") ? complaint_level_name(r, col_text(st, 0)) : col_text(st, 0);
		cells[1] = a;
		cells[2] = b;
		cells[3] = c;
		cells[4] = share;
		pdf_table_row(r->pdf, cells);
	}
	if (step_done(r, st, rc, err) < 0)
		return -1;
	if (rows)
		pdf_table_end(r->pdf);
	else
		pdf_note(r->pdf, tr(r, "本期没有投诉。", "No complaints in the period."));
	return 0;
}

/*
 * The deadline rules playing one role (rules/results/results.h: roles; ROLE_OTHER:
 * any not printed yet), in the rules file's order; marks them printed.
 * Returns how many, or -1.
 */
static int print_family(struct report *r, const struct run_view *cur, const struct run_view *prev,
			enum rule_role role, char *printed, pm_error *err)
{
	int i, n = 0;

	for (i = 0; i < cur->nrules; i++) {
		const struct rule_result *x = &cur->rules[i];

		if (printed[i] || !is_deadline(x) || (role != ROLE_OTHER && x->role != role))
			continue;
		printed[i] = 1;
		if (rule_detail(r, cur, prev, x, SECTION_BREACH_ROWS, err) < 0)
			return -1;
		n++;
	}
	return n;
}

/* Sections 2-4 (and other deadline rules), after printed[] is made. */
static int deadline_families(struct report *r, const struct run_view *cur,
			     const struct run_view *prev, const char *from, const char *to,
			     char *printed, pm_error *err)
{
	int i, n, others = 0;

	pdf_section(r->pdf, tr(r, "二、报修回访及时性", "2. Repair callbacks on time"));
	pdf_paragraph(r->pdf, tr(r,
		"维修完成（渗漏水项目为试漏）后按时回访业主的情况。依据：安全设施维修2天内回访；"
		"房屋渗漏水项目维修试漏后3天内回访；其他维修项目2天内回访。",
		"Callbacks after a repair was completed (after the leak test for leaks). Source: "
		"safety repairs within 2 days; leaks within 3 days of the leak test; other repairs "
		"within 2 days."));
	if ((n = print_family(r, cur, prev, ROLE_REPAIR_CALLBACK, printed, err)) < 0)
		return -1;
	if (!n)
		pdf_note(r->pdf, tr(r, "回访规则未启用。", "No callback rule is enabled."));
	pdf_section(r->pdf, tr(r, "三、紧急报修到场", "3. Urgent repairs: arrival"));
	if ((n = print_family(r, cur, prev, ROLE_REPAIR_DEADLINE, printed, err)) < 0)
		return -1;
	if (!n)
		pdf_note(r->pdf, tr(r, "到场规则未启用。", "No arrival rule is enabled."));
	pdf_section(r->pdf, tr(r, "四、投诉处理", "4. Complaint handling"));
	pdf_subsection(r->pdf, tr(r, "按级别", "By level"));
	if (complaint_breakdown(r, cur, from, to, "level", tr(r, "级别", "Level"), 10, err) < 0 ||
	    print_family(r, cur, prev, ROLE_COMPLAINT_DEADLINE, printed, err) < 0)
		return -1;
	pdf_subsection(r->pdf, tr(r, "按类别", "By category"));
	if (complaint_breakdown(r, cur, from, to, "category", tr(r, "类别", "Category"), 15, err) < 0 ||
	    chart_complaint_categories(r, from, to, err) < 0)
		return -1;
	pdf_subsection(r->pdf, tr(r, "按责任部门", "By department"));
	if (complaint_breakdown(r, cur, from, to, "department", tr(r, "部门", "Department"), 15, err) < 0)
		return -1;
	for (i = 0; i < cur->nrules; i++)
		if (!printed[i] && is_deadline(&cur->rules[i]))
			others++;
	if (others) {
		pdf_section(r->pdf, tr(r, "其他时限规则", "Other deadline rules"));
		if (print_family(r, cur, prev, ROLE_OTHER, printed, err) < 0)
			return -1;
	}
	return 0;
}

int deadline_sections(struct report *r, const struct run_view *cur,
		      const struct run_view *prev, const char *from, const char *to,
		      pm_error *err)
{
	char *printed = calloc(cur->nrules + 1, 1);
	int rc;

	if (!printed)
		return pm_fail(err, "out of memory");
	rc = deadline_families(r, cur, prev, from, to, printed, err);
	free(printed);
	return rc;
}

/* ---- coverage ---- */

/* covered, to cover; the rate covered / to cover */
static void coverage_counts(const struct results_site *s, long long *v)
{
	v[0] = s->met;
	v[1] = s->met + s->breached;
	v[2] = s->met;
	v[3] = s->met + s->breached;
}

/* Per site: covered, to cover and the rate covered / to cover. */
static int coverage_site_table(struct report *r, const struct run_view *cur,
			       const struct rule_result *x, pm_error *err)
{
	struct pdf_col cols[4] = {
		{ tr(r, "项目", "Site"), 3, PDF_LEFT }, { tr(r, "已回访", "Covered"), 1, PDF_RIGHT },
		{ tr(r, "应回访", "Total"), 1, PDF_RIGHT }, { tr(r, "比率", "Rate"), 1.3, PDF_RIGHT }
	};
	const long long totals[2] = { x->numerator, x->denominator };

	return per_site_table(r, cur, x, cols, 4, coverage_counts, totals, err);
}

/* The weeks with a rate and those of them that met the target. */
static int count_weeks(const struct run_view *cur, const struct rule_result *x, int *weeks,
		       int *met, pm_error *err)
{
	struct results_weeks it;

	*weeks = *met = 0;
	if (results_weeks_begin(cur->results, x->rule_id, &it, err) < 0)
		return -1;
	while (results_weeks_next(&it))
		if (it.row.has_rate) {
			++*weeks;
			*met += it.row.met == 1;
		}
	return results_weeks_end(&it, err);
}

/* "共 5 周，4 周达标（每周不低于 60.00%）。" from the weeks of the run. */
static int weeks_sentence(struct report *r, const struct run_view *cur,
			  const struct rule_result *x, pm_error *err)
{
	char text[300], target[32];
	int weeks, met;

	if (count_weeks(cur, x, &weeks, &met, err) < 0)
		return -1;
	fmt_rate(target, sizeof(target), x->has_target, x->target);
	snprintf(text, sizeof(text), r->english ?
		 "%d weeks with paid repairs; %d of them reached %s." :
		 "本期有有偿维修的共 %d 周，其中 %d 周达到 %s。", weeks, met, target);
	pdf_paragraph(r->pdf, text);
	return 0;
}

static int weeks_table(struct report *r, const struct run_view *cur, const struct rule_result *x,
		       pm_error *err)
{
	struct pdf_col cols[5] = {
		{ tr(r, "周", "Week"), 2, PDF_LEFT }, { tr(r, "已回访", "Called back"), 1, PDF_RIGHT },
		{ tr(r, "有偿维修", "Paid repairs"), 1, PDF_RIGHT }, { tr(r, "比率", "Rate"), 1.2, PDF_RIGHT },
		{ tr(r, "结论", "Result"), 1.2, PDF_CENTER }
	};
	struct results_weeks it;
	int rows = 0;

	if (weeks_sentence(r, cur, x, err) < 0 ||
	    results_weeks_begin(cur->results, x->rule_id, &it, err) < 0)
		return -1;
	while (results_weeks_next(&it)) {
		char a[32], b[32], rate[32];
		const char *cells[5];

		if (!rows++)
			pdf_table_begin(r->pdf, cols, 5);
		fmt_count(a, sizeof(a), it.row.numerator);
		fmt_count(b, sizeof(b), it.row.denominator);
		fmt_rate(rate, sizeof(rate), it.row.has_rate, it.row.rate);
		cells[0] = it.row.week;
		cells[1] = a;
		cells[2] = b;
		cells[3] = rate;
		cells[4] = !it.row.has_rate ? "—" : it.row.met ? tr(r, "达标", "met") :
			   tr(r, "未达标", "missed");
		pdf_table_row(r->pdf, cells);
	}
	if (results_weeks_end(&it, err) < 0)
		return -1;
	if (rows)
		pdf_table_end(r->pdf);
	return 0;
}

/* One coverage or weekly rule: the weeks, or sentence, sites and breaches. */
static int coverage_rule(struct report *r, const struct run_view *cur,
			 const struct run_view *prev, const struct rule_result *x, pm_error *err)
{
	char heading[240];

	snprintf(heading, sizeof(heading), "%s  %s", x->rule_id, x->title);
	pdf_subsection(r->pdf, heading);
	if (!strcmp(x->kind, "weekly"))
		return weeks_table(r, cur, x, err);
	rule_sentence(r, x, prev ? find_rule(prev, x->rule_id) : NULL);
	if (coverage_site_table(r, cur, x, err) < 0)
		return -1;
	return breach_list(r, cur, x->rule_id, SECTION_BREACH_ROWS, err);
}

int coverage_section(struct report *r, const struct run_view *cur,
		     const struct run_view *prev, const char *title, pm_error *err)
{
	int i, n = 0;

	pdf_section(r->pdf, title);
	for (i = 0; i < cur->nrules; i++) {
		const struct rule_result *x = &cur->rules[i];

		if (strcmp(x->kind, "coverage") && strcmp(x->kind, "weekly"))
			continue;
		if (coverage_rule(r, cur, prev, x, err) < 0)
			return -1;
		n++;
	}
	if (!n)
		pdf_note(r->pdf, tr(r, "回访覆盖规则未启用。", "No coverage rule is enabled."));
	return 0;
}
