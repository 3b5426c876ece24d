/*
 * The tickets and complaints of a run, read once: every record whose start
 * lies in [from less R-REPEAT's window, to), with what R-REPEAT groups on,
 * indexed by id for the callbacks' look-ups. While reading, the volumes and
 * the Q-ORDER findings of the records in [from, to) are counted and kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"

struct find_table {
	const char *table, *kind, *id, *start, *fields[4], *valid;
};

static const struct find_table tables[FIND_KINDS] = {
	{ "complaints", "complaint", "complaint_id", "received_at",
	  { "responded_at", "escalated_at", "replied_at", "resolved_at" }, "valid" },
	{ "tickets", "ticket", "ticket_id", "reported_at",
	  { "dispatched_at", "arrived_at", "completed_at", "leak_test_at" }, "1" },
};

const char *find_order_field(int kind, int i)
{
	return tables[kind].fields[i];
}

const char *find_start_field(int kind)
{
	return tables[kind].start;
}

void find_days_before(const char *ts, int days, char out[24])
{
	int day;

	if (day_parse(ts, &day) || strlen(ts) != 19) {
		out[0] = '\0';
		return;
	}
	day_format(day - days, out);
	memcpy(out + 10, ts + 10, 10);
}

int find_site_ok(const struct run_scope *s, const char *site)
{
	return !s->site || (site && !strcmp(site, s->site));
}

/* A stored value equals the integer v, as `column = v` in SQL would say. */
static int value_is(sqlite3_stmt *st, int i, int v)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return sqlite3_column_int64(st, i) == v;
	case SQLITE_FLOAT:
		return sqlite3_column_double(st, i) == v;
	default:
		return 0;
	}
}

/* Day number of a 'YYYY-MM-DD...' text, or fails. */
static int day_of(const unsigned char *text, int *day)
{
	return text ? day_parse((const char *)text, day) : -1;
}

static int one_text_day(const struct run_reader *c, const char *sql, int *day, int *found,
			pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (reader_prepare(c, sql, &st, err))
		return -1;
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW && day_of(sqlite3_column_text(st, 0), day) == 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return 0;
}

/*
 * A range of an index costs a table look-up per row, out of order for
 * callbacks (several times a whole-table read for a year of them), while
 * for tickets, stored in time order, both cost about the same. So a window
 * holding more than half of the table's time span (from the first and last
 * value, one index probe each) is read by one table scan. So is a shorter
 * one whose rows would be looked up on more than half of the table's
 * blocks (rows not in time order, run_range_spread()): the scan reads each
 * page once, in order, and SQLite leaves the rows outside the window
 * undecoded but for the column compared. This only chooses how to read;
 * the rows are the same.
 */
static int scattered(const struct run_reader *c, const char *table, const char *column,
		     const char *lo, const char *hi, double share, int *whole, pm_error *err)
{
	sqlite3_int64 rows, blocks;
	double per_row;

	if (run_table_blocks(c->db, table, &rows, &blocks, err))
		return -1;
	if (blocks < RUN_MIN_BLOCKS)
		return 0;
	if (run_range_spread(c->db, table, column, lo, hi, 0, hi, &per_row, err))
		return -1;
	*whole = share * (double)rows * per_row > (double)blocks / 2;
	return 0;
}

int find_scan_whole(const struct run_reader *c, const char *table, const char *column,
		    const char *lo, const char *hi, int *whole, pm_error *err)
{
	char sql[256];
	int first, last, from, to, has_first, has_last;

	*whole = 0;
	snprintf(sql, sizeof(sql), "SELECT min(%s) FROM %s", column, table);
	if (one_text_day(c, sql, &first, &has_first, err))
		return -1;
	snprintf(sql, sizeof(sql), "SELECT max(%s) FROM %s", column, table);
	if (one_text_day(c, sql, &last, &has_last, err))
		return -1;
	if (!has_first || !has_last || day_parse(lo, &from) || day_parse(hi, &to))
		return 0;
	if (from < first)
		from = first;
	if (to > last + 1)
		to = last + 1;
	*whole = 2 * (to - from) > last + 1 - first;
	/* the window's rows: its share of the days (a share of the rows, in any order) */
	return *whole ? 0 : scattered(c, table, column, lo, hi,
				      (double)(to - from) / (last + 1 - first), whole, err);
}

