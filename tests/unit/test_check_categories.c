/*
 * check_params.categories: a run's window by category, counted from the
 * records its findings read, must be what the annual report's statements
 * counted (category_counts_on(): every ticket with reported_at in [from,
 * to), every complaint with received_at in it, of the site, whatever the
 * as-of time), a complaint's category NULL and "" apart (a ticket's is NOT
 * NULL).
 */
#include "tests/unit/check_helpers.h"

static void complaint_of(sqlite3 *db, const char *id, const char *site, const char *category,
			 const char *received)
{
	sql_exec(db, "INSERT INTO complaints(complaint_id, site, room, level, category, valid,"
		 " received_at) VALUES(?1, ?2, '2-202', 'minor', ?3, 1, ?4)",
		 4, id, site, category, received);
}

/* Tickets and complaints around October: before, in (after the as-of time too), after. */
static void logs(sqlite3 *db)
{
	ticket_room(db, "T1", "A", "1-101", "水电", OCT_FROM);
	ticket_room(db, "T2", "A", "1-102", "水电", "2026-10-03 09:00:00");
	ticket_room(db, "T3", "A", "1-103", "门窗", "2026-10-04 09:00:00");
	ticket_room(db, "T4", "A", "1-104", "", "2026-10-05 09:00:00");
	ticket_room(db, "T5", "B", "2-101", "水电", "2026-10-06 09:00:00");
	ticket_room(db, "T6", "B", "2-102", "门窗", "2026-10-28 09:00:00");
	/* R-REPEAT's look-back, the next month: neither counted */
	ticket_room(db, "T7", "A", "1-101", "水电", "2026-09-20 09:00:00");
	ticket_room(db, "T8", "A", "1-101", "门窗", OCT_TO);
	complaint_of(db, "C1", "A", "噪音", "2026-10-02 10:00:00");
	complaint_of(db, "C2", "A", NULL, "2026-10-03 10:00:00");
	complaint_of(db, "C3", "A", "", "2026-10-04 10:00:00");
	complaint_of(db, "C4", "B", "噪音", "2026-10-29 10:00:00");
	complaint_of(db, "C5", "B", "卫生", "2026-09-29 10:00:00");
}

/* The count of name (NULL: none) in the run's log, 0 if it has no such entry. */
static long long counted(const struct check_categories *c, int log, const char *name)
{
	int i;

	for (i = 0; i < c->n[log]; i++)
		if (name ? c->log[log][i].name && !strcmp(c->log[log][i].name, name) :
			   !c->log[log][i].name)
			return c->log[log][i].count;
	return 0;
}

/* Each group the statement gives, as many times in the run's counts, and nothing else. */
static void assert_as_statement(sqlite3 *db, const struct check_categories *c, int log,
				const char *site)
{
	sqlite3_stmt *st;
	long long total = 0, run_total = 0;
	int groups = 0, i;

	if (sqlite3_prepare_v2(db, log == CHECK_TICKETS ?
			       "SELECT category, count(*) FROM tickets WHERE reported_at >= ?1"
			       " AND reported_at < ?2 AND (?3 IS NULL OR site = ?3) GROUP BY 1" :
			       "SELECT category, count(*) FROM complaints WHERE received_at >= ?1"
			       " AND received_at < ?2 AND (?3 IS NULL OR site = ?3) GROUP BY 1",
			       -1, &st, NULL))
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, OCT_FROM, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, OCT_TO, -1, SQLITE_STATIC);
	if (site)
		sqlite3_bind_text(st, 3, site, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 1);

		assert_int_equal(counted(c, log, (const char *)sqlite3_column_text(st, 0)), n);
		total += n;
		groups++;
	}
	sqlite3_finalize(st);
	for (i = 0; i < c->n[log]; i++)
		run_total += c->log[log][i].count;
	assert_int_equal(c->n[log], groups);
	assert_int_equal(run_total, total);
}

static void run_counts_as_the_statements(void **state)
{
	static const char *const sites[] = { NULL, "A", "B", "Z" };
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	int i;

	(void)state;
	logs(db);
	for (i = 0; i < 4; i++) {
		struct check_categories cats = { .counted = 0 };
		struct check_params p = { .from = OCT_FROM, .to = OCT_TO,
					  .as_of = "2026-10-25 00:00:00", .site = sites[i],
					  .categories = &cats };
		sqlite3_int64 run = 0;

		if (check_run_files(db, &p, NULL, NULL, &run, &err))
			fail_msg("check_run: %s", err.msg);
		assert_int_equal(cats.counted, 1);
		assert_as_statement(db, &cats, CHECK_TICKETS, sites[i]);
		assert_as_statement(db, &cats, CHECK_COMPLAINTS, sites[i]);
		check_categories_free(&cats);
	}
	sqlite3_close(db);
}

/* The counts by hand, once: NULL and "" apart, the look-back and the next month left out. */
static void run_counts_by_hand(void **state)
{
	struct check_categories cats = { .counted = 0 };
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO, .as_of = "2026-10-25 00:00:00",
				  .categories = &cats };
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	sqlite3_int64 run = 0;

	(void)state;
	logs(db);
	if (check_run_files(db, &p, NULL, NULL, &run, &err))
		fail_msg("check_run: %s", err.msg);
	assert_int_equal(cats.n[CHECK_TICKETS], 3);
	assert_int_equal(counted(&cats, CHECK_TICKETS, "水电"), 3);
	assert_int_equal(counted(&cats, CHECK_TICKETS, "门窗"), 2);
	assert_int_equal(counted(&cats, CHECK_TICKETS, ""), 1);
	assert_int_equal(cats.n[CHECK_COMPLAINTS], 3);
	assert_int_equal(counted(&cats, CHECK_COMPLAINTS, "噪音"), 2);
	assert_int_equal(counted(&cats, CHECK_COMPLAINTS, NULL), 1);
	assert_int_equal(counted(&cats, CHECK_COMPLAINTS, ""), 1);
	assert_int_equal(counted(&cats, CHECK_COMPLAINTS, "卫生"), 0);
	check_categories_free(&cats);
	assert_int_equal(cats.n[CHECK_TICKETS], 0);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_counts_as_the_statements),
		cmocka_unit_test(run_counts_by_hand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
