/*
 * The swap rule (model/rules/rule-swap.c): swap space left, and swapping in
 * and out at once over a window.
 */
#include "config.h"

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
	assert_int_equal(rtree_count(&e, "swap"), 0);
	assert_false(rtree_not_judged(&e, "swap", NULL));
	rtree_close(&t);
}

static void
test_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "swap-full");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "swap"), 1);
	f = rtree_finding(&e, "swap", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_true(rtree_ev_value(f, "SwapFree") == 200.0 * 1048576);
	assert_true(rtree_ev_value(f, "SwapTotal") == 4096.0 * 1048576);
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

static void
test_free_edges(void **state)
{
	static const struct {
		uint64_t free;
		int count;
	} cases[] = { { 100000, 0 }, { 99999, 1 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "swap-full");
		rtree_set(&t, "meminfo", "SwapTotal", 1000000);
		rtree_set(&t, "meminfo", "SwapFree", cases[i].free);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "swap"), cases[i].count);
		rtree_close(&t);
	}
}

/* Over 10 s: 1000 pages in and out are 100 a second each (a warning). */
static void
test_thrash(void **state)
{
	static const struct {
		uint64_t in, out;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 1000, 1000, 1, ML_SEV_WARNING },
		{ 999, 1000, 0, 0 },
		{ 1000, 999, 0, 0 },
		{ 50000, 0, 0, 0 },
		{ 20000, 20000, 1, ML_SEV_CRITICAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;
		const struct ml_finding *f;

		rtree_open(&t, "healthy");
		rtree_read(&t, &before);
		rtree_set(&t, "vmstat", "pswpin", cases[i].in);
		rtree_set(&t, "vmstat", "pswpout", cases[i].out);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 10);
		assert_int_equal(rtree_count(&e, "swap"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "swap", 0);
		assert_int_equal(f->severity, cases[i].sev);
		assert_true(rtree_ev_value(f, "pswpin per second") == cases[i].in / 10.0);
		assert_true(rtree_ev_value(f, "pswpout per second") == cases[i].out / 10.0);
		assert_true(rtree_ev_value(f, "pswpin") == (double)cases[i].in);
		assert_string_equal(rtree_ev(f, "pswpin")->jq, ".reclaim.pswpin");
		rtree_text(f, f->headline);
		rtree_text(f, f->formula);
		rtree_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_free_edges),
		cmocka_unit_test(test_thrash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
