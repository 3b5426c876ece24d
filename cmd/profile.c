/*
 * PMAUDIT_PROFILE=1 for import, check and report: each statement's time on stderr,
 * to find what is slow on a user's data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/profile.h"

/*
 * Wall seconds, then the process's CPU seconds since the previous line (on
 * a busy machine the wall time says little), then those of the thread
 * running the statement: the rest is the other threads' (an import's
 * reading thread, SQLite's sorter helpers). Statements under a
 * millisecond are not listed; their CPU time counts in the next line.
 */
static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double last_cpu;
/* per thread: the statements of a check or report run on several */
static _Thread_local double last_thread_cpu;

/* The calling thread's CPU seconds (a trace call runs on the statement's thread). */
static double thread_cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wall seconds since the process started (the kernel's start time of the
 * process, in clock ticks since boot), so that the lines of the threads'
 * statements and the parts between them make a timeline.
 */
static double since_start(void)
{
	static double start = -1;
	struct timespec ts;

	if (start < 0) {
		unsigned long long ticks = 0;
		char buf[1024], *p;
		FILE *f = fopen("/proc/self/stat", "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		int field;

		if (f)
			fclose(f);
		buf[n] = 0;
		/* field 22, counted after the command name, which may hold spaces */
		p = strrchr(buf, ')');
		for (field = 2; p && field < 22; field++)
			p = strchr(p + 1, ' ');
		if (p)
			ticks = strtoull(p + 1, NULL, 10);
		start = (double)ticks / (double)sysconf(_SC_CLK_TCK);
	}
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9 - start;
}

static int print_statement(unsigned type, void *ctx, void *stmt, void *ns)
{
	double now, thread_now;
	char *sql;

	(void)ctx;
	if (type != SQLITE_TRACE_PROFILE || *(sqlite3_int64 *)ns < 1000000)
		return 0;
	now = cpu_seconds();
	thread_now = thread_cpu_seconds();
	sql = sqlite3_expanded_sql(stmt);
	fprintf(stderr, "%7.3f at %8.3f s %7.3f cpu %7.3f thread  %s\n", since_start(),
		*(sqlite3_int64 *)ns / 1e9, now - last_cpu, thread_now - last_thread_cpu,
		sql ? sql : "");
	last_cpu = now;
	last_thread_cpu = thread_now;
	sqlite3_free(sql);
	return 0;
}

void profile_from_env(sqlite3 *db)
{
	if (getenv("PMAUDIT_PROFILE"))
		sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, print_statement, NULL);
}

void profile_pass(const char *what, double seconds)
{
	double now = cpu_seconds();

	fprintf(stderr, "%7.3f at %8.3f s %7.3f cpu  [C] %s\n", since_start(), seconds, now - last_cpu,
		what);
	last_cpu = now;
}
