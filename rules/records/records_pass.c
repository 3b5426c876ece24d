/*
 * The records pass: every enabled per-record rule (deadline, coverage,
 * weekly) and Q-MISSING-START over one read of tickets and complaints
 * (rules/records/records.h). Follow a deadline rule such as T-CB-SAFETY
 * through this file from top to bottom:
 *
 *   1. compiled:  each rule of the subject becomes a struct eval_rule of
 *                 column numbers (its start fields, end field, deadline
 *                 field, event) and the column bits of the fields it needs;
 *   2. filtered:  on each row of the scan (eval_scan_rows.c: range scans of
 *                 the start fields in the window, or one full scan) the
 *                 rule's filters (category, level, urgent, ...) and its
 *                 start (the first start field given) decide whether the
 *                 record is the rule's; a record lacking a field the rule
 *                 needs is unknown, never judged;
 *   3. judged:    by its kind's judge -- deadline.c (end, deadline, met /
 *                 breached / pending, late seconds) or coverage.c -- which
 *                 counts it here (per rule and per site) and hands its
 *                 check_records row to the sink;
 *   4. stored:    after the scans, a working-day deadline in a year the
 *                 calendar lacks is an error; else each rule's per-site
 *                 counts, weeks and check_rule_results row go to the sink
 *                 (rules/results/results_rules.c).
 *
 * A record counts for a rule in the scan of field F when its F is in
 * [from, to) and by the as-of time and F is the first of the rule's start
 * fields that is given. Met records are counted, not stored (unless
 * check_params.keep_met); a figures-only run stores none
 * (record_writer_put() only counts them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"
#include "rules/records/eval_scan.h"
#include "util/clock.h"

/* ---- 1. the rules compiled to columns ---- */

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

/*
 * The column bit of each field the rule needs in the subject's table:
 * rule_needs(), the one table of which rule reads which field, which the
 * import's report of missing fields reads too. Bit i is the table's column
 * i, as the import's upsert stores the record's fields (schema v5).
 */
static void rule_need_bits(const struct subject *s, struct eval_rule *er)
{
	struct rule_need need[RULE_MAX_NEEDS];
	int n = rule_needs(er->r, need, RULE_MAX_NEEDS), i, b;

	for (i = 0; i < n; i++) {
		if (strcmp(need[i].table, s->table))
			continue;
		for (b = 0; b < s->ncolumns; b++)
			if (!strcmp(s->columns[b], need[i].field)) {
				er->need |= 1u << b;
				er->need_name[b] = need[i].field;
			}
	}
}

static int add_rule(struct eval *e, struct subject *s, const struct rule *r, pm_error *err)
{
	struct eval_rule *er = &s->rules[s->nrules++];
	int i;

	memset(er, 0, sizeof(*er));
	er->r = r;
	er->end = er->req = er->event = -1;
	rule_need_bits(s, er);
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

static int is_record_rule(const struct rule *r)
{
	return r->enabled && rule_kind_info(r->kind)->part == RULE_PART_RECORDS;
}

int subjects_init_rules(struct eval *e, struct subject subj[2], const struct rule *const *rules,
			int nrules, pm_error *err)
{
	int i, k;

	if (subject_init(e->c->db, &subj[0], SUBJECT_TICKETS, err) ||
	    subject_init(e->c->db, &subj[1], SUBJECT_COMPLAINTS, err))
		return -1;
	for (k = 0; k < 2; k++) {
		subj[k].rules = calloc((size_t)nrules + 1, sizeof(struct eval_rule));
		if (!subj[k].rules)
			return pm_fail(err, "out of memory");
	}
	for (i = 0; i < nrules; i++) {
		const struct rule *r = rules[i];

		if (add_rule(e, &subj[r->subject == SUBJECT_TICKETS ? 0 : 1], r, err))
			return -1;
	}
	return 0;
}

int subjects_init(struct eval *e, struct subject subj[2], pm_error *err)
{
	const struct ruleset *rs = e->c->scope->rs;
	const struct rule **rules = calloc(rs->count + 1, sizeof(*rules));
	size_t i;
	int n = 0, rc;

	if (!rules)
		return pm_fail(err, "out of memory");
	for (i = 0; i < rs->count; i++)
		if (is_record_rule(&rs->rules[i]))
			rules[n++] = &rs->rules[i];
	rc = subjects_init_rules(e, subj, rules, n, err);
	free(rules);
	return rc;
}


void subject_free(struct subject *s)
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

/* What one rule asks of the callback map: callbacks at all, their roles. */
static void map_needs_of(const struct rule *r, int *need, int *roles)
{
	*need |= r->kind != RULE_DEADLINE || !r->end;
	*roles |= r->kind != RULE_DEADLINE && r->callback_roles.count;
}

int subjects_need_callbacks(const struct subject subj[2], int *roles)
{
	int k, i, need = 0;

	*roles = 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < subj[k].nrules; i++)
			map_needs_of(subj[k].rules[i].r, &need, roles);
	return need;
}

