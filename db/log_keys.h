#ifndef PM_LOG_KEYS_H
#define PM_LOG_KEYS_H

/*
 * The logs' keys as named unique indexes (schema version 8,
 * db/schema.sql.h): a step of the migration, for db/db.c.
 */
#include <sqlite3.h>
#include "util/error.h"

/*
 * Makes each empty log table (tickets, complaints, callbacks, fees) again
 * with its key column NOT NULL and a unique index <table>_key on it,
 * instead of a PRIMARY KEY, keeping its other indexes and its triggers. A
 * table that holds rows keeps its PRIMARY KEY: remaking it would copy every
 * row, and both forms find a repeated key the same way. In the caller's
 * transaction.
 */
int log_keys_as_indexes(sqlite3 *db, pm_error *err);

#endif
