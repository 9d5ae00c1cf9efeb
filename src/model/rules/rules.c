/*
 * The table of rules, their thresholds, a run over every rule, and the
 * helpers the rules share; see rules.h.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rules/rules.h"
#include "util.h"

/* In the order --rules lists them: memory first, then its allocators. */
/* One entry per line: */
/* clang-format off */
const struct ml_rule *const ml_rules[] = {
	&ml_rule_available,
	&ml_rule_commit,
	&ml_rule_oom,
	&ml_rule_leak,
	&ml_rule_cgroup,
	&ml_rule_pressure,
	&ml_rule_zone,
	&ml_rule_numa,
	&ml_rule_swap,
	&ml_rule_zswap,
	&ml_rule_zram,
	&ml_rule_fragmentation,
	&ml_rule_compaction,
	&ml_rule_thp,
	&ml_rule_khugepaged,
	&ml_rule_slab_unreclaim,
	&ml_rule_slab_waste,
	&ml_rule_slab_reclaim,
	&ml_rule_hidden_cache,
	&ml_rule_unaccounted,
	&ml_rule_accounting,
	NULL,
};
/* clang-format on */

static const char *const severity_names[ML_SEV__COUNT] = {
	[ML_SEV_NOTE] = "note",
	[ML_SEV_WARNING] = "warning",
	[ML_SEV_CRITICAL] = "critical",
};

static const char *const unit_names[ML_EV__UNIT_COUNT] = {
	[ML_EV_BYTES] = "bytes",
	[ML_EV_PAGES] = "pages",
	[ML_EV_COUNT] = "count",
	[ML_EV_PERCENT] = "percent",
	[ML_EV_INDEX] = "index",
	[ML_EV_PER_S] = "per_second",
	[ML_EV_BYTES_PER_S] = "bytes_per_second",
	[ML_EV_SECONDS] = "seconds",
	[ML_EV_TEXT] = "text",
	[ML_EV_RATIO] = "ratio",
};

const char *
ml_severity_name(enum ml_severity s)
{
	return s < ML_SEV__COUNT ? severity_names[s] : NULL;
}

int
ml_severity_from_name(const char *s)
{
	int i;

	for (i = 0; i < ML_SEV__COUNT; i++)
		if (strcmp(severity_names[i], s) == 0)
			return i;
	return -1;
}

const char *
ml_ev_unit_name(enum ml_ev_unit u)
{
	return u < ML_EV__UNIT_COUNT ? unit_names[u] : NULL;
}

size_t
ml_rules_count(void)
{
	size_t n = 0;

	while (ml_rules[n] != NULL)
		n++;
	return n;
}

const struct ml_rule *
ml_rule_find(const char *name)
{
	size_t i;

	for (i = 0; ml_rules[i] != NULL; i++)
		if (strcmp(ml_rules[i]->name, name) == 0)
			return ml_rules[i];
	return NULL;
}

unsigned int
ml_rules_needs(void)
{
	unsigned int m = 0;
	size_t i;

	for (i = 0; ml_rules[i] != NULL; i++)
		m |= ml_rules[i]->needs;
	return m;
}

/* ------------------------------------------------------------ thresholds */

static size_t
rule_index(const struct ml_rule *r)
{
	size_t i;

	for (i = 0; ml_rules[i] != NULL; i++)
		if (ml_rules[i] == r)
			return i;
	return (size_t)-1;
}

int
ml_rules_config_init(struct ml_rules_config *c)
{
	size_t nr = ml_rules_count(), i, j, n = 0;

	memset(c, 0, sizeof *c);
	for (i = 0; i < nr; i++)
		n += ml_rules[i]->nparams;
	c->val = calloc(n > 0 ? n : 1, sizeof *c->val);
	c->offset = calloc(nr > 0 ? nr : 1, sizeof *c->offset);
	if (c->val == NULL || c->offset == NULL) {
		ml_rules_config_release(c);
		errno = ENOMEM;
		return -1;
	}
	c->n = n;
	n = 0;
	for (i = 0; i < nr; i++) {
		c->offset[i] = n;
		for (j = 0; j < ml_rules[i]->nparams; j++)
			c->val[n++] = ml_rules[i]->params[j].def;
	}
	return 0;
}

