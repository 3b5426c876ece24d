/*
 * The in-memory findings (rules/find_*.c, rules/findings/findings.c) at their
 * edges: what R-REPEAT skips and counts, the site filter, callbacks whose
 * record lies outside what was read, the as-of cut, and the same results
 * whether the rows are read through an index range or one table scan.
 */
#include "tests/unit/check_helpers.h"
#include "rules/findings/find_strings.h"
#include "util/strtab.h"

static void complaint_at(sqlite3 *db, const char *id, const char *site, const char *room,
			 const char *category, const char *valid, const char *received)
{
	sql_exec(db, "INSERT INTO complaints(complaint_id, site, room, level, category, valid, received_at)"
		 " VALUES(?1, ?2, ?3, 'minor', ?4, ?5, ?6)", 6, id, site, room, category, valid, received);
}

static void callback_site(sqlite3 *db, const char *id, const char *site, const char *kind,
			  const char *ref, const char *at, const char *problem)
{
	sql_exec(db, "INSERT INTO callbacks(callback_id, site, ref_kind, ref_id, callback_at, problem_found)"
		 " VALUES(?1, ?2, ?3, ?4, ?5, coalesce(?6, 0))", 6, id, site, kind, ref, at, problem);
}

/* Records without a room or a category are no one's repeat, and do not count for others. */
static void repeat_skips_null_room_and_category(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket_room(db, "N1", "A", "1-101", "门窗", "2026-10-02 09:00:00");
	ticket_room(db, "N2", "A", "1-101", "门窗", "2026-10-03 09:00:00");
	ticket_room(db, "N3", "A", NULL, "门窗", "2026-10-04 09:00:00");
	ticket_room(db, "N4", "A", NULL, "门窗", "2026-10-05 09:00:00");
	ticket_room(db, "N5", "A", NULL, "门窗", "2026-10-06 09:00:00");
	complaint_at(db, "K1", "A", "2-201", NULL, "1", "2026-10-02 09:00:00");
	complaint_at(db, "K2", "A", "2-201", NULL, "1", "2026-10-03 09:00:00");
	complaint_at(db, "K3", "A", "2-201", "噪音", "1", "2026-10-04 09:00:00");
	run = run_check(db, NULL);
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 0);
	assert_int_equal(figure_int(db, run, "findings.repeat_groups"), 0);
	/* the third ticket of the room makes it */
	ticket_room(db, "N6", "A", "1-101", "门窗", "2026-10-07 09:00:00");
	run = run_check(db, NULL);
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 1);
	assert_string_equal(column_of(db, run, "R-REPEAT", "N6", "detail"), "1-101 门窗: 3 tickets within 90 days");
	assert_string_equal(column_of(db, run, "R-REPEAT", "N6", "start_at"), "2026-10-07 09:00:00");
	assert_null(column_of(db, run, "R-REPEAT", "N6", "end_at"));
	sqlite3_close(db);
}

/*
 * With a site, only that site's records count and are listed; the look-back
 * before from counts but is not listed; records after as-of neither.
 */
static void repeat_site_lookback_and_as_of(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket_room(db, "A1", "A", "1-101", "门窗", "2026-09-20 09:00:00");
	ticket_room(db, "A2", "A", "1-101", "门窗", "2026-09-25 09:00:00");
	ticket_room(db, "A3", "A", "1-101", "门窗", "2026-10-02 09:00:00");
	ticket_room(db, "B1", "B", "1-101", "门窗", "2026-10-03 09:00:00");
	ticket_room(db, "B2", "B", "1-101", "门窗", "2026-10-04 09:00:00");
	ticket_room(db, "B3", "B", "1-101", "门窗", "2026-10-20 09:00:00");
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, "A", NULL, NULL);
	assert_string_equal(status_of(db, run, "R-REPEAT", "A3"), "finding");
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 1);
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, NULL, NULL, NULL);
	assert_string_equal(status_of(db, run, "R-REPEAT", "B3"), "finding");
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 2);
	assert_int_equal(figure_int(db, run, "findings.repeat_groups"), 2);
	/* as of 10-15: B3 is not yet recorded */
	run = run_check_full(db, OCT_FROM, OCT_TO, "2026-10-15 00:00:00", NULL, NULL, NULL);
	assert_null(status_of(db, run, "R-REPEAT", "B3"));
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 1);
	sqlite3_close(db);
}

