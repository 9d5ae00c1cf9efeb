/*
 * Unit tests for the per-node accounting and available estimate
 * (src/model/numa.c), the event counters (src/model/counters.c) and the
 * huge page, KSM and zram figures (src/model/huge.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/counters.h"
#include "model/huge.h"
#include "model/numa.h"
#include "proc/vmstat.h"
#include "proc/zoneinfo.h"
#include "unit.h"

#define KIB(x) ((uint64_t)(x)*1024)

static struct ml_feed feed;

static void
load_node(struct ml_node_meminfo *nm, const char *rel)
{
	size_t len;
	char *buf = unit_load_fixture(rel, &len);

	ml_node_meminfo_init(nm);
	unit_parse(&feed, &ml_src_node_meminfo, nm, buf, len, 0);
	free(buf);
}

static int64_t
sum_parts(const struct ml_numa_node *n)
{
	int64_t s = n->unaccounted;
	int p;

	for (p = 0; p < ML_NP_UNACCOUNTED; p++)
		if (n->part[p].known)
			s += (int64_t)n->part[p].bytes;
	return s;
}

/* The parts add up to the node's MemTotal exactly, whatever they are. */
static void
t_parts_sum_to_node_total(void **state)
{
	static const char *const nodes[] = {
		"two-node-sys/devices/system/node/node0/meminfo",
		"two-node-sys/devices/system/node/node1/meminfo",
		"four-node-sys/devices/system/node/node2/meminfo",
		"four-node-sys/devices/system/node/node3/meminfo",
		"linux-6.18-sys/devices/system/node/node0/meminfo",
	};
	struct ml_node_meminfo nm;
	struct ml_numa_node n;
	struct ml_numa_inputs in;
	char *cause = NULL;
	size_t i;

	(void)state;
	memset(&in, 0, sizeof in);
	for (i = 0; i < ML_ARRAY_SIZE(nodes); i++) {
		load_node(&nm, nodes[i]);
		assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
		assert_true(sum_parts(&n) == (int64_t)n.total);
		assert_true(n.total == nm.val[ML_NM_MEM_TOTAL]);
		ml_node_meminfo_release(&nm);
	}
}

static void
t_node_parts(void **state)
{
	struct ml_node_meminfo nm;
	struct ml_numa_node n;
	struct ml_numa_inputs in;
	char *cause = NULL;

	(void)state;
	memset(&in, 0, sizeof in);
	load_node(&nm, "two-node-sys/devices/system/node/node1/meminfo");
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
	assert_int_equal(n.node, 1);
	assert_true(n.part[ML_NP_FREE].bytes == KIB(35680));
	/* FilePages - SwapCached; Shmem inside */
	assert_true(n.part[ML_NP_PAGE_CACHE].bytes == KIB(4083724));
	assert_string_equal(n.part[ML_NP_PAGE_CACHE].fields, "FilePages-SwapCached");
	assert_true(n.has_shmem && n.shmem == KIB(3200));
	assert_true(n.part[ML_NP_ANON].bytes == KIB(11608844));
	assert_true(n.part[ML_NP_KERNEL_MISC_RECLAIMABLE].known);
	/* no hugetlb figures given: the default size's count needs the size */
	assert_false(n.part[ML_NP_HUGETLB].known);
	assert_non_null(n.part[ML_NP_HUGETLB].absent_why);
	assert_true(n.unaccounted == (int64_t)KIB(582012));
	/* without zoneinfo: no estimate, and why */
	assert_false(n.avail_known);
	assert_non_null(strstr(n.avail_why, "zoneinfo"));
	/* the hugetlb pool of every size, given by the caller */
	in.hugetlb_bytes.known = true;
	in.hugetlb_bytes.v = KIB(2048) * 100;
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
	assert_true(n.part[ML_NP_HUGETLB].bytes == KIB(2048) * 100);
	assert_true(n.unaccounted == (int64_t)KIB(582012) - (int64_t)KIB(2048) * 100);
	ml_node_meminfo_release(&nm);

	/* an old node meminfo: no SwapCached (inside FilePages), no KReclaimable */
	ml_node_meminfo_init(&nm);
	unit_parse_str(&ml_src_node_meminfo, &nm,
		       "Node 0 MemTotal: 1000 kB\nNode 0 MemFree: 100 kB\n"
		       "Node 0 FilePages: 300 kB\nNode 0 AnonPages: 200 kB\n"
		       "Node 0 HugePages_Total: 2\n");
	in.hugetlb_bytes.known = false;
	in.default_huge_size.known = true;
	in.default_huge_size.v = KIB(2048);
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
	assert_false(n.part[ML_NP_SWAP_CACHE].known);
	assert_string_equal(n.part[ML_NP_PAGE_CACHE].fields, "FilePages");
	assert_true(n.part[ML_NP_PAGE_CACHE].bytes == KIB(300));
	assert_false(n.part[ML_NP_KERNEL_MISC_RECLAIMABLE].known);
	assert_true(n.part[ML_NP_HUGETLB].bytes == KIB(4096));
	/* the parts exceed MemTotal: a negative remainder, still exact */
	assert_true(n.unaccounted == 1000 * 1024 - (100 + 300 + 200 + 4096) * 1024);
	assert_true(sum_parts(&n) == (int64_t)n.total);
	ml_node_meminfo_release(&nm);

	/* no MemTotal: an error */
	ml_node_meminfo_init(&nm);
	nm.node = 0;
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), -1);
	free(cause);
	ml_node_meminfo_release(&nm);
}

