/*
 * Slab caches, derived; see slab.h. The memory of a cache is what slabinfo
 * says it holds in slabs: num_slabs x pagesperslab pages (doc/procfs.md
 * section 6). Products saturate at UINT64_MAX rather than wrap, so garbage input
 * gives absurd figures, never small wrong ones.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/slab.h"
#include "proc/scan.h"

const char *const ml_slab_sort_keys[ML_SLAB_SORT__COUNT + 1] = {
	[ML_SLAB_SORT_MEMORY] = "memory", [ML_SLAB_SORT_OBJECTS] = "objects",
	[ML_SLAB_SORT_ACTIVE] = "active", [ML_SLAB_SORT_OBJSIZE] = "objsize",
	[ML_SLAB_SORT_WASTE] = "waste",   [ML_SLAB_SORT_NAME] = "name",
	[ML_SLAB_SORT_GROWTH] = "growth", [ML_SLAB_SORT__COUNT] = NULL,
};

static uint64_t
mul_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return ml_mul_u64(a, b, &r) ? r : UINT64_MAX;
}

static void
add_sat(uint64_t *acc, uint64_t v)
{
	if (!ml_add_u64(*acc, v, acc))
		*acc = UINT64_MAX;
}

void
ml_slab_view_init(struct ml_slab_view *v)
{
	memset(v, 0, sizeof *v);
}

void
ml_slab_view_release(struct ml_slab_view *v)
{
	free(v->rows);
	free(v->spare);
	free(v->idx);
	free(v->idx_tmp);
	memset(v, 0, sizeof *v);
}

static uint64_t
cache_pages(const struct ml_slab_counts *c)
{
	return mul_sat(c->num_slabs, c->pagesperslab);
}

int
ml_slab_view_compute(struct ml_slab_view *v, const struct ml_slabinfo *si, uint64_t page_size,
		     double seconds)
{
	struct ml_slab_totals *t = &v->total;
	uint64_t prev_pages = 0;
	uint32_t i;

	if (si->n > v->cap) {
		uint32_t cap = si->n + si->n / 4 + 16;
		struct ml_slab_row *rows = malloc((size_t)cap * sizeof *rows);
		struct ml_slab_row *spare = malloc((size_t)cap * sizeof *spare);
		uint32_t *idx = malloc((size_t)cap * sizeof *idx);
		uint32_t *idx_tmp = malloc((size_t)cap * sizeof *idx_tmp);

		if (rows == NULL || spare == NULL || idx == NULL || idx_tmp == NULL) {
			free(rows);
			free(spare);
			free(idx);
			free(idx_tmp);
			errno = ENOMEM;
			return -1;
		}
		free(v->rows);
		free(v->spare);
		free(v->idx);
		free(v->idx_tmp);
		v->rows = rows;
		v->spare = spare;
		v->idx = idx;
		v->idx_tmp = idx_tmp;
		v->cap = cap;
	}
	v->page_size = page_size;
	v->has_bytes = page_size > 0;
	v->seconds = seconds > 0 ? seconds : 0;
	v->n = si->n;
	v->allocator = ml_slab_allocator_guess(si);
	memset(t, 0, sizeof *t);
	t->added = si->added;
	t->removed = si->removed;
	t->has_growth = v->seconds > 0 && si->has_prev_parse;

	for (i = 0; i < si->n; i++) {
		const struct ml_slab_cache *c = ml_slabinfo_cache(si, i);
		struct ml_slab_row *r = &v->rows[i];
		unsigned int k = c->reclaim <= ML_SLAB_RECLAIM_YES ? c->reclaim : 0;

		memset(r, 0, sizeof *r);
		r->cache = c;
		r->pages = cache_pages(&c->cur);
		r->used = mul_sat(c->cur.active_objs, c->cur.objsize);
		if (v->has_bytes) {
			r->bytes = mul_sat(r->pages, page_size);
			r->waste = r->bytes > r->used ? r->bytes - r->used : 0;
		}
		if (c->cur.num_objs > 0)
			r->use = (double)c->cur.active_objs / (double)c->cur.num_objs;
		if (v->seconds > 0 && c->has_prev) {
			r->has_growth = true;
			r->growth_pages =
				((double)r->pages - (double)cache_pages(&c->prev)) / v->seconds;
			r->growth_bytes = r->growth_pages * (double)page_size;
			r->growth_objs =
				((double)c->cur.active_objs - (double)c->prev.active_objs) /
				v->seconds;
			add_sat(&prev_pages, cache_pages(&c->prev));
		}

		t->caches++;
		if (c->cur.num_objs > 0)
			t->caches_in_use++;
		add_sat(&t->active_objs, c->cur.active_objs);
		add_sat(&t->num_objs, c->cur.num_objs);
		add_sat(&t->active_slabs, c->cur.active_slabs);
		add_sat(&t->num_slabs, c->cur.num_slabs);
		add_sat(&t->pages, r->pages);
		add_sat(&t->bytes, r->bytes);
		add_sat(&t->used, r->used);
		add_sat(&t->waste, r->waste);
		if (c->cur.num_slabs > 0)
			t->caches_by_reclaim[k]++;
		add_sat(&t->pages_by_reclaim[k], r->pages);
		add_sat(&t->bytes_by_reclaim[k], r->bytes);
	}
	for (i = 0; i < v->n; i++)
		v->rows[i].share = t->pages > 0 ? (double)v->rows[i].pages / (double)t->pages : 0;
	if (t->has_growth) {
		/* Caches that vanished took their pages with them. */
		add_sat(&prev_pages, si->removed_pages);
		t->growth_pages = ((double)t->pages - (double)prev_pages) / v->seconds;
		t->growth_bytes = t->growth_pages * (double)page_size;
	}
	return 0;
}

