/*
 * vmalloc aggregation; see vmalloc.h. The tables are small open-addressing
 * hash tables of groups keyed by name (and module, for callers); each group's
 * name is allocated once, when the name is first seen. A refresh shifts the
 * current counts into prev_* and zeroes them, so growth is prev vs now.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/vmalloc.h"
#include "proc/scan.h"

static const char *const type_names[ML_VMT__COUNT] = {
	[ML_VMT_VMALLOC] = "vmalloc",       [ML_VMT_VMAP] = "vmap",
	[ML_VMT_IOREMAP] = "ioremap",       [ML_VMT_USER] = "user",
	[ML_VMT_SPARSE] = "sparse",         [ML_VMT_DMA_COHERENT] = "dma-coherent",
	[ML_VMT_VM_MAP_RAM] = "vm_map_ram", [ML_VMT_UNPURGED] = "unpurged",
	[ML_VMT_OTHER] = "other",           [ML_VMT_UNKNOWN] = "unknown",
};
_Static_assert(sizeof type_names / sizeof type_names[0] == ML_VMT__COUNT, "type_names out of sync");

const char *const ml_vm_sort_keys[ML_VM_SORT__COUNT + 1] = {
	[ML_VM_SORT_BYTES] = "bytes",     [ML_VM_SORT_AREAS] = "areas",
	[ML_VM_SORT_VA_SIZE] = "va_size", [ML_VM_SORT_NAME] = "name",
	[ML_VM_SORT_GROWTH] = "growth",   [ML_VM_SORT__COUNT] = NULL,
};

const char *const ml_vm_by_keys[ML_VM_BY__COUNT + 1] = {
	[ML_VM_BY_CALLER] = "caller",
	[ML_VM_BY_MODULE] = "module",
	[ML_VM_BY_TYPE] = "type",
	[ML_VM_BY__COUNT] = NULL,
};

/* Callers of the pseudo-groups, indexed like ml_vmalloc.pseudo_row. */
enum { PSEUDO_VM_MAP_RAM, PSEUDO_UNPURGED, PSEUDO_NONE, PSEUDO__COUNT };
static const char *const pseudo_names[PSEUDO__COUNT] = {
	[PSEUDO_VM_MAP_RAM] = "(vm_map_ram)",
	[PSEUDO_UNPURGED] = "(unpurged)",
	[PSEUDO_NONE] = "(no caller)",
};
#define MODULE_KERNEL "kernel"
#define MODULE_NONE "(none)"
#define MODULE_UNPURGED "(unpurged)"
#define MODULE_RAW "(unresolved)"
#define NAME_OTHER "(other)"

/*
 * Functions that allocate thread stacks with CONFIG_VMAP_STACK, as %pS
 * prints them: alloc_thread_stack_node passes its caller's return address,
 * so after inlining the caller is whoever called copy_process (kernel_clone,
 * _do_fork before 5.10, do_fork, fork_idle, create_io_thread, ...).
 * scs_alloc (arm64 shadow call stacks) does the same.
 */
static const char *const stack_callers[] = {
	"kernel_clone",  "_do_fork",         "do_fork",
	"copy_process",  "dup_task_struct",  "alloc_thread_stack_node",
	"fork_idle",     "create_io_thread", "vhost_task_create",
	"kernel_thread", "user_mode_thread", "scs_alloc",
	"scs_prepare",
};

const char *
ml_vm_type_name(enum ml_vm_type t)
{
	return t < ML_VMT__COUNT ? type_names[t] : "?";
}

const char *
ml_vm_sort_name(enum ml_vm_sort k)
{
	return k < ML_VM_SORT__COUNT ? ml_vm_sort_keys[k] : "?";
}

int
ml_vm_sort_lookup(const char *name)
{
	int k;

	for (k = 0; k < ML_VM_SORT__COUNT; k++)
		if (strcmp(ml_vm_sort_keys[k], name) == 0)
			return k;
	return -1;
}

const char *
ml_vm_by_name(enum ml_vm_by by)
{
	return by < ML_VM_BY__COUNT ? ml_vm_by_keys[by] : "?";
}

int
ml_vm_by_lookup(const char *name)
{
	int b;

	for (b = 0; b < ML_VM_BY__COUNT; b++)
		if (strcmp(ml_vm_by_keys[b], name) == 0)
			return b;
	return -1;
}

