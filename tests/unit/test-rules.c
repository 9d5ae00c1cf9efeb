/*
 * The rule framework (model/rules/rules.c): the table, the thresholds and
 * --set, template expansion, the order of findings, rules that cannot
 * judge; and, over every fixture tree of explain, that every finding's
 * templates name only its own evidence and thresholds.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "rtree.h"

/* Names, keys, defaults and ranges: each rule's table is well formed. */
static void
test_table(void **state)
{
	size_t i, j, k, n = ml_rules_count();
	static const char *const units[] = { "_pct",  "_mib_h",     "_mib",         "_per_s",
					     "_min",  "_h",         "_index",       "_ratio",
					     "kills", "min_stalls", "min_ptes_none" };

	(void)state;
	assert_true(n >= 13);
	for (i = 0; i < n; i++) {
		const struct ml_rule *r = ml_rules[i];

		assert_non_null(r->name);
		assert_true(strspn(r->name, "abcdefghijklmnopqrstuvwxyz-") == strlen(r->name));
		assert_ptr_equal(ml_rule_find(r->name), r);
		assert_non_null(r->title);
		assert_non_null(r->checks);
		assert_non_null(r->judge);
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(r->name, ml_rules[j]->name);
		for (j = 0; j < r->nparams; j++) {
			const struct ml_rule_param *p = &r->params[j];
			bool unit = false;

			assert_true(p->min <= p->def && p->def <= p->max);
			assert_true(strlen(p->help) > 10);
			for (k = 0; k < ML_ARRAY_SIZE(units); k++) {
				size_t a = strlen(p->key), b = strlen(units[k]);

				if (a >= b && strcmp(p->key + a - b, units[k]) == 0)
					unit = true;
			}
			if (!unit) {
				print_error("%s.%s: a key without a unit\n", r->name, p->key);
				fail();
			}
			for (k = j + 1; k < r->nparams; k++)
				assert_string_not_equal(p->key, r->params[k].key);
		}
	}
	assert_null(ml_rule_find("nosuch"));
}

