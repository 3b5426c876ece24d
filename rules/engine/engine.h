#ifndef PM_RULES_ENGINE_H
#define PM_RULES_ENGINE_H

/*
 * Shared by the engine's files (rules/engine/): check.c runs, trend.c the
 * trend, summary.c the JSON summary, preload.c the read-ahead threads.
 */
#include "rules/engine/check.h"
#include "rules/run/run.h"
#include "rules/records/records.h"

/* 0 if both are given, else -1 with err: the engine loads no rules or calendar itself. */
int check_rules_given(const struct ruleset *rules, const struct calendar *cal, pm_error *err);
/* Builds the JSON summary and stores it in check_runs.summary_json. */
int check_summary(struct check_ctx *c, pm_error *err);
/* check_params.categories from the run's findings' records (categories.c). */
int check_count_categories(struct check_ctx *c, struct check_categories *out, pm_error *err);

/*
 * The per-record part of a trend (check_trend.c's pass over the months):
 * the months and rules resolved, and their counts, which a run's own pass
 * makes (check_params.trend). The run's scope must fit the months
 * (check.c checks, and zeroes the counts); it sets counted once the run
 * has succeeded.
 */
struct trend_pass {
	int nmonths;
	char (*start)[20];              /* nmonths + 1: each month's first instant, then the end */
	char (*period)[8];              /* nmonths + 1: 'YYYY-MM' */
	const struct rule **rules;      /* the distinct rules evaluated */
	int nrules;
	struct month_count *counts;     /* [month * nrules + place] */
	int run_as_of;                  /* 1: one run's window, as of the run's as-of time */
};

struct check_trend_counts {
	struct trend_pass tp;
	struct months_spec spec;        /* what the run's records pass is given (check_ctx.months) */
	char as_of[20];                 /* the months' (check_trend_params.as_of, or the end) */
	char *site;
	const struct ruleset *rs;
	int counted;
};

#endif
