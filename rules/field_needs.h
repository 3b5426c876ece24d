#ifndef PM_FIELD_NEEDS_H
#define PM_FIELD_NEEDS_H

/*
 * Which fields each rule reads: the one place that says so, used by the
 * importer to report a file that lacks a field a rule in force needs
 * (MAPPING.md "Never silently wrong") and meant for the engine to count
 * the records of such files as unknown (无法判定) for that rule. A rule
 * reads the fields its definition names (start, end, deadline_field,
 * event, and the fields of its filters) and, by its kind, the fields the
 * engine reads for it (the table in field_needs.c).
 */

#include <stddef.h>
#include "rules/ruleset.h"

#define RULE_MAX_NEEDS 24

struct rule_need {
	const char *table;	/* tickets, complaints, callbacks or fees */
	const char *field;
};

/* The fields rule r reads; returns how many were written (at most max). */
int rule_needs(const struct rule *r, struct rule_need *out, int max);

/* Called per field a file lacks: the enabled rules needing it, ", "-separated. */
typedef void (*rule_lacking_fn)(void *ctx, const char *field, const char *rules);

/*
 * For a file of table that gave the fields in present (comma-separated
 * canonical names, as import_runs.fields holds them): calls fn once per
 * field it lacks that enabled rules need ("resolved_at", "C-MAJOR-RESOLVE,
 * C-CB-COVERAGE"). Returns the number of such fields.
 */
int rules_lacking(const struct ruleset *rs, const char *table, const char *present,
		  rule_lacking_fn fn, void *ctx);

#endif
