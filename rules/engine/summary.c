/*
 * The JSON summary of OUTPUT.md, read from what the run stored and
 * written in a fixed order (rules in rules-file order, weeks and lists
 * sorted) so that two runs over the same data give the same text.
 */
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "rules/engine/engine.h"
#include "rules/fees/fees.h"
#include "rules/results/results.h"
#include "util/jsonbuf.h"

/* Column i as a JSON integer, or null. */
static void json_int_col(struct jsonbuf *jb, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		jb_raw(jb, "null");
	else
		jb_printf(jb, "%lld", (long long)sqlite3_column_int64(st, i));
}

static void json_rate_col(struct jsonbuf *jb, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		jb_raw(jb, "null");
	else
		jb_rate(jb, sqlite3_column_double(st, i));
}

static void json_bool_col(struct jsonbuf *jb, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		jb_raw(jb, "null");
	else
		jb_raw(jb, sqlite3_column_int(st, i) ? "true" : "false");
}

enum json_type { JSON_TEXT, JSON_INT, JSON_RATE, JSON_BOOL };

/* `, "name": ` and column i in the given type (NULL as null). */
static void json_member(struct jsonbuf *jb, const char *name, sqlite3_stmt *st, int i,
			enum json_type type)
{
	jb_raw(jb, ", ");
	jb_string(jb, name);
	jb_raw(jb, ": ");
	switch (type) {
	case JSON_TEXT:
		jb_string(jb, (const char *)sqlite3_column_text(st, i));
		break;
	case JSON_INT:
		json_int_col(jb, st, i);
		break;
	case JSON_RATE:
		json_rate_col(jb, st, i);
		break;
	case JSON_BOOL:
		json_bool_col(jb, st, i);
		break;
	}
}

static int json_weeks(struct check_ctx *c, struct jsonbuf *jb, const struct rule *r, pm_error *err)
{
	sqlite3_stmt *st;
	int n = 0, rc;

	if (ctx_prepare(c, "SELECT week, numerator, denominator, rate, met FROM check_weeks"
			" WHERE run_id = :run AND rule_id = :rule ORDER BY week", &st, err))
		return -1;
	ctx_bind_text(st, ":rule", r->id);
	jb_raw(jb, ", \"weeks\": [");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jb_raw(jb, n++ ? ",\n      {\"week\": " : "\n      {\"week\": ");
		jb_string(jb, (const char *)sqlite3_column_text(st, 0));
		json_member(jb, "numerator", st, 1, JSON_INT);
		json_member(jb, "denominator", st, 2, JSON_INT);
		json_member(jb, "rate", st, 3, JSON_RATE);
		json_member(jb, "met", st, 4, JSON_BOOL);
		jb_raw(jb, "}");
	}
	sqlite3_finalize(st);
	jb_raw(jb, "]");
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
}

/* F-LETTER extras: accounts not evaluated yet and the letters due now (check_letter() kept them). */
static int json_letters(struct check_ctx *c, struct jsonbuf *jb, const struct rule *r, pm_error *err)
{
	const struct letter_summary *sum = NULL;
	size_t i;
	int k;

	for (k = 0; k < c->nletters && !sum; k++)
		if (c->letters[k].r == r)
			sum = &c->letters[k];
	if (!sum)
		return pm_fail(err, "rule %s: no letters counted", r->id);
	jb_printf(jb, ", \"not_evaluated\": %lld, \"letters_due\": [", (long long)sum->not_evaluated);
	for (i = 0; i < sum->ndue; i++) {
		jb_raw(jb, i ? ", {\"account\": " : "{\"account\": ");
		jb_string(jb, sum->due[i].account);
		jb_raw(jb, ", \"by\": ");
		jb_string(jb, sum->due[i].by);
		jb_raw(jb, "}");
	}
	jb_raw(jb, "]");
	return 0;
}

