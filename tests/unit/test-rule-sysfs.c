/*
 * The rules that read the sys root's models through the snapshot: numa
 * (model/rules/rule-numa.c), thp (rule-thp.c), khugepaged
 * (rule-khugepaged.c), zram (rule-zram.c); and accounting
 * (rule-accounting.c: MemFree and MemTotal against the zones).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "rtree.h"

static const char *const rules[] = { "numa", "thp", "khugepaged", "zram", "accounting" };

/* The healthy tree: every one judged, nothing found. */
static void
test_healthy(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	size_t i;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	for (i = 0; i < ML_ARRAY_SIZE(rules); i++) {
		assert_int_equal(rtree_count(&e, rules[i]), 0);
		assert_false(rtree_not_judged(&e, rules[i], NULL));
	}
	rtree_close(&t);
}

/* Each rule's tree: that rule, its severity, its templates complete. */
static void
test_fixtures(void **state)
{
	static const struct {
		const char *tree, *rule;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ "numa", "numa", 1, ML_SEV_WARNING },          { "thp", "thp", 1, ML_SEV_NOTE },
		{ "khugepaged", "khugepaged", 1, ML_SEV_NOTE }, { "zram", "zram", 1, ML_SEV_NOTE },
		{ "accounting", "accounting", 2, ML_SEV_NOTE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;
		const struct ml_finding *f;
		int k;

		rtree_open(&t, cases[i].tree);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, cases[i].rule), cases[i].count);
		for (k = 0; (f = rtree_finding(&e, cases[i].rule, k)) != NULL; k++) {
			assert_int_equal(f->severity, cases[i].sev);
			rtree_text(f, f->headline);
			rtree_text(f, f->formula);
			rtree_text(f, f->next);
		}
		rtree_close(&t);
	}
}

/* ---- numa */

static void
test_numa(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "numa");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	f = rtree_finding(&e, "numa", 0);
	assert_non_null(f);
	assert_string_equal(f->subject, "Node 1");
	assert_true(rtree_ev_value(f, "node") == 1);
	assert_true(rtree_ev_value(f, "other node") == 0);
	assert_true(rtree_ev_value(f, "MemTotal") == 1048576.0 * 4096);
	assert_true(rtree_ev_value(f, "available") == (double)now.nodes[1].model.available);
	assert_true(rtree_ev_value(f, "available share") < 5);
	assert_true(rtree_ev_value(f, "other share") >= 25);
	assert_string_equal(rtree_ev(f, "MemTotal")->file, "devices/system/node/node1/meminfo");
	assert_true(rtree_ev(f, "MemTotal")->sys_file);
	assert_string_equal(rtree_ev(f, "available")->jq,
			    ".nodes[] | select(.node == 1) | .available.bytes");
	rtree_close(&t);
}

/* Just above and just below each threshold, by --set at the tree's own shares. */
static void
test_numa_edges(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e1, e2, e3, e4;
	double shrt, other;
	char set[64];

	(void)state;
	rtree_open(&t, "numa");
	rtree_read(&t, &now);
	rtree_run(&t, &e1, &now, NULL, 0);
	shrt = rtree_ev_value(rtree_finding(&e1, "numa", 0), "available share");
	other = rtree_ev_value(rtree_finding(&e1, "numa", 0), "other share");
	snprintf(set, sizeof set, "numa.short_pct=%.17g", shrt);
	rtree_threshold(&t, set);
	rtree_run(&t, &e2, &now, NULL, 0);
	assert_int_equal(rtree_count(&e2, "numa"), 0);
	snprintf(set, sizeof set, "numa.short_pct=%.17g", shrt + 0.001);
	rtree_threshold(&t, set);
	rtree_run(&t, &e3, &now, NULL, 0);
	assert_int_equal(rtree_count(&e3, "numa"), 1);
	snprintf(set, sizeof set, "numa.free_pct=%.17g", other + 0.001);
	rtree_threshold(&t, set);
	rtree_run(&t, &e4, &now, NULL, 0);
	assert_int_equal(rtree_count(&e4, "numa"), 0);
	rtree_close(&t);
}

