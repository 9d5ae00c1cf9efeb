/*
 * Growth (model/growth): the fit against hand-computed lines, the shapes
 * (flat, linear, noisy linear, sawtooth, step, a counter reset), a reused
 * PID, one and two samples, values near 2^64 and times far from zero, the
 * table's rules for what was not observed, the ranking and the time to
 * exhaustion with nested items counted once.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "model/growth.h"

#define NS 1000000000LL
#define MIB (1024.0 * 1024.0)
/* A wall-clock start: 2026-11-21 03:00:00 UTC, in ns (far from zero). */
#define T0 (1795230000LL * NS)

/* A small deterministic generator for noise: the same series every run. */
static uint64_t rng_state;

static void
rng_seed(uint64_t s)
{
	rng_state = s;
}

/* Uniform in [-1, 1). */
static double
rng_unit(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / (double)(1ULL << 52) - 1.0;
}

static struct ml_growth_params
params(void)
{
	struct ml_growth_params p;

	ml_growth_params_default(&p);
	return p;
}

static void
judge(const struct ml_growth_series *s, struct ml_growth_verdict *v)
{
	struct ml_growth_params p = params();

	ml_growth_series_judge(s, &p, v);
}

static void
assert_near(double got, double want, double rel)
{
	double tol = fabs(want) * rel;

	if (fabs(got - want) > tol) {
		print_error("got %.17g, want %.17g (within %g)\n", got, want, rel);
		fail();
	}
}

/* The fit against a line worked out by hand: (0,1) (1,3) (2,2) (3,6). */
static void
t_fit_by_hand(void **state)
{
	struct ml_fit f;
	double slope, r2;

	(void)state;
	ml_fit_init(&f);
	ml_fit_add(&f, T0 + 0 * NS, 1);
	ml_fit_add(&f, T0 + 1 * NS, 3);
	ml_fit_add(&f, T0 + 2 * NS, 2);
	ml_fit_add(&f, T0 + 3 * NS, 6);
	/*
	 * mean t 1.5, mean y 3; Stt = 2.25 + 0.25 + 0.25 + 2.25 = 5,
	 * Sty = 3 + 0 - 0.5 + 4.5 = 7, Syy = 4 + 0 + 1 + 9 = 14:
	 * slope 7/5, R² = 49/70.
	 */
	assert_true(ml_fit_slope(&f, &slope));
	assert_near(slope, 1.4, 1e-12);
	assert_true(ml_fit_r2(&f, &r2));
	assert_near(r2, 0.7, 1e-12);
}

static void
t_flat(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 60; i++)
		ml_growth_series_add(&s, T0 + i * NS, 100 * MIB);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_FLAT);
	assert_true(v.has_slope);
	assert_true(v.slope == 0);
	assert_false(v.has_r2); /* never moved: R² means nothing */
	assert_false(v.has_rising);
	assert_false(v.suspect);

	/* A page or two of noise is flat too: below 1 MiB/h over the minute. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 60; i++)
		ml_growth_series_add(&s, T0 + i * NS, (uint64_t)(100 * MIB) + (i % 3) * 4096);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_FLAT);
	assert_false(v.suspect);
}

static void
t_linear(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	ml_growth_series_init(&s, false);
	/* 4 MiB/s for 30 s, sampled every 2 s. */
	for (int i = 0; i <= 15; i++)
		ml_growth_series_add(&s, T0 + 2 * i * NS, (uint64_t)(10 * MIB + 8 * MIB * i));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
	assert_int_equal(v.samples, 16);
	assert_near(v.slope, 4 * MIB, 1e-12);
	assert_near(v.r2, 1, 1e-12);
	assert_near(v.rising_share, 1, 0);
	assert_true(v.suspect);
	assert_int_equal(s.first, 10 * MIB);
	assert_int_equal(s.last, 10 * MIB + 8 * MIB * 15);

	/* The same growth below the minimum rate is not a suspect. */
	struct ml_growth_params p = params();

	p.min_rate = 5 * MIB;
	ml_growth_series_judge(&s, &p, &v);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
	assert_false(v.suspect);
	/* Nor with a stricter R² or rising share than it has. */
	p = params();
	p.min_rising = 1.01;
	ml_growth_series_judge(&s, &p, &v);
	assert_false(v.suspect);

	/* Shrinking the same way is never a suspect. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i <= 15; i++)
		ml_growth_series_add(&s, T0 + i * NS, (uint64_t)(200 * MIB - MIB * i));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_SHRINKING);
	assert_near(v.slope, -MIB, 1e-12);
	assert_false(v.suspect);
}

/* A slab cache sampled faster than it gains a slab: most steps unchanged. */
static void
t_linear_staircase(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 120; i++)
		ml_growth_series_add(&s, T0 + i * NS,
				     (uint64_t)(1 * MIB) + (uint64_t)(i / 10) * 65536);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
	assert_near(v.rising_share, 1, 0); /* 11 rises, no fall; unchanged steps not counted */
	assert_true(v.r2 > 0.95);
	assert_near(v.slope, 6553.6, 0.02);
	assert_true(v.suspect);
}

