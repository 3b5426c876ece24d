/*
 * The per-charge pass over the fee ledger (temp.fee_bal), read by every fee
 * figure and by F-LETTER.
 *
 * The ledger is the largest table (2M entries in a year of 100 sites) and
 * every run must read all of it, since any old charge may still be owed. The
 * rows come in charge order from the covering index fees_account, so the
 * table is never touched and nothing is sorted; the sums are taken here in C
 * rather than as nine sum(CASE ...) aggregates, which the SQL interpreter
 * evaluated at about four times the cost of reading the rows
 * (docs/performance.md). The definitions are those of RULES.md "Fees and
 * collection", the same as the SQL they replace: an event counts when it
 * happened by the as-of time; payments and waivers reduce the charge of the
 * period they name; NULL amounts count as nothing.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "rules/check_internal.h"

/* One charge's running totals; has_* mark a SQL sum() that saw a value. */
struct charge_acc {
	char *key[4];                   /* site, room, fee_item, period */
	sqlite3_int64 owed_asof, owed_from, charged, waived, paid, recovered;
	int has_owed_asof, has_owed_from, has_charged, has_waived, has_paid, has_recovered;
	/* Dates and timestamps as the import validated them: short text. */
	char due[64], r1[64], letter_at[64];
};

enum { COL_SITE, COL_ROOM, COL_ITEM, COL_PERIOD, COL_KIND, COL_AT, COL_AMOUNT, COL_DUE, COL_METHOD };

/* instr(method, word) > 0 for one of the words (UTF-8: a byte match is a character match). */
static int method_in(const char *method, const struct rule_list *l)
{
	int i;

	if (!method)
		return 0;
	for (i = 0; i < l->count; i++)
		if (strstr(method, l->items[i]))
			return 1;
	return 0;
}

/* min()/max() of text as SQLite compares it (memcmp, then length). */
static void keep_text(char *slot, size_t size, const char *v, int want_min)
{
	int cmp;

	if (!v || strlen(v) >= size)
		return;
	cmp = slot[0] ? strcmp(v, slot) : 0;
	if (!slot[0] || (want_min ? cmp < 0 : cmp > 0))
		strcpy(slot, v);
}

static void add(sqlite3_int64 *sum, int *has, sqlite3_stmt *row)
{
	if (sqlite3_column_type(row, COL_AMOUNT) == SQLITE_NULL)
		return;
	*sum += sqlite3_column_int64(row, COL_AMOUNT);
	*has = 1;
}

/*
 * sum(CASE WHEN at <= :asof THEN <effect> ELSE 0 END) and the same before
 * `from`: an event outside the bound, a reminder or an unknown kind adds 0
 * (a value, not NULL); only a NULL amount adds nothing.
 */
static void owed_one(sqlite3_int64 *sum, int *has, int inside, int sign, sqlite3_stmt *row)
{
	if (!inside || sign == 0) {
		*has = 1;
		return;
	}
	if (sqlite3_column_type(row, COL_AMOUNT) == SQLITE_NULL)
		return;
	*sum += sign * sqlite3_column_int64(row, COL_AMOUNT);
	*has = 1;
}

static void owed(struct check_ctx *c, struct charge_acc *a, sqlite3_stmt *row,
		 const char *kind, const char *at)
{
	int sign = !strcmp(kind, "charge") ? 1 :
		   !strcmp(kind, "payment") || !strcmp(kind, "waiver") ? -1 : 0;

	owed_one(&a->owed_asof, &a->has_owed_asof, strcmp(at, c->as_of) <= 0, sign, row);
	owed_one(&a->owed_from, &a->has_owed_from, strcmp(at, c->from) < 0, sign, row);
}

static void accumulate(struct check_ctx *c, const struct rule *letter, struct charge_acc *a,
		       sqlite3_stmt *row)
{
	const char *kind = (const char *)sqlite3_column_text(row, COL_KIND);
	const char *at = (const char *)sqlite3_column_text(row, COL_AT);
	const char *method;
	int asof;

	if (!kind || !at)
		return;
	owed(c, a, row, kind, at);
	asof = strcmp(at, c->as_of) <= 0;
	if (!asof)
		return;
	if (!strcmp(kind, "charge")) {
		keep_text(a->due, sizeof(a->due), (const char *)sqlite3_column_text(row, COL_DUE), 0);
		add(&a->charged, &a->has_charged, row);
	} else if (!strcmp(kind, "waiver")) {
		add(&a->waived, &a->has_waived, row);
	} else if (!strcmp(kind, "payment")) {
		add(&a->paid, &a->has_paid, row);
		if (strcmp(at, c->from) >= 0 && strcmp(at, c->to) < 0)
			add(&a->recovered, &a->has_recovered, row);
	} else if (!strcmp(kind, "reminder") && letter) {
		method = (const char *)sqlite3_column_text(row, COL_METHOD);
		if (method_in(method, &letter->first_reminder))
			keep_text(a->r1, sizeof(a->r1), at, 1);
		if (method_in(method, &letter->letter))
			keep_text(a->letter_at, sizeof(a->letter_at), at, 1);
	}
}

