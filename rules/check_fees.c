/*
 * Fees and collection (RULES.md "Fees and collection"). Amounts are integer
 * cents. A ledger event counts only if it happened by the as-of time;
 * payments and waivers reduce the charge of the period they name, for the
 * same site, room and fee item.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/check_internal.h"

#define SITE_SQL "(:site IS NULL OR site = :site)"

/* The first enabled F-LETTER-like rule: its reminders are read in the fee_bal pass. */
const struct rule *check_first_letter_rule(const struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->rs->count; i++)
		if (c->rs->rules[i].enabled && c->rs->rules[i].kind == RULE_LETTER)
			return &c->rs->rules[i];
	return NULL;
}

/* Due, paid and the current collection rate for the periods in the window. */
static int current_collection(struct check_ctx *c, pm_error *err)
{
	sqlite3_int64 charged, waived, paid;

	if (ctx_int(c, "SELECT coalesce(sum(charged), 0) FROM temp.fee_bal"
		    " WHERE period >= :pfrom AND period < :pto", NULL, &charged, err) ||
	    ctx_int(c, "SELECT coalesce(sum(waived), 0) FROM temp.fee_bal"
		    " WHERE period >= :pfrom AND period < :pto", NULL, &waived, err) ||
	    ctx_int(c, "SELECT coalesce(sum(paid), 0) FROM temp.fee_bal"
		    " WHERE period >= :pfrom AND period < :pto", NULL, &paid, err))
		return -1;
	return ctx_figure_int(c, "fees.charged_cents", charged, err) ||
	       ctx_figure_int(c, "fees.waived_cents", waived, err) ||
	       ctx_figure_int(c, "fees.due_cents", charged - waived, err) ||
	       ctx_figure_int(c, "fees.paid_cents", paid, err) ||
	       ctx_figure_rate(c, "fees.current_rate", paid, charged - waived, err) ? -1 : 0;
}

/*
 * Arrears at the window's start: what the charges of earlier periods still
 * owed just before `from` (per charge, never below zero); recovered: the
 * payments made inside the window (by the as-of time) for those periods.
 */
static int arrears_recovery(struct check_ctx *c, pm_error *err)
{
	sqlite3_int64 arrears, recovered;

	if (ctx_int(c, "SELECT coalesce(sum(owed_from), 0) FROM temp.fee_bal"
		    " WHERE period < :pfrom AND owed_from > 0", NULL, &arrears, err) ||
	    ctx_int(c, "SELECT coalesce(sum(recovered), 0) FROM temp.fee_bal"
		    " WHERE period < :pfrom", NULL, &recovered, err))
		return -1;
	return ctx_figure_int(c, "fees.arrears_start_cents", arrears, err) ||
	       ctx_figure_int(c, "fees.recovered_cents", recovered, err) ||
	       ctx_figure_rate(c, "fees.recovery_rate", recovered, arrears, err) ? -1 : 0;
}

/*
 * F-AGING rows: what each account (site/room/fee item) owes at the as-of
 * time, by days past the charge's due date: 1-30, 31-90, 91-180, 181-365,
 * 365+ (over 365). Not yet due is not in arrears.
 */
