/*
 * thp: transparent huge pages set to "always" on a machine whose anonymous
 * memory is mostly in huge pages (kernel/mm/transparent_hugepage/enabled;
 * meminfo AnonHugePages, AnonPages; doc/procfs.md sections 2 and 22). With
 * "always" the first fault in any huge-page-aligned anonymous region takes
 * a whole huge page (2 MiB with 4 KiB pages), touched or not: sparse heaps
 * (many malloc arenas, JVM regions, Redis) pay for memory they never use.
 * "madvise" limits huge pages to the programs that ask. When the kernel
 * counts huge pages split because they were mostly empty
 * (thp_underused_split_page, 6.12+), that count is evidence.
 */
#include "config.h"

#include <string.h>

#include "model/rules/rules.h"

enum { ANON_PCT, MIN_MIB };

static const struct ml_rule_param params[] = {
	[ANON_PCT] = { "anon_pct", 50, 0, 100,
		       "a note when enabled is always and this share of AnonPages is in huge "
		       "pages" },
	[MIN_MIB] = { "min_mib", 256, 0, 1e12, "and AnonHugePages is at least this much (MiB)" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_thp *thp = &in->now->thp;
	const struct ml_attr *en = &thp->a[ML_THP_ENABLED];
	const double *t = cx->thr;
	uint64_t huge, anon;
	struct ml_finding *f;
	struct ml_evidence *ev;
	double share;

	if (!thp->present || !ml_attr_ok(en)) {
		ml_rule_not_judged(cx, "no transparent_hugepage/enabled in sysfs (a kernel "
				       "without THP, or a capture without sys/)");
		return;
	}
	if (!ml_rule_meminfo(in->now, ML_MI_ANON_HUGE_PAGES, &huge) ||
	    !ml_rule_meminfo(in->now, ML_MI_ANON_PAGES, &anon) || anon == 0) {
		ml_rule_not_judged(cx, "no AnonHugePages in meminfo");
		return;
	}
	ml_rule_judged(cx);
	share = 100.0 * (double)huge / (double)anon;
	if (strcmp(en->word, "always") != 0 || share < t[ANON_PCT] ||
	    (double)huge < t[MIN_MIB] * 1048576)
		return;
	f = ml_finding_add(cx, ML_SEV_NOTE, share,
			   "THP is enabled=always and {AnonHugePages share} of anonymous memory "
			   "({AnonHugePages}) is in huge pages: a sparse region costs a whole huge "
			   "page",
			   "enabled = always, AnonHugePages / AnonPages = {AnonHugePages share} >= "
			   "{=anon_pct}, AnonHugePages >= {=min_mib}",
			   "memlens huge (the processes with the most huge pages); echo madvise > "
			   "/sys/kernel/mm/transparent_hugepage/enabled limits huge pages to the "
			   "programs that ask (MADV_HUGEPAGE)");
	ev = ml_ev_sys(
		ml_ev_text(f, "enabled", en->word, "kernel/mm/transparent_hugepage/enabled"));
	ml_ev_see(cx, ev, "huge", ".thp.settings.enabled.value");
	ml_ev_meminfo(cx, f, in->now, ML_MI_ANON_HUGE_PAGES);
	ml_ev_meminfo(cx, f, in->now, ML_MI_ANON_PAGES);
	ml_ev_double(f, "AnonHugePages share", ML_EV_PERCENT, share, NULL);
	ml_ev_vmstat(cx, f, in->now, "thp_underused_split_page");
}

const struct ml_rule ml_rule_thp = {
	.name = "thp",
	.title = "Transparent huge pages always on",
	.checks = "THP enabled=always with most anonymous memory in huge pages",
	.needs = ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_THP),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
