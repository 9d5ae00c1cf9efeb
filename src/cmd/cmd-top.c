/*
 * memlens top: the live dashboard. This file is its data side: it owns the
 * readers and the model, refreshes only what the header and the visible view
 * need, and hands the screen (src/tui, the only user of curses) a frame of
 * borrowed model structs. See tui.h for the division of labour.
 *
 * What each refresh reads:
 *   always          meminfo (the header's bar, swap, MemAvailable), pressure/memory,
 *                   vmstat (the header's faults per second, the overview's reclaim),
 *                   zram's mm_stat in sysfs (a part of the accounting)
 *   overview        zoneinfo (zone health), buddyinfo (largest block)
 *   slab            slabinfo (and, once per cache, its sysfs reclaim_account)
 *   vmalloc         vmallocinfo
 *   buddy           buddyinfo
 *   zones           zoneinfo
 *   processes       the process list (libproc2) every 5 s, smaps_rollup of the
 *                   processes on screen every refresh, then of new and very
 *                   stale ones within a budget (model/procsched.h)
 *   a process's maps  PID/smaps
 *   cgroups         every cgroup of the memory controller's hierarchy, every
 *                   CG_EVERY seconds (a walk of the whole tree); the PSS sums
 *                   come from the process table as the processes view left it,
 *                   with the processes new since then read
 * and vmallocinfo every STACK_EVERY seconds besides, for the kernel-stack
 * overlap the accounting takes out of VmallocUsed (costly: 2-3 ms a read).
 * Every source stays open and is re-read from offset 0; the model structs
 * persist, so a refresh in steady state allocates nothing (but for the
 * process groups and a process's file list, which the model hands out in
 * fresh arrays).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd-cgroups.h"
#include "cmd/cmd-zones.h"
#include "cmd/cmd.h"
#include "model/accounting.h"
#include "model/fragmentation.h"
#include "model/headline.h"
#include "model/mapkind.h"
#include "model/procs.h"
#include "model/procsched.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "proc/buddyinfo.h"
#include "proc/live.h"
#include "proc/meminfo.h"
#include "proc/pressure.h"
#include "proc/proctab.h"
#include "proc/slabinfo.h"
#include "proc/smaps.h"
#include "proc/vmallocinfo.h"
#include "proc/vmstat.h"
#include "tui/tui.h"
#include "xalloc.h"

/* Seconds between two reads of vmallocinfo for the header's accounting alone. */
#define STACK_EVERY 30.0
/* Seconds between two reads of the cgroup tree (every cgroup's files). */
#define CG_EVERY 5.0
/* MemAvailable samples kept for the sparkline (one per refresh). */
#define AVAIL_CAP 512
/*
 * The process view's reading policy is model/procsched.h's: the rows on
 * screen every refresh (the selected one first), the rest from a small
 * budget. The list of processes (libproc2: stat, status, cmdline of each) is
 * read again every PROC_LIST_EVERY_NS.
 */
#define PROC_LIST_EVERY_NS (5 * ML_PROCSCHED_NS_PER_S)

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

enum { OPT_VIEW = 1 };

extern const struct ml_cmd_entry cmd_top_entry;

/* The process side's sources (the list, a process's maps): opened on first need; once lost, why. */
struct opt_src {
	bool tried, ok;
	char *why;
	struct timespec read_at; /* of the last successful read */
	bool read;               /* read at least once */
};

struct top {
	struct ml_ctx *ctx;
	struct tui *tui;
	struct tui_frame frame;
	struct ml_sysinfo si;

	/* meminfo, pressure, vmstat, zoneinfo, buddyinfo, slabinfo, vmallocinfo. */
	struct ml_snapshot snap;
	uint64_t avail[AVAIL_CAP]; /* MemAvailable at each header refresh */
	unsigned int avail_start, avail_n;
	struct tui_activity act_now, act_delta; /* the frame's copies of the overview's activity */
	/*
	 * The overview's reclaim activity, sampled when it is refreshed: since
	 * boot the first time it is shown, then the change between its
	 * refreshes (vmstat itself is read every refresh, for the header).
	 */
	struct ml_activity ov_now, ov_delta;
	bool ov_sampled;
	struct timespec ov_at;
	double ov_seconds;
	struct tui_zone_prev *zprev; /* the frame's copy of the previous zones */
	uint32_t nzprev, zprev_cap;
	const struct ml_vm_group **vm_groups;
	size_t vm_cap, vm_n;
	uint32_t vm_ngroups; /* groups with areas, the unpurged left out */
	const struct ml_slab_row **sl_rows;
	uint32_t sl_cap, sl_n;

	/* Processes. */
	struct ml_proctab tab;
	struct opt_src pt_src;
	struct ml_proc **prows;
	size_t pcap, pn;
	struct tui_proc_change *pchg;
	struct ml_procsched sched;
	/* Each process's growth through its reads (the GROWTH column and sort key). */
	struct ml_proc_growth pgrowth;
	bool pgrowth_on;
	uint64_t listed_ns; /* when the processes were last listed */
	struct ml_proc_group *groups;
	long ngroups;
	struct ml_proc_sum ptotal;
	uint64_t listed, kthreads, zombies;
	uint64_t pt_now_ns;

	/* One process's maps. */
	struct ml_reader sm_r;
	struct opt_src sm_src;
	int sm_pid;
	struct ml_smaps smaps;
	struct ml_mapsum msum;
	const struct ml_mapfile **mfiles;
	long nmfiles;
	char mcomm[64], muser[64], *mcmdline;

	/* Cgroups. */
	char *cg_where; /* the snapshot's cgroups (ML_SNAP_CGROUPS): "cgroup v2 at ..." */
	const struct ml_cgroup **cg_rows;
	size_t cg_n, cg_cap;
	int *cg_pids; /* the members of the processes view's cgroup and below, sorted */
	size_t cg_npids, cg_pids_cap;

