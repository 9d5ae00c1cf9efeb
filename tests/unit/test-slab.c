/*
 * The slab model: per-cache memory, waste, use and share computed by hand,
 * totals, the reclaimable split, sorting and top-k, growth between two
 * parses, the allocator guess, and the comparison with meminfo.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "model/slab.h"
#include "proc/meminfo.h"
#include "proc/slabinfo.h"

#define HDR "slabinfo - version: 2.1\n# name <active_objs> ...\n"
#define LINE(name, a, n, sz, ops, pps, slabs)                                               \
	name " " #a " " #n " " #sz " " #ops " " #pps " : tunables 0 0 0 : slabdata " #slabs \
	     " " #slabs " 0\n"

/*
 * page 4096    pages  bytes  used   waste  use
 * a   10/16 x 64     1   4096    640   3456  0.625
 * b   20/32 x 128    1   4096   2560   1536  0.625
 * c   30/32 x 256    2   8192   7680    512  0.9375
 * big  7/8  x 4096   8  32768  28672   4096  0.875
 * total             12  49152  39552   9600
 */
static const char four[] = HDR LINE("a", 10, 16, 64, 64, 1, 1) LINE("b", 20, 32, 128, 32, 1, 1)
	LINE("c", 30, 32, 256, 16, 1, 2) LINE("big", 7, 8, 4096, 8, 8, 1);
/* Two seconds later: b gone, c grew to 4 pages and 60 objects, n is new. */
static const char later[] = HDR LINE("n", 1, 8, 512, 8, 1, 1) LINE("a", 10, 16, 64, 64, 1, 1)
	LINE("c", 60, 64, 256, 16, 1, 4) LINE("big", 7, 8, 4096, 8, 8, 1);

static void
parse(struct ml_slabinfo *si, const char *text)
{
	struct ml_feed f;

	unit_parse(&f, &ml_src_slabinfo, si, text, strlen(text), 0);
	assert_int_equal(f.stats.bad_lines, 0);
}

static const struct ml_slab_row *
row(const struct ml_slab_view *v, const char *name)
{
	uint32_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->rows[i].cache->name, name) == 0)
			return &v->rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

static void
set_reclaim(struct ml_slabinfo *si, const char *name, enum ml_slab_reclaim r)
{
	struct ml_slab_cache *c = (struct ml_slab_cache *)ml_slabinfo_find(si, name);

	assert_non_null(c);
	c->reclaim = (uint8_t)r;
}

