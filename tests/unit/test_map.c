/* Unit tests for etl/map.c: the mapping file format and its strictness. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "etl/header.h"
#include "etl/kinds.h"
#include "etl/map.h"

static const char GOOD[] =
	"# a SaaS export\n"
	"kind      = complaints          # tickets | complaints | ...\n"
	"encoding  = gb18030\n"
	"delimiter = tab\n"
	"header    = 2\n"
	"skip_rows = 合计, 总计，小计\n"
	"empty     = -, —, /, 无\n"
	"date_order = mdy\n"
	"\n"
	"[columns]\n"
	"complaint_id = 投诉单号\n"
	"received_at  = 登记时间\n"
	"resolved_at  = 处理完成时间\n"
	"level        = 投诉级别\n"
	"[values.level]\n"
	"major     = 重大投诉, A类\n"
	"minor     = 一般投诉，C类\n"
	"[values.valid]\n"
	"no = 无效\n"
	"[constants]\n"
	"site = 阳明花园A区\n";

static void test_parse(void **state)
{
	struct pm_map map;
	pm_error err;
	int f;

	(void)state;
	if (map_parse("g.map", GOOD, strlen(GOOD), &map, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(map.kind, PM_COMPLAINTS);
	assert_int_equal(map.encoding, PM_ENC_GB18030);
	assert_int_equal(map.delimiter, '\t');
	assert_int_equal(map.header_line, 2);
	assert_int_equal(map.nskip_rows, 3);
	assert_string_equal(map.skip_rows[2], "小计");
	assert_int_equal(map.nempty, 4);
	assert_int_equal(map.date_order, PM_MDY);
	f = kind_field_index(&PM_KINDS[PM_COMPLAINTS], "resolved_at");
	assert_string_equal(map.column[f], "处理完成时间");
	assert_int_equal(map.column_line[f], 13);
	f = kind_field_index(&PM_KINDS[PM_COMPLAINTS], "level");
	assert_string_equal(map_value(&map, f, "A类", strlen("A类")), "major");
	assert_string_equal(map_value(&map, f, "C类", strlen("C类")), "minor");
	assert_null(map_value(&map, f, "B类", strlen("B类")));
	f = kind_field_index(&PM_KINDS[PM_COMPLAINTS], "site");
	assert_string_equal(map.constant[f], "阳明花园A区");
	assert_true(map_is_empty(&map, "—", strlen("—")));
	assert_false(map_is_empty(&map, "x", 1));
	assert_true(map_is_summary(&map, "总计：12", strlen("总计：12")));
	assert_false(map_is_summary(&map, "C1", 2));
	map_free(&map);
	/* without a map: the default summary words */
	assert_true(map_is_summary(NULL, "合计", strlen("合计")));
	assert_false(map_is_summary(NULL, "累计", strlen("累计")));
}

/* Each bad mapping is refused with a message starting "b.map:LINE: ". */
static void test_strict(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "kind = tickets\ncolour = red\n", "b.map:2: unknown key 'colour'" },
		{ "kind = tickets\n[colums]\n", "b.map:2: unknown section [colums]" },
		{ "kind = tickets\n[columns]\nticket_no = 单号\n", "b.map:3: unknown field 'ticket_no'" },
		{ "kind = tickets\n[columns]\nthis line\n", "b.map:3: expected key = value" },
		{ "kind = tickets\n[columns]\nticket_id = 单号\nsite = 单号\n",
		  "b.map:4: column '单号' is already mapped to ticket_id (line 3)" },
		{ "kind = tickets\n[columns]\nticket_id = 单号\nticket_id = 编号\n",
		  "b.map:4: ticket_id is mapped twice" },
		{ "kind = complaints\n[values.level]\nmajor = 重大投诉\nminor = 重大投诉\n",
		  "b.map:4: value '重大投诉' is given twice (first at line 3)" },
		{ "kind = complaints\n[values.level]\nurgent = 特急\n",
		  "b.map:3: 'urgent' is not a value of this field" },
		{ "kind = complaints\n[values.summary]\nx = y\n",
		  "b.map:2: [values.summary]: summary has no fixed vocabulary" },
		{ "kind = tickets\n[values.urgent]\ntrue = 紧急\n",
		  "b.map:3: 'true' is not a value of this field (expected yes or no)" },
		{ "kind = logs\n", "b.map:1: kind: 'logs' is not" },
		{ "kind = tickets\nkind = tickets\n", "b.map:2: kind is given twice" },
		{ "[columns]\n", "b.map:1: [columns] before kind" },
		{ "encoding = utf-8\n", "b.map: kind = ... is missing" },
		{ "kind = tickets\nheader = first\n", "b.map:2: header: 'first' is not auto" },
		{ "kind = tickets\ndate_order = ydm\n", "b.map:2: date_order: 'ydm'" },
		{ "kind = tickets\nempty = -,,/\n", "b.map:2: empty: an empty item" },
		{ "kind = tickets\n[columns\n", "b.map:2: a section header is [NAME]" },
		{ "kind = tickets\n[columns]\nsite = 项目\n[constants]\nsite = A区\n",
		  "b.map:5: site is both a column (line 3) and a constant" },
		{ "kind = tickets\n\xb1\xa8\xca\xc2 = x\n", "b.map:2: not UTF-8 text" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pm_map map;
		pm_error err;

		err.msg[0] = '\0';
		if (map_parse("b.map", cases[i].text, strlen(cases[i].text), &map, &err) == 0)
			fail_msg("case %zu accepted", i);
		if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)))
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg, cases[i].want);
	}
}

