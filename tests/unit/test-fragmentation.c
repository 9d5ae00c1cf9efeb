/*
 * The fragmentation model: every value of the kernel's own debugfs extfrag
 * files for a paired capture, hand-computed fragmented zones, the kernel's
 * integer quirks (negative extfrag, div_u64's 32-bit divisor), page sizes,
 * the one-line view.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#include "model/fragmentation.h"
#include "proc/buddyinfo.h"
#include "unit.h"

static void
load_buddyinfo(const char *rel, struct ml_buddyinfo *bi)
{
	struct ml_feed f;
	size_t len;
	char *buf = unit_load_fixture(rel, &len);

	ml_buddyinfo_init(bi);
	unit_parse(&f, &ml_src_buddyinfo, bi, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	free(buf);
}

/*
 * Print f's indices as the kernel's extfrag_show_print()/unusable_show_print()
 * do ("%2d.%03d " and "%d.%03d ", index / 1000 and index % 1000), so the text
 * can be compared byte for byte with a debugfs capture.
 */
static char *
debugfs_text(const struct ml_frag *f, bool extfrag)
{
	char *buf = calloc(1, 64 * 1024), *p = buf;
	size_t i;
	unsigned int o;

	assert_non_null(buf);
	for (i = 0; i < f->nzones; i++) {
		const struct ml_frag_zone *z = &f->zones[i];

		p += sprintf(p, "Node %d, zone %8s ", z->node, z->name);
		for (o = 0; o < f->norders; o++) {
			int v = extfrag ? z->order[o].extfrag : z->order[o].unusable;

			assert_true(z->order[o].index_known);
			p += sprintf(p, extfrag ? "%2d.%03d " : "%d.%03d ", v / 1000, v % 1000);
		}
		p += sprintf(p, "\n");
	}
	return buf;
}

/* The kernel's own debugfs files, read back to back with the same buddyinfo. */
static void
t_debugfs_paired(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_frag f;
	size_t len;
	char *want, *got;

	(void)state;
	load_buddyinfo("linux-6.18-extfrag/buddyinfo", &bi);
	ml_frag_init(&f);
	assert_int_equal(ml_frag_compute(&f, &bi, 4096, NULL), 0);

	want = unit_load_fixture("linux-6.18-extfrag/debugfs/extfrag_index", &len);
	got = debugfs_text(&f, true);
	assert_string_equal(got, want);
	free(want);
	free(got);

	want = unit_load_fixture("linux-6.18-extfrag/debugfs/unusable_index", &len);
	got = debugfs_text(&f, false);
	assert_string_equal(got, want);
	free(want);
	free(got);

	/* A few by hand: DMA has 1+1+3 blocks of order 8, 9, 10 = 256+512+3072 = 3840 pages. */
	assert_int_equal(f.zones[0].free_pages, 3840);
	/* order 9: (3840 - (1 + 3*2) * 512) * 1000 / 3840 = 256000 / 3840 = 66 */
	assert_int_equal(f.zones[0].order[9].unusable, 66);
	/* order 10: (3840 - 3 * 1024) * 1000 / 3840 = 200 */
	assert_int_equal(f.zones[0].order[10].unusable, 200);
	ml_frag_release(&f);
	ml_buddyinfo_release(&bi);
}

/*
 * two-node, node 1 Normal: free blocks 5000 1200 300 40 (orders 0-3), so
 * free pages = 5000 + 2400 + 1200 + 320 = 8920 in 6540 blocks.
 *   unusable(1) = (8920 - (1200 + 600 + 160) * 2) * 1000 / 8920 = 5000000 / 8920 = 560
 *   unusable(2) = (8920 - (300 + 80) * 4) * 1000 / 8920 = 7400000 / 8920 = 829
 *   unusable(3) = (8920 - 40 * 8) * 1000 / 8920 = 8600000 / 8920 = 964
 *   unusable(4..10) = 8920000 / 8920 = 1000 (nothing suitable)
 *   extfrag(4) = 1000 - (1000 + 8920000 / 16) / 6540 = 1000 - 558500 / 6540 = 1000 - 85 = 915
 *   extfrag(5) = 1000 - (1000 + 278750) / 6540 = 1000 - 42 = 958
 *   extfrag(6) = 1000 - (1000 + 139375) / 6540 = 1000 - 21 = 979
 *   extfrag(7) = 1000 - (1000 + 69687) / 6540 = 1000 - 10 = 990
 *   extfrag(8) = 1000 - (1000 + 34843) / 6540 = 1000 - 5 = 995
 *   extfrag(9) = 1000 - (1000 + 17421) / 6540 = 1000 - 2 = 998
 *   extfrag(10) = 1000 - (1000 + 8710) / 6540 = 1000 - 1 = 999
 * node 0 Normal: 41191 free pages in 5898 blocks, none of order 10:
 *   unusable(8) = (41191 - (12 + 3 * 2) * 256) * 1000 / 41191 = 36583000 / 41191 = 888
 *   unusable(9) = (41191 - 3 * 512) * 1000 / 41191 = 39655000 / 41191 = 962
 *   extfrag(10) = 1000 - (1000 + 41191000 / 1024) / 5898 = 1000 - 41225 / 5898 = 994
 */
