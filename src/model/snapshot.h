/*
 * The snapshot: one owner of the sources a view reads, of what could not be
 * read and why, of the last two parsed models and of their changes.
 *
 * A command (or the dashboard, diff, and later growth and metrics) keeps one
 * struct ml_snapshot over a proc root and asks it to refresh the sources its
 * view needs, as a mask of ML_SNAP(src) bits:
 *
 *	struct ml_snapshot s;
 *	struct ml_snap_options opt = { .derive = ML_SNAP_HEADLINE,
 *				       .hints = { .denied = "run as root" } };
 *
 *	ml_snapshot_init(&s, &ctx->fs, &ctx->sysfs, &opt);
 *	while (report wanted) {
 *		if (ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_ZONEINFO))
 *		    & ML_SNAP(ML_SNAP_MEMINFO))
 *			fail with s.src[ML_SNAP_MEMINFO].cause;
 *		show ml_snapshot_headline(&s), ml_snapshot_watermarks(&s), ...;
 *	}
 *	ml_snapshot_release(&s);
 *
 * Sources. Each is opened the first time a refresh asks for it and stays
 * open: every later refresh re-reads it from offset 0 (proc/reader.h). A
 * source that cannot be opened or read is "lost": its struct ml_snap_source
 * says so (state), with the reader's cause and errno, and why, the cause
 * with the hint the snapshot was given for a permission problem or a missing
 * file. A lost source stays lost (it is not read again) unless it is in the
 * options' retry mask, which the dashboard uses for meminfo. lost_now marks
 * the refresh in which it was lost, whose bad lines belong to that report.
 * Reads happen in enum order (meminfo first), and the derived models of
 * meminfo come after all reads of the refresh (they use vmallocinfo).
 *
 * Models. Each source parses into its model member below; after a
 * successful read the snapshot derives what the views share: the headline
 * and the accounting of MemTotal (when asked by options.derive), the
 * vmstat activity since boot and its change since the previous read, the
 * zone watermarks, the buddy fragmentation, the slab view with its per-cache
 * change per second (and each cache's reclaimability from the sys root),
 * the vmalloc groups with their change. meminfo, its derivations, zoneinfo
 * with its watermarks and the fragmentation are kept for the last two reads
 * (cur and the other one, see the accessors); the slab and vmalloc models
 * keep each row's previous values themselves.
 *
 * Ownership and lifetime: the snapshot owns every model and string in it.
 * A pointer a caller takes into a model (a row, a name, the struct itself)
 * stays valid until the next refresh that reads that same source; for the
 * double-buffered models, the one a refresh made current stays valid until
 * the second refresh after it. Nothing here prints or exits.
 *
 * Adding a source for a later view (growth, metrics, cgroups, NUMA):
 *  1. a value in enum ml_snap_src (before ML_SNAP__COUNT; the order is the
 *     read order),
 *  2. its model member(s) below, initialised and released in snapshot.c,
 *  3. one line in the table snap_defs[] in snapshot.c: its name, the parser
 *     (struct ml_source) and where it writes, and a derive function when the
 *     view shares something computed from it,
 *  4. the file (or files) in the capture table, proc/capture.c, so that
 *     `memlens capture` records it and every view reads it from a capture.
 * Then the view refreshes ML_SNAP(ML_SNAP_NEW) and reads the member.
 */
#ifndef ML_SNAPSHOT_H
#define ML_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "model/accounting.h"
#include "model/cgroups.h"
#include "model/fragmentation.h"
#include "model/headline.h"
#include "model/pagesize.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "model/watermarks.h"
#include "proc/buddyinfo.h"
#include "proc/meminfo.h"
#include "proc/pagetypeinfo.h"
#include "proc/pressure.h"
#include "proc/procsample.h"
#include "proc/proctab.h"
#include "proc/reader.h"
#include "proc/slabinfo.h"
#include "proc/vmstat.h"
#include "proc/zoneinfo.h"
#include "proc/zram.h"
#include "model/numa.h"
#include "proc/hugepages.h"
#include "proc/nodeinfo.h"

