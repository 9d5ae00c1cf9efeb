/*
 * Two honesty checks of /proc/meminfo against /proc/zoneinfo (doc/procfs.md
 * sections 2, 7 and 21.2):
 *
 *   MemFree  = the zones' free pages ("pages free", NR_FREE_PAGES)
 *   MemTotal = the zones' managed pages (totalram_pages)
 *
 * Both sides are the same kernel counters, so they agree up to what moved
 * between the two reads. When they do not, MemFree and MemTotal count memory
 * the page allocator does not have yet, so MemFree is not "the pages on the
 * free lists": memory not yet handed to the page allocator (deferred struct
 * page initialisation, seen on 6.18 virtual machines), memory hot-plug, or a
 * balloon driver that adjusts one side only.
 *
 * "Beyond rounding": MemFree may move between the two reads, so it agrees
 * within 1% of MemTotal (ML_MEMCHECK_FREE_SLACK); MemTotal moves only on
 * hot-plug and ballooning, so it agrees within one page. Pure functions.
 */
#ifndef ML_MEMCHECK_H
#define ML_MEMCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/meminfo.h"
#include "proc/zoneinfo.h"

/* MemFree's slack, as a fraction of MemTotal: 1 / 100. */
#define ML_MEMCHECK_FREE_SLACK 100

struct ml_memcheck {
	bool known;         /* both sides were read */
	uint64_t meminfo;   /* bytes */
	uint64_t zones;     /* bytes: the zones' sum */
	int64_t difference; /* meminfo - zones */
	uint64_t tolerance; /* bytes */
	bool agree;         /* |difference| <= tolerance */
};

struct ml_memchecks {
	struct ml_memcheck free, total;
	const char *why; /* when a check is unknown: why */
	uint32_t zones;  /* zones summed */
};

/*
 * Compare mi with zi; page_size in bytes (0: unknown, and the checks are
 * unknown with the reason).
 */
void ml_memchecks_compute(struct ml_memchecks *c, const struct ml_meminfo *mi,
			  const struct ml_zoneinfo *zi, uint64_t page_size);

/* The known causes of a disagreement, one sentence, for text and JSON. */
extern const char ml_memcheck_causes[];

#endif /* ML_MEMCHECK_H */
