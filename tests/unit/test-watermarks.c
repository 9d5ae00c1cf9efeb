/*
 * The watermark model: states at each boundary, headroom in pages and
 * bytes, the worst zone for the summary, and the gauge geometry, with
 * values computed by hand.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/watermarks.h"
#include "unit.h"

/* A zone record with the given fields (-1 = not printed). */
static void
mkzone(struct ml_zi_zone *z, int64_t free, int64_t min, int64_t low, int64_t high, int64_t managed,
       int unreclaimable)
{
	const int64_t v[] = { free, min, low, high, managed };
	const enum ml_zi_field f[] = { ML_ZI_FREE, ML_ZI_MIN, ML_ZI_LOW, ML_ZI_HIGH,
				       ML_ZI_MANAGED };
	size_t i;

	memset(z, 0, sizeof *z);
	strcpy(z->name, "Normal");
	z->populated = true;
	for (i = 0; i < ML_ARRAY_SIZE(v); i++) {
		if (v[i] >= 0) {
			z->val[f[i]] = (uint64_t)v[i];
			ml_bit_set(z->present, f[i]);
		}
	}
	if (unreclaimable >= 0) {
		z->val[ML_ZI_NODE_UNRECLAIMABLE] = (uint64_t)unreclaimable;
		ml_bit_set(z->present, ML_ZI_NODE_UNRECLAIMABLE);
	}
}

