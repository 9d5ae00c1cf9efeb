/*
 * memlens maps PID --numa (cmd-maps-numa.c), called by cmd-maps.c once the
 * process is known to have user memory.
 */
#ifndef ML_CMD_MAPS_NUMA_H
#define ML_CMD_MAPS_NUMA_H

#include "cmd/cmd.h"
#include "proc/proctab.h"

/*
 * Print p's resident memory per NUMA node from PID/numa_maps; hint_perm is
 * what to say on EACCES. Returns the exit status.
 */
int cmd_maps_numa(struct ml_ctx *ctx, const struct ml_proc *p, const char *hint_perm);

#endif /* ML_CMD_MAPS_NUMA_H */
