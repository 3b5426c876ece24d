/*
 * Coverage and weekly rules (kind coverage, weekly): a record's event is
 * covered by the first callback at or after it, of a role the rule
 * accepts, by the as-of time (unknown when a callback whose role was never
 * given might have been one); a weekly rule also counts each ISO week of
 * the window. Called by the records pass (records_pass.c) for each record
 * the rule takes; counted there, the row handed to the sink.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"

/* The ISO weeks whose Monday lies from the window's first week to its last day. */
int weeks_init(struct eval *e, pm_error *err)
{
	long long to_secs;
	int first, last, i;

	if (day_parse(e->c->scope->from, &first) || ts_seconds(e->c->scope->to, &to_secs))
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
	int i, k;

	for (i = 0; i < s->nrules; i++) {
		const struct rule *r = s->rules[i].r;

		if (r->kind == RULE_DEADLINE || !r->callback_roles.count)
			continue;
		s->rules[i].role_ok = calloc((size_t)e->map.roles.count + 1, 1);
		if (!s->rules[i].role_ok)
			return pm_fail(err, "out of memory");
		for (k = 0; k < e->map.roles.count; k++)
			s->rules[i].role_ok[k] = rule_list_found_in(&r->callback_roles,
								    e->map.roles.strs[k]);
	}
	return 0;
}

enum verdict_status coverage_status(const struct eval_rule *er, const struct cb_hit *hits,
				   int nhits, const char *ev, const char *as_of, const char **cb)
{
	int i = cb_first_from(hits, nhits, ev), role_unknown = 0;

	*cb = NULL;
	for (; i < nhits && strcmp(hits[i].at, as_of) <= 0; i++) {
		if (!er->role_ok || (hits[i].role >= 0 && er->role_ok[hits[i].role])) {
			*cb = hits[i].at;
			return V_MET;
		}
		if (hits[i].role == CB_ROLE_UNKNOWN)
			role_unknown = 1;
	}
	return role_unknown ? V_UNKNOWN : V_BREACHED;
}

/* The ISO week of an event and its number in the window (-1: none). */
static int event_week(const struct eval *e, const char *ev, char label[16], pm_error *err)
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

/*
 * One record under a coverage or weekly rule, its event in column col: 1 if
 * covered, 0 if not, -1 on error; its check_records fields into out (the
 * week's label into label, 16 bytes, which out points to); a weekly rule's
 * week counted. The records pass counts it and keeps it.
 */
int coverage_judge_row(const struct eval *e, const struct row_ctx *x, struct eval_rule *er,
		       int col, struct record_row *out, char *label, pm_error *err)
{
	const struct row *w = x->w;
	const char *ev = w->v[col];
	const char *cb;
	enum verdict_status status = coverage_status(er, x->hits, x->nhits, ev, e->c->scope->as_of,
						     &cb);
	int week;

	out->start = ev;
	/* its callbacks came from files without a role column: who called is not known */
	if (status == V_UNKNOWN) {
		out->status = verdict_status_name(V_UNKNOWN);
		out->detail = "callbacks.role";
		return V_UNKNOWN;
	}
	if (er->r->kind == RULE_WEEKLY) {
		week = event_week(e, ev, label, err);
		if (week == -2)
			return -1;
		if (week >= 0) {
			er->week_den[week]++;
			er->week_num[week] += cb != NULL;
		}
	}
	out->end = cb;
	out->status = cb ? "met" : "breached";
	out->detail = er->r->kind == RULE_WEEKLY && label[0] ? label : NULL;
	if (x->s->which == SUBJECT_TICKETS && w->type[COL_CHARGE] != SQLITE_NULL)
		out->amount = sqlite3_column_value(w->st, COL_CHARGE);
	return status;
}
