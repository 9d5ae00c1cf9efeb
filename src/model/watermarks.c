/*
 * Zone watermark states, headroom, health and gauges; see watermarks.h for
 * the kernel rules (doc/procfs.md sections 12.2 and 12.3) behind each of them.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/watermarks.h"
#include "util.h"

static const char *const state_word[ML_WM__STATE_COUNT] = {
	[ML_WM_UNKNOWN] = "unknown",
	[ML_WM_EMPTY] = "empty",
	[ML_WM_OK] = "ok",
	[ML_WM_BELOW_HIGH] = "below high",
	[ML_WM_BELOW_LOW] = "below low",
	[ML_WM_BELOW_MIN] = "below min",
	[ML_WM_UNRECLAIMABLE] = "unreclaimable",
};
static const char *const state_name[ML_WM__STATE_COUNT] = {
	[ML_WM_UNKNOWN] = "unknown",
	[ML_WM_EMPTY] = "empty",
	[ML_WM_OK] = "ok",
	[ML_WM_BELOW_HIGH] = "below_high",
	[ML_WM_BELOW_LOW] = "below_low",
	[ML_WM_BELOW_MIN] = "below_min",
	[ML_WM_UNRECLAIMABLE] = "unreclaimable",
};
static const int state_severity[ML_WM__STATE_COUNT] = {
	[ML_WM_UNKNOWN] = 0,       [ML_WM_EMPTY] = 0,     [ML_WM_OK] = 0,
	[ML_WM_BELOW_HIGH] = 1,    [ML_WM_BELOW_LOW] = 2, [ML_WM_BELOW_MIN] = 3,
	[ML_WM_UNRECLAIMABLE] = 4,
};
_Static_assert(ML_ARRAY_SIZE(state_word) == ML_WM__STATE_COUNT, "state_word out of sync");
_Static_assert(ML_ARRAY_SIZE(state_name) == ML_WM__STATE_COUNT, "state_name out of sync");

const char *
ml_wm_state_word(enum ml_wm_state s)
{
	return s < ML_WM__STATE_COUNT ? state_word[s] : "unknown";
}

const char *
ml_wm_state_name(enum ml_wm_state s)
{
	return s < ML_WM__STATE_COUNT ? state_name[s] : "unknown";
}

int
ml_wm_state_severity(enum ml_wm_state s)
{
	return s < ML_WM__STATE_COUNT ? state_severity[s] : 0;
}

void
ml_watermarks_init(struct ml_watermarks *w)
{
	memset(w, 0, sizeof *w);
}

void
ml_watermarks_release(struct ml_watermarks *w)
{
	free(w->zones);
	memset(w, 0, sizeof *w);
}

static struct ml_wm_pages
opt(const struct ml_zi_zone *zi, enum ml_zi_field f)
{
	struct ml_wm_pages v = { ml_zi_has(zi, f), ml_zi_get(zi, f) };

	return v;
}

/* free - mark as a signed page count; false when it does not fit. */
static bool
headroom(uint64_t free, uint64_t mark, int64_t *out)
{
	if (free > INT64_MAX || mark > INT64_MAX)
		return false;
	*out = (int64_t)free - (int64_t)mark;
	return true;
}

static bool
to_bytes(int64_t pages, uint64_t page_size, int64_t *out)
{
	return page_size <= INT64_MAX && !__builtin_mul_overflow(pages, (int64_t)page_size, out);
}