/*
 * A start longer than a stored timestamp (written by hand) is compared as
 * text like the others, whole: the later of two texts sharing 19 bytes
 * counts the earlier.
 */
static void repeat_long_start_text(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket_room(db, "L1", "A", "1-101", "门窗", "2026-10-05 09:00:00");
	ticket_room(db, "L2", "A", "1-101", "门窗", "2026-10-05 09:00:00.500");
	ticket_room(db, "L3", "A", "1-101", "门窗", "2026-10-05 09:00:00.250");
	run = run_check(db, NULL);
	assert_null(status_of(db, run, "R-REPEAT", "L1"));
	assert_null(status_of(db, run, "R-REPEAT", "L3"));
	assert_string_equal(column_of(db, run, "R-REPEAT", "L2", "detail"), "1-101 门窗: 3 tickets within 90 days");
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 1);
	sqlite3_close(db);
}

/* Repeats are stored in the byte order of (kind, site, room, category, ts, id). */
static void repeat_rows_in_key_order(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	const char *order;

	(void)state;
	ticket_room(db, "T9", "B", "1-101", "门窗", "2026-10-02 09:00:00");
	ticket_room(db, "T8", "B", "1-101", "门窗", "2026-10-02 09:00:00");
	ticket_room(db, "T7", "B", "1-101", "门窗", "2026-10-02 09:00:00");
	ticket_room(db, "T3", "A", "1-101", "门窗", "2026-10-05 09:00:00");
	ticket_room(db, "T2", "A", "1-101", "门窗", "2026-10-04 09:00:00");
	ticket_room(db, "T1", "A", "1-101", "门窗", "2026-10-03 09:00:00");
	complaint_at(db, "C2", "Z", "9-999", "噪音", "1", "2026-10-09 09:00:00");
	complaint_at(db, "C1", "Z", "9-999", "噪音", "1", "2026-10-08 09:00:00");
	run = run_check(db, NULL);
	order = query_text(db, "SELECT group_concat(record_id, ' ') FROM (SELECT record_id FROM check_records"
			   " WHERE run_id = ?1 AND rule_id = 'R-REPEAT' ORDER BY rowid)", run, NULL, NULL);
	assert_string_equal(order, "C2 T3 T7 T8 T9");
	sqlite3_close(db);
}

/*
 * A callback's record looked up outside the rows read: reported long
 * before the window (not an orphan), or after it (the callback came first).
 * A record id known only as the other kind is an orphan.
 */
static void callbacks_of_records_outside_the_window(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	repair(db, "OLD", "电梯", "2025-01-05 08:00:00", NULL);
	repair(db, "LATE", "电梯", "2026-12-05 08:00:00", NULL);
	complaint(db, "CX", "minor", "1", "2026-10-01 08:00:00", NULL, NULL, NULL, NULL, NULL);
	callback(db, "K1", "ticket", "OLD", "2026-10-05 08:00:00", NULL, NULL);
	callback(db, "K2", "ticket", "LATE", "2026-10-06 08:00:00", NULL, NULL);
	callback(db, "K3", "ticket", "CX", "2026-10-07 08:00:00", NULL, NULL);
	callback(db, "K4", "complaint", "CX", "2026-10-07 08:00:00", NULL, NULL);
	callback(db, "K5", "complaint", "OLD", "2026-10-07 08:00:00", NULL, NULL);
	run = run_check(db, NULL);
	assert_null(status_of(db, run, "Q-ORPHAN", "K1"));
	assert_null(status_of(db, run, "Q-ORDER", "K1"));
	assert_string_equal(status_of(db, run, "Q-ORDER", "K2"), "finding");
	assert_string_equal(column_of(db, run, "Q-ORDER", "K2", "start_at"), "2026-12-05 08:00:00");
	assert_string_equal(column_of(db, run, "Q-ORDER", "K2", "detail"), "callback_at before its ticket LATE began");
	assert_string_equal(column_of(db, run, "Q-ORPHAN", "K3", "detail"), "ticket CX is unknown");
	assert_null(status_of(db, run, "Q-ORPHAN", "K4"));
	assert_string_equal(column_of(db, run, "Q-ORPHAN", "K5", "detail"), "complaint OLD is unknown");
	assert_string_equal(column_of(db, run, "Q-ORPHAN", "K5", "end_at"), "2026-10-07 08:00:00");
	assert_int_equal(figure_int(db, run, "findings.orphan_callbacks"), 2);
	assert_int_equal(figure_int(db, run, "volumes.orphan_callbacks"), 2);
	assert_int_equal(figure_int(db, run, "findings.impossible_order"), 1);
	sqlite3_close(db);
}

