/*
 * Volumes and the findings that are not violations: orphan callbacks,
 * impossible orderings, problem callbacks never followed up, rejected rows
 * (R-REPEAT is rules/findings/find_repeat.c). Findings are check_records rows with
 * status 'finding'; their counts are check_figures findings.*.
 *
 * The tickets and complaints come from the one read of rules/findings/find_records.c;
 * the window's callbacks are read once here, and each looks its record up
 * in memory (the database only for records outside what was read), not by
 * a probe of the tables per callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"

int check_volumes(struct check_ctx *c, pm_error *err)
{
	struct find_records *r;

	return find_records_get(c, &r, err) ||
	       ctx_figure_int(c, FIG_VOLUMES_TICKETS, r->kind[FIND_TICKET].in_window, err) ||
	       ctx_figure_int(c, FIG_VOLUMES_COMPLAINTS, r->kind[FIND_COMPLAINT].in_window, err) ||
	       ctx_figure_int(c, FIG_VOLUMES_COMPLAINTS_INVALID, r->kind[FIND_COMPLAINT].invalid, err)
	       ? -1 : 0;
}

/* A callback of the window, its text in the batch's buffer. */
struct cb_row {
	const char *id, *site, *ref_kind, *ref_id, *at;
	int kind;                       /* FIND_TICKET, FIND_COMPLAINT, -1 */
	int problem;                    /* problem_found = 1 */
};

/* A callback finding: the callback and, for Q-ORDER, its record's start. */
struct cb_hit {
	const char *id, *site, *ref_kind, *ref_id, *at, *start;
};

struct cb_hits {
	struct cb_hit *hit;
	int n, cap;
};

/* What the pass over the window's callbacks found. */
struct cb_pass {
	struct str_arena text;
	sqlite3_stmt *later;            /* a later callback for the same record, by as-of */
	sqlite3_int64 callbacks;        /* volumes.callbacks */
	struct cb_hits orphan, order[FIND_KINDS], open;
	struct sat_tally sat;           /* 满意度: by result and site, to the as-of time */
	/* the callbacks read and not yet judged, FIND_BATCH at most */
	struct cb_row row[FIND_BATCH];
	int n;
	char *buf;
	size_t used, cap;
};

static int add_hit(struct cb_pass *p, struct cb_hits *h, const struct cb_row *x, const char *start)
{
	struct cb_hit *hit;

	if (h->n == h->cap) {
		int cap = h->cap ? 2 * h->cap : 64;
		struct cb_hit *more = realloc(h->hit, (size_t)cap * sizeof(*more));

		if (!more)
			return -1;
		h->hit = more;
		h->cap = cap;
	}
	hit = &h->hit[h->n];
	if (!(hit->id = str_arena_copy(&p->text, x->id, strlen(x->id))) ||
	    !(hit->site = str_arena_copy(&p->text, x->site, strlen(x->site))) ||
	    !(hit->ref_kind = str_arena_copy(&p->text, x->ref_kind, strlen(x->ref_kind))) ||
	    !(hit->ref_id = str_arena_copy(&p->text, x->ref_id, strlen(x->ref_id))) ||
	    !(hit->at = str_arena_copy(&p->text, x->at, strlen(x->at))))
		return -1;
	hit->start = start;
	h->n++;
	return 0;
}

/*
 * Q-PROBLEM-OPEN (003: 再次回访): the callback found a problem and no later
 * callback for the same record followed by as-of. One probe of the
 * callbacks_ref index.
 */
