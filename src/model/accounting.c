/*
 * The accounting of MemTotal from /proc/meminfo. The kernel's counters and
 * their overlaps are documented in doc/accounting.md; the short version:
 *
 *  - Cached already excludes Buffers and SwapCached and includes Shmem, so
 *    Shmem is shown inside the page cache, never added again.
 *  - Active/Inactive/Unevictable/Mlocked, Mapped, Dirty, Writeback, the
 *    HugePages and PmdMapped fields, CmaFree and Unaccepted are subsets of other
 *    parts and are never added.
 *  - KReclaimable = SReclaimable + NR_KERNEL_MISC_RECLAIMABLE: only the
 *    difference is a part of its own.
 *  - With CONFIG_VMAP_STACK (the default on x86-64 and arm64) kernel stacks
 *    are vmalloc'd and counted in both KernelStack and VmallocUsed; they are
 *    counted once, as kernel stacks. This is assumed whenever VmallocUsed can
 *    hold them, and said in the report.
 *  - A swap-cache page still mapped by a process is in both SwapCached and
 *    AnonPages; /proc does not say how many, so the report says it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "model/accounting.h"
#include "proc/scan.h"
#include "util.h"

static const struct {
	const char *name;
	const char *label;
} part_names[ML_ACCT__COUNT] = {
	[ML_ACCT_FREE] = { "free", "free" },
	[ML_ACCT_PAGE_CACHE] = { "page_cache", "page cache" },
	[ML_ACCT_BUFFERS] = { "buffers", "buffers" },
	[ML_ACCT_SWAP_CACHE] = { "swap_cache", "swap cache" },
	[ML_ACCT_ANON] = { "anonymous", "anonymous" },
	[ML_ACCT_SLAB_RECLAIMABLE] = { "slab_reclaimable", "slab reclaimable" },
	[ML_ACCT_SLAB_UNRECLAIMABLE] = { "slab_unreclaimable", "slab unreclaimable" },
	[ML_ACCT_KERNEL_MISC_RECLAIMABLE] = { "kernel_misc_reclaimable", "misc reclaimable" },
	[ML_ACCT_KERNEL_STACKS] = { "kernel_stacks", "kernel stacks" },
	[ML_ACCT_PAGE_TABLES] = { "page_tables", "page tables" },
	[ML_ACCT_VMALLOC] = { "vmalloc", "vmalloc" },
	[ML_ACCT_PERCPU] = { "percpu", "per-cpu" },
	[ML_ACCT_HUGETLB] = { "hugetlb", "hugetlb pool" },
	[ML_ACCT_ZSWAP] = { "zswap", "zswap pool" },
	[ML_ACCT_ZRAM] = { "zram", "zram" },
	[ML_ACCT_BALLOON] = { "balloon", "balloon" },
	[ML_ACCT_IO_BUFFERS] = { "io_buffers", "bounce/FUSE" },
	[ML_ACCT_UNACCOUNTED] = { "unaccounted", "unaccounted" },
};
_Static_assert(ML_ARRAY_SIZE(part_names) == ML_ACCT__COUNT, "part_names out of sync");

const char *
ml_acct_part_name(enum ml_acct_part p)
{
	return p < ML_ACCT__COUNT ? part_names[p].name : "?";
}

const char *
ml_acct_part_label(enum ml_acct_part p)
{
	return p < ML_ACCT__COUNT ? part_names[p].label : "?";
}

/* A part read straight from one meminfo field. */
static void
from_field(struct ml_accounting *a, enum ml_acct_part p, const struct ml_meminfo *mi,
	   enum ml_mi_key k)
{
	struct ml_acct_row *r = &a->part[p];

	r->fields = ml_meminfo_keys[k].name;
	if (ml_meminfo_has(mi, k)) {
		r->state = ML_ACCT_KNOWN;
		r->bytes = mi->val[k];
	} else {
		r->state = ML_ACCT_ABSENT;
	}
}

/* A part that is the sum of a and (when present) b. */
static void
from_sum(struct ml_accounting *a, enum ml_acct_part p, const struct ml_meminfo *mi,
	 enum ml_mi_key ka, enum ml_mi_key kb, const char *fields)
{
	struct ml_acct_row *r = &a->part[p];

	r->fields = fields;
	if (!ml_meminfo_has(mi, ka) && !ml_meminfo_has(mi, kb)) {
		r->state = ML_ACCT_ABSENT;
		return;
	}
	r->state = ML_ACCT_KNOWN;
	r->bytes = ml_meminfo_get(mi, ka) + ml_meminfo_get(mi, kb);
}

