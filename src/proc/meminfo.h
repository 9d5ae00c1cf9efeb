/*
 * /proc/meminfo: "Key:   value kB" per line (doc/procfs.md section 2).
 *
 * Every line is kept in file order, known keys or not (ml_meminfo.all); the
 * known ones are also in val[] by enum, with a presence bit: absent is not 0.
 * Values printed in kB are stored in bytes; HugePages_* are page counts.
 */
#ifndef ML_MEMINFO_H
#define ML_MEMINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "compat.h"
#include "proc/kv.h"
#include "proc/source.h"

enum ml_mi_key {
	ML_MI_MEM_TOTAL,
	ML_MI_MEM_FREE,
	ML_MI_MEM_AVAILABLE,
	ML_MI_BUFFERS,
	ML_MI_CACHED,
	ML_MI_SWAP_CACHED,
	ML_MI_ACTIVE,
	ML_MI_INACTIVE,
	ML_MI_ACTIVE_ANON,
	ML_MI_INACTIVE_ANON,
	ML_MI_ACTIVE_FILE,
	ML_MI_INACTIVE_FILE,
	ML_MI_UNEVICTABLE,
	ML_MI_MLOCKED,
	ML_MI_HIGH_TOTAL,
	ML_MI_HIGH_FREE,
	ML_MI_LOW_TOTAL,
	ML_MI_LOW_FREE,
	ML_MI_MMAP_COPY,
	ML_MI_SWAP_TOTAL,
	ML_MI_SWAP_FREE,
	ML_MI_ZSWAP,
	ML_MI_ZSWAPPED,
	ML_MI_DIRTY,
	ML_MI_WRITEBACK,
	ML_MI_ANON_PAGES,
	ML_MI_MAPPED,
	ML_MI_SHMEM,
	ML_MI_KRECLAIMABLE,
	ML_MI_SLAB,
	ML_MI_SRECLAIMABLE,
	ML_MI_SUNRECLAIM,
	ML_MI_KERNEL_STACK,
	ML_MI_SHADOW_CALL_STACK,
	ML_MI_PAGE_TABLES,
	ML_MI_SEC_PAGE_TABLES,
	ML_MI_QUICKLISTS,
	ML_MI_NFS_UNSTABLE,
	ML_MI_BOUNCE,
	ML_MI_WRITEBACK_TMP,
	ML_MI_COMMIT_LIMIT,
	ML_MI_COMMITTED_AS,
	ML_MI_VMALLOC_TOTAL,
	ML_MI_VMALLOC_USED,
	ML_MI_VMALLOC_CHUNK,
	ML_MI_PERCPU,
	ML_MI_EARLY_MEMTEST_BAD,
	ML_MI_HARDWARE_CORRUPTED,
	ML_MI_ANON_HUGE_PAGES,
	ML_MI_SHMEM_HUGE_PAGES,
	ML_MI_SHMEM_PMD_MAPPED,
	ML_MI_FILE_HUGE_PAGES,
	ML_MI_FILE_PMD_MAPPED,
	ML_MI_CMA_TOTAL,
	ML_MI_CMA_FREE,
	ML_MI_UNACCEPTED,
	ML_MI_BALLOON,
	ML_MI_HUGEPAGES_TOTAL,
	ML_MI_HUGEPAGES_FREE,
	ML_MI_HUGEPAGES_RSVD,
	ML_MI_HUGEPAGES_SURP,
	ML_MI_HUGEPAGESIZE,
	ML_MI_HUGETLB,
	ML_MI_DIRECT_MAP_4K,
	ML_MI_DIRECT_MAP_2M,
	ML_MI_DIRECT_MAP_4M,
	ML_MI_DIRECT_MAP_1G,
	ML_MI__COUNT
};

struct ml_meminfo {
	uint64_t val[ML_MI__COUNT]; /* meaningful only where present has the bit */
	uint64_t present[ML_BITSET_WORDS(ML_MI__COUNT)];
	struct ml_kvlist all; /* every line, in file order */
};

extern const struct ml_source ml_src_meminfo;
/* Each known key's text and unit, and what it counts (memlens meminfo prints that), by enum. */
extern const struct ml_kv_key ml_meminfo_keys[ML_MI__COUNT];
extern const char *const ml_meminfo_what[ML_MI__COUNT];

void ml_meminfo_init(struct ml_meminfo *mi);
void ml_meminfo_release(struct ml_meminfo *mi);

static inline bool
ml_meminfo_has(const struct ml_meminfo *mi, enum ml_mi_key k)
{
	return ml_bit_test(mi->present, k);
}

/* The value of k, or 0 when absent: only for sums that check presence first. */
static inline uint64_t
ml_meminfo_get(const struct ml_meminfo *mi, enum ml_mi_key k)
{
	return ml_bit_test(mi->present, k) ? mi->val[k] : 0;
}

#endif /* ML_MEMINFO_H */
