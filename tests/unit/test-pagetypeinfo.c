/*
 * /proc/pagetypeinfo parser: the 6.18 capture and hand-written trees (two
 * nodes, 3.10 migrate types, ">100000" counts with the mixed table, 14
 * orders) whole and in chunks; truncated input, garbage, broken tables.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#include "proc/buddyinfo.h"
#include "proc/pagetypeinfo.h"
#include "unit.h"

static void
assert_same(const struct ml_pagetypeinfo *a, const struct ml_pagetypeinfo *b)
{
	assert_int_equal(a->nzones, b->nzones);
	assert_int_equal(a->norders, b->norders);
	assert_int_equal(a->ntypes, b->ntypes);
	assert_memory_equal(a->type_name, b->type_name, sizeof a->type_name);
	assert_int_equal(a->pageblock_order, b->pageblock_order);
	assert_int_equal(a->pages_per_block, b->pages_per_block);
	assert_int_equal(a->nnodes, b->nnodes);
	assert_int_equal(a->has_mixed, b->has_mixed);
	assert_memory_equal(a->zones, b->zones, a->nzones * sizeof a->zones[0]);
}

/* Parse fixture rel in every chunk size: identical results, no bad line. */
static void
parse_all_chunks(const char *rel, struct ml_pagetypeinfo *whole)
{
	struct ml_feed f;
	size_t len, i;
	char *buf = unit_load_fixture(rel, &len);

	ml_pagetypeinfo_init(whole);
	unit_parse(&f, &ml_src_pagetypeinfo, whole, buf, len, 0);
	if (f.stats.bad_lines != 0)
		fail_msg("%s: line %llu: %s: %s", rel, (unsigned long long)f.stats.first_bad_lineno,
			 f.stats.first_bad_why, f.stats.first_bad_text);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		struct ml_pagetypeinfo pt;

		ml_pagetypeinfo_init(&pt);
		unit_parse(&f, &ml_src_pagetypeinfo, &pt, buf, len, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_same(&pt, whole);
		ml_pagetypeinfo_release(&pt);
	}
	free(buf);
}

/* Every zone's per-type free counts add up to its buddyinfo line (no ">" counts). */
static void
assert_sums_match_buddyinfo(const struct ml_pagetypeinfo *pt, const char *buddy_rel)
{
	struct ml_buddyinfo bi;
	struct ml_feed f;
	size_t len, z;
	unsigned int t, o;
	char *buf = unit_load_fixture(buddy_rel, &len);

	ml_buddyinfo_init(&bi);
	unit_parse(&f, &ml_src_buddyinfo, &bi, buf, len, 0);
	assert_int_equal(bi.nzones, pt->nzones);
	assert_int_equal(bi.norders, pt->norders);
	for (z = 0; z < pt->nzones; z++) {
		const struct ml_pti_zone *pz = &pt->zones[z];
		const struct ml_buddy_zone *bz = ml_buddyinfo_find(&bi, pz->node, pz->name);

		assert_non_null(bz);
		assert_int_equal(pz->free_types, (1u << pt->ntypes) - 1);
		for (o = 0; o < pt->norders; o++) {
			uint64_t sum = 0;

			for (t = 0; t < pt->ntypes; t++)
				sum += pz->free[t][o];
			assert_int_equal(sum, bz->free[o]);
		}
	}
	ml_buddyinfo_release(&bi);
	free(buf);
}

