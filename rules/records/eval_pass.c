/*
 * The per-record rules in C. For each subject table (tickets, complaints)
 * the rows of the window are read once -- a range scan per timestamp field
 * the rules start from, or one scan of the whole table for a long window
 * (rules/records/eval_scan.h) -- and every enabled rule of that subject judges each
 * row: the filters, the start (the first start field given), the end (a
 * column cut at the as-of time, or the first callback at or after the start
 * from the in-memory callback map), the deadline and the status
 * (deadline.c). A record counts for a rule in the scan of field F when its
 * F is in [from, to) and by the as-of time and F is the first of the rule's
 * start fields that is given.
 *
 * Met records are counted, not stored (unless check_params.keep_met); a
 * figures-only run stores none (record_writer_put() only counts them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules/records/eval_internal.h"
#include "rules/records/eval_scan.h"

/* ---- judging ---- */

struct row_ctx {
	struct subject *s;
	struct row *w;
	int site;                       /* number in eval.sites, -1 not yet */
	int looked;
	const struct cb_hit *hits;
	int nhits;
};

static int row_site(struct eval *e, struct row_ctx *x, pm_error *err)
{
	if (x->site < 0) {
		x->site = strtab_intern(&e->sites, x->w->v[COL_SITE] ? x->w->v[COL_SITE] : "");
		if (x->site < 0)
			return pm_fail(err, "out of memory");
	}
	if (!x->looked) {
		x->hits = cb_map_find(&e->map, x->s->cb_kind, x->w->v[COL_ID] ? x->w->v[COL_ID] : "",
				      &x->nhits);
		x->looked = 1;
	}
	return 0;
}

static int count(struct eval_rule *er, int site, enum verdict_status status, pm_error *err)
{
	struct site_count *sc;

	if (site >= er->nsites) {
		int n = site < 32 ? 64 : 2 * site;     /* doubling: a site per row must stay linear */
		struct site_count *grown = realloc(er->sites, (size_t)n * sizeof(*grown));

		if (!grown)
			return pm_fail(err, "out of memory");
		memset(grown + er->nsites, 0, (size_t)(n - er->nsites) * sizeof(*grown));
		er->sites = grown;
		er->nsites = n;
	}
	sc = &er->sites[site];
	sc->seen++;
	if (status == V_MET) {
		sc->met++;
		er->met++;
	} else if (status == V_BREACHED) {
		sc->breached++;
		er->breached++;
	} else if (status == V_PENDING) {
		sc->pending++;
		er->pending++;
	} else if (status == V_UNKNOWN) {
		sc->unknown++;
		er->unknown++;
	}
	return 0;
}

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

/* The check_records row of the rule for the scan's current record, to fill in. */
static void record_of(struct record_row *out, const struct eval_rule *er, const struct row_ctx *x)
{
	memset(out, 0, sizeof(*out));
	out->rule_id = er->r->id;
	out->kind = x->s->kind;
	out->id = x->w->v[COL_ID];
	out->site = x->w->v[COL_SITE];
}

static int judge_deadline_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
			      pm_error *err)
{
	const struct row *w = x->w;
	const char *start = w->v[col];
	const char *end = deadline_end(er, w, x->hits, x->nhits, start, e->c->as_of);
	struct verdict v;
	struct record_row out;

	if (judge_deadline(&e->j, er->r, start, end, er->req >= 0 ? w->v[er->req] : NULL, &v, err) ||
	    count(er, x->site, v.status, err))
		return -1;
	if (v.status == V_NO_CALENDAR && v.missing_year &&
	    note_gap(er, start, w->v[COL_ID], v.missing_year, err))
		return -1;
	if (v.status == V_MET && !e->c->keep_met)
		return 0;
	record_of(&out, er, x);
	out.start = start;
	out.deadline = v.deadline;
	out.end = end;
	out.status = verdict_status_name(v.status);
	out.has_late = v.has_late;
	out.late = v.late;
	return record_writer_put(e->c, &e->out, &out, err);
}