/* One node: judged, never a finding. No node directory: not judged, why said. */
static void
test_numa_one_node(void **state)
{
	struct rtree t, t2;
	struct ml_snapshot now, now2;
	struct ml_explain e, e2;
	const char *why = NULL;

	(void)state;
	rtree_open(&t, "numa");
	rtree_write(&t, "../sys/devices/system/node/online", "1\n");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "numa"), 0);
	assert_false(rtree_not_judged(&e, "numa", NULL));
	rtree_close(&t);

	rtree_open(&t2, "healthy");
	rtree_remove_tree(&t2, "../sys/devices/system/node");
	rtree_read(&t2, &now2);
	rtree_run(&t2, &e2, &now2, NULL, 0);
	assert_true(rtree_not_judged(&e2, "numa", &why));
	assert_non_null(strstr(why, "devices/system/node"));
	rtree_close(&t2);
}

/* ---- thp */

static void
test_thp(void **state)
{
	static const struct {
		const char *enabled;
		uint64_t huge_kb;
		int count;
	} cases[] = {
		{ "[always] madvise never\n", 786432, 1 },  /* 50% of 1536 MiB */
		{ "[always] madvise never\n", 786431, 0 },  /* just below */
		{ "always [madvise] never\n", 1048576, 0 }, /* madvise: only who asks */
		{ "[always] madvise never\n", 262143, 0 },  /* below min_mib, with anon_pct 1 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		if (i == 3)
			rtree_threshold(&t, "thp.anon_pct=1");
		rtree_write(&t, "../sys/kernel/mm/transparent_hugepage/enabled", cases[i].enabled);
		rtree_set(&t, "meminfo", "AnonHugePages", cases[i].huge_kb);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "thp"), cases[i].count);
		if (cases[i].count > 0) {
			const struct ml_finding *f = rtree_finding(&e, "thp", 0);

			assert_string_equal(rtree_ev(f, "enabled")->text, "always");
			assert_string_equal(rtree_ev(f, "enabled")->jq,
					    ".thp.settings.enabled.value");
			assert_true(rtree_ev_value(f, "AnonHugePages share") == 50.0);
		}
		rtree_close(&t);
	}
}

/* ---- khugepaged */

static void
test_khugepaged(void **state)
{
	static const struct {
		const char *none, *collapsed, *enabled;
		int count;
	} cases[] = {
		{ "511\n", "128\n", NULL, 1 }, /* 256 MiB */
		{ "511\n", "127\n", NULL, 0 }, /* 254 MiB */
		{ "256\n", "400\n", NULL, 1 }, /* max_ptes_none at its threshold */
		{ "255\n", "400\n", NULL, 0 }, /* only dense regions */
		{ "511\n", "400\n", "always madvise [never]\n", 0 }, /* THP off */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_write(&t, "../sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none",
			    cases[i].none);
		rtree_write(&t, "../sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed",
			    cases[i].collapsed);
		if (cases[i].enabled != NULL)
			rtree_write(&t, "../sys/kernel/mm/transparent_hugepage/enabled",
				    cases[i].enabled);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "khugepaged"), cases[i].count);
		if (i == 0) {
			const struct ml_finding *f = rtree_finding(&e, "khugepaged", 0);

			assert_true(rtree_ev_value(f, "collapsed") == 256.0 * 1048576);
			assert_true(rtree_ev_value(f, "pages_collapsed") == 128);
			assert_true(rtree_ev_value(f, "max_ptes_none") == 511);
			assert_string_equal(
				rtree_ev(f, "max_ptes_none")->file,
				"kernel/mm/transparent_hugepage/khugepaged/max_ptes_none");
			assert_true(rtree_ev(f, "max_ptes_none")->sys_file);
		}
		rtree_close(&t);
	}
}

/* ---- zram */