static void
t_sample(void **state)
{
	struct ml_pagetypeinfo pt;
	const struct ml_pti_zone *z;
	int mov;

	(void)state;
	parse_all_chunks("linux-6.18/pagetypeinfo", &pt);
	assert_int_equal(pt.nnodes, 1);
	assert_int_equal(pt.norders, 11);
	assert_true(pt.has_pageblock_order && pt.has_pages_per_block);
	assert_int_equal(pt.pageblock_order, 9);
	assert_int_equal(pt.pages_per_block, 512);
	assert_int_equal(pt.ntypes, 5);
	assert_string_equal(pt.type_name[0], "Unmovable");
	assert_string_equal(pt.type_name[1], "Movable");
	assert_string_equal(pt.type_name[2], "Reclaimable");
	assert_string_equal(pt.type_name[3], "HighAtomic");
	assert_string_equal(pt.type_name[4], "Isolate");
	assert_int_equal(ml_pagetypeinfo_type(&pt, "Reclaimable"), 2);
	assert_int_equal(ml_pagetypeinfo_type(&pt, "Reserve"), -1);
	assert_false(pt.has_mixed);
	assert_int_equal(pt.nzones, 3);
	z = ml_pagetypeinfo_find(&pt, 0, "Normal");
	assert_ptr_equal(z, &pt.zones[2]);
	mov = ml_pagetypeinfo_type(&pt, "Movable");
	assert_int_equal(z->free[mov][0], 4608);
	assert_int_equal(z->free[mov][10], 1098);
	assert_int_equal(z->free[0][0], 2437);
	assert_int_equal(z->free[2][7], 4);
	assert_int_equal(z->at_least[mov], 0);
	assert_int_equal(z->block_types, 0x1f);
	assert_int_equal(z->blocks[0], 117);
	assert_int_equal(z->blocks[mov], 3193);
	assert_int_equal(z->blocks[2], 82);
	assert_int_equal(z->mixed_types, 0);
	assert_int_equal(pt.zones[0].blocks[mov], 7);
	assert_null(ml_pagetypeinfo_find(&pt, 1, "Normal"));
	/* The sample's buddyinfo was read at another moment: only DMA matches exactly. */
	ml_pagetypeinfo_release(&pt);
}

static void
t_two_node(void **state)
{
	struct ml_pagetypeinfo pt;
	const struct ml_pti_zone *z;

	(void)state;
	parse_all_chunks("two-node/pagetypeinfo", &pt);
	assert_int_equal(pt.nnodes, 2); /* the header block repeats per node */
	assert_int_equal(pt.nzones, 4);
	assert_int_equal(pt.ntypes, 5);
	assert_int_equal(pt.pageblock_order, 9);
	z = ml_pagetypeinfo_find(&pt, 1, "Normal");
	assert_ptr_equal(z, &pt.zones[3]);
	assert_int_equal(z->free[0][0], 2500); /* Unmovable */
	assert_int_equal(z->free[1][3], 8);    /* Movable */
	assert_int_equal(z->blocks[3], 1);     /* HighAtomic */
	assert_int_equal(z->blocks[1], 6623);
	assert_int_equal(ml_pagetypeinfo_find(&pt, 0, "Normal")->blocks[0], 412);
	assert_sums_match_buddyinfo(&pt, "two-node/buddyinfo");
	ml_pagetypeinfo_release(&pt);
}

static void
t_310_reserve(void **state)
{
	struct ml_pagetypeinfo pt;
	const struct ml_pti_zone *z;

	(void)state;
	parse_all_chunks("linux-3.10-reserve/pagetypeinfo", &pt);
	assert_int_equal(pt.ntypes, 5);
	/* The pre-4.4 order, read from the text. */
	assert_string_equal(pt.type_name[0], "Unmovable");
	assert_string_equal(pt.type_name[1], "Reclaimable");
	assert_string_equal(pt.type_name[2], "Movable");
	assert_string_equal(pt.type_name[3], "Reserve");
	assert_string_equal(pt.type_name[4], "Isolate");
	assert_int_equal(ml_pagetypeinfo_type(&pt, "HighAtomic"), -1);
	z = ml_pagetypeinfo_find(&pt, 0, "Normal");
	assert_int_equal(z->free[3][0], 104);
	assert_int_equal(z->blocks[3], 4);
	assert_int_equal(z->blocks[2], 2181);
	assert_sums_match_buddyinfo(&pt, "linux-3.10-reserve/buddyinfo");
	ml_pagetypeinfo_release(&pt);
}

