#include "reports/report.h"
int report_inspection(sqlite3 *db, const struct report_opts *opts, pm_error *err)
{
	(void)db; (void)opts;
	return pm_fail(err, "inspection: not written yet");
}
