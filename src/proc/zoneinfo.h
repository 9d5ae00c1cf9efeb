/*
 * /proc/zoneinfo: one record per zone, per NUMA node (doc/procfs.md section 7).
 *
 * Every layout from 3.10 to after 6.18 is accepted, keyed on the text and
 * never on the kernel version: the 3.10 layout (scanned, 4-space counters,
 * protection after the counters, all_unreclaimable/inactive_ratio), 4.8's
 * per-node stats inside the first populated zone (node_scanned,
 * node_inactive_ratio), 4.12+ (unpopulated zones printed, protection before
 * the counters, node_unreclaimable), cma (5.12), boost (5.16), promo (6.0),
 * the 6.13 pageset lines (high_min/high_max), reserved_highatomic and
 * free_highatomic (after 6.18), and a "Node N, per-node stats" record.
 *
 * Units: every value is in pages as printed, except the THP node counters
 * (huge pages), nr_kernel_stack (kB since 4.8, a count of stacks before) and
 * the event counters (ml_zoneinfo_counter_unit). Absent is not zero: every
 * scalar has a presence bit, so a 4.19 zone without a boost line has an
 * unknown boost, not 0.
 *
 * Memory: zones, nodes, their counter lists and pageset arrays are kept by
 * position between refreshes; a refresh of an unchanged machine allocates
 * nothing. Pointers into the struct are valid until the next refresh.
 *
 * Speed: the parser learns the file line by line (the text before each
 * value and what the line meant); a refresh whose lines start as last time
 * checks that text with one memcmp and stores the value, and falls back to
 * the full state machine from the first line that differs.
 */
#ifndef ML_ZONEINFO_H
#define ML_ZONEINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "compat.h"
#include "proc/kv.h"
#include "proc/source.h"

/* The scalar fields of a zone: the watermark block and the "key: value" tail. */
enum ml_zi_field {
	ML_ZI_FREE,                /* "pages free" */
	ML_ZI_BOOST,               /* watermark_boost; ≈5.16+ */
	ML_ZI_MIN,                 /* min/low/high/promo include boost */
	ML_ZI_LOW,                 /* */
	ML_ZI_HIGH,                /* */
	ML_ZI_PROMO,               /* memory tiering; ≈6.0+ */
	ML_ZI_SCANNED,             /* ≤ 4.7 */
	ML_ZI_NODE_SCANNED,        /* 4.8 to ≈4.10 */
	ML_ZI_SPANNED,             /* */
	ML_ZI_PRESENT,             /* */
	ML_ZI_MANAGED,             /* 3.8+ */
	ML_ZI_CMA,                 /* ≈5.12+ */
	ML_ZI_ALL_UNRECLAIMABLE,   /* ≤ 4.7, per zone */
	ML_ZI_NODE_UNRECLAIMABLE,  /* 4.8+, per node, printed in each zone */
	ML_ZI_START_PFN,           /* */
	ML_ZI_INACTIVE_RATIO,      /* ≤ 4.7 */
	ML_ZI_NODE_INACTIVE_RATIO, /* 4.8 to ≈4.9 */
	ML_ZI_RESERVED_HIGHATOMIC, /* after 6.18 */
	ML_ZI_FREE_HIGHATOMIC,     /* after 6.18 */
	ML_ZI__FIELD_COUNT
};

/* Presence bits of a pageset's fields. */
enum ml_zi_pcp_field {
	ML_ZI_PCP_COUNT,
	ML_ZI_PCP_HIGH,
	ML_ZI_PCP_BATCH,
	ML_ZI_PCP_HIGH_MIN,  /* 6.13+ */
	ML_ZI_PCP_HIGH_MAX,  /* 6.13+ */
	ML_ZI_PCP_THRESHOLD, /* "vm stats threshold" (CONFIG_SMP) */
	ML_ZI_PCP__COUNT
};

/* One CPU's per-cpu page list of a zone ("cpu: N" and the lines after it). */
struct ml_zi_pageset {
	int64_t cpu;
	int64_t v[ML_ZI_PCP__COUNT]; /* printed with %i / %d */
	uint8_t present;             /* bit (1 << enum ml_zi_pcp_field) */
};

