/*
 * Unit tests for the model: the accounting of MemTotal, the headline
 * figures (free(1) semantics, the pre-3.14 MemAvailable estimate) and the
 * page size derived from counter pairs. Expected values are computed by hand
 * from the fixtures (see the comments).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/accounting.h"
#include "model/headline.h"
#include "model/pagesize.h"
#include "proc/meminfo.h"
#include "proc/vmstat.h"
#include "unit.h"

#define KIB(x) ((uint64_t)(x)*1024)

static struct ml_meminfo mi;
static struct ml_vmstat vs;
static struct ml_feed feed;

static void
load(const char *rel)
{
	size_t len;
	char *buf = unit_load_fixture(rel, &len);

	ml_meminfo_release(&mi);
	ml_meminfo_init(&mi);
	unit_parse(&feed, &ml_src_meminfo, &mi, buf, len, 0);
	free(buf);
}

/* The parts, with unaccounted signed, add up to MemTotal exactly. */
static void
assert_adds_up(const struct ml_accounting *a)
{
	int64_t sum = 0;
	int p;

	for (p = 0; p < ML_ACCT_UNACCOUNTED; p++) {
		if (a->part[p].state == ML_ACCT_KNOWN)
			sum += (int64_t)a->part[p].bytes;
	}
	sum += a->unaccounted;
	assert_true((uint64_t)sum == a->total);
}

static void
t_618(void **state)
{
	struct ml_accounting a;
	char *cause = NULL;

	(void)state;
	load("linux-6.18/meminfo");
	assert_int_equal(ml_accounting_compute(&a, &mi, NULL, &cause), 0);
	assert_adds_up(&a);
	assert_true(a.total == KIB(24684092));
	assert_true(a.part[ML_ACCT_FREE].bytes == KIB(24294588));
	assert_true(a.part[ML_ACCT_PAGE_CACHE].bytes == KIB(115432));
	assert_true(a.has_shmem && a.shmem == KIB(8856));
	assert_string_equal(a.part[ML_ACCT_PAGE_TABLES].fields, "PageTables+SecPageTables");
	/* VMAP_STACK: KernelStack (1504 kB) is taken out of VmallocUsed (14284 kB). */
	assert_true(a.part[ML_ACCT_VMALLOC].bytes == KIB(14284 - 1504));
	assert_true(a.vmap_stack_bytes == KIB(1504));
	assert_true(a.notes & ML_ACCT_NOTE_VMAP_STACK);
	assert_int_equal(a.part[ML_ACCT_KERNEL_MISC_RECLAIMABLE].state, ML_ACCT_KNOWN);
	assert_int_equal(a.part[ML_ACCT_KERNEL_MISC_RECLAIMABLE].bytes, 0);
	assert_int_equal(a.part[ML_ACCT_BALLOON].state, ML_ACCT_KNOWN);
	/* 24684092 - 24621492 kB of named parts = 62600 kB */
	assert_true(a.unaccounted == (int64_t)KIB(62600));
	assert_false(a.notes & ML_ACCT_NOTE_OVERCOUNT);
	assert_false(a.notes & ML_ACCT_NOTE_SWAPCACHE_OVERLAP);
}

static void
t_618_measured_stack_overlap(void **state)
{
	struct ml_accounting a;
	char *cause = NULL;
	uint64_t overlap = KIB(1504), none = 0, huge = KIB(99999999);

	(void)state;
	load("linux-6.18/meminfo");
	/* vmallocinfo says the stacks both counters hold: exactly that comes out */
	assert_int_equal(ml_accounting_compute(&a, &mi, &overlap, &cause), 0);
	assert_adds_up(&a);
	assert_true(a.vmap_stack_measured);
	assert_true(a.part[ML_ACCT_VMALLOC].bytes == KIB(14284 - 1504));
	/* no vmalloc'd stacks (no CONFIG_VMAP_STACK): nothing comes out */
	assert_int_equal(ml_accounting_compute(&a, &mi, &none, &cause), 0);
	assert_adds_up(&a);
	assert_true(a.part[ML_ACCT_VMALLOC].bytes == KIB(14284));
	assert_false(a.notes & ML_ACCT_NOTE_VMAP_STACK);
	/* never more than VmallocUsed */
	assert_int_equal(ml_accounting_compute(&a, &mi, &huge, &cause), 0);
	assert_adds_up(&a);
	assert_int_equal(a.part[ML_ACCT_VMALLOC].bytes, 0);
}