static void
test_set(void **state)
{
	struct ml_rules_config c;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_rules_config_init(&c), 0);
	assert_true(ml_rules_config_of(&c, &ml_rule_available)[0] == 10);
	assert_int_equal(ml_rules_config_set(&c, "available.warn_pct=12.5", &cause), 0);
	assert_true(ml_rules_config_of(&c, &ml_rule_available)[0] == 12.5);
	/* The other rules keep theirs. */
	assert_true(ml_rules_config_of(&c, &ml_rule_commit)[0] == 90);

	assert_int_equal(ml_rules_config_set(&c, "availble.warn_pct=1", &cause), -1);
	assert_non_null(strstr(cause, "no rule 'availble'"));
	assert_non_null(strstr(cause, "available, commit"));
	free(cause);
	cause = NULL;
	assert_int_equal(ml_rules_config_set(&c, "available.warn=1", &cause), -1);
	assert_non_null(strstr(cause, "has no key 'warn'"));
	assert_non_null(strstr(cause, "warn_pct, crit_pct"));
	free(cause);
	cause = NULL;
	assert_int_equal(ml_rules_config_set(&c, "available.warn_pct=101", &cause), -1);
	assert_non_null(strstr(cause, "from 0 to 100"));
	free(cause);
	cause = NULL;
	assert_int_equal(ml_rules_config_set(&c, "available.warn_pct=ten", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(ml_rules_config_set(&c, "available.warn_pct=", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(ml_rules_config_set(&c, "available.warn_pct=nan", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(ml_rules_config_set(&c, "available=3", &cause), -1);
	assert_non_null(strstr(cause, "RULE.KEY=VALUE"));
	free(cause);
	/* A failed --set changed nothing. */
	assert_true(ml_rules_config_of(&c, &ml_rule_available)[0] == 12.5);
	ml_rules_config_release(&c);
}

static void
fmt_ev(const struct ml_evidence *ev, char *buf, size_t cap, void *arg)
{
	(void)arg;
	snprintf(buf, cap, "<%s>", ev->name);
}

static void
fmt_thr(const struct ml_rule_param *p, double v, char *buf, size_t cap, void *arg)
{
	(void)arg;
	snprintf(buf, cap, "[%s=%g]", p->key, v);
}

static void
test_expand(void **state)
{
	static const double thr[] = { 10, 5, 1, 25, 30 };
	struct ml_finding f;
	char out[256];
	size_t n;

	(void)state;
	memset(&f, 0, sizeof f);
	f.rule = &ml_rule_available;
	f.thr = thr;
	ml_ev_u64(&f, "MemAvailable", ML_EV_BYTES, 1, "meminfo");
	n = ml_finding_expand(&f, "a {MemAvailable} b {=crit_pct} {{x}} {nosuch} {=nokey}", fmt_ev,
			      fmt_thr, NULL, out, sizeof out);
	assert_string_equal(out, "a <MemAvailable> b [crit_pct=5] {x} {?nosuch} {?=nokey}");
	assert_int_equal(n, strlen(out));
	/* Truncated like snprintf: the length it wanted. */
	n = ml_finding_expand(&f, "abc {MemAvailable}", fmt_ev, fmt_thr, NULL, out, 5);
	assert_string_equal(out, "abc ");
	assert_int_equal(n, strlen("abc <MemAvailable>"));
}

static void
test_jq_string(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(ml_rule_jq_string(buf, sizeof buf, "kmalloc-64"), "\"kmalloc-64\"");
	assert_string_equal(ml_rule_jq_string(buf, sizeof buf, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(ml_rule_jq_string(buf, sizeof buf, "tab\there"), "\"tab\\u0009here\"");
}

/* Critical first, then warnings, then notes; within one, the furthest past first. */
static void
test_order(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	size_t i;

	(void)state;
	rtree_open(&t, "zones");
	rtree_set(&t, "meminfo", "Shmem", 2000000);
	rtree_set(&t, "vmstat", "oom_kill", 2);
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(e.n >= 4);
	for (i = 1; i < e.n; i++) {
		assert_true(e.f[i - 1].severity >= e.f[i].severity);
		if (e.f[i - 1].severity == e.f[i].severity && e.f[i - 1].rule == e.f[i].rule)
			assert_true(e.f[i - 1].score >= e.f[i].score);
	}
	assert_int_equal(ml_explain_worst(&e), ML_SEV_CRITICAL);
	assert_int_equal(e.by_severity[ML_SEV_CRITICAL], 1);
	assert_int_equal(e.by_severity[ML_SEV_WARNING], 1);
	assert_int_equal(e.by_severity[ML_SEV_NOTE], 2);
	rtree_close(&t);
}

/* Without meminfo nothing that needs it is judged; each one says why. */
static void
test_missing_source(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const char *why;
	size_t i;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_remove(&t, "meminfo");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	for (i = 0; ml_rules[i] != NULL; i++) {
		if (!(ml_rules[i]->needs & ML_SNAP(ML_SNAP_MEMINFO)))
			continue;
		why = NULL;
		assert_true(rtree_not_judged(&e, ml_rules[i]->name, &why));
		assert_non_null(strstr(why, "meminfo"));
	}
	assert_int_equal(ml_explain_worst(&e), -1);
	rtree_close(&t);
}

/*
 * Every fixture tree: the healthy one finds nothing and judges every rule
 * but the one that needs a window; in every other, every finding's
 * templates name only its own evidence and thresholds, and every evidence
 * read from a file names one.
 */
static void
test_every_fixture(void **state)
{
	char path[512];
	struct dirent *d;
	DIR *dir;
	int trees = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/explain", FIXTURES);
	dir = opendir(path);
	assert_non_null(dir);
	while ((d = readdir(dir)) != NULL) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;
		size_t i;
		uint32_t j;

		if (d->d_name[0] == '.' || strcmp(d->d_name, "README.md") == 0)
			continue;
		trees++;
		rtree_open(&t, d->d_name);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		if (strcmp(d->d_name, "healthy") == 0) {
			assert_int_equal(e.n, 0);
			/* What needs a window (the leak rule's fit, reclaim's effect), and cgroups.
			 */
			assert_int_equal(e.nskipped, 3);
			assert_string_equal(e.skipped[0].rule->name, "leak");
			assert_string_equal(e.skipped[1].rule->name, "cgroup");
			assert_string_equal(e.skipped[2].rule->name, "slab-reclaim");
		} else {
			assert_true(e.n >= 1);
		}
		for (i = 0; i < e.n; i++) {
			const struct ml_finding *f = &e.f[i];

			rtree_text(f, f->headline);
			rtree_text(f, f->formula);
			rtree_text(f, f->next);
			assert_true(f->nev >= 1);
			for (j = 0; j < f->nev; j++)
				if (f->ev[j].command != NULL)
					assert_non_null(f->ev[j].jq);
		}
		rtree_close(&t);
	}
	closedir(dir);
	assert_true(trees >= 13);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),         cmocka_unit_test(test_set),
		cmocka_unit_test(test_expand),        cmocka_unit_test(test_jq_string),
		cmocka_unit_test(test_order),         cmocka_unit_test(test_missing_source),
		cmocka_unit_test(test_every_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
