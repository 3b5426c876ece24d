/*
 * PMAUDIT_PROFILE=1 for import, check and report: each statement's time on stderr,
 * to find what is slow on a user's data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "cmd/profile.h"

/*
 * Wall seconds, then the process's CPU seconds since the previous line (on
 * a busy machine the wall time says little). Statements under a
 * millisecond are not listed; their CPU time counts in the next line.
 */
static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double last_cpu;

static int print_statement(unsigned type, void *ctx, void *stmt, void *ns)
{
	double now;
	char *sql;

	(void)ctx;
	if (type != SQLITE_TRACE_PROFILE || *(sqlite3_int64 *)ns < 1000000)
		return 0;
	now = cpu_seconds();
	sql = sqlite3_expanded_sql(stmt);
	fprintf(stderr, "%8.3f s %7.3f cpu  %s\n", *(sqlite3_int64 *)ns / 1e9, now - last_cpu,
		sql ? sql : "");
	last_cpu = now;
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

	fprintf(stderr, "%8.3f s %7.3f cpu  [C] %s\n", seconds, now - last_cpu, what);
	last_cpu = now;
}
