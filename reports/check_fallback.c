/*
 * Until the rules engine (branch rules) is merged, the binary still links:
 * this weak check_run() only reports that the engine is missing. The real
 * check_run() in rules/ overrides it. Remove this file after the merge.
 */
#include "rules/check.h"

__attribute__((weak)) int check_run(sqlite3 *db, const struct check_params *params,
				    sqlite3_int64 *run_id, pm_error *err)
{
	(void)db;
	(void)params;
	(void)run_id;
	return pm_fail(err, "this build has no rules engine (check_run)");
}
