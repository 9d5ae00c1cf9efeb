/*
 * Unit tests for the meminfo parser (src/proc/meminfo.c) and, through it,
 * the learned-layout key/value list (src/proc/kv.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "proc/meminfo.h"
#include "unit.h"

#define KIB(x) ((uint64_t)(x)*1024)

static struct ml_feed feed;

/* Two parses hold the same values, presence bits and key list. */
static void
assert_same(const struct ml_meminfo *a, const struct ml_meminfo *b)
{
	uint32_t i;

	assert_memory_equal(a->val, b->val, sizeof a->val);
	assert_memory_equal(a->present, b->present, sizeof a->present);
	assert_int_equal(a->all.n, b->all.n);
	for (i = 0; i < a->all.n; i++) {
		assert_int_equal(a->all.e[i].name_len, b->all.e[i].name_len);
		assert_memory_equal(ml_kvlist_name(&a->all, i), ml_kvlist_name(&b->all, i),
				    a->all.e[i].name_len);
		assert_true(a->all.e[i].value == b->all.e[i].value);
		assert_int_equal(a->all.e[i].unit, b->all.e[i].unit);
		assert_int_equal(a->all.e[i].slot, b->all.e[i].slot);
	}
}

static void
t_fixture_618_whole(void **state)
{
	struct ml_meminfo mi;
	size_t len;
	char *buf = unit_load_fixture("linux-6.18/meminfo", &len);

	(void)state;
	ml_meminfo_init(&mi);
	unit_parse(&feed, &ml_src_meminfo, &mi, buf, len, 0);
	assert_int_equal(feed.stats.lines, 54);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_int_equal(mi.all.n, 54);
	assert_true(mi.val[ML_MI_MEM_TOTAL] == KIB(24684092));
	assert_true(mi.val[ML_MI_MEM_AVAILABLE] == KIB(24272408));
	assert_true(mi.val[ML_MI_SHMEM] == KIB(8856));
	/* VmallocTotal overflows its %8lu column: 11 digits. */
	assert_true(mi.val[ML_MI_VMALLOC_TOTAL] == KIB(34359738367ULL));
	assert_true(ml_meminfo_has(&mi, ML_MI_BALLOON));
	/* HugePages_* are counts, not kB. */
	assert_true(ml_meminfo_has(&mi, ML_MI_HUGEPAGES_TOTAL));
	assert_int_equal(mi.val[ML_MI_HUGEPAGES_TOTAL], 0);
	assert_true(mi.val[ML_MI_HUGEPAGESIZE] == KIB(2048));
	/* Present but zero is not absent; absent is not zero. */
	assert_true(ml_meminfo_has(&mi, ML_MI_SWAP_CACHED));
	assert_false(ml_meminfo_has(&mi, ML_MI_CMA_TOTAL));
	assert_false(ml_meminfo_has(&mi, ML_MI_HARDWARE_CORRUPTED));
	assert_false(ml_meminfo_has(&mi, ML_MI_SHADOW_CALL_STACK));
	/* The kv list is in file order. */
	assert_int_equal(mi.all.e[0].slot, ML_MI_MEM_TOTAL);
	assert_memory_equal(ml_kvlist_name(&mi.all, 53), "DirectMap1G", 11);
	ml_meminfo_release(&mi);
	free(buf);
}

static void
t_fixture_618_chunked_identical(void **state)
{
	struct ml_meminfo whole, part;
	size_t len, i;
	char *buf = unit_load_fixture("linux-6.18/meminfo", &len);

	(void)state;
	ml_meminfo_init(&whole);
	unit_parse(&feed, &ml_src_meminfo, &whole, buf, len, 0);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_meminfo_init(&part);
		unit_parse(&feed, &ml_src_meminfo, &part, buf, len, unit_chunk_sizes[i]);
		assert_int_equal(feed.stats.bad_lines, 0);
		assert_same(&whole, &part);
		ml_meminfo_release(&part);
	}
	ml_meminfo_release(&whole);
	free(buf);
}

