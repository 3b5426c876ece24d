/*
 * Unit tests for etl/time_order.c: the rows a chunk hands back are every
 * row added, each exactly as added (tags, texts, integers, line), in the
 * order of their time field as SQLite's BINARY collation orders it -- NULL
 * first, ties in the order added -- whether the times are canonical
 * timestamps (sorted as numbers) or not (sorted as texts); and a chunk
 * takes rows past its size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "etl/kinds.h"
#include "etl/time_order.h"

#define TIME 1		/* the time field of the test's rows */
#define NFIELDS 4

/* The i-th test row: field 0 its name, 1 its time, 2 an integer, 3 NULL or a long text. */
struct source_row {
	char name[32];
	char time[40];
	int time_null;
	int64_t number;
	char *wide;		/* NULL: field 3 is NULL */
};

static void make_row(const struct source_row *s, struct pm_row *row)
{
	memset(row, 0, sizeof(*row));
	row->nfields = NFIELDS;
	row->value[0].tag = PM_STR;
	row->value[0].s = s->name;
	row->value[0].n = strlen(s->name);
	if (s->time_null)
		row->value[TIME].tag = PM_NULL;
	else {
		row->value[TIME].tag = PM_STR;
		row->value[TIME].s = s->time;
		row->value[TIME].n = strlen(s->time);
	}
	row->value[2].tag = PM_INT;
	row->value[2].i = s->number;
	row->value[3].tag = s->wide ? PM_STR : PM_NULL;
	if (s->wide) {
		row->value[3].s = s->wide;
		row->value[3].n = strlen(s->wide);
	}
}

/* The reference order: BINARY collation of the times, NULL first, ties by place. */
static const struct source_row *ref_rows;

static int ref_cmp(const void *pa, const void *pb)
{
	const struct source_row *a = &ref_rows[*(const int *)pa], *b = &ref_rows[*(const int *)pb];
	size_t na, nb;
	int c;

	if (a->time_null || b->time_null)
		c = !a->time_null - !b->time_null;
	else {
		na = strlen(a->time);
		nb = strlen(b->time);
		c = memcmp(a->time, b->time, na < nb ? na : nb);
		if (!c)
			c = (na > nb) - (na < nb);
	}
	return c ? c : *(const int *)pa - *(const int *)pb;
}

/* Adds rows[0..n) to a chunk, sorts it, and checks every row handed back. */
static void check_chunk(const struct source_row *rows, int n, size_t size)
{
	struct pm_time_chunk c;
	int *want = malloc(n * sizeof(*want));
	int i;

	assert_non_null(want);
	assert_int_equal(time_chunk_init(&c, TIME, size), 0);
	for (i = 0; i < n; i++) {
		struct pm_row row;

		make_row(&rows[i], &row);
		assert_int_equal(time_chunk_add(&c, &row, 1000 + i), 0);
	}
	time_chunk_sort(&c);
	assert_int_equal(c.n, n);
	for (i = 0; i < n; i++)
		want[i] = i;
	ref_rows = rows;
	qsort(want, n, sizeof(*want), ref_cmp);
	for (i = 0; i < n; i++) {
		const struct source_row *s = &rows[want[i]];
		struct pm_row row;
		int64_t line;

		time_chunk_row(&c, i, &row, &line);
		assert_int_equal(line, 1000 + want[i]);
		assert_int_equal(row.nfields, NFIELDS);
		assert_int_equal(row.value[0].tag, PM_STR);
		assert_int_equal(row.value[0].n, strlen(s->name));
		assert_memory_equal(row.value[0].s, s->name, row.value[0].n);
		if (s->time_null)
			assert_int_equal(row.value[TIME].tag, PM_NULL);
		else {
			assert_int_equal(row.value[TIME].tag, PM_STR);
			assert_string_equal(row.value[TIME].s, s->time);
		}
		assert_int_equal(row.value[2].tag, PM_INT);
		assert_int_equal(row.value[2].i, s->number);
		assert_int_equal(row.value[3].tag, s->wide ? PM_STR : PM_NULL);
		if (s->wide) {
			assert_int_equal(row.value[3].n, strlen(s->wide));
			assert_memory_equal(row.value[3].s, s->wide, row.value[3].n);
		}
	}
	time_chunk_clear(&c);
	assert_int_equal(c.n, 0);
	time_chunk_free(&c);
	free(want);
}

/* n rows with times from few seconds (many ties) over the years 0000-9999. */
static struct source_row *random_rows(int n, unsigned seed, int odd)
{
	struct source_row *rows = calloc(n, sizeof(*rows));
	int i;

