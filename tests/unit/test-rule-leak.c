/*
 * The leak rule (model/rules/rule-leak.c) on growth tables made here: a
 * steady item is a suspect with its fit as evidence, and not just above its
 * rate; a sawtooth is not; fewer than three readings or no table is not
 * judged; the time to exhaustion makes the severity; many findings keep
 * their files (model/rules/rules.c moves them as the list grows and sorts).
 * The readings of the feed itself are checked against memlens growth in
 * tests/cli/1430-explain-leak.sh.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "rtree.h"

#define MIB (1024.0 * 1024.0)
#define NS 1000000000LL

/* Run every rule on now (one reading of the healthy tree) with the table g. */
static void
run(struct rtree *t, struct ml_explain *e, const struct ml_snapshot *now, const struct ml_growth *g)
{
	struct ml_rule_input in;

	ml_explain_init(e);
	ml_rule_input_init(&in, now, NULL, 0);
	ml_rule_input_growth(&in, g);
	assert_int_equal(ml_rules_run(e, &in, &t->cfg), 0);
}

/* A table with its parameters from the tree's thresholds. */
static void
table(struct rtree *t, struct ml_growth *g)
{
	struct ml_growth_params p;

	ml_leak_params(&p, &t->cfg);
	ml_growth_init(g, &p);
}

/* n hourly samples of one slab cache: base + i * step bytes (a saw cut every 4 when saw). */
static void
feed_slab(struct ml_growth *g, const char *name, int n, uint64_t base, uint64_t step, bool saw)
{
	int i;

	for (i = 0; i < n; i++) {
		struct ml_growth_item *it;

		assert_int_equal(ml_growth_begin(g, (int64_t)i * 3600 * NS), 0);
		it = ml_growth_item(g, ML_GROWTH_SLAB, name, 0, 0, false);
		assert_non_null(it);
		ml_growth_observe(g, it, base + (uint64_t)(saw ? i % 4 : i) * step);
		ml_growth_end(g);
	}
}

static void
test_not_judged(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e1, e2;
	struct ml_growth g;
	const char *why;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	run(&t, &e1, &now, NULL);
	assert_true(rtree_not_judged(&e1, "leak", &why));
	assert_string_equal(why, "needs three readings or more: --window DUR, or a series of "
				 "captures");
	table(&t, &g);
	feed_slab(&g, "kmalloc-64", 2, 4 * MIB, 10 * MIB, false);
	run(&t, &e2, &now, &g);
	assert_true(rtree_not_judged(&e2, "leak", &why));
	assert_string_equal(why, "2 readings; a steady growth needs three or more");
	ml_explain_release(&e1);
	ml_explain_release(&e2);
	ml_growth_release(&g);
	rtree_close(&t);
}

static void
test_suspect(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	struct ml_growth g;
	const struct ml_finding *f;
	double avail;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	table(&t, &g);
	feed_slab(&g, "kmalloc-64", 10, 4 * MIB, 10 * MIB, false);
	run(&t, &e, &now, &g);
	assert_false(rtree_not_judged(&e, "leak", NULL));
	assert_int_equal(rtree_count(&e, "leak"), 1);
	f = rtree_finding(&e, "leak", 0);
	assert_string_equal(f->subject, "kmalloc-64");
	assert_int_equal(f->severity, ML_SEV_NOTE);
	assert_true(fabs(rtree_ev_value(f, "growth") - 10 * MIB / 3600) < 1e-6);
	assert_true(fabs(rtree_ev_value(f, "R²") - 1) < 1e-12);
	assert_true(rtree_ev_value(f, "samples") == 10);
	assert_true(rtree_ev_value(f, "first") == 4 * MIB);
	assert_true(rtree_ev_value(f, "last") == 94 * MIB);
	assert_true(rtree_ev_value(f, "window") == 9 * 3600);
	assert_null(rtree_ev(f, "first")->file);
	assert_string_equal(rtree_ev(f, "last")->file, "slabinfo");
	assert_string_equal(rtree_ev(f, "growth")->command, "growth");
	assert_string_equal(
		rtree_ev(f, "growth")->jq,
		"first(.items[] | select(.kind == \"slab\" and .id == \"kmalloc-64\")) | "
		".slope_bytes_per_s");
	avail = (double)rtree_meminfo(&now, ML_MI_MEM_AVAILABLE);
	assert_true(fabs(rtree_ev_value(f, "time to exhaustion") - avail / (10 * MIB / 3600)) <
		    1e-3);
	assert_string_equal(
		rtree_text(f, f->headline),
		"slab cache kmalloc-64 grows 2912.7 steadily over 32400.0: at this pace "
		"MemAvailable is used up in 5074502.3");
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	ml_explain_release(&e);
	ml_growth_release(&g);
	rtree_close(&t);
}

/* The rate threshold: 10 MiB/h is a suspect at min_mib_h 9.99, not at 10.01. */
static void
test_rate_edges(void **state)
{
	static const struct {
		const char *set;
		int count;
	} cases[] = { { "leak.min_mib_h=9.99", 1 }, { "leak.min_mib_h=10.01", 0 } };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;
		struct ml_growth g;

		rtree_open(&t, "healthy");
		rtree_threshold(&t, cases[i].set);
		rtree_read(&t, &now);
		table(&t, &g);
		feed_slab(&g, "kmalloc-64", 10, 4 * MIB, 10 * MIB, false);
		run(&t, &e, &now, &g);
		assert_int_equal(rtree_count(&e, "leak"), cases[i].count);
		ml_explain_release(&e);
		ml_growth_release(&g);
		rtree_close(&t);
	}
}

