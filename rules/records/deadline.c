/*
 * Deadlines: a record under a deadline rule, for runs and the trend alike.
 * Its end (deadline_end(): the rule's end field, or the first callback at
 * or after the start, by the as-of time), then the judge (judge_deadline()):
 *   deadline  the record's own deadline field when given, else
 *             start + limit seconds | the start's day at 23:59:59 |
 *             the end of the Nth working day after the start's day
 *             (NULL where the calendar lacks a year: no_calendar)
 *   status    met       end <= deadline
 *             breached  an end after the deadline, or none and the
 *                       deadline passed before the as-of time
 *             pending   no end yet and the deadline not passed
 *   late      end - deadline, or as-of - deadline when breached without
 *             an end; none otherwise
 * Timestamps compare as text, as SQLite compares them.
 *
 * deadline_judge_row() does it for a row of the records pass
 * (records_pass.c), which counts the record and keeps its row; a
 * working-day deadline in a year the calendar lacks is noted (note_gap())
 * and, after the scans, the first such rule is the run's error
 * (calendar_gaps()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"

const char *verdict_status_name(enum verdict_status s)
{
	static const char *const names[] = { "met", "breached", "pending", "no_calendar", "unknown" };

	return names[s];
}

static int seconds_deadline(const struct judge_ctx *j, const struct rule *r, const char *start,
			    struct verdict *v, pm_error *err)
{
	char mod[48];
	int rc;

	if (ts_add_seconds(start, r->limit_value, v->buf) == 0) {
		v->deadline = v->buf;
		return 0;
	}
	snprintf(mod, sizeof(mod), "+%lld seconds", r->limit_value);
	rc = eval_sql_text(j->db, "SELECT datetime(?1, ?2)", start, mod, v->buf, sizeof(v->buf), err);
	if (rc < 0)
		return -1;
	v->deadline = rc ? v->buf : NULL;
	return 0;
}

static int same_day_deadline(const struct judge_ctx *j, const char *start, struct verdict *v,
			     pm_error *err)
{
	int rc;

	if (ts_same_day_end(start, v->buf) == 0) {
		v->deadline = v->buf;
		return 0;
	}
	rc = eval_sql_text(j->db, "SELECT date(?1) || ' 23:59:59'", start, NULL, v->buf,
			   sizeof(v->buf), err);
	if (rc < 0)
		return -1;
	v->deadline = rc ? v->buf : NULL;
	return 0;
}

/*
 * The working-day table of the SQL engine held the days of the window
 * [from, to]; a start's day outside it (only a value not well-formed can
 * be) had no deadline and no missing year.
 */
static int workday_deadline(const struct judge_ctx *j, const struct rule *r, const char *start,
			    struct verdict *v, pm_error *err)
{
	char date[64];
	int day, end, rc;

	if (ts_day(start, &day)) {
		rc = eval_sql_text(j->db, "SELECT date(?1)", start, NULL, date, sizeof(date), err);
		if (rc < 0)
			return -1;
		if (rc == 0 || strlen(date) != 10 || day_parse(date, &day))
			return 0;
	}
	if (day < j->first_day || day > j->last_day)
		return 0;
	if (calendar_nth_workday_after(j->cal, day, (int)r->limit_value, &end, &v->missing_year))
		return 0;
	day_format(end, v->buf);
	memcpy(v->buf + 10, " 23:59:59", 10);
	v->deadline = v->buf;
	return 0;
}

/* strftime('%s', a) - strftime('%s', b); 0 when either is NULL for SQLite. */
static int seconds_between(const struct judge_ctx *j, const char *a, const char *b,
			   long long *out, pm_error *err)
{
	long long sa, sb;
	char text[64];
	int rc;

	if (ts_seconds(a, &sa) == 0 && ts_seconds(b, &sb) == 0) {
		*out = sa - sb;
		return 1;
	}
	rc = eval_sql_text(j->db, "SELECT strftime('%s', ?1) - strftime('%s', ?2)", a, b, text,
			   sizeof(text), err);
	if (rc > 0)
		*out = atoll(text);
	return rc;
}

