/*
 * Unit tests for rules/results/: the typed reader agrees with what a check
 * run stored (every figure key the engine writes has its enum, and back),
 * and the rules' roles come from what a rule says, not from its id.
 */
#include "tests/unit/check_helpers.h"
#include "rules/results/results.h"
#include "rules/ruleset/ruleset.h"

/* A month with a little of everything: a safety repair, a complaint, a fee. */
static sqlite3_int64 small_run(sqlite3 *db)
{
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO };
	pm_error err = { "" };
	sqlite3_int64 run;

	repair(db, "T1", "安全设施", "2026-10-03 09:00:00", "2026-10-03 12:00:00");
	repair(db, "T2", "水电", "2026-10-05 09:00:00", "2026-10-06 12:00:00");
	callback(db, "CB1", "ticket", "T1", "2026-10-04 10:00:00", "客服", NULL);
	complaint(db, "C1", "minor", "1", "2026-10-07 09:00:00", "2026-10-07 09:10:00", NULL, NULL,
		  "2026-10-08 09:00:00", NULL);
	fee(db, "F1", "1-101", "2026-10", "charge", "10000", "2026-10-01 00:00:00", NULL, NULL);
	fee(db, "F2", "1-101", "2026-10", "payment", "6000", "2026-10-10 00:00:00", NULL, NULL);
	if (check_run_files(db, &p, NULL, NULL, &run, &err))
		fail_msg("check_run: %s", err.msg);
	return run;
}

static void test_figure_keys_both_ways(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run = small_run(db);
	struct results_run r;
	struct results_fee_items it;
	pm_error err = { "" };
	sqlite3_stmt *st;
	int f, stored = 0, items = 0, n = 0, site_keys = 0;

	(void)state;
	assert_int_equal(results_open_run(db, run, &r, &err), 0);
	/* every key the engine stored is one of ours */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT key FROM check_figures WHERE run_id = ?",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		int found = 0;

		/* per fee item: read by results_fee_items_*, below */
		if (!strncmp(key, "fee_item.", 9)) {
			items++;
			continue;
		}
		/* per site, "<key>/<site>": read by results_site_figures(), below */
		if (strchr(key, '/')) {
			for (f = 0; f < FIG_COUNT; f++)
				found |= !strncmp(results_figure_key(f), key, strcspn(key, "/")) &&
					 strlen(results_figure_key(f)) == strcspn(key, "/");
			if (!found)
				fail_msg("stored site figure '%s' has no enum in results.h", key);
			site_keys++;
			continue;
		}
		for (f = 0; f < FIG_COUNT; f++)
			found |= !strcmp(results_figure_key(f), key);
		if (!found)
			fail_msg("stored figure '%s' has no enum in results.h", key);
		stored++;
	}
	sqlite3_finalize(st);
	/* and every enum is a key the engine stores */
	assert_int_equal(stored, FIG_COUNT);
	{
		/* the per-site satisfaction and backlog figures: every one read back */
		struct results_site_figs *sites;
		int nsites, i, k, read = 0;
		long long sum = 0, all = 0;

		assert_int_equal(results_site_figures(&r, FIG_SATISFACTION_SATISFIED,
						      RESULTS_SATISFACTION_FIGS, &sites, &nsites, &err), 0);
		for (i = 0; i < nsites; i++) {
			read += RESULTS_SATISFACTION_FIGS;
			sum += sites[i].ivalue[0];
			if (i)
				assert_true(strcmp(sites[i - 1].site, sites[i].site) < 0);
		}
		results_site_figures_free(sites, nsites);
		assert_int_equal(results_figure_int(&r, FIG_SATISFACTION_SATISFIED, &all), 0);
		assert_int_equal(sum, all);
		assert_int_equal(results_site_figures(&r, FIG_BACKLOG_TICKETS_0_2,
						      2 * RESULTS_BACKLOG_FIGS, &sites, &nsites, &err), 0);
		for (i = 0; i < nsites; i++)
			for (k = 0; k < 2 * RESULTS_BACKLOG_FIGS; k++)
				read += sites[i].has[k];
		results_site_figures_free(sites, nsites);
		assert_int_equal(read, site_keys);
	}
	{
		long long due = 0, paid = 0;
		double rate = 0;

		assert_int_equal(results_figure_int(&r, FIG_FEES_DUE, &due), 0);
		assert_int_equal(results_figure_int(&r, FIG_FEES_PAID, &paid), 0);
		assert_int_equal(results_figure_real(&r, FIG_FEES_CURRENT_RATE, &rate), 0);
		assert_int_equal(due, 10000);
		assert_int_equal(paid, 6000);
		/* the stored rate, as the engine computed it */
		assert_true(rate > 0.5999 && rate < 0.6001);
		/* each fee item's due, paid and rate (three keys); here one item, all of it */
		assert_int_equal(results_fee_items_begin(&r, &it, &err), 0);
		while (results_fee_items_next(&it)) {
			assert_string_equal(it.row.item, "物业管理费");
			assert_int_equal(it.row.due_cents, due);
			assert_int_equal(it.row.paid_cents, paid);
			n++;
		}
		assert_int_equal(results_fee_items_end(&it, &err), 0);
		assert_int_equal(n, 1);
		assert_int_equal(items, 3 * n);
	}
	results_close_run(&r);
	sqlite3_close(db);
}

