/*
 * Unit tests for the NUMA node files (src/proc/nodeinfo.c): the node
 * meminfo and numastat parsers and the node list.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/nodeinfo.h"
#include "unit.h"

#define KIB(x) ((uint64_t)(x)*1024)

static struct ml_feed feed;

static void
assert_same_nm(const struct ml_node_meminfo *a, const struct ml_node_meminfo *b)
{
	uint32_t i;

	assert_int_equal(a->node, b->node);
	assert_memory_equal(a->val, b->val, sizeof a->val);
	assert_memory_equal(a->present, b->present, sizeof a->present);
	assert_int_equal(a->all.n, b->all.n);
	for (i = 0; i < a->all.n; i++) {
		assert_int_equal(a->all.e[i].name_len, b->all.e[i].name_len);
		assert_true(a->all.e[i].value == b->all.e[i].value);
	}
}

/* The real capture of a 6.18 node, whole and in every chunk size. */
static void
t_capture_whole_and_chunked(void **state)
{
	struct ml_node_meminfo whole, part;
	size_t len, i;
	char *buf = unit_load_fixture("linux-6.18-sys/devices/system/node/node0/meminfo", &len);

	(void)state;
	ml_node_meminfo_init(&whole);
	unit_parse(&feed, &ml_src_node_meminfo, &whole, buf, len, 0);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_int_equal(feed.stats.lines, 36);
	assert_int_equal(whole.node, 0);
	assert_true(whole.val[ML_NM_MEM_TOTAL] == KIB(10053844));
	assert_true(whole.val[ML_NM_FILE_PAGES] == KIB(116772));
	assert_true(whole.val[ML_NM_KRECLAIMABLE] == KIB(134660));
	/* HugePages_* are counts */
	assert_true(ml_node_meminfo_has(&whole, ML_NM_HUGEPAGES_TOTAL));
	assert_int_equal(whole.val[ML_NM_HUGEPAGES_TOTAL], 0);
	assert_false(ml_node_meminfo_has(&whole, ML_NM_HIGH_TOTAL));
	assert_false(ml_node_meminfo_has(&whole, ML_NM_UNACCEPTED));
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_node_meminfo_init(&part);
		unit_parse(&feed, &ml_src_node_meminfo, &part, buf, len, unit_chunk_sizes[i]);
		assert_same_nm(&whole, &part);
		/* and again into the warm struct: the learned layout */
		unit_parse(&feed, &ml_src_node_meminfo, &part, buf, len, unit_chunk_sizes[i]);
		assert_same_nm(&whole, &part);
		ml_node_meminfo_release(&part);
	}
	ml_node_meminfo_release(&whole);
	free(buf);
}

static void
t_node_number_checked(void **state)
{
	struct ml_node_meminfo nm;
	const struct ml_feed *f;

	(void)state;
	ml_node_meminfo_init(&nm);
	f = unit_parse_str(&ml_src_node_meminfo, &nm,
			   "Node 12 MemTotal:       1000 kB\n"
			   "Node 12 MemFree:         500 kB\n"
			   "Node 3 FilePages:        100 kB\n"
			   "MemUsed:                 500 kB\n"
			   "Node x AnonPages:        1 kB\n"
			   "Node 12 Unknown(new):    77 kB\n"
			   "Node 12 HugePages_Total:   4\n"
			   "Node 12 HugePages_Free:    2 kB\n"
			   "Node 1024 MemFree:       5 kB\n"
			   "Node 12 Shmem:          99999999999999999999 kB\n");
	assert_int_equal(nm.node, 12);
	assert_int_equal(f->stats.bad_lines, 6);
	assert_int_equal(f->stats.first_bad_lineno, 3);
	assert_string_equal(f->stats.first_bad_why, "another node's line");
	assert_true(nm.val[ML_NM_MEM_FREE] == KIB(500));
	assert_false(ml_node_meminfo_has(&nm, ML_NM_FILE_PAGES));
	assert_false(ml_node_meminfo_has(&nm, ML_NM_HUGEPAGES_FREE));
	assert_false(ml_node_meminfo_has(&nm, ML_NM_SHMEM));
	assert_int_equal(nm.val[ML_NM_HUGEPAGES_TOTAL], 4);
	/* the unknown key is kept, in file order */
	assert_int_equal(nm.all.n, 4);
	assert_memory_equal(ml_kvlist_name(&nm.all, 2), "Unknown(new)", 12);
	ml_node_meminfo_release(&nm);
}