static void
t_capped_and_mixed(void **state)
{
	struct ml_pagetypeinfo pt;
	const struct ml_pti_zone *z;
	int mov;

	(void)state;
	parse_all_chunks("big-capped/pagetypeinfo", &pt);
	assert_int_equal(pt.nnodes, 2);
	assert_true(pt.has_mixed);
	mov = ml_pagetypeinfo_type(&pt, "Movable");
	z = ml_pagetypeinfo_find(&pt, 0, "Normal");
	/* ">100000" is kept as 100000, at least. */
	assert_int_equal(z->free[mov][0], ML_PTI_COUNT_CAP);
	assert_int_equal(z->free[mov][2], ML_PTI_COUNT_CAP);
	assert_int_equal(z->at_least[mov], 0x7);
	assert_true(ml_pti_at_least(z, (unsigned int)mov, 1));
	assert_false(ml_pti_at_least(z, (unsigned int)mov, 3));
	assert_int_equal(z->free[mov][3], 78436);
	assert_int_equal(z->at_least[0], 0);
	assert_int_equal(z->free[0][0], 73451);
	assert_int_equal(z->mixed_types, 0x1f);
	assert_int_equal(z->mixed[0], 812);
	assert_int_equal(z->mixed[mov], 2214);
	assert_int_equal(z->blocks[mov], 124003);
	z = ml_pagetypeinfo_find(&pt, 1, "Normal");
	assert_int_equal(z->at_least[mov], 0x3);
	assert_int_equal(z->mixed[2], 210);
	assert_int_equal(z->blocks[4], 1);
	ml_pagetypeinfo_release(&pt);
}

static void
t_arm64(void **state)
{
	struct ml_pagetypeinfo pt;
	const struct ml_pti_zone *z;
	int cma;

	(void)state;
	parse_all_chunks("arm64-64k/pagetypeinfo", &pt);
	assert_int_equal(pt.norders, 14);
	assert_int_equal(pt.pageblock_order, 13);
	assert_int_equal(pt.pages_per_block, 8192);
	assert_int_equal(pt.ntypes, 6);
	cma = ml_pagetypeinfo_type(&pt, "CMA");
	assert_int_equal(cma, 4);
	z = ml_pagetypeinfo_find(&pt, 0, "DMA");
	assert_int_equal(z->free[cma][0], 6);
	assert_int_equal(z->blocks[cma], 2);
	assert_int_equal(ml_pagetypeinfo_find(&pt, 0, "Normal")->free[1][13], 28);
	assert_sums_match_buddyinfo(&pt, "arm64-64k/buddyinfo");
	ml_pagetypeinfo_release(&pt);
}

static void
t_truncated(void **state)
{
	struct ml_pagetypeinfo pt;
	struct ml_feed f;
	size_t len, cut, i;
	char *buf = unit_load_fixture("two-node/pagetypeinfo", &len);
	const char *second = strstr(strstr(buf, "Page block order") + 1, "Page block order");

	(void)state;
	/* Cut inside node 1's first free-list row. */
	cut = (size_t)(strstr(second, "Node    1") - buf) + 30;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_pagetypeinfo_init(&pt);
		unit_parse(&f, &ml_src_pagetypeinfo, &pt, buf, cut, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_int_equal(pt.nzones, 3);
		assert_int_equal(pt.nnodes, 2);
		assert_int_equal(pt.zones[2].block_types, 0x1f);
		ml_pagetypeinfo_release(&pt);
	}
	free(buf);
}

