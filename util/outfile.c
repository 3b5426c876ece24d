/*
 * Atomic outputs (outfile.h): a temporary in the target's directory,
 * renamed over the target once complete, and a registry of what a signal
 * must clean up.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/outfile.h"
#include "util/pathcheck.h"

/* ---- the signal registry ---- */

enum { SLOT_FREE, SLOT_FILE, SLOT_DIR, SLOT_CHILD };

#define REGISTRY_SLOTS 128

struct slot {
	volatile sig_atomic_t kind;
	pid_t pid;
	char *path;
};

static struct slot registry[REGISTRY_SLOTS];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static int handlers_installed;

static const int CLEANUP_SIGNALS[] = { SIGINT, SIGTERM, SIGHUP };

/* Only async-signal-safe calls: kill, unlink, rmdir, sigaction, raise. */
static void on_signal(int sig)
{
	struct sigaction dfl;
	int i;

	/* reaped before the unlinks: a child still running could make a file after them */
	for (i = 0; i < REGISTRY_SLOTS; i++)
		if (registry[i].kind == SLOT_CHILD)
			kill(registry[i].pid, SIGKILL);
	for (i = 0; i < REGISTRY_SLOTS; i++)
		if (registry[i].kind == SLOT_CHILD)
			waitpid(registry[i].pid, NULL, 0);
	for (i = 0; i < REGISTRY_SLOTS; i++)
		if (registry[i].kind == SLOT_FILE)
			unlink(registry[i].path);
	for (i = REGISTRY_SLOTS - 1; i >= 0; i--)
		if (registry[i].kind == SLOT_DIR)
			rmdir(registry[i].path);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

/* Installs the handler for the signals not ignored (nohup's SIGHUP stays ignored). */
static void install_handlers(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(CLEANUP_SIGNALS) / sizeof(CLEANUP_SIGNALS[0]); i++)
		sigaddset(&sa.sa_mask, CLEANUP_SIGNALS[i]);
	for (i = 0; i < sizeof(CLEANUP_SIGNALS) / sizeof(CLEANUP_SIGNALS[0]); i++) {
		if (sigaction(CLEANUP_SIGNALS[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(CLEANUP_SIGNALS[i], &sa, NULL);
	}
}

/* Blocks the cleanup signals while a slot changes, so the handler never sees half of it. */
static void block_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(CLEANUP_SIGNALS) / sizeof(CLEANUP_SIGNALS[0]); i++)
		sigaddset(&set, CLEANUP_SIGNALS[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static int take_slot(int kind, const char *path, pid_t pid)
{
	sigset_t old;
	char *copy = NULL;
	int i, found = -1;

	if (path && !(copy = strdup(path)))
		return -1;
	block_signals(&old);
	pthread_mutex_lock(&registry_lock);
	if (!handlers_installed) {
		install_handlers();
		handlers_installed = 1;
	}
	for (i = 0; i < REGISTRY_SLOTS && found < 0; i++) {
		if (registry[i].kind != SLOT_FREE)
			continue;
		registry[i].path = copy;
		registry[i].pid = pid;
		registry[i].kind = kind;
		found = i;
	}
	pthread_mutex_unlock(&registry_lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (found < 0)
		free(copy);
	return found;
}

int outfile_register_file(const char *path)
{
	return take_slot(SLOT_FILE, path, 0);
}

int outfile_register_dir(const char *path)
{
	return take_slot(SLOT_DIR, path, 0);
}

int outfile_register_child(int pid)
{
	return take_slot(SLOT_CHILD, NULL, pid);
}

int outfile_make_temp_dir(char *template)
{
	sigset_t old;
	int slot = -1;

	/* no signal between making the folder and registering it */
	block_signals(&old);
	if (mkdtemp(template)) {
		slot = outfile_register_dir(template);
		if (slot < 0)
			slot = -2;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return slot;
}

void outfile_signals_block(sigset_t *old)
{
	block_signals(old);
}

int outfile_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t old;
	int rc;

	block_signals(&old);
	rc = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void outfile_unregister(int slot)
{
	sigset_t old;
	char *path;

	if (slot < 0 || slot >= REGISTRY_SLOTS)
		return;
	block_signals(&old);
	pthread_mutex_lock(&registry_lock);
	path = registry[slot].path;
	registry[slot].kind = SLOT_FREE;
	registry[slot].path = NULL;
	pthread_mutex_unlock(&registry_lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(path);
}

/* ---- the files ---- */

int outfile_is_stdout(const char *path)
{
	struct stat a, b;

	if (!strcmp(path, "-"))
		return 1;
	if (stat(path, &a) < 0 || fstat(STDOUT_FILENO, &b) < 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * The file to replace: the target, or for a symbolic link the file it
 * points to (renaming over the link would cut it). NULL when out of memory.
 */
static char *real_target(const char *target)
{
	struct stat st;
	char *real;

	if (lstat(target, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(target, NULL)))
		return real;
	return strdup(target);
}

/* The mode a new file gets from fopen (0666 less the umask), or the target's own. */
static mode_t file_mode(const char *target)
{
	struct stat st;
	mode_t mask;

	if (stat(target, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(022);
	umask(mask);
	return 0666 & ~mask;
}

/* "dir/.name.tmp-XXXXXX" next to target; the name is cut to stay in NAME_MAX. */
static char *temp_template(const char *target)
{
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	int dirlen = slash ? (int)(slash - target + 1) : 0;
	int baselen = (int)strlen(base);
	char *t;

	if (baselen > 200)
		baselen = 200;
	if (asprintf(&t, "%.*s.%.*s.tmp-XXXXXX", dirlen, target, baselen, base) < 0)
		return NULL;
	return t;
}

/* Whether target must be written straight through (exists, not a regular file). */
static int is_direct(const char *target)
{
	struct stat st;

	if (!strcmp(target, "-"))
		return 1;
	return stat(target, &st) == 0 && !S_ISREG(st.st_mode);
}

/*
 * The reason first: a path can be longer than a message holds (pm_error),
 * and "File name too long" must not be the part that is cut.
 */
static int cannot_write(pm_error *err, const char *target, int error)
{
	return pm_fail(err, "cannot write (%s): %s", strerror(error), target);
}

static void clear(struct outfile *o)
{
	free(o->target);
	free(o->temp);
	memset(o, 0, sizeof(*o));
	o->slot = -1;
}

static int stdout_is_file(void)
{
	struct stat st;

	return fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode);
}

/* mkstemp(o->temp), registered: no signal between making the file and registering it. */
static int make_temp(struct outfile *o)
{
	sigset_t old;
	int fd, saved;

	block_signals(&old);
	fd = mkstemp(o->temp);
	saved = errno;
	if (fd >= 0)
		o->slot = outfile_register_file(o->temp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return fd;
}

/*
 * A library that writes by path, asked for standard output: it would open
 * /dev/stdout anew and truncate a file the shell appends to. It gets a
 * temporary under $TMPDIR instead, copied to standard output on commit.
 */
static int stdout_by_path(struct outfile *o, pm_error *err)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (asprintf(&o->temp, "%s/pmaudit-stdout-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) {
		o->temp = NULL;
		clear(o);
		return pm_fail(err, "out of memory");
	}
	fd = make_temp(o);
	if (fd < 0) {
		pm_fail(err, "cannot create a temporary file (%s): %s", strerror(errno), o->temp);
		clear(o);
		return -1;
	}
	close(fd);
	return 0;
}

/* Copies the temporary of stdout_by_path() to standard output and removes it. */
static int copy_to_stdout(struct outfile *o, pm_error *err)
{
	char buf[65536];
	FILE *in = fopen(o->temp, "rb");
	size_t n;
	int rc = 0;

	if (!in)
		rc = -1;
	while (in && rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			rc = -1;
	if (in && ferror(in))
		rc = -1;
	if (in)
		fclose(in);
	if (fflush(stdout) != 0)
		rc = -1;
	if (rc < 0)
		pm_fail(err, "standard output: write failed: %s", strerror(errno));
	outfile_abort(o);
	return rc;
}

static int open_temp(struct outfile *o, const char *target, int want_stream, pm_error *err)
{
	struct stat st;
	int fd, saved;

	memset(o, 0, sizeof(*o));
	o->slot = -1;
	/* a folder is never written through: refused now, not when the file is complete */
	if (stat(target, &st) == 0 && S_ISDIR(st.st_mode))
		return cannot_write(err, target, EISDIR);
	/*
	 * Standard output is written where the shell put it, also when that
	 * is a file (`--out /dev/stdout >> log`): renaming over the file would
	 * leave the shell's descriptor on the old one.
	 */
	o->to_stdout = outfile_is_stdout(target);
	o->direct = o->to_stdout || is_direct(target);
	o->slot = -1;
	if (!(o->target = o->direct ? strdup(target) : real_target(target)))
		return pm_fail(err, "out of memory");
	if (o->direct && !want_stream && o->to_stdout && stdout_is_file())
		return stdout_by_path(o, err);
	if (o->direct && !want_stream && !strcmp(target, "-")) {
		free(o->target);
		if (!(o->target = strdup("/dev/stdout")))
			return pm_fail(err, "out of memory");
	}
	if (o->direct) {
		if (!want_stream)
			return 0;
		o->f = o->to_stdout ? stdout : fopen(target, "wb");
		if (!o->f) {
			cannot_write(err, target, errno);
			clear(o);
			return -1;
		}
		return 0;
	}
	if (!(o->temp = temp_template(o->target))) {
		clear(o);
		return pm_fail(err, "out of memory");
	}
	fd = make_temp(o);
	if (fd < 0) {
		saved = errno;
		cannot_write(err, target, saved);
		free(o->temp);
		o->temp = NULL;
		clear(o);
		return -1;
	}
	fchmod(fd, file_mode(o->target));
	if (!want_stream) {
		close(fd);
		return 0;
	}
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		saved = errno;
		close(fd);
		outfile_abort(o);
		return cannot_write(err, target, saved);
	}
	return 0;
}

int outfile_open(struct outfile *o, const char *target, pm_error *err)
{
	return open_temp(o, target, 1, err);
}

int outfile_open_path(struct outfile *o, const char *target, pm_error *err)
{
	return open_temp(o, target, 0, err);
}

const char *outfile_path(const struct outfile *o)
{
	return o->temp ? o->temp : o->target;
}

void outfile_abort(struct outfile *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	else if (o->f)
		fflush(o->f);
	o->f = NULL;
	if (o->temp) {
		unlink(o->temp);
		outfile_unregister(o->slot);
	}
	clear(o);
}

/* A rename is durable once its directory is synced; some filesystems refuse (EINVAL). */
static int sync_dir_of(const char *path)
{
	char *dir = path_folder(path);
	int fd, rc = 0;

	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	free(dir);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

static int finish_direct(struct outfile *o, pm_error *err)
{
	int rc = 0;

	if (o->f) {
		if (fflush(o->f) != 0 || ferror(o->f))
			rc = -1;
		if (o->f != stdout && fclose(o->f) != 0)
			rc = -1;
		o->f = NULL;
	}
	if (rc < 0)
		pm_fail(err, "%s: write failed: %s", o->target, strerror(errno));
	clear(o);
	return rc;
}

/* Flushes and syncs the temporary (by stream or by path) and closes it. */
static int sync_temp(struct outfile *o)
{
	int fd, rc = 0;

	if (o->f) {
		if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) < 0)
			rc = -1;
		if (fclose(o->f) != 0)
			rc = -1;
		o->f = NULL;
		return rc;
	}
	fd = open(o->temp, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0)
		rc = -1;
	close(fd);
	return rc;
}

int outfile_commit(struct outfile *o, pm_error *err)
{
	int saved;

	if (o->direct && o->temp)
		return copy_to_stdout(o, err);
	if (o->direct)
		return finish_direct(o, err);
	if (!o->temp)
		return pm_fail(err, "output not open");
	if (sync_temp(o) < 0 || rename(o->temp, o->target) < 0) {
		saved = errno;
		pm_fail(err, "%s: write failed: %s; the previous file is unchanged", o->target,
			strerror(saved));
		outfile_abort(o);
		return -1;
	}
	outfile_unregister(o->slot);
	sync_dir_of(o->target);
	clear(o);
	return 0;
}
