/*
 * One check for every command: no output may be another file the command
 * uses (pathcheck.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util/pathcheck.h"

struct resolved {
	const char *path, *what;
	int output, exists, regular;
	dev_t dev;
	ino_t ino;
	char *canonical;    /* realpath of the directory + "/" + name; NULL if unknown */
};

char *path_folder(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* "dir/name" -> realpath(dir) + "/" + name, for a file that need not exist. */
static char *canonical_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = path_folder(path), *real, *out = NULL;

	if (!dir)
		return NULL;
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	if (asprintf(&out, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : path) < 0)
		out = NULL;
	free(real);
	return out;
}

static void resolve(struct resolved *r, const char *path, const char *what, int output)
{
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->what = what;
	r->output = output;
	if (!strcmp(path, "-"))
		path = "/dev/stdout";
	if (stat(path, &st) == 0) {
		r->exists = 1;
		r->regular = S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);
		r->dev = st.st_dev;
		r->ino = st.st_ino;
		r->canonical = realpath(path, NULL);
	} else {
		r->regular = 1;
		r->canonical = canonical_name(path);
	}
}

static int same_file(const struct resolved *a, const struct resolved *b)
{
	if (!a->regular || !b->regular)
		return 0;
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	if (a->exists != b->exists)
		return 0;
	return a->canonical && b->canonical && !strcmp(a->canonical, b->canonical);
}

static int database_files(const char *db_path, struct resolved *out, char **names)
{
	static const char *const SUFFIX[] = { "", "-journal", "-wal", "-shm" };
	static const char *const WHAT[] = {
		"the database", "the database's journal", "the database's WAL file",
		"the database's shared-memory file"
	};
	int i, n = 0;

	if (!db_path || !*db_path || !strcmp(db_path, ":memory:"))
		return 0;
	for (i = 0; i < 4; i++) {
		if (asprintf(&names[n], "%s%s", db_path, SUFFIX[i]) < 0)
			break;
		resolve(&out[n], names[n], WHAT[i], 0);
		n++;
	}
	return n;
}

int paths_check(const char *db_path, const struct path_use *uses, int n, pm_error *err)
{
	struct resolved *all = calloc((size_t)n + 4, sizeof(*all));
	char *names[4] = { NULL };
	int count, i, k, rc = 0;

	if (!all)
		return pm_fail(err, "out of memory");
	count = database_files(db_path, all, names);
	for (i = 0; i < n; i++)
		if (uses[i].path)
			resolve(&all[count++], uses[i].path, uses[i].what, uses[i].output);
	for (i = 0; i < count && !rc; i++) {
		if (!all[i].output)
			continue;
		for (k = 0; k < count && !rc; k++) {
			if (k == i || (all[k].output && k > i) || !same_file(&all[i], &all[k]))
				continue;
			rc = pm_fail(err, "%s %s is the same file as %s %s; refusing to overwrite it, "
				     "nothing was written", all[i].what, all[i].path, all[k].what,
				     all[k].path);
		}
	}
	for (i = 0; i < count; i++)
		free(all[i].canonical);
	for (i = 0; i < 4; i++)
		free(names[i]);
	free(all);
	return rc;
}
