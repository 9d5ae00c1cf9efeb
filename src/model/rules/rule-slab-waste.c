/*
 * slab-waste: a slab cache whose slabs hold much more memory than its live
 * objects (doc/procfs.md section 6; model/slab.h: waste = num_slabs x
 * pagesperslab x page size - active_objs x objsize). After a burst, one
 * live object pins its whole slab: the memory is neither used nor freed.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { MIN_MIB, WASTE_PCT, WARN_TOTAL_PCT };

static const struct ml_rule_param params[] = {
	[MIN_MIB] = { "min_mib", 16, 0, 1e12, "only caches wasting at least this much (MiB)" },
	[WASTE_PCT] = { "waste_pct", 50, 0, 100,
			"a note when this share of a cache's memory holds no live object" },
	[WARN_TOTAL_PCT] = { "warn_total_pct", 5, 0, 100,
			     "a warning when one cache's waste is this share of MemTotal" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_slab_view *v = &in->now->slv;
	const double *t = cx->thr;
	struct ml_finding *f;
	struct ml_evidence *ev;
	char q[256];
	uint64_t total;
	uint32_t i;

	if (!v->has_bytes) {
		ml_rule_not_judged(cx, "the page size is unknown, so is each cache's memory");
		return;
	}
	if (!ml_rule_meminfo(in->now, ML_MI_MEM_TOTAL, &total) || total == 0) {
		ml_rule_not_judged(cx, "no MemTotal");
		return;
	}
	ml_rule_judged(cx);
	for (i = 0; i < v->n; i++) {
		const struct ml_slab_row *r = &v->rows[i];
		double share, of_total;
		bool warn;

		if (r->bytes == 0 || (double)r->waste < t[MIN_MIB] * 1048576)
			continue;
		share = 100.0 * (double)r->waste / (double)r->bytes;
		if (share < t[WASTE_PCT])
			continue;
		of_total = 100.0 * (double)r->waste / (double)total;
		warn = of_total >= t[WARN_TOTAL_PCT];
		f = ml_finding_add(
			cx, warn ? ML_SEV_WARNING : ML_SEV_NOTE, (double)r->waste,
			"slab cache {cache} wastes {waste} of its {memory} ({waste "
			"share}): slabs pinned by few live objects",
			warn ? "waste >= {=min_mib}, waste / memory = {waste share} >= "
			       "{=waste_pct}, waste / MemTotal = {waste of MemTotal} >= "
			       "{=warn_total_pct}"
			     : "waste >= {=min_mib}, waste / memory = {waste share} >= "
			       "{=waste_pct}",
			"memlens slab --sort waste; a reclaimable cache shrinks with echo 2 "
			"> /proc/sys/vm/drop_caches, others only as their objects are "
			"freed (slabinfo -s from the kernel's tools/mm shrinks them)");
		ml_finding_subject(cx, f, "%s", r->cache->name);
		ml_ev_text(f, "cache", r->cache->name, "slabinfo");
		ev = ml_ev_u64(f, "memory", ML_EV_BYTES, r->bytes, "slabinfo");
		if (ml_rule_slab_unique(v, r->cache))
			ml_ev_see(cx, ev, "slab",
				  "first(.caches[] | select(.name == %s)) | .memory",
				  ml_rule_jq_string(q, sizeof q, r->cache->name));
		ev = ml_ev_u64(f, "waste", ML_EV_BYTES, r->waste, "slabinfo");
		if (ml_rule_slab_unique(v, r->cache))
			ml_ev_see(cx, ev, "slab", "first(.caches[] | select(.name == %s)) | .waste",
				  ml_rule_jq_string(q, sizeof q, r->cache->name));
		ev = ml_ev_u64(f, "active objects", ML_EV_COUNT, r->cache->cur.active_objs,
			       "slabinfo");
		if (ml_rule_slab_unique(v, r->cache))
			ml_ev_see(cx, ev, "slab",
				  "first(.caches[] | select(.name == %s)) | .active_objs",
				  ml_rule_jq_string(q, sizeof q, r->cache->name));
		ev = ml_ev_u64(f, "objects", ML_EV_COUNT, r->cache->cur.num_objs, "slabinfo");
		if (ml_rule_slab_unique(v, r->cache))
			ml_ev_see(cx, ev, "slab",
				  "first(.caches[] | select(.name == %s)) | .num_objs",
				  ml_rule_jq_string(q, sizeof q, r->cache->name));
		ml_ev_double(f, "waste share", ML_EV_PERCENT, share, NULL);
		ml_ev_double(f, "waste of MemTotal", ML_EV_PERCENT, of_total, NULL);
	}
}

const struct ml_rule ml_rule_slab_waste = {
	.name = "slab-waste",
	.title = "Slab waste",
	.checks = "slab caches whose memory is mostly not live objects",
	.needs = ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_SLABINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
