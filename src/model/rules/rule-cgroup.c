/*
 * cgroup: memory cgroups near their limits, and their OOM kills, on memlens
 * cgroups' model (model/cgroups.h, doc/procfs.md section 20). For each
 * cgroup with a limit of its own (v2 memory.max or memory.high, v1
 * limit_in_bytes):
 *  - its working set (current - inactive_file, as kubelet computes it)
 *    against memory.max: what reclaim cannot take back, so near the limit
 *    the next charge reclaims hard or OOM-kills inside the cgroup;
 *  - above memory.high: its tasks are throttled;
 *  - usage near memory.max with a small working set is the page cache
 *    filling its room: not a finding.
 * OOM kills of its own (memory.events oom_kill; more than its children's
 * together, since v2 counts the subtree): new ones over a window are
 * critical, since its creation a note.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "model/rules/rules.h"

enum { WSET_WARN_PCT, WSET_CRIT_PCT, KILLS };

static const struct ml_rule_param params[] = {
	[WSET_WARN_PCT] = { "wset_warn_pct", 90, 0, 100,
			    "warning when a cgroup's working set is this share of its memory.max" },
	[WSET_CRIT_PCT] = { "wset_crit_pct", 98, 0, 100, "critical when it is this share" },
	[KILLS] = { "kills", 1, 1, 1e12,
		    "critical when a cgroup's own OOM kills grow by this many in the window" },
};

static const char *const next_limit =
	"memlens cgroups (every cgroup against its limits), memlens procs --group cgroup (its "
	"processes); raise memory.max or find what in it grows (memlens explain --window)";
static const char *const next_high =
	"memlens cgroups; its tasks are throttled while it is above memory.high: raise "
	"memory.high or reduce what it holds";
static const char *const next_oom =
	"journalctl -k -g 'Memory cgroup out of memory' (who was killed, at what usage); memlens "
	"cgroups for its limit and working set";

/* The cgroup's own OOM kills: more than its children's together (v2 counts the subtree). */
static bool
own_kills(const struct ml_cgroup *c, uint64_t *kills)
{
	uint64_t children = 0;
	size_t j;

	if (c->f[ML_CGF_EV_OOM_KILL].st != ML_CGV_OK)
		return false;
	for (j = 0; j < c->nchild; j++)
		if (c->child[j]->f[ML_CGF_EV_OOM_KILL].st == ML_CGV_OK)
			children += c->child[j]->f[ML_CGF_EV_OOM_KILL].v;
	if (children >= c->f[ML_CGF_EV_OOM_KILL].v)
		return false;
	*kills = c->f[ML_CGF_EV_OOM_KILL].v - children;
	return true;
}

/* "first(.cgroups[] | select(.path == "/a")) | " into buf. */
static const char *
sel(char *buf, size_t cap, const struct ml_cgroup *c)
{
	char q[600];

	snprintf(buf, cap, "first(.cgroups[] | select(.path == %s))",
		 ml_rule_jq_string(q, sizeof q, c->path));
	return buf;
}

/* Where the hierarchy is under the sys root ("fs/cgroup/memory"), or NULL when not under /sys. */
static const char *
hier_dir(const struct ml_snapshot *snap)
{
	const struct ml_cgmount *m = snap->cg_hier.mount;

	if (m == NULL || m->mount_point == NULL || strncmp(m->mount_point, "/sys/", 5) != 0 ||
	    m->root == NULL || strcmp(m->root, "/") != 0)
		return NULL;
	return m->mount_point + 5;
}

static void
ev_figure(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snapshot *snap,
	  const struct ml_cgroup *c, const char *name, enum ml_cgf fig, const char *s)
{
	const struct ml_cgf_info *fi = &ml_cgf_info[fig];
	const char *dir = hier_dir(snap);
	char src[128];
	struct ml_evidence *ev;

	if (fi->group == ML_CGG_EVENTS)
		ev = ml_ev_u64(f, name, ML_EV_COUNT, c->f[fig].v, NULL);
	else
		ev = ml_ev_u64(f, name, ML_EV_BYTES, c->f[fig].v, NULL);
	if (ev == NULL)
		return;
	/* The file: the hierarchy's mount, the cgroup, the file (its first word). */
	if (dir != NULL && fig != ML_CGF_WSET &&
	    ml_cgf_source(snap->cgroups.version, fig, src, sizeof src) != NULL) {
		src[strcspn(src, " ")] = '\0';
		ml_ev_file(ev, true, "%s%s/%s", dir, strcmp(c->path, "/") == 0 ? "" : c->path, src);
	}
	ml_ev_see(cx, ev, "cgroups", "%s | .%s.%s%s", s,
		  fi->group == ML_CGG_MEMORY   ? "memory"
		  : fi->group == ML_CGG_LIMITS ? "limits"
					       : "events",
		  fi->key, fi->group == ML_CGG_LIMITS ? ".bytes" : "");
}