static void
t_noisy_linear(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;
	const double rate = 2 * MIB; /* per second */

	(void)state;
	rng_seed(12);
	ml_growth_series_init(&s, false);
	/* Noise of +-0.5 MiB on 2 MiB a step: some steps still fall. */
	for (int i = 0; i < 100; i++)
		ml_growth_series_add(&s, T0 + i * NS,
				     (uint64_t)(50 * MIB + rate * i + 0.5 * MIB * rng_unit()));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
	assert_near(v.slope, rate, 0.01);
	assert_true(v.r2 > 0.99);
	assert_true(v.rising_share >= 0.8);
	assert_true(v.suspect);

	/* Noise larger than the trend: not steady, not a suspect. */
	rng_seed(7);
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 100; i++)
		ml_growth_series_add(&s, T0 + i * NS,
				     (uint64_t)(50 * MIB + 0.05 * MIB * i + 8 * MIB * rng_unit()));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_IRREGULAR);
	assert_false(v.suspect);
}

static void
t_sawtooth(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	ml_growth_series_init(&s, false);
	/* A page cache: 1 GiB growing to 3 GiB, cut back to 1 GiB, three times. */
	for (int i = 0; i < 60; i++)
		ml_growth_series_add(&s, T0 + i * 60 * NS,
				     (uint64_t)(1024 * MIB + (i % 20) * 100 * MIB));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_SAWTOOTH);
	assert_false(v.suspect);
	/* Most of its steps rise: the rising share alone would be fooled. */
	assert_true(v.rising_share > 0.9);

	/* Emptied to zero twice: two resets make a sawtooth too. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 30; i++)
		ml_growth_series_add(&s, T0 + i * NS, (uint64_t)((i % 10) * 10 * MIB));
	judge(&s, &v);
	assert_int_equal(s.resets, 2);
	assert_int_equal(v.shape, ML_SHAPE_SAWTOOTH);
	assert_false(v.suspect);
}

static void
t_step(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	/* A vmalloc caller: 2 MiB, then 200 MiB from the middle on, over a day. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 24; i++)
		ml_growth_series_add(&s, T0 + i * 3600 * NS, (uint64_t)((i < 12 ? 2 : 200) * MIB));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_STEP);
	assert_true(v.slope > 0); /* the line rises, but it is one step */
	assert_false(v.suspect);

	/* A step with a little noise around it is still one step. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 24; i++)
		ml_growth_series_add(&s, T0 + i * 3600 * NS,
				     (uint64_t)((i < 12 ? 2 : 200) * MIB) + (i % 2) * 65536);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_STEP);
	assert_false(v.suspect);

	/* And a step down. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 24; i++)
		ml_growth_series_add(&s, T0 + i * 3600 * NS, (uint64_t)((i < 5 ? 900 : 600) * MIB));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_STEP);

	/* The same 4 MiB step over a day is below 1 MiB/h: flat, whatever its shape. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 24; i++)
		ml_growth_series_add(&s, T0 + i * 3600 * NS, (uint64_t)((i < 12 ? 2 : 6) * MIB));
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_FLAT);
	assert_false(v.suspect);
}

static void
t_reset(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	/* Grows 1 MiB/s to 40 MiB, falls to 0, grows 3 MiB/s again. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 40; i++)
		ml_growth_series_add(&s, T0 + i * NS, (uint64_t)(MIB * (i + 1)));
	for (int i = 0; i < 20; i++)
		ml_growth_series_add(&s, T0 + (40 + i) * NS, (uint64_t)(3 * MIB * i));
	judge(&s, &v);
	assert_int_equal(s.resets, 1);
	assert_int_equal(s.reset_t, T0 + 40 * NS);
	assert_int_equal(v.shape, ML_SHAPE_RESET);
	/* The fit is of the life since the reset: 3 MiB/s, 20 samples, exactly. */
	assert_int_equal(v.samples, 20);
	assert_near(v.slope, 3 * MIB, 1e-12);
	assert_near(v.r2, 1, 1e-12);
	assert_int_equal(s.first, 0);
	assert_int_equal(s.all_first, MIB);
	assert_true(v.suspect);

	/* Flat after its reset: not a suspect. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 40; i++)
		ml_growth_series_add(&s, T0 + i * NS, (uint64_t)(MIB * (i + 1)));
	for (int i = 0; i < 20; i++)
		ml_growth_series_add(&s, T0 + (40 + i) * NS, 4096);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_RESET);
	assert_false(v.suspect);

	/* A fall to half is no reset. */
	ml_growth_series_init(&s, false);
	ml_growth_series_add(&s, T0, 100 * MIB);
	ml_growth_series_add(&s, T0 + NS, 50 * MIB);
	assert_int_equal(s.resets, 0);
}

