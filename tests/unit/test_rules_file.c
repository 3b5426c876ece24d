/* The rules file: the shipped sets parse; every mistake names the file and line. */
#include "tests/unit/check_helpers.h"
#include "rules/ruleset/ruleset.h"
#include "rules/ruleset/builtin.h"

static int parse(const char *text, struct ruleset *rs, pm_error *err)
{
	return ruleset_parse("p.rules", text, strlen(text), rs, err);
}

static const struct rule *find(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->count; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

/* The default set holds every rule id of RULES.md, with the spec's limits. */
static void default_set(void **state)
{
	static const char *const ids[] = {
		"T-CB-SAFETY", "T-CB-LEAK", "T-CB-OTHER", "T-ARRIVE", "C-RESPOND",
		"C-MAJOR-ESCALATE", "C-MAJOR-REPLY", "C-MAJOR-RESOLVE", "C-IMPORTANT-ESCALATE",
		"C-IMPORTANT-RESOLVE", "C-MINOR-RESOLVE", "T-CB-COVERAGE", "C-CB-COVERAGE",
		"T-PAID-CB-WEEKLY", "T-PAID-SUPERVISOR", "F-LETTER", "R-REPEAT",
	};
	struct ruleset rs;
	pm_error err = { "" };
	size_t i;

	(void)state;
	assert_int_equal(ruleset_parse("built-in", pm_builtin_rules, strlen(pm_builtin_rules), &rs, &err), 0);
	assert_int_equal(rs.count, sizeof(ids) / sizeof(ids[0]));
	for (i = 0; i < rs.count; i++) {
		assert_string_equal(rs.rules[i].id, ids[i]);
		assert_true(rs.rules[i].enabled);
		assert_non_null(rs.rules[i].source);
	}
	assert_int_equal(find(&rs, "T-CB-SAFETY")->limit_value, 2 * 86400);
	assert_int_equal(find(&rs, "T-CB-LEAK")->nstart, 2);
	assert_int_equal(find(&rs, "T-ARRIVE")->limit_value, 15 * 60);
	assert_int_equal(find(&rs, "C-RESPOND")->limit_value, 30 * 60);
	assert_int_equal(find(&rs, "C-MAJOR-ESCALATE")->limit_unit, LIMIT_SAMEDAY);
	assert_int_equal(find(&rs, "C-MAJOR-RESOLVE")->limit_value, 10 * 86400);
	assert_int_equal(find(&rs, "C-IMPORTANT-ESCALATE")->limit_value, 3600);
	assert_string_equal(find(&rs, "C-MINOR-RESOLVE")->deadline_field, "requested_by");
	assert_true(find(&rs, "T-PAID-CB-WEEKLY")->target == 0.6);
	assert_int_equal(find(&rs, "T-PAID-SUPERVISOR")->min_charge, 20000);
	assert_int_equal(find(&rs, "F-LETTER")->after_months, 3);
	assert_int_equal(find(&rs, "F-LETTER")->grace_seconds, 7 * 86400);
	assert_int_equal(find(&rs, "R-REPEAT")->window_days, 90);
	ruleset_free(&rs);
	/* the shipped files: the default (run from the repository root) and the example */
	assert_int_equal(ruleset_load("rules/default.rules", &rs, &err), 0);
	assert_int_equal(rs.count, sizeof(ids) / sizeof(ids[0]));
	ruleset_free(&rs);
	assert_int_equal(ruleset_load("rules/example-standard.rules", &rs, &err), 0);
	assert_int_equal(find(&rs, "S002-PLAN-GENERAL")->limit_unit, LIMIT_WORKDAYS);
	assert_int_equal(find(&rs, "S002-PLAN-GENERAL")->limit_value, 1);
	assert_int_equal(find(&rs, "S002-PLAN-COMPLEX")->limit_value, 3);
	ruleset_free(&rs);
}

static void limits(void **state)
{
	static const struct { const char *text; int unit; long long value; } cases[] = {
		{ "30m", LIMIT_SECONDS, 1800 }, { "1h", LIMIT_SECONDS, 3600 },
		{ "2d", LIMIT_SECONDS, 172800 }, { "sameday", LIMIT_SAMEDAY, 0 },
		{ "5wd", LIMIT_WORKDAYS, 5 },
	};
	char text[256];
	struct ruleset rs;
	pm_error err = { "" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[X]\nkind = deadline\nsubject = tickets\n"
			 "start = reported_at\nend = arrived_at\nlimit = %s\n", cases[i].text);
		assert_int_equal(parse(text, &rs, &err), 0);
		assert_int_equal(rs.rules[0].limit_unit, cases[i].unit);
		assert_int_equal(rs.rules[0].limit_value, cases[i].value);
		ruleset_free(&rs);
	}
}

