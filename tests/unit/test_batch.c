/* Unit tests for etl/batch.c: rows and rejects keep their text across growth. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "etl/batch.h"

static void test_rows_survive_text_growth(void **state)
{
	struct pm_batch b;
	struct pm_row row;
	char text[64];
	size_t i;

	(void)state;
	assert_int_equal(batch_init(&b), 0);
	memset(&row, 0, sizeof(row));
	row.nfields = 3;
	row.value[1].tag = PM_INT;
	row.value[1].i = 42;
	row.value[2].tag = PM_NULL;
	for (i = 0; !batch_full(&b); i++) {
		/* the source text is overwritten after each add, as the reader does */
		snprintf(text, sizeof(text), "row-%zu", i);
		row.value[0].tag = PM_STR;
		row.value[0].s = text;
		row.value[0].n = strlen(text);
		assert_int_equal(batch_add_row(&b, (int64_t)i + 2, &row), 0);
	}
	assert_int_equal(b.n, PM_BATCH_ROWS);
	batch_seal(&b);
	for (i = 0; i < b.n; i++) {
		snprintf(text, sizeof(text), "row-%zu", i);
		assert_int_equal(b.items[i].line, (int64_t)i + 2);
		assert_int_equal(b.items[i].row.value[0].n, strlen(text));
		assert_memory_equal(b.items[i].row.value[0].s, text, strlen(text));
		assert_int_equal(b.items[i].row.value[1].i, 42);
		assert_int_equal(b.items[i].row.value[2].tag, PM_NULL);
	}
	batch_clear(&b);
	assert_int_equal(b.n, 0);
	batch_free(&b);
}

static void test_reject_and_text_limit(void **state)
{
	static char big[1 << 20];
	struct pm_batch b;

	(void)state;
	assert_int_equal(batch_init(&b), 0);
	assert_int_equal(batch_add_reject(&b, 7, "a,\"b\nc\"", 7, "site", "why", "T1", 2), 0);
	assert_int_equal(b.items[0].rejected, 1);
	assert_int_equal(b.items[0].line, 7);
	assert_string_equal(b.items[0].field, "site");
	assert_memory_equal(batch_text(&b, b.items[0].raw_off), "a,\"b\nc\"", 7);
	assert_string_equal(batch_text(&b, b.items[0].reason_off), "why");
	/* large rejected records fill a batch by size, long before 1024 rows */
	memset(big, 'x', sizeof(big));
	while (!batch_full(&b))
		assert_int_equal(batch_add_reject(&b, 8, big, sizeof(big), NULL, "too long", NULL, 0), 0);
	assert_true(b.n < 10);
	assert_memory_equal(batch_text(&b, b.items[0].raw_off), "a,\"b\nc\"", 7);
	batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_survive_text_growth),
		cmocka_unit_test(test_reject_and_text_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
