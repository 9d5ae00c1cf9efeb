/*
 * The available rule (model/rules/rule-available.c): MemAvailable against
 * MemTotal, and its fall over a window.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "unit.h"

#include "rtree.h"

/* The healthy tree: judged, nothing found. */
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
	assert_int_equal(rtree_count(&e, "available"), 0);
	assert_false(rtree_not_judged(&e, "available", NULL));
	rtree_close(&t);
}

/* The fixture that makes it fire: a warning with the values of its meminfo. */
static void
test_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "available-low");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "available"), 1);
	f = rtree_finding(&e, "available", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_true(rtree_ev_value(f, "MemAvailable") ==
		    (double)rtree_meminfo(&now, ML_MI_MEM_AVAILABLE));
	assert_true(rtree_ev_value(f, "MemTotal") == (double)rtree_meminfo(&now, ML_MI_MEM_TOTAL));
	assert_true(fabs(rtree_ev_value(f, "available share") -
			 100.0 * rtree_ev_value(f, "MemAvailable") /
				 rtree_ev_value(f, "MemTotal")) < 1e-9);
	assert_string_equal(rtree_ev(f, "MemAvailable")->file, "meminfo");
	assert_string_equal(rtree_ev(f, "MemAvailable")->command, "meminfo");
	assert_string_equal(rtree_ev(f, "MemAvailable")->jq, ".meminfo[\"MemAvailable\"]");
	assert_null(rtree_ev(f, "available share")->file);
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

/* 10% exactly is not below 10%; one kB less is, and 5% is the critical edge. */
static void
test_edges(void **state)
{
	static const struct {
		uint64_t avail;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 100000, 0, 0 },
		{ 99999, 1, ML_SEV_WARNING },
		{ 50000, 1, ML_SEV_WARNING },
		{ 49999, 1, ML_SEV_CRITICAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemTotal", 1000000);
		rtree_set(&t, "meminfo", "MemAvailable", cases[i].avail);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "available"), cases[i].count);
		if (cases[i].count > 0) {
			const struct ml_finding *f = rtree_finding(&e, "available", 0);

			assert_int_equal(f->severity, cases[i].sev);
			assert_true(rtree_ev_value(f, "MemAvailable") == cases[i].avail * 1024.0);
		}
		rtree_close(&t);
	}
}

/* --set moves the threshold. */
static void
test_set(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e, e2;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_set(&t, "meminfo", "MemTotal", 1000000);
	rtree_set(&t, "meminfo", "MemAvailable", 150000);
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "available"), 0);
	rtree_threshold(&t, "available.warn_pct=20");
	rtree_run(&t, &e2, &now, NULL, 0);
	assert_int_equal(rtree_count(&e2, "available"), 1);
	assert_string_equal(rtree_text(rtree_finding(&e2, "available", 0),
				       rtree_finding(&e2, "available", 0)->formula),
			    "MemAvailable / MemTotal = 15.0 < 20");
	rtree_close(&t);
}

/* Over a window: a fall of 1% of MemTotal is noted, just less is not. */
static void
test_fall(void **state)
{
	static const struct {
		uint64_t after;
		int count;
	} cases[] = { { 600000, 1 }, { 600001, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;
		const struct ml_finding *f;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemTotal", 1000000);
		rtree_set(&t, "meminfo", "MemAvailable", 610000);
		rtree_read(&t, &before);
		rtree_set(&t, "meminfo", "MemAvailable", cases[i].after);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 10);
		assert_int_equal(rtree_count(&e, "available"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "available", 0);
		/* 60% available: never more than a note from two readings. */
		assert_int_equal(f->severity, ML_SEV_NOTE);
		assert_true(rtree_ev_value(f, "MemAvailable before") == 610000 * 1024.0);
		assert_true(rtree_ev_value(f, "fall") == 10000 * 1024.0);
		assert_true(rtree_ev_value(f, "fall rate") == 1000 * 1024.0);
		assert_true(rtree_ev_value(f, "time to exhaustion") == 600.0);
		assert_true(rtree_ev_value(f, "window") == 10.0);
		rtree_close(&t);
	}
}

/* A fast fall below watch_pct is a warning; the same fall with room to spare a note. */
static void
test_fall_warning(void **state)
{
	struct rtree t;
	struct ml_snapshot before, now;
	struct ml_explain e;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_set(&t, "meminfo", "MemTotal", 1000000);
	rtree_set(&t, "meminfo", "MemAvailable", 240000);
	rtree_read(&t, &before);
	rtree_set(&t, "meminfo", "MemAvailable", 200000);
	rtree_read(&t, &now);
	/* 40000 kB in 60 s: 200000 kB left last 300 s, under 30 minutes. */
	rtree_run(&t, &e, &now, &before, 60);
	assert_int_equal(rtree_count(&e, "available"), 1);
	assert_int_equal(rtree_finding(&e, "available", 0)->severity, ML_SEV_WARNING);
	rtree_close(&t);
}

/* Without MemAvailable and min_free_kbytes nothing can be judged, and it says so. */
static void
test_not_judged(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const char *why = NULL;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_write(&t, "meminfo", "MemTotal: 1000000 kB\nMemFree: 1000 kB\n");
	rtree_remove(&t, "sys/vm/min_free_kbytes");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "available", &why));
	assert_non_null(strstr(why, "MemAvailable"));
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),    cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_edges),      cmocka_unit_test(test_set),
		cmocka_unit_test(test_fall),       cmocka_unit_test(test_fall_warning),
		cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
