#ifndef PM_CB_GROUPED_H
#define PM_CB_GROUPED_H

#include <sqlite3.h>
#include "rules/records/eval_callbacks.h"

/*
 * The callback map read from rows that come grouped: st (prepared, bound)
 * returns ref_kind, ref_id, callback_at in callbacks_ref's order, each
 * record's callbacks together and in time order. Then each record's hits
 * are written in place as they come -- no list of items, no sort by
 * record, no sort of each record's times -- and its slot added once the
 * rows are read (docs/performance.md, "report monthly, session 8").
 *
 * m is empty (cb_map_load()'s start). Keeps the rows with a TEXT
 * callback_at in [from, as_of], as the whole table's read does.
 * Returns 0 with m filled, -1 out of memory, -2 a database error (st's
 * connection says which), or 1 when the rows did not come so (a record
 * seen again after another, a time before the one before it): then m is
 * left for cb_map_free() and the caller reads the map its general way.
 */
int cb_map_read_grouped(sqlite3_stmt *st, const char *from, const char *as_of,
			struct cb_map *m);

#endif