static void
t_one_and_two_samples(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	ml_growth_series_init(&s, false);
	ml_growth_series_add(&s, T0, 5 * MIB);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_TOO_FEW);
	assert_int_equal(v.samples, 1);
	assert_false(v.has_slope);
	assert_false(v.has_r2);
	assert_false(v.has_rising);
	assert_false(v.suspect);

	ml_growth_series_add(&s, T0 + 10 * NS, 15 * MIB);
	judge(&s, &v);
	assert_int_equal(v.shape, ML_SHAPE_TOO_FEW);
	assert_true(v.has_slope);
	assert_near(v.slope, MIB, 1e-12);
	assert_false(v.has_r2); /* two points always fit */
	assert_false(v.suspect);

	/* Two samples at the same moment: no slope. */
	ml_growth_series_init(&s, false);
	ml_growth_series_add(&s, T0, 1);
	ml_growth_series_add(&s, T0, 2);
	judge(&s, &v);
	assert_false(v.has_slope);
}

static void
t_near_2_64(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;
	const uint64_t top = UINT64_MAX - 1000;
	double naive_y = 0, naive_ty = 0, naive_t = 0, naive_tt = 0;

	(void)state;
	/* One byte a second, just below 2^64, at a wall-clock time. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i < 1000; i++) {
		double t = (double)(T0 + i * NS) / 1e9, y = (double)(top - 999 + (uint64_t)i);

		ml_growth_series_add(&s, T0 + i * NS, top - 999 + (uint64_t)i);
		naive_t += t;
		naive_tt += t * t;
		naive_y += y;
		naive_ty += t * y;
	}
	judge(&s, &v);
	assert_near(v.slope, 1.0, 1e-9);
	assert_near(v.r2, 1.0, 1e-9);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
	assert_false(v.suspect); /* 1 B/s is below 1 MiB/h */
	assert_int_equal(s.last, top);
	/* What plain sums would make of it: nowhere near 1 B/s. */
	double naive =
		(1000 * naive_ty - naive_t * naive_y) / (1000 * naive_tt - naive_t * naive_t);

	assert_false(fabs(naive - 1.0) < 0.5);

	/* Across the whole range: 0 to 2^64 - 1 in 16 equal steps. */
	ml_growth_series_init(&s, false);
	for (int i = 0; i <= 16; i++)
		ml_growth_series_add(&s, T0 + i * NS, i == 16 ? UINT64_MAX : (uint64_t)i << 60);
	judge(&s, &v);
	assert_near(v.slope, 1152921504606846976.0, 1e-9);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
}

