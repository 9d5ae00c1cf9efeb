/*
 * Unit tests for the vmstat parser (src/proc/vmstat.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/vmstat.h"
#include "unit.h"

static struct ml_feed feed;

static void
t_fixture_618(void **state)
{
	struct ml_vmstat whole, part;
	size_t len, i;
	uint32_t k;
	uint64_t v;
	char *buf = unit_load_fixture("linux-6.18/vmstat", &len);

	(void)state;
	ml_vmstat_init(&whole);
	unit_parse(&feed, &ml_src_vmstat, &whole, buf, len, 0);
	assert_int_equal(feed.stats.lines, 192);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_int_equal(whole.all.n, 192);
	assert_int_equal(whole.val[ML_VS_NR_FREE_PAGES], 2416098);
	assert_true(ml_vmstat_has(&whole, ML_VS_NR_KERNEL_STACK));
	assert_int_equal(whole.val[ML_VS_NR_KERNEL_STACK], 1504);
	/* Any counter by name, known to memlens or not. */
	assert_true(ml_vmstat_find(&whole, "nr_free_pages_blocks", &v));
	assert_int_equal(v, 2011648);
	assert_true(ml_vmstat_find(&whole, "nr_unstable", &v));
	assert_false(ml_vmstat_find(&whole, "nr_no_such_counter", &v));
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_vmstat_init(&part);
		unit_parse(&feed, &ml_src_vmstat, &part, buf, len, unit_chunk_sizes[i]);
		assert_memory_equal(whole.val, part.val, sizeof whole.val);
		assert_memory_equal(whole.present, part.present, sizeof whole.present);
		assert_int_equal(whole.all.n, part.all.n);
		for (k = 0; k < whole.all.n; k++)
			assert_true(whole.all.e[k].value == part.all.e[k].value);
		ml_vmstat_release(&part);
	}
	ml_vmstat_release(&whole);
	free(buf);
}

static void
t_bad_lines(void **state)
{
	struct ml_vmstat vs;
	const struct ml_feed *f;

	(void)state;
	ml_vmstat_init(&vs);
	f = unit_parse_str(&ml_src_vmstat, &vs,
			   "nr_free_pages 10\n"
			   "nr_alone\n"
			   "nr_kb 12 kB\n"
			   "nr_word x\n"
			   " nr_indented 5\n"
			   "nr_two 1 2\n"
			   "nr_neg -1\n"
			   "nr_big 18446744073709551616\n"
			   "nr_max 18446744073709551615\n"
			   "nr_free_pages 11\n");
	assert_int_equal(f->stats.lines, 10);
	assert_int_equal(f->stats.bad_lines, 8);
	assert_string_equal(f->stats.first_bad_why, "no value");
	assert_int_equal(vs.val[ML_VS_NR_FREE_PAGES], 10);
	assert_int_equal(vs.all.n, 2);
	assert_true(vs.all.e[1].value == UINT64_MAX);
	ml_vmstat_release(&vs);
}

static void
t_absent_is_not_zero(void **state)
{
	struct ml_vmstat vs;

	(void)state;
	ml_vmstat_init(&vs);
	unit_parse_str(&ml_src_vmstat, &vs, "nr_free_pages 0\n");
	assert_true(ml_vmstat_has(&vs, ML_VS_NR_FREE_PAGES));
	assert_false(ml_vmstat_has(&vs, ML_VS_OOM_KILL));
	ml_vmstat_release(&vs);
}

/*
 * A refresh reads a counter printed with a unit as bad, as the first parse
 * did: the bulk path took "nr_x 1 kB" for the learned unknown counter nr_x
 * (found by fuzz-vmstat), so the second nr_x became the bad line.
 */
static void
t_refresh_rejects_unit(void **state)
{
	static const char text[] = "nr_x 1 kB\nnr_x 7\n";
	struct ml_vmstat vs;
	int round;

	(void)state;
	ml_vmstat_init(&vs);
	for (round = 0; round < 3; round++) {
		unit_parse(&feed, &ml_src_vmstat, &vs, text, sizeof text - 1, round == 1 ? 7 : 0);
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_int_equal(feed.stats.first_bad_lineno, 1);
		assert_string_equal(feed.stats.first_bad_why, "unexpected unit kB");
		assert_int_equal(vs.all.n, 1);
		assert_true(vs.all.e[0].value == 7);
	}
	ml_vmstat_release(&vs);
}

/* No counter at all (empty, or every line bad) is no vmstat: the parse fails. */
static void
t_no_counters(void **state)
{
	static const char *const texts[] = { "", "\n", "garbage\nnr_neg -1\n" };
	struct ml_vmstat vs;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(texts); i++) {
		ml_vmstat_init(&vs);
		assert_int_equal(ml_parse_buffer(&feed, &ml_src_vmstat, &vs, texts[i],
						 strlen(texts[i]), 0, &cause),
				 -1);
		assert_int_equal(errno, ENODATA);
		assert_string_equal(cause, "no counters");
		free(cause);
		cause = NULL;
		ml_vmstat_release(&vs);
	}
}

/*
 * A last line without its newline ends in a number that may have lost
 * digits: refused (truncated), the other counters kept.
 */
static void
t_no_final_newline_refused(void **state)
{
	struct ml_vmstat whole, part;
	size_t len, i;
	char *buf = unit_load_fixture("linux-6.18/vmstat", &len);

	(void)state;
	ml_vmstat_init(&whole);
	unit_parse(&feed, &ml_src_vmstat, &whole, buf, len, 0);
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		ml_vmstat_init(&part);
		unit_parse(&feed, &ml_src_vmstat, &part, buf, len - 1, unit_chunk_sizes[i]);
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_int_equal(feed.stats.lines, whole.all.n);
		assert_string_equal(feed.stats.first_bad_why,
				    "no newline at end of file (truncated)");
		assert_string_equal(feed.stats.first_bad_text, "nr_unstable 0");
		assert_int_equal(part.all.n, whole.all.n - 1);
		assert_true(ml_vmstat_has(&part, ML_VS_NR_FREE_PAGES));
		ml_vmstat_release(&part);
	}
	ml_vmstat_release(&whole);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fixture_618),
		cmocka_unit_test(t_bad_lines),
		cmocka_unit_test(t_absent_is_not_zero),
		cmocka_unit_test(t_no_counters),
		cmocka_unit_test(t_refresh_rejects_unit),
		cmocka_unit_test(t_no_final_newline_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
