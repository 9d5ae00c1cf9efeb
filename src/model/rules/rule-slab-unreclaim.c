/*
 * slab-unreclaim: kernel memory in slab caches that reclaim cannot free
 * (meminfo SUnreclaim, doc/procfs.md sections 2 and 6). Large against
 * MemTotal, or growing over a window, it is the usual shape of a kernel
 * leak (a driver, a filesystem, a netfilter table); memlens slab names the
 * caches, memlens growth says whether the growth is steady.
 */
#include "config.h"

#include <math.h>

#include "model/rules/rules.h"

enum { NOTE_PCT, WARN_PCT, GROW_MIB_H, MIN_GROW_MIB };

static const struct ml_rule_param params[] = {
	[NOTE_PCT] = { "note_pct", 5, 0, 100, "a note when SUnreclaim is this share of MemTotal" },
	[WARN_PCT] = { "warn_pct", 10, 0, 100,
		       "warning when SUnreclaim is this share of MemTotal" },
	[GROW_MIB_H] = { "grow_mib_h", 64, 0, 1e12,
			 "over a window, a note when SUnreclaim grows this fast (MiB an hour)" },
	[MIN_GROW_MIB] = { "min_grow_mib", 8, 0, 1e12,
			   "the growth note needs at least this much growth (MiB) in the window" },
};

/* The largest cache the kernel marks unreclaimable, as evidence. */
static void
add_largest(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snapshot *s)
{
	const struct ml_slab_row *best = NULL;
	struct ml_evidence *ev;
	char q[256];
	uint32_t i;

	if (!ml_rule_has(s, ML_SNAP_SLABINFO) || !s->slv.has_bytes)
		return;
	for (i = 0; i < s->slv.n; i++) {
		const struct ml_slab_row *r = &s->slv.rows[i];

		if (r->cache->reclaim == ML_SLAB_RECLAIM_NO &&
		    (best == NULL || r->bytes > best->bytes))
			best = r;
	}
	if (best == NULL)
		return;
	ml_ev_text(f, "largest unreclaimable cache", best->cache->name, "slabinfo");
	ev = ml_ev_u64(f, "its memory", ML_EV_BYTES, best->bytes, "slabinfo");
	if (ml_rule_slab_unique(&s->slv, best->cache))
		ml_ev_see(cx, ev, "slab", "first(.caches[] | select(.name == %s)) | .memory",
			  ml_rule_jq_string(q, sizeof q, best->cache->name));
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	uint64_t sun, total, before;
	struct ml_finding *f;
	double share, rate;

	if (!ml_rule_meminfo(in->now, ML_MI_SUNRECLAIM, &sun) ||
	    !ml_rule_meminfo(in->now, ML_MI_MEM_TOTAL, &total) || total == 0) {
		ml_rule_not_judged(cx, "no SUnreclaim in meminfo (it appeared in 2.6.19)");
		return;
	}
	ml_rule_judged(cx);
	share = 100.0 * (double)sun / (double)total;
	if (share >= t[NOTE_PCT]) {
		f = ml_finding_add(
			cx, share >= t[WARN_PCT] ? ML_SEV_WARNING : ML_SEV_NOTE, share,
			"{SUnreclaim} of unreclaimable slab, {SUnreclaim share} of "
			"MemTotal",
			share >= t[WARN_PCT]
				? "SUnreclaim / MemTotal = {SUnreclaim share} >= {=warn_pct}"
				: "SUnreclaim / MemTotal = {SUnreclaim share} >= {=note_pct}",
			"memlens slab (the caches, as root), memlens growth --what "
			"slab,kernel (is it steady?); slub_debug=U and "
			"/sys/kernel/slab/CACHE/alloc_calls name the callers");
		ml_ev_meminfo(cx, f, in->now, ML_MI_SUNRECLAIM);
		ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
		ml_ev_double(f, "SUnreclaim share", ML_EV_PERCENT, share, NULL);
		add_largest(cx, f, in->now);
	}
	if (in->before == NULL || !ml_rule_meminfo(in->before, ML_MI_SUNRECLAIM, &before) ||
	    before >= sun)
		return;
	rate = (double)(sun - before) / in->seconds;
	if (rate * 3600 < t[GROW_MIB_H] * 1048576 ||
	    (double)(sun - before) < t[MIN_GROW_MIB] * 1048576)
		return;
	f = ml_finding_add(
		cx, ML_SEV_NOTE, rate,
		"unreclaimable slab grew {growth} in {window} ({growth rate})",
		"SUnreclaim increase / window = {growth rate} >= {=grow_mib_h}, increase "
		">= {=min_grow_mib}",
		"memlens slab -i 5 --sort growth (which caches), memlens growth --what "
		"slab,kernel (is it steady?)");
	ml_ev_u64(f, "SUnreclaim before", ML_EV_BYTES, before, "meminfo");
	ml_ev_meminfo(cx, f, in->now, ML_MI_SUNRECLAIM);
	ml_ev_u64(f, "growth", ML_EV_BYTES, sun - before, NULL);
	ml_ev_double(f, "growth rate", ML_EV_BYTES_PER_S, rate, NULL);
	ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
}

const struct ml_rule ml_rule_slab_unreclaim = {
	.name = "slab-unreclaim",
	.title = "Unreclaimable slab",
	.checks = "SUnreclaim against MemTotal; over a window, how fast it grows",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
