/*
 * leak: a leak suspect from growth. Over a window (three readings or more:
 * --window, or a series of captures) every item memlens growth samples is
 * fitted with its least-squares line (model/growth.h): a process's RSS, a
 * slab cache, a vmalloc caller, a kernel part of meminfo, the unaccounted
 * remainder. A suspect grows steadily: slope, R² and the share of rising
 * steps at their thresholds (a cache that reclaim cuts back is a sawtooth,
 * not a suspect). A note; a warning or critical when MemAvailable would be
 * used up at that item's pace within eta_warn_h or eta_crit_h hours, over a
 * window of min_window_min at least (a build's compilers make SUnreclaim
 * rise steadily for seconds: extrapolated, a burst would page someone).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/rules/rules.h"

enum { MIN_MIB_H, MIN_R2, MIN_RISING_PCT, ETA_WARN_H, ETA_CRIT_H, MIN_WINDOW_MIN };

static const struct ml_rule_param params[] = {
	[MIN_MIB_H] = { "min_mib_h", 1, 0, 1e9,
			"a suspect grows at least this fast (MiB an hour; memlens growth "
			"--min-rate)" },
	[MIN_R2] = { "min_r2_index", 0.8, 0, 1,
		     "and its line fits this well (R², 0 to 1; memlens growth --min-r2)" },
	[MIN_RISING_PCT] = { "min_rising_pct", 80, 0, 100,
			     "and this share of its steps that moved rose (memlens growth "
			     "--min-rising)" },
	[ETA_WARN_H] = { "eta_warn_h", 24, 0, 1e9,
			 "warning when MemAvailable would be used up at its pace within this "
			 "many hours" },
	[ETA_CRIT_H] = { "eta_crit_h", 1, 0, 1e9, "critical when within this many hours" },
	[MIN_WINDOW_MIN] = { "min_window_min", 10, 0, 1e9,
			     "over a shorter window (minutes) a suspect is a note: a burst looks "
			     "steady for a while" },
};

static const char *const kind_words[ML_GROWTH_KIND__COUNT] = {
	[ML_GROWTH_PROC] = "process",
	[ML_GROWTH_SLAB] = "slab cache",
	[ML_GROWTH_VMALLOC] = "vmalloc caller",
	[ML_GROWTH_KERNEL] = "kernel memory",
};

static const char *const next_proc =
	"memlens maps {PID} (which mappings grow), memlens growth --window 10m (the fit "
	"with PSS); bcc memleak -p {PID} (the stacks of allocations not freed), or heaptrack";
static const char *const next_slab =
	"memlens slab --sort growth -i 5; slab debugging: slub_debug=U,CACHE on the kernel "
	"command line, then /sys/kernel/slab/CACHE/alloc_traces names who allocates (or bcc "
	"memleak without -p for kmalloc)";
static const char *const next_vmalloc =
	"memlens vmalloc --by caller -i 5 (the caller's areas); the module's own debugging, or "
	"bcc memleak without -p";
static const char *const next_unaccounted =
	"memlens summary (the accounting); memory no counter names is usually a driver's "
	"(alloc_pages directly), a GPU's or zram's: memlens huge for zram, the driver's debugfs";
static const char *const next_kernel =
	"memlens summary (the accounting), memlens growth --what kernel,slab,vmalloc (which "
	"cache or caller moves with it)";

/* The item's id as memlens growth's JSON has it ("kmalloc-64#2", "4242:1234567"). */
static const char *
item_id(char *buf, size_t cap, const struct ml_growth_item *it)
{
	if (it->kind == ML_GROWTH_PROC)
		snprintf(buf, cap, "%llu:%llu", (unsigned long long)it->key_a,
			 (unsigned long long)it->key_b);
	else if (it->kind == ML_GROWTH_SLAB && it->key_a > 0)
		snprintf(buf, cap, "%s#%llu", it->name, (unsigned long long)it->key_a + 1);
	else
		snprintf(buf, cap, "%s", it->name);
	return buf;
}