/* A later callback at as-of closes a problem; one a second later, or at the same instant, does not. */
static void problem_open_as_of_edges(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	repair(db, "T1", "电梯", "2026-10-01 08:00:00", "2026-10-01 09:00:00");
	callback(db, "P1", "ticket", "T1", "2026-10-02 08:00:00", NULL, "1");
	callback(db, "P2", "ticket", "T1", "2026-10-20 00:00:00", NULL, NULL);
	repair(db, "T2", "电梯", "2026-10-01 08:00:00", "2026-10-01 09:00:00");
	callback(db, "Q1", "ticket", "T2", "2026-10-02 08:00:00", NULL, "1");
	callback(db, "Q2", "ticket", "T2", "2026-10-20 00:00:01", NULL, NULL);
	repair(db, "T3", "电梯", "2026-10-01 08:00:00", "2026-10-01 09:00:00");
	callback(db, "R1", "ticket", "T3", "2026-10-02 08:00:00", NULL, "1");
	callback(db, "R2", "ticket", "T3", "2026-10-02 08:00:00", NULL, NULL);
	/* found after as-of: not judged; found at as-of: judged */
	callback(db, "S1", "ticket", "T3", "2026-10-25 08:00:00", NULL, "1");
	repair(db, "T4", "电梯", "2026-10-01 08:00:00", "2026-10-01 09:00:00");
	callback(db, "U1", "ticket", "T4", "2026-10-20 00:00:00", NULL, "1");
	run = run_check(db, "2026-10-20 00:00:00");
	assert_null(status_of(db, run, "Q-PROBLEM-OPEN", "P1"));
	assert_string_equal(status_of(db, run, "Q-PROBLEM-OPEN", "Q1"), "finding");
	assert_string_equal(column_of(db, run, "Q-PROBLEM-OPEN", "Q1", "detail"),
			    "ticket T2: problem found, no later callback");
	assert_string_equal(column_of(db, run, "Q-PROBLEM-OPEN", "Q1", "start_at"), "2026-10-02 08:00:00");
	assert_string_equal(status_of(db, run, "Q-PROBLEM-OPEN", "R1"), "finding");
	assert_null(status_of(db, run, "Q-PROBLEM-OPEN", "S1"));
	assert_string_equal(status_of(db, run, "Q-PROBLEM-OPEN", "U1"), "finding");
	assert_int_equal(figure_int(db, run, "findings.problem_open"), 3);
	sqlite3_close(db);
}