static int grow_rows(struct find_kind *k)
{
	int cap = k->cap ? 2 * k->cap : 4096;
	struct find_row *row = realloc(k->row, (size_t)cap * sizeof(*row));

	if (!row)
		return -1;
	k->row = row;
	k->cap = cap;
	return 0;
}

static int add_order(struct find_orders *o, const struct find_order *hit)
{
	if (o->n == o->cap) {
		int cap = o->cap ? 2 * o->cap : 64;
		struct find_order *h = realloc(o->hit, (size_t)cap * sizeof(*h));

		if (!h)
			return -1;
		o->hit = h;
		o->cap = cap;
	}
	o->hit[o->n++] = *hit;
	return 0;
}

/* A copy of text (NULL for NULL) in the arena; *bad on out of memory. */
static const char *copied(struct str_arena *a, const char *text, int *bad)
{
	const char *copy;

	if (!text)
		return NULL;
	copy = str_arena_copy(a, text, strlen(text));
	*bad |= !copy;
	return copy;
}

/*
 * The record's id and start copied as "id\0start\0": a look-up by id
 * finds the start next to the key it compares (rules/findings/find.h).
 */
static const char *id_and_start(struct str_arena *a, const char *id, const char *start, int *bad)
{
	size_t n = id ? strlen(id) : 0, m = strlen(start);
	char *out;

	if (!id)
		return NULL;
	if (!(out = str_arena_alloc(a, n + m + 2))) {
		*bad = 1;
		return NULL;
	}
	memcpy(out, id, n + 1);
	memcpy(out + n + 1, start, m + 1);
	return out;
}

/* The id of text in the pool, -1 for NULL; *bad on out of memory. */
static int pooled(struct strtab *p, const char *text, int *bad)
{
	int id;

	if (!text)
		return -1;
	id = strtab_intern(p, text);
	*bad |= id < 0;
	return id;
}

/* Q-ORDER for a record in [from, to) of the site: each time field before its start. */
static int order_checks(struct find_records *r, struct find_kind *k, const struct find_row *row,
			sqlite3_stmt *st)
{
	int i, bad = 0;

	for (i = 0; i < 4; i++) {
		const char *v = (const char *)sqlite3_column_text(st, 5 + i);
		struct find_order hit;

		if (!v || strcmp(v, row->start) >= 0)
			continue;
		hit.id = row->id;
		hit.site = r->names.strs[row->site];
		hit.start = row->start;
		hit.end = copied(&r->text, v, &bad);
		if (bad || add_order(&k->order[i], &hit))
			return -1;
	}
	return 0;
}

/*
 * A record before from is kept only as an R-REPEAT candidate of the site
 * (a room, a category, valid); only the records from `from` on are indexed
 * by id: the callbacks of the window rarely refer to older ones, which are
 * looked up (6.5k of October's 84k callbacks on the big database).
 */
static int add_row(const struct run_reader *c, struct find_records *r, struct find_kind *k,
		   sqlite3_stmt *st)
{
	/* each column is fetched once: every sqlite3_column_* call takes the connection's mutex */
	const char *start = (const char *)sqlite3_column_text(st, 4);
	const char *site = (const char *)sqlite3_column_text(st, 1);
	const char *room = (const char *)sqlite3_column_text(st, 2);
	const char *category = (const char *)sqlite3_column_text(st, 3);
	int in_window = strcmp(start, c->scope->from) >= 0, site_ok = find_site_ok(c->scope, site);
	int valid = value_is(st, 9, 1), bad = 0;
	struct find_row *row;

	if (!in_window && (!site_ok || !valid || !room || !category))
		return 0;
	if (k->n == k->cap && grow_rows(k))
		return -1;
	row = &k->row[k->n];
	row->id = id_and_start(&r->text, (const char *)sqlite3_column_text(st, 0), start, &bad);
	row->site = pooled(&r->names, site, &bad);
	row->room = pooled(&r->names, room, &bad);
	row->category = pooled(&r->names, category, &bad);
	row->start = row->id ? row->id + strlen(row->id) + 1 : NULL;
	row->valid = valid;
	row->in_window = 0;
	if (bad || !row->id || !row->start || row->site < 0)
		return -1;
	k->n++;
	if (!in_window)
		return 0;
	row->in_window = 1;
	if (!site_ok)
		return 0;
	k->in_window++;
	k->invalid += !valid && value_is(st, 9, 0);
	return order_checks(r, k, row, st);
}