void
ml_wm_zone_compute(struct ml_wm_zone *z, const struct ml_zi_zone *zi, uint64_t page_size)
{
	uint32_t i;

	memset(z, 0, sizeof *z);
	z->zi = zi;
	z->node = zi->node;
	z->name = zi->name;
	z->populated = zi->populated;
	z->free = opt(zi, ML_ZI_FREE);
	z->min = opt(zi, ML_ZI_MIN);
	z->low = opt(zi, ML_ZI_LOW);
	z->high = opt(zi, ML_ZI_HIGH);
	z->promo = opt(zi, ML_ZI_PROMO);
	z->boost = opt(zi, ML_ZI_BOOST);
	z->spanned = opt(zi, ML_ZI_SPANNED);
	z->present = opt(zi, ML_ZI_PRESENT);
	z->managed = opt(zi, ML_ZI_MANAGED);
	z->cma = opt(zi, ML_ZI_CMA);
	z->reserved_highatomic = opt(zi, ML_ZI_RESERVED_HIGHATOMIC);
	z->free_highatomic = opt(zi, ML_ZI_FREE_HIGHATOMIC);

	/* 4.8+ print the node's flag in every zone; 3.10 to 4.7 a zone flag. */
	if (ml_zi_has(zi, ML_ZI_NODE_UNRECLAIMABLE)) {
		z->unreclaimable_key = "node_unreclaimable";
		z->unreclaimable = ml_zi_get(zi, ML_ZI_NODE_UNRECLAIMABLE) != 0;
	} else if (ml_zi_has(zi, ML_ZI_ALL_UNRECLAIMABLE)) {
		z->unreclaimable_key = "all_unreclaimable";
		z->unreclaimable = ml_zi_get(zi, ML_ZI_ALL_UNRECLAIMABLE) != 0;
	}

	if (zi->has_protection) {
		z->protection_known = true;
		for (i = 0; i < zi->nprotection; i++) {
			if (i == 0 || zi->protection[i] > z->protection_max_pages)
				z->protection_max_pages = zi->protection[i];
		}
	}

	z->headroom_known = z->free.known && z->min.known && z->low.known && z->high.known &&
			    headroom(z->free.pages, z->min.pages, &z->to_min_pages) &&
			    headroom(z->free.pages, z->low.pages, &z->to_low_pages) &&
			    headroom(z->free.pages, z->high.pages, &z->to_high_pages);
	z->to_promo_known = z->free.known && z->promo.known &&
			    headroom(z->free.pages, z->promo.pages, &z->to_promo_pages);
	z->bytes_known = z->headroom_known && page_size > 0 &&
			 to_bytes(z->to_min_pages, page_size, &z->to_min_bytes) &&
			 to_bytes(z->to_low_pages, page_size, &z->to_low_bytes) &&
			 to_bytes(z->to_high_pages, page_size, &z->to_high_bytes);

	/*
	 * A zone without managed pages never serves an allocation: its marks
	 * (often 0, or the 32-page clamp of an empty Movable zone) mean nothing.
	 * Before 3.8 there is no managed line; present stands in for it.
	 */
	if ((z->managed.known && z->managed.pages == 0) ||
	    (!z->managed.known && z->present.known && z->present.pages == 0))
		z->state = ML_WM_EMPTY;
	else if (z->unreclaimable)
		z->state = ML_WM_UNRECLAIMABLE;
	else if (!z->headroom_known)
		z->state = ML_WM_UNKNOWN;
	else if (z->to_min_pages <= 0)
		z->state = ML_WM_BELOW_MIN;
	else if (z->to_low_pages <= 0)
		z->state = ML_WM_BELOW_LOW;
	else if (z->to_high_pages <= 0)
		z->state = ML_WM_BELOW_HIGH;
	else
		z->state = ML_WM_OK;
}

int
ml_watermarks_compute(struct ml_watermarks *w, const struct ml_zoneinfo *zi, uint64_t page_size,
		      char **cause)
{
	uint32_t i;

	if (zi->nzones > w->cap) {
		uint32_t cap = w->cap ? w->cap : 8;
		struct ml_wm_zone *p;

		while (cap < zi->nzones)
			cap *= 2;
		p = realloc(w->zones, (size_t)cap * sizeof *p);
		if (p == NULL) {
			errno = ENOMEM;
			ml_set_cause(cause, "zone watermarks: %s", strerror(ENOMEM));
			return -1;
		}
		w->zones = p;
		w->cap = cap;
	}
	w->page_size = page_size;
	w->nzones = zi->nzones;
	memset(w->count, 0, sizeof w->count);
	for (i = 0; i < zi->nzones; i++) {
		ml_wm_zone_compute(&w->zones[i], &zi->zones[i], page_size);
		w->count[w->zones[i].state]++;
	}
	return 0;
}