static void
t_no_memtotal_is_an_error(void **state)
{
	struct ml_node_meminfo nm;
	struct ml_feed f;
	char *cause = NULL;
	static const char in[] = "Node 0 MemFree: 5 kB\nNode 0 MemUsed: 5 kB\nNode 0 Memtot";

	(void)state;
	ml_node_meminfo_init(&nm);
	assert_int_equal(
		ml_parse_buffer(&f, &ml_src_node_meminfo, &nm, in, sizeof in - 1, 0, &cause), -1);
	assert_non_null(strstr(cause, "MemTotal"));
	free(cause);
	cause = NULL;
	/* garbage */
	assert_int_equal(
		ml_parse_buffer(&f, &ml_src_node_meminfo, &nm, "\x01\x02\n\xff\n", 5, 1, &cause),
		-1);
	assert_int_equal(f.stats.bad_lines, 2);
	free(cause);
	ml_node_meminfo_release(&nm);
}

static void
t_numastat(void **state)
{
	struct ml_numastat ns, part;
	size_t len, i;
	char *buf = unit_load_fixture("two-node-sys/devices/system/node/node1/numastat", &len);
	const struct ml_feed *f;
	struct ml_feed cf;
	char *cause = NULL;

	(void)state;
	ml_numastat_init(&ns);
	unit_parse(&feed, &ml_src_numastat, &ns, buf, len, 0);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_true(ns.val[ML_NS_NUMA_HIT] == 82375168);
	assert_true(ns.val[ML_NS_OTHER_NODE] == 51335);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_numastat_init(&part);
		unit_parse(&feed, &ml_src_numastat, &part, buf, len, unit_chunk_sizes[i]);
		assert_memory_equal(ns.val, part.val, sizeof ns.val);
		assert_memory_equal(ns.present, part.present, sizeof ns.present);
		ml_numastat_release(&part);
	}
	/* unknown counters kept, a kB value and a missing value are bad */
	f = unit_parse_str(&ml_src_numastat, &ns,
			   "numa_hit 5\nnuma_new_counter 7\nnuma_miss 3 kB\nlocal_node\n");
	assert_int_equal(f->stats.bad_lines, 2);
	assert_int_equal(ns.all.n, 2);
	assert_false(ml_numastat_has(&ns, ML_NS_NUMA_MISS));
	/* an empty file has no counters: an error */
	assert_int_equal(ml_parse_buffer(&cf, &ml_src_numastat, &ns, "", 0, 0, &cause), -1);
	assert_int_equal(errno, ENODATA);
	free(cause);
	ml_numastat_release(&ns);
	free(buf);
}

static void
t_node_ids(void **state)
{
	struct ml_procfs fs;
	char *cause = NULL;
	int *ids;
	size_t n;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/four-node-sys", &cause), 0);
	assert_int_equal(ml_node_ids(&fs, &ids, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_int_equal(ids[3], 3);
	free(ids);
	ml_procfs_close(&fs);
	/* no sysfs node directory at all: ENOENT */
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/linux-6.18", &cause), 0);
	assert_int_equal(ml_node_ids(&fs, &ids, &n, &cause), -1);
	assert_int_equal(errno, ENOENT);
	free(cause);
	ml_procfs_close(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_capture_whole_and_chunked),
		cmocka_unit_test(t_node_number_checked),
		cmocka_unit_test(t_no_memtotal_is_an_error),
		cmocka_unit_test(t_numastat),
		cmocka_unit_test(t_node_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