bool
ml_vm_is_stack_caller(const char *func, size_t n)
{
	const char *dot = memchr(func, '.', n);
	size_t i;

	/* gcc's clones: "copy_process.part.0", "dup_task_struct.constprop.0" */
	if (dot != NULL)
		n = (size_t)(dot - func);
	for (i = 0; i < sizeof stack_callers / sizeof stack_callers[0]; i++)
		if (ml_word_eq(func, n, stack_callers[i]))
			return true;
	return false;
}

/* Mix 8 bytes at a time (a multiply and a shift per word), then the tail. */
static uint64_t
hash_bytes(uint64_t h, const char *s, size_t n)
{
	uint64_t w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	w = 0;
	if (n > 0)
		memcpy(&w, s, n);
	h = (h ^ w ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

/* The hash of a group's key: name, then module. */
static uint32_t
key_hash(const char *name, size_t n, const char *module, size_t mn)
{
	return (uint32_t)hash_bytes(hash_bytes(0x243f6a8885a308d3ull, name, n), module, mn);
}

static bool
key_eq(const struct ml_vm_group *g, const char *name, size_t n, const char *module, size_t mn)
{
	return g->name_len == n && memcmp(g->name, name, n) == 0 && g->module_len == mn &&
	       (mn == 0 || memcmp(g->module, module, mn) == 0);
}

static void
table_release(struct ml_vm_table *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		free((char *)t->g[i].name);
	free(t->g);
	free(t->index);
	memset(t, 0, sizeof *t);
}

/* Rebuild the index for at least n groups; -1 on ENOMEM. */
static int
table_reindex(struct ml_vm_table *t, uint32_t want)
{
	uint32_t cap = 64, i, mask, slot;
	uint32_t *index;

	while (cap < want * 2)
		cap *= 2;
	index = calloc(cap, sizeof *index);
	if (index == NULL)
		return -1;
	mask = cap - 1;
	for (i = 0; i < t->n; i++) {
		for (slot = t->g[i].hash & mask; index[slot] != 0; slot = (slot + 1) & mask)
			;
		index[slot] = i + 1;
	}
	free(t->index);
	t->index = index;
	t->index_cap = cap;
	return 0;
}

/*
 * The group named name (+ module, for callers): found, or added. Returns its
 * index, or -1 with errno ENOMEM. A full table sends new names to "(other)".
 */
static int32_t
table_get(struct ml_vm_table *t, const char *name, size_t n, const char *module, size_t mn,
	  bool has_module)
{
	uint32_t h = key_hash(name, n, module, mn), mask, slot, idx;
	struct ml_vm_group *g;
	char *s;

	if (t->index == NULL && table_reindex(t, 32) != 0)
		return -1;
	mask = t->index_cap - 1;
	for (slot = h & mask; (idx = t->index[slot]) != 0; slot = (slot + 1) & mask) {
		g = &t->g[idx - 1];
		if (g->hash == h && key_eq(g, name, n, module, mn))
			return (int32_t)(idx - 1);
	}
	if (t->n >= ML_VM_GROUPS_MAX - 1 && !ml_word_eq(name, n, NAME_OTHER)) {
		t->full = true;
		return table_get(t, NAME_OTHER, strlen(NAME_OTHER), has_module ? NAME_OTHER : NULL,
				 has_module ? strlen(NAME_OTHER) : 0, has_module);
	}
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 32;
		struct ml_vm_group *ng = realloc(t->g, (size_t)cap * sizeof *ng);

		if (ng == NULL)
			return -1;
		t->g = ng;
		t->cap = cap;
	}
	if ((t->n + 1) * 2 > t->index_cap) {
		/* keep the index at most half full; then find the free slot again */
		if (table_reindex(t, t->n + 1) != 0)
			return -1;
		mask = t->index_cap - 1;
		for (slot = h & mask; t->index[slot] != 0; slot = (slot + 1) & mask)
			;
	}
	s = malloc(n + 1 + (has_module ? mn + 1 : 0));
	if (s == NULL)
		return -1;
	memcpy(s, name, n);
	s[n] = '\0';
	if (has_module) {
		memcpy(s + n + 1, module, mn);
		s[n + 1 + mn] = '\0';
	}
	g = &t->g[t->n];
	memset(g, 0, sizeof *g);
	g->name = s;
	g->module = has_module ? s + n + 1 : NULL;
	g->name_len = (uint32_t)n;
	g->module_len = has_module ? (uint32_t)mn : 0;
	g->hash = h;
	t->index[slot] = ++t->n;
	return (int32_t)(t->n - 1);
}

/* Drop the groups that had no area at the previous refresh (now all zero). */
static int
table_compact(struct ml_vm_table *t)
{
	uint32_t i, j = 0;

	for (i = 0; i < t->n; i++) {
		if (t->g[i].prev_areas == 0) {
			free((char *)t->g[i].name);
			continue;
		}
		t->g[j++] = t->g[i];
	}
	t->n = j;
	t->full = false;
	return table_reindex(t, t->n > 32 ? t->n : 32);
}

/* Find a group without adding it; -1 when absent. */
static int32_t
table_find(const struct ml_vm_table *t, const char *name, const char *module)
{
	size_t n = strlen(name), mn = module != NULL ? strlen(module) : 0;
	uint32_t h = key_hash(name, n, module, mn), mask, slot, idx;

	if (t->index == NULL)
		return -1;
	mask = t->index_cap - 1;
	for (slot = h & mask; (idx = t->index[slot]) != 0; slot = (slot + 1) & mask) {
		const struct ml_vm_group *g = &t->g[idx - 1];

		if (g->hash == h && key_eq(g, name, n, module, mn))
			return (int32_t)(idx - 1);
	}
	return -1;
}

static void
forget_cached_rows(struct ml_vmalloc *v)
{
	int i;

	for (i = 0; i < ML_VMT__COUNT; i++)
		v->type_row[i] = -1;
	for (i = 0; i < PSEUDO__COUNT; i++)
		v->pseudo_row[i] = -1;
	v->last_caller = -1;
}

/* Start of a parse: counts become prev_*, rare compaction of dead groups. */
static int
vmalloc_begin(void *arg)
{
	struct ml_vmalloc *v = arg;
	struct ml_vm_table *tabs[ML_VM_BY__COUNT + 1];
	uint32_t i, dead, total = 0, ndead = 0;
	int k;

	for (k = 0; k < ML_VM_BY__COUNT; k++)
		tabs[k] = &v->tab[k];
	tabs[ML_VM_BY__COUNT] = &v->words;
	for (k = 0; k <= ML_VM_BY__COUNT; k++) {
		struct ml_vm_table *t = tabs[k];

		for (i = 0, dead = 0; i < t->n; i++) {
			struct ml_vm_group *g = &t->g[i];

			g->prev_areas = g->areas;
			g->prev_pages = g->pages;
			g->prev_va_size = g->va_size;
			g->areas = g->pages = g->va_size = 0;
			g->type_mask = 0;
			if (g->prev_areas == 0)
				dead++;
		}
		total += t->n;
		ndead += dead;
	}
	/* Groups absent last time have shown their decline already. */
	if (ndead > 64 && ndead * 2 > total) {
		for (k = 0; k <= ML_VM_BY__COUNT; k++)
			if (table_compact(tabs[k]) != 0)
				return -1;
		forget_cached_rows(v);
		for (i = 0; i < v->tab[ML_VM_BY_CALLER].n; i++) {
			struct ml_vm_group *g = &v->tab[ML_VM_BY_CALLER].g[i];
			int32_t m = table_find(&v->tab[ML_VM_BY_MODULE], g->module, NULL);

			/* a caller present last time had its module present too */
			g->link = m >= 0 ? (uint32_t)m : 0;
		}
	}
	v->stack_areas = v->stack_pages = 0;
	if (v->node_pages != NULL)
		memset(v->node_pages, 0, (size_t)v->node_cap * sizeof *v->node_pages);
	v->nnodes = 0;
	v->ntop = 0;
	return 0;
}

/* The type of an area, with its name for unknown words. */
static enum ml_vm_type
area_type(const struct ml_vm_area *a)
{
	if (a->kind == ML_VMK_VM_MAP_RAM)
		return ML_VMT_VM_MAP_RAM;
	if (a->kind == ML_VMK_UNPURGED)
		return ML_VMT_UNPURGED;
	if (a->flags & (1u << ML_VMF_DMA_COHERENT))
		return ML_VMT_DMA_COHERENT;
	if (a->flags & (1u << ML_VMF_SPARSE))
		return ML_VMT_SPARSE;
	if (a->flags & (1u << ML_VMF_IOREMAP))
		return ML_VMT_IOREMAP;
	if (a->flags & (1u << ML_VMF_USER))
		return ML_VMT_USER;
	if (a->flags & (1u << ML_VMF_VMALLOC))
		return ML_VMT_VMALLOC;
	if (a->flags & (1u << ML_VMF_VMAP))
		return ML_VMT_VMAP;
	if (a->nunknown > 0)
		return ML_VMT_UNKNOWN;
	return ML_VMT_OTHER;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	uint64_t s;

	return ml_add_u64(a, b, &s) ? s : UINT64_MAX;
}

static void
group_add(struct ml_vm_group *g, const struct ml_vm_area *a, enum ml_vm_type type)
{
	g->areas++;
	if (a->has_pages)
		g->pages = sat_add(g->pages, a->pages);
	g->va_size = sat_add(g->va_size, a->size);
	g->type_mask |= 1u << type;
}

/* The caller group of a, created with its module link when new. */
static int32_t
caller_row(struct ml_vmalloc *v, const struct ml_vm_area *a)
{
	struct ml_vm_table *ct = &v->tab[ML_VM_BY_CALLER];
	const char *name, *module;
	size_t n, mn;
	int pseudo = -1;
	int32_t r, m;
	uint32_t before = ct->n;

	if (a->kind == ML_VMK_VM_MAP_RAM)
		pseudo = PSEUDO_VM_MAP_RAM;
	else if (a->kind == ML_VMK_UNPURGED)
		pseudo = PSEUDO_UNPURGED;
	else if (a->caller.s == NULL)
		pseudo = PSEUDO_NONE;
	if (pseudo >= 0 && v->pseudo_row[pseudo] >= 0)
		return v->pseudo_row[pseudo];
	if (pseudo >= 0) {
		name = pseudo_names[pseudo];
		n = strlen(name);
		/* Unpurged areas get a module row of their own, flagged as in every table. */
		module = pseudo == PSEUDO_UNPURGED ? MODULE_UNPURGED : MODULE_NONE;
	} else {
		name = a->func.s;
		n = a->func.n;
		module = a->module.s != NULL ? a->module.s
			 : a->caller_raw     ? MODULE_RAW
					     : MODULE_KERNEL;
	}
	mn = module == a->module.s ? a->module.n : strlen(module);
	/* runs of one caller (stacks, BPF programs) skip the hash */
	if (pseudo < 0 && v->last_caller >= 0 &&
	    key_eq(&ct->g[v->last_caller], name, n, module, mn))
		return v->last_caller;
	r = table_get(ct, name, n, module, mn, true);
	if (r < 0)
		return -1;
	if (ct->n != before) {
		/* new: find its module and whether it allocates stacks, once */
		struct ml_vm_group *g = &ct->g[r];

		m = table_get(&v->tab[ML_VM_BY_MODULE], g->module, strlen(g->module), NULL, 0,
			      false);
		if (m < 0)
			return -1;
		if (pseudo == PSEUDO_UNPURGED)
			v->tab[ML_VM_BY_MODULE].g[m].unpurged = true;
		g = &ct->g[r];
		g->link = (uint32_t)m;
		g->is_stack = pseudo < 0 && !a->caller_raw && a->module.s == NULL &&
			      ml_vm_is_stack_caller(g->name, strlen(g->name));
		g->unpurged = pseudo == PSEUDO_UNPURGED;
	}
	if (pseudo >= 0)
		v->pseudo_row[pseudo] = r;
	else
		v->last_caller = r;
	return r;
}

static int32_t
type_row(struct ml_vmalloc *v, const struct ml_vm_area *a, enum ml_vm_type type)
{
	struct ml_vm_table *tt = &v->tab[ML_VM_BY_TYPE];
	int32_t r;

	if (type == ML_VMT_UNKNOWN)
		return table_get(tt, a->unknown[0].s, a->unknown[0].n, NULL, 0, false);
	if (v->type_row[type] >= 0)
		return v->type_row[type];
	r = table_get(tt, type_names[type], strlen(type_names[type]), NULL, 0, false);
	if (r >= 0) {
		v->type_row[type] = r;
		tt->g[r].unpurged = type == ML_VMT_UNPURGED;
	}
	return r;
}

/* a ranks above b among the largest areas: more pages, larger VA, earlier line. */
static bool
top_above(uint64_t pa, uint64_t sa, uint64_t oa, const struct ml_vm_top *b)
{
	if (pa != b->pages)
		return pa > b->pages;
	if (sa != b->size)
		return sa > b->size;
	return oa < b->ordinal;
}

static void
copy_cut(char *dst, size_t cap, const char *s, size_t n)
{
	if (s == NULL)
		n = 0;
	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
top_swap(struct ml_vm_top *a, struct ml_vm_top *b)
{
	struct ml_vm_top t = *a;

	*a = *b;
	*b = t;
}

/* The heap keeps its lowest-ranked entry at 0. */
static void
top_sift_down(struct ml_vm_top *h, unsigned int n, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && !top_above(h[l].pages, h[l].size, h[l].ordinal, &h[m]))
			m = l;
		if (r < n && !top_above(h[r].pages, h[r].size, h[r].ordinal, &h[m]))
			m = r;
		if (m == i)
			return;
		top_swap(&h[i], &h[m]);
		i = m;
	}
}

