/* Unit tests for etl/row.c: a record into typed values, defaults, cross-field rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "etl/encoding.h"
#include "etl/row.h"
#include "etl/statement.h"

#define MAX 24

/* A record made of comma-separated cells (no quoting) for the tests. */
struct fake {
	char buf[1024];
	const char *field[MAX];
	size_t len[MAX];
	struct pm_record rec;
};

static void make_record(struct fake *f, const char *line)
{
	char *p, *comma;
	size_t n = 0;

	snprintf(f->buf, sizeof(f->buf), "%s", line);
	for (p = f->buf;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		f->field[n] = p;
		f->len[n] = strlen(p);
		n++;
		if (!comma)
			break;
	}
	memset(&f->rec, 0, sizeof(f->rec));
	f->rec.line = 2;
	f->rec.nfields = n;
	f->rec.field = f->field;
	f->rec.len = f->len;
	f->rec.raw = line;
	f->rec.raw_len = strlen(line);
}

static void make_header(struct pm_header *h, int kind, const char *line)
{
	struct fake f;
	pm_error err;

	make_record(&f, line);
	if (header_match(kind, f.field, f.len, f.rec.nfields, h, NULL, 0, &err))
		fail_msg("header: %s", err.msg);
}

static int convert(const struct pm_header *h, const char *line, struct pm_row *row,
		   const char **field, char *reason)
{
	static struct fake f;	/* the row points into it */

	make_record(&f, line);
	return row_convert(h, &f.rec, 0, row, field, reason, 256);
}

static const struct pm_value *value(const struct pm_row *row, int kind, const char *name)
{
	return &row->value[kind_field_index(&PM_KINDS[kind], name)];
}

static void assert_str(const struct pm_value *v, const char *want)
{
	assert_int_equal(v->tag, PM_STR);
	assert_int_equal(v->n, strlen(want));
	assert_memory_equal(v->s, want, v->n);
}

static void test_fees_defaults_and_rules(void **state)
{
	struct pm_header h;
	struct pm_row row;
	const char *field;
	char reason[256];

	(void)state;
	make_header(&h, PM_FEES, "流水号,项目,房号,收费项目,账期,类型,金额,日期,应缴日期,托管");
	assert_int_equal(convert(&h, "F1, 阳光 ,1-101,物业费,2024年2月,应收,¥1,200.00,2024-02-01,,", &row,
				 &field, reason), -1);	/* the comma splits the amount: too many fields */
	assert_int_equal(convert(&h, "F1, 阳光 ,1-101,物业费,2024年2月,应收,1200,2024-02-01,,", &row,
				 &field, reason), 0);
	assert_str(value(&row, PM_FEES, "site"), "阳光");
	assert_str(value(&row, PM_FEES, "period"), "2024-02");
	assert_str(value(&row, PM_FEES, "kind"), "charge");
	assert_int_equal(value(&row, PM_FEES, "amount")->i, 120000);
	assert_str(value(&row, PM_FEES, "due_date"), "2024-02-29");
	assert_str(value(&row, PM_FEES, "at"), "2024-02-01 00:00:00");
	assert_int_equal(value(&row, PM_FEES, "custody")->tag, PM_INT);
	assert_int_equal(value(&row, PM_FEES, "custody")->i, 0);
	assert_int_equal(value(&row, PM_FEES, "method")->tag, PM_NULL);

	/* amount required for a payment, not for a reminder */
	assert_int_equal(convert(&h, "F2,s,r,i,202402,实收,,2024-02-03,,", &row, &field, reason), -1);
	assert_string_equal(field, "amount");
	assert_int_equal(convert(&h, "F3,s,r,i,202402,催缴,,2024-02-03,,是", &row, &field, reason), 0);
	assert_int_equal(value(&row, PM_FEES, "due_date")->tag, PM_NULL);
	assert_int_equal(value(&row, PM_FEES, "custody")->i, 1);
	/* a given due date is kept */
	assert_int_equal(convert(&h, "F4,s,r,i,202402,应收,5,2024-02-03,2024/3/15,", &row, &field,
				 reason), 0);
	assert_str(value(&row, PM_FEES, "due_date"), "2024-03-15");
	header_free(&h);
}