void
ml_watermarks_health(const struct ml_watermarks *w, struct ml_wm_health *h)
{
	const struct ml_wm_zone *z, *best = NULL;
	uint32_t i;
	int sev, best_sev = -1;

	memset(h, 0, sizeof *h);
	h->worst = -1;
	for (i = 0; i < w->nzones; i++) {
		z = &w->zones[i];
		h->count[z->state]++;
		if (z->state == ML_WM_UNKNOWN || z->state == ML_WM_EMPTY)
			continue;
		h->judged++;
		sev = ml_wm_state_severity(z->state);
		/* Worse state first; then the least headroom to low. */
		if (sev > best_sev ||
		    (sev == best_sev && z->headroom_known &&
		     (!best->headroom_known || z->to_low_pages < best->to_low_pages))) {
			best = z;
			best_sev = sev;
			h->worst = (int32_t)i;
		}
	}
	if (best == NULL)
		return;
	h->known = true;
	h->state = best->state;
	h->node = best->node;
	h->zone = best->name;
	h->to_low_pages = best->to_low_pages;
	h->to_min_pages = best->to_min_pages;
	h->to_low_bytes_known = best->bytes_known;
	h->to_low_bytes = best->to_low_bytes;
	h->to_min_bytes = best->to_min_bytes;
}

/* The cell of value v on a scale of width cells up to scale. */
static int
cell(uint64_t v, uint64_t scale, int width)
{
	double c = (double)v / (double)scale * width;

	if (c >= width)
		return width;
	return (int)c;
}

/*
 * Marks out of order (min above high: only a damaged zoneinfo prints that)
 * are pushed past the right edge above: pull them back inside, right to
 * left, still one cell apart (width >= 8 leaves room for all four).
 */
static void
pull_back(struct ml_wm_gauge *g, int width)
{
	int last = width - 1;

	if (g->promo >= 0) {
		if (g->promo > last)
			g->promo = last;
		last = g->promo - 1;
	}
	if (g->high > last)
		g->high = last;
	if (g->low > g->high - 1)
		g->low = g->high - 1;
	if (g->min > g->low - 1)
		g->min = g->low - 1;
}

/* Keep the fill on the side of the mark's cell that free is on. */
static void
clamp_fill(struct ml_wm_gauge *g, uint64_t free, uint64_t mark, int mark_cell)
{
	if (free > mark && g->fill < mark_cell + 2)
		g->fill = mark_cell + 2;
	else if (free <= mark && g->fill > mark_cell)
		g->fill = mark_cell;
}

void
ml_wm_gauge_layout(const struct ml_wm_zone *z, int width, struct ml_wm_gauge *g)
{
	uint64_t top;

	memset(g, 0, sizeof *g);
	g->promo = -1;
	if (width < 8 || !z->free.known || !z->min.known || !z->low.known || !z->high.known)
		return;
	top = z->promo.known ? z->promo.pages : z->high.pages;
	if (top == 0 || top > UINT64_MAX / 2)
		return;
	g->known = true;
	g->scale_pages = 2 * top;
	g->clipped = z->free.pages > g->scale_pages;
	/* Marks never share a cell: each goes right of the previous one. */
	g->min = cell(z->min.pages, g->scale_pages, width);
	g->low = cell(z->low.pages, g->scale_pages, width);
	if (g->low <= g->min)
		g->low = g->min + 1;
	g->high = cell(z->high.pages, g->scale_pages, width);
	if (g->high <= g->low)
		g->high = g->low + 1;
	if (z->promo.known) {
		g->promo = cell(z->promo.pages, g->scale_pages, width);
		if (g->promo <= g->high)
			g->promo = g->high + 1;
	}
	pull_back(g, width);
	/*
	 * The fill is rounded, then made to agree with the state: it passes a
	 * mark's cell only when free is above that mark, and when it is, at
	 * least one filled cell follows the mark (unless the next mark sits in
	 * that cell and free is not above it).
	 */
	if (g->clipped) {
		g->fill = width;
		return;
	}
	g->fill = (int)((double)z->free.pages / (double)g->scale_pages * width + 0.5);
	clamp_fill(g, z->free.pages, z->min.pages, g->min);
	clamp_fill(g, z->free.pages, z->low.pages, g->low);
	clamp_fill(g, z->free.pages, z->high.pages, g->high);
	if (z->promo.known)
		clamp_fill(g, z->free.pages, z->promo.pages, g->promo);
	if (g->fill > width)
		g->fill = width;
}
