/*
 * khugepaged: the daemon that collapses small pages into huge ones
 * (kernel/mm/transparent_hugepage/khugepaged/, doc/procfs.md section 22).
 * It collapses a region when at most max_ptes_none of its small pages are
 * missing: at the default (511 of 512) one page in use is enough, and the
 * collapse fills the other 511 with zeroes, RSS a process never touched.
 * Judged when it did collapse (pages_collapsed, huge pages since boot) with
 * a max_ptes_none that allows sparse regions.
 */
#include "config.h"

#include <string.h>

#include "model/rules/rules.h"

enum { MIN_PTES_NONE, COLLAPSED_MIB };

static const struct ml_rule_param params[] = {
	[MIN_PTES_NONE] = { "min_ptes_none", 256, 0, 1e6,
			    "judged when khugepaged's max_ptes_none is at least this (empty "
			    "small pages a collapse may fill)" },
	[COLLAPSED_MIB] = { "collapsed_mib", 256, 0, 1e12,
			    "a note when khugepaged collapsed at least this much (MiB) since "
			    "boot" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_thp *thp = &in->now->thp;
	const struct ml_attr *none = &thp->k[ML_KHP_MAX_PTES_NONE];
	const struct ml_attr *coll = &thp->k[ML_KHP_PAGES_COLLAPSED];
	const struct ml_attr *en = &thp->a[ML_THP_ENABLED];
	const struct ml_attr *pmd = &thp->a[ML_THP_HPAGE_PMD_SIZE];
	const double *t = cx->thr;
	struct ml_finding *f;
	struct ml_evidence *ev;
	uint64_t bytes;

	if (!thp->present || !ml_attr_ok(none) || !ml_attr_ok(coll) || !ml_attr_ok(pmd)) {
		ml_rule_not_judged(cx, "no khugepaged/max_ptes_none, pages_collapsed or "
				       "hpage_pmd_size in sysfs");
		return;
	}
	ml_rule_judged(cx);
	if (ml_attr_ok(en) && strcmp(en->word, "never") == 0)
		return;
	if ((double)none->u < t[MIN_PTES_NONE] || pmd->u == 0 || coll->u > UINT64_MAX / pmd->u)
		return;
	bytes = coll->u * pmd->u;
	if ((double)bytes < t[COLLAPSED_MIB] * 1048576 || bytes == 0)
		return;
	f = ml_finding_add(cx, ML_SEV_NOTE, (double)bytes,
			   "khugepaged collapsed {collapsed} into huge pages since boot, filling "
			   "up to {max_ptes_none} empty small pages of each: RSS nobody touched",
			   "pages_collapsed x hpage_pmd_size = {collapsed} >= {=collapsed_mib}, "
			   "max_ptes_none = {max_ptes_none} >= {=min_ptes_none}",
			   "memlens huge (settings and the processes with huge pages); a smaller "
			   "/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none (64) "
			   "collapses only dense regions");
	ev = ml_ev_sys(ml_ev_u64(f, "pages_collapsed", ML_EV_COUNT, coll->u,
				 "kernel/mm/transparent_hugepage/khugepaged/pages_collapsed"));
	ml_ev_see(cx, ev, "huge", ".thp.khugepaged.pages_collapsed");
	ev = ml_ev_sys(ml_ev_u64(f, "hpage_pmd_size", ML_EV_BYTES, pmd->u,
				 "kernel/mm/transparent_hugepage/hpage_pmd_size"));
	ml_ev_see(cx, ev, "huge", ".thp.settings.hpage_pmd_size");
	ml_ev_u64(f, "collapsed", ML_EV_BYTES, bytes, NULL);
	ev = ml_ev_sys(ml_ev_u64(f, "max_ptes_none", ML_EV_COUNT, none->u,
				 "kernel/mm/transparent_hugepage/khugepaged/max_ptes_none"));
	ml_ev_see(cx, ev, "huge", ".thp.khugepaged.max_ptes_none");
	if (ml_attr_ok(en)) {
		ev = ml_ev_sys(ml_ev_text(f, "enabled", en->word,
					  "kernel/mm/transparent_hugepage/enabled"));
		ml_ev_see(cx, ev, "huge", ".thp.settings.enabled.value");
	}
}

const struct ml_rule ml_rule_khugepaged = {
	.name = "khugepaged",
	.title = "khugepaged bloat",
	.checks = "huge pages khugepaged collapsed from sparse regions (max_ptes_none)",
	.needs = ML_SNAP(ML_SNAP_THP),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
