/*
 * The per-record rules in C. For each subject table (tickets, complaints)
 * the rows of the window are read once -- a range scan per timestamp field
 * the rules start from, or one scan of the whole table for a long window
 * (rules/eval_scan.h) -- and every enabled rule of that subject judges each
 * row: the filters, the start (the first start field given), the end (a
 * column cut at the as-of time, or the first callback at or after the start
 * from the in-memory callback map), the deadline and the status
 * (rules/eval_judge.c). The SQL this replaces selected, per rule and start
 * field, "start in [from, to) and start <= as-of, every earlier start field
 * empty": a row of the scan of field F counts for a rule when F is the
 * first of its start fields that is given.
 *
 * Met records are counted, not stored (unless check_params.keep_met).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules/check_internal.h"
#include "rules/eval.h"
#include "rules/eval_scan.h"
#include "rules/eval_store.h"

/* The columns every scan reads, then the timestamp fields in use. */
enum { COL_ID, COL_SITE, COL_CATEGORY, COL_LEVEL, COL_URGENT, COL_PAID, COL_VALID,
       COL_CHARGE, COL_TS };
#define MAX_TS 8
#define NCOLS (COL_TS + MAX_TS)

struct eval_rule {
	const struct rule *r;
	int start[RULE_MAX_START];      /* columns */
	int end;                        /* column, -1: the first callback */
	int req;                        /* column of the deadline field, -1: none */
	int event;                      /* column (coverage, weekly) */
	int missing_start;              /* Q-MISSING-START looks at this rule */
	unsigned char *role_ok;         /* by role number; NULL: any callback counts */
	struct site_count *sites;
	int nsites;
	sqlite3_int64 met, breached, pending;
	sqlite3_int64 *week_num, *week_den;
	/* the first record (by start, id) whose working-day deadline lacks a year */
	int gap_year;
	char *gap_start, *gap_id;
};

struct subject {
	enum rule_subject which;
	const char *table, *kind, *id;
	enum cb_kind cb_kind;
	const char *ts[MAX_TS];         /* column COL_TS + i */
	int nts;
	struct eval_rule *rules;
	int nrules;
};

struct row {
	sqlite3_stmt *st;
	const char *v[NCOLS];
	int type[NCOLS];
};

struct eval {
	struct check_ctx *c;
	struct judge_ctx j;
	struct cb_map map;
	struct strtab sites;
	struct record_writer out;
	int first_monday, nweeks;
	char (*week_labels)[16];
	sqlite3_int64 rows_read;
};

/* ---- setup ---- */

static int ts_column(struct subject *s, const char *field)
{
	int i;

	for (i = 0; i < s->nts; i++)
		if (!strcmp(s->ts[i], field))
			return COL_TS + i;
	if (s->nts == MAX_TS)
		return -1;
	s->ts[s->nts] = field;
	return COL_TS + s->nts++;
}

/* The start can be missing only where every start field may be empty. */
static int start_can_be_missing(const struct rule *r)
{
	int i;

	for (i = 0; i < r->nstart; i++)
		if (!strcmp(r->start[i], "reported_at") || !strcmp(r->start[i], "received_at"))
			return 0;
	return 1;
}

static int add_rule(struct eval *e, struct subject *s, const struct rule *r, pm_error *err)
{
	struct eval_rule *er = &s->rules[s->nrules++];
	int i;

	memset(er, 0, sizeof(*er));
	er->r = r;
	er->end = er->req = er->event = -1;
	for (i = 0; i < r->nstart; i++)
		er->start[i] = ts_column(s, r->start[i]);
	if (r->kind == RULE_DEADLINE) {
		if (r->end)
			er->end = ts_column(s, r->end);
		if (r->deadline_field)
			er->req = ts_column(s, r->deadline_field);
		er->missing_start = start_can_be_missing(r);
	} else {
		er->event = ts_column(s, r->event);
	}
	if (r->kind == RULE_WEEKLY) {
		er->week_num = calloc((size_t)e->nweeks + 1, sizeof(sqlite3_int64));
		er->week_den = calloc((size_t)e->nweeks + 1, sizeof(sqlite3_int64));
		if (!er->week_num || !er->week_den)
			return pm_fail(err, "out of memory");
	}
	/* at most 6 timestamp fields exist; this cannot happen */
	for (i = 0; i < r->nstart; i++)
		if (er->start[i] < 0)
			return pm_fail(err, "rule %s: too many fields", r->id);
	return 0;
}