void
ml_rules_config_release(struct ml_rules_config *c)
{
	free(c->val);
	free(c->offset);
	memset(c, 0, sizeof *c);
}

const double *
ml_rules_config_of(const struct ml_rules_config *c, const struct ml_rule *r)
{
	size_t i = rule_index(r);

	return i == (size_t)-1 ? NULL : c->val + c->offset[i];
}

/* "a, b, c": the names of the rules, or of one rule's keys (malloc'd; NULL on ENOMEM). */
static char *
list_names(const struct ml_rule *r)
{
	size_t i, len = 0, n = r != NULL ? r->nparams : ml_rules_count();
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(r != NULL ? r->params[i].key : ml_rules[i]->name) + 2;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, r != NULL ? r->params[i].key : ml_rules[i]->name);
	}
	return s;
}

int
ml_rules_config_set(struct ml_rules_config *c, const char *assignment, char **cause)
{
	const char *dot = strchr(assignment, '.'), *eq = strchr(assignment, '=');
	const struct ml_rule *r = NULL;
	char name[64], *end, *names;
	size_t n, i;
	double v;

	if (dot == NULL || eq == NULL || eq < dot) {
		ml_set_cause(cause,
			     "invalid --set '%s' (RULE.KEY=VALUE; memlens explain --rules "
			     "lists them)",
			     assignment);
		return -1;
	}
	n = (size_t)(dot - assignment);
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, assignment, n);
	name[n] = '\0';
	if ((r = ml_rule_find(name)) == NULL) {
		names = list_names(NULL);
		ml_set_cause(cause, "no rule '%s' (the rules: %s)", name, names ? names : "");
		free(names);
		return -1;
	}
	n = (size_t)(eq - dot - 1);
	for (i = 0; i < r->nparams; i++)
		if (strlen(r->params[i].key) == n && strncmp(r->params[i].key, dot + 1, n) == 0)
			break;
	if (i == r->nparams) {
		names = list_names(r);
		ml_set_cause(cause, "rule '%s' has no key '%.*s' (its keys: %s)", r->name, (int)n,
			     dot + 1, names ? names : "");
		free(names);
		return -1;
	}
	errno = 0;
	v = strtod(eq + 1, &end);
	if (errno != 0 || end == eq + 1 || *end != '\0' || !isfinite(v) || v < r->params[i].min ||
	    v > r->params[i].max) {
		ml_set_cause(cause, "invalid value '%s' for %s.%s: give a number from %g to %g",
			     eq + 1, r->name, r->params[i].key, r->params[i].min, r->params[i].max);
		return -1;
	}
	c->val[c->offset[rule_index(r)] + i] = v;
	return 0;
}

/* ------------------------------------------------------------ findings */

void
ml_explain_init(struct ml_explain *e)
{
	memset(e, 0, sizeof *e);
}

static void
finding_release(struct ml_finding *f)
{
	uint32_t i;

	free(f->subject);
	for (i = 0; i < f->nev; i++)
		free(f->ev[i].jq);
}

void
ml_explain_release(struct ml_explain *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		finding_release(&e->f[i]);
	free(e->f);
	for (i = 0; i < e->nskipped; i++)
		free(e->skipped[i].why);
	free(e->skipped);
	memset(e, 0, sizeof *e);
}

int
ml_explain_worst(const struct ml_explain *e)
{
	int s;

	for (s = ML_SEV__COUNT - 1; s >= 0; s--)
		if (e->by_severity[s] > 0)
			return s;
	return -1;
}

/* Files named in an evidence's own buffer follow it when the findings move (realloc, qsort). */
static void
repoint_files(struct ml_explain *e)
{
	size_t i;
	uint32_t j;

	for (i = 0; i < e->n; i++)
		for (j = 0; j < e->f[i].nev; j++)
			if (e->f[i].ev[j].file_in_buf)
				e->f[i].ev[j].file = e->f[i].ev[j].pathbuf;
}

