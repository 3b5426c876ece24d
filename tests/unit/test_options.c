/* Unit tests for util/options.c: the option-table parser of every subcommand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/options.h"

struct vals {
	const char *db, *month;
	int keep;
	long long run;
};

static struct vals v;
static pm_error err;
static const struct option_spec OPTS[] = {
	OPT_STRING("db", 'd', &v.db, "FILE", "the database"),
	OPT_STRING("month", 0, &v.month, "YYYY-MM", "a month"),
	OPT_FLAG("keep-met", 0, &v.keep, "keep"),
	OPT_INT("run", 0, &v.run, "N", "a run"),
	OPT_END(),
};

/* Parses the words of line (at most 15, after a command name). */
static int parse(char *line, char **argv)
{
	int argc = 1;

	memset(&v, 0, sizeof(v));
	err.msg[0] = 0;
	argv[0] = "cmd";
	for (char *w = strtok(line, " "); w && argc < 15; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return options_parse(OPTS, argc, argv, &err);
}

static void test_values(void **state)
{
	char line[] = "a.csv --db x.db --month=2026-10 -  --keep-met --run 12 b.csv";
	char *argv[16];

	(void)state;
	assert_int_equal(parse(line, argv), 3);
	assert_string_equal(v.db, "x.db");
	assert_string_equal(v.month, "2026-10");
	assert_int_equal(v.keep, 1);
	assert_int_equal(v.run, 12);
	assert_string_equal(argv[0], "a.csv");
	assert_string_equal(argv[1], "-");
	assert_string_equal(argv[2], "b.csv");
}

static void test_short_and_dashdash(void **state)
{
	char line[] = "-d a.db -db.db -- --month";
	char *argv[16];

	(void)state;
	assert_int_equal(parse(line, argv), 1);
	assert_string_equal(v.db, "b.db");
	assert_null(v.month);
	assert_string_equal(argv[0], "--month");
}

/* A value may start with a dash: it is the value, not an option. */
static void test_dash_value(void **state)
{
	char line[] = "--db --month";
	char *argv[16];

	(void)state;
	assert_int_equal(parse(line, argv), 0);
	assert_string_equal(v.db, "--month");
	assert_null(v.month);
}

static void test_errors_name_the_option(void **state)
{
	char l1[] = "--mon 2026-10", l2[] = "--month", l3[] = "--month=", l4[] = "--run 1x",
	     l5[] = "--keep-met=1", l6[] = "-x";
	char *argv[16];

	(void)state;
	assert_int_equal(parse(l1, argv), -1);
	assert_string_equal(err.msg, "unknown option '--mon'");
	assert_int_equal(parse(l2, argv), -1);
	assert_string_equal(err.msg, "--month needs a value");
	assert_int_equal(parse(l3, argv), -1);
	assert_string_equal(err.msg, "--month needs a value");
	assert_int_equal(parse(l4, argv), -1);
	assert_string_equal(err.msg, "--run: '1x' is not a whole number");
	assert_int_equal(parse(l5, argv), -1);
	assert_string_equal(err.msg, "--keep-met takes no value");
	assert_int_equal(parse(l6, argv), -1);
	assert_string_equal(err.msg, "unknown option '-x'");
}

static void test_help_anywhere(void **state)
{
	char l1[] = "--bogus --help", l2[] = "-h", l3[] = "-- --help";
	char *argv[16];

	(void)state;
	assert_int_equal(parse(l1, argv), OPTIONS_HELP);
	assert_int_equal(parse(l2, argv), OPTIONS_HELP);
	assert_int_equal(parse(l3, argv), 1);
}

static void test_usage_from_table(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	options_usage(out, OPTS);
	fclose(out);
	assert_non_null(strstr(buf, "  -d, --db FILE         the database\n"));
	assert_non_null(strstr(buf, "  --keep-met            keep\n"));
	assert_non_null(strstr(buf, "  --run N               a run\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_short_and_dashdash),
		cmocka_unit_test(test_dash_value),
		cmocka_unit_test(test_errors_name_the_option),
		cmocka_unit_test(test_help_anywhere),
		cmocka_unit_test(test_usage_from_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
