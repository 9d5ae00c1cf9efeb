/*
 * The commit rule (model/rules/rule-commit.c): Committed_AS against
 * CommitLimit, only under strict overcommit.
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
	assert_int_equal(rtree_count(&e, "commit"), 0);
	assert_false(rtree_not_judged(&e, "commit", NULL));
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
	rtree_open(&t, "commit");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "commit"), 1);
	f = rtree_finding(&e, "commit", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_true(rtree_ev_value(f, "Committed_AS") ==
		    (double)rtree_meminfo(&now, ML_MI_COMMITTED_AS));
	assert_true(rtree_ev_value(f, "CommitLimit") ==
		    (double)rtree_meminfo(&now, ML_MI_COMMIT_LIMIT));
	assert_true(rtree_ev_value(f, "commit share") == 95.0);
	assert_true(rtree_ev_value(f, "vm.overcommit_memory") == 2);
	assert_string_equal(rtree_ev(f, "vm.overcommit_memory")->file, "sys/vm/overcommit_memory");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

static void
test_edges(void **state)
{
	static const struct {
		const char *overcommit;
		uint64_t committed;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ "2\n", 899999, 0, 0 },
		{ "2\n", 900000, 1, ML_SEV_WARNING },
		{ "2\n", 979999, 1, ML_SEV_WARNING },
		{ "2\n", 980000, 1, ML_SEV_CRITICAL },
		{ "0\n", 990000, 0, 0 },
		{ "1\n", 1500000, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "commit");
		rtree_write(&t, "sys/vm/overcommit_memory", cases[i].overcommit);
		rtree_set(&t, "meminfo", "CommitLimit", 1000000);
		rtree_set(&t, "meminfo", "Committed_AS", cases[i].committed);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "commit"), cases[i].count);
		if (cases[i].count > 0)
			assert_int_equal(rtree_finding(&e, "commit", 0)->severity, cases[i].sev);
		assert_false(rtree_not_judged(&e, "commit", NULL));
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
	rtree_open(&t, "commit");
	rtree_remove(&t, "sys/vm/overcommit_memory");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "commit", &why));
	assert_non_null(strstr(why, "overcommit_memory"));
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
