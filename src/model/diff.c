/*
 * Two snapshots compared; see diff.h. Each view lists (key, label, value)
 * entries of both sides, sorts them by key and walks the two lists together.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "model/diff.h"
#include "model/procs.h"
#include "proc/pids.h"

const char *const ml_diff_view_names[ML_DIFF__COUNT] = {
	[ML_DIFF_ACCOUNTING] = "accounting", [ML_DIFF_ACTIVITY] = "activity",
	[ML_DIFF_MEMINFO] = "meminfo",       [ML_DIFF_SLAB] = "slab",
	[ML_DIFF_VMALLOC] = "vmalloc",       [ML_DIFF_PROCS] = "procs",
	[ML_DIFF_BUDDY] = "buddy",           [ML_DIFF_ZONES] = "zones",
	[ML_DIFF_CGROUPS] = "cgroups",
};

const char *const ml_diff_sort_keys[ML_DIFF_SORT__COUNT + 1] = {
	[ML_DIFF_SORT_DELTA] = "delta", [ML_DIFF_SORT_RATE] = "rate", [ML_DIFF_SORT_NAME] = "name",
	[ML_DIFF_SORT_ABS] = "abs",     [ML_DIFF_SORT__COUNT] = NULL,
};

int
ml_diff_view_lookup(const char *name)
{
	int i;

	for (i = 0; i < ML_DIFF__COUNT; i++)
		if (strcmp(ml_diff_view_names[i], name) == 0)
			return i;
	return -1;
}

int
ml_diff_sort_lookup(const char *name)
{
	int i;

	for (i = 0; i < ML_DIFF_SORT__COUNT; i++)
		if (strcmp(ml_diff_sort_keys[i], name) == 0)
			return i;
	return -1;
}

const char *
ml_diff_unit_name(enum ml_diff_unit u)
{
	return u == ML_DIFF_BYTES ? "bytes" : u == ML_DIFF_PAGES ? "pages" : "count";
}

const char *
ml_diff_presence_name(enum ml_diff_presence p)
{
	return p == ML_DIFF_NEW ? "new" : p == ML_DIFF_GONE ? "gone" : "both";
}

/* The snapshot sources each view reads. */
static const unsigned int view_sources[ML_DIFF__COUNT] = {
	[ML_DIFF_ACCOUNTING] = ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMALLOCINFO),
	[ML_DIFF_ACTIVITY] = ML_SNAP(ML_SNAP_VMSTAT),
	[ML_DIFF_MEMINFO] = ML_SNAP(ML_SNAP_MEMINFO),
	[ML_DIFF_SLAB] = ML_SNAP(ML_SNAP_SLABINFO),
	[ML_DIFF_VMALLOC] = ML_SNAP(ML_SNAP_VMALLOCINFO),
	[ML_DIFF_PROCS] = ML_SNAP(ML_SNAP_PROCS),
	[ML_DIFF_BUDDY] = ML_SNAP(ML_SNAP_BUDDYINFO),
	[ML_DIFF_ZONES] = ML_SNAP(ML_SNAP_ZONEINFO),
	[ML_DIFF_CGROUPS] = ML_SNAP(ML_SNAP_CGROUPS),
};

/* The source whose loss makes a view unavailable. */
static const enum ml_snap_src view_main[ML_DIFF__COUNT] = {
	[ML_DIFF_ACCOUNTING] = ML_SNAP_MEMINFO,  [ML_DIFF_ACTIVITY] = ML_SNAP_VMSTAT,
	[ML_DIFF_MEMINFO] = ML_SNAP_MEMINFO,     [ML_DIFF_SLAB] = ML_SNAP_SLABINFO,
	[ML_DIFF_VMALLOC] = ML_SNAP_VMALLOCINFO, [ML_DIFF_PROCS] = ML_SNAP_PROCS,
	[ML_DIFF_BUDDY] = ML_SNAP_BUDDYINFO,     [ML_DIFF_ZONES] = ML_SNAP_ZONEINFO,
	[ML_DIFF_CGROUPS] = ML_SNAP_CGROUPS,
};

unsigned int
ml_diff_sources(unsigned int views)
{
	unsigned int m = 0;
	int i;

	for (i = 0; i < ML_DIFF__COUNT; i++)
		if (views & (1u << i))
			m |= view_sources[i];
	return m;
}

/* One side's entry of a view, before matching. */
struct entry {
	char *key, *label;
	enum ml_diff_unit unit;
	bool known;
	uint64_t v;
};

