/*
 * Growth: least-squares fits with centred running sums, the shape of each
 * series, suspects and the time to exhaustion. See growth.h for the rules.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "model/growth.h"

static const char *const kind_names[ML_GROWTH_KIND__COUNT] = {
	[ML_GROWTH_PROC] = "proc",
	[ML_GROWTH_SLAB] = "slab",
	[ML_GROWTH_VMALLOC] = "vmalloc",
	[ML_GROWTH_KERNEL] = "kernel",
};
_Static_assert(ML_ARRAY_SIZE(kind_names) == ML_GROWTH_KIND__COUNT, "kind_names out of sync");

static const struct {
	const char *name;
	const char *label;
} shape_names[ML_SHAPE__COUNT] = {
	[ML_SHAPE_TOO_FEW] = { "too_few", "too few samples" },
	[ML_SHAPE_FLAT] = { "flat", "flat" },
	[ML_SHAPE_SAWTOOTH] = { "sawtooth", "sawtooth: a cache the kernel reclaims" },
	[ML_SHAPE_RESET] = { "reset", "reset to near zero once, fitted since" },
	[ML_SHAPE_STEP] = { "step", "one step" },
	[ML_SHAPE_LINEAR] = { "linear", "linear growth" },
	[ML_SHAPE_SHRINKING] = { "shrinking", "shrinking" },
	[ML_SHAPE_IRREGULAR] = { "irregular", "irregular, no steady trend" },
};
_Static_assert(ML_ARRAY_SIZE(shape_names) == ML_SHAPE__COUNT, "shape_names out of sync");

const char *
ml_growth_kind_name(enum ml_growth_kind k)
{
	return (unsigned int)k < ML_GROWTH_KIND__COUNT ? kind_names[k] : "?";
}

int
ml_growth_kind_from_name(const char *s, size_t n)
{
	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++)
		if (strlen(kind_names[k]) == n && memcmp(kind_names[k], s, n) == 0)
			return k;
	/* The plural the option --what lists: "procs". */
	if (n == 5 && memcmp(s, "procs", 5) == 0)
		return ML_GROWTH_PROC;
	return -1;
}

const char *
ml_growth_shape_name(enum ml_growth_shape s)
{
	return (unsigned int)s < ML_SHAPE__COUNT ? shape_names[s].name : "?";
}

const char *
ml_growth_shape_label(enum ml_growth_shape s)
{
	return (unsigned int)s < ML_SHAPE__COUNT ? shape_names[s].label : "?";
}

void
ml_growth_params_default(struct ml_growth_params *p)
{
	p->min_rate = ML_GROWTH_MIN_RATE_DEFAULT;
	p->min_r2 = ML_GROWTH_MIN_R2_DEFAULT;
	p->min_rising = ML_GROWTH_MIN_RISING_DEFAULT;
}

/* ------------------------------------------------------------------ the fit */

void
ml_fit_init(struct ml_fit *f)
{
	memset(f, 0, sizeof *f);
}

/* b - a as a double, exact up to 2^53 and correctly rounded beyond. */
static double
udiff(uint64_t b, uint64_t a)
{
	return b >= a ? (double)(b - a) : -(double)(a - b);
}

void
ml_fit_add(struct ml_fit *f, int64_t t_ns, uint64_t y)
{
	double x, v, dx, dy;

	if (f->n == 0) {
		f->t0 = t_ns;
		f->y0 = y;
	}
	/* Differences in integers first: nothing large ever reaches a double. */
	x = (double)(t_ns - f->t0) / 1e9;
	v = udiff(y, f->y0);
	f->n++;
	dx = x - f->mean_t;
	dy = v - f->mean_y;
	f->mean_t += dx / (double)f->n;
	f->mean_y += dy / (double)f->n;
	/* Welford: the old deviation times the new one keeps every term exact in sign. */
	f->ctt += dx * (x - f->mean_t);
	f->cyy += dy * (v - f->mean_y);
	f->cty += dx * (v - f->mean_y);
}

bool
ml_fit_slope(const struct ml_fit *f, double *slope)
{
	if (f->n < 2 || !(f->ctt > 0))
		return false;
	*slope = f->cty / f->ctt;
	return true;
}

bool
ml_fit_r2(const struct ml_fit *f, double *r2)
{
	double r;

	if (f->n < 3 || !(f->ctt > 0) || !(f->cyy > 0))
		return false;
	r = f->cty * f->cty / (f->ctt * f->cyy);
	/* Rounding can push a perfect fit a hair above 1. */
	*r2 = r > 1 ? 1 : r;
	return true;
}

