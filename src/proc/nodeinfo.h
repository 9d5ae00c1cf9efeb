/*
 * NUMA node files of sysfs (doc/procfs.md section 21), read through the sys
 * root:
 *
 *   devices/system/node/online           the node ids, a range list ("0-3")
 *   devices/system/node/nodeN/meminfo    "Node N Key:   value kB" per line
 *   devices/system/node/nodeN/numastat   "numa_hit 36814079" per line
 *
 * The node meminfo is the node's share of /proc/meminfo's counters, under
 * the node's own names (FilePages, MemUsed) and without the machine-wide
 * ones (no Cached, Buffers, VmallocUsed, Percpu, Zswap, Hugetlb). Values
 * printed in kB are kept in bytes; HugePages_* are page counts of the
 * default huge page size. Every line is kept in file order, known or not;
 * the known keys are also in val[] with a presence bit.
 *
 * numastat counts page allocations (events since boot), not memory.
 */
#ifndef ML_NODEINFO_H
#define ML_NODEINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "compat.h"
#include "proc/kv.h"
#include "proc/reader.h"
#include "proc/source.h"

enum ml_nm_key {
	ML_NM_MEM_TOTAL,
	ML_NM_MEM_FREE,
	ML_NM_MEM_USED,
	ML_NM_SWAP_CACHED,
	ML_NM_ACTIVE,
	ML_NM_INACTIVE,
	ML_NM_ACTIVE_ANON,
	ML_NM_INACTIVE_ANON,
	ML_NM_ACTIVE_FILE,
	ML_NM_INACTIVE_FILE,
	ML_NM_UNEVICTABLE,
	ML_NM_MLOCKED,
	ML_NM_HIGH_TOTAL,
	ML_NM_HIGH_FREE,
	ML_NM_LOW_TOTAL,
	ML_NM_LOW_FREE,
	ML_NM_DIRTY,
	ML_NM_WRITEBACK,
	ML_NM_FILE_PAGES,
	ML_NM_MAPPED,
	ML_NM_ANON_PAGES,
	ML_NM_SHMEM,
	ML_NM_KERNEL_STACK,
	ML_NM_SHADOW_CALL_STACK,
	ML_NM_PAGE_TABLES,
	ML_NM_SEC_PAGE_TABLES,
	ML_NM_NFS_UNSTABLE,
	ML_NM_BOUNCE,
	ML_NM_WRITEBACK_TMP,
	ML_NM_KRECLAIMABLE,
	ML_NM_SLAB,
	ML_NM_SRECLAIMABLE,
	ML_NM_SUNRECLAIM,
	ML_NM_ANON_HUGE_PAGES,
	ML_NM_SHMEM_HUGE_PAGES,
	ML_NM_SHMEM_PMD_MAPPED,
	ML_NM_FILE_HUGE_PAGES,
	ML_NM_FILE_PMD_MAPPED,
	ML_NM_UNACCEPTED,
	ML_NM_HUGEPAGES_TOTAL,
	ML_NM_HUGEPAGES_FREE,
	ML_NM_HUGEPAGES_SURP,
	ML_NM__COUNT
};

struct ml_node_meminfo {
	int64_t node;               /* the N of "Node N": -1 before the first line */
	uint64_t val[ML_NM__COUNT]; /* meaningful only where present has the bit */
	uint64_t present[ML_BITSET_WORDS(ML_NM__COUNT)];
	struct ml_kvlist all; /* every line, in file order, without the "Node N " */
};

extern const struct ml_source ml_src_node_meminfo;
extern const struct ml_kv_key ml_node_meminfo_keys[ML_NM__COUNT];

void ml_node_meminfo_init(struct ml_node_meminfo *nm);
void ml_node_meminfo_release(struct ml_node_meminfo *nm);

static inline bool
ml_node_meminfo_has(const struct ml_node_meminfo *nm, enum ml_nm_key k)
{
	return ml_bit_test(nm->present, k);
}

static inline uint64_t
ml_node_meminfo_get(const struct ml_node_meminfo *nm, enum ml_nm_key k)
{
	return ml_bit_test(nm->present, k) ? nm->val[k] : 0;
}

enum ml_ns_key {
	ML_NS_NUMA_HIT,       /* allocated here, as intended */
	ML_NS_NUMA_MISS,      /* allocated here, intended elsewhere */
	ML_NS_NUMA_FOREIGN,   /* intended here, allocated elsewhere */
	ML_NS_INTERLEAVE_HIT, /* interleave policy, as intended */
	ML_NS_LOCAL_NODE,     /* allocated here by a task running here */
	ML_NS_OTHER_NODE,     /* allocated here by a task running elsewhere */
	ML_NS__COUNT
};

struct ml_numastat {
	uint64_t val[ML_NS__COUNT];
	uint64_t present[ML_BITSET_WORDS(ML_NS__COUNT)];
	struct ml_kvlist all; /* every counter, in file order */
};

extern const struct ml_source ml_src_numastat;
extern const struct ml_kv_key ml_numastat_keys[ML_NS__COUNT];

void ml_numastat_init(struct ml_numastat *ns);
void ml_numastat_release(struct ml_numastat *ns);

static inline bool
ml_numastat_has(const struct ml_numastat *ns, enum ml_ns_key k)
{
	return ml_bit_test(ns->present, k);
}

/* The sysfs directory of the node files, relative to the sys root. */
#define ML_NODE_DIR "devices/system/node"

/* The kernel's MAX_NUMNODES is at most 1 << 10. */
#define ML_NODE_MAX 1024

/*
 * The node ids of the sys root: devices/system/node/online, or (when that
 * file is missing) the nodeN directories. *ids is malloc'd. 0, or -1 with
 * errno (ENOENT: no node files at all, a kernel without CONFIG_NUMA) and a
 * cause.
 */
int ml_node_ids(const struct ml_procfs *sys, int **ids, size_t *n, char **cause);

#endif /* ML_NODEINFO_H */