static int json_rule(struct check_ctx *c, struct jsonbuf *jb, const struct rule *r, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (ctx_prepare(c, "SELECT rule_kind, title_zh, title_en, met, breached, pending, numerator,"
			" denominator, rate, target, target_met, unknown FROM check_rule_results"
			" WHERE run_id = :run AND rule_id = :rule", &st, err))
		return -1;
	ctx_bind_text(st, ":rule", r->id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return pm_fail(err, "rule %s: no result stored", r->id);
	}
	jb_string(jb, r->id);
	jb_raw(jb, ": {\"kind\": ");
	jb_string(jb, (const char *)sqlite3_column_text(st, 0));
	json_member(jb, "title_zh", st, 1, JSON_TEXT);
	json_member(jb, "title_en", st, 2, JSON_TEXT);
	if (rule_kind_info(r->kind)->counted) {
		json_member(jb, "met", st, 3, JSON_INT);
		json_member(jb, "breached", st, 4, JSON_INT);
		json_member(jb, "pending", st, 5, JSON_INT);
	} else {
		json_member(jb, "numerator", st, 6, JSON_INT);
		json_member(jb, "denominator", st, 7, JSON_INT);
	}
	/* records whose file lacked a field the rule needs: in no rate (docs/rules.md) */
	json_member(jb, "unknown", st, 11, JSON_INT);
	json_member(jb, "rate", st, 8, JSON_RATE);
	json_member(jb, "target", st, 9, JSON_RATE);
	json_member(jb, "target_met", st, 10, JSON_BOOL);
	sqlite3_finalize(st);
	if (r->kind == RULE_WEEKLY && json_weeks(c, jb, r, err))
		return -1;
	if (r->kind == RULE_LETTER && json_letters(c, jb, r, err))
		return -1;
	jb_raw(jb, "}");
	return 0;
}

/*
 * The figures whose key starts with prefix (but not with exclude), as
 * "name": value entries in key order, without the braces.
 */
static int json_figures(struct check_ctx *c, struct jsonbuf *jb, const char *prefix,
			const char *exclude, pm_error *err)
{
	sqlite3_stmt *st;
	int n = 0, rc;
	size_t skip = strlen(prefix);

	char hi[32];

	/*
	 * The keys from prefix up to prefix with its last byte ('.') raised: a
	 * range of the index, not a scan of the run's figures (which may hold
	 * a dozen per site for 100,000 sites, "<key>/<site>").
	 */
	snprintf(hi, sizeof(hi), "%.*s%c", (int)(skip - 1), prefix, prefix[skip - 1] + 1);
	if (ctx_prepare(c, "SELECT key, int_value, real_value FROM check_figures WHERE run_id = :run"
			" AND key >= :prefix AND key < :hi AND instr(key, '/') = 0"
			" AND (:exclude IS NULL OR substr(key, 1, length(:exclude)) <> :exclude)"
			" ORDER BY CAST(substr(key, length(:prefix) + 1) AS INTEGER), key", &st, err))
		return -1;
	ctx_bind_text(st, ":prefix", prefix);
	ctx_bind_text(st, ":hi", hi);
	ctx_bind_text(st, ":exclude", exclude);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jb_raw(jb, n++ ? ", " : "");
		jb_string(jb, (const char *)sqlite3_column_text(st, 0) + skip);
		jb_raw(jb, ": ");
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			json_int_col(jb, st, 1);
		else
			json_rate_col(jb, st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
}

/*
 * "coverage": per log the first and last event in the database, the site's
 * with a site (db_coverage(); null for a log without records): how far the
 * data goes, beside the as-of time it was judged by (issue 14).
 */
static int json_coverage(struct check_ctx *c, struct jsonbuf *jb, pm_error *err)
{
	struct db_coverage cov;
	int i;

	if (db_coverage(c->db, c->scope->site, &cov, err))
		return -1;
	jb_raw(jb, ",\n  \"coverage\": {");
	for (i = 0; i < DB_COVERAGE_LOGS; i++) {
		jb_raw(jb, i ? ",\n    " : "\n    ");
		jb_string(jb, DB_COVERAGE_KEYS[i]);
		jb_raw(jb, ": {\"first\": ");
		jb_string(jb, cov.log[i].first[0] ? cov.log[i].first : NULL);
		jb_raw(jb, ", \"last\": ");
		jb_string(jb, cov.log[i].last[0] ? cov.log[i].last : NULL);
		jb_raw(jb, "}");
	}
	jb_raw(jb, "}");
	return 0;
}

/* "物业管理费": {"due_cents": .., "paid_cents": .., "current_rate": ..}, ... in item order */
static int json_fee_items(struct check_ctx *c, struct jsonbuf *jb, pm_error *err)
{
	sqlite3_stmt *st;
	int n = 0, rc;

	/* 'fee_item.' is 9 characters, '.due_cents' 10 */
	if (ctx_prepare(c, "SELECT substr(d.key, 10, length(d.key) - 19), d.int_value, p.int_value,"
			" r.real_value FROM check_figures d"
			" JOIN check_figures p ON p.run_id = d.run_id"
			"  AND p.key = substr(d.key, 1, length(d.key) - 10) || '.paid_cents'"
			" JOIN check_figures r ON r.run_id = d.run_id"
			"  AND r.key = substr(d.key, 1, length(d.key) - 10) || '.current_rate'"
			" WHERE d.run_id = :run AND d.key GLOB 'fee_item.*.due_cents' ORDER BY d.key",
			&st, err))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		jb_raw(jb, n++ ? ",\n      " : "\n      ");
		jb_string(jb, (const char *)sqlite3_column_text(st, 0));
		jb_raw(jb, ": {\"due_cents\": ");
		json_int_col(jb, st, 1);
		json_member(jb, "paid_cents", st, 2, JSON_INT);
		json_member(jb, "current_rate", st, 3, JSON_RATE);
		jb_raw(jb, "}");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
}

/*
 * `"name": value` for figures first .. first + n - 1 (name: the key after
 * its last '.'), has[i] 0 as null; the rates (rate_at, or -1) with 4 decimals.
 */
static void json_fig_members(struct jsonbuf *jb, enum results_figure first, int n, int rate_at,
			     const int *has, const long long *iv, const double *rv)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *key = results_figure_key(first + i);

		jb_raw(jb, i ? ", " : "");
		jb_string(jb, strrchr(key, '.') + 1);
		jb_raw(jb, ": ");
		if (!has[i])
			jb_raw(jb, "null");
		else if (i == rate_at)
			jb_rate(jb, rv[i]);
		else
			jb_printf(jb, "%lld", iv[i]);
	}
}