static void
t_two_node_by_hand(void **state)
{
	static const int unusable1[11] = { 0,    560,  829,  964,  1000, 1000,
					   1000, 1000, 1000, 1000, 1000 };
	static const int extfrag1[11] = { -1000, -1000, -1000, -1000, 915, 958,
					  979,   990,   995,   998,   999 };
	struct ml_buddyinfo bi;
	struct ml_frag f;
	const struct ml_frag_zone *z;
	unsigned int o;

	(void)state;
	load_buddyinfo("two-node/buddyinfo", &bi);
	ml_frag_init(&f);
	assert_int_equal(ml_frag_compute(&f, &bi, 4096, NULL), 0);
	assert_int_equal(f.nzones, 4);
	z = &f.zones[3];
	assert_int_equal(z->node, 1);
	assert_string_equal(z->name, "Normal");
	assert_int_equal(z->free_pages, 8920);
	assert_int_equal(z->free_blocks, 6540);
	assert_int_equal(z->free_bytes, 8920 * 4096);
	assert_int_equal(z->largest_order, 3);
	for (o = 0; o < 11; o++) {
		assert_true(z->order[o].index_known);
		assert_int_equal(z->order[o].unusable, unusable1[o]);
		assert_int_equal(z->order[o].extfrag, extfrag1[o]);
	}
	z = &f.zones[2];
	assert_int_equal(z->free_pages, 41191);
	assert_int_equal(z->free_blocks, 5898);
	assert_int_equal(z->largest_order, 9);
	assert_int_equal(z->order[8].unusable, 888);
	assert_int_equal(z->order[9].unusable, 962);
	assert_int_equal(z->order[10].unusable, 1000);
	assert_int_equal(z->order[9].extfrag, ML_FRAG_WOULD_SUCCEED);
	assert_int_equal(z->order[10].extfrag, 994);
	/* Per order: pages and bytes. */
	assert_int_equal(z->order[3].free_blocks, 612);
	assert_int_equal(z->order[3].block_pages, 8);
	assert_int_equal(z->order[3].free_pages, 612 * 8);
	assert_int_equal(z->order[3].block_bytes, 32768);
	assert_int_equal(z->order[3].free_bytes, 612 * 32768);
	/* Totals: the free pages of the four zones (MemFree of the fixture / 4). */
	assert_true(f.free_pages_known && f.bytes_known);
	assert_int_equal(f.free_pages, 548006);
	assert_int_equal(f.free_bytes, 548006 * 4096ULL);
	assert_int_equal(f.largest_order, 10);
	ml_frag_release(&f);
	ml_buddyinfo_release(&bi);
}

/* 3.10 Normal: free 10452 5212 1420 303 58 6 1, nothing above order 6. */
static void
t_310_by_hand(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_frag f;
	const struct ml_frag_zone *z;

	(void)state;
	load_buddyinfo("linux-3.10-reserve/buddyinfo", &bi);
	ml_frag_init(&f);
	assert_int_equal(ml_frag_compute(&f, &bi, 4096, NULL), 0);
	z = &f.zones[2];
	/* pages = 10452 + 10424 + 5680 + 2424 + 928 + 192 + 64 = 30164 in 17452 blocks */
	assert_int_equal(z->free_pages, 30164);
	assert_int_equal(z->free_blocks, 17452);
	/*
	 * unusable(1) = (30164 - (5212 + 1420*2 + 303*4 + 58*8 + 6*16 + 1*32) * 2) * 1000 / 30164
	 *             = (30164 - 19712) * 1000 / 30164 = 346
	 */
	assert_int_equal(z->order[1].unusable, 346);
	/* unusable(6) = (30164 - 64) * 1000 / 30164 = 997 */
	assert_int_equal(z->order[6].unusable, 997);
	/* extfrag(7) = 1000 - (1000 + 30164000 / 128) / 17452 = 1000 - 236656 / 17452 = 987 */
	assert_int_equal(z->order[7].extfrag, 987);
	/* extfrag(10) = 1000 - (1000 + 30164000 / 1024) / 17452 = 1000 - 30457 / 17452 = 999 */
	assert_int_equal(z->order[10].extfrag, 999);
	assert_int_equal(z->order[6].extfrag, ML_FRAG_WOULD_SUCCEED);
	ml_frag_release(&f);
	ml_buddyinfo_release(&bi);
}

