/*
 * The fee ledger from the events read (etl/fee_events.h): for any mix of
 * accounts, periods, kinds, ties, NULL amounts, due dates and methods, in
 * any order, the ledger it writes is byte for byte the one
 * fee_ledger_rebuild() writes from fees_account; rows it cannot keep
 * exactly leave the ledger to the rebuild.
 */
#include <stdint.h>
#include "tests/unit/check_helpers.h"
#include "db/fee_ledger.h"
#include "etl/fee_events.h"
#include "etl/kinds.h"
#include "util/civil.h"

/* One fees row, its values as the import binds them (NULL text: NULL). */
struct fee_values {
	const char *site, *room, *item, *period, *kind, *at, *due, *method;
	int has_amount;
	int64_t amount;
};

static void set_text(struct pm_row *row, const char *field, const char *s)
{
	struct pm_value *v = &row->value[kind_field_index(&PM_KINDS[PM_FEES], field)];

	v->tag = s ? PM_STR : PM_NULL;
	v->s = s;
	v->n = s ? strlen(s) : 0;
}

static void fill_row(struct pm_row *row, const struct fee_values *f)
{
	struct pm_value *amount = &row->value[kind_field_index(&PM_KINDS[PM_FEES], "amount")];

	memset(row, 0, sizeof(*row));
	row->nfields = PM_KINDS[PM_FEES].nfields;
	set_text(row, "site", f->site);
	set_text(row, "room", f->room);
	set_text(row, "fee_item", f->item);
	set_text(row, "period", f->period);
	set_text(row, "kind", f->kind);
	set_text(row, "at", f->at);
	set_text(row, "due_date", f->due);
	set_text(row, "method", f->method);
	amount->tag = f->has_amount ? PM_INT : PM_NULL;
	amount->i = f->amount;
}

/* The rows gathered so far handed over, as the import's reader does with a full batch. */
static void hand_over(struct pm_batch *b, struct pm_fee_events *fe)
{
	batch_seal(b);
	fee_events_add_batch(fe, b);
	batch_clear(b);
}

/* The row into fees as the import stores it, and into the batch. */
static void add_fee(sqlite3 *db, sqlite3_stmt *ins, struct pm_batch *b, struct pm_fee_events *fe,
		    int id, const struct fee_values *f)
{
	struct pm_row row;
	char key[32];

	snprintf(key, sizeof(key), "E%d", id);
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_text(ins, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 2, f->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, f->room, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, f->item, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 5, f->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 6, f->kind, -1, SQLITE_STATIC);
	if (f->has_amount)
		sqlite3_bind_int64(ins, 7, f->amount);
	sqlite3_bind_text(ins, 8, f->at, -1, SQLITE_STATIC);
	if (f->due)
		sqlite3_bind_text(ins, 9, f->due, -1, SQLITE_STATIC);
	if (f->method)
		sqlite3_bind_text(ins, 10, f->method, -1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE)
		fail_msg("insert: %s", sqlite3_errmsg(db));
	fill_row(&row, f);
	assert_int_equal(batch_add_row(b, id, &row), 0);
	if (batch_full(b))
		hand_over(b, fe);
}

static sqlite3_stmt *fees_insert(sqlite3 *db)
{
	sqlite3_stmt *ins;

	if (sqlite3_prepare_v2(db, "INSERT INTO fees(entry_id, site, room, fee_item, period, kind,"
			       " amount, at, due_date, method) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			       " ?9, ?10)", -1, &ins, NULL))
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	return ins;
}

/* The whole ledger and its state as text: every byte of every row. */
static char *ledger_text(sqlite3 *db)
{
	sqlite3_stmt *st;
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT hex(site) || '|' || hex(room) || '|' || hex(fee_item)"
			       " || '|' || hex(events) || '|' || quote(first_at) || quote(last_at)"
			       " || quote(first_paid) || quote(last_paid) FROM fee_ledger"
			       " UNION ALL SELECT 'state ' || stale || quote(first_at) || quote(last_at)"
			       " || quote(first_paid) || quote(last_paid) FROM fee_ledger_state",
			       -1, &st, NULL))
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		size_t n = strlen(s);

		while (len + n + 2 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		memcpy(out + len, s, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(st);
	return out;
}

static unsigned next(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) & 0xffffff;
}

/*
 * Texts chosen to sort differently as bytes than as anything else: a
 * prefix, case, a Chinese name against an ASCII one, digits.
 */
static const char *const SITES[] = { "翠湖花园", "A", "AB", "a", "B10", "B9", "碧水云天" };
static const char *const ROOMS[] = { "1栋1单元101", "1栋1单元1010", "101", "10", "9" };
static const char *const ITEMS[] = { "物业管理费", "水费", "A" };
static const char *const PERIODS[] = { "2025-12", "2026-01", "2026-10", "2026-02" };
static const char *const KINDS[] = { "charge", "payment", "waiver", "reminder" };
static const char *const METHODS[] = { NULL, "微信", "现金", "a", "B", "电话" };
static const char *const DUES[] = { NULL, "2026-01-31", "2025-12-31", "2026-02-28" };

