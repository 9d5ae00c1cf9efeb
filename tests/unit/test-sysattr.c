/*
 * Unit tests for sysfs attributes, directory listings and range lists
 * (src/proc/sysattr.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/sysattr.h"
#include "unit.h"

static int
parse(enum ml_attr_kind k, const char *s, struct ml_attr *a)
{
	memset(a, 0, sizeof *a);
	return ml_attr_parse(k, s, strlen(s), a);
}

/* Every bracketed form the kernel prints, each setting in force once. */
static void
t_choice_every_form(void **state)
{
	static const struct {
		const char *text, *selected, *choices;
	} cases[] = {
		{ "[always] madvise never\n", "always", "always madvise never" },
		{ "always [madvise] never\n", "madvise", "always madvise never" },
		{ "always madvise [never]\n", "never", "always madvise never" },
		{ "[always] defer defer+madvise madvise never\n", "always",
		  "always defer defer+madvise madvise never" },
		{ "always defer [defer+madvise] madvise never\n", "defer+madvise",
		  "always defer defer+madvise madvise never" },
		{ "always defer defer+madvise madvise [never]\n", "never",
		  "always defer defer+madvise madvise never" },
		{ "always within_size advise [never] deny force\n", "never",
		  "always within_size advise never deny force" },
		{ "[always] within_size advise never deny force\n", "always",
		  "always within_size advise never deny force" },
		{ "always within_size advise never deny [force]\n", "force",
		  "always within_size advise never deny force" },
		{ "always [inherit] madvise never\n", "inherit", "always inherit madvise never" },
		{ "[none] scan-time\n", "none", "none scan-time" },
		{ "lzo [lzo-rle] lz4 lz4hc 842 zstd \n", "lzo-rle",
		  "lzo lzo-rle lz4 lz4hc 842 zstd" },
		{ "[zstd]", "zstd", "zstd" },
	};
	struct ml_attr a;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse(ML_ATTR_CHOICE, cases[i].text, &a), 0);
		assert_int_equal(a.state, ML_ATTR_OK);
		assert_string_equal(a.word, cases[i].selected);
		assert_string_equal(a.choices, cases[i].choices);
	}
}

static void
t_choice_bad(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "always madvise never\n", "no setting in brackets" },
		{ "[always] [madvise] never\n", "more than one setting in brackets" },
		{ "[always madvise never\n", "unbalanced brackets" },
		{ "always] madvise\n", "unbalanced brackets" },
		{ "[]\n", "unbalanced brackets" },
		{ "al[wa]ys\n", "unbalanced brackets" },
		{ "\n", "no setting in brackets" },
		{ "[\x01]\n", "setting too long or not printable" },
	};
	struct ml_attr a;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse(ML_ATTR_CHOICE, cases[i].text, &a), -1);
		assert_int_equal(a.state, ML_ATTR_BAD);
		assert_string_equal(a.why, cases[i].why);
	}
}

static void
t_numbers_flags_words(void **state)
{
	struct ml_attr a;

	(void)state;
	assert_int_equal(parse(ML_ATTR_U64, "512\n", &a), 0);
	assert_true(a.u == 512);
	assert_int_equal(parse(ML_ATTR_U64, "18446744073709551615\n", &a), 0);
	assert_true(a.u == UINT64_MAX);
	assert_int_equal(parse(ML_ATTR_U64, "18446744073709551616\n", &a), -1);
	assert_string_equal(a.why, "value does not fit in 64 bits");
	assert_int_equal(parse(ML_ATTR_U64, "-1\n", &a), -1);
	assert_int_equal(parse(ML_ATTR_U64, "12 kB\n", &a), -1);
	assert_int_equal(parse(ML_ATTR_U64, "", &a), -1);
	assert_int_equal(parse(ML_ATTR_I64, "-25600\n", &a), 0);
	assert_true(a.i == -25600);
	assert_int_equal(parse(ML_ATTR_I64, "x\n", &a), -1);
	/* flags: 0/1, Y/N, and the "[yes] no" of old khugepaged/defrag */
	assert_int_equal(parse(ML_ATTR_FLAG, "1\n", &a), 0);
	assert_true(a.flag);
	assert_int_equal(parse(ML_ATTR_FLAG, "N\n", &a), 0);
	assert_false(a.flag);
	assert_int_equal(parse(ML_ATTR_FLAG, "Y", &a), 0);
	assert_true(a.flag);
	assert_int_equal(parse(ML_ATTR_FLAG, "[yes] no\n", &a), 0);
	assert_true(a.flag);
	assert_int_equal(parse(ML_ATTR_FLAG, "yes [no]\n", &a), 0);
	assert_false(a.flag);
	assert_int_equal(parse(ML_ATTR_FLAG, "[maybe] no\n", &a), -1);
	assert_int_equal(parse(ML_ATTR_FLAG, "2\n", &a), -1);
	assert_int_equal(parse(ML_ATTR_WORD, "zsmalloc\n", &a), 0);
	assert_string_equal(a.word, "zsmalloc");
	assert_int_equal(parse(ML_ATTR_WORD, "two words\n", &a), -1);
	assert_int_equal(parse(ML_ATTR_WORD, "\n", &a), -1);
	assert_int_equal(parse(ML_ATTR_WORD,
			       "a-word-longer-than-forty-eight-bytes-is-not-kept-whole-x\n", &a),
			 -1);
}

