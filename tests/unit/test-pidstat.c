/*
 * PID/stat (proc/pidstat): a 6.18 line, names with spaces and parentheses,
 * a kernel thread, an old kernel's shorter line, whole and in chunks, and
 * what is refused: too few fields, a missing name, words where numbers go,
 * a second line, garbage.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "proc/pidstat.h"

/* This machine's cat, as 6.18 prints it (52 fields). */
static const char line618[] =
	"30997 (cat) R 30990 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 300361 3133440 "
	"390 18446744073709551615 94248005840896 94248005860777 140721501861376 0 0 0 0 0 0 0 0 0 "
	"17 1 0 0 0 0 0 94248005876784 94248005878400 94248746680320 140721501862539 "
	"140721501862559 140721501862559 140721501863915 0\n";

static void
t_line_618(void **state)
{
	struct ml_pid_stat st;
	const struct ml_feed *f;

	(void)state;
	f = unit_parse_str(&ml_src_pid_stat, &st, line618);
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(st.valid);
	assert_int_equal(st.pid, 30997);
	assert_string_equal(st.comm, "cat");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 30990);
	assert_int_equal(st.flags, 4194304);
	assert_int_equal(st.starttime, 300361);
	assert_int_equal(st.vsize, 3133440);
	assert_int_equal(st.rss_pages, 390);
	assert_false(st.flags & ML_PF_KTHREAD);
}

static void
t_chunks(void **state)
{
	struct ml_feed f;
	struct ml_pid_stat want, got;
	size_t len;
	char *buf = unit_load_fixture("growth-series/capture-23/proc/4242/stat", &len);

	(void)state;
	unit_parse(&f, &ml_src_pid_stat, &want, buf, len, 0);
	assert_true(want.valid);
	assert_int_equal(want.pid, 4242);
	assert_string_equal(want.comm, "leaky");
	assert_int_equal(want.starttime, 25000000);
	for (size_t i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		memset(&got, 0x5a, sizeof got);
		unit_parse(&f, &ml_src_pid_stat, &got, buf, len, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_memory_equal(&got, &want, sizeof got);
	}
	free(buf);
}

static void
t_odd_names(void **state)
{
	struct ml_pid_stat st;
	const struct ml_feed *f;

	(void)state;
	/* A name with spaces and ") (": the fields start after the last ')'. */
	f = unit_parse_str(&ml_src_pid_stat, &st,
			   "77 (my (odd) ) name) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 "
			   "555 1000 2 18446744073709551615\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(st.valid);
	assert_string_equal(st.comm, "my (odd) ) name");
	assert_int_equal(st.starttime, 555);
	assert_int_equal(st.rss_pages, 2);
	/* An empty name is a name; a kernel thread by its flag. */
	f = unit_parse_str(&ml_src_pid_stat, &st,
			   "2 () S 0 0 0 0 -1 2129984 0 0 0 0 0 4 0 0 20 0 1 0 9 0 0\n");
	assert_true(st.valid);
	assert_string_equal(st.comm, "");
	assert_true(st.flags & ML_PF_KTHREAD);
	/* A name longer than the buffer is cut; negative priority and nice (a real-time task). */
	f = unit_parse_str(
		&ml_src_pid_stat, &st,
		"9 (0123456789012345678901234567890123456789012345678901234567890123456789)"
		" S 2 0 0 0 -1 2129984 0 0 0 0 0 4 -3 -4 -51 -20 1 0 10 0 0 7\n");
	assert_true(st.valid);
	assert_int_equal(strlen(st.comm), 63);
	assert_int_equal(st.starttime, 10);
	/* Exactly 24 fields, as an old kernel could end: enough. */
	f = unit_parse_str(&ml_src_pid_stat, &st,
			   "5 (x) S 1 5 5 0 -1 256 0 0 0 0 0 0 0 0 20 0 1 0 42 4096 1\n");
	assert_true(st.valid);
	assert_int_equal(st.starttime, 42);
}

static void
t_bad(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ "", NULL },
		{ "30997 (cat) R 30990 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 300361\n",
		  "fewer than 24 fields" },
		{ "30997 cat R 30990\n", "no (comm)" },
		{ "30997 (cat R 1\n", "no (comm)" },
		{ "x (cat) R 1\n", "no PID" },
		{ "0 (cat) R 1\n", "no PID" },
		{ "30997 (cat) Rx 30990 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 1 2 3\n",
		  "bad state" },
		{ "30997 (cat) R -1 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 1 2 3\n",
		  "bad ppid" },
		{ "30997 (cat) R 1 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 -5 2 3\n",
		  "a field is not a number" },
		{ "30997 (cat) R 1 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 5 2 "
		  "99999999999999999999\n",
		  "a field is not a number" },
		{ "\x01\x02garbage\xff\n", "no PID" },
		/* Refused at the last field: the start time before it is not kept. */
		{ "30997 (cat) R 1 30990 8649 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 300361 "
		  "3133440 x\n",
		  "a field is not a number" },
		/* Without its newline the line may be cut in a number: truncated. */
		{ "2 () S 0 0 0 0 -1 2129984 0 0 0 0 0 4 0 0 20 0 1 0 9 0 0", NULL },
	};

	(void)state;
	for (size_t i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		struct ml_pid_stat st;
		const struct ml_feed *f = unit_parse_str(&ml_src_pid_stat, &st, cases[i].text);

		assert_false(st.valid);
		/* All or nothing: no field of a refused line is kept. */
		assert_int_equal(st.starttime, 0);
		assert_int_equal(st.pid, 0);
		assert_string_equal(st.comm, "");
		if (cases[i].why) {
			assert_int_equal(f->stats.bad_lines, 1);
			assert_string_equal(f->stats.first_bad_why, cases[i].why);
		}
	}
	/* A second line is bad; the first is kept. */
	{
		struct ml_pid_stat st;
		char two[sizeof line618 * 2];
		const struct ml_feed *f;

		strcpy(two, line618);
		strcat(two, line618);
		f = unit_parse_str(&ml_src_pid_stat, &st, two);
		assert_int_equal(f->stats.bad_lines, 1);
		assert_string_equal(f->stats.first_bad_why, "more than one line");
		assert_true(st.valid);
		assert_int_equal(st.starttime, 300361);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_line_618),
		cmocka_unit_test(t_chunks),
		cmocka_unit_test(t_odd_names),
		cmocka_unit_test(t_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