struct ml_zi_zone {
	int64_t node;  /* "Node N" */
	char name[32]; /* "DMA32" */
	/*
	 * The kernel printed counters or pagesets: populated_zone() (4.12+
	 * stops after protection for an empty zone; older kernels skip it).
	 */
	bool populated;
	uint64_t val[ML_ZI__FIELD_COUNT];
	uint64_t present[ML_BITSET_WORDS(ML_ZI__FIELD_COUNT)];
	struct ml_kvlist fields; /* every scalar as printed ("pages free", "boost"), unknown too */
	bool has_protection;
	uint32_t nprotection;      /* lowmem_reserve[] entries */
	int64_t *protection;       /* pages, as printed (%ld; %lu on 3.10) */
	struct ml_kvlist counters; /* zone counters (nr_*), in order */
	struct ml_kvlist numa;     /* NUMA counters/events (numa_*), in order */
	uint32_t npagesets;
	struct ml_zi_pageset *pagesets;
	struct ml_kvlist pageset_other; /* unknown pageset keys, "cpuN key" */

	/* Parser state and capacities; not part of the result. */
	uint32_t protection_cap, pagesets_cap;
	uint8_t phase;
};

struct ml_zi_node {
	int64_t id;
	bool has_stats;         /* a per-node stats block was printed (4.8+) */
	struct ml_kvlist stats; /* per-node counters, in order */
	uint32_t first_zone;    /* index of its first zone in ml_zoneinfo.zones */
	uint32_t nzones;        /* zones are grouped by node in the file */
};

struct ml_zoneinfo {
	uint32_t nzones;
	struct ml_zi_zone *zones;
	uint32_t nnodes;
	struct ml_zi_node *nodes;
	/* Layout facts seen in this parse (for tests and the JSON "layout"). */
	bool node_stats_in_zone;        /* "  per-node stats" inside a zone record (4.8+) */
	bool node_stats_record;         /* a "Node N, per-node stats" record */
	bool protection_after_counters; /* the 3.10 order */

	/* Parser state and capacities; not part of the result. */
	uint32_t zones_cap, nodes_cap;
	int32_t cur_zone, cur_node, cur_pcp; /* -1 when none */
	uint8_t state;
	struct ml_zi_memo *memo; /* the learned line layout (zoneinfo.c) */
};

extern const struct ml_source ml_src_zoneinfo;
extern const struct ml_kv_key ml_zoneinfo_field_keys[ML_ZI__FIELD_COUNT];

void ml_zoneinfo_init(struct ml_zoneinfo *zi);
void ml_zoneinfo_release(struct ml_zoneinfo *zi);

static inline bool
ml_zi_has(const struct ml_zi_zone *z, enum ml_zi_field f)
{
	return ml_bit_test(z->present, f);
}

/* The value of f in pages, or 0 when absent: check ml_zi_has first. */
static inline uint64_t
ml_zi_get(const struct ml_zi_zone *z, enum ml_zi_field f)
{
	return ml_bit_test(z->present, f) ? z->val[f] : 0;
}

static inline bool
ml_zi_pcp_has(const struct ml_zi_pageset *p, enum ml_zi_pcp_field f)
{
	return (p->present >> f) & 1;
}

/* The node a zone belongs to (never NULL for a zone of this parse). */
const struct ml_zi_node *ml_zoneinfo_zone_node(const struct ml_zoneinfo *zi,
					       const struct ml_zi_zone *z);

/* Parses that found the file's lines changed and relearned their layout. */
uint64_t ml_zoneinfo_relearns(const struct ml_zoneinfo *zi);

/* A counter of a list by name; false when this kernel does not print it. */
bool ml_zoneinfo_find(const struct ml_kvlist *l, const char *name, uint64_t *value);

/* What a counter of zoneinfo counts (doc/procfs.md section 7, Units). */
enum ml_zi_unit {
	ML_ZI_UNIT_PAGES,      /* pages (most) */
	ML_ZI_UNIT_HUGE_PAGES, /* THP counters: PMD-sized pages */
	ML_ZI_UNIT_KB,         /* nr_kernel_stack since 4.8 */
	ML_ZI_UNIT_STACKS,     /* nr_kernel_stack before 4.8: a count of stacks */
	ML_ZI_UNIT_EVENTS,     /* numa_* and workingset_* events */
};

/*
 * The unit of counter name (n bytes). nr_kernel_stack counts kB from 4.8, the
 * release that also introduced per-node stats, so a zoneinfo without them
 * counts stacks.
 */
enum ml_zi_unit ml_zoneinfo_counter_unit(const struct ml_zoneinfo *zi, const char *name, size_t n);
/* "pages", "huge_pages", "kB", "stacks", "events". */
const char *ml_zi_unit_name(enum ml_zi_unit u);

#endif /* ML_ZONEINFO_H */