struct ml_finding *
ml_finding_add(struct ml_rule_ctx *cx, enum ml_severity sev, double score, const char *headline,
	       const char *formula, const char *next)
{
	struct ml_explain *e = cx->out;
	struct ml_finding *f;

	cx->judged = true;
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct ml_finding *nf = realloc(e->f, cap * sizeof *nf);

		if (nf == NULL) {
			e->oom = true;
			return NULL;
		}
		e->f = nf;
		e->cap = cap;
		repoint_files(e);
	}
	f = &e->f[e->n++];
	memset(f, 0, sizeof *f);
	f->rule = cx->rule;
	f->severity = sev;
	f->score = isfinite(score) ? score : 0;
	f->headline = headline;
	f->formula = formula;
	f->next = next;
	f->thr = cx->thr;
	f->seq = (uint32_t)(e->n - 1);
	e->by_severity[sev]++;
	return f;
}

void
ml_finding_subject(struct ml_rule_ctx *cx, struct ml_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	free(f->subject);
	va_start(ap, fmt);
	if (vasprintf(&f->subject, fmt, ap) < 0) {
		f->subject = NULL;
		cx->out->oom = true;
	}
	va_end(ap);
}

static struct ml_evidence *
ev_new(struct ml_finding *f, const char *name, enum ml_ev_unit unit, enum ml_ev_kind kind,
       const char *file)
{
	struct ml_evidence *ev;

	if (f == NULL || f->nev == ML_FINDING_EVIDENCE_MAX)
		return NULL;
	ev = &f->ev[f->nev++];
	memset(ev, 0, sizeof *ev);
	ev->name = name;
	ev->unit = unit;
	ev->kind = kind;
	ev->file = file;
	return ev;
}

struct ml_evidence *
ml_ev_u64(struct ml_finding *f, const char *name, enum ml_ev_unit unit, uint64_t v,
	  const char *file)
{
	struct ml_evidence *ev = ev_new(f, name, unit, ML_EV_U64, file);

	if (ev != NULL)
		ev->u = v;
	return ev;
}

struct ml_evidence *
ml_ev_i64(struct ml_finding *f, const char *name, enum ml_ev_unit unit, int64_t v, const char *file)
{
	struct ml_evidence *ev = ev_new(f, name, unit, ML_EV_I64, file);

	if (ev != NULL)
		ev->i = v;
	return ev;
}

struct ml_evidence *
ml_ev_double(struct ml_finding *f, const char *name, enum ml_ev_unit unit, double v,
	     const char *file)
{
	struct ml_evidence *ev = ev_new(f, name, unit, ML_EV_DOUBLE, file);

	if (ev != NULL)
		ev->d = isfinite(v) ? v : 0;
	return ev;
}

struct ml_evidence *
ml_ev_sys(struct ml_evidence *ev)
{
	if (ev != NULL)
		ev->sys_file = true;
	return ev;
}

