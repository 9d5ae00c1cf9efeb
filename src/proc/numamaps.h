/*
 * /proc/PID/numa_maps: one line per mapping with its memory policy and its
 * resident pages per NUMA node (doc/procfs.md section 21):
 *
 *   7f2c4a400000 default file=/usr/lib/libc.so.6 mapped=310 mapmax=9 N0=310 kernelpagesize_kB=4
 *   55d0c0a5e000 bind:1 heap anon=16 dirty=16 N1=16 kernelpagesize_kB=4
 *   7f0000000000 default file=/dev/hugepages/x huge dirty=2 N0=1 N1=1 kernelpagesize_kB=2048
 *
 * The parser sums the N<node>= counts per node and per kind of mapping
 * (anonymous, heap, stack, file, hugetlb) in bytes: counts are in pages of
 * kernelpagesize_kB (huge pages for hugetlb mappings, base pages for the
 * rest, a transparent huge page counting as its base pages). Before ~4.1
 * the kernel printed no kernelpagesize_kB: such lines are summed in pages
 * (base pages, or huge pages of an unknown size for hugetlb), for the model
 * to convert.
 *
 * The kernel builds each line by walking the mapping's page tables: the file
 * costs about as much as smaps. It is read only when asked (maps --numa).
 */
#ifndef ML_NUMAMAPS_H
#define ML_NUMAMAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/source.h"

enum ml_nmap_kind {
	ML_NMAP_ANON,  /* anonymous private or shared, not heap or stack */
	ML_NMAP_HEAP,  /* "heap": the brk area */
	ML_NMAP_STACK, /* "stack" (and "stack:TID" before 4.5) */
	ML_NMAP_FILE,  /* "file=PATH" */
	ML_NMAP_HUGE,  /* "huge": hugetlb (with or without a file) */
	ML_NMAP__KIND_COUNT
};

/* What one node holds of the process. */
struct ml_nmap_node {
	uint64_t bytes[ML_NMAP__KIND_COUNT]; /* from lines with kernelpagesize_kB */
	uint64_t base_pages;                 /* lines without it, not hugetlb */
	uint64_t huge_pages_unsized;         /* hugetlb lines without it */
	bool seen;                           /* some line named this node */
};

/* A memory policy other than "default", and how many mappings use it. */
struct ml_nmap_policy {
	char text[48]; /* as printed, "bind:0-1", "interleave:0-3" */
	uint64_t mappings;
};

#define ML_NMAP_POLICIES 8

struct ml_numa_maps {
	uint32_t nnodes; /* highest node id seen + 1 */
	uint32_t cap;
	struct ml_nmap_node *node; /* [0, nnodes) */
	uint64_t mappings;         /* lines */
	uint64_t resident;         /* of which with pages on some node */
	uint64_t anon_pages;       /* sum of anon= (pages of each line's size) */
	uint64_t anon_bytes;       /* the same in bytes, lines with kernelpagesize_kB */
	uint64_t dirty_bytes, swapcache_bytes;
	bool overflow; /* a sum did not fit in 64 bits: the sums are unreliable */
	uint32_t npolicies;
	struct ml_nmap_policy policy[ML_NMAP_POLICIES];
	uint64_t other_policies; /* mappings with a policy beyond the first ML_NMAP_POLICIES */
	/* One line's N<node>= counts, before its kernelpagesize_kB is known. */
	uint32_t line_n, line_cap;
	uint32_t *line_node;
	uint64_t *line_pages;
};

extern const struct ml_source ml_src_numa_maps;

void ml_numa_maps_init(struct ml_numa_maps *nm);
void ml_numa_maps_release(struct ml_numa_maps *nm);

/* "anon", "heap", "stack", "file", "hugetlb". */
const char *ml_nmap_kind_name(enum ml_nmap_kind k);

#endif /* ML_NUMAMAPS_H */
