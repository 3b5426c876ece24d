/*
 * Rule roles for the reports (rules/results/results.h: roles): the parts a report
 * prints, matched on the rules' meaning.
 */
#include <string.h>
#include "rules/results/results.h"

static const struct rule *find(const struct ruleset *rs, const char *rule_id)
{
	size_t i;

	for (i = 0; rs && i < rs->count; i++)
		if (!strcmp(rs->rules[i].id, rule_id))
			return &rs->rules[i];
	return NULL;
}

static enum rule_role role_of(const struct rule *r)
{
	if (!r || r->kind != RULE_DEADLINE)
		return ROLE_OTHER;
	if (r->subject == SUBJECT_COMPLAINTS)
		return ROLE_COMPLAINT_DEADLINE;
	if (r->subject != SUBJECT_TICKETS)
		return ROLE_OTHER;
	/* end NULL: the deadline ends at the first callback */
	return r->end ? ROLE_REPAIR_DEADLINE : ROLE_REPAIR_CALLBACK;
}

enum rule_role rule_role(const struct ruleset *rs, const char *rule_id)
{
	return role_of(find(rs, rule_id));
}

/* Coverage of every record of the subject by any callback: no filter narrows it. */
static int plain_coverage(const struct rule *r, enum rule_subject subject)
{
	return r->kind == RULE_COVERAGE && r->subject == subject && !r->callback_roles.count &&
	       !r->category.count && !r->category_not.count && !r->level.count &&
	       r->urgent == ANY && r->paid == ANY && r->min_charge < 0;
}

static int plays(const struct rule *r, enum key_rule k)
{
	switch (k) {
	case KEY_REPAIR_COVERAGE:
		return plain_coverage(r, SUBJECT_TICKETS);
	case KEY_COMPLAINT_COVERAGE:
		/* complaints: the valid ones are the ones called back */
		return r->kind == RULE_COVERAGE && r->subject == SUBJECT_COMPLAINTS &&
		       !r->callback_roles.count && !r->category.count && !r->level.count;
	case KEY_URGENT_ARRIVAL:
		return r->kind == RULE_DEADLINE && r->subject == SUBJECT_TICKETS && r->end &&
		       !strcmp(r->end, "arrived_at");
	case KEY_LETTER:
		return r->kind == RULE_LETTER;
	case KEY_SUPERVISOR_CALLBACK:
		/* whose callback counts is the rule's callback_roles (T-PAID-SUPERVISOR) */
		return r->kind != RULE_DEADLINE && r->subject == SUBJECT_TICKETS &&
		       r->callback_roles.count;
	default:
		return 0;
	}
}

const struct rule *key_rule_of(const struct ruleset *rs, enum key_rule k)
{
	size_t i;

	for (i = 0; rs && i < rs->count; i++)
		if (rs->rules[i].enabled && plays(&rs->rules[i], k))
			return &rs->rules[i];
	return NULL;
}

const char *key_rule_id(const struct ruleset *rs, enum key_rule k)
{
	const struct rule *r = key_rule_of(rs, k);

	return r ? r->id : "";
}

static const struct {
	const char *id, *zh, *en;
	int data_fault;
} FINDINGS[] = {
	{ "Q-PROBLEM-OPEN", "回访发现问题但未再次回访（问题未闭环）",
	  "problem found at a callback, no later callback", 0 },
	{ "Q-ORDER", "时间顺序矛盾", "impossible ordering of events", 1 },
	{ "Q-ORPHAN", "回访找不到对应记录", "callback of an unknown record", 1 },
	{ "Q-MISSING-START", "缺少起始事件", "start event missing", 1 },
};

int finding_is_data_fault(const char *rule_id)
{
	size_t i;

	for (i = 0; i < sizeof(FINDINGS) / sizeof(FINDINGS[0]); i++)
		if (!strcmp(FINDINGS[i].id, rule_id))
			return FINDINGS[i].data_fault;
	return 0;
}

const char *finding_title(const char *rule_id, int english)
{
	size_t i;

	for (i = 0; i < sizeof(FINDINGS) / sizeof(FINDINGS[0]); i++)
		if (!strcmp(FINDINGS[i].id, rule_id))
			return english ? FINDINGS[i].en : FINDINGS[i].zh;
	return NULL;
}
