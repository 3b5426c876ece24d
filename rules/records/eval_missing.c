/*
 * Q-MISSING-START: the end event happened in the window but the start it
 * follows is missing (a callback on a ticket never marked completed). The
 * full scan of a subject looks at every row; after range scans, one scan
 * reads the records whose last start field is empty (for an end column:
 * whose end lies in the window), which that field's index holds together
 * (both in records_pass.c, which decides that a row is the rule's); here
 * a row so found becomes a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/records/eval_internal.h"
#include "rules/records/eval_scan.h"

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
 * One row for one rule, whose start fields the caller found all empty and
 * whose filters it found passed (records_pass.c): a finding if the end is
 * in the window -- an end column (checked here after a full scan; the
 * range scan of the end field bounded it otherwise), or the earliest
 * callback of the map if it is before `to`.
 */
int missing_start_row(struct eval *e, struct subject *s, struct eval_rule *er,
		      struct row *w, int check_window, pm_error *err)
{
	const struct run_scope *sc = e->c->scope;
	struct record_row out;
	char detail[256];
	const char *end;

	if (er->end >= 0) {
		end = w->v[er->end];
		if (check_window && (w->type[er->end] != SQLITE_TEXT ||
				     !eval_in_window(end, sc->from, sc->to, sc->as_of)))
			return 0;
	} else {
		int n;
		const struct cb_hit *hits = cb_map_find(&e->map, s->cb_kind,
							w->v[COL_ID] ? w->v[COL_ID] : "", &n);

		/* the earliest callback of the map, if it is before `to` */
		if (!n || strcmp(hits[0].at, sc->to) >= 0)
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