int judge_deadline(const struct judge_ctx *j, const struct rule *r, const char *start,
		   const char *end, const char *req, struct verdict *v, pm_error *err)
{
	int rc = 0;

	v->deadline = NULL;
	v->has_late = 0;
	v->late = 0;
	v->missing_year = 0;
	if (r->deadline_field && req)
		v->deadline = req;
	else if (r->limit_unit == LIMIT_SAMEDAY)
		rc = same_day_deadline(j, start, v, err);
	else if (r->limit_unit == LIMIT_WORKDAYS)
		rc = workday_deadline(j, r, start, v, err);
	else
		rc = seconds_deadline(j, r, start, v, err);
	if (rc)
		return -1;
	if (!v->deadline) {
		v->status = V_NO_CALENDAR;
		return 0;
	}
	if (end && strcmp(end, v->deadline) <= 0)
		v->status = V_MET;
	else if (end || strcmp(v->deadline, j->as_of) < 0)
		v->status = V_BREACHED;
	else
		v->status = V_PENDING;
	if (end && strcmp(end, v->deadline) > 0)
		rc = seconds_between(j, end, v->deadline, &v->late, err);
	else if (!end && strcmp(v->deadline, j->as_of) < 0)
		rc = seconds_between(j, j->as_of, v->deadline, &v->late, err);
	if (rc < 0)
		return -1;
	v->has_late = rc > 0;
	return 0;
}

/*
 * A check run's callback map holds no callback after its as-of time; the
 * trend's holds its last month's, so a record of an earlier month cuts
 * them at its own month's end here.
 */
const char *deadline_end(const struct eval_rule *er, const struct row *w,
			 const struct cb_hit *hits, int nhits, const char *start, const char *as_of)
{
	const char *t;
	int i;

	if (er->end >= 0) {
		t = w->v[er->end];
		return t && strcmp(t, as_of) <= 0 ? t : NULL;
	}
	i = cb_first_from(hits, nhits, start);
	return i < nhits && strcmp(hits[i].at, as_of) <= 0 ? hits[i].at : NULL;
}

/*
 * One record under a deadline rule, its start in column col: judged into v,
 * and its check_records fields (start, deadline, end, status, lateness) into
 * out, which points into v (the records pass counts it and keeps it).
 */
int deadline_judge_row(const struct judge_ctx *j, const struct row_ctx *x,
		       const struct eval_rule *er, int col, struct verdict *v,
		       struct record_row *out, pm_error *err)
{
	const struct row *w = x->w;
	const char *start = w->v[col];
	const char *end = deadline_end(er, w, x->hits, x->nhits, start, j->as_of);

	if (judge_deadline(j, er->r, start, end, er->req >= 0 ? w->v[er->req] : NULL, v, err))
		return -1;
	out->start = start;
	out->deadline = v->deadline;
	out->end = end;
	out->status = verdict_status_name(v->status);
	out->has_late = v->has_late;
	out->late = v->late;
	return 0;
}

/* ---- a working-day deadline in a year the calendar lacks ---- */

/* The first such record by (start, id) is the one the error names. */
int note_gap(struct eval_rule *er, const char *start, const char *id, int year, pm_error *err)
{
	int cmp = er->gap_start ? strcmp(start, er->gap_start) : -1;

	if (cmp > 0 || (cmp == 0 && strcmp(id, er->gap_id) >= 0))
		return 0;
	free(er->gap_start);
	free(er->gap_id);
	er->gap_start = strdup(start);
	er->gap_id = strdup(id);
	er->gap_year = year;
	return er->gap_start && er->gap_id ? 0 : pm_fail(err, "out of memory");
}

static int calendar_gap(const struct subject *s, const struct eval_rule *er, pm_error *err)
{
	return pm_fail(err, "rule %s (limit %s): %s %s starts %s and its deadline falls in %d, "
		       "which the holiday calendar does not cover; add that year's holiday notice "
		       "with --calendar FILE or `calendar = FILE` in the rules file",
		       er->r->id, er->r->limit_text, s->kind, er->gap_id, er->gap_start, er->gap_year);
}

/*
 * The first rule, in file order (the subjects' rules point into one
 * ruleset's array), whose records met a calendar gap is an error.
 */
int calendar_gaps(const struct subject subj[2], pm_error *err)
{
	const struct subject *gap_s = NULL;
	const struct eval_rule *gap = NULL;
	int k, i;

	for (k = 0; k < 2; k++)
		for (i = 0; i < subj[k].nrules; i++) {
			const struct eval_rule *er = &subj[k].rules[i];

			if (er->gap_start && (!gap || er->r < gap->r)) {
				gap = er;
				gap_s = &subj[k];
			}
		}
	return gap ? calendar_gap(gap_s, gap, err) : 0;
}