static void
t_old_kernels(void **state)
{
	struct ml_meminfo mi;
	size_t len;
	char *buf;

	(void)state;
	ml_meminfo_init(&mi);
	buf = unit_load_fixture("linux-3.10/meminfo", &len);
	unit_parse(&feed, &ml_src_meminfo, &mi, buf, len, 7);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_false(ml_meminfo_has(&mi, ML_MI_MEM_AVAILABLE));
	assert_false(ml_meminfo_has(&mi, ML_MI_PERCPU));
	assert_true(mi.val[ML_MI_VMALLOC_CHUNK] == KIB(34359281916ULL));
	free(buf);
	buf = unit_load_fixture("linux-4.14/meminfo", &len);
	unit_parse(&feed, &ml_src_meminfo, &mi, buf, len, 1);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_true(ml_meminfo_has(&mi, ML_MI_MEM_AVAILABLE));
	assert_int_equal(mi.val[ML_MI_HUGEPAGES_TOTAL], 64);
	assert_int_equal(mi.val[ML_MI_HUGEPAGES_RSVD], 2);
	assert_true(ml_meminfo_has(&mi, ML_MI_DIRECT_MAP_1G));
	free(buf);
	ml_meminfo_release(&mi);
}

static void
t_unknown_keys_kept_in_order(void **state)
{
	struct ml_meminfo mi;
	const char *in = "MemTotal:       1000 kB\n"
			 "MirrorFree:      256 kB\n"
			 "MemFree:         500 kB\n"
			 "Tcache:           17\n";

	(void)state;
	ml_meminfo_init(&mi);
	assert_int_equal(unit_parse_str(&ml_src_meminfo, &mi, in)->stats.bad_lines, 0);
	assert_int_equal(mi.all.n, 4);
	assert_memory_equal(ml_kvlist_name(&mi.all, 1), "MirrorFree", 10);
	assert_int_equal(mi.all.e[1].slot, -1);
	assert_true(mi.all.e[1].value == KIB(256));
	assert_int_equal(mi.all.e[1].unit, ML_KV_BYTES);
	assert_int_equal(mi.all.e[3].slot, -1);
	assert_int_equal(mi.all.e[3].unit, ML_KV_COUNT);
	assert_int_equal(mi.all.e[3].value, 17);
	assert_true(mi.val[ML_MI_MEM_FREE] == KIB(500));
	ml_meminfo_release(&mi);
}

static void
t_shadow_call_stack_without_space(void **state)
{
	struct ml_meminfo mi;

	(void)state;
	ml_meminfo_init(&mi);
	assert_int_equal(unit_parse_str(&ml_src_meminfo, &mi, "ShadowCallStack:12345678 kB\n")
				 ->stats.bad_lines,
			 0);
	assert_true(mi.val[ML_MI_SHADOW_CALL_STACK] == KIB(12345678));
	ml_meminfo_release(&mi);
}