static void
top_sift_up(struct ml_vm_top *h, unsigned int i)
{
	while (i > 0) {
		unsigned int p = (i - 1) / 2;

		if (top_above(h[i].pages, h[i].size, h[i].ordinal, &h[p]))
			return;
		top_swap(&h[i], &h[p]);
		i = p;
	}
}

static void
top_offer(struct ml_vmalloc *v, const struct ml_vm_area *a, enum ml_vm_type type)
{
	uint64_t pages = a->has_pages ? a->pages : 0;
	struct ml_vm_top *e;
	unsigned int slot;

	if (v->top_n == 0 || a->kind == ML_VMK_UNPURGED)
		return;
	if (v->ntop < v->top_n)
		slot = v->ntop++;
	else if (top_above(pages, a->size, a->ordinal, &v->top[0]))
		slot = 0;
	else
		return;
	e = &v->top[slot];
	e->ordinal = a->ordinal;
	e->start = a->start;
	e->end = a->end;
	e->size = a->size;
	e->pages = pages;
	e->has_pages = a->has_pages;
	e->phys = a->phys;
	e->has_phys = a->has_phys;
	e->caller_raw = a->caller_raw;
	e->flags = a->flags;
	e->kind = a->kind;
	e->type = type;
	copy_cut(e->caller, sizeof e->caller, a->caller.s, a->caller.n);
	copy_cut(e->module, sizeof e->module, a->module.s, a->module.n);
	if (type == ML_VMT_UNKNOWN)
		copy_cut(e->type_name, sizeof e->type_name, a->unknown[0].s, a->unknown[0].n);
	else
		copy_cut(e->type_name, sizeof e->type_name, type_names[type],
			 strlen(type_names[type]));
	if (slot == 0 && v->ntop == v->top_n && v->ntop > 1)
		top_sift_down(v->top, v->ntop, 0);
	else
		top_sift_up(v->top, slot);
}

