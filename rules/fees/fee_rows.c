/*
 * What the fee pass keeps until the run stores it (rules/fees/fee_pass.h):
 * the F-AGING and F-LETTER rows of each account with their texts in one
 * buffer, the aging buckets, and fee_add(), the one way amounts are summed.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/fees/fee_pass.h"

/* The aging buckets in the order their names sort ('1-30' < '181-365' < ...). */
const char *const FEE_BUCKETS[FEE_NBUCKETS] = { "1-30", "31-90", "91-180", "181-365", "365+" };
const int FEE_BUCKET_TEXT_ORDER[FEE_NBUCKETS] = { 0, 3, 1, 4, 2 };

/*
 * a + b (sign = 1) or a - b (sign = -1); a result that does not fit in 64
 * bits sets *overflow (sticky) and the pass fails: two charges of
 * 92233720368547758.07 made "due -0.02" when this wrapped around. Every fee
 * sum goes through it.
 */
int64_t fee_add(int64_t a, int64_t b, int sign, int *overflow)
{
	int64_t r;

	if (sign < 0 ? __builtin_sub_overflow(a, b, &r) : __builtin_add_overflow(a, b, &r))
		*overflow = 1;
	return r;
}

int64_t fee_due(int64_t charged, int64_t waived, int *overflow)
{
	return fee_add(charged, waived, -1, overflow);
}

/* Appends a NUL-terminated text to fp->text; its offset in *at. */
static int keep_text(struct fee_pass *fp, const char *s, size_t *at)
{
	return buf_append_str(&fp->text, s, at);
}

static int keep_at(struct fee_pass *fp, const struct fee_event *e, struct fee_value *v)
{
	v->state = !e ? FEE_VALUE_NULL : e->at_text ? FEE_VALUE_TEXT : FEE_VALUE_NUM;
	v->num = e ? e->at : 0;
	return e && e->at_text ? keep_text(fp, e->at_text, &v->text) : 0;
}

static int keep_due(struct fee_pass *fp, const struct fee_event *e, struct fee_value *v)
{
	v->state = e->due_text ? FEE_VALUE_TEXT : FEE_VALUE_NUM;
	v->num = e->due;
	return e->due_text ? keep_text(fp, e->due_text, &v->text) : 0;
}

static const char *value_text(sqlite3_value *v)
{
	const char *s = (const char *)sqlite3_value_text(v);

	return s ? s : "";
}

/* record_id = site || '/' || room || '/' || fee_item, and the site (which it begins with). */
static int keep_account(struct fee_pass *fp, const struct fee_account *a, size_t *id, size_t *site)
{
	const char *part[3] = { value_text(a->site), value_text(a->room), value_text(a->fee_item) };
	size_t n[3], total, i;
	char *out;

	for (i = 0, total = 0; i < 3; i++)
		total += (n[i] = strlen(part[i])) + 1;
	if (buf_reserve(&fp->text, total + n[0] + 1))
		return -1;
	*id = fp->text.len;
	out = fp->text.data + fp->text.len;
	for (i = 0; i < 3; i++) {
		memcpy(out, part[i], n[i]);
		out += n[i];
		*out++ = i < 2 ? '/' : '\0';
	}
	fp->text.len += total;
	return keep_text(fp, part[0], site);
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
	void *grown;
	size_t c = *cap ? 2 * *cap : 1024;

	if (n < *cap)
		return 0;
	if (!(grown = realloc(*items, c * size)))
		return -1;
	*items = grown;
	*cap = c;
	return 0;
}

static int keep_rows(struct fee_pass *fp, const struct fee_account *a, const int64_t *aged,
		     const struct fee_event *const *aged_due, int has_owed, int64_t owed,
		     const struct fee_event *const *r1, const struct fee_event *const *letter,
		     int nletters)
{
	size_t id = 0, site = 0;
	int i, have = 0;

	for (i = 0; i < FEE_NBUCKETS; i++) {
		int b = FEE_BUCKET_TEXT_ORDER[i];
		struct fee_aging_row *row;

		if (!aged_due[b])
			continue;
		if (fp->no_aging_rows) {
			fp->run.aged[b] = fee_add(fp->run.aged[b], aged[b], 1, &fp->overflow);
			continue;
		}
		if (!have++ && keep_account(fp, a, &id, &site))
			return -1;
		if (grow((void **)&fp->aging, &fp->aging_cap, fp->naging, sizeof(*fp->aging)))
			return -1;
		row = &fp->aging[fp->naging++];
		row->id = id;
		row->site = site;
		row->bucket = b;
		row->owed = aged[b];
		if (keep_due(fp, aged_due[b], &row->due))
			return -1;
		fp->run.aged[b] = fee_add(fp->run.aged[b], aged[b], 1, &fp->overflow);
	}
	/* bal: sum(owed_asof) per account HAVING owed > 0 */
	if (!has_owed || owed <= 0)
		return 0;
	for (i = 0; i < nletters; i++) {
		struct fee_letter_row *row;

		if (!have++ && keep_account(fp, a, &id, &site))
			return -1;
		if (grow((void **)&fp->letter_rows, &fp->letter_cap, fp->nletter_rows,
			 sizeof(*fp->letter_rows)))
			return -1;
		row = &fp->letter_rows[fp->nletter_rows++];
		row->id = id;
		row->site = site;
		row->rule = i;
		row->owed = owed;
		if (keep_at(fp, r1[i], &row->r1) || keep_at(fp, letter[i], &row->letter))
			return -1;
	}
	return 0;
}

int fee_pass_keep_rows(struct fee_pass *fp, const struct fee_account *a, const int64_t *aged,
		       const struct fee_event *const *aged_due, int has_owed, int64_t owed,
		       const struct fee_event *const *r1, const struct fee_event *const *letter,
		       int nletters, pm_error *err)
{
	if (keep_rows(fp, a, aged, aged_due, has_owed, owed, r1, letter, nletters))
		return pm_fail(err, "out of memory");
	return 0;
}

void fee_sites_free(struct check_site_fees *sites, int nsites)
{
	int i;

	for (i = 0; i < nsites; i++)
		free(sites[i].site);
	free(sites);
}

void fee_pass_free(struct fee_pass *fp)
{
	if (!fp)
		return;
	fee_sites_free(fp->sites, fp->nsites);
	while (fp->nitems > 0)
		free(fp->items[--fp->nitems].item);
	free(fp->items);
	free(fp->aging);
	free(fp->letter_rows);
	buf_free(&fp->text);
	free(fp);
}