static void
t_rows_and_totals(void **state)
{
	struct ml_slabinfo si;
	struct ml_slab_view v;
	const struct ml_slab_row *r;

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	parse(&si, four);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	assert_true(v.has_bytes);
	assert_int_equal(v.allocator, ML_SLAB_ALLOC_SLUB);
	assert_int_equal(v.n, 4);
	r = row(&v, "a");
	assert_int_equal(r->pages, 1);
	assert_int_equal(r->bytes, 4096);
	assert_int_equal(r->used, 640);
	assert_int_equal(r->waste, 3456);
	assert_float_equal(r->use, 0.625, 1e-12);
	assert_float_equal(r->share, 1.0 / 12, 1e-12);
	assert_false(r->has_growth);
	r = row(&v, "c");
	assert_int_equal(r->bytes, 8192);
	assert_int_equal(r->waste, 512);
	assert_float_equal(r->use, 0.9375, 1e-12);
	r = row(&v, "big");
	assert_int_equal(r->pages, 8);
	assert_int_equal(r->bytes, 32768);
	assert_int_equal(r->used, 28672);
	assert_int_equal(r->waste, 4096);
	assert_float_equal(r->share, 8.0 / 12, 1e-12);

	assert_int_equal(v.total.caches, 4);
	assert_int_equal(v.total.caches_in_use, 4);
	assert_int_equal(v.total.active_objs, 67);
	assert_int_equal(v.total.num_objs, 88);
	assert_int_equal(v.total.num_slabs, 5);
	assert_int_equal(v.total.pages, 12);
	assert_int_equal(v.total.bytes, 49152);
	assert_int_equal(v.total.used, 39552);
	assert_int_equal(v.total.waste, 9600);
	assert_int_equal(v.total.caches_by_reclaim[ML_SLAB_RECLAIM_UNKNOWN], 4);
	assert_int_equal(v.total.bytes_by_reclaim[ML_SLAB_RECLAIM_UNKNOWN], 49152);
	assert_false(v.total.has_growth);

	/* Without a page size: pages exact, bytes unknown. */
	assert_int_equal(ml_slab_view_compute(&v, &si, 0, 0), 0);
	assert_false(v.has_bytes);
	assert_int_equal(row(&v, "big")->pages, 8);
	assert_int_equal(row(&v, "big")->bytes, 0);
	assert_int_equal(row(&v, "big")->waste, 0);
	assert_int_equal(row(&v, "big")->used, 28672);
	assert_int_equal(v.total.pages, 12);

	/* A 64 KiB page size (arm64, ppc64). */
	assert_int_equal(ml_slab_view_compute(&v, &si, 65536, 0), 0);
	assert_int_equal(row(&v, "a")->bytes, 65536);
	assert_int_equal(row(&v, "a")->waste, 65536 - 640);

	/* An empty cache and absurd numbers. */
	parse(&si, HDR LINE("empty", 0, 0, 64, 64, 1, 0)
			   LINE("huge", 1, 1, 18446744073709551615, 1, 4294967296, 4294967296));
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	assert_float_equal(row(&v, "empty")->use, 0, 0);
	assert_int_equal(row(&v, "empty")->pages, 0);
	assert_int_equal(v.total.caches_in_use, 1);
	assert_int_equal(v.total.caches_by_reclaim[ML_SLAB_RECLAIM_UNKNOWN], 1); /* not "empty" */
	assert_int_equal(row(&v, "huge")->bytes, UINT64_MAX); /* saturates, never wraps */
	assert_int_equal(v.total.bytes, UINT64_MAX);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
}

static void
assert_order(const struct ml_slab_view *v, const char *const *names)
{
	uint32_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->rows[i].cache->name, names[i]) != 0)
			fail_msg("row %u is %s, expected %s", i, v->rows[i].cache->name, names[i]);
}

static void
t_sort_and_top(void **state)
{
	static const char *const by_memory[] = { "big", "c", "a", "b" };
	static const char *const by_objects[] = { "b", "c", "a", "big" };
	static const char *const by_active[] = { "c", "b", "a", "big" };
	static const char *const by_objsize[] = { "big", "c", "b", "a" };
	static const char *const by_waste[] = { "big", "a", "b", "c" };
	static const char *const by_name[] = { "a", "b", "big", "c" };
	static const char *const memory_rev[] = { "b", "a", "c", "big" };
	static const char *const waste_no_page[] = { "big", "c", "a", "b" };
	struct ml_slabinfo si;
	struct ml_slab_view v;
	const struct ml_slab_row *top[8];

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	parse(&si, four);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);

	/* top leaves the view in file order */
	assert_int_equal(ml_slab_view_top(&v, ML_SLAB_SORT_MEMORY, 2, top), 2);
	assert_string_equal(top[0]->cache->name, "big");
	assert_string_equal(top[1]->cache->name, "c");
	assert_int_equal(ml_slab_view_top(&v, ML_SLAB_SORT_WASTE, 3, top), 3);
	assert_string_equal(top[0]->cache->name, "big");
	assert_string_equal(top[1]->cache->name, "a");
	assert_string_equal(top[2]->cache->name, "b");
	assert_int_equal(ml_slab_view_top(&v, ML_SLAB_SORT_NAME, 8, top), 4);
	assert_string_equal(top[3]->cache->name, "c");
	assert_int_equal(ml_slab_view_top(&v, ML_SLAB_SORT_MEMORY, 0, top), 0);
	assert_string_equal(v.rows[0].cache->name, "a");

	ml_slab_view_sort(&v, ML_SLAB_SORT_MEMORY, false);
	assert_order(&v, by_memory);
	ml_slab_view_sort(&v, ML_SLAB_SORT_OBJECTS, false);
	assert_order(&v, by_objects);
	ml_slab_view_sort(&v, ML_SLAB_SORT_ACTIVE, false);
	assert_order(&v, by_active);
	ml_slab_view_sort(&v, ML_SLAB_SORT_OBJSIZE, false);
	assert_order(&v, by_objsize);
	ml_slab_view_sort(&v, ML_SLAB_SORT_WASTE, false);
	assert_order(&v, by_waste);
	ml_slab_view_sort(&v, ML_SLAB_SORT_NAME, false);
	assert_order(&v, by_name);
	ml_slab_view_sort(&v, ML_SLAB_SORT_MEMORY, true);
	assert_order(&v, memory_rev);
	/* Without a page size, waste sorts like memory. */
	assert_int_equal(ml_slab_view_compute(&v, &si, 0, 0), 0);
	ml_slab_view_sort(&v, ML_SLAB_SORT_WASTE, false);
	assert_order(&v, waste_no_page);

	assert_int_equal(ml_slab_sort_from_name("memory"), ML_SLAB_SORT_MEMORY);
	assert_int_equal(ml_slab_sort_from_name("objsize"), ML_SLAB_SORT_OBJSIZE);
	assert_int_equal(ml_slab_sort_from_name("growth"), ML_SLAB_SORT_GROWTH);
	assert_int_equal(ml_slab_sort_from_name("size"), -1);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
}

