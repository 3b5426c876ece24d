/*
 * fee_ledger, the packed copy of the fee ledger by account
 * (db/fee_ledger.h): it gives back exactly the events fees holds, odd
 * values included; the triggers mark it stale when fees changes; a stale
 * ledger gives the same figures as a fresh one (rebuilt by check_run(),
 * read around by check_fees_by_site()); and F-LETTER's date arithmetic in C
 * is the SQL it replaced.
 */
#include "tests/unit/check_helpers.h"
#include "db/fee_ledger.h"
#include "rules/fees/fee_pass.h"
#include "util/civil.h"

/* Any site/room/period/kind/amount/at/due_date/method, as text (NULL binds NULL). */
static void raw_fee(sqlite3 *db, const char *id, const char *room, const char *period,
		    const char *kind, const char *amount, const char *at, const char *due,
		    const char *method)
{
	sql_exec(db, "INSERT INTO fees(entry_id, site, room, fee_item, period, kind, amount, at,"
		 " due_date, method) VALUES(?1, 'A', ?2, '物业管理费', ?3, ?4, ?5, ?6, ?7, ?8)",
		 8, id, room, period, kind, amount, at, due, method);
}

/* Every event of a walk, printed one per line, for comparing two walks. */
struct dump {
	char *text;
	size_t len, cap;
};

static void put(struct dump *d, const char *s)
{
	size_t n = strlen(s);

	if (d->len + n + 1 > d->cap) {
		d->cap = (d->len + n + 1) * 2;
		d->text = realloc(d->text, d->cap);
		assert_non_null(d->text);
	}
	memcpy(d->text + d->len, s, n + 1);
	d->len += n;
}

static int dump_account(void *ctx, const struct fee_account *a, pm_error *err)
{
	struct dump *d = ctx;
	char line[512];
	int i;

	(void)err;
	snprintf(line, sizeof(line), "[%s|%s|%s]\n", sqlite3_value_text(a->site),
		 sqlite3_value_text(a->room), sqlite3_value_text(a->fee_item));
	put(d, line);
	for (i = 0; i < a->nevents; i++) {
		const struct fee_event *e = &a->events[i];

		snprintf(line, sizeof(line), "%d:%s k%d at%lld:%s a%d:%lld d%d:%lld:%s m:%s\n",
			 e->period, e->period_text ? e->period_text : "-", e->kind,
			 (long long)(e->at_text ? 0 : e->at), e->at_text ? e->at_text : "-",
			 e->has_amount, (long long)e->amount, e->has_due,
			 (long long)(e->has_due && !e->due_text ? e->due : 0),
			 e->due_text ? e->due_text : "-", e->method ? e->method : "(null)");
		put(d, line);
	}
	return 0;
}

static char *walk_text(sqlite3 *db, int from_fees, const char *site)
{
	struct dump d = { NULL, 0, 0 };
	pm_error err = { "" };

	put(&d, "");
	if (from_fees ? fee_ledger_walk_fees(db, site, dump_account, &d, &err) :
	    fee_ledger_walk(db, site, dump_account, &d, &err))
		fail_msg("walk: %s", err.msg);
	return d.text;
}

static void rebuild(sqlite3 *db)
{
	pm_error err = { "" };

	sql_exec(db, "BEGIN", 0);
	if (fee_ledger_rebuild(db, &err))
		fail_msg("rebuild: %s", err.msg);
	sql_exec(db, "COMMIT", 0);
}

static int stale(sqlite3 *db)
{
	pm_error err = { "" };
	int s = -1;

	if (fee_ledger_is_stale(db, &s, &err))
		fail_msg("stale: %s", err.msg);
	return s;
}

