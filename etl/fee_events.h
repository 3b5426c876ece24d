#ifndef PM_FEE_EVENTS_H
#define PM_FEE_EVENTS_H

/*
 * The fee ledger (db/fee_ledger.h) from a fees file's events as the file
 * is read, instead of from fees_account read back at the end.
 *
 * The ledger of a fees file imported into an empty table was rebuilt by
 * reading the whole of fees_account (2M index entries of nine columns)
 * after it was built: the storing thread alone, with the second core idle,
 * about a tenth of the import's wall time (docs/performance.md, "The
 * import, eighth pass"). The reading thread has every event in its hands
 * already: it notes each stored row's account and the columns the ledger
 * orders and packs by, 32 bytes an event, in a temporary file (memory stays
 * flat whatever the file's size); at the end the events are put in
 * fees_account's order (accounts by their texts, then period, kind, at,
 * amount, due_date, method, as SQLite compares them) a group of accounts
 * at a time and handed to the ledger's writer, which packs them exactly as
 * the rebuild does.
 *
 * Only what can be told exactly from the rows is collected: canonical
 * texts (util/civil.h), the four kinds, a charge with its due date. Any
 * other row, and a file that updates a row or repeats a key (the caller
 * checks that every stored row was inserted), falls back to the rebuild.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include "etl/batch.h"
#include "util/error.h"
#include "util/strtab.h"

struct fee_events_account;
struct fee_events_slot {
	int id[3];              /* the account's site, room and fee item numbers */
	uint32_t account;       /* its number + 1; 0: empty */
};

struct pm_fee_events {
	int on;                 /* every row so far was collected */
	int field[9];           /* the fields the ledger reads, by index in a row */
	FILE *file;             /* the events, in the order the rows came */
	int64_t n;              /* events in file */
	struct strtab sites, rooms, items, methods;
	struct fee_events_account *acc;
	uint32_t nacc, cap;
	struct fee_events_slot *slot;   /* by hash of the account's numbers */
	uint32_t nslot;
};

/* Ready to collect (the reading thread, once the file is known to hold fees). */
void fee_events_init(struct pm_fee_events *fe);
/*
 * Notes the rows a sealed batch stores (the reading thread, before it
 * hands the batch over); a row it cannot keep exactly turns collecting off.
 */
void fee_events_add_batch(struct pm_fee_events *fe, const struct pm_batch *b);
/*
 * The file is read: the look-up table goes (2 MB for the benchmark's 73k
 * accounts), before the index builds, whose sorts take memory too.
 */
void fee_events_read_all(struct pm_fee_events *fe);
/*
 * Writes the whole ledger from the collected events (the storing thread,
 * after the reader is done, in the file's transaction): 1 written, 0 not
 * collected (the caller rebuilds from fees), -1 failed (err says why).
 */
int fee_events_store(struct pm_fee_events *fe, sqlite3 *db, pm_error *err);
void fee_events_free(struct pm_fee_events *fe);

#endif
