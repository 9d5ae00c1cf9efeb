/*
 * oom: processes killed by the OOM killer (vmstat oom_kill, 4.13+,
 * doc/procfs.md section 8). Over a window a new kill is critical: memory ran
 * out while memlens watched. Since boot, kills are a note: it happened once.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { KILLS };

static const struct ml_rule_param params[] = {
	[KILLS] = { "kills", 1, 1, 1e12,
		    "critical when at least this many OOM kills happen in the window" },
};

static const char *const next =
	"journalctl -k -g 'Out of memory' (or dmesg): who was killed, and the memory at that "
	"moment; memlens cgroups for a container's own limit";

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	struct ml_finding *f;
	uint64_t delta;

	if (!ml_vmstat_has(&in->now->vs, ML_VS_OOM_KILL)) {
		ml_rule_not_judged(cx, "this kernel's vmstat has no oom_kill (it appeared in "
				       "4.13)");
		return;
	}
	ml_rule_judged(cx);
	if (in->before != NULL && ml_vmstat_has(&in->before->vs, ML_VS_OOM_KILL) &&
	    ml_rule_act_delta(in, ML_ACT_OOM_KILL, &delta)) {
		if ((double)delta >= cx->thr[KILLS]) {
			f = ml_finding_add(
				cx, ML_SEV_CRITICAL, (double)delta,
				"{OOM kills} OOM kills in {window}",
				"oom_kill now - oom_kill before = {OOM kills} >= {=kills}", next);
			ml_ev_act(cx, f, in->now, ML_ACT_OOM_KILL);
			ml_ev_u64(f, "OOM kills", ML_EV_COUNT, delta, NULL);
			ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
		}
		return;
	}
	if (in->now->act.oom == 0)
		return;
	f = ml_finding_add(cx, ML_SEV_NOTE, (double)in->now->act.oom,
			   "{oom_kill} OOM kills since boot",
			   "oom_kill > 0 (since boot: a window tells whether it goes on)", next);
	ml_ev_act(cx, f, in->now, ML_ACT_OOM_KILL);
}

const struct ml_rule ml_rule_oom = {
	.name = "oom",
	.title = "OOM kills",
	.checks = "the OOM killer's kills: new ones in a window, or since boot",
	.needs = ML_SNAP(ML_SNAP_VMSTAT),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