static int match(const struct pm_map *map, const char *const *names, size_t n, pm_error *err)
{
	struct pm_header h;
	size_t lens[16], i;
	int rc;

	for (i = 0; i < n; i++)
		lens[i] = strlen(names[i]);
	rc = header_match_map(map->kind, map, names, lens, n, &h, NULL, 0, err);
	if (rc == 0)
		header_free(&h);
	return rc;
}

static void test_against_header(void **state)
{
	static const char text[] = "kind = complaints\n[columns]\nresolved_at = 处理完成时间\n"
				   "level = 投诉级别\n[constants]\nsite = A区\n";
	static const char *const ok[] = { "投诉单号", "投诉级别", "受理时间", "处理完成时间" };
	static const char *const lacks[] = { "投诉单号", "投诉级别", "受理时间" };
	static const char *const has_site[] = { "投诉单号", "投诉级别", "受理时间", "处理完成时间",
						"项目" };
	struct pm_map map;
	pm_error err;

	(void)state;
	assert_int_equal(map_parse("h.map", text, strlen(text), &map, &err), 0);
	assert_int_equal(match(&map, ok, 4, &err), 0);
	assert_int_equal(match(&map, lacks, 3, &err), -1);
	assert_string_equal(err.msg, "h.map:3: resolved_at = 处理完成时间: the file has no such column");
	assert_int_equal(match(&map, has_site, 5, &err), -1);
	assert_non_null(strstr(err.msg, "h.map:6: constant site: the file has a column for it too"));
	map_free(&map);
}

static void test_hints(void **state)
{
	(void)state;
	assert_int_equal(header_resembles(PM_COMPLAINTS, "处理完成时间", strlen("处理完成时间")),
			 kind_field_index(&PM_KINDS[PM_COMPLAINTS], "resolved_at"));
	assert_int_equal(header_resembles(PM_TICKETS, "报事单号", strlen("报事单号")),
			 kind_field_index(&PM_KINDS[PM_TICKETS], "ticket_id"));
	assert_int_equal(header_resembles(PM_TICKETS, "派工时间", strlen("派工时间")),
			 kind_field_index(&PM_KINDS[PM_TICKETS], "dispatched_at"));
	assert_int_equal(header_resembles(PM_COMPLAINTS, "备注", strlen("备注")), -1);
	assert_int_equal(header_resembles(PM_TICKETS, "note", 4), -1);
	/* English: a whole word of 4 letters or more; fees' `at` is in every Date and Status */
	assert_int_equal(header_resembles(PM_COMPLAINTS, "Site Name", 9),
			 kind_field_index(&PM_KINDS[PM_COMPLAINTS], "site"));
	assert_int_equal(header_resembles(PM_COMPLAINTS, "resolved", 8),
			 kind_field_index(&PM_KINDS[PM_COMPLAINTS], "resolved_at"));
	assert_int_equal(header_resembles(PM_FEES, "Status", 6), -1);
	assert_int_equal(header_resembles(PM_FEES, "Created Date", 12), -1);
	assert_int_equal(header_resembles(PM_COMPLAINTS, "Websites", 8), -1);
	/* a field a column already gives: only a strong likeness names it */
	int site = kind_field_index(&PM_KINDS[PM_TICKETS], "site");
	int resolved = kind_field_index(&PM_KINDS[PM_COMPLAINTS], "resolved_at");

	assert_int_equal(header_resembles(PM_TICKETS, "处理人", strlen("处理人")), site);
	assert_int_not_equal(header_resembles_free(PM_TICKETS, "处理人", strlen("处理人"), 1u << site),
			     site);
	assert_int_equal(header_resembles_free(PM_COMPLAINTS, "处理完成时间", strlen("处理完成时间"),
					       1u << resolved), resolved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_against_header),
		cmocka_unit_test(test_hints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
