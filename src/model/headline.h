/*
 * The headline figures of a summary: free(1)'s columns (procps 4 semantics),
 * commit, swap, huge pages, dirty and writeback. Every figure is optional:
 * known == false means this kernel does not report it, never zero.
 */
#ifndef ML_HEADLINE_H
#define ML_HEADLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/meminfo.h"

struct ml_opt {
	bool known;
	uint64_t v;
};

enum ml_avail_source {
	ML_AVAIL_KERNEL,    /* MemAvailable (3.14+) */
	ML_AVAIL_ESTIMATED, /* before 3.14: the 3.14 formula, from min_free_kbytes */
	ML_AVAIL_UNKNOWN,   /* before 3.14 and min_free_kbytes unreadable */
};

struct ml_headline {
	uint64_t total;
	struct ml_opt free, available, used, shared, buffers, cache, buff_cache;
	enum ml_avail_source avail_source;
	bool used_fallback; /* MemAvailable > MemTotal (containers): used = total - free */

	struct ml_opt swap_total, swap_free, swap_used, swap_cached, zswap, zswapped;
	struct ml_opt committed, commit_limit;
	struct ml_opt huge_total, huge_free, huge_rsvd, huge_surp, huge_size, hugetlb;
	struct ml_opt dirty, writeback;
};

/*
 * Derive the headline from meminfo. min_free_kbytes (from
 * /proc/sys/vm/min_free_kbytes, may be NULL) is only used to estimate
 * MemAvailable on kernels older than 3.14. -1 with a cause without MemTotal.
 */
int ml_headline_compute(struct ml_headline *h, const struct ml_meminfo *mi,
			const uint64_t *min_free_kbytes, char **cause);

/* How "used" was computed, as a formula for the report. */
const char *ml_headline_used_formula(const struct ml_headline *h);

/* The pre-3.14 estimate of MemAvailable, as the 3.14 kernel computed it (bytes). */
uint64_t ml_estimate_available(const struct ml_meminfo *mi, uint64_t min_free_kbytes);

#endif /* ML_HEADLINE_H */
