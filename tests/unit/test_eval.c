/*
 * The C evaluator's parts at their edges (rules/eval_*.c): timestamp
 * arithmetic against SQLite's own datetime()/strftime() over month, year
 * and leap-day boundaries, one record judged at the exact deadline second,
 * the callback map's window and order, the choice of scan, and a whole run
 * giving the same records by range scans as by a full scan.
 */
#include "tests/unit/check_helpers.h"
#include "rules/engine/check.h"
#include "rules/records/records.h"
#include "rules/records/eval_scan.h"
#include "rules/findings/find.h"
#include "util/bigmem.h"

/* SQLite's answer to a one-value query with text parameters (NULL: NULL). */
static const char *sqlite_says(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	static char out[64];
	pm_error err;
	int rc = eval_sql_text(db, sql, a, b, out, sizeof(out), &err);

	assert_true(rc >= 0);
	return rc ? out : NULL;
}

static const char *const STAMPS[] = {
	"2026-01-01 00:00:00", "2025-12-31 23:59:59", "2026-02-28 23:59:59", "2024-02-28 12:00:00",
	"2024-02-29 23:59:59", "2024-03-01 00:00:00", "2000-02-28 23:00:00", "1900-02-28 23:00:00",
	"2100-02-28 10:00:00", "2026-10-31 23:59:59", "2026-04-30 23:59:59", "1970-01-01 00:00:00",
	"1969-12-31 23:59:59", "2026-10-12 10:00:00", "9998-12-31 23:59:59", "1000-01-01 00:00:00",
};

static const long long OFFSETS[] = {
	0, 1, -1, 59, 60, 3599, 86399, 86400, 2 * 86400, 3 * 86400, 10 * 86400, 31 * 86400,
	365 * 86400LL, 366 * 86400LL, 100000 * 60LL, 100000 * 86400LL,
};

static void time_arithmetic_is_sqlites(void **state)
{
	sqlite3 *db = fresh_db();
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(STAMPS) / sizeof(STAMPS[0]); i++) {
		char mine[TS_LEN + 1], mod[48], secs[32];
		long long s;

		assert_int_equal(ts_seconds(STAMPS[i], &s), 0);
		snprintf(secs, sizeof(secs), "%lld", s);
		assert_string_equal(sqlite_says(db, "SELECT strftime('%s', ?1)", STAMPS[i], NULL), secs);
		assert_int_equal(ts_same_day_end(STAMPS[i], mine), 0);
		assert_string_equal(sqlite_says(db, "SELECT date(?1) || ' 23:59:59'", STAMPS[i], NULL), mine);
		for (k = 0; k < sizeof(OFFSETS) / sizeof(OFFSETS[0]); k++) {
			const char *theirs;

			snprintf(mod, sizeof(mod), "%+lld seconds", OFFSETS[k]);
			theirs = sqlite_says(db, "SELECT datetime(?1, ?2)", STAMPS[i], mod);
			if (ts_add_seconds(STAMPS[i], OFFSETS[k], mine) == 0)
				assert_string_equal(theirs, mine);
			else    /* outside 1000-9998: the evaluator asks SQLite */
				assert_true(theirs == NULL || theirs[0] == '9' || theirs[0] == '0');
		}
	}
	sqlite3_close(db);
}

static void not_well_formed_goes_to_sqlite(void **state)
{
	static const char *const odd[] = {
		"2026-02-29 10:00:00", "2026-13-01 10:00:00", "2026-04-31 10:00:00",
		"2026-10-01T10:00:00", "2026-10-01 24:00:00", "2026-10-01 10:60:00",
		"2026-10-01 10:00", "2026-10-01", "2026-10-01 10:00:00.5", "", "0999-12-31 23:59:59",
		"2026/10/01 10:00:00", "2026-10-01 10:00:0x",
	};
	char out[TS_LEN + 1];
	long long s;
	int day;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		assert_int_equal(ts_seconds(odd[i], &s), -1);
		assert_int_equal(ts_add_seconds(odd[i], 60, out), -1);
		assert_int_equal(ts_same_day_end(odd[i], out), -1);
		assert_int_equal(ts_day(odd[i], &day), -1);
	}
	assert_int_equal(ts_seconds(NULL, &s), -1);
}

