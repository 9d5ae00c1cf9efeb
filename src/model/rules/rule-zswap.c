/*
 * zswap: the compressed swap cache in RAM (meminfo Zswap, the pool, and
 * Zswapped, what it holds uncompressed; 5.19+, doc/procfs.md section 2).
 * It earns its RAM by the ratio Zswapped / Zswap: a pool that compresses
 * little holds pages that would have cost less on the swap device, and a
 * pool that grows to a large share of MemTotal squeezes the page cache.
 * Over a window, pages written back from the pool to swap (vmstat zswpwb)
 * say the pool is full.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { MIN_RATIO, MIN_MIB, POOL_PCT, WRITEBACK_PER_S };

static const struct ml_rule_param params[] = {
	[MIN_RATIO] = { "min_ratio", 1.5, 0, 1000,
			"a note when the pool holds less than this many times its size" },
	[MIN_MIB] = { "min_mib", 64, 0, 1e12, "only pools of at least this size (MiB)" },
	[POOL_PCT] = { "pool_pct", 20, 0, 100, "a note when the pool is this share of MemTotal" },
	[WRITEBACK_PER_S] = { "writeback_per_s", 100, 0, 1e12,
			      "over a window, a note when the pool writes back this many pages "
			      "a second to swap (it is full)" },
};

static const char *const next =
	"grep -r . /sys/module/zswap/parameters (compressor, max_pool_percent); memlens procs "
	"--sort swap; a stronger compressor (zstd) or a smaller max_pool_percent";

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	uint64_t pool, held, total, wb;
	struct ml_finding *f;
	double ratio, share;

	if (!ml_rule_meminfo(in->now, ML_MI_ZSWAP, &pool) ||
	    !ml_rule_meminfo(in->now, ML_MI_ZSWAPPED, &held) ||
	    !ml_rule_meminfo(in->now, ML_MI_MEM_TOTAL, &total) || total == 0) {
		ml_rule_not_judged(cx, "no Zswap and Zswapped in meminfo (they appeared in 5.19)");
		return;
	}
	ml_rule_judged(cx);
	if (pool > 0 && (double)pool >= t[MIN_MIB] * 1048576) {
		ratio = (double)held / (double)pool;
		share = 100.0 * (double)pool / (double)total;
		if (ratio < t[MIN_RATIO] || share >= t[POOL_PCT]) {
			f = ml_finding_add(
				cx, ML_SEV_NOTE, share,
				ratio < t[MIN_RATIO]
					? "zswap's pool of {Zswap} holds {Zswapped}: compressed "
					  "{compression ratio} to 1, it saves little RAM"
					: "zswap's pool is {Zswap}, {pool share} of MemTotal (it "
					  "holds "
					  "{Zswapped})",
				ratio < t[MIN_RATIO] ? "Zswapped / Zswap = {compression ratio} < "
						       "{=min_ratio}, Zswap "
						       ">= {=min_mib}"
						     : "Zswap / MemTotal = {pool share} >= "
						       "{=pool_pct}, Zswap >= "
						       "{=min_mib}",
				next);
			ml_ev_meminfo(cx, f, in->now, ML_MI_ZSWAP);
			ml_ev_meminfo(cx, f, in->now, ML_MI_ZSWAPPED);
			ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
			ml_ev_double(f, "compression ratio", ML_EV_RATIO, ratio, NULL);
			ml_ev_double(f, "pool share", ML_EV_PERCENT, share, NULL);
		}
	}
	if (ml_rule_vmstat_delta(in, "zswpwb", &wb) && wb > 0 &&
	    (double)wb / in->seconds >= t[WRITEBACK_PER_S]) {
		f = ml_finding_add(
			cx, ML_SEV_NOTE, (double)wb / in->seconds,
			"zswap wrote {zswpwb per second} pages a second back to swap: its "
			"pool is full",
			"zswpwb increase / window = {zswpwb per second} >= "
			"{=writeback_per_s}",
			next);
		ml_ev_vmstat(cx, f, in->now, "zswpwb");
		ml_ev_double(f, "zswpwb per second", ML_EV_PER_S, (double)wb / in->seconds, NULL);
		ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
		ml_ev_meminfo(cx, f, in->now, ML_MI_ZSWAP);
	}
}

const struct ml_rule ml_rule_zswap = {
	.name = "zswap",
	.title = "zswap",
	.checks = "the zswap pool: what it holds against its size, its share of MemTotal, "
		  "writeback to swap",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
