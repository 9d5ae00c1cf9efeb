/*
 * pressure: memory pressure stall information (PSI, 4.20+, doc/procfs.md
 * section 17). "full" is the share of wall time in which every runnable task
 * waited for memory (reclaim, refaults, swap-ins): work that did not happen;
 * "some" the share in which at least one did. The averages are the kernel's
 * own over 10, 60 and 300 seconds, so one reading is enough.
 */
#include "config.h"

#include "model/rules/rules.h"

enum { SOME_NOTE_PCT, FULL_WARN_PCT, FULL_CRIT_PCT };

static const struct ml_rule_param params[] = {
	[SOME_NOTE_PCT] = { "some_note_pct", 10, 0, 100,
			    "a note when some tasks waited for memory this share of the last 60 s "
			    "(some avg60)" },
	[FULL_WARN_PCT] = { "full_warn_pct", 5, 0, 100,
			    "warning when all tasks waited this share of the last 10 s (full "
			    "avg10)" },
	[FULL_CRIT_PCT] = { "full_crit_pct", 20, 0, 100,
			    "critical when all tasks waited this share of the last 10 s" },
};

static const char *const next =
	"memlens zones and memlens explain --window 1m (reclaim, swap and refaults per "
	"second); memlens cgroups for a container's own pressure";

/* An average as evidence; memlens summary shows it too. */
static void
add_psi(struct ml_rule_ctx *cx, struct ml_finding *f, const char *name, double v, const char *jq)
{
	ml_ev_see(cx, ml_ev_double(f, name, ML_EV_PERCENT, v, "pressure/memory"), "summary", "%s",
		  jq);
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_pressure *p = &in->now->psi;
	const double *t = cx->thr;
	double some60, full10;
	struct ml_finding *f;

	if (!p->some.present) {
		ml_rule_not_judged(cx, "pressure/memory has no \"some\" line");
		return;
	}
	ml_rule_judged(cx);
	some60 = p->some.avg60 / 100.0;
	full10 = p->full.present ? p->full.avg10 / 100.0 : 0;
	if (p->full.present && full10 >= t[FULL_WARN_PCT]) {
		bool crit = full10 >= t[FULL_CRIT_PCT];

		f = ml_finding_add(cx, crit ? ML_SEV_CRITICAL : ML_SEV_WARNING, full10,
				   "every task waited for memory {full avg10} of the last 10 s",
				   crit ? "full avg10 = {full avg10} >= {=full_crit_pct}"
					: "full avg10 = {full avg10} >= {=full_warn_pct}",
				   next);
		add_psi(cx, f, "full avg10", full10, ".pressure.full.avg10");
		add_psi(cx, f, "some avg60", some60, ".pressure.some.avg60");
		return;
	}
	if (some60 >= t[SOME_NOTE_PCT]) {
		f = ml_finding_add(cx, ML_SEV_NOTE, some60,
				   "tasks waited for memory {some avg60} of the last minute",
				   "some avg60 = {some avg60} >= {=some_note_pct}", next);
		add_psi(cx, f, "some avg60", some60, ".pressure.some.avg60");
		if (p->full.present)
			add_psi(cx, f, "full avg10", full10, ".pressure.full.avg10");
	}
}

const struct ml_rule ml_rule_pressure = {
	.name = "pressure",
	.title = "Memory pressure (PSI)",
	.checks = "the time tasks spend waiting for memory, from pressure/memory",
	.needs = ML_SNAP(ML_SNAP_PRESSURE),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
