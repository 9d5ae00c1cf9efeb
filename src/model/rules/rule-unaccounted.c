/*
 * unaccounted: memory the kernel allocated without a meminfo counter:
 * MemTotal minus every part memlens names (model/accounting.h,
 * doc/accounting.md). Drivers' own pages (GPU buffers, network rings,
 * RDMA), zram's compressed store, memory reserved at boot and freed late.
 * A kernel leak outside the slab and vmalloc shows up only here.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { NOTE_PCT, WARN_PCT, MIN_MIB };

static const struct ml_rule_param params[] = {
	[NOTE_PCT] = { "note_pct", 5, 0, 100,
		       "a note when the unaccounted remainder is this share of MemTotal" },
	[WARN_PCT] = { "warn_pct", 15, 0, 100,
		       "warning when the unaccounted remainder is this share of MemTotal" },
	[MIN_MIB] = { "min_mib", 256, 0, 1e12,
		      "findings need at least this much unaccounted memory (MiB)" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_accounting *a = ml_snapshot_accounting(in->now);
	const double *t = cx->thr;
	struct ml_finding *f;
	struct ml_evidence *ev;
	double share;
	bool warn;

	if (a == NULL || a->total == 0) {
		ml_rule_not_judged(cx, "no accounting of MemTotal");
		return;
	}
	ml_rule_judged(cx);
	if (a->unaccounted <= 0 || (double)a->unaccounted < t[MIN_MIB] * 1048576)
		return;
	share = 100.0 * (double)a->unaccounted / (double)a->total;
	if (share < t[NOTE_PCT])
		return;
	warn = share >= t[WARN_PCT];
	f = ml_finding_add(cx, warn ? ML_SEV_WARNING : ML_SEV_NOTE, share,
			   "{unaccounted} ({unaccounted share} of MemTotal) is used by the kernel "
			   "without a meminfo counter",
			   warn ? "(MemTotal - the named parts) / MemTotal = {unaccounted share} "
				  ">= {=warn_pct}, >= {=min_mib}"
				: "(MemTotal - the named parts) / MemTotal = {unaccounted share} "
				  ">= {=note_pct}, >= {=min_mib}",
			   "memlens summary (the parts); zramctl (zram's store); the GPU driver's "
			   "debugfs (dri/*/gem_names, dma_buf/bufinfo); /proc/net/sockstat (socket "
			   "buffers); memlens growth --what kernel (is it growing?)");
	ev = ml_ev_i64(f, "unaccounted", ML_EV_BYTES, a->unaccounted, NULL);
	ml_ev_see(cx, ev, "summary",
		  ".accounting.parts[] | select(.name == \"unaccounted\") | .bytes");
	ev = ml_ev_u64(f, "MemTotal", ML_EV_BYTES, a->total, "meminfo");
	ml_ev_see(cx, ev, "meminfo", ".meminfo.MemTotal");
	ml_ev_double(f, "unaccounted share", ML_EV_PERCENT, share, NULL);
}

const struct ml_rule ml_rule_unaccounted = {
	.name = "unaccounted",
	.title = "Unaccounted memory",
	.checks = "the part of MemTotal no meminfo counter names, against MemTotal",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