static void
judge_limits(const struct ml_rule_input *in, struct ml_rule_ctx *cx, const struct ml_cgroup *c)
{
	const struct ml_cgv *max = &c->f[ML_CGF_MAX], *high = &c->f[ML_CGF_HIGH],
			    *wset = &c->f[ML_CGF_WSET], *cur = &c->f[ML_CGF_CURRENT];
	struct ml_finding *f;
	char s[700];

	sel(s, sizeof s, c);
	if (ml_cgv_ok(max) && max->v > 0 && ml_cgv_ok(wset)) {
		double pct = 100.0 * (double)wset->v / (double)max->v;

		if (pct >= cx->thr[WSET_WARN_PCT]) {
			bool crit = pct >= cx->thr[WSET_CRIT_PCT];

			f = ml_finding_add(
				cx, crit ? ML_SEV_CRITICAL : ML_SEV_WARNING, pct,
				"cgroup {cgroup}: working set {working set} is {share} of "
				"its limit {memory.max}",
				crit ? "working set / memory.max = {share} >= "
				       "{=wset_crit_pct}"
				     : "working set / memory.max = {share} >= "
				       "{=wset_warn_pct}",
				next_limit);
			ml_finding_subject(cx, f, "%s", c->path);
			ml_ev_text(f, "cgroup", c->path, NULL);
			ev_figure(cx, f, in->now, c, "working set", ML_CGF_WSET, s);
			ev_figure(cx, f, in->now, c, "current", ML_CGF_CURRENT, s);
			ev_figure(cx, f, in->now, c, "memory.max", ML_CGF_MAX, s);
			ml_ev_double(f, "share", ML_EV_PERCENT, pct, NULL);
		}
	}
	if (ml_cgv_ok(high) && ml_cgv_ok(cur) && cur->v > high->v) {
		f = ml_finding_add(cx, ML_SEV_WARNING, (double)(cur->v - high->v),
				   "cgroup {cgroup}: {current} charged, above its memory.high "
				   "{memory.high}: its tasks are throttled",
				   "current > memory.high", next_high);
		ml_finding_subject(cx, f, "%s", c->path);
		ml_ev_text(f, "cgroup", c->path, NULL);
		ev_figure(cx, f, in->now, c, "current", ML_CGF_CURRENT, s);
		ev_figure(cx, f, in->now, c, "memory.high", ML_CGF_HIGH, s);
		if (c->f[ML_CGF_EV_HIGH].st == ML_CGV_OK)
			ev_figure(cx, f, in->now, c, "high events", ML_CGF_EV_HIGH, s);
	}
}

/* The same cgroup in the reading before, by path. */
static const struct ml_cgroup *
before_of(const struct ml_rule_input *in, const struct ml_cgroup *c)
{
	if (in->before == NULL || !ml_rule_has(in->before, ML_SNAP_CGROUPS))
		return NULL;
	return ml_cgtree_find(&in->before->cgroups, c->path);
}

static void
judge_oom(const struct ml_rule_input *in, struct ml_rule_ctx *cx, const struct ml_cgroup *c)
{
	const struct ml_cgroup *b;
	uint64_t now, then;
	struct ml_finding *f;
	char s[700];

	if (!own_kills(c, &now))
		return;
	sel(s, sizeof s, c);
	if (in->before != NULL) {
		b = before_of(in, c);
		/* A cgroup made during the window: all its kills are new. */
		if (b == NULL || !own_kills(b, &then))
			then = 0;
		if (now <= then || (double)(now - then) < cx->thr[KILLS])
			return;
		f = ml_finding_add(cx, ML_SEV_CRITICAL, (double)(now - then),
				   "cgroup {cgroup}: {new OOM kills} OOM kills in {window}",
				   "its own oom_kill now - before = {new OOM kills} >= {=kills}",
				   next_oom);
		ml_finding_subject(cx, f, "%s", c->path);
		ml_ev_text(f, "cgroup", c->path, NULL);
		ev_figure(cx, f, in->now, c, "oom_kill", ML_CGF_EV_OOM_KILL, s);
		ml_ev_u64(f, "new OOM kills", ML_EV_COUNT, now - then, NULL);
		ml_ev_double(f, "window", ML_EV_SECONDS, in->seconds, NULL);
		return;
	}
	f = ml_finding_add(cx, ML_SEV_NOTE, (double)now,
			   "cgroup {cgroup}: {own OOM kills} OOM kills since it was made",
			   "its own oom_kill > 0 (a window tells whether it goes on)", next_oom);
	ml_finding_subject(cx, f, "%s", c->path);
	ml_ev_text(f, "cgroup", c->path, NULL);
	ev_figure(cx, f, in->now, c, "oom_kill", ML_CGF_EV_OOM_KILL, s);
	ml_ev_u64(f, "own OOM kills", ML_EV_COUNT, now, NULL);
}

static void
judge(const struct ml_rule_input *in, struct ml_rule_ctx *cx)
{
	const struct ml_cgtree *t = &in->now->cgroups;
	size_t i;

	ml_rule_judged(cx);
	for (i = 0; i < t->n; i++) {
		const struct ml_cgroup *c = t->v[i];

		if (!c->full)
			continue;
		judge_limits(in, cx, c);
		judge_oom(in, cx, c);
	}
}

const struct ml_rule ml_rule_cgroup = {
	.name = "cgroup",
	.title = "Memory cgroups",
	.checks = "each cgroup's working set against its memory.max, above memory.high, its own "
		  "OOM kills (memlens cgroups)",
	.needs = ML_SNAP(ML_SNAP_CGROUPS),
	.params = params,
	.nparams = ML_ARRAY_SIZE(params),
	.judge = judge,
};
