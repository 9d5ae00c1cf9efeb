/*
 * /proc/buddyinfo: the buddy allocator's free lists, one line per populated
 * zone (doc/procfs.md section 4):
 *
 *	Node 0, zone   Normal   8936   5868   5468 ...   1098
 *
 * Each number is the count of free blocks of 2^order pages (blocks, not
 * pages) for order 0, 1, ... The number of orders is the kernel's
 * NR_PAGE_ORDERS (11 on x86, 14 on arm64 with 64 KiB pages); it is taken from
 * the first zone line, and a zone line with another count is a bad line: the
 * kernel prints the same count for every zone, so such a line can only be a
 * damaged one, and every zone keeps the same grid of orders (the indices and
 * the dashboard's heat map rely on it). Zone names are kept as printed.
 *
 * Zones are kept in file order and persist across parses: a refresh that
 * finds the same zones stores the counts in place and allocates nothing.
 * Blank lines are ignored. Format unchanged from 3.10 to 6.18.
 */
#ifndef ML_BUDDYINFO_H
#define ML_BUDDYINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/source.h"

/* Most orders a line may have; NR_PAGE_ORDERS is 11 to 14 on real kernels. */
#define ML_BUDDY_ORDERS_MAX 32
/* Longest zone name kept, with its NUL; the kernel's are at most 7 characters. */
#define ML_ZONE_NAME_MAX 32

struct ml_buddy_zone {
	int node;
	char name[ML_ZONE_NAME_MAX];        /* "DMA32", as printed */
	uint64_t free[ML_BUDDY_ORDERS_MAX]; /* free blocks of 2^order pages */
};

struct ml_buddyinfo {
	struct ml_buddy_zone *zones; /* in file order */
	size_t nzones;
	size_t cap;
	unsigned int norders; /* orders per zone line; 0 before the first one */
	/* Parse state: the zones of the last parse, and whether this one differs. */
	size_t learned;
	bool diverged;
};

extern const struct ml_source ml_src_buddyinfo;

void ml_buddyinfo_init(struct ml_buddyinfo *bi);
void ml_buddyinfo_release(struct ml_buddyinfo *bi);

/* The zone (node, name), or NULL. */
const struct ml_buddy_zone *ml_buddyinfo_find(const struct ml_buddyinfo *bi, int node,
					      const char *name);

/*
 * Scan the "Node N, zone NAME" prefix shared by buddyinfo, pagetypeinfo and
 * the debugfs extfrag files (any blanks between the fields; a ',' right after
 * NAME, as pagetypeinfo prints it, is not part of the name). On success *p is
 * after the name (and its ','), *node and name are set, and ML_LINE_OK is
 * returned; otherwise ML_LINE_BAD with *why.
 */
int ml_scan_node_zone(const char **p, const char *end, int *node, char name[ML_ZONE_NAME_MAX],
		      bool *comma, const char **why);

#endif /* ML_BUDDYINFO_H */