static int problem_open(const struct run_reader *c, struct cb_pass *p, const struct cb_row *x,
			int *open, pm_error *err)
{
	int rc;

	*open = 0;
	if (!x->problem || strcmp(x->at, c->scope->as_of) > 0)
		return 0;
	if (!p->later && reader_prepare(c, "SELECT 1 FROM callbacks INDEXED BY callbacks_ref"
				     " WHERE ref_kind = ?1 AND ref_id = ?2 AND callback_at > ?3"
				     " AND callback_at <= :asof LIMIT 1", &p->later, err))
		return -1;
	sqlite3_reset(p->later);
	sqlite3_bind_text(p->later, 1, x->ref_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(p->later, 2, x->ref_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(p->later, 3, x->at, -1, SQLITE_STATIC);
	rc = sqlite3_step(p->later);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	*open = rc == SQLITE_DONE;
	sqlite3_reset(p->later);
	return 0;
}

/* Judges the callbacks read: Q-ORPHAN, Q-ORDER, Q-PROBLEM-OPEN. */
static int judge_batch(const struct run_reader *c, struct find_records *r, struct cb_pass *p,
		       pm_error *err)
{
	const char *id[FIND_BATCH], *start[FIND_BATCH];
	int kind[FIND_BATCH], i, open;

	for (i = 0; i < p->n; i++) {
		id[i] = p->row[i].ref_id;
		kind[i] = p->row[i].kind;
	}
	if (find_record_starts(c, r, p->n, kind, id, start, err))
		return -1;
	for (i = 0; i < p->n; i++) {
		const struct cb_row *x = &p->row[i];

		if (!start[i] && add_hit(p, &p->orphan, x, NULL))
			return pm_fail(err, "out of memory");
		if (start[i] && strcmp(x->at, start[i]) < 0 && add_hit(p, &p->order[x->kind], x, start[i]))
			return pm_fail(err, "out of memory");
		if (problem_open(c, p, x, &open, err))
			return -1;
		if (open && add_hit(p, &p->open, x, NULL))
			return pm_fail(err, "out of memory");
	}
	p->n = 0;
	p->used = 0;
	return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v ? v : "";
}

/* Copies a callback into the batch, judging the batch first when it is full. */
static int add_callback(const struct run_reader *c, struct find_records *r, struct cb_pass *p,
			sqlite3_stmt *st, pm_error *err)
{
	const char *v[5], *copy[5];
	size_t len[5], need = 0;
	struct cb_row *x;
	int i;

	for (i = 0; i < 5; i++) {
		v[i] = col(st, i);
		len[i] = strlen(v[i]);
		need += len[i] + 1;
	}
	if ((p->n == FIND_BATCH || p->used + need > p->cap) && p->n && judge_batch(c, r, p, err))
		return -1;
	if (need > p->cap) {
		char *buf = realloc(p->buf, 2 * need + 65536);

		if (!buf)
			return pm_fail(err, "out of memory");
		p->buf = buf;
		p->cap = 2 * need + 65536;
	}
	for (i = 0; i < 5; i++) {
		copy[i] = memcpy(p->buf + p->used, v[i], len[i] + 1);
		p->used += len[i] + 1;
	}
	x = &p->row[p->n++];
	x->id = copy[0];
	x->site = copy[1];
	x->ref_kind = copy[2];
	x->ref_id = copy[3];
	x->at = copy[4];
	x->kind = !strcmp(x->ref_kind, "ticket") ? FIND_TICKET :
		  !strcmp(x->ref_kind, "complaint") ? FIND_COMPLAINT : -1;
	/* problem_found = 1, as SQL compares it */
	x->problem = sqlite3_column_type(st, 5) == SQLITE_INTEGER ? sqlite3_column_int64(st, 5) == 1 :
		     sqlite3_column_type(st, 5) == SQLITE_FLOAT && sqlite3_column_double(st, 5) == 1.0;
	return 0;
}

static int read_callbacks(const struct run_reader *c, struct find_records *r, struct cb_pass *p,
			  pm_error *err)
{
	sqlite3_stmt *st;
	int whole, rc;

	if (find_scan_whole(c, "callbacks", "callback_at", c->scope->from, c->scope->to, &whole,
			    err))
		return -1;
	if (reader_prepare(c, whole ?
			"SELECT callback_id, site, ref_kind, ref_id, callback_at, problem_found, result"
			" FROM callbacks NOT INDEXED WHERE callback_at >= :from AND callback_at < :to" :
			"SELECT callback_id, site, ref_kind, ref_id, callback_at, problem_found, result"
			" FROM callbacks INDEXED BY callbacks_at WHERE callback_at >= :from AND callback_at < :to",
			&st, err))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!find_site_ok(c->scope, (const char *)sqlite3_column_text(st, 1)))
			continue;
		p->callbacks++;
		if (strcmp(col(st, 4), c->scope->as_of) <= 0 &&
		    sat_tally_add(&p->sat, col(st, 1), (const char *)sqlite3_column_text(st, 6))) {
			sqlite3_finalize(st);
			return pm_fail(err, "out of memory");
		}
		if (add_callback(c, r, p, st, err)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return p->n ? judge_batch(c, r, p, err) : 0;
}

static int store_orphans(struct finding_rows *w, const struct cb_hits *h, pm_error *err)
{
	int i;

	for (i = 0; i < h->n; i++) {
		const struct cb_hit *x = &h->hit[i];
		const char *detail = finding_detail(w, "%s %s is unknown", x->ref_kind, x->ref_id);

		if (!detail)
			return pm_fail(err, "out of memory");
		if (finding_row(w, "Q-ORPHAN", "callback", x->id, x->site, NULL, x->at, detail, err))
			return -1;
	}
	return 0;
}

/* Q-ORDER of tickets and complaints, field by field, then of callbacks. */
static int store_orders(struct finding_rows *w, const struct find_records *r,
			const struct cb_hits *cb, sqlite3_int64 *n, pm_error *err)
{
	int f, kind, i;

	for (f = 0; f < 4; f++)
		for (kind = FIND_TICKET; kind >= FIND_COMPLAINT; kind--) {
			const struct find_orders *o = &r->kind[kind].order[f];
			char detail[64];

			snprintf(detail, sizeof(detail), "%s before %s", find_order_field(kind, f),
				 find_start_field(kind));
			for (i = 0; i < o->n; i++)
				if (finding_row(w, "Q-ORDER", r->kind[kind].name, o->hit[i].id, o->hit[i].site,
						o->hit[i].start, o->hit[i].end, detail, err))
					return -1;
			*n += o->n;
		}
	for (kind = FIND_TICKET; kind >= FIND_COMPLAINT; kind--)
		for (i = 0; i < cb[kind].n; i++) {
			const struct cb_hit *x = &cb[kind].hit[i];
			const char *detail = finding_detail(w, "callback_at before its %s %s began",
							    r->kind[kind].name, x->ref_id);

			if (!detail)
				return pm_fail(err, "out of memory");
			if (finding_row(w, "Q-ORDER", "callback", x->id, x->site, x->start, x->at, detail, err))
				return -1;
			(*n)++;
		}
	return 0;
}

static int store_open(struct finding_rows *w, const struct cb_hits *h, pm_error *err)
{
	int i;

	for (i = 0; i < h->n; i++) {
		const struct cb_hit *x = &h->hit[i];
		const char *detail = finding_detail(w, "%s %s: problem found, no later callback",
						    x->ref_kind, x->ref_id);

		if (!detail)
			return pm_fail(err, "out of memory");
		if (finding_row(w, "Q-PROBLEM-OPEN", "callback", x->id, x->site, x->at, NULL, detail, err))
			return -1;
	}
	return 0;
}

static void cb_pass_free(struct cb_pass *p)
{
	int i;

	sqlite3_finalize(p->later);
	free(p->buf);
	free(p->orphan.hit);
	free(p->open.hit);
	for (i = 0; i < FIND_KINDS; i++)
		free(p->order[i].hit);
	str_arena_free(&p->text);
	sat_tally_free(&p->sat);
}

void findings_callbacks_free(struct cb_pass *p)
{
	if (p) {
		cb_pass_free(p);
		free(p);
	}
}

int findings_judge_callbacks(const struct run_reader *c, struct find_records *r,
			     struct cb_pass **out, pm_error *err)
{
	struct cb_pass *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return pm_fail(err, "out of memory");
	sat_tally_init(&p->sat);
	if (read_callbacks(c, r, p, err)) {
		findings_callbacks_free(p);
		return -1;
	}
	/* nothing of c's connection kept: the statements go, the texts stay */
	sqlite3_finalize(p->later);
	p->later = NULL;
	free(p->buf);
	p->buf = NULL;
	p->cap = p->used = 0;
	*out = p;
	return 0;
}

/* Q-ORPHAN, Q-ORDER, Q-PROBLEM-OPEN rows and their counts, with volumes.callbacks. */
static int callback_findings(struct check_ctx *c, pm_error *err)
{
	struct find_records *r;
	struct finding_rows w;
	struct cb_pass *p;
	sqlite3_int64 order = 0;
	int rc;

	/* the records first: with them come the callbacks judged ahead, if any */
	if (find_records_get(c, &r, err))
		return -1;
	p = c->callbacks_judged;
	c->callbacks_judged = NULL;
	if (!p) {
		struct run_reader rd = ctx_reader(c);

		if (findings_judge_callbacks(&rd, r, &p, err))
			return -1;
	}
	if (finding_rows_open(c, &w, err)) {
		findings_callbacks_free(p);
		return -1;
	}
	rc = store_orphans(&w, &p->orphan, err) || store_orders(&w, r, p->order, &order, err) ||
	     store_open(&w, &p->open, err) || finding_rows_finish(&w, err);
	finding_rows_close(&w);
	if (rc == 0)
		rc = ctx_figure_int(c, FIG_VOLUMES_CALLBACKS, p->callbacks, err) ||
		     ctx_figure_int(c, FIG_VOLUMES_ORPHAN_CALLBACKS, p->orphan.n, err) ||
		     ctx_figure_int(c, FIG_FINDINGS_ORPHAN_CALLBACKS, p->orphan.n, err) ||
		     ctx_figure_int(c, FIG_FINDINGS_IMPOSSIBLE_ORDER, order, err) ||
		     ctx_figure_int(c, FIG_FINDINGS_PROBLEM_OPEN, p->open.n, err) ||
		     sat_tally_store(c, &p->sat, err);
	findings_callbacks_free(p);
	return rc ? -1 : 0;
}

int check_findings(struct check_ctx *c, pm_error *err)
{
	sqlite3_int64 rejects;

	if (callback_findings(c, err) || check_backlog(c, err))
		return -1;
	/* counted by the evaluator (rules/records/eval_missing.c), stored or not */
	if (ctx_figure_int(c, FIG_FINDINGS_MISSING_START, c->missing_start, err))
		return -1;
	/* Rejected rows carry no site or date: every open reject (schema v4: one
	 * no later import resolved) in the database. */
	if (ctx_int(c, "SELECT count(*) FROM import_rejects WHERE resolved_by IS NULL", NULL, &rejects, err) ||
	    ctx_figure_int(c, FIG_FINDINGS_REJECTED_ROWS, rejects, err))
		return -1;
	return 0;
}