int
ml_accounting_compute(struct ml_accounting *a, const struct ml_meminfo *mi,
		      const uint64_t *stack_overlap, char **cause)
{
	struct ml_acct_row *r;
	uint64_t stacks, vused, sum = 0;
	int p;

	memset(a, 0, sizeof *a);
	if (!ml_meminfo_has(mi, ML_MI_MEM_TOTAL)) {
		errno = EINVAL;
		ml_set_cause(cause, "no MemTotal line (is this a meminfo file?)");
		return -1;
	}
	a->total = mi->val[ML_MI_MEM_TOTAL];

	from_field(a, ML_ACCT_FREE, mi, ML_MI_MEM_FREE);
	from_field(a, ML_ACCT_PAGE_CACHE, mi, ML_MI_CACHED);
	from_field(a, ML_ACCT_BUFFERS, mi, ML_MI_BUFFERS);
	from_field(a, ML_ACCT_SWAP_CACHE, mi, ML_MI_SWAP_CACHED);
	from_field(a, ML_ACCT_ANON, mi, ML_MI_ANON_PAGES);
	from_field(a, ML_ACCT_SLAB_RECLAIMABLE, mi, ML_MI_SRECLAIMABLE);
	from_field(a, ML_ACCT_SLAB_UNRECLAIMABLE, mi, ML_MI_SUNRECLAIM);
	from_sum(a, ML_ACCT_KERNEL_STACKS, mi, ML_MI_KERNEL_STACK, ML_MI_SHADOW_CALL_STACK,
		 ml_meminfo_has(mi, ML_MI_SHADOW_CALL_STACK) ? "KernelStack+ShadowCallStack"
							     : "KernelStack");
	from_sum(a, ML_ACCT_PAGE_TABLES, mi, ML_MI_PAGE_TABLES, ML_MI_SEC_PAGE_TABLES,
		 ml_meminfo_has(mi, ML_MI_SEC_PAGE_TABLES) ? "PageTables+SecPageTables"
							   : "PageTables");
	from_field(a, ML_ACCT_PERCPU, mi, ML_MI_PERCPU);
	from_field(a, ML_ACCT_ZSWAP, mi, ML_MI_ZSWAP);
	/* no meminfo counter: named by ml_accounting_add_zram from sysfs */
	a->part[ML_ACCT_ZRAM].state = ML_ACCT_ABSENT;
	a->part[ML_ACCT_ZRAM].fields = "zram mm_stat";
	a->part[ML_ACCT_ZRAM].absent_why = "zram not read (sysfs)";
	from_field(a, ML_ACCT_BALLOON, mi, ML_MI_BALLOON);
	from_sum(a, ML_ACCT_IO_BUFFERS, mi, ML_MI_BOUNCE, ML_MI_WRITEBACK_TMP,
		 "Bounce+WritebackTmp");

	if ((a->has_shmem = ml_meminfo_has(mi, ML_MI_SHMEM)))
		a->shmem = mi->val[ML_MI_SHMEM];

	/* KReclaimable (4.20+) includes SReclaimable; only the rest is new. */
	r = &a->part[ML_ACCT_KERNEL_MISC_RECLAIMABLE];
	r->fields = "KReclaimable-SReclaimable";
	if (ml_meminfo_has(mi, ML_MI_KRECLAIMABLE) && ml_meminfo_has(mi, ML_MI_SRECLAIMABLE)) {
		r->state = ML_ACCT_KNOWN;
		r->bytes = mi->val[ML_MI_KRECLAIMABLE] > mi->val[ML_MI_SRECLAIMABLE]
				   ? mi->val[ML_MI_KRECLAIMABLE] - mi->val[ML_MI_SRECLAIMABLE]
				   : 0;
	} else {
		r->state = ML_ACCT_ABSENT;
		r->absent_why = "no KReclaimable line";
	}

	/*
	 * vmalloc. VmallocUsed meant three things over time, told apart by the
	 * text: before 4.4 it summed the address space of every area (ioremap
	 * and guard pages included) and VmallocChunk was the largest free gap,
	 * never 0; 4.4-5.2 print both as a constant 0; since 5.3 VmallocUsed
	 * counts vmalloc'd pages and VmallocChunk stays 0.
	 */
	r = &a->part[ML_ACCT_VMALLOC];
	r->fields = "VmallocUsed";
	vused = ml_meminfo_get(mi, ML_MI_VMALLOC_USED);
	stacks = a->part[ML_ACCT_KERNEL_STACKS].bytes;
	if (!ml_meminfo_has(mi, ML_MI_VMALLOC_USED)) {
		r->state = ML_ACCT_ABSENT;
	} else if (ml_meminfo_get(mi, ML_MI_VMALLOC_CHUNK) > 0) {
		r->state = ML_ACCT_ABSENT;
		r->absent_why = "VmallocUsed is address space here";
		a->notes |= ML_ACCT_NOTE_VMALLOC_VA;
	} else if (vused == 0) {
		r->state = ML_ACCT_ABSENT;
		r->absent_why = "VmallocUsed is printed as 0 here";
		a->notes |= ML_ACCT_NOTE_VMALLOC_ZERO;
	} else {
		r->state = ML_ACCT_KNOWN;
		r->bytes = vused;
		if (stack_overlap != NULL) {
			/* measured: take out exactly the stacks both counters hold */
			stacks = *stack_overlap < vused ? *stack_overlap : vused;
			a->vmap_stack_measured = true;
		}
		if (stacks > 0 && vused >= stacks) {
			r->bytes = vused - stacks;
			r->fields = ml_meminfo_has(mi, ML_MI_SHADOW_CALL_STACK)
					    ? "VmallocUsed-KernelStack-ShadowCallStack"
					    : "VmallocUsed-KernelStack";
			a->vmap_stack_bytes = stacks;
			a->notes |= ML_ACCT_NOTE_VMAP_STACK;
		}
	}

	/* hugetlb: Hugetlb: (4.16+) covers every page size; before, the default one. */
	r = &a->part[ML_ACCT_HUGETLB];
	if (ml_meminfo_has(mi, ML_MI_HUGETLB)) {
		r->state = ML_ACCT_KNOWN;
		r->bytes = mi->val[ML_MI_HUGETLB];
		r->fields = "Hugetlb";
	} else if (ml_meminfo_has(mi, ML_MI_HUGEPAGES_TOTAL) &&
		   ml_meminfo_has(mi, ML_MI_HUGEPAGESIZE)) {
		r->fields = "HugePages_Total*Hugepagesize";
		if (ml_mul_u64(mi->val[ML_MI_HUGEPAGES_TOTAL], mi->val[ML_MI_HUGEPAGESIZE],
			       &r->bytes)) {
			r->state = ML_ACCT_KNOWN;
			a->notes |= ML_ACCT_NOTE_HUGETLB_DEFAULT;
		} else {
			r->state = ML_ACCT_ABSENT;
			r->absent_why = "HugePages_Total*Hugepagesize overflows";
		}
	} else {
		r->state = ML_ACCT_ABSENT;
		r->fields = "Hugetlb";
	}

	for (p = 0; p < ML_ACCT_UNACCOUNTED; p++) {
		if (a->part[p].state == ML_ACCT_KNOWN &&
		    __builtin_add_overflow(sum, a->part[p].bytes, &sum)) {
			errno = ERANGE;
			ml_set_cause(cause, "meminfo values add up to more than 2^64 bytes");
			return -1;
		}
	}
	r = &a->part[ML_ACCT_UNACCOUNTED];
	r->state = ML_ACCT_KNOWN;
	r->fields = "MemTotal-sum of the above";
	if (sum <= a->total) {
		r->bytes = a->total - sum;
		a->unaccounted = (int64_t)r->bytes;
		if (a->total - sum > INT64_MAX) {
			errno = ERANGE;
			ml_set_cause(cause, "MemTotal is larger than 2^63 bytes");
			return -1;
		}
	} else {
		if (sum - a->total > INT64_MAX) {
			errno = ERANGE;
			ml_set_cause(cause,
				     "the parts of MemTotal exceed it by more than 2^63 bytes");
			return -1;
		}
		r->bytes = 0;
		a->unaccounted = -(int64_t)(sum - a->total);
		a->notes |= ML_ACCT_NOTE_OVERCOUNT;
	}

	if (a->part[ML_ACCT_SWAP_CACHE].state == ML_ACCT_KNOWN &&
	    a->part[ML_ACCT_SWAP_CACHE].bytes > 0)
		a->notes |= ML_ACCT_NOTE_SWAPCACHE_OVERLAP;
	if (a->part[ML_ACCT_BALLOON].state == ML_ACCT_KNOWN && a->part[ML_ACCT_BALLOON].bytes > 0)
		a->notes |= ML_ACCT_NOTE_BALLOON;
	if (ml_meminfo_get(mi, ML_MI_HARDWARE_CORRUPTED) > 0)
		a->notes |= ML_ACCT_NOTE_CORRUPTED;
	return 0;
}

int
ml_accounting_add_zram(struct ml_accounting *a, bool known, uint64_t bytes, const char *why,
		       char **cause)
{
	struct ml_acct_row *r = &a->part[ML_ACCT_ZRAM];
	struct ml_acct_row *u = &a->part[ML_ACCT_UNACCOUNTED];
	int64_t rest;

	r->fields = "zram mm_stat";
	if (!known) {
		r->state = ML_ACCT_ABSENT;
		r->absent_why = why != NULL ? why : "zram not read (sysfs)";
		return 0;
	}
	if (bytes > (uint64_t)INT64_MAX ||
	    __builtin_sub_overflow(a->unaccounted, (int64_t)bytes, &rest)) {
		errno = ERANGE;
		ml_set_cause(cause, "zram's memory does not fit in the accounting");
		return -1;
	}
	r->state = ML_ACCT_KNOWN;
	r->bytes = bytes;
	r->absent_why = NULL;
	a->unaccounted = rest;
	u->bytes = rest > 0 ? (uint64_t)rest : 0;
	if (rest < 0)
		a->notes |= ML_ACCT_NOTE_OVERCOUNT;
	return 0;
}
