/*
 * One CSV record into the typed values of a log's fields (etl/row.h).
 */
#include <stdio.h>
#include <string.h>
#include "etl/encoding.h"
#include "etl/map.h"
#include "etl/row.h"

/*
 * Quotes at most 60 bytes of a bad value into a reason, cut between two
 * characters: the reason is stored and printed, so it must stay UTF-8.
 */
static int bad_value(char *reason, size_t size, const char *what, const char *s, size_t n,
		     const char *why)
{
	size_t shown = utf8_valid_prefix(s, n > 60 ? 60 : n, NULL);

	snprintf(reason, size, "%s '%.*s'%s%s", what, (int)shown, s,
		 why ? ": " : "", why ? why : "");
	return -1;
}

static void set_str(struct pm_value *v, const char *s, size_t n)
{
	v->tag = PM_STR;
	v->s = s;
	v->n = n;
}

static void set_int(struct pm_value *v, int64_t i)
{
	v->tag = PM_INT;
	v->i = i;
}

static int convert_value(const struct pm_field *f, enum pm_date_order order, const char *s,
			 size_t n, struct pm_value *v, char *reason, size_t size)
{
	const char *why = NULL, *word;
	int has_time, b;
	int64_t cents;

	switch (f->type) {
	case PM_TEXT:
		set_str(v, s, n);
		return 0;
	case PM_TIMESTAMP:
	case PM_TIMESTAMP_EOD:
		if (value_timestamp_order(s, n, order, v->buf, &has_time, &why))
			return bad_value(reason, size, "not a valid timestamp", s, n, why);
		/* "by 10 October" means until the end of that day */
		if (f->type == PM_TIMESTAMP_EOD && !has_time)
			memcpy(v->buf + 11, "23:59:59", 8);
		set_str(v, v->buf, PM_TIMESTAMP_SIZE - 1);
		return 0;
	case PM_DATE:
		if (value_date_order(s, n, order, v->buf, &why))
			return bad_value(reason, size, "not a valid date", s, n, why);
		set_str(v, v->buf, PM_DATE_SIZE - 1);
		return 0;
	case PM_PERIOD:
		if (value_period(s, n, v->buf, &why))
			return bad_value(reason, size, "not a valid period", s, n, why);
		set_str(v, v->buf, PM_PERIOD_SIZE - 1);
		return 0;
	case PM_MONEY:
		if (value_money(s, n, &cents, &why))
			return bad_value(reason, size, "not a valid amount", s, n, why);
		set_int(v, cents);
		return 0;
	case PM_BOOL:
		if (value_bool(s, n, &b, &why))
			return bad_value(reason, size, "not a yes/no value", s, n, why);
		set_int(v, b);
		return 0;
	case PM_LEVEL:
		word = value_level(s, n);
		if (!word)
			return bad_value(reason, size, "unknown level", s, n,
					 "expected 重大, 重要, 一般 or 轻微");
		break;
	case PM_REF_KIND:
		word = value_ref_kind(s, n);
		if (!word)
			return bad_value(reason, size, "unknown callback type", s, n,
					 "expected 报修 or 投诉");
		break;
	case PM_FEE_KIND:
		word = value_fee_kind(s, n);
		if (!word)
			return bad_value(reason, size, "unknown entry type", s, n,
					 "expected 应收, 实收, 减免 or 催缴");
		break;
	default:
		snprintf(reason, size, "internal error: unknown field type");
		return -1;
	}
	set_str(v, word, strlen(word));
	return 0;
}

/* A record may carry extra empty trailing cells (Excel does); others not. */
static int check_width(const struct pm_header *h, const struct pm_record *rec, char *reason,
		       size_t size)
{
	size_t i;

	if (rec->nfields < h->ncols) {
		snprintf(reason, size, "expected %zu fields as in the header, found %zu",
			 h->ncols, rec->nfields);
		return -1;
	}
	for (i = h->ncols; i < rec->nfields; i++) {
		const char *s = rec->field[i];
		size_t n = rec->len[i];

		value_trim(&s, &n);
		if (n) {
			snprintf(reason, size, "expected %zu fields as in the header, found %zu",
				 h->ncols, rec->nfields);
			return -1;
		}
	}
	return 0;
}

/* Checks that involve more than one field of a fee entry. */
static int fee_rules(const struct pm_header *h, struct pm_row *row, const char **field,
		     char *reason, size_t size)
{
	int kind = h->fee_kind, amount = h->fee_amount, due = h->fee_due, period = h->fee_period;
	const char *what = row->value[kind].s;
	struct pm_value *d = &row->value[due];

	if (strcmp(what, "reminder") && row->value[amount].tag == PM_NULL) {
		*field = "amount";
		snprintf(reason, size, "amount is required for a %s", what);
		return -1;
	}
	if (!strcmp(what, "charge") && d->tag == PM_NULL) {
		char period_text[PM_PERIOD_SIZE];

		memcpy(period_text, row->value[period].s, PM_PERIOD_SIZE - 1);
		period_text[PM_PERIOD_SIZE - 1] = '\0';
		if (value_period_end(period_text, d->buf))
			return -1;
		set_str(d, d->buf, PM_DATE_SIZE - 1);
	}
	return 0;
}

