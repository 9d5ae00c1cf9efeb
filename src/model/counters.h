/*
 * Event counters and their rates between two reports: a named set of
 * counters (the thp_*, compact_*, zswp* lines of /proc/vmstat, a node's
 * numastat) kept with the value of the previous report, so that -i shows
 * events per second instead of totals since boot.
 *
 * A counter that went backwards (a counter reset, or a kernel that keeps
 * per-cpu slack) has no rate for that interval; one that appeared only now
 * has none either. Pure functions and plain memory; no I/O.
 */
#ifndef ML_COUNTERS_H
#define ML_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/kv.h"

struct ml_counter {
	char name[48];
	uint64_t value;
	uint64_t prev;
	bool has_prev; /* prev is the previous report's value */
	bool seen_now; /* present in the latest take */
};

struct ml_counter_set {
	size_t n, cap;
	struct ml_counter *c; /* in the order of the first take */
	double seconds;       /* between the last two takes; 0 after the first */
};

void ml_counter_set_init(struct ml_counter_set *s);
void ml_counter_set_release(struct ml_counter_set *s);

/*
 * Take every entry of l (a parsed key/value file) whose name starts with
 * one of prefixes (NULL-terminated; NULL takes them all). seconds is the
 * time since the previous take (0 for the first). Counters no longer
 * printed are dropped. 0, or -1 with errno ENOMEM.
 */
int ml_counter_set_take(struct ml_counter_set *s, const struct ml_kvlist *l,
			const char *const *prefixes, double seconds);

/* The counter named name, or NULL. */
const struct ml_counter *ml_counter_find(const struct ml_counter_set *s, const char *name);

/* Events per second over the last interval; false when there is no rate. */
bool ml_counter_rate(const struct ml_counter_set *s, const struct ml_counter *c, double *per_sec);

/* True when the set holds rates (a second take, some time apart). */
static inline bool
ml_counter_set_has_rates(const struct ml_counter_set *s)
{
	return s->seconds > 0;
}

#endif /* ML_COUNTERS_H */