/* --------------------------------------------------------------- a series */

void
ml_growth_series_init(struct ml_growth_series *s, bool is_signed)
{
	memset(s, 0, sizeof *s);
	ml_fit_init(&s->fit);
	s->is_signed = is_signed;
}

static void
segment_start(struct ml_growth_series *s, int64_t t_ns, uint64_t y)
{
	ml_fit_init(&s->fit);
	s->first = y;
	s->first_t = t_ns;
	s->rises = s->falls = s->steps = 0;
	s->min = s->max = y;
	s->rise_max = s->fall_max = 0;
	s->variation = 0;
}

static void
note_fall(struct ml_growth_series *s, uint64_t fall)
{
	s->all_falls++;
	s->all_fall_sum += (double)fall;
	if (fall > s->big_fall[0]) {
		s->big_fall[1] = s->big_fall[0];
		s->big_fall[0] = fall;
	} else if (fall > s->big_fall[1]) {
		s->big_fall[1] = fall;
	}
}

void
ml_growth_series_add(struct ml_growth_series *s, int64_t t_ns, uint64_t y)
{
	if (s->all_n == 0) {
		s->all_first = y;
		s->all_first_t = t_ns;
		s->all_min = s->all_max = y;
		segment_start(s, t_ns, y);
	} else {
		uint64_t prev = s->last;

		if (y < prev) {
			note_fall(s, prev - y);
		} else if (y > prev) {
			s->all_rises++;
			s->all_rise_sum += (double)(y - prev);
		}
		/*
		 * A fall to near zero starts the fit again: what the item was
		 * before it (a process before an exec, a cache before it was
		 * emptied) says nothing about its trend now. The unaccounted
		 * remainder crosses zero by nature: signed series never reset.
		 */
		if (!s->is_signed && y < prev / ML_GROWTH_RESET_DIVISOR) {
			s->resets++;
			s->reset_t = t_ns;
			segment_start(s, t_ns, y);
		} else {
			s->steps++;
			if (y > prev) {
				s->rises++;
				if (y - prev > s->rise_max)
					s->rise_max = y - prev;
				s->variation += (double)(y - prev);
			} else if (y < prev) {
				s->falls++;
				if (prev - y > s->fall_max)
					s->fall_max = prev - y;
				s->variation += (double)(prev - y);
			}
		}
		if (y < s->all_min)
			s->all_min = y;
		if (y > s->all_max)
			s->all_max = y;
		if (y < s->min)
			s->min = y;
		if (y > s->max)
			s->max = y;
	}
	ml_fit_add(&s->fit, t_ns, y);
	s->all_n++;
	s->last = y;
	s->last_t = t_ns;
}

/* The line rises steadily enough for a suspect (slope aside). */
static bool
steady(const struct ml_growth_verdict *v, const struct ml_growth_params *p, bool up)
{
	if (!v->has_slope || !v->has_r2 || !v->has_rising)
		return false;
	if (up ? !(v->slope > 0) : !(v->slope < 0))
		return false;
	if (v->r2 < p->min_r2)
		return false;
	return (up ? v->rising_share : 1 - v->rising_share) >= p->min_rising;
}

/*
 * Grows in small steps and is cut back in big ones, twice or more: two
 * falls of a quarter of the range, falls four times the size of rises on
 * average (noise falls as much as it rises), or two resets.
 */
static bool
sawtooth(const struct ml_growth_series *s, double range)
{
	if (s->resets >= 2)
		return true;
	if (s->all_rises == 0 || s->all_falls < 2 || (double)s->big_fall[1] * 4 < range)
		return false;
	return s->all_fall_sum / (double)s->all_falls >= 4 * s->all_rise_sum / (double)s->all_rises;
}

void
ml_growth_series_judge(const struct ml_growth_series *s, const struct ml_growth_params *p,
		       struct ml_growth_verdict *v)
{
	double all_span, all_range, seg_range, jump;
	uint64_t moved = s->rises + s->falls;
	bool significant = false;

	memset(v, 0, sizeof *v);
	v->samples = s->fit.n;
	v->has_slope = ml_fit_slope(&s->fit, &v->slope);
	v->has_r2 = ml_fit_r2(&s->fit, &v->r2);
	if (moved > 0) {
		v->has_rising = true;
		v->rising_share = (double)s->rises / (double)moved;
	}

