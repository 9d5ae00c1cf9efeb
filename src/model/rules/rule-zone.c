/*
 * zone: each zone's free memory against its watermarks (doc/procfs.md
 * sections 7 and 12.2; model/watermarks.h). At or below low the allocator
 * wakes kswapd; at or below min every allocation that reaches the zone
 * reclaims and compacts by itself (direct reclaim: the latency users see);
 * an unreclaimable node is one where kswapd gave up. The marks are the
 * kernel's, so the thresholds are too. Over a window, direct-reclaim stalls
 * per second (vmstat allocstall_*) say how often allocations waited.
 */
#include "config.h"

#include <stdio.h>

#include "model/rules/rules.h"

enum { STALL_PER_S };

static const struct ml_rule_param params[] = {
	[STALL_PER_S] = { "stall_per_s", 1, 0, 1e12,
			  "over a window, warning when allocations stall in direct reclaim this "
			  "often a second" },
};

static const char *const next_zone =
	"memlens zones (every zone against its marks), memlens summary (what holds the "
	"memory); more memory, or vm.min_free_kbytes / vm.watermark_scale_factor to wake "
	"kswapd earlier";

/* The window's rates of reclaim, as evidence. */
static void
add_rates(const struct ml_rule_input *in, struct ml_finding *f)
{
	uint64_t d;

	if (ml_rule_act_delta(in, ML_ACT_ALLOCSTALL, &d))
		ml_ev_double(f, "allocstall per second", ML_EV_PER_S, (double)d / in->seconds,
			     NULL);
	if (ml_rule_act_delta(in, ML_ACT_PGSCAN_KSWAPD, &d))
		ml_ev_double(f, "pgscan_kswapd per second", ML_EV_PER_S, (double)d / in->seconds,
			     NULL);
	if (ml_rule_act_delta(in, ML_ACT_PGSCAN_DIRECT, &d))
		ml_ev_double(f, "pgscan_direct per second", ML_EV_PER_S, (double)d / in->seconds,
			     NULL);
	if (in->before != NULL)
		ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
}

/* A zone's marks as evidence, each shown by memlens zones. */
static void
add_zone(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_wm_zone *z, uint64_t ps)
{
	static const char *const sel = ".zones[] | select(.node == %lld and .zone == \"%s\") | %s";
	struct ml_evidence *ev;
	char name[64];

	snprintf(name, sizeof name, "Node %lld %s", (long long)z->node, z->name);
	ml_ev_text(f, "zone", name, "zoneinfo");
	ev = ml_ev_pages(f, "free pages", z->free.pages, ps, "zoneinfo");
	ml_ev_see(cx, ev, "zones", sel, (long long)z->node, z->name, ".free_pages");
	ev = ml_ev_pages(f, "min", z->min.pages, ps, "zoneinfo");
	ml_ev_see(cx, ev, "zones", sel, (long long)z->node, z->name, ".min_pages");
	ev = ml_ev_pages(f, "low", z->low.pages, ps, "zoneinfo");
	ml_ev_see(cx, ev, "zones", sel, (long long)z->node, z->name, ".low_pages");
	if (z->boost.known && z->boost.pages > 0) {
		ev = ml_ev_pages(f, "boost", z->boost.pages, ps, "zoneinfo");
		ml_ev_see(cx, ev, "zones", sel, (long long)z->node, z->name, ".boost_pages");
	}
	ev = ml_ev_text(f, "state", ml_wm_state_name(z->state), NULL);
	ml_ev_see(cx, ev, "zones", sel, (long long)z->node, z->name, ".state");
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_watermarks *w = ml_snapshot_watermarks(in->now);
	struct ml_finding *f;
	uint64_t stalls;
	uint32_t i;

	ml_rule_judged(cx);
	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];

		if (!z->populated || !z->free.known || !z->min.known || !z->low.known)
			continue;
		switch (z->state) {
		case ML_WM_UNRECLAIMABLE:
			f = ml_finding_add(
				cx, ML_SEV_CRITICAL, 3,
				"{zone} is unreclaimable: kswapd gave up on its node",
				"zoneinfo says node_unreclaimable (or all_unreclaimable) "
				"= 1: 16 kswapd runs in a row reclaimed nothing",
				next_zone);
			break;
		case ML_WM_BELOW_MIN:
			f = ml_finding_add(
				cx, ML_SEV_CRITICAL,
				2 + (double)(z->min.pages - z->free.pages) /
						(double)(z->min.pages + 1),
				"{zone} has {free pages} free, at or below min: allocations "
				"reclaim directly",
				"free pages <= min ({min})", next_zone);
			break;
		case ML_WM_BELOW_LOW:
			f = ml_finding_add(
				cx, ML_SEV_WARNING,
				1 + (double)(z->low.pages - z->free.pages) /
						(double)(z->low.pages + 1),
				"{zone} has {free pages} free, at or below low: kswapd is "
				"reclaiming",
				"free pages <= low ({low})", next_zone);
			break;
		default:
			continue;
		}
		ml_finding_subject(cx, f, "Node %lld %s", (long long)z->node, z->name);
		add_zone(cx, f, z, w->page_size);
		add_rates(in, f);
	}
	if (ml_rule_act_delta(in, ML_ACT_ALLOCSTALL, &stalls) &&
	    (double)stalls / in->seconds >= cx->thr[STALL_PER_S] && stalls > 0) {
		f = ml_finding_add(cx, ML_SEV_WARNING, (double)stalls / in->seconds,
				   "allocations stalled in direct reclaim {allocstall per second}",
				   "allocstall increase / window = {allocstall per second} >= "
				   "{=stall_per_s}",
				   "memlens zones, memlens explain --window 1m; perf trace -e "
				   "vmscan:mm_vmscan_direct_reclaim_begin finds who stalls");
		ml_ev_act(cx, f, in->now, ML_ACT_ALLOCSTALL);
		ml_ev_u64(f, "stalls", ML_EV_COUNT, stalls, NULL);
		add_rates(in, f);
	}
}

const struct ml_rule ml_rule_zone = {
	.name = "zone",
	.title = "Zones and reclaim",
	.checks = "each zone's free memory against its low and min watermarks; direct-reclaim "
		  "stalls a second",
	.needs = ML_SNAP(ML_SNAP_ZONEINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