static int
node_add(struct ml_vmalloc *v, uint32_t node, uint64_t pages)
{
	uint64_t sum;

	if (node >= v->node_cap) {
		uint32_t cap = v->node_cap ? v->node_cap : 8;
		uint64_t *np;

		while (cap <= node)
			cap *= 2;
		np = realloc(v->node_pages, (size_t)cap * sizeof *np);
		if (np == NULL)
			return -1;
		memset(np + v->node_cap, 0, (size_t)(cap - v->node_cap) * sizeof *np);
		v->node_pages = np;
		v->node_cap = cap;
	}
	if (!ml_add_u64(v->node_pages[node], pages, &sum)) {
		errno = ERANGE;
		return -1;
	}
	v->node_pages[node] = sum;
	if (node >= v->nnodes)
		v->nnodes = node + 1;
	return 0;
}

/* The sink: one area into its three groups, the nodes, stacks and the heap. */
static int
vmalloc_area(void *arg, const struct ml_vm_area *a)
{
	struct ml_vmalloc *v = arg;
	enum ml_vm_type type = area_type(a);
	struct ml_vm_group *cg;
	int32_t c, t, w;
	unsigned int i;

	/* the bulk of a busy machine's lines: a freed area, groups known */
	if (a->kind == ML_VMK_UNPURGED && v->pseudo_row[PSEUDO_UNPURGED] >= 0 &&
	    v->type_row[ML_VMT_UNPURGED] >= 0) {
		cg = &v->tab[ML_VM_BY_CALLER].g[v->pseudo_row[PSEUDO_UNPURGED]];
		group_add(cg, a, type);
		group_add(&v->tab[ML_VM_BY_MODULE].g[cg->link], a, type);
		group_add(&v->tab[ML_VM_BY_TYPE].g[v->type_row[ML_VMT_UNPURGED]], a, type);
		return 0;
	}
	if ((c = caller_row(v, a)) < 0 || (t = type_row(v, a, type)) < 0)
		return -1;
	cg = &v->tab[ML_VM_BY_CALLER].g[c];
	group_add(cg, a, type);
	group_add(&v->tab[ML_VM_BY_MODULE].g[cg->link], a, type);
	group_add(&v->tab[ML_VM_BY_TYPE].g[t], a, type);
	for (i = 0; i < a->nunknown; i++) {
		if ((w = table_get(&v->words, a->unknown[i].s, a->unknown[i].n, NULL, 0, false)) <
		    0)
			return -1;
		v->words.g[w].areas++;
	}
	for (i = 0; i < a->nnodes; i++)
		if (node_add(v, a->node[i], a->node_pages[i]) != 0)
			return -1;
	if (cg->is_stack && a->has_pages && (a->flags & (1u << ML_VMF_VMALLOC))) {
		v->stack_areas++;
		v->stack_pages += a->pages; /* ≤ the parser's checked total */
	}
	top_offer(v, a, type);
	return 0;
}