static void test_rules_sites_records(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run = small_run(db);
	struct results_run r;
	struct results_sites sites;
	struct results_records recs;
	const struct results_rule *x;
	pm_error err = { "" };
	int n = 0;

	(void)state;
	assert_int_equal(results_open_run(db, run, &r, &err), 0);
	assert_true(r.nrules >= 15);
	x = results_rule(&r, "T-CB-OTHER");
	assert_non_null(x);
	assert_string_equal(x->kind, "deadline");
	assert_true(x->counted);
	/* T2 was never called back: breached once the 2 days passed (as of the month's end) */
	assert_int_equal(x->breached, 1);
	assert_null(results_rule(&r, "NO-SUCH-RULE"));
	assert_int_equal(results_sites_begin(&r, "T-CB-OTHER", &sites, &err), 0);
	while (results_sites_next(&sites)) {
		assert_string_equal(sites.row.site, "A");
		assert_int_equal(sites.row.breached, 1);
		n++;
	}
	assert_int_equal(results_sites_end(&sites, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(results_records_begin(&r, "T-CB-OTHER", RECORDS_LATE, 10, &recs, &err), 0);
	assert_int_equal(results_records_next(&recs), 1);
	assert_string_equal(recs.row.record_id, "T2");
	assert_string_equal(recs.row.status, "breached");
	assert_null(recs.row.end);
	assert_int_equal(recs.total, 1);
	assert_int_equal(results_records_next(&recs), 0);
	assert_int_equal(results_records_end(&recs, &err), 0);
	results_close_run(&r);
	sqlite3_close(db);
}

/*
 * The workbook's reads: a breach with its kind and category (RECORDS_BREACHES),
 * the arrears by account adding up to the arrears by site, bucket by bucket.
 */
static void test_breaches_and_aging_accounts(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run = small_run(db);
	struct results_run r;
	struct results_records recs;
	struct results_aging_accounts acc;
	struct results_aging_site *sites;
	long long by_site[RESULTS_AGING_BUCKETS] = { 0 }, by_account[RESULTS_AGING_BUCKETS] = { 0 };
	pm_error err = { "" };
	int n, i, k, accounts = 0;

	(void)state;
	assert_int_equal(results_open_run(db, run, &r, &err), 0);
	assert_int_equal(results_records_begin(&r, "T-CB-OTHER", RECORDS_BREACHES, -1, &recs, &err), 0);
	assert_int_equal(results_records_next(&recs), 1);
	assert_string_equal(recs.row.record_id, "T2");
	assert_string_equal(recs.row.record_kind, "ticket");
	assert_string_equal(recs.row.category, "水电");
	assert_int_equal(results_records_next(&recs), 0);
	assert_int_equal(results_records_end(&recs, &err), 0);
	assert_int_equal(results_aging_by_site(&r, &sites, &n, &err), 0);
	for (i = 0; i < n; i++)
		for (k = 0; k < RESULTS_AGING_BUCKETS; k++)
			by_site[k] += sites[i].cents[k];
	free(sites);
	assert_int_equal(results_aging_accounts_begin(&r, &acc, &err), 0);
	while (results_aging_accounts_next(&acc)) {
		assert_non_null(strstr(acc.row.account, "1-101"));
		for (k = 0; k < RESULTS_AGING_BUCKETS; k++)
			by_account[k] += acc.row.cents[k];
		accounts++;
	}
	assert_int_equal(results_aging_accounts_end(&acc, &err), 0);
	for (k = 0; k < RESULTS_AGING_BUCKETS; k++)
		assert_int_equal(by_account[k], by_site[k]);
	/* one room with one fee item: one account at most */
	assert_true(accounts <= 1);
	results_close_run(&r);
	sqlite3_close(db);
}

/* The rows the breaches CSV gives, as the callback sees them: one line each. */
static int collect_row(void *ctx, const struct breach_row *b, pm_error *err)
{
	char *all = ctx, line[600];

	(void)err;
	snprintf(line, sizeof(line), "%s|%s|%s|%s|%s|%s|%s|%s|%s|%d|%lld|%s|%s\n", b->rule_id,
		 b->rule_title ? b->rule_title : "(null)", b->record_id ? b->record_id : "(null)",
		 b->site ? b->site : "(null)", b->start ? b->start : "(null)",
		 b->deadline ? b->deadline : "(null)", b->end ? b->end : "(null)", b->status,
		 b->room, b->has_late, b->has_late ? b->late_seconds : 0, b->responsible, "");
	strncat(all, line, 16000 - strlen(all) - 1);
	return 0;
}

/*
 * The breaches CSV reads the sets in C (db/record_json.h, a record of
 * another form through json_extract()) and sorts and looks up in C: its
 * rows are the view's query's -- the query the writer ran before --, in
 * its order, with records of every form: escapes, a real and a text
 * lateness, NULL and equal starts, an id above \u007f, a complaint.
 */
static void test_breaches_as_the_view(void **state)
{
	static const char VIEW_SQL[] =
		"SELECT r.rule_id, CASE WHEN ?2 THEN coalesce(nullif(t.title_en, ''), t.title_zh)"
		" ELSE coalesce(nullif(t.title_zh, ''), t.title_en) END, r.record_id, r.site,"
		" r.start_at, r.deadline_at, r.end_at, r.status,"
		" COALESCE(pt.room, pc.room, ''), r.late_seconds IS NOT NULL,"
		" coalesce(r.late_seconds, 0), COALESCE(pt.technician, pc.department, '')"
		" FROM check_records r LEFT JOIN check_rule_results t"
		" ON t.run_id = r.run_id AND t.rule_id = r.rule_id"
		" LEFT JOIN tickets pt ON r.record_kind = 'ticket' AND pt.ticket_id = r.record_id"
		" LEFT JOIN complaints pc ON r.record_kind = 'complaint' AND pc.complaint_id = r.record_id"
		" WHERE r.run_id = ?1 AND r.status IN ('breached', 'pending', 'unknown')"
		" ORDER BY r.rule_id, r.start_at, r.record_id";
	sqlite3 *db = fresh_db();
	sqlite3_int64 run = small_run(db);
	static char got[16000], want[16000];
	pm_error err = { "" };
	sqlite3_stmt *st;
	FILE *out = fopen("/dev/null", "w");
	char run_text[24];
	int english, i;

	(void)state;
	assert_non_null(out);
	snprintf(run_text, sizeof(run_text), "%lld", (long long)run);
	sql_exec(db, "INSERT INTO check_record_sets(run_id, rule_id, status, records) VALUES"
		 " (?1, 'T-CB-OTHER', 'pending', '[[\"ticket\",\"T1\",\"s\",\"2026-10-03 12:00:00\","
		 "null,null,1.5,null,null],[\"ticket\",\"T\\u00e9\",\"s\\/x\",null,null,null,\"12\","
		 "null,null],[\"complaint\",\"C1\",\"a\\tb\",\"2026-10-03 12:00:00\",null,null,null,"
		 "null,null],[\"ticket\",\"T0\",\"s\",\"2026-10-03 12:00:00\",\"d\",\"e\",-7,1,\"x\"]]'),"
		 " (?1, 'Z-RULE', 'unknown', '[[\"ticket\",\"T2\"],[\"account\",\"A\",null,5]]')", 1,
		 run_text);
	for (english = 0; english < 2; english++) {
		got[0] = want[0] = '\0';
		assert_int_equal(results_write_breaches(db, run, english, out, collect_row, got, &err),
				 0);
		assert_int_equal(sqlite3_prepare_v2(db, VIEW_SQL, -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_int(st, 2, english);
		while (sqlite3_step(st) == SQLITE_ROW) {
			char line[600];
			const char *v[12];

			for (i = 0; i < 12; i++)
				v[i] = sqlite3_column_type(st, i) == SQLITE_NULL ? "(null)"
				       : (const char *)sqlite3_column_text(st, i);
			/* the lateness as the writer takes it: an integer */
			snprintf(line, sizeof(line), "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%lld|%s|\n", v[0], v[1],
				 v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
				 (long long)sqlite3_column_int64(st, 10), v[11]);
			strncat(want, line, sizeof(want) - strlen(want) - 1);
		}
		sqlite3_finalize(st);
		assert_true(strlen(want) > 200);
		assert_string_equal(got, want);
	}
	fclose(out);
	sqlite3_close(db);
}

/* results_aging_by_site() against the view's sums, site by site, bucket by bucket. */
static void expect_aging_as_view(sqlite3 *db, sqlite3_int64 run)
{
	struct results_run r;
	struct results_aging_site *sites;
	pm_error err = { "" };
	sqlite3_stmt *st;
	int n, i = -1, k;

	assert_int_equal(results_open_run(db, run, &r, &err), 0);
	assert_int_equal(results_aging_by_site(&r, &sites, &n, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT COALESCE(site, ''), detail,"
					    " SUM(amount_cents) FROM check_records WHERE run_id = ?"
					    " AND rule_id = 'F-AGING' GROUP BY 1, 2 ORDER BY 1, 2",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *site = (const char *)sqlite3_column_text(st, 0);
		const char *detail = (const char *)sqlite3_column_text(st, 1);

		if (i < 0 || strcmp(sites[i].site, site)) {
			i++;
			assert_true(i < n);
			assert_string_equal(sites[i].site, site);
		}
		for (k = 0; k < RESULTS_AGING_BUCKETS; k++)
			if (detail && !strcmp(detail, RESULTS_AGING_BUCKET[k]))
				assert_true(sites[i].cents[k] > 0);
	}
	sqlite3_finalize(st);
	assert_int_equal(i + 1, n);
	/* the sums: every bucket of every site */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT SUM(amount_cents) FROM check_records"
					    " WHERE run_id = ?1 AND rule_id = 'F-AGING'"
					    " AND COALESCE(site, '') = ?2 AND detail = ?3", -1, &st, NULL),
			 SQLITE_OK);
	for (i = 0; i < n; i++)
		for (k = 0; k < RESULTS_AGING_BUCKETS; k++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, run);
			sqlite3_bind_text(st, 2, sites[i].site, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, RESULTS_AGING_BUCKET[k], -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			assert_true(sqlite3_column_int64(st, 0) == sites[i].cents[k]);
		}
	sqlite3_finalize(st);
	free(sites);
	results_close_run(&r);
}

/*
 * The arrears by site are read from the sets in C (db/record_json.h): the
 * view's sites, order and sums -- with a NULL site, a detail outside the
 * buckets, sites out of order; and with a record of another form (a real
 * amount), where the view's own query reads them.
 */
static void test_aging_as_the_view(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run = small_run(db);
	char run_text[24];

	(void)state;
	snprintf(run_text, sizeof(run_text), "%lld", (long long)run);
	sql_exec(db, "INSERT INTO check_record_sets(run_id, rule_id, status, records) VALUES"
		 " (?1, 'F-AGING', 'finding', '[[\"account\",\"B/1/x\",\"B\",null,null,null,null,"
		 "500,\"1-30\"],[\"account\",\"A/1/x\",\"A\",null,null,null,null,700,\"365+\"],"
		 "[\"account\",\"-/1/x\",null,null,null,null,null,11,\"31-90\"],[\"account\","
		 "\"B/2/x\",\"B\",null,null,null,null,40,\"1-30\"],[\"account\",\"C/1/x\",\"C\","
		 "null,null,null,null,9,\"other\"]]')", 1, run_text);
	expect_aging_as_view(db, run);
	sql_exec(db, "INSERT INTO check_record_sets(run_id, rule_id, status, records) VALUES"
		 " (?1, 'F-AGING', 'finding', '[[\"account\",\"D/1/x\",\"D\",null,null,null,null,"
		 "2.5,\"1-30\"]]')", 1, run_text);
	expect_aging_as_view(db, run);
	sqlite3_close(db);
}

/* An error that ends an iteration is reported by its end, not taken for the end. */
static void test_iterator_error(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run = small_run(db);
	struct results_run r;
	struct results_sites sites;
	pm_error err = { "" };

	(void)state;
	assert_int_equal(results_open_run(db, run, &r, &err), 0);
	sql_exec(db, "DROP TABLE check_site_results", 0);
	assert_int_equal(results_sites_begin(&r, NULL, &sites, &err), -1);
	assert_non_null(strstr(err.msg, "check_site_results"));
	results_close_run(&r);
	sqlite3_close(db);
}

static const char RENAMED[] =
	"[SAFETY-CB]\nkind = deadline\nsubject = tickets\ncategory = 安全设施\n"
	"start = completed_at\nend = callback\nlimit = 2d\ntarget = 100%\n\n"
	"[ARRIVAL]\nkind = deadline\nsubject = tickets\nurgent = yes\nstart = reported_at\n"
	"end = arrived_at\nlimit = 15m\ntarget = 100%\n\n"
	"[PAID-COVER]\nkind = coverage\nsubject = tickets\npaid = yes\nevent = completed_at\n"
	"target = 100%\n\n"
	"[REPAIR-COVER]\nkind = coverage\nsubject = tickets\nevent = completed_at\ntarget = 100%\n\n"
	"[COMPLAINT-COVER]\nkind = coverage\nsubject = complaints\nvalid = yes\nevent = resolved_at\n"
	"target = 100%\n\n"
	"[COMPLAINT-REPLY]\nkind = deadline\nsubject = complaints\nstart = received_at\n"
	"end = responded_at\nlimit = 30m\ntarget = 100%\n";

static void test_roles_by_meaning(void **state)
{
	struct ruleset rs;
	pm_error err = { "" };

	(void)state;
	if (ruleset_parse("renamed.rules", RENAMED, sizeof(RENAMED) - 1, &rs, &err))
		fail_msg("parse: %s", err.msg);
	assert_int_equal(rule_role(&rs, "SAFETY-CB"), ROLE_REPAIR_CALLBACK);
	assert_int_equal(rule_role(&rs, "ARRIVAL"), ROLE_REPAIR_DEADLINE);
	assert_int_equal(rule_role(&rs, "COMPLAINT-REPLY"), ROLE_COMPLAINT_DEADLINE);
	assert_int_equal(rule_role(&rs, "REPAIR-COVER"), ROLE_OTHER);
	assert_int_equal(rule_role(&rs, "nothing"), ROLE_OTHER);
	/* the paid coverage comes first in the file, but is not the plain one */
	assert_string_equal(key_rule_id(&rs, KEY_REPAIR_COVERAGE), "REPAIR-COVER");
	assert_string_equal(key_rule_id(&rs, KEY_COMPLAINT_COVERAGE), "COMPLAINT-COVER");
	assert_string_equal(key_rule_id(&rs, KEY_URGENT_ARRIVAL), "ARRIVAL");
	assert_string_equal(key_rule_id(&rs, KEY_LETTER), "");
	assert_null(key_rule_of(&rs, KEY_SUPERVISOR_CALLBACK));
	ruleset_free(&rs);
	/* the default set: the ids the reports used to spell out */
	if (ruleset_load(NULL, &rs, &err))
		fail_msg("default rules: %s", err.msg);
	assert_string_equal(key_rule_id(&rs, KEY_REPAIR_COVERAGE), "T-CB-COVERAGE");
	assert_string_equal(key_rule_id(&rs, KEY_COMPLAINT_COVERAGE), "C-CB-COVERAGE");
	assert_string_equal(key_rule_id(&rs, KEY_URGENT_ARRIVAL), "T-ARRIVE");
	assert_string_equal(key_rule_id(&rs, KEY_LETTER), "F-LETTER");
	/* the supervisor's roles, for the inspection checklist */
	assert_string_equal(key_rule_id(&rs, KEY_SUPERVISOR_CALLBACK), "T-PAID-SUPERVISOR");
	assert_int_equal(key_rule_of(&rs, KEY_SUPERVISOR_CALLBACK)->callback_roles.count, 3);
	assert_string_equal(key_rule_of(&rs, KEY_SUPERVISOR_CALLBACK)->callback_roles.items[1], "主任");
	assert_int_equal(rule_role(&rs, "T-CB-LEAK"), ROLE_REPAIR_CALLBACK);
	assert_int_equal(rule_role(&rs, "C-MAJOR-REPLY"), ROLE_COMPLAINT_DEADLINE);
	ruleset_free(&rs);
	assert_true(finding_is_data_fault("Q-ORDER"));
	assert_false(finding_is_data_fault("Q-PROBLEM-OPEN"));
	assert_false(finding_is_data_fault("R-REPEAT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figure_keys_both_ways),
		cmocka_unit_test(test_rules_sites_records),
		cmocka_unit_test(test_breaches_and_aging_accounts),
		cmocka_unit_test(test_breaches_as_the_view),
		cmocka_unit_test(test_aging_as_the_view),
		cmocka_unit_test(test_iterator_error),
		cmocka_unit_test(test_roles_by_meaning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