struct list {
	struct entry *e;
	size_t n, cap;
	bool oom;
};

static void
list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->e[i].key);
		free(l->e[i].label);
	}
	free(l->e);
	memset(l, 0, sizeof *l);
}

/* Add an entry; key and label are copied (label NULL: the key). */
static void
add(struct list *l, const char *key, const char *label, enum ml_diff_unit unit, bool known,
    uint64_t v)
{
	struct entry *e;

	if (l->oom)
		return;
	if (l->n == l->cap) {
		size_t c = l->cap ? l->cap * 2 : 64;
		struct entry *ne = realloc(l->e, c * sizeof *ne);

		if (ne == NULL) {
			l->oom = true;
			return;
		}
		l->e = ne;
		l->cap = c;
	}
	e = &l->e[l->n];
	e->key = strdup(key);
	e->label = strdup(label != NULL ? label : key);
	if (e->key == NULL || e->label == NULL) {
		free(e->key);
		free(e->label);
		l->oom = true;
		return;
	}
	e->unit = unit;
	e->known = known;
	e->v = known ? v : 0;
	l->n++;
}

/* ------------------------------------------------------------ the views */

static void
list_accounting(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_accounting *a = ml_snapshot_accounting(s);
	int p;

	if (a == NULL)
		return;
	for (p = 0; p < ML_ACCT__COUNT; p++) {
		const struct ml_acct_row *r = &a->part[p];
		bool known = r->state != ML_ACCT_ABSENT;
		uint64_t v = r->bytes;

		/* Unaccounted is signed; below zero it is an overcount, shown as 0 here. */
		if (p == ML_ACCT_UNACCOUNTED)
			v = a->unaccounted > 0 ? (uint64_t)a->unaccounted : 0;
		add(l, ml_acct_part_name((enum ml_acct_part)p),
		    ml_acct_part_label((enum ml_acct_part)p), ML_DIFF_BYTES, known, v);
	}
	add(l, "MemTotal", NULL, ML_DIFF_BYTES, true, a->total);
}

static void
list_activity(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_activity *a = &s->act;

	if (!a->known)
		return;
	add(l, "allocstall", "direct-reclaim stalls", ML_DIFF_COUNT, true, a->stall);
	add(l, "pgscan_kswapd", "pages scanned by kswapd", ML_DIFF_COUNT, true, a->scan_kswapd);
	add(l, "pgscan_direct", "pages scanned directly", ML_DIFF_COUNT, true, a->scan_direct);
	add(l, "pswpin", "swap-ins", ML_DIFF_COUNT, true, a->swapin);
	add(l, "pswpout", "swap-outs", ML_DIFF_COUNT, true, a->swapout);
	add(l, "pgmajfault", "major faults", ML_DIFF_COUNT, true, a->majfault);
	add(l, "oom_kill", "OOM kills", ML_DIFF_COUNT, true, a->oom);
	add(l, "workingset_refault", "refaults", ML_DIFF_COUNT, true, a->refault);
}

static void
list_meminfo(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_meminfo *mi = ml_snapshot_meminfo(s);
	char name[128];
	uint32_t i;

	if (mi == NULL)
		return;
	for (i = 0; i < mi->all.n; i++) {
		const struct ml_kv_entry *e = &mi->all.e[i];

		snprintf(name, sizeof name, "%.*s", (int)e->name_len, ml_kvlist_name(&mi->all, i));
		add(l, name, NULL, e->unit == ML_KV_BYTES ? ML_DIFF_BYTES : ML_DIFF_COUNT, true,
		    e->value);
	}
}

static void
list_slab(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_slab_view *v = &s->slv;
	char key[300];
	uint32_t i;

	for (i = 0; i < v->n; i++) {
		const struct ml_slab_row *r = &v->rows[i];

		/* Two caches of one name (mlx5) stay two rows: the second is name#2. */
		if (r->cache->dup == 0)
			snprintf(key, sizeof key, "%s", r->cache->name);
		else
			snprintf(key, sizeof key, "%s#%u", r->cache->name, r->cache->dup + 1);
		add(l, key, NULL, v->has_bytes ? ML_DIFF_BYTES : ML_DIFF_PAGES, true,
		    v->has_bytes ? r->bytes : r->pages);
	}
}