static int
top_cmp(const void *pa, const void *pb)
{
	const struct ml_vm_top *a = pa, *b = pb;

	if (top_above(a->pages, a->size, a->ordinal, b))
		return -1;
	return top_above(b->pages, b->size, b->ordinal, a) ? 1 : 0;
}

static int
vmalloc_finish(void *arg, char **cause)
{
	struct ml_vmalloc *v = arg;

	(void)cause;
	qsort(v->top, v->ntop, sizeof v->top[0], top_cmp);
	v->prev_used_pages = v->used_pages;
	v->used_pages = v->info.t.pages;
	v->generation++;
	return 0;
}

static const struct ml_vm_sink vmalloc_sink = {
	.begin = vmalloc_begin,
	.area = vmalloc_area,
	.finish = vmalloc_finish,
};

void
ml_vmalloc_init(struct ml_vmalloc *v)
{
	memset(v, 0, sizeof *v);
	ml_vmallocinfo_init(&v->info, &vmalloc_sink, v);
	v->top_n = ML_VM_TOP_DEFAULT;
	forget_cached_rows(v);
}

void
ml_vmalloc_release(struct ml_vmalloc *v)
{
	int k;

	for (k = 0; k < ML_VM_BY__COUNT; k++)
		table_release(&v->tab[k]);
	table_release(&v->words);
	free(v->node_pages);
	v->node_pages = NULL;
	v->node_cap = v->nnodes = 0;
}

