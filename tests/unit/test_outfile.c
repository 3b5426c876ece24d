/* util/outfile.c: a target is replaced whole or not at all; util/pathcheck.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/outfile.h"
#include "util/pathcheck.h"

static char dir[] = "/tmp/pmaudit-test-outfile-XXXXXX";

static char *path_in(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Files in dir besides the named ones: no temporary may be left. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void commit_replaces(void **state)
{
	char *target = path_in("a.csv");
	struct outfile o;
	pm_error err;

	(void)state;
	write_file(target, "old");
	assert_int_equal(outfile_open(&o, target, &err), 0);
	assert_false(o.direct);
	fputs("new", o.f);
	/* until the commit the target is the old file */
	assert_string_equal(read_file(target), "old");
	assert_int_equal(entries(), 2);
	assert_int_equal(outfile_commit(&o, &err), 0);
	assert_string_equal(read_file(target), "new");
	assert_int_equal(entries(), 1);
	unlink(target);
	free(target);
}

static void abort_keeps(void **state)
{
	char *target = path_in("b.pdf");
	struct outfile o;
	pm_error err;

	(void)state;
	write_file(target, "old");
	assert_int_equal(outfile_open_path(&o, target, &err), 0);
	assert_null(o.f);
	write_file(outfile_path(&o), "half");
	outfile_abort(&o);
	outfile_abort(&o);
	assert_string_equal(read_file(target), "old");
	assert_int_equal(entries(), 1);
	/* by path, committed */
	assert_int_equal(outfile_open_path(&o, target, &err), 0);
	write_file(outfile_path(&o), "whole");
	assert_int_equal(outfile_commit(&o, &err), 0);
	assert_string_equal(read_file(target), "whole");
	unlink(target);
	free(target);
}

static void link_followed_and_devices_direct(void **state)
{
	char *target = path_in("real.csv"), *link = path_in("link.csv");
	struct outfile o;
	struct stat st;
	pm_error err;

	(void)state;
	write_file(target, "old");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(outfile_open(&o, link, &err), 0);
	fputs("new", o.f);
	assert_int_equal(outfile_commit(&o, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(read_file(target), "new");
	/* a device is written straight through */
	assert_int_equal(outfile_open(&o, "/dev/null", &err), 0);
	assert_true(o.direct);
	fputs("x", o.f);
	assert_int_equal(outfile_commit(&o, &err), 0);
	/* a folder that does not exist: an error naming the reason and the path */
	assert_int_equal(outfile_open(&o, "/nonexistent-dir/x.csv", &err), -1);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x.csv"));
	unlink(link);
	unlink(target);
	free(link);
	free(target);
}

static void same_files_refused(void **state)
{
	char *db = path_in("d.db"), *other = path_in("x.json"), *link = path_in("l.db");
	char *dotted, *journal = path_in("d.db-journal"), *absent = path_in("new.csv");
	struct path_use uses[2];
	pm_error err;

	(void)state;
	assert_true(asprintf(&dotted, "%s/./d.db", dir) > 0);
	write_file(db, "db");
	assert_int_equal(symlink(db, link), 0);
	uses[0] = (struct path_use){ dotted, "--csv", 1 };
	assert_int_equal(paths_check(db, uses, 1, &err), -1);
	assert_non_null(strstr(err.msg, "is the same file as the database"));
	uses[0] = (struct path_use){ link, "--out", 1 };
	assert_int_equal(paths_check(db, uses, 1, &err), -1);
	uses[0] = (struct path_use){ journal, "--json", 1 };
	assert_int_equal(paths_check(db, uses, 1, &err), -1);
	assert_non_null(strstr(err.msg, "journal"));
	/* two outputs not yet made, one name */
	uses[0] = (struct path_use){ absent, "--json", 1 };
	uses[1] = (struct path_use){ absent, "--csv", 1 };
	assert_int_equal(paths_check(db, uses, 2, &err), -1);
	assert_non_null(strstr(err.msg, "--csv"));
	/* different files pass; two inputs may be one file */
	uses[0] = (struct path_use){ other, "--json", 1 };
	uses[1] = (struct path_use){ absent, "--csv", 1 };
	assert_int_equal(paths_check(db, uses, 2, &err), 0);
	uses[0] = (struct path_use){ db, "--rules", 0 };
	uses[1] = (struct path_use){ "/dev/null", "--csv", 1 };
	assert_int_equal(paths_check(NULL, uses, 2, &err), 0);
	unlink(link);
	unlink(db);
	free(db);
	free(other);
	free(link);
	free(dotted);
	free(journal);
	free(absent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commit_replaces),
		cmocka_unit_test(abort_keeps),
		cmocka_unit_test(link_followed_and_devices_direct),
		cmocka_unit_test(same_files_refused),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