static void
list_vmalloc(struct list *l, struct ml_snapshot *s)
{
	const struct ml_vmalloc *v = &s->vm;
	const struct ml_vm_group **g;
	uint32_t n = ml_vmalloc_ngroups(v, ML_VM_BY_CALLER);
	size_t i, k;
	char key[300];
	uint64_t bytes;

	if (n == 0)
		return;
	g = malloc(n * sizeof *g);
	if (g == NULL) {
		l->oom = true;
		return;
	}
	k = ml_vmalloc_sorted(v, ML_VM_BY_CALLER, ML_VM_SORT_NAME, false, g, n);
	for (i = 0; i < k; i++) {
		bool module = g[i]->module != NULL && strcmp(g[i]->module, "kernel") != 0;

		if (g[i]->areas == 0)
			continue;
		snprintf(key, sizeof key, "%s%s%s%s", g[i]->name, module ? " [" : "",
			 module ? g[i]->module : "", module ? "]" : "");
		if (ml_vmalloc_bytes(v, g[i]->pages, &bytes))
			add(l, key, NULL, ML_DIFF_BYTES, true, bytes);
		else
			add(l, key, NULL, ML_DIFF_PAGES, true, g[i]->pages);
	}
	free(g);
}

static void
list_procs(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_proctab *t = &s->procs;
	char key[64], label[128];
	uint64_t start, pss;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct ml_proc *p = t->rows[i];
		bool known;

		if (p->kthread || p->mem == ML_MEM_NONE || p->mem == ML_MEM_GONE)
			continue;
		/* A PID reused by a new process is another row: its start time differs. */
		if (ml_pid_start_time(t->fs, p->pid, &start) == 0)
			snprintf(key, sizeof key, "%d@%llu", p->pid, (unsigned long long)start);
		else
			snprintf(key, sizeof key, "%d@?", p->pid);
		snprintf(label, sizeof label, "%d %s", p->pid, p->comm);
		known = ml_proc_value(p, ML_PM_PSS, &pss);
		add(l, key, label, ML_DIFF_BYTES, known, pss);
	}
}

static void
list_buddy(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_frag *f = ml_snapshot_frag(s);
	char key[128];
	size_t z;
	unsigned int o;

	for (z = 0; z < f->nzones; z++) {
		const struct ml_frag_zone *fz = &f->zones[z];

		snprintf(key, sizeof key, "Node %d %s", fz->node, fz->name);
		add(l, key, NULL, fz->bytes_known ? ML_DIFF_BYTES : ML_DIFF_PAGES, !fz->overflow,
		    fz->bytes_known ? fz->free_bytes : fz->free_pages);
		for (o = 0; o < f->norders; o++) {
			const struct ml_frag_order *fo = &fz->order[o];

			snprintf(key, sizeof key, "Node %d %s order %u", fz->node, fz->name, o);
			add(l, key, NULL, fz->bytes_known ? ML_DIFF_BYTES : ML_DIFF_PAGES, true,
			    fz->bytes_known ? fo->free_bytes : fo->free_pages);
		}
	}
}

static void
add_pages(struct list *l, const char *key, uint64_t page_size, struct ml_wm_pages v)
{
	add(l, key, NULL, page_size != 0 ? ML_DIFF_BYTES : ML_DIFF_PAGES, v.known,
	    page_size != 0 ? v.pages * page_size : v.pages);
}

static void
list_zones(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_watermarks *w = ml_snapshot_watermarks(s);
	char key[128];
	uint32_t i;

	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];

		if (!z->populated)
			continue;
		snprintf(key, sizeof key, "Node %lld %s free", (long long)z->node, z->name);
		add_pages(l, key, w->page_size, z->free);
		snprintf(key, sizeof key, "Node %lld %s min", (long long)z->node, z->name);
		add_pages(l, key, w->page_size, z->min);
		snprintf(key, sizeof key, "Node %lld %s low", (long long)z->node, z->name);
		add_pages(l, key, w->page_size, z->low);
		snprintf(key, sizeof key, "Node %lld %s high", (long long)z->node, z->name);
		add_pages(l, key, w->page_size, z->high);
		snprintf(key, sizeof key, "Node %lld %s managed", (long long)z->node, z->name);
		add_pages(l, key, w->page_size, z->managed);
	}
}

/*
 * Each cgroup's memory.current (v1: memory.usage_in_bytes), n/a where the
 * kernel has none (the v2 root) or it could not be read.
 */
static void
list_cgroups(struct list *l, const struct ml_snapshot *s)
{
	const struct ml_cgtree *t = &s->cgroups;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct ml_cgroup *c = t->v[i];
		const struct ml_cgv *cur = &c->f[ML_CGF_CURRENT];

		add(l, c->path, c->path, ML_DIFF_BYTES, ml_cgv_ok(cur), cur->v);
	}
}

