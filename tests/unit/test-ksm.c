/*
 * Unit tests for KSM (src/proc/ksm.c): PID/ksm_stat in each kernel's form,
 * and kernel/mm/ksm read through a sysfs fixture; with hugetlb and THP
 * (src/proc/hugepages.c), which have no line parser of their own.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/hugepages.h"
#include "proc/ksm.h"
#include "unit.h"

static struct ml_feed feed;

static void
t_ksm_stat_forms(void **state)
{
	struct ml_ksm_stat whole, part;
	size_t len, i;
	char *buf = unit_load_fixture("huge-6.18/2001/ksm_stat", &len);
	const struct ml_feed *f;

	(void)state;
	unit_parse(&feed, &ml_src_ksm_stat, &whole, buf, len, 0);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_int_equal(whole.present, (1u << ML_KSTAT__COUNT) - 1);
	assert_true(whole.val[ML_KSTAT_MERGING_PAGES] == 5000);
	assert_true(whole.val[ML_KSTAT_PROCESS_PROFIT] == 19904000);
	assert_true(whole.val[ML_KSTAT_MERGE_ANY] == 1);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&feed, &ml_src_ksm_stat, &part, buf, len, unit_chunk_sizes[i]);
		assert_memory_equal(&whole, &part, sizeof whole);
	}
	free(buf);
	/* 6.1: one line */
	f = unit_parse_str(&ml_src_ksm_stat, &part, "ksm_rmap_items 12\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_int_equal(part.present, 1u << ML_KSTAT_RMAP_ITEMS);
	/* 6.4: a negative profit; a newer kernel's unknown line is counted */
	f = unit_parse_str(&ml_src_ksm_stat, &part,
			   "ksm_rmap_items 400\nksm_merging_pages 0\nksm_process_profit -25600\n"
			   "ksm_future_thing: maybe\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(part.val[ML_KSTAT_PROCESS_PROFIT] == -25600);
	assert_int_equal(part.unknown, 1);
	/* bad input */
	f = unit_parse_str(&ml_src_ksm_stat, &part,
			   "ksm_rmap_items\nksm_merging_pages x\nksm_merge_any: perhaps\n"
			   "ksm_rmap_items 1\nksm_rmap_items 2\n"
			   "ksm_zero_pages 99999999999999999999\n: 4\n");
	assert_int_equal(f->stats.bad_lines, 6);
	assert_true(part.val[ML_KSTAT_RMAP_ITEMS] == 1);
}

static void
t_sysfs_sources(void **state)
{
	struct ml_procfs fs;
	struct ml_hugetlb h;
	struct ml_thp t;
	struct ml_ksm k;
	int nodes[4] = { 0, 1, 2, 3 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/four-node-sys", &cause), 0);
	ml_hugetlb_init(&h);
	assert_int_equal(ml_hugetlb_read(&h, &fs, nodes, 4), 0);
	assert_true(h.listed);
	assert_int_equal(h.nsizes, 4);
	assert_true(h.size[1].size_kb == 2048);
	assert_true(h.size[1].a[ML_HP_SURPLUS].u == 8);
	assert_true(h.size[3].node[2].a[ML_HPN_FREE].u == 1);
	ml_hugetlb_release(&h);

	ml_thp_init(&t);
	ml_thp_read(&t, &fs);
	assert_true(t.present);
	assert_string_equal(t.a[ML_THP_ENABLED].word, "always");
	assert_string_equal(t.a[ML_THP_DEFRAG].word, "defer+madvise");
	assert_true(t.k[ML_KHP_DEFRAG].flag);
	assert_int_equal(t.nsizes, 0); /* 5.15: no multi-size THP */
	ml_thp_release(&t);

	ml_ksm_read(&k, &fs);
	assert_true(k.present);
	assert_true(k.a[ML_KSM_PAGES_SHARING].u == 10000);
	assert_int_equal(k.a[ML_KSM_GENERAL_PROFIT].state, ML_ATTR_ABSENT);
	assert_false(k.a[ML_KSM_MERGE_ACROSS_NODES].flag);
	ml_procfs_close(&fs);

	/* a root without any of it: every part absent, none an error */
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/linux-6.18", &cause), 0);
	ml_hugetlb_init(&h);
	ml_hugetlb_read(&h, &fs, NULL, 0);
	assert_false(h.listed);
	assert_int_equal(h.list_err, ENOENT);
	ml_thp_read(&t, &fs);
	assert_false(t.present);
	ml_ksm_read(&k, &fs);
	assert_false(k.present);
	ml_thp_release(&t);
	ml_procfs_close(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_ksm_stat_forms),
		cmocka_unit_test(t_sysfs_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