/* Every day of 2015-2030 in the ISO week SQL's formula gives it. */
static void iso_weeks_are_sqlites(void **state)
{
	sqlite3 *db = fresh_db();
	int first, last, day;

	(void)state;
	day_parse("2015-01-01", &first);
	day_parse("2030-12-31", &last);
	for (day = first; day <= last; day++) {
		char date[11], ts[TS_LEN + 1], mine[16];

		day_format(day, date);
		snprintf(ts, sizeof(ts), "%s 12:00:00", date);
		ts_iso_week(day, mine);
		assert_string_equal(sqlite_says(db, "SELECT strftime('%Y', date(?1, '-3 days', 'weekday 4'))"
			" || '-W' || printf('%02d', (CAST(strftime('%j', date(?1, '-3 days', 'weekday 4'))"
			" AS INTEGER) - 1) / 7 + 1)", ts, NULL), mine);
	}
	sqlite3_close(db);
}

static struct rule seconds_rule(long long limit)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "X");
	r.kind = RULE_DEADLINE;
	r.limit_unit = LIMIT_SECONDS;
	r.limit_value = limit;
	return r;
}

static void judge_at_the_edges(void **state)
{
	sqlite3 *db = fresh_db();
	struct calendar *cal = calendar_new();
	struct judge_ctx j = { db, "2026-11-01 00:00:00", cal, 0, 0 };
	struct rule r = seconds_rule(2 * 86400);
	struct verdict v;
	pm_error err;

	(void)state;
	assert_int_equal(calendar_finish(cal, &err), 0);
	day_parse("2026-10-01", &j.first_day);
	day_parse("2026-11-01", &j.last_day);
	/* the deadline second itself is met; the next one is one second late */
	assert_int_equal(judge_deadline(&j, &r, "2026-10-30 23:59:59", "2026-11-01 23:59:59", NULL, &v, &err), 0);
	assert_int_equal(v.status, V_MET);
	assert_string_equal(v.deadline, "2026-11-01 23:59:59");
	assert_false(v.has_late);
	judge_deadline(&j, &r, "2026-02-27 10:00:00", "2026-03-01 10:00:01", NULL, &v, &err);
	assert_int_equal(v.status, V_BREACHED);
	assert_string_equal(v.deadline, "2026-03-01 10:00:00");
	assert_true(v.has_late);
	assert_int_equal(v.late, 1);
	/* no end: pending while the deadline is at or after the as-of time */
	judge_deadline(&j, &r, "2026-10-30 00:00:00", NULL, NULL, &v, &err);
	assert_int_equal(v.status, V_PENDING);
	assert_false(v.has_late);
	judge_deadline(&j, &r, "2026-10-29 23:59:59", NULL, NULL, &v, &err);
	assert_int_equal(v.status, V_BREACHED);
	assert_int_equal(v.late, 1);
	/* the record's own deadline replaces the limit */
	r.deadline_field = "requested_by";
	judge_deadline(&j, &r, "2026-10-01 10:00:00", "2026-10-20 10:00:00", "2026-10-20 23:59:59", &v, &err);
	assert_int_equal(v.status, V_MET);
	assert_string_equal(v.deadline, "2026-10-20 23:59:59");
	judge_deadline(&j, &r, "2026-10-01 10:00:00", "2026-10-02 10:00:00", NULL, &v, &err);
	assert_string_equal(v.deadline, "2026-10-03 10:00:00");
	r.deadline_field = NULL;
	/* same day: 23:59:59 of the start's day, across the year's end */
	r.limit_unit = LIMIT_SAMEDAY;
	judge_deadline(&j, &r, "2025-12-31 23:59:59", "2026-01-01 00:00:00", NULL, &v, &err);
	assert_string_equal(v.deadline, "2025-12-31 23:59:59");
	assert_int_equal(v.status, V_BREACHED);
	assert_int_equal(v.late, 1);
	/* a start without seconds: SQLite's datetime() decides, as before */
	r = seconds_rule(60);
	judge_deadline(&j, &r, "2026-10-05 10:00", NULL, NULL, &v, &err);
	assert_string_equal(v.deadline, "2026-10-05 10:01:00");
	assert_int_equal(v.status, V_BREACHED);
	assert_int_equal(v.late, 26 * 86400 + 13 * 3600 + 59 * 60);   /* to the as-of time */
	/* nothing SQLite can read: no deadline, as the SQL had none */
	judge_deadline(&j, &r, "soon", "2026-10-05 10:00:00", NULL, &v, &err);
	assert_int_equal(v.status, V_NO_CALENDAR);
	assert_null(v.deadline);
	/* working days: 国庆 and a year the calendar lacks */
	r.limit_unit = LIMIT_WORKDAYS;
	r.limit_value = 1;
	judge_deadline(&j, &r, "2026-09-30 10:00:00", NULL, NULL, &v, &err);
	assert_int_equal(v.status, V_NO_CALENDAR);     /* 09-30 is outside [from, to] */
	assert_int_equal(v.missing_year, 0);
	j.first_day -= 1;
	judge_deadline(&j, &r, "2026-09-30 10:00:00", "2026-10-08 23:59:59", NULL, &v, &err);
	assert_string_equal(v.deadline, "2026-10-08 23:59:59");
	assert_int_equal(v.status, V_MET);
	day_parse("2026-12-31", &j.last_day);
	judge_deadline(&j, &r, "2026-12-31 10:00:00", NULL, NULL, &v, &err);
	assert_int_equal(v.status, V_NO_CALENDAR);
	assert_int_equal(v.missing_year, 2027);
	calendar_free(cal);
	sqlite3_close(db);
}