int eval_map_needs(const struct ruleset *rs, int *roles)
{
	size_t i;
	int need = 0;

	*roles = 0;
	for (i = 0; i < rs->count; i++)
		if (is_record_rule(&rs->rules[i]))
			map_needs_of(&rs->rules[i], &need, roles);
	return need;
}

/* ---- 3. judging: every rule of the subject on each row ---- */

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

static int rule_count(struct eval_rule *er, int site, enum verdict_status status, pm_error *err)
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

/* The check_records row of the rule for the scan's current record, to fill in. */
static void record_of(struct record_row *out, const struct eval_rule *er, const struct row_ctx *x)
{
	memset(out, 0, sizeof(*out));
	out->rule_id = er->r->id;
	out->kind = x->s->kind;
	out->id = x->w->v[COL_ID];
	out->site = x->w->v[COL_SITE];
}

/*
 * A record lacking a field the rule needs: not judged, counted unknown and
 * listed (status unknown, the missing fields in its detail), never breached.
 */
static int unknown_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
		       unsigned missing, pm_error *err)
{
	struct record_row out;
	char names[256];

	if (rule_count(er, x->site, V_UNKNOWN, err))
		return -1;
	record_of(&out, er, x);
	out.start = x->w->v[col];
	out.status = verdict_status_name(V_UNKNOWN);
	out.detail = missing_names(er, missing, names, sizeof(names));
	return record_writer_put(e->c, &e->out, &out, err);
}

/* A judged record's check_records row to the sink, unless met (and met ones are not kept). */
static int keep_row(struct eval *e, int met, const struct record_row *out, pm_error *err)
{
	if (met && !e->c->keep_met)
		return 0;
	return record_writer_put(e->c, &e->out, out, err);
}

/* A deadline rule's record: judged (deadline.c), counted, a calendar gap noted, kept. */
static int deadline_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
			pm_error *err)
{
	struct verdict v;
	struct record_row out;

	record_of(&out, er, x);
	if (deadline_judge_row(&e->j, x, er, col, &v, &out, err) ||
	    rule_count(er, x->site, v.status, err))
		return -1;
	if (v.status == V_NO_CALENDAR && v.missing_year &&
	    note_gap(er, out.start, x->w->v[COL_ID], v.missing_year, err))
		return -1;
	return keep_row(e, v.status == V_MET, &out, err);
}

/* A coverage or weekly rule's record: judged (coverage.c), counted, kept. */
static int coverage_row(struct eval *e, struct row_ctx *x, struct eval_rule *er, int col,
			pm_error *err)
{
	struct record_row out;
	char label[16] = "";
	int status;

	record_of(&out, er, x);
	if ((status = coverage_judge_row(e, x, er, col, &out, label, err)) < 0 ||
	    rule_count(er, x->site, (enum verdict_status)status, err))
		return -1;
	/* an unknown record is listed, as unknown_row() lists one */
	return keep_row(e, status == V_MET, &out, err);
}

/*
 * Every rule of the subject on one row of the scan of column scan_col (-1:
 * the whole table, where the window is checked here, and Q-MISSING-START
 * looked for as well).
 */
