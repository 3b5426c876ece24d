#ifndef PM_BILLS_H
#define PM_BILLS_H

/*
 * A fee statement's bills replace their events (MAPPING.md, "Fee
 * statements"). etl/statement.c turns a bill into a charge, a waiver when
 * something was waived and a payment when something was paid, with the
 * stable ids BILL#charge, BILL#waiver and BILL#payment; the upsert updates
 * the events a newer statement shows. This module removes the ones it no
 * longer shows: a bill whose newer statement has no payment (reversed, or
 * entered against the wrong bill) or no waiver keeps no stale #payment or
 * #waiver, so the bill's events are exactly the newer statement's. A bill
 * the newer statement does not list at all keeps its events: a statement
 * need not list every bill (many list only the period's, or the unpaid).
 *
 * The bills of the file are noted, the last row of a bill winning as the
 * upsert does, in a temporary table of the file's transaction; once the
 * file is stored, one DELETE removes the events their last rows lack.
 */

#include <sqlite3.h>
#include <stdint.h>
#include "etl/batch.h"
#include "util/error.h"

struct pm_bills {
	sqlite3 *db;
	sqlite3_stmt *note;
};

/* Starts noting the bills of a statement file (in its transaction). */
int bills_open(struct pm_bills *b, sqlite3 *db, pm_error *err);

/*
 * Notes the bills of a stored batch of statement events: each bill's
 * events are consecutive items of one line, its #charge first.
 */
int bills_note(struct pm_bills *b, const struct pm_batch *batch, pm_error *err);

/*
 * Removes the #waiver and #payment events of the bills noted whose last
 * row had none; *removed: how many. Then as bills_close().
 */
int bills_replace(struct pm_bills *b, int64_t *removed, pm_error *err);

void bills_close(struct pm_bills *b);

#endif