static void
t_414(void **state)
{
	struct ml_accounting a;
	char *cause = NULL;

	(void)state;
	load("linux-4.14/meminfo");
	assert_int_equal(ml_accounting_compute(&a, &mi, NULL, &cause), 0);
	assert_adds_up(&a);
	/* VmallocUsed and VmallocChunk printed as 0: not a measurement. */
	assert_int_equal(a.part[ML_ACCT_VMALLOC].state, ML_ACCT_ABSENT);
	assert_true(a.notes & ML_ACCT_NOTE_VMALLOC_ZERO);
	assert_false(a.notes & ML_ACCT_NOTE_VMAP_STACK);
	assert_int_equal(a.part[ML_ACCT_PERCPU].state, ML_ACCT_ABSENT);
	assert_int_equal(a.part[ML_ACCT_KERNEL_MISC_RECLAIMABLE].state, ML_ACCT_ABSENT);
	assert_int_equal(a.part[ML_ACCT_ZSWAP].state, ML_ACCT_ABSENT);
	/* No Hugetlb line: 64 pages x 2048 kB. */
	assert_true(a.part[ML_ACCT_HUGETLB].bytes == KIB(64 * 2048));
	assert_true(a.notes & ML_ACCT_NOTE_HUGETLB_DEFAULT);
	assert_true(a.unaccounted == (int64_t)KIB(105444));
}

static void
t_310(void **state)
{
	struct ml_accounting a;
	char *cause = NULL;

	(void)state;
	load("linux-3.10/meminfo");
	assert_int_equal(ml_accounting_compute(&a, &mi, NULL, &cause), 0);
	assert_adds_up(&a);
	/* VmallocChunk is not 0: VmallocUsed is address space, not memory. */
	assert_int_equal(a.part[ML_ACCT_VMALLOC].state, ML_ACCT_ABSENT);
	assert_true(a.notes & ML_ACCT_NOTE_VMALLOC_VA);
	assert_true(a.notes & ML_ACCT_NOTE_SWAPCACHE_OVERLAP);
	assert_true(a.unaccounted == (int64_t)KIB(118368));
}

static void
t_overcount_is_negative_and_still_adds_up(void **state)
{
	struct ml_accounting a;
	char *cause = NULL;

	(void)state;
	ml_meminfo_release(&mi);
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi,
		       "MemTotal: 1000 kB\nMemFree: 600 kB\nCached: 300 kB\nAnonPages: 200 kB\n");
	assert_int_equal(ml_accounting_compute(&a, &mi, NULL, &cause), 0);
	assert_adds_up(&a);
	assert_true(a.unaccounted == -(int64_t)KIB(100));
	assert_true(a.notes & ML_ACCT_NOTE_OVERCOUNT);
	assert_int_equal(a.part[ML_ACCT_BUFFERS].state, ML_ACCT_ABSENT);
}

static void
t_no_memtotal(void **state)
{
	struct ml_accounting a;
	struct ml_headline h;
	char *cause = NULL;

	(void)state;
	ml_meminfo_release(&mi);
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, "MemFree: 600 kB\n");
	assert_int_equal(ml_accounting_compute(&a, &mi, NULL, &cause), -1);
	assert_non_null(strstr(cause, "no MemTotal"));
	free(cause);
	cause = NULL;
	assert_int_equal(ml_headline_compute(&h, &mi, NULL, &cause), -1);
	free(cause);
}

