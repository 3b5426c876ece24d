#ifndef PM_STATEMENT_H
#define PM_STATEMENT_H

/*
 * Fee statements (MAPPING.md, kind = fee-statement): one row per bill
 * becomes fee ledger events, a charge of the due amount, a waiver when
 * something was waived and a payment when something was paid, with entry
 * ids BILL#charge, BILL#waiver and BILL#payment, so that importing the same
 * statement again, or next month's where the bill is now paid, updates the
 * events instead of adding more. Pure: no database, no I/O.
 */

#include "etl/row.h"

#define PM_STATEMENT_EVENTS 3
#define PM_STATEMENT_ID_MAX 512

struct pm_statement_events {
	int n;
	struct pm_row row[PM_STATEMENT_EVENTS];	/* fees rows */
	char id[PM_STATEMENT_ID_MAX * PM_STATEMENT_EVENTS];
};

/*
 * Splits a converted statement row (fields of kind PM_FEE_STATEMENT) into
 * fees rows. A paid amount without a payment date, or arrears that are
 * not due - waived - paid, is refused: -1, *field and reason (both figures).
 */
int statement_split(const struct pm_row *bill, struct pm_statement_events *ev,
		    const char **field, char *reason, size_t size);

#endif