static void
list_view(struct list *l, enum ml_diff_view v, struct ml_snapshot *s)
{
	switch (v) {
	case ML_DIFF_ACCOUNTING:
		list_accounting(l, s);
		break;
	case ML_DIFF_ACTIVITY:
		list_activity(l, s);
		break;
	case ML_DIFF_MEMINFO:
		list_meminfo(l, s);
		break;
	case ML_DIFF_SLAB:
		list_slab(l, s);
		break;
	case ML_DIFF_VMALLOC:
		list_vmalloc(l, s);
		break;
	case ML_DIFF_PROCS:
		list_procs(l, s);
		break;
	case ML_DIFF_BUDDY:
		list_buddy(l, s);
		break;
	case ML_DIFF_ZONES:
		list_zones(l, s);
		break;
	case ML_DIFF_CGROUPS:
		list_cgroups(l, s);
		break;
	case ML_DIFF__COUNT:
		break;
	}
}

/* ------------------------------------------------------------ matching */

static int
cmp_entry(const void *x, const void *y)
{
	return strcmp(((const struct entry *)x)->key, ((const struct entry *)y)->key);
}

/* Take a row for entry ea and/or eb (one may be NULL); takes their strings. */
static int
add_row(struct ml_diff_table *t, const struct ml_diff *d, struct entry *ea, struct entry *eb,
	bool counter)
{
	struct ml_diff_row *r;
	struct entry *e = eb != NULL ? eb : ea;

	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 64;
		struct ml_diff_row *nr = realloc(t->rows, c * sizeof *nr);

		if (nr == NULL)
			return -1;
		t->rows = nr;
		t->cap = c;
	}
	r = &t->rows[t->n++];
	memset(r, 0, sizeof *r);
	r->key = e->key;
	r->label = e->label;
	e->key = e->label = NULL;
	if (ea != NULL && eb != NULL) {
		free(ea->key);
		free(ea->label);
		ea->key = ea->label = NULL;
	}
	/* Bytes on one side and pages on the other cannot be compared: pages wins. */
	r->unit = e->unit;
	if (ea != NULL && eb != NULL && ea->unit != eb->unit)
		r->unit = ML_DIFF_PAGES;
	r->presence = ea == NULL ? ML_DIFF_NEW : eb == NULL ? ML_DIFF_GONE : ML_DIFF_BOTH;
	r->a_known = ea != NULL && ea->known && !(eb != NULL && ea->unit != eb->unit);
	r->b_known = eb != NULL && eb->known && !(ea != NULL && ea->unit != eb->unit);
	r->a = r->a_known ? ea->v : 0;
	r->b = r->b_known ? eb->v : 0;
	r->reset = counter && d->boot_known && d->boot_changed;
	/* A new row grew from nothing, a gone one fell to nothing. */
	r->change_known = !r->reset && (r->presence == ML_DIFF_NEW    ? r->b_known
					: r->presence == ML_DIFF_GONE ? r->a_known
								      : r->a_known && r->b_known);
	if (r->change_known)
		r->change = r->b >= r->a ? (int64_t)(r->b - r->a) : -(int64_t)(r->a - r->b);
	/* Per hour over less than a second is noise, not a rate. */
	r->rate_known = r->change_known && d->seconds_known && d->seconds >= 1.0;
	if (r->rate_known)
		r->per_hour = (double)r->change * 3600.0 / d->seconds;
	r->pct_known = r->change_known && r->presence == ML_DIFF_BOTH && r->a > 0;
	if (r->pct_known)
		r->pct = 100.0 * (double)r->change / (double)r->a;
	return 0;
}

static int
match(struct ml_diff_table *t, const struct ml_diff *d, struct list *la, struct list *lb,
      bool counter)
{
	size_t i = 0, j = 0;
	int c;

	/* qsort of nothing must not be given NULL (an empty list has no array). */
	if (la->n > 1)
		qsort(la->e, la->n, sizeof *la->e, cmp_entry);
	if (lb->n > 1)
		qsort(lb->e, lb->n, sizeof *lb->e, cmp_entry);
	while (i < la->n || j < lb->n) {
		if (i >= la->n)
			c = 1;
		else if (j >= lb->n)
			c = -1;
		else
			c = strcmp(la->e[i].key, lb->e[j].key);
		/* The same key twice on one side (it cannot be, but a copy may): the first wins. */
		if (c == 0 && add_row(t, d, &la->e[i++], &lb->e[j++], counter) != 0)
			return -1;
		if (c < 0 && add_row(t, d, &la->e[i++], NULL, counter) != 0)
			return -1;
		if (c > 0 && add_row(t, d, NULL, &lb->e[j++], counter) != 0)
			return -1;
	}
	return 0;
}