void
ml_vmalloc_set_top(struct ml_vmalloc *v, unsigned int n)
{
	v->top_n = n > ML_VM_TOP_MAX ? ML_VM_TOP_MAX : n;
}

void
ml_vmalloc_set_page_size(struct ml_vmalloc *v, uint64_t page_size)
{
	v->page_size = page_size;
}

bool
ml_vmalloc_bytes(const struct ml_vmalloc *v, uint64_t pages, uint64_t *bytes)
{
	return v->page_size != 0 && ml_mul_u64(pages, v->page_size, bytes);
}

bool
ml_vmalloc_stack_bytes(const struct ml_vmalloc *v, uint64_t *bytes)
{
	return ml_vmalloc_bytes(v, v->stack_pages, bytes);
}

bool
ml_vmalloc_stack_overlap(const struct ml_vmalloc *v, const struct ml_meminfo *mi, uint64_t *bytes)
{
	uint64_t vm, ks;

	if (!ml_meminfo_has(mi, ML_MI_KERNEL_STACK) || !ml_vmalloc_stack_bytes(v, &vm))
		return false;
	if (!ml_add_u64(mi->val[ML_MI_KERNEL_STACK], ml_meminfo_get(mi, ML_MI_SHADOW_CALL_STACK),
			&ks))
		ks = UINT64_MAX;
	*bytes = vm < ks ? vm : ks;
	return true;
}