/*
 * A record lacking a field the rule needs: not judged, counted unknown and
 * listed (status unknown, the missing fields in its detail), never breached.
 */
static int unknown_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
		       const char *missing, pm_error *err)
{
	struct record_row out;

	if (count(er, x->site, V_UNKNOWN, err))
		return -1;
	record_of(&out, er, x);
	out.start = x->w->v[col];
	out.status = verdict_status_name(V_UNKNOWN);
	out.detail = missing;
	return record_writer_put(e->c, &e->out, &out, err);
}

/* The ISO week of an event and its number in the window (-1: none). */
static int event_week(struct eval *e, const char *ev, char label[16], pm_error *err)
{
	int day, i, rc;

	if (ts_day(ev, &day) == 0) {
		i = (day - day_weekday(day) - e->first_monday) / 7;
		ts_iso_week(day, label);
		return i >= 0 && i < e->nweeks ? i : -1;
	}
	rc = eval_sql_text(e->c->db, "SELECT strftime('%Y', date(?1, '-3 days', 'weekday 4')) || '-W' ||"
			   " printf('%02d', (CAST(strftime('%j', date(?1, '-3 days', 'weekday 4'))"
			   " AS INTEGER) - 1) / 7 + 1)", ev, NULL, label, 16, err);
	if (rc < 0)
		return -2;
	if (rc == 0)
		label[0] = '\0';
	for (i = 0; rc && i < e->nweeks; i++)
		if (!strcmp(e->week_labels[i], label))
			return i;
	return -1;
}

static int judge_coverage_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
			      pm_error *err)
{
	const struct row *w = x->w;
	const char *ev = w->v[col];
	const char *cb;
	enum verdict_status status = coverage_status(er, x->hits, x->nhits, ev, e->c->as_of, &cb);
	int week = -1, label_null = 0;
	char label[16] = "";
	struct record_row out;

	/* its callbacks came from files without a role column: who called is not known */
	if (status == V_UNKNOWN)
		return unknown_row(e, x, er, col, "callbacks.role", err);
	if (count(er, x->site, status, err))
		return -1;
	if (er->r->kind == RULE_WEEKLY) {
		week = event_week(e, ev, label, err);
		if (week == -2)
			return -1;
		label_null = !label[0];
		if (week >= 0) {
			er->week_den[week]++;
			er->week_num[week] += cb != NULL;
		}
	}
	if (cb && !e->c->keep_met)
		return 0;
	record_of(&out, er, x);
	out.start = ev;
	out.end = cb;
	out.status = cb ? "met" : "breached";
	out.detail = er->r->kind == RULE_WEEKLY && !label_null ? label : NULL;
	if (x->s->which == SUBJECT_TICKETS && w->type[COL_CHARGE] != SQLITE_NULL)
		out.amount = sqlite3_column_value(w->st, COL_CHARGE);
	return record_writer_put(e->c, &e->out, &out, err);
}

/*
 * Every rule of the subject on one row of the scan of column scan_col (-1:
 * the whole table, where the window is checked here, and Q-MISSING-START
 * looked for as well).
 */
static int judge_row(struct eval *e, struct subject *s, struct row *w, int scan_col, pm_error *err)
{
	struct row_ctx x = { s, w, -1, 0, NULL, 0 };
	int i;

	for (i = 0; i < s->nrules; i++) {
		struct eval_rule *er = &s->rules[i];
		int col = rule_column(er, w);
		unsigned missing;
		char names[256];
		int rc;

		if (col < 0 && scan_col < 0 && er->missing_start &&
		    missing_start_row(e, s, er, w, 1, err))
			return -1;
		if (col < 0 || (scan_col >= 0 && col != scan_col))
			continue;
		if (scan_col < 0 && (w->type[col] != SQLITE_TEXT ||
				     !eval_in_window(w->v[col], e->c->from, e->c->to, e->c->as_of)))
			continue;
		missing = record_missing(er, w);
		if (!rule_takes(s, er, w, missing))
			continue;
		if (row_site(e, &x, err))
			return -1;
		if (missing)
			rc = unknown_row(e, &x, er, col,
					 missing_names(er, missing, names, sizeof(names)), err);
		else
			rc = er->r->kind == RULE_DEADLINE ? judge_deadline_row(e, &x, er, col, err) :
				judge_coverage_row(e, &x, er, col, err);
		if (rc)
			return -1;
	}
	return 0;
}

