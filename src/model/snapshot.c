/*
 * The snapshot: sources, their losses, their models; see snapshot.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/huge.h"
#include "model/snapshot.h"
#include "proc/live.h"
#include "util.h"

/*
 * One source: where it is, how it is read, and what is derived from it.
 * target picks the model a read parses into (the other buffer of a
 * double-buffered model); derive runs after a good read and makes the new
 * model current. Sources that are not one parsed file (the process table)
 * have open and read instead of a parser.
 */
struct snap_def {
	const char *path;
	const struct ml_source *parser;
	void *(*target)(struct ml_snapshot *s);
	int (*open)(struct ml_snapshot *s, char **cause);
	int (*read)(struct ml_snapshot *s, char **cause);
	int (*derive)(struct ml_snapshot *s, char **cause);
};

/* The buffer a read of a double-buffered model goes to: the other one once one is valid. */
static int
next_buffer(int cur, bool valid)
{
	return valid ? !cur : cur;
}

static void *
target_meminfo(struct ml_snapshot *s)
{
	return &s->mi[next_buffer(s->mi_cur, s->mi_valid)];
}

static void *
target_vmstat(struct ml_snapshot *s)
{
	return &s->vs;
}

static void *
target_zoneinfo(struct ml_snapshot *s)
{
	return &s->zi[next_buffer(s->zi_cur, s->zi_valid)];
}

static void *
target_buddyinfo(struct ml_snapshot *s)
{
	return &s->bi;
}

static void *
target_pagetypeinfo(struct ml_snapshot *s)
{
	return &s->pti;
}

static void *
target_slabinfo(struct ml_snapshot *s)
{
	return &s->sl;
}

static void *
target_vmallocinfo(struct ml_snapshot *s)
{
	return &s->vm.info;
}

static void *
target_pressure(struct ml_snapshot *s)
{
	return &s->psi;
}

void
ml_activity_read(struct ml_activity *a, const struct ml_vmstat *vs)
{
	a->known = ml_vmstat_has(vs, ML_VS_PGSCAN_KSWAPD) || ml_vmstat_has(vs, ML_VS_PSWPIN);
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
	a->fault_known = ml_vmstat_has(vs, ML_VS_PGFAULT);
	a->fault = ml_vmstat_get(vs, ML_VS_PGFAULT);
}

/* A counter's increase; 0 when it went back (a counter never does, but a copy may). */
static uint64_t
increase(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : 0;
}

void
ml_activity_change(struct ml_activity *d, const struct ml_activity *now,
		   const struct ml_activity *before)
{
	memset(d, 0, sizeof *d);
	d->known = now->known && before->known;
	d->stall = increase(now->stall, before->stall);
	d->scan_kswapd = increase(now->scan_kswapd, before->scan_kswapd);
	d->scan_direct = increase(now->scan_direct, before->scan_direct);
	d->swapin = increase(now->swapin, before->swapin);
	d->swapout = increase(now->swapout, before->swapout);
	d->majfault = increase(now->majfault, before->majfault);
	d->oom = increase(now->oom, before->oom);
	d->refault = increase(now->refault, before->refault);
	d->fault_known = now->fault_known && before->fault_known;
	d->fault = increase(now->fault, before->fault);
}

/* The activity since boot, and since the previous read of vmstat. */
static int
derive_vmstat(struct ml_snapshot *s, char **cause)
{
	(void)cause;
	s->act_prev = s->act;
	ml_activity_read(&s->act, &s->vs);
	s->act_seconds = s->src[ML_SNAP_VMSTAT].seconds;
	if (s->act_seconds <= 0)
		memset(&s->act_delta, 0, sizeof s->act_delta);
	else
		ml_activity_change(&s->act_delta, &s->act, &s->act_prev);
	return 0;
}

/* The watermarks of the zoneinfo just read; then it is the current one. */
static int
derive_zoneinfo(struct ml_snapshot *s, char **cause)
{
	int next = next_buffer(s->zi_cur, s->zi_valid);

	if (ml_watermarks_compute(&s->wm[next], &s->zi[next], ml_snapshot_page_size(s)->bytes,
				  cause) != 0)
		return -1;
	s->zi_prev = s->zi_valid && next != s->zi_cur;
	s->zi_cur = next;
	s->zi_valid = true;
	return 0;
}