/* by_id for the rows from `from` on, all at once. */
static int index_ids(struct find_kind *k)
{
	const char **key = malloc(((size_t)k->n + 1) * sizeof(*key));
	int *value = malloc(((size_t)k->n + 1) * sizeof(*value)), i, n = 0, rc;

	if (!key || !value) {
		free(key);
		free(value);
		return -1;
	}
	for (i = 0; i < k->n; i++)
		if (k->row[i].in_window) {
			key[n] = k->row[i].id;
			value[n++] = i;
		}
	rc = str_index_put_all(&k->by_id, key, value, (size_t)n);
	free(key);
	free(value);
	return rc;
}

/* Steps st to its end, adding each row, and finalizes it. */
static int add_rows(const struct run_reader *c, struct find_records *r, struct find_kind *k,
		    sqlite3_stmt *st, pm_error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_row(c, r, k, st)) {
			sqlite3_finalize(st);
			return pm_fail(err, "out of memory");
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return 0;
}

/*
 * The rows with start in [lo, hi), every column add_row() reads; with
 * `lookback`, only R-REPEAT's candidates, and the time fields (never read
 * before from) as NULL: each column of a result row costs the interpreter
 * its decoding whether it is read or not.
 */
static int read_range(const struct run_reader *c, struct find_records *r, int kind, const char *lo,
		      const char *hi, int whole, int lookback, pm_error *err)
{
	const struct find_table *t = &tables[kind];
	sqlite3_stmt *st;
	char sql[640];

	if (lookback)
		snprintf(sql, sizeof(sql), "SELECT %s, site, room, category, %s, NULL, NULL, NULL, NULL, 1"
			 " FROM %s WHERE %s >= :lo AND %s < :hi AND room IS NOT NULL"
			 " AND category IS NOT NULL AND %s = 1 AND (:site IS NULL OR site = :site)",
			 t->id, t->start, t->table, t->start, t->start, t->valid);
	else
		snprintf(sql, sizeof(sql), "SELECT %s, site, room, category, %s, %s, %s, %s, %s, %s"
			 " FROM %s %s WHERE %s >= :lo AND %s < :hi",
			 t->id, t->start, t->fields[0], t->fields[1], t->fields[2], t->fields[3], t->valid,
			 t->table, whole ? "NOT INDEXED" : "", t->start, t->start);
	if (reader_prepare(c, sql, &st, err))
		return -1;
	ctx_bind_text(st, ":lo", lo);
	ctx_bind_text(st, ":hi", hi);
	return add_rows(c, r, &r->kind[kind], st, err);
}

/*
 * One table scan for a window holding most of the table, else two index
 * ranges: R-REPEAT's look-back [lo, from), then [from, to).
 */
static int load_kind(const struct run_reader *c, struct find_records *r, int kind, pm_error *err)
{
	const struct find_table *t = &tables[kind];
	struct find_kind *k = &r->kind[kind];
	const char *from = c->scope->from, *to = c->scope->to;
	int whole;

	k->name = t->kind;
	if (find_scan_whole(c, t->table, t->start, r->lo, to, &whole, err))
		return -1;
	if (whole ? read_range(c, r, kind, r->lo, to, 1, 0, err) :
	    (strcmp(r->lo, from) < 0 && read_range(c, r, kind, r->lo, from, 0, 1, err)) ||
	    read_range(c, r, kind, from, to, 0, 0, err))
		return -1;
	return index_ids(k) ? pm_fail(err, "out of memory") : 0;
}