/* Volumes and findings of callbacks with a site: the callback's own site decides. */
static void site_filter(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	ticket_room(db, "T1", "A", "1-101", "门窗", "2026-10-02 09:00:00");
	ticket_room(db, "T2", "B", "1-101", "门窗", "2026-10-02 09:00:00");
	complaint_at(db, "C1", "A", "1-101", "噪音", "0", "2026-10-02 09:00:00");
	complaint_at(db, "C2", "B", "1-101", "噪音", "0", "2026-10-02 09:00:00");
	callback_site(db, "K1", "A", "ticket", "T2", "2026-10-01 09:00:00", NULL);
	callback_site(db, "K2", "B", "ticket", "T1", "2026-10-01 09:00:00", NULL);
	callback_site(db, "K3", "B", "ticket", "NONE", "2026-10-05 09:00:00", NULL);
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, "A", NULL, NULL);
	assert_int_equal(figure_int(db, run, "volumes.tickets"), 1);
	assert_int_equal(figure_int(db, run, "volumes.complaints"), 1);
	assert_int_equal(figure_int(db, run, "volumes.complaints_invalid"), 1);
	assert_int_equal(figure_int(db, run, "volumes.callbacks"), 1);
	assert_string_equal(column_of(db, run, "Q-ORDER", "K1", "site"), "A");
	assert_null(status_of(db, run, "Q-ORDER", "K2"));
	assert_int_equal(figure_int(db, run, "findings.orphan_callbacks"), 0);
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, "B", NULL, NULL);
	assert_int_equal(figure_int(db, run, "findings.orphan_callbacks"), 1);
	assert_int_equal(figure_int(db, run, "findings.impossible_order"), 1);
	sqlite3_close(db);
}

/* Q-ORDER on every time field of tickets and complaints, in field order per record. */
static void ordering_fields(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	const char *details;

	(void)state;
	sql_exec(db, "INSERT INTO tickets(ticket_id, site, category, reported_at, dispatched_at, arrived_at,"
		 " completed_at, leak_test_at) VALUES('T1', 'A', '电梯', '2026-10-05 10:00:00',"
		 " '2026-10-05 09:59:59', '2026-10-05 10:00:00', '2026-10-04 00:00:00', NULL)", 0);
	complaint(db, "C1", "minor", "1", "2026-10-05 10:00:00", "2026-10-05 09:00:00", NULL,
		  "2026-10-05 10:00:01", "2026-10-01 00:00:00", NULL);
	run = run_check(db, NULL);
	details = query_text(db, "SELECT group_concat(record_id || ':' || detail || ':' || end_at, '|') FROM"
			     " (SELECT * FROM check_records WHERE run_id = ?1 AND rule_id = 'Q-ORDER' ORDER BY rowid)",
			     run, NULL, NULL);
	assert_string_equal(details,
		"T1:dispatched_at before reported_at:2026-10-05 09:59:59|"
		"C1:responded_at before received_at:2026-10-05 09:00:00|"
		"T1:completed_at before reported_at:2026-10-04 00:00:00|"
		"C1:resolved_at before received_at:2026-10-01 00:00:00");
	assert_int_equal(figure_int(db, run, "findings.impossible_order"), 4);
	sqlite3_close(db);
}

/* The findings of one set of records, however the window is read. */
static void same_rows(sqlite3 *db)
{
	sqlite3_int64 run = run_check(db, NULL);

	assert_string_equal(status_of(db, run, "R-REPEAT", "R3"), "finding");
	assert_int_equal(count_rows(db, run, "R-REPEAT", NULL), 1);
	assert_string_equal(status_of(db, run, "Q-ORPHAN", "O1"), "finding");
	assert_string_equal(status_of(db, run, "Q-ORDER", "B1"), "finding");
	assert_string_equal(status_of(db, run, "Q-PROBLEM-OPEN", "P1"), "finding");
	assert_int_equal(figure_int(db, run, "volumes.tickets"), 2);
	assert_int_equal(figure_int(db, run, "volumes.callbacks"), 3);
	assert_int_equal(figure_int(db, run, "findings.repeat_groups"), 1);
}