static void callback_map_window_and_order(void **state)
{
	sqlite3 *db = fresh_db();
	struct cb_map m;
	const struct cb_hit *hits;
	pm_error err;
	int n;

	(void)state;
	callback(db, "B1", "ticket", "T1", "2026-10-20 08:00:00", "客服", NULL);
	callback(db, "B2", "ticket", "T1", "2026-10-03 08:00:00", "主管", NULL);
	callback(db, "B3", "ticket", "T1", "2026-09-30 23:59:59", NULL, NULL);      /* before from */
	callback(db, "B4", "ticket", "T1", "2026-11-01 00:00:01", NULL, NULL);      /* after as-of */
	callback(db, "B5", "ticket", "T1", "2026-11-01 00:00:00", NULL, NULL);      /* at as-of */
	callback(db, "B6", "complaint", "T1", "2026-10-05 08:00:00", NULL, NULL);
	callback(db, "B7", "other", "T1", "2026-10-05 08:00:00", NULL, NULL);
	callback(db, "B8", "ticket", "T1", "2026-10-20 08:00:00 (回拨)", NULL, NULL);  /* a long text */
	assert_int_equal(cb_map_load(db, OCT_FROM, OCT_TO, 1, &m, &err), 0);
	hits = cb_map_find(&m, CB_TICKET, "T1", &n);
	assert_int_equal(n, 4);
	assert_string_equal(hits[0].at, "2026-10-03 08:00:00");
	assert_ptr_equal(hits[0].at, hits[0].text);     /* kept in the hit */
	assert_string_equal(m.roles.strs[hits[0].role], "主管");
	assert_string_equal(hits[1].at, "2026-10-20 08:00:00");
	assert_string_equal(hits[2].at, "2026-10-20 08:00:00 (回拨)");
	assert_ptr_not_equal(hits[2].at, hits[2].text); /* too long for it */
	assert_string_equal(hits[3].at, "2026-11-01 00:00:00");
	assert_int_equal(hits[3].role, -1);
	assert_int_equal(cb_first_from(hits, n, "2026-10-03 08:00:00"), 0);
	assert_int_equal(cb_first_from(hits, n, "2026-10-03 08:00:01"), 1);
	assert_int_equal(cb_first_from(hits, n, "2026-10-20 08:00:01"), 3);
	assert_int_equal(cb_first_from(hits, n, "2026-11-01 00:00:01"), 4);
	hits = cb_map_find(&m, CB_COMPLAINT, "T1", &n);
	assert_int_equal(n, 1);
	assert_null(cb_map_find(&m, CB_TICKET, "T2", &n));
	assert_int_equal(n, 0);
	cb_map_free(&m);
	sqlite3_close(db);
}

