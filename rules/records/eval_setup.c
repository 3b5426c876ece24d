/* The evaluator's setup: each subject's enabled rules as column numbers, the weeks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"

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

/* The filter columns of a scan row (COL_*) by the table's field name. */
static const struct {
	int col;
	const char *field;
} FILTER_COLUMNS[] = {
	{ COL_CATEGORY, "category" }, { COL_LEVEL, "level" }, { COL_URGENT, "urgent" },
	{ COL_PAID, "paid" }, { COL_VALID, "valid" }, { COL_CHARGE, "charge" },
};

/* The table's columns in order (their bits in a record's fields) and the filters' bits. */
static int subject_columns(sqlite3 *db, struct subject *s, pm_error *err)
{
	char sql[64];
	sqlite3_stmt *st;
	size_t i;

	snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", s->table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW && s->ncolumns < 32) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		snprintf(s->columns[s->ncolumns++], sizeof(s->columns[0]), "%s", name ? name : "");
	}
	sqlite3_finalize(st);
	for (i = 0; i < sizeof(FILTER_COLUMNS) / sizeof(FILTER_COLUMNS[0]); i++) {
		int b;

		for (b = 0; b < s->ncolumns; b++)
			if (!strcmp(s->columns[b], FILTER_COLUMNS[i].field))
				s->filter_bit[FILTER_COLUMNS[i].col] = 1u << b;
	}
	return 0;
}

static int subject_init(sqlite3 *db, struct subject *s, enum rule_subject which, pm_error *err)
{
	memset(s, 0, sizeof(*s));
	s->which = which;
	s->table = rule_subject_table(which);
	s->id = rule_subject_id(which);
	s->kind = which == SUBJECT_TICKETS ? "ticket" : "complaint";
	s->cb_kind = which == SUBJECT_TICKETS ? CB_TICKET : CB_COMPLAINT;
	return subject_columns(db, s, err);
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
	const struct ruleset *rs = e->c->rs;
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

/* The ISO weeks whose Monday lies from the window's first week to its last day. */
int weeks_init(struct eval *e, pm_error *err)
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
int roles_init(struct eval *e, struct subject *s, pm_error *err)
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
