/*
 * memlens top: the live dashboard. This file is its data side: it owns the
 * readers and the model, refreshes only what the header and the visible view
 * need, and hands the screen (src/tui, the only user of curses) a frame of
 * borrowed model structs. See tui.h for the division of labour.
 *
 * What each refresh reads:
 *   always          meminfo (the header's bar, swap, MemAvailable), pressure/memory
 *   overview        vmstat (reclaim), zoneinfo (zone health), buddyinfo (largest block)
 *   slab            slabinfo (and, once per cache, its sysfs reclaim_account)
 *   vmalloc         vmallocinfo
 *   buddy           buddyinfo
 *   zones           zoneinfo
 *   processes       the process list (libproc2) every 5 s, smaps_rollup of the
 *                   processes on screen within a time budget, then of new and
 *                   very stale ones (see PROC_* below)
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
 * The process view's reading policy (DESIGN: PSS costs a page-table walk per
 * process, from 30 us to tens of ms; htop reads no PSS at all):
 *  - the list of processes (libproc2: stat, status, cmdline of each) is read
 *    again every PROC_LIST_EVERY_NS, and on the view's first refresh, when
 *    every process is read and what each read costs is noted;
 *  - smaps_rollup reads spend from a bucket that fills at the request's budget
 *    per interval (TUI_PROC_SHARE of a core), up to PROC_TOKENS_CAP_NS: the rows on
 *    screen first, oldest figures first, then new processes and off-screen
 *    rows older than PROC_STALE_NS;
 *  - a row whose last read cost more than the bucket holds waits, unless its
 *    figures are older than PROC_MAX_LAG_NS: then it is read anyway and the
 *    bucket goes into debt (paid back before anything else is read).
 * Every row shows the age of its figures when they lag.
 */
#define NS_PER_S 1000000000ULL
#define PROC_LIST_EVERY_NS (5 * NS_PER_S)
#define PROC_STALE_NS (60 * NS_PER_S)
#define PROC_MAX_LAG_NS (60 * NS_PER_S)
#define PROC_TOKENS_CAP_NS (50ULL * 1000000ULL)

/* The measures the process view shows, and a process's last two reads of them. */
static const enum ml_pm proc_measures[4] = { ML_PM_PSS, ML_PM_USS, ML_PM_RSS, ML_PM_SWAP };

struct proc_memo {
	int pid;
	uint64_t read_ns; /* the row's mem_ns when cur was taken */
	uint64_t cost_ns; /* what its last read of smaps_rollup took */
	bool has_cur, has_prev;
	uint64_t cur[4], prev[4];
	uint8_t cur_known, prev_known; /* bit per proc_measures entry */
};

struct read_cost {
	int pid;
	uint64_t ns;
};

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

enum { OPT_VIEW = 1 };

extern const struct ml_cmd_entry cmd_top_entry;

/* An optional source: opened on first need; once it fails, why. */
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
	struct cmd_page_size ps;
	bool live;

	/* The header. */
	struct ml_reader mi_r;
	struct ml_meminfo mi;
	bool mem_valid; /* acct[cur] and head[cur] hold a computed refresh */
	char *mem_why;  /* why the last refresh of meminfo failed, or NULL */
	struct ml_accounting acct[2];
	struct ml_headline head[2];
	int cur;        /* acct[cur], head[cur] are the last refresh's */
	bool have_prev; /* and acct[!cur] the one before */
	uint64_t avail[AVAIL_CAP];
	unsigned int avail_start, avail_n;
	struct ml_reader psi_r;
	struct ml_pressure psi;
	struct opt_src psi_src;

	/* vmallocinfo: the vmalloc view and the kernel-stack overlap. */
	struct ml_reader vm_r;
	struct ml_vmalloc vm;
	struct opt_src vm_src;
	double vm_seconds; /* between its last two reads */
	bool stack_known;
	uint64_t stack_overlap;
	const struct ml_vm_group **vm_groups;
	size_t vm_cap, vm_n;

	/* The overview's extras. */
	struct ml_reader vs_r;
	struct ml_vmstat vs;
	struct opt_src vs_src;
	bool act_known, act_have_prev;
	struct tui_activity act_now, act_prev, act_delta;
	double act_seconds;

	/* zoneinfo. */
	struct cmd_zones_src zs;
	struct opt_src zs_src;
	struct tui_zone_prev *zprev;
	uint32_t nzprev, zprev_cap;
	bool zprev_valid;

	/* buddyinfo. */
	struct ml_reader bi_r;
	struct ml_buddyinfo bi;
	struct opt_src bi_src;
	struct ml_frag frag[2];
	int fcur;
	bool frag_prev;

	/* slabinfo. */
	struct ml_reader sl_r;
	struct ml_slabinfo sl;
	struct ml_slab_view slv;
	struct opt_src sl_src;
	double sl_seconds;
	int slab_dirfd;
	char *reclaim_why;
	const struct ml_slab_row **sl_rows;
	uint32_t sl_cap, sl_n;

	/* Processes. */
	struct ml_proctab tab;
	struct opt_src pt_src;
	bool pt_all_read;
	struct ml_proc **prows, **pread;
	size_t pcap, pn, pread_cap;
	struct tui_proc_change *pchg;
	struct proc_memo *memo, *memo_next;
	size_t nmemo, memo_cap;
	struct read_cost *costs; /* the reads of this refresh */
	size_t ncosts, costs_cap;
	int64_t tokens_ns;  /* the bucket of the per-process reads */
	uint64_t filled_ns; /* when it was last filled */
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
	struct opt_src cg_src;
	struct ml_cgmounts cg_mounts;
	struct ml_cghier cg_hier;
	struct ml_cgtree cg_tree;
	char *cg_where;
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