static void subject_init(struct subject *s, enum rule_subject which)
{
	memset(s, 0, sizeof(*s));
	s->which = which;
	s->table = rule_subject_table(which);
	s->id = rule_subject_id(which);
	s->kind = which == SUBJECT_TICKETS ? "ticket" : "complaint";
	s->cb_kind = which == SUBJECT_TICKETS ? CB_TICKET : CB_COMPLAINT;
}

static int is_record_rule(const struct rule *r)
{
	return r->enabled && (r->kind == RULE_DEADLINE || r->kind == RULE_COVERAGE ||
			      r->kind == RULE_WEEKLY);
}

static int subjects_init(struct eval *e, struct subject subj[2], pm_error *err)
{
	const struct ruleset *rs = e->c->rs;
	size_t i;
	int k;

	subject_init(&subj[0], SUBJECT_TICKETS);
	subject_init(&subj[1], SUBJECT_COMPLAINTS);
	for (k = 0; k < 2; k++) {
		subj[k].rules = calloc(rs->count + 1, sizeof(struct eval_rule));
		if (!subj[k].rules)
			return pm_fail(err, "out of memory");
	}
	for (i = 0; i < rs->count; i++) {
		const struct rule *r = &rs->rules[i];

		if (is_record_rule(r) &&
		    add_rule(e, &subj[r->subject == SUBJECT_TICKETS ? 0 : 1], r, err))
			return -1;
	}
	return 0;
}

/* The ISO weeks whose Monday lies from the window's first week to its last day. */
static int weeks_init(struct eval *e, pm_error *err)
{
	long long to_secs;
	int first, last, i;

	if (day_parse(e->c->from, &first) || ts_seconds(e->c->to, &to_secs))
		return pm_fail(err, "bad window");
	/* The last day of the window is the day of the instant before `to`. */
	last = (int)((to_secs - 1) / 86400);
	e->first_monday = first - day_weekday(first);
	e->nweeks = (last - e->first_monday) / 7 + 1;
	e->week_labels = calloc((size_t)e->nweeks, sizeof(*e->week_labels));
	if (!e->week_labels)
		return pm_fail(err, "out of memory");
	for (i = 0; i < e->nweeks; i++)
		ts_iso_week(e->first_monday + 7 * i, e->week_labels[i]);
	return 0;
}

/* The roles each coverage rule accepts: instr(role, name) > 0 for one of its names. */
static int roles_init(struct eval *e, struct subject *s, pm_error *err)
{
	int i, k, n;

	for (i = 0; i < s->nrules; i++) {
		const struct rule *r = s->rules[i].r;

		if (r->kind == RULE_DEADLINE || !r->callback_roles.count)
			continue;
		s->rules[i].role_ok = calloc((size_t)e->map.roles.count + 1, 1);
		if (!s->rules[i].role_ok)
			return pm_fail(err, "out of memory");
		for (k = 0; k < e->map.roles.count; k++)
			for (n = 0; n < r->callback_roles.count; n++)
				if (strstr(e->map.roles.strs[k], r->callback_roles.items[n]))
					s->rules[i].role_ok[k] = 1;
	}
	return 0;
}

/* ---- a row ---- */

/*
 * Each SQLite column call takes the connection's mutex: the id, site,
 * category and level (text columns, only compared for equality) are read
 * as text alone; the numbers and the timestamps (whose type decides a
 * comparison) with their type.
 */
static void row_read(struct row *w, int ncols)
{
	int i;

	for (i = 0; i < ncols; i++) {
		if (i < COL_URGENT) {
			w->v[i] = (const char *)sqlite3_column_text(w->st, i);
			w->type[i] = w->v[i] ? SQLITE_TEXT : SQLITE_NULL;
			continue;
		}
		w->type[i] = sqlite3_column_type(w->st, i);
		w->v[i] = NULL;
		if (w->type[i] != SQLITE_NULL && i >= COL_TS)
			w->v[i] = (const char *)sqlite3_column_text(w->st, i);
	}
}

static int in_list(const struct rule_list *l, const char *v)
{
	int i;

	for (i = 0; i < l->count; i++)
		if (!strcmp(l->items[i], v))
			return 1;
	return 0;
}

