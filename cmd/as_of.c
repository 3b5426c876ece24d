/*
 * The as-of time check and the reports judge by when --as-of is not given,
 * and the warning for a period that runs past the data (issue 14).
 */
#include <stdio.h>
#include <string.h>
#include "cmd/cmd.h"
#include "db/db.h"
#include "util/i18n.h"
#include "util/term.h"

int cmd_as_of(const char *who, sqlite3 *db, const char *to, const char *given, char as_of[20])
{
	struct db_coverage all;
	pm_error err = { "" };
	char chosen[20] = "";
	int past;

	/* given may be as_of itself */
	if (given)
		snprintf(chosen, sizeof(chosen), "%s", given);
	if (db_default_as_of(db, to, as_of, &past, &err) || db_coverage(db, NULL, &all, &err)) {
		term_printf(stderr, "%s: %s", who, err.msg);
		return -1;
	}
	if (given)
		memcpy(as_of, chosen, sizeof(chosen));
	if (past && !all.last[0])
		fprintf(stderr, "%s: %s\n", who, _("warning: the database holds no records"));
	else if (past)
		term_printf(stderr, given ? _("%s: warning: the period runs to %s but the data ends at %s "
					     "(the latest event in the database): judged as of %s (--as-of)")
			    : _("%s: warning: the period runs to %s but the data ends at %s "
				"(the latest event in the database): judged as of %s"),
			    who, to, all.last, as_of);
	return 0;
}
