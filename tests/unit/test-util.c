/*
 * What a user types (util.h): sizes, durations and rates, and what is not one.
 */
#include "config.h"

#include <string.h>

#include "unit.h"

#include "util.h"

static void
t_size(void **state)
{
	static const struct {
		const char *s;
		double v;
	} good[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "4096B", 4096 },
		{ "1K", 1024 },
		{ "1k", 1024 },
		{ "1KiB", 1024 },
		{ "1kb", 1024 },
		{ "1.5M", 1572864 },
		{ "2G", 2147483648.0 },
		{ "1T", 1099511627776.0 },
		{ "3MiB", 3145728 },
		{ ".5K", 512 },
	};
	static const char *const bad[] = { "",    "K",   "-1",  "+1",   "1X",  "1KiBB", "1Ki",
					   "1 K", "nan", "inf", "0x10", "1e3", "1e999", "1KB/h" };
	double v;

	(void)state;
	for (size_t i = 0; i < ML_ARRAY_SIZE(good); i++) {
		assert_int_equal(ml_parse_size(good[i].s, &v), 0);
		assert_true(v == good[i].v);
	}
	for (size_t i = 0; i < ML_ARRAY_SIZE(bad); i++)
		assert_int_equal(ml_parse_size(bad[i], &v), -1);
}

static void
t_duration(void **state)
{
	double v;

	(void)state;
	assert_int_equal(ml_parse_duration("90", &v), 0);
	assert_true(v == 90);
	assert_int_equal(ml_parse_duration("1.5s", &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(ml_parse_duration("10m", &v), 0);
	assert_true(v == 600);
	assert_int_equal(ml_parse_duration("2h", &v), 0);
	assert_true(v == 7200);
	assert_int_equal(ml_parse_duration("1d", &v), 0);
	assert_true(v == 86400);
	assert_int_equal(ml_parse_duration("", &v), -1);
	assert_int_equal(ml_parse_duration("1w", &v), -1);
	assert_int_equal(ml_parse_duration("-1", &v), -1);
	assert_int_equal(ml_parse_duration("h", &v), -1);
	assert_int_equal(ml_parse_duration("1 h", &v), -1);
}

static void
t_rate(void **state)
{
	double v;

	(void)state;
	assert_int_equal(ml_parse_rate("1M/h", &v), 0);
	assert_true(v == 1048576.0 / 3600);
	assert_int_equal(ml_parse_rate("36M", &v), 0); /* per hour by default */
	assert_true(v == 36 * 1048576.0 / 3600);
	assert_int_equal(ml_parse_rate("4MiB/s", &v), 0);
	assert_true(v == 4194304);
	assert_int_equal(ml_parse_rate("60K/m", &v), 0);
	assert_true(v == 1024);
	assert_int_equal(ml_parse_rate("0/d", &v), 0);
	assert_true(v == 0);
	assert_int_equal(ml_parse_rate("1M/", &v), -1);
	assert_int_equal(ml_parse_rate("1M/w", &v), -1);
	assert_int_equal(ml_parse_rate("/h", &v), -1);
	assert_int_equal(ml_parse_rate("1M/h/h", &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_size),
		cmocka_unit_test(t_duration),
		cmocka_unit_test(t_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
