/*
 * Reading the sources of memlens metrics and memlens serve through the
 * snapshot; see metrics-read.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/metrics-read.h"
#include "xalloc.h"

/* The snapshot's source of each metrics source (hugetlb and numa: both its nodes source). */
static const enum ml_snap_src snap_of[MS__COUNT] = {
	[MS_MEMINFO] = ML_SNAP_MEMINFO,         [MS_ZONEINFO] = ML_SNAP_ZONEINFO,
	[MS_BUDDYINFO] = ML_SNAP_BUDDYINFO,     [MS_SLABINFO] = ML_SNAP_SLABINFO,
	[MS_VMALLOCINFO] = ML_SNAP_VMALLOCINFO, [MS_PROCESSES] = ML_SNAP_PROCS,
	[MS_PRESSURE] = ML_SNAP_PRESSURE,       [MS_ZRAM] = ML_SNAP_ZRAM,
	[MS_HUGETLB] = ML_SNAP_NODES,           [MS_NUMA] = ML_SNAP_NODES,
	[MS_CGROUPS] = ML_SNAP_CGROUPS,
};

static const char *const src_names[MS__COUNT] = {
	[MS_MEMINFO] = "meminfo",         [MS_ZONEINFO] = "zoneinfo",
	[MS_BUDDYINFO] = "buddyinfo",     [MS_SLABINFO] = "slabinfo",
	[MS_VMALLOCINFO] = "vmallocinfo", [MS_PROCESSES] = "processes",
	[MS_PRESSURE] = "pressure",       [MS_ZRAM] = "zram",
	[MS_HUGETLB] = "hugetlb",         [MS_NUMA] = "numa",
	[MS_CGROUPS] = "cgroups",
};

/* Every source the metrics read: a failed read is tried again next time. */
/*
 * What the accounting of MemTotal is made of, read together (the snapshot
 * derives it once the refresh's reads are in): meminfo, the kernel stacks
 * in vmallocinfo, and zram's RAM from the sys root, as the summary reads it.
 * Read with them whatever the time, being a few small files each:
 * pressure/memory, and zoneinfo with the NUMA nodes and hugetlb (a node's
 * model takes this refresh's meminfo and the zones' watermarks).
 */
#define MEMORY_SOURCES                                                                     \
	(ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMALLOCINFO) | ML_SNAP(ML_SNAP_ZRAM) | \
	 ML_SNAP(ML_SNAP_PRESSURE) | ML_SNAP(ML_SNAP_ZONEINFO) | ML_SNAP(ML_SNAP_NODES))
#define METRICS_SOURCES                                                            \
	(MEMORY_SOURCES | ML_SNAP(ML_SNAP_BUDDYINFO) | ML_SNAP(ML_SNAP_SLABINFO) | \
	 ML_SNAP(ML_SNAP_PROCS) | ML_SNAP(ML_SNAP_CGROUPS))

static double
now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void
metrics_read_init(struct metrics_read *r, struct ml_ctx *ctx)
{
	struct ml_snap_options opt = {
		.derive = ML_SNAP_ACCOUNTING,
		.retry = METRICS_SOURCES,
		.procs_no_cmdlines = true, /* the families name a process by its command */
	};
	int i;

	memset(r, 0, sizeof *r);
	r->ctx = ctx;
	for (i = 0; i < MS__COUNT; i++)
		r->state[i].name = src_names[i];
	ml_snapshot_init(&r->snap, &ctx->fs, &ctx->sysfs, &opt);
	ml_vmalloc_set_top(&r->snap.vm, 0);
}

void
metrics_read_release(struct metrics_read *r)
{
	int i;

	ml_snapshot_release(&r->snap);
	free(r->numa);
	for (i = 0; i < MS__COUNT; i++)
		free(r->why[i]);
	free(r->rows);
	memset(r, 0, sizeof *r);
}

/* Record how source s fared in this refresh; cause is taken (skipped sources only). */
static void
settle(struct metrics_read *r, enum metrics_src s, bool skipped, char *cause)
{
	const struct ml_snap_source *src = &r->snap.src[snap_of[s]];

	free(r->why[s]);
	r->why[s] = NULL;
	r->why_errno[s] = 0;
	r->state[s].readable = !skipped && ml_snapshot_has(&r->snap, snap_of[s]);
	if (skipped) {
		r->why[s] = cause;
		r->why_errno[s] = ETIME;
	} else if (!r->state[s].readable) {
		r->why[s] = ml_xstrdup(src->cause != NULL ? src->cause : strerror(src->err));
		r->why_errno[s] = src->err;
	}
}

/*
 * The snapshot's nodes source gives two: hugetlb, readable when its
 * directory could be listed (doc/procfs.md section 22), and numa, readable
 * only when every node's model was made (section 21): a node left out would
 * read as a node without memory in a sum by part.
 */
static void
settle_nodes(struct metrics_read *r)
{
	const struct ml_snapshot *s = &r->snap;
	const struct ml_hugetlb *h = &s->node_hugetlb;
	size_t i;

	settle(r, MS_HUGETLB, false, NULL);
	settle(r, MS_NUMA, false, NULL);
	if (r->state[MS_HUGETLB].readable && !h->listed) {
		r->state[MS_HUGETLB].readable = false;
		r->why[MS_HUGETLB] = ml_xasprintf("cannot list %s/" ML_HUGETLB_DIR ": %s",
						  r->ctx->sys_root, strerror(h->list_err));
		r->why_errno[MS_HUGETLB] = h->list_err;
	}
	if (!r->state[MS_NUMA].readable)
		return;
	r->numa = ml_xreallocarray(r->numa, s->nnodes ? s->nnodes : 1, sizeof *r->numa);
	for (i = 0; i < s->nnodes; i++) {
		if (!s->nodes[i].ok) {
			r->state[MS_NUMA].readable = false;
			r->why[MS_NUMA] = ml_xstrdup(
				s->nodes[i].why != NULL ? s->nodes[i].why : "a node was not read");
			r->why_errno[MS_NUMA] = EIO;
			return;
		}
		r->numa[i] = s->nodes[i].model;
	}
	r->nnuma = s->nnodes;
}