/* Every record of ids has the same callbacks' times in a as in b, in the same order. */
static void same_hits(const struct cb_map *a, const struct cb_map *b, enum cb_kind kind,
		      const char *const *ids, int nids)
{
	int i, j;

	for (i = 0; i < nids; i++) {
		int na, nb;
		const struct cb_hit *ha = cb_map_find(a, kind, ids[i], &na);
		const struct cb_hit *hb = cb_map_find(b, kind, ids[i], &nb);

		assert_int_equal(na, nb);
		for (j = 0; j < na; j++) {
			assert_string_equal(ha[j].at, hb[j].at);
			assert_int_equal(ha[j].role, -1);
		}
	}
	assert_int_equal(a->ids[kind].count, b->ids[kind].count);
}

/*
 * A window over most of the table, without roles: the map is read from
 * callbacks_ref's order, each record's hits placed as they come
 * (cb_grouped.c). It must be the map the general read makes (with roles,
 * the items sorted), whose roles are set aside here: for records of any
 * number of callbacks, long ids and times, rows outside the window and of
 * another kind -- and when the rows do not come grouped (a kind with a NUL
 * in it sorts apart from its record's other rows), it reads them the
 * general way.
 */
static void callback_map_grouped_as_general(void **state)
{
	static const char *const ids[] = {
		"T1", "T2", "T3", "T12345678901234567890", "T4", "T5", "C1",
	};
	sqlite3 *db = fresh_db();
	struct cb_map g, r;
	const struct cb_hit *hits;
	pm_error err;
	int n, round;

	(void)state;
	callback(db, "B1", "ticket", "T1", "2026-10-20 08:00:00", "客服", NULL);
	callback(db, "B2", "ticket", "T1", "2026-10-03 08:00:00", NULL, NULL);
	callback(db, "B3", "ticket", "T1", "2026-10-20 08:00:00", NULL, NULL);  /* the same time */
	callback(db, "B4", "ticket", "T2", "2026-09-30 23:59:59", NULL, NULL);  /* before from */
	callback(db, "B5", "ticket", "T2", "2026-11-01 00:00:00", NULL, NULL);  /* at as-of */
	callback(db, "B6", "ticket", "T3", "2026-11-01 00:00:01", NULL, NULL);  /* after it */
	callback(db, "B7", "ticket", "T12345678901234567890", "2026-10-05 08:00:00", NULL, NULL);
	callback(db, "B8", "ticket", "T4", "2026-10-20 08:00:00 (回拨)", NULL, NULL);
	callback(db, "B9", "ticket", "T4", "2026-10-06 08:00:00", NULL, NULL);
	callback(db, "B10", "complaint", "C1", "2026-10-07 08:00:00", NULL, NULL);
	callback(db, "B11", "complaint", "T1", "2026-10-08 08:00:00", NULL, NULL);
	callback(db, "B12", "other", "T5", "2026-10-05 08:00:00", NULL, NULL);
	for (round = 0; round < 2; round++) {
		assert_int_equal(cb_map_load(db, OCT_FROM, OCT_TO, 0, &g, &err), 0);
		assert_int_equal(cb_map_load(db, OCT_FROM, OCT_TO, 1, &r, &err), 0);
		same_hits(&g, &r, CB_TICKET, ids, 7);
		same_hits(&g, &r, CB_COMPLAINT, ids, 7);
		assert_true(g.count == r.count);
		hits = cb_map_find(&g, CB_TICKET, "T4", &n);
		assert_int_equal(n, 2);
		assert_string_equal(hits[0].at, "2026-10-06 08:00:00");
		assert_ptr_equal(hits[0].at, hits[0].text);
		assert_ptr_not_equal(hits[1].at, hits[1].text);
		hits = cb_map_find(&g, CB_TICKET, "T12345678901234567890", &n);
		assert_int_equal(n, 1);
		cb_map_find(&g, CB_TICKET, "T1", &n);
		assert_int_equal(n, round ? 4 : 3);
		/* read grouped (in a region of its own) the first time, not the second */
		assert_true(round ? !g.hits_mapped[CB_TICKET] : g.hits_mapped[CB_TICKET] > 0);
		cb_map_free(&g);
		cb_map_free(&r);
		/* T1's rows apart: after every other ticket's, and earlier than its own */
		if (!round)
			sql_exec(db, "INSERT INTO callbacks(callback_id, site, ref_kind, ref_id,"
				 " callback_at) VALUES('B13', 'A', 'ticket' || char(0) || 'x', 'T1',"
				 " '2026-10-02 08:00:00')", 0);
	}
	sqlite3_close(db);
}