static void test_complaint_requested_by_and_valid(void **state)
{
	struct pm_header h;
	struct pm_row row;
	const char *field;
	char reason[256];

	(void)state;
	make_header(&h, PM_COMPLAINTS, "complaint_id,site,level,received_at,requested_by,valid");
	assert_int_equal(convert(&h, "C1,s,重要,2026-10-03 09:00,2026年10月7日,", &row, &field, reason), 0);
	assert_str(value(&row, PM_COMPLAINTS, "requested_by"), "2026-10-07 23:59:59");
	assert_str(value(&row, PM_COMPLAINTS, "level"), "important");
	assert_int_equal(value(&row, PM_COMPLAINTS, "valid")->i, 1);
	assert_int_equal(convert(&h, "C2,s,一般,2026-10-03 09:00,2026-10-07 12:00,N", &row, &field,
				 reason), 0);
	assert_str(value(&row, PM_COMPLAINTS, "requested_by"), "2026-10-07 12:00:00");
	assert_int_equal(value(&row, PM_COMPLAINTS, "valid")->i, 0);
	assert_int_equal(convert(&h, "C3,s,特级,2026-10-03 09:00,,", &row, &field, reason), -1);
	assert_string_equal(field, "level");
	assert_non_null(strstr(reason, "特级"));
	header_free(&h);
}

static void test_rejections(void **state)
{
	struct pm_header h;
	struct pm_row row;
	const char *field;
	char reason[256];

	(void)state;
	make_header(&h, PM_TICKETS, "ticket_id,site,category,reported_at,charge");
	assert_int_equal(convert(&h, "T1,s,x,2026-02-30,", &row, &field, reason), -1);
	assert_string_equal(field, "reported_at");
	assert_non_null(strstr(reason, "2026-02-30"));
	assert_int_equal(convert(&h, ",s,x,2026-02-03,", &row, &field, reason), -1);
	assert_string_equal(field, "ticket_id");
	assert_int_equal(convert(&h, "T1,s,x,2026-02-03,1.234", &row, &field, reason), -1);
	assert_string_equal(field, "charge");
	assert_int_equal(convert(&h, "T1,s,x,2026-02-03", &row, &field, reason), -1);
	assert_null(field);
	assert_non_null(strstr(reason, "expected 5 fields"));
	/* empty cells Excel appends after the last column are fine */
	assert_int_equal(convert(&h, "T1,s,x,2026-02-03,,,", &row, &field, reason), 0);
	assert_int_equal(convert(&h, "T1,s,x,2026-02-03,,,junk", &row, &field, reason), -1);
	assert_int_equal(convert(&h, "T1,s\xff,x,2026-02-03,", &row, &field, reason), -1);
	assert_string_equal(field, "site");
	header_free(&h);
}

/* Two exported files joined with cat: the second header, maybe with its BOM. */
static void test_repeated_header(void **state)
{
	struct pm_header h;
	struct pm_row row;
	const char *field;
	char reason[256];

	(void)state;
	make_header(&h, PM_TICKETS, "ticket_id,site,category,reported_at,note");
	assert_int_equal(convert(&h, "\xef\xbb\xbfticket_id,site,category,reported_at,note",
				 &row, &field, reason), -1);
	assert_null(field);
	assert_string_equal(reason, "the header row again (were two files joined?)");
	/* the same names in Chinese count too */
	assert_int_equal(convert(&h, "工单号,项目,报修类别,报修时间,", &row, &field, reason), -1);
	assert_string_equal(reason, "the header row again (were two files joined?)");
	/* a key that merely looks like a column name is an ordinary bad row */
	assert_int_equal(convert(&h, "ticket_id,s,x,2026-02-30,", &row, &field, reason), -1);
	assert_string_equal(field, "reported_at");
	header_free(&h);
}

/* A bad value is quoted in the reason, cut at a character boundary. */
static void test_reason_cut_at_character(void **state)
{
	struct pm_header h;
	struct pm_row row;
	const char *field;
	char reason[256], line[256];

	(void)state;
	make_header(&h, PM_TICKETS, "ticket_id,site,category,reported_at");
	/* "x" then 中 x 30: the 60-byte cut falls inside the 20th character */
	snprintf(line, sizeof(line), "T1,s,c,x%s", "中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中");
	assert_int_equal(convert(&h, line, &row, &field, reason), -1);
	assert_string_equal(field, "reported_at");
	assert_true(utf8_valid(reason, strlen(reason)));
	assert_non_null(strstr(reason, "'x中中中中中中中中中中中中中中中中中中中'"));
	header_free(&h);
}