/* The kernel's arithmetic, quirks included. */
static void
t_kernel_quirks(void **state)
{
	struct ml_contig_info info;
	uint64_t one_order2[5] = { 0, 0, 1, 0, 0 }, none[3] = { 0, 0, 0 };
	uint64_t huge[2] = { (UINT64_C(1) << 32) + 3, 0 }, exact[2] = { UINT64_C(1) << 32, 0 };
	uint64_t overflow[3] = { 1, 1, UINT64_MAX };
	int v;

	(void)state;
	/*
	 * One free order-2 block, asking order 3: 1000 - (1000 + 4000 / 8) / 1 = -500,
	 * which debugfs prints as " 0.-500"; order 4: 1000 - (1000 + 250) = -250.
	 */
	assert_true(ml_contig_info_fill(one_order2, 5, 3, &info));
	assert_true(ml_frag_extfrag_index(&info, 3, &v));
	assert_int_equal(v, -500);
	assert_true(ml_frag_unusable_index(&info, 3, &v));
	assert_int_equal(v, 1000);
	assert_true(ml_contig_info_fill(one_order2, 5, 4, &info));
	assert_true(ml_frag_extfrag_index(&info, 4, &v));
	assert_int_equal(v, -250);
	assert_true(ml_contig_info_fill(one_order2, 5, 2, &info));
	assert_true(ml_frag_extfrag_index(&info, 2, &v));
	assert_int_equal(v, ML_FRAG_WOULD_SUCCEED);
	assert_true(ml_frag_unusable_index(&info, 2, &v));
	assert_int_equal(v, 0);

	/* No free page: unusable 1000, extfrag 0. */
	assert_true(ml_contig_info_fill(none, 3, 1, &info));
	assert_true(ml_frag_unusable_index(&info, 1, &v));
	assert_int_equal(v, 1000);
	assert_true(ml_frag_extfrag_index(&info, 1, &v));
	assert_int_equal(v, 0);
	assert_int_equal(ml_frag_largest_order(none, 3), -1);

	/*
	 * div_u64's divisor is 32 bits: 2^32 + 3 free pages divide by 3.
	 * unusable(1) = (2^32 + 3) * 1000 / 3 = 1431655766333, returned as int:
	 * 1431655766333 mod 2^32 = 1431656765.
	 */
	assert_true(ml_contig_info_fill(huge, 2, 1, &info));
	assert_true(ml_frag_unusable_index(&info, 1, &v));
	assert_int_equal(v, 1431656765);
	/* extfrag(1) = 1000 - (1000 + (2^32 + 3) * 1000 / 2) / 3 = 1000 - 715827883500, as int */
	assert_true(ml_frag_extfrag_index(&info, 1, &v));
	assert_int_equal(v, 1431655932);
	/* 2^32 pages: the truncated divisor is 0, where the kernel would trap. */
	assert_true(ml_contig_info_fill(exact, 2, 1, &info));
	assert_false(ml_frag_unusable_index(&info, 1, &v));
	assert_false(ml_frag_extfrag_index(&info, 1, &v));

	/* Sums that do not fit in 64 bits (garbage input). */
	assert_false(ml_contig_info_fill(overflow, 3, 0, &info));
}