/* Random events; ties on every column but the key are frequent. */
static void random_fee(unsigned *seed, struct fee_values *f, char at[20], int one_account)
{
	int64_t secs = civil_days(2026, 1, 1) * 86400 + (int64_t)(next(seed) % 8) * 3600;

	f->site = one_account ? SITES[0] : SITES[next(seed) % 7];
	f->room = one_account ? ROOMS[0] : ROOMS[next(seed) % 5];
	f->item = one_account ? ITEMS[0] : ITEMS[next(seed) % 3];
	f->period = PERIODS[next(seed) % 4];
	f->kind = KINDS[next(seed) % 4];
	civil_format_timestamp(secs, at);
	f->at = at;
	f->has_amount = next(seed) % 5 != 0;
	f->amount = (int64_t)(next(seed) % 7) * 1000 - 2000;
	f->method = METHODS[next(seed) % 6];
	f->due = !strcmp(f->kind, "charge") ? DUES[1 + next(seed) % 3] : DUES[next(seed) % 4];
}

/*
 * 150k events (many groups of 16,384 events, one account alone larger
 * than a group): the ledger from them equals the rebuild's.
 */
static void same_as_rebuild(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_stmt *ins = fees_insert(db);
	struct pm_fee_events fe;
	struct pm_batch b;
	struct fee_values f;
	pm_error err = { "" };
	unsigned seed = 7;
	char at[20], *from_events, *from_rebuild;
	int i;

	(void)state;
	fee_events_init(&fe);
	assert_int_equal(batch_init(&b), 0);
	sql_exec(db, "BEGIN", 0);
	for (i = 0; i < 150000; i++) {
		random_fee(&seed, &f, at, i % 4 == 0);
		add_fee(db, ins, &b, &fe, i, &f);
	}
	hand_over(&b, &fe);
	fee_events_read_all(&fe);
	batch_free(&b);
	sqlite3_finalize(ins);
	assert_int_equal(fe.n, 150000);
	assert_int_equal(fee_events_store(&fe, db, &err), 1);
	from_events = ledger_text(db);
	assert_int_equal(fee_ledger_rebuild(db, &err), 0);
	from_rebuild = ledger_text(db);
	sql_exec(db, "COMMIT", 0);
	assert_true(strlen(from_events) > 1000);
	assert_string_equal(from_events, from_rebuild);
	free(from_events);
	free(from_rebuild);
	fee_events_free(&fe);
	sqlite3_close(db);
}

/* A row it cannot keep exactly: nothing written, the rebuild's turn. */
static void odd_rows_left_to_rebuild(void **state)
{
	static const struct fee_values odd[] = {
		{ "A", "101", "水费", "2026/10", "charge", "2026-10-01 00:00:00", "2026-10-31", NULL, 1, 5 },
		{ "A", "101", "水费", "2026-10", "Charge", "2026-10-01 00:00:00", "2026-10-31", NULL, 1, 5 },
		{ "A", "101", "水费", "2026-10", "charge", "2026-10-01", "2026-10-31", NULL, 1, 5 },
		{ "A", "101", "水费", "2026-10", "charge", "2026-10-01 00:00:00", NULL, NULL, 1, 5 },
		{ "A", "101", "水费", "2026-10", "payment", "2026-10-01 00:00:00", "2026-02-30", NULL, 1, 5 },
	};
	const struct fee_values good = { "A", "101", "水费", "2026-10", "payment",
					  "2026-10-02 00:00:00", NULL, "微信", 1, 5 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		sqlite3 *db = fresh_db();
		sqlite3_stmt *ins = fees_insert(db);
		struct pm_fee_events fe;
		struct pm_batch b;
		pm_error err = { "" };

		fee_events_init(&fe);
		assert_int_equal(batch_init(&b), 0);
		add_fee(db, ins, &b, &fe, 1, &good);
		hand_over(&b, &fe);
		assert_true(fe.on);
		assert_int_equal(fe.n, 1);
		add_fee(db, ins, &b, &fe, 2, &odd[i]);
		add_fee(db, ins, &b, &fe, 3, &good);
		hand_over(&b, &fe);
		batch_free(&b);
		sqlite3_finalize(ins);
		assert_false(fe.on);
		assert_int_equal(fee_events_store(&fe, db, &err), 0);
		fee_events_free(&fe);
		sqlite3_close(db);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_rebuild),
		cmocka_unit_test(odd_rows_left_to_rebuild),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
