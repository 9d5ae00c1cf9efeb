/*
 * fragmentation: free memory that exists but not in blocks large enough
 * for the allocations that need them (doc/procfs.md sections 4 and 12.4;
 * model/fragmentation.h). Two orders matter on every machine:
 *
 *   the huge page order: a transparent huge page is one PMD, Hugepagesize
 *     (order 9 with 4 KiB pages, 13 with 64 KiB ones), derived from meminfo
 *     and the page size, never assumed; THP falls back to small pages, so
 *     a note
 *   the network order: the stack's page frags and jumbo frames ask for
 *     32 KiB blocks (SKB_FRAG_PAGE_ORDER, get_order(32768): order 3 with
 *     4 KiB pages, none with 64 KiB), often in atomic context where they
 *     cannot wait for compaction ("page allocation failure: order:3"), so a
 *     warning
 *
 * Judged by the kernel's unusable free space index at that order (the
 * share of free memory in smaller blocks), in zones with enough free memory
 * for fragmentation, not shortage, to be the cause.
 */
#include "config.h"

#include <stdio.h>

#include "model/rules/rules.h"

enum { NET_UNUSABLE_INDEX, THP_UNUSABLE_INDEX, MIN_FREE_MIB };

static const struct ml_rule_param params[] = {
	[NET_UNUSABLE_INDEX] = { "net_unusable_index", 0.9, 0, 1,
				 "warning when this share of a zone's free memory is in blocks "
				 "smaller than the network order (32 KiB)" },
	[THP_UNUSABLE_INDEX] = { "thp_unusable_index", 0.95, 0, 1,
				 "a note when this share is in blocks smaller than a huge page" },
	[MIN_FREE_MIB] = { "min_free_mib", 64, 0, 1e12,
			   "only zones with at least this much free memory (MiB) are judged" },
};

/* log2(bytes / page), when bytes is a power-of-two multiple of the page; else -1. */
static int
order_of(uint64_t bytes, uint64_t page)
{
	int o = 0;

	if (page == 0 || bytes < page || bytes % page != 0)
		return -1;
	bytes /= page;
	while (bytes > 1) {
		if (bytes & 1)
			return -1;
		bytes >>= 1;
		o++;
	}
	return o;
}

static void
finding(struct ml_rule_ctx *cx, const struct ml_frag *fr, const struct ml_frag_zone *z,
	unsigned int order, bool net)
{
	static const char *const sel = ".zones[] | select(.node == %d and .zone == \"%s\") | %s";
	const struct ml_frag_order *o = &z->order[order];
	struct ml_finding *f;
	struct ml_evidence *ev;
	char name[64], path[48];

	f = ml_finding_add(
		cx, net ? ML_SEV_WARNING : ML_SEV_NOTE, o->unusable / 1000.0,
		net ? "{zone}: {unusable share} of its {free} free is in blocks smaller than "
		      "{block} (order {order}), which the network stack allocates"
		    : "{zone}: {unusable share} of its {free} free is in blocks smaller than a "
		      "{block} huge page (order {order})",
		net ? "unusable index at order {order} = {unusable index} >= "
		      "{=net_unusable_index}, free >= {=min_free_mib}"
		    : "unusable index at order {order} = {unusable index} >= "
		      "{=thp_unusable_index}, free >= {=min_free_mib}",
		net ? "memlens buddy (free blocks by order), memlens explain --window 1m "
		      "(compaction); echo 1 > /proc/sys/vm/compact_memory compacts now; "
		      "vm.min_free_kbytes keeps more in reserve"
		    : "memlens buddy; grep thp_fault_fallback /proc/vmstat counts the fallbacks; "
		      "transparent_hugepage/defrag decides who compacts");
	snprintf(name, sizeof name, "Node %d %s", z->node, z->name);
	ml_finding_subject(cx, f, "%s", name);
	ml_ev_text(f, "zone", name, "buddyinfo");
	ev = ml_ev_u64(f, "free", ML_EV_BYTES, z->free_bytes, "buddyinfo");
	ml_ev_see(cx, ev, "buddy", sel, z->node, z->name, ".free_bytes");
	ml_ev_u64(f, "order", ML_EV_COUNT, order, NULL);
	ev = ml_ev_u64(f, "block", ML_EV_BYTES, o->block_bytes, NULL);
	snprintf(path, sizeof path, ".orders[%u].block_bytes", order);
	ml_ev_see(cx, ev, "buddy", sel, z->node, z->name, path);
	ev = ml_ev_double(f, "unusable index", ML_EV_INDEX, o->unusable / 1000.0, NULL);
	snprintf(path, sizeof path, ".orders[%u].unusable_index", order);
	ml_ev_see(cx, ev, "buddy", sel, z->node, z->name, path);
	ml_ev_double(f, "unusable share", ML_EV_PERCENT, o->unusable / 10.0, NULL);
	ev = ml_ev_double(f, "fragmentation index", ML_EV_INDEX, o->extfrag / 1000.0, NULL);
	snprintf(path, sizeof path, ".orders[%u].extfrag_index", order);
	ml_ev_see(cx, ev, "buddy", sel, z->node, z->name, path);
	if (z->largest_order >= 0) {
		ev = ml_ev_u64(f, "largest free block", ML_EV_BYTES,
			       fr->page_size << z->largest_order, "buddyinfo");
		ml_ev_see(cx, ev, "buddy", sel, z->node, z->name, ".largest_free_block_bytes");
	}
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_frag *fr = ml_snapshot_frag(in->now);
	const double *t = cx->thr;
	uint64_t ps = fr->page_size, hpsz;
	int net = order_of(32768, ps), thp = -1;
	size_t i;

	if (ps == 0) {
		ml_rule_not_judged(cx, "the page size is unknown, so are the orders that matter");
		return;
	}
	if (ml_rule_meminfo(in->now, ML_MI_HUGEPAGESIZE, &hpsz))
		thp = order_of(hpsz, ps);
	if (net == 0)
		net = -1; /* 32 KiB or larger pages: every block serves it */
	if ((net < 0 || (unsigned int)net >= fr->norders) &&
	    (thp < 0 || (unsigned int)thp >= fr->norders)) {
		ml_rule_not_judged(cx, "no order of interest below the allocator's largest (%u)",
				   fr->norders);
		return;
	}
	ml_rule_judged(cx);
	for (i = 0; i < fr->nzones; i++) {
		const struct ml_frag_zone *z = &fr->zones[i];

		if (z->overflow || !z->bytes_known ||
		    (double)z->free_bytes < t[MIN_FREE_MIB] * 1024 * 1024)
			continue;
		if (net >= 0 && (unsigned int)net < fr->norders && z->order[net].index_known &&
		    z->order[net].unusable / 1000.0 >= t[NET_UNUSABLE_INDEX])
			finding(cx, fr, z, (unsigned int)net, true);
		else if (thp >= 0 && (unsigned int)thp < fr->norders && z->order[thp].index_known &&
			 z->order[thp].unusable / 1000.0 >= t[THP_UNUSABLE_INDEX])
			finding(cx, fr, z, (unsigned int)thp, false);
	}
}

const struct ml_rule ml_rule_fragmentation = {
	.name = "fragmentation",
	.title = "Fragmentation",
	.checks = "free memory too fragmented for the network order (32 KiB) and the huge page "
		  "order, per zone (buddyinfo)",
	.needs = ML_SNAP(ML_SNAP_BUDDYINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