/* The sources, in the order a refresh reads them. */
enum ml_snap_src {
	ML_SNAP_MEMINFO,
	ML_SNAP_VMSTAT,
	ML_SNAP_ZONEINFO,
	ML_SNAP_BUDDYINFO,
	ML_SNAP_PAGETYPEINFO,
	ML_SNAP_SLABINFO,
	ML_SNAP_PROCS, /* every process and its smaps_rollup (proc/proctab.h) */
	ML_SNAP_VMALLOCINFO,
	ML_SNAP_PRESSURE,
	ML_SNAP_CGROUPS, /* the memory controller's cgroups (model/cgroups.h), from the sys root */
	ML_SNAP_ZRAM,    /* every zram device's mm_stat, from the sys root (proc/zram.h) */
	ML_SNAP_THP,     /* the THP settings and khugepaged, from the sys root (proc/hugepages.h) */
	ML_SNAP_NODES,   /* every NUMA node's meminfo and its model (model/numa.h) */
	ML_SNAP_PROC_RSS, /* every process's RSS from PID/status, cheaply (proc/procsample.h) */
	ML_SNAP__COUNT
};

#define ML_SNAP(src) (1u << (src))

enum ml_snap_state {
	ML_SNAP_UNTRIED, /* no refresh asked for it yet */
	ML_SNAP_OK,      /* open, and its last read (if any) worked */
	ML_SNAP_LOST,    /* could not be opened, read or derived: see cause */
};

/* Where a lost source failed. */
enum ml_snap_stage {
	ML_SNAP_AT_OPEN,
	ML_SNAP_AT_READ,   /* the read or the parse: the reader's stats say more */
	ML_SNAP_AT_DERIVE, /* read, but the model could not be made (no MemTotal, ENOMEM) */
};

struct ml_snap_source {
	enum ml_snap_state state;
	enum ml_snap_stage stage; /* when LOST */
	bool read;                /* a read worked at least once */
	bool lost_now;            /* the last refresh that asked for it lost it */
	int err;                  /* errno of the failure */
	char *cause;              /* the failure as told ("cannot open /proc/x: ...") */
	char *why;                /* cause and hint, for a report's "n/a (why)" */
	struct timespec read_at;  /* CLOCK_MONOTONIC after its last good read */
	double seconds;           /* between its last two good reads; 0 after the first */
	struct ml_reader reader;  /* unused by ML_SNAP_PROCS (the table has its own) */
};

/* What to add to a lost source's cause: NULL adds nothing. */
struct ml_snap_hints {
	const char *denied;  /* EACCES or EPERM: "run as root" */
	const char *missing; /* ENOENT: "this kernel or capture has none" */
};

/* One NUMA node of ML_SNAP_NODES. */
struct ml_snap_node {
	int id;
	char rel[64]; /* its meminfo under the sys root */
	struct ml_reader reader;
	struct ml_node_meminfo nm;
	bool ok; /* read, and model derived, in the last refresh */
	char *why;
	struct ml_numa_node model;
};

/* Derived models a snapshot computes when meminfo is read. */
enum ml_snap_derive {
	ML_SNAP_HEADLINE = 1u << 0,   /* free(1)'s figures: head[] */
	ML_SNAP_ACCOUNTING = 1u << 1, /* the parts of MemTotal: acct[] */
};

struct ml_snap_options {
	unsigned int derive; /* enum ml_snap_derive */
	unsigned int retry;  /* ML_SNAP() mask: sources a failed read does not lose */
	struct ml_snap_hints hints;
	bool procs_no_cmdlines; /* ML_SNAP_PROCS: named by comm, command lines not read */
	/*
	 * ML_SNAP_PROCS: read the processes' memory within this many
	 * nanoseconds, one after the other (memlens serve's time limit); the
	 * source is lost with ETIME when they were not all read in time. 0:
	 * read them all, the identities in a second thread.
	 */
	uint64_t procs_budget_ns;
};

/* Reclaim and fault counters from vmstat. */
struct ml_activity {
	bool known; /* this kernel's vmstat has the reclaim counters */
	uint64_t stall, scan_kswapd, scan_direct, swapin, swapout, majfault, oom, refault;
	bool fault_known; /* it has pgfault: every fault, minor and major (2.6+) */
	uint64_t fault;
};

