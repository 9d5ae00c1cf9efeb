/*
 * /proc/pagetypeinfo: the buddy free lists split by migrate type, and the
 * number of pageblocks of each type (doc/procfs.md section 5). Once per node with
 * memory the kernel prints:
 *
 *	Page block order: 9
 *	Pages per block:  512
 *
 *	Free pages count per migrate type at order       0      1 ...
 *	Node    0, zone      DMA, type    Unmovable      0      0 ...
 *	...
 *
 *	Number of blocks type     Unmovable      Movable  Reclaimable ...
 *	Node 0, zone      DMA            1            7            0 ...
 *	[Number of mixed blocks ... : the same layout, with page_owner only]
 *
 * Migrate type names are read from the text, never assumed: 4.4 and later
 * print Unmovable Movable Reclaimable HighAtomic [CMA] [Isolate], 3.10-4.3
 * Unmovable Reclaimable Movable Reserve [CMA] [Isolate]. Types are numbered
 * in order of first appearance (the free-list rows come first, in the
 * kernel's migratetype order). Since about 5.4 the kernel stops counting a
 * free list at 100000 entries and prints ">100000": such a count is kept as
 * 100000 with its bit set in at_least[type] ("at least this many").
 *
 * The number of orders comes from the "at order 0 1 ..." header and must
 * agree with every free-list row and every node's header. The header block
 * repeats per node; a node whose page block order or pages per block differs
 * from the first one's is a bad line (the kernel prints one constant).
 * Zones are keyed by node and name and persist across parses.
 */
#ifndef ML_PAGETYPEINFO_H
#define ML_PAGETYPEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/buddyinfo.h"
#include "proc/source.h"

/* Most migrate types kept; the kernel has at most 6 (with CMA and Isolate). */
#define ML_PTI_TYPES_MAX 8
#define ML_PTI_TYPE_NAME_MAX 24
/* The kernel's cap on a counted free list (since about 5.4). */
#define ML_PTI_COUNT_CAP 100000

struct ml_pti_zone {
	int node;
	char name[ML_ZONE_NAME_MAX];
	uint32_t free_types; /* bit t: a free-list row for type t was read */
	uint64_t free[ML_PTI_TYPES_MAX][ML_BUDDY_ORDERS_MAX]; /* free blocks by type and order */
	uint32_t at_least[ML_PTI_TYPES_MAX]; /* bit o: free[t][o] was ">100000" (a lower bound) */
	uint32_t block_types;                /* bit t: blocks[t] was read */
	uint64_t blocks[ML_PTI_TYPES_MAX];   /* pageblocks of each type */
	uint32_t mixed_types;                /* bit t: mixed[t] was read (page_owner only) */
	uint64_t mixed[ML_PTI_TYPES_MAX];    /* pageblocks holding pages of other types */
};

enum ml_pti_table {
	ML_PTI_TABLE_NONE,
	ML_PTI_TABLE_FREE,
	ML_PTI_TABLE_BLOCKS,
	ML_PTI_TABLE_MIXED,
	ML_PTI_TABLE_UNKNOWN,
};

struct ml_pagetypeinfo {
	struct ml_pti_zone *zones; /* in order of first appearance */
	size_t nzones;
	size_t cap;
	unsigned int norders; /* from the "at order" header; 0 when none was read */
	unsigned int ntypes;
	char type_name[ML_PTI_TYPES_MAX][ML_PTI_TYPE_NAME_MAX];
	bool has_pageblock_order, has_pages_per_block;
	uint64_t pageblock_order; /* "Page block order:" */
	uint64_t pages_per_block; /* "Pages per block:" */
	unsigned int nnodes;      /* header blocks seen: one per node with memory */
	bool has_mixed;           /* a "Number of mixed blocks" table was printed */

	/* Parse state. */
	enum ml_pti_table table;
	unsigned int ncols;                 /* type columns of the current table */
	uint8_t col_type[ML_PTI_TYPES_MAX]; /* column -> type index */
	size_t cursor;                      /* expected position of the next zone */
};

extern const struct ml_source ml_src_pagetypeinfo;

void ml_pagetypeinfo_init(struct ml_pagetypeinfo *pt);
void ml_pagetypeinfo_release(struct ml_pagetypeinfo *pt);

/* The zone (node, name), or NULL. */
const struct ml_pti_zone *ml_pagetypeinfo_find(const struct ml_pagetypeinfo *pt, int node,
					       const char *name);

/* The index of a migrate type by name ("Movable"), or -1. */
int ml_pagetypeinfo_type(const struct ml_pagetypeinfo *pt, const char *name);

static inline bool
ml_pti_at_least(const struct ml_pti_zone *z, unsigned int type, unsigned int order)
{
	return (z->at_least[type] >> order) & 1;
}

#endif /* ML_PAGETYPEINFO_H */
