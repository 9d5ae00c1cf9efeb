/*
 * The accounting of MemTotal: every byte named, from /proc/meminfo alone.
 *
 * The parts are disjoint by construction (see doc/accounting.md for the
 * kernel counters behind each one and the overlaps removed):
 *
 *   free + page cache (Cached, Shmem inside it) + buffers + swap cache
 *   + anonymous + slab reclaimable + slab unreclaimable + other reclaimable
 *   kernel memory + kernel stacks + page tables + vmalloc + per-cpu
 *   + hugetlb pool + zswap pool + zram + balloon + bounce/FUSE buffers
 *   + unaccounted  ==  MemTotal  (exactly; unaccounted may be negative when
 *                                 counters overlap in ways /proc cannot show)
 *
 * A part the kernel does not report is ML_ACCT_ABSENT (shown as n/a, never
 * as 0); what it would hold stays in the unaccounted remainder.
 *
 * zram is the one part meminfo has no counter for: its RAM comes from sysfs
 * (block/zramN/mm_stat, doc/procfs.md section 22.5) through
 * ml_accounting_add_zram; until then it is absent and inside unaccounted.
 */
#ifndef ML_ACCOUNTING_H
#define ML_ACCOUNTING_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/meminfo.h"

enum ml_acct_part {
	ML_ACCT_FREE,
	ML_ACCT_PAGE_CACHE,
	ML_ACCT_BUFFERS,
	ML_ACCT_SWAP_CACHE,
	ML_ACCT_ANON,
	ML_ACCT_SLAB_RECLAIMABLE,
	ML_ACCT_SLAB_UNRECLAIMABLE,
	ML_ACCT_KERNEL_MISC_RECLAIMABLE,
	ML_ACCT_KERNEL_STACKS,
	ML_ACCT_PAGE_TABLES,
	ML_ACCT_VMALLOC,
	ML_ACCT_PERCPU,
	ML_ACCT_HUGETLB,
	ML_ACCT_ZSWAP,
	ML_ACCT_ZRAM,
	ML_ACCT_BALLOON,
	ML_ACCT_IO_BUFFERS,
	ML_ACCT_UNACCOUNTED,
	ML_ACCT__COUNT
};

enum ml_acct_state {
	ML_ACCT_KNOWN,
	ML_ACCT_ABSENT, /* this kernel does not report it */
};

/* Things the reader of the accounting must be told. */
enum ml_acct_note {
	ML_ACCT_NOTE_VMAP_STACK = 1u << 0,        /* kernel stacks taken out of VmallocUsed */
	ML_ACCT_NOTE_SWAPCACHE_OVERLAP = 1u << 1, /* mapped swap cache is also AnonPages */
	ML_ACCT_NOTE_BALLOON = 1u << 2,           /* some balloon drivers shrink MemTotal */
	ML_ACCT_NOTE_VMALLOC_ZERO = 1u << 3,      /* 4.4-5.2 print VmallocUsed as 0 */
	ML_ACCT_NOTE_HUGETLB_DEFAULT = 1u << 4,   /* no Hugetlb: line; default size only */
	ML_ACCT_NOTE_OVERCOUNT = 1u << 5,         /* the parts exceed MemTotal */
	ML_ACCT_NOTE_CORRUPTED = 1u << 6,         /* HardwareCorrupted is in unaccounted */
	ML_ACCT_NOTE_VMALLOC_VA = 1u << 7,        /* before 4.4 VmallocUsed is address space */
};

struct ml_acct_row {
	enum ml_acct_state state;
	uint64_t bytes;         /* for ML_ACCT_UNACCOUNTED see signed_bytes */
	const char *fields;     /* the meminfo fields used, as a formula */
	const char *absent_why; /* for ML_ACCT_ABSENT: why, in a few words */
};

struct ml_accounting {
	uint64_t total; /* MemTotal */
	struct ml_acct_row part[ML_ACCT__COUNT];
	int64_t unaccounted; /* MemTotal - sum of the other parts */
	bool has_shmem;
	uint64_t shmem;            /* inside the page cache */
	uint64_t vmap_stack_bytes; /* taken out of VmallocUsed */
	bool vmap_stack_measured;  /* from vmallocinfo, not assumed */
	unsigned int notes;        /* enum ml_acct_note */
};

/* Short machine name ("page_cache") and label ("page cache") of a part. */
const char *ml_acct_part_name(enum ml_acct_part p);
const char *ml_acct_part_label(enum ml_acct_part p);

/*
 * Compute the accounting; -1 with a cause when MemTotal is missing.
 * stack_overlap is the vmalloc'd kernel-stack memory counted in both
 * KernelStack and VmallocUsed, as measured in /proc/vmallocinfo
 * (model/vmalloc.h); NULL when that file could not be read, and then
 * CONFIG_VMAP_STACK is assumed whenever VmallocUsed can hold the stacks.
 */
int ml_accounting_compute(struct ml_accounting *a, const struct ml_meminfo *mi,
			  const uint64_t *stack_overlap, char **cause);

/*
 * Name zram's RAM (the sum of every device's mem_used_total) as a part of
 * a computed accounting; the unaccounted remainder shrinks by as much. With
 * known false the part stays absent with why ("no sysfs: ..."). -1 with a
 * cause when the remainder would not fit in 64 bits.
 */
int ml_accounting_add_zram(struct ml_accounting *a, bool known, uint64_t bytes, const char *why,
			   char **cause);

#endif /* ML_ACCOUNTING_H */
