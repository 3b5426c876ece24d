/*
 * fee_ledger: reading it, rebuilding it from fees, and its stale flag
 * (db/fee_ledger.h; the tables and triggers are in db/schema.sql.h).
 */
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "db/fee_ledger.h"
#include "db/fee_ledger_sql.h"
#include "util/civil.h"

/*
 * The ledger as the rules engine reads it, in fees_account order (the index
 * covers every column: the table is never touched). A charge without a
 * due_date is due on the last day of its period's month.
 */
#define FEES_SELECT "SELECT site, room, fee_item, period, kind, at, amount," \
	" CASE WHEN kind = 'charge' THEN coalesce(due_date," \
	"  date(period || '-01', '+1 month', '-1 day')) END, method" \
	" FROM fees INDEXED BY fees_account"
#define FEES_ORDER " ORDER BY site, room, fee_item, period"

enum { COL_SITE, COL_ROOM, COL_ITEM, COL_PERIOD, COL_KIND, COL_AT, COL_AMOUNT, COL_DUE, COL_METHOD };

static int kind_of(const char *kind)
{
	if (!strcmp(kind, "charge"))
		return FEE_CHARGE;
	if (!strcmp(kind, "payment"))
		return FEE_PAYMENT;
	if (!strcmp(kind, "waiver"))
		return FEE_WAIVER;
	if (!strcmp(kind, "reminder"))
		return FEE_REMINDER;
	return FEE_OTHER;
}

static const char *column_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

/*
 * The event of the current row, its texts pointing into the row. The
 * method is kept for reminders only: nothing reads the others'.
 */
static void row_event(sqlite3_stmt *st, struct fee_event *e)
{
	const char *text;

	memset(e, 0, sizeof(*e));
	text = column_text(st, COL_PERIOD);
	if (civil_parse_period(text, &e->period))
		e->period_text = text;
	e->kind = (unsigned char)kind_of(column_text(st, COL_KIND));
	text = column_text(st, COL_AT);
	if (civil_parse_timestamp(text, &e->at))
		e->at_text = text;
	if (sqlite3_column_type(st, COL_AMOUNT) != SQLITE_NULL) {
		e->has_amount = 1;
		e->amount = sqlite3_column_int64(st, COL_AMOUNT);
	}
	if (sqlite3_column_type(st, COL_DUE) != SQLITE_NULL) {
		e->has_due = 1;
		text = column_text(st, COL_DUE);
		if (civil_parse_date(text, &e->due))
			e->due_text = text;
	}
	if (e->kind == FEE_REMINDER && sqlite3_column_type(st, COL_METHOD) != SQLITE_NULL)
		e->method = column_text(st, COL_METHOD);
}

/* The same account as key[]: same type and bytes, as GROUP BY compares them. */
static int same_account(sqlite3_value *const *key, sqlite3_stmt *st)
{
	int i, n;

	for (i = 0; i < 3; i++) {
		if (!key[i] || sqlite3_value_type(key[i]) != sqlite3_column_type(st, i))
			return 0;
		n = sqlite3_column_bytes(st, i);
		if (sqlite3_value_bytes(key[i]) != n ||
		    memcmp(sqlite3_value_blob(key[i]), sqlite3_column_blob(st, i), (size_t)n))
			return 0;
	}
	return 1;
}

static void free_key(sqlite3_value **key)
{
	int i;

	for (i = 0; i < 3; i++) {
		sqlite3_value_free(key[i]);
		key[i] = NULL;
	}
}

static int dup_key(sqlite3_value **key, sqlite3_stmt *st)
{
	int i;

	free_key(key);
	for (i = 0; i < 3; i++)
		if (!(key[i] = sqlite3_value_dup(sqlite3_column_value(st, i))))
			return -1;
	return 0;
}

/*
 * The first and the last time of an account's events, as min(at) and
 * max(at) compare them in SQL (texts byte by byte, the shorter first when
 * one is the start of the other): of its charges, payments, waivers and
 * reminders (span[FEE_SPAN_ALL]), and of its payments (span[FEE_SPAN_PAID]).
 * The ledger keeps them beside the events (schema version 9) for the
 * database's coverage (db/coverage.c), which read them from the index
 * fees_at before.
 */
