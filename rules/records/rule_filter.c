/*
 * A row of a scan against one rule (rules/records/eval_internal.h): the
 * rule's filters (category, level, urgent, paid, valid, charge), the
 * fields the record lacks, its start and the column that puts it in a
 * period -- shared by the records pass (records_pass.c), Q-MISSING-START
 * and the trend's months (months_judge.c), which judge the same rows.
 */
#include <stdio.h>
#include <string.h>
#include "rules/records/eval_internal.h"

static int in_list(const struct rule_list *l, const char *v)
{
	int i;

	for (i = 0; i < l->count; i++)
		if (!strcmp(l->items[i], v))
			return 1;
	return 0;
}

/* column = want, as SQLite compares an INTEGER column with an integer */
static int equals(const struct row *w, int col, long long want)
{
	if (w->type[col] == SQLITE_INTEGER)
		return sqlite3_column_int64(w->st, col) == want;
	if (w->type[col] == SQLITE_FLOAT)
		return sqlite3_column_double(w->st, col) == (double)want;
	return 0;
}

/* column >= min: text and blobs sort after every number in SQLite */
static int at_least(const struct row *w, int col, long long min)
{
	if (w->type[col] == SQLITE_INTEGER)
		return sqlite3_column_int64(w->st, col) >= min;
	if (w->type[col] == SQLITE_FLOAT)
		return sqlite3_column_double(w->st, col) >= (double)min;
	return w->type[col] != SQLITE_NULL;
}

/* The rule's filters but those on the columns in skip (a bit per COL_*). */
static int matches_but(const struct rule *r, const struct row *w, unsigned skip)
{
	const char *category = w->v[COL_CATEGORY];

#define ON(col) (!(skip & (1u << (col))))
	if (ON(COL_CATEGORY) && r->category.count && !(category && in_list(&r->category, category)))
		return 0;
	if (ON(COL_CATEGORY) && r->category_not.count && category &&
	    in_list(&r->category_not, category))
		return 0;
	if (ON(COL_LEVEL) && r->level.count &&
	    !(w->v[COL_LEVEL] && in_list(&r->level, w->v[COL_LEVEL])))
		return 0;
	if (ON(COL_URGENT) && r->urgent != ANY && !equals(w, COL_URGENT, r->urgent))
		return 0;
	if (ON(COL_PAID) && r->paid != ANY && !equals(w, COL_PAID, r->paid))
		return 0;
	if (ON(COL_VALID) && r->valid != ANY && !equals(w, COL_VALID, r->valid))
		return 0;
	if (ON(COL_CHARGE) && r->min_charge >= 0 && !at_least(w, COL_CHARGE, r->min_charge))
		return 0;
#undef ON
	return 1;
}

/* The rule's filters (the site is the scan's). */
int rule_matches(const struct rule *r, const struct row *w)
{
	return matches_but(r, w, 0);
}

unsigned record_missing(const struct eval_rule *er, const struct row *w)
{
	unsigned known;

	if (!er->need || w->type[COL_FIELDS] != SQLITE_INTEGER)
		return 0;
	known = (unsigned)sqlite3_column_int64(w->st, COL_FIELDS);
	return er->need & ~known;
}

int rule_takes(const struct subject *s, const struct eval_rule *er, const struct row *w,
	       unsigned missing)
{
	unsigned skip = 0;
	int col;

	for (col = COL_CATEGORY; missing && col < COL_FIELDS; col++)
		if (s->filter_bit[col] & missing)
			skip |= 1u << col;
	return matches_but(er->r, w, skip);
}

const char *missing_names(const struct eval_rule *er, unsigned missing, char *buf, size_t size)
{
	size_t used = 0;
	int b;

	buf[0] = '\0';
	for (b = 0; b < 32 && used < size; b++)
		if ((missing & (1u << b)) && er->need_name[b])
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
						 er->need_name[b]);
	return buf;
}

/* The column of the rule's start: its first start field given, -1 if none. */
int start_column(const struct eval_rule *er, const struct row *w)
{
	int i;

	for (i = 0; i < er->r->nstart; i++)
		if (w->type[er->start[i]] != SQLITE_NULL)
			return er->start[i];
	return -1;
}

int rule_column(const struct eval_rule *er, const struct row *w)
{
	return er->r->kind == RULE_DEADLINE ? start_column(er, w) : er->event;
}