static const struct pm_value *fee(const struct pm_statement_events *ev, int i, const char *name)
{
	return &ev->row[i].value[kind_field_index(&PM_KINDS[PM_FEES], name)];
}

static void assert_text(const struct pm_value *v, const char *want)
{
	assert_int_equal(v->tag, PM_STR);
	assert_int_equal(v->n, strlen(want));
	assert_memory_equal(v->s, want, v->n);
}

/* A fee statement's bill: its events, and the two refusals with both figures. */
static void test_statement(void **state)
{
	struct pm_header h;
	struct pm_row row;
	struct pm_statement_events ev;
	const char *field;
	char reason[256];

	(void)state;
	make_header(&h, PM_FEE_STATEMENT, "单据号,项目,房号,收费项目,所属期间,应收金额,减免金额,"
		    "实收金额,缴费日期,欠费金额");
	assert_int_equal(convert(&h, "B1,A,101,物业管理费,2026年10月,980.00,100.00,880.00,"
				 "2026/10/15 下午 3:05,0", &row, &field, reason), 0);
	assert_int_equal(statement_split(&row, &ev, &field, reason, sizeof(reason)), 0);
	assert_int_equal(ev.n, 3);
	assert_text(fee(&ev, 0, "entry_id"), "B1#charge");
	assert_text(fee(&ev, 0, "kind"), "charge");
	assert_int_equal(fee(&ev, 0, "amount")->i, 98000);
	assert_text(fee(&ev, 0, "at"), "2026-10-01 00:00:00");
	assert_text(fee(&ev, 0, "due_date"), "2026-10-31");
	assert_text(fee(&ev, 0, "period"), "2026-10");
	assert_text(fee(&ev, 1, "entry_id"), "B1#waiver");
	assert_int_equal(fee(&ev, 1, "amount")->i, 10000);
	assert_int_equal(fee(&ev, 1, "due_date")->tag, PM_NULL);
	assert_text(fee(&ev, 2, "entry_id"), "B1#payment");
	assert_text(fee(&ev, 2, "at"), "2026-10-15 15:05:00");
	assert_int_equal(fee(&ev, 2, "amount")->i, 88000);
	/* unpaid, nothing waived: the charge alone */
	assert_int_equal(convert(&h, "B2,A,102,物业管理费,2026-10,980.00,,,,980", &row, &field,
				 reason), 0);
	assert_int_equal(statement_split(&row, &ev, &field, reason, sizeof(reason)), 0);
	assert_int_equal(ev.n, 1);
	/* paid without a date; arrears that do not add up */
	assert_int_equal(convert(&h, "B3,A,103,停车费,2026-10,300,,300,,", &row, &field, reason), 0);
	assert_int_equal(statement_split(&row, &ev, &field, reason, sizeof(reason)), -1);
	assert_string_equal(field, "paid_at");
	assert_string_equal(reason, "paid_amount 300.00 without a payment date (paid_at)");
	assert_int_equal(convert(&h, "B4,A,104,物业管理费,2026-10,980,,500,2026-10-21,400", &row,
				 &field, reason), 0);
	assert_int_equal(statement_split(&row, &ev, &field, reason, sizeof(reason)), -1);
	assert_string_equal(field, "arrears_amount");
	assert_string_equal(reason, "arrears_amount 400.00 is not due - waived - paid = 480.00");
	header_free(&h);
}

/* Every bad cell is in the reason; the first names the field. */
static void test_every_bad_cell(void **state)
{
	struct pm_header h;
	struct pm_row row;
	const char *field;
	char reason[256];

	(void)state;
	make_header(&h, PM_COMPLAINTS, "投诉编号,项目,级别,受理时间,是否有效");
	assert_int_equal(convert(&h, "C1,A,特急,2026-02-30,也许", &row, &field, reason), -1);
	assert_string_equal(field, "level");
	assert_string_equal(reason, "unknown level '特急': expected 重大, 重要, 一般 or 轻微; "
			    "received_at: not a valid timestamp '2026-02-30': day out of range; "
			    "valid: not a yes/no value '也许': expected 是/否, Y/N, yes/no, "
			    "true/false, 1/0, √/× or 有/无");
	header_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statement),
		cmocka_unit_test(test_every_bad_cell),
		cmocka_unit_test(test_fees_defaults_and_rules),
		cmocka_unit_test(test_complaint_requested_by_and_valid),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_repeated_header),
		cmocka_unit_test(test_reason_cut_at_character),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
