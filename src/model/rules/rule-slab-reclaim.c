/*
 * slab-reclaim: reclaimable slab (meminfo SReclaimable: dentries, inodes,
 * buffer heads) that did not shrink over a window in which reclaim ran
 * (vmstat pgscan_kswapd and pgscan_direct, doc/procfs.md sections 2 and 8).
 * "Reclaimable" is a promise the shrinkers keep only for objects nobody
 * holds: open files, pinned dentries, negative dentries in the millions.
 * MemAvailable counts half of it as available; here it is not.
 */
#include "config.h"

#include <string.h>

#include "model/rules/rules.h"

enum { MIN_PCT, SCAN_PER_S };

static const struct ml_rule_param params[] = {
	[MIN_PCT] = { "min_pct", 10, 0, 100,
		      "only when SReclaimable is at least this share of MemTotal" },
	[SCAN_PER_S] = { "scan_per_s", 100, 0, 1e12,
			 "reclaim ran: pages scanned a second (kswapd and direct) over the "
			 "window" },
};

/* The largest reclaimable cache that did not shrink, as evidence. */
static void
add_largest(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_rule_input *in)
{
	const struct ml_slab_view *now = &in->now->slv, *before = &in->before->slv;
	const struct ml_slab_row *best = NULL;
	struct ml_evidence *ev;
	char q[256];
	uint32_t i, j;

	if (!ml_rule_has(in->now, ML_SNAP_SLABINFO) || !ml_rule_has(in->before, ML_SNAP_SLABINFO) ||
	    !now->has_bytes)
		return;
	for (i = 0; i < now->n; i++) {
		const struct ml_slab_row *r = &now->rows[i];

		if (r->cache->reclaim != ML_SLAB_RECLAIM_YES ||
		    (best != NULL && r->bytes <= best->bytes))
			continue;
		for (j = 0; j < before->n; j++)
			if (before->rows[j].cache->dup == r->cache->dup &&
			    strcmp(before->rows[j].cache->name, r->cache->name) == 0)
				break;
		if (j < before->n && before->rows[j].bytes <= r->bytes)
			best = r;
	}
	if (best == NULL)
		return;
	ml_ev_text(f, "largest cache that did not shrink", best->cache->name, "slabinfo");
	ev = ml_ev_u64(f, "its memory", ML_EV_BYTES, best->bytes, "slabinfo");
	if (ml_rule_slab_unique(now, best->cache))
		ml_ev_see(cx, ev, "slab", "first(.caches[] | select(.name == %s)) | .memory",
			  ml_rule_jq_string(q, sizeof q, best->cache->name));
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	uint64_t now, before, total, dk, dd;
	struct ml_finding *f;
	double share, scan;

	if (in->before == NULL) {
		ml_rule_not_judged(cx, "needs a window (-i SEC or --window DUR): whether reclaim "
				       "shrank it");
		return;
	}
	if (!ml_rule_meminfo(in->now, ML_MI_SRECLAIMABLE, &now) ||
	    !ml_rule_meminfo(in->before, ML_MI_SRECLAIMABLE, &before) ||
	    !ml_rule_meminfo(in->now, ML_MI_MEM_TOTAL, &total) || total == 0) {
		ml_rule_not_judged(cx, "no SReclaimable in meminfo (it appeared in 2.6.19)");
		return;
	}
	if (!ml_rule_act_delta(in, ML_ACT_PGSCAN_KSWAPD, &dk) ||
	    !ml_rule_act_delta(in, ML_ACT_PGSCAN_DIRECT, &dd)) {
		ml_rule_not_judged(cx, "vmstat has no pgscan counters in both readings");
		return;
	}
	ml_rule_judged(cx);
	share = 100.0 * (double)now / (double)total;
	scan = (double)(dk + dd) / in->seconds;
	if (now < before || share < t[MIN_PCT] || scan < t[SCAN_PER_S] || dk + dd == 0)
		return;
	f = ml_finding_add(
		cx, ML_SEV_WARNING, share,
		"reclaim scanned {pages scanned per second} pages a second, yet "
		"reclaimable slab did not shrink ({SReclaimable before} to "
		"{SReclaimable}, {SReclaimable share} of MemTotal)",
		"pgscan a second = {pages scanned per second} >= {=scan_per_s}, "
		"SReclaimable now >= before, SReclaimable / MemTotal = {SReclaimable "
		"share} >= {=min_pct}",
		"memlens slab -i 5 --sort growth (which caches); cat "
		"/proc/sys/fs/dentry-state (negative dentries); lsof | wc -l (open "
		"files pin inodes); echo 2 > /proc/sys/vm/drop_caches tests whether they "
		"can go");
	ml_ev_u64(f, "SReclaimable before", ML_EV_BYTES, before, "meminfo");
	ml_ev_meminfo(cx, f, in->now, ML_MI_SRECLAIMABLE);
	ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
	ml_ev_double(f, "SReclaimable share", ML_EV_PERCENT, share, NULL);
	ml_ev_double(f, "pages scanned per second", ML_EV_PER_S, scan, NULL);
	ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
	add_largest(cx, f, in);
}

const struct ml_rule ml_rule_slab_reclaim = {
	.name = "slab-reclaim",
	.title = "Reclaimable slab that does not shrink",
	.checks = "over a window with reclaim running, SReclaimable that did not shrink",
	.needs = ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
