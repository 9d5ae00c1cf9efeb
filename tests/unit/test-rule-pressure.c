/*
 * The pressure rule (model/rules/rule-pressure.c): PSI memory, full avg10
 * and some avg60.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "rtree.h"

static void
test_healthy(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "pressure"), 0);
	assert_false(rtree_not_judged(&e, "pressure", NULL));
	rtree_close(&t);
}

static void
test_fixture(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const struct ml_finding *f;

	(void)state;
	rtree_open(&t, "pressure");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_int_equal(rtree_count(&e, "pressure"), 1);
	f = rtree_finding(&e, "pressure", 0);
	assert_int_equal(f->severity, ML_SEV_WARNING);
	assert_true(rtree_ev_value(f, "full avg10") == 7.5);
	assert_true(rtree_ev_value(f, "some avg60") == 12.0);
	assert_string_equal(rtree_ev(f, "full avg10")->file, "pressure/memory");
	rtree_text(f, f->headline);
	rtree_text(f, f->formula);
	rtree_text(f, f->next);
	rtree_close(&t);
}

static void
test_edges(void **state)
{
	static const struct {
		double some60, full10;
		int count;
		enum ml_severity sev;
	} cases[] = {
		{ 9.99, 4.99, 0, 0 },
		{ 9.99, 5.00, 1, ML_SEV_WARNING },
		{ 9.99, 19.99, 1, ML_SEV_WARNING },
		{ 9.99, 20.00, 1, ML_SEV_CRITICAL },
		{ 10.00, 0, 1, ML_SEV_NOTE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct rtree t;
		struct ml_snapshot now;
		struct ml_explain e;
		char text[256];

		rtree_open(&t, "healthy");
		snprintf(text, sizeof text,
			 "some avg10=0.00 avg60=%.2f avg300=0.00 total=1\n"
			 "full avg10=%.2f avg60=0.00 avg300=0.00 total=1\n",
			 cases[i].some60, cases[i].full10);
		rtree_write(&t, "pressure/memory", text);
		rtree_read(&t, &now);
		rtree_run(&t, &e, &now, NULL, 0);
		assert_int_equal(rtree_count(&e, "pressure"), cases[i].count);
		if (cases[i].count > 0)
			assert_int_equal(rtree_finding(&e, "pressure", 0)->severity, cases[i].sev);
		rtree_close(&t);
	}
}

/* No pressure/memory (no CONFIG_PSI): not judged, with the file's cause. */
static void
test_not_judged(void **state)
{
	struct rtree t;
	struct ml_snapshot now;
	struct ml_explain e;
	const char *why = NULL;

	(void)state;
	rtree_open(&t, "healthy");
	rtree_remove(&t, "pressure/memory");
	rtree_read(&t, &now);
	rtree_run(&t, &e, &now, NULL, 0);
	assert_true(rtree_not_judged(&e, "pressure", &why));
	assert_non_null(strstr(why, "pressure/memory"));
	rtree_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
