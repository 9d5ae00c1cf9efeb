/*
 * The source of a report; see sysinfo.h.
 */
#include "config.h"

#include <string.h>

#include "proc/manifest.h"
#include "proc/sysinfo.h"

void
ml_sysinfo_read(struct ml_sysinfo *si, const struct ml_procfs *fs)
{
	si->proc_root = fs->root;
	si->capture = fs->capture;
	si->capture_time = fs->mf != NULL ? (time_t)fs->mf->unix_start : 0;
	if (ml_procfs_read_small(fs, "sys/kernel/osrelease", si->kernel_release,
				 sizeof si->kernel_release, NULL) < 0)
		si->kernel_release[0] = '\0';
	if (ml_procfs_read_small(fs, "sys/kernel/hostname", si->hostname, sizeof si->hostname,
				 NULL) < 0)
		si->hostname[0] = '\0';
	si->time = time(NULL);
}
