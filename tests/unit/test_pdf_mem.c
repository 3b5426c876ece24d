/*
 * libharu's memory (reports/pdf_mem.c): 4 KB blocks recycled, other sizes
 * and blocks asked for outside a document from malloc(), every block
 * writable whole; and a document of many pages built on it (its pages'
 * blocks recycled) is whole and the same twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reports/pdf.h"
#include "reports/pdf_mem.h"

static void test_blocks_recycled(void **state)
{
	void *a, *b, *c, *big, *small;

	(void)state;
	pdf_mem_open();
	a = pdf_mem_alloc(HPDF_STREAM_BUF_SIZ);
	b = pdf_mem_alloc(HPDF_STREAM_BUF_SIZ);
	small = pdf_mem_alloc(24);
	big = pdf_mem_alloc(100000);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(small);
	assert_non_null(big);
	assert_ptr_not_equal(a, b);
	/* whole blocks, no overlap */
	memset(a, 0xAA, HPDF_STREAM_BUF_SIZ);
	memset(b, 0xBB, HPDF_STREAM_BUF_SIZ);
	memset(small, 0xCC, 24);
	memset(big, 0xDD, 100000);
	assert_int_equal(((unsigned char *)a)[HPDF_STREAM_BUF_SIZ - 1], 0xAA);
	/* a block given back is the next one given out */
	pdf_mem_free(a);
	c = pdf_mem_alloc(HPDF_STREAM_BUF_SIZ);
	assert_ptr_equal(c, a);
	pdf_mem_free(c);
	pdf_mem_free(b);
	pdf_mem_free(small);
	pdf_mem_free(big);
	pdf_mem_free(NULL);
	pdf_mem_close();
}

/* Outside a document a block is malloc()'s, and freed as one. */
static void test_outside_a_document(void **state)
{
	void *p;

	(void)state;
	p = pdf_mem_alloc(HPDF_STREAM_BUF_SIZ);
	assert_non_null(p);
	memset(p, 1, HPDF_STREAM_BUF_SIZ);
	pdf_mem_open();
	/* freed while a document is open: still malloc()'s, not the free list */
	pdf_mem_free(p);
	pdf_mem_close();
}

/* Two documents in turn on one thread: the second one's blocks work after the first is closed. */
static void test_documents_in_turn(void **state)
{
	int round, i;

	(void)state;
	for (round = 0; round < 2; round++) {
		void *blocks[300];

		pdf_mem_open();
		for (i = 0; i < 300; i++) {
			blocks[i] = pdf_mem_alloc(HPDF_STREAM_BUF_SIZ);
			assert_non_null(blocks[i]);
			memset(blocks[i], i, HPDF_STREAM_BUF_SIZ);
		}
		for (i = 0; i < 300; i++) {
			assert_int_equal(((unsigned char *)blocks[i])[17], (unsigned char)i);
			pdf_mem_free(blocks[i]);
		}
		pdf_mem_close();
	}
}

/* A table of 3,000 rows (some 60 pages, their streams recycled): the same file twice. */
static void render(const char *path)
{
	struct pdf_meta meta = { "t", "left", "right", "2026-11-01 00:00:00", 0 };
	struct pdf_col cols[3] = { { "#", 1, PDF_RIGHT }, { "项目", 3, PDF_LEFT },
				   { "结果", 2, PDF_LEFT } };
	struct pdf_doc *doc = NULL;
	pm_error err;
	int i;

	assert_int_equal(pdf_new(&meta, &doc, &err), 0);
	pdf_section(doc, "清单");
	pdf_table_begin(doc, cols, 3);
	for (i = 0; i < 3000; i++) {
		char num[16];
		const char *cells[3] = { num, "翠湖花园 3栋 1201", i % 3 ? "已回访（满意）" : "—" };

		snprintf(num, sizeof(num), "%d", i);
		pdf_table_row(doc, cells);
	}
	pdf_table_end(doc);
	assert_int_equal(pdf_save(doc, path, path, &err), 0);
	pdf_free(doc);
}

static void test_same_bytes_twice(void **state)
{
	char a[] = "/tmp/pmaudit-mem-a-XXXXXX", b[] = "/tmp/pmaudit-mem-b-XXXXXX";
	char cmd[300];
	int fa = mkstemp(a), fb = mkstemp(b);

	(void)state;
	close(fa);
	close(fb);
	render(a);
	render(b);
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s && qpdf --check %s >/dev/null 2>&1 && "
		 "pdftotext %s - 2>/dev/null | grep -q '^2999 翠湖花园 3栋 1201$'", a, b, a, a);
	assert_int_equal(system(cmd), 0);
	unlink(a);
	unlink(b);
}

/* libharu's copy and fill, as the program defines them: libharu's results. */
static void test_copy_and_fill(void **state)
{
	HPDF_BYTE buf[64], src[16];
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		src[i] = (HPDF_BYTE)(i + 1);
	memset(buf, 0, sizeof(buf));
	/* the end of what was written */
	assert_ptr_equal(HPDF_MemCpy(buf + 3, src, 16), buf + 19);
	assert_memory_equal(buf + 3, src, 16);
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[19], 0);
	assert_ptr_equal(HPDF_MemCpy(buf, src, 0), buf);
	assert_ptr_equal(HPDF_MemSet(buf + 40, 0x5A, 10), buf + 50);
	assert_int_equal(buf[39], 0);
	assert_int_equal(buf[40], 0x5A);
	assert_int_equal(buf[49], 0x5A);
	assert_int_equal(buf[50], 0);
	assert_ptr_equal(HPDF_MemSet(buf, 1, 0), buf);
	assert_int_equal(buf[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_recycled),
		cmocka_unit_test(test_outside_a_document),
		cmocka_unit_test(test_documents_in_turn),
		cmocka_unit_test(test_same_bytes_twice),
		cmocka_unit_test(test_copy_and_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
