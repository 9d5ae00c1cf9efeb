/*
 * Unit tests for the PID/numa_maps parser (src/proc/numamaps.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "proc/numamaps.h"
#include "unit.h"

#define KIB(x) ((uint64_t)(x)*1024)

static struct ml_feed feed;

static void
assert_same(const struct ml_numa_maps *a, const struct ml_numa_maps *b)
{
	uint32_t i;

	assert_int_equal(a->nnodes, b->nnodes);
	for (i = 0; i < a->nnodes; i++)
		assert_memory_equal(&a->node[i], &b->node[i], sizeof a->node[i]);
	assert_true(a->mappings == b->mappings && a->resident == b->resident);
	assert_true(a->anon_bytes == b->anon_bytes && a->dirty_bytes == b->dirty_bytes);
	assert_int_equal(a->npolicies, b->npolicies);
	assert_memory_equal(a->policy, b->policy, sizeof a->policy);
}

static void
t_fixture(void **state)
{
	struct ml_numa_maps whole, part;
	size_t len, i;
	char *buf = unit_load_fixture("four-node/1002/numa_maps", &len);

	(void)state;
	ml_numa_maps_init(&whole);
	unit_parse(&feed, &ml_src_numa_maps, &whole, buf, len, 0);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_true(whole.mappings == 9);
	assert_true(whole.resident == 8);
	assert_int_equal(whole.nnodes, 3);
	/* node 0: file 2048 + 80 + 300 pages, heap 1024, stack 33 (4 KiB pages) */
	assert_true(whole.node[0].bytes[ML_NMAP_FILE] == KIB(4 * (2048 + 80 + 300)));
	assert_true(whole.node[0].bytes[ML_NMAP_HEAP] == KIB(4 * 1024));
	assert_true(whole.node[0].bytes[ML_NMAP_STACK] == KIB(4 * 33));
	/* node 1: heap 3072, bind 1048576 + interleave 262144 anon, one 1 GiB hugetlb page */
	assert_true(whole.node[1].bytes[ML_NMAP_HEAP] == KIB(4 * 3072));
	assert_true(whole.node[1].bytes[ML_NMAP_ANON] == KIB(4 * (1048576 + 262144)));
	assert_true(whole.node[1].bytes[ML_NMAP_HUGE] == KIB(1048576));
	assert_true(whole.node[2].bytes[ML_NMAP_ANON] == KIB(4 * 262144));
	assert_true(whole.node[2].bytes[ML_NMAP_FILE] == KIB(4 * 100));
	assert_int_equal(whole.npolicies, 2);
	assert_string_equal(whole.policy[0].text, "bind:1");
	assert_string_equal(whole.policy[1].text, "interleave:1-2");
	assert_false(whole.overflow);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_numa_maps_init(&part);
		unit_parse(&feed, &ml_src_numa_maps, &part, buf, len, unit_chunk_sizes[i]);
		assert_same(&whole, &part);
		unit_parse(&feed, &ml_src_numa_maps, &part, buf, len, unit_chunk_sizes[i]);
		assert_same(&whole, &part);
		ml_numa_maps_release(&part);
	}
	ml_numa_maps_release(&whole);
	free(buf);
}

/* Before ~4.1 there is no kernelpagesize_kB: counted in pages, for the model. */
static void
t_old_kernel_and_odd_policies(void **state)
{
	struct ml_numa_maps nm;
	const struct ml_feed *f;

	(void)state;
	ml_numa_maps_init(&nm);
	f = unit_parse_str(&ml_src_numa_maps, &nm,
			   "00400000 default file=/bin/cat mapped=7 N0=7\n"
			   "7f0000000000 default huge anon=2 dirty=2 N1=2\n"
			   "7fff00000000 default stack:4242 anon=3 dirty=3 N0=3\n"
			   "7fff10000000 weighted interleave:0-1 anon=4 dirty=4 N0=2 N1=2 "
			   "kernelpagesize_kB=4\n"
			   "7fff20000000 prefer (many):0-1 anon=1 N1=1 kernelpagesize_kB=4 "
			   "newfield=9\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(nm.node[0].base_pages == 10);
	assert_true(nm.node[1].huge_pages_unsized == 2);
	assert_true(nm.node[0].bytes[ML_NMAP_ANON] == KIB(8));
	assert_true(nm.node[1].bytes[ML_NMAP_ANON] == KIB(12));
	assert_int_equal(nm.npolicies, 2);
	assert_string_equal(nm.policy[0].text, "weighted interleave:0-1");
	assert_string_equal(nm.policy[1].text, "prefer (many):0-1");
	assert_true(nm.anon_pages == 10);
	ml_numa_maps_release(&nm);
}

static void
t_bad_lines(void **state)
{
	struct ml_numa_maps nm;
	const struct ml_feed *f;

	(void)state;
	ml_numa_maps_init(&nm);
	f = unit_parse_str(&ml_src_numa_maps, &nm,
			   "zzzz default N0=1 kernelpagesize_kB=4\n"
			   "7f00 heap N0=1 kernelpagesize_kB=4\n"
			   "7f00 default N1=1 N0=1 kernelpagesize_kB=4\n"
			   "7f00 default N0=x kernelpagesize_kB=4\n"
			   "7f00 default N5000=1 kernelpagesize_kB=4\n"
			   "7f00 default N0=1 kernelpagesize_kB=0\n"
			   "7f00 default anon=abc N0=1 kernelpagesize_kB=4\n"
			   "7f00 default N0=99999999999999999999 kernelpagesize_kB=4\n"
			   "7f00 default N0=1 kernelpagesize_kB=4\n");
	assert_int_equal(f->stats.bad_lines, 8);
	assert_string_equal(f->stats.first_bad_why, "no address");
	/* nothing of a bad line reached the sums */
	assert_true(nm.mappings == 1);
	assert_int_equal(nm.nnodes, 1);
	assert_true(nm.node[0].bytes[ML_NMAP_ANON] == KIB(4));
	/* a sum beyond 64 bits is flagged, not wrapped silently */
	f = unit_parse_str(&ml_src_numa_maps, &nm,
			   "7f00 default N0=18446744073709551615 kernelpagesize_kB=4\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(nm.overflow);
	ml_numa_maps_release(&nm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fixture),
		cmocka_unit_test(t_old_kernel_and_odd_policies),
		cmocka_unit_test(t_bad_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