/*
 * The map's table of records (cb_keys.c): ids kept in the slot up to 16
 * bytes and copied beyond, numbered in order of first sight through the
 * table's growth, each counting its callbacks; an id is found only whole.
 */
static void callback_keys_long_short_and_grown(void **state)
{
	static const char *const fixed[] = {
		"", "T1", "T123456789012345", "T1234567890123456", "T12345678901234567890-长的编号",
	};
	struct cb_keys t = { 0 };
	struct strtab texts;
	const struct cb_key *k;
	const char *kept;
	char id[32];
	size_t i;

	(void)state;
	strtab_init(&texts);
	for (i = 0; i < 5; i++)
		assert_int_equal(cb_keys_add(&t, fixed[i], strlen(fixed[i])), (int)i);
	for (i = 0; i < 5000; i++) {    /* past the first table's 1,024 slots */
		snprintf(id, sizeof(id), "K%zu-%s", i, i % 2 ? "长的编号长的编号" : "x");
		/* the table keeps a long id's pointer: the id kept as the map keeps it */
		kept = strtab_store(&texts, id);
		assert_non_null(kept);
		assert_int_equal(cb_keys_add(&t, kept, strlen(kept)), (int)i + 5);
	}
	assert_int_equal(cb_keys_add(&t, fixed[3], strlen(fixed[3])), 3);
	assert_int_equal(cb_keys_add(&t, fixed[3], strlen(fixed[3])), 3);
	for (i = 0; i < 5; i++) {
		k = cb_keys_find(&t, fixed[i], strlen(fixed[i]));
		assert_non_null(k);
		assert_int_equal(k->first, i);
		assert_int_equal(k->n, i == 3 ? 3 : 1);
	}
	snprintf(id, sizeof(id), "K4999-长的编号长的编号");
	assert_non_null(k = cb_keys_find(&t, id, strlen(id)));
	assert_int_equal(k->first, 5004);
	assert_null(cb_keys_find(&t, "T12", 3));
	assert_null(cb_keys_find(&t, "T123456789012345678", 19));
	assert_null(cb_keys_find(&t, "K4999-x", 7));
	cb_keys_free(&t);
	/* reserved: adding as many never grows (moves) the table */
	assert_int_equal(cb_keys_reserve(&t, 5000), 0);
	k = t.slots;
	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "R%zu", i);
		assert_int_equal(cb_keys_add(&t, id, strlen(id)), (int)i);
	}
	assert_ptr_equal(t.slots, k);
	assert_true(t.nslots > 2 * 5000);
	cb_keys_free(&t);
	/* a table of over 1 MB is a mapped region (bigmem_table()), zero-filled as well */
	assert_int_equal(cb_keys_reserve(&t, 40000), 0);
	assert_true(t.nslots * sizeof(struct cb_key) >= BIGMEM_TABLE_BIG);
	assert_int_equal(cb_keys_add(&t, "T1", 2), 0);
	assert_null(cb_keys_find(&t, "T2", 2));
	assert_int_equal(cb_keys_find(&t, "T1", 2)->n, 1);
	cb_keys_free(&t);
	strtab_free(&texts);
}