	unsigned long refreshes;
	struct timespec last_refresh;
};

static void
on_signal(int sig)
{
	(void)sig;
	ml_stop_requested = 1;
}

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Record why a source is lost; takes cause. EACCES gets the root hint. */
static void
src_lost(struct opt_src *s, char *cause, int err)
{
	s->ok = false;
	free(s->why);
	if ((err == EACCES || err == EPERM) && cause != NULL)
		s->why =
			ml_xasprintf("%s (%s)", cause,
				     geteuid() == 0 ? "refused even to root: a container's limits, "
						      "or capabilities memlens lacks"
						    : "run as root");
	else if (err == ENOENT && cause != NULL)
		s->why = ml_xasprintf("%s (this kernel or capture has none)", cause);
	else
		s->why = cause != NULL ? ml_xstrdup(cause) : ml_xstrdup(strerror(err));
	free(cause);
}

static const char *
src_why(const struct opt_src *s)
{
	return s->ok ? NULL : s->why;
}

/* ---------------------------------------------------------------- sources */

/* Copy the snapshot's vmstat activity into the frame's type. */
static void
copy_activity(struct tui_activity *to, const struct ml_activity *from)
{
	to->stall = from->stall;
	to->scan_kswapd = from->scan_kswapd;
	to->scan_direct = from->scan_direct;
	to->swapin = from->swapin;
	to->swapout = from->swapout;
	to->majfault = from->majfault;
	to->oom = from->oom;
	to->refault = from->refault;
	to->fault = from->fault;
}

/* The overview's activity from the vmstat just read: since boot, or its change. */
static void
sample_overview_activity(struct top *t)
{
	const struct ml_snap_source *vs = &t->snap.src[ML_SNAP_VMSTAT];
	struct ml_activity before = t->ov_now;
	bool had = t->ov_sampled;

	if (!ml_snapshot_has(&t->snap, ML_SNAP_VMSTAT))
		return;
	t->ov_now = t->snap.act;
	t->ov_seconds = had ? seconds_between(&t->ov_at, &vs->read_at) : 0;
	if (t->ov_seconds > 0)
		ml_activity_change(&t->ov_delta, &t->ov_now, &before);
	else
		memset(&t->ov_delta, 0, sizeof t->ov_delta);
	t->ov_at = vs->read_at;
	t->ov_sampled = true;
}

/*
 * The header: meminfo, pressure, vmstat (faults per second), zram and the
 * accounting (and vmallocinfo when due).
 */
static void
refresh_header(struct top *t, bool vmalloc_due)
{
	unsigned int want = ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_PRESSURE) |
			    ML_SNAP(ML_SNAP_VMSTAT) | ML_SNAP(ML_SNAP_ZRAM);
	const struct ml_headline *h;

	if (vmalloc_due)
		want |= ML_SNAP(ML_SNAP_VMALLOCINFO);
	/* meminfo failing is news in the header, not the end: the next refresh tries again. */
	ml_snapshot_refresh(&t->snap, want);
	h = ml_snapshot_headline(&t->snap);
	if (ml_snapshot_has(&t->snap, ML_SNAP_MEMINFO) && h != NULL && h->available.known) {
		unsigned int slot = (t->avail_start + t->avail_n) % AVAIL_CAP;

		t->avail[slot] = h->available.v;
		if (t->avail_n < AVAIL_CAP)
			t->avail_n++;
		else
			t->avail_start = (t->avail_start + 1) % AVAIL_CAP;
	}
}

static void refresh_procs(struct top *t, const struct tui_request *req, const struct timespec *now);
static void refresh_maps(struct top *t, int pid);
static void refresh_cgroups(struct top *t, const struct tui_request *req,
			    const struct timespec *now);

/*
 * One refresh: the header, and the sources of the view. When only_view, the
 * header is left as it is (paused, and a view was opened that never was read).
 */
static void
refresh(struct top *t, const struct tui_request *req, enum tui_view view, bool only_view)
{
	const struct ml_snap_source *vm = &t->snap.src[ML_SNAP_VMALLOCINFO];
	unsigned int kernel = 0;
	struct timespec now;
	bool vmalloc_due;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* vmallocinfo: for its view, else every STACK_EVERY seconds for the accounting. */
	vmalloc_due = view == TUI_VIEW_VMALLOC;
	if (vm->state != ML_SNAP_LOST &&
	    (!vm->read || seconds_between(&vm->read_at, &now) >= STACK_EVERY))
		vmalloc_due = true;
	if (!only_view) {
		refresh_header(t, vmalloc_due);
		t->refreshes++;
		t->last_refresh = now;
		t->si.time = time(NULL);
	} else if (view == TUI_VIEW_VMALLOC) {
		kernel |= ML_SNAP(ML_SNAP_VMALLOCINFO);
	}
	switch (view) {
	case TUI_VIEW_OVERVIEW:
		/* vmstat came with the header, unless the header was left as it is */
		kernel |= (only_view ? ML_SNAP(ML_SNAP_VMSTAT) : 0) | ML_SNAP(ML_SNAP_ZONEINFO) |
			  ML_SNAP(ML_SNAP_BUDDYINFO);
		break;
	case TUI_VIEW_SLAB:
		kernel |= ML_SNAP(ML_SNAP_SLABINFO);
		break;
	case TUI_VIEW_BUDDY:
		kernel |= ML_SNAP(ML_SNAP_BUDDYINFO);
		break;
	case TUI_VIEW_ZONES:
		kernel |= ML_SNAP(ML_SNAP_ZONEINFO);
		break;
	case TUI_VIEW_PROCS:
	case TUI_VIEW_VMALLOC:
	case TUI_VIEW_CGROUPS: /* read every CG_EVERY seconds: refresh_cgroups */
	case TUI_VIEW__COUNT:
		break;
	}
	if (kernel != 0)
		ml_snapshot_refresh(&t->snap, kernel);
	if (view == TUI_VIEW_OVERVIEW)
		sample_overview_activity(t);
	switch (view) {
	case TUI_VIEW_PROCS:
		if (req->maps_pid > 0) {
			refresh_maps(t, req->maps_pid);
		} else {
			refresh_procs(t, req, &now);
			if (req->cgroup[0] != '\0')
				refresh_cgroups(t, req, &now); /* who the members are now */
		}
		break;
	case TUI_VIEW_CGROUPS:
		refresh_cgroups(t, req, &now);
		break;
	default:
		break;
	}
}

