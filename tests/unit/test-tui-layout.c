/*
 * Unit tests for the dashboard's screen arithmetic (src/tui/tui-layout.c):
 * the header's groups of MemTotal, cells by the largest remainder, sparkline
 * and heat levels, the interval ladder, column fitting, short numbers.
 * Expected values are worked out by hand in the comments.
 */
#include "config.h"

#include <string.h>

#include "tui/tui-layout.h"
#include "unit.h"

static void
part(struct ml_accounting *a, enum ml_acct_part p, uint64_t bytes)
{
	a->part[p].state = ML_ACCT_KNOWN;
	a->part[p].bytes = bytes;
	a->part[p].fields = "";
}

/* MemTotal 1000: every part known but zswap and balloon (absent: nothing added). */
static void
sample(struct ml_accounting *a, int64_t unaccounted)
{
	int p;

	memset(a, 0, sizeof *a);
	for (p = 0; p < ML_ACCT__COUNT; p++)
		part(a, (enum ml_acct_part)p, 0);
	a->total = 1000;
	part(a, ML_ACCT_FREE, 100);
	part(a, ML_ACCT_PAGE_CACHE, 200);
	part(a, ML_ACCT_BUFFERS, 10);
	part(a, ML_ACCT_SWAP_CACHE, 5);
	part(a, ML_ACCT_ANON, 300);
	part(a, ML_ACCT_SLAB_RECLAIMABLE, 50);
	part(a, ML_ACCT_SLAB_UNRECLAIMABLE, 40);
	part(a, ML_ACCT_KERNEL_STACKS, 10);
	part(a, ML_ACCT_PAGE_TABLES, 20);
	part(a, ML_ACCT_VMALLOC, 30);
	part(a, ML_ACCT_PERCPU, 5);
	part(a, ML_ACCT_HUGETLB, 100);
	a->part[ML_ACCT_ZSWAP].state = ML_ACCT_ABSENT;
	a->part[ML_ACCT_BALLOON].state = ML_ACCT_ABSENT;
	a->part[ML_ACCT_BALLOON].bytes = 7; /* must not count */
	a->unaccounted = unaccounted;
}

static void
t_mem_groups(void **state)
{
	struct ml_accounting a;
	uint64_t g[TUI_MEM__COUNT], sum = 0;
	int i;

	(void)state;
	/* The parts above add up to 870: unaccounted is 130. */
	sample(&a, 130);
	tui_mem_groups(&a, g);
	assert_int_equal(g[TUI_MEM_ANON], 300);
	assert_int_equal(g[TUI_MEM_SLAB], 50 + 40);
	assert_int_equal(g[TUI_MEM_VMALLOC], 30);
	assert_int_equal(g[TUI_MEM_KERNEL], 10 + 20 + 5); /* stacks, page tables, per-cpu */
	assert_int_equal(g[TUI_MEM_HUGETLB], 100);
	assert_int_equal(g[TUI_MEM_UNACCOUNTED], 130);
	assert_int_equal(g[TUI_MEM_CACHE], 200 + 10 + 5);
	assert_int_equal(g[TUI_MEM_FREE], 100);
	for (i = 0; i < TUI_MEM__COUNT; i++)
		sum += g[i];
	assert_int_equal(sum, a.total);

	/* Overlapping counters: a negative remainder draws as nothing. */
	sample(&a, -25);
	tui_mem_groups(&a, g);
	assert_int_equal(g[TUI_MEM_UNACCOUNTED], 0);

	assert_int_equal(tui_mem_group_of(ML_ACCT_SWAP_CACHE), TUI_MEM_CACHE);
	assert_int_equal(tui_mem_group_of(ML_ACCT_ZSWAP), TUI_MEM_KERNEL);
	assert_string_equal(tui_mem_group_label(TUI_MEM_KERNEL), "other kernel");
	assert_string_equal(tui_mem_group_short(TUI_MEM_UNACCOUNTED), "unacc");
}