static void scan_choice(void **state)
{
	sqlite3 *db = fresh_db();
	const char *completed[] = { "completed_at" }, *arrived[] = { "arrived_at" };
	pm_error err;
	char id[16], at[32];
	int full, i;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "T%d", i);
		snprintf(at, sizeof(at), "2026-%02d-10 10:00:00", i % 12 + 1);
		repair(db, id, "电梯", at, at);
	}
	/* a month holds 4 of 40 rows: the index; the year all: the table */
	assert_int_equal(eval_prefer_full_scan(db, "tickets", completed, 1, OCT_FROM, OCT_TO, 0, OCT_TO,
					       &full, &err), 0);
	assert_int_equal(full, 0);
	assert_int_equal(eval_prefer_full_scan(db, "tickets", completed, 1, "2026-01-01 00:00:00",
					       "2027-01-01 00:00:00", 0, "2027-01-01 00:00:00", &full, &err), 0);
	assert_int_equal(full, 1);
	/* no index on arrived_at: the table */
	assert_int_equal(eval_prefer_full_scan(db, "tickets", arrived, 1, OCT_FROM, OCT_TO, 0, OCT_TO,
					       &full, &err), 0);
	assert_int_equal(full, 1);
	assert_true(eval_in_window("2026-10-01 00:00:00", OCT_FROM, OCT_TO, OCT_TO));
	assert_false(eval_in_window("2026-11-01 00:00:00", OCT_FROM, OCT_TO, "2026-12-01 00:00:00"));
	assert_false(eval_in_window("2026-10-20 00:00:01", OCT_FROM, OCT_TO, "2026-10-20 00:00:00"));
	assert_false(eval_in_window(NULL, OCT_FROM, OCT_TO, OCT_TO));
	sqlite3_close(db);
}

/*
 * A window over most of the days is counted by the entries outside it (NULL,
 * before, after); the choice is the one the count inside would give.
 */
static void scan_choice_long_window(void **state)
{
	const char *completed[] = { "completed_at" };
	const char *from = "2026-02-01 00:00:00", *to = "2027-01-01 00:00:00";
	pm_error err;
	int full, late, i;

	(void)state;
	for (late = 0; late < 2; late++) {
		sqlite3 *db = fresh_db();
		char id[16], at[TS_LEN + 1];

		/* 30 rows in January, 4 open (NULL), 6 spread over February to December */
		for (i = 0; i < 40; i++) {
			snprintf(id, sizeof(id), "T%d", i);
			snprintf(at, sizeof(at), "2026-%02d-10 10:00:00", i < 34 ? 1 : i - 32);
			repair(db, id, "电梯", at, i >= 30 && i < 34 ? NULL : at);
		}
		/* then 30 more in February to December: 36 of 70 rows in the window */
		for (i = 0; late && i < 30; i++) {
			snprintf(id, sizeof(id), "L%d", i);
			snprintf(at, sizeof(at), "2026-%02d-20 10:00:00", i % 11 + 2);
			repair(db, id, "电梯", at, at);
		}
		/* 11 of 12 months' days, 6 (or 36) of 40 (or 70) rows: the index (or the table) */
		assert_int_equal(eval_prefer_full_scan(db, "tickets", completed, 1, from, to, 0, to,
						       &full, &err), 0);
		assert_int_equal(full, late);
		/* as of mid-June: 5 (or 17) rows: the index */
		assert_int_equal(eval_prefer_full_scan(db, "tickets", completed, 1, from, to, 0,
						       "2026-06-15 00:00:00", &full, &err), 0);
		assert_int_equal(full, 0);
		/* up to December 20th 10:00 inclusive, as the callback map asks: 6 (or 36) rows */
		assert_int_equal(eval_prefer_full_scan(db, "tickets", completed, 1, from,
						       "2026-12-20 10:00:00", 1, "2026-12-20 10:00:00",
						       &full, &err), 0);
		assert_int_equal(full, late);
		sqlite3_close(db);
	}
}

/*
 * Under half the table either way, but in no time order a month's two
 * ranges would look up rows on every block of it: one scan instead. The
 * findings' reads choose the same way from the same sample.
 */
