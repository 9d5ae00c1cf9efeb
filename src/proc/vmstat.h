/*
 * /proc/vmstat: "name value" per line (doc/procfs.md section 8).
 *
 * Every counter is kept in file order (ml_vmstat.all); the few that memlens
 * derives from are also in val[] with a presence bit. Values are as printed:
 * pages for nr_*, KiB for pgpgin/pgpgout, event counts for the rest. A
 * counter that went transiently negative in the kernel prints as a huge
 * unsigned number; it is kept as printed.
 */
#ifndef ML_VMSTAT_H
#define ML_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "compat.h"
#include "proc/kv.h"
#include "proc/source.h"

enum ml_vs_key {
	ML_VS_NR_FREE_PAGES,
	ML_VS_NR_ZONE_INACTIVE_FILE,
	ML_VS_NR_ZONE_ACTIVE_FILE,
	ML_VS_NR_INACTIVE_FILE,
	ML_VS_NR_ACTIVE_FILE,
	ML_VS_NR_SLAB_RECLAIMABLE,
	ML_VS_NR_SLAB_UNRECLAIMABLE,
	ML_VS_NR_KERNEL_MISC_RECLAIMABLE,
	ML_VS_NR_KERNEL_STACK,
	ML_VS_NR_ZSPAGES,
	ML_VS_NR_BALLOON_PAGES,
	ML_VS_NR_DIRTY_THRESHOLD,
	ML_VS_NR_DIRTY_BACKGROUND_THRESHOLD,
	ML_VS_PGPGIN,
	ML_VS_PGPGOUT,
	ML_VS_PSWPIN,
	ML_VS_PSWPOUT,
	ML_VS_PGFAULT,
	ML_VS_PGMAJFAULT,
	ML_VS_PGSCAN_KSWAPD,
	ML_VS_PGSCAN_DIRECT,
	ML_VS_PGSTEAL_KSWAPD,
	ML_VS_PGSTEAL_DIRECT,
	ML_VS_ALLOCSTALL_NORMAL,
	ML_VS_ALLOCSTALL_MOVABLE,
	ML_VS_ALLOCSTALL_DMA32,
	ML_VS_COMPACT_STALL,
	ML_VS_OOM_KILL,
	ML_VS_WORKINGSET_REFAULT_FILE,
	ML_VS_WORKINGSET_REFAULT_ANON,
	ML_VS__COUNT
};

struct ml_vmstat {
	uint64_t val[ML_VS__COUNT]; /* meaningful only where present has the bit */
	uint64_t present[ML_BITSET_WORDS(ML_VS__COUNT)];
	struct ml_kvlist all; /* every counter, in file order */
};

extern const struct ml_source ml_src_vmstat;
extern const struct ml_kv_key ml_vmstat_keys[ML_VS__COUNT];

void ml_vmstat_init(struct ml_vmstat *vs);
void ml_vmstat_release(struct ml_vmstat *vs);

static inline bool
ml_vmstat_has(const struct ml_vmstat *vs, enum ml_vs_key k)
{
	return ml_bit_test(vs->present, k);
}

static inline uint64_t
ml_vmstat_get(const struct ml_vmstat *vs, enum ml_vs_key k)
{
	return ml_bit_test(vs->present, k) ? vs->val[k] : 0;
}

/* Any counter by name; false when this kernel does not print it. */
bool ml_vmstat_find(const struct ml_vmstat *vs, const char *name, uint64_t *value);

#endif /* ML_VMSTAT_H */
