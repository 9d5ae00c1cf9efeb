/*
 * /proc/buddyinfo parser: captures and hand-written trees whole and in
 * chunks, truncated input, garbage, overflow, order counts, the learned
 * zone layout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#include "proc/buddyinfo.h"
#include "unit.h"

/* Parse fixture rel in every chunk size; the results must be identical. */
static void
parse_all_chunks(const char *rel, struct ml_buddyinfo *whole)
{
	struct ml_feed f;
	size_t len, i;
	char *buf = unit_load_fixture(rel, &len);

	ml_buddyinfo_init(whole);
	unit_parse(&f, &ml_src_buddyinfo, whole, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		struct ml_buddyinfo bi;

		ml_buddyinfo_init(&bi);
		unit_parse(&f, &ml_src_buddyinfo, &bi, buf, len, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_int_equal(bi.nzones, whole->nzones);
		assert_int_equal(bi.norders, whole->norders);
		assert_memory_equal(bi.zones, whole->zones, bi.nzones * sizeof bi.zones[0]);
		ml_buddyinfo_release(&bi);
	}
	free(buf);
}

static void
t_sample(void **state)
{
	struct ml_buddyinfo bi;

	(void)state;
	parse_all_chunks("linux-6.18/buddyinfo", &bi);
	assert_int_equal(bi.nzones, 3);
	assert_int_equal(bi.norders, 11);
	assert_int_equal(bi.zones[0].node, 0);
	assert_string_equal(bi.zones[0].name, "DMA");
	assert_string_equal(bi.zones[1].name, "DMA32");
	assert_string_equal(bi.zones[2].name, "Normal");
	assert_int_equal(bi.zones[0].free[8], 1);
	assert_int_equal(bi.zones[0].free[10], 3);
	assert_int_equal(bi.zones[1].free[10], 752);
	assert_int_equal(bi.zones[2].free[0], 8936);
	assert_int_equal(bi.zones[2].free[6], 987);
	assert_int_equal(bi.zones[2].free[10], 1098);
	assert_ptr_equal(ml_buddyinfo_find(&bi, 0, "DMA32"), &bi.zones[1]);
	assert_null(ml_buddyinfo_find(&bi, 1, "DMA32"));
	assert_null(ml_buddyinfo_find(&bi, 0, "Movable"));
	ml_buddyinfo_release(&bi);
}

static void
t_two_node(void **state)
{
	struct ml_buddyinfo bi;

	(void)state;
	parse_all_chunks("two-node/buddyinfo", &bi);
	assert_int_equal(bi.nzones, 4);
	assert_int_equal(bi.norders, 11);
	assert_int_equal(bi.zones[2].node, 0);
	assert_string_equal(bi.zones[2].name, "Normal");
	assert_int_equal(bi.zones[2].free[9], 3);
	assert_int_equal(bi.zones[2].free[10], 0);
	assert_int_equal(bi.zones[3].node, 1);
	assert_string_equal(bi.zones[3].name, "Normal");
	assert_int_equal(bi.zones[3].free[0], 5000);
	assert_int_equal(bi.zones[3].free[3], 40);
	assert_int_equal(bi.zones[3].free[4], 0);
	assert_ptr_equal(ml_buddyinfo_find(&bi, 1, "Normal"), &bi.zones[3]);
	ml_buddyinfo_release(&bi);
}

static void
t_arm64_14_orders(void **state)
{
	struct ml_buddyinfo bi;

	(void)state;
	parse_all_chunks("arm64-64k/buddyinfo", &bi);
	assert_int_equal(bi.nzones, 2);
	assert_int_equal(bi.norders, 14);
	assert_int_equal(bi.zones[0].free[13], 3);
	assert_int_equal(bi.zones[1].free[0], 840);
	assert_int_equal(bi.zones[1].free[12], 1);
	assert_int_equal(bi.zones[1].free[13], 40);
	ml_buddyinfo_release(&bi);
}

/* A file cut in the middle of a line: that line is bad, the others stay. */
static void
t_truncated(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_feed f;
	size_t len, cut, i;
	char *buf = unit_load_fixture("linux-6.18/buddyinfo", &len);

	(void)state;
	cut = (size_t)(strrchr(buf, 'N') - buf) + 20; /* inside the last line */
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_buddyinfo_init(&bi);
		unit_parse(&f, &ml_src_buddyinfo, &bi, buf, cut, unit_chunk_sizes[i]);
		assert_int_equal(bi.nzones, 2);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_int_equal(f.stats.first_bad_lineno, 3);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		ml_buddyinfo_release(&bi);
	}
	/* Cut right after a newline: a shorter, valid file. */
	cut = (size_t)(strchr(buf, '\n') - buf) + 1;
	ml_buddyinfo_init(&bi);
	unit_parse(&f, &ml_src_buddyinfo, &bi, buf, cut, 0);
	assert_int_equal(bi.nzones, 1);
	assert_int_equal(f.stats.bad_lines, 0);
	ml_buddyinfo_release(&bi);
	free(buf);
}