/* Open src's reader on first need; false when it is not there. */
static bool
src_open(struct top *t, struct opt_src *s, struct ml_reader *r, const struct ml_source *src)
{
	char *cause = NULL;

	if (s->tried)
		return s->ok;
	s->tried = true;
	s->ok = ml_reader_open(r, &t->ctx->fs, src, NULL, &cause) == 0;
	if (!s->ok)
		src_lost(s, cause, errno);
	return s->ok;
}

/* Read an open source into out; false (and the source lost) on failure. */
static bool
src_read(struct top *t, struct opt_src *s, struct ml_reader *r, void *out,
	 const struct timespec *now)
{
	char *cause = NULL;

	(void)t;
	if (!s->ok)
		return false;
	if (ml_reader_refresh(r, out, &cause) != 0) {
		src_lost(s, cause, errno);
		return false;
	}
	s->read_at = *now;
	s->read = true;
	return true;
}

static const char *
src_why(const struct opt_src *s)
{
	return s->ok ? NULL : s->why;
}

/* ---------------------------------------------------------------- sources */

static void
read_activity(struct tui_activity *a, bool *known, const struct ml_vmstat *vs)
{
	*known = ml_vmstat_has(vs, ML_VS_PGSCAN_KSWAPD) || ml_vmstat_has(vs, ML_VS_PSWPIN);
	a->stall = ml_vmstat_get(vs, ML_VS_ALLOCSTALL_NORMAL) +
		   ml_vmstat_get(vs, ML_VS_ALLOCSTALL_MOVABLE) +
		   ml_vmstat_get(vs, ML_VS_ALLOCSTALL_DMA32);
	a->scan_kswapd = ml_vmstat_get(vs, ML_VS_PGSCAN_KSWAPD);
	a->scan_direct = ml_vmstat_get(vs, ML_VS_PGSCAN_DIRECT);
	a->swapin = ml_vmstat_get(vs, ML_VS_PSWPIN);
	a->swapout = ml_vmstat_get(vs, ML_VS_PSWPOUT);
	a->majfault = ml_vmstat_get(vs, ML_VS_PGMAJFAULT);
	a->oom = ml_vmstat_get(vs, ML_VS_OOM_KILL);
	a->refault = ml_vmstat_get(vs, ML_VS_WORKINGSET_REFAULT_FILE) +
		     ml_vmstat_get(vs, ML_VS_WORKINGSET_REFAULT_ANON);
}

static uint64_t
delta(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : 0;
}

static void
refresh_vmstat(struct top *t, const struct timespec *now)
{
	struct timespec before = t->vs_src.read_at;
	bool had = t->vs_src.read;

	if (!src_open(t, &t->vs_src, &t->vs_r, &ml_src_vmstat) ||
	    !src_read(t, &t->vs_src, &t->vs_r, &t->vs, now))
		return;
	t->act_prev = t->act_now;
	read_activity(&t->act_now, &t->act_known, &t->vs);
	t->act_have_prev = had;
	t->act_seconds = had ? seconds_between(&before, now) : 0;
	if (had) {
		t->act_delta.stall = delta(t->act_now.stall, t->act_prev.stall);
		t->act_delta.scan_kswapd = delta(t->act_now.scan_kswapd, t->act_prev.scan_kswapd);
		t->act_delta.scan_direct = delta(t->act_now.scan_direct, t->act_prev.scan_direct);
		t->act_delta.swapin = delta(t->act_now.swapin, t->act_prev.swapin);
		t->act_delta.swapout = delta(t->act_now.swapout, t->act_prev.swapout);
		t->act_delta.majfault = delta(t->act_now.majfault, t->act_prev.majfault);
		t->act_delta.oom = delta(t->act_now.oom, t->act_prev.oom);
		t->act_delta.refault = delta(t->act_now.refault, t->act_prev.refault);
	}
}

static void
refresh_zones(struct top *t, const struct timespec *now)
{
	const struct ml_watermarks *w = &t->zs.wm;
	char *cause = NULL;
	uint32_t i;

	if (!t->zs_src.tried) {
		t->zs_src.tried = true;
		t->zs_src.ok = cmd_zones_src_open(t->ctx, &t->zs, &cause) == 0;
		if (!t->zs_src.ok) {
			src_lost(&t->zs_src, cause, errno);
			return;
		}
	}
	if (!t->zs_src.ok)
		return;
	/* Keep the free pages of the last read, for the change column. */
	t->zprev_valid = t->zs_src.read;
	if (t->zs_src.read) {
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
	}
	if (cmd_zones_src_refresh(t->ctx, &t->zs, &cause) != 0) {
		src_lost(&t->zs_src, cause, errno);
		return;
	}
	t->zs_src.read_at = *now;
	t->zs_src.read = true;
}