static int judge_row(struct eval *e, struct subject *s, struct row *w, int scan_col, pm_error *err)
{
	const struct run_scope *sc = e->c->scope;
	struct row_ctx x = { s, w, -1, 0, NULL, 0 };
	int i;

	for (i = 0; i < s->nrules; i++) {
		struct eval_rule *er = &s->rules[i];
		int col = rule_column(er, w);
		unsigned missing;
		int rc;

		if (col < 0 && scan_col < 0 && er->missing_start && rule_matches(er->r, w) &&
		    missing_start_row(e, s, er, w, 1, err))
			return -1;
		if (col < 0 || (scan_col >= 0 && col != scan_col))
			continue;
		if (scan_col < 0 && (w->type[col] != SQLITE_TEXT ||
				     !eval_in_window(w->v[col], sc->from, sc->to, sc->as_of)))
			continue;
		missing = record_missing(er, w);
		if (!rule_takes(s, er, w, missing))
			continue;
		if (row_site(e, &x, err))
			return -1;
		if (missing)
			rc = unknown_row(e, &x, er, col, missing, err);
		else
			rc = er->r->kind == RULE_DEADLINE ? deadline_row(e, &x, er, col, err) :
				coverage_row(e, &x, er, col, err);
		if (rc)
			return -1;
	}
	/* a trend's months, from the same row (check_ctx.months) */
	return e->months ? months_row(e->months, e, &x, scan_col, err) : 0;
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
		if (start_column(g->rules[i], w) < 0 && rule_matches(g->rules[i]->r, w) &&
		    missing_start_row(e, s, g->rules[i], w, 0, err))
			return -1;
	return 0;
}

/*
 * Q-MISSING-START after range scans (eval_missing.c): one scan per distinct set of rows (the default rules
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

/*
 * The value a rule's window is of, as SQL: the first of its start fields
 * given (start_column()), or its event. The unary + keeps the planner
 * from reading the full scan's rows through an index of the field.
 */
static void rule_value_sql(const struct subject *s, const struct eval_rule *er, char *out,
			   size_t size)
{
	size_t n = 0;
	int i;

	if (er->r->kind != RULE_DEADLINE) {
		snprintf(out, size, "+t.%s", s->ts[er->event - COL_TS]);
		return;
	}
	if (er->r->nstart == 1) {
		snprintf(out, size, "+t.%s", s->ts[er->start[0] - COL_TS]);
		return;
	}
	for (i = 0; i < er->r->nstart && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%st.%s", i ? ", " : "coalesce(",
				      s->ts[er->start[i] - COL_TS]);
	if (n < size)
		snprintf(out + n, size - n, ")");
}

/*
 * The rows of the full scan that judge_row() can do anything with: for
 * some rule, its value (rule_value_sql()) in the window -- text in [from,
 * to) and by the as-of time, as eval_in_window() has it: a number sorts
 * before any text in SQLite, a blob after it -- or, for a rule whose start
 * may be missing, no start at all (Q-MISSING-START). Every other row is
 * skipped by judge_row() for every rule, so leaving it to SQLite changes
 * nothing but the cost: on rows in no time order the full scan of a month
 * handed a million tickets to C to judge some 230,000 (docs/performance.md,
 * "check --month, session 5"). NULL (every row) when it would not fit.
 * Without missing_starts, no row without a start (the trend's months judge
 * none: months_row()).
 */
const char *full_scan_where(const struct subject *s, int missing_starts, char *where, size_t size)
{
	char value[256], term[1024];
	size_t n = 0;
	int i;

	for (i = 0; i < s->nrules; i++) {
		const struct eval_rule *er = &s->rules[i];
		int len, missing = missing_starts && er->r->kind == RULE_DEADLINE &&
				   er->missing_start;

		rule_value_sql(s, er, value, sizeof(value));
		len = snprintf(term, sizeof(term), "(%s >= :from AND %s < :to AND %s <= :asof%s%s%s)",
			       value, value, value, missing ? " OR " : "", missing ? value : "",
			       missing ? " IS NULL" : "");
		if (len < 0 || (size_t)len >= sizeof(term))
			return NULL;
		if (n && strstr(where, term))   /* the same rows as an earlier rule's */
			continue;
		if (n + (size_t)len + 8 >= size)
			return NULL;
		n += (size_t)snprintf(where + n, size - n, "%s%s", n ? " OR " : "(", term);
	}
	if (!n)
		return NULL;
	snprintf(where + n, size - n, ")");
	return where;
}

/* Judges the subject's rows, by range scans or one full scan; Q-MISSING-START too. */
static int judge_subject(struct eval *e, struct subject *s, pm_error *err)
{
	char where[1024];
	int full, rc;

	s->full_where = full_scan_where(s, 1, where, sizeof(where));
	rc = scan_subject(e, s, judge_fn, &full, err);
	s->full_where = NULL;
	if (rc)
		return -1;
	return full ? 0 : missing_starts(e, s, err);
}

/* ---- 4. the counts to the sink ---- */


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
	const struct ruleset *rs = e->c->scope->rs;
	size_t i;

	if (calendar_gaps(subj, err))
		return -1;
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
				       er->nsites < e->sites.count ? er->nsites : e->sites.count, err))
			return -1;
		if (r->kind == RULE_WEEKLY ?
		    store_weekly_result(e->c, r, e->nweeks, er->week_num, er->week_den, err) :
		    check_rule_result_counts(e->c, r, er->met, er->breached, er->pending, err))
			return -1;
		if (store_rule_unknown(e->c, r, er->unknown, err))
			return -1;
	}
	return 0;
}