static void
t_headline_free_semantics(void **state)
{
	struct ml_headline h;
	char *cause = NULL;

	(void)state;
	load("linux-6.18/meminfo");
	assert_int_equal(ml_headline_compute(&h, &mi, NULL, &cause), 0);
	assert_int_equal(h.avail_source, ML_AVAIL_KERNEL);
	assert_true(h.used.known && h.used.v == KIB(24684092 - 24272408));
	/* free -w: cache = Cached + SReclaimable, shared = Shmem */
	assert_true(h.cache.v == KIB(115432 + 134660));
	assert_true(h.buff_cache.v == KIB(115432 + 134660 + 2036));
	assert_true(h.shared.v == KIB(8856));
	assert_true(h.swap_used.known && h.swap_used.v == 0);
	assert_false(h.used_fallback);

	/* A container's view: MemAvailable above MemTotal, used falls back to MemFree. */
	ml_meminfo_release(&mi);
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi,
		       "MemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 5000 kB\n");
	assert_int_equal(ml_headline_compute(&h, &mi, NULL, &cause), 0);
	assert_true(h.used_fallback);
	assert_true(h.used.v == KIB(600));
}

static void
t_available_estimate_310(void **state)
{
	struct ml_headline h;
	char *cause = NULL;
	uint64_t min_free = 11357;

	(void)state;
	load("linux-3.10/meminfo");
	/*
	 * wmark_low = 11357 kB * 5/4 = 14536960 B; MemFree 3195424768 B
	 * pagecache (Active+Inactive file) 3059638272 B, minus min(half, low)
	 * SReclaimable 235622400 B, minus min(half, low)
	 * 3195424768 - 14536960 + 3045101312 + 221085440 = 6447074560
	 */
	assert_int_equal(ml_headline_compute(&h, &mi, &min_free, &cause), 0);
	assert_int_equal(h.avail_source, ML_AVAIL_ESTIMATED);
	assert_true(h.available.v == UINT64_C(6447074560));
	assert_true(h.used.v == KIB(8061404) - UINT64_C(6447074560));
	/* Without min_free_kbytes there is no estimate, and used falls back to MemFree. */
	assert_int_equal(ml_headline_compute(&h, &mi, NULL, &cause), 0);
	assert_int_equal(h.avail_source, ML_AVAIL_UNKNOWN);
	assert_false(h.available.known);
	assert_true(h.used.v == KIB(8061404 - 3120532));
}

static void
t_page_size_from_counters(void **state)
{
	size_t len;
	char *buf;

	(void)state;
	load("linux-6.18/meminfo");
	buf = unit_load_fixture("linux-6.18/vmstat", &len);
	ml_vmstat_init(&vs);
	unit_parse(&feed, &ml_src_vmstat, &vs, buf, len, 0);
	free(buf);
	assert_int_equal(ml_page_size_from_counters(&mi, &vs), 4096);

	/* 64 KiB pages (arm64): 6400 kB in 100 pages. */
	ml_meminfo_release(&mi);
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, "AnonPages: 6400 kB\n");
	unit_parse_str(&ml_src_vmstat, &vs, "nr_anon_pages 100\n");
	assert_int_equal(ml_page_size_from_counters(&mi, &vs), 65536);
	/* Too few pages to tell, or no exact division: unknown. */
	unit_parse_str(&ml_src_vmstat, &vs, "nr_anon_pages 8\n");
	assert_int_equal(ml_page_size_from_counters(&mi, &vs), 0);
	unit_parse_str(&ml_src_vmstat, &vs, "nr_anon_pages 99\n");
	assert_int_equal(ml_page_size_from_counters(&mi, &vs), 0);
	ml_vmstat_release(&vs);
}

static int
teardown_all(void **state)
{
	(void)state;
	ml_meminfo_release(&mi);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_618),
		cmocka_unit_test(t_618_measured_stack_overlap),
		cmocka_unit_test(t_414),
		cmocka_unit_test(t_310),
		cmocka_unit_test(t_overcount_is_negative_and_still_adds_up),
		cmocka_unit_test(t_no_memtotal),
		cmocka_unit_test(t_headline_free_semantics),
		cmocka_unit_test(t_available_estimate_310),
		cmocka_unit_test(t_page_size_from_counters),
	};

	ml_meminfo_init(&mi);
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