/* Whether the view's sources were tried (read, or lost). */
static bool
tried(const struct top *t, enum ml_snap_src src)
{
	return t->snap.src[src].state != ML_SNAP_UNTRIED;
}

/* Whether the view's sources were ever read (or tried and lost). */
static bool
view_has_data(const struct top *t, enum tui_view view)
{
	switch (view) {
	case TUI_VIEW_OVERVIEW:
		/* the header reads vmstat, but the overview samples its activity itself */
		return (t->ov_sampled || t->snap.src[ML_SNAP_VMSTAT].state == ML_SNAP_LOST) &&
		       tried(t, ML_SNAP_ZONEINFO) && tried(t, ML_SNAP_BUDDYINFO);
	case TUI_VIEW_SLAB:
		return tried(t, ML_SNAP_SLABINFO);
	case TUI_VIEW_VMALLOC:
		return tried(t, ML_SNAP_VMALLOCINFO);
	case TUI_VIEW_BUDDY:
		return tried(t, ML_SNAP_BUDDYINFO);
	case TUI_VIEW_ZONES:
		return tried(t, ML_SNAP_ZONEINFO);
	case TUI_VIEW_PROCS:
		return t->pt_src.tried;
	case TUI_VIEW_CGROUPS:
		return tried(t, ML_SNAP_CGROUPS);
	case TUI_VIEW__COUNT:
		break;
	}
	return true;
}

/* ---------------------------------------------------------------- processes */

static uint64_t
mono_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

static void
grow(void **p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return;
	*cap = want + want / 2 + 16;
	*p = ml_xreallocarray(*p, *cap, size);
}

/* The scheduler's reads and clock: the process table and CLOCK_MONOTONIC. */
static void
sched_read(void *arg, struct ml_proc *p)
{
	struct top *t = arg;

	ml_proctab_read_mem(&t->tab, p);
}

static uint64_t
sched_now(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return mono_ns(&ts);
}

static uint64_t
sched_cpu(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return mono_ns(&ts);
}

