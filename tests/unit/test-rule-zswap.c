/*
 * The zswap rule (model/rules/rule-zswap.c): the pool's compression ratio
 * and share of MemTotal, and writeback over a window.
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
	assert_int_equal(rtree_count(&e, "zswap"), 0);
	assert_false(rtree_not_judged(&e, "zswap", NULL));
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
	rtree_open(&t, "zswap");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "zswap"), 1);
	f = rtree_finding(&e, "zswap", 0);
	assert_int_equal(f->severity, ML_SEV_NOTE);
	assert_true(rtree_ev_value(f, "Zswap") == 1048576.0 * 1024);
	assert_true(rtree_ev_value(f, "Zswapped") == 1258496.0 * 1024);
	assert_true(rtree_ev_value(f, "compression ratio") == 1258496.0 / 1048576);
	assert_int_equal(rtree_ev(f, "compression ratio")->unit, ML_EV_RATIO);
	assert_non_null(strstr(rtree_text(f, f->headline), "saves little"));
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

/* A pool of 100000 kB: 150000 held is 1.5 to 1 (fine), 149999 is not; 64 MiB at least. */
static void
test_edges(void **state)
{
	static const struct {
		uint64_t pool, held;
		int count;
	} cases[] = {
		{ 100000, 150000, 0 }, { 100000, 149999, 1 }, { 65536, 65536, 1 },
		{ 65535, 65535, 0 },   { 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "Zswap", cases[i].pool);
		rtree_set(&t, "meminfo", "Zswapped", cases[i].held);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "zswap"), cases[i].count);
		rtree_close(&t);
	}
}

/* A pool of a fifth of MemTotal compressing well is a note too. */
static void
test_pool_share(void **state)
{
	static const struct {
		uint64_t pool;
		int count;
	} cases[] = { { 200000, 1 }, { 199999, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemTotal", 1000000);
		rtree_set(&t, "meminfo", "Zswap", cases[i].pool);
		rtree_set(&t, "meminfo", "Zswapped", cases[i].pool * 3);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "zswap"), cases[i].count);
		if (cases[i].count > 0)
			assert_true(rtree_ev_value(rtree_finding(&e, "zswap", 0), "pool share") ==
				    20.0);
		rtree_close(&t);
	}
}

/* Over 10 s: 1000 pages written back (100 a second) is a note, 999 is not. */
static void
test_writeback(void **state)
{
	static const struct {
		uint64_t wb;
		int count;
	} cases[] = { { 1000, 1 }, { 999, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_write(&t, "vmstat", "nr_free_pages 1\nzswpwb 5\n");
		rtree_read(&t, &before);
		rtree_set(&t, "vmstat", "zswpwb", 5 + cases[i].wb);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 10);
		assert_int_equal(rtree_count(&e, "zswap"), cases[i].count);
		if (cases[i].count > 0) {
			const struct ml_finding *f = rtree_finding(&e, "zswap", 0);

			assert_true(rtree_ev_value(f, "zswpwb per second") == 100.0);
			assert_true(rtree_ev_value(f, "zswpwb") == 1005);
			rtree_text(f, f->headline);
		}
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
	rtree_write(&t, "meminfo",
		    "MemTotal: 1000000 kB\nMemFree: 900000 kB\n"
		    "MemAvailable: 900000 kB\n");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "zswap", &why));
	assert_non_null(strstr(why, "5.19"));
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),   cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_edges),     cmocka_unit_test(test_pool_share),
		cmocka_unit_test(test_writeback), cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
