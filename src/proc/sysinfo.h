/*
 * Where a report's data came from: the proc root, the kernel release and host
 * name as that root reports them (sys/kernel/osrelease, sys/kernel/hostname;
 * doc/procfs.md section 19), and the time of the read.
 */
#ifndef ML_SYSINFO_H
#define ML_SYSINFO_H

#include <time.h>

#include "proc/reader.h"

struct ml_sysinfo {
	const char *proc_root;
	const char *capture;      /* the capture read (its path), or NULL */
	time_t capture_time;      /* when it was taken (its manifest's start) */
	char kernel_release[128]; /* "" when unreadable */
	char hostname[256];       /* "" when unreadable */
	time_t time;
};

/*
 * Fill si from fs; missing files leave empty strings. A root of a capture
 * gives the capture's path and time too. Never fails.
 */
void ml_sysinfo_read(struct ml_sysinfo *si, const struct ml_procfs *fs);

#endif /* ML_SYSINFO_H */
