/*
 * One NUMA node's accounting and available estimate; see numa.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "model/numa.h"
#include "proc/scan.h"
#include "util.h"

static const struct {
	const char *name, *label;
} part_names[ML_NP__COUNT] = {
	[ML_NP_FREE] = { "free", "free" },
	[ML_NP_PAGE_CACHE] = { "page_cache", "page cache" },
	[ML_NP_SWAP_CACHE] = { "swap_cache", "swap cache" },
	[ML_NP_ANON] = { "anonymous", "anonymous" },
	[ML_NP_SLAB_RECLAIMABLE] = { "slab_reclaimable", "slab reclaimable" },
	[ML_NP_SLAB_UNRECLAIMABLE] = { "slab_unreclaimable", "slab unreclaimable" },
	[ML_NP_KERNEL_MISC_RECLAIMABLE] = { "kernel_misc_reclaimable", "misc reclaimable" },
	[ML_NP_KERNEL_STACKS] = { "kernel_stacks", "kernel stacks" },
	[ML_NP_PAGE_TABLES] = { "page_tables", "page tables" },
	[ML_NP_HUGETLB] = { "hugetlb", "hugetlb pool" },
	[ML_NP_IO_BUFFERS] = { "io_buffers", "bounce/FUSE" },
	[ML_NP_UNACCOUNTED] = { "unaccounted", "unaccounted" },
};
_Static_assert(ML_ARRAY_SIZE(part_names) == ML_NP__COUNT, "part_names out of sync");

const char ml_numa_available_formula[] =
	"MemFree - reserve + file - min(file/2, low) + reclaimable - min(reclaimable/2, low); "
	"file = Active(file)+Inactive(file), reclaimable = KReclaimable, low = the node's "
	"zones' low watermarks, reserve = their min(managed, high + largest protection)";

const char *
ml_np_part_name(enum ml_np_part p)
{
	return p < ML_NP__COUNT ? part_names[p].name : "?";
}

const char *
ml_np_part_label(enum ml_np_part p)
{
	return p < ML_NP__COUNT ? part_names[p].label : "?";
}

static void
from_field(struct ml_numa_node *n, enum ml_np_part p, const struct ml_node_meminfo *nm,
	   enum ml_nm_key k)
{
	struct ml_np_row *r = &n->part[p];

	r->fields = ml_node_meminfo_keys[k].name;
	r->known = ml_node_meminfo_has(nm, k);
	r->bytes = r->known ? nm->val[k] : 0;
	if (!r->known)
		r->absent_why = NULL;
}

static void
from_sum(struct ml_numa_node *n, enum ml_np_part p, const struct ml_node_meminfo *nm,
	 enum ml_nm_key a, enum ml_nm_key b, const char *both, bool *overflow)
{
	struct ml_np_row *r = &n->part[p];

	r->known = ml_node_meminfo_has(nm, a) || ml_node_meminfo_has(nm, b);
	r->fields = ml_node_meminfo_has(nm, b) ? both : ml_node_meminfo_keys[a].name;
	if (r->known &&
	    !ml_add_u64(ml_node_meminfo_get(nm, a), ml_node_meminfo_get(nm, b), &r->bytes))
		*overflow = true;
}

/* min(a, b) */
static uint64_t
umin(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The estimate of numa.h, or why there is none. */
static void
estimate(struct ml_numa_node *n, const struct ml_node_meminfo *nm, const struct ml_watermarks *wm)
{
	uint64_t low = 0, reserve = 0, file, recl, ps, v;
	int64_t avail;
	uint32_t i;

	n->avail_known = false;
	if (wm == NULL) {
		n->avail_why = "needs /proc/zoneinfo for the watermarks";
		return;
	}
	if (wm->page_size == 0) {
		n->avail_why = "the page size is unknown";
		return;
	}
	if (!ml_node_meminfo_has(nm, ML_NM_MEM_FREE) ||
	    !ml_node_meminfo_has(nm, ML_NM_ACTIVE_FILE) ||
	    !ml_node_meminfo_has(nm, ML_NM_INACTIVE_FILE) ||
	    !ml_node_meminfo_has(nm, ML_NM_SRECLAIMABLE)) {
		n->avail_why = "the node meminfo lacks MemFree, the file LRU or SReclaimable";
		return;
	}
	ps = wm->page_size;
	n->zones = 0;
	for (i = 0; i < wm->nzones; i++) {
		const struct ml_wm_zone *z = &wm->zones[i];
		uint64_t r;

		if (z->node != n->node)
			continue;
		n->zones++;
		if (!z->low.known || !z->high.known || !z->managed.known) {
			n->avail_why = "a zone of the node prints no watermarks";
			return;
		}
		r = z->high.pages;
		if (z->protection_known && z->protection_max_pages > 0)
			r += (uint64_t)z->protection_max_pages;
		reserve += umin(r, z->managed.pages);
		low += z->low.pages;
	}
	if (n->zones == 0) {
		n->avail_why = "zoneinfo has no zone of this node";
		return;
	}
	if (!ml_mul_u64(low, ps, &low) || !ml_mul_u64(reserve, ps, &reserve)) {
		n->avail_why = "the watermarks do not fit in 64 bits";
		return;
	}
	file = nm->val[ML_NM_ACTIVE_FILE] + nm->val[ML_NM_INACTIVE_FILE];
	recl = ml_node_meminfo_has(nm, ML_NM_KRECLAIMABLE) ? nm->val[ML_NM_KRECLAIMABLE]
							   : nm->val[ML_NM_SRECLAIMABLE];
	if (file < nm->val[ML_NM_ACTIVE_FILE] || nm->val[ML_NM_MEM_FREE] > INT64_MAX ||
	    reserve > INT64_MAX || file > INT64_MAX / 4 || recl > INT64_MAX / 4) {
		n->avail_why = "the node's values are too large";
		return;
	}
	avail = (int64_t)nm->val[ML_NM_MEM_FREE] - (int64_t)reserve;
	v = file - umin(file / 2, low);
	avail += (int64_t)v;
	v = recl - umin(recl / 2, low);
	avail += (int64_t)v;
	n->available = avail > 0 ? (uint64_t)avail : 0;
	n->avail_known = true;
	n->avail_why = NULL;
	n->avail_free = nm->val[ML_NM_MEM_FREE];
	n->avail_reserve = reserve;
	n->avail_file = file;
	n->avail_reclaimable = recl;
	n->avail_low = low;
}

int
ml_numa_node_compute(struct ml_numa_node *n, const struct ml_node_meminfo *nm,
		     const struct ml_numa_inputs *in, char **cause)
{
	struct ml_np_row *r;
	bool overflow = false;
	uint64_t sum = 0;
	int p;

	memset(n, 0, sizeof *n);
	n->node = nm->node;
	if (!ml_node_meminfo_has(nm, ML_NM_MEM_TOTAL)) {
		errno = EINVAL;
		ml_set_cause(cause, "no MemTotal line");
		return -1;
	}
	n->total = nm->val[ML_NM_MEM_TOTAL];

	from_field(n, ML_NP_FREE, nm, ML_NM_MEM_FREE);
	from_field(n, ML_NP_ANON, nm, ML_NM_ANON_PAGES);
	from_field(n, ML_NP_SLAB_RECLAIMABLE, nm, ML_NM_SRECLAIMABLE);
	from_field(n, ML_NP_SLAB_UNRECLAIMABLE, nm, ML_NM_SUNRECLAIM);
	from_sum(n, ML_NP_KERNEL_STACKS, nm, ML_NM_KERNEL_STACK, ML_NM_SHADOW_CALL_STACK,
		 "KernelStack+ShadowCallStack", &overflow);
	from_sum(n, ML_NP_PAGE_TABLES, nm, ML_NM_PAGE_TABLES, ML_NM_SEC_PAGE_TABLES,
		 "PageTables+SecPageTables", &overflow);
	from_sum(n, ML_NP_IO_BUFFERS, nm, ML_NM_BOUNCE, ML_NM_WRITEBACK_TMP, "Bounce+WritebackTmp",
		 &overflow);
	if (!n->part[ML_NP_IO_BUFFERS].known)
		n->part[ML_NP_IO_BUFFERS].fields = "Bounce+WritebackTmp";

	/*
	 * FilePages is NR_FILE_PAGES: the page cache, the block devices' cache
	 * (the machine's Buffers) and the swap cache. The swap cache is a part
	 * of its own where the node prints it (5.13+); before, it stays inside.
	 */
	r = &n->part[ML_NP_PAGE_CACHE];
	from_field(n, ML_NP_SWAP_CACHE, nm, ML_NM_SWAP_CACHED);
	if (!n->part[ML_NP_SWAP_CACHE].known)
		n->part[ML_NP_SWAP_CACHE].absent_why = "no SwapCached line: inside the page cache";
	if (ml_node_meminfo_has(nm, ML_NM_FILE_PAGES)) {
		r->known = true;
		r->bytes = nm->val[ML_NM_FILE_PAGES];
		r->fields = "FilePages";
		if (n->part[ML_NP_SWAP_CACHE].known) {
			uint64_t sc = n->part[ML_NP_SWAP_CACHE].bytes;

			r->fields = "FilePages-SwapCached";
			if (sc <= r->bytes) {
				r->bytes -= sc;
			} else {
				/* counters read at different moments: keep them disjoint */
				n->part[ML_NP_SWAP_CACHE].bytes = r->bytes;
				r->bytes = 0;
			}
		}
	} else {
		r->fields = "FilePages";
	}
	if ((n->has_shmem = ml_node_meminfo_has(nm, ML_NM_SHMEM)))
		n->shmem = nm->val[ML_NM_SHMEM];

	r = &n->part[ML_NP_KERNEL_MISC_RECLAIMABLE];
	r->fields = "KReclaimable-SReclaimable";
	if (ml_node_meminfo_has(nm, ML_NM_KRECLAIMABLE) &&
	    ml_node_meminfo_has(nm, ML_NM_SRECLAIMABLE)) {
		r->known = true;
		r->bytes = nm->val[ML_NM_KRECLAIMABLE] > nm->val[ML_NM_SRECLAIMABLE]
				   ? nm->val[ML_NM_KRECLAIMABLE] - nm->val[ML_NM_SRECLAIMABLE]
				   : 0;
	} else {
		r->absent_why = "no KReclaimable line";
	}

	r = &n->part[ML_NP_HUGETLB];
	if (in != NULL && in->hugetlb_bytes.known) {
		r->known = true;
		r->bytes = in->hugetlb_bytes.v;
		r->fields = "nr_hugepages x size";
	} else if (ml_node_meminfo_has(nm, ML_NM_HUGEPAGES_TOTAL) && in != NULL &&
		   in->default_huge_size.known) {
		r->fields = "HugePages_Total x Hugepagesize";
		r->known = ml_mul_u64(nm->val[ML_NM_HUGEPAGES_TOTAL], in->default_huge_size.v,
				      &r->bytes);
		if (!r->known)
			r->absent_why = "HugePages_Total x Hugepagesize overflows";
	} else {
		r->fields = "HugePages_Total";
		r->absent_why = ml_node_meminfo_has(nm, ML_NM_HUGEPAGES_TOTAL)
					? "the huge page size is unknown"
					: "no hugetlb lines";
	}

	for (p = 0; p < ML_NP_UNACCOUNTED; p++) {
		if (n->part[p].known && !ml_add_u64(sum, n->part[p].bytes, &sum))
			overflow = true;
	}
	if (overflow || (sum <= n->total ? n->total - sum : sum - n->total) > (uint64_t)INT64_MAX) {
		errno = ERANGE;
		ml_set_cause(cause, "node %lld: the values do not fit in 64 bits",
			     (long long)n->node);
		return -1;
	}
	r = &n->part[ML_NP_UNACCOUNTED];
	r->known = true;
	r->fields = "MemTotal-sum of the above";
	if (sum <= n->total) {
		r->bytes = n->total - sum;
		n->unaccounted = (int64_t)r->bytes;
	} else {
		r->bytes = 0;
		n->unaccounted = -(int64_t)(sum - n->total);
	}
	estimate(n, nm, in != NULL ? in->wm : NULL);
	return 0;
}
