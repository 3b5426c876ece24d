#ifndef PM_RULESET_H
#define PM_RULESET_H

#include <stddef.h>
#include "util/error.h"

/*
 * A rules file, parsed and checked (format: docs/rules.md). Every field name
 * a rule names is checked against the columns of its subject table, so the
 * names can go into generated SQL as identifiers; all values are bound.
 */
enum rule_kind { RULE_DEADLINE, RULE_COVERAGE, RULE_WEEKLY, RULE_LETTER, RULE_REPEAT };
#define RULE_NKINDS (RULE_REPEAT + 1)

/*
 * The table of rule kinds (ruleset.c KINDS): a kind's name in the rules
 * file, which part of the engine evaluates it, and how its result row is
 * stored. Adding a kind: a row there (with the keys it takes), its
 * evaluator in the part named, and that part's dispatch.
 */
enum rule_part {
	RULE_PART_RECORDS,      /* rules/records: judged record by record in the evaluator's passes */
	RULE_PART_FEES,         /* rules/fees: from the fee pass (check_letter()) */
	RULE_PART_FINDINGS      /* rules/findings: a finding (check_repeat()) */
};

/*
 * A field the engine reads for every rule of a kind beyond those the rule's
 * definition names (rule_needs()): always, only when the rule names
 * callback roles, or only when it ends at the first callback.
 */
enum kind_read_when { READ_ALWAYS, READ_WITH_ROLES, READ_CALLBACK_END };

struct kind_read {
	const char *table, *field;      /* table NULL: the end of the list */
	enum kind_read_when when;
};

#define KIND_MAX_READS 5

struct rule_kind_info {
	const char *name;
	enum rule_part part;
	int counted;            /* 1: check_rule_results holds met, breached, pending */
	int has_result;         /* 1: a check_rule_results row (R-REPEAT's are figures only) */
	int has_trend;          /* 1: check_trend() can give its monthly figures */
	struct kind_read reads[KIND_MAX_READS];
};

const struct rule_kind_info *rule_kind_info(enum rule_kind kind);
enum rule_subject { SUBJECT_NONE, SUBJECT_TICKETS, SUBJECT_COMPLAINTS };
enum limit_unit { LIMIT_NONE, LIMIT_SECONDS, LIMIT_SAMEDAY, LIMIT_WORKDAYS };
enum tristate { ANY = -1, NO = 0, YES = 1 };

#define RULE_MAX_LIST 16
#define RULE_MAX_START 4
#define RULES_MAX_CALENDARS 8

struct rule_list {
	int count;
	char *items[RULE_MAX_LIST];
};

struct rule {
	char id[48];
	int line;                       /* line of the [ID] header */
	enum rule_kind kind;
	int enabled;
	char *title_zh, *title_en, *source;
	double target;                  /* 0..1 */

	/* which records (deadline, coverage, weekly) */
	enum rule_subject subject;
	struct rule_list category, category_not, level;
	enum tristate urgent, paid, valid;
	long long min_charge;           /* cents; -1: no minimum */

	/* deadline: start is the first of these fields that is given */
	const char *start[RULE_MAX_START];
	int nstart;
	const char *end;                /* column, or NULL for the first callback */
	enum limit_unit limit_unit;
	long long limit_value;          /* seconds, or N working days */
	char limit_text[24];
	const char *deadline_field;     /* replaces the limit when given (requested_by) */

	/* coverage, weekly: the event that puts a record in the period */
	const char *event;
	struct rule_list callback_roles;  /* substrings of callbacks.role; empty: any */

	/* letter (F-LETTER) */
	struct rule_list first_reminder, letter;
	int after_months;
	long long grace_seconds;

	/* repeat (R-REPEAT) */
	int window_days, min_complaints, min_tickets;
};

struct ruleset {
	char *origin;                   /* the file read, or "built-in default" */
	char sha256[65];
	struct rule *rules;
	size_t count;
	char *calendars[RULES_MAX_CALENDARS];  /* resolved calendar file paths */
	int ncalendars;
};

/*
 * Loads the rules file at path; NULL means the default: rules/default.rules
 * found next to the binary (../rules/ for build/pmaudit, or
 * ../share/pmaudit/), else the copy compiled into the binary.
 */
int ruleset_load(const char *path, struct ruleset *rs, pm_error *err);

/* Parses rules text; name is used in messages and to resolve calendar paths. */
int ruleset_parse(const char *name, const char *text, size_t len,
		  struct ruleset *rs, pm_error *err);

void ruleset_free(struct ruleset *rs);

/*
 * Whether text holds one of list's words: how a callback's role is one a
 * rule's callback_roles accept (主管 accepts 客服主管). NULL text: no.
 */
int rule_list_found_in(const struct rule_list *list, const char *text);

const char *rule_kind_name(enum rule_kind kind);
const char *rule_subject_table(enum rule_subject subject);
/* The record's id column and its start-of-life timestamp column. */
const char *rule_subject_id(enum rule_subject subject);

/*
 * Which fields each rule reads (field_needs.c): the one place that says so,
 * used by the importer to report a file that lacks a field a rule in force
 * needs (MAPPING.md "Never silently wrong") and by the engine to count the
 * records such files gave as unknown (无法判定) for that rule
 * (rules/records/records_pass.c). A rule reads the fields its definition names
 * (start, end, deadline_field, event, and the fields of its filters) and, by
 * its kind, the fields the engine reads for it (KINDS' reads, ruleset.c).
 */
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