static void
write_zram(struct rtree *t, unsigned long long orig, unsigned long long used)
{
	char text[128];

	rtree_write(t, "../sys/block/zram0/disksize", "4294967296\n");
	rtree_write(t, "../sys/block/zram0/initstate", "1\n");
	rtree_write(t, "../sys/block/zram0/comp_algorithm", "lzo [lzo-rle] zstd\n");
	snprintf(text, sizeof text, "%llu %llu %llu 0 %llu 0 0 0 0\n", orig, used / 2, used, used);
	rtree_write(t, "../sys/block/zram0/mm_stat", text);
}

static void
test_zram(void **state)
{
	static const struct {
		unsigned long long orig, used;
		const char *set;
		int count;
	} cases[] = {
		{ 150ULL << 20, 100ULL << 20, NULL, 0 },                 /* 1.5 to 1 */
		{ (150ULL << 20) - 1, 100ULL << 20, NULL, 1 },           /* just below */
		{ 60ULL << 20, 64ULL << 20, NULL, 1 },                   /* 64 MiB held */
		{ 60ULL << 20, (64ULL << 20) - 1, NULL, 0 },             /* below min_mib */
		{ 4000ULL << 20, 100ULL << 20, "zram.used_pct=0.5", 1 }, /* a share of MemTotal */
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
		write_zram(&t, cases[i].orig, cases[i].used);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "zram"), cases[i].count);
		if (i == 1) {
			const struct ml_finding *f = rtree_finding(&e, "zram", 0);

			assert_string_equal(f->subject, "zram0");
			assert_true(rtree_ev_value(f, "mem_used_total") == 100.0 * 1048576);
			assert_string_equal(rtree_ev(f, "mem_used_total")->file,
					    "block/zram0/mm_stat");
		}
		if (i == 4)
			assert_true(rtree_ev_value(rtree_finding(&e, "zram", 0), "zram RAM") ==
				    100.0 * 1048576);
		rtree_close(&t);
	}
}

/* ---- accounting */

static void
test_accounting(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "accounting");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "accounting"), 2);
	assert_int_equal(ml_explain_worst(&e), ML_SEV_NOTE);
	/* One finding each: MemFree, then MemTotal, both 4 GiB above the zones. */
	f = rtree_finding(&e, "accounting", 0);
	assert_true(rtree_ev_value(f, ml_finding_evidence(f, "MemFree - zones") != NULL
					      ? "MemFree - zones"
					      : "MemTotal - zones") == 4.0 * 1073741824);
	f = rtree_finding(&e, "accounting", 1);
	assert_true(rtree_ev_value(f, ml_finding_evidence(f, "MemFree - zones") != NULL
					      ? "MemFree - zones"
					      : "MemTotal - zones") == 4.0 * 1073741824);
	assert_true((ml_finding_evidence(rtree_finding(&e, "accounting", 0), "MemFree") != NULL) !=
		    (ml_finding_evidence(rtree_finding(&e, "accounting", 1), "MemFree") != NULL));
	rtree_close(&t);
}

/*
 * MemFree agrees within 1% of MemTotal (17111547904 bytes: 171115479): the
 * zones' free pages plus 167104 kB agree, plus 167105 kB do not.
 */
static void
test_accounting_edges(void **state)
{
	static const struct {
		uint64_t more_kb;
		int count;
	} cases[] = { { 167104, 0 }, { 167105, 1 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		rtree_set(&t, "meminfo", "MemFree", 10615360 + cases[i].more_kb);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "accounting"), cases[i].count);
		if (cases[i].count > 0)
			assert_true(rtree_ev_value(rtree_finding(&e, "accounting", 0),
						   "MemFree - zones") == cases[i].more_kb * 1024.0);
		rtree_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),       cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_numa),          cmocka_unit_test(test_numa_edges),
		cmocka_unit_test(test_numa_one_node), cmocka_unit_test(test_thp),
		cmocka_unit_test(test_khugepaged),    cmocka_unit_test(test_zram),
		cmocka_unit_test(test_accounting),    cmocka_unit_test(test_accounting_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