static int
derive_buddyinfo(struct ml_snapshot *s, char **cause)
{
	int next = next_buffer(s->frag_cur, s->frag_valid);

	if (ml_frag_compute(&s->frag[next], &s->bi, ml_snapshot_page_size(s)->bytes, cause) != 0)
		return -1;
	s->frag_prev = s->frag_valid && next != s->frag_cur;
	s->frag_cur = next;
	s->frag_valid = true;
	return 0;
}

/* The sys root is this machine's sysfs while the proc root is a copy: not to be mixed. */
static bool
sys_mismatch(const struct ml_snapshot *s)
{
	return !s->live && ml_procfs_is_sysfs(s->sysfs);
}

/*
 * Where reclaimability comes from: <sys-root>/kernel/slab, unless the sys
 * root is this machine's sysfs and the proc root is not this machine.
 */
static void
open_slab_sysfs(struct ml_snapshot *s)
{
	char *cause = NULL;

	s->slab_dir = ml_procfs_path(s->sysfs, "kernel/slab");
	if (sys_mismatch(s)) {
		if (asprintf(&s->reclaim_why,
			     "%s is this machine's sysfs, not the capture's; see --sys-root",
			     s->sysfs->root != NULL ? s->sysfs->root : "/sys") < 0)
			s->reclaim_why = NULL;
		return;
	}
	s->slab_open = ml_procfs_open_at(&s->slabfs, s->sysfs, "kernel/slab", &cause) == 0;
	if (s->slab_open) {
		free(cause);
		return;
	}
	if (errno == ENOENT && s->slab_dir != NULL) {
		if (asprintf(&s->reclaim_why,
			     "no %s: the SLAB allocator has none, SLUB one directory per cache",
			     s->slab_dir) < 0)
			s->reclaim_why = NULL;
		free(cause);
	} else {
		s->reclaim_why = cause != NULL ? cause : strdup(strerror(errno));
	}
}