static void
refresh_buddy(struct top *t, const struct timespec *now)
{
	char *cause = NULL;
	int next;

	if (!src_open(t, &t->bi_src, &t->bi_r, &ml_src_buddyinfo))
		return;
	if (!src_read(t, &t->bi_src, &t->bi_r, &t->bi, now))
		return;
	/* Two fragmentation models, swapped: the previous read stays for the changes. */
	next = t->bi_src.read && t->frag[t->fcur].nzones > 0 ? !t->fcur : t->fcur;
	if (ml_frag_compute(&t->frag[next], &t->bi, t->ps.bytes, &cause) != 0) {
		src_lost(&t->bi_src, cause, errno);
		return;
	}
	t->frag_prev = next != t->fcur;
	t->fcur = next;
}

static void
open_slab_sysfs(struct top *t)
{
	struct statfs st;
	bool sys_live = statfs(t->ctx->sys_root, &st) == 0 && (long)st.f_type == SYSFS_MAGIC;
	char *cause = NULL;

	if (!t->live && sys_live) {
		t->reclaim_why = ml_xasprintf("%s is this machine's sysfs, not the capture's",
					      t->ctx->sys_root);
		return;
	}
	t->slab_dirfd = ml_slab_sysfs_open(t->ctx->sys_root, &cause);
	if (t->slab_dirfd < 0)
		t->reclaim_why = cause != NULL ? cause : ml_xstrdup(strerror(errno));
	else
		free(cause);
}

static void
refresh_slab(struct top *t, const struct timespec *now)
{
	struct timespec before = t->sl_src.read_at;
	bool had = t->sl_src.read;

	if (!t->sl_src.tried)
		open_slab_sysfs(t);
	if (!src_open(t, &t->sl_src, &t->sl_r, &ml_src_slabinfo) ||
	    !src_read(t, &t->sl_src, &t->sl_r, &t->sl, now))
		return;
	ml_slabinfo_read_reclaim(&t->sl, t->slab_dirfd);
	t->sl_seconds = had ? seconds_between(&before, now) : 0;
	if (ml_slab_view_compute(&t->slv, &t->sl, t->ps.bytes, t->sl_seconds) != 0)
		src_lost(&t->sl_src, ml_xstrdup("out of memory"), ENOMEM);
}

static void
refresh_vmalloc(struct top *t, const struct timespec *now)
{
	struct timespec before = t->vm_src.read_at;
	bool had = t->vm_src.read;

	if (!src_open(t, &t->vm_src, &t->vm_r, &ml_src_vmallocinfo) ||
	    !src_read(t, &t->vm_src, &t->vm_r, &t->vm.info, now)) {
		t->stack_known = false;
		return;
	}
	t->vm_seconds = had ? seconds_between(&before, now) : 0;
	t->stack_known = ml_vmalloc_stack_overlap(&t->vm, &t->mi, &t->stack_overlap);
}