enum { FEE_SPAN_ALL, FEE_SPAN_PAID, FEE_SPANS };
/* 'YYYY-MM-DD HH:MM:SS' and its NUL (util/civil.h) */
#define TIMESTAMP_TEXT 20

struct at_span {
	struct buf first, last;		/* NUL-terminated; len 0 with set 0: none yet */
	int set;
};

static int text_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

static int set_text(struct buf *b, const char *t, size_t n)
{
	b->len = 0;
	if (buf_reserve(b, n + 1))
		return -1;
	memcpy(b->data, t, n);
	b->data[n] = '\0';
	b->len = n;
	return 0;
}

static int span_note(struct at_span *s, const char *t, size_t n)
{
	if (!s->set || text_cmp(t, n, s->first.data, s->first.len) < 0)
		if (set_text(&s->first, t, n))
			return -1;
	if (!s->set || text_cmp(t, n, s->last.data, s->last.len) > 0)
		if (set_text(&s->last, t, n))
			return -1;
	s->set = 1;
	return 0;
}

/* Notes the current row's at in the spans its kind counts in. */
static int spans_note(struct at_span *span, sqlite3_stmt *st, const struct fee_event *e)
{
	const char *at = column_text(st, COL_AT);
	size_t n = (size_t)sqlite3_column_bytes(st, COL_AT);

	if (e->kind == FEE_OTHER)
		return 0;
	if (span_note(&span[FEE_SPAN_ALL], at, n))
		return -1;
	return e->kind == FEE_PAYMENT ? span_note(&span[FEE_SPAN_PAID], at, n) : 0;
}

static void spans_clear(struct at_span *span)
{
	int i;

	for (i = 0; i < FEE_SPANS; i++)
		span[i].set = 0;
}

static void spans_free(struct at_span *span)
{
	int i;

	for (i = 0; i < FEE_SPANS; i++) {
		buf_free(&span[i].first);
		buf_free(&span[i].last);
	}
}

/* Called with each account of fees packed: key[3], the blob and its spans. */
typedef int (*packed_fn)(void *ctx, sqlite3_value *const *key, const struct buf *blob,
			 const struct at_span *span, pm_error *err);

/*
 * Packs each account the statement's rows hold (FEES_SELECT, in its
 * order) and calls fn with it.
 */
static int pack_rows(sqlite3 *db, sqlite3_stmt *st, packed_fn fn, void *ctx, pm_error *err)
{
	sqlite3_value *key[3] = { NULL, NULL, NULL };
	struct fee_packer pk;
	struct at_span span[FEE_SPANS];
	struct fee_event e;
	int rc;

	memset(&pk, 0, sizeof(pk));
	memset(span, 0, sizeof(span));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!same_account(key, st)) {
			if (pk.n && (rc = fn(ctx, key, &pk.buf, span, err)) != 0)
				break;
			if (dup_key(key, st)) {
				rc = pm_fail(err, "out of memory");
				break;
			}
			fee_pack_start(&pk);
			spans_clear(span);
		}
		row_event(st, &e);
		if (fee_pack_event(&pk, &e) || spans_note(span, st, &e)) {
			rc = pm_fail(err, "out of memory");
			break;
		}
	}
	if (rc == SQLITE_DONE)
		rc = pk.n ? fn(ctx, key, &pk.buf, span, err) : 0;
	else if (rc == SQLITE_ROW || rc > 0)
		rc = db_error(db, err);
	sqlite3_reset(st);
	free_key(key);
	fee_pack_free(&pk);
	spans_free(span);
	return rc;
}

static int walk_packed(sqlite3 *db, const char *site, packed_fn fn, void *ctx, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, site ? FEES_SELECT " WHERE site = ?1" FEES_ORDER :
			       FEES_SELECT FEES_ORDER, -1, &st, NULL))
		return db_error(db, err);
	if (site)
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = pack_rows(db, st, fn, ctx, err);
	sqlite3_finalize(st);
	return rc;
}

/* Unpacks one account for a fee_account_fn. */
struct unpacking {
	fee_account_fn fn;
	void *ctx;
	struct fee_event *events;
	int cap;
};