static void
t_signed(void **state)
{
	struct ml_growth_series s;
	struct ml_growth_verdict v;

	(void)state;
	/* The unaccounted remainder: -3 MiB rising 1 MiB/s through zero, no reset. */
	ml_growth_series_init(&s, true);
	for (int i = 0; i < 10; i++)
		ml_growth_series_add(&s, T0 + i * NS,
				     ml_growth_from_signed((int64_t)(MIB * (i - 3))));
	judge(&s, &v);
	assert_int_equal(s.resets, 0);
	assert_int_equal(v.shape, ML_SHAPE_LINEAR);
	assert_near(v.slope, MIB, 1e-12);
	assert_int_equal(ml_growth_to_signed(s.first), -3 * (int64_t)MIB);
	assert_int_equal(ml_growth_to_signed(s.last), 6 * (int64_t)MIB);
}

/* A table: a reused PID is another process; exited processes are dropped. */
static void
t_reused_pid(void **state)
{
	struct ml_growth g;
	struct ml_growth_item *it;
	struct ml_growth_verdict v;

	(void)state;
	ml_growth_init(&g, NULL);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(ml_growth_begin(&g, T0 + i * NS), 0);
		/* PID 100 started at tick 5000 grows 1 MiB/s until it exits at 5 s ... */
		if (i < 5) {
			it = ml_growth_item(&g, ML_GROWTH_PROC, NULL, 100, 5000, false);
			assert_non_null(it);
			strcpy(it->label, "old");
			ml_growth_observe(&g, it, (uint64_t)(MIB * (10 + i)));
		} else {
			/* ... and the PID comes back, started at tick 9000, flat at 2 MiB. */
			it = ml_growth_item(&g, ML_GROWTH_PROC, NULL, 100, 9000, false);
			assert_non_null(it);
			strcpy(it->label, "new");
			ml_growth_observe(&g, it, 2 * MIB);
		}
		ml_growth_end(&g);
	}
	assert_null(ml_growth_find(&g, ML_GROWTH_PROC, NULL, 100, 5000));
	it = ml_growth_find(&g, ML_GROWTH_PROC, NULL, 100, 9000);
	assert_non_null(it);
	assert_string_equal(it->label, "new");
	ml_growth_judge(&g, it, &v);
	assert_int_equal(v.samples, 5);
	assert_true(v.slope == 0);
	assert_int_equal(it->s.first, 2 * MIB);
	assert_int_equal(g.exited, 1);
	assert_int_equal(g.live, 1);
	ml_growth_release(&g);
}

/* Absent slab caches and vmalloc callers hold 0; absent kernel fields are not sampled. */
static void
t_absent(void **state)
{
	struct ml_growth g;
	struct ml_growth_item *slab, *kern;

	(void)state;
	ml_growth_init(&g, NULL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ml_growth_begin(&g, T0 + i * NS), 0);
		slab = ml_growth_item(&g, ML_GROWTH_SLAB, "kmalloc-64", 0, 0, false);
		kern = ml_growth_item(&g, ML_GROWTH_KERNEL, "Percpu", 0, 0, false);
		if (i < 2) {
			ml_growth_observe(&g, slab, MIB);
			ml_growth_observe(&g, kern, MIB);
			ml_growth_observe(&g, kern, 5 * MIB); /* a second observation is ignored */
		}
		ml_growth_end(&g);
	}
	slab = ml_growth_find(&g, ML_GROWTH_SLAB, "kmalloc-64", 0, 0);
	kern = ml_growth_find(&g, ML_GROWTH_KERNEL, "Percpu", 0, 0);
	assert_int_equal(slab->s.all_n, 4);
	assert_int_equal(slab->s.last, 0);
	assert_int_equal(kern->s.all_n, 2);
	assert_int_equal(kern->s.last, MIB);
	/* A duplicate cache name with another ordinal is another item. */
	assert_null(ml_growth_find(&g, ML_GROWTH_SLAB, "kmalloc-64", 1, 0));
	/* Time does not run backwards. */
	errno = 0;
	assert_int_equal(ml_growth_begin(&g, T0), -1);
	assert_int_equal(errno, EINVAL);
	ml_growth_release(&g);
	ml_growth_release(NULL);
}