struct ml_snapshot {
	const struct ml_procfs *fs;
	const struct ml_procfs *sysfs;
	struct ml_snap_options opt;
	bool live; /* fs is a procfs mount: this machine */
	struct ml_snap_source src[ML_SNAP__COUNT];
	struct ml_page_size ps;
	bool ps_found;

	/* meminfo and its derivations: [cur] the last good read, [!cur] the one before. */
	struct ml_meminfo mi[2];
	struct ml_headline head[2];
	struct ml_accounting acct[2];
	int mi_cur;
	bool mi_valid, mi_prev; /* [cur] holds a read; [!cur] too */
	bool stack_known;       /* the kernel-stack overlap was measured in vmallocinfo */
	uint64_t stack_overlap;

	/* vmstat: the counters, and the activity since boot and since its last read. */
	struct ml_vmstat vs;
	struct ml_activity act, act_prev, act_delta;
	double act_seconds; /* the window of act_delta; 0 after the first read */

	/* zoneinfo and its watermarks ([zi_cur], and [!zi_cur] before when zi_prev). */
	struct ml_zoneinfo zi[2];
	struct ml_watermarks wm[2]; /* wm[i] borrows from zi[i] */
	int zi_cur;
	bool zi_valid, zi_prev;

	/* buddyinfo and its fragmentation, the same way. */
	struct ml_buddyinfo bi;
	struct ml_frag frag[2];
	int frag_cur;
	bool frag_valid, frag_prev;

	struct ml_pagetypeinfo pti;

	/* slabinfo, each cache's reclaimability, the derived view. */
	struct ml_slabinfo sl;
	struct ml_slab_view slv;
	struct ml_procfs slabfs; /* <sys-root>/kernel/slab, when slab_open */
	bool slab_open;
	char *slab_dir;    /* its path, for reports */
	char *reclaim_why; /* why reclaimability is unknown (!slab_open) */

	struct ml_proctab procs;
	bool procs_init;

	struct ml_vmalloc vm; /* set its top (ml_vmalloc_set_top) before the first refresh */
	struct ml_pressure psi;

	/*
	 * The cgroups: the whole tree from the hierarchy's root, each cgroup's
	 * files of cg_files (set before the first refresh; 0: every file). The
	 * tree is made again at each read; the member sums are the caller's
	 * (ml_cgtree_sum_members over a process table).
	 */
	struct ml_cgmounts cg_mounts;
	struct ml_cghier cg_hier;
	bool cg_open;
	ml_cgfile_set cg_files;
	struct ml_cgtree cgroups;

	/*
	 * zram, read through the sys root (sysfs above); the accounting names
	 * its RAM (ML_ACCT_ZRAM) when it was read in the same refresh as
	 * meminfo. The sys root is not used when it is this machine's sysfs
	 * and the proc root is a copy (sys_mismatch).
	 */
	bool sys_mismatch;
	struct ml_zram zram;

	/* THP: settings, khugepaged, multi-size counters (the sys root, as zram). */
	struct ml_thp thp;

	/*
	 * The NUMA nodes (the sys root, as zram): each node's meminfo and its
	 * model, with the node's hugetlb pool and the machine's zones (zoneinfo,
	 * when it is read in the same refresh: ask for both). A node that could
	 * not be read or derived has ok false and why.
	 */
	struct ml_snap_node *nodes;
	size_t nnodes;
	int *node_ids;
	struct ml_hugetlb node_hugetlb;

	struct ml_psampler rss; /* ML_SNAP_PROC_RSS */
	bool rss_init;
};

/*
 * Prepare s over the proc root fs and the sys root sysfs (for the slab
 * caches' reclaimability and zram; both must outlive s); opens nothing yet.
 * opt may be NULL.
 */
void ml_snapshot_init(struct ml_snapshot *s, const struct ml_procfs *fs,
		      const struct ml_procfs *sysfs, const struct ml_snap_options *opt);
void ml_snapshot_release(struct ml_snapshot *s);