/* A whole last line without its newline ends in a count that may be cut: refused. */
static void
t_no_final_newline_refused(void **state)
{
	struct ml_pagetypeinfo whole, part;
	struct ml_feed f;
	size_t len, i;
	char *buf = unit_load_fixture("linux-6.18/pagetypeinfo", &len);

	(void)state;
	ml_pagetypeinfo_init(&whole);
	unit_parse(&f, &ml_src_pagetypeinfo, &whole, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_pagetypeinfo_init(&part);
		unit_parse(&f, &ml_src_pagetypeinfo, &part, buf, len - 1, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_int_equal(part.nzones, whole.nzones);
		ml_pagetypeinfo_release(&part);
	}
	ml_pagetypeinfo_release(&whole);
	free(buf);
}

static const struct ml_feed *
parse(struct ml_pagetypeinfo *pt, const char *s)
{
	return unit_parse_str(&ml_src_pagetypeinfo, pt, s);
}

#define HDR "Page block order: 9\nPages per block:  512\n\n"
#define FREEH "Free pages count per migrate type at order 0 1 2\n"
#define BLOCKH "\nNumber of blocks type     Unmovable      Movable\n"
/* A good start: one zone, so that the parse succeeds whatever follows. */
#define G HDR FREEH "Node 0, zone DMA, type Movable 1 2 3\n"

static void
t_garbage(void **state)
{
	struct ml_pagetypeinfo pt;
	struct ml_feed f;
	char *cause = NULL;
	static const char junk[] = "\xff\xfe garbage\nNode 0, zone DMA 1 2\n\n12345\n";
	const struct ml_feed *pf;

	(void)state;
	ml_pagetypeinfo_init(&pt);
	assert_int_equal(
		ml_parse_buffer(&f, &ml_src_pagetypeinfo, &pt, junk, sizeof junk - 1, 0, &cause),
		-1);
	assert_string_equal(cause, "no zone rows");
	assert_int_equal(f.stats.bad_lines, 3);
	assert_string_equal(f.stats.first_bad_why, "expected \"Node N, zone NAME\"");
	free(cause);

	/* A row before any header; an unknown table and its rows. */
	pf = parse(&pt, "Node 0, zone DMA 1 2\n" HDR FREEH
			"Node 0, zone DMA, type Unmovable 1 2 3\n" BLOCKH "Node 0, zone DMA 4 5\n"
			"\nNumber of frobnicated blocks Unmovable Movable\nNode 0, zone DMA 6 7\n"
			"Something else: 3\n");
	assert_int_equal(pf->stats.bad_lines, 4);
	assert_int_equal(pf->stats.first_bad_lineno, 1);
	assert_string_equal(pf->stats.first_bad_why, "row before any table header");
	assert_int_equal(pt.nzones, 1);
	assert_int_equal(pt.zones[0].blocks[1], 5);
	ml_pagetypeinfo_release(&pt);
}

/* Each case: input, bad lines expected, why of the first. */
static void
t_bad_rows(void **state)
{
	static const struct {
		const char *in;
		unsigned int bad;
		const char *why;
	} cases[] = {
		{ G "Free pages count per migrate type at order 0 2 3\n"
		    "Node 0, zone DMA, type Unmovable 1 2 3\n",
		  2, "orders are not 0, 1, 2, ..." },
		{ G "Node 0, zone DMA, type Unmovable 1 2\n", 1,
		  "number of counts differs from the orders of the header" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3 4\n", 1,
		  "number of counts differs from the orders of the header" },
		{ G "Node 0, zone DMA, type Unmovable 1 > 3\n", 1, "free count is not a number" },
		{ G "Node 0, zone DMA, type Unmovable 1 >x 3\n", 1, "free count is not a number" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 99999999999999999999\n", 1,
		  "count does not fit in 64 bits" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n"
		    "Node 0, zone DMA, type Unmovable 1 2 3\n",
		  1, "migrate type listed twice for this zone" },
		{ G "Node 0, zone DMA Unmovable 1 2 3\n", 1,
		  "no ', type NAME' in a free-list row" },
		{ G "Node 0, zone DMA, kind Unmovable 1 2 3\n", 1,
		  "expected \"type NAME\" after the zone" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n" BLOCKH "Node 0, zone DMA 1\n", 1,
		  "fewer counts than the header has types" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n" BLOCKH "Node 0, zone DMA 1 2 3\n", 1,
		  "more counts than the header has types" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n" BLOCKH
		    "Node 0, zone DMA 1 2\nNode 0, zone DMA 1 2\n",
		  1, "zone listed twice in this table" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n" BLOCKH
		    "Node 0, zone DMA, type Movable 1 2\n",
		  1, "a free-list row in a block count table" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n"
		    "\nNumber of blocks type\n",
		  1, "no migrate type names" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n"
		    "\nNumber of blocks type A B C D E F G H I\n",
		  1, "more migrate types than memlens supports (8)" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n"
		    "Page block order: 10\nPages per block:  1024\n",
		  2, "differs from the first node's" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n"
		    "Page block order: x\n",
		  1, "not a number" },
		{ G "Node 0, zone DMA, type Unmovable 1 2 3\n" HDR
		    "Free pages count per migrate type at order 0 1\n"
		    "Node 1, zone DMA, type Unmovable 1 2\n",
		  2, "number of orders differs from the first node's" },
		{ G "Node 0, zone DMA, type "
		    "AMigrateTypeNameFarTooLongToKeep 1 2 3\n",
		  1, "migrate type name too long" },
	};
	struct ml_pagetypeinfo pt;
	const struct ml_feed *pf;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		ml_pagetypeinfo_init(&pt);
		pf = parse(&pt, cases[i].in);
		if (pf->stats.bad_lines != cases[i].bad ||
		    strcmp(pf->stats.first_bad_why, cases[i].why) != 0)
			fail_msg("case %zu: %llu bad lines (want %u), first: %s (want %s)", i,
				 (unsigned long long)pf->stats.bad_lines, cases[i].bad,
				 pf->stats.first_bad_why ? pf->stats.first_bad_why : "-",
				 cases[i].why);
		ml_pagetypeinfo_release(&pt);
	}
}