/* Many items: the table grows, lookups stay right, dropped slots are reused. */
static void
t_many_items(void **state)
{
	struct ml_growth g;
	char name[32];

	(void)state;
	ml_growth_init(&g, NULL);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(ml_growth_begin(&g, T0 + round * NS), 0);
		for (int i = 0; i < 5000; i++) {
			struct ml_growth_item *it;

			snprintf(name, sizeof name, "cache-%d", i);
			it = ml_growth_item(&g, ML_GROWTH_SLAB, name, 0, 0, false);
			assert_non_null(it);
			ml_growth_observe(&g, it, (uint64_t)i);
			/* Processes of round r start at tick r: each round replaces the last. */
			it = ml_growth_item(&g, ML_GROWTH_PROC, NULL, (uint64_t)i, (uint64_t)round,
					    false);
			assert_non_null(it);
			ml_growth_observe(&g, it, (uint64_t)i);
		}
		ml_growth_end(&g);
	}
	assert_int_equal(g.live, 10000);
	assert_int_equal(g.exited, 10000);
	assert_true(g.n <= 15000); /* the slots of exited processes were reused */
	for (int i = 0; i < 5000; i += 97) {
		snprintf(name, sizeof name, "cache-%d", i);
		assert_non_null(ml_growth_find(&g, ML_GROWTH_SLAB, name, 0, 0));
		assert_non_null(ml_growth_find(&g, ML_GROWTH_PROC, NULL, (uint64_t)i, 2));
		assert_null(ml_growth_find(&g, ML_GROWTH_PROC, NULL, (uint64_t)i, 1));
	}
	ml_growth_release(&g);
}

/* Feed one sample of four items: two linear ones nested, one flat, one process. */
static void
feed_four(struct ml_growth *g, int i)
{
	struct ml_growth_item *sun, *k64, *flat, *proc;

	assert_int_equal(ml_growth_begin(g, T0 + (int64_t)i * 60 * NS), 0);
	sun = ml_growth_item(g, ML_GROWTH_KERNEL, "SUnreclaim", 0, 0, false);
	k64 = ml_growth_item(g, ML_GROWTH_SLAB, "kmalloc-64", 0, 0, false);
	sun = ml_growth_find(g, ML_GROWTH_KERNEL, "SUnreclaim", 0, 0);
	flat = ml_growth_item(g, ML_GROWTH_SLAB, "dentry", 0, 0, false);
	proc = ml_growth_item(g, ML_GROWTH_PROC, NULL, 4242, 77, false);
	ml_growth_set_parent(g, k64, sun);
	/* kmalloc-64 grows 1000 B/s; SUnreclaim holds it and grows 1200 B/s. */
	ml_growth_observe(g, k64, (uint64_t)(4 * MIB + 60000.0 * i));
	ml_growth_observe(g, sun, (uint64_t)(40 * MIB + 72000.0 * i));
	ml_growth_observe(g, flat, 8 * MIB);
	/* The process grows 500 B/s. */
	ml_growth_observe(g, proc, (uint64_t)(100 * MIB + 30000.0 * i));
	ml_growth_end(g);
}