/* The estimate follows the kernel's formula with the node's own zones. */
static void
t_available_estimate(void **state)
{
	struct ml_zoneinfo zi;
	struct ml_watermarks wm;
	struct ml_node_meminfo nm;
	struct ml_numa_node n;
	struct ml_numa_inputs in;
	char *cause = NULL, *buf;
	size_t len;
	uint64_t low, reserve, file, recl, expect;

	(void)state;
	ml_zoneinfo_init(&zi);
	ml_watermarks_init(&wm);
	buf = unit_load_fixture("two-node/zoneinfo", &len);
	unit_parse(&feed, &ml_src_zoneinfo, &zi, buf, len, 0);
	free(buf);
	assert_int_equal(ml_watermarks_compute(&wm, &zi, 4096, &cause), 0);
	memset(&in, 0, sizeof in);
	in.wm = &wm;
	load_node(&nm, "two-node-sys/devices/system/node/node1/meminfo");
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
	assert_true(n.avail_known);
	assert_int_equal(n.zones, 5);
	/* node 1: only Normal is populated: low 7048 + Movable 32; high 11176 (+32) */
	low = (7048 + 32) * 4096ULL;
	reserve = 11176 * 4096ULL; /* Movable: min(managed 0, ...) = 0 */
	file = KIB(2041860) * 2;
	recl = KIB(128564);
	assert_true(n.avail_low == low);
	assert_true(n.avail_reserve == reserve);
	expect = KIB(35680) - reserve + (file - (file / 2 < low ? file / 2 : low)) +
		 (recl - (recl / 2 < low ? recl / 2 : low));
	assert_true(n.available == expect);
	ml_node_meminfo_release(&nm);

	/* a node that zoneinfo does not list */
	ml_node_meminfo_init(&nm);
	unit_parse_str(&ml_src_node_meminfo, &nm,
		       "Node 7 MemTotal: 1000 kB\nNode 7 MemFree: 100 kB\n"
		       "Node 7 Active(file): 1 kB\nNode 7 Inactive(file): 1 kB\n"
		       "Node 7 SReclaimable: 1 kB\n");
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
	assert_false(n.avail_known);
	assert_string_equal(n.avail_why, "zoneinfo has no zone of this node");
	/* the page size unknown */
	wm.page_size = 0;
	assert_int_equal(ml_numa_node_compute(&n, &nm, &in, &cause), 0);
	assert_string_equal(n.avail_why, "the page size is unknown");
	ml_node_meminfo_release(&nm);
	ml_watermarks_release(&wm);
	ml_zoneinfo_release(&zi);
}

static void
t_counters(void **state)
{
	static const char *const pre[] = { "thp_", NULL };
	struct ml_vmstat vs;
	struct ml_counter_set s;
	const struct ml_counter *c;
	double r;

	(void)state;
	ml_vmstat_init(&vs);
	ml_counter_set_init(&s);
	unit_parse_str(&ml_src_vmstat, &vs, "nr_free_pages 5\nthp_fault_alloc 10\nthp_split 4\n");
	assert_int_equal(ml_counter_set_take(&s, &vs.all, pre, 0), 0);
	assert_int_equal(s.n, 2);
	c = ml_counter_find(&s, "thp_fault_alloc");
	assert_non_null(c);
	assert_false(ml_counter_rate(&s, c, &r)); /* no interval yet */
	unit_parse_str(&ml_src_vmstat, &vs,
		       "nr_free_pages 5\nthp_fault_alloc 30\nthp_new 1\nthp_split 2\n");
	assert_int_equal(ml_counter_set_take(&s, &vs.all, pre, 2.0), 0);
	assert_int_equal(s.n, 3);
	c = ml_counter_find(&s, "thp_fault_alloc");
	assert_true(ml_counter_rate(&s, c, &r));
	assert_true(r == 10.0);
	/* went backwards: no rate; new: no rate */
	assert_false(ml_counter_rate(&s, ml_counter_find(&s, "thp_split"), &r));
	assert_false(ml_counter_rate(&s, ml_counter_find(&s, "thp_new"), &r));
	/* a counter no longer printed is dropped */
	unit_parse_str(&ml_src_vmstat, &vs, "thp_new 3\n");
	assert_int_equal(ml_counter_set_take(&s, &vs.all, pre, 1.0), 0);
	assert_int_equal(s.n, 1);
	assert_null(ml_counter_find(&s, "thp_fault_alloc"));
	assert_true(ml_counter_rate(&s, ml_counter_find(&s, "thp_new"), &r) && r == 2.0);
	ml_counter_set_release(&s);
	ml_vmstat_release(&vs);
}

