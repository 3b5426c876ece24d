#ifndef PM_CLOCK_H
#define PM_CLOCK_H

/* Seconds for the --profile lines: wall time (monotonic) and the process's CPU time. */
double clock_wall_seconds(void);
double clock_cpu_seconds(void);

#endif
