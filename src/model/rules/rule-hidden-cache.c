/*
 * hidden-cache: shared memory inside the page cache. Cached (and free(1)'s
 * buff/cache) includes Shmem: tmpfs and /dev/shm files, SysV and POSIX
 * shared memory, memfd, shared anonymous mappings (doc/procfs.md section 2;
 * doc/accounting.md). It looks like cache the kernel drops under pressure;
 * it is not: it lives on the anonymous LRU and leaves only to swap, and
 * MemAvailable does not count it.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { NOTE_PCT, WARN_PCT };

static const struct ml_rule_param params[] = {
	[NOTE_PCT] = { "note_pct", 10, 0, 100, "a note when Shmem is this share of MemTotal" },
	[WARN_PCT] = { "warn_pct", 25, 0, 100, "warning when Shmem is this share of MemTotal" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const double *t = cx->thr;
	uint64_t shmem, cached, total, swap = 0;
	struct ml_finding *f;
	double share;
	bool warn, no_swap;

	if (!ml_rule_meminfo(in->now, ML_MI_SHMEM, &shmem) ||
	    !ml_rule_meminfo(in->now, ML_MI_CACHED, &cached) ||
	    !ml_rule_meminfo(in->now, ML_MI_MEM_TOTAL, &total) || total == 0) {
		ml_rule_not_judged(cx, "no Shmem in meminfo (it appeared in 2.6.32)");
		return;
	}
	ml_rule_judged(cx);
	share = 100.0 * (double)shmem / (double)total;
	if (share < t[NOTE_PCT])
		return;
	warn = share >= t[WARN_PCT];
	no_swap = ml_rule_meminfo(in->now, ML_MI_SWAP_TOTAL, &swap) && swap == 0;
	f = ml_finding_add(cx, warn ? ML_SEV_WARNING : ML_SEV_NOTE, share,
			   no_swap ? "{Shmem} of the page cache is shared memory (tmpfs, shm), "
				     "{Shmem share} of MemTotal: it looks like cache but cannot be "
				     "dropped, and without swap it cannot leave RAM"
				   : "{Shmem} of the page cache is shared memory (tmpfs, shm), "
				     "{Shmem share} of MemTotal: it looks like cache but cannot be "
				     "dropped, only swapped",
			   warn ? "Shmem / MemTotal = {Shmem share} >= {=warn_pct}"
				: "Shmem / MemTotal = {Shmem share} >= {=note_pct}",
			   "df -h -t tmpfs (files in RAM), ipcs -m (SysV segments), memlens procs "
			   "--sort shmem (who maps it)");
	ml_ev_meminfo(cx, f, in->now, ML_MI_SHMEM);
	ml_ev_meminfo(cx, f, in->now, ML_MI_CACHED);
	ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
	ml_ev_meminfo(cx, f, in->now, ML_MI_SWAP_TOTAL);
	ml_ev_double(f, "Shmem share", ML_EV_PERCENT, share, NULL);
	ml_ev_double(f, "share of Cached", ML_EV_PERCENT,
		     cached > 0 ? 100.0 * (double)shmem / (double)cached : 0, NULL);
}

const struct ml_rule ml_rule_hidden_cache = {
	.name = "hidden-cache",
	.title = "Shared memory hidden in the page cache",
	.checks = "Shmem (tmpfs, shared memory) inside Cached, against MemTotal",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
