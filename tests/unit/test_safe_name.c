/*
 * Unit tests for util/safe_name.c: file names made from site names
 * (report monthly --each-site).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "util/safe_name.h"
#include "util/utf8.h"

static char out[SAFE_NAME_SIZE];

static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		int k = utf8_sequence_length(s + i, n - i);

		if (!k)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

static void test_plain_names_kept(void **state)
{
	(void)state;
	assert_int_equal(safe_file_name("翠湖花园", out), 0);
	assert_string_equal(out, "翠湖花园");
	assert_int_equal(safe_file_name("Site 7 (north)", out), 0);
	assert_string_equal(out, "Site 7 (north)");
	assert_int_equal(safe_file_name("a.b", out), 0);
	assert_string_equal(out, "a.b");
}

/* "name-xxxxxxxx": the replaced name and a hash of the original */
static void changed_to(const char *name, const char *prefix)
{
	assert_int_equal(safe_file_name(name, out), 1);
	assert_int_equal(strncmp(out, prefix, strlen(prefix)), 0);
	assert_int_equal(strlen(out), strlen(prefix) + 9);
	assert_int_equal(out[strlen(prefix)], '-');
	assert_null(strchr(out, '/'));
	assert_null(strchr(out, '\\'));
	assert_true(out[0] != '.');
}

static void test_separators_and_dots(void **state)
{
	char a[SAFE_NAME_SIZE];

	(void)state;
	changed_to("../../etc/passwd", "_._.._etc_passwd");
	changed_to("..", "_");
	changed_to(".hidden", "_hidden");
	changed_to("a/b", "a_b");
	memcpy(a, out, sizeof(a));
	changed_to("a:b", "a_b");
	/* same replacement, different originals: different files */
	assert_string_not_equal(a, out);
	changed_to("a\\b", "a_b");
	changed_to("x\ny\t", "x_y_");
	changed_to("name. ", "name");
	changed_to("", "site");
	changed_to("...", "_");
	changed_to("\xff\xfe", "__");
}

static void test_device_names(void **state)
{
	(void)state;
	changed_to("CON", "_CON");
	changed_to("nul.txt", "_nul.txt");
	changed_to("COM1", "_COM1");
	assert_int_equal(safe_file_name("CONTOSO", out), 0);
	assert_int_equal(safe_file_name("COM0", out), 0);
}

static void test_length_cut_between_characters(void **state)
{
	char name[1000] = "";
	char other[1000];
	char first[SAFE_NAME_SIZE];
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		strcat(name, "园");       /* 3 bytes each: 300 bytes */
	assert_int_equal(safe_file_name(name, out), 1);
	/* 40 whole characters (120 bytes), then -hash */
	assert_int_equal(strlen(out), 120 + 9);
	assert_int_equal(strncmp(out, name, 120), 0);
	assert_true(valid_utf8(out, 120));
	memcpy(first, out, sizeof(first));
	/* the same beginning, another end: another file */
	snprintf(other, sizeof(other), "%s甲", name);
	safe_file_name(other, out);
	assert_string_not_equal(first, out);
	/* a device name at the limit keeps whole characters */
	snprintf(name, sizeof(name), "CON.");
	for (i = 0; i < 60; i++)
		strcat(name, "园");
	assert_int_equal(safe_file_name(name, out), 1);
	assert_int_equal(out[0], '_');
	assert_true(strlen(out) <= SAFE_NAME_MAX + 9);
	/* valid UTF-8 before the hash: whole characters only */
	assert_true(valid_utf8(out, strlen(out) - 9));
}

static void test_deterministic(void **state)
{
	char a[SAFE_NAME_SIZE];

	(void)state;
	safe_file_name("x/y", a);
	safe_file_name("x/y", out);
	assert_string_equal(a, out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names_kept),
		cmocka_unit_test(test_separators_and_dots),
		cmocka_unit_test(test_device_names),
		cmocka_unit_test(test_length_cut_between_characters),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
