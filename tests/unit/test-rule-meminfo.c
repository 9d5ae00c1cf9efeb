/*
 * The two rules that read the accounting of MemTotal: hidden-cache
 * (model/rules/rule-hidden-cache.c: Shmem inside Cached) and unaccounted
 * (rule-unaccounted.c: what no meminfo counter names).
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
	assert_int_equal(rtree_count(&e, "hidden-cache"), 0);
	assert_int_equal(rtree_count(&e, "unaccounted"), 0);
	assert_false(rtree_not_judged(&e, "hidden-cache", NULL));
	assert_false(rtree_not_judged(&e, "unaccounted", NULL));
	rtree_close(&t);
}

/* ---- hidden-cache */

static void
test_hidden_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "hidden-cache");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "hidden-cache"), 1);
	f = rtree_finding(&e, "hidden-cache", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_true(rtree_ev_value(f, "Shmem") == 4608.0 * 1048576);
	assert_true(rtree_ev_value(f, "Cached") == (double)rtree_meminfo(&now, ML_MI_CACHED));
	assert_true(rtree_ev_value(f, "Shmem share") ==
		    100.0 * 4608 * 1048576 / (double)rtree_meminfo(&now, ML_MI_MEM_TOTAL));
	/* No swap: it cannot leave RAM at all, and the headline says so. */
	assert_true(rtree_ev_value(f, "SwapTotal") == 0);
	assert_non_null(strstr(rtree_text(f, f->headline), "without swap"));
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

static void
test_hidden_edges(void **state)
{
	static const struct {
		uint64_t shmem;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 99999, 0, 0 },
		{ 100000, 1, ML_SEV_NOTE },
		{ 249999, 1, ML_SEV_NOTE },
		{ 250000, 1, ML_SEV_WARNING },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemTotal", 1000000);
		rtree_set(&t, "meminfo", "Shmem", cases[i].shmem);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "hidden-cache"), cases[i].count);
		if (cases[i].count > 0)
			assert_int_equal(rtree_finding(&e, "hidden-cache", 0)->severity,
					 cases[i].sev);
		rtree_close(&t);
	}
}

/* ---- unaccounted */

static void
test_unaccounted_fixture(void **state)
{
	const struct ml_accounting *acct;
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "unaccounted");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "unaccounted"), 1);
	f = rtree_finding(&e, "unaccounted", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	/* The generator made the remainder 3500 MiB; the accounting finds exactly that. */
	assert_true(rtree_ev_value(f, "unaccounted") == 3500.0 * 1048576);
	acct = ml_snapshot_accounting(&now);
	assert_non_null(acct);
	if (acct != NULL)
		assert_true(rtree_ev_value(f, "unaccounted") == (double)acct->unaccounted);
	assert_string_equal(rtree_ev(f, "unaccounted")->command, "summary");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

/*
 * The healthy tree's remainder is 96 MiB (98304 kB): MemTotal 163840 kB
 * larger makes it 256 MiB exactly (judged, with note_pct 1), one kB less
 * is below min_mib.
 */
static void
test_unaccounted_edges(void **state)
{
	static const struct {
		uint64_t more_kb;
		const char *set;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 163840, "unaccounted.note_pct=1", 1, ML_SEV_NOTE },
		{ 163839, "unaccounted.note_pct=1", 0, 0 },
		{ 163840, "unaccounted.warn_pct=1", 1, ML_SEV_WARNING },
		{ 163840, NULL, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		if (cases[i].set != NULL)
			rtree_threshold(&t, cases[i].set);
		if (cases[i].set != NULL && strstr(cases[i].set, "warn_pct") != NULL)
			rtree_threshold(&t, "unaccounted.note_pct=1");
		rtree_set(&t, "meminfo", "MemTotal", 16710496 + cases[i].more_kb);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "unaccounted"), cases[i].count);
		if (cases[i].count > 0) {
			const struct ml_finding *f = rtree_finding(&e, "unaccounted", 0);

			assert_int_equal(f->severity, cases[i].sev);
			assert_true(rtree_ev_value(f, "unaccounted") == 256.0 * 1048576);
		}
		rtree_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_hidden_fixture),
		cmocka_unit_test(test_hidden_edges),
		cmocka_unit_test(test_unaccounted_fixture),
		cmocka_unit_test(test_unaccounted_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
