/*
 * The three slab rules: slab-unreclaim (model/rules/rule-slab-unreclaim.c),
 * slab-waste (rule-slab-waste.c) and slab-reclaim (rule-slab-reclaim.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "rtree.h"

static const char slab_head[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : "
	"tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
	"<sharedavail>\n";

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
	assert_int_equal(rtree_count(&e, "slab-unreclaim"), 0);
	assert_int_equal(rtree_count(&e, "slab-waste"), 0);
	assert_int_equal(rtree_count(&e, "slab-reclaim"), 0);
	assert_false(rtree_not_judged(&e, "slab-unreclaim", NULL));
	assert_false(rtree_not_judged(&e, "slab-waste", NULL));
	rtree_close(&t);
}

/* ---- slab-unreclaim */

static void
test_unreclaim_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "slab-unreclaim");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "slab-unreclaim"), 1);
	f = rtree_finding(&e, "slab-unreclaim", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_true(rtree_ev_value(f, "SUnreclaim") ==
		    (double)rtree_meminfo(&now, ML_MI_SUNRECLAIM));
	/* The largest cache the kernel marks unreclaimable (reclaim_account 0). */
	assert_string_equal(rtree_ev(f, "largest unreclaimable cache")->text, "kmalloc-64");
	assert_true(rtree_ev_value(f, "its memory") == 480000.0 * 4096);
	assert_string_equal(rtree_ev(f, "its memory")->jq,
			    "first(.caches[] | select(.name == \"kmalloc-64\")) | .memory");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

static void
test_unreclaim_edges(void **state)
{
	static const struct {
		uint64_t sun;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 49999, 0, 0 },
		{ 50000, 1, ML_SEV_NOTE },
		{ 99999, 1, ML_SEV_NOTE },
		{ 100000, 1, ML_SEV_WARNING },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemTotal", 1000000);
		rtree_set(&t, "meminfo", "SUnreclaim", cases[i].sun);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "slab-unreclaim"), cases[i].count);
		if (cases[i].count > 0)
			assert_int_equal(rtree_finding(&e, "slab-unreclaim", 0)->severity,
					 cases[i].sev);
		rtree_close(&t);
	}
}

/* Over 60 s: 8 MiB more (480 MiB/h) is noted; 1 kB less is below min_grow_mib. */
static void
test_unreclaim_growth(void **state)
{
	static const struct {
		uint64_t now_kb;
		int count;
	} cases[] = { { 78944 + 8192, 1 }, { 78944 + 8191, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;
		const struct ml_finding *f;

		rtree_open(&t, "healthy");
		rtree_read(&t, &before);
		rtree_set(&t, "meminfo", "SUnreclaim", cases[i].now_kb);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 60);
		assert_int_equal(rtree_count(&e, "slab-unreclaim"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "slab-unreclaim", 0);
		assert_int_equal(f->severity, ML_SEV_NOTE);
		assert_true(rtree_ev_value(f, "growth") == 8192.0 * 1024);
		assert_true(rtree_ev_value(f, "growth rate") == 8192.0 * 1024 / 60);
		assert_true(rtree_ev_value(f, "SUnreclaim before") == 78944.0 * 1024);
		rtree_text(f, f->headline);
		rtree_close(&t);
	}
}

/* ---- slab-waste */

static void
test_waste_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "slab-waste");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "slab-waste"), 1);
	f = rtree_finding(&e, "slab-waste", 0);
	assert_int_equal(f->severity, ML_SEV_NOTE);
	assert_string_equal(f->subject, "dentry");
	assert_true(rtree_ev_value(f, "memory") == 102400.0 * 4096);
	assert_true(rtree_ev_value(f, "objects") == 102400.0 * 21);
	assert_true(rtree_ev_value(f, "waste") ==
		    102400.0 * 4096 - rtree_ev_value(f, "active objects") * 192);
	assert_string_equal(rtree_ev(f, "waste")->jq,
			    "first(.caches[] | select(.name == \"dentry\")) | .waste");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

/*
 * A cache of 4 KiB objects, one a slab: 8192 slabs (32 MiB) with 4096 live
 * waste 16 MiB, half: a note (16 MiB is 0.098% of the healthy tree's
 * MemTotal). One more live object leaves 4 KiB less than min_mib.
 */