/* ---- the passes ---- */

/* A pass's wall time, and its own CPU time in the text (the scans' lines share it). */
static void profile(struct eval *e, const char *what, double since, double cpu_since)
{
	char line[256];

	if (!e->c->profile)
		return;
	snprintf(line, sizeof(line), "%s: %.3f s cpu in all (%lld rows read, %lld records stored"
		 " so far)", what, clock_cpu_seconds() - cpu_since, (long long)e->rows_read,
		 (long long)e->out.rows);
	e->c->profile(line, clock_wall_seconds() - since);
}

static int run(struct eval *e, struct subject subj[2], struct cb_map *ahead, pm_error *err)
{
	static const char *const names[2] = { "evaluate tickets", "evaluate complaints" };
	int k, roles;
	double t, cpu;

	if (weeks_init(e, err) || subjects_init(e, subj, err))
		return -1;
	if (e->c->months && months_attach(e, subj, e->c->months, 0, &e->months, err))
		return -1;
	t = clock_wall_seconds();
	cpu = clock_cpu_seconds();
	if (subjects_need_callbacks(subj, &roles)) {
		if (ahead) {            /* the engine timed its wait */
			e->map = *ahead;
			memset(ahead, 0, sizeof(*ahead));
		} else if (cb_map_load(e->c->db, e->c->scope->from, e->c->scope->as_of, roles, &e->map,
				       err)) {
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
		t = clock_wall_seconds();
		cpu = clock_cpu_seconds();
		if (roles_init(e, &subj[k], err) || judge_subject(e, &subj[k], err))
			return -1;
		profile(e, names[k], t, cpu);
	}
	if (record_writer_flush(e->c, &e->out, err))
		return -1;
	t = clock_wall_seconds();
	cpu = clock_cpu_seconds();
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
	e.j.as_of = c->scope->as_of;
	e.j.cal = c->scope->cal;
	strtab_init(&e.sites);
	strtab_init(&e.missing);
	if (day_parse(c->scope->from, &e.j.first_day) || day_parse(c->scope->to, &e.j.last_day))
		return pm_fail(err, "bad window");
	rc = run(&e, subj, ahead, err);
	c->missing_start = e.missing.count;
	record_writer_close(&e.out);
	months_detach(e.months);
	subject_free(&subj[0]);
	subject_free(&subj[1]);
	cb_map_free(&e.map);
	strtab_free(&e.sites);
	strtab_free(&e.missing);
	free(e.week_labels);
	return rc;
}