static void
t_rank_and_exhaustion(void **state)
{
	struct ml_growth g;
	struct ml_growth_params p = params();
	const struct ml_growth_item *out[8];
	struct ml_growth_mem m = { 0 };
	struct ml_growth_eta e;
	struct ml_growth_verdict v;
	double eta;
	long n;

	(void)state;
	p.min_rate = 100; /* bytes per second */
	ml_growth_init(&g, &p);
	for (int i = 0; i < 10; i++)
		feed_four(&g, i);

	n = ml_growth_rank(&g, ~0u, ML_GROWTH_SORT_RATE, false, out, 8);
	assert_int_equal(n, 4);
	assert_string_equal(out[0]->name, "SUnreclaim");
	assert_string_equal(out[1]->name, "kmalloc-64");
	assert_int_equal(out[2]->kind, ML_GROWTH_PROC);
	assert_string_equal(out[3]->name, "dentry");
	n = ml_growth_rank(&g, 1u << ML_GROWTH_SLAB, ML_GROWTH_SORT_RATE, false, out, 1);
	assert_int_equal(n, 2);
	assert_string_equal(out[0]->name, "kmalloc-64");
	/* By size: the process (100 MiB) first; by name: kind order, then names. */
	n = ml_growth_rank(&g, ~0u, ML_GROWTH_SORT_SIZE, false, out, 8);
	assert_int_equal(out[0]->kind, ML_GROWTH_PROC);
	assert_string_equal(out[1]->name, "SUnreclaim");
	assert_string_equal(out[3]->name, "kmalloc-64");
	n = ml_growth_rank(&g, ~0u, ML_GROWTH_SORT_NAME, false, out, 8);
	assert_int_equal(out[0]->kind, ML_GROWTH_PROC);
	assert_string_equal(out[1]->name, "dentry");
	assert_string_equal(out[2]->name, "kmalloc-64");
	n = ml_growth_rank(&g, ~0u, ML_GROWTH_SORT_NAME, true, out, 8);
	assert_string_equal(out[0]->name, "SUnreclaim");
	assert_int_equal(ml_growth_sort_parse("size"), ML_GROWTH_SORT_SIZE);
	assert_int_equal(ml_growth_sort_parse("slope"), -1);
	assert_int_equal(ml_growth_top_rising(&g, ML_GROWTH_PROC, out, 20), 1);
	assert_int_equal(out[0]->key_a, 4242);
	assert_int_equal(ml_growth_top_rising(&g, ML_GROWTH_SLAB, out, 1), 1);
	assert_string_equal(out[0]->name, "kmalloc-64");

	/* Nothing to divide by without MemAvailable. */
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_int_equal(e.suspects, 3);
	assert_int_equal(e.state, ML_ETA_UNKNOWN);

	/* By hand: rate = max(1200, 1000) + 500 = 1700 B/s; 17 MB / 1700 = 10000 s. */
	m.has_available = true;
	m.available = 17000000;
	m.overcommit = 0;
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_near(e.rate, 1700, 1e-9);
	assert_int_equal(e.state, ML_ETA_KNOWN);
	assert_near(e.eta_s, 10000, 1e-9);
	assert_false(e.commit_strict);
	assert_int_equal(e.commit_state, ML_ETA_NONE);

	/* Each suspect alone: 17 MB / 500 B/s for the process. */
	ml_growth_judge(&g, ml_growth_find(&g, ML_GROWTH_PROC, NULL, 4242, 77), &v);
	assert_true(ml_growth_item_eta(&e, &v, &eta));
	assert_near(eta, 34000, 1e-9);
	ml_growth_judge(&g, ml_growth_find(&g, ML_GROWTH_SLAB, "dentry", 0, 0), &v);
	assert_false(ml_growth_item_eta(&e, &v, &eta));

	/* Strict overcommit: 3.4 MB of commit room left lasts 2000 s. */
	m.overcommit = 2;
	m.has_commit = true;
	m.commit_limit = 10000000;
	m.committed = 6600000;
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_true(e.commit_strict);
	assert_int_equal(e.commit_state, ML_ETA_KNOWN);
	assert_int_equal(e.commit_room, 3400000);
	assert_near(e.commit_eta_s, 2000, 1e-9);
	/* Already over the limit: no time left. */
	m.committed = 12000000;
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_int_equal(e.commit_room, -2000000);
	assert_true(e.commit_eta_s == 0);
	ml_growth_release(&g);
}

