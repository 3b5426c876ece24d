/*
 * Which fields each rule reads (rules/ruleset/ruleset.h rule_needs(),
 * rules_lacking()): from the rule's own fields and, by its kind, a table.
 */
#include <stdio.h>
#include <string.h>
#include "rules/ruleset/ruleset.h"

/*
 * What the engine reads for a rule beyond the fields its definition names,
 * by the rule's kind (RULES.md): a deadline rule ending at "the first
 * callback" reads the callbacks' times, coverage rules with roles read the
 * callback's role, a letter rule reads reminders' methods and charges' due
 * dates, and the repeat finding groups by room and category.
 */
static const struct {
	enum rule_kind kind;
	int with_roles;		/* only when callback_roles is given */
	int callback_end;	/* only when the rule ends at the first callback */
	struct rule_need need;
} BY_KIND[] = {
	{ RULE_DEADLINE, 0, 1, { "callbacks", "callback_at" } },
	{ RULE_COVERAGE, 0, 0, { "callbacks", "callback_at" } },
	{ RULE_WEEKLY,   0, 0, { "callbacks", "callback_at" } },
	{ RULE_COVERAGE, 1, 0, { "callbacks", "role" } },
	{ RULE_WEEKLY,   1, 0, { "callbacks", "role" } },
	{ RULE_LETTER,   0, 0, { "fees", "method" } },
	{ RULE_LETTER,   0, 0, { "fees", "due_date" } },
	{ RULE_LETTER,   0, 0, { "fees", "amount" } },
	{ RULE_REPEAT,   0, 0, { "tickets", "room" } },
	{ RULE_REPEAT,   0, 0, { "tickets", "category" } },
	{ RULE_REPEAT,   0, 0, { "complaints", "room" } },
	{ RULE_REPEAT,   0, 0, { "complaints", "category" } },
};

static void add(struct rule_need *out, int max, int *n, const char *table, const char *field)
{
	int i;

	if (!field)
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp(out[i].table, table) && !strcmp(out[i].field, field))
			return;
	if (*n < max) {
		out[*n].table = table;
		out[*n].field = field;
		(*n)++;
	}
}

int rule_needs(const struct rule *r, struct rule_need *out, int max)
{
	const char *t = r->subject != SUBJECT_NONE ? rule_subject_table(r->subject) : NULL;
	size_t i;
	int n = 0, s;

	if (t) {
		for (s = 0; s < r->nstart; s++)
			add(out, max, &n, t, r->start[s]);
		add(out, max, &n, t, r->end);
		add(out, max, &n, t, r->deadline_field);
		add(out, max, &n, t, r->event);
		if (r->category.count || r->category_not.count)
			add(out, max, &n, t, "category");
		if (r->level.count)
			add(out, max, &n, t, "level");
		if (r->urgent != ANY)
			add(out, max, &n, t, "urgent");
		if (r->paid != ANY)
			add(out, max, &n, t, "paid");
		if (r->valid != ANY)
			add(out, max, &n, t, "valid");
		if (r->min_charge >= 0)
			add(out, max, &n, t, "charge");
	}
	for (i = 0; i < sizeof(BY_KIND) / sizeof(BY_KIND[0]); i++) {
		if (BY_KIND[i].kind != r->kind)
			continue;
		if (BY_KIND[i].with_roles && !r->callback_roles.count)
			continue;
		if (BY_KIND[i].callback_end && r->end)
			continue;
		add(out, max, &n, BY_KIND[i].need.table, BY_KIND[i].need.field);
	}
	return n;
}

/* Whether name is one of the comma-separated names in list. */
static int listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return 1;
		p += len;
	}
	return 0;
}

int rules_lacking(const struct ruleset *rs, const char *table, const char *present,
		  rule_lacking_fn fn, void *ctx)
{
	/* the fields lacking, in the order found, each with its rules */
	const char *field[RULE_MAX_NEEDS];
	char rules[RULE_MAX_NEEDS][512];
	int nfields = 0, i, k, n;
	size_t r;

	for (r = 0; r < rs->count; r++) {
		struct rule_need need[RULE_MAX_NEEDS];

		if (!rs->rules[r].enabled)
			continue;
		n = rule_needs(&rs->rules[r], need, RULE_MAX_NEEDS);
		for (i = 0; i < n; i++) {
			size_t len;

			if (strcmp(need[i].table, table) || listed(present, need[i].field))
				continue;
			for (k = 0; k < nfields && strcmp(field[k], need[i].field); k++)
				;
			if (k == nfields) {
				if (nfields == RULE_MAX_NEEDS)
					continue;
				field[nfields] = need[i].field;
				rules[nfields++][0] = '\0';
			}
			len = strlen(rules[k]);
			snprintf(rules[k] + len, sizeof(rules[k]) - len, "%s%s", len ? ", " : "",
				 rs->rules[r].id);
		}
	}
	for (k = 0; k < nfields; k++)
		fn(ctx, field[k], rules[k]);
	return nfields;
}