static int call_unpacked(struct unpacking *u, sqlite3_value *const *key, const void *blob,
			 size_t len, pm_error *err)
{
	struct fee_account a;

	if (fee_unpack(blob, len, &u->events, &u->cap, &a.nevents))
		return pm_fail(err, "fee_ledger: a damaged row (run `pmaudit check` "
			       "after `DELETE FROM fee_ledger_state` to rebuild it)");
	a.site = key[0];
	a.room = key[1];
	a.fee_item = key[2];
	a.events = u->events;
	return u->fn(u->ctx, &a, err);
}

static int unpack_fees_account(void *ctx, sqlite3_value *const *key, const struct buf *blob,
			       const struct at_span *span, pm_error *err)
{
	(void)span;
	return call_unpacked(ctx, key, blob->data, blob->len, err);
}

int fee_ledger_walk_fees(sqlite3 *db, const char *site, fee_account_fn fn, void *ctx,
			 pm_error *err)
{
	struct unpacking u = { fn, ctx, NULL, 0 };
	int rc = walk_packed(db, site, unpack_fees_account, &u, err);

	free(u.events);
	return rc;
}

int fee_ledger_walk(sqlite3 *db, const char *site, fee_account_fn fn, void *ctx, pm_error *err)
{
	struct unpacking u = { fn, ctx, NULL, 0 };
	sqlite3_value *key[3];
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, site ?
			       "SELECT site, room, fee_item, events FROM fee_ledger WHERE site = ?1"
			       " ORDER BY site, room, fee_item" :
			       "SELECT site, room, fee_item, events FROM fee_ledger"
			       " ORDER BY site, room, fee_item", -1, &st, NULL))
		return db_error(db, err);
	if (site)
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 3);
		int len = sqlite3_column_bytes(st, 3);

		key[0] = sqlite3_column_value(st, 0);
		key[1] = sqlite3_column_value(st, 1);
		key[2] = sqlite3_column_value(st, 2);
		if ((rc = call_unpacked(&u, key, blob, (size_t)len, err)) != 0)
			break;
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc == SQLITE_ROW || rc > 0)
		rc = db_error(db, err);
	sqlite3_finalize(st);
	free(u.events);
	return rc;
}

/* One integer from sql: *v, or *v = -1 for no row or NULL. */
static int query_int(sqlite3 *db, const char *sql, int *v, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return db_error(db, err);
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ?
		sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, err);
}

int fee_ledger_is_stale(sqlite3 *db, int *stale, pm_error *err)
{
	int tables, v;

	/*
	 * No table: a database made by a build of schema version 2 from before
	 * the ledger (version 2 was not released then); the callers go to fees.
	 */
	if (query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
		      " AND name IN ('fee_ledger', 'fee_ledger_state')", &tables, err))
		return -1;
	if (tables < 2) {
		*stale = FEE_LEDGER_ABSENT;
		return 0;
	}
	if (query_int(db, "SELECT stale FROM fee_ledger_state", &v, err))
		return -1;
	/* No row is stale too: nothing vouches for the ledger. */
	*stale = v != 0;
	return 0;
}

/* Binds a span's first and last to parameters col and col + 1 (NULL: none). */
static void bind_span(sqlite3_stmt *ins, int col, const struct at_span *s)
{
	if (!s->set) {
		sqlite3_bind_null(ins, col);
		sqlite3_bind_null(ins, col + 1);
		return;
	}
	sqlite3_bind_text(ins, col, s->first.data, (int)s->first.len, SQLITE_STATIC);
	sqlite3_bind_text(ins, col + 1, s->last.data, (int)s->last.len, SQLITE_STATIC);
}

#define LEDGER_INSERT "INSERT INTO fee_ledger(site, room, fee_item, events, first_at, last_at," \
	" first_paid, last_paid) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"

static int insert_account(void *ctx, sqlite3_value *const *key, const struct buf *blob,
			  const struct at_span *span, pm_error *err)
{
	sqlite3_stmt *ins = ctx;
	int i;

	sqlite3_reset(ins);
	for (i = 0; i < 3; i++)
		sqlite3_bind_value(ins, i + 1, key[i]);
	sqlite3_bind_blob(ins, 4, blob->data, (int)blob->len, SQLITE_STATIC);
	bind_span(ins, 5, &span[FEE_SPAN_ALL]);
	bind_span(ins, 7, &span[FEE_SPAN_PAID]);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return db_error(sqlite3_db_handle(ins), err);
	return 0;
}

/*
 * The whole ledger's first and last times into fee_ledger_state, from its
 * accounts' (one read of the ledger's 73k rows, once per fees file): the
 * coverage then reads one row.
 */