uint32_t
ml_vmalloc_ngroups(const struct ml_vmalloc *v, enum ml_vm_by by)
{
	const struct ml_vm_table *t = &v->tab[by];
	uint32_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->g[i].areas > 0)
			n++;
	return n;
}

struct sort_ctx {
	enum ml_vm_sort key;
	bool reverse;
};

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Negative when a comes first. */
static int
group_cmp(const struct ml_vm_group *a, const struct ml_vm_group *b, const struct sort_ctx *c)
{
	int r = 0;

	switch (c->key) {
	case ML_VM_SORT_BYTES:
		if ((r = -cmp_u64(a->pages, b->pages)) == 0)
			r = -cmp_u64(a->va_size, b->va_size);
		break;
	case ML_VM_SORT_AREAS:
		if ((r = -cmp_u64(a->areas, b->areas)) == 0)
			r = -cmp_u64(a->pages, b->pages);
		break;
	case ML_VM_SORT_VA_SIZE:
		if ((r = -cmp_u64(a->va_size, b->va_size)) == 0)
			r = -cmp_u64(a->pages, b->pages);
		break;
	case ML_VM_SORT_GROWTH:
		if ((r = -cmp_i64(ml_vm_group_growth_pages(a), ml_vm_group_growth_pages(b))) == 0)
			r = -cmp_i64(ml_vm_group_growth_areas(a), ml_vm_group_growth_areas(b));
		break;
	case ML_VM_SORT_NAME:
	case ML_VM_SORT__COUNT:
		break;
	}
	if (r == 0)
		r = strcmp(a->name, b->name);
	if (r == 0 && a->module != NULL && b->module != NULL)
		r = strcmp(a->module, b->module);
	return c->reverse ? -r : r;
}

static int
group_qsort_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ml_vm_group *const *a = pa, *const *b = pb;

	return group_cmp(*a, *b, arg);
}