int
ml_slab_sort_from_name(const char *name)
{
	int i;

	for (i = 0; i < ML_SLAB_SORT__COUNT; i++)
		if (strcmp(ml_slab_sort_keys[i], name) == 0)
			return i;
	return -1;
}

static int
cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int
cmp_name(const struct ml_slab_row *a, const struct ml_slab_row *b)
{
	int c = strcmp(a->cache->name, b->cache->name);

	if (c != 0)
		return c;
	return a->cache->dup < b->cache->dup ? -1 : a->cache->dup > b->cache->dup ? 1 : 0;
}

/* <0 when a comes before b in key order. */
static int
row_cmp(const struct ml_slab_row *a, const struct ml_slab_row *b, enum ml_slab_sort key)
{
	int c = 0;

	switch (key) {
	case ML_SLAB_SORT_MEMORY:
		c = cmp_u64_desc(a->pages, b->pages);
		break;
	case ML_SLAB_SORT_OBJECTS:
		c = cmp_u64_desc(a->cache->cur.num_objs, b->cache->cur.num_objs);
		break;
	case ML_SLAB_SORT_ACTIVE:
		c = cmp_u64_desc(a->cache->cur.active_objs, b->cache->cur.active_objs);
		break;
	case ML_SLAB_SORT_OBJSIZE:
		c = cmp_u64_desc(a->cache->cur.objsize, b->cache->cur.objsize);
		break;
	case ML_SLAB_SORT_WASTE:
		/* Without a page size every waste is 0: this falls through to memory. */
		c = cmp_u64_desc(a->waste, b->waste);
		if (c == 0)
			c = cmp_u64_desc(a->pages, b->pages);
		break;
	case ML_SLAB_SORT_GROWTH:
		if (a->has_growth != b->has_growth)
			return a->has_growth ? -1 : 1;
		if (a->growth_pages != b->growth_pages)
			c = a->growth_pages > b->growth_pages ? -1 : 1;
		else
			c = cmp_u64_desc(a->pages, b->pages);
		break;
	case ML_SLAB_SORT_NAME:
	case ML_SLAB_SORT__COUNT:
		break;
	}
	return c != 0 ? c : cmp_name(a, b);
}

/* Merge sort of row indices (stable; bottom-up, into the view's spare array). */
static void
sort_indices(const struct ml_slab_view *v, enum ml_slab_sort key)
{
	uint32_t *a = v->idx, *b = v->idx_tmp, *t, n = v->n, width, lo, mid, hi, i, j, k;

	for (i = 0; i < n; i++)
		a[i] = i;
	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			for (i = lo, j = mid, k = lo; k < hi; k++) {
				if (i < mid &&
				    (j >= hi || row_cmp(&v->rows[a[i]], &v->rows[a[j]], key) <= 0))
					b[k] = a[i++];
				else
					b[k] = a[j++];
			}
		}
		t = a;
		a = b;
		b = t;
	}
	if (a != v->idx)
		memcpy(v->idx, a, (size_t)n * sizeof *a);
}

void
ml_slab_view_sort(struct ml_slab_view *v, enum ml_slab_sort key, bool reverse)
{
	struct ml_slab_row *t;
	uint32_t i;

	if ((unsigned int)key >= ML_SLAB_SORT__COUNT)
		key = ML_SLAB_SORT_MEMORY;
	if (v->n < 2)
		return;
	sort_indices(v, key);
	for (i = 0; i < v->n; i++)
		v->spare[i] = v->rows[v->idx[reverse ? v->n - 1 - i : i]];
	t = v->rows;
	v->rows = v->spare;
	v->spare = t;
}