struct ml_evidence *
ml_ev_file(struct ml_evidence *ev, bool sys, const char *fmt, ...)
{
	va_list ap;

	if (ev == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(ev->pathbuf, sizeof ev->pathbuf, fmt, ap);
	va_end(ap);
	ev->file = ev->pathbuf;
	ev->file_in_buf = true;
	ev->sys_file = sys;
	return ev;
}

struct ml_evidence *
ml_ev_pages(struct ml_finding *f, const char *name, uint64_t pages, uint64_t page_size,
	    const char *file)
{
	struct ml_evidence *ev = ev_new(f, name, ML_EV_PAGES, ML_EV_U64, file);

	if (ev != NULL) {
		ev->u = pages;
		ev->page_size = page_size;
	}
	return ev;
}

struct ml_evidence *
ml_ev_text(struct ml_finding *f, const char *name, const char *v, const char *file)
{
	struct ml_evidence *ev = ev_new(f, name, ML_EV_TEXT, ML_EV_STRING, file);

	if (ev != NULL)
		snprintf(ev->text, sizeof ev->text, "%s", v);
	return ev;
}

void
ml_ev_see(struct ml_rule_ctx *cx, struct ml_evidence *ev, const char *command, const char *jq_fmt,
	  ...)
{
	va_list ap;

	if (ev == NULL)
		return;
	ev->command = command;
	free(ev->jq);
	va_start(ap, jq_fmt);
	if (vasprintf(&ev->jq, jq_fmt, ap) < 0) {
		ev->jq = NULL;
		ev->command = NULL;
		cx->out->oom = true;
	}
	va_end(ap);
}

void
ml_rule_not_judged(struct ml_rule_ctx *cx, const char *fmt, ...)
{
	va_list ap;

	free(cx->why);
	va_start(ap, fmt);
	if (vasprintf(&cx->why, fmt, ap) < 0) {
		cx->why = NULL;
		cx->out->oom = true;
	}
	va_end(ap);
}

const struct ml_evidence *
ml_finding_evidence(const struct ml_finding *f, const char *name)
{
	uint32_t i;

	for (i = 0; i < f->nev; i++)
		if (strcmp(f->ev[i].name, name) == 0)
			return &f->ev[i];
	return NULL;
}

/* Append n bytes of s to out (cap) at *len, counting what does not fit. */
static void
put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len < cap) {
		size_t room = cap - *len - 1;

		memcpy(out + *len, s, n < room ? n : room);
	}
	*len += n;
}

size_t
ml_finding_expand(const struct ml_finding *f, const char *tmpl, ml_ev_format_fn fmt_ev,
		  ml_thr_format_fn fmt_thr, void *arg, char *out, size_t cap)
{
	const char *p = tmpl != NULL ? tmpl : "";
	size_t len = 0;
	char name[64], buf[96];

	while (*p) {
		const char *close;
		size_t n;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			put(out, cap, &len, p, 1);
			p += 2;
			continue;
		}
		if (p[0] != '{' || (close = strchr(p, '}')) == NULL) {
			put(out, cap, &len, p, 1);
			p++;
			continue;
		}
		n = (size_t)(close - p - 1);
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		snprintf(buf, sizeof buf, "{?%s}", name);
		if (name[0] == '=') {
			size_t i;

			for (i = 0; f->rule != NULL && i < f->rule->nparams; i++)
				if (strcmp(f->rule->params[i].key, name + 1) == 0 && f->thr != NULL)
					fmt_thr(&f->rule->params[i], f->thr[i], buf, sizeof buf,
						arg);
		} else {
			const struct ml_evidence *ev = ml_finding_evidence(f, name);

			if (ev != NULL)
				fmt_ev(ev, buf, sizeof buf, arg);
		}
		put(out, cap, &len, buf, strlen(buf));
		p = close + 1;
	}
	if (cap > 0)
		out[len < cap ? len : cap - 1] = '\0';
	return len;
}

/* ------------------------------------------------------------ the run */

