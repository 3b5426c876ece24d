#ifndef PM_RULES_ENGINE_H
#define PM_RULES_ENGINE_H

/*
 * Shared by the engine's files (rules/engine/): check.c runs, trend.c the
 * trend, summary.c the JSON summary, preload.c the read-ahead threads.
 */
#include "rules/engine/check.h"
#include "rules/run/run.h"

/* 0 if both are given, else -1 with err: the engine loads no rules or calendar itself. */
int check_rules_given(const struct ruleset *rules, const struct calendar *cal, pm_error *err);
/* Builds the JSON summary and stores it in check_runs.summary_json. */
int check_summary(struct check_ctx *c, pm_error *err);

#endif