/* Each broken file, and the "file:line: ..." its message must start with. */
static void mistakes_name_file_and_line(void **state)
{
	static const struct { const char *text, *message; } cases[] = {
		{ "[X]\nkind = deadline\nlimit = 2x\n", "p.rules:3: limit: '2x'" },
		{ "[X]\nkind = deadline\nlimt = 2d\n", "p.rules:3: unknown key 'limt'" },
		{ "[X]\nsubject = tickets\n", "p.rules:1: rule X: missing kind" },
		{ "[X]\nkind = deadline\nsubject = tickets\nstart = reported_at\nend = callback\n",
		  "p.rules:1: rule X: missing key limit" },
		{ "[X]\nkind = coverage\nsubject = tickets\nevent = completed_at\nlimit = 2d\n",
		  "p.rules:1: rule X: key limit does not apply" },
		{ "[X]\nkind = deadline\nsubject = tickets\nstart = received_at\n",
		  "p.rules:4: start: 'received_at' is not a timestamp field of tickets" },
		{ "[X]\nkind = deadline\nsubject = complaints\nlevel = huge\n", "p.rules:4: level: 'huge'" },
		{ "[X]\nkind = deadline\nsubject = tickets\nlevel = major\n", "p.rules:4: level: applies to" },
		{ "[X]\nkind = deadline\ntarget = 120%\n", "p.rules:3: target: '120%'" },
		{ "[X]\nkind = letter\nenabled = maybe\n", "p.rules:3: enabled: 'maybe'" },
		{ "[X]\nkind = repeat\nwindow = 90d\ncomplaints = 2\ntickets = 3\n\n[X]\n",
		  "p.rules:7: rule X is defined twice (first at line 1)" },
		{ "kind = deadline\n", "p.rules:1: 'kind': before the first [RULE-ID]" },
		{ "[X Y]\n", "p.rules:1: 'X Y' is not a rule id" },
		{ "[X]\nkind = deadline\nkind = coverage\n", "p.rules:3: kind is given twice" },
		{ "[X]\nkind\n", "p.rules:2: expected key = value" },
		{ "# nothing\n", "p.rules: no rules" },
		{ "[X]\nkind = weekly\nsubject = tickets\nevent = completed_at\n",
		  "p.rules:1: rule X: missing key target" },
		{ "[X]\nkind = deadline\nsubject = tickets\nmin_charge = 1.234\n", "p.rules:4: min_charge" },
		/* a file saved as GBK by an editor, an escape character in a title */
		{ "[X]\nkind = deadline\ntitle_zh = \xb2\xe2\xca\xd4\n", "p.rules:3: not UTF-8 text" },
		{ "[X]\nkind = deadline\ntitle_zh = a\x1b[2J\n", "p.rules:3: a control character" },
		{ "[X]\nkind = deadline\nsource = a\xc2\x9b" "31m\n", "p.rules:3: a control character" },
	};
	struct ruleset rs;
	pm_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(parse(cases[i].text, &rs, &err), -1);
		if (strncmp(err.msg, cases[i].message, strlen(cases[i].message)))
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg, cases[i].message);
	}
}

/*
 * A missing rules file or calendar named in it fails the loaders the
 * commands use, with its name; the engine reads neither file itself and
 * refuses a run without the rules or the calendar.
 */
static void missing_files(void **state)
{
	sqlite3 *db = fresh_db();
	const char *rules = temp_file("calendar = no-such-calendar.csv\n[X]\nkind = deadline\n"
				      "subject = tickets\nstart = reported_at\nend = arrived_at\nlimit = 1wd\n", 0);
	struct check_params p = { .from = OCT_FROM, .to = OCT_TO };
	struct loaded_rules l;
	pm_error err = { "" };
	sqlite3_int64 run;

	(void)state;
	assert_int_equal(check_run_files(db, &p, "/nonexistent/x.rules", NULL, &run, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/x.rules"));
	assert_int_equal(check_run_files(db, &p, rules, NULL, &run, &err), -1);
	assert_non_null(strstr(err.msg, "/tmp/no-such-calendar.csv"));
	/* nothing passed in: refused, no file read */
	assert_int_equal(check_run(db, &p, &run, &err), -1);
	assert_non_null(strstr(err.msg, "no rules given"));
	if (load_rules(&l, NULL, NULL, &err))
		fail_msg("load_rules: %s", err.msg);
	p.rules = &l.rs;
	assert_int_equal(check_run(db, &p, &run, &err), -1);
	assert_non_null(strstr(err.msg, "no calendar given"));
	p.calendar = l.cal;
	assert_int_equal(check_run(db, &p, &run, &err), 0);
	p.from = "2026-10-01";
	assert_int_equal(check_run(db, &p, &run, &err), -1);
	assert_non_null(strstr(err.msg, "from"));
	free_rules(&l);
	unlink(rules);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_set),
		cmocka_unit_test(limits),
		cmocka_unit_test(mistakes_name_file_and_line),
		cmocka_unit_test(missing_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