static void
t_split_cells(void **state)
{
	uint64_t thirds[] = { 1, 1, 1 }, halves[] = { 500, 250, 250 }, over[] = { 600, 600 };
	uint64_t small[] = { 100, 1, 899 };
	int c[3];

	(void)state;
	/* 10/3 = 3.33 each: one cell left, to the first of equal remainders. */
	tui_split_cells(thirds, 3, 3, 10, c);
	assert_int_equal(c[0], 4);
	assert_int_equal(c[1], 3);
	assert_int_equal(c[2], 3);
	/* 5, 2.5, 2.5: the half cell goes to the first. */
	tui_split_cells(halves, 3, 1000, 10, c);
	assert_int_equal(c[0], 5);
	assert_int_equal(c[1], 3);
	assert_int_equal(c[2], 2);
	/* The parts exceed the total: scaled to the width. */
	tui_split_cells(over, 2, 1000, 10, c);
	assert_int_equal(c[0], 5);
	assert_int_equal(c[1], 5);
	/* A part below one cell gets one only by its remainder: 1.0, 0.01, 8.99. */
	tui_split_cells(small, 3, 1000, 10, c);
	assert_int_equal(c[0], 1);
	assert_int_equal(c[1], 0);
	assert_int_equal(c[2], 9);
	/* Less than the total: the rest of the bar stays empty. */
	tui_split_cells(small, 1, 1000, 10, c);
	assert_int_equal(c[0], 1);
	/* Nothing to divide. */
	tui_split_cells(small, 3, 0, 10, c);
	assert_int_equal(c[0] + c[1] + c[2], 0);
	tui_split_cells(small, 3, 1000, 0, c);
	assert_int_equal(c[0] + c[1] + c[2], 0);
}

static void
t_spark(void **state)
{
	(void)state;
	assert_int_equal(tui_spark_level(0, 0, 10, 8), 0);
	assert_int_equal(tui_spark_level(10, 0, 10, 8), 7);
	assert_int_equal(tui_spark_level(5, 0, 10, 8), 4); /* 3.5 rounds up */
	assert_int_equal(tui_spark_level(1, 0, 10, 8), 1); /* 0.7 */
	assert_int_equal(tui_spark_level(20, 0, 10, 8), 7);
	assert_int_equal(tui_spark_level(3, 5, 5, 8), 4); /* flat: the middle */
	assert_int_equal(tui_spark_level(3, 0, 10, 1), 0);
}

static void
t_heat(void **state)
{
	(void)state;
	assert_int_equal(tui_heat_level(0), 0);
	assert_int_equal(tui_heat_level(0.0001), 1);
	assert_int_equal(tui_heat_level(0.05), 2);
	assert_int_equal(tui_heat_level(0.19), 2);
	assert_int_equal(tui_heat_level(0.2), 3);
	assert_int_equal(tui_heat_level(0.5), 4);
	assert_int_equal(tui_heat_level(1), 4);
}

static void
t_interval(void **state)
{
	(void)state;
	assert_true(tui_interval_step(1, 1) == 2);
	assert_true(tui_interval_step(1, -1) == 0.5);
	assert_true(tui_interval_step(2, 1) == 3);
	assert_true(tui_interval_step(0.1, -1) == 0.1); /* the bottom stays */
	assert_true(tui_interval_step(60, 1) == 60);    /* the top stays */
	assert_true(tui_interval_step(0.7, 1) == 1);    /* between steps: the next one */
	assert_true(tui_interval_step(0.7, -1) == 0.5);
	assert_true(tui_interval_step(120, 1) == 120); /* -i 120: no step up */
	assert_true(tui_interval_step(120, -1) == 60);
	assert_true(tui_interval_step(0.05, -1) == 0.05);
	assert_true(tui_interval_step(0.05, 1) == 0.1);
	assert_true(tui_interval_step(3, 0) == 3);
}