/* The longest look-back of the enabled repeat rules, in days. */
static int repeat_days(const struct run_scope *s)
{
	size_t i;
	int days = 0;

	for (i = 0; i < s->rs->count; i++) {
		const struct rule *r = &s->rs->rules[i];

		if (r->enabled && r->kind == RULE_REPEAT && r->window_days > days)
			days = r->window_days;
	}
	return days;
}

int find_records_read(const struct run_reader *c, struct find_records **out, pm_error *err)
{
	struct find_records *r;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return pm_fail(err, "out of memory");
	find_days_before(c->scope->from, repeat_days(c->scope), r->lo);
	if (load_kind(c, r, FIND_COMPLAINT, err) || load_kind(c, r, FIND_TICKET, err)) {
		find_records_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int find_records_get(struct check_ctx *c, struct find_records **out, pm_error *err)
{
	struct run_reader rd = ctx_reader(c);

	if (!c->records && find_records_read(&rd, &c->records, err))
		return -1;
	*out = c->records;
	return 0;
}

/* The start of a record outside the rows held, from the database; NULL if none. */
static int look_up(const struct run_reader *c, struct find_records *r, int kind, const char *id,
		   const char **start, pm_error *err)
{
	struct find_kind *k = &r->kind[kind];
	char sql[128];
	int rc, bad = 0;

	*start = NULL;
	if (!k->lookup) {
		snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s = ?1",
			 tables[kind].start, tables[kind].table, tables[kind].id);
		if (reader_prepare(c, sql, &k->lookup, err))
			return -1;
	}
	sqlite3_reset(k->lookup);
	sqlite3_bind_text(k->lookup, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(k->lookup);
	if (rc == SQLITE_ROW)
		*start = copied(&r->text, (const char *)sqlite3_column_text(k->lookup, 0), &bad);
	else if (rc != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	sqlite3_reset(k->lookup);
	return bad ? pm_fail(err, "out of memory") : 0;
}

int find_record_starts(const struct run_reader *c, struct find_records *r, int n, const int *kind,
		       const char *const *id, const char **start, pm_error *err)
{
	const char *key[FIND_BATCH], *found[FIND_BATCH];
	size_t len[FIND_BATCH];
	int at[FIND_BATCH], i, j, m;

	for (j = 0; j < n; j++)
		start[j] = NULL;
	for (i = 0; i < FIND_KINDS; i++) {
		for (j = m = 0; j < n; j++)
			if (kind[j] == i) {
				key[m] = id[j];
				len[m] = strlen(id[j]);
				at[m++] = j;
			}
		str_index_find_all(&r->kind[i].by_id, key, len, (size_t)m, found);
		for (j = 0; j < m; j++)
			if (found[j])
				start[at[j]] = found[j] + len[j] + 1;
			else if (look_up(c, r, i, key[j], &start[at[j]], err))
				return -1;
	}
	return 0;
}

void find_records_detach(struct find_records *r)
{
	int i;

	for (i = 0; i < FIND_KINDS; i++) {
		sqlite3_finalize(r->kind[i].lookup);
		r->kind[i].lookup = NULL;
	}
}

void find_records_free(struct find_records *r)
{
	int i, j;

	if (!r)
		return;
	for (i = 0; i < FIND_KINDS; i++) {
		free(r->kind[i].row);
		str_index_free(&r->kind[i].by_id);
		sqlite3_finalize(r->kind[i].lookup);
		for (j = 0; j < 4; j++)
			free(r->kind[i].order[j].hit);
	}
	/* R-REPEAT's repeats found with them (findings_repeats_ahead()) */
	for (i = 0; i < r->nrepeats; i++)
		free(r->repeats[i].hit);
	free(r->repeats);
	str_arena_free(&r->text);
	strtab_free(&r->names);
	free(r);
}