/* Values the import would never store, from the sqlite3 CLI: read back as they are. */
static void odd_values_read_back(void **state)
{
	sqlite3 *db = fresh_db();
	char *from_fees, *from_ledger;

	(void)state;
	raw_fee(db, "1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	raw_fee(db, "2", "101", "2026-10", "payment", "-250", "2026-10-05", NULL, "微信");
	raw_fee(db, "3", "101", "2026-10", "reminder", NULL, "2026-02-30 10:00:00", NULL, NULL);
	raw_fee(db, "4", "101", "2026-10", "reminder", NULL, "0000-01-01 00:00:00", NULL, "电话");
	raw_fee(db, "5", "101", "2026-13", "charge", "9223372036854775807", "2026-10-01 00:00:00",
		NULL, NULL);
	raw_fee(db, "6", "101", "someday", "charge", "1", "2026-10-01 00:00:00", NULL, NULL);
	raw_fee(db, "7", "101", "someday", "Charge", "1", "", "2026-10-31", NULL);
	raw_fee(db, "8", "101", "2026-09", "charge", NULL, "2026-09-01 00:00:00", "not a date", NULL);
	raw_fee(db, "9", "101", "2026-09", "charge", "12.5", "1969-12-31 23:59:59", "1969-12-31", NULL);
	raw_fee(db, "10", "102", "2026-09", "waiver", "abc", "2026-09-01 00:00:00", NULL, NULL);
	raw_fee(db, "11", "", "", "", "0", "9999-12-31 23:59:59", NULL, "");
	from_fees = walk_text(db, 1, NULL);
	rebuild(db);
	assert_int_equal(stale(db), 0);
	from_ledger = walk_text(db, 0, NULL);
	assert_string_equal(from_ledger, from_fees);
	/* the odd ones kept as text, the canonical ones as numbers */
	assert_non_null(strstr(from_fees, "at0:2026-10-05 "));
	assert_non_null(strstr(from_fees, "at0:2026-02-30 10:00:00 "));
	assert_non_null(strstr(from_fees, "0:2026-13 k0"));
	assert_non_null(strstr(from_fees, "a1:9223372036854775807"));
	assert_non_null(strstr(from_fees, "d1:0:not a date"));
	/* 1969-12-31 is day -1; 12.5 in an INTEGER column is the real 12.5, read as 12 */
	assert_non_null(strstr(from_fees, "at-1:- a1:12 d1:-1:-"));
	/* a charge's missing due date is its period's last day; none for a period that is no month */
	assert_non_null(strstr(from_fees, "k0 at1790812800:- a1:10000 d1:20757:-"));
	assert_non_null(strstr(from_fees, "0:someday k0 at1790812800:- a1:1 d0:"));
	/* the method is kept for reminders only */
	assert_null(strstr(from_fees, "微信"));
	assert_non_null(strstr(from_fees, "m:电话"));
	free(from_fees);
	free(from_ledger);
	/*
	 * A run over them: INT64_MAX cents plus the account's other charges
	 * cannot be added up. It used to wrap around into figures (issue 13:
	 * "due -0.02"); now it is an error naming the rows, without undefined
	 * behaviour.
	 */
	{
		struct check_params p = { .from = OCT_FROM, .to = OCT_TO };
		pm_error err = { "" };
		sqlite3_int64 run = 0;

		assert_int_equal(check_run_files(db, &p, NULL, NULL, &run, &err), -1);
		assert_non_null(strstr(err.msg, "too large to add up"));
		assert_non_null(strstr(err.msg, "room 101"));
		assert_non_null(strstr(err.msg, "5, "));
	}
	/* one site's accounts */
	from_fees = walk_text(db, 1, "A");
	from_ledger = walk_text(db, 0, "A");
	assert_string_equal(from_ledger, from_fees);
	free(from_fees);
	free(from_ledger);
	from_ledger = walk_text(db, 0, "B");
	assert_string_equal(from_ledger, "");
	free(from_ledger);
	sqlite3_close(db);
}

/* A damaged blob is an error naming the table, not a crash or a wrong figure. */
static void damaged_blob(void **state)
{
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	struct dump d = { NULL, 0, 0 };

	(void)state;
	raw_fee(db, "1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	rebuild(db);
	sql_exec(db, "UPDATE fee_ledger SET events = substr(events, 1, 3)", 0);
	assert_int_equal(fee_ledger_walk(db, NULL, dump_account, &d, &err), -1);
	assert_non_null(strstr(err.msg, "fee_ledger"));
	free(d.text);
	sqlite3_close(db);
}

/* The triggers: any change to what the ledger holds marks it stale; other updates do not. */
static void triggers_mark_stale(void **state)
{
	sqlite3 *db = fresh_db();

	(void)state;
	assert_int_equal(stale(db), 0);        /* a new database: empty and current */
	raw_fee(db, "1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	assert_int_equal(stale(db), 1);
	rebuild(db);
	assert_int_equal(stale(db), 0);
	sql_exec(db, "UPDATE fees SET import_run = 7, src_line = 2, custody = 1", 0);
	assert_int_equal(stale(db), 0);
	sql_exec(db, "UPDATE fees SET amount = 9000", 0);
	assert_int_equal(stale(db), 1);
	rebuild(db);
	sql_exec(db, "UPDATE fees SET method = 'x'", 0);
	assert_int_equal(stale(db), 1);
	rebuild(db);
	sql_exec(db, "DELETE FROM fees", 0);
	assert_int_equal(stale(db), 1);
	rebuild(db);
	assert_string_equal(query_text(db, "SELECT count(*) FROM fee_ledger", 0, NULL, NULL), "0");
	/* no state row: stale, since nothing vouches for the ledger */
	sql_exec(db, "DELETE FROM fee_ledger_state", 0);
	assert_int_equal(stale(db), 1);
	sqlite3_close(db);
}

static void site_fees(sqlite3 *db, struct check_site_fees **s, int *n)
{
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO, .as_of = "2026-10-25 00:00:00" };
	pm_error err = { "" };

	if (check_fees_by_site(db, &p, s, n, &err))
		fail_msg("check_fees_by_site: %s", err.msg);
}

/*
 * A change made with the sqlite3 CLI: check_fees_by_site() on the stale
 * ledger (which reads fees) and check_run() (which rebuilds it first) see
 * it, and both give what a fresh ledger gives.
 */
static void stale_after_cli_update(void **state)
{
	sqlite3 *db = fresh_db();
	struct check_site_fees *s1, *s2;
	int n1, n2;
	sqlite3_int64 run;

	(void)state;
	raw_fee(db, "1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	raw_fee(db, "2", "101", "2026-10", "payment", "4000", "2026-10-05 10:00:00", NULL, "微信");
	raw_fee(db, "3", "101", "2026-09", "charge", "8000", "2026-09-01 00:00:00", NULL, NULL);
	raw_fee(db, "4", "101", "2026-09", "payment", "3000", "2026-10-02 10:00:00", NULL, "微信");
	run = run_check(db, "2026-10-25 00:00:00");
	assert_int_equal(stale(db), 0);
	assert_int_equal(figure_int(db, run, "fees.paid_cents"), 4000);
	/* as the sqlite3 CLI would: the ledger is stale now */
	sql_exec(db, "UPDATE fees SET amount = 6000 WHERE entry_id = '2'", 0);
	assert_int_equal(stale(db), 1);
	site_fees(db, &s1, &n1);                /* reads fees: the ledger stays stale */
	assert_int_equal(stale(db), 1);
	assert_int_equal(n1, 1);
	assert_int_equal(s1[0].paid_cents, 6000);
	run = run_check(db, "2026-10-25 00:00:00");   /* rebuilds it */
	assert_int_equal(stale(db), 0);
	assert_int_equal(figure_int(db, run, "fees.paid_cents"), 6000);
	assert_int_equal(figure_int(db, run, "fees.recovered_cents"), 3000);
	site_fees(db, &s2, &n2);                /* the fresh ledger */
	assert_same_sites(s1, n1, s2, n2);
	check_site_fees_free(s1, n1);
	check_site_fees_free(s2, n2);
	sqlite3_close(db);
}

/* The same figures from a stale ledger (fees) and a fresh one, over odd values too. */
static void stale_and_fresh_agree(void **state)
{
	sqlite3 *db = fresh_db();
	struct check_site_fees *s1, *s2;
	int n1, n2;

	(void)state;
	raw_fee(db, "1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	raw_fee(db, "2", "101", "2026-10", "payment", "2500", "2026-10-05", NULL, "微信");
	raw_fee(db, "3", "102", "2026-09", "charge", NULL, "2026-09-01 00:00:00", NULL, NULL);
	raw_fee(db, "4", "102", "2026-09", "charge", "7000", "2026-09-01 00:00:00", NULL, NULL);
	raw_fee(db, "5", "102", "2026-09", "waiver", "1000", "2026-09-03 00:00:00", NULL, NULL);
	raw_fee(db, "6", "102", "2026-09", "payment", "1000", "2026-10-25 00:00:00", NULL, NULL);
	raw_fee(db, "7", "103", "2026-1O", "charge", "500", "2026-10-01 00:00:00", NULL, NULL);
	sql_exec(db, "UPDATE fees SET site = 'B' WHERE entry_id IN ('3', '4', '5', '6')", 0);
	assert_int_equal(stale(db), 1);
	site_fees(db, &s1, &n1);
	rebuild(db);
	site_fees(db, &s2, &n2);
	assert_same_sites(s1, n1, s2, n2);
	assert_int_equal(n1, 2);
	/* B: September arrears 60.00 before October; 10.00 recovered exactly at the as-of time */
	assert_string_equal(s2[1].site, "B");
	assert_int_equal(s2[1].arrears_start_cents, 6000);
	assert_int_equal(s2[1].recovered_cents, 1000);
	check_site_fees_free(s1, n1);
	check_site_fees_free(s2, n2);
	sqlite3_close(db);
}

/*
 * F-LETTER's deadline, status and late seconds in C against the SQL they
 * replaced, for every day of four years (leap days and month ends), three
 * month counts, two graces and as-of times around L and L + grace.
 */
static void letter_c_is_the_sql(void **state)
{
	static const int months[] = { 1, 3, 12 };
	static const long long graces[] = { 0, 604800 };
	static const long long offsets[] = { -1, 0, 1, 604799, 604800, 604801, 9000000 };
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	char r1[20], asof[20], letter[20];
	int64_t day, base, t;
	size_t m, g, o;
	int checked = 0;

	(void)state;
	civil_parse_timestamp("2024-01-01 10:00:00", &base);
	for (day = 0; day < 4 * 366; day += 1) {
		t = base + day * 86400 + (day % 3 == 0 ? 50399 : 0);   /* some at 23:59:59 */
		civil_format_timestamp(t, r1);
		for (m = 0; m < 3; m++)
			for (g = 0; g < 2; g++)
				for (o = 0; o < 7; o += (day % 7 == 0 ? 1 : 3)) {
					struct fee_letter_result c, s;
					int64_t lim;
					/* as-of around L + grace: L is at most 31 days past r1 + months */
					lim = t + (int64_t)months[m] * 30 * 86400;
					civil_format_timestamp(lim + offsets[o], asof);
					civil_format_timestamp(lim + offsets[o] - 3 * 86400, letter);
					if (fee_letter_eval(db, r1, o % 2 ? letter : NULL, asof, months[m],
							    graces[g], 0, &c, &err) ||
					    fee_letter_eval(db, r1, o % 2 ? letter : NULL, asof, months[m],
							    graces[g], 1, &s, &err))
						fail_msg("%s", err.msg);
					if (strcmp(c.lim7, s.lim7) || strcmp(c.status, s.status) ||
					    strcmp(c.detail, s.detail) || c.has_late != s.has_late ||
					    (c.has_late && c.late != s.late))
						fail_msg("r1 %s as-of %s: C %s %s %s %lld, SQL %s %s %s %lld",
							 r1, asof, c.lim7, c.status, c.detail, (long long)c.late,
							 s.lim7, s.status, s.detail, (long long)s.late);
					checked++;
				}
	}
	assert_true(checked > 10000);
	/* the month end: 11-30 + 3 months = 02-28 (02-29 in a leap year) */
	assert_int_equal(fee_letter_eval(db, "2026-11-30 10:00:00", NULL, "2027-03-10 00:00:00", 3,
					 0, 0, &(struct fee_letter_result){ 0 }, &err), 0);
	{
		struct fee_letter_result r;

		fee_letter_eval(db, "2027-11-30 10:00:00", NULL, "2028-03-10 00:00:00", 3, 0, 0, &r, &err);
		assert_string_equal(r.detail, "L 2028-02-29 10:00:00");
		/* a reminder time that is not canonical goes to the SQL */
		fee_letter_eval(db, "2026-07-10", NULL, "2026-10-20 00:00:00", 3, 0, 0, &r, &err);
		assert_string_equal(r.detail, "L 2026-10-10 00:00:00");
		assert_string_equal(r.status, "breached");
		fee_letter_eval(db, NULL, NULL, "2026-10-20 00:00:00", 3, 0, 0, &r, &err);
		assert_string_equal(r.status, "not_evaluated");
		assert_int_equal(r.has_lim7, 0);
	}
	sqlite3_close(db);
}

/*
 * A database of the unreleased schema version 2 made before the ledger
 * existed: the check reads fees and gives the same figures.
 */
static void database_without_ledger(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 with, without;

	(void)state;
	raw_fee(db, "1", "101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	raw_fee(db, "2", "101", "2026-10", "payment", "4000", "2026-10-05 10:00:00", NULL, "微信");
	raw_fee(db, "3", "101", "2026-07", "charge", "8000", "2026-07-01 00:00:00", NULL, NULL);
	with = run_check(db, NULL);
	sql_exec(db, "DROP TABLE fee_ledger; DROP TABLE fee_ledger_state;", 0);
	assert_int_equal(stale(db), FEE_LEDGER_ABSENT);
	without = run_check(db, NULL);
	assert_int_equal(figure_int(db, without, "fees.paid_cents"), 4000);
	assert_int_equal(figure_int(db, without, "fees.arrears_start_cents"), 8000);
	assert_string_equal(query_text(db, "SELECT group_concat(rule_id || detail || amount_cents, ',')"
				       " FROM check_records WHERE run_id = ?1 AND rule_id LIKE 'F-%'",
				       without, NULL, NULL),
			    query_text(db, "SELECT group_concat(rule_id || detail || amount_cents, ',')"
				       " FROM check_records WHERE run_id = ?1 AND rule_id LIKE 'F-%'",
				       with, NULL, NULL));
	sqlite3_close(db);
}

/* Random events, texts of every length among them, packed and unpacked unchanged. */
static const char *random_text(char *buf, unsigned *seed)
{
	int n = rand_r(seed) % 300, i;

	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + rand_r(seed) % 26);
	buf[n] = '\0';
	return buf;
}

static int64_t random_int(unsigned *seed)
{
	uint64_t v = ((uint64_t)rand_r(seed) << 40) ^ ((uint64_t)rand_r(seed) << 20) ^
		     (uint64_t)rand_r(seed);

	return rand_r(seed) % 2 ? -(int64_t)(v >> 1) : (int64_t)v;
}

static void random_events_round_trip(void **state)
{
	static char texts[600][301];
	struct fee_event in[200], *out = NULL;
	struct fee_packer pk;
	unsigned seed = 7;
	int round, n, i, cap = 0, got;

	(void)state;
	memset(&pk, 0, sizeof(pk));
	for (round = 0; round < 3000; round++) {
		n = 1 + rand_r(&seed) % 200;
		fee_pack_start(&pk);
		for (i = 0; i < n; i++) {
			struct fee_event *e = &in[i];
			int odd = rand_r(&seed) % 4 == 0;

			memset(e, 0, sizeof(*e));
			e->kind = (unsigned char)(rand_r(&seed) % 5);
			e->period = rand_r(&seed) % 3 ? (i ? in[i - 1].period : 24300) : rand_r(&seed) % 120000;
			e->period_text = odd && rand_r(&seed) % 2 ? random_text(texts[3 * i], &seed) : NULL;
			e->at_text = odd && rand_r(&seed) % 2 ? random_text(texts[3 * i + 1], &seed) : NULL;
			e->at = e->at_text ? 0 : random_int(&seed);
			e->has_amount = rand_r(&seed) % 5 != 0;
			e->amount = e->has_amount ? random_int(&seed) : 0;
			e->has_due = rand_r(&seed) % 2;
			e->due_text = e->has_due && odd ? random_text(texts[3 * i + 2], &seed) : NULL;
			e->due = e->has_due && !e->due_text ? random_int(&seed) % 4000000 : 0;
			e->method = rand_r(&seed) % 3 == 0 ? (odd ? "" : "电话") : NULL;
			assert_int_equal(fee_pack_event(&pk, e), 0);
		}
		assert_int_equal(fee_unpack(pk.buf.data, pk.buf.len, &out, &cap, &got), 0);
		assert_int_equal(got, n);
		for (i = 0; i < n; i++) {
			const struct fee_event *a = &in[i], *b = &out[i];

			assert_int_equal(a->kind, b->kind);
			assert_int_equal(!a->period_text, !b->period_text);
			if (a->period_text)
				assert_string_equal(a->period_text, b->period_text);
			else
				assert_int_equal(a->period, b->period);
			assert_int_equal(!a->at_text, !b->at_text);
			if (a->at_text)
				assert_string_equal(a->at_text, b->at_text);
			else
				assert_true(a->at == b->at);
			assert_int_equal(a->has_amount, b->has_amount);
			assert_true(a->amount == b->amount);
			assert_int_equal(a->has_due, b->has_due);
			assert_int_equal(!a->due_text, !b->due_text);
			if (a->due_text)
				assert_string_equal(a->due_text, b->due_text);
			else
				assert_true(a->due == b->due);
			assert_int_equal(!a->method, !b->method);
			if (a->method)
				assert_string_equal(a->method, b->method);
		}
		/* a blob cut short anywhere is refused, never read past its end */
		if (round % 50 == 0)
			for (i = 0; i < (int)pk.buf.len; i += 1 + (int)pk.buf.len / 64) {
				unsigned char *cut = malloc((size_t)i + 1);

				memcpy(cut, pk.buf.data, (size_t)i);
				fee_unpack(cut, (size_t)i, &out, &cap, &got);
				free(cut);
			}
	}
	free(out);
	fee_pack_free(&pk);
}

/*
 * The database's fee coverage as fees_at gave it (schema version 8): the
 * first and last time of the charges, payments, waivers and reminders, and
 * of the payments, by SQL's min() and max().
 */
static void expected_fee_coverage(sqlite3 *db, char out[4][32])
{
	static const char sql[] =
		"SELECT (SELECT min(at) FROM fees WHERE kind IN ('charge','payment','waiver','reminder')),"
		" (SELECT max(at) FROM fees WHERE kind IN ('charge','payment','waiver','reminder')),"
		" (SELECT min(at) FROM fees WHERE kind = 'payment'),"
		" (SELECT max(at) FROM fees WHERE kind = 'payment')";
	sqlite3_stmt *st;
	int i;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	for (i = 0; i < 4; i++)
		snprintf(out[i], 32, "%s", sqlite3_column_text(st, i) ?
			 (const char *)sqlite3_column_text(st, i) : "");
	sqlite3_finalize(st);
}

static void assert_fee_coverage(sqlite3 *db)
{
	struct db_coverage cov;
	pm_error err = { "" };
	char want[4][32];

	expected_fee_coverage(db, want);
	if (db_coverage(db, NULL, &cov, &err))
		fail_msg("coverage: %s", err.msg);
	assert_string_equal(cov.log[DB_COVERAGE_FEES].first, want[0]);
	assert_string_equal(cov.log[DB_COVERAGE_FEES].last, want[1]);
	assert_string_equal(cov.log[DB_COVERAGE_FEE_PAYMENTS].first, want[2]);
	assert_string_equal(cov.log[DB_COVERAGE_FEE_PAYMENTS].last, want[3]);
}

/*
 * The fee coverage from the ledger's spans (schema version 9) is what
 * fees_at gave: odd times compared as texts (a date before its own
 * midnight, an empty time first), other kinds left out; from fees while
 * the ledger is stale, from the ledger once rebuilt, and after a tracked
 * change of a few accounts that removes the first event and adds a later
 * one.
 */
static void coverage_from_ledger(void **state)
{
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	char *from_ledger, *from_fees;

	(void)state;
	assert_fee_coverage(db);
	raw_fee(db, "1", "101", "2026-10", "charge", "100", "2026-10-05 00:00:00", NULL, NULL);
	raw_fee(db, "2", "101", "2026-10", "payment", "100", "2026-10-05", NULL, NULL);
	raw_fee(db, "3", "102", "2026-10", "payment", "100", "2026-10-07 08:00:00", NULL, NULL);
	raw_fee(db, "4", "102", "2026-10", "Charge", "1", "", NULL, NULL);
	raw_fee(db, "5", "103", "2026-10", "reminder", NULL, "2026-11-30 23:59:59", NULL, NULL);
	raw_fee(db, "6", "103", "2026-10", "other", NULL, "9999-12-31 23:59:59", NULL, NULL);
	raw_fee(db, "7", "104", "2026-09", "waiver", "5", "2026-09-30 12:00:00", NULL, NULL);
	assert_int_equal(stale(db), 1);
	assert_fee_coverage(db);
	rebuild(db);
	assert_int_equal(stale(db), 0);
	assert_fee_coverage(db);
	/* as a small file's import keeps it: the touched accounts again */
	sql_exec(db, "BEGIN", 0);
	assert_int_equal(fee_ledger_drop_triggers(db, &err), 0);
	assert_int_equal(fee_ledger_track_begin(db, &err), 0);
	sql_exec(db, "DELETE FROM fees WHERE entry_id = '7'", 0);
	raw_fee(db, "8", "102", "2026-12", "payment", "100", "2026-12-01 09:00:00", NULL, NULL);
	assert_int_equal(fee_ledger_track_end(db, &err), 0);
	assert_int_equal(fee_ledger_create_triggers(db, &err), 0);
	sql_exec(db, "COMMIT", 0);
	assert_int_equal(stale(db), 0);
	assert_fee_coverage(db);
	from_ledger = walk_text(db, 0, NULL);
	from_fees = walk_text(db, 1, NULL);
	assert_string_equal(from_ledger, from_fees);
	free(from_ledger);
	free(from_fees);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(odd_values_read_back),
		cmocka_unit_test(damaged_blob),
		cmocka_unit_test(triggers_mark_stale),
		cmocka_unit_test(stale_after_cli_update),
		cmocka_unit_test(stale_and_fresh_agree),
		cmocka_unit_test(letter_c_is_the_sql),
		cmocka_unit_test(database_without_ledger),
		cmocka_unit_test(random_events_round_trip),
		cmocka_unit_test(coverage_from_ledger),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
