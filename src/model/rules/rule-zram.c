/*
 * zram: compressed RAM disks used as swap (block/zramN/mm_stat, doc/procfs.md
 * section 22.5; model/huge.h). A device earns its RAM by the ratio of what
 * it stores (orig_data_size) to the RAM it holds (mem_used_total, the
 * allocator's overhead included): a device that compresses little costs
 * nearly what it saves. meminfo has no counter for it: memlens's accounting
 * names it (the zram part), and this rule says whether it pays.
 */
#include "config.h"

#include "model/huge.h"
#include "model/rules/rules.h"

enum { MIN_RATIO, MIN_MIB, USED_PCT };

static const struct ml_rule_param params[] = {
	[MIN_RATIO] = { "min_ratio", 1.5, 0, 1000,
			"a note when a device stores less than this many times the RAM it holds" },
	[MIN_MIB] = { "min_mib", 64, 0, 1e12, "only devices holding at least this much RAM (MiB)" },
	[USED_PCT] = { "used_pct", 25, 0, 100, "a note when zram holds this share of MemTotal" },
};

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_zram *z = &in->now->zram;
	const double *t = cx->thr;
	struct ml_finding *f;
	struct ml_evidence *ev;
	uint64_t total = 0, used_all = 0;
	size_t i, read = 0;

	for (i = 0; i < z->n; i++)
		if (z->dev[i].mm_state == ML_ATTR_OK && z->dev[i].mm.present)
			read++;
	if (!z->listed) {
		ml_rule_not_judged(cx, "no block/ in the sys root");
		return;
	}
	ml_rule_judged(cx);
	ml_rule_meminfo(in->now, ML_MI_MEM_TOTAL, &total);
	for (i = 0; i < z->n; i++) {
		const struct ml_zram_dev *d = &z->dev[i];
		uint64_t orig, used;
		double ratio;

		if (d->mm_state != ML_ATTR_OK || !d->mm.present)
			continue;
		orig = d->mm.v[ML_ZR_ORIG_DATA_SIZE];
		used = d->mm.v[ML_ZR_MEM_USED_TOTAL];
		used_all += used;
		if (used == 0 || (double)used < t[MIN_MIB] * 1048576 ||
		    !ml_compression_ratio(orig, used, &ratio) || ratio >= t[MIN_RATIO])
			continue;
		f = ml_finding_add(
			cx, ML_SEV_NOTE, (double)used,
			"{device} holds {mem_used_total} of RAM for {orig_data_size} "
			"stored: {compression ratio} to 1, it saves little",
			"orig_data_size / mem_used_total = {compression ratio} < "
			"{=min_ratio}, mem_used_total >= {=min_mib}",
			"zramctl (algorithm, sizes); memlens huge (every device); a "
			"stronger comp_algorithm (zstd) or a disk swap for what does not "
			"compress");
		ml_finding_subject(cx, f, "%s", d->name);
		ml_ev_text(f, "device", d->name, NULL);
		ev = ml_ev_file(ml_ev_u64(f, "orig_data_size", ML_EV_BYTES, orig, NULL), true,
				"block/%s/mm_stat", d->name);
		ml_ev_see(cx, ev, "huge",
			  ".zram.devices[] | select(.name == \"%s\") | .mm_stat.orig_data_size",
			  d->name);
		ev = ml_ev_file(ml_ev_u64(f, "mem_used_total", ML_EV_BYTES, used, NULL), true,
				"block/%s/mm_stat", d->name);
		ml_ev_see(cx, ev, "huge",
			  ".zram.devices[] | select(.name == \"%s\") | .mm_stat.mem_used_total",
			  d->name);
		ml_ev_double(f, "compression ratio", ML_EV_RATIO, ratio, NULL);
	}
	if (total > 0 && read > 0 && 100.0 * (double)used_all / (double)total >= t[USED_PCT] &&
	    used_all > 0) {
		f = ml_finding_add(cx, ML_SEV_NOTE, (double)used_all,
				   "zram holds {zram RAM}, {zram share} of MemTotal",
				   "the devices' mem_used_total / MemTotal = {zram share} >= "
				   "{=used_pct}",
				   "zramctl; memlens summary (zram in the accounting of MemTotal)");
		ev = ml_ev_u64(f, "zram RAM", ML_EV_BYTES, used_all, NULL);
		if (read == z->n)
			ml_ev_see(cx, ev, "huge", ".zram.mem_used_total");
		ml_ev_meminfo(cx, f, in->now, ML_MI_MEM_TOTAL);
		ml_ev_double(f, "zram share", ML_EV_PERCENT,
			     100.0 * (double)used_all / (double)total, NULL);
	}
}

const struct ml_rule ml_rule_zram = {
	.name = "zram",
	.title = "zram",
	.checks = "zram devices: what they store against the RAM they hold, and their share of "
		  "MemTotal",
	.needs = ML_SNAP(ML_SNAP_ZRAM),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
