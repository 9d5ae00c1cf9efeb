/*
 * available: memory exhaustion. MemAvailable (the kernel's estimate of what
 * can be allocated without swapping, doc/procfs.md section 2; estimated with
 * the 3.14 formula on older kernels) low against MemTotal; and, over a
 * window, falling, with the time it takes to reach 0 at that pace.
 *
 * Two readings are not a trend: a fall is a note, a warning only when it
 * would exhaust memory soon and memory is already below watch_pct. A steady
 * fall over many samples is the leak rule's (model/growth.h).
 */
#include "config.h"

#include "model/rules/rules.h"

enum { WARN_PCT, CRIT_PCT, FALL_PCT, WATCH_PCT, ETA_WARN_MIN };

static const struct ml_rule_param params[] = {
	[WARN_PCT] = { "warn_pct", 10, 0, 100,
		       "warning when MemAvailable is below this share of MemTotal" },
	[CRIT_PCT] = { "crit_pct", 5, 0, 100,
		       "critical when MemAvailable is below this share of MemTotal" },
	[FALL_PCT] = { "fall_pct", 1, 0, 100,
		       "over a window, a fall of MemAvailable of this share of MemTotal is noted" },
	[WATCH_PCT] = { "watch_pct", 25, 0, 100,
			"a fall is a warning only while MemAvailable is below this share of "
			"MemTotal" },
	[ETA_WARN_MIN] = { "eta_warn_min", 30, 0, 1e9,
			   "a fall is a warning only when it would empty MemAvailable within this "
			   "many minutes" },
};

static const char *const next_low =
	"memlens summary (where MemTotal goes), memlens procs (the largest processes), memlens "
	"growth (what grows)";

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	const struct ml_headline *h = ml_snapshot_headline(in->now), *hb;
	struct ml_finding *f;
	struct ml_evidence *ev;
	double share, fall_share, rate, eta;
	uint64_t avail, before;

	if (h == NULL || !h->available.known || h->total == 0) {
		ml_rule_not_judged(cx, "no MemAvailable, and too little to estimate it");
		return;
	}
	ml_rule_judged(cx);
	avail = h->available.v;
	share = 100.0 * (double)avail / (double)h->total;
	if (share < t[WARN_PCT]) {
		bool crit = share < t[CRIT_PCT];

		f = ml_finding_add(
			cx, crit ? ML_SEV_CRITICAL : ML_SEV_WARNING, t[WARN_PCT] - share,
			"only {MemAvailable} available, {available share} of MemTotal",
			crit ? "MemAvailable / MemTotal = {available share} < {=crit_pct}"
			     : "MemAvailable / MemTotal = {available share} < {=warn_pct}",
			next_low);
		if (h->avail_source == ML_AVAIL_KERNEL) {
			ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_AVAILABLE);
		} else {
			ev = ml_ev_u64(f, "MemAvailable", ML_EV_BYTES, avail, NULL);
			ml_ev_see(cx, ev, "summary", ".memory.available");
		}
		ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
		ml_ev_double(f, "available share", ML_EV_PERCENT, share, NULL);
	}

	/* Over a window: how far it fell, and when it would reach 0 at that pace. */
	hb = in->before != NULL ? ml_snapshot_headline(in->before) : NULL;
	if (hb == NULL || !hb->available.known || hb->available.v <= avail)
		return;
	before = hb->available.v;
	fall_share = 100.0 * (double)(before - avail) / (double)h->total;
	if (fall_share < t[FALL_PCT] || fall_share <= 0)
		return;
	rate = (double)(before - avail) / in->seconds;
	eta = (double)avail / rate;
	f = ml_finding_add(
		cx,
		share < t[WATCH_PCT] && eta < t[ETA_WARN_MIN] * 60 ? ML_SEV_WARNING : ML_SEV_NOTE,
		fall_share,
		"MemAvailable fell {fall} in {window}; at that pace it is gone in {time "
		"to exhaustion}",
		"fall / MemTotal = {fall share} >= {=fall_pct}; a warning when "
		"MemAvailable / MemTotal < {=watch_pct} and MemAvailable / fall rate < "
		"{=eta_warn_min}",
		"memlens growth (what grows, and whether it keeps growing), memlens procs "
		"-i (processes' changes)");
	ml_ev_u64(f, "MemAvailable before", ML_EV_BYTES, before, "meminfo");
	if (h->avail_source == ML_AVAIL_KERNEL) {
		ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_AVAILABLE);
	} else {
		ev = ml_ev_u64(f, "MemAvailable", ML_EV_BYTES, avail, NULL);
		ml_ev_see(cx, ev, "summary", ".memory.available");
	}
	ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
	ml_ev_u64(f, "fall", ML_EV_BYTES, before - avail, NULL);
	ml_ev_double(f, "fall share", ML_EV_PERCENT, fall_share, NULL);
	ml_ev_double(f, "available share", ML_EV_PERCENT, share, NULL);
	ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
	ml_ev_double(f, "fall rate", ML_EV_BYTES_PER_S, rate, NULL);
	ml_ev_double(f, "time to exhaustion", ML_EV_SECONDS, eta, NULL);
}

const struct ml_rule ml_rule_available = {
	.name = "available",
	.title = "Memory exhaustion",
	.checks = "MemAvailable against MemTotal; over a window, how fast it falls",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