static int same_charge(const struct charge_acc *a, sqlite3_stmt *row)
{
	int i;

	for (i = 0; i < 4; i++) {
		const char *v = (const char *)sqlite3_column_text(row, i);

		if (!a->key[i] || !v || strcmp(a->key[i], v))
			return 0;
	}
	return 1;
}

static void start_charge(struct charge_acc *a, sqlite3_stmt *row)
{
	int i;

	for (i = 0; i < 4; i++) {
		free(a->key[i]);
		a->key[i] = strdup((const char *)sqlite3_column_text(row, i) ?
				   (const char *)sqlite3_column_text(row, i) : "");
	}
	memset(&a->owed_asof, 0, sizeof(*a) - offsetof(struct charge_acc, owed_asof));
}

static void bind_sum(sqlite3_stmt *st, int i, sqlite3_int64 v, int has)
{
	if (has)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v[0])
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Stores the charge if some figure can see it: owing or owed something, a
 * reminder, a period of the window, or a payment made inside the window. A
 * settled charge of an earlier period adds nothing to any figure.
 */
static int flush_charge(struct check_ctx *c, const struct charge_acc *a, sqlite3_stmt *ins,
			pm_error *err)
{
	int i;
	int in_window = strcmp(a->key[3], c->pfrom) >= 0 && strcmp(a->key[3], c->pto) < 0;

	if (!((a->has_owed_asof && a->owed_asof != 0) || (a->has_owed_from && a->owed_from > 0) ||
	      a->r1[0] || a->letter_at[0] || in_window || a->has_recovered))
		return 0;
	sqlite3_reset(ins);
	for (i = 0; i < 4; i++)
		sqlite3_bind_text(ins, i + 1, a->key[i], -1, SQLITE_STATIC);
	bind_sum(ins, 5, a->owed_asof, a->has_owed_asof);
	bind_sum(ins, 6, a->owed_from, a->has_owed_from);
	bind_text(ins, 7, a->due);
	bind_text(ins, 8, a->r1);
	bind_text(ins, 9, a->letter_at);
	bind_sum(ins, 10, a->charged, a->has_charged);
	bind_sum(ins, 11, a->waived, a->has_waived);
	bind_sum(ins, 12, a->paid, a->has_paid);
	bind_sum(ins, 13, a->recovered, a->has_recovered);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return 0;
}

static int walk_ledger(struct check_ctx *c, sqlite3_stmt *rows, sqlite3_stmt *ins, pm_error *err)
{
	const struct rule *letter = check_first_letter_rule(c);
	struct charge_acc a;
	int rc, i, open = 0;

	memset(&a, 0, sizeof(a));
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		if (!open || !same_charge(&a, rows)) {
			if (open && flush_charge(c, &a, ins, err))
				break;
			start_charge(&a, rows);
			open = 1;
		}
		accumulate(c, letter, &a, rows);
	}
	if (rc == SQLITE_DONE) {
		rc = open ? flush_charge(c, &a, ins, err) : 0;
	} else {
		if (rc != SQLITE_ROW)
			pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
		rc = -1;
	}
	for (i = 0; i < 4; i++)
		free(a.key[i]);
	return rc;
}

/*
 * temp.fee_bal: one row per charge (site, room, fee item, period) with what
 * it owed at the as-of time and just before `from`, its due date, what it was
 * charged, waived and paid by the as-of time, the payments made for it inside
 * the window, and (for the first letter rule) the first phone/SMS reminder
 * and first letter naming it. Keyed in account order for F-LETTER's groups.
 */
int check_fee_balances(struct check_ctx *c, pm_error *err)
{
	sqlite3_stmt *rows = NULL, *ins = NULL;
	int rc;

	if (db_exec_plain(c, "DROP TABLE IF EXISTS temp.fee_bal;"
			  "CREATE TEMP TABLE fee_bal(site TEXT, room TEXT, fee_item TEXT, period TEXT,"
			  " owed_asof INTEGER, owed_from INTEGER, due TEXT, r1 TEXT, letter_at TEXT,"
			  " charged INTEGER, waived INTEGER, paid INTEGER, recovered INTEGER,"
			  " PRIMARY KEY(site, room, fee_item, period)) WITHOUT ROWID;", err))
		return -1;
	/* One site: its range of the index; all sites: the whole index. */
	if (ctx_prepare(c, c->site ?
			"SELECT site, room, fee_item, period, kind, at, amount, CASE WHEN kind = 'charge'"
			"  THEN coalesce(due_date, date(period || '-01', '+1 month', '-1 day')) END, method"
			" FROM fees INDEXED BY fees_account WHERE site = :site"
			" ORDER BY site, room, fee_item, period" :
			"SELECT site, room, fee_item, period, kind, at, amount, CASE WHEN kind = 'charge'"
			"  THEN coalesce(due_date, date(period || '-01', '+1 month', '-1 day')) END, method"
			" FROM fees INDEXED BY fees_account ORDER BY site, room, fee_item, period",
			&rows, err) ||
	    ctx_prepare(c, "INSERT INTO temp.fee_bal VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			" ?10, ?11, ?12, ?13)", &ins, err)) {
		sqlite3_finalize(rows);
		return -1;
	}
	rc = walk_ledger(c, rows, ins, err);
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	return rc;
}