/*
 * A record that names the columns again, as when two exported files are
 * joined with cat: say so rather than "not a valid timestamp 'reported_at'".
 */
static int repeats_header(const struct pm_header *h, const struct pm_record *rec)
{
	int key = kind_get(h->kind)->key, col = h->field_col[key];
	size_t c;

	/* the key cell first, against the key's names only: once per record */
	if (col < 0 || (size_t)col >= rec->nfields ||
	    !header_names_field(h->kind, key, rec->field[col], rec->len[col]) ||
	    header_field_of(h->kind, rec->field[col], rec->len[col]) != key)
		return 0;
	for (c = 0; c < h->ncols && c < rec->nfields; c++)
		if (h->col_field[c] >= 0 &&
		    header_field_of(h->kind, rec->field[c], rec->len[c]) != h->col_field[c])
			return 0;
	return 1;
}

/*
 * Appends one bad cell's reason: the first as it is (the caller stores its
 * field apart), the others as "; field: reason", so that a row with three
 * bad cells is fixed in one round.
 */
static void add_reason(char *reason, size_t size, int nbad, const char *field, const char *why)
{
	size_t used = strlen(reason);

	if (nbad == 0)
		snprintf(reason, size, "%s", why);
	else if (used < size)
		snprintf(reason + used, size - used, "; %s: %s", field, why);
}

/* The cell of field f: its column, its mapped constant, or nothing. */
static void cell(const struct pm_header *h, const struct pm_record *rec, int f, const char **s,
		 size_t *n)
{
	int col = h->field_col[f];

	if (col >= 0) {
		*s = rec->field[col];
		*n = rec->len[col];
	} else if (h->map && h->map->constant[f]) {
		*s = h->map->constant[f];
		*n = strlen(*s);
	} else {
		*s = "";
		*n = 0;
	}
	value_trim(s, n);
	if (h->map && *n && map_is_empty(h->map, *s, *n))
		*n = 0;
}

void row_key(const struct pm_header *h, const struct pm_record *rec, const char **s,
	     size_t *n)
{
	int key;

	*s = "";
	*n = 0;
	if (h->kind < 0 || h->kind == PM_FEE_STATEMENT)
		return;
	key = kind_get(h->kind)->key;
	if (h->field_col[key] >= 0 && (size_t)h->field_col[key] >= rec->nfields)
		return;
	cell(h, rec, key, s, n);
}

/* One field's value; -1 with the reason written into why. */
static int convert_field(const struct pm_header *h, int f, const char *s, size_t n,
			 int text_checked, struct pm_value *v, char *why, size_t size)
{
	const struct pm_field *def = &kind_get(h->kind)->fields[f];
	const char *mapped;

	v->tag = PM_NULL;
	if (!text_checked && memchr(s, '\0', n)) {
		snprintf(why, size, "NUL byte in the value");
		return -1;
	}
	if (!text_checked && !utf8_valid(s, n)) {
		snprintf(why, size, "bytes that are not valid in the file's encoding");
		return -1;
	}
	if (n == 0) {
		if (def->required) {
			snprintf(why, size, "required value is empty");
			return -1;
		}
		if (def->type == PM_BOOL)
			set_int(v, def->bool_default);
		return 0;
	}
	/* a mapped value is read as its canonical word, by the same parser */
	mapped = h->map ? map_value(h->map, f, s, n) : NULL;
	if (mapped) {
		s = mapped;
		n = strlen(mapped);
	}
	return convert_value(def, h->map ? h->map->date_order : PM_YMD, s, n, v, why, size);
}

/* No paid column but a charge: a repair that cost something was paid for. */
static void derive_paid(const struct pm_kind *k, struct pm_row *row)
{
	const struct pm_value *charge = &row->value[kind_field_index(k, "charge")];

	set_int(&row->value[kind_field_index(k, "paid")], charge->tag == PM_INT && charge->i > 0);
}

int row_convert(const struct pm_header *h, const struct pm_record *rec, int text_checked,
		struct pm_row *row, const char **field, char *reason, size_t size)
{
	const struct pm_kind *k = kind_get(h->kind);
	int f, nbad = 0;

	*field = NULL;
	if (rec->error) {
		snprintf(reason, size, "%s", rec->error);
		return -1;
	}
	if (check_width(h, rec, reason, size))
		return -1;
	if (repeats_header(h, rec)) {
		snprintf(reason, size, "the header row again (were two files joined?)");
		return -1;
	}
	row->nfields = k->nfields;
	reason[0] = '\0';
	for (f = 0; f < k->nfields; f++) {
		char why[256];
		const char *s;
		size_t n;

		cell(h, rec, f, &s, &n);
		if (convert_field(h, f, s, n, text_checked, &row->value[f], why, sizeof(why)) == 0)
			continue;
		if (nbad == 0)
			*field = k->fields[f].name;
		add_reason(reason, size, nbad++, k->fields[f].name, why);
	}
	if (nbad)
		return -1;
	if (h->derive_paid)
		derive_paid(k, row);
	if (h->kind == PM_FEES)
		return fee_rules(h, row, field, reason, size);
	return 0;
}