/* The file an item's value is read from (under the proc root), or NULL: derived. */
static const char *
item_file(const struct ml_growth_item *it)
{
	switch (it->kind) {
	case ML_GROWTH_SLAB:
		return "slabinfo";
	case ML_GROWTH_VMALLOC:
		return "vmallocinfo";
	case ML_GROWTH_KERNEL:
		return strcmp(it->name, ML_GROWTH_UNACCOUNTED) == 0 ? NULL : "meminfo";
	case ML_GROWTH_PROC:
	default:
		return NULL; /* PID/status: named with ml_ev_file */
	}
}

/* Evidence of a value of the item's series, with memlens growth's JSON of it. */
static void
ev_value(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_growth_item *it,
	 const char *name, const char *key, uint64_t v, bool now, const char *sel)
{
	struct ml_evidence *ev;

	/* The first value was read from the first reading's file, not now's: derived here. */
	const char *file = now ? item_file(it) : NULL;

	if (it->s.is_signed)
		ev = ml_ev_i64(f, name, ML_EV_BYTES, ml_growth_to_signed(v), file);
	else
		ev = ml_ev_u64(f, name, ML_EV_BYTES, v, file);
	if (ev != NULL && now && it->kind == ML_GROWTH_PROC)
		ml_ev_file(ev, false, "%llu/status", (unsigned long long)it->key_a);
	ml_ev_see(cx, ev, "growth", "%s | .%s", sel, key);
}