static enum ml_wm_state
state_of(int64_t free, int64_t min, int64_t low, int64_t high)
{
	struct ml_zi_zone zi;
	struct ml_wm_zone z;

	mkzone(&zi, free, min, low, high, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	return z.state;
}

/* __zone_watermark_ok() fails when free <= mark: each boundary is "below". */
static void
t_boundaries(void **state)
{
	(void)state;
	assert_int_equal(state_of(31, 10, 20, 30), ML_WM_OK);
	assert_int_equal(state_of(30, 10, 20, 30), ML_WM_BELOW_HIGH);
	assert_int_equal(state_of(21, 10, 20, 30), ML_WM_BELOW_HIGH);
	assert_int_equal(state_of(20, 10, 20, 30), ML_WM_BELOW_LOW);
	assert_int_equal(state_of(11, 10, 20, 30), ML_WM_BELOW_LOW);
	assert_int_equal(state_of(10, 10, 20, 30), ML_WM_BELOW_MIN);
	assert_int_equal(state_of(0, 10, 20, 30), ML_WM_BELOW_MIN);
	assert_int_equal(state_of(0, 0, 0, 0), ML_WM_BELOW_MIN);
}

static void
t_other_states(void **state)
{
	struct ml_zi_zone zi;
	struct ml_wm_zone z;

	(void)state;
	/* The node flag wins over free: kswapd has given up. */
	mkzone(&zi, 5000, 10, 20, 30, 1000, 1);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_int_equal(z.state, ML_WM_UNRECLAIMABLE);
	assert_string_equal(z.unreclaimable_key, "node_unreclaimable");
	assert_true(z.unreclaimable);

	/* 3.10's per-zone flag. */
	mkzone(&zi, 5, 10, 20, 30, 1000, -1);
	zi.val[ML_ZI_ALL_UNRECLAIMABLE] = 1;
	ml_bit_set(zi.present, ML_ZI_ALL_UNRECLAIMABLE);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_int_equal(z.state, ML_WM_UNRECLAIMABLE);
	assert_string_equal(z.unreclaimable_key, "all_unreclaimable");

	/* No managed pages: the marks mean nothing (an empty Movable zone). */
	mkzone(&zi, 0, 32, 32, 32, 0, 0);
	zi.populated = false;
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_int_equal(z.state, ML_WM_EMPTY);

	/* A mark not printed: unknown, never a guess. */
	mkzone(&zi, 100, 10, -1, 30, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_int_equal(z.state, ML_WM_UNKNOWN);
	assert_false(z.headroom_known);
	assert_false(z.bytes_known);
	assert_false(z.low.known);

	/* Without a flag line the zone is judged by free alone. */
	mkzone(&zi, 100, 10, 20, 30, 1000, -1);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_int_equal(z.state, ML_WM_OK);
	assert_null(z.unreclaimable_key);

	assert_string_equal(ml_wm_state_word(ML_WM_BELOW_LOW), "below low");
	assert_string_equal(ml_wm_state_name(ML_WM_BELOW_LOW), "below_low");
	assert_string_equal(ml_wm_state_name(ML_WM_UNRECLAIMABLE), "unreclaimable");
	assert_true(ml_wm_state_severity(ML_WM_UNRECLAIMABLE) >
		    ml_wm_state_severity(ML_WM_BELOW_MIN));
}

/* The 4.19 fixture's Normal zone: free 2223, min 1794, low 3081, high 4368. */
static void
t_headroom(void **state)
{
	struct ml_zi_zone zi;
	struct ml_wm_zone z;

	(void)state;
	mkzone(&zi, 2223, 1794, 3081, 4368, 1287562, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_int_equal(z.state, ML_WM_BELOW_LOW);
	assert_true(z.headroom_known);
	assert_int_equal(z.to_min_pages, 429);
	assert_int_equal(z.to_low_pages, -858);
	assert_int_equal(z.to_high_pages, -2145);
	assert_true(z.bytes_known);
	assert_int_equal(z.to_min_bytes, 1757184);
	assert_int_equal(z.to_low_bytes, -3514368);
	assert_int_equal(z.to_high_bytes, -8785920);
	assert_false(z.to_promo_known);

	/* 64 KiB pages (arm64, ppc64). */
	ml_wm_zone_compute(&z, &zi, 65536);
	assert_int_equal(z.to_low_bytes, -858 * 65536);

	/* Page size unknown: pages only. */
	ml_wm_zone_compute(&z, &zi, 0);
	assert_true(z.headroom_known);
	assert_false(z.bytes_known);
	assert_int_equal(z.to_low_pages, -858);

	/* Values too large for a signed headroom are unknown, not wrapped. */
	mkzone(&zi, -1, 10, 20, 30, 1000, 0);
	zi.val[ML_ZI_FREE] = UINT64_MAX;
	ml_bit_set(zi.present, ML_ZI_FREE);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_false(z.headroom_known);
	assert_int_equal(z.state, ML_WM_UNKNOWN);

	/* Bytes that overflow: pages stay known. */
	mkzone(&zi, INT64_MAX / 2, 10, 20, 30, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_true(z.headroom_known);
	assert_false(z.bytes_known);
	assert_int_equal(z.state, ML_WM_OK);
}

static void
t_protection_and_promo(void **state)
{
	struct ml_zi_zone zi;
	struct ml_wm_zone z;
	int64_t prot[] = { 0, 3019, 9803, 9803, 9803 };

	(void)state;
	mkzone(&zi, 3840, 25, 31, 37, 3840, 0);
	zi.val[ML_ZI_PROMO] = 43;
	ml_bit_set(zi.present, ML_ZI_PROMO);
	zi.val[ML_ZI_BOOST] = 0;
	ml_bit_set(zi.present, ML_ZI_BOOST);
	zi.has_protection = true;
	zi.protection = prot;
	zi.nprotection = 5;
	ml_wm_zone_compute(&z, &zi, 4096);
	assert_true(z.protection_known);
	assert_int_equal(z.protection_max_pages, 9803);
	assert_true(z.to_promo_known);
	assert_int_equal(z.to_promo_pages, 3797);
	assert_true(z.boost.known);
	assert_int_equal(z.boost.pages, 0);
	assert_false(z.cma.known);
}

/* Build a zoneinfo of n zones for the whole-file functions. */
static void
mkinfo(struct ml_zoneinfo *zi, struct ml_zi_zone *zones, uint32_t n)
{
	memset(zi, 0, sizeof *zi);
	zi->zones = zones;
	zi->nzones = n;
}

static void
t_health(void **state)
{
	struct ml_zi_zone zones[4];
	struct ml_zoneinfo zi;
	struct ml_watermarks w;
	struct ml_wm_health h;

	(void)state;
	mkzone(&zones[0], 3840, 25, 31, 37, 3840, 0);        /* ok, to_low 3809 */
	mkzone(&zones[1], 2000, 1000, 1500, 1800, 5000, 0);  /* ok, to_low 500 */
	mkzone(&zones[2], 0, 32, 32, 32, 0, 0);              /* empty */
	mkzone(&zones[3], 50000, 1000, 1500, 1800, 9000, 0); /* ok */
	strcpy(zones[1].name, "DMA32");
	zones[3].node = 1;
	mkinfo(&zi, zones, 4);
	ml_watermarks_init(&w);
	assert_int_equal(ml_watermarks_compute(&w, &zi, 4096, NULL), 0);
	assert_int_equal(w.nzones, 4);
	assert_int_equal(w.count[ML_WM_OK], 3);
	assert_int_equal(w.count[ML_WM_EMPTY], 1);
	ml_watermarks_health(&w, &h);
	assert_true(h.known);
	assert_int_equal(h.judged, 3);
	assert_int_equal(h.state, ML_WM_OK);
	/* All ok: the least headroom to low names the zone. */
	assert_int_equal(h.worst, 1);
	assert_string_equal(h.zone, "DMA32");
	assert_int_equal(h.to_low_pages, 500);
	assert_int_equal(h.to_low_bytes, 500 * 4096);
	assert_true(h.to_low_bytes_known);

	/* A worse state beats more headroom. */
	mkzone(&zones[3], 1400, 1000, 1500, 1800, 9000, 0); /* below low, to_low -100 */
	mkzone(&zones[0], 20, 25, 31, 37, 3840, 0);         /* below min, to_low -11 */
	ml_watermarks_compute(&w, &zi, 4096, NULL);
	ml_watermarks_health(&w, &h);
	assert_int_equal(h.state, ML_WM_BELOW_MIN);
	assert_int_equal(h.worst, 0);
	assert_int_equal(h.to_min_pages, -5);
	assert_int_equal(h.count[ML_WM_BELOW_LOW], 1);
	assert_int_equal(h.count[ML_WM_BELOW_MIN], 1);

	/* The array is reused: no allocation when the zone count does not grow. */
	{
		const void *before = w.zones;

		ml_watermarks_compute(&w, &zi, 4096, NULL);
		assert_ptr_equal(before, w.zones);
	}

	/* Nothing to judge. */
	mkinfo(&zi, zones + 2, 1);
	ml_watermarks_compute(&w, &zi, 0, NULL);
	ml_watermarks_health(&w, &h);
	assert_false(h.known);
	assert_int_equal(h.worst, -1);
	ml_watermarks_release(&w);
}

/* min 100, low 125, high 150, no promo: scale 300 pages over 20 cells. */
static void
t_gauge(void **state)
{
	struct ml_zi_zone zi;
	struct ml_wm_zone z;
	struct ml_wm_gauge g;

	(void)state;
	mkzone(&zi, 130, 100, 125, 150, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_true(g.known);
	assert_int_equal(g.scale_pages, 300);
	assert_int_equal(g.min, 6); /* 6.67 */
	assert_int_equal(g.low, 8); /* 8.33 */
	assert_int_equal(g.high, 10);
	assert_int_equal(g.promo, -1);
	/* 8.67 rounds to 9, but free is above low: a filled cell follows 'l'. */
	assert_int_equal(g.fill, 10);
	assert_false(g.clipped);

	/* free just above min: one filled cell after 'm', none reaching 'l'. */
	mkzone(&zi, 101, 100, 125, 150, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_int_equal(g.fill, 8);

	/* free between high and twice high: rounded, past 'h'. */
	mkzone(&zi, 240, 100, 125, 150, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_int_equal(g.fill, 16);

	/* free at low exactly: the fill stops at the mark. */
	mkzone(&zi, 125, 100, 125, 150, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_int_equal(g.fill, 8);

	/* Far above: clipped and full. */
	mkzone(&zi, 301, 100, 125, 150, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_true(g.clipped);
	assert_int_equal(g.fill, 20);

	/* Marks close together never share a cell. */
	mkzone(&zi, 0, 10, 11, 12, 1000, 0);
	zi.val[ML_ZI_PROMO] = 12;
	ml_bit_set(zi.present, ML_ZI_PROMO);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 8, &g);
	assert_int_equal(g.scale_pages, 24);
	assert_int_equal(g.min, 3);
	assert_int_equal(g.low, 4);
	assert_int_equal(g.high, 5);
	assert_int_equal(g.promo, 6);
	assert_int_equal(g.fill, 0);

	/*
	 * Marks out of order (a damaged file; found by fuzz-zoneinfo): min above
	 * twice high was drawn past the right edge. Every mark stays inside,
	 * one cell apart, in order.
	 */
	mkzone(&zi, 50, 1000, 125, 150, 1000, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_true(g.known);
	assert_int_equal(g.high, 19);
	assert_int_equal(g.low, 18);
	assert_int_equal(g.min, 17);
	assert_true(g.fill >= 0 && g.fill <= 20);
	mkzone(&zi, 0, 1000, 900, 10, 1000, 0);
	zi.val[ML_ZI_PROMO] = 5;
	ml_bit_set(zi.present, ML_ZI_PROMO);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 8, &g);
	assert_true(g.known);
	assert_int_equal(g.promo, 7);
	assert_int_equal(g.high, 6);
	assert_int_equal(g.low, 5);
	assert_int_equal(g.min, 4);

	/* Too narrow, or nothing to scale. */
	ml_wm_gauge_layout(&z, 7, &g);
	assert_false(g.known);
	mkzone(&zi, 0, 0, 0, 0, 0, 0);
	ml_wm_zone_compute(&z, &zi, 4096);
	ml_wm_gauge_layout(&z, 20, &g);
	assert_false(g.known);
}

/* The fixtures' zones land in the states they were written for. */
static void
t_fixture_states(void **state)
{
	static const struct {
		const char *file;
		const char *want; /* one state name per zone, in order */
	} cases[] = {
		{ "linux-6.18/zoneinfo", "ok ok ok empty empty" },
		{ "zones-3.10/zoneinfo", "ok below_high unreclaimable" },
		{ "zones-4.19/zoneinfo", "ok ok below_low empty empty" },
		{ "zones-6.12/zoneinfo", "ok below_high below_min empty empty" },
		{ "zones-post-6.18/zoneinfo",
		  "unreclaimable unreclaimable unreclaimable empty empty" },
		{ "two-node/zoneinfo", "ok ok ok empty empty empty empty below_high empty empty" },
	};
	size_t i, len;
	uint32_t j;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct ml_zoneinfo zi;
		struct ml_watermarks w;
		struct ml_feed f;
		char *buf = unit_load_fixture(cases[i].file, &len), got[256] = "";

		ml_zoneinfo_init(&zi);
		ml_watermarks_init(&w);
		unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, 0);
		assert_int_equal(ml_watermarks_compute(&w, &zi, 4096, NULL), 0);
		for (j = 0; j < w.nzones; j++) {
			if (j > 0)
				strcat(got, " ");
			strcat(got, ml_wm_state_name(w.zones[j].state));
		}
		assert_string_equal(got, cases[i].want);
		ml_watermarks_release(&w);
		ml_zoneinfo_release(&zi);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_boundaries),     cmocka_unit_test(t_other_states),
		cmocka_unit_test(t_headroom),       cmocka_unit_test(t_protection_and_promo),
		cmocka_unit_test(t_health),         cmocka_unit_test(t_gauge),
		cmocka_unit_test(t_fixture_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