/* The run's figures first .. first + n - 1 as json_fig_members() writes them. */
static void json_run_members(struct jsonbuf *jb, const struct results_run *run,
			     enum results_figure first, int n, int rate_at)
{
	int has[RESULTS_SITE_FIGS_MAX] = { 0 }, i;
	long long iv[RESULTS_SITE_FIGS_MAX] = { 0 };
	double rv[RESULTS_SITE_FIGS_MAX] = { 0 };

	for (i = 0; i < n; i++)
		has[i] = i == rate_at ? !results_figure_real(run, first + i, &rv[i]) :
			 !results_figure_int(run, first + i, &iv[i]);
	json_fig_members(jb, first, n, rate_at, has, iv, rv);
}

/*
 * "satisfaction": {"satisfied", "basic", "dissatisfied", "unrated", "rate",
 * "by_site": {SITE: {the same}}} and "backlog": {"tickets": {"0-2", "3-7",
 * "8-30", "30+", "unknown"}, "complaints": {...}, "by_site": {SITE:
 * {"tickets": .., "complaints": ..}}} (issue 14; docs/rules.md).
 */
static int json_audit_figures(struct check_ctx *c, struct jsonbuf *jb, pm_error *err)
{
	struct results_run run;
	static const int all[RESULTS_BACKLOG_FIGS] = { 1, 1, 1, 1, 1 };
	struct results_site_figs *sites = NULL;
	int nsites = 0, i;

	if (results_open_run(c->db, c->run_id, &run, err))
		return -1;
	jb_raw(jb, ",\n  \"satisfaction\": {");
	json_run_members(jb, &run, FIG_SATISFACTION_SATISFIED, RESULTS_SATISFACTION_FIGS,
			 RESULTS_SATISFACTION_FIGS - 1);
	jb_raw(jb, ", \"by_site\": {");
	if (results_site_figures(&run, FIG_SATISFACTION_SATISFIED, RESULTS_SATISFACTION_FIGS,
				 &sites, &nsites, err))
		goto fail;
	for (i = 0; i < nsites; i++) {
		jb_raw(jb, i ? ",\n      " : "\n      ");
		jb_string(jb, sites[i].site);
		jb_raw(jb, ": {");
		json_fig_members(jb, FIG_SATISFACTION_SATISFIED, RESULTS_SATISFACTION_FIGS,
				 RESULTS_SATISFACTION_FIGS - 1, sites[i].has, sites[i].ivalue,
				 sites[i].rvalue);
		jb_raw(jb, "}");
	}
	results_site_figures_free(sites, nsites);
	jb_raw(jb, "}},\n  \"backlog\": {\"tickets\": {");
	json_run_members(jb, &run, FIG_BACKLOG_TICKETS_0_2, RESULTS_BACKLOG_FIGS, -1);
	jb_raw(jb, "}, \"complaints\": {");
	json_run_members(jb, &run, FIG_BACKLOG_COMPLAINTS_0_2, RESULTS_BACKLOG_FIGS, -1);
	jb_raw(jb, "}, \"by_site\": {");
	if (results_site_figures(&run, FIG_BACKLOG_TICKETS_0_2, 2 * RESULTS_BACKLOG_FIGS, &sites,
				 &nsites, err))
		goto fail;
	for (i = 0; i < nsites; i++) {
		const struct results_site_figs *x = &sites[i];

		jb_raw(jb, i ? ",\n      " : "\n      ");
		jb_string(jb, x->site);
		jb_raw(jb, ": {\"tickets\": {");
		/* a site's zero counts are not stored (find_backlog.c): 0, not null */
		json_fig_members(jb, FIG_BACKLOG_TICKETS_0_2, RESULTS_BACKLOG_FIGS, -1, all,
				 x->ivalue, x->rvalue);
		jb_raw(jb, "}, \"complaints\": {");
		json_fig_members(jb, FIG_BACKLOG_COMPLAINTS_0_2, RESULTS_BACKLOG_FIGS, -1, all,
				 x->ivalue + RESULTS_BACKLOG_FIGS, x->rvalue + RESULTS_BACKLOG_FIGS);
		jb_raw(jb, "}}");
	}
	results_site_figures_free(sites, nsites);
	jb_raw(jb, "}}");
	results_close_run(&run);
	return 0;
fail:
	results_close_run(&run);
	return -1;
}