static int aging(struct check_ctx *c, pm_error *err)
{
	static const char *const buckets[] = { "1-30", "31-90", "91-180", "181-365", "365+" };
	char key[32];
	sqlite3_int64 v;
	sqlite3_stmt *st;
	size_t i;

	if (ctx_run(c, "INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		    " deadline_at, status, amount_cents, detail)"
		    " SELECT :run, 'F-AGING', 'account', site || '/' || room || '/' || fee_item, site,"
		    "  min(due), 'finding', sum(owed), bucket FROM ("
		    "  SELECT site, room, fee_item, owed, due,"
		    "   CASE WHEN days <= 30 THEN '1-30' WHEN days <= 90 THEN '31-90'"
		    "    WHEN days <= 180 THEN '91-180' WHEN days <= 365 THEN '181-365' ELSE '365+' END AS bucket"
		    "  FROM (SELECT site, room, fee_item, owed_asof AS owed, due,"
		    "    CAST(julianday(date(:asof)) - julianday(due) AS INTEGER) AS days"
		    "   FROM temp.fee_bal)"
		    "  WHERE owed > 0 AND days >= 1)"
		    " GROUP BY site, room, fee_item, bucket", NULL, err))
		return -1;
	if (ctx_prepare(c, "SELECT coalesce(sum(amount_cents), 0) FROM check_records"
			" WHERE run_id = :run AND rule_id = 'F-AGING' AND status = 'finding' AND detail = :b",
			&st, err))
		return -1;
	for (i = 0; i < 5; i++) {
		sqlite3_reset(st);
		ctx_bind_text(st, ":b", buckets[i]);
		v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		snprintf(key, sizeof(key), "fees.aging.%s", buckets[i]);
		if (ctx_figure_int(c, key, v, err)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

int check_fees(struct check_ctx *c, pm_error *err)
{
	return current_collection(c, err) || arrears_recovery(c, err) || aging(c, err) ? -1 : 0;
}

/*
 * F-LETTER: for each account owing money at the as-of time, r1 = its first
 * phone/SMS reminder and L = r1 + N calendar months (clamped to the month's
 * last day: 30 Nov + 3 months = 28/29 Feb). Not evaluated until the as-of
 * time passes L; then met if a letter was sent by min(as-of, L + grace),
 * pending while the as-of time is at or before L + grace, breached after.
 * Reminder methods match when they contain one of the rule's words, so
 * "函件/特快专递" counts as a letter.
 */
/* The accounts' first reminder and first letter: from fee_bal, or (for a second letter rule) from the ledger. */
#define REM_FROM_BALANCES "SELECT site, room, fee_item, min(r1) AS r1, min(letter_at) AS letter_at" \
	" FROM temp.fee_bal GROUP BY site, room, fee_item"
#define REM_FROM_FEES "SELECT site, room, fee_item," \
	" min(CASE WHEN EXISTS (SELECT 1 FROM temp.rule_list l WHERE l.rule_id = :rule" \
	"  AND l.key = 'first_reminder' AND instr(f.method, l.value) > 0) THEN at END) AS r1," \
	" min(CASE WHEN EXISTS (SELECT 1 FROM temp.rule_list l WHERE l.rule_id = :rule" \
	"  AND l.key = 'letter' AND instr(f.method, l.value) > 0) THEN at END) AS letter_at" \
	" FROM fees f WHERE kind = 'reminder' AND at <= :asof AND " SITE_SQL \
	" GROUP BY site, room, fee_item"

int check_letter(struct check_ctx *c, const struct rule *r, pm_error *err)
{
	char grace[48], months[32], months1[32], sql[4096];
	sqlite3_stmt *st;

	/*
	 * The first phone/SMS reminder and the first letter of every account come
	 * from grouped passes (a correlated look-up per account would walk
	 * fees_at, not fees_account).
	 */
	/* Pieces joined with %s: the SQL itself holds strftime's % signs. */
	snprintf(sql, sizeof(sql), "%s%s%s",
		"INSERT INTO check_records(run_id, rule_id, record_kind, record_id, site,"
		" start_at, deadline_at, end_at, status, late_seconds, amount_cents, detail)"
		" WITH bal AS MATERIALIZED (SELECT site, room, fee_item, sum(owed_asof) AS owed"
		"  FROM temp.fee_bal GROUP BY site, room, fee_item HAVING owed > 0),"
		" rem AS MATERIALIZED (",
		r == check_first_letter_rule(c) ? REM_FROM_BALANCES : REM_FROM_FEES,
		"),"
		" l AS MATERIALIZED (SELECT b.*, rem.r1, rem.letter_at, CASE WHEN r1 IS NULL THEN NULL"
		"   WHEN strftime('%d', r1, :months) = strftime('%d', r1) THEN datetime(r1, :months)"
		"   ELSE date(r1, 'start of month', :months1, '-1 day') || ' ' || time(r1) END AS lim"
		"  FROM bal b LEFT JOIN rem USING (site, room, fee_item)),"
		" e AS MATERIALIZED (SELECT l.*, datetime(lim, :grace) AS lim7 FROM l)"
		" SELECT :run, :rule, 'account', site || '/' || room || '/' || fee_item, site,"
		"  r1, lim7, letter_at,"
		"  CASE WHEN r1 IS NULL OR :asof <= lim THEN 'not_evaluated'"
		"   WHEN letter_at IS NOT NULL AND letter_at <= lim7 THEN 'met'"
		"   WHEN :asof <= lim7 THEN 'pending' ELSE 'breached' END,"
		"  CASE WHEN r1 IS NULL OR :asof <= lim THEN NULL"
		"   WHEN letter_at > lim7 THEN strftime('%s', letter_at) - strftime('%s', lim7)"
		"   WHEN letter_at IS NULL AND :asof > lim7 THEN strftime('%s', :asof) - strftime('%s', lim7) END,"
		"  owed,"
		"  CASE WHEN r1 IS NULL THEN 'no phone or SMS reminder yet' ELSE 'L ' || lim END"
		" FROM e");
	if (ctx_prepare(c, sql, &st, err))
		return -1;
	snprintf(grace, sizeof(grace), "+%lld seconds", r->grace_seconds);
	snprintf(months, sizeof(months), "+%d months", r->after_months);
	snprintf(months1, sizeof(months1), "+%d months", r->after_months + 1);
	rule_bind(st, r);
	ctx_bind_text(st, ":grace", grace);
	ctx_bind_text(st, ":months", months);
	ctx_bind_text(st, ":months1", months1);
	return ctx_finish(c, st, err);
}

/*
 * check_fees_by_site(): the same sums as current_collection() and
 * arrears_recovery(), grouped by site (each charge belongs to one site, so
 * a site's group is what the run for that site would sum).
 */
static int site_row(sqlite3_stmt *st, struct check_site_fees *f)
{
	sqlite3_int64 charged = sqlite3_column_int64(st, 1), waived = sqlite3_column_int64(st, 2);

	f->site = strdup((const char *)sqlite3_column_text(st, 0));
	if (!f->site)
		return -1;
	f->due_cents = charged - waived;
	f->paid_cents = sqlite3_column_int64(st, 3);
	f->arrears_start_cents = sqlite3_column_int64(st, 4);
	f->recovered_cents = sqlite3_column_int64(st, 5);
	/* As ctx_figure_rate() stores them. */
	f->has_current_rate = f->due_cents != 0;
	f->current_rate = f->has_current_rate ? (double)f->paid_cents / (double)f->due_cents : 0;
	f->has_recovery_rate = f->arrears_start_cents != 0;
	f->recovery_rate = f->has_recovery_rate ?
		(double)f->recovered_cents / (double)f->arrears_start_cents : 0;
	return 0;
}

int check_fees_per_site(struct check_ctx *c, struct check_site_fees **out, int *n, pm_error *err)
{
	struct check_site_fees *sites = NULL;
	sqlite3_stmt *st;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (ctx_prepare(c, "SELECT site,"
			" coalesce(sum(CASE WHEN period >= :pfrom AND period < :pto THEN charged END), 0),"
			" coalesce(sum(CASE WHEN period >= :pfrom AND period < :pto THEN waived END), 0),"
			" coalesce(sum(CASE WHEN period >= :pfrom AND period < :pto THEN paid END), 0),"
			" coalesce(sum(CASE WHEN period < :pfrom AND owed_from > 0 THEN owed_from END), 0),"
			" coalesce(sum(CASE WHEN period < :pfrom THEN recovered END), 0)"
			" FROM temp.fee_bal GROUP BY site ORDER BY site", &st, err))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct check_site_fees *grown;

			cap = cap ? 2 * cap : 128;
			grown = realloc(sites, (size_t)cap * sizeof(*sites));
			if (!grown)
				break;
			sites = grown;
		}
		if (site_row(st, &sites[*n]))
			break;
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = sites;
	if (rc != SQLITE_DONE)
		return rc == SQLITE_ROW ? pm_fail(err, "out of memory") :
			pm_fail(err, "database: %s", sqlite3_errmsg(c->db));
	return 0;
}

void check_site_fees_free(struct check_site_fees *sites, int nsites)
{
	int i;

	for (i = 0; i < nsites; i++)
		free(sites[i].site);
	free(sites);
}