/* Nested members whose sum is larger than their part: the sum counts. */
static void
t_exhaustion_members(void **state)
{
	struct ml_growth g;
	struct ml_growth_params p = params();
	struct ml_growth_mem m = { .has_available = true, .available = 1000000, .overcommit = -1 };
	struct ml_growth_eta e;

	(void)state;
	p.min_rate = 1;
	ml_growth_init(&g, &p);
	for (int i = 0; i < 5; i++) {
		struct ml_growth_item *used, *a, *b;

		assert_int_equal(ml_growth_begin(&g, T0 + i * NS), 0);
		used = ml_growth_item(&g, ML_GROWTH_KERNEL, "VmallocUsed", 0, 0, false);
		a = ml_growth_item(&g, ML_GROWTH_VMALLOC, "a", 0, 0, false);
		b = ml_growth_item(&g, ML_GROWTH_VMALLOC, "b", 0, 0, false);
		used = ml_growth_find(&g, ML_GROWTH_KERNEL, "VmallocUsed", 0, 0);
		ml_growth_set_parent(&g, a, used);
		ml_growth_set_parent(&g, b, used);
		/* The part moved less than its members (read at another moment): 60 < 50 + 30. */
		ml_growth_observe(&g, used, 1000 + 60 * (uint64_t)i);
		ml_growth_observe(&g, a, 1000 + 50 * (uint64_t)i);
		ml_growth_observe(&g, b, 1000 + 30 * (uint64_t)i);
		ml_growth_end(&g);
	}
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_int_equal(e.suspects, 3);
	assert_near(e.rate, 80, 1e-9);
	assert_near(e.eta_s, 12500, 1e-9);
	ml_growth_release(&g);

	/*
	 * Two levels: VmallocUsed holds KernelStack (vmalloc'd stacks), which
	 * holds the stack caller; a thread leak grows all three by 40 B/s, and
	 * another caller adds 25 B/s to VmallocUsed (65 B/s in all): 65, not 145.
	 */
	ml_growth_init(&g, &p);
	for (int i = 0; i < 5; i++) {
		struct ml_growth_item *used, *ks, *clone, *other;

		assert_int_equal(ml_growth_begin(&g, T0 + i * NS), 0);
		used = ml_growth_item(&g, ML_GROWTH_KERNEL, "VmallocUsed", 0, 0, false);
		ks = ml_growth_item(&g, ML_GROWTH_KERNEL, "KernelStack", 0, 0, false);
		clone = ml_growth_item(&g, ML_GROWTH_VMALLOC, "kernel_clone", 0, 0, false);
		other = ml_growth_item(&g, ML_GROWTH_VMALLOC, "other", 0, 0, false);
		ml_growth_set_parent(&g, ks, used);
		ml_growth_set_parent(&g, clone, ks);
		ml_growth_set_parent(&g, other, used);
		ml_growth_observe(&g, used, 1000 + 65 * (uint64_t)i);
		ml_growth_observe(&g, ks, 1000 + 40 * (uint64_t)i);
		ml_growth_observe(&g, clone, 1000 + 40 * (uint64_t)i);
		ml_growth_observe(&g, other, 1000 + 25 * (uint64_t)i);
		ml_growth_end(&g);
	}
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_int_equal(e.suspects, 4);
	assert_near(e.rate, 65, 1e-9);
	assert_int_equal(ml_growth_find(&g, ML_GROWTH_KERNEL, "VmallocUsed", 0, 0)->members, 2);
	ml_growth_release(&g);

	/* Nothing grows: no time to exhaustion at all. */
	ml_growth_init(&g, NULL);
	assert_int_equal(ml_growth_begin(&g, T0), 0);
	ml_growth_end(&g);
	assert_int_equal(ml_growth_exhaustion(&g, &m, &e), 0);
	assert_int_equal(e.state, ML_ETA_NONE);
	assert_int_equal(e.suspects, 0);
	ml_growth_release(&g);
}

static void
t_names(void **state)
{
	(void)state;
	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++) {
		const char *s = ml_growth_kind_name(k);

		assert_int_equal(ml_growth_kind_from_name(s, strlen(s)), k);
	}
	assert_int_equal(ml_growth_kind_from_name("procs", 5), ML_GROWTH_PROC);
	assert_int_equal(ml_growth_kind_from_name("slabs", 5), -1);
	for (int s = 0; s < ML_SHAPE__COUNT; s++) {
		assert_string_not_equal(ml_growth_shape_name(s), "?");
		assert_string_not_equal(ml_growth_shape_label(s), "?");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fit_by_hand),
		cmocka_unit_test(t_flat),
		cmocka_unit_test(t_linear),
		cmocka_unit_test(t_linear_staircase),
		cmocka_unit_test(t_noisy_linear),
		cmocka_unit_test(t_sawtooth),
		cmocka_unit_test(t_step),
		cmocka_unit_test(t_reset),
		cmocka_unit_test(t_one_and_two_samples),
		cmocka_unit_test(t_near_2_64),
		cmocka_unit_test(t_signed),
		cmocka_unit_test(t_reused_pid),
		cmocka_unit_test(t_absent),
		cmocka_unit_test(t_many_items),
		cmocka_unit_test(t_rank_and_exhaustion),
		cmocka_unit_test(t_exhaustion_members),
		cmocka_unit_test(t_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