	if (s->all_n < 3) {
		v->shape = ML_SHAPE_TOO_FEW;
		return;
	}
	all_span = (double)(s->last_t - s->all_first_t) / 1e9;
	all_range = (double)(s->all_max - s->all_min);
	/* Moved more than the minimum rate adds over the window: worth a shape. */
	if (all_range > p->min_rate * all_span) {
		if (sawtooth(s, all_range)) {
			v->shape = ML_SHAPE_SAWTOOTH;
			return;
		}
		if (s->resets == 1) {
			v->shape = ML_SHAPE_RESET;
			v->suspect = s->fit.n >= 3 && steady(v, p, true) && v->slope >= p->min_rate;
			return;
		}
		seg_range = (double)(s->max - s->min);
		jump = (double)(s->rise_max > s->fall_max ? s->rise_max : s->fall_max);
		if (jump * 2 >= seg_range && (s->variation - jump) * 2 <= jump) {
			v->shape = ML_SHAPE_STEP;
			return;
		}
		significant = true;
	}
	if (steady(v, p, true)) {
		v->shape = ML_SHAPE_LINEAR;
		v->suspect = v->slope >= p->min_rate;
	} else if (steady(v, p, false)) {
		v->shape = ML_SHAPE_SHRINKING;
	} else {
		v->shape = significant ? ML_SHAPE_IRREGULAR : ML_SHAPE_FLAT;
	}
}

/* -------------------------------------------------------------- the table */

static uint32_t
key_hash(enum ml_growth_kind kind, const char *name, uint64_t a, uint64_t b)
{
	/* FNV-1a over the kind, both numbers and the name. */
	uint32_t h = 2166136261u;
	unsigned char buf[17];

	buf[0] = (unsigned char)kind;
	for (int i = 0; i < 8; i++) {
		buf[1 + i] = (unsigned char)(a >> (8 * i));
		buf[9 + i] = (unsigned char)(b >> (8 * i));
	}
	for (size_t i = 0; i < sizeof buf; i++)
		h = (h ^ buf[i]) * 16777619u;
	if (name)
		for (const unsigned char *p = (const unsigned char *)name; *p; p++)
			h = (h ^ *p) * 16777619u;
	return h;
}

static bool
key_equal(const struct ml_growth_item *it, enum ml_growth_kind kind, const char *name, uint64_t a,
	  uint64_t b)
{
	if (it->kind != kind || it->key_a != a || it->key_b != b)
		return false;
	if (!name || !it->name)
		return !name && !it->name;
	return strcmp(it->name, name) == 0;
}

void
ml_growth_init(struct ml_growth *g, const struct ml_growth_params *p)
{
	memset(g, 0, sizeof *g);
	if (p)
		g->par = *p;
	else
		ml_growth_params_default(&g->par);
	g->free_head = -1;
}

void
ml_growth_release(struct ml_growth *g)
{
	if (!g)
		return;
	for (int32_t i = 0; i < g->n; i++)
		free(ml_growth_slot(g, i)->name);
	for (int32_t c = 0; c * ML_GROWTH_CHUNK < g->cap; c++)
		free(g->chunks[c]);
	free(g->chunks);
	free(g->buckets);
	memset(g, 0, sizeof *g);
	g->free_head = -1;
}

int
ml_growth_begin(struct ml_growth *g, int64_t t_ns)
{
	if (g->sample > 0 && t_ns < g->last_t) {
		errno = EINVAL;
		return -1;
	}
	if (g->sample == 0)
		g->first_t = t_ns;
	g->sample++;
	g->t_ns = g->last_t = t_ns;
	g->in_sample = true;
	return 0;
}

/* Double the buckets when the table is as full as they are many. */
static int
grow_buckets(struct ml_growth *g)
{
	uint32_t nb = g->nbuckets ? g->nbuckets * 2 : 64;
	int32_t *b = malloc(nb * sizeof *b);

	if (!b)
		return -1;
	for (uint32_t i = 0; i < nb; i++)
		b[i] = -1;
	for (int32_t i = 0; i < g->n; i++) {
		struct ml_growth_item *it = ml_growth_slot(g, i);

		if (!it->used)
			continue;
		it->next = b[it->hash & (nb - 1)];
		b[it->hash & (nb - 1)] = i;
	}
	free(g->buckets);
	g->buckets = b;
	g->nbuckets = nb;
	return 0;
}