size_t
ml_slab_view_top(const struct ml_slab_view *v, enum ml_slab_sort key, size_t k,
		 const struct ml_slab_row **out)
{
	size_t count = 0, j;
	uint32_t i;

	if ((unsigned int)key >= ML_SLAB_SORT__COUNT)
		key = ML_SLAB_SORT_MEMORY;
	for (i = 0; i < v->n && k > 0; i++) {
		const struct ml_slab_row *r = &v->rows[i];

		if (count == k && row_cmp(r, out[k - 1], key) >= 0)
			continue;
		j = count < k ? count++ : k - 1;
		for (; j > 0 && row_cmp(r, out[j - 1], key) < 0; j--)
			out[j] = out[j - 1];
		out[j] = r;
	}
	return count;
}

enum ml_slab_allocator
ml_slab_allocator_guess(const struct ml_slabinfo *si)
{
	uint32_t i;

	if (si->statistics)
		return ML_SLAB_ALLOC_SLAB;
	for (i = 0; i < si->n; i++) {
		const struct ml_slab_counts *c = &ml_slabinfo_cache(si, i)->cur;

		if (c->limit != 0 || c->batchcount != 0 || c->sharedfactor != 0 ||
		    c->sharedavail != 0)
			return ML_SLAB_ALLOC_SLAB;
	}
	return si->n > 0 ? ML_SLAB_ALLOC_SLUB : ML_SLAB_ALLOC_UNKNOWN;
}

static void
cmp_line(struct ml_slab_cmp_line *l, const struct ml_meminfo *mi, enum ml_mi_key key,
	 bool has_slabinfo, uint64_t slabinfo)
{
	l->has_meminfo = mi != NULL && ml_meminfo_has(mi, key);
	l->meminfo = l->has_meminfo ? mi->val[key] : 0;
	l->has_slabinfo = has_slabinfo;
	l->slabinfo = has_slabinfo ? slabinfo : 0;
	l->known = l->has_meminfo && l->has_slabinfo;
	if (!l->known)
		return;
	if (l->meminfo >= l->slabinfo)
		l->diff = l->meminfo - l->slabinfo > (uint64_t)INT64_MAX
				  ? INT64_MAX
				  : (int64_t)(l->meminfo - l->slabinfo);
	else
		l->diff = l->slabinfo - l->meminfo > (uint64_t)INT64_MAX
				  ? -INT64_MAX
				  : -(int64_t)(l->slabinfo - l->meminfo);
}

void
ml_slab_compare(struct ml_slab_cmp *cmp, const struct ml_slab_view *v, const struct ml_meminfo *mi)
{
	const struct ml_slab_totals *t = &v->total;
	bool split = t->caches_by_reclaim[ML_SLAB_RECLAIM_UNKNOWN] == 0;
	const struct ml_slab_cmp_line *l[3];
	int i;

	memset(cmp, 0, sizeof *cmp);
	if (!v->has_bytes)
		cmp->notes |= ML_SLAB_CMP_NO_PAGE_SIZE;
	if (!split)
		cmp->notes |= ML_SLAB_CMP_RECLAIM_UNKNOWN;
	cmp_line(&cmp->slab, mi, ML_MI_SLAB, v->has_bytes, t->bytes);
	cmp_line(&cmp->reclaimable, mi, ML_MI_SRECLAIMABLE, v->has_bytes && split,
		 t->bytes_by_reclaim[ML_SLAB_RECLAIM_YES]);
	cmp_line(&cmp->unreclaimable, mi, ML_MI_SUNRECLAIM, v->has_bytes && split,
		 t->bytes_by_reclaim[ML_SLAB_RECLAIM_NO]);

	/*
	 * SLUB sends kmalloc() of more than two pages to the page allocator and
	 * counts those pages in SUnreclaim, in no cache: meminfo is then the
	 * higher one. SLAB served every size from caches before 6.1 and the
	 * text cannot tell its version, so it is not blamed there.
	 */
	if (v->allocator != ML_SLAB_ALLOC_SLAB &&
	    (cmp->unreclaimable.known ? cmp->unreclaimable.diff > 0
				      : cmp->slab.known && cmp->slab.diff > 0))
		cmp->notes |= ML_SLAB_CMP_LARGE_KMALLOC;
	if (cmp->reclaimable.known && cmp->reclaimable.diff == 0)
		cmp->notes |= ML_SLAB_CMP_RECLAIMABLE_EXACT;
	l[0] = &cmp->slab;
	l[1] = &cmp->reclaimable;
	l[2] = &cmp->unreclaimable;
	for (i = 0; i < 3; i++) {
		if (!l[i]->known)
			continue;
		if (l[i]->diff < 0)
			cmp->notes |= ML_SLAB_CMP_SLABINFO_ABOVE;
		if (l[i]->diff != 0)
			cmp->notes |= ML_SLAB_CMP_NOT_ATOMIC;
	}
}