static int
derive_slabinfo(struct ml_snapshot *s, char **cause)
{
	if (s->slab_dir == NULL && s->reclaim_why == NULL)
		open_slab_sysfs(s);
	if (s->slab_open)
		ml_slabinfo_read_reclaim_at(&s->sl, &s->slabfs);
	if (ml_slab_view_compute(&s->slv, &s->sl, ml_snapshot_page_size(s)->bytes,
				 s->src[ML_SNAP_SLABINFO].seconds) != 0) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
derive_vmallocinfo(struct ml_snapshot *s, char **cause)
{
	(void)cause;
	ml_vmalloc_set_page_size(&s->vm, ml_snapshot_page_size(s)->bytes);
	return 0;
}

static int
open_procs(struct ml_snapshot *s, char **cause)
{
	int rc;

	s->procs_init = true;
	rc = ml_proctab_init(&s->procs, s->fs, ML_PIDS_AUTO, cause);
	/* One file less a process when the user of the view needs no command line. */
	if (s->opt.procs_no_cmdlines)
		ml_proctab_want_cmdlines(&s->procs, false);
	return rc;
}

static int
read_procs(struct ml_snapshot *s, char **cause)
{
	size_t done;

	if (s->opt.procs_budget_ns == 0)
		return ml_proctab_refresh_read_all(&s->procs, cause);
	if (ml_proctab_refresh(&s->procs, cause) != 0)
		return -1;
	done = ml_proctab_read_mem_rows(&s->procs, s->procs.rows, s->procs.n,
					s->opt.procs_budget_ns);
	if (done < s->procs.n) {
		ml_set_cause(cause, "the time limit ran out after %zu of %zu processes", done,
			     s->procs.n);
		errno = ETIME;
		return -1;
	}
	return 0;
}

static int
open_cgroups(struct ml_snapshot *s, char **cause)
{
	s->cg_open = true;
	return ml_cgroups_open(&s->cg_mounts, &s->cg_hier, s->fs, s->sysfs, cause);
}

static int
read_cgroups(struct ml_snapshot *s, char **cause)
{
	ml_cgfile_set all = ml_cgfile_set_all(s->cg_hier.version);

	ml_cgtree_release(&s->cgroups);
	ml_cgtree_init(&s->cgroups);
	return ml_cgtree_load_set(&s->cgroups, &s->cg_hier, "/", -1,
				  s->cg_files != 0 ? s->cg_files & all : all, cause);
}

static int
open_proc_rss(struct ml_snapshot *s, char **cause)
{
	s->rss_init = true;
	return ml_psampler_open(&s->rss, s->fs, cause);
}

static int
read_proc_rss(struct ml_snapshot *s, char **cause)
{
	return ml_psampler_scan(&s->rss, cause);
}

/*
 * The sys root, for zram, THP and the nodes (opened once); refused when it is
 * this machine's and the proc root a copy.
 */
static int
open_zram(struct ml_snapshot *s, char **cause)
{
	if (s->sysfs->dirfd < 0 && s->sysfs->ar == NULL) {
		int err = s->sysfs->open_err != 0 ? s->sysfs->open_err : ENOENT;

		ml_set_cause(cause, "cannot open sys root %s: %s",
			     s->sysfs->root != NULL ? s->sysfs->root : "/sys", strerror(err));
		errno = err;
		return -1;
	}
	if (sys_mismatch(s)) {
		s->sys_mismatch = true;
		ml_set_cause(cause, "%s is this machine's sysfs, not the capture's; see --sys-root",
			     s->sysfs->root != NULL ? s->sysfs->root : "/sys");
		errno = 0;
		return -1;
	}
	return 0;
}

static int
read_zram(struct ml_snapshot *s, char **cause)
{
	(void)cause;
	return ml_zram_read(&s->zram, s->sysfs);
}

static int
read_thp(struct ml_snapshot *s, char **cause)
{
	(void)cause;
	return ml_thp_read(&s->thp, s->sysfs);
}

/* The node ids, and a reader of each node's meminfo (a node that cannot be opened says why). */
static int
open_nodes(struct ml_snapshot *s, char **cause)
{
	size_t i;

	if (open_zram(s, cause) != 0)
		return -1;
	if (ml_node_ids(s->sysfs, &s->node_ids, &s->nnodes, cause) != 0)
		return -1;
	s->nodes = calloc(s->nnodes > 0 ? s->nnodes : 1, sizeof *s->nodes);
	if (s->nodes == NULL) {
		s->nnodes = 0;
		ml_set_cause(cause, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < s->nnodes; i++) {
		struct ml_snap_node *n = &s->nodes[i];

		n->id = s->node_ids[i];
		n->reader.fd = -1;
		ml_node_meminfo_init(&n->nm);
		snprintf(n->rel, sizeof n->rel, ML_NODE_DIR "/node%d/meminfo", n->id);
		/* A node that cannot be opened stays closed, with its reason. */
		(void)ml_reader_open(&n->reader, s->sysfs, &ml_src_node_meminfo, n->rel, &n->why);
	}
	return 0;
}

/* Read every node and derive its model; 0 even when a node could not be (it says why). */
static int
read_nodes(struct ml_snapshot *s, char **cause)
{
	/* This refresh's meminfo (when it was read): its Hugepagesize. */
	const struct ml_meminfo *mi = &s->mi[next_buffer(s->mi_cur, s->mi_valid)];
	struct ml_numa_inputs in;
	size_t i;

	(void)cause;
	ml_hugetlb_read(&s->node_hugetlb, s->sysfs, s->node_ids, s->nnodes);
	memset(&in, 0, sizeof in);
	in.wm = ml_snapshot_has(s, ML_SNAP_ZONEINFO) ? ml_snapshot_watermarks(s) : NULL;
	if (ml_meminfo_has(mi, ML_MI_HUGEPAGESIZE)) {
		in.default_huge_size.known = true;
		in.default_huge_size.v = ml_meminfo_get(mi, ML_MI_HUGEPAGESIZE);
	}
	for (i = 0; i < s->nnodes; i++) {
		struct ml_snap_node *n = &s->nodes[i];
		char *why = NULL;

		n->ok = false;
		if (!ml_reader_is_open(&n->reader))
			continue;
		if (ml_reader_refresh(&n->reader, &n->nm, &why) != 0) {
			free(n->why);
			n->why = why;
			continue;
		}
		in.hugetlb_bytes = ml_hugetlb_node_bytes(&s->node_hugetlb, n->id);
		if (ml_numa_node_compute(&n->model, &n->nm, &in, &why) != 0) {
			free(n->why);
			n->why = why;
			continue;
		}
		free(n->why);
		n->why = NULL;
		n->ok = true;
	}
	return 0;
}

/* clang-format off */
static const struct snap_def snap_defs[ML_SNAP__COUNT] = {
	[ML_SNAP_MEMINFO] = { "meminfo", &ml_src_meminfo, target_meminfo, NULL, NULL, NULL },
	[ML_SNAP_VMSTAT] = { "vmstat", &ml_src_vmstat, target_vmstat, NULL, NULL, derive_vmstat },
	[ML_SNAP_ZONEINFO] = { "zoneinfo", &ml_src_zoneinfo, target_zoneinfo, NULL, NULL,
			       derive_zoneinfo },
	[ML_SNAP_BUDDYINFO] = { "buddyinfo", &ml_src_buddyinfo, target_buddyinfo, NULL, NULL,
				derive_buddyinfo },
	[ML_SNAP_PAGETYPEINFO] = { "pagetypeinfo", &ml_src_pagetypeinfo, target_pagetypeinfo,
				   NULL, NULL, NULL },
	[ML_SNAP_SLABINFO] = { "slabinfo", &ml_src_slabinfo, target_slabinfo, NULL, NULL,
			       derive_slabinfo },
	[ML_SNAP_PROCS] = { "processes", NULL, NULL, open_procs, read_procs, NULL },
	[ML_SNAP_VMALLOCINFO] = { "vmallocinfo", &ml_src_vmallocinfo, target_vmallocinfo, NULL,
				  NULL, derive_vmallocinfo },
	[ML_SNAP_PRESSURE] = { "pressure/memory", &ml_src_pressure_memory, target_pressure, NULL,
			       NULL, NULL },
	[ML_SNAP_CGROUPS] = { "cgroups", NULL, NULL, open_cgroups, read_cgroups, NULL },
	/* a path under the sys root, for reports */
	[ML_SNAP_ZRAM] = { "block/zram*/mm_stat", NULL, NULL, open_zram, read_zram, NULL },
	[ML_SNAP_THP] = { "kernel/mm/transparent_hugepage", NULL, NULL, open_zram, read_thp,
			  NULL },
	[ML_SNAP_NODES] = { "devices/system/node", NULL, NULL, open_nodes, read_nodes, NULL },
	[ML_SNAP_PROC_RSS] = { "PID/status", NULL, NULL, open_proc_rss, read_proc_rss, NULL },
};
/* clang-format on */

const char *
ml_snap_src_path(enum ml_snap_src src)
{
	return src < ML_SNAP__COUNT ? snap_defs[src].path : NULL;
}

void
ml_snapshot_init(struct ml_snapshot *s, const struct ml_procfs *fs, const struct ml_procfs *sysfs,
		 const struct ml_snap_options *opt)
{
	int i;

	memset(s, 0, sizeof *s);
	s->fs = fs;
	s->sysfs = sysfs;
	if (opt != NULL)
		s->opt = *opt;
	s->live = ml_procfs_is_live(fs);
	for (i = 0; i < ML_SNAP__COUNT; i++)
		s->src[i].reader.fd = -1;
	for (i = 0; i < 2; i++) {
		ml_meminfo_init(&s->mi[i]);
		ml_zoneinfo_init(&s->zi[i]);
		ml_watermarks_init(&s->wm[i]);
		ml_frag_init(&s->frag[i]);
	}
	ml_vmstat_init(&s->vs);
	ml_buddyinfo_init(&s->bi);
	ml_pagetypeinfo_init(&s->pti);
	ml_slabinfo_init(&s->sl);
	ml_slab_view_init(&s->slv);
	s->slabfs.dirfd = -1;
	ml_vmalloc_init(&s->vm);
	ml_cgtree_init(&s->cgroups);
	ml_zram_init(&s->zram);
	ml_thp_init(&s->thp);
	ml_hugetlb_init(&s->node_hugetlb);
}

void
ml_snapshot_release(struct ml_snapshot *s)
{
	int i;

	for (i = 0; i < ML_SNAP__COUNT; i++) {
		ml_reader_release(&s->src[i].reader);
		free(s->src[i].cause);
		free(s->src[i].why);
	}
	for (i = 0; i < 2; i++) {
		ml_meminfo_release(&s->mi[i]);
		ml_zoneinfo_release(&s->zi[i]);
		ml_watermarks_release(&s->wm[i]);
		ml_frag_release(&s->frag[i]);
	}
	ml_vmstat_release(&s->vs);
	ml_buddyinfo_release(&s->bi);
	ml_pagetypeinfo_release(&s->pti);
	ml_slabinfo_release(&s->sl);
	ml_slab_view_release(&s->slv);
	/* Even when its open failed: the root keeps its path for messages. */
	ml_procfs_close(&s->slabfs);
	free(s->slab_dir);
	free(s->reclaim_why);
	if (s->procs_init)
		ml_proctab_release(&s->procs);
	if (s->rss_init)
		ml_psampler_close(&s->rss);
	ml_vmalloc_release(&s->vm);
	ml_cgtree_release(&s->cgroups);
	if (s->cg_open) {
		ml_cghier_close(&s->cg_hier);
		ml_cgmounts_release(&s->cg_mounts);
	}
	ml_page_size_release(&s->ps);
	ml_zram_release(&s->zram);
	ml_thp_release(&s->thp);
	ml_hugetlb_release(&s->node_hugetlb);
	for (size_t n = 0; n < s->nnodes; n++) {
		ml_reader_release(&s->nodes[n].reader);
		ml_node_meminfo_release(&s->nodes[n].nm);
		free(s->nodes[n].why);
	}
	free(s->nodes);
	free(s->node_ids);
	memset(s, 0, sizeof *s);
	s->slabfs.dirfd = -1;
}

const struct ml_page_size *
ml_snapshot_page_size(struct ml_snapshot *s)
{
	if (!s->ps_found) {
		ml_page_size_find(&s->ps, s->fs);
		s->ps_found = true;
	}
	return &s->ps;
}

/* Mark a source lost at stage; takes cause. The hint depends on errno. */
static void
lose(struct ml_snapshot *s, enum ml_snap_src i, enum ml_snap_stage stage, char *cause, int err)
{
	struct ml_snap_source *src = &s->src[i];
	const char *hint = NULL;

	src->state = ML_SNAP_LOST;
	src->stage = stage;
	src->lost_now = true;
	src->err = err;
	free(src->cause);
	free(src->why);
	src->cause = cause != NULL ? cause : strdup(strerror(err != 0 ? err : EIO));
	if (err == EACCES || err == EPERM)
		hint = s->opt.hints.denied;
	else if (err == ENOENT)
		hint = s->opt.hints.missing;
	src->why = NULL;
	if (src->cause != NULL && hint != NULL) {
		if (asprintf(&src->why, "%s (%s)", src->cause, hint) < 0)
			src->why = NULL;
	} else if (src->cause != NULL) {
		src->why = strdup(src->cause);
	}
}

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Open a source that was not tried yet; false when it is lost. */
static bool
open_one(struct ml_snapshot *s, enum ml_snap_src i)
{
	const struct snap_def *d = &snap_defs[i];
	struct ml_snap_source *src = &s->src[i];
	char *cause = NULL;
	int rc;

	rc = d->parser != NULL ? ml_reader_open(&src->reader, s->fs, d->parser, NULL, &cause)
			       : d->open(s, &cause);
	if (rc != 0) {
		lose(s, i, ML_SNAP_AT_OPEN, cause, errno);
		return false;
	}
	src->state = ML_SNAP_OK;
	return true;
}

/* Open (on first need) and read one source into its model; false when lost. */
static bool
read_one(struct ml_snapshot *s, enum ml_snap_src i)
{
	const struct snap_def *d = &snap_defs[i];
	struct ml_snap_source *src = &s->src[i];
	struct timespec now;
	char *cause = NULL;
	int rc;

	src->lost_now = false;
	if (src->state == ML_SNAP_UNTRIED && !open_one(s, i))
		return false;
	if (src->state == ML_SNAP_LOST &&
	    (src->stage == ML_SNAP_AT_OPEN || !(s->opt.retry & ML_SNAP(i))))
		return false;
	rc = d->parser != NULL ? ml_reader_refresh(&src->reader, d->target(s), &cause)
			       : d->read(s, &cause);
	if (rc != 0) {
		lose(s, i, ML_SNAP_AT_READ, cause, errno);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	src->seconds = src->read ? seconds_between(&src->read_at, &now) : 0;
	src->read_at = now;
	src->read = true;
	src->state = ML_SNAP_OK;
	if (d->derive != NULL && d->derive(s, &cause) != 0) {
		lose(s, i, ML_SNAP_AT_DERIVE, cause, errno != 0 ? errno : EINVAL);
		return false;
	}
	return true;
}

/*
 * Why zram's RAM is not known, in a few words for the accounting's table
 * (NULL when it is: the sum of the devices' mem_used_total).
 */
static const char *
zram_why(const struct ml_snapshot *s, bool zram_now, struct ml_opt *m)
{
	const struct ml_snap_source *src = &s->src[ML_SNAP_ZRAM];

	m->known = false;
	m->v = 0;
	if (!zram_now)
		return src->state == ML_SNAP_LOST
			       ? (s->sys_mismatch ? "this machine's /sys: see --sys-root"
						  : "no sysfs")
			       : "zram not read (sysfs)";
	*m = ml_zram_memory(&s->zram);
	if (m->known)
		return NULL;
	return !s->zram.listed ? "no block/ in sysfs" : "an mm_stat unreadable";
}

/*
 * meminfo's models, once the refresh's reads are in: the kernel-stack
 * overlap (measured in vmallocinfo when it was read), the headline and the
 * accounting (with zram's RAM when zram was read in this refresh); then the
 * new read is the current one.
 */
static void
derive_memory(struct ml_snapshot *s, bool zram_now)
{
	int next = next_buffer(s->mi_cur, s->mi_valid);
	const struct ml_meminfo *mi = &s->mi[next];
	uint64_t min_free_kb, *min_free = NULL;
	char *cause = NULL;
	struct ml_opt zram;
	const char *why = zram_why(s, zram_now, &zram);

	s->stack_known = ml_snapshot_has(s, ML_SNAP_VMALLOCINFO) &&
			 ml_vmalloc_stack_overlap(&s->vm, mi, &s->stack_overlap);
	/* Only kernels before 3.14 need it, to estimate MemAvailable. */
	if ((s->opt.derive & ML_SNAP_HEADLINE) && !ml_meminfo_has(mi, ML_MI_MEM_AVAILABLE) &&
	    ml_procfs_read_u64(s->fs, "sys/vm/min_free_kbytes", &min_free_kb, NULL) == 0)
		min_free = &min_free_kb;
	if (((s->opt.derive & ML_SNAP_ACCOUNTING) &&
	     (ml_accounting_compute(&s->acct[next], mi, s->stack_known ? &s->stack_overlap : NULL,
				    &cause) != 0 ||
	      ml_accounting_add_zram(&s->acct[next], zram.known, zram.v, why, &cause) != 0)) ||
	    ((s->opt.derive & ML_SNAP_HEADLINE) &&
	     ml_headline_compute(&s->head[next], mi, min_free, &cause) != 0)) {
		char *path = ml_procfs_path(s->fs, "meminfo");
		char *full = NULL;

		if (asprintf(&full, "%s: %s", path != NULL ? path : "meminfo",
			     cause != NULL ? cause : strerror(EINVAL)) < 0)
			full = NULL;
		free(path);
		free(cause);
		lose(s, ML_SNAP_MEMINFO, ML_SNAP_AT_DERIVE, full, EINVAL);
		return;
	}
	s->mi_prev = s->mi_valid && next != s->mi_cur;
	s->mi_cur = next;
	s->mi_valid = true;
}

unsigned int
ml_snapshot_refresh(struct ml_snapshot *s, unsigned int sources)
{
	unsigned int missing = 0;
	bool memory = false, zram = false;
	int i;

	for (i = 0; i < ML_SNAP__COUNT; i++) {
		if (!(sources & ML_SNAP(i)))
			continue;
		if (read_one(s, (enum ml_snap_src)i)) {
			if (i == ML_SNAP_MEMINFO)
				memory = true;
			else if (i == ML_SNAP_ZRAM)
				zram = true;
		}
	}
	if (memory)
		derive_memory(s, zram);
	for (i = 0; i < ML_SNAP__COUNT; i++) {
		if ((sources & ML_SNAP(i)) && !ml_snapshot_has(s, (enum ml_snap_src)i))
			missing |= ML_SNAP(i);
	}
	return missing;
}

unsigned int
ml_snapshot_open(struct ml_snapshot *s, unsigned int sources)
{
	unsigned int lost = 0;
	int i;

	for (i = 0; i < ML_SNAP__COUNT; i++) {
		if (!(sources & ML_SNAP(i)))
			continue;
		if (s->src[i].state == ML_SNAP_UNTRIED)
			open_one(s, (enum ml_snap_src)i);
		if (s->src[i].state == ML_SNAP_LOST)
			lost |= ML_SNAP(i);
	}
	return lost;
}