/* A cache that reclaim cuts back is a sawtooth, not a suspect. */
static void
test_sawtooth(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	struct ml_growth g;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	table(&t, &g);
	feed_slab(&g, "dentry", 16, 50 * MIB, 20 * MIB, true);
	run(&t, &e, &now, &g);
	assert_false(rtree_not_judged(&e, "leak", NULL));
	assert_int_equal(rtree_count(&e, "leak"), 0);
	ml_explain_release(&e);
	ml_growth_release(&g);
	rtree_close(&t);
}

/*
 * Severity by the time to exhaustion, and 40 processes at once: each keeps
 * its own PID/status file though the findings are reallocated and sorted.
 */
static void
test_many_and_severity(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	struct ml_growth g;
	double avail;
	int i, p, crit = 0, warn = 0, note = 0;
	size_t k;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	avail = (double)rtree_meminfo(&now, ML_MI_MEM_AVAILABLE);
	table(&t, &g);
	for (i = 0; i < 5; i++) {
		assert_int_equal(ml_growth_begin(&g, (int64_t)i * 600 * NS), 0);
		for (p = 0; p < 40; p++) {
			struct ml_growth_item *it = ml_growth_item(&g, ML_GROWTH_PROC, NULL,
								   (uint64_t)(1000 + p), 7, false);
			/* Process p uses MemAvailable up in (p + 1) / 2 hours. */
			double rate = avail / ((p + 1) * 1800.0);

			assert_non_null(it);
			snprintf(it->label, sizeof it->label, "grower%d", p);
			ml_growth_observe(&g, it, (uint64_t)(MIB + rate * 600 * i));
		}
		ml_growth_end(&g);
	}
	run(&t, &e, &now, &g);
	assert_int_equal(rtree_count(&e, "leak"), 40);
	for (k = 0; k < e.n; k++) {
		const struct ml_finding *f = &e.f[k];
		char want[32];
		unsigned int pid;

		if (strcmp(f->rule->name, "leak") != 0)
			continue;
		assert_int_equal(sscanf(f->subject, "%u", &pid), 1);
		snprintf(want, sizeof want, "%u/status", pid);
		assert_string_equal(rtree_ev(f, "last")->file, want);
		/* Within an hour: critical (p 0 and 1); within a day: warning (2 to 47). */
		if (pid - 1000 <= 1)
			assert_int_equal(f->severity, ML_SEV_CRITICAL);
		else
			assert_int_equal(f->severity, ML_SEV_WARNING);
		crit += f->severity == ML_SEV_CRITICAL;
		warn += f->severity == ML_SEV_WARNING;
		note += f->severity == ML_SEV_NOTE;
	}
	assert_int_equal(crit, 2);
	assert_int_equal(warn, 38);
	assert_int_equal(note, 0);
	ml_explain_release(&e);
	ml_growth_release(&g);
	rtree_close(&t);
}

/* A fast grower over 30 s: a note, unless min_window_min is at most the window. */
static void
test_short_window(void **state)
{
	static const struct {
		const char *set;
		enum ml_severity sev;
	} cases[] = { { NULL, ML_SEV_NOTE },
		      { "leak.min_window_min=0.51", ML_SEV_NOTE },
		      { "leak.min_window_min=0.49", ML_SEV_CRITICAL } };
	size_t k;

	(void)state;
	for (k = 0; k < ML_ARRAY_SIZE(cases); k++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;
		struct ml_growth g;
		int i;

		rtree_open(&t, "healthy");
		if (cases[k].set != NULL)
			rtree_threshold(&t, cases[k].set);
		rtree_read(&t, &now);
		table(&t, &g);
		for (i = 0; i < 4; i++) {
			struct ml_growth_item *it;

			assert_int_equal(ml_growth_begin(&g, (int64_t)i * 10 * NS), 0);
			it = ml_growth_item(&g, ML_GROWTH_PROC, NULL, 4242, 7, false);
			assert_non_null(it);
			snprintf(it->label, sizeof it->label, "cc1");
			/* 100 MiB a second: MemAvailable gone within minutes. */
			ml_growth_observe(&g, it, (uint64_t)(MIB + 100 * MIB * 10 * i));
			ml_growth_end(&g);
		}
		run(&t, &e, &now, &g);
		assert_int_equal(rtree_count(&e, "leak"), 1);
		assert_int_equal(rtree_finding(&e, "leak", 0)->severity, cases[k].sev);
		assert_true(rtree_ev_value(rtree_finding(&e, "leak", 0), "window") == 30);
		ml_explain_release(&e);
		ml_growth_release(&g);
		rtree_close(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_judged),        cmocka_unit_test(test_suspect),
		cmocka_unit_test(test_rate_edges),        cmocka_unit_test(test_sawtooth),
		cmocka_unit_test(test_many_and_severity), cmocka_unit_test(test_short_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