static size_t
select_sorted(const struct ml_vm_table *t, const struct sort_ctx *c, bool with_gone,
	      const struct ml_vm_group **out, size_t cap)
{
	size_t n = 0, lo, hi, mid;
	uint32_t i;

	if (cap == 0)
		return 0;
	for (i = 0; i < t->n; i++) {
		const struct ml_vm_group *g = &t->g[i];

		if (g->areas == 0 && !(with_gone && g->prev_areas > 0))
			continue;
		if (n == cap && group_cmp(g, out[n - 1], c) >= 0)
			continue;
		/* insert into the sorted prefix */
		for (lo = 0, hi = n; lo < hi;) {
			mid = (lo + hi) / 2;
			if (group_cmp(g, out[mid], c) < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (n < cap)
			n++;
		memmove(&out[lo + 1], &out[lo], (n - 1 - lo) * sizeof *out);
		out[lo] = g;
	}
	return n;
}

size_t
ml_vmalloc_sorted(const struct ml_vmalloc *v, enum ml_vm_by by, enum ml_vm_sort key, bool reverse,
		  const struct ml_vm_group **out, size_t cap)
{
	const struct ml_vm_table *t = &v->tab[by];
	struct sort_ctx c = { key, reverse };
	bool with_gone = key == ML_VM_SORT_GROWTH;
	size_t n = 0;
	uint32_t i;

	if (by >= ML_VM_BY__COUNT)
		return 0;
	for (i = 0; i < t->n; i++)
		if (t->g[i].areas > 0 || (with_gone && t->g[i].prev_areas > 0))
			n++;
	if (n > cap)
		return select_sorted(t, &c, with_gone, out, cap);
	for (i = 0, n = 0; i < t->n; i++)
		if (t->g[i].areas > 0 || (with_gone && t->g[i].prev_areas > 0))
			out[n++] = &t->g[i];
	qsort_r(out, n, sizeof *out, group_qsort_cmp, &c);
	return n;
}

size_t
ml_vmalloc_top_callers(const struct ml_vmalloc *v, const struct ml_vm_group **out, size_t n)
{
	return ml_vmalloc_sorted(v, ML_VM_BY_CALLER, ML_VM_SORT_BYTES, false, out, n);
}

size_t
ml_vmalloc_unknown_words(const struct ml_vmalloc *v, const struct ml_vm_group **out, size_t cap)
{
	struct sort_ctx c = { ML_VM_SORT_AREAS, false };

	return select_sorted(&v->words, &c, false, out, cap);
}

static const char *const check_state_names[] = {
	[ML_VM_CHECK_UNKNOWN] = "unknown",
	[ML_VM_CHECK_EQUAL] = "equal",
	[ML_VM_CHECK_DIFFERS] = "differs",
	[ML_VM_CHECK_NOT_REPORTED] = "not_reported",
};

static const char *const check_why_names[] = {
	[ML_VM_WHY_NONE] = NULL,
	[ML_VM_WHY_NO_METER] = "no_vmalloc_used",
	[ML_VM_WHY_PAGE_SIZE] = "page_size_unknown",
	[ML_VM_WHY_MOVED] = "vmalloc_used_moved",
	[ML_VM_WHY_IN_PROGRESS] = "areas_in_progress",
	[ML_VM_WHY_FREED] = "areas_freed",
	[ML_VM_WHY_VA_RANGE] = "address_ranges",
};

const char *
ml_vm_check_state_name(enum ml_vm_check_state s)
{
	return s < sizeof check_state_names / sizeof check_state_names[0] ? check_state_names[s]
									  : "?";
}

const char *
ml_vm_check_why_name(enum ml_vm_check_why w)
{
	return w < sizeof check_why_names / sizeof check_why_names[0] ? check_why_names[w] : NULL;
}

static int64_t
signed_diff(uint64_t a, uint64_t b)
{
	if (a >= b)
		return a - b > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(a - b);
	return b - a > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(b - a);
}

void
ml_vmalloc_check(const struct ml_vmalloc *v, const struct ml_meminfo *before,
		 const struct ml_meminfo *after, struct ml_vm_check *c)
{
	const struct ml_vm_totals *t = &v->info.t;

	memset(c, 0, sizeof *c);
	c->state = ML_VM_CHECK_UNKNOWN;
	c->other_pages = t->pages - t->vmalloc_pages;
	/* VmallocChunk was computed before 4.4 (then hard-wired to 0), with VmallocUsed. */
	c->basis = after != NULL && ml_meminfo_get(after, ML_MI_VMALLOC_CHUNK) > 0
			   ? ML_VM_BASIS_VA_SIZE
			   : ML_VM_BASIS_PAGES;
	if (after == NULL || !ml_meminfo_has(after, ML_MI_VMALLOC_USED)) {
		c->why = ML_VM_WHY_NO_METER;
		return;
	}
	c->has_used = true;
	c->vmalloc_used = after->val[ML_MI_VMALLOC_USED];
	if (before != NULL && ml_meminfo_has(before, ML_MI_VMALLOC_USED)) {
		c->has_used_before = true;
		c->vmalloc_used_before = before->val[ML_MI_VMALLOC_USED];
	}
	if (c->basis == ML_VM_BASIS_VA_SIZE) {
		c->has_computed = true;
		c->computed = t->va_size[ML_VMK_AREA];
	} else if (ml_vmalloc_bytes(v, t->vmalloc_pages, &c->computed)) {
		c->has_computed = true;
	}
	if (c->basis == ML_VM_BASIS_PAGES && c->vmalloc_used == 0 &&
	    (!c->has_used_before || c->vmalloc_used_before == 0) && t->vmalloc_pages > 0) {
		/* 4.4-5.2 print a constant 0: not a measurement */
		c->state = ML_VM_CHECK_NOT_REPORTED;
		return;
	}
	if (!c->has_computed) {
		c->why = ML_VM_WHY_PAGE_SIZE;
		return;
	}
	c->difference = signed_diff(c->computed, c->vmalloc_used);
	if (c->computed == c->vmalloc_used ||
	    (c->has_used_before && c->computed == c->vmalloc_used_before)) {
		c->state = ML_VM_CHECK_EQUAL;
		c->difference = 0;
		return;
	}
	c->state = ML_VM_CHECK_DIFFERS;
	if (c->has_used_before && c->vmalloc_used_before != c->vmalloc_used)
		c->why = ML_VM_WHY_MOVED;
	else if (c->basis == ML_VM_BASIS_VA_SIZE)
		c->why = ML_VM_WHY_VA_RANGE;
	else if (c->computed < c->vmalloc_used)
		c->why = ML_VM_WHY_IN_PROGRESS;
	else
		c->why = ML_VM_WHY_FREED;
}
