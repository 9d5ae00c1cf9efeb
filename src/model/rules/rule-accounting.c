/*
 * accounting: MemFree and MemTotal against the zones of /proc/zoneinfo
 * (model/memcheck.h; doc/procfs.md sections 2, 7 and 21.2). They are the
 * same kernel counters and agree up to what moved between the two reads;
 * when they do not, memory is counted that the page allocator does not
 * have yet: deferred struct page initialisation (normal on large virtual
 * machines in their first minutes or for good), memory hot-plug, a balloon
 * driver. Always a note: a health check must not fail on it.
 */
#include "config.h"

#include "model/memcheck.h"
#include "model/rules/rules.h"

static void
add_check(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_memcheck *c,
	  const char *field, const char *mi_name, const char *zones_name, const char *diff_name)
{
	struct ml_evidence *ev;

	ev = ml_ev_u64(f, mi_name, ML_EV_BYTES, c->meminfo, "meminfo");
	ml_ev_see(cx, ev, "summary", ".checks.%s.meminfo", field);
	ev = ml_ev_u64(f, zones_name, ML_EV_BYTES, c->zones, "zoneinfo");
	ml_ev_see(cx, ev, "summary", ".checks.%s.zones", field);
	ev = ml_ev_i64(f, diff_name, ML_EV_BYTES, c->difference, NULL);
	ml_ev_see(cx, ev, "summary", ".checks.%s.difference", field);
	ev = ml_ev_u64(f, "tolerance", ML_EV_BYTES, c->tolerance, NULL);
	ml_ev_see(cx, ev, "summary", ".checks.%s.tolerance", field);
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_meminfo *mi = ml_snapshot_meminfo(in->now);
	struct ml_memchecks c;
	struct ml_finding *f;

	ml_memchecks_compute(&c, mi, ml_snapshot_zoneinfo(in->now), ml_rule_page_size(in->now));
	if (!c.free.known && !c.total.known) {
		ml_rule_not_judged(cx, "%s",
				   c.why != NULL ? c.why : "the checks could not be made");
		return;
	}
	ml_rule_judged(cx);
	if (c.free.known && !c.free.agree) {
		f = ml_finding_add(
			cx, ML_SEV_NOTE, (double)c.free.difference,
			"MemFree ({MemFree}) is not the zones' free pages ({zones' free "
			"pages}): {MemFree - zones} is counted as free but is not on the "
			"page allocator's free lists",
			"|MemFree - the zones' free pages| = |{MemFree - zones}| > "
			"{tolerance} (1% of MemTotal)",
			"memlens summary (its Checks line), memlens zones; dmesg | grep -i "
			"'deferred\\|hotplug\\|balloon' says which cause");
		add_check(cx, f, &c.free, "free", "MemFree", "zones' free pages",
			  "MemFree - zones");
	}
	if (c.total.known && !c.total.agree) {
		f = ml_finding_add(
			cx, ML_SEV_NOTE, (double)c.total.difference,
			"MemTotal ({MemTotal}) is not the zones' managed pages ({zones' "
			"managed pages}): {MemTotal - zones} is not handed to the page "
			"allocator yet",
			"|MemTotal - the zones' managed pages| = |{MemTotal - zones}| > "
			"{tolerance} (one page)",
			"memlens summary (its Checks line), memlens zones (managed pages); "
			"dmesg | grep -i 'deferred\\|hotplug\\|balloon' says which cause");
		add_check(cx, f, &c.total, "total", "MemTotal", "zones' managed pages",
			  "MemTotal - zones");
	}
}

const struct ml_rule ml_rule_accounting = {
	.name = "accounting",
	.title = "Accounting checks",
	.checks = "MemFree and MemTotal against the zones' free and managed pages (notes only)",
	.needs = ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_ZONEINFO),
	.params = NULL,
	.nparams = 0,
	.judge = judge,
};
