/*
 * Fee statements into fee ledger events (etl/statement.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "etl/kinds.h"
#include "etl/statement.h"

static const struct pm_value *bill_value(const struct pm_row *bill, const char *name)
{
	return &bill->value[kind_field_index(kind_get(PM_FEE_STATEMENT), name)];
}

static struct pm_value *fee_value(struct pm_row *row, const char *name)
{
	return &row->value[kind_field_index(&PM_KINDS[PM_FEES], name)];
}

static void set_text(struct pm_value *v, const char *s, size_t n)
{
	v->tag = PM_STR;
	v->s = s;
	v->n = n;
}

static int64_t cents_or_zero(const struct pm_value *v)
{
	return v->tag == PM_INT ? v->i : 0;
}

/* "-1234.50" for a reason. */
static void yuan(char *out, size_t size, int64_t cents)
{
	uint64_t mag = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;

	snprintf(out, size, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", mag / 100, mag % 100);
}

static int check_figures(const struct pm_row *bill, const char **field, char *reason,
			 size_t size)
{
	const struct pm_value *paid = bill_value(bill, "paid_amount");
	const struct pm_value *arrears = bill_value(bill, "arrears_amount");
	int64_t due = cents_or_zero(bill_value(bill, "due_amount"));
	int64_t expect = due - cents_or_zero(bill_value(bill, "waived_amount")) - cents_or_zero(paid);
	char a[32], b[32];

	if (cents_or_zero(paid) != 0 && bill_value(bill, "paid_at")->tag == PM_NULL) {
		*field = "paid_at";
		yuan(a, sizeof(a), paid->i);
		snprintf(reason, size, "paid_amount %s without a payment date (paid_at)", a);
		return -1;
	}
	if (arrears->tag == PM_INT && arrears->i != expect) {
		*field = "arrears_amount";
		yuan(a, sizeof(a), arrears->i);
		yuan(b, sizeof(b), expect);
		snprintf(reason, size, "arrears_amount %s is not due - waived - paid = %s", a, b);
		return -1;
	}
	return 0;
}

/* The fields every event of the bill shares; the id is BILL#what. */
static struct pm_row *add_event(const struct pm_row *bill, struct pm_statement_events *ev,
				const char *what, const char *kind)
{
	struct pm_row *row = &ev->row[ev->n];
	const struct pm_value *id = bill_value(bill, "bill_id");
	char *text = ev->id + (size_t)ev->n * PM_STATEMENT_ID_MAX;
	int n, f;

	row->nfields = PM_KINDS[PM_FEES].nfields;
	for (f = 0; f < row->nfields; f++)
		row->value[f].tag = PM_NULL;
	n = snprintf(text, PM_STATEMENT_ID_MAX, "%.*s#%s", (int)(id->n > 400 ? 400 : id->n), id->s,
		     what);
	set_text(fee_value(row, "entry_id"), text, (size_t)n);
	*fee_value(row, "site") = *bill_value(bill, "site");
	*fee_value(row, "room") = *bill_value(bill, "room");
	*fee_value(row, "fee_item") = *bill_value(bill, "fee_item");
	*fee_value(row, "period") = *bill_value(bill, "period");
	*fee_value(row, "custody") = *bill_value(bill, "custody");
	set_text(fee_value(row, "kind"), kind, strlen(kind));
	ev->n++;
	return row;
}

/*
 * A value copied from the bill keeps pointing at the bill's own buffer
 * when it was converted there (timestamps, periods): point it at the copy.
 */
static void own_buffer(struct pm_value *to, const struct pm_value *from)
{
	if (from->tag == PM_STR && from->s == from->buf)
		to->s = to->buf;
}

static void copy_value(struct pm_value *to, const struct pm_value *from)
{
	*to = *from;
	own_buffer(to, from);
}

/* When the charge (and a waiver) happened: billed_at, else the period's first day. */
static void billed_at(const struct pm_row *bill, struct pm_value *at)
{
	const struct pm_value *given = bill_value(bill, "billed_at");
	const struct pm_value *period = bill_value(bill, "period");

	if (given->tag != PM_NULL) {
		copy_value(at, given);
		return;
	}
	memcpy(at->buf, period->s, 7);
	memcpy(at->buf + 7, "-01 00:00:00", 13);
	set_text(at, at->buf, PM_TIMESTAMP_SIZE - 1);
}

static void fix_copied(struct pm_row *row, const struct pm_row *bill)
{
	own_buffer(fee_value(row, "period"), bill_value(bill, "period"));
}

/* As for a charge in a fees file: the end of the period's month. */
static void default_due_date(struct pm_row *row)
{
	struct pm_value *due = fee_value(row, "due_date");
	const struct pm_value *period = fee_value(row, "period");
	char text[PM_PERIOD_SIZE];

	if (due->tag != PM_NULL)
		return;
	memcpy(text, period->s, PM_PERIOD_SIZE - 1);
	text[PM_PERIOD_SIZE - 1] = '\0';
	if (value_period_end(text, due->buf) == 0)
		set_text(due, due->buf, PM_DATE_SIZE - 1);
}

int statement_split(const struct pm_row *bill, struct pm_statement_events *ev,
		    const char **field, char *reason, size_t size)
{
	const struct pm_value *waived = bill_value(bill, "waived_amount");
	const struct pm_value *paid = bill_value(bill, "paid_amount");
	struct pm_row *row;

	ev->n = 0;
	*field = NULL;
	if (check_figures(bill, field, reason, size))
		return -1;
	row = add_event(bill, ev, "charge", "charge");
	copy_value(fee_value(row, "amount"), bill_value(bill, "due_amount"));
	billed_at(bill, fee_value(row, "at"));
	copy_value(fee_value(row, "due_date"), bill_value(bill, "due_date"));
	fix_copied(row, bill);
	default_due_date(row);
	if (cents_or_zero(waived) != 0) {
		row = add_event(bill, ev, "waiver", "waiver");
		copy_value(fee_value(row, "amount"), waived);
		billed_at(bill, fee_value(row, "at"));
		fix_copied(row, bill);
	}
	if (cents_or_zero(paid) != 0) {
		row = add_event(bill, ev, "payment", "payment");
		copy_value(fee_value(row, "amount"), paid);
		copy_value(fee_value(row, "at"), bill_value(bill, "paid_at"));
		fix_copied(row, bill);
	}
	return 0;
}