static void scan_choice_by_order(void **state)
{
	const char *both[] = { "reported_at", "completed_at" };
	pm_error err;
	int shuffled, full;

	(void)state;
	for (shuffled = 0; shuffled < 2; shuffled++) {
		sqlite3 *db = fresh_db();
		struct run_scope scope;
		struct run_reader rd = { db, &scope };
		char id[16], at[32];
		int i, whole;

		sql_exec(db, "BEGIN", 0);
		for (i = 0; i < 2400; i++) {
			snprintf(id, sizeof(id), "T%d", i);
			snprintf(at, sizeof(at), "2026-%02d-%02d 10:00:00",
				 shuffled ? i % 12 + 1 : i / 200 + 1, i % 28 + 1);
			repair(db, id, "电梯", at, at);
		}
		sql_exec(db, "COMMIT", 0);
		/* 200 of 2,400 rows in October: in time order on 13 of 151 blocks, else on all */
		assert_int_equal(eval_prefer_full_scan(db, "tickets", both, 2, OCT_FROM, OCT_TO, 0,
						       OCT_TO, &full, &err), 0);
		assert_int_equal(full, shuffled);
		memset(&scope, 0, sizeof(scope));
		scope.from = OCT_FROM;
		scope.to = scope.as_of = OCT_TO;
		assert_int_equal(find_scan_whole(&rd, "tickets", "reported_at", OCT_FROM, OCT_TO,
						 &whole, &err), 0);
		assert_int_equal(whole, shuffled);
		/*
		 * One field, September to December: 800 rows, in no time order on
		 * every one of the 151 blocks (the range's look-ups alone reach
		 * the table's size: the scan), in time order on 51.
		 */
		assert_int_equal(eval_prefer_full_scan(db, "tickets", both + 1, 1,
						       "2026-09-01 00:00:00", "2027-01-01 00:00:00", 0,
						       "2027-01-01 00:00:00", &full, &err), 0);
		assert_int_equal(full, shuffled);
		/* the same choice for a reader outside the engine (the inspection's sample) */
		full = -1;
		assert_int_equal(check_prefer_full_scan(db, "tickets", "reported_at",
							"2026-09-01 00:00:00", "2027-01-01 00:00:00",
							&full, &err), 0);
		assert_int_equal(full, shuffled);
		sqlite3_close(db);
	}
}

/* The edge records of every default rule, in an October database. */
static void edge_records(sqlite3 *db)
{
	ticket(db, "E1", "安全设施", "0", "0", NULL, "2026-10-09 08:00:00", NULL, "2026-10-10 10:00:00", NULL);
	callback(db, "EB1", "ticket", "E1", "2026-10-12 10:00:00", NULL, NULL);
	ticket(db, "E2", "渗漏水", "0", "0", NULL, "2026-10-08 08:00:00", NULL, "2026-10-09 18:00:00",
	       "2026-10-10 08:00:00");
	callback(db, "EB2", "ticket", "E2", "2026-10-13 08:00:01", NULL, NULL);
	ticket(db, "E3", "水电", "1", "1", "30000", "2026-10-31 23:50:00", "2026-11-01 00:05:00",
	       "2026-10-31 23:59:59", NULL);
	callback(db, "EB3", "ticket", "E3", "2026-11-01 00:00:00", "客服主管", NULL);
	ticket(db, "E4", "水电", "0", "1", "10000", "2026-10-01 00:00:00", NULL, NULL, NULL);
	callback(db, "EB4", "ticket", "E4", "2026-10-05 00:00:00", NULL, NULL);
	complaint(db, "E5", "minor", "1", "2026-10-30 10:00:00", "2026-10-30 10:30:00", NULL, NULL,
		  NULL, "2026-10-31 23:59:59");
	complaint(db, "E6", "major", "1", "2026-10-31 10:00:00", "2026-10-31 10:31:00", "2026-11-01 00:00:00",
		  NULL, "2026-10-31 20:00:00", NULL);
	callback(db, "EB6", "complaint", "E6", "2026-10-31 20:00:00", NULL, NULL);
	/* T-CB-LEAK starts at leak_test_at, else completed_at: E7 by the fallback, E8 in September */
	ticket(db, "E7", "渗漏水", "0", "0", NULL, "2026-10-01 08:00:00", NULL, "2026-10-02 10:00:00", NULL);
	ticket(db, "E8", "渗漏水", "0", "0", NULL, "2026-09-29 08:00:00", NULL, "2026-10-02 10:00:00",
	       "2026-09-30 23:59:59");
}

/*
 * Range scans (a month of a big table) and the full scan (all of it, of
 * which SQLite hands over only the rows some rule can take) agree.
 */
