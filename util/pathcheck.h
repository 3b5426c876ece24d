#ifndef PM_PATHCHECK_H
#define PM_PATHCHECK_H

#include "util/error.h"

/*
 * Before any work, a command lists the files it reads and writes; an
 * output that is the same file as the database (or its -journal, -wal or
 * -shm file), an input, or another output is refused with a message naming
 * both -- `report --out d.db` used to turn the database into a PDF.
 *
 * Same file: the same device and inode for files that exist (a symbolic
 * link, a hard link, another spelling of the path), the same resolved
 * path (realpath of the directory plus the name) for a file not yet made.
 * Outputs that are devices or pipes (/dev/null, a terminal) are not
 * compared: writing to them twice destroys nothing.
 */
struct path_use {
	const char *path;   /* NULL: not given */
	const char *what;   /* how the user named it: "--out", "--rules" */
	int output;
};

/* The folder part of path, malloc'ed: "." for a bare name, "/" at the root; NULL: no memory. */
char *path_folder(const char *path);

/* db_path may be NULL or ":memory:" (no file). */
int paths_check(const char *db_path, const struct path_use *uses, int n, pm_error *err);

#endif
