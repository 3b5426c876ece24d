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
