/*
 * Unit tests for text output (src/render/text.c): units as free(1) has them,
 * rounding at unit boundaries, bars, widths, and table layout.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/text.h"
#include "unit.h"

static const char *
sz(uint64_t bytes, enum ml_unit_mode mode, bool si)
{
	static char buf[64];
	struct ml_units u = { mode, si };

	return text_size(buf, sizeof buf, bytes, &u);
}

/* The scaled size as memlens printed it with printf: the reference. */
static const char *
human_printf(char *buf, size_t cap, uint64_t bytes, bool si)
{
	static const char *const bin[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	static const char *const dec[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	const char *const *names = si ? dec : bin;
	double base = si ? 1000.0 : 1024.0, v = (double)bytes;
	unsigned int i = 0;

	if (bytes < (uint64_t)base) {
		snprintf(buf, cap, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (v >= base && i < 6) {
		v /= base;
		i++;
	}
	if (v >= 99.95 && floor(v + 0.5) >= base && i < 6) {
		v /= base;
		i++;
	}
	if (v < 9.995)
		snprintf(buf, cap, "%.2f %s", v, names[i]);
	else if (v < 99.95)
		snprintf(buf, cap, "%.1f %s", v, names[i]);
	else
		snprintf(buf, cap, "%.0f %s", v, names[i]);
	return buf;
}

/*
 * The integer formatting of binary sizes gives printf's text exactly: every
 * rounding boundary of every unit (ties to even included), and random sizes.
 */
static void
t_human_as_printf(void **state)
{
	static const uint64_t marks[] = { 1, 5, 9, 10, 99, 100, 512, 999, 1000, 1023, 1024 };
	struct ml_units u = { ML_UNITS_HUMAN, false };
	char want[64], got[64], ring_want[64];
	uint64_t x = 88172645463325252ULL, b;
	unsigned int i, k;
	int d;

	(void)state;
	for (i = 0; i < 6; i++) {
		for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			uint64_t unit = UINT64_C(1) << (10 * i);

			for (d = -600; d <= 600; d++) {
				b = marks[k] * unit + (uint64_t)(int64_t)d;
				if (marks[k] * unit + (uint64_t)(int64_t)d > marks[k] * unit + 600)
					continue; /* wrapped below 0 */
				assert_string_equal(text_size(got, sizeof got, b, &u),
						    human_printf(want, sizeof want, b, false));
			}
		}
	}
	/* The ties of %.2f, %.1f and %.0f: exact quarter and half units. */
	for (b = 1024; b < 100 * 1024 * 1024; b += 256)
		assert_string_equal(text_size(got, sizeof got, b, &u),
				    human_printf(want, sizeof want, b, false));
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b = x >> (x % 64);
		assert_string_equal(text_size(got, sizeof got, b, &u),
				    human_printf(want, sizeof want, b, false));
		snprintf(ring_want, sizeof ring_want, "%s", want);
		assert_string_equal(text_sz(&u, b), ring_want);
	}
}

static void
t_human(void **state)
{
	(void)state;
	assert_string_equal(sz(0, ML_UNITS_HUMAN, false), "0 B");
	assert_string_equal(sz(1023, ML_UNITS_HUMAN, false), "1023 B");
	assert_string_equal(sz(1024, ML_UNITS_HUMAN, false), "1.00 KiB");
	assert_string_equal(sz(1536, ML_UNITS_HUMAN, false), "1.50 KiB");
	assert_string_equal(sz(10 * 1024, ML_UNITS_HUMAN, false), "10.0 KiB");
	assert_string_equal(sz(100 * 1024, ML_UNITS_HUMAN, false), "100 KiB");
	assert_string_equal(sz(1023 * 1024, ML_UNITS_HUMAN, false), "1023 KiB");
	/* 1023.96 KiB rounds to 1024: shown as the next unit. */
	assert_string_equal(sz(1048535, ML_UNITS_HUMAN, false), "1.00 MiB");
	assert_string_equal(sz(UINT64_C(24684092) * 1024, ML_UNITS_HUMAN, false), "23.5 GiB");
	assert_string_equal(sz(UINT64_MAX, ML_UNITS_HUMAN, false), "16.0 EiB");
	assert_string_equal(sz(999, ML_UNITS_HUMAN, true), "999 B");
	assert_string_equal(sz(1000, ML_UNITS_HUMAN, true), "1.00 kB");
	assert_string_equal(sz(1500000, ML_UNITS_HUMAN, true), "1.50 MB");
}

static void
t_fixed(void **state)
{
	(void)state;
	assert_string_equal(sz(25276510208ULL, ML_UNITS_BYTES, false), "25276510208");
	assert_string_equal(sz(25276510208ULL, ML_UNITS_KIB, false), "24684092");
	assert_string_equal(sz(25276510208ULL, ML_UNITS_MIB, false), "24105");
	assert_string_equal(sz(25276510208ULL, ML_UNITS_GIB, false), "23");
	assert_string_equal(sz(25276510208ULL, ML_UNITS_KIB, true), "25276510");
	assert_string_equal(sz(25276510208ULL, ML_UNITS_MIB, true), "25276");
	assert_string_equal(sz(25276510208ULL, ML_UNITS_GIB, true), "25");
}

static void
t_signed(void **state)
{
	char buf[32];
	struct ml_units h = { ML_UNITS_HUMAN, false }, k = { ML_UNITS_KIB, false };

	(void)state;
	assert_string_equal(text_ssize(buf, sizeof buf, -102400, &h), "-100 KiB");
	assert_string_equal(text_ssize(buf, sizeof buf, -102400, &k), "-100");
	assert_string_equal(text_ssize(buf, sizeof buf, INT64_MIN, &h), "-8.00 EiB");
}

static void
t_rotating_buffers(void **state)
{
	struct ml_units u = { ML_UNITS_HUMAN, false };
	const char *a, *b;

	(void)state;
	a = text_sz(&u, 1024);
	b = text_sz(&u, 2048);
	assert_string_equal(a, "1.00 KiB");
	assert_string_equal(b, "2.00 KiB");
}

static void
t_bar(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(text_bar(buf, sizeof buf, 0.5, 10, false), "#####");
	assert_string_equal(text_bar(buf, sizeof buf, 1.5, 4, false), "####");
	assert_string_equal(text_bar(buf, sizeof buf, 0, 10, true), "");
	assert_string_equal(text_bar(buf, sizeof buf, 0.0625, 2, true), "▏");
	assert_string_equal(text_bar(buf, sizeof buf, 0.5625, 2, true), "█▏");
	assert_int_equal(text_width(text_bar(buf, sizeof buf, 0.99, 20, true)), 20);
	assert_int_equal(text_width("a█b"), 3);
}

static void
t_table(void **state)
{
	struct text_out o = { 0 };
	struct text_table *t = text_table_new(3);
	char *out = NULL;
	size_t len = 0;

	(void)state;
	o.f = open_memstream(&out, &len);
	assert_non_null(o.f);
	text_table_col(t, 0, "name", TA_LEFT);
	text_table_col(t, 1, "size", TA_RIGHT);
	text_table_row(t, TS_NONE);
	text_table_cell(t, "alpha");
	text_table_cell(t, "%d", 5);
	text_table_cell(t, "x");
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "b");
	text_table_cell(t, "1234");
	text_table_cell(t, "%s", "");
	text_table_print(t, &o, 2);
	text_table_free(t);
	fclose(o.f);
	/* Right-aligned numbers, no trailing blanks, no color codes when color is off. */
	assert_string_equal(out, "  name   size\n"
				 "  alpha     5  x\n"
				 "  b      1234\n");
	free(out);
}

static void
t_table_color(void **state)
{
	struct text_out o = { 0 };
	struct text_table *t = text_table_new(1);
	char *out = NULL;
	size_t len = 0;

	(void)state;
	o.f = open_memstream(&out, &len);
	o.color = true;
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "x");
	text_table_print(t, &o, 0);
	text_table_free(t);
	fclose(o.f);
	assert_string_equal(out, "\033[1mx\033[0m\n");
	free(out);
}