static void
t_twenty_digits_and_overflow(void **state)
{
	struct ml_meminfo mi;
	const struct ml_feed *f;

	(void)state;
	ml_meminfo_init(&mi);
	f = unit_parse_str(&ml_src_meminfo, &mi, "HugePages_Total: 18446744073709551615\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(mi.val[ML_MI_HUGEPAGES_TOTAL] == UINT64_MAX);

	f = unit_parse_str(&ml_src_meminfo, &mi,
			   "MemTotal: 1 kB\nHugePages_Total: 18446744073709551616\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_int_equal(f->stats.first_bad_lineno, 2);
	assert_string_equal(f->stats.first_bad_why, "value does not fit in 64 bits");
	assert_false(ml_meminfo_has(&mi, ML_MI_HUGEPAGES_TOTAL));
	assert_true(ml_meminfo_has(&mi, ML_MI_MEM_TOTAL));

	/* Fits in 64 bits as kB, but not once converted to bytes. */
	f = unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 18014398509481984 kB\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_false(ml_meminfo_has(&mi, ML_MI_MEM_TOTAL));
	f = unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 18014398509481983 kB\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(mi.val[ML_MI_MEM_TOTAL] == UINT64_C(18014398509481983) * 1024);
	ml_meminfo_release(&mi);
}

static void
t_garbage_counted_rest_kept(void **state)
{
	static const char in[] = "MemTotal:       2000 kB\n"
				 "no colon here\n"
				 "Cached: abc kB\n"
				 "Buffers: -5 kB\n"
				 "Dirty: 5 MB\n"
				 ": 5 kB\n"
				 "Two Words: 5 kB\n"
				 "\xff\xfe\x00\x01: 1 kB\n"
				 "\n"
				 "MemFree:        1000 kB\n";
	struct ml_meminfo mi;
	struct ml_feed f;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_meminfo_init(&mi);
		unit_parse(&f, &ml_src_meminfo, &mi, in, sizeof in - 1, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.lines, 10);
		assert_int_equal(f.stats.bad_lines, 8);
		assert_int_equal(f.stats.first_bad_lineno, 2);
		assert_string_equal(f.stats.first_bad_text, "no colon here");
		assert_true(mi.val[ML_MI_MEM_TOTAL] == KIB(2000));
		assert_true(mi.val[ML_MI_MEM_FREE] == KIB(1000));
		assert_false(ml_meminfo_has(&mi, ML_MI_CACHED));
		assert_false(ml_meminfo_has(&mi, ML_MI_BUFFERS));
		assert_false(ml_meminfo_has(&mi, ML_MI_DIRTY));
		assert_int_equal(mi.all.n, 2);
		ml_meminfo_release(&mi);
	}
}

/*
 * A copy that lost the final newline: the last line ends in its unit, so it
 * is whole and parsed, in every chunking, exactly as with the newline. Cut
 * anywhere before the unit's end it is refused as truncated.
 */
static void
t_no_final_newline(void **state)
{
	struct ml_meminfo want, got;
	size_t len, c, cut;
	char *buf = unit_load_fixture("linux-6.18/meminfo", &len);
	const char *last = strstr(buf, "DirectMap1G:");

	(void)state;
	assert_non_null(last);
	assert_true(buf[len - 1] == '\n');
	ml_meminfo_init(&want);
	unit_parse(&feed, &ml_src_meminfo, &want, buf, len, 0);
	for (c = 0; c < ML_ARRAY_SIZE(unit_chunk_sizes); c++) {
		ml_meminfo_init(&got);
		unit_parse(&feed, &ml_src_meminfo, &got, buf, len - 1, unit_chunk_sizes[c]);
		assert_int_equal(feed.stats.bad_lines, 0);
		assert_int_equal(feed.stats.lines, 54);
		assert_same(&want, &got);
		assert_true(ml_meminfo_get(&got, ML_MI_DIRECT_MAP_1G) == KIB(25165824));
		ml_meminfo_release(&got);
	}
	/* "DirectMap1G:    25165824 kB" cut after the digits, the blank, the "k". */
	for (cut = strlen("DirectMap1G:    2516"); cut < strlen("DirectMap1G:    25165824 kB");
	     cut++) {
		ml_meminfo_init(&got);
		unit_parse(&feed, &ml_src_meminfo, &got, buf, (size_t)(last - buf) + cut, 0);
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_int_equal(feed.stats.first_bad_lineno, 54);
		assert_string_equal(feed.stats.first_bad_why,
				    "no newline at end of file (truncated)");
		assert_false(ml_meminfo_has(&got, ML_MI_DIRECT_MAP_1G));
		assert_true(ml_meminfo_has(&got, ML_MI_DIRECT_MAP_2M));
		ml_meminfo_release(&got);
	}
	/* A count has no unit to end in: a last "HugePages_Free: 12" cannot be told whole. */
	ml_meminfo_init(&got);
	unit_parse(&feed, &ml_src_meminfo, &got, "MemTotal: 5 kB\nHugePages_Free: 12", 34, 0);
	assert_int_equal(feed.stats.bad_lines, 1);
	assert_false(ml_meminfo_has(&got, ML_MI_HUGEPAGES_FREE));
	ml_meminfo_release(&got);
	ml_meminfo_release(&want);
	free(buf);
}

static void
t_truncated_mid_value_is_not_a_value(void **state)
{
	struct ml_meminfo mi;
	size_t len, cut;
	char *buf = unit_load_fixture("linux-6.18/meminfo", &len);
	const char *mt = strstr(buf, "MemFree:");

	(void)state;
	/* Cut inside MemFree's digits: the partial number must not be taken. */
	cut = (size_t)(mt - buf) + strlen("MemFree:        2429");
	ml_meminfo_init(&mi);
	unit_parse(&feed, &ml_src_meminfo, &mi, buf, cut, 0);
	assert_true(ml_meminfo_has(&mi, ML_MI_MEM_TOTAL));
	assert_false(ml_meminfo_has(&mi, ML_MI_MEM_FREE));
	assert_int_equal(feed.stats.bad_lines, 1);
	assert_int_equal(feed.stats.first_bad_lineno, 2);
	ml_meminfo_release(&mi);
	free(buf);
}

static void
t_duplicate_key(void **state)
{
	struct ml_meminfo mi;
	const struct ml_feed *f;

	(void)state;
	ml_meminfo_init(&mi);
	f = unit_parse_str(&ml_src_meminfo, &mi,
			   "MemTotal: 100 kB\nMemTotal: 200 kB\nFoo: 1 kB\nFoo: 2 kB\n");
	assert_int_equal(f->stats.bad_lines, 2);
	assert_string_equal(f->stats.first_bad_why, "duplicate key");
	assert_true(mi.val[ML_MI_MEM_TOTAL] == KIB(100));
	assert_int_equal(mi.all.n, 2);
	assert_true(mi.all.e[1].value == KIB(1));
	ml_meminfo_release(&mi);
}

static void
t_unit_mismatch(void **state)
{
	struct ml_meminfo mi;
	const struct ml_feed *f;

	(void)state;
	ml_meminfo_init(&mi);
	f = unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 100\nHugePages_Total: 5 kB\n");
	assert_int_equal(f->stats.bad_lines, 2);
	assert_string_equal(f->stats.first_bad_why, "missing unit kB");
	assert_false(ml_meminfo_has(&mi, ML_MI_MEM_TOTAL));
	assert_false(ml_meminfo_has(&mi, ML_MI_HUGEPAGES_TOTAL));
	ml_meminfo_release(&mi);
}

static void
t_crlf_accepted(void **state)
{
	struct ml_meminfo mi;
	const struct ml_feed *f;

	(void)state;
	ml_meminfo_init(&mi);
	f = unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 100 kB\r\nHugePages_Free: 3\r\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(mi.val[ML_MI_MEM_TOTAL] == KIB(100));
	assert_int_equal(mi.val[ML_MI_HUGEPAGES_FREE], 3);
	ml_meminfo_release(&mi);
}

static void
t_learned_layout(void **state)
{
	struct ml_meminfo mi;
	uint64_t relearns;

	(void)state;
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 1 kB\nMemFree: 2 kB\nCached: 3 kB\n");
	relearns = mi.all.relearns;
	assert_int_equal(relearns, 3);
	/* Same keys, new values: confirmed in place, nothing relearned. */
	unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 4 kB\nMemFree: 5 kB\nCached: 6 kB\n");
	assert_int_equal(mi.all.relearns, relearns);
	assert_true(mi.val[ML_MI_CACHED] == KIB(6));
	/* A key appears in the middle: relearn from there on. */
	unit_parse_str(&ml_src_meminfo, &mi,
		       "MemTotal: 7 kB\nMemAvailable: 8 kB\nMemFree: 9 kB\nCached: 10 kB\n");
	assert_true(mi.all.relearns > relearns);
	assert_int_equal(mi.all.n, 4);
	assert_true(mi.val[ML_MI_MEM_AVAILABLE] == KIB(8));
	assert_true(mi.val[ML_MI_CACHED] == KIB(10));
	/* A key vanishes at the end: dropped from the list, absent in the bits. */
	unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 7 kB\nMemAvailable: 8 kB\nMemFree: 9 kB\n");
	assert_int_equal(mi.all.n, 3);
	assert_false(ml_meminfo_has(&mi, ML_MI_CACHED));
	relearns = mi.all.relearns;
	unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 7 kB\nMemAvailable: 8 kB\nMemFree: 9 kB\n");
	assert_int_equal(mi.all.relearns, relearns);
	ml_meminfo_release(&mi);
}

/*
 * The second parse of a struct runs the bulk fast path over the learned
 * layout. Whatever the input, it must give exactly what a fresh parse (the
 * per-line path) gives: the same values, presence, bad-line counts.
 */
static void
t_bulk_path_equals_line_path(void **state)
{
	static const char *const variants[] = {
		/* the layout it learned */
		"MemTotal:       24684092 kB\nMemFree:        24294588 kB\nHugePages_Total:       "
		"0\n",
		/* CR line ends, a 20-digit count, a wrong unit, a missing value */
		"MemTotal:       24684092 kB\r\nMemFree:        24294588 kB\r\nHugePages_Total:    "
		"   0\r\n",
		"MemTotal:       24684092 kB\nMemFree:        24294588 kB\nHugePages_Total: "
		"18446744073709551615\n",
		"MemTotal:       24684092 kB\nMemFree:        24294588 kB\nHugePages_Total: "
		"18446744073709551616\n",
		"MemTotal:       24684092\nMemFree:        24294588 kB\nHugePages_Total:       0 "
		"kB\n",
		"MemTotal:\nMemFree:        24294588 kB\nHugePages_Total:       0\n",
		/* values of every width, text after the value, tabs */
		"MemTotal: 1 kB\nMemFree: 123456789012345 kB\nHugePages_Total:   12345678\n",
		"MemTotal: 12345678 kB extra\nMemFree:\t\t5 kB\nHugePages_Total: 7 pages\n",
		"MemTotal: 99999999999999999 kB\nMemFree: 18014398509481983 kB\nHugePages_Total: "
		"1\n",
		/* keys moved, one missing, one added */
		"MemFree:        1 kB\nMemTotal:       2 kB\nHugePages_Total:       3\n",
		"MemTotal:       2 kB\nHugePages_Total:       3\n",
		"MemTotal:       2 kB\nMemFree:        1 kB\nNew:  5 kB\nHugePages_Total:       "
		"3\n",
		/* truncated in the middle of the last value */
		"MemTotal:       24684092 kB\nMemFree:        24294588 kB\nHugePages_Total:       "
		"1",
	};
	const char *learn = variants[0];
	struct ml_meminfo warm, fresh;
	struct ml_feed fw, ff;
	size_t v, c;

	(void)state;
	for (v = 0; v < ML_ARRAY_SIZE(variants); v++) {
		for (c = 0; c < ML_ARRAY_SIZE(unit_chunk_sizes); c++) {
			ml_meminfo_init(&warm);
			ml_meminfo_init(&fresh);
			unit_parse(&fw, &ml_src_meminfo, &warm, learn, strlen(learn), 0);
			unit_parse(&fw, &ml_src_meminfo, &warm, variants[v], strlen(variants[v]),
				   unit_chunk_sizes[c]);
			unit_parse(&ff, &ml_src_meminfo, &fresh, variants[v], strlen(variants[v]),
				   0);
			assert_int_equal(fw.stats.lines, ff.stats.lines);
			assert_int_equal(fw.stats.bad_lines, ff.stats.bad_lines);
			assert_int_equal(fw.stats.first_bad_lineno, ff.stats.first_bad_lineno);
			assert_memory_equal(warm.present, fresh.present, sizeof warm.present);
			assert_int_equal(warm.all.n, fresh.all.n);
			for (uint32_t i = 0; i < fresh.all.n; i++)
				assert_true(warm.all.e[i].value == fresh.all.e[i].value);
			for (int k = 0; k < ML_MI__COUNT; k++)
				if (ml_meminfo_has(&fresh, k))
					assert_true(warm.val[k] == fresh.val[k]);
			ml_meminfo_release(&warm);
			ml_meminfo_release(&fresh);
		}
	}
}

static void
t_bulk_long_blank_run_is_too_long(void **state)
{
	size_t n = ML_LINE_MAX + 64, i;
	char *in = malloc(n + 64);
	struct ml_meminfo mi;
	const struct ml_feed *f;

	(void)state;
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 5 kB\n");
	strcpy(in, "MemTotal:");
	for (i = 9; i < n; i++)
		in[i] = ' ';
	strcpy(in + n, "5 kB\n");
	f = unit_parse_str(&ml_src_meminfo, &mi, in);
	assert_int_equal(f->stats.bad_lines, 1);
	assert_string_equal(f->stats.first_bad_why, "line too long");
	assert_false(ml_meminfo_has(&mi, ML_MI_MEM_TOTAL));
	ml_meminfo_release(&mi);
	free(in);
}

/*
 * Every known key says what it counts (memlens meminfo prints it beside the
 * value, in at most 46 columns), and the units match the kernel's: kB but
 * for the HugePages_ counts.
 */
static void
t_every_key_says_what_it_counts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ML_MI__COUNT; i++) {
		const struct ml_kv_key *k = &ml_meminfo_keys[i];
		const char *what = ml_meminfo_what[i];

		assert_non_null(k->name);
		if (what == NULL || what[0] == '\0')
			fail_msg("%s: no meaning", k->name);
		if (strlen(what) > 46)
			fail_msg("%s: meaning longer than 46 columns", k->name);
		assert_int_equal(k->unit, strncmp(k->name, "HugePages_", 10) == 0 ? ML_KV_COUNT
										  : ML_KV_BYTES);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fixture_618_whole),
		cmocka_unit_test(t_fixture_618_chunked_identical),
		cmocka_unit_test(t_old_kernels),
		cmocka_unit_test(t_unknown_keys_kept_in_order),
		cmocka_unit_test(t_shadow_call_stack_without_space),
		cmocka_unit_test(t_twenty_digits_and_overflow),
		cmocka_unit_test(t_garbage_counted_rest_kept),
		cmocka_unit_test(t_truncated_mid_value_is_not_a_value),
		cmocka_unit_test(t_no_final_newline),
		cmocka_unit_test(t_duplicate_key),
		cmocka_unit_test(t_unit_mismatch),
		cmocka_unit_test(t_crlf_accepted),
		cmocka_unit_test(t_learned_layout),
		cmocka_unit_test(t_bulk_path_equals_line_path),
		cmocka_unit_test(t_bulk_long_blank_run_is_too_long),
		cmocka_unit_test(t_every_key_says_what_it_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
