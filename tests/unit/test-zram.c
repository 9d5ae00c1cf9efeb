/*
 * Unit tests for zram's mm_stat (src/proc/zram.c) and reading the zram
 * devices and zswap's parameters through a sysfs fixture.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/zram.h"
#include "unit.h"

static struct ml_feed feed;

static void
t_mm_stat(void **state)
{
	struct ml_zram_mm_stat m, part;
	size_t len, i;
	char *buf = unit_load_fixture("four-node-sys/block/zram0/mm_stat", &len);
	const struct ml_feed *f;
	struct ml_feed cf;
	char *cause = NULL;

	(void)state;
	unit_parse(&feed, &ml_src_zram_mm_stat, &m, buf, len, 0);
	assert_int_equal(m.ncols, 9);
	assert_true(m.v[ML_ZR_MEM_USED_TOTAL] == 310ULL * 1024 * 1024);
	assert_true(m.v[ML_ZR_HUGE_PAGES_SINCE] == 500);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&feed, &ml_src_zram_mm_stat, &part, buf, len, unit_chunk_sizes[i]);
		assert_memory_equal(&m, &part, sizeof m);
	}
	free(buf);
	/* 4.2: seven columns; a newer kernel's tenth is counted, not lost */
	f = unit_parse_str(&ml_src_zram_mm_stat, &m, "1 2 3 4 5 6 7\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_int_equal(m.ncols, 7);
	f = unit_parse_str(&ml_src_zram_mm_stat, &m, "1 2 3 4 5 6 7 8 9 10\n");
	assert_int_equal(m.extra, 1);
	/* fewer than seven, a negative, garbage, overflow, two lines */
	assert_int_equal(ml_parse_buffer(&cf, &ml_src_zram_mm_stat, &m, "1 2 3\n", 6, 0, &cause),
			 -1);
	assert_string_equal(cf.stats.first_bad_why, "fewer than 7 columns");
	free(cause);
	cause = NULL;
	assert_int_equal(
		ml_parse_buffer(&cf, &ml_src_zram_mm_stat, &m, "1 2 3 4 -5 6 7\n", 15, 1, &cause),
		-1);
	free(cause);
	cause = NULL;
	assert_int_equal(ml_parse_buffer(&cf, &ml_src_zram_mm_stat, &m,
					 "1 2 3 4 5 6 99999999999999999999\n", 33, 0, &cause),
			 -1);
	assert_string_equal(cf.stats.first_bad_why, "value does not fit in 64 bits");
	free(cause);
	cause = NULL;
	f = unit_parse_str(&ml_src_zram_mm_stat, &m, "1 2 3 4 5 6 7\n1 2 3 4 5 6 8\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_true(m.v[6] == 7);
	assert_int_equal(ml_parse_buffer(&cf, &ml_src_zram_mm_stat, &m, "", 0, 0, &cause), -1);
	assert_int_equal(errno, ENODATA);
	free(cause);
}

static void
t_sysfs_sources(void **state)
{
	struct ml_procfs fs;
	struct ml_zram z;
	struct ml_zswap_params zp;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/four-node-sys", &cause), 0);
	ml_zram_init(&z);
	ml_zram_read(&z, &fs);
	assert_int_equal(z.n, 2);
	assert_string_equal(z.dev[1].name, "zram1");
	assert_int_equal(z.dev[0].mm_state, ML_ATTR_OK);
	assert_string_equal(z.dev[0].comp_algorithm.word, "zstd");
	assert_false(z.dev[1].initstate.flag);
	ml_zram_release(&z);

	ml_zswap_params_read(&zp, &fs);
	assert_true(zp.present);
	assert_string_equal(zp.a[ML_ZSWAP_ZPOOL].word, "z3fold");
	assert_int_equal(zp.a[ML_ZSWAP_SHRINKER_ENABLED].state, ML_ATTR_ABSENT);
	ml_procfs_close(&fs);

	/* no block/ directory: not listed, and why; no zswap parameters */
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/linux-6.18", &cause), 0);
	ml_zram_read(&z, &fs);
	assert_false(z.listed);
	assert_int_equal(z.list_err, ENOENT);
	ml_zswap_params_read(&zp, &fs);
	assert_false(zp.present);
	ml_procfs_close(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_mm_stat),
		cmocka_unit_test(t_sysfs_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
