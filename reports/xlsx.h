#ifndef PM_XLSX_H
#define PM_XLSX_H

#include <sqlite3.h>
#include "reports/sample.h"
#include "util/error.h"

/*
 * The Excel workbook written beside a check run or a report (--xlsx FILE):
 * the sheets 汇总/Summary, 违规明细/Breaches, 按项目/By site, 欠费账龄/Arrears
 * aging, 催缴函/Letters due, 数据质量/Data quality, and for the inspection
 * report 抽查清单/Checklist. Every figure is the check run's, as in the JSON
 * summary; real Excel types (dates, money, rates, durations); the same run
 * and options give the same bytes (docs/reports.md, "The Excel workbook").
 */
struct xlsx_job {
	sqlite3 *db;
	sqlite3_int64 run_id;           /* the check run the sheets show */
	const char *path;               /* where to write: the outfile's temporary */
	const char *title;              /* the document's title */
	int english;                    /* headers in English (default Chinese) */
	const char *from, *to, *as_of;  /* the run's window and as-of time */
	const char *site;               /* NULL: all sites */
	const char *rules_file, *calendar_file;   /* NULL: the defaults */
	const struct sampled *sample;   /* the inspection sample, or NULL */
	int nsample;
};

/*
 * Writes the workbook to job->path, which the caller makes and commits as
 * an outfile (util/outfile.h: a temporary renamed over the target when
 * complete, so a failure leaves no partial workbook).
 */
int xlsx_write(const struct xlsx_job *job, pm_error *err);

#endif