struct ml_growth_item *
ml_growth_find(const struct ml_growth *g, enum ml_growth_kind kind, const char *name, uint64_t a,
	       uint64_t b)
{
	uint32_t h;

	if (!g->nbuckets)
		return NULL;
	h = key_hash(kind, name, a, b);
	for (int32_t i = g->buckets[h & (g->nbuckets - 1)]; i >= 0;
	     i = ml_growth_slot(g, i)->next) {
		struct ml_growth_item *it = ml_growth_slot(g, i);

		if (it->hash == h && key_equal(it, kind, name, a, b))
			return it;
	}
	return NULL;
}

struct ml_growth_item *
ml_growth_item(struct ml_growth *g, enum ml_growth_kind kind, const char *name, uint64_t a,
	       uint64_t b, bool is_signed)
{
	struct ml_growth_item *it = ml_growth_find(g, kind, name, a, b);
	int32_t i;
	char *copy = NULL;

	if (it)
		return it;
	if (name && !(copy = strdup(name)))
		return NULL;
	if ((uint32_t)g->live + 1 > g->nbuckets && grow_buckets(g) < 0) {
		free(copy);
		return NULL;
	}
	if (g->free_head >= 0) {
		i = g->free_head;
		g->free_head = ml_growth_slot(g, i)->next;
	} else {
		if (g->n == g->cap) {
			/* Another chunk: the items already made stay where they are. */
			int32_t c = g->cap / ML_GROWTH_CHUNK;
			struct ml_growth_item **nc =
				realloc(g->chunks, (size_t)(c + 1) * sizeof *nc);

			if (nc)
				g->chunks = nc;
			if (!nc || !(nc[c] = malloc(ML_GROWTH_CHUNK * sizeof **nc))) {
				free(copy);
				errno = ENOMEM;
				return NULL;
			}
			g->cap += ML_GROWTH_CHUNK;
		}
		i = g->n++;
	}
	it = ml_growth_slot(g, i);
	memset(it, 0, sizeof *it);
	it->index = i;
	it->kind = kind;
	it->key_a = a;
	it->key_b = b;
	it->name = copy;
	it->parent = -1;
	it->used = true;
	it->hash = key_hash(kind, name, a, b);
	ml_growth_series_init(&it->s, is_signed);
	ml_growth_series_init(&it->aux, false);
	it->next = g->buckets[it->hash & (g->nbuckets - 1)];
	g->buckets[it->hash & (g->nbuckets - 1)] = i;
	g->live++;
	return it;
}

void
ml_growth_set_parent(struct ml_growth *g, struct ml_growth_item *it,
		     const struct ml_growth_item *parent)
{
	int32_t p = parent && parent != it ? parent->index : -1;

	if (p == it->parent)
		return;
	if (it->parent >= 0)
		ml_growth_slot(g, it->parent)->members--;
	it->parent = p;
	if (p >= 0)
		ml_growth_slot(g, p)->members++;
}

void
ml_growth_observe(struct ml_growth *g, struct ml_growth_item *it, uint64_t value)
{
	if (!g->in_sample || it->seen == g->sample)
		return;
	it->seen = g->sample;
	ml_growth_series_add(&it->s, g->t_ns, value);
}

void
ml_growth_observe_at(struct ml_growth *g, struct ml_growth_item *it, int64_t t_ns, uint64_t value)
{
	if (!g->in_sample || it->seen == g->sample)
		return;
	if (it->s.all_n > 0 && t_ns <= it->s.last_t) {
		ml_growth_keep(g, it);
		return;
	}
	it->seen = g->sample;
	ml_growth_series_add(&it->s, t_ns, value);
}

void
ml_growth_keep(struct ml_growth *g, struct ml_growth_item *it)
{
	if (g->in_sample && it->seen != g->sample) {
		it->seen = g->sample;
		it->kept = true;
	}
}

void
ml_growth_observe_signed(struct ml_growth *g, struct ml_growth_item *it, int64_t value)
{
	ml_growth_observe(g, it, ml_growth_from_signed(value));
}

void
ml_growth_observe_aux(struct ml_growth *g, struct ml_growth_item *it, uint64_t value)
{
	if (!g->in_sample || it->aux_seen == g->sample)
		return;
	it->aux_seen = g->sample;
	ml_growth_series_add(&it->aux, g->t_ns, value);
}