/* column = want, as SQLite compares an INTEGER column with an integer */
static int equals(const struct row *w, int col, long long want)
{
	if (w->type[col] == SQLITE_INTEGER)
		return sqlite3_column_int64(w->st, col) == want;
	if (w->type[col] == SQLITE_FLOAT)
		return sqlite3_column_double(w->st, col) == (double)want;
	return 0;
}

/* column >= min: text and blobs sort after every number in SQLite */
static int at_least(const struct row *w, int col, long long min)
{
	if (w->type[col] == SQLITE_INTEGER)
		return sqlite3_column_int64(w->st, col) >= min;
	if (w->type[col] == SQLITE_FLOAT)
		return sqlite3_column_double(w->st, col) >= (double)min;
	return w->type[col] != SQLITE_NULL;
}

/* The rule's filters (the site is the scan's). */
static int rule_matches(const struct rule *r, const struct row *w)
{
	const char *category = w->v[COL_CATEGORY];

	if (r->category.count && !(category && in_list(&r->category, category)))
		return 0;
	if (r->category_not.count && category && in_list(&r->category_not, category))
		return 0;
	if (r->level.count && !(w->v[COL_LEVEL] && in_list(&r->level, w->v[COL_LEVEL])))
		return 0;
	if (r->urgent != ANY && !equals(w, COL_URGENT, r->urgent))
		return 0;
	if (r->paid != ANY && !equals(w, COL_PAID, r->paid))
		return 0;
	if (r->valid != ANY && !equals(w, COL_VALID, r->valid))
		return 0;
	if (r->min_charge >= 0 && !at_least(w, COL_CHARGE, r->min_charge))
		return 0;
	return 1;
}

/* The column of the rule's start: its first start field given, -1 if none. */
static int start_column(const struct eval_rule *er, const struct row *w)
{
	int i;

	for (i = 0; i < er->r->nstart; i++)
		if (w->type[er->start[i]] != SQLITE_NULL)
			return er->start[i];
	return -1;
}

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
		int n = site + 64;
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
	}
	return 0;
}

static int note_gap(struct eval_rule *er, const char *start, const char *id, int year, pm_error *err)
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

static int judge_deadline_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
			      pm_error *err)
{
	const struct row *w = x->w;
	const char *start = w->v[col], *end = NULL;
	struct verdict v;
	struct record_row out;

	if (er->end >= 0) {
		const char *t = w->v[er->end];

		end = t && strcmp(t, e->c->as_of) <= 0 ? t : NULL;
	} else {
		int i = cb_first_from(x->hits, x->nhits, start);

		end = i < x->nhits ? x->hits[i].at : NULL;
	}
	if (judge_deadline(&e->j, er->r, start, end, er->req >= 0 ? w->v[er->req] : NULL, &v, err) ||
	    count(er, x->site, v.status, err))
		return -1;
	if (v.status == V_NO_CALENDAR && v.missing_year &&
	    note_gap(er, start, w->v[COL_ID], v.missing_year, err))
		return -1;
	if (v.status == V_MET && !e->c->keep_met)
		return 0;
	memset(&out, 0, sizeof(out));
	out.rule_id = er->r->id;
	out.kind = x->s->kind;
	out.id = w->v[COL_ID];
	out.site = w->v[COL_SITE];
	out.start = start;
	out.deadline = v.deadline;
	out.end = end;
	out.status = verdict_status_name(v.status);
	out.has_late = v.has_late;
	out.late = v.late;
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
	const char *ev = w->v[col], *cb;
	int i = cb_first_from(x->hits, x->nhits, ev), week = -1, label_null = 0;
	char label[16] = "";
	struct record_row out;

	if (er->role_ok)
		while (i < x->nhits && !(x->hits[i].role >= 0 && er->role_ok[x->hits[i].role]))
			i++;
	cb = i < x->nhits ? x->hits[i].at : NULL;
	if (count(er, x->site, cb ? V_MET : V_BREACHED, err))
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
	memset(&out, 0, sizeof(out));
	out.rule_id = er->r->id;
	out.kind = x->s->kind;
	out.id = w->v[COL_ID];
	out.site = w->v[COL_SITE];
	out.start = ev;
	out.end = cb;
	out.status = cb ? "met" : "breached";
	out.detail = er->r->kind == RULE_WEEKLY && !label_null ? label : NULL;
	if (x->s->which == SUBJECT_TICKETS && w->type[COL_CHARGE] != SQLITE_NULL)
		out.amount = sqlite3_column_value(w->st, COL_CHARGE);
	return record_writer_put(e->c, &e->out, &out, err);
}

