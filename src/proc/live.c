/*
 * Live procfs or copied tree; see live.h.
 */
#include "config.h"

#include <sys/vfs.h>
#include <unistd.h>

#include "proc/live.h"

/* From <linux/magic.h>; spelled out to keep the build free of kernel headers. */
#define ML_PROC_SUPER_MAGIC 0x9fa0
#define ML_SYSFS_MAGIC 0x62656572

bool
ml_procfs_is_live(const struct ml_procfs *fs)
{
	struct statfs st;

	return fs->dirfd >= 0 && fstatfs(fs->dirfd, &st) == 0 && st.f_type == ML_PROC_SUPER_MAGIC;
}

bool
ml_procfs_is_sysfs(const struct ml_procfs *fs)
{
	struct statfs st;

	return fs->dirfd >= 0 && fstatfs(fs->dirfd, &st) == 0 && st.f_type == ML_SYSFS_MAGIC;
}

uint64_t
ml_procfs_live_page_size(const struct ml_procfs *fs)
{
	long n;

	if (!ml_procfs_is_live(fs))
		return 0;
	n = sysconf(_SC_PAGESIZE);
	return n > 0 ? (uint64_t)n : 0;
}