int
ml_diff_compute(struct ml_diff *d, const struct ml_diff_side *a, const struct ml_diff_side *b,
		unsigned int views)
{
	int v;

	memset(d, 0, sizeof *d);
	d->seconds_known = a->time_known && b->time_known;
	d->seconds = d->seconds_known ? b->unix_time - a->unix_time : 0;
	d->boot_known = a->boot_id != NULL && b->boot_id != NULL;
	d->boot_changed = d->boot_known && strcmp(a->boot_id, b->boot_id) != 0;
	for (v = 0; v < ML_DIFF__COUNT; v++) {
		struct ml_diff_table *t = &d->t[v];
		struct list la = { 0 }, lb = { 0 };
		enum ml_snap_src src = view_main[v];

		t->view = (enum ml_diff_view)v;
		if (!(views & (1u << v)))
			continue;
		t->why_a = ml_snapshot_has(a->snap, src) ? NULL : ml_snapshot_why(a->snap, src);
		t->why_b = ml_snapshot_has(b->snap, src) ? NULL : ml_snapshot_why(b->snap, src);
		t->available = ml_snapshot_has(a->snap, src) && ml_snapshot_has(b->snap, src);
		if (!t->available)
			continue;
		/* Processes after a reboot are all new: PIDs and start times begin again. */
		list_view(&la, (enum ml_diff_view)v, a->snap);
		list_view(&lb, (enum ml_diff_view)v, b->snap);
		if (la.oom || lb.oom || match(t, d, &la, &lb, v == ML_DIFF_ACTIVITY) != 0) {
			list_free(&la);
			list_free(&lb);
			ml_diff_release(d);
			errno = ENOMEM;
			return -1;
		}
		list_free(&la);
		list_free(&lb);
	}
	return 0;
}

void
ml_diff_release(struct ml_diff *d)
{
	size_t i;
	int v;

	for (v = 0; v < ML_DIFF__COUNT; v++) {
		for (i = 0; i < d->t[v].n; i++) {
			free(d->t[v].rows[i].key);
			free(d->t[v].rows[i].label);
		}
		free(d->t[v].rows);
		d->t[v].rows = NULL;
		d->t[v].n = d->t[v].cap = 0;
	}
}

int64_t
ml_diff_row_change(const struct ml_diff_row *r)
{
	if (r->change_known)
		return r->change;
	return 0;
}

static enum ml_diff_sort sort_key;

/* The row's magnitude for ABS: |change|, without overflow at INT64_MIN. */
static uint64_t
magnitude(const struct ml_diff_row *r)
{
	int64_t c = ml_diff_row_change(r);

	return c < 0 ? (uint64_t)(-(c + 1)) + 1 : (uint64_t)c;
}

static int
cmp_row(const void *x, const void *y)
{
	const struct ml_diff_row *a = x, *b = y;

	switch (sort_key) {
	case ML_DIFF_SORT_DELTA: {
		int64_t ca = ml_diff_row_change(a), cb = ml_diff_row_change(b);

		if (ca != cb)
			return ca > cb ? -1 : 1;
		break;
	}
	case ML_DIFF_SORT_RATE:
		if (a->rate_known != b->rate_known)
			return a->rate_known ? -1 : 1;
		if (a->rate_known && a->per_hour != b->per_hour)
			return a->per_hour > b->per_hour ? -1 : 1;
		break;
	case ML_DIFF_SORT_ABS: {
		uint64_t ma = magnitude(a), mb = magnitude(b);

		if (ma != mb)
			return ma > mb ? -1 : 1;
		break;
	}
	case ML_DIFF_SORT_NAME:
	case ML_DIFF_SORT__COUNT:
		break;
	}
	return strcmp(a->label, b->label) != 0 ? strcmp(a->label, b->label)
					       : strcmp(a->key, b->key);
}

void
ml_diff_sort(struct ml_diff_table *t, enum ml_diff_sort key, bool reverse)
{
	size_t i, j;

	if (t->n < 2)
		return;
	sort_key = key;
	qsort(t->rows, t->n, sizeof *t->rows, cmp_row);
	if (reverse)
		for (i = 0, j = t->n; i + 1 < j--; i++) {
			struct ml_diff_row r = t->rows[i];

			t->rows[i] = t->rows[j];
			t->rows[j] = r;
		}
}