static void
test_waste_edges(void **state)
{
	static const struct {
		unsigned int active;
		const char *set;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 4096, NULL, 1, ML_SEV_NOTE },
		{ 4097, NULL, 0, 0 },
		{ 4096, "slab-waste.warn_total_pct=0.09", 1, ML_SEV_WARNING },
		{ 4096, "slab-waste.waste_pct=50.1", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;
		char text[1024];

		rtree_open(&t, "healthy");
		if (cases[i].set != NULL)
			rtree_threshold(&t, cases[i].set);
		snprintf(text, sizeof text,
			 "%stest_cache %u 8192 4096 1 1 : tunables 0 0 0 : slabdata 8192 8192 0\n",
			 slab_head, cases[i].active);
		rtree_write(&t, "slabinfo", text);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "slab-waste"), cases[i].count);
		if (cases[i].count > 0) {
			const struct ml_finding *f = rtree_finding(&e, "slab-waste", 0);

			assert_int_equal(f->severity, cases[i].sev);
			assert_true(rtree_ev_value(f, "waste") == 16.0 * 1048576);
			assert_true(rtree_ev_value(f, "waste share") == 50.0);
		}
		rtree_close(&t);
	}
}

/* Two caches of one name (mlx5 has them): no jq filter, which would find the first. */
static void
test_waste_duplicate(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	char text[1024];

	(void)state;
	rtree_open(&t, "healthy");
	snprintf(text, sizeof text,
		 "%sdup 10 10 4096 1 1 : tunables 0 0 0 : slabdata 10 10 0\n"
		 "dup 4096 8192 4096 1 1 : tunables 0 0 0 : slabdata 8192 8192 0\n",
		 slab_head);
	rtree_write(&t, "slabinfo", text);
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "slab-waste"), 1);
	assert_null(rtree_ev(rtree_finding(&e, "slab-waste", 0), "waste")->jq);
	assert_null(rtree_ev(rtree_finding(&e, "slab-waste", 0), "waste")->command);
	rtree_close(&t);
}

static void
test_waste_not_judged(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const char *why = NULL;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_remove(&t, "slabinfo");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "slab-waste", &why));
	assert_non_null(strstr(why, "slabinfo"));
	/* slab-unreclaim judges from meminfo alone. */
	assert_false(rtree_not_judged(&e, "slab-unreclaim", NULL));
	rtree_close(&t);
}

/* ---- slab-reclaim */

static void
test_reclaim_needs_window(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const char *why = NULL;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "slab-reclaim", &why));
	assert_non_null(strstr(why, "window"));
	rtree_close(&t);
}

/*
 * Over 10 s with MemTotal 5000000 kB (SReclaimable 12.6%): 1000 pages
 * scanned (100 a second) and SReclaimable unchanged is a warning; 999
 * scanned, or SReclaimable 1 kB smaller, is not.
 */
static void
test_reclaim(void **state)
{
	static const struct {
		uint64_t scanned, srecl;
		int count;
	} cases[] = { { 1000, 630000, 1 }, { 999, 630000, 0 }, { 1000, 629999, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot before, now;
		struct ml_explain e;
		const struct ml_finding *f;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemTotal", 5000000);
		rtree_read(&t, &before);
		rtree_set(&t, "vmstat", "pgscan_kswapd", 1200000 + cases[i].scanned);
		rtree_set(&t, "meminfo", "SReclaimable", cases[i].srecl);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, &before, 10);
		assert_false(rtree_not_judged(&e, "slab-reclaim", NULL));
		assert_int_equal(rtree_count(&e, "slab-reclaim"), cases[i].count);
		if (cases[i].count == 0) {
			rtree_close(&t);
			continue;
		}
		f = rtree_finding(&e, "slab-reclaim", 0);
		assert_int_equal(f->severity, ML_SEV_WARNING);
		assert_true(rtree_ev_value(f, "pages scanned per second") == 100.0);
		assert_true(rtree_ev_value(f, "SReclaimable before") == 630000.0 * 1024);
		assert_true(rtree_ev_value(f, "SReclaimable") == 630000.0 * 1024);
		/* The same slabinfo both times: the largest reclaimable cache did not shrink. */
		assert_string_equal(rtree_ev(f, "largest cache that did not shrink")->text,
				    "ext4_inode_cache");
		rtree_text(f, f->headline);
		rtree_text(f, f->formula);
		rtree_text(f, f->next);
		rtree_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_unreclaim_fixture),
		cmocka_unit_test(test_unreclaim_edges),
		cmocka_unit_test(test_unreclaim_growth),
		cmocka_unit_test(test_waste_fixture),
		cmocka_unit_test(test_waste_edges),
		cmocka_unit_test(test_waste_duplicate),
		cmocka_unit_test(test_waste_not_judged),
		cmocka_unit_test(test_reclaim_needs_window),
		cmocka_unit_test(test_reclaim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