static int
finding_cmp(const void *a, const void *b)
{
	const struct ml_finding *x = a, *y = b;
	size_t rx, ry;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	rx = rule_index(x->rule);
	ry = rule_index(y->rule);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if ((c = strcmp(x->subject ? x->subject : "", y->subject ? y->subject : "")) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
skip(struct ml_explain *e, const struct ml_rule *r, char *why)
{
	if (e->nskipped == e->skipped_cap) {
		size_t cap = e->skipped_cap ? e->skipped_cap * 2 : 8;
		struct ml_not_judged *n = realloc(e->skipped, cap * sizeof *n);

		if (n == NULL) {
			free(why);
			e->oom = true;
			return;
		}
		e->skipped = n;
		e->skipped_cap = cap;
	}
	e->skipped[e->nskipped].rule = r;
	e->skipped[e->nskipped].why = why;
	e->nskipped++;
}

int
ml_rules_run(struct ml_explain *e, const struct ml_rule_input *in, const struct ml_rules_config *c)
{
	size_t i;

	for (i = 0; ml_rules[i] != NULL; i++) {
		const struct ml_rule *r = ml_rules[i];
		struct ml_rule_ctx cx = { .rule = r, .thr = ml_rules_config_of(c, r), .out = e };
		int src;
		char *why = NULL;

		for (src = 0; src < ML_SNAP__COUNT; src++) {
			if ((r->needs & ML_SNAP(src)) && !ml_rule_has(in->now, src)) {
				if (asprintf(&why, "%s", ml_rule_why(in->now, src)) < 0)
					why = NULL;
				break;
			}
		}
		if (src < ML_SNAP__COUNT) {
			skip(e, r, why);
			continue;
		}
		r->judge(in, &cx);
		if (!cx.judged)
			skip(e, r, cx.why != NULL ? cx.why : strdup("nothing to judge"));
		else
			free(cx.why);
	}
	if (e->n > 1)
		qsort(e->f, e->n, sizeof *e->f, finding_cmp);
	repoint_files(e);
	if (e->oom) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
ml_rule_input_init(struct ml_rule_input *in, const struct ml_snapshot *now,
		   const struct ml_snapshot *before, double seconds)
{
	uint64_t v;

	memset(in, 0, sizeof *in);
	in->now = now;
	in->before = before;
	in->seconds = before != NULL && seconds > 0 ? seconds : 0;
	if (in->seconds == 0)
		in->before = NULL;
	in->overcommit = -1;
	if (now->fs != NULL &&
	    ml_procfs_read_u64(now->fs, "sys/vm/overcommit_memory", &v, NULL) == 0 && v <= 2)
		in->overcommit = (int)v;
}

/* ------------------------------------------------------------ shared reads */

bool
ml_rule_has(const struct ml_snapshot *s, enum ml_snap_src src)
{
	return s != NULL && ml_snapshot_has(s, src) &&
	       (src != ML_SNAP_MEMINFO || ml_snapshot_meminfo(s) != NULL);
}

const char *
ml_rule_why(const struct ml_snapshot *s, enum ml_snap_src src)
{
	const char *why = s != NULL ? ml_snapshot_why(s, src) : NULL;

	if (why != NULL)
		return why;
	switch (src) {
	case ML_SNAP_MEMINFO:
		return "meminfo was not read";
	case ML_SNAP_VMSTAT:
		return "vmstat was not read";
	case ML_SNAP_ZONEINFO:
		return "zoneinfo was not read";
	case ML_SNAP_BUDDYINFO:
		return "buddyinfo was not read";
	case ML_SNAP_SLABINFO:
		return "slabinfo was not read";
	case ML_SNAP_PRESSURE:
		return "pressure/memory was not read";
	case ML_SNAP_ZRAM:
	case ML_SNAP_THP:
	case ML_SNAP_NODES:
		return "the sys root was not read";
	default:
		return "its source was not read";
	}
}

uint64_t
ml_rule_page_size(const struct ml_snapshot *s)
{
	return s->ps_found ? s->ps.bytes : 0;
}

bool
ml_rule_meminfo(const struct ml_snapshot *s, enum ml_mi_key k, uint64_t *v)
{
	const struct ml_meminfo *mi = s != NULL ? ml_snapshot_meminfo(s) : NULL;

	if (mi == NULL || !ml_meminfo_has(mi, k))
		return false;
	*v = ml_meminfo_get(mi, k);
	return true;
}

bool
ml_rule_vmstat(const struct ml_snapshot *s, const char *name, uint64_t *v)
{
	return s != NULL && ml_snapshot_has(s, ML_SNAP_VMSTAT) && ml_vmstat_find(&s->vs, name, v);
}

bool
ml_rule_vmstat_delta(const struct ml_rule_input *in, const char *name, uint64_t *delta)
{
	uint64_t now, before;

	if (in->before == NULL || !ml_rule_vmstat(in->now, name, &now) ||
	    !ml_rule_vmstat(in->before, name, &before))
		return false;
	*delta = now >= before ? now - before : 0;
	return true;
}

struct ml_evidence *
ml_ev_meminfo(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snapshot *s,
	      enum ml_mi_key k)
{
	struct ml_evidence *ev;
	uint64_t v;

	if (!ml_rule_meminfo(s, k, &v))
		return NULL;
	ev = ml_ev_u64(f, ml_meminfo_keys[k].name, ML_EV_BYTES, v, "meminfo");
	ml_ev_see(cx, ev, "meminfo", ".meminfo[\"%s\"]", ml_meminfo_keys[k].name);
	return ev;
}

struct ml_evidence *
ml_ev_vmstat(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snapshot *s,
	     const char *name)
{
	struct ml_evidence *ev;
	uint64_t v;

	if (!ml_rule_vmstat(s, name, &v))
		return NULL;
	ev = ml_ev_u64(f, name, ML_EV_COUNT, v, "vmstat");
	/* The commands that show these counters since boot: buddy, huge. */
	if (strncmp(name, "compact_", 8) == 0)
		ml_ev_see(cx, ev, "buddy", ".compaction.counters.%s", name);
	else if (strncmp(name, "thp_", 4) == 0)
		ml_ev_see(cx, ev, "huge", ".thp.events.counters.%s", name);
	else if (strncmp(name, "zswp", 4) == 0)
		ml_ev_see(cx, ev, "huge", ".zswap.events.counters.%s", name);
	return ev;
}

static const char *const act_names[ML_ACT__COUNT] = {
	[ML_ACT_ALLOCSTALL] = "allocstall",
	[ML_ACT_PGSCAN_KSWAPD] = "pgscan_kswapd",
	[ML_ACT_PGSCAN_DIRECT] = "pgscan_direct",
	[ML_ACT_PSWPIN] = "pswpin",
	[ML_ACT_PSWPOUT] = "pswpout",
	[ML_ACT_OOM_KILL] = "oom_kill",
};

const char *
ml_act_name(enum ml_act_counter c)
{
	return c < ML_ACT__COUNT ? act_names[c] : NULL;
}

uint64_t
ml_act_get(const struct ml_activity *a, enum ml_act_counter c)
{
	switch (c) {
	case ML_ACT_ALLOCSTALL:
		return a->stall;
	case ML_ACT_PGSCAN_KSWAPD:
		return a->scan_kswapd;
	case ML_ACT_PGSCAN_DIRECT:
		return a->scan_direct;
	case ML_ACT_PSWPIN:
		return a->swapin;
	case ML_ACT_PSWPOUT:
		return a->swapout;
	case ML_ACT_OOM_KILL:
		return a->oom;
	default:
		return 0;
	}
}

struct ml_evidence *
ml_ev_act(struct ml_rule_ctx *cx, struct ml_finding *f, const struct ml_snapshot *s,
	  enum ml_act_counter c)
{
	struct ml_evidence *ev;

	if (!ml_snapshot_has(s, ML_SNAP_VMSTAT) || !s->act.known)
		return NULL;
	ev = ml_ev_u64(f, act_names[c], ML_EV_COUNT, ml_act_get(&s->act, c), "vmstat");
	ml_ev_see(cx, ev, "summary", ".reclaim.%s", act_names[c]);
	return ev;
}

bool
ml_rule_act_delta(const struct ml_rule_input *in, enum ml_act_counter c, uint64_t *delta)
{
	uint64_t now, before;

	if (in->before == NULL || !ml_snapshot_has(in->now, ML_SNAP_VMSTAT) ||
	    !ml_snapshot_has(in->before, ML_SNAP_VMSTAT) || !in->now->act.known ||
	    !in->before->act.known)
		return false;
	now = ml_act_get(&in->now->act, c);
	before = ml_act_get(&in->before->act, c);
	*delta = now >= before ? now - before : 0;
	return true;
}

const char *
ml_rule_jq_string(char *buf, size_t cap, const char *s)
{
	size_t n = 0;

	if (cap < 3) {
		if (cap > 0)
			buf[0] = '\0';
		return buf;
	}
	buf[n++] = '"';
	for (; *s && n + 8 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

bool
ml_rule_slab_unique(const struct ml_slab_view *v, const struct ml_slab_cache *c)
{
	uint32_t i;

	if (c->dup > 0)
		return false;
	for (i = 0; i < v->n; i++)
		if (v->rows[i].cache != c && v->rows[i].cache->name_len == c->name_len &&
		    strcmp(v->rows[i].cache->name, c->name) == 0)
			return false;
	return true;
}