static void index_or_table_scan(void **state)
{
	sqlite3 *db = fresh_db();

	(void)state;
	/* R3 - 90 days = 08-02 23:59:59 */
	ticket_room(db, "R1", "A", "1-101", "门窗", "2026-08-03 00:00:00");
	ticket_room(db, "R2", "A", "1-101", "门窗", "2026-10-01 00:00:00");
	ticket_room(db, "R3", "A", "1-101", "门窗", "2026-10-31 23:59:59");
	callback(db, "O1", "ticket", "NOPE", "2026-10-02 08:00:00", NULL, NULL);
	callback(db, "B1", "ticket", "R3", "2026-10-03 08:00:00", NULL, NULL);
	callback(db, "P1", "ticket", "R2", "2026-10-04 08:00:00", NULL, "1");
	/* the window holds most of the data's span: one table scan */
	same_rows(db);
	/* records far before and after make the window a small part: index ranges */
	ticket_room(db, "X1", "Z", "0-000", "门窗", "2020-01-01 00:00:00");
	ticket_room(db, "X2", "Z", "0-000", "门窗", "2030-01-01 00:00:00");
	complaint_at(db, "X3", "Z", "0-000", "噪音", "1", "2020-01-01 00:00:00");
	complaint_at(db, "X4", "Z", "0-000", "噪音", "1", "2030-01-01 00:00:00");
	callback(db, "X5", "ticket", "X1", "2020-01-02 00:00:00", NULL, NULL);
	callback(db, "X6", "ticket", "X2", "2030-01-02 00:00:00", NULL, NULL);
	same_rows(db);
	sqlite3_close(db);
}

/* The string helpers: one copy per distinct text, look-ups across growth, long text. */
static void strings(void **state)
{
	struct strtab pool;
	struct str_index index;
	struct str_arena arena;
	char key[32], *big;
	const char *a, *keys[5000];
	int i;

	(void)state;
	strtab_init(&pool);
	memset(&index, 0, sizeof(index));
	memset(&arena, 0, sizeof(arena));
	assert_int_equal(strtab_intern_n(&pool, "1-101xyz", 5), 0);
	assert_int_equal(strtab_intern_n(&pool, "1-101", 5), 0);
	assert_string_equal(pool.strs[0], "1-101");
	assert_int_equal(strtab_intern_n(&pool, "1-10", 4), 1);
	assert_int_equal(strtab_intern_n(&pool, "1-101", 5), 0);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "T%07d", i);
		keys[i] = str_arena_copy(&arena, key, strlen(key));
		assert_int_equal(str_index_put(&index, keys[i], strlen(keys[i]), i), 0);
		assert_int_equal(strtab_intern_n(&pool, key, strlen(key)), i + 2);
	}
	assert_int_equal(str_index_put(&index, keys[7], 8, 99), 0);
	for (i = 0; i < 5000; i++)
		assert_int_equal(str_index_get(&index, keys[i], 8), i);
	assert_int_equal(str_index_get(&index, "T9999999", 8), -1);
	assert_int_equal(str_index_get(&index, "T0000001x", 8), 1);
	assert_int_equal(str_index_get(&index, "T000000", 7), -1);
	assert_int_equal(pool.count, 5002);
	assert_string_equal(pool.strs[4001], "T0003999");
	big = malloc(3 << 20);
	memset(big, 'x', 3 << 20);
	a = str_arena_copy(&arena, big, 3 << 20);
	assert_int_equal(strlen(a), 3 << 20);
	assert_string_equal(str_arena_copy(&arena, "after", 5), "after");
	assert_string_equal(keys[4999], "T0004999");
	free(big);
	str_index_free(&index);
	strtab_free(&pool);
	str_arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repeat_skips_null_room_and_category),
		cmocka_unit_test(repeat_site_lookback_and_as_of),
		cmocka_unit_test(repeat_rows_in_key_order),
		cmocka_unit_test(repeat_long_start_text),
		cmocka_unit_test(callbacks_of_records_outside_the_window),
		cmocka_unit_test(problem_open_as_of_edges),
		cmocka_unit_test(site_filter),
		cmocka_unit_test(ordering_fields),
		cmocka_unit_test(index_or_table_scan),
		cmocka_unit_test(strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
