/*
 * Unit tests for the PSI parser (src/proc/pressure.c).
 */
#include "config.h"

#include <string.h>

#include "proc/pressure.h"
#include "unit.h"

static void
t_normal_and_chunked(void **state)
{
	static const char in[] = "some avg10=12.34 avg60=0.50 avg300=100.00 total=123456789\n"
				 "full avg10=1.00 avg60=0.00 avg300=0.07 total=42\n";
	struct ml_pressure whole, part;
	struct ml_feed f;
	size_t i;

	(void)state;
	unit_parse(&f, &ml_src_pressure_memory, &whole, in, sizeof in - 1, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_true(whole.some.present && whole.full.present);
	assert_int_equal(whole.some.avg10, 1234);
	assert_int_equal(whole.some.avg60, 50);
	assert_int_equal(whole.some.avg300, 10000);
	assert_int_equal(whole.some.total_us, 123456789);
	assert_int_equal(whole.full.avg300, 7);
	assert_int_equal(whole.full.total_us, 42);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&f, &ml_src_pressure_memory, &part, in, sizeof in - 1,
			   unit_chunk_sizes[i]);
		assert_memory_equal(&whole, &part, sizeof whole);
	}
}

static void
t_no_full_line(void **state)
{
	struct ml_pressure pr;
	const struct ml_feed *f;

	(void)state;
	f = unit_parse_str(&ml_src_pressure_memory, &pr,
			   "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(pr.some.present);
	assert_false(pr.full.present);
}

static void
t_unknown_keys_skipped_bad_lines_counted(void **state)
{
	struct ml_pressure pr;
	const struct ml_feed *f;

	(void)state;
	f = unit_parse_str(&ml_src_pressure_memory, &pr,
			   "some avg10=1.00 avg60=2.00 avg300=3.00 total=4 avg1000=9.99\n"
			   "full avg10=1.0 avg60=2.00 avg300=3.00 total=4\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_string_equal(f->stats.first_bad_why, "bad average");
	assert_true(pr.some.present);
	assert_int_equal(pr.some.avg300, 300);
	assert_false(pr.full.present);

	f = unit_parse_str(&ml_src_pressure_memory, &pr,
			   "some avg10=1.00 avg60=2.00 total=4\n"
			   "full avg10=x avg60=2.00 avg300=3.00 total=4\n"
			   "partial avg10=1.00\n"
			   "some avg10=1.00 avg60=2.00 avg300=3.00 total=99999999999999999999\n"
			   "full avg10=1.00 avg60=2.00 avg300=3.00 total=4\n"
			   "full avg10=1.00 avg60=2.00 avg300=3.00 total=5\n");
	assert_int_equal(f->stats.bad_lines, 5);
	assert_string_equal(f->stats.first_bad_why, "missing avg10, avg60, avg300 or total");
	assert_false(pr.some.present);
	assert_true(pr.full.present);
	assert_int_equal(pr.full.total_us, 4);
}

/* "full ... total=42" without its newline: the total may have lost digits, refused. */
static void
t_no_final_newline_refused(void **state)
{
	static const char in[] = "some avg10=12.34 avg60=0.50 avg300=100.00 total=123456789\n"
				 "full avg10=1.00 avg60=0.00 avg300=0.07 total=42";
	struct ml_pressure pr;
	struct ml_feed f;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&f, &ml_src_pressure_memory, &pr, in, sizeof in - 1,
			   unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_true(pr.some.present);
		assert_false(pr.full.present);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_normal_and_chunked),
		cmocka_unit_test(t_no_full_line),
		cmocka_unit_test(t_unknown_keys_skipped_bad_lines_counted),
		cmocka_unit_test(t_no_final_newline_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
