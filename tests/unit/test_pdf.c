/* PDF layout: line breaking of Chinese and Latin text, byte-identical output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reports/pdf.h"

static struct pdf_doc *new_doc(void)
{
	struct pdf_meta meta = { "t", "left", "right", "2026-11-01 00:00:00", 0 };
	struct pdf_doc *doc = NULL;
	pm_error err;

	assert_int_equal(pdf_new(&meta, &doc, &err), 0);
	return doc;
}

/* Ten ideographs at 10pt are 100pt wide: 35pt holds three per line. */
static void test_wrap_cjk_anywhere(void **state)
{
	struct pdf_doc *doc = new_doc();
	int starts[8], lens[8], more, n;

	(void)state;
	n = pdf_wrap(doc, "一二三四五六七八九十", 10, 35, starts, lens, 8, &more);
	assert_int_equal(n, 4);
	assert_int_equal(lens[0], 9);
	assert_int_equal(starts[1], 9);
	assert_int_equal(lens[3], 3);
	assert_int_equal(more, 0);
	pdf_free(doc);
}

/* A closing mark never starts a line: "三，" moves down together. */
static void test_wrap_keeps_punctuation(void **state)
{
	struct pdf_doc *doc = new_doc();
	int starts[8], lens[8], more, n;

	(void)state;
	n = pdf_wrap(doc, "一二三，四五", 10, 35, starts, lens, 8, &more);
	assert_int_equal(n, 3);
	assert_int_equal(lens[0], 6);
	assert_memory_equal("三，", "一二三，四五" + starts[1], 6);
	pdf_free(doc);
}

static void test_wrap_latin_at_spaces(void **state)
{
	struct pdf_doc *doc = new_doc();
	int starts[8], lens[8], more, n, i;
	const char *text = "compliance rate internationalization of reports";

	(void)state;
	n = pdf_wrap(doc, text, 10, 90, starts, lens, 8, &more);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		assert_true(pdf_text_width(doc, text + starts[i], lens[i], 10) <= 90);
		assert_true(text[starts[i]] != ' ');
		/* every line ends at a word end */
		assert_true(text[starts[i] + lens[i]] == ' ' || text[starts[i] + lens[i]] == '\0');
	}
	n = pdf_wrap(doc, "a b c d e f g h i j k l m n o p", 10, 10, starts, lens, 2, &more);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	pdf_free(doc);
}

/* A rule id too long for its line breaks after a hyphen, never mid-word. */
static void test_wrap_rule_id_at_hyphen(void **state)
{
	struct pdf_doc *doc = new_doc();
	int starts[8], lens[8], more, n, i;
	const char *text = "C-IMPORTANT-RESOLVE 重要投诉3天内处理完毕";
	double w = pdf_text_width(doc, "C-IMPORTANT-RES", -1, 8);

	(void)state;
	n = pdf_wrap(doc, text, 8, w, starts, lens, 8, &more);
	assert_true(n >= 2);
	assert_int_equal(lens[0], (int)strlen("C-IMPORTANT-"));
	assert_memory_equal(text + starts[1], "RESOLVE", 7);
	for (i = 0; i < n; i++)
		assert_true(pdf_text_width(doc, text + starts[i], lens[i], 8) <= w);
	pdf_free(doc);
}

/*
 * A heading is drawn with what follows it: a heading followed by a block
 * that does not fit on the page goes to the next page with it, never alone
 * at the foot of a page. Filled to near the foot, then heading + table.
 */