static int missing_start_row(struct eval *e, struct subject *s, struct eval_rule *er,
			     struct row *w, int check_window, pm_error *err);

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
		int col = er->r->kind == RULE_DEADLINE ? start_column(er, w) : er->event;
		int rc;

		if (col < 0 && scan_col < 0 && er->missing_start &&
		    missing_start_row(e, s, er, w, 1, err))
			return -1;
		if (col < 0 || (scan_col >= 0 && col != scan_col))
			continue;
		if (scan_col < 0 && (w->type[col] != SQLITE_TEXT ||
				     !eval_in_window(w->v[col], e->c->from, e->c->to, e->c->as_of)))
			continue;
		if (!rule_matches(er->r, w))
			continue;
		if (row_site(e, &x, err))
			return -1;
		rc = er->r->kind == RULE_DEADLINE ? judge_deadline_row(e, &x, er, col, err) :
			judge_coverage_row(e, &x, er, col, err);
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- Q-MISSING-START ---- */

static int all_starts_empty(const struct eval_rule *er, const struct row *w)
{
	return start_column(er, w) < 0;
}

/*
 * The end event happened in the window but the start it follows is
 * missing (a callback on a ticket never marked completed). The scan reads
 * the records whose last start field is empty (for an end column: whose
 * end lies in the window); the index on that field holds them together.
 */
static int missing_start_row(struct eval *e, struct subject *s, struct eval_rule *er,
			     struct row *w, int check_window, pm_error *err)
{
	struct record_row out;
	char detail[256];
	const char *end;

	if (!all_starts_empty(er, w) || !rule_matches(er->r, w))
		return 0;
	if (er->end >= 0) {
		end = w->v[er->end];
		if (check_window && (w->type[er->end] != SQLITE_TEXT ||
				     !eval_in_window(end, e->c->from, e->c->to, e->c->as_of)))
			return 0;
	} else {
		int n;
		const struct cb_hit *hits = cb_map_find(&e->map, s->cb_kind,
							w->v[COL_ID] ? w->v[COL_ID] : "", &n);

		/* the earliest callback of the map, if it is before `to` */
		if (!n || strcmp(hits[0].at, e->c->to) >= 0)
			return 0;
		end = hits[0].at;
	}
	snprintf(detail, sizeof(detail), "%s: no %s%s, but %s", er->r->id, er->r->start[0],
		 er->r->nstart > 1 ? " (nor the fallbacks)" : "",
		 er->r->end ? "the end event is recorded" : "a callback is recorded");
	memset(&out, 0, sizeof(out));
	out.rule_id = "Q-MISSING-START";
	out.kind = s->kind;
	out.id = w->v[COL_ID];
	out.site = w->v[COL_SITE];
	out.end = end;
	out.status = "finding";
	out.detail = detail;
	return record_writer_put(e->c, &e->out, &out, err);
}

/* ---- scans ---- */

static int scan_sql(const struct subject *s, const char *where, char *sql, size_t size)
{
	size_t n;
	int i;

	n = (size_t)snprintf(sql, size, "SELECT t.%s, t.site, t.category, %s, %s, %s, %s, %s",
		s->id, s->which == SUBJECT_COMPLAINTS ? "t.level" : "NULL",
		s->which == SUBJECT_TICKETS ? "t.urgent" : "NULL",
		s->which == SUBJECT_TICKETS ? "t.paid" : "NULL",
		s->which == SUBJECT_COMPLAINTS ? "t.valid" : "NULL",
		s->which == SUBJECT_TICKETS ? "t.charge" : "NULL");
	for (i = 0; i < s->nts && n < size; i++)
		n += (size_t)snprintf(sql + n, size - n, ", t.%s", s->ts[i]);
	if (n < size)
		n += (size_t)snprintf(sql + n, size - n, " FROM %s t WHERE %s"
				      " AND (:site IS NULL OR t.site = :site)", s->table, where);
	return n < size ? 0 : -1;
}

typedef int (*row_fn)(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err);

