/*
 * The compaction rule (model/rules/rule-compaction.c): the failure share
 * since boot, and compaction stalls a second over a window.
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
	assert_int_equal(rtree_count(&e, "compaction"), 0);
	assert_false(rtree_not_judged(&e, "compaction", NULL));
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
	rtree_open(&t, "compaction");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "compaction"), 1);
	f = rtree_finding(&e, "compaction", 0);
	assert_int_equal(f->severity, ML_SEV_NOTE);
	assert_true(rtree_ev_value(f, "compact_stall") == 5000);
	assert_true(rtree_ev_value(f, "compact_fail") == 4000);
	assert_true(rtree_ev_value(f, "compact_success") == 500);
	assert_true(rtree_ev_value(f, "failure share") == 100.0 * 4000 / 4500);
	assert_string_equal(rtree_ev(f, "compact_fail")->file, "vmstat");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

static void
test_edges(void **state)
{
	static const struct {
		uint64_t stall, cfail, ok;
		int count;
	} cases[] = {
		{ 100, 50, 50, 1 },
		{ 100, 49, 51, 0 },
		{ 99, 99, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "vmstat", "compact_stall", cases[i].stall);
		rtree_set(&t, "vmstat", "compact_fail", cases[i].cfail);
		rtree_set(&t, "vmstat", "compact_success", cases[i].ok);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "compaction"), cases[i].count);
		rtree_close(&t);
	}
}

/* Over 10 s: 10 stalls are one a second (a warning), 9 are not. */
static void
test_window(void **state)
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
		rtree_set(&t, "vmstat", "compact_stall", 40 + cases[i].more);
		rtree_set(&t, "vmstat", "compact_fail", 10 + 3);
		rtree_set(&t, "vmstat", "compact_success", 30 + 1);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 10);
		assert_int_equal(rtree_count(&e, "compaction"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "compaction", 0);
		assert_int_equal(f->severity, ML_SEV_WARNING);
		assert_true(rtree_ev_value(f, "compact_stall per second") == 1.0);
		assert_true(rtree_ev_value(f, "window failures") == 75.0);
		rtree_text(f, f->headline);
		rtree_close(&t);
	}
}

static void
test_not_judged(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const char *why = NULL;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_write(&t, "vmstat", "nr_free_pages 100\noom_kill 0\n");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "compaction", &why));
	assert_non_null(strstr(why, "CONFIG_COMPACTION"));
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),    cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_edges),      cmocka_unit_test(test_window),
		cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