	assert_non_null(rows);
	srand(seed);
	for (i = 0; i < n; i++) {
		struct source_row *s = &rows[i];
		int r = rand();

		snprintf(s->name, sizeof(s->name), "R%07d", i);
		s->number = (int64_t)rand() * (r % 2 ? -1 : 1) * 4096;
		if (r % 97 == 0)
			s->time_null = 1;
		else if (r % 5 == 0)	/* ties: a handful of times */
			snprintf(s->time, sizeof(s->time), "2026-10-0%d 08:00:00", 1 + r % 3);
		else if (r % 11 == 0)
			snprintf(s->time, sizeof(s->time), "%04d-12-31 23:59:59", r % 10000);
		else
			snprintf(s->time, sizeof(s->time), "2026-%02d-%02d %02d:%02d:%02d",
				 1 + r % 12, 1 + r % 28, r % 24, r % 60, (r / 60) % 60);
		/* texts that are not canonical timestamps sort as texts among the others */
		if (odd && r % 13 == 0)
			snprintf(s->time, sizeof(s->time), r % 2 ? "2026-10-01" : "2026-10-01 08:00:00.5");
		if (odd && r % 17 == 0)
			s->time[0] = '\0';
	}
	return rows;
}

static void test_canonical_times(void **state)
{
	struct source_row *rows = random_rows(20000, 1, 0);

	(void)state;
	check_chunk(rows, 20000, 12u << 20);
	free(rows);
}

static void test_odd_times(void **state)
{
	struct source_row *rows = random_rows(20000, 2, 1);

	(void)state;
	check_chunk(rows, 20000, 12u << 20);
	free(rows);
}

/* A chunk takes more rows than its size planned for, and a row larger than itself. */
static void test_growth(void **state)
{
	struct source_row *rows = random_rows(30000, 3, 0);
	char *wide = malloc(3u << 20);

	(void)state;
	assert_non_null(wide);
	memset(wide, 'x', (3u << 20) - 1);
	wide[(3u << 20) - 1] = '\0';
	rows[12345].wide = wide;
	rows[20000].wide = "中文";
	/* 1 MiB: about 8,000 rows planned, 30,000 added, one of 3 MiB */
	check_chunk(rows, 30000, 1u << 20);
	free(wide);
	free(rows);
}

static void test_full(void **state)
{
	struct pm_time_chunk c;
	struct source_row s = { "R", "2026-10-01 00:00:00", 0, 1, NULL };
	struct pm_row row;
	int i;

	(void)state;
	make_row(&s, &row);
	assert_int_equal(time_chunk_init(&c, TIME, 1u << 20), 0);
	assert_false(time_chunk_full(&c));
	for (i = 0; i < 100000 && !time_chunk_full(&c); i++)
		assert_int_equal(time_chunk_add(&c, &row, i), 0);
	/* full before its size is used up, by about a batch's worth */
	assert_true(time_chunk_full(&c));
	assert_true(c.len < 1u << 20);
	time_chunk_clear(&c);
	assert_false(time_chunk_full(&c));
	time_chunk_free(&c);
}

/* A time whose first 19 bytes are canonical but which goes on sorts as its text. */
static void test_longer_than_canonical(void **state)
{
	static const char longer[] = "2026-10-01 08:00:00\0zz";
	static const char *const text[3] = { longer, "2026-10-01 08:00:00", "2026-10-01 08:00:01" };
	static const size_t len[3] = { sizeof(longer) - 1, 19, 19 };
	static const int64_t want[3] = { 1, 0, 2 };	/* BINARY: a prefix first */
	struct pm_time_chunk c;
	int i;

	(void)state;
	assert_int_equal(time_chunk_init(&c, 0, 1u << 20), 0);
	for (i = 0; i < 3; i++) {
		struct pm_row row;

		memset(&row, 0, sizeof(row));
		row.nfields = 1;
		row.value[0].tag = PM_STR;
		row.value[0].s = text[i];
		row.value[0].n = len[i];
		assert_int_equal(time_chunk_add(&c, &row, i), 0);
	}
	time_chunk_sort(&c);
	for (i = 0; i < 3; i++) {
		struct pm_row row;
		int64_t line;

		time_chunk_row(&c, i, &row, &line);
		assert_int_equal(line, want[i]);
		assert_int_equal(row.value[0].n, len[line]);
		assert_memory_equal(row.value[0].s, text[line], len[line]);
	}
	time_chunk_free(&c);
}

static void test_fields(void **state)
{
	(void)state;
	assert_int_equal(time_order_field(PM_TICKETS),
			 kind_field_index(&PM_KINDS[PM_TICKETS], "reported_at"));
	assert_int_equal(time_order_field(PM_COMPLAINTS),
			 kind_field_index(&PM_KINDS[PM_COMPLAINTS], "received_at"));
	assert_int_equal(time_order_field(PM_CALLBACKS),
			 kind_field_index(&PM_KINDS[PM_CALLBACKS], "callback_at"));
	assert_int_equal(time_order_field(PM_FEES), -1);
	assert_int_equal(time_order_field(PM_FEE_STATEMENT), -1);
	assert_int_equal(time_order_field(-1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_times),
		cmocka_unit_test(test_odd_times),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_longer_than_canonical),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