static int judge_fn(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err)
{
	return judge_row(e, s, w, *(int *)arg, err);
}

/* Judges the subject's rows, by range scans or one full scan; Q-MISSING-START too. */
static int judge_subject(struct eval *e, struct subject *s, pm_error *err)
{
	int full;

	if (scan_subject(e, s, judge_fn, &full, err))
		return -1;
	return full ? 0 : missing_starts(e, s, err);
}

/* ---- the passes ---- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A pass's wall time, and its own CPU time in the text (the scans' lines share it). */
static void profile(struct eval *e, const char *what, double since, double cpu_since)
{
	char line[256];

	if (!e->c->profile)
		return;
	snprintf(line, sizeof(line), "%s: %.3f s cpu in all (%lld rows read, %lld records stored"
		 " so far)", what, cpu_seconds() - cpu_since, (long long)e->rows_read,
		 (long long)e->out.rows);
	e->c->profile(line, now_seconds() - since);
}

static int run(struct eval *e, struct subject subj[2], struct cb_map *ahead, pm_error *err)
{
	static const char *const names[2] = { "evaluate tickets", "evaluate complaints" };
	int k, roles;
	double t, cpu;

	if (weeks_init(e, err) || subjects_init(e, subj, err))
		return -1;
	t = now_seconds();
	cpu = cpu_seconds();
	if (subjects_need_callbacks(subj, &roles)) {
		if (ahead) {            /* the engine timed its wait */
			e->map = *ahead;
			memset(ahead, 0, sizeof(*ahead));
		} else if (cb_map_load(e->c->db, e->c->from, e->c->as_of, roles, &e->map, err)) {
			return -1;
		} else {
			profile(e, "load the callback map", t, cpu);
		}
	}
	if (record_writer_open(e->c, &e->out, err))
		return -1;
	for (k = 0; k < 2; k++) {
		if (!subj[k].nrules)
			continue;
		t = now_seconds();
		cpu = cpu_seconds();
		if (roles_init(e, &subj[k], err) || judge_subject(e, &subj[k], err))
			return -1;
		profile(e, names[k], t, cpu);
	}
	if (record_writer_flush(e->c, &e->out, err))
		return -1;
	t = now_seconds();
	cpu = cpu_seconds();
	if (store_results(e, subj, err))
		return -1;
	profile(e, "store the counts", t, cpu);
	return 0;
}

int eval_subject_passes(struct check_ctx *c, struct cb_map *ahead, pm_error *err)
{
	struct eval e;
	struct subject subj[2];
	int rc;

	memset(&e, 0, sizeof(e));
	memset(subj, 0, sizeof(subj));
	e.c = c;
	e.j.db = c->db;
	e.j.as_of = c->as_of;
	e.j.cal = c->cal;
	strtab_init(&e.sites);
	strtab_init(&e.missing);
	if (day_parse(c->from, &e.j.first_day) || day_parse(c->to, &e.j.last_day))
		return pm_fail(err, "bad window");
	rc = run(&e, subj, ahead, err);
	c->missing_start = e.missing.count;
	record_writer_close(&e.out);
	subject_free(&subj[0]);
	subject_free(&subj[1]);
	cb_map_free(&e.map);
	strtab_free(&e.sites);
	strtab_free(&e.missing);
	free(e.week_labels);
	return rc;
}
