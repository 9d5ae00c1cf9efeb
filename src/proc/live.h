/*
 * Whether a proc root is the running kernel's procfs or a copied tree.
 *
 * Any procfs mount shows the running kernel, so facts that /proc does not
 * print (the page size) can then be asked of the kernel directly; a copied
 * tree (--proc-root of a capture) must derive them from its own files.
 */
#ifndef ML_LIVE_H
#define ML_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/reader.h"

/* True when fs's directory is on a procfs mount (statfs type PROC_SUPER_MAGIC). */
bool ml_procfs_is_live(const struct ml_procfs *fs);

/*
 * The running kernel's page size (sysconf(_SC_PAGESIZE)) when fs is live;
 * 0 for a copied tree, whose page size model/pagesize.h derives.
 */
uint64_t ml_procfs_live_page_size(const struct ml_procfs *fs);

/* True when fs's directory is on a sysfs mount: this machine's /sys, not a capture's. */
bool ml_procfs_is_sysfs(const struct ml_procfs *fs);

#endif /* ML_LIVE_H */
