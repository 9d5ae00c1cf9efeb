/*
 * The oom rule (model/rules/rule-oom.c): OOM kills since boot (a note) and
 * in a window (critical).
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
	assert_int_equal(rtree_count(&e, "oom"), 0);
	assert_false(rtree_not_judged(&e, "oom", NULL));
	rtree_close(&t);
}

static void
test_since_boot(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "oom");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "oom"), 1);
	f = rtree_finding(&e, "oom", 0);
	assert_int_equal(f->severity, ML_SEV_NOTE);
	assert_true(rtree_ev_value(f, "oom_kill") == 3);
	assert_string_equal(rtree_ev(f, "oom_kill")->file, "vmstat");
	assert_string_equal(rtree_ev(f, "oom_kill")->command, "summary");
	assert_string_equal(rtree_ev(f, "oom_kill")->jq, ".reclaim.oom_kill");
	assert_string_equal(rtree_text(f, f->headline), "3 OOM kills since boot");
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

/* In a window: no kill is nothing (not even the old ones), one is critical. */
static void
test_window(void **state)
{
	static const struct {
		const char *kills;
		uint64_t after;
		int count;
	} cases[] = {
		{ NULL, 3, 0 }, { NULL, 4, 1 }, { "oom.kills=2", 4, 0 }, { "oom.kills=2", 5, 1 }
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;
		const struct ml_finding *f;

		rtree_open(&t, "oom");
		if (cases[i].kills != NULL)
			rtree_threshold(&t, cases[i].kills);
		rtree_read(&t, &before);
		rtree_set(&t, "vmstat", "oom_kill", cases[i].after);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 30);
		assert_int_equal(rtree_count(&e, "oom"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "oom", 0);
		assert_int_equal(f->severity, ML_SEV_CRITICAL);
		assert_true(rtree_ev_value(f, "OOM kills") == (double)(cases[i].after - 3));
		assert_true(rtree_ev_value(f, "oom_kill") == (double)cases[i].after);
		assert_true(rtree_ev_value(f, "window") == 30);
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
	rtree_open(&t, "oom");
	rtree_write(&t, "vmstat", "nr_free_pages 100\npgfault 5\n");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "oom", &why));
	assert_non_null(strstr(why, "4.13"));
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_since_boot),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
