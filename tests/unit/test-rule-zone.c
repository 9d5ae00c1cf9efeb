/*
 * The zone rule (model/rules/rule-zone.c): each zone against its low and
 * min watermarks, and direct-reclaim stalls a second over a window.
 */
#include "config.h"

#include <string.h>

#include "unit.h"

#include "rtree.h"

static void
test_healthy(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "zone"), 0);
	assert_false(rtree_not_judged(&e, "zone", NULL));
	rtree_close(&t);
}

/* Normal below min (critical, first), DMA32 below low (warning), with their marks. */
static void
test_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "zones");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "zone"), 2);
	f = rtree_finding(&e, "zone", 0);
	assert_int_equal(f->severity, ML_SEV_CRITICAL);
	assert_string_equal(f->subject, "Node 0 Normal");
	assert_true(rtree_ev_value(f, "free pages") == 14000);
	assert_true(rtree_ev_value(f, "min") == 14900);
	assert_true(rtree_ev_value(f, "low") == 18600);
	assert_int_equal(rtree_ev(f, "free pages")->page_size, 4096);
	assert_string_equal(rtree_ev(f, "state")->text, "below_min");
	assert_string_equal(rtree_ev(f, "free pages")->command, "zones");
	assert_string_equal(rtree_ev(f, "free pages")->jq,
			    ".zones[] | select(.node == 0 and .zone == \"Normal\") | .free_pages");
	assert_string_equal(rtree_text(f, f->formula), "free pages <= min (14900)");
	rtree_text(f, f->headline);
	rtree_text(f, f->next);
	f = rtree_finding(&e, "zone", 1);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_string_equal(f->subject, "Node 0 DMA32");
	assert_true(rtree_ev_value(f, "free pages") == 2500);
	assert_true(rtree_ev_value(f, "low") == 2544);
	rtree_close(&t);
}

/* The kernel's test is free <= mark: one page above is fine. */
static void
test_edges(void **state)
{
	static const struct {
		uint64_t free;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 18601, 0, 0 },
		{ 18600, 1, ML_SEV_WARNING },
		{ 14901, 1, ML_SEV_WARNING },
		{ 14900, 1, ML_SEV_CRITICAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_zone_set(&t, "Normal", "pages free", cases[i].free);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "zone"), cases[i].count);
		if (cases[i].count > 0) {
			assert_int_equal(rtree_finding(&e, "zone", 0)->severity, cases[i].sev);
			assert_true(rtree_ev_value(rtree_finding(&e, "zone", 0), "free pages") ==
				    (double)cases[i].free);
		}
		rtree_close(&t);
	}
}

/* An unreclaimable node is critical whatever its free pages. */
static void
test_unreclaimable(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_zone_set(&t, "Normal", "node_unreclaimable", 1);
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "zone"), 1);
	assert_int_equal(rtree_finding(&e, "zone", 0)->severity, ML_SEV_CRITICAL);
	assert_string_equal(rtree_ev(rtree_finding(&e, "zone", 0), "state")->text, "unreclaimable");
	rtree_close(&t);
}

/* Over 10 s: 10 stalls are 1 a second (a warning), 9 are not. */
static void
test_stalls(void **state)
{
	static const struct {
		uint64_t more;
		int count;
	} cases[] = { { 9, 0 }, { 10, 1 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;
		const struct ml_finding *f;

		rtree_open(&t, "healthy");
		rtree_read(&t, &before);
		rtree_set(&t, "vmstat", "allocstall_normal", 12 + cases[i].more);
		rtree_set(&t, "vmstat", "pgscan_direct", 3000 + 500);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 10);
		assert_int_equal(rtree_count(&e, "zone"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "zone", 0);
		assert_int_equal(f->severity, ML_SEV_WARNING);
		assert_true(rtree_ev_value(f, "allocstall per second") == 1.0);
		assert_true(rtree_ev_value(f, "pgscan_direct per second") == 50.0);
		assert_true(rtree_ev_value(f, "stalls") == 10);
		assert_true(rtree_ev_value(f, "allocstall") == 12 + 30 + 10);
		assert_string_equal(rtree_ev(f, "allocstall")->jq, ".reclaim.allocstall");
		rtree_text(f, f->headline);
		rtree_text(f, f->formula);
		rtree_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy), cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_edges),   cmocka_unit_test(test_unreclaimable),
		cmocka_unit_test(test_stalls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
