/*
 * The scan of the records pass, shared by every per-record rule and the
 * trend: a subject table's columns (subject_init()), one statement over it, each row read (row_read())
 * and handed to a function; and the statements that read a subject's rows
 * in the window (range scans, or one full scan: eval_scan.h). Which rows
 * count for which rule is decided by the pass (records_pass.c), not here.
 */
#include <stdio.h>
#include <string.h>
#include "rules/records/eval_internal.h"
#include "rules/records/eval_scan.h"

/* ---- the subject table: its columns ---- */

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

int subject_init(sqlite3 *db, struct subject *s, enum rule_subject which, pm_error *err)
{
	memset(s, 0, sizeof(*s));
	s->which = which;
	s->table = rule_subject_table(which);
	s->id = rule_subject_id(which);
	s->kind = which == SUBJECT_TICKETS ? "ticket" : "complaint";
	s->cb_kind = which == SUBJECT_TICKETS ? CB_TICKET : CB_COMPLAINT;
	return subject_columns(db, s, err);
}

/* ---- reading its rows ---- */

/*
 * Each SQLite column call takes the connection's mutex: the id, site,
 * category and level (text columns, only compared for equality) are read
 * as text alone; the numbers and the timestamps (whose type decides a
 * comparison) with their type.
 */
void row_read(struct row *w, int ncols)
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

/* Whether a rule of the subject filters on the column (a lean scan reads no other). */
static int filtered_on(const struct subject *s, int col)
{
	int i;

	for (i = 0; i < s->nrules; i++) {
		const struct rule *r = s->rules[i].r;

		if ((col == COL_CATEGORY && (r->category.count || r->category_not.count)) ||
		    (col == COL_LEVEL && r->level.count) || (col == COL_URGENT && r->urgent != ANY) ||
		    (col == COL_PAID && r->paid != ANY) || (col == COL_VALID && r->valid != ANY) ||
		    (col == COL_CHARGE && r->min_charge >= 0))
			return 1;
	}
	return 0;
}

/* "t.name" if the subject has the column and the scan reads it, else NULL. */
static const char *column(const struct subject *s, int col, enum rule_subject owner,
			  const char *name)
{
	if ((owner != SUBJECT_NONE && s->which != owner) || (s->lean && !filtered_on(s, col)))
		return "NULL";
	return name;
}

static int scan_sql(const struct subject *s, const char *where, char *sql, size_t size)
{
	size_t n;
	int i;

	n = (size_t)snprintf(sql, size, "SELECT t.%s, %s, %s, %s, %s, %s, %s, %s, t.fields", s->id,
		s->lean ? "NULL" : "t.site",
		column(s, COL_CATEGORY, SUBJECT_NONE, "t.category"),
		column(s, COL_LEVEL, SUBJECT_COMPLAINTS, "t.level"),
		column(s, COL_URGENT, SUBJECT_TICKETS, "t.urgent"),
		column(s, COL_PAID, SUBJECT_TICKETS, "t.paid"),
		column(s, COL_VALID, SUBJECT_COMPLAINTS, "t.valid"),
		column(s, COL_CHARGE, SUBJECT_TICKETS, "t.charge"));
	for (i = 0; i < s->nts && n < size; i++)
		n += (size_t)snprintf(sql + n, size - n, ", t.%s", s->ts[i]);
	if (n < size)
		n += (size_t)snprintf(sql + n, size - n, " FROM %s t WHERE %s"
				      " AND (:site IS NULL OR t.site = :site)", s->table, where);
	return n < size ? 0 : -1;
}

int scan(struct eval *e, struct subject *s, const char *where, row_fn fn, void *arg,
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
		const char *id = (const char *)sqlite3_column_text(w.st, COL_ID);

		/* the record's callbacks looked for while its other columns are read */
		if (id)
			cb_map_prefetch(&e->map, s->cb_kind, id);
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

int scan_subject(struct eval *e, struct subject *s, row_fn fn, int *full, pm_error *err)
{
	const struct run_scope *sc = e->c->scope;
	int cols[MAX_TS], ncols = range_columns(s, cols), i;
	const char *fields[MAX_TS];
	char where[256];

	for (i = 0; i < ncols; i++)
		fields[i] = s->ts[cols[i] - COL_TS];
	if (eval_prefer_full_scan(e->c->db, s->table, fields, ncols, sc->from, sc->to, 0, sc->as_of,
				  full, err))
		return -1;
	if (*full) {
		int whole = -1;

		return scan(e, s, s->full_where ? s->full_where : "1", fn, &whole, err);
	}
	for (i = 0; i < ncols; i++) {
		snprintf(where, sizeof(where), "t.%s >= :from AND t.%s < :to AND t.%s <= :asof",
			 fields[i], fields[i], fields[i]);
		if (scan(e, s, where, fn, &cols[i], err))
			return -1;
	}
	return 0;
}
