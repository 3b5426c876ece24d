#ifndef PM_RULES_ENGINE_H
#define PM_RULES_ENGINE_H

/*
 * Shared by the engine's files (rules/engine/): check.c runs, trend.c the
 * trend, summary.c the JSON summary, preload.c the read-ahead threads.
 */
#include "rules/engine/check.h"
#include "rules/run/run.h"

/* The rules file's calendars, then calendar_file (may be NULL), into *cal. */
int check_load_calendar(const struct ruleset *rs, const char *calendar_file,
			struct calendar **cal, pm_error *err);
/* Builds the JSON summary and stores it in check_runs.summary_json. */
int check_summary(struct check_ctx *c, pm_error *err);

#endif
