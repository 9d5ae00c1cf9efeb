/*
 * The one place where memlens metrics and memlens serve open and read their
 * sources: meminfo, zoneinfo, buddyinfo, slabinfo (with the sysfs
 * reclaim_account flags), vmallocinfo and the processes' smaps_rollup, into
 * the models the other reports use. Files stay open between refreshes (a
 * scrape re-reads them from offset 0); a source that fails is closed and
 * tried again at the next refresh.
 *
 * A refresh may have a time limit: sources are read in a fixed order
 * (meminfo first, always) and those not reached in time, or the processes
 * not all read in time, are marked unreadable for that refresh, so a slow
 * machine gets what could be read and never a stale or partial figure.
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
 * When the snapshot layer (model/snapshot.c) owns the sources, this file is
 * what moves onto it.
 */
#ifndef ML_METRICS_READ_H
#define ML_METRICS_READ_H

#include <stdbool.h>

#include "cmd/cmd-zones.h"
#include "cmd/cmd.h"
#include "model/accounting.h"
#include "model/fragmentation.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "proc/buddyinfo.h"
#include "proc/meminfo.h"
#include "proc/proctab.h"
#include "proc/slabinfo.h"
#include "render/metrics.h"

enum metrics_src {
	MS_MEMINFO,
	MS_ZONEINFO,
	MS_BUDDYINFO,
	MS_SLABINFO,
	MS_VMALLOCINFO,
	MS_PROCESSES,
	MS__COUNT
};

struct metrics_read {
	struct ml_ctx *ctx;
	struct cmd_page_size ps;
	bool opened[MS__COUNT];
	struct ml_metrics_source state[MS__COUNT]; /* this refresh */
	char *why[MS__COUNT];                      /* why a source is unreadable, or NULL */
	int why_errno[MS__COUNT];                  /* its errno; ETIME for the time limit */

	struct ml_reader mi_reader;
	struct ml_meminfo mi;
	struct ml_accounting acct;
	struct cmd_zones_src zs;
	struct ml_reader bi_reader;
	struct ml_buddyinfo bi;
	struct ml_frag frag;
	struct ml_reader sl_reader;
	struct ml_slabinfo sl;
	struct ml_slab_view slv;
	int slab_dirfd; /* <sys root>/kernel/slab, or -1 */
	struct ml_reader vm_reader;
	struct ml_vmalloc vm;
	struct ml_proctab pt;
	struct ml_proc **rows; /* processes with an address space */
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

/* The path of a source for messages ("/proc/slabinfo"); the caller frees it. */
char *metrics_read_path(const struct metrics_read *r, enum metrics_src s);

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