/* The header: meminfo, pressure, and the accounting. */
static void
refresh_header(struct top *t, const struct timespec *now, bool vmalloc_due)
{
	char *cause = NULL;
	uint64_t min_free_kb, *min_free = NULL;
	int next = t->mem_valid ? !t->cur : t->cur;

	/* meminfo failing is news in the header, not the end: the next refresh tries again. */
	free(t->mem_why);
	t->mem_why = NULL;
	if (ml_reader_refresh(&t->mi_r, &t->mi, &cause) != 0) {
		t->mem_why = cause != NULL ? cause : ml_xstrdup(strerror(errno));
		return;
	}
	if (src_open(t, &t->psi_src, &t->psi_r, &ml_src_pressure_memory))
		src_read(t, &t->psi_src, &t->psi_r, &t->psi, now);
	if (vmalloc_due)
		refresh_vmalloc(t, now);
	else if (t->vm_src.read)
		t->stack_known = ml_vmalloc_stack_overlap(&t->vm, &t->mi, &t->stack_overlap);
	if (!ml_meminfo_has(&t->mi, ML_MI_MEM_AVAILABLE) &&
	    ml_procfs_read_u64(&t->ctx->fs, "sys/vm/min_free_kbytes", &min_free_kb, NULL) == 0)
		min_free = &min_free_kb;
	if (ml_accounting_compute(&t->acct[next], &t->mi, t->stack_known ? &t->stack_overlap : NULL,
				  &cause) != 0 ||
	    ml_headline_compute(&t->head[next], &t->mi, min_free, &cause) != 0) {
		char *path = ml_procfs_path(&t->ctx->fs, "meminfo");

		t->mem_why = ml_xasprintf("%s: %s", path != NULL ? path : "meminfo", cause);
		free(path);
		free(cause);
		return;
	}
	t->have_prev = t->mem_valid && next != t->cur;
	t->mem_valid = true;
	t->cur = next;
	if (t->head[next].available.known) {
		unsigned int slot = (t->avail_start + t->avail_n) % AVAIL_CAP;

		t->avail[slot] = t->head[next].available.v;
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
	struct timespec now;
	bool vmalloc_due;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* vmallocinfo: for its view, else every STACK_EVERY seconds for the accounting. */
	vmalloc_due = view == TUI_VIEW_VMALLOC;
	if ((t->vm_src.ok || !t->vm_src.tried) &&
	    (!t->vm_src.read || seconds_between(&t->vm_src.read_at, &now) >= STACK_EVERY))
		vmalloc_due = true;
	if (!only_view) {
		refresh_header(t, &now, vmalloc_due);
		t->refreshes++;
		t->last_refresh = now;
		t->si.time = time(NULL);
	} else if (view == TUI_VIEW_VMALLOC) {
		refresh_vmalloc(t, &now);
	}
	switch (view) {
	case TUI_VIEW_OVERVIEW:
		refresh_vmstat(t, &now);
		refresh_zones(t, &now);
		refresh_buddy(t, &now);
		break;
	case TUI_VIEW_SLAB:
		refresh_slab(t, &now);
		break;
	case TUI_VIEW_BUDDY:
		refresh_buddy(t, &now);
		break;
	case TUI_VIEW_ZONES:
		refresh_zones(t, &now);
		break;
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
	case TUI_VIEW_VMALLOC:
	case TUI_VIEW__COUNT:
		break;
	}
}

/* Whether the view's sources were ever read (or tried and lost). */
static bool
view_has_data(const struct top *t, enum tui_view view)
{
	switch (view) {
	case TUI_VIEW_OVERVIEW:
		return (t->vs_src.read || t->vs_src.tried) && (t->zs_src.read || t->zs_src.tried) &&
		       (t->bi_src.read || t->bi_src.tried);
	case TUI_VIEW_SLAB:
		return t->sl_src.tried;
	case TUI_VIEW_VMALLOC:
		return t->vm_src.tried;
	case TUI_VIEW_BUDDY:
		return t->bi_src.tried;
	case TUI_VIEW_ZONES:
		return t->zs_src.tried;
	case TUI_VIEW_PROCS:
		return t->pt_src.tried;
	case TUI_VIEW_CGROUPS:
		return t->cg_src.tried;
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

/* Unread rows first, then the oldest reads. */
static int
cmp_staleness(const void *a, const void *b)
{
	const struct ml_proc *x = *(struct ml_proc *const *)a, *y = *(struct ml_proc *const *)b;
	bool ux = x->mem == ML_MEM_UNREAD, uy = y->mem == ML_MEM_UNREAD;

	if (ux != uy)
		return ux ? -1 : 1;
	if (x->mem_ns != y->mem_ns)
		return x->mem_ns < y->mem_ns ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Keep each process's last two reads, by PID (rows and memo are both in PID order). */
static void
update_memo(struct top *t)
{
	size_t i, j = 0, n = 0, m;
	struct proc_memo *tmp;

	if (t->tab.n > t->memo_cap) {
		size_t cap = t->tab.n + t->tab.n / 2 + 16;

		t->memo = ml_xreallocarray(t->memo, cap, sizeof *t->memo);
		t->memo_next = ml_xreallocarray(t->memo_next, cap, sizeof *t->memo_next);
		t->memo_cap = cap;
	}
	for (i = 0; i < t->tab.n; i++) {
		const struct ml_proc *p = t->tab.rows[i];
		struct proc_memo *e = &t->memo_next[n++];

		while (j < t->nmemo && t->memo[j].pid < p->pid)
			j++;
		if (j < t->nmemo && t->memo[j].pid == p->pid)
			*e = t->memo[j];
		else
			memset(e, 0, sizeof *e);
		e->pid = p->pid;
		if (p->mem != ML_MEM_OK || (e->has_cur && e->read_ns == p->mem_ns))
			continue;
		if (e->has_cur) {
			memcpy(e->prev, e->cur, sizeof e->prev);
			e->prev_known = e->cur_known;
			e->has_prev = true;
		}
		e->cur_known = 0;
		for (m = 0; m < ML_ARRAY_SIZE(proc_measures); m++)
			if (ml_proc_value(p, proc_measures[m], &e->cur[m]))
				e->cur_known |= (uint8_t)(1u << m);
		e->has_cur = true;
		e->read_ns = p->mem_ns;
	}
	tmp = t->memo;
	t->memo = t->memo_next;
	t->memo_next = tmp;
	t->nmemo = n;
}

static struct proc_memo *
find_memo(const struct top *t, int pid)
{
	size_t lo = 0, hi = t->nmemo;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->memo[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nmemo && t->memo[lo].pid == pid ? &t->memo[lo] : NULL;
}

/* How old a row's figures are at now_ns; UINT64_MAX when never read. */
static uint64_t
row_age(const struct ml_proc *p, uint64_t now_ns)
{
	if (p->mem == ML_MEM_UNREAD)
		return UINT64_MAX;
	return now_ns > p->mem_ns ? now_ns - p->mem_ns : 0;
}

/*
 * Read rows (oldest first) while the bucket holds time, skipping rows read
 * less than min_age ago and rows dearer than what is left unless older than
 * PROC_MAX_LAG_NS. Each read's cost is noted for the memo.
 */
static void
read_rows(struct top *t, struct ml_proc **rows, size_t n, uint64_t min_age)
{
	struct timespec a, b;
	size_t i;

	qsort(rows, n, sizeof *rows, cmp_staleness);
	for (i = 0; i < n && t->tokens_ns > 0; i++) {
		const struct proc_memo *e = find_memo(t, rows[i]->pid);
		uint64_t age, est = e != NULL ? e->cost_ns : 0;

		clock_gettime(CLOCK_MONOTONIC, &a);
		age = row_age(rows[i], mono_ns(&a));
		if (age < min_age || (est > (uint64_t)t->tokens_ns && age < PROC_MAX_LAG_NS))
			continue;
		ml_proctab_read_mem(&t->tab, rows[i]);
		clock_gettime(CLOCK_MONOTONIC, &b);
		t->tokens_ns -= (int64_t)(mono_ns(&b) - mono_ns(&a));
		grow((void **)&t->costs, &t->costs_cap, t->ncosts + 1, sizeof *t->costs);
		t->costs[t->ncosts].pid = rows[i]->pid;
		t->costs[t->ncosts++].ns = mono_ns(&b) - mono_ns(&a);
	}
	/* Close the last smaps_rollup (read_mem_rows of nothing does just that). */
	ml_proctab_read_mem_rows(&t->tab, NULL, 0, 0);
}

static void
refresh_procs(struct top *t, const struct tui_request *req, const struct timespec *when)
{
	uint64_t now_ns = mono_ns(when), n = 0, fill;
	struct timespec a;
	char *cause = NULL;
	unsigned int v;
	size_t i;

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
	t->ncosts = 0;
	if (!t->pt_all_read) {
		/*
		 * The first time every process is read, so that the order means
		 * something, and what each read costs is noted.
		 */
		if (ml_proctab_refresh(&t->tab, &cause) != 0) {
			src_lost(&t->pt_src, cause, errno);
			return;
		}
		grow((void **)&t->pread, &t->pread_cap, t->tab.n, sizeof *t->pread);
		for (i = 0; i < t->tab.n; i++)
			if (!t->tab.rows[i]->kthread)
				t->pread[n++] = t->tab.rows[i];
		t->tokens_ns = INT64_MAX;
		read_rows(t, t->pread, n, 0);
		t->pt_all_read = true;
		t->listed_ns = t->filled_ns = now_ns;
		t->tokens_ns = 0;
	} else {
		/* Fill the bucket: req->budget seconds per interval, up to the cap. */
		fill = (uint64_t)((double)(now_ns - t->filled_ns) * req->budget / req->interval);
		t->tokens_ns = t->tokens_ns + (int64_t)fill > (int64_t)PROC_TOKENS_CAP_NS
				       ? (int64_t)PROC_TOKENS_CAP_NS
				       : t->tokens_ns + (int64_t)fill;
		t->filled_ns = now_ns;
		/* The list (cheap next to the reads, and not charged to them) now and then. */
		if (now_ns - t->listed_ns >= PROC_LIST_EVERY_NS) {
			if (ml_proctab_refresh(&t->tab, &cause) != 0) {
				src_lost(&t->pt_src, cause, errno);
				return;
			}
			t->listed_ns = now_ns;
		}
		grow((void **)&t->pread, &t->pread_cap, t->tab.n, sizeof *t->pread);
		/* The rows on screen first, not twice in one interval. */
		for (v = 0; v < req->nvisible && v < TUI_VISIBLE_MAX; v++) {
			struct ml_proc *p = ml_proctab_find(&t->tab, req->visible[v]);

			if (p != NULL && !p->kthread && p->mem != ML_MEM_NONE &&
			    p->mem != ML_MEM_GONE && n < t->tab.n)
				t->pread[n++] = p;
		}
		read_rows(t, t->pread, n, (uint64_t)(req->interval * 0.5e9));
		/* Then new processes, and off-screen figures that are very old. */
		n = 0;
		for (i = 0; i < t->tab.n; i++) {
			struct ml_proc *p = t->tab.rows[i];

			if (p->kthread || p->mem == ML_MEM_NONE || p->mem == ML_MEM_GONE)
				continue;
			if (row_age(p, now_ns) > PROC_STALE_NS)
				t->pread[n++] = p;
		}
		read_rows(t, t->pread, n, PROC_STALE_NS);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	t->pt_now_ns = mono_ns(&a);
	t->pt_src.read_at = a;
	t->pt_src.read = true;
	update_memo(t);
	/* Note what each read cost, for the next refresh's choices. */
	for (i = 0; i < t->ncosts; i++) {
		struct proc_memo *e = find_memo(t, t->costs[i].pid);

		if (e != NULL)
			e->cost_ns = t->costs[i].ns;
	}
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
	const struct ml_cgroup *c = ml_cgtree_find(&t->cg_tree, path);
	size_t i, j, start;

	t->cg_npids = 0;
	if (c == NULL)
		return;
	for (start = 0; start < t->cg_tree.n && t->cg_tree.v[start] != c; start++)
		;
	/* Pre-order: the descendants follow it, deeper than it. */
	for (i = start; i < t->cg_tree.n && (i == start || t->cg_tree.v[i]->depth > c->depth);
	     i++) {
		const struct ml_cgroup *d = t->cg_tree.v[i];

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
	const char *key = tui_sort_keys(TUI_VIEW_PROCS)[req->sort[TUI_VIEW_PROCS]];
	const char *filter = req->filter[TUI_VIEW_PROCS];
	bool reverse = req->reverse[TUI_VIEW_PROCS];
	int k = ml_proc_sort_parse(key);
	size_t i, m;

	if (!t->pt_src.ok || !t->pt_src.read)
		return;
	if (k < 0)
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
		    bsearch(&p->pid, t->cg_pids, t->cg_npids, sizeof *t->cg_pids, cmp_pid) == NULL)
			continue;
		t->prows[t->pn++] = p;
		ml_proc_sum_add(&t->ptotal, p);
	}
	ml_procs_sort(t->prows, t->pn, (enum ml_proc_sort)k, reverse);
	for (i = 0; i < t->pn; i++) {
		const struct proc_memo *e = find_memo(t, t->prows[i]->pid);
		struct tui_proc_change *c = &t->pchg[i];
		int64_t *d[4] = { &c->pss, &c->uss, &c->rss, &c->swap };

		memset(c, 0, sizeof *c);
		c->known = e != NULL && e->has_prev && e->has_cur;
		for (m = 0; c->known && m < 4; m++)
			if ((e->cur_known >> m) & (e->prev_known >> m) & 1)
				*d[m] = (int64_t)(e->cur[m] - e->prev[m]);
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
	char *cause = NULL;
	size_t i;

	if (!t->cg_src.tried) {
		t->cg_src.tried = true;
		t->cg_src.ok = cmd_cgroups_open(t->ctx, &t->cg_mounts, &t->cg_hier, &cause) == 0;
		if (!t->cg_src.ok) {
			src_lost(&t->cg_src, cause, errno);
			return;
		}
		t->cg_where = ml_xasprintf("cgroup v%u at %s", t->cg_hier.version,
					   t->cg_hier.mount->mount_point);
	}
	if (!t->cg_src.ok)
		return;
	if (!t->cg_src.read || seconds_between(&t->cg_src.read_at, now) >= CG_EVERY) {
		ml_cgtree_release(&t->cg_tree);
		ml_cgtree_init(&t->cg_tree);
		if (ml_cgtree_load(&t->cg_tree, &t->cg_hier, "/", -1, &cause) != 0) {
			src_lost(&t->cg_src, cause, errno);
			return;
		}
		t->cg_src.read = true;
		t->cg_src.read_at = *now;
		/* Members: every process once; later, the ones listed since. */
		if (!t->pt_all_read) {
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
	if (t->pt_src.ok && t->pt_src.read)
		ml_cgtree_sum_members(&t->cg_tree, &t->tab);
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
	const char *key = tui_sort_keys(TUI_VIEW_CGROUPS)[req->sort[TUI_VIEW_CGROUPS]];
	const char *filter = req->filter[TUI_VIEW_CGROUPS];
	bool reverse = req->reverse[TUI_VIEW_CGROUPS];
	int k = ml_cgroup_sort_parse(key);
	size_t i;

	t->cg_n = 0;
	if (!t->cg_src.ok || !t->cg_src.read || t->cg_tree.n == 0)
		return;
	if (k < 0)
		k = ML_CGSORT_CURRENT;
	ml_cgtree_sort(&t->cg_tree, (enum ml_cg_sort)k, reverse);
	if (filter[0] == '\0') {
		add_cg_rows(t, t->cg_tree.v[0]);
		return;
	}
	for (i = 0; i < t->cg_tree.n; i++) {
		if (strcasestr(t->cg_tree.v[i]->path, filter) == NULL)
			continue;
		grow((void **)&t->cg_rows, &t->cg_cap, t->cg_n + 1, sizeof *t->cg_rows);
		t->cg_rows[t->cg_n++] = t->cg_tree.v[i];
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
	const char *key = tui_sort_keys(TUI_VIEW_SLAB)[req->sort[TUI_VIEW_SLAB]];
	const char *filter = req->filter[TUI_VIEW_SLAB];
	int k = ml_slab_sort_from_name(key);
	uint32_t i;

	if (!t->sl_src.ok || !t->sl_src.read)
		return;
	ml_slab_view_sort(&t->slv, k < 0 ? ML_SLAB_SORT_MEMORY : (enum ml_slab_sort)k,
			  req->reverse[TUI_VIEW_SLAB]);
	if (t->slv.n > t->sl_cap) {
		t->sl_rows = ml_xreallocarray(t->sl_rows, t->slv.n, sizeof *t->sl_rows);
		t->sl_cap = t->slv.n;
	}
	t->sl_n = 0;
	for (i = 0; i < t->slv.n; i++)
		if (name_matches(t->slv.rows[i].cache->name, filter))
			t->sl_rows[t->sl_n++] = &t->slv.rows[i];
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
	const char *key = tui_sort_keys(TUI_VIEW_VMALLOC)[req->sort[TUI_VIEW_VMALLOC]];
	const char *filter = req->filter[TUI_VIEW_VMALLOC];
	enum ml_vm_by by = (enum ml_vm_by)req->group[TUI_VIEW_VMALLOC];
	bool reverse = req->reverse[TUI_VIEW_VMALLOC];
	int k = ml_vm_sort_lookup(key);
	size_t cap, n, i, j;

	if (!t->vm_src.ok || !t->vm_src.read || by >= ML_VM_BY__COUNT)
		return;
	cap = t->vm.tab[by].n;
	if (cap > t->vm_cap) {
		t->vm_groups = ml_xreallocarray(t->vm_groups, cap, sizeof *t->vm_groups);
		t->vm_cap = cap;
	}
	if (k < 0)
		k = ML_VM_SORT_BYTES;
	n = ml_vmalloc_sorted(&t->vm, by, (enum ml_vm_sort)k, reverse, t->vm_groups, cap);
	if (k == ML_VM_SORT_GROWTH) {
		qsort(t->vm_groups, n, sizeof *t->vm_groups, cmp_vm_growth);
		if (reverse)
			for (i = 0, j = n; i + 1 < j--; i++) {
				const struct ml_vm_group *g = t->vm_groups[i];

				t->vm_groups[i] = t->vm_groups[j];
				t->vm_groups[j] = g;
			}
	}
	for (i = j = 0; i < n; i++)
		if (name_matches(t->vm_groups[i]->name, filter) ||
		    name_matches(t->vm_groups[i]->module, filter))
			t->vm_groups[j++] = t->vm_groups[i];
	t->vm_n = j;
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
	h->mem.ok = t->mem_valid && t->mem_why == NULL;
	h->mem.why = t->mem_why;
	h->acct = h->mem.ok ? &t->acct[t->cur] : NULL;
	h->head = h->mem.ok ? &t->head[t->cur] : NULL;
	h->avail = t->avail;
	h->avail_cap = AVAIL_CAP;
	h->avail_start = t->avail_start;
	h->avail_n = t->avail_n;
	h->psi.ok = t->psi_src.ok && t->psi_src.read;
	h->psi.why = src_why(&t->psi_src);
	h->pressure = &t->psi;

	switch (req->view) {
	case TUI_VIEW_OVERVIEW: {
		struct tui_overview *o = &f->overview;

		o->prev_acct = t->have_prev ? &t->acct[!t->cur] : NULL;
		o->prev_head = t->have_prev ? &t->head[!t->cur] : NULL;
		o->vmstat.ok = t->vs_src.ok && t->vs_src.read;
		o->vmstat.why = src_why(&t->vs_src);
		o->act_known = t->act_known;
		o->since_boot = t->act_now;
		o->delta = t->act_delta;
		o->seconds = t->act_have_prev ? t->act_seconds : 0;
		o->zones.ok = t->zs_src.ok && t->zs_src.read;
		o->zones.why = src_why(&t->zs_src);
		o->wm = &t->zs.wm;
		o->buddy.ok = t->bi_src.ok && t->bi_src.read;
		o->buddy.why = src_why(&t->bi_src);
		o->frag = &t->frag[t->fcur];
		o->stack_measured = t->stack_known;
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
		f->slab.src.ok = t->sl_src.ok && t->sl_src.read;
		f->slab.src.why = src_why(&t->sl_src);
		f->slab.view = &t->slv;
		f->slab.rows = t->sl_rows;
		f->slab.n = t->sl_n;
		f->slab.seconds = t->sl_seconds;
		f->slab.reclaim_why = t->reclaim_why;
		break;
	case TUI_VIEW_VMALLOC:
		derive_vmalloc(t, req);
		f->vmalloc.src.ok = t->vm_src.ok && t->vm_src.read;
		f->vmalloc.src.why = src_why(&t->vm_src);
		f->vmalloc.vm = &t->vm;
		f->vmalloc.groups = t->vm_groups;
		f->vmalloc.n = t->vm_n;
		f->vmalloc.seconds = ml_vmalloc_has_prev(&t->vm) ? t->vm_seconds : 0;
		break;
	case TUI_VIEW_BUDDY:
		f->buddy.src.ok = t->bi_src.ok && t->bi_src.read;
		f->buddy.src.why = src_why(&t->bi_src);
		f->buddy.cur = &t->frag[t->fcur];
		f->buddy.prev = t->frag_prev ? &t->frag[!t->fcur] : NULL;
		break;
	case TUI_VIEW_ZONES:
		f->zones.src.ok = t->zs_src.ok && t->zs_src.read;
		f->zones.src.why = src_why(&t->zs_src);
		f->zones.wm = &t->zs.wm;
		f->zones.prev = t->zprev_valid ? t->zprev : NULL;
		f->zones.nprev = t->zprev_valid ? t->nzprev : 0;
		break;
	case TUI_VIEW_CGROUPS: {
		struct tui_cgroups *c = &f->cgroups;
		struct timespec now;

		derive_cgroups(t, req);
		clock_gettime(CLOCK_MONOTONIC, &now);
		c->src.ok = t->cg_src.ok && t->cg_src.read;
		c->src.why = src_why(&t->cg_src);
		c->where = t->cg_where;
		c->age = c->src.ok ? seconds_between(&t->cg_src.read_at, &now) : 0;
		c->tree = c->src.ok ? &t->cg_tree : NULL;
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
	ml_reader_release(&t->mi_r);
	ml_meminfo_release(&t->mi);
	ml_reader_release(&t->psi_r);
	ml_reader_release(&t->vm_r);
	ml_vmalloc_release(&t->vm);
	ml_reader_release(&t->vs_r);
	ml_vmstat_release(&t->vs);
	cmd_zones_src_release(&t->zs);
	ml_reader_release(&t->bi_r);
	ml_buddyinfo_release(&t->bi);
	ml_frag_release(&t->frag[0]);
	ml_frag_release(&t->frag[1]);
	ml_reader_release(&t->sl_r);
	ml_slabinfo_release(&t->sl);
	ml_slab_view_release(&t->slv);
	if (t->slab_dirfd >= 0)
		close(t->slab_dirfd);
	free(t->reclaim_why);
	free(t->sl_rows);
	free(t->vm_groups);
	free(t->zprev);
	free(t->mem_why);
	free(t->psi_src.why);
	free(t->vm_src.why);
	free(t->vs_src.why);
	free(t->zs_src.why);
	free(t->bi_src.why);
	free(t->sl_src.why);
	free(t->ps.why);
	if (t->pt_src.tried)
		ml_proctab_release(&t->tab);
	free(t->pt_src.why);
	free(t->prows);
	free(t->pread);
	free(t->pchg);
	free(t->memo);
	free(t->memo_next);
	free(t->costs);
	free(t->groups);
	ml_reader_release(&t->sm_r);
	free(t->sm_src.why);
	ml_smaps_release(&t->smaps);
	ml_mapsum_release(&t->msum);
	free(t->mfiles);
	free(t->mcmdline);
	ml_cgtree_release(&t->cg_tree);
	if (t->cg_src.tried) {
		ml_cghier_close(&t->cg_hier);
		ml_cgmounts_release(&t->cg_mounts);
	}
	free(t->cg_src.why);
	free(t->cg_where);
	free(t->cg_rows);
	free(t->cg_pids);
	free(t);
}

static int
cmd_top_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct tui_options opt = { .view = TUI_VIEW_OVERVIEW, .interval = 1.0 };
	struct sigaction sa;
	struct top *t;
	char *cause = NULL;
	int i, rc, v;

	for (i = 0; i < args->nopts; i++) {
		if (args->opts[i].id != OPT_VIEW)
			continue;
		v = tui_view_lookup(args->opts[i].arg);
		if (v < 0)
			return cmd_usage_error(&cmd_top_entry,
					       "unknown view '%s' (overview, processes, slab, "
					       "vmalloc, buddy, zones or cgroups)",
					       args->opts[i].arg);
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
	t->slab_dirfd = -1;
	t->mi_r.fd = t->psi_r.fd = t->vm_r.fd = t->vs_r.fd = t->bi_r.fd = t->sl_r.fd = -1;
	t->sm_r.fd = -1;
	ml_smaps_init(&t->smaps, ml_mapsum_on_record, &t->msum);
	ml_mapsum_init(&t->msum);
	ml_meminfo_init(&t->mi);
	ml_vmstat_init(&t->vs);
	ml_buddyinfo_init(&t->bi);
	ml_frag_init(&t->frag[0]);
	ml_frag_init(&t->frag[1]);
	ml_slabinfo_init(&t->sl);
	ml_slab_view_init(&t->slv);
	ml_vmalloc_init(&t->vm);
	ml_vmalloc_set_top(&t->vm, 0);
	cmd_zones_src_init(&t->zs);
	ml_cgtree_init(&t->cg_tree);
	t->live = ml_procfs_is_live(&ctx->fs);
	cmd_find_page_size(ctx, &t->ps);
	ml_vmalloc_set_page_size(&t->vm, t->ps.bytes);
	ml_sysinfo_read(&t->si, &ctx->fs);

	/* meminfo is the one source top cannot start without. */
	if (cmd_open_source(ctx, &t->mi_r, &ml_src_meminfo, NULL, NULL) != 0) {
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
