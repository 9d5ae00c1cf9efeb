/*
 * Huge pages, KSM and compressed memory: the figures memlens huge, numa and
 * the summary derive from the sysfs sources (proc/hugepages.h, proc/ksm.h,
 * proc/zram.h) and meminfo. Pure functions; no I/O. A figure that cannot be
 * derived (a value unreadable, the page size unknown, an overflow) is
 * unknown, never 0.
 */
#ifndef ML_HUGE_H
#define ML_HUGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/headline.h"
#include "proc/hugepages.h"
#include "proc/ksm.h"
#include "proc/proctab.h"
#include "proc/zram.h"

/* The pool of one hugetlb size in bytes: nr_hugepages x size. */
struct ml_opt ml_hugetlb_size_bytes(const struct ml_hugetlb_size *s);
/* The same for one node of that size (index into s->node). */
struct ml_opt ml_hugetlb_size_node_bytes(const struct ml_hugetlb_size *s, size_t i);
/* Every size's pool together: the figure /proc/meminfo's Hugetlb: shows (4.16+). */
struct ml_opt ml_hugetlb_total_bytes(const struct ml_hugetlb *h);
/* Every size's pool on node (a node id), from the node directories. */
struct ml_opt ml_hugetlb_node_bytes(const struct ml_hugetlb *h, int node);

/* KSM in bytes, for a page size in bytes (0 = unknown: sizes unknown). */
struct ml_ksm_view {
	bool present;
	struct ml_opt run;
	struct ml_opt shared, sharing, unshared, volatile_, zero_pages; /* bytes */
	bool profit_known;
	int64_t profit; /* general_profit (bytes, 6.7+) */
	bool ratio_known;
	double sharing_per_shared; /* pages_sharing / pages_shared */
};

void ml_ksm_view(struct ml_ksm_view *v, const struct ml_ksm *k, uint64_t page_size);

/* All zram devices together (only those whose mm_stat was read). */
struct ml_zram_sum {
	size_t devices, read; /* devices, and of which mm_stat was read */
	uint64_t orig, compr, mem_used, same_pages;
	bool overflow;
};

void ml_zram_sum(struct ml_zram_sum *s, const struct ml_zram *z);

/*
 * The RAM zram holds, for the accounting of MemTotal: the sum of every
 * device's mem_used_total. Unknown when there is a device whose mm_stat
 * could not be read.
 */
struct ml_opt ml_zram_memory(const struct ml_zram *z);

/* orig / used as a ratio ("3.2x"); false when used is 0. */
bool ml_compression_ratio(uint64_t orig, uint64_t used, double *ratio);

/*
 * The k processes with the most anonymous transparent huge pages
 * (smaps_rollup AnonHugePages), largest first, ties by PID; only readable
 * processes with some. Returns how many.
 */
size_t ml_procs_top_thp(struct ml_proc *const *rows, size_t n, struct ml_proc **out, size_t k);

#endif /* ML_HUGE_H */
