/*
 * The libproc2 back end of pids.h (live /proc only). Private to pids.c.
 */
#ifndef ML_PIDS_PROC2_H
#define ML_PIDS_PROC2_H

#include "proc/pids.h"

/* Load libproc2 (once per process); 0, or -1 with errno and a cause. */
int ml_pids_proc2_load(char **cause);
int ml_pids_proc2_open(struct ml_pids *p, char **cause);
void ml_pids_proc2_close(struct ml_pids *p);
int ml_pids_proc2_scan(struct ml_pids *p, ml_pid_fn fn, void *arg, char **cause);
int ml_pids_proc2_get(struct ml_pids *p, int pid, ml_pid_fn fn, void *arg, char **cause);
int ml_pids_proc2_details(struct ml_pids *p, const int *pids, size_t n, unsigned int what,
			  ml_detail_fn fn, void *arg, char **cause);

#endif /* ML_PIDS_PROC2_H */