static void
t_growth(void **state)
{
	static const char *const by_growth[] = { "c", "big", "a", "n" };
	struct ml_slabinfo si;
	struct ml_slab_view v;
	const struct ml_slab_row *r, *top[2];
	struct ml_slab_row *rows;

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	parse(&si, four);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 2.0), 0);
	assert_false(v.total.has_growth); /* one parse: nothing to compare */
	assert_false(row(&v, "a")->has_growth);
	rows = v.rows;
	parse(&si, later);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 2.0), 0);
	assert_ptr_equal(v.rows, rows); /* reused */
	r = row(&v, "c");
	assert_true(r->has_growth);
	assert_float_equal(r->growth_pages, 1.0, 1e-12);   /* (4 - 2) / 2 */
	assert_float_equal(r->growth_bytes, 4096.0, 1e-9); /* 1 page/s */
	assert_float_equal(r->growth_objs, 15.0, 1e-12);   /* (60 - 30) / 2 */
	r = row(&v, "a");
	assert_true(r->has_growth);
	assert_float_equal(r->growth_pages, 0, 0);
	assert_false(row(&v, "n")->has_growth);
	/* Totals: now 1 + 1 + 4 + 8 = 14 pages, before 1 + 2 + 8 + b's 1 = 12. */
	assert_true(v.total.has_growth);
	assert_int_equal(v.total.added, 1);
	assert_int_equal(v.total.removed, 1);
	assert_float_equal(v.total.growth_pages, 1.0, 1e-12);
	assert_float_equal(v.total.growth_bytes, 4096.0, 1e-9);
	assert_int_equal(ml_slab_view_top(&v, ML_SLAB_SORT_GROWTH, 1, top), 1);
	assert_string_equal(top[0]->cache->name, "c");
	ml_slab_view_sort(&v, ML_SLAB_SORT_GROWTH, false);
	assert_order(&v, by_growth);
	/* seconds 0: no growth even with a previous parse. */
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	assert_false(row(&v, "c")->has_growth);
	assert_false(v.total.has_growth);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
}

static void
t_allocator(void **state)
{
	struct ml_slabinfo si;
	size_t len;
	char *buf;
	struct ml_feed f;

	(void)state;
	ml_slabinfo_init(&si);
	parse(&si, HDR);
	assert_int_equal(ml_slab_allocator_guess(&si), ML_SLAB_ALLOC_UNKNOWN);
	parse(&si, four);
	assert_int_equal(ml_slab_allocator_guess(&si), ML_SLAB_ALLOC_SLUB);
	parse(&si, HDR "a 1 2 64 64 1 : tunables 120 60 8 : slabdata 1 1 0\n");
	assert_int_equal(ml_slab_allocator_guess(&si), ML_SLAB_ALLOC_SLAB);
	buf = unit_load_fixture("slab-statistics/slabinfo", &len);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(ml_slab_allocator_guess(&si), ML_SLAB_ALLOC_SLAB);
	free(buf);
	ml_slabinfo_release(&si);
}