static void
suspect(const struct ml_rule_input *in, struct ml_rule_ctx *cx, const struct ml_growth_item *it,
	const struct ml_growth_verdict *v)
{
	const struct ml_growth *g = in->growth;
	char id[300], q[320], sel[512];
	struct ml_finding *f;
	struct ml_evidence *ev;
	enum ml_severity sev = ML_SEV_NOTE;
	const char *next;
	double eta = 0;
	bool has_eta = in->has_eta && ml_growth_item_eta(&in->eta, v, &eta);
	double window = (double)(g->last_t - g->first_t) / 1e9;
	bool long_enough = window >= cx->thr[MIN_WINDOW_MIN] * 60;

	if (has_eta && long_enough && eta <= cx->thr[ETA_CRIT_H] * 3600)
		sev = ML_SEV_CRITICAL;
	else if (has_eta && long_enough && eta <= cx->thr[ETA_WARN_H] * 3600)
		sev = ML_SEV_WARNING;
	next = it->kind == ML_GROWTH_PROC                     ? next_proc
	       : it->kind == ML_GROWTH_SLAB                   ? next_slab
	       : it->kind == ML_GROWTH_VMALLOC                ? next_vmalloc
	       : strcmp(it->name, ML_GROWTH_UNACCOUNTED) == 0 ? next_unaccounted
							      : next_kernel;
	f = ml_finding_add(cx, sev, v->slope,
			   has_eta ? "{kind} {item} grows {growth} steadily over {window}: at this "
				     "pace MemAvailable is used up in {time to exhaustion}"
				   : "{kind} {item} grows {growth} steadily over {window}",
			   "a line through {samples} readings: slope {growth} >= {=min_mib_h}, "
			   "R² {R²} >= {=min_r2_index}, rising steps {rising share} >= "
			   "{=min_rising_pct}; MemAvailable / slope <= {=eta_warn_h} is a warning, "
			   "<= {=eta_crit_h} critical, over a window of {=min_window_min} or more",
			   next);
	if (f == NULL)
		return;
	item_id(id, sizeof id, it);
	if (it->kind == ML_GROWTH_PROC) {
		ml_finding_subject(cx, f, "%llu %s", (unsigned long long)it->key_a, it->label);
		snprintf(sel, sizeof sel,
			 "first(.items[] | select(.kind == \"proc\" and .pid == %llu and "
			 ".start_ticks == %llu))",
			 (unsigned long long)it->key_a, (unsigned long long)it->key_b);
	} else {
		ml_finding_subject(cx, f, "%s", id);
		snprintf(sel, sizeof sel, "first(.items[] | select(.kind == \"%s\" and .id == %s))",
			 ml_growth_kind_name(it->kind), ml_rule_jq_string(q, sizeof q, id));
	}
	ml_ev_text(f, "kind", kind_words[it->kind], NULL);
	ml_ev_text(f, "item", f->subject != NULL ? f->subject : id, NULL);
	if (it->kind == ML_GROWTH_PROC) {
		char pid[24];

		snprintf(pid, sizeof pid, "%llu", (unsigned long long)it->key_a);
		ev = ml_ev_text(f, "PID", pid, NULL);
		ml_ev_see(cx, ev, "growth", "%s | .pid | tostring", sel);
	}
	ev_value(cx, f, it, "first", "first", it->s.first, false, sel);
	ev_value(cx, f, it, "last", "last", it->s.last, true, sel);
	ev = ml_ev_double(f, "growth", ML_EV_BYTES_PER_S, v->slope, NULL);
	ml_ev_see(cx, ev, "growth", "%s | .slope_bytes_per_s", sel);
	ev = ml_ev_double(f, "R²", ML_EV_INDEX, v->r2, NULL);
	ml_ev_see(cx, ev, "growth", "%s | .r2", sel);
	ev = ml_ev_double(f, "rising share", ML_EV_PERCENT, v->rising_share * 100, NULL);
	ev = ml_ev_u64(f, "samples", ML_EV_COUNT, v->samples, NULL);
	ml_ev_see(cx, ev, "growth", "%s | .samples", sel);
	ml_ev_double(f, "window", ML_EV_SECONDS, window, NULL);
	if (has_eta) {
		ev = ml_ev_double(f, "time to exhaustion", ML_EV_SECONDS, eta, NULL);
		ml_ev_see(cx, ev, "growth", "%s | .eta_s", sel);
		ml_ev_u64(f, "MemAvailable", ML_EV_BYTES, in->eta.available, "meminfo");
	}
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_growth *g = in->growth;
	int32_t i;

	if (g == NULL) {
		ml_rule_not_judged(cx, "needs three readings or more: --window DUR, or a series of "
				       "captures");
		return;
	}
	if (g->sample < 3) {
		ml_rule_not_judged(cx, "%llu readings; a steady growth needs three or more",
				   (unsigned long long)g->sample);
		return;
	}
	ml_rule_judged(cx);
	for (i = 0; i < g->n; i++) {
		const struct ml_growth_item *it = ml_growth_slot(g, i);
		struct ml_growth_verdict v;

		if (!it->used)
			continue;
		ml_growth_judge(g, it, &v);
		if (v.suspect && v.has_slope && v.has_r2 && v.has_rising)
			suspect(in, cx, it, &v);
	}
}

void
ml_leak_params(struct ml_growth_params *p, const struct ml_rules_config *c)
{
	const double *thr = ml_rules_config_of(c, &ml_rule_leak);

	ml_growth_params_default(p);
	p->min_rate = thr[MIN_MIB_H] * 1024 * 1024 / 3600;
	p->min_r2 = thr[MIN_R2];
	p->min_rising = thr[MIN_RISING_PCT] / 100;
}

void
ml_rule_input_growth(struct ml_rule_input *in, const struct ml_growth *g)
{
	struct ml_growth_mem m;

	in->growth = g;
	in->has_eta = false;
	if (g == NULL || in->now == NULL)
		return;
	memset(&m, 0, sizeof m);
	m.overcommit = in->overcommit;
	ml_growth_mem_read(&m, in->now);
	in->has_eta = ml_growth_exhaustion(g, &m, &in->eta) == 0;
}

const struct ml_rule ml_rule_leak = {
	.name = "leak",
	.title = "Leak suspects",
	.checks = "what grows steadily over a window (memlens growth's fit): a process, a slab "
		  "cache, a vmalloc caller, kernel memory, the unaccounted remainder",
	.needs = ML_SNAP(ML_SNAP_MEMINFO),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