static void
t_compute_edges(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_frag f;
	const struct ml_feed *pf;
	struct ml_frag_zone *z;

	(void)state;
	ml_buddyinfo_init(&bi);
	ml_frag_init(&f);
	pf = unit_parse_str(&ml_src_buddyinfo, &bi,
			    "Node 0, zone DMA 0 0 0\nNode 0, zone Normal 1 1 18446744073709551615\n"
			    "Node 1, zone Normal 4294967296 0 0\n");
	assert_int_equal(pf->stats.bad_lines, 0);
	assert_int_equal(ml_frag_compute(&f, &bi, 0, NULL), 0);
	/* Page size unknown: no bytes anywhere. */
	assert_false(f.bytes_known);
	assert_false(f.zones[0].bytes_known);
	assert_int_equal(f.zones[0].order[2].block_pages, 4);
	/* An empty zone. */
	assert_int_equal(f.zones[0].largest_order, -1);
	assert_int_equal(f.zones[0].free_pages, 0);
	assert_true(f.zones[0].order[1].index_known);
	assert_int_equal(f.zones[0].order[1].unusable, 1000);
	assert_int_equal(f.zones[0].order[1].extfrag, 0);
	/* Counts that overflow: totals and indices unknown, blocks kept. */
	z = &f.zones[1];
	assert_true(z->overflow);
	assert_int_equal(z->largest_order, 2);
	assert_true(z->order[2].free_blocks == UINT64_MAX);
	assert_false(z->order[0].index_known);
	assert_false(f.free_pages_known);
	/* 2^32 free pages: the kernel would divide by zero. */
	z = &f.zones[2];
	assert_false(z->overflow);
	assert_int_equal(z->free_pages, UINT64_C(1) << 32);
	assert_false(z->order[0].index_known);

	/* The same zone count again: nothing is allocated. */
	z = f.zones;
	assert_int_equal(ml_frag_compute(&f, &bi, 4096, NULL), 0);
	assert_ptr_equal(f.zones, z);
	assert_true(f.zones[0].bytes_known);
	assert_int_equal(f.zones[0].order[2].block_bytes, 16384);
	/* An absurd page size is no page size. */
	assert_int_equal(ml_frag_compute(&f, &bi, UINT64_MAX / 2, NULL), 0);
	assert_int_equal(f.page_size, 0);
	ml_frag_release(&f);
	ml_frag_release(&f);
	ml_buddyinfo_release(&bi);
}

static void
t_arm64_64k(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_frag f;

	(void)state;
	load_buddyinfo("arm64-64k/buddyinfo", &bi);
	ml_frag_init(&f);
	assert_int_equal(ml_frag_compute(&f, &bi, 65536, NULL), 0);
	assert_int_equal(f.norders, 14);
	assert_int_equal(f.zones[1].order[13].block_pages, 8192);
	assert_int_equal(f.zones[1].order[13].block_bytes, 512ULL << 20);
	assert_int_equal(f.zones[1].order[13].free_bytes, 40 * (512ULL << 20));
	assert_int_equal(f.zones[1].largest_order, 13);
	/* DMA has nothing free at order 12 but 3 blocks of order 13. */
	assert_int_equal(f.zones[0].order[12].extfrag, ML_FRAG_WOULD_SUCCEED);
	/* unusable(13) = (pages - 3 * 8192) * 1000 / pages */
	assert_int_equal(f.zones[0].free_pages, 20 + 30 + 40 + 64 + 96 + 128 + 192 + 256 + 512 +
							512 + 1024 + 2048 + 0 + 3 * 8192);
	assert_int_equal(f.zones[0].order[13].unusable,
			 (int)((f.zones[0].free_pages - 3 * 8192) * 1000 / f.zones[0].free_pages));
	ml_frag_release(&f);
	ml_buddyinfo_release(&bi);
}

static void
t_brief(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_frag_brief b[4];

	(void)state;
	load_buddyinfo("two-node/buddyinfo", &bi);
	assert_int_equal(ml_frag_brief(&bi, b, 4), 4);
	assert_int_equal(b[0].node, 0);
	assert_string_equal(b[0].zone, "DMA");
	assert_int_equal(b[0].largest_order, 10);
	assert_int_equal(b[2].largest_order, 9);
	assert_int_equal(b[2].free_pages, 41191);
	assert_true(b[2].free_pages_known);
	assert_int_equal(b[3].node, 1);
	assert_string_equal(b[3].zone, "Normal");
	assert_int_equal(b[3].largest_order, 3);
	assert_int_equal(b[3].free_pages, 8920);
	/* A smaller array: filled as far as it goes, the count still returned. */
	memset(b, 0, sizeof b);
	assert_int_equal(ml_frag_brief(&bi, b, 1), 4);
	assert_string_equal(b[0].zone, "DMA");
	assert_null(b[1].zone);
	ml_buddyinfo_release(&bi);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_debugfs_paired), cmocka_unit_test(t_two_node_by_hand),
		cmocka_unit_test(t_310_by_hand),    cmocka_unit_test(t_kernel_quirks),
		cmocka_unit_test(t_compute_edges),  cmocka_unit_test(t_arm64_64k),
		cmocka_unit_test(t_brief),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
