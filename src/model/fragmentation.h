/*
 * Fragmentation of the page allocator, from /proc/buddyinfo alone.
 *
 * Per zone and order: free blocks, the size of a block (2^order pages), the
 * free pages and bytes in blocks of that order, and the kernel's two indices
 * exactly as mm/vmstat.c computes them for debugfs extfrag/unusable_index and
 * extfrag/extfrag_index (doc/procfs.md section 12.4), in thousandths:
 *
 *  unusable free space index: the share of free memory in blocks too small
 *    for an allocation of that order; 0 = all usable, 1000 = none (and 1000
 *    when the zone has no free page at all).
 *  fragmentation index (extfrag): only meaningful when the allocation would
 *    fail: near 0 = it fails for lack of memory (reclaim helps), near 1000 =
 *    it fails because free memory is fragmented (compaction helps; the kernel
 *    compacts when the index is above vm.extfrag_threshold, default 500).
 *    ML_FRAG_WOULD_SUCCEED (-1000) = a free block of that order exists; 0 when
 *    the zone has no free block. With very few free blocks the kernel's
 *    formula goes below 0 (one free order-2 block, asking order 3: -500);
 *    memlens keeps what the kernel computes.
 *
 * The arithmetic is the kernel's: 64-bit unsigned long sums and div_u64(),
 * whose divisor is 32 bits, so the divisor is truncated as in the kernel
 * (only zones with 2^32 free pages or blocks are affected; the kernel acts on
 * those values too). Where the truncated divisor is 0 the kernel would divide
 * by zero; memlens then reports the indices as unknown, as it does when the
 * counts are too large for 64-bit sums (only garbage input can do that).
 *
 * The page size is the caller's: 0 means unknown, and then every byte
 * figure is unknown (bytes_known false) while pages and blocks still are.
 * The model is pure: no I/O, and after the first compute with a given zone
 * count it allocates nothing.
 */
#ifndef ML_FRAGMENTATION_H
#define ML_FRAGMENTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/buddyinfo.h"

#define ML_FRAG_WOULD_SUCCEED (-1000)

/* The kernel's struct contig_page_info for one zone and one requested order. */
struct ml_contig_info {
	uint64_t free_pages;
	uint64_t free_blocks_total;
	uint64_t free_blocks_suitable; /* in blocks of the requested order */
};

/*
 * Fill info as the kernel's fill_contig_page_info() for suitable_order from
 * free block counts per order. false when a sum does not fit in 64 bits
 * (or free_pages * 1000, which the indices need, does not).
 */
bool ml_contig_info_fill(const uint64_t *free_blocks, unsigned int norders,
			 unsigned int suitable_order, struct ml_contig_info *info);

/*
 * The kernel's unusable_free_index() and __fragmentation_index(), in
 * thousandths. false when the kernel would divide by zero (see above).
 */
bool ml_frag_unusable_index(const struct ml_contig_info *info, unsigned int order, int *index);
bool ml_frag_extfrag_index(const struct ml_contig_info *info, unsigned int order, int *index);

/* The largest order with a free block, or -1 when there is none. */
int ml_frag_largest_order(const uint64_t *free_blocks, unsigned int norders);

struct ml_frag_order {
	uint64_t free_blocks; /* as buddyinfo printed it */
	uint64_t block_pages; /* 2^order */
	uint64_t block_bytes; /* page size << order; valid when bytes_known */
	uint64_t free_pages;  /* free_blocks << order */
	uint64_t free_bytes;  /* valid when bytes_known */
	bool index_known;     /* false: the kernel would divide by zero (see above) */
	int unusable;         /* thousandths, 0..1000 */
	int extfrag;          /* thousandths; ML_FRAG_WOULD_SUCCEED when a block is free */
};

struct ml_frag_zone {
	int node;
	char name[ML_ZONE_NAME_MAX];
	bool overflow; /* counts too large for 64-bit sums: totals and indices unknown */
	bool bytes_known;
	uint64_t free_blocks; /* all orders */
	uint64_t free_pages;
	uint64_t free_bytes;
	int largest_order; /* -1: no free block */
	struct ml_frag_order order[ML_BUDDY_ORDERS_MAX];
};

struct ml_frag {
	uint64_t page_size; /* bytes; 0 = unknown */
	unsigned int norders;
	struct ml_frag_zone *zones; /* in buddyinfo's order */
	size_t nzones;
	size_t cap;
	/* Over all zones; unknown when a zone's counts overflow. */
	bool free_pages_known;
	uint64_t free_pages;
	bool bytes_known; /* page_size known and free_pages_known */
	uint64_t free_bytes;
	int largest_order; /* over all zones; -1 when none */
};

void ml_frag_init(struct ml_frag *f);
void ml_frag_release(struct ml_frag *f);

/*
 * Compute f from a parsed buddyinfo and the page size (0 = unknown). f does
 * not borrow from bi. 0, or -1 with errno ENOMEM and a cause.
 */
int ml_frag_compute(struct ml_frag *f, const struct ml_buddyinfo *bi, uint64_t page_size,
		    char **cause);

/*
 * The one-line view for the summary: per zone, in buddyinfo's order, its
 * largest free order and free pages. Fills at most cap entries and returns
 * the number of zones (like snprintf). zone points into bi and is valid
 * until bi's next refresh.
 */
struct ml_frag_brief {
	int node;
	const char *zone;
	int largest_order; /* -1: no free block */
	uint64_t free_pages;
	bool free_pages_known; /* false when the counts overflow 64 bits */
};
size_t ml_frag_brief(const struct ml_buddyinfo *bi, struct ml_frag_brief *out, size_t cap);

#endif /* ML_FRAGMENTATION_H */
