/* Unit tests for etl/header.c: aliases, case, BOM, kind detection, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "etl/header.h"
#include "etl/kinds.h"
#include "db/db.h"

#define MAX_COLS 32

/* Splits a comma-separated header line (no quoting) into names. */
struct row {
	char buf[1024];
	const char *names[MAX_COLS];
	size_t lens[MAX_COLS];
	size_t n;
};

static void split(struct row *r, const char *line)
{
	char *p, *comma;

	snprintf(r->buf, sizeof(r->buf), "%s", line);
	r->n = 0;
	for (p = r->buf;; p = comma + 1) {
		comma = strchr(p, ',');
		r->names[r->n] = p;
		r->lens[r->n] = comma ? (size_t)(comma - p) : strlen(p);
		r->n++;
		if (!comma)
			break;
	}
}

static int detect(const char *line)
{
	struct row r;
	pm_error err;

	split(&r, line);
	return header_detect_kind(r.names, r.lens, r.n, &err);
}

static void test_detect_kind(void **state)
{
	(void)state;
	assert_int_equal(detect("ticket_id,site,category,reported_at"), PM_TICKETS);
	assert_int_equal(detect("工单号,项目,类别,受理时间"), PM_TICKETS);
	assert_int_equal(detect("投诉编号,小区,等级,受理时间"), PM_COMPLAINTS);
	assert_int_equal(detect("回访编号,项目,回访类型,关联单号,回访时间"), PM_CALLBACKS);
	assert_int_equal(detect("流水号,项目,房号,收费项目,账期,类型,金额,日期"), PM_FEES);
	assert_int_equal(detect("\xef\xbb\xbf" "TICKET_ID , Site"), PM_TICKETS);
	assert_int_equal(detect("name,age,city"), -1);
	assert_int_equal(detect(""), -1);
}

static void test_match_aliases_and_case(void **state)
{
	struct row r;
	struct pm_header h;
	pm_error err;
	char unknown[256];

	(void)state;
	split(&r, "\xef\xbb\xbf" "报修单号, 管理处 ,Category,REPORTED_AT,备注,紧急,完成时间");
	assert_int_equal(header_match(PM_TICKETS, r.names, r.lens, r.n, &h, unknown,
				      sizeof(unknown), &err), 0);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "ticket_id")], 0);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "site")], 1);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "category")], 2);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "reported_at")], 3);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "urgent")], 5);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "completed_at")], 6);
	assert_int_equal(h.field_col[kind_field_index(&PM_KINDS[PM_TICKETS], "room")], -1);
	assert_int_equal(h.col_field[4], -1);
	assert_string_equal(unknown, "备注");
	header_free(&h);
}

static void test_missing_required_column_is_named(void **state)
{
	struct row r;
	struct pm_header h;
	pm_error err;

	(void)state;
	split(&r, "工单号,项目,类别");
	assert_int_equal(header_match(PM_TICKETS, r.names, r.lens, r.n, &h, NULL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "reported_at"));
	assert_non_null(strstr(err.msg, "报修时间"));
}

static void test_duplicate_columns(void **state)
{
	struct row r;
	struct pm_header h;
	pm_error err;

	(void)state;
	split(&r, "ticket_id,site,category,报修时间,受理时间");
	assert_int_equal(header_match(PM_TICKETS, r.names, r.lens, r.n, &h, NULL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "reported_at"));
	assert_non_null(strstr(err.msg, "columns 4 and 5"));
}

static void test_shared_alias_depends_on_kind(void **state)
{
	(void)state;
	/* 受理时间 is reported_at for tickets, received_at for complaints */
	assert_int_equal(header_field_of(PM_TICKETS, "受理时间", strlen("受理时间")),
			 kind_field_index(&PM_KINDS[PM_TICKETS], "reported_at"));
	assert_int_equal(header_field_of(PM_COMPLAINTS, "受理时间", strlen("受理时间")),
			 kind_field_index(&PM_KINDS[PM_COMPLAINTS], "received_at"));
	assert_int_equal(header_field_of(PM_FEES, "住址", strlen("住址")), -1);
}

/*
 * The one field's names (row.c asks it of every record's key cell): the
 * field's own name and its aliases, cleaned as header_field_of() cleans
 * them, and never another field's name.
 */
static void test_names_field(void **state)
{
	int key = PM_KINDS[PM_TICKETS].key;
	int reported = kind_field_index(&PM_KINDS[PM_TICKETS], "reported_at");

	(void)state;
	assert_true(header_names_field(PM_TICKETS, key, "ticket_id", 9));
	assert_true(header_names_field(PM_TICKETS, key, " Ticket_ID ", 11));
	assert_true(header_names_field(PM_TICKETS, key, "\xef\xbb\xbf工单号", strlen("\xef\xbb\xbf工单号")));
	assert_true(header_names_field(PM_TICKETS, key, "报修单号", strlen("报修单号")));
	assert_false(header_names_field(PM_TICKETS, key, "T00000001", 9));
	assert_false(header_names_field(PM_TICKETS, key, "报修时间", strlen("报修时间")));
	assert_true(header_names_field(PM_TICKETS, reported, "报修时间", strlen("报修时间")));
	assert_false(header_names_field(PM_TICKETS, key, "ticket_i", 8));
}

/*
 * A record's fields mask (schema v5) has a bit per field in the order of
 * kinds.c, which the import writes; the rules engine reads bit i as the
 * table's column i (PRAGMA table_info). The two orders must be one.
 */
static void test_field_bits_are_table_columns(void **state)
{
	static const int kinds[] = { PM_TICKETS, PM_COMPLAINTS };
	sqlite3 *db;
	pm_error err;
	size_t k;

	(void)state;
	assert_int_equal(db_open(":memory:", 0, &db, &err), 0);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const struct pm_kind *kind = &PM_KINDS[kinds[k]];
		char sql[64];
		sqlite3_stmt *st;
		int cid = 0;

		snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", kind->name);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW && cid < kind->nfields)
			assert_string_equal((const char *)sqlite3_column_text(st, 1),
					    kind->fields[cid++].name);
		sqlite3_finalize(st);
		assert_int_equal(cid, kind->nfields);
		assert_true(kind->nfields < 32);
	}
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_kind),
		cmocka_unit_test(test_match_aliases_and_case),
		cmocka_unit_test(test_missing_required_column_is_named),
		cmocka_unit_test(test_duplicate_columns),
		cmocka_unit_test(test_shared_alias_depends_on_kind),
		cmocka_unit_test(test_names_field),
		cmocka_unit_test(test_field_bits_are_table_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
