/*
 * One sample of a snapshot into the growth model: the items memlens growth
 * and explain's leak rule both fit, fed the same way so that a suspect and its
 * slope are the same whichever shows it (tests/cli/1430 compares them value
 * by value): the kernel parts of meminfo and memlens's unaccounted remainder,
 * each slab cache (an unreclaimable one part of SUnreclaim), each vmalloc
 * caller (part of VmallocUsed, a stack's of KernelStack when stacks are
 * vmalloc'd) and each process's RSS (PID/status, doc/procfs.md section 18).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/growth.h"
#include "model/snapshot.h"

/* The kernel parts of meminfo that are items. */
static const enum ml_mi_key kernel_fields[] = {
	ML_MI_SUNRECLAIM, ML_MI_PAGE_TABLES,  ML_MI_KERNEL_STACK,
	ML_MI_PERCPU,     ML_MI_VMALLOC_USED, ML_MI_SHMEM,
};

/* A kernel part's item, when the kernel parts are sampled and it was read. */
static struct ml_growth_item *
kernel_item(struct ml_growth *g, enum ml_mi_key k)
{
	return ml_growth_find(g, ML_GROWTH_KERNEL, ml_meminfo_keys[k].name, 0, 0);
}

static int
feed_kernel(struct ml_growth *g, const struct ml_snapshot *s)
{
	const struct ml_meminfo *mi = ml_snapshot_meminfo(s);
	const struct ml_accounting *a = ml_snapshot_accounting(s);
	struct ml_growth_item *it;
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(kernel_fields); i++) {
		enum ml_mi_key k = kernel_fields[i];

		if (!ml_meminfo_has(mi, k))
			continue;
		it = ml_growth_item(g, ML_GROWTH_KERNEL, ml_meminfo_keys[k].name, 0, 0, false);
		if (it == NULL)
			return -1;
		ml_growth_observe(g, it, ml_meminfo_get(mi, k));
	}
	if (a == NULL)
		return 0;
	it = ml_growth_item(g, ML_GROWTH_KERNEL, ML_GROWTH_UNACCOUNTED, 0, 0, true);
	if (it == NULL)
		return -1;
	ml_growth_observe_signed(g, it, a->unaccounted);
	/* vmalloc'd kernel stacks are inside VmallocUsed (doc/accounting.md). */
	if ((a->notes & ML_ACCT_NOTE_VMAP_STACK) && (it = kernel_item(g, ML_MI_KERNEL_STACK)))
		ml_growth_set_parent(g, it, kernel_item(g, ML_MI_VMALLOC_USED));
	return 0;
}

static int
feed_slab(struct ml_growth *g, const struct ml_snapshot *s)
{
	const struct ml_slab_view *v = &s->slv;
	struct ml_growth_item *sunreclaim = kernel_item(g, ML_MI_SUNRECLAIM);
	uint32_t i;

	for (i = 0; i < v->n; i++) {
		const struct ml_slab_row *r = &v->rows[i];
		struct ml_growth_item *it =
			ml_growth_item(g, ML_GROWTH_SLAB, r->cache->name, r->cache->dup, 0, false);

		if (it == NULL)
			return -1;
		ml_growth_observe(g, it, r->bytes);
		/* Reclaimable caches are SReclaimable's, which is not an item. */
		ml_growth_set_parent(g, it,
				     r->cache->reclaim == ML_SLAB_RECLAIM_YES ? NULL : sunreclaim);
	}
	return 0;
}

const char *
ml_growth_caller_id(char *buf, size_t cap, const struct ml_vm_group *grp)
{
	if (grp->module == NULL || strcmp(grp->module, "kernel") == 0 || grp->module[0] == '(')
		snprintf(buf, cap, "%s", grp->name);
	else
		snprintf(buf, cap, "%s [%s]", grp->name, grp->module);
	return buf;
}

static int
feed_vmalloc(struct ml_growth *g, const struct ml_snapshot *s)
{
	const struct ml_vm_table *t = &s->vm.tab[ML_VM_BY_CALLER];
	struct ml_growth_item *used = kernel_item(g, ML_MI_VMALLOC_USED);
	struct ml_growth_item *stacks = kernel_item(g, ML_MI_KERNEL_STACK);
	char id[256];
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		const struct ml_vm_group *grp = &t->g[i];
		struct ml_growth_item *it;

		/* Unpurged areas are freed address space, not memory. */
		if (grp->unpurged)
			continue;
		it = ml_growth_item(g, ML_GROWTH_VMALLOC, ml_growth_caller_id(id, sizeof id, grp),
				    0, 0, false);
		if (it == NULL)
			return -1;
		ml_growth_observe(g, it, grp->pages * s->vm.page_size);
		ml_growth_set_parent(g, it,
				     grp->is_stack && stacks != NULL && stacks->parent >= 0 ? stacks
											    : used);
	}
	return 0;
}

static int
feed_procs(struct ml_growth *g, const struct ml_snapshot *s)
{
	const struct ml_psampler *ps = &s->rss;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct ml_psample *r = &ps->rows[i];
		struct ml_growth_item *it =
			ml_growth_item(g, ML_GROWTH_PROC, NULL, (uint64_t)r->pid, r->start, false);

		if (it == NULL)
			return -1;
		snprintf(it->label, sizeof it->label, "%s", r->comm);
		ml_growth_observe(g, it, r->rss);
	}
	return 0;
}

int
ml_growth_feed(struct ml_growth *g, const struct ml_snapshot *s, unsigned int kinds)
{
	int rc = 0;

	/* The kernel parts first: the slab caches and vmalloc callers nest in them. */
	if ((kinds & (1u << ML_GROWTH_KERNEL)) && ml_snapshot_has(s, ML_SNAP_MEMINFO) &&
	    ml_snapshot_meminfo(s) != NULL)
		rc |= feed_kernel(g, s);
	if ((kinds & (1u << ML_GROWTH_SLAB)) && ml_snapshot_has(s, ML_SNAP_SLABINFO))
		rc |= feed_slab(g, s);
	if ((kinds & (1u << ML_GROWTH_VMALLOC)) && ml_snapshot_has(s, ML_SNAP_VMALLOCINFO))
		rc |= feed_vmalloc(g, s);
	if ((kinds & (1u << ML_GROWTH_PROC)) && ml_snapshot_has(s, ML_SNAP_PROC_RSS))
		rc |= feed_procs(g, s);
	if (rc != 0)
		errno = ENOMEM;
	return rc != 0 ? -1 : 0;
}

void
ml_growth_mem_read(struct ml_growth_mem *m, const struct ml_snapshot *s)
{
	const struct ml_headline *h = ml_snapshot_headline(s);
	const struct ml_meminfo *mi = ml_snapshot_meminfo(s);

	m->has_available = h != NULL && h->available.known;
	m->available = m->has_available ? h->available.v : 0;
	m->has_commit = mi != NULL && ml_meminfo_has(mi, ML_MI_COMMIT_LIMIT) &&
			ml_meminfo_has(mi, ML_MI_COMMITTED_AS);
	if (m->has_commit) {
		m->commit_limit = ml_meminfo_get(mi, ML_MI_COMMIT_LIMIT);
		m->committed = ml_meminfo_get(mi, ML_MI_COMMITTED_AS);
	}
}
