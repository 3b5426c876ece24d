/*
 * Charts: data text must never become gnuplot code, and the same input
 * must give the same PNG bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reports/chart.h"
#include "reports/sections.h"

static char dir[64];

static char *slurp(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	rewind(f);
	buf = malloc(*size + 1);
	assert_int_equal(fread(buf, 1, *size, f), (size_t)*size);
	fclose(f);
	return buf;
}

static void path_in_dir(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* A site named x" + newline + system("touch MARKER") stays a label. */
static void test_injection_is_a_label(void **state)
{
	char marker[128], png[128], hostile[512], hostile2[512];
	const char *cats[4];
	double values[] = { 0.9, 0.5, 0.7, 1.0 };
	struct chart c = { .kind = CHART_BARS, .nseries = 1, .series = { "本月" },
			   .ncats = 4, .cats = cats, .values = values, .percent = 1,
			   .has_target = 1, .target = 1.0, .target_label = "目标" };
	pm_error err;
	long size;
	char *bytes;
	int kind;

	(void)state;
	path_in_dir(marker, sizeof(marker), "pwned");
	path_in_dir(png, sizeof(png), "bars.png");
	snprintf(hostile, sizeof(hostile), "x\"\nsystem(\"touch %s\")", marker);
	snprintf(hostile2, sizeof(hostile2), "y'\nEOD\nsystem('touch %s')\n$data << EOD", marker);
	cats[0] = "翠湖花园";
	cats[1] = hostile;
	cats[2] = "EOD";
	cats[3] = hostile2;
	for (kind = CHART_LINES; kind <= CHART_HBARS; kind++) {
		c.kind = kind;
		c.series[0] = kind == CHART_STACKED ? hostile : "本月";
		assert_int_equal(chart_render(&c, png, &err), 0);
		assert_int_equal(access(marker, F_OK), -1);
		bytes = slurp(png, &size);
		assert_true(size > 1000);
		assert_memory_equal(bytes, "\x89PNG", 4);
		free(bytes);
	}
}