static void
t_read_through_root(void **state)
{
	struct ml_procfs fs;
	struct ml_attr a[3];
	static const struct ml_attr_def defs[3] = {
		{ "nr_hugepages", ML_ATTR_U64 },
		{ "free_hugepages", ML_ATTR_U64 },
		{ "no_such_file", ML_ATTR_U64 },
	};
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/four-node-sys", &cause), 0);
	assert_int_equal(ml_attrs_read(&fs, "kernel/mm/hugepages/hugepages-2048kB", defs, 3, a), 2);
	assert_true(a[0].u == 1024 && a[1].u == 200);
	assert_int_equal(a[2].state, ML_ATTR_ABSENT);
	assert_string_equal(ml_attr_reason(&a[2]), "not present");
	/* a directory where a file is expected: unreadable, not absent */
	ml_attr_read(&fs, "kernel/mm/hugepages", ML_ATTR_U64, &a[0]);
	assert_int_equal(a[0].state, ML_ATTR_UNREADABLE);
	assert_int_equal(a[0].err, EISDIR);
	ml_procfs_close(&fs);
}

static void
t_list_natural_order(void **state)
{
	struct ml_procfs fs;
	struct ml_names l;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/four-node-sys", &cause), 0);
	assert_int_equal(ml_sysfs_list(&fs, "kernel/mm/hugepages", "hugepages-", &l, &cause), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0], "hugepages-64kB");
	assert_string_equal(l.v[1], "hugepages-2048kB");
	assert_string_equal(l.v[2], "hugepages-32768kB");
	assert_string_equal(l.v[3], "hugepages-1048576kB");
	ml_names_release(&l);
	assert_int_equal(ml_sysfs_list(&fs, "devices/system/node", "node", &l, &cause), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[3], "node3");
	ml_names_release(&l);
	assert_int_equal(ml_sysfs_list(&fs, "no/such/dir", "", &l, &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(cause, "cannot list"));
	free(cause);
	ml_procfs_close(&fs);
	assert_true(ml_name_cmp_natural("node2", "node10") < 0);
	assert_true(ml_name_cmp_natural("node10", "node2") > 0);
	assert_true(ml_name_cmp_natural("node02", "node2") == 0);
	assert_true(ml_name_cmp_natural("zram", "zram0") < 0);
}

static void
t_range_lists(void **state)
{
	int ids[16];
	size_t n;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ml_range_list_parse("0\n", 2, 1023, ids, 16, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ml_range_list_parse("0-3", 3, 1023, ids, 16, &n, &why), 0);
	assert_int_equal(n, 4);
	assert_int_equal(ids[3], 3);
	assert_int_equal(ml_range_list_parse("0,2-3,8\n", 8, 1023, ids, 16, &n, &why), 0);
	assert_int_equal(n, 4);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[3], 8);
	assert_int_equal(ml_range_list_parse("\n", 1, 1023, ids, 16, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ml_range_list_parse("3-1", 3, 1023, ids, 16, &n, &why), -1);
	assert_string_equal(why, "range ends before it starts");
	assert_int_equal(ml_range_list_parse("2,1", 3, 1023, ids, 16, &n, &why), -1);
	assert_int_equal(ml_range_list_parse("0,", 2, 1023, ids, 16, &n, &why), -1);
	assert_int_equal(ml_range_list_parse("0-", 2, 1023, ids, 16, &n, &why), -1);
	assert_int_equal(ml_range_list_parse("x", 1, 1023, ids, 16, &n, &why), -1);
	assert_int_equal(ml_range_list_parse("1024", 4, 1023, ids, 16, &n, &why), -1);
	assert_string_equal(why, "id out of range");
	assert_int_equal(ml_range_list_parse("0-20", 4, 1023, ids, 16, &n, &why), -1);
	assert_string_equal(why, "too many ids");
	assert_int_equal(
		ml_range_list_parse("99999999999999999999999", 23, 1023, ids, 16, &n, &why), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_choice_every_form),   cmocka_unit_test(t_choice_bad),
		cmocka_unit_test(t_numbers_flags_words), cmocka_unit_test(t_read_through_root),
		cmocka_unit_test(t_list_natural_order),  cmocka_unit_test(t_range_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
