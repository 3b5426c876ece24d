#ifndef PM_OUTFILE_H
#define PM_OUTFILE_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include "util/error.h"

/*
 * Every file pmaudit writes for the user (PDF, CSV, JSON, checklist, chart
 * PNGs) is written to a temporary file in the target's directory, flushed,
 * fsync'ed and renamed over the target only once it is complete; then the
 * directory is fsync'ed. On a failure (outfile_abort) or a signal (SIGINT,
 * SIGTERM, SIGHUP: see outfile_register) the temporary is removed and the
 * target is untouched: a previous good file stays as it was.
 *
 * A target that is not a regular file nor missing -- "-" (standard
 * output), /dev/stdout, a pipe, a terminal, /dev/null -- cannot be replaced
 * by a rename; it is written straight through (direct is then 1).
 *
 *     struct outfile o;
 *     if (outfile_open(&o, "report.csv", &err)) return -1;
 *     fputs(..., o.f);
 *     return outfile_commit(&o, &err);      // or outfile_abort(&o)
 *
 * For a library that writes by path (libharu, libxlsxwriter), use
 * outfile_open_path() and give it outfile_path(&o); o.f is then NULL.
 * Standard output by path is a temporary under $TMPDIR, copied to it on
 * commit (the library would truncate a file the shell appends to).
 */
struct outfile {
	char *target;    /* the path as given ("-": standard output) */
	char *temp;      /* the temporary; NULL when direct (but for standard output by path) */
	FILE *f;         /* the stream to write (outfile_open only) */
	int direct;      /* written straight through, nothing to rename */
	int to_stdout;   /* the target is the process's standard output */
	int slot;        /* the temporary's registry slot (-1: none) */
};

int outfile_open(struct outfile *o, const char *target, pm_error *err);
int outfile_open_path(struct outfile *o, const char *target, pm_error *err);
/* The path to write to: the temporary, or the target itself when direct. */
const char *outfile_path(const struct outfile *o);
/* Flushes, syncs, closes and renames over the target; on failure, aborts. */
int outfile_commit(struct outfile *o, pm_error *err);
/* Closes and removes the temporary; the target is untouched. Idempotent. */
void outfile_abort(struct outfile *o);

/*
 * Whether path names the same file as the process's standard output
 * ("-", /dev/stdout, or a file stdout is redirected to).
 */
int outfile_is_stdout(const char *path);

/*
 * The signal-safe registry of things to clean up when SIGINT, SIGTERM or
 * SIGHUP ends the process: temporary files (unlinked), temporary folders
 * (rmdir'ed after the files, so register the folder first) and child
 * processes (killed, e.g. gnuplot). The handler then lets the signal end
 * the process as it would have. Paths are copied. Each returns a slot for
 * the matching unregister call, or -1 when the registry is full (the
 * cleanup then only happens on the normal path).
 */
int outfile_register_file(const char *path);
int outfile_register_dir(const char *path);
int outfile_register_child(int pid);
void outfile_unregister(int slot);
/*
 * mkdtemp(template) and registers the folder: its slot, -1 (errno set) if
 * it could not be made, -2 if made but the registry is full.
 */
int outfile_make_temp_dir(char *template);
/*
 * pthread_create for a thread that writes no output file: the cleanup
 * signals are blocked in it, so that the handler runs in the thread that
 * makes and registers the temporaries (blocking them there around the
 * making then closes every gap).
 */
int outfile_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg);
/* Blocks the cleanup signals in this thread (e.g. around fork and outfile_register_child). */
void outfile_signals_block(sigset_t *old);

#endif