static void test_heading_keeps_with_next(void **state)
{
	char path[] = "/tmp/pmaudit-pdf-keep-XXXXXX", cmd[600];
	struct pdf_doc *doc = new_doc();
	struct pdf_col cols[2] = { { "名称", 1, PDF_LEFT }, { "数量", 1, PDF_RIGHT } };
	const char *cells[2] = { "行", "1" };
	pm_error err;
	int fd = mkstemp(path), i;

	(void)state;
	close(fd);
	pdf_new_page(doc);
	/* 29 lines of 20.5 points leave 129.5 of the page's 724 */
	for (i = 0; i < 29; i++)
		pdf_paragraph(doc, "填充");
	pdf_section(doc, "标题甲");
	pdf_subsection(doc, "标题乙");
	pdf_table_begin(doc, cols, 2);
	for (i = 0; i < 3; i++)
		pdf_table_row(doc, cells);
	pdf_table_end(doc);
	assert_int_equal(pdf_save(doc, path, path, &err), 0);
	pdf_free(doc);
	/* the two headings and the table's header are all on page 2 */
	snprintf(cmd, sizeof(cmd),
		 "test \"$(pdfinfo %s 2>/dev/null | awk '/^Pages:/ { print $2 }')\" = 2 && "
		 "pdftotext -f 2 -l 2 %s - 2>/dev/null | grep -q '^标题甲$' && "
		 "pdftotext -f 2 -l 2 %s - 2>/dev/null | grep -q '^标题乙$' && "
		 "! pdftotext -f 1 -l 1 %s - 2>/dev/null | grep -q '标题'", path, path, path, path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
}

/*
 * Keep with next through a paragraph: a heading and the paragraph that
 * introduces a table are drawn with the table's header and first rows, so
 * the page does not end with the heading and its paragraph (they fitted
 * in the room left; the table did not). A heading with only text under it
 * keeps its own page.
 */
static void test_heading_paragraph_keep_with_table(void **state)
{
	char path[] = "/tmp/pmaudit-pdf-keep2-XXXXXX", cmd[900];
	struct pdf_doc *doc = new_doc();
	struct pdf_col cols[2] = { { "名称", 1, PDF_LEFT }, { "数量", 1, PDF_RIGHT } };
	const char *cells[2] = { "行", "1" };
	pm_error err;
	int fd = mkstemp(path), i;

	(void)state;
	close(fd);
	pdf_new_page(doc);
	/* 26 lines of 20.5 points leave 191 of the page's 724, 147 after the
	 * text-only part: room for the heading (28) and the paragraph (4 lines,
	 * 67), but not for the table's header and rows (60) too */
	for (i = 0; i < 26; i++)
		pdf_paragraph(doc, "填充");
	pdf_subsection(doc, "只有文字");
	pdf_note(doc, "这一节只有一句话。");
	pdf_subsection(doc, "表的标题");
	pdf_paragraph(doc, "引言第一句很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
			   "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
			   "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
			   "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长，引言结束。");
	pdf_table_begin(doc, cols, 2);
	for (i = 0; i < 3; i++)
		pdf_table_row(doc, cells);
	pdf_table_end(doc);
	assert_int_equal(pdf_save(doc, path, path, &err), 0);
	pdf_free(doc);
	/* the text-only heading and its note on page 1; the table's heading,
	 * its paragraph and the table on page 2 */
	snprintf(cmd, sizeof(cmd),
		 "test \"$(pdfinfo %s 2>/dev/null | awk '/^Pages:/ { print $2 }')\" = 2 && "
		 "pdftotext -f 1 -l 1 %s - 2>/dev/null | grep -q '^只有文字$' && "
		 "pdftotext -f 1 -l 1 %s - 2>/dev/null | grep -q '只有一句话' && "
		 "pdftotext -f 2 -l 2 %s - 2>/dev/null | grep -q '^表的标题$' && "
		 "pdftotext -f 2 -l 2 %s - 2>/dev/null | grep -q '引言第一句' && "
		 "pdftotext -f 2 -l 2 %s - 2>/dev/null | grep -q '引言结束' && "
		 "pdftotext -f 2 -l 2 %s - 2>/dev/null | grep -q '^名称$' && "
		 "! pdftotext -f 1 -l 1 %s - 2>/dev/null | grep -q '表的标题\\|引言'",
		 path, path, path, path, path, path, path, path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
}

/* A table of 120 rows, "翠湖花园" and 0-119: several pages. */
static void rows_0_to_119(struct pdf_doc *doc)
{
	struct pdf_col cols[] = { { "项目", 2, PDF_LEFT }, { "数量", 1, PDF_RIGHT } };
	int i;

	pdf_table_begin(doc, cols, 2);
	for (i = 0; i < 120; i++) {
		char n[16];
		const char *row[2] = { "翠湖花园", n };

		snprintf(n, sizeof(n), "%d", i);
		pdf_table_row(doc, row);
	}
	pdf_table_end(doc);
}

static void render_threads(const char *path, int one_thread)
{
	struct pdf_doc *doc = new_doc();
	struct pdf_tile tile = { "及时率", "94.49%", "目标 100%", PDF_FAIL };
	pm_error err;

	if (one_thread)
		pdf_one_thread(doc);
	pdf_section(doc, "一、总体情况");
	pdf_tiles(doc, &tile, 1);
	pdf_paragraph(doc, "本月共受理业主报修1,234例。");
	rows_0_to_119(doc);
	assert_int_equal(pdf_save(doc, path, path, &err), 0);
	pdf_free(doc);
}

/*
 * The test document twice (the second on one thread or not): the same
 * bytes; then check, a shell command whose %1$s is the file, succeeds.
 */
static void render_twice_and_check(int b_one_thread, const char *check)
{
	char a[] = "/tmp/pmaudit-pdf-a-XXXXXX", b[] = "/tmp/pmaudit-pdf-b-XXXXXX";
	char cmd[1024];
	int fa = mkstemp(a), fb = mkstemp(b);

	close(fa);
	close(fb);
	render_threads(a, 0);
	render_threads(b, b_one_thread);
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", a, b);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), check, a);
	assert_int_equal(system(cmd), 0);
	unlink(a);
	unlink(b);
}

/*
 * 120 rows take several pages: the header row is on each of them, and
 * the footers count the pages ("第 4 页 / 共 4 页"; pdftotext drops the
 * spaces between CJK and digits).
 */
static void test_same_input_same_bytes(void **state)
{
	(void)state;
	render_twice_and_check(0,
		"p=$(pdfinfo %1$s 2>/dev/null | awk '/^Pages:/ { print $2 }'); "
		"h=$(pdftotext %1$s - 2>/dev/null | grep -c '^数量$'); "
		"test \"$p\" -ge 3 && test \"$h\" -eq \"$p\" && "
		"pdftotext %1$s - 2>/dev/null | tr -d ' ' | grep -q \"第${p}页/共${p}页\"");
}

/*
 * The finished pages' streams are deflated on a second thread while the
 * layout goes on (reports/pdf_deflate.c), or all at save time on one
 * thread: the same file; every stream decodes whole (qpdf warns of a
 * truncated one, which poppler still reads), rows 0-119 in order, and
 * "第 n 页" on every page.
 */
static void test_pages_deflated_beside_layout(void **state)
{
	(void)state;
	render_twice_and_check(1,
		"qpdf --check %1$s >/dev/null 2>&1 && "
		"p=$(pdfinfo %1$s 2>/dev/null | awk '/^Pages:/ { print $2 }'); "
		"test \"$(pdftotext -layout %1$s - 2>/dev/null | awk '/翠湖花园/ { print $2 }' | tr '\\n' ' ')\" = "
		"\"$(seq -s ' ' 0 119) \" && "
		"test \"$(pdftotext %1$s - 2>/dev/null | tr -d ' ' | grep -c \"页/共${p}页\")\" -eq \"$p\"");
}

/*
 * A small table and 120 rows after it; held: the small table's figures
 * are drawn only after the 120 rows (pdf_table_row_held(), pdf_table_fill()),
 * as the inspection fills in its coverage figures.
 */
static void render_held(const char *path, int held)
{
	struct pdf_doc *doc = new_doc();
	struct pdf_col small[] = { { "规则", 3, PDF_LEFT }, { "分子", 1, PDF_RIGHT },
				   { "比率", 1, PDF_RIGHT } };
	const char *figures[3][3] = { { "R-1  回访率", "1,234", "98.50%" },
				      { "R-2  主管回访率（很长的标题，两行两行两行两行两行两行两行两行）",
					"56", "—" },
				      { "R-3  第三条", "7,890,123", "100.00%" } };
	int handles[3], i;
	pm_error err;

	pdf_section(doc, "一、总体情况");
	pdf_table_begin(doc, small, 3);
	for (i = 0; i < 3; i++) {
		const char *standing_in[3] = { figures[i][0], "0", "—" };

		if (held)
			handles[i] = pdf_table_row_held(doc, standing_in, 0x6);
		else
			pdf_table_row(doc, figures[i]);
	}
	pdf_table_end(doc);
	rows_0_to_119(doc);
	for (i = 0; held && i < 3; i++)
		pdf_table_fill(doc, handles[i], figures[i]);
	assert_int_equal(pdf_save(doc, path, path, &err), 0);
	pdf_free(doc);
}

/*
 * Held rows filled pages later read as the rows drawn at once: the same
 * text at the same places on every page; every stream decodes (the filled
 * cells in a content stream of their own, the pages deflated beside the
 * layout); filled twice, the same bytes.
 */
static void test_held_rows_filled_later(void **state)
{
	char a[] = "/tmp/pmaudit-pdf-a-XXXXXX", b[] = "/tmp/pmaudit-pdf-b-XXXXXX";
	char c[] = "/tmp/pmaudit-pdf-c-XXXXXX";
	char cmd[1200];
	int fa = mkstemp(a), fb = mkstemp(b), fc = mkstemp(c);

	(void)state;
	close(fa);
	close(fb);
	close(fc);
	render_held(a, 0);
	render_held(b, 1);
	render_held(c, 1);
	snprintf(cmd, sizeof(cmd),
		 "cmp -s %2$s %3$s && "
		 "qpdf --check %2$s >/dev/null 2>&1 && "
		 "test \"$(pdfinfo %2$s 2>/dev/null | awk '/^Pages:/ { print $2 }')\" -ge 3 && "
		 "pdftotext -layout %2$s - 2>/dev/null | grep -q '7,890,123 *100.00%%' && "
		 "test \"$(pdftotext -layout %1$s - 2>/dev/null)\" = "
		 "\"$(pdftotext -layout %2$s - 2>/dev/null)\" && "
		 "test \"$(pdftotext -bbox %1$s - 2>/dev/null | sort)\" = "
		 "\"$(pdftotext -bbox %2$s - 2>/dev/null | sort)\"", a, b, c);
	assert_int_equal(system(cmd), 0);
	unlink(a);
	unlink(b);
	unlink(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_cjk_anywhere),
		cmocka_unit_test(test_wrap_keeps_punctuation),
		cmocka_unit_test(test_wrap_latin_at_spaces),
		cmocka_unit_test(test_wrap_rule_id_at_hyphen),
		cmocka_unit_test(test_heading_keeps_with_next),
		cmocka_unit_test(test_heading_paragraph_keep_with_table),
		cmocka_unit_test(test_same_input_same_bytes),
		cmocka_unit_test(test_pages_deflated_beside_layout),
		cmocka_unit_test(test_held_rows_filled_later),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
