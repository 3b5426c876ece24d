/*
 * Fuzz target: the rules-file parser (rules/ruleset/ruleset.h, ruleset_parse) on
 * raw text that is not NUL-terminated.
 *
 * Checked: it succeeds, or fails with a message naming the file; a parsed
 * set holds at least one rule, unique valid ids, fields that exist in the
 * subject's table (they go into SQL as identifiers), targets within 0..1,
 * and bounded lists; and freeing it leaks nothing (LeakSanitizer).
 */
#include <string.h>
#include "rules/ruleset/ruleset.h"
#include "tests/fuzz/fuzz.h"

static int known_field(const char *name)
{
	static const char *const fields[] = {
		"reported_at", "dispatched_at", "arrived_at", "completed_at", "leak_test_at",
		"received_at", "responded_at", "escalated_at", "replied_at", "resolved_at",
		"requested_by", NULL
	};
	int i;

	for (i = 0; fields[i]; i++)
		if (!strcmp(name, fields[i]))
			return 1;
	return 0;
}

static void check_list(const struct rule_list *l)
{
	int i;

	FUZZ_CHECK(l->count >= 0 && l->count <= RULE_MAX_LIST);
	for (i = 0; i < l->count; i++)
		FUZZ_CHECK(l->items[i] && l->items[i][0]);
}

static void check_rule(const struct ruleset *rs, size_t i)
{
	const struct rule *r = &rs->rules[i];
	size_t j;
	int s;

	FUZZ_CHECK(r->id[0] && strlen(r->id) < sizeof(r->id));
	FUZZ_CHECK(strspn(r->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			  "0123456789-_") == strlen(r->id));
	for (j = 0; j < i; j++)
		FUZZ_CHECK(strcmp(rs->rules[j].id, r->id));
	FUZZ_CHECK(r->line >= 1);
	FUZZ_CHECK(r->kind >= RULE_DEADLINE && r->kind <= RULE_REPEAT);
	/* written as !(a && b) so that NaN fails too */
	FUZZ_CHECK(r->target >= 0 && r->target <= 1);
	FUZZ_CHECK(r->nstart >= 0 && r->nstart <= RULE_MAX_START);
	for (s = 0; s < r->nstart; s++)
		FUZZ_CHECK(known_field(r->start[s]));
	FUZZ_CHECK(!r->end || known_field(r->end));
	FUZZ_CHECK(!r->deadline_field || known_field(r->deadline_field));
	FUZZ_CHECK(!r->event || known_field(r->event));
	if (r->kind == RULE_DEADLINE) {
		FUZZ_CHECK(r->subject == SUBJECT_TICKETS || r->subject == SUBJECT_COMPLAINTS);
		FUZZ_CHECK(r->nstart >= 1 && r->limit_unit != LIMIT_NONE);
	}
	FUZZ_CHECK(strlen(r->limit_text) < sizeof(r->limit_text));
	check_list(&r->category);
	check_list(&r->category_not);
	check_list(&r->level);
	check_list(&r->callback_roles);
	check_list(&r->first_reminder);
	check_list(&r->letter);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset rs;
	pm_error err;
	char *text = malloc(size ? size : 1);
	size_t i;

	FUZZ_CHECK(text != NULL);
	memcpy(text, data, size);
	err.msg[0] = '\0';
	if (ruleset_parse("fuzz/input.rules", text, size, &rs, &err)) {
		FUZZ_CHECK(!strncmp(err.msg, "fuzz/input.rules", 16));
		FUZZ_CHECK(rs.count == 0 && rs.rules == NULL);
	} else {
		FUZZ_CHECK(rs.count >= 1);
		FUZZ_CHECK(strlen(rs.sha256) == 64);
		FUZZ_CHECK(rs.ncalendars >= 0 && rs.ncalendars <= RULES_MAX_CALENDARS);
		for (i = 0; i < rs.count; i++)
			check_rule(&rs, i);
		ruleset_free(&rs);
	}
	free(text);
	return 0;
}