static void
refresh_procs(struct top *t, const struct tui_request *req, const struct timespec *when)
{
	const struct ml_procsched_io io = {
		.read = sched_read, .now = sched_now, .cpu = sched_cpu, .arg = t
	};
	const struct ml_procsched_params pp = {
		.interval = req->interval,
		.selected_share = TUI_PROC_SELECTED_SHARE,
		.shown_share = TUI_PROC_SHOWN_SHARE,
		.rest_share = TUI_PROC_SHARE,
	};
	uint64_t now_ns = mono_ns(when);
	struct timespec a;
	char *cause = NULL;

	if (!t->pt_src.tried) {
		t->pt_src.tried = true;
		t->pt_src.ok = ml_proctab_init(&t->tab, &t->ctx->fs, ML_PIDS_AUTO, &cause) == 0;
		if (!t->pt_src.ok) {
			src_lost(&t->pt_src, cause, errno);
			return;
		}
	}
	if (!t->pt_src.ok)
		return;
	/* The list (cheap next to the reads, and not charged to them) now and then. */
	if (!t->pt_src.read || now_ns - t->listed_ns >= PROC_LIST_EVERY_NS) {
		if (ml_proctab_refresh(&t->tab, &cause) != 0) {
			src_lost(&t->pt_src, cause, errno);
			return;
		}
		t->listed_ns = now_ns;
	}
	if (ml_procsched_refresh(&t->sched, t->tab.rows, t->tab.n, req->visible,
				 req->nvisible < TUI_VISIBLE_MAX ? req->nvisible : TUI_VISIBLE_MAX,
				 req->selected_pid, &pp, &io) != 0) {
		src_lost(&t->pt_src, ml_xstrdup("out of memory"), ENOMEM);
		return;
	}
	/* Close the last smaps_rollup (read_mem_rows of nothing does just that). */
	ml_proctab_read_mem_rows(&t->tab, NULL, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	t->pt_now_ns = mono_ns(&a);
	t->pt_src.read_at = a;
	t->pt_src.read = true;
}

static bool
proc_matches(const struct ml_proc *p, const char *filter)
{
	return filter[0] == '\0' || strcasestr(p->comm, filter) != NULL ||
	       (p->cmdline != NULL && strcasestr(p->cmdline, filter) != NULL) ||
	       strcasestr(p->user, filter) != NULL;
}

static int
cmp_pid(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The PIDs of path's cgroup and its descendants, sorted, into t->cg_pids. */
static void
cgroup_members(struct top *t, const char *path)
{
	const struct ml_cgroup *c = ml_cgtree_find(&t->snap.cgroups, path);
	size_t i, j, start;

	t->cg_npids = 0;
	if (c == NULL)
		return;
	for (start = 0; start < t->snap.cgroups.n && t->snap.cgroups.v[start] != c; start++)
		;
	/* Pre-order: the descendants follow it, deeper than it. */
	for (i = start;
	     i < t->snap.cgroups.n && (i == start || t->snap.cgroups.v[i]->depth > c->depth); i++) {
		const struct ml_cgroup *d = t->snap.cgroups.v[i];

		grow((void **)&t->cg_pids, &t->cg_pids_cap, t->cg_npids + d->npids,
		     sizeof *t->cg_pids);
		for (j = 0; j < d->npids; j++)
			t->cg_pids[t->cg_npids++] = d->pids[j];
	}
	if (t->cg_npids > 1)
		qsort(t->cg_pids, t->cg_npids, sizeof *t->cg_pids, cmp_pid);
}

static void
derive_procs(struct top *t, const struct tui_request *req)
{
	const char *filter = req->filter[TUI_VIEW_PROCS];
	bool reverse = req->reverse[TUI_VIEW_PROCS];
	int k = req->sort[TUI_VIEW_PROCS];
	size_t i;

	if (!t->pt_src.ok || !t->pt_src.read)
		return;
	if (k < 0 || k >= ML_PS__COUNT)
		k = ML_PS_PSS;
	if (req->cgroup[0] != '\0')
		cgroup_members(t, req->cgroup);
	if (t->tab.n > t->pcap) {
		grow((void **)&t->prows, &t->pcap, t->tab.n, sizeof *t->prows);
		t->pchg = ml_xreallocarray(t->pchg, t->pcap, sizeof *t->pchg);
	}
	t->pn = 0;
	t->listed = t->kthreads = t->zombies = 0;
	memset(&t->ptotal, 0, sizeof t->ptotal);
	for (i = 0; i < t->tab.n; i++) {
		struct ml_proc *p = t->tab.rows[i];

		t->listed++;
		if (p->kthread) {
			t->kthreads++;
			continue;
		}
		if (p->mem == ML_MEM_NONE) {
			t->zombies++;
			continue;
		}
		if (p->mem == ML_MEM_GONE || !proc_matches(p, filter))
			continue;
		if (req->cgroup[0] != '\0' &&
		    (t->cg_npids == 0 || bsearch(&p->pid, t->cg_pids, t->cg_npids,
						 sizeof *t->cg_pids, cmp_pid) == NULL))
			continue;
		t->prows[t->pn++] = p;
		ml_proc_sum_add(&t->ptotal, p);
	}
	/* Every process, filtered out or not: a process only goes when it is gone. */
	if (!t->pgrowth_on) {
		ml_proc_growth_init(&t->pgrowth, ML_PM_PSS);
		t->pgrowth_on = true;
	}
	ml_proc_growth_sample(&t->pgrowth, t->tab.rows, t->tab.n, (int64_t)t->pt_now_ns);
	if (k == ML_PS_GROWTH)
		ml_procs_sort_growth(t->prows, t->pn, &t->pgrowth, reverse);
	else
		/* the fault keys sort by faults per second: what a dashboard is for */
		ml_procs_sort_ex(t->prows, t->pn, (enum ml_proc_sort)k, reverse, true);
	for (i = 0; i < t->pn; i++) {
		struct tui_proc_change *c = &t->pchg[i];
		int64_t d[ML_PROCSCHED_MEASURES];

		memset(c, 0, sizeof *c);
		c->known = ml_procsched_change(&t->sched, t->prows[i]->pid, d);
		c->pss = d[0];
		c->uss = d[1];
		c->rss = d[2];
		c->swap = d[3];
		c->has_growth = ml_proc_growth_of(&t->pgrowth, t->prows[i], &c->growth);
	}
	free(t->groups);
	t->groups = NULL;
	t->ngroups = 0;
	if (req->group[TUI_VIEW_PROCS] != 0) {
		t->ngroups =
			ml_procs_group(t->prows, t->pn,
				       req->group[TUI_VIEW_PROCS] == 1 ? ML_PG_USER : ML_PG_COMMAND,
				       (enum ml_proc_sort)k, reverse, &t->groups);
		if (t->ngroups < 0)
			t->ngroups = 0;
	}
}

/* A process's smaps cannot be read: why, in its own words. */
static void
maps_lost(struct top *t, char *cause, int err)
{
	if (err == ENOENT || err == ESRCH) {
		t->sm_src.ok = false;
		free(t->sm_src.why);
		t->sm_src.why = ml_xasprintf("%s (the process has exited, or the capture has "
					     "no smaps for it)",
					     cause != NULL ? cause : strerror(err));
		free(cause);
		return;
	}
	src_lost(&t->sm_src, cause, err);
}

/* Read PID/smaps into the kind and file sums. */
static void
refresh_maps(struct top *t, int pid)
{
	char rel[48], *cause = NULL;
	int rc;

	snprintf(rel, sizeof rel, "%d/smaps", pid);
	if (pid != t->sm_pid) {
		const struct ml_proc *p = t->pt_src.ok ? ml_proctab_find(&t->tab, pid) : NULL;

		t->sm_pid = pid;
		free(t->sm_src.why);
		t->sm_src.why = NULL;
		snprintf(t->mcomm, sizeof t->mcomm, "%s", p != NULL ? p->comm : "?");
		snprintf(t->muser, sizeof t->muser, "%s", p != NULL ? p->user : "?");
		free(t->mcmdline);
		t->mcmdline = ml_xstrdup(p != NULL && p->cmdline != NULL ? p->cmdline : "");
		rc = t->sm_r.buf == NULL
			     ? ml_reader_open(&t->sm_r, &t->ctx->fs, &ml_src_smaps, rel, &cause)
			     : ml_reader_reopen(&t->sm_r, rel, &cause);
		t->sm_src.ok = rc == 0;
		t->sm_src.read = false;
		if (rc != 0) {
			maps_lost(t, cause, errno);
			return;
		}
	}
	if (!t->sm_src.ok)
		return;
	ml_mapsum_begin(&t->msum);
	if (ml_reader_refresh(&t->sm_r, &t->smaps, &cause) != 0) {
		maps_lost(t, cause, errno);
		return;
	}
	t->sm_src.read = true;
	free(t->mfiles);
	t->mfiles = NULL;
	t->nmfiles = ml_mapsum_files(&t->msum, ML_MS_PSS, false, &t->mfiles);
	if (t->nmfiles < 0)
		t->nmfiles = 0;
}

/* ---------------------------------------------------------------- cgroups */

/*
 * Read the cgroup tree (every CG_EVERY seconds: a walk of every cgroup), and
 * the member processes that the process table has not read yet; the sums
 * are made again at each refresh from what the table holds.
 */
static void
refresh_cgroups(struct top *t, const struct tui_request *req, const struct timespec *now)
{
	const struct ml_snap_source *src = &t->snap.src[ML_SNAP_CGROUPS];
	char *cause = NULL;
	size_t i;

	if (!src->read || seconds_between(&src->read_at, now) >= CG_EVERY) {
		ml_snapshot_refresh(&t->snap, ML_SNAP(ML_SNAP_CGROUPS));
		if (!ml_snapshot_has(&t->snap, ML_SNAP_CGROUPS))
			return;
		if (t->cg_where == NULL)
			t->cg_where = ml_xasprintf("cgroup v%u at %s", t->snap.cg_hier.version,
						   t->snap.cg_hier.mount->mount_point);
		/* Members: every process once; later, the ones listed since. */
		if (!t->sched.all_read) {
			refresh_procs(t, req, now);
		} else if (t->pt_src.ok && ml_proctab_refresh(&t->tab, &cause) == 0) {
			for (i = 0; i < t->tab.n; i++)
				if (t->tab.rows[i]->mem == ML_MEM_UNREAD)
					ml_proctab_read_mem(&t->tab, t->tab.rows[i]);
			ml_proctab_read_mem_rows(&t->tab, NULL, 0, 0);
		} else {
			free(cause);
			cause = NULL;
		}
	}
	if (ml_snapshot_has(&t->snap, ML_SNAP_CGROUPS) && t->pt_src.ok && t->pt_src.read)
		ml_cgtree_sum_members(&t->snap.cgroups, &t->tab);
}

/* The rows of the view: the tree in pre-order with sorted children, or the filter's matches. */
static void
add_cg_rows(struct top *t, const struct ml_cgroup *c)
{
	size_t i;

	grow((void **)&t->cg_rows, &t->cg_cap, t->cg_n + 1, sizeof *t->cg_rows);
	t->cg_rows[t->cg_n++] = c;
	for (i = 0; i < c->nchild; i++)
		add_cg_rows(t, c->child[i]);
}

static void
derive_cgroups(struct top *t, const struct tui_request *req)
{
	const char *filter = req->filter[TUI_VIEW_CGROUPS];
	bool reverse = req->reverse[TUI_VIEW_CGROUPS];
	int k = req->sort[TUI_VIEW_CGROUPS];
	size_t i;

	t->cg_n = 0;
	if (!ml_snapshot_has(&t->snap, ML_SNAP_CGROUPS) || t->snap.cgroups.n == 0)
		return;
	if (k < 0 || k >= ML_CGSORT__COUNT)
		k = ML_CGSORT_CURRENT;
	ml_cgtree_sort(&t->snap.cgroups, (enum ml_cg_sort)k, reverse);
	if (filter[0] == '\0') {
		add_cg_rows(t, t->snap.cgroups.v[0]);
		return;
	}
	for (i = 0; i < t->snap.cgroups.n; i++) {
		if (strcasestr(t->snap.cgroups.v[i]->path, filter) == NULL)
			continue;
		grow((void **)&t->cg_rows, &t->cg_cap, t->cg_n + 1, sizeof *t->cg_rows);
		t->cg_rows[t->cg_n++] = t->snap.cgroups.v[i];
	}
	ml_cgroups_sort((struct ml_cgroup **)t->cg_rows, t->cg_n, (enum ml_cg_sort)k, reverse);
}

/* ---------------------------------------------------------------- deriving */

static bool
name_matches(const char *name, const char *filter)
{
	return filter[0] == '\0' || (name != NULL && strcasestr(name, filter) != NULL);
}

static void
derive_slab(struct top *t, const struct tui_request *req)
{
	const char *filter = req->filter[TUI_VIEW_SLAB];
	int k = req->sort[TUI_VIEW_SLAB];
	uint32_t i;

	struct ml_slab_view *v = &t->snap.slv;

	if (!ml_snapshot_has(&t->snap, ML_SNAP_SLABINFO))
		return;
	ml_slab_view_sort(
		v, k < 0 || k >= ML_SLAB_SORT__COUNT ? ML_SLAB_SORT_MEMORY : (enum ml_slab_sort)k,
		req->reverse[TUI_VIEW_SLAB]);
	if (v->n > t->sl_cap) {
		t->sl_rows = ml_xreallocarray(t->sl_rows, v->n, sizeof *t->sl_rows);
		t->sl_cap = v->n;
	}
	t->sl_n = 0;
	for (i = 0; i < v->n; i++)
		if (name_matches(v->rows[i].cache->name, filter))
			t->sl_rows[t->sl_n++] = &v->rows[i];
}

/* Growth first, then memory, then name: an idle machine lists its largest groups. */
static int
cmp_vm_growth(const void *a, const void *b)
{
	const struct ml_vm_group *x = *(const struct ml_vm_group *const *)a;
	const struct ml_vm_group *y = *(const struct ml_vm_group *const *)b;
	int64_t gx = ml_vm_group_growth_pages(x), gy = ml_vm_group_growth_pages(y);
	int c;

	if (gx != gy)
		return gx > gy ? -1 : 1;
	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	if (x->va_size != y->va_size)
		return x->va_size > y->va_size ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if (x->module != NULL && y->module != NULL)
		return strcmp(x->module, y->module);
	return 0;
}

static void
derive_vmalloc(struct top *t, const struct tui_request *req)
{
	const char *filter = req->filter[TUI_VIEW_VMALLOC];
	enum ml_vm_by by = (enum ml_vm_by)req->group[TUI_VIEW_VMALLOC];
	bool reverse = req->reverse[TUI_VIEW_VMALLOC];
	int k = req->sort[TUI_VIEW_VMALLOC];
	size_t cap, n, i, j;

	if (!ml_snapshot_has(&t->snap, ML_SNAP_VMALLOCINFO) || by >= ML_VM_BY__COUNT)
		return;
	cap = t->snap.vm.tab[by].n;
	if (cap > t->vm_cap) {
		t->vm_groups = ml_xreallocarray(t->vm_groups, cap, sizeof *t->vm_groups);
		t->vm_cap = cap;
	}
	if (k < 0 || k >= ML_VM_SORT__COUNT)
		k = ML_VM_SORT_BYTES;
	n = ml_vmalloc_sorted(&t->snap.vm, by, (enum ml_vm_sort)k, reverse, t->vm_groups, cap);
	if (k == ML_VM_SORT_GROWTH) {
		qsort(t->vm_groups, n, sizeof *t->vm_groups, cmp_vm_growth);
		if (reverse)
			for (i = 0, j = n; i + 1 < j--; i++) {
				const struct ml_vm_group *g = t->vm_groups[i];

				t->vm_groups[i] = t->vm_groups[j];
				t->vm_groups[j] = g;
			}
	}
	/* Unpurged areas are freed address space: left out, as the text report does. */
	t->vm_ngroups = 0;
	for (i = j = 0; i < n; i++) {
		if (t->vm_groups[i]->unpurged)
			continue;
		if (t->vm_groups[i]->areas > 0)
			t->vm_ngroups++;
		if (name_matches(t->vm_groups[i]->name, filter) ||
		    name_matches(t->vm_groups[i]->module, filter))
			t->vm_groups[j++] = t->vm_groups[i];
	}
	t->vm_n = j;
}

/* A kernel source for the frame: read, or why not. */
static struct tui_src
snap_src(const struct top *t, enum ml_snap_src src)
{
	struct tui_src v = { ml_snapshot_has(&t->snap, src), ml_snapshot_why(&t->snap, src) };

	return v;
}

/* The zones at the previous read of zoneinfo, for the change column; false when none. */
static bool
copy_zones_prev(struct top *t)
{
	const struct ml_watermarks *w = ml_snapshot_watermarks_prev(&t->snap);
	uint32_t i;

	if (w == NULL)
		return false;
	if (w->nzones > t->zprev_cap) {
		t->zprev = ml_xreallocarray(t->zprev, w->nzones, sizeof *t->zprev);
		t->zprev_cap = w->nzones;
	}
	for (i = 0; i < w->nzones; i++) {
		t->zprev[i].node = w->zones[i].node;
		snprintf(t->zprev[i].name, sizeof t->zprev[i].name, "%s",
			 w->zones[i].name != NULL ? w->zones[i].name : "");
		t->zprev[i].known = w->zones[i].free.known;
		t->zprev[i].free_pages = w->zones[i].free.pages;
	}
	t->nzprev = w->nzones;
	return true;
}

/* Fill the frame for the view from what was read. */
static void
fill_frame(struct top *t, const struct tui_request *req)
{
	struct tui_frame *f = &t->frame;
	struct tui_header *h = &f->header;

	f->units = &t->ctx->text.units;
	f->refreshes = t->refreshes;
	h->host = t->si.hostname;
	h->kernel = t->si.kernel_release;
	h->proc_root = t->ctx->proc_root;
	h->time = t->si.time;
	h->mem = snap_src(t, ML_SNAP_MEMINFO);
	/* The header says what failed as it failed, without a hint. */
	h->mem.why = h->mem.ok ? NULL : t->snap.src[ML_SNAP_MEMINFO].cause;
	h->acct = h->mem.ok ? ml_snapshot_accounting(&t->snap) : NULL;
	h->head = h->mem.ok ? ml_snapshot_headline(&t->snap) : NULL;
	h->avail = t->avail;
	h->avail_cap = AVAIL_CAP;
	h->avail_start = t->avail_start;
	h->avail_n = t->avail_n;
	h->psi = snap_src(t, ML_SNAP_PRESSURE);
	h->pressure = &t->snap.psi;
	/* faults per second between the last two reads of vmstat */
	h->faults_known = ml_snapshot_has(&t->snap, ML_SNAP_VMSTAT) &&
			  t->snap.act_delta.fault_known && t->snap.act_seconds > 0;
	if (h->faults_known) {
		const struct ml_activity *d = &t->snap.act_delta;

		h->minor_per_s = (double)(d->fault >= d->majfault ? d->fault - d->majfault : 0) /
				 t->snap.act_seconds;
		h->major_per_s = (double)d->majfault / t->snap.act_seconds;
	}

	switch (req->view) {
	case TUI_VIEW_OVERVIEW: {
		struct tui_overview *o = &f->overview;

		o->prev_acct = ml_snapshot_accounting_prev(&t->snap);
		o->prev_head = ml_snapshot_headline_prev(&t->snap);
		o->vmstat = snap_src(t, ML_SNAP_VMSTAT);
		o->act_known = t->ov_now.known;
		copy_activity(&t->act_now, &t->ov_now);
		copy_activity(&t->act_delta, &t->ov_delta);
		o->since_boot = t->act_now;
		o->delta = t->act_delta;
		o->seconds = t->ov_seconds;
		o->zones = snap_src(t, ML_SNAP_ZONEINFO);
		o->wm = ml_snapshot_watermarks(&t->snap);
		o->buddy = snap_src(t, ML_SNAP_BUDDYINFO);
		o->frag = ml_snapshot_frag(&t->snap);
		o->stack_measured = t->snap.stack_known;
		break;
	}
	case TUI_VIEW_PROCS: {
		struct tui_procs *p = &f->procs;

		derive_procs(t, req);
		p->src.ok = t->pt_src.ok && t->pt_src.read;
		p->src.why = src_why(&t->pt_src);
		p->rows = t->prows;
		p->change = t->pchg;
		p->n = t->pn;
		p->groups = req->group[TUI_VIEW_PROCS] != 0 ? t->groups : NULL;
		p->ngroups = req->group[TUI_VIEW_PROCS] != 0 ? (size_t)t->ngroups : 0;
		p->total = t->ptotal;
		p->listed = t->listed;
		p->kthreads = t->kthreads;
		p->zombies = t->zombies;
		p->now_ns = t->pt_now_ns;
		p->interval = req->interval;
		p->denied_hint = geteuid() == 0 ? "even to root: ptrace refused"
						: "run as root for other users'";
		p->maps_pid = req->maps_pid;
		p->maps_src.ok = t->sm_src.ok && t->sm_src.read && t->sm_pid == req->maps_pid;
		p->maps_src.why = t->sm_pid == req->maps_pid ? src_why(&t->sm_src) : NULL;
		p->maps_comm = t->mcomm;
		p->maps_user = t->muser;
		p->maps_cmdline = t->mcmdline != NULL ? t->mcmdline : "";
		p->sum = &t->msum;
		p->files = t->mfiles;
		p->nfiles = (size_t)t->nmfiles;
		break;
	}
	case TUI_VIEW_SLAB:
		derive_slab(t, req);
		f->slab.src = snap_src(t, ML_SNAP_SLABINFO);
		f->slab.view = &t->snap.slv;
		f->slab.rows = t->sl_rows;
		f->slab.n = t->sl_n;
		f->slab.seconds = t->snap.src[ML_SNAP_SLABINFO].seconds;
		f->slab.reclaim_why = t->snap.slab_open ? NULL : t->snap.reclaim_why;
		break;
	case TUI_VIEW_VMALLOC:
		derive_vmalloc(t, req);
		f->vmalloc.src = snap_src(t, ML_SNAP_VMALLOCINFO);
		f->vmalloc.vm = &t->snap.vm;
		f->vmalloc.groups = t->vm_groups;
		f->vmalloc.n = t->vm_n;
		f->vmalloc.ngroups = t->vm_ngroups;
		f->vmalloc.seconds = ml_vmalloc_has_prev(&t->snap.vm)
					     ? t->snap.src[ML_SNAP_VMALLOCINFO].seconds
					     : 0;
		break;
	case TUI_VIEW_BUDDY:
		f->buddy.src = snap_src(t, ML_SNAP_BUDDYINFO);
		f->buddy.cur = ml_snapshot_frag(&t->snap);
		f->buddy.prev = ml_snapshot_frag_prev(&t->snap);
		break;
	case TUI_VIEW_ZONES: {
		bool prev = copy_zones_prev(t);

		f->zones.src = snap_src(t, ML_SNAP_ZONEINFO);
		f->zones.wm = ml_snapshot_watermarks(&t->snap);
		f->zones.prev = prev ? t->zprev : NULL;
		f->zones.nprev = prev ? t->nzprev : 0;
		break;
	}
	case TUI_VIEW_CGROUPS: {
		struct tui_cgroups *c = &f->cgroups;
		struct timespec now;

		derive_cgroups(t, req);
		clock_gettime(CLOCK_MONOTONIC, &now);
		c->src = snap_src(t, ML_SNAP_CGROUPS);
		c->where = t->cg_where;
		c->age = c->src.ok ? seconds_between(&t->snap.src[ML_SNAP_CGROUPS].read_at, &now)
				   : 0;
		c->tree = c->src.ok ? &t->snap.cgroups : NULL;
		c->rows = t->cg_rows;
		c->n = t->cg_n;
		c->flat = req->filter[TUI_VIEW_CGROUPS][0] != '\0';
		c->sums_why = t->pt_src.ok && t->pt_src.read ? NULL : src_why(&t->pt_src);
		break;
	}
	case TUI_VIEW__COUNT:
		break;
	}
}

/* ---------------------------------------------------------------- the loop */

static void
timespec_add(struct timespec *ts, double seconds)
{
	long long ns = (long long)(seconds * 1e9);

	ts->tv_sec += (time_t)(ns / 1000000000LL);
	ts->tv_nsec += (long)(ns % 1000000000LL);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static int
run(struct top *t)
{
	const struct tui_request *req = tui_request(t->tui);
	enum tui_view shown;
	int shown_maps;
	struct timespec deadline;
	enum tui_event ev;

	refresh(t, req, req->view, false);
	for (;;) {
		shown = req->view;
		shown_maps = req->maps_pid;
		fill_frame(t, req);
		tui_draw(t->tui, &t->frame);
		deadline = t->last_refresh;
		timespec_add(&deadline, req->interval);
		ev = tui_wait(t->tui, req->paused ? NULL : &deadline);
		if (ev == TUI_EV_QUIT)
			return 0;
		if (ev == TUI_EV_TICK) {
			/* -n N: N refreshes, the last one shown for one interval. */
			if (t->ctx->count > 0 && t->refreshes >= (unsigned long)t->ctx->count)
				return 0;
			refresh(t, req, req->view, false);
			continue;
		}
		/* TUI_EV_CHANGE: a new view (or maps) is read now; otherwise derive again. */
		if (req->view != shown || req->maps_pid != shown_maps) {
			if (!req->paused)
				refresh(t, req, req->view, false);
			else if (!view_has_data(t, req->view) || req->maps_pid > 0)
				refresh(t, req, req->view, true);
		}
	}
}

static void
top_release(struct top *t)
{
	ml_snapshot_release(&t->snap);
	free(t->sl_rows);
	free(t->vm_groups);
	free(t->zprev);
	if (t->pt_src.tried)
		ml_proctab_release(&t->tab);
	free(t->pt_src.why);
	free(t->prows);
	free(t->pchg);
	ml_procsched_release(&t->sched);
	if (t->pgrowth_on)
		ml_proc_growth_release(&t->pgrowth);
	free(t->groups);
	ml_reader_release(&t->sm_r);
	free(t->sm_src.why);
	ml_smaps_release(&t->smaps);
	ml_mapsum_release(&t->msum);
	free(t->mfiles);
	free(t->mcmdline);
	free(t->cg_where);
	free(t->cg_rows);
	free(t->cg_pids);
	free(t);
}

static int
cmd_top_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct tui_options opt = { .view = TUI_VIEW_OVERVIEW, .interval = 1.0 };
	struct ml_snap_options opt_snap = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.retry = ML_SNAP(ML_SNAP_MEMINFO),
		.hints = { .denied = geteuid() == 0 ? "refused even to root: a container's limits, "
						      "or capabilities memlens lacks"
						    : "run as root",
			   .missing = "this kernel or capture has none" },
	};
	struct sigaction sa;
	struct top *t;
	char *cause = NULL;
	int i, rc, v;

	for (i = 0; i < args->nopts; i++) {
		if (args->opts[i].id != OPT_VIEW)
			continue;
		v = tui_view_lookup(args->opts[i].arg);
		if (v < 0) {
			/* the names from the tui's own table: "overview, ..., zones or cgroups" */
			char names[256] = "";
			size_t len = 0;

			for (int k = 0; k < TUI_VIEW__COUNT; k++)
				len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
							k == 0                     ? ""
							: k == TUI_VIEW__COUNT - 1 ? " or "
										   : ", ",
							tui_view_name((enum tui_view)k));
			return cmd_usage_error(&cmd_top_entry, "unknown view '%s' (%s)",
					       args->opts[i].arg, names);
		}
		opt.view = (enum tui_view)v;
	}
	if (ctx->interval > 0) {
		if (ctx->interval < 0.1)
			return cmd_usage_error(&cmd_top_entry,
					       "top refreshes at most ten times a second (-i 0.1)");
		opt.interval = ctx->interval;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		cmd_error("top is a live dashboard and needs a terminal, but standard %s is not "
			  "one",
			  !isatty(STDOUT_FILENO) ? "output" : "input");
		fprintf(stderr, "For reports in a pipe or a file use 'memlens -i SEC -n N' (text) "
				"or 'memlens --json -n N' (JSON Lines).\n");
		return 2;
	}

	t = ml_xcalloc(1, sizeof *t);
	t->ctx = ctx;
	t->sm_r.fd = -1;
	ml_procsched_init(&t->sched);
	ml_smaps_init(&t->smaps, ml_mapsum_on_record, &t->msum);
	ml_mapsum_init(&t->msum);
	ml_snapshot_init(&t->snap, &ctx->fs, &ctx->sysfs, &opt_snap);
	ml_vmalloc_set_top(&t->snap.vm, 0);
	ml_sysinfo_read(&t->si, &ctx->fs);

	/* meminfo is the one source top cannot start without. */
	if (ml_snapshot_open(&t->snap, ML_SNAP(ML_SNAP_MEMINFO)) != 0) {
		cmd_snap_error(ctx, &t->snap, ML_SNAP_MEMINFO, NULL);
		top_release(t);
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	opt.color = ctx->color_mode == ML_COLOR_ALWAYS ||
		    (ctx->color_mode == ML_COLOR_AUTO && ctx->text.color);
	opt.utf8 = ctx->text.utf8;
	opt.stop = &ml_stop_requested;
	t->tui = tui_open(&opt, &cause);
	if (t->tui == NULL) {
		cmd_error("%s", cause);
		free(cause);
		top_release(t);
		return 1;
	}
	rc = run(t);
	tui_close(t->tui);
	top_release(t);
	return rc;
}

static const struct ml_cmd_option top_options[] = {
	{ "view", 0, "NAME",
	  "the view to start with: overview (default), processes, slab, vmalloc, "
	  "buddy, zones or cgroups",
	  OPT_VIEW },
	{ NULL, 0, NULL, NULL, 0 },
};

const struct ml_cmd_entry cmd_top_entry = {
	.name = "top",
	.summary = "the live dashboard: MemTotal's parts, pressure, slab, vmalloc, buddy, zones, "
		   "cgroups",
	.help = "A full-screen view that refreshes every second (-i SEC): a header with\n"
		"MemTotal split by the accounting, swap, MemAvailable and its history, and\n"
		"memory pressure (PSI), over one of seven views, switched with 1 to 7 and Tab:\n"
		"overview (the summary, live, with the change since the last refresh),\n"
		"processes, slab caches and vmalloc callers with their growth per second,\n"
		"the buddy allocator's free blocks per order as a heat map with the\n"
		"fragmentation index, the zones' free memory against their watermarks, and\n"
		"the cgroups of the memory controller with the PSS of their processes\n"
		"(Enter: a cgroup's processes; Enter again: a process's maps).\n"
		"Keys: q quit, h help, space pause, + and - the interval, s sort, r reverse,\n"
		"/ filter, g group, d values or changes. -n N exits after N refreshes.\n"
		"Needs a terminal; for a pipe or a file use 'memlens -n N' or '--json'.",
	.max_args = 0,
	.options = top_options,
	.flags = ML_CMD_REPEAT | ML_CMD_NO_JSON,
	.exec = cmd_top_exec,
};
