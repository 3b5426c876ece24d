#ifndef PM_SAMPLE_H
#define PM_SAMPLE_H

/*
 * One ticket of the inspection sample (reports/inspection.c), with its
 * latest callback by the as-of time; NULL where the log has nothing.
 */
struct sampled {
	char *id, *site, *room, *category, *reported, *completed, *technician;
	char *cb_at, *cb_staff, *cb_role, *cb_result;
	int problem, supervisor;
	unsigned long long key;
};

#endif
