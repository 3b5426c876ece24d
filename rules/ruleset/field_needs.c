/*
 * Which fields each rule reads (rules/ruleset/ruleset.h rule_needs(),
 * rules_lacking()): from the rule's own fields and, by its kind, the reads
 * of the table of kinds (KINDS in ruleset.c).
 */
#include <stdio.h>
#include <string.h>
#include "rules/ruleset/ruleset.h"

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
	const struct kind_read *reads = rule_kind_info(r->kind)->reads;
	int n = 0, s, i;

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
	for (i = 0; i < KIND_MAX_READS && reads[i].table; i++) {
		if (reads[i].when == READ_WITH_ROLES && !r->callback_roles.count)
			continue;
		if (reads[i].when == READ_CALLBACK_END && r->end)
			continue;
		add(out, max, &n, reads[i].table, reads[i].field);
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