/* Refreshes reuse the zone array; the type table follows the text. */
static void
t_refresh(void **state)
{
	struct ml_pagetypeinfo pt;
	const struct ml_pti_zone *z;
	struct ml_feed f;
	size_t len;
	char *buf = unit_load_fixture("two-node/pagetypeinfo", &len);
	char *old = unit_load_fixture("linux-3.10-reserve/pagetypeinfo", &len);

	(void)state;
	ml_pagetypeinfo_init(&pt);
	unit_parse(&f, &ml_src_pagetypeinfo, &pt, buf, strlen(buf), 0);
	z = pt.zones;
	unit_parse(&f, &ml_src_pagetypeinfo, &pt, buf, strlen(buf), 7);
	assert_ptr_equal(pt.zones, z);
	assert_int_equal(pt.nzones, 4);
	assert_int_equal(pt.nnodes, 2);
	unit_parse(&f, &ml_src_pagetypeinfo, &pt, old, strlen(old), 0);
	assert_int_equal(pt.nzones, 3);
	assert_int_equal(pt.nnodes, 1);
	assert_string_equal(pt.type_name[1], "Reclaimable");
	assert_null(ml_pagetypeinfo_find(&pt, 1, "Normal"));
	ml_pagetypeinfo_release(&pt);
	free(buf);
	free(old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sample),
		cmocka_unit_test(t_two_node),
		cmocka_unit_test(t_no_final_newline_refused),
		cmocka_unit_test(t_310_reserve),
		cmocka_unit_test(t_capped_and_mixed),
		cmocka_unit_test(t_arm64),
		cmocka_unit_test(t_truncated),
		cmocka_unit_test(t_garbage),
		cmocka_unit_test(t_bad_rows),
		cmocka_unit_test(t_refresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
