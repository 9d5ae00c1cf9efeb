/*
 * What memlens metrics and memlens serve read, and how: the sources of the
 * snapshot (model/snapshot.h) the metrics need (meminfo, zoneinfo,
 * buddyinfo, slabinfo with the sysfs reclaim flags, vmallocinfo and the
 * processes' smaps_rollup), read into the models the other reports use.
 * Files stay open between refreshes (a scrape re-reads them from offset 0),
 * and a source whose read fails is read again at the next refresh.
 *
 * A refresh may have a time limit: meminfo, vmallocinfo and zram's sysfs
 * files are read first, always (the accounting of MemTotal needs them, from
 * the same moment);
 * zoneinfo, buddyinfo and slabinfo while time is left; then the processes,
 * within what is left. A source not read in time, or processes not all read
 * in time, are unreadable for that refresh, so a slow machine gets what
 * could be read and never a stale or partial figure.
 *
 *	struct metrics_read r;
 *	struct ml_metrics_input in;
 *
 *	metrics_read_init(&r, ctx);
 *	metrics_read_refresh(&r, 0);
 *	metrics_read_input(&r, &in);
 *	ml_metrics_write(stdout, &in, &opt);
 *	metrics_read_release(&r);
 *
 * A family's new source (growth, cgroups) is a source of the snapshot: its
 * bit in METRICS_SOURCES (metrics-read.c), a value in enum metrics_src, and
 * its model handed over in metrics_read_input().
 */
#ifndef ML_METRICS_READ_H
#define ML_METRICS_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd/cmd.h"
#include "model/numa.h"
#include "model/snapshot.h"
#include "render/metrics.h"

/* The sources of memlens_source_readable, in its order. */
enum metrics_src {
	MS_MEMINFO,
	MS_ZONEINFO,
	MS_BUDDYINFO,
	MS_SLABINFO,
	MS_VMALLOCINFO,
	MS_PROCESSES,
	MS_PRESSURE,
	MS_ZRAM,
	MS_HUGETLB, /* both from the snapshot's nodes source */
	MS_NUMA,
	MS_CGROUPS,
	MS__COUNT
};

struct metrics_read {
	struct ml_ctx *ctx;
	struct ml_snapshot snap;
	struct ml_numa_node *numa; /* the nodes' models, when every one was made */
	size_t nnuma;
	bool cg_members;                           /* the cgroups' member sums are this refresh's */
	struct ml_metrics_source state[MS__COUNT]; /* this refresh */
	char *why[MS__COUNT];                      /* why a source is unreadable, or NULL */
	int why_errno[MS__COUNT];                  /* its errno; ETIME for the time limit */
	struct ml_proc **rows;                     /* processes with an address space */
	size_t nrows, rows_cap;
	double seconds; /* how long the last refresh took */
};

void metrics_read_init(struct metrics_read *r, struct ml_ctx *ctx);
void metrics_read_release(struct metrics_read *r);

/*
 * Read every source again; timeout in seconds, 0 for none. Never fails as a
 * whole: each source is readable or not, with why[] saying why.
 */
void metrics_read_refresh(struct metrics_read *r, double timeout);

/* Point in at what the last refresh read (borrowed until the next refresh). */
void metrics_read_input(const struct metrics_read *r, struct ml_metrics_input *in);

/*
 * The options memlens metrics and memlens serve share: --min SIZE (bytes,
 * or with a K, M, G or T suffix: powers of 1024) and --procs-top N. Each
 * returns 0, or -1 when the argument is not valid.
 */
int metrics_parse_size(const char *s, uint64_t *out);
int metrics_parse_procs_top(const char *s, size_t *out);

/* The default of --min: smaller slab caches, vmalloc callers and process groups go to (other). */
#define METRICS_MIN_DEFAULT (UINT64_C(1) << 20)
/* The most --procs-top takes. */
#define METRICS_PROCS_TOP_MAX 1000

#endif /* ML_METRICS_READ_H */
