/*
 * swap: pages swapped in and out over a window (vmstat pswpin, pswpout,
 * doc/procfs.md section 8). Swapping out alone is reclaim doing its job;
 * swapping in and out at once, at a rate, is thrashing: the working set does
 * not fit. Also swap space nearly used up, from one reading.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { THRASH_PER_S, THRASH_CRIT_PER_S, FREE_PCT };

static const struct ml_rule_param params[] = {
	[THRASH_PER_S] = { "thrash_per_s", 100, 0, 1e12,
			   "warning when pages are swapped both in and out at least this fast "
			   "over a window" },
	[THRASH_CRIT_PER_S] = { "thrash_crit_per_s", 2000, 0, 1e12,
				"critical when both are at least this fast" },
	[FREE_PCT] = { "free_pct", 10, 0, 100,
		       "warning when SwapFree is below this share of SwapTotal" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	struct ml_finding *f;
	uint64_t din, dout, total, sfree;
	double rin, rout, share;

	ml_rule_judged(cx);
	if (ml_rule_meminfo(in->now, ML_MI_SWAP_TOTAL, &total) && total > 0 &&
	    ml_rule_meminfo(in->now, ML_MI_SWAP_FREE, &sfree) &&
	    (share = 100.0 * (double)sfree / (double)total) < t[FREE_PCT]) {
		f = ml_finding_add(cx, ML_SEV_WARNING, t[FREE_PCT] - share,
				   "swap is nearly full: {SwapFree} free of {SwapTotal}",
				   "SwapFree / SwapTotal = {swap free share} < {=free_pct}",
				   "memlens procs --sort swap (who is swapped out); more swap, or "
				   "less memory in use");
		ml_ev_meminfo(cx, f, in->now, ML_MI_SWAP_FREE);
		ml_ev_meminfo(cx, f, in->now, ML_MI_SWAP_TOTAL);
		ml_ev_double(f, "swap free share", ML_EV_PERCENT, share, NULL);
	}
	if (!ml_rule_act_delta(in, ML_ACT_PSWPIN, &din) ||
	    !ml_rule_act_delta(in, ML_ACT_PSWPOUT, &dout))
		return;
	rin = (double)din / in->seconds;
	rout = (double)dout / in->seconds;
	if (rin < t[THRASH_PER_S] || rout < t[THRASH_PER_S] || din == 0 || dout == 0)
		return;
	{
		bool crit = rin >= t[THRASH_CRIT_PER_S] && rout >= t[THRASH_CRIT_PER_S];

		f = ml_finding_add(
			cx, crit ? ML_SEV_CRITICAL : ML_SEV_WARNING, rin < rout ? rin : rout,
			"thrashing: {pswpin per second} pages swapped in and {pswpout per "
			"second} out",
			crit ? "pswpin and pswpout a second both >= {=thrash_crit_per_s}"
			     : "pswpin and pswpout a second both >= {=thrash_per_s}",
			"memlens procs --sort swap -i 5 (whose memory moves), vmstat 1 "
			"(si/so); the working set does not fit: more memory or a smaller "
			"workload");
	}
	ml_ev_act(cx, f, in->now, ML_ACT_PSWPIN);
	ml_ev_act(cx, f, in->now, ML_ACT_PSWPOUT);
	ml_ev_double(f, "pswpin per second", ML_EV_PER_S, rin, NULL);
	ml_ev_double(f, "pswpout per second", ML_EV_PER_S, rout, NULL);
	ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
}

const struct ml_rule ml_rule_swap = {
	.name = "swap",
	.title = "Swap",
	.checks = "swap-ins and swap-outs a second over a window (thrashing); swap space left",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