/* Print a 3-column table of 30 + 2 + 30 + 2 + 20 cells (+2 indent) to a string. */
static char *
wide_table(bool tty, int width)
{
	struct text_out o = { 0 };
	struct text_table *t = text_table_new(3);
	char *out = NULL;
	size_t len = 0;

	o.f = open_memstream(&out, &len);
	o.tty = tty;
	o.width = width;
	o.units.mode = ML_UNITS_HUMAN;
	text_table_col(t, 0, "cache", TA_LEFT);
	text_table_col(t, 1, "objects", TA_RIGHT);
	text_table_col(t, 2, "recl", TA_LEFT);
	text_table_row(t, TS_NONE);
	text_table_cell(t, "a_very_long_cache_name_of_30ch");
	text_table_cell(t, "123456789012345678901234567890");
	text_table_cell(t, "yes");
	text_table_row(t, TS_NONE);
	text_table_cell(t, "short");
	text_table_cell(t, "1");
	text_table_cell(t, "noooooooooooooooooooo");
	text_table_print(t, &o, 2);
	text_table_free(t);
	fclose(o.f);
	return out;
}

/*
 * On a terminal too narrow for a table, the first column gives up cells,
 * its long names cut with '~'; in a pipe nothing is cut (grep finds it).
 */
static void
t_table_fits_terminal(void **state)
{
	char *out = wide_table(true, 80), *line;
	size_t n = 0;

	(void)state;
	for (line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n"), n++)
		assert_true(strlen(line) <= 80);
	assert_int_equal(n, 3);
	free(out);
	out = wide_table(true, 80);
	assert_non_null(strstr(out, "  a_very_long_cache_name~  "));
	assert_non_null(strstr(out, "  short  "));
	free(out);
	out = wide_table(false, 80);
	assert_non_null(strstr(out, "a_very_long_cache_name_of_30ch"));
	free(out);
	out = wide_table(true, 200);
	assert_non_null(strstr(out, "a_very_long_cache_name_of_30ch"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_human),
		cmocka_unit_test(t_human_as_printf),
		cmocka_unit_test(t_fixed),
		cmocka_unit_test(t_signed),
		cmocka_unit_test(t_rotating_buffers),
		cmocka_unit_test(t_bar),
		cmocka_unit_test(t_table),
		cmocka_unit_test(t_table_color),
		cmocka_unit_test(t_table_fits_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