static int store_whole_span(sqlite3 *db, pm_error *err)
{
	return db_exec(db, "UPDATE fee_ledger_state SET (first_at, last_at, first_paid, last_paid)"
		       " = (SELECT min(first_at), max(last_at), min(first_paid), max(last_paid)"
		       " FROM fee_ledger)", err);
}

int fee_ledger_write_begin(sqlite3 *db, struct fee_ledger_writer *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	w->db = db;
	if (db_exec(db, "DELETE FROM fee_ledger", err))
		return -1;
	if (sqlite3_prepare_v2(db, LEDGER_INSERT, -1, &w->ins, NULL))
		return db_error(db, err);
	return 0;
}

/* An account's spans from its events' times (numbers: the texts are canonical). */
static void spans_of(const struct fee_event *ev, int n, int64_t first[FEE_SPANS],
		     int64_t last[FEE_SPANS], int set[FEE_SPANS])
{
	int i, s;

	set[FEE_SPAN_ALL] = set[FEE_SPAN_PAID] = 0;
	for (i = 0; i < n; i++) {
		if (ev[i].kind == FEE_OTHER)
			continue;
		for (s = 0; s < FEE_SPANS; s++) {
			if (s == FEE_SPAN_PAID && ev[i].kind != FEE_PAYMENT)
				continue;
			if (!set[s] || ev[i].at < first[s])
				first[s] = ev[i].at;
			if (!set[s] || ev[i].at > last[s])
				last[s] = ev[i].at;
			set[s] = 1;
		}
	}
}

