/*
 * The fragmentation rule (model/rules/rule-fragmentation.c): the unusable
 * free space index at the network order (32 KiB) and the huge page order,
 * in zones with enough free memory.
 */
#include "config.h"

#include <stdio.h>
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
	assert_int_equal(rtree_count(&e, "fragmentation"), 0);
	assert_false(rtree_not_judged(&e, "fragmentation", NULL));
	rtree_close(&t);
}

/* Normal: nothing at order 3 or above (warning); DMA32: nothing at order 9 (note). */
static void
test_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "fragmentation");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "fragmentation"), 2);
	f = rtree_finding(&e, "fragmentation", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_string_equal(f->subject, "Node 0 Normal");
	assert_true(rtree_ev_value(f, "order") == 3);
	assert_true(rtree_ev_value(f, "block") == 32768);
	assert_true(rtree_ev_value(f, "unusable index") == 1.0);
	assert_true(rtree_ev_value(f, "free") == 2250000.0 * 4096);
	assert_string_equal(rtree_ev(f, "unusable index")->jq,
			    ".zones[] | select(.node == 0 and .zone == \"Normal\") | "
			    ".orders[3].unusable_index");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	f = rtree_finding(&e, "fragmentation", 1);
	assert_int_equal(f->severity, ML_SEV_NOTE);
	assert_string_equal(f->subject, "Node 0 DMA32");
	/* 2 MiB huge pages of 4 KiB pages: order 9, derived, not assumed. */
	assert_true(rtree_ev_value(f, "order") == 9);
	assert_true(rtree_ev_value(f, "block") == 2097152);
	rtree_close(&t);
}

/* Normal's buddyinfo line with `small` free pages in order 0 and `big` in order 3 blocks. */
static void
write_buddy(struct rtree *t, unsigned long small, unsigned long big_blocks)
{
	char text[512];

	snprintf(text, sizeof text,
		 "Node 0, zone      DMA      4      2      2      2      2      2      2      2 "
		 "     1      0      3 \n"
		 "Node 0, zone    DMA32      0      0      0      0      0      0      0      0 "
		 "     0      0      0 \n"
		 "Node 0, zone   Normal %6lu      0      0 %6lu      0      0      0      0 "
		 "     0      0      0 \n",
		 small, big_blocks);
	rtree_write(t, "buddyinfo", text);
}

/* The findings of the rule about order (the network's 3, the huge page's 9). */
static int
count_order(const struct ml_explain *e, double order)
{
	int i, n = 0;
	const struct ml_finding *f;

	for (i = 0; (f = rtree_finding(e, "fragmentation", i)) != NULL; i++)
		if (rtree_ev_value(f, "order") == order)
			n++;
	return n;
}

/*
 * The kernel's index: (free - suitable blocks << order) * 1000 / free, in
 * integers. 18000 pages of 20000 below order 3 is 900 (0.9: fires); 17992
 * of 20000 is 899.6, 899 (does not). Both have no block of order 9: the
 * huge page note fires in the second, where the network warning does not.
 */
static void
test_index_edges(void **state)
{
	static const struct {
		unsigned long small, big_blocks;
		int count;
		double index;
	} cases[] = { { 18000, 250, 1, 0.9 }, { 17992, 251, 0, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		write_buddy(&t, cases[i].small, cases[i].big_blocks);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(count_order(&e, 3), cases[i].count);
		assert_int_equal(count_order(&e, 9), !cases[i].count);
		if (cases[i].count > 0)
			assert_true(rtree_ev_value(rtree_finding(&e, "fragmentation", 0),
						   "unusable index") == cases[i].index);
		rtree_close(&t);
	}
}

/* Only zones with min_free_mib free: 64 MiB is 16384 pages, one less is not judged. */
static void
test_min_free(void **state)
{
	static const struct {
		unsigned long small;
		int count;
	} cases[] = { { 16384, 1 }, { 16383, 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;

		rtree_open(&t, "healthy");
		write_buddy(&t, cases[i].small, 0);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "fragmentation"), cases[i].count);
		rtree_close(&t);
	}
}

/* 64 KiB pages: no network order (every block is 32 KiB or more); THP at 512 MiB is order 13. */
static void
test_page_size(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	char line[512], *p;
	size_t n;
	int o;

	(void)state;
	rtree_open(&t, "healthy");
	/* meminfo in kB, vmstat in 64 KiB pages: the page size memlens derives. */
	rtree_set(&t, "vmstat", "nr_anon_pages", 1572864 / 64);
	rtree_set(&t, "vmstat", "nr_mapped", 307200 / 64);
	rtree_set(&t, "vmstat", "nr_shmem", 184320 / 64);
	rtree_set(&t, "meminfo", "SReclaimable", 630016);
	rtree_set(&t, "vmstat", "nr_slab_reclaimable", 630016 / 64);
	rtree_set(&t, "vmstat", "nr_page_table_pages", 30720 / 64);
	rtree_set(&t, "vmstat", "nr_dirty", 96 / 64 + 1);
	rtree_set(&t, "meminfo", "Dirty", 128);
	rtree_set(&t, "meminfo", "Hugepagesize", 524288);
	/* 14 orders; Normal holds 2048 pages (128 MiB) in order 12 blocks: none of order 13. */
	n = (size_t)snprintf(line, sizeof line, "Node 0, zone   Normal");
	for (o = 0; o < 14; o++)
		n += (size_t)snprintf(line + n, sizeof line - n, " %6d", o == 12 ? 2 : 0);
	snprintf(line + n, sizeof line - n, " \n");
	rtree_write(&t, "buddyinfo", line);
	rtree_read(&t, &now);
	assert_int_equal(ml_snapshot_frag(&now)->page_size, 65536);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "fragmentation"), 1);
	assert_int_equal(rtree_finding(&e, "fragmentation", 0)->severity, ML_SEV_NOTE);
	assert_true(rtree_ev_value(rtree_finding(&e, "fragmentation", 0), "order") == 13);
	p = strstr(rtree_text(rtree_finding(&e, "fragmentation", 0),
			      rtree_finding(&e, "fragmentation", 0)->headline),
		   "order 13");
	assert_non_null(p);
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),     cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_index_edges), cmocka_unit_test(test_min_free),
		cmocka_unit_test(test_page_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