static void
t_fit_columns(void **state)
{
	struct tui_col c[4];

	(void)state;
	memset(c, 0, sizeof c);
	c[0].width = 10;
	c[1].width = 5;
	c[1].prio = 2;
	c[2].width = 5;
	c[2].prio = 1;
	c[3].width = 8;
	c[3].flex = true;
	/* 10+1+5+1+5+1+8 = 31 fits 40; the flex column takes the 9 left. */
	assert_int_equal(tui_fit_columns(c, 4, 40), 40);
	assert_true(c[0].shown && c[1].shown && c[2].shown && c[3].shown);
	assert_int_equal(c[1].x, 11);
	assert_int_equal(c[2].x, 17);
	assert_int_equal(c[3].x, 23);
	assert_int_equal(c[3].w, 17);
	/* 25: the highest prio goes first. */
	assert_int_equal(tui_fit_columns(c, 4, 25), 25);
	assert_false(c[1].shown);
	assert_true(c[2].shown);
	assert_int_equal(c[2].x, 11);
	assert_int_equal(c[3].w, 8);
	/* 20: both go; the flex column gets 9. */
	assert_int_equal(tui_fit_columns(c, 4, 20), 20);
	assert_false(c[1].shown || c[2].shown);
	assert_int_equal(c[3].x, 11);
	assert_int_equal(c[3].w, 9);
	/* 10: prio 0 columns are never dropped (cut at the edge instead). */
	tui_fit_columns(c, 4, 10);
	assert_true(c[0].shown && c[3].shown);
}

static void
t_count(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(tui_count(b, sizeof b, 123456, 6), "123456");
	assert_string_equal(tui_count(b, sizeof b, 1234567, 6), "1.2M");
	assert_string_equal(tui_count(b, sizeof b, 123456, 4), "123k");
	assert_string_equal(tui_count(b, sizeof b, 999999, 4), "1.0M");
	assert_string_equal(tui_count(b, sizeof b, 12345, 4), "12k");
	assert_string_equal(tui_count(b, sizeof b, 0, 4), "0");
	assert_string_equal(tui_count(b, sizeof b, UINT64_MAX, 5), "18E");
}

static void
t_short_sizes(void **state)
{
	struct ml_units h = { ML_UNITS_HUMAN, false }, si = { ML_UNITS_HUMAN, true };
	struct ml_units k = { ML_UNITS_KIB, false };
	char b[32];

	(void)state;
	assert_string_equal(tui_size_short(b, sizeof b, UINT64_C(24684092) * 1024, &h), "23.5G");
	assert_string_equal(tui_size_short(b, sizeof b, 512, &h), "512B");
	assert_string_equal(tui_size_short(b, sizeof b, 0, &h), "0B");
	assert_string_equal(tui_size_short(b, sizeof b, 1500, &si), "1.50k");
	assert_string_equal(tui_size_short(b, sizeof b, 25276510208ULL, &k), "24684092");
	assert_string_equal(tui_delta_short(b, sizeof b, 0, &h), "0");
	assert_string_equal(tui_delta_short(b, sizeof b, -524288, &h), "-512K");
	assert_string_equal(tui_delta_short(b, sizeof b, 1258291, &h), "+1.20M");
	/* A change too small for the unit still shows its sign. */
	assert_string_equal(tui_delta_short(b, sizeof b, 100, &k), "+0");
}

/*
 * A change is written from the start of the buffer, whatever was in it: the
 * views draw the buffer itself, not the return value (a shrinking slab cache
 * once showed "7-108 KiB", the 7 left from the cell drawn before).
 */
static void
t_change_text(void **state)
{
	struct ml_units h = { ML_UNITS_HUMAN, false }, k = { ML_UNITS_KIB, false };
	char b[32];

	(void)state;
	memset(b, '7', sizeof b);
	assert_ptr_equal(tui_change_text(b, sizeof b, -110592, &h), b);
	assert_string_equal(b, "-108 KiB");
	memset(b, '3', sizeof b);
	tui_change_text(b, sizeof b, -4183818, &h);
	assert_string_equal(b, "-3.99 MiB");
	tui_change_text(b, sizeof b, 1258291, &h);
	assert_string_equal(b, "+1.20 MiB");
	tui_change_text(b, sizeof b, 0, &h);
	assert_string_equal(b, "0");
	tui_change_text(b, sizeof b, -180224, &k);
	assert_string_equal(b, "-176");
	/* Cut to the buffer, still from its start. */
	assert_ptr_equal(tui_change_text(b, 4, -110592, &h), b);
	assert_string_equal(b, "-10");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_mem_groups),  cmocka_unit_test(t_split_cells),
		cmocka_unit_test(t_spark),       cmocka_unit_test(t_heat),
		cmocka_unit_test(t_interval),    cmocka_unit_test(t_fit_columns),
		cmocka_unit_test(t_change_text), cmocka_unit_test(t_count),
		cmocka_unit_test(t_short_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
