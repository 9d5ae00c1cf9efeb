/*
 * commit: under strict overcommit (vm.overcommit_memory = 2) the kernel
 * refuses any allocation that would take Committed_AS past CommitLimit
 * (swap + RAM x overcommit_ratio, doc/procfs.md section 2): malloc() and
 * fork() fail with memory still free (the sysctl: doc/procfs.md section
 * 19). With the heuristic (0) or always (1) modes the limit is not
 * enforced, and nothing is judged against it.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { WARN_PCT, CRIT_PCT };

static const struct ml_rule_param params[] = {
	[WARN_PCT] = { "warn_pct", 90, 0, 1000,
		       "warning when Committed_AS reaches this share of CommitLimit" },
	[CRIT_PCT] = { "crit_pct", 98, 0, 1000,
		       "critical when Committed_AS reaches this share of CommitLimit" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	struct ml_finding *f;
	struct ml_evidence *ev;
	uint64_t limit, committed;
	double share;
	bool crit;

	if (in->overcommit < 0) {
		ml_rule_not_judged(cx, "sys/vm/overcommit_memory could not be read");
		return;
	}
	if (!ml_rule_meminfo(in->now, ML_MI_COMMIT_LIMIT, &limit) ||
	    !ml_rule_meminfo(in->now, ML_MI_COMMITTED_AS, &committed) || limit == 0) {
		ml_rule_not_judged(cx, "no CommitLimit or Committed_AS in meminfo");
		return;
	}
	ml_rule_judged(cx);
	if (in->overcommit != 2)
		return;
	share = 100.0 * (double)committed / (double)limit;
	if (share < t[WARN_PCT])
		return;
	crit = share >= t[CRIT_PCT];
	f = ml_finding_add(cx, crit ? ML_SEV_CRITICAL : ML_SEV_WARNING, share - t[WARN_PCT],
			   "{Committed_AS} committed of a {CommitLimit} limit ({commit share}): "
			   "under strict overcommit allocations fail at the limit",
			   crit ? "vm.overcommit_memory = 2 and Committed_AS / CommitLimit = "
				  "{commit share} >= {=crit_pct}"
				: "vm.overcommit_memory = 2 and Committed_AS / CommitLimit = "
				  "{commit share} >= {=warn_pct}",
			   "memlens procs (who holds the memory); more swap or a larger "
			   "vm.overcommit_ratio (or vm.overcommit_kbytes) raises the limit");
	ml_ev_meminfo(cx, f, in->now, ML_MI_COMMITTED_AS);
	ml_ev_meminfo(cx, f, in->now, ML_MI_COMMIT_LIMIT);
	ml_ev_double(f, "commit share", ML_EV_PERCENT, share, NULL);
	ev = ml_ev_u64(f, "vm.overcommit_memory", ML_EV_COUNT, (uint64_t)in->overcommit,
		       "sys/vm/overcommit_memory");
	(void)ev;
}

const struct ml_rule ml_rule_commit = {
	.name = "commit",
	.title = "Commit limit",
	.checks = "Committed_AS against CommitLimit when overcommit is strict",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