static void range_and_full_scans_agree(void **state)
{
	sqlite3 *small = fresh_db(), *big = fresh_db();
	const char *sql = "SELECT group_concat(x, ';') FROM (SELECT rule_id || ',' || record_id || ','"
		" || status || ',' || coalesce(deadline_at, '') || ',' || coalesce(end_at, '') || ','"
		" || coalesce(late_seconds, '') || ',' || coalesce(detail, '') AS x FROM check_records"
		" WHERE run_id = ?1 AND record_id LIKE 'E%' ORDER BY 1)";
	char a[4096], b[4096], id[16], at[32];
	sqlite3_int64 run_small, run_big;
	int i;

	(void)state;
	edge_records(small);
	edge_records(big);
	for (i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "F%d", i);
		snprintf(at, sizeof(at), "2025-%02d-10 10:00:00", i % 12 + 1);
		repair(big, id, "电梯", at, at);
		snprintf(id, sizeof(id), "G%d", i);
		complaint(big, id, "minor", "1", at, NULL, NULL, NULL, at, NULL);
	}
	run_small = run_check(small, NULL);
	run_big = run_check(big, NULL);
	snprintf(a, sizeof(a), "%s", query_text(small, sql, run_small, NULL, NULL));
	snprintf(b, sizeof(b), "%s", query_text(big, sql, run_big, NULL, NULL));
	assert_string_equal(a, b);
	/* E3: T-PAID-SUPERVISOR met by a callback at the as-of instant by a 主管 */
	assert_string_equal(status_of(small, run_small, "T-PAID-SUPERVISOR", "E3"), "met");
	assert_string_equal(status_of(small, run_small, "T-ARRIVE", "E3"), "pending");  /* arrived after as-of */
	assert_string_equal(status_of(small, run_small, "Q-MISSING-START", "E4"), "finding");
	assert_string_equal(status_of(small, run_small, "C-MINOR-RESOLVE", "E5"), "breached");
	assert_int_equal(late_of(small, run_small, "C-MINOR-RESOLVE", "E5"), 1);     /* requested_by */
	assert_string_equal(status_of(small, run_small, "C-MAJOR-ESCALATE", "E6"), "breached");
	assert_int_equal(late_of(small, run_small, "C-MAJOR-ESCALATE", "E6"), 1);
	assert_string_equal(status_of(small, run_small, "T-CB-LEAK", "E7"), "breached");
	assert_null(status_of(small, run_small, "T-CB-LEAK", "E8"));
	assert_string_equal(status_of(small, run_small, "T-CB-COVERAGE", "E8"), "breached");
	sqlite3_close(small);
	sqlite3_close(big);
}

/* deadline_field names the column that replaces the limit (docs/rules.md), whichever it is. */
static void deadline_field_is_the_named_one(void **state)
{
	sqlite3 *db = fresh_db();
	const char *rules = temp_file("[D1]\nkind = deadline\nsubject = complaints\nstart = received_at\n"
				      "end = resolved_at\nlimit = 1h\ndeadline_field = replied_at\n", 0);
	sqlite3_int64 run;

	(void)state;
	/* replied_at given: it is the deadline (requested_by is not looked at) */
	complaint(db, "K1", "minor", "1", "2026-10-05 10:00:00", NULL, NULL, "2026-10-06 10:00:00",
		  "2026-10-06 10:00:01", "2026-10-30 23:59:59");
	/* no replied_at: received + 1 h */
	complaint(db, "K2", "minor", "1", "2026-10-05 10:00:00", NULL, NULL, NULL, "2026-10-05 11:00:01",
		  "2026-10-30 23:59:59");
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, NULL, rules, NULL);
	assert_string_equal(column_of(db, run, "D1", "K1", "deadline_at"), "2026-10-06 10:00:00");
	assert_int_equal(late_of(db, run, "D1", "K1"), 1);
	assert_string_equal(column_of(db, run, "D1", "K2", "deadline_at"), "2026-10-05 11:00:00");
	assert_int_equal(late_of(db, run, "D1", "K2"), 1);
	unlink(rules);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(time_arithmetic_is_sqlites),
		cmocka_unit_test(not_well_formed_goes_to_sqlite),
		cmocka_unit_test(iso_weeks_are_sqlites),
		cmocka_unit_test(judge_at_the_edges),
		cmocka_unit_test(callback_map_window_and_order),
		cmocka_unit_test(callback_map_grouped_as_general),
		cmocka_unit_test(callback_keys_long_short_and_grown),
		cmocka_unit_test(scan_choice),
		cmocka_unit_test(scan_choice_by_order),
		cmocka_unit_test(scan_choice_long_window),
		cmocka_unit_test(range_and_full_scans_agree),
		cmocka_unit_test(deadline_field_is_the_named_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
