/*
 * One NUMA node's memory: the accounting of its MemTotal, from its sysfs
 * meminfo, and an estimate of what is available there (doc/procfs.md
 * section 21; doc/accounting.md, "Per node").
 *
 * The parts are those of the machine's accounting that a node reports:
 *
 *   free (MemFree) + page cache (FilePages - SwapCached, Shmem and the
 *   block-device cache inside it) + swap cache + anonymous + slab
 *   reclaimable + slab unreclaimable + other reclaimable kernel memory +
 *   kernel stacks + page tables + hugetlb pool + bounce/FUSE buffers
 *   + unaccounted  ==  the node's MemTotal, exactly
 *
 * A node prints no vmalloc, per-cpu, zswap, zram or balloon figure, so
 * those are inside its unaccounted remainder (said in the report). The
 * hugetlb pool counts every page size from the node's hugepages/
 * directories; without them, the default size's HugePages_Total.
 *
 * The kernel computes MemAvailable for the whole machine only
 * (si_mem_available(), doc/procfs.md section 12.1). memlens applies the same
 * formula to one node, with the node's zones' watermarks from zoneinfo:
 *
 *   available = MemFree - reserve
 *             + file - min(file / 2, low)
 *             + reclaimable - min(reclaimable / 2, low)      (at least 0)
 *
 *   file        = Active(file) + Inactive(file)
 *   reclaimable = KReclaimable (SReclaimable before 4.20)
 *   low         = the sum of the node's zones' low watermarks
 *   reserve     = the sum over its zones of
 *                 min(managed, high + the largest protection entry)
 *
 * Pure functions; no I/O.
 */
#ifndef ML_NUMA_H
#define ML_NUMA_H

#include <stdbool.h>
#include <stdint.h>

#include "model/headline.h"
#include "model/watermarks.h"
#include "proc/nodeinfo.h"

enum ml_np_part {
	ML_NP_FREE,
	ML_NP_PAGE_CACHE,
	ML_NP_SWAP_CACHE,
	ML_NP_ANON,
	ML_NP_SLAB_RECLAIMABLE,
	ML_NP_SLAB_UNRECLAIMABLE,
	ML_NP_KERNEL_MISC_RECLAIMABLE,
	ML_NP_KERNEL_STACKS,
	ML_NP_PAGE_TABLES,
	ML_NP_HUGETLB,
	ML_NP_IO_BUFFERS,
	ML_NP_UNACCOUNTED,
	ML_NP__COUNT
};

struct ml_np_row {
	bool known;
	uint64_t bytes;
	const char *fields;     /* the node meminfo fields, as a formula */
	const char *absent_why; /* when !known */
};

/* What the node model needs besides the node's meminfo; every input optional. */
struct ml_numa_inputs {
	/* The node's hugetlb pool in bytes, every size (hugepages/ of the node). */
	struct ml_opt hugetlb_bytes;
	/* The default huge page size in bytes (/proc/meminfo Hugepagesize). */
	struct ml_opt default_huge_size;
	/* The machine's zones (zoneinfo) and the page size, for the estimate. */
	const struct ml_watermarks *wm;
};

struct ml_numa_node {
	int64_t node;
	uint64_t total; /* MemTotal */
	struct ml_np_row part[ML_NP__COUNT];
	int64_t unaccounted; /* may be negative: the parts exceed MemTotal */
	bool has_shmem;
	uint64_t shmem; /* inside the page cache */

	/* The available estimate, or why there is none. */
	bool avail_known;
	uint64_t available;
	const char *avail_why;
	/* Its terms, in bytes, for the report. */
	uint64_t avail_free, avail_reserve, avail_file, avail_reclaimable, avail_low;
	uint32_t zones; /* the node's zones found in zoneinfo */
};

/* "free", "page_cache", ... (as the machine's accounting) and their labels. */
const char *ml_np_part_name(enum ml_np_part p);
const char *ml_np_part_label(enum ml_np_part p);

/* The formula of the estimate, one line, for text and JSON. */
extern const char ml_numa_available_formula[];

/*
 * Derive node nm. -1 with a cause when it has no MemTotal, or when the
 * parts do not fit in 64 bits.
 */
int ml_numa_node_compute(struct ml_numa_node *n, const struct ml_node_meminfo *nm,
			 const struct ml_numa_inputs *in, char **cause);

#endif /* ML_NUMA_H */
