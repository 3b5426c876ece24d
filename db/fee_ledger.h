#ifndef PM_FEE_LEDGER_H
#define PM_FEE_LEDGER_H

/*
 * The fee ledger by account, for the rules engine (docs/architecture.md
 * "The fee ledger").
 *
 * Every check needs the whole ledger: any old charge may still be owed. The
 * fees table holds one row per event (2M in a year of 100 sites); the
 * derived table fee_ledger holds one row per account (site, room, fee item)
 * with the account's events packed into a blob in fees_account order, so a
 * run reads 73k rows instead of 2M. fee_ledger_state says whether it is
 * current: the import rebuilds it in the same transaction as the rows it
 * stores, and triggers on fees mark it stale when anyone else (the sqlite3
 * CLI) changes fees. A stale ledger is rebuilt by a check, or read around
 * by going to fees itself: both give the same events.
 *
 * An event's texts are kept as numbers when they are canonical (util/civil.h)
 * and as text otherwise, so whatever a user stored is read back as it was.
 */
#include <sqlite3.h>
#include <stdint.h>
#include "util/buf.h"
#include "util/error.h"

enum fee_kind { FEE_CHARGE, FEE_PAYMENT, FEE_WAIVER, FEE_REMINDER, FEE_OTHER };

/*
 * One row of fees as the rules engine reads it. A *_text field is set (and
 * the number beside it meaningless) when the stored text is not canonical.
 * due is what the charge is due by: due_date, or the last day of the
 * period's month when it has none (has_due 0 for any other kind, and when
 * neither gives a date).
 */
struct fee_event {
	int64_t at;                 /* seconds since 1970 */
	int64_t amount;
	int64_t due;                /* day number */
	const char *period_text, *at_text, *due_text;
	const char *method;         /* NULL when NULL */
	int period;                 /* y * 12 + m - 1 */
	unsigned char kind, has_amount, has_due;
};

/* An account and its events in fees_account order (period, kind, at, ...). */
struct fee_account {
	sqlite3_value *site, *room, *fee_item;
	const struct fee_event *events;
	int nevents;
};

typedef int (*fee_account_fn)(void *ctx, const struct fee_account *a, pm_error *err);

/*
 * Calls fn for each account in key order (only site's accounts if site is
 * not NULL), reading fee_ledger (fee_ledger_walk) or fees itself
 * (fee_ledger_walk_fees). The account and its texts live until fn returns.
 * A nonzero return from fn stops the walk and is returned.
 */
int fee_ledger_walk(sqlite3 *db, const char *site, fee_account_fn fn, void *ctx, pm_error *err);
int fee_ledger_walk_fees(sqlite3 *db, const char *site, fee_account_fn fn, void *ctx,
			 pm_error *err);

/*
 * *stale = 1 if fee_ledger does not hold what fees holds, 0 if it does, and
 * FEE_LEDGER_ABSENT if the database has no ledger (made by an earlier build
 * of the unreleased schema version 2): read fees, and keep nothing up to date.
 */
#define FEE_LEDGER_ABSENT 2
int fee_ledger_is_stale(sqlite3 *db, int *stale, pm_error *err);
/*
 * Rebuilds fee_ledger from fees and marks it current; in the caller's
 * write transaction.
 */
int fee_ledger_rebuild(sqlite3 *db, pm_error *err);
/*
 * For the import: drops the triggers that mark the ledger stale (a bulk
 * load would pay one trigger call per row) and puts them back. Both in the
 * import's transaction, which also rebuilds the ledger: a rollback restores
 * all three as they were.
 */
int fee_ledger_drop_triggers(sqlite3 *db, pm_error *err);
int fee_ledger_create_triggers(sqlite3 *db, pm_error *err);
/*
 * For a small file into a large ledger: from track_begin on, this
 * connection notes every account a change to fees touches (temporary
 * triggers); track_end rebuilds those accounts' rows of a current ledger
 * and forgets them; track_drop forgets them (after a failure). In the
 * import's transaction, like the rest.
 */
int fee_ledger_track_begin(sqlite3 *db, pm_error *err);
int fee_ledger_track_end(sqlite3 *db, pm_error *err);
void fee_ledger_track_drop(sqlite3 *db);

/* The packed form of one account's events (db/fee_codec.c). */
struct fee_packer {
	struct buf buf;
	int n;                      /* events packed */
	int period;                 /* the last event's period */
	char *period_text;
	int64_t at, due;            /* the last numbers, which the next differ from */
};
/* Empties the buffer for the next account (a zeroed packer is ready too). */
void fee_pack_start(struct fee_packer *p);
/* Appends one event (its texts are copied); -1 out of memory. */
int fee_pack_event(struct fee_packer *p, const struct fee_event *e);
void fee_pack_free(struct fee_packer *p);
/*
 * Unpacks into *events (grown as needed, *cap its size); -1 if the blob is
 * malformed. Texts point into blob.
 */
int fee_unpack(const void *blob, size_t len, struct fee_event **events, int *cap,
	       int *n);

/*
 * Writing the whole ledger from accounts handed over in key order, for the
 * import of a fees file into an empty table, which collects the file's
 * events while reading it (etl/fee_events.h) instead of reading
 * fees_account back at the end. write_begin empties the ledger;
 * write_account stores one account (key[] its site, room and fee item as
 * stored in fees, events in fees_account order, their times as numbers:
 * at_text NULL); write_end marks the ledger current (failed 0) or only
 * frees the writer. In the caller's write transaction. fee_ledger_rebuild()
 * is the same writer fed from fees_account.
 */
struct fee_ledger_writer {
	sqlite3 *db;
	sqlite3_stmt *ins;
	struct fee_packer pk;
};
int fee_ledger_write_begin(sqlite3 *db, struct fee_ledger_writer *w, pm_error *err);
int fee_ledger_write_account(struct fee_ledger_writer *w, const char *const key[3],
			     const int key_len[3], const struct fee_event *ev, int n,
			     pm_error *err);
int fee_ledger_write_end(struct fee_ledger_writer *w, int failed, pm_error *err);

#endif