/* A whole last line without its newline: its last count may have lost digits, refused. */
static void
t_no_final_newline_refused(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_feed f;
	size_t len, i;
	char *buf = unit_load_fixture("linux-6.18/buddyinfo", &len);

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_buddyinfo_init(&bi);
		unit_parse(&f, &ml_src_buddyinfo, &bi, buf, len - 1, unit_chunk_sizes[i]);
		assert_int_equal(bi.nzones, 2);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_int_equal(f.stats.first_bad_lineno, 3);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		ml_buddyinfo_release(&bi);
	}
	free(buf);
}

/* Parse s and return the feed; the caller checks. Fails the test if the parse fails. */
static const struct ml_feed *
parse(struct ml_buddyinfo *bi, const char *s)
{
	return unit_parse_str(&ml_src_buddyinfo, bi, s);
}

static void
t_garbage(void **state)
{
	struct ml_buddyinfo bi;
	struct ml_feed f;
	char *cause = NULL;
	static const char junk[] = "hello world\n\001\002\003\nNode\nNode x, zone DMA 1 2\n";
	const struct ml_feed *pf;

	(void)state;
	ml_buddyinfo_init(&bi);
	/* Nothing but garbage: no zone, so the parse fails with a cause. */
	assert_int_equal(
		ml_parse_buffer(&f, &ml_src_buddyinfo, &bi, junk, sizeof junk - 1, 0, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "no zone lines");
	assert_int_equal(f.stats.bad_lines, 4);
	assert_int_equal(f.stats.first_bad_lineno, 1);
	assert_string_equal(f.stats.first_bad_why, "expected \"Node N, zone NAME\"");
	free(cause);

	/* Garbage around a good line: the line is kept, the rest counted. */
	pf = parse(&bi, "junk\nNode 0, zone Normal 1 2 3\nNode 0 zone DMA 1 2 3\n"
			"Node 0, zone DMA 1 x 3\nNode 0, zone DMA 1 2 3x\nNode 0, zone\n"
			"Node 0, zone DMA\nNode 0, DMA 1 2 3\n");
	assert_int_equal(bi.nzones, 1);
	assert_string_equal(bi.zones[0].name, "Normal");
	assert_int_equal(bi.zones[0].free[2], 3);
	assert_int_equal(pf->stats.bad_lines, 7);
	ml_buddyinfo_release(&bi);
}

static void
t_bad_values(void **state)
{
	struct ml_buddyinfo bi;
	const struct ml_feed *pf;
	char line[1024];
	int i, n;

	(void)state;
	ml_buddyinfo_init(&bi);
	/* 2^64 does not fit; 2^64 - 1 does. */
	pf = parse(&bi, "Node 0, zone DMA 1 18446744073709551616\nNode 0, zone Normal 1 "
			"18446744073709551615\n");
	assert_int_equal(pf->stats.bad_lines, 1);
	assert_string_equal(pf->stats.first_bad_why, "count does not fit in 64 bits");
	assert_int_equal(bi.nzones, 1);
	assert_true(bi.zones[0].free[1] == UINT64_MAX);

	/* Another number of orders than the first zone line: a bad line. */
	pf = parse(&bi, "Node 0, zone DMA 1 2 3\nNode 0, zone Normal 1 2\nNode 0, zone Movable "
			"1 2 3 4\nNode 1, zone Normal 4 5 6\n");
	assert_int_equal(bi.norders, 3);
	assert_int_equal(bi.nzones, 2);
	assert_string_equal(bi.zones[1].name, "Normal");
	assert_int_equal(bi.zones[1].node, 1);
	assert_int_equal(pf->stats.bad_lines, 2);
	assert_string_equal(pf->stats.first_bad_why,
			    "number of orders differs from the first zone line");

	/* 32 orders are accepted, 33 are not. */
	for (n = 32; n <= 33; n++) {
		size_t len = (size_t)snprintf(line, sizeof line, "Node 0, zone Normal");

		for (i = 0; i < n; i++)
			len += (size_t)snprintf(line + len, sizeof line - len, " %d", i);
		snprintf(line + len, sizeof line - len, "\n");
		if (n == 32) {
			pf = parse(&bi, line);
			assert_int_equal(pf->stats.bad_lines, 0);
			assert_int_equal(bi.norders, 32);
			assert_int_equal(bi.zones[0].free[31], 31);
		} else {
			struct ml_feed f;
			char *cause = NULL;

			assert_int_equal(ml_parse_buffer(&f, &ml_src_buddyinfo, &bi, line,
							 strlen(line), 0, &cause),
					 -1);
			assert_string_equal(f.stats.first_bad_why,
					    "more orders than memlens supports (32)");
			free(cause);
		}
	}

	/* The node is an int; the zone name has a bound; a zone appears once. */
	pf = parse(&bi, "Node 2147483648, zone DMA 1\nNode 0, zone "
			"AVeryLongZoneNameThatNoKernelHasEver 1\nNode 7, zone Odd 1\n"
			"Node 7, zone Odd 2\nNode 0, zone DMA, type x 1\nNode 0, zone DMA\n");
	assert_int_equal(bi.nzones, 1);
	assert_int_equal(bi.zones[0].node, 7);
	assert_string_equal(bi.zones[0].name, "Odd"); /* unknown zone names are kept */
	assert_int_equal(bi.zones[0].free[0], 1);
	assert_int_equal(pf->stats.bad_lines, 5);
	assert_string_equal(pf->stats.first_bad_why, "bad node number");
	ml_buddyinfo_release(&bi);
}

static void
t_blanks(void **state)
{
	struct ml_buddyinfo bi;
	const struct ml_feed *pf;

	(void)state;
	ml_buddyinfo_init(&bi);
	/* Blank lines are ignored; tabs, CRs and odd spacing are blanks. */
	pf = parse(&bi, "\n   \nNode\t3 ,zone\tHighMem\t9 8 7\r\n\nNode 4,zone Device 1 1 1 \n");
	assert_int_equal(pf->stats.bad_lines, 0);
	assert_int_equal(bi.nzones, 2);
	assert_int_equal(bi.zones[0].node, 3);
	assert_string_equal(bi.zones[0].name, "HighMem");
	assert_int_equal(bi.zones[0].free[2], 7);
	assert_string_equal(bi.zones[1].name, "Device");
	ml_buddyinfo_release(&bi);
}

/* Refreshes reuse the zone array; a changed layout is relearned. */
static void
t_learned_layout(void **state)
{
	struct ml_buddyinfo bi;
	const struct ml_feed *pf;
	const struct ml_buddy_zone *z;

	(void)state;
	ml_buddyinfo_init(&bi);
	parse(&bi, "Node 0, zone DMA 1 2\nNode 0, zone Normal 3 4\nNode 1, zone Normal 5 6\n");
	z = bi.zones;
	parse(&bi, "Node 0, zone DMA 7 8\nNode 0, zone Normal 9 10\nNode 1, zone Normal 11 12\n");
	assert_ptr_equal(bi.zones, z); /* no allocation in steady state */
	assert_false(bi.diverged);
	assert_int_equal(bi.zones[2].free[1], 12);

	/* A zone disappears (memory hot-remove), another appears. */
	pf = parse(&bi,
		   "Node 0, zone DMA 1 1\nNode 1, zone Normal 2 2\nNode 1, zone Movable 3 3\n");
	assert_int_equal(pf->stats.bad_lines, 0);
	assert_true(bi.diverged);
	assert_int_equal(bi.nzones, 3);
	assert_int_equal(bi.zones[1].node, 1);
	assert_string_equal(bi.zones[1].name, "Normal");
	assert_string_equal(bi.zones[2].name, "Movable");
	assert_null(ml_buddyinfo_find(&bi, 0, "Normal"));

	/* A duplicate after a divergence is still caught. */
	pf = parse(&bi,
		   "Node 1, zone Movable 3 3\nNode 0, zone DMA 1 1\nNode 1, zone Movable 4 4\n");
	assert_int_equal(pf->stats.bad_lines, 1);
	assert_string_equal(pf->stats.first_bad_why, "zone listed twice");
	assert_int_equal(bi.nzones, 2);

	/* Fewer orders than last time: the orders beyond are cleared. */
	parse(&bi, "Node 1, zone Movable 3\n");
	assert_int_equal(bi.norders, 1);
	assert_int_equal(bi.zones[0].free[1], 0);
	ml_buddyinfo_release(&bi);
	ml_buddyinfo_release(&bi); /* twice is harmless */
}

static void
t_scan_node_zone(void **state)
{
	static const char s1[] = "Node    0, zone      DMA, type    Unmovable";
	static const char s2[] = "Node 12, zone Normal";
	const char *p = s1, *why = NULL;
	char name[ML_ZONE_NAME_MAX];
	bool comma;
	int node;

	(void)state;
	assert_int_equal(ml_scan_node_zone(&p, s1 + sizeof s1 - 1, &node, name, &comma, &why),
			 ML_LINE_OK);
	assert_int_equal(node, 0);
	assert_string_equal(name, "DMA");
	assert_true(comma);
	assert_string_equal(p, " type    Unmovable");
	p = s2;
	assert_int_equal(ml_scan_node_zone(&p, s2 + sizeof s2 - 1, &node, name, &comma, &why),
			 ML_LINE_OK);
	assert_int_equal(node, 12);
	assert_string_equal(name, "Normal");
	assert_false(comma);
	assert_ptr_equal(p, s2 + sizeof s2 - 1);
	p = s2;
	assert_int_equal(ml_scan_node_zone(&p, s2 + 8, &node, name, &comma, &why), ML_LINE_BAD);
	assert_ptr_equal(p, s2); /* not moved on failure */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sample),          cmocka_unit_test(t_two_node),
		cmocka_unit_test(t_arm64_14_orders), cmocka_unit_test(t_truncated),
		cmocka_unit_test(t_garbage),         cmocka_unit_test(t_bad_values),
		cmocka_unit_test(t_blanks),          cmocka_unit_test(t_learned_layout),
		cmocka_unit_test(t_scan_node_zone),  cmocka_unit_test(t_no_final_newline_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