/* Take item i out of its hash chain and onto the free list. */
static void
drop_item(struct ml_growth *g, int32_t i)
{
	struct ml_growth_item *it = ml_growth_slot(g, i);
	int32_t *link = &g->buckets[it->hash & (g->nbuckets - 1)];

	while (*link != i)
		link = &ml_growth_slot(g, *link)->next;
	*link = it->next;
	free(it->name);
	it->name = NULL;
	it->used = false;
	it->next = g->free_head;
	g->free_head = i;
	g->live--;
	/* Its members are on their own now (a process has none: no cost). */
	if (it->members > 0)
		for (int32_t j = 0; j < g->n; j++)
			if (ml_growth_slot(g, j)->used && ml_growth_slot(g, j)->parent == i)
				ml_growth_slot(g, j)->parent = -1;
	if (it->parent >= 0)
		ml_growth_slot(g, it->parent)->members--;
}

void
ml_growth_end(struct ml_growth *g)
{
	if (!g->in_sample)
		return;
	for (int32_t i = 0; i < g->n; i++) {
		struct ml_growth_item *it = ml_growth_slot(g, i);

		if (!it->used || it->seen == g->sample)
			continue;
		switch (it->kind) {
		case ML_GROWTH_PROC:
			g->exited++;
			drop_item(g, i);
			break;
		case ML_GROWTH_SLAB:
		case ML_GROWTH_VMALLOC:
			/* No longer listed: no objects, no areas. */
			ml_growth_observe(g, it, 0);
			break;
		default:
			break;
		}
	}
	g->in_sample = false;
}

/* ------------------------------------------------------------- rankings */

const char *const ml_growth_sort_keys[ML_GROWTH_SORT__COUNT + 1] = {
	[ML_GROWTH_SORT_RATE] = "rate",
	[ML_GROWTH_SORT_SIZE] = "size",
	[ML_GROWTH_SORT_NAME] = "name",
	[ML_GROWTH_SORT__COUNT] = NULL,
};

int
ml_growth_sort_parse(const char *s)
{
	for (int k = 0; k < ML_GROWTH_SORT__COUNT; k++)
		if (strcmp(ml_growth_sort_keys[k], s) == 0)
			return k;
	return -1;
}

struct ranked {
	const struct ml_growth_item *it;
	bool suspect;
	double slope;
	double size; /* the last value, signed ones as such */
};

static int
cmp_keys(const struct ml_growth_item *a, const struct ml_growth_item *b)
{
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->name && b->name && (c = strcmp(a->name, b->name)) != 0)
		return c;
	if (a->key_a != b->key_a)
		return a->key_a < b->key_a ? -1 : 1;
	if (a->key_b != b->key_b)
		return a->key_b < b->key_b ? -1 : 1;
	return 0;
}

struct rank_order {
	enum ml_growth_sort key;
	bool reverse;
};

static int
cmp_ranked(const void *pa, const void *pb, void *arg)
{
	const struct ranked *a = pa, *b = pb;
	const struct rank_order *o = arg;
	int c = 0;

	switch (o->key) {
	case ML_GROWTH_SORT_RATE:
		if (a->suspect != b->suspect)
			c = a->suspect ? -1 : 1;
		else if (a->slope != b->slope)
			c = a->slope > b->slope ? -1 : 1;
		break;
	case ML_GROWTH_SORT_SIZE:
		if (a->size != b->size)
			c = a->size > b->size ? -1 : 1;
		break;
	default:
		break;
	}
	if (c == 0)
		c = cmp_keys(a->it, b->it);
	return o->reverse ? -c : c;
}

long
ml_growth_rank(const struct ml_growth *g, unsigned int kinds, enum ml_growth_sort key, bool reverse,
	       const struct ml_growth_item **out, size_t cap)
{
	struct ranked *r;
	size_t n = 0;

	r = malloc(((size_t)g->live + 1) * sizeof *r);
	if (!r)
		return -1;
	for (int32_t i = 0; i < g->n; i++) {
		const struct ml_growth_item *it = ml_growth_slot(g, i);
		struct ml_growth_verdict v;

		if (!it->used || !(kinds & (1u << it->kind)))
			continue;
		ml_growth_judge(g, it, &v);
		if (!v.has_slope)
			continue;
		r[n].it = it;
		r[n].suspect = v.suspect;
		r[n].slope = v.slope;
		r[n].size = it->s.is_signed ? (double)ml_growth_to_signed(it->s.last)
					    : (double)it->s.last;
		n++;
	}
	qsort_r(r, n, sizeof *r, cmp_ranked, &(struct rank_order){ key, reverse });
	for (size_t i = 0; i < n && i < cap; i++)
		out[i] = r[i].it;
	free(r);
	return (long)n;
}