static void test_same_input_same_bytes(void **state)
{
	char a[128], b[128];
	const char *cats[] = { "10-01", "10-02", "10-03" };
	double values[] = { 3, 1, 5, 2, NAN, 4 };
	struct chart c = { .kind = CHART_LINES, .nseries = 2, .series = { "报修", "投诉" },
			   .ncats = 3, .cats = cats, .values = values };
	pm_error err;
	long na, nb;
	char *ba, *bb;

	(void)state;
	path_in_dir(a, sizeof(a), "a.png");
	path_in_dir(b, sizeof(b), "b.png");
	assert_int_equal(chart_render(&c, a, &err), 0);
	assert_int_equal(chart_render(&c, b, &err), 0);
	ba = slurp(a, &na);
	bb = slurp(b, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(ba, bb, na);
	free(ba);
	free(bb);
}

/* The script itself: the label is one quoted field with no line break. */
static void test_script_quotes_labels(void **state)
{
	const char *cats[] = { "a\"b\\c\nd\re" };
	double values[] = { 1 };
	struct chart c = { .kind = CHART_BARS, .nseries = 1, .series = { "s\"" },
			   .ncats = 1, .cats = cats, .values = values };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_int_equal(chart_script(out, &c, "/tmp/x'y.png"), 0);
	fclose(out);
	assert_non_null(strstr(text, "\n\"abcde\" 1.0000\n"));
	assert_non_null(strstr(text, "\"\" \"s\"\n"));
	assert_non_null(strstr(text, "set output '/tmp/x''y.png'\n"));
	free(text);
}

static void test_gnuplot_error_is_reported(void **state)
{
	const char *cats[] = { "a" };
	double values[] = { 1 };
	struct chart c = { .kind = CHART_BARS, .nseries = 1, .series = { "s" },
			   .ncats = 1, .cats = cats, .values = values };
	pm_error err;

	(void)state;
	assert_int_equal(chart_render(&c, "/nonexistent-dir/x.png", &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x.png"));
	/* gnuplot's own words, not an empty message */
	assert_true(strlen(strstr(err.msg, "gnuplot failed: ")) > strlen("gnuplot failed: "));
}

/* The script of c, for the axis tests (freed by the caller). */
static char *script_of(const struct chart *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_int_equal(chart_script(out, c, "/tmp/x.png"), 0);
	fclose(out);
	return text;
}

/* Counts step in whole units (1, 2, 5, 10, ...): never 0.5 for small counts. */
static void test_whole_steps(void **state)
{
	const char *cats[] = { "a", "b", "c" };
	double small[] = { 1, 4, 2 }, big[] = { 30, 87, 12 };
	double stacked[] = { 30, 40, 20, 25, 5, 5 };
	struct chart c = { .kind = CHART_LINES, .nseries = 1, .series = { "s" },
			   .ncats = 3, .cats = cats, .values = small, .whole = 1 };
	char *text;

	(void)state;
	text = script_of(&c);
	assert_non_null(strstr(text, "set ytics 1\nset format y '%.0f'\n"));
	free(text);
	c.values = big;
	text = script_of(&c);
	assert_non_null(strstr(text, "set ytics 10\n"));
	free(text);
	/* a stacked bar's height is its sum: 70 and 45, so steps of 10 */
	c.kind = CHART_STACKED;
	c.nseries = 2;
	c.series[1] = "t";
	c.values = stacked;
	text = script_of(&c);
	assert_non_null(strstr(text, "set ytics 10\n"));
	free(text);
	c.whole = 0;
	text = script_of(&c);
	assert_null(strstr(text, "set ytics"));
	free(text);
}

/* Money axes carry the yuan sign. */
static void test_money_axis(void **state)
{
	const char *cats[] = { "a" };
	double values[] = { 1200 };
	struct chart c = { .kind = CHART_STACKED, .nseries = 1, .series = { "s" },
			   .ncats = 1, .cats = cats, .values = values, .money = 1 };
	char *text;

	(void)state;
	text = script_of(&c);
	assert_non_null(strstr(text, "set format y '¥%.0f'\n"));
	free(text);
}

/*
 * Slanted category labels end at their tick (right-aligned): left-aligned
 * they ran under the next category and the last one off the picture.
 */
static void test_slanted_labels_end_at_tick(void **state)
{
	const char *cats[] = { "2026-11", "2026-12" };
	double values[] = { 1, 2 };
	struct chart c = { .kind = CHART_LINES, .nseries = 1, .series = { "s" },
			   .ncats = 2, .cats = cats, .values = values };
	char *text;

	(void)state;
	text = script_of(&c);
	assert_non_null(strstr(text, "set xtics rotate by 45 right"));
	free(text);
	c.kind = CHART_BARS;
	text = script_of(&c);
	assert_non_null(strstr(text, "set xtics rotate by 30 right"));
	free(text);
}

/* 25 sites: the 20 of most weight, largest first, and 其他 summing the 5 others. */
static void test_top_sites(void **state)
{
	const char *labels[25], *out[CHART_TOP_SITES + 1];
	char names[25][8];
	double values[50], weight[25], shown[(CHART_TOP_SITES + 1) * 2];
	int i, n;

	(void)state;
	for (i = 0; i < 25; i++) {
		snprintf(names[i], sizeof(names[i]), "s%d", i);
		labels[i] = names[i];
		weight[i] = i;                 /* s24 weighs most */
		values[2 * i] = i;
		values[2 * i + 1] = i == 0 ? NAN : 1;
	}
	n = chart_top_sites(labels, values, 2, weight, 25, "其他", out, shown);
	assert_int_equal(n, CHART_TOP_SITES + 1);
	assert_string_equal(out[0], "s24");
	assert_string_equal(out[19], "s5");
	assert_string_equal(out[20], "其他");
	assert_true(shown[20 * 2] == 0 + 1 + 2 + 3 + 4);
	assert_true(shown[20 * 2 + 1] == 4);   /* NAN counts as nothing */
	/* few sites: as they are */
	n = chart_top_sites(labels, values, 2, weight, 3, "其他", out, shown);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "s0");
}

static void test_no_data(void **state)
{
	const char *cats[] = { "a", "b" };
	double values[] = { NAN, NAN };
	struct chart c = { .kind = CHART_LINES, .nseries = 1, .series = { "s" },
			   .ncats = 2, .cats = cats, .values = values, .percent = 1 };

	(void)state;
	assert_int_equal(chart_has_data(&c), 0);
	values[1] = 0;
	assert_int_equal(chart_has_data(&c), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_injection_is_a_label),
		cmocka_unit_test(test_same_input_same_bytes),
		cmocka_unit_test(test_script_quotes_labels),
		cmocka_unit_test(test_gnuplot_error_is_reported),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_whole_steps),
		cmocka_unit_test(test_money_axis),
		cmocka_unit_test(test_slanted_labels_end_at_tick),
		cmocka_unit_test(test_top_sites),
	};
	char cmd[96];
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/pmaudit-chart-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