static void
t_huge_figures(void **state)
{
	struct ml_procfs fs;
	struct ml_hugetlb h;
	struct ml_ksm k;
	struct ml_ksm_view v;
	struct ml_zram z;
	struct ml_zram_sum zs;
	struct ml_opt o;
	int nodes[4] = { 0, 1, 2, 3 };
	char *cause = NULL;
	double ratio;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/four-node-sys", &cause), 0);
	ml_hugetlb_init(&h);
	ml_hugetlb_read(&h, &fs, nodes, 4);
	o = ml_hugetlb_total_bytes(&h);
	/* 1024 x 2 MiB + 16 x 32 MiB + 4 x 1 GiB */
	assert_true(o.known && o.v == (2048ULL + 512 + 4096) * 1024 * 1024);
	o = ml_hugetlb_node_bytes(&h, 1);
	assert_true(o.known && o.v == (1024ULL + 2048) * 1024 * 1024);
	o = ml_hugetlb_node_bytes(&h, 3);
	assert_true(o.known && o.v == 0);
	o = ml_hugetlb_node_bytes(&h, 9); /* no such node directory */
	assert_false(o.known);
	ml_hugetlb_release(&h);

	ml_ksm_read(&k, &fs);
	ml_ksm_view(&v, &k, 4096);
	assert_true(v.sharing.known && v.sharing.v == 10000ULL * 4096);
	assert_true(v.ratio_known && v.sharing_per_shared == 5.0);
	assert_false(v.profit_known);
	ml_ksm_view(&v, &k, 0); /* the page size unknown: no bytes */
	assert_false(v.sharing.known);

	ml_zram_init(&z);
	ml_zram_read(&z, &fs);
	ml_zram_sum(&zs, &z);
	assert_int_equal(zs.devices, 2);
	assert_int_equal(zs.read, 2);
	o = ml_zram_memory(&z);
	assert_true(o.known && o.v == 310ULL * 1024 * 1024);
	/* a device whose mm_stat could not be read makes the total unknown */
	z.dev[1].mm_state = ML_ATTR_UNREADABLE;
	o = ml_zram_memory(&z);
	assert_false(o.known);
	ml_zram_release(&z);
	assert_true(ml_compression_ratio(300, 100, &ratio) && ratio == 3.0);
	assert_false(ml_compression_ratio(300, 0, &ratio));
	ml_procfs_close(&fs);
}

static void
t_top_thp(void **state)
{
	struct ml_proc p[4], *rows[4], *out[2];
	uint64_t v[4] = { 10, 0, 30, 30 };
	size_t i, n;

	(void)state;
	memset(p, 0, sizeof p);
	for (i = 0; i < 4; i++) {
		p[i].pid = (int)(100 + i);
		p[i].mem = ML_MEM_OK;
		p[i].val[ML_SM_ANON_HUGE_PAGES] = v[i];
		ml_bit_set(p[i].present, ML_SM_ANON_HUGE_PAGES);
		rows[i] = &p[i];
	}
	p[0].mem = ML_MEM_DENIED; /* unreadable: never ranked */
	n = ml_procs_top_thp(rows, 4, out, 2);
	assert_int_equal(n, 2);
	assert_int_equal(out[0]->pid, 102); /* ties by PID */
	assert_int_equal(out[1]->pid, 103);
	n = ml_procs_top_thp(rows, 2, out, 2);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_parts_sum_to_node_total),
		cmocka_unit_test(t_node_parts),
		cmocka_unit_test(t_available_estimate),
		cmocka_unit_test(t_counters),
		cmocka_unit_test(t_huge_figures),
		cmocka_unit_test(t_top_thp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