static void
meminfo_from(struct ml_meminfo *mi, const char *text)
{
	ml_meminfo_init(mi);
	unit_parse_str(&ml_src_meminfo, mi, text);
}

static void
t_compare(void **state)
{
	struct ml_slabinfo si;
	struct ml_slab_view v;
	struct ml_meminfo mi;
	struct ml_slab_cmp cmp;

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	parse(&si, four);
	set_reclaim(&si, "a", ML_SLAB_RECLAIM_YES);
	set_reclaim(&si, "c", ML_SLAB_RECLAIM_YES);
	set_reclaim(&si, "b", ML_SLAB_RECLAIM_NO);
	set_reclaim(&si, "big", ML_SLAB_RECLAIM_NO);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	assert_int_equal(v.total.bytes_by_reclaim[ML_SLAB_RECLAIM_YES], 12288);
	assert_int_equal(v.total.bytes_by_reclaim[ML_SLAB_RECLAIM_NO], 36864);
	assert_int_equal(v.total.caches_by_reclaim[ML_SLAB_RECLAIM_YES], 2);

	/* SReclaimable exact, SUnreclaim 4 KiB above: a large kmalloc. */
	meminfo_from(&mi, "Slab: 52 kB\nSReclaimable: 12 kB\nSUnreclaim: 40 kB\n");
	ml_slab_compare(&cmp, &v, &mi);
	assert_true(cmp.slab.known);
	assert_int_equal(cmp.slab.meminfo, 53248);
	assert_int_equal(cmp.slab.slabinfo, 49152);
	assert_int_equal(cmp.slab.diff, 4096);
	assert_true(cmp.reclaimable.known);
	assert_int_equal(cmp.reclaimable.diff, 0);
	assert_int_equal(cmp.unreclaimable.slabinfo, 36864);
	assert_int_equal(cmp.unreclaimable.diff, 4096);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_LARGE_KMALLOC | ML_SLAB_CMP_NOT_ATOMIC |
					    ML_SLAB_CMP_RECLAIMABLE_EXACT);
	ml_meminfo_release(&mi);

	/* The caches above meminfo. */
	meminfo_from(&mi, "Slab: 44 kB\nSReclaimable: 8 kB\nSUnreclaim: 36 kB\n");
	ml_slab_compare(&cmp, &v, &mi);
	assert_int_equal(cmp.slab.diff, -4096);
	assert_int_equal(cmp.reclaimable.diff, -4096);
	assert_int_equal(cmp.unreclaimable.diff, 0);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_SLABINFO_ABOVE | ML_SLAB_CMP_NOT_ATOMIC);
	ml_meminfo_release(&mi);

	/* All equal: no note at all but the exact match. */
	meminfo_from(&mi, "Slab: 48 kB\nSReclaimable: 12 kB\nSUnreclaim: 36 kB\n");
	ml_slab_compare(&cmp, &v, &mi);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_RECLAIMABLE_EXACT);
	ml_meminfo_release(&mi);

	/* One cache unknown: only the total compares. */
	set_reclaim(&si, "big", ML_SLAB_RECLAIM_UNKNOWN);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	meminfo_from(&mi, "Slab: 52 kB\nSReclaimable: 12 kB\nSUnreclaim: 40 kB\n");
	ml_slab_compare(&cmp, &v, &mi);
	assert_true(cmp.slab.known);
	assert_false(cmp.reclaimable.known);
	assert_true(cmp.reclaimable.has_meminfo);
	assert_false(cmp.reclaimable.has_slabinfo);
	assert_false(cmp.unreclaimable.known);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_RECLAIM_UNKNOWN | ML_SLAB_CMP_LARGE_KMALLOC |
					    ML_SLAB_CMP_NOT_ATOMIC);
	/* No page size: nothing compares. */
	assert_int_equal(ml_slab_view_compute(&v, &si, 0, 0), 0);
	ml_slab_compare(&cmp, &v, &mi);
	assert_false(cmp.slab.known);
	assert_true(cmp.slab.has_meminfo);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_NO_PAGE_SIZE | ML_SLAB_CMP_RECLAIM_UNKNOWN);
	ml_meminfo_release(&mi);

	/* No meminfo, or one without the fields (before 2.6.19). */
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	ml_slab_compare(&cmp, &v, NULL);
	assert_false(cmp.slab.known);
	assert_false(cmp.slab.has_meminfo);
	assert_true(cmp.slab.has_slabinfo);
	meminfo_from(&mi, "MemTotal: 1000 kB\n");
	ml_slab_compare(&cmp, &v, &mi);
	assert_false(cmp.slab.known);
	ml_meminfo_release(&mi);

	/* SLAB is not blamed for large kmallocs ("a" keeps its reclaim flag). */
	parse(&si, HDR "a 1 2 64 64 1 : tunables 120 60 8 : slabdata 1 1 0\n");
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	assert_int_equal(ml_slabinfo_find(&si, "a")->reclaim, ML_SLAB_RECLAIM_YES);
	meminfo_from(&mi, "Slab: 8 kB\n");
	ml_slab_compare(&cmp, &v, &mi);
	assert_int_equal(cmp.slab.diff, 4096);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_NOT_ATOMIC);
	ml_meminfo_release(&mi);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
}