/* The processes with a user address space, for the process families. */
static void
collect_rows(struct metrics_read *r)
{
	const struct ml_proctab *t = &r->snap.procs;
	size_t i;

	if (t->n > r->rows_cap) {
		r->rows_cap = t->n + t->n / 4 + 16;
		r->rows = ml_xreallocarray(r->rows, r->rows_cap, sizeof *r->rows);
	}
	r->nrows = 0;
	for (i = 0; i < t->n; i++) {
		struct ml_proc *p = t->rows[i];

		/* Kernel threads and zombies have no memory; exited ones are gone. */
		if (p->kthread || p->mem == ML_MEM_NONE || p->mem == ML_MEM_GONE ||
		    p->mem == ML_MEM_UNREAD)
			continue;
		r->rows[r->nrows++] = p;
	}
}

void
metrics_read_refresh(struct metrics_read *r, double timeout)
{
	/* the cgroups after the processes: their members' sums come from the table */
	static const enum metrics_src timed[] = { MS_BUDDYINFO, MS_SLABINFO, MS_PROCESSES,
						  MS_CGROUPS };
	double start = now_seconds(), deadline = timeout > 0 ? start + timeout : 0, left;
	size_t i;

	if (deadline == 0) {
		/* No time limit: one refresh, the processes read in two threads. */
		r->snap.opt.procs_budget_ns = 0;
		ml_snapshot_refresh(&r->snap, METRICS_SOURCES);
		for (i = 0; i < MS__COUNT; i++)
			if (i != MS_HUGETLB && i != MS_NUMA)
				settle(r, (enum metrics_src)i, false, NULL);
	} else {
		ml_snapshot_refresh(&r->snap, MEMORY_SOURCES);
		settle(r, MS_MEMINFO, false, NULL);
		settle(r, MS_VMALLOCINFO, false, NULL);
		settle(r, MS_PRESSURE, false, NULL);
		settle(r, MS_ZRAM, false, NULL);
		settle(r, MS_ZONEINFO, false, NULL);
		for (i = 0; i < ML_ARRAY_SIZE(timed); i++) {
			left = deadline - now_seconds();
			if (left <= 0) {
				settle(r, timed[i], true,
				       ml_xasprintf("not read: the time limit of %g s ran out",
						    timeout));
				continue;
			}
			r->snap.opt.procs_budget_ns = (uint64_t)(left * 1e9) + 1;
			ml_snapshot_refresh(&r->snap, ML_SNAP(snap_of[timed[i]]));
			settle(r, timed[i], false, NULL);
		}
	}
	settle_nodes(r);
	if (r->state[MS_PROCESSES].readable)
		collect_rows(r);
	/* the members' PSS, from the processes of this refresh (no I/O) */
	r->cg_members = r->state[MS_CGROUPS].readable && r->state[MS_PROCESSES].readable;
	if (r->cg_members)
		ml_cgtree_sum_members(&r->snap.cgroups, &r->snap.procs);
	r->seconds = now_seconds() - start;
}

void
metrics_read_input(const struct metrics_read *r, struct ml_metrics_input *in)
{
	const struct ml_snapshot *s = &r->snap;

	memset(in, 0, sizeof *in);
	in->acct = r->state[MS_MEMINFO].readable ? ml_snapshot_accounting(s) : NULL;
	in->wm = r->state[MS_ZONEINFO].readable ? ml_snapshot_watermarks(s) : NULL;
	in->frag = r->state[MS_BUDDYINFO].readable ? ml_snapshot_frag(s) : NULL;
	in->slab = r->state[MS_SLABINFO].readable ? &s->slv : NULL;
	in->vmalloc = r->state[MS_VMALLOCINFO].readable ? &s->vm : NULL;
	in->psi = r->state[MS_PRESSURE].readable ? &s->psi : NULL;
	in->zram = r->state[MS_ZRAM].readable ? &s->zram : NULL;
	in->hugetlb = r->state[MS_HUGETLB].readable ? &s->node_hugetlb : NULL;
	in->cgroups = r->state[MS_CGROUPS].readable ? &s->cgroups : NULL;
	in->cgroup_members = r->cg_members;
	if (r->state[MS_NUMA].readable) {
		in->numa = r->numa;
		in->nnuma = r->nnuma;
	}
	if (r->state[MS_PROCESSES].readable) {
		in->procs = r->rows;
		in->nprocs = r->nrows;
	}
	in->sources = r->state;
	in->nsources = MS__COUNT;
	in->scrape_seconds = r->seconds;
	in->version = PACKAGE_VERSION;
}

int
metrics_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = UINT64_C(1) << 10;
		break;
	case 'M':
		mult = UINT64_C(1) << 20;
		break;
	case 'G':
		mult = UINT64_C(1) << 30;
		break;
	case 'T':
		mult = UINT64_C(1) << 40;
		break;
	default:
		return -1;
	}
	if (*p != '\0') {
		p++;
		if (strcmp(p, "iB") != 0 && strcmp(p, "B") != 0 && *p != '\0')
			return -1;
	}
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int
metrics_parse_procs_top(const char *s, size_t *out)
{
	uint64_t v;

	if (strpbrk(s, "kKMGTB") != NULL || metrics_parse_size(s, &v) != 0 ||
	    v > METRICS_PROCS_TOP_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}
