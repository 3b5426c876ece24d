/*
 * Q-MISSING-START: the end event happened in the window but the start it
 * follows is missing (a callback on a ticket never marked completed). The
 * full scan of a subject looks at every row; after range scans, one scan
 * reads the records whose last start field is empty (for an end column:
 * whose end lies in the window), which that field's index holds together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"
#include "rules/records/eval_scan.h"

static int all_starts_empty(const struct eval_rule *er, const struct row *w)
{
	return start_column(er, w) < 0;
}

/*
 * findings.missing_start counts records, not rows: two rules may find the
 * same ticket. Counted here, as the distinct record_kind || ' ' ||
 * record_id of the rows were, so that a figures-only run has the figure.
 */
static int count_missing(struct eval *e, const struct subject *s, const char *id, pm_error *err)
{
	char key[256], *text = key;
	size_t nkind, nid;
	int rc;

	if (!id)        /* record_id is NOT NULL: the row could not be stored either */
		return 0;
	nkind = strlen(s->kind);
	nid = strlen(id);
	if (nkind + nid + 2 > sizeof(key) && !(text = malloc(nkind + nid + 2)))
		return pm_fail(err, "out of memory");
	memcpy(text, s->kind, nkind);
	text[nkind] = ' ';
	memcpy(text + nkind + 1, id, nid + 1);
	rc = strtab_intern(&e->missing, text);
	if (text != key)
		free(text);
	return rc < 0 ? pm_fail(err, "out of memory") : 0;
}

/*
 * One row for one rule: every start field empty, the filters passed, and
 * the end in the window -- an end column (checked here after a full scan;
 * the range scan of the end field bounded it otherwise), or the earliest
 * callback of the map if it is before `to`.
 */
int missing_start_row(struct eval *e, struct subject *s, struct eval_rule *er,
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
	if (count_missing(e, s, w->v[COL_ID], err))
		return -1;
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
int missing_starts(struct eval *e, struct subject *s, pm_error *err)
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