size_t
ml_growth_top_rising(const struct ml_growth *g, enum ml_growth_kind kind,
		     const struct ml_growth_item **out, size_t k)
{
	size_t n = 0;

	for (int32_t i = 0; i < g->n && k > 0; i++) {
		const struct ml_growth_item *it = ml_growth_slot(g, i);
		double s, t;
		size_t j;

		if (!it->used || it->kind != kind || !ml_fit_slope(&it->s.fit, &s) || !(s > 0))
			continue;
		if (n == k && ml_fit_slope(&out[k - 1]->s.fit, &t) && s <= t)
			continue;
		/* Insert in order; the smallest falls off the end. */
		j = n < k ? n++ : k - 1;
		while (j > 0 && ml_fit_slope(&out[j - 1]->s.fit, &t) && t < s) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = it;
	}
	return n;
}

/* ------------------------------------------------------------ exhaustion */

static double
eta_of(double room, double rate)
{
	return room <= 0 ? 0 : room / rate;
}

/* How many parts up from slot i; capped, so that a loop in the links ends. */
static int
depth_of(const struct ml_growth *g, int32_t i)
{
	int d = 0;

	while (d < 16 && (i = ml_growth_slot(g, i)->parent) >= 0 && ml_growth_slot(g, i)->used)
		d++;
	return d;
}

struct by_depth {
	int32_t slot;
	int depth;
};

static int
cmp_deeper_first(const void *pa, const void *pb)
{
	const struct by_depth *a = pa, *b = pb;

	if (a->depth != b->depth)
		return a->depth > b->depth ? -1 : 1;
	return (a->slot > b->slot) - (a->slot < b->slot);
}

int
ml_growth_exhaustion(const struct ml_growth *g, const struct ml_growth_mem *m,
		     struct ml_growth_eta *e)
{
	double *members, rate = 0;
	struct by_depth *order;
	size_t n = 0;

	memset(e, 0, sizeof *e);
	members = calloc((size_t)g->n + 1, sizeof *members);
	order = malloc(((size_t)g->n + 1) * sizeof *order);
	if (!members || !order) {
		free(members);
		free(order);
		errno = ENOMEM;
		return -1;
	}
	for (int32_t i = 0; i < g->n; i++)
		if (ml_growth_slot(g, i)->used)
			order[n++] = (struct by_depth){ i, depth_of(g, i) };
	/*
	 * Members before their parts: each item's share is the larger of its
	 * own slope (when it is a suspect) and its members' shares summed; that
	 * share goes to its part, or to the total when it is part of nothing.
	 */
	qsort(order, n, sizeof *order, cmp_deeper_first);
	for (size_t k = 0; k < n; k++) {
		int32_t i = order[k].slot;
		const struct ml_growth_item *it = ml_growth_slot(g, i);
		struct ml_growth_verdict v;
		double share = members[i];

		ml_growth_judge(g, it, &v);
		if (v.suspect) {
			e->suspects++;
			if (v.slope > share)
				share = v.slope;
		}
		if (order[k].depth > 0)
			members[it->parent] += share;
		else
			rate += share;
	}
	free(members);
	free(order);

	e->rate = rate;
	e->commit_strict = m && m->overcommit == 2;
	if (e->suspects == 0 || !(rate > 0)) {
		e->state = ML_ETA_NONE;
		e->commit_state = ML_ETA_NONE;
		return 0;
	}
	if (m && m->has_available) {
		e->state = ML_ETA_KNOWN;
		e->available = m->available;
		e->eta_s = eta_of((double)m->available, rate);
	} else {
		e->state = ML_ETA_UNKNOWN;
	}
	if (e->commit_strict) {
		if (m->has_commit) {
			e->commit_state = ML_ETA_KNOWN;
			e->commit_room = (int64_t)m->commit_limit - (int64_t)m->committed;
			e->commit_eta_s = eta_of((double)e->commit_room, rate);
		} else {
			e->commit_state = ML_ETA_UNKNOWN;
		}
	}
	return 0;
}

bool
ml_growth_item_eta(const struct ml_growth_eta *e, const struct ml_growth_verdict *v, double *eta_s)
{
	if (!v->suspect || e->state != ML_ETA_KNOWN || !(v->slope > 0))
		return false;
	*eta_s = eta_of((double)e->available, v->slope);
	return true;
}