/* Binds the spans as bind_span() binds an account's texts. */
static void bind_span_times(sqlite3_stmt *ins, int col, int64_t first, int64_t last, int set,
			    char text[2][TIMESTAMP_TEXT])
{
	if (!set) {
		sqlite3_bind_null(ins, col);
		sqlite3_bind_null(ins, col + 1);
		return;
	}
	civil_format_timestamp(first, text[0]);
	civil_format_timestamp(last, text[1]);
	sqlite3_bind_text(ins, col, text[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, col + 1, text[1], -1, SQLITE_STATIC);
}

int fee_ledger_write_account(struct fee_ledger_writer *w, const char *const key[3],
			     const int key_len[3], const struct fee_event *ev, int n,
			     pm_error *err)
{
	char text[FEE_SPANS][2][TIMESTAMP_TEXT];
	int64_t first[FEE_SPANS], last[FEE_SPANS];
	int set[FEE_SPANS], i;

	fee_pack_start(&w->pk);
	for (i = 0; i < n; i++)
		if (fee_pack_event(&w->pk, &ev[i]))
			return pm_fail(err, "out of memory");
	spans_of(ev, n, first, last, set);
	sqlite3_reset(w->ins);
	for (i = 0; i < 3; i++)
		sqlite3_bind_text(w->ins, i + 1, key[i], key_len[i], SQLITE_STATIC);
	sqlite3_bind_blob(w->ins, 4, w->pk.buf.data, (int)w->pk.buf.len, SQLITE_STATIC);
	for (i = 0; i < FEE_SPANS; i++)
		bind_span_times(w->ins, 5 + 2 * i, first[i], last[i], set[i], text[i]);
	if (sqlite3_step(w->ins) != SQLITE_DONE)
		return db_error(w->db, err);
	return 0;
}

int fee_ledger_write_end(struct fee_ledger_writer *w, int failed, pm_error *err)
{
	sqlite3_finalize(w->ins);
	fee_pack_free(&w->pk);
	w->ins = NULL;
	if (failed)
		return -1;
	if (db_exec(w->db, "DELETE FROM fee_ledger_state;"
		    " INSERT INTO fee_ledger_state(stale) VALUES(0)", err))
		return -1;
	return store_whole_span(w->db, err);
}

int fee_ledger_rebuild(sqlite3 *db, pm_error *err)
{
	struct fee_ledger_writer w;
	int rc;

	if (fee_ledger_write_begin(db, &w, err))
		return fee_ledger_write_end(&w, 1, err);
	rc = walk_packed(db, NULL, insert_account, w.ins, err);
	return fee_ledger_write_end(&w, rc != 0, err);
}

/*
 * Tracking the accounts a small file touches: temporary triggers (this
 * connection only) note the account of every row inserted, and both the
 * old and the new account of every row updated (an update may move an
 * entry to another account), in temp.fee_touched.
 */
/*
 * Rows in a trigger body cannot INSERT OR IGNORE (the statement that fired
 * the trigger imposes its own conflict policy): each note checks first.
 */
#define TOUCH(row) "INSERT INTO fee_touched SELECT " row ".site, " row ".room, " row ".fee_item" \
	" WHERE NOT EXISTS (SELECT 1 FROM fee_touched WHERE site = " row ".site" \
	" AND room = " row ".room AND fee_item = " row ".fee_item);"

int fee_ledger_track_begin(sqlite3 *db, pm_error *err)
{
	fee_ledger_track_drop(db);
	return db_exec(db, "CREATE TEMP TABLE fee_touched(site, room, fee_item,"
		       "  PRIMARY KEY(site, room, fee_item)) WITHOUT ROWID;"
		       "CREATE TEMP TRIGGER fee_touch_insert AFTER INSERT ON main.fees BEGIN "
		       TOUCH("NEW") " END;"
		       "CREATE TEMP TRIGGER fee_touch_update AFTER UPDATE ON main.fees BEGIN "
		       TOUCH("OLD") TOUCH("NEW") " END;"
		       "CREATE TEMP TRIGGER fee_touch_delete AFTER DELETE ON main.fees BEGIN "
		       TOUCH("OLD") " END;", err);
}

void fee_ledger_track_drop(sqlite3 *db)
{
	sqlite3_exec(db, "DROP TRIGGER IF EXISTS temp.fee_touch_insert;"
		     "DROP TRIGGER IF EXISTS temp.fee_touch_update;"
		     "DROP TRIGGER IF EXISTS temp.fee_touch_delete;"
		     "DROP TABLE IF EXISTS temp.fee_touched;", NULL, NULL, NULL);
}

/* The ledger row of each touched account, from fees again (none if it has no events left). */
static int rebuild_touched(sqlite3 *db, sqlite3_stmt *touched, sqlite3_stmt *del,
			   sqlite3_stmt *rows, sqlite3_stmt *ins, pm_error *err)
{
	int rc, i;

	while ((rc = sqlite3_step(touched)) == SQLITE_ROW) {
		for (i = 0; i < 3; i++) {
			sqlite3_bind_value(del, i + 1, sqlite3_column_value(touched, i));
			sqlite3_bind_value(rows, i + 1, sqlite3_column_value(touched, i));
		}
		if (sqlite3_step(del) != SQLITE_DONE)
			return db_error(db, err);
		sqlite3_reset(del);
		if (pack_rows(db, rows, insert_account, ins, err))
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : db_error(db, err);
}

int fee_ledger_track_end(sqlite3 *db, pm_error *err)
{
	sqlite3_stmt *touched = NULL, *del = NULL, *rows = NULL, *ins = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT site, room, fee_item FROM temp.fee_touched", -1,
			       &touched, NULL) ||
	    sqlite3_prepare_v2(db, "DELETE FROM fee_ledger WHERE site = ?1 AND room = ?2"
			       " AND fee_item = ?3", -1, &del, NULL) ||
	    sqlite3_prepare_v2(db, FEES_SELECT " WHERE site = ?1 AND room = ?2 AND fee_item = ?3"
			       FEES_ORDER, -1, &rows, NULL) ||
	    sqlite3_prepare_v2(db, LEDGER_INSERT, -1, &ins, NULL))
		db_error(db, err);
	else
		rc = rebuild_touched(db, touched, del, rows, ins, err);
	if (rc == 0)
		rc = store_whole_span(db, err);
	sqlite3_finalize(touched);
	sqlite3_finalize(del);
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	fee_ledger_track_drop(db);
	return rc;
}

int fee_ledger_drop_triggers(sqlite3 *db, pm_error *err)
{
	return db_exec(db, "DROP TRIGGER IF EXISTS fee_ledger_stale_insert;"
		       "DROP TRIGGER IF EXISTS fee_ledger_stale_update;"
		       "DROP TRIGGER IF EXISTS fee_ledger_stale_delete;", err);
}

int fee_ledger_create_triggers(sqlite3 *db, pm_error *err)
{
	return db_exec(db, FEE_LEDGER_TRIGGERS, err);
}