/*
 * Open the sources of the mask that were not tried yet, without reading
 * them (a command that cannot start without one says so early). Returns the
 * mask of those that are lost.
 */
unsigned int ml_snapshot_open(struct ml_snapshot *s, unsigned int sources);

/*
 * Read the sources of the mask (ML_SNAP() bits) that are not lost, in enum
 * order, and derive their models. Returns the mask of those asked for that
 * have no good read now (lost now or before); 0 when every one was read.
 */
unsigned int ml_snapshot_refresh(struct ml_snapshot *s, unsigned int sources);

/* The page size (found on first use, as model/pagesize.h says). */
const struct ml_page_size *ml_snapshot_page_size(struct ml_snapshot *s);

/* "meminfo", "pressure/memory", ...: the source's path under the proc root. */
const char *ml_snap_src_path(enum ml_snap_src src);

/* The source was read and is not lost: its model holds that read. */
static inline bool
ml_snapshot_has(const struct ml_snapshot *s, enum ml_snap_src src)
{
	return s->src[src].state == ML_SNAP_OK && s->src[src].read;
}

/* Its why, or NULL when it is not lost. */
static inline const char *
ml_snapshot_why(const struct ml_snapshot *s, enum ml_snap_src src)
{
	return s->src[src].state == ML_SNAP_LOST ? s->src[src].why : NULL;
}

/* The parse statistics of its last read (zero before the first). */
static inline const struct ml_parse_stats *
ml_snapshot_stats(const struct ml_snapshot *s, enum ml_snap_src src)
{
	return &s->src[src].reader.feed.stats;
}

/* The last good meminfo read and what was derived from it; the one before (or NULL). */
static inline const struct ml_meminfo *
ml_snapshot_meminfo(const struct ml_snapshot *s)
{
	return s->mi_valid ? &s->mi[s->mi_cur] : NULL;
}
static inline const struct ml_meminfo *
ml_snapshot_meminfo_prev(const struct ml_snapshot *s)
{
	return s->mi_prev ? &s->mi[!s->mi_cur] : NULL;
}
static inline const struct ml_headline *
ml_snapshot_headline(const struct ml_snapshot *s)
{
	return s->mi_valid ? &s->head[s->mi_cur] : NULL;
}
static inline const struct ml_headline *
ml_snapshot_headline_prev(const struct ml_snapshot *s)
{
	return s->mi_prev ? &s->head[!s->mi_cur] : NULL;
}
static inline const struct ml_accounting *
ml_snapshot_accounting(const struct ml_snapshot *s)
{
	return s->mi_valid ? &s->acct[s->mi_cur] : NULL;
}
static inline const struct ml_accounting *
ml_snapshot_accounting_prev(const struct ml_snapshot *s)
{
	return s->mi_prev ? &s->acct[!s->mi_cur] : NULL;
}

/* zoneinfo and the zones' watermarks now, and at the read before (NULL before the second). */
static inline const struct ml_zoneinfo *
ml_snapshot_zoneinfo(const struct ml_snapshot *s)
{
	return &s->zi[s->zi_cur];
}
static inline const struct ml_watermarks *
ml_snapshot_watermarks(const struct ml_snapshot *s)
{
	return &s->wm[s->zi_cur];
}
static inline const struct ml_watermarks *
ml_snapshot_watermarks_prev(const struct ml_snapshot *s)
{
	return s->zi_prev ? &s->wm[!s->zi_cur] : NULL;
}

/* The buddy allocator's fragmentation now and at the read before. */
static inline const struct ml_frag *
ml_snapshot_frag(const struct ml_snapshot *s)
{
	return &s->frag[s->frag_cur];
}
static inline const struct ml_frag *
ml_snapshot_frag_prev(const struct ml_snapshot *s)
{
	return s->frag_prev ? &s->frag[!s->frag_cur] : NULL;
}

/* The reclaim and fault counters in vmstat. */
void ml_activity_read(struct ml_activity *a, const struct ml_vmstat *vs);
/* Their increase from before to now (a counter that went back counts 0). */
void ml_activity_change(struct ml_activity *d, const struct ml_activity *now,
			const struct ml_activity *before);

#endif /* ML_SNAPSHOT_H */
