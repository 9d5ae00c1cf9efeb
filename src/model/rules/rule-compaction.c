/*
 * compaction: allocations that found no free block of their order and
 * compacted memory themselves (vmstat compact_stall), and how often that
 * failed (compact_fail) against how often it worked (compact_success),
 * doc/procfs.md section 8. Over a window, stalls a second are latency
 * now (a warning); since boot, a high failure share is a note: high-order
 * allocations (huge pages, network buffers) mostly fall back or fail.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { STALL_PER_S, FAIL_PCT, MIN_STALLS };

static const struct ml_rule_param params[] = {
	[STALL_PER_S] = { "stall_per_s", 1, 0, 1e12,
			  "over a window, warning when allocations stall to compact this often "
			  "a second" },
	[FAIL_PCT] = { "fail_pct", 50, 0, 100,
		       "a note when compaction failed this share of the times it ended "
		       "(fail / (fail + success))" },
	[MIN_STALLS] = { "min_stalls", 100, 0, 1e15,
			 "the note needs at least this many compaction stalls since boot" },
};

static const char *const next =
	"memlens buddy (free blocks by order); transparent_hugepage/defrag set to defer or "
	"madvise keeps page faults from compacting; vm.extfrag_threshold";

static void
add_counters(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snapshot *s)
{
	ml_ev_vmstat(cx, f, s, "compact_stall");
	ml_ev_vmstat(cx, f, s, "compact_fail");
	ml_ev_vmstat(cx, f, s, "compact_success");
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	uint64_t stall, cfail, ok, dstall, dfail, dok;
	struct ml_finding *f;
	double share;

	if (!ml_rule_vmstat(in->now, "compact_stall", &stall) ||
	    !ml_rule_vmstat(in->now, "compact_fail", &cfail) ||
	    !ml_rule_vmstat(in->now, "compact_success", &ok)) {
		ml_rule_not_judged(cx, "this kernel's vmstat has no compact_stall, compact_fail "
				       "and compact_success (CONFIG_COMPACTION)");
		return;
	}
	ml_rule_judged(cx);
	if (ml_rule_vmstat_delta(in, "compact_stall", &dstall) &&
	    ml_rule_vmstat_delta(in, "compact_fail", &dfail) &&
	    ml_rule_vmstat_delta(in, "compact_success", &dok) && dstall > 0 &&
	    (double)dstall / in->seconds >= t[STALL_PER_S]) {
		f = ml_finding_add(cx, ML_SEV_WARNING, (double)dstall / in->seconds,
				   "allocations stalled to compact memory {compact_stall per "
				   "second}; {window failures} of those that ended failed",
				   "compact_stall increase / window = {compact_stall per second} "
				   ">= {=stall_per_s}",
				   next);
		add_counters(cx, f, in->now);
		ml_ev_double(f, "compact_stall per second", ML_EV_PER_S,
			     (double)dstall / in->seconds, NULL);
		ml_ev_double(f, "window failures", ML_EV_PERCENT,
			     dfail + dok > 0 ? 100.0 * (double)dfail / (double)(dfail + dok) : 0,
			     NULL);
		ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
		return;
	}
	if (cfail + ok == 0 || (double)stall < t[MIN_STALLS])
		return;
	share = 100.0 * (double)cfail / (double)(cfail + ok);
	if (share < t[FAIL_PCT])
		return;
	f = ml_finding_add(cx, ML_SEV_NOTE, share,
			   "compaction failed {failure share} of the times it ended since boot "
			   "({compact_fail} failures, {compact_success} successes)",
			   "compact_fail / (compact_fail + compact_success) = {failure share} >= "
			   "{=fail_pct}, compact_stall >= {=min_stalls}",
			   next);
	add_counters(cx, f, in->now);
	ml_ev_double(f, "failure share", ML_EV_PERCENT, share, NULL);
}

const struct ml_rule ml_rule_compaction = {
	.name = "compaction",
	.title = "Compaction",
	.checks = "allocations stalling to compact, and compaction failing against succeeding "
		  "(vmstat)",
	.needs = ML_SNAP(ML_SNAP_VMSTAT),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
