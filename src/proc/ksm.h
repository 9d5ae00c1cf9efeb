/*
 * Kernel samepage merging (doc/procfs.md section 22):
 *
 *  - kernel/mm/ksm/ (one attribute a file) under the sys root. pages_shared
 *    (the merged pages kept), pages_sharing (the mappings that point at
 *    them: the pages saved), pages_unshared, pages_volatile, full_scans,
 *    general_profit (bytes saved minus the rmap_items' cost; signed, 6.7+),
 *    ksm_zero_pages (6.10+), run (0 stopped, 1 running, 2 unmerged),
 *    and the scanner's settings.
 *  - PID/ksm_stat (6.1+) under the proc root, a few lines in two forms:
 *      ksm_rmap_items 12          (6.1)
 *      ksm_zero_pages 0           (~6.10; %lu, then %ld)
 *      ksm_merging_pages 3        (6.4)
 *      ksm_process_profit -384    (6.4; signed, bytes)
 *      ksm_merge_any: no          (6.14)
 *      ksm_mergeable: yes         (6.14)
 *    Counts are pages; profit is bytes. The file is 0400: another user's
 *    process needs root.
 */
#ifndef ML_KSM_H
#define ML_KSM_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/reader.h"
#include "proc/source.h"
#include "proc/sysattr.h"

#define ML_KSM_DIR "kernel/mm/ksm"

enum ml_ksm_attr {
	ML_KSM_RUN,
	ML_KSM_PAGES_SHARED,
	ML_KSM_PAGES_SHARING,
	ML_KSM_PAGES_UNSHARED,
	ML_KSM_PAGES_VOLATILE,
	ML_KSM_FULL_SCANS,
	ML_KSM_GENERAL_PROFIT,
	ML_KSM_ZERO_PAGES,
	ML_KSM_PAGES_SCANNED,
	ML_KSM_STABLE_NODE_CHAINS,
	ML_KSM_STABLE_NODE_DUPS,
	ML_KSM_PAGES_TO_SCAN,
	ML_KSM_SLEEP_MILLISECS,
	ML_KSM_MERGE_ACROSS_NODES,
	ML_KSM_USE_ZERO_PAGES,
	ML_KSM_MAX_PAGE_SHARING,
	ML_KSM_ADVISOR_MODE,
	ML_KSM__COUNT
};

struct ml_ksm {
	bool present; /* the ksm directory exists (CONFIG_KSM) */
	int dir_err;
	struct ml_attr a[ML_KSM__COUNT];
};

extern const struct ml_attr_def ml_ksm_attrs[ML_KSM__COUNT];

/* Read every KSM attribute; always 0 (what is missing says why). */
int ml_ksm_read(struct ml_ksm *k, const struct ml_procfs *sys);

/* "stopped", "running", "stopped, unmerged" or "offline" for run's value. */
const char *ml_ksm_run_word(uint64_t run);

enum ml_kstat_key {
	ML_KSTAT_RMAP_ITEMS,
	ML_KSTAT_ZERO_PAGES,
	ML_KSTAT_MERGING_PAGES,
	ML_KSTAT_PROCESS_PROFIT,
	ML_KSTAT_MERGE_ANY, /* yes/no: 1/0 */
	ML_KSTAT_MERGEABLE, /* yes/no: 1/0 */
	ML_KSTAT__COUNT
};

struct ml_ksm_stat {
	int64_t val[ML_KSTAT__COUNT];
	uint32_t present; /* bit (1 << enum ml_kstat_key) */
	uint32_t unknown; /* lines with a key this parser does not know */
};

extern const struct ml_source ml_src_ksm_stat;

static inline bool
ml_ksm_stat_has(const struct ml_ksm_stat *s, enum ml_kstat_key k)
{
	return (s->present >> k) & 1;
}

#endif /* ML_KSM_H */
