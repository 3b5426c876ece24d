#ifndef PM_FEE_LEDGER_SQL_H
#define PM_FEE_LEDGER_SQL_H

/*
 * The triggers that mark fee_ledger stale when fees changes (schema version
 * 2, db/schema.sql.h), here for the import too, which drops them for the
 * length of a fees file and creates them again (db/fee_ledger.h). An update
 * that changes only import_run, src_line, entry_id or custody changes
 * nothing the ledger holds.
 */
#define FEE_LEDGER_TRIGGERS \
"CREATE TRIGGER fee_ledger_stale_insert AFTER INSERT ON fees\n" \
"  BEGIN UPDATE fee_ledger_state SET stale = 1 WHERE stale = 0; END;\n" \
"CREATE TRIGGER fee_ledger_stale_update AFTER UPDATE OF site, room, fee_item,\n" \
"  period, kind, amount, at, due_date, method ON fees\n" \
"  BEGIN UPDATE fee_ledger_state SET stale = 1 WHERE stale = 0; END;\n" \
"CREATE TRIGGER fee_ledger_stale_delete AFTER DELETE ON fees\n" \
"  BEGIN UPDATE fee_ledger_state SET stale = 1 WHERE stale = 0; END;\n"

#endif
