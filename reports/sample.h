#ifndef PM_SAMPLE_H
#define PM_SAMPLE_H

/*
 * One ticket of the inspection sample (reports/inspection.c), with its
 * latest callback by the as-of time; NULL where the log has nothing.
 */
struct sampled {
	char *id, *site, *room, *category, *reported, *completed, *technician;
	char *cb_at, *cb_staff, *cb_role, *cb_result;
	int problem;
	/*
	 * Called back by a supervisor: 1 yes, 0 no, -1 无法判定 (a callback
	 * from files without a role column: it may have been the supervisor's).
	 */
	int supervisor;
	unsigned long long key;
};

/* 是 / 否 / 无法判定 (yes / no / unknown): the checklist's 主管已回访. */
const char *sampled_supervisor(const struct sampled *x, int english);

#endif
