/*
 * Unit tests for the number scanners (src/proc/scan.c).
 */
#include "config.h"

#include <string.h>

#include "proc/scan.h"
#include "unit.h"

static int
scan_u64_str(const char *s, uint64_t *v, size_t *consumed)
{
	const char *p = s;
	int rc = ml_scan_u64(&p, s + strlen(s), v);

	*consumed = (size_t)(p - s);
	return rc;
}

static void
t_u64(void **state)
{
	uint64_t v = 7;
	size_t n;

	(void)state;
	assert_int_equal(scan_u64_str("0", &v, &n), ML_SCAN_OK);
	assert_int_equal(v, 0);
	assert_int_equal(n, 1);
	assert_int_equal(scan_u64_str("24684092 kB", &v, &n), ML_SCAN_OK);
	assert_int_equal(v, 24684092);
	assert_int_equal(n, 8);
	/* 20 digits: the largest value that fits. */
	assert_int_equal(scan_u64_str("18446744073709551615", &v, &n), ML_SCAN_OK);
	assert_true(v == UINT64_MAX);
	/* One more does not fit, and the cursor does not move. */
	assert_int_equal(scan_u64_str("18446744073709551616", &v, &n), ML_SCAN_OVERFLOW);
	assert_int_equal(n, 0);
	assert_int_equal(scan_u64_str("99999999999999999999", &v, &n), ML_SCAN_OVERFLOW);
	assert_int_equal(scan_u64_str("", &v, &n), ML_SCAN_NONE);
	assert_int_equal(scan_u64_str(" 5", &v, &n), ML_SCAN_NONE);
	assert_int_equal(scan_u64_str("-5", &v, &n), ML_SCAN_NONE);
	assert_int_equal(scan_u64_str("x", &v, &n), ML_SCAN_NONE);
}

static void
t_u64_bounded(void **state)
{
	const char *s = "12345";
	const char *p = s;
	uint64_t v;

	(void)state;
	/* The end pointer is respected: only "12" is scanned. */
	assert_int_equal(ml_scan_u64(&p, s + 2, &v), ML_SCAN_OK);
	assert_int_equal(v, 12);
	assert_ptr_equal(p, s + 2);
}

static void
t_i64(void **state)
{
	const char *s;
	int64_t v;

	(void)state;
	s = "-1000";
	assert_int_equal(ml_scan_i64(&s, s + 5, &v), ML_SCAN_OK);
	assert_int_equal(v, -1000);
	s = "9223372036854775807";
	assert_int_equal(ml_scan_i64(&s, s + strlen(s), &v), ML_SCAN_OK);
	assert_true(v == INT64_MAX);
	s = "-9223372036854775808";
	assert_int_equal(ml_scan_i64(&s, s + strlen(s), &v), ML_SCAN_OK);
	assert_true(v == INT64_MIN);
	s = "9223372036854775808";
	assert_int_equal(ml_scan_i64(&s, s + strlen(s), &v), ML_SCAN_OVERFLOW);
	s = "-";
	assert_int_equal(ml_scan_i64(&s, s + 1, &v), ML_SCAN_NONE);
}

static void
t_hex(void **state)
{
	const char *s;
	uint64_t v;

	(void)state;
	s = "7ffd05027000-";
	assert_int_equal(ml_scan_hex(&s, s + 13, &v), ML_SCAN_OK);
	assert_true(v == 0x7ffd05027000ULL);
	assert_int_equal(*s, '-');
	s = "ffffffffffffffff";
	assert_int_equal(ml_scan_hex(&s, s + 16, &v), ML_SCAN_OK);
	assert_true(v == UINT64_MAX);
	s = "10000000000000000";
	assert_int_equal(ml_scan_hex(&s, s + 17, &v), ML_SCAN_OVERFLOW);
	s = "0x0000004000208000 ";
	assert_int_equal(ml_scan_hex0x(&s, s + 19, &v), ML_SCAN_OK);
	assert_true(v == 0x4000208000ULL);
	s = "4000208000";
	assert_int_equal(ml_scan_hex0x(&s, s + 10, &v), ML_SCAN_OK);
	assert_true(v == 0x4000208000ULL);
	s = "0x";
	assert_int_equal(ml_scan_hex0x(&s, s + 2, &v), ML_SCAN_NONE);
	s = "g";
	assert_int_equal(ml_scan_hex(&s, s + 1, &v), ML_SCAN_NONE);
}

static void
t_tokens(void **state)
{
	const char *s = "  \tword rest\r";
	const char *end = s + strlen(s), *p;

	(void)state;
	p = ml_skip_blanks(s, end);
	assert_ptr_equal(p, s + 3);
	assert_ptr_equal(ml_token_end(p, end), s + 7);
	assert_true(ml_word_eq(p, 4, "word"));
	assert_false(ml_word_eq(p, 3, "word"));
	assert_true(ml_only_blanks(s + 12, end));
	assert_false(ml_only_blanks(s, end));
}

static void
t_swar(void **state)
{
	static const char *const cases[] = {
		"0 kB\n\n\n\n\n",    "12345678 kB",   "1234567\n \n\n",
		"9\t\t\t\t\t\t\t\t", "99999999",      "00000001/",
		"123:4567",          "4294967\xff..", "88 \x80\x80\x80\x80\x80",
		"x1234567",          "1234567a",
	};
	size_t i;
	int k, ref;
	uint64_t v;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		const char *c = cases[i];

		for (ref = 0; ref < 8 && (unsigned char)(c[ref] - '0') <= 9; ref++)
			;
		k = ml_swar_digits(c);
		if (k < 0)
			skip(); /* big-endian: the helpers decline */
		assert_int_equal(k, ref);
		if (k == 0)
			continue;
		for (v = 0, ref = 0; ref < k; ref++)
			v = v * 10 + (uint64_t)(c[ref] - '0');
		assert_true(ml_swar_value(c, k) == v);
	}
}

static void
t_mem_eq(void **state)
{
	(void)state;
	assert_true(ml_mem_eq("MemTotal", "MemTotal", 8));
	assert_false(ml_mem_eq("MemTotal", "MemTotaL", 8));
	assert_true(ml_mem_eq("nr_zone_inactive_anon", "nr_zone_inactive_anon", 21));
	assert_false(ml_mem_eq("nr_zone_inactive_anon", "nr_zone_inactive_anom", 21));
	assert_false(ml_mem_eq("nr_zone_inactive_anon", "Nr_zone_inactive_anon", 21));
	assert_true(ml_mem_eq("Dirty", "Dirty", 5));
	assert_false(ml_mem_eq("Dirty", "Dirtx", 5));
	assert_false(ml_mem_eq("Dirty", "dirty", 5));
	assert_true(ml_mem_eq("KSM", "KSM", 3));
	assert_false(ml_mem_eq("KSM", "KSN", 3));
	assert_true(ml_mem_eq("", "x", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_u64),    cmocka_unit_test(t_u64_bounded),
		cmocka_unit_test(t_i64),    cmocka_unit_test(t_hex),
		cmocka_unit_test(t_tokens), cmocka_unit_test(t_swar),
		cmocka_unit_test(t_mem_eq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
