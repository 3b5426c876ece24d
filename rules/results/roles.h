#ifndef PM_RESULTS_ROLES_H
#define PM_RESULTS_ROLES_H

/*
 * Which part a rule plays in the reports, decided from what the rule says
 * in the rules file (its kind, subject, end event, filters), never from its
 * id: a user who renames T-CB-SAFETY to SAFETY-CALLBACK still finds it under
 * "repair callbacks on time". The ids the engine itself gives findings
 * (Q-ORDER, ...) are constants of the engine and listed here once.
 */
#include "rules/ruleset/ruleset.h"

enum rule_role {
	ROLE_OTHER,
	ROLE_REPAIR_CALLBACK,     /* deadline on tickets, ended by a callback */
	ROLE_REPAIR_DEADLINE,     /* any other deadline on tickets (arrival) */
	ROLE_COMPLAINT_DEADLINE,  /* deadline on complaints */
};

/* The role of the rule with this id in rs; ROLE_OTHER if rs has none. */
enum rule_role rule_role(const struct ruleset *rs, const char *rule_id);

/* The single rules a report names: the trend's columns, the annual summary. */
enum key_rule {
	KEY_REPAIR_COVERAGE,      /* coverage of all tickets by any callback */
	KEY_COMPLAINT_COVERAGE,   /* coverage of complaints by any callback */
	KEY_URGENT_ARRIVAL,       /* deadline on tickets ended by arrived_at */
	KEY_LETTER,               /* the fee reminder letter rule */
	KEY_COUNT
};

/*
 * The id of the first enabled rule of rs playing that part, or "" when
 * none does (a report then prints "—" or leaves the part out).
 */
const char *key_rule_id(const struct ruleset *rs, enum key_rule k);

/*
 * A finding of the engine (status finding) that is a fault in the data
 * (impossible order, orphan callback, missing start) rather than something
 * for the quality department to follow up (a problem callback not closed,
 * a repeat rule's groups).
 */
int finding_is_data_fault(const char *rule_id);

/* The engine's own finding ids with their titles; NULL when not one. */
const char *finding_title(const char *rule_id, int english);

#endif