static int scan(struct eval *e, struct subject *s, const char *where, row_fn fn, void *arg,
		pm_error *err)
{
	char sql[2048];
	struct row w;
	int rc;

	if (scan_sql(s, where, sql, sizeof(sql)))
		return pm_fail(err, "%s: too many fields", s->table);
	if (ctx_prepare(e->c, sql, &w.st, err))
		return -1;
	while ((rc = sqlite3_step(w.st)) == SQLITE_ROW) {
		row_read(&w, COL_TS + s->nts);
		e->rows_read++;
		if (fn(e, s, &w, arg, err)) {
			sqlite3_finalize(w.st);
			return -1;
		}
	}
	sqlite3_finalize(w.st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(e->c->db));
}

static int judge_fn(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err)
{
	return judge_row(e, s, w, *(int *)arg, err);
}

/* The rows a rule's Q-MISSING-START looks at, by an index of the subject. */
static void missing_where(const struct rule *r, char *where, size_t size)
{
	if (r->end)
		snprintf(where, size, "t.%s >= :from AND t.%s < :to AND t.%s <= :asof",
			 r->end, r->end, r->end);
	else
		snprintf(where, size, "t.%s IS NULL", r->start[r->nstart - 1]);
}

/* The rules sharing one Q-MISSING-START scan. */
struct missing_group {
	const char *where;
	struct eval_rule *rules[64];
	int n;
};

static int missing_fn(struct eval *e, struct subject *s, struct row *w, void *arg, pm_error *err)
{
	struct missing_group *g = arg;
	int i;

	for (i = 0; i < g->n; i++)
		if (missing_start_row(e, s, g->rules[i], w, 0, err))
			return -1;
	return 0;
}

/*
 * After range scans: one scan per distinct set of rows (the default rules
 * all look at the tickets without completed_at). The full scan has looked
 * already.
 */
static int missing_starts(struct eval *e, struct subject *s, pm_error *err)
{
	char where[256], done_where[256];
	struct missing_group g;
	int i, k, done = 0;

	for (i = 0; i < s->nrules; i++) {
		if (s->rules[i].r->kind != RULE_DEADLINE || !s->rules[i].missing_start)
			continue;
		missing_where(s->rules[i].r, where, sizeof(where));
		/* a rule whose rows an earlier group read was judged with it */
		for (k = 0, done = 0; k < i && !done; k++)
			if (s->rules[k].r->kind == RULE_DEADLINE && s->rules[k].missing_start) {
				missing_where(s->rules[k].r, done_where, sizeof(done_where));
				done = !strcmp(where, done_where);
			}
		if (done)
			continue;
		g.where = where;
		g.n = 0;
		for (k = i; k < s->nrules && g.n < 64; k++)
			if (s->rules[k].r->kind == RULE_DEADLINE && s->rules[k].missing_start) {
				missing_where(s->rules[k].r, done_where, sizeof(done_where));
				if (!strcmp(where, done_where))
					g.rules[g.n++] = &s->rules[k];
			}
		if (scan(e, s, where, missing_fn, &g, err))
			return -1;
	}
	return 0;
}

/* The fields the rules start from (deadline) or count by (coverage). */
static int range_columns(const struct subject *s, int *cols)
{
	int i, k, n = 0, have;

	for (i = 0; i < s->nrules; i++) {
		const struct eval_rule *er = &s->rules[i];
		int want[RULE_MAX_START + 1], nwant = 0;

		if (er->r->kind == RULE_DEADLINE)
			for (k = 0; k < er->r->nstart; k++)
				want[nwant++] = er->start[k];
		else
			want[nwant++] = er->event;
		for (k = 0; k < nwant; k++) {
			int j;

			for (have = 0, j = 0; j < n; j++)
				have |= cols[j] == want[k];
			if (!have)
				cols[n++] = want[k];
		}
	}
	return n;
}

/* Judges the subject's rows, by range scans or one full scan; Q-MISSING-START too. */
static int judge_subject(struct eval *e, struct subject *s, pm_error *err)
{
	int cols[MAX_TS], ncols = range_columns(s, cols), i, full;
	const char *fields[MAX_TS];
	char where[256];

	for (i = 0; i < ncols; i++)
		fields[i] = s->ts[cols[i] - COL_TS];
	if (eval_prefer_full_scan(e->c->db, s->table, fields, ncols, e->c->from, e->c->to, 0,
				  e->c->as_of, &full, err))
		return -1;
	if (full) {
		int whole = -1;

		return scan(e, s, "1", judge_fn, &whole, err);
	}
	for (i = 0; i < ncols; i++) {
		snprintf(where, sizeof(where), "t.%s >= :from AND t.%s < :to AND t.%s <= :asof",
			 fields[i], fields[i], fields[i]);
		if (scan(e, s, where, judge_fn, &cols[i], err))
			return -1;
	}
	return missing_starts(e, s, err);
}

