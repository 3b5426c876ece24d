/*
 * A fee statement's bills replace their events (etl/bills.h).
 */
#include <string.h>
#include "etl/bills.h"
#include "etl/kinds.h"
#include "db/db.h"

int bills_open(struct pm_bills *b, sqlite3 *db, pm_error *err)
{
	memset(b, 0, sizeof(*b));
	b->db = db;
	/* the connection's own scratch table: nothing of it outlives the file */
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS statement_bills("
		    "bill TEXT PRIMARY KEY, waiver INTEGER NOT NULL, payment INTEGER NOT NULL);"
		    "DELETE FROM temp.statement_bills", err))
		return -1;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO temp.statement_bills VALUES(?1, ?2, ?3)",
			       -1, &b->note, NULL))
		return db_error(db, err);
	return 0;
}

/* The entry id of an event, and whether it ends in suffix. */
static int id_ends(const struct pm_value *id, const char *suffix)
{
	size_t n = strlen(suffix);

	return id->tag == PM_STR && id->n >= n && !memcmp(id->s + id->n - n, suffix, n);
}

static int note_bill(struct pm_bills *b, const struct pm_value *charge, int waiver, int payment,
		     pm_error *err)
{
	sqlite3_bind_text(b->note, 1, charge->s, (int)(charge->n - strlen("#charge")),
			  SQLITE_STATIC);
	sqlite3_bind_int(b->note, 2, waiver);
	sqlite3_bind_int(b->note, 3, payment);
	if (sqlite3_step(b->note) != SQLITE_DONE) {
		sqlite3_reset(b->note);
		return db_error(b->db, err);
	}
	sqlite3_reset(b->note);
	return 0;
}

int bills_note(struct pm_bills *b, const struct pm_batch *batch, pm_error *err)
{
	int id = kind_field_index(&PM_KINDS[PM_FEES], "entry_id");
	size_t i = 0, k;

	while (i < batch->n) {
		const struct pm_batch_item *first = &batch->items[i];
		const struct pm_value *charge = &first->row.value[id];
		int waiver = 0, payment = 0;

		if (first->rejected || !id_ends(charge, "#charge")) {
			i++;
			continue;
		}
		for (k = i + 1; k < batch->n && !batch->items[k].rejected &&
		     batch->items[k].line == first->line; k++) {
			waiver |= id_ends(&batch->items[k].row.value[id], "#waiver");
			payment |= id_ends(&batch->items[k].row.value[id], "#payment");
		}
		if (note_bill(b, charge, waiver, payment, err))
			return -1;
		i = k;
	}
	return 0;
}

int bills_replace(struct pm_bills *b, int64_t *removed, pm_error *err)
{
	int rc = db_exec(b->db,
			 "DELETE FROM main.fees WHERE entry_id IN ("
			 " SELECT bill || '#waiver' FROM temp.statement_bills WHERE NOT waiver"
			 " UNION ALL SELECT bill || '#payment' FROM temp.statement_bills WHERE NOT payment)",
			 err);

	*removed = rc ? 0 : sqlite3_changes(b->db);
	bills_close(b);
	return rc;
}

void bills_close(struct pm_bills *b)
{
	if (b->note) {
		sqlite3_finalize(b->note);
		b->note = NULL;
		sqlite3_exec(b->db, "DROP TABLE IF EXISTS temp.statement_bills", NULL, NULL, NULL);
	}
}
