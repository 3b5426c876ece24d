#ifndef PM_EACH_SITE_H
#define PM_EACH_SITE_H

#include <sqlite3.h>
#include "reports/report.h"

/*
 * report monthly --each-site DIR (cmd/report_each_site.c): one monthly
 * report per site of the data into DIR, as `--site NAME --out
 * DIR/NAME.pdf` would write it, after the group report.
 *
 * each_site_prepare() makes DIR if it is missing, lists the sites, gives
 * each its file name and path-checks every output before any work;
 * each_site_run() then writes the reports one at a time, printing each
 * file's path, and stops at the first failure, after printing an error
 * that names the site and its file (1; 0 when all are written).
 */
struct site_files;

int each_site_prepare(sqlite3 *db, const struct report_opts *group, const char *db_path,
		      const char *dir, struct site_files **out, pm_error *err);
int each_site_run(sqlite3 *db, const struct report_opts *group, struct site_files *f);
int each_site_count(const struct site_files *f);
void each_site_free(struct site_files *f);

#endif