/* ---- results ---- */

static int calendar_gap(struct eval *e, const struct subject *s, const struct eval_rule *er,
			pm_error *err)
{
	(void)e;
	return pm_fail(err, "rule %s (limit %s): %s %s starts %s and its deadline falls in %d, "
		       "which the holiday calendar does not cover; add that year's holiday notice "
		       "with --calendar FILE or `calendar = FILE` in the rules file",
		       er->r->id, er->r->limit_text, s->kind, er->gap_id, er->gap_start, er->gap_year);
}

static const struct eval_rule *find_rule(const struct subject subj[2], const struct rule *r,
					 const struct subject **s)
{
	int k, i;

	for (k = 0; k < 2; k++)
		for (i = 0; i < subj[k].nrules; i++)
			if (subj[k].rules[i].r == r) {
				*s = &subj[k];
				return &subj[k].rules[i];
			}
	return NULL;
}

static int store_results(struct eval *e, const struct subject subj[2], pm_error *err)
{
	const struct ruleset *rs = e->c->rs;
	size_t i;

	/* The first rule, in file order, with a deadline in a missing year is an error. */
	for (i = 0; i < rs->count; i++) {
		const struct subject *s;
		const struct eval_rule *er = find_rule(subj, &rs->rules[i], &s);

		if (er && er->gap_start)
			return calendar_gap(e, s, er, err);
	}
	for (i = 0; i < rs->count; i++) {
		const struct subject *s;
		const struct eval_rule *er = find_rule(subj, &rs->rules[i], &s);
		const struct rule *r = &rs->rules[i];

		if (!er)
			continue;
		if (r->kind == RULE_WEEKLY &&
		    store_weeks(e->c, r, e->week_labels, e->nweeks, er->week_num, er->week_den, err))
			return -1;
		if (store_site_results(e->c, r, &e->sites, er->sites,
				       er->nsites < e->sites.count ? er->nsites : e->sites.count, err) ||
		    check_rule_result_counts(e->c, r, er->met, er->breached, er->pending, err))
			return -1;
	}
	return 0;
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

static int needs_callbacks(const struct subject subj[2], int *roles)
{
	int k, i, need = 0;

	*roles = 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < subj[k].nrules; i++) {
			const struct rule *r = subj[k].rules[i].r;

			need |= r->kind != RULE_DEADLINE || !r->end;
			*roles |= r->kind != RULE_DEADLINE && r->callback_roles.count;
		}
	return need;
}

static int run(struct eval *e, struct subject subj[2], pm_error *err)
{
	static const char *const names[2] = { "evaluate tickets", "evaluate complaints" };
	int k, roles;
	double t, cpu;

	if (weeks_init(e, err) || subjects_init(e, subj, err))
		return -1;
	t = now_seconds();
	cpu = cpu_seconds();
	if (needs_callbacks(subj, &roles)) {
		if (cb_map_load(e->c->db, e->c->from, e->c->as_of, roles, &e->map, err))
			return -1;
		profile(e, "load the callback map", t, cpu);
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
	t = now_seconds();
	cpu = cpu_seconds();
	if (store_results(e, subj, err))
		return -1;
	profile(e, "store the counts", t, cpu);
	return 0;
}

static void subject_free(struct subject *s)
{
	int i;

	for (i = 0; i < s->nrules; i++) {
		struct eval_rule *er = &s->rules[i];

		free(er->role_ok);
		free(er->sites);
		free(er->week_num);
		free(er->week_den);
		free(er->gap_start);
		free(er->gap_id);
	}
	free(s->rules);
}

int eval_subject_passes(struct check_ctx *c, pm_error *err)
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
	if (day_parse(c->from, &e.j.first_day) || day_parse(c->to, &e.j.last_day))
		return pm_fail(err, "bad window");
	rc = run(&e, subj, err);
	record_writer_close(&e.out);
	subject_free(&subj[0]);
	subject_free(&subj[1]);
	cb_map_free(&e.map);
	strtab_free(&e.sites);
	free(e.week_labels);
	return rc;
}
