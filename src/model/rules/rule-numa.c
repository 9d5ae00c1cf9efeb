/*
 * numa: one node short of memory while another has plenty (model/numa.h;
 * doc/procfs.md section 21). The kernel estimates MemAvailable for the
 * whole machine only; memlens applies the same formula to each node. An
 * allocation is tried on the local node first: a short node reclaims (or,
 * with zone_reclaim_mode 0, falls back to a remote node at a latency cost)
 * while the machine's totals look fine.
 */
#include "config.h"

#include <stdio.h>

#include "model/rules/rules.h"

enum { SHORT_PCT, FREE_PCT };

static const struct ml_rule_param params[] = {
	[SHORT_PCT] = { "short_pct", 5, 0, 100,
			"warning when a node's available estimate is below this share of its "
			"MemTotal while another node's is above free_pct" },
	[FREE_PCT] = { "free_pct", 25, 0, 100,
		       "the share another node must have available for a short node to be "
		       "a finding" },
};

static double
avail_share(const struct ml_snap_node *n)
{
	return n->model.total > 0 ? 100.0 * (double)n->model.available / (double)n->model.total : 0;
}

static void
add_node(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snap_node *n,
	 const char *total_name, const char *avail_name, const char *share_name)
{
	struct ml_evidence *ev;

	ev = ml_ev_file(ml_ev_u64(f, total_name, ML_EV_BYTES, n->model.total, NULL), true, "%s",
			n->rel);
	ml_ev_see(cx, ev, "numa", ".nodes[] | select(.node == %d) | .total", n->id);
	ev = ml_ev_u64(f, avail_name, ML_EV_BYTES, n->model.available, NULL);
	ml_ev_see(cx, ev, "numa", ".nodes[] | select(.node == %d) | .available.bytes", n->id);
	ml_ev_double(f, share_name, ML_EV_PERCENT, avail_share(n), NULL);
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_snapshot *s = in->now;
	const struct ml_snap_node *roomiest = NULL;
	const double *t = cx->thr;
	struct ml_finding *f;
	size_t i, known = 0;

	for (i = 0; i < s->nnodes; i++) {
		const struct ml_snap_node *n = &s->nodes[i];

		if (!n->ok || !n->model.avail_known || n->model.total == 0)
			continue;
		known++;
		if (roomiest == NULL || avail_share(n) > avail_share(roomiest))
			roomiest = n;
	}
	if (known == 0) {
		ml_rule_not_judged(cx, "no node's available estimate could be made%s%s",
				   s->nnodes > 0 && s->nodes[0].why ? ": " : "",
				   s->nnodes > 0 && s->nodes[0].why ? s->nodes[0].why : "");
		return;
	}
	ml_rule_judged(cx);
	if (known < 2 || avail_share(roomiest) < t[FREE_PCT])
		return;
	for (i = 0; i < s->nnodes; i++) {
		const struct ml_snap_node *n = &s->nodes[i];
		char name[32];

		if (n == roomiest || !n->ok || !n->model.avail_known || n->model.total == 0 ||
		    avail_share(n) >= t[SHORT_PCT])
			continue;
		f = ml_finding_add(
			cx, ML_SEV_WARNING, t[SHORT_PCT] - avail_share(n),
			"node {node} has {available} available ({available share} of "
			"it), while node {other node} has {other available} ({other "
			"share}): its allocations reclaim or go remote",
			"node available / MemTotal = {available share} < {=short_pct}, "
			"another node's = {other share} >= {=free_pct}",
			"memlens numa (each node's parts), numastat -m; numactl --hardware; "
			"the process's memory policy (memlens maps PID --numa)");
		snprintf(name, sizeof name, "Node %d", n->id);
		ml_finding_subject(cx, f, "%s", name);
		ml_ev_u64(f, "node", ML_EV_COUNT, (uint64_t)n->id, NULL);
		add_node(cx, f, n, "MemTotal", "available", "available share");
		ml_ev_u64(f, "other node", ML_EV_COUNT, (uint64_t)roomiest->id, NULL);
		add_node(cx, f, roomiest, "other MemTotal", "other available", "other share");
	}
}

const struct ml_rule ml_rule_numa = {
	.name = "numa",
	.title = "NUMA nodes",
	.checks = "a node short of memory while another has plenty (each node's available "
		  "estimate)",
	.needs = ML_SNAP(ML_SNAP_NODES),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