/* The real 6.18 capture: SReclaimable matches to the byte, SUnreclaim is 6576 kB above. */
static void
t_linux618(void **state)
{
	static const char *const top5[] = { "ext4_inode_cache", "dentry", "radix_tree_node",
					    "extent_status", "vm_area_struct" };
	struct ml_slabinfo si;
	struct ml_slab_view v;
	struct ml_meminfo mi;
	struct ml_slab_cmp cmp;
	struct ml_feed f;
	const struct ml_slab_row *top[5];
	size_t len, i;
	char *buf = unit_load_fixture("linux-6.18/slabinfo", &len);
	char *mbuf;
	int fd;

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	fd = ml_slab_sysfs_open(FIXTURES "/linux-6.18-sys", NULL);
	assert_true(fd >= 0);
	ml_slabinfo_read_reclaim(&si, fd);
	close(fd);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	assert_int_equal(v.total.caches, 235);
	assert_int_equal(v.total.num_slabs, 20031);
	assert_int_equal(v.total.active_objs, 525578);
	assert_int_equal(v.total.num_objs, 591960);
	assert_int_equal(v.total.used, 150351848);
	assert_int_equal(v.total.bytes, 163008 * 1024);
	assert_int_equal(v.total.bytes_by_reclaim[ML_SLAB_RECLAIM_YES], 134660 * 1024);
	assert_int_equal(v.total.bytes_by_reclaim[ML_SLAB_RECLAIM_NO], 28348 * 1024);
	assert_int_equal(ml_slab_view_top(&v, ML_SLAB_SORT_MEMORY, 5, top), 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(top[i]->cache->name, top5[i]);
	assert_int_equal(top[0]->bytes, 21328 * 4096);
	assert_float_equal(top[0]->share, 21328.0 / (163008 / 4), 1e-12);

	mbuf = unit_load_fixture("linux-6.18/meminfo", &len);
	ml_meminfo_init(&mi);
	unit_parse(&f, &ml_src_meminfo, &mi, mbuf, len, 0);
	ml_slab_compare(&cmp, &v, &mi);
	assert_int_equal(cmp.slab.diff, 6576 * 1024);
	assert_int_equal(cmp.reclaimable.diff, 0);
	assert_int_equal(cmp.unreclaimable.diff, 6576 * 1024);
	assert_int_equal(cmp.notes, ML_SLAB_CMP_LARGE_KMALLOC | ML_SLAB_CMP_NOT_ATOMIC |
					    ML_SLAB_CMP_RECLAIMABLE_EXACT);
	ml_meminfo_release(&mi);
	free(mbuf);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_rows_and_totals), cmocka_unit_test(t_sort_and_top),
		cmocka_unit_test(t_growth),          cmocka_unit_test(t_allocator),
		cmocka_unit_test(t_compare),         cmocka_unit_test(t_linux618),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