static int build(struct check_ctx *c, struct jsonbuf *jb, pm_error *err)
{
	size_t i;
	int n = 0;

	jb_raw(jb, "{\n  \"from\": ");
	jb_string(jb, c->scope->from);
	jb_raw(jb, ",\n  \"to\": ");
	jb_string(jb, c->scope->to);
	jb_raw(jb, ",\n  \"as_of\": ");
	jb_string(jb, c->scope->as_of);
	jb_raw(jb, ",\n  \"site\": ");
	jb_string(jb, c->scope->site);
	jb_raw(jb, ",\n  \"rules_file\": ");
	jb_string(jb, c->scope->rs->origin);
	jb_raw(jb, ",\n  \"rules_sha256\": ");
	jb_string(jb, c->scope->rs->sha256);
	if (json_coverage(c, jb, err))
		return -1;
	/* OUTPUT.md welcomes more keys; a full run leaves this one out, as before */
	if (c->figures_only)
		jb_raw(jb, ",\n  \"records\": false");
	else if (c->account_records_only)
		jb_raw(jb, ",\n  \"records\": \"accounts\"");
	jb_raw(jb, ",\n  \"rules\": {");
	for (i = 0; i < c->scope->rs->count; i++) {
		const struct rule *r = &c->scope->rs->rules[i];

		if (!r->enabled || !rule_kind_info(r->kind)->has_result)
			continue;
		jb_raw(jb, n++ ? ",\n    " : "\n    ");
		if (json_rule(c, jb, r, err))
			return -1;
	}
	jb_raw(jb, "\n  },\n  \"fees\": {");
	if (json_figures(c, jb, "fees.", "fees.aging.", err))
		return -1;
	jb_raw(jb, ",\n    \"aging_cents\": {");
	if (json_figures(c, jb, "fees.aging.", NULL, err))
		return -1;
	jb_raw(jb, "},\n    \"by_item\": {");
	if (json_fee_items(c, jb, err))
		return -1;
	jb_raw(jb, "}},\n  \"volumes\": {");
	if (json_figures(c, jb, "volumes.", NULL, err))
		return -1;
	jb_raw(jb, "},\n  \"findings\": {");
	if (json_figures(c, jb, "findings.", NULL, err))
		return -1;
	jb_raw(jb, "}");
	if (json_audit_figures(c, jb, err))
		return -1;
	jb_raw(jb, "\n}\n");
	return 0;
}

int check_summary(struct check_ctx *c, pm_error *err)
{
	struct jsonbuf jb = { 0 };
	sqlite3_stmt *st;
	int rc;

	if (build(c, &jb, err)) {
		jb_free(&jb);
		return -1;
	}
	if (jb.failed) {
		jb_free(&jb);
		return pm_fail(err, "out of memory writing the summary");
	}
	rc = ctx_prepare(c, "UPDATE check_runs SET summary_json = :json WHERE run_id = :run", &st, err);
	if (rc == 0) {
		ctx_bind_text(st, ":json", jb_text(&jb));
		rc = ctx_finish(c, st, err);
	}
	jb_free(&jb);
	return rc;
}
