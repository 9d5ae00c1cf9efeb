/*
 * model/diff.h: two snapshots of fixture trees compared. Rows matched by
 * their keys, duplicates by ordinal, new and gone, the change, its rate and
 * percent, counters reset across a reboot, a view missing on one side, the
 * sort orders; and ml_pid_start_time, the key of a process.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "model/diff.h"
#include "proc/pids.h"

static char scratch[256];

static void
sh(const char *fmt, const char *a)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, fmt, a, a, a, a);
	assert_int_equal(system(cmd), 0);
}

/* scratch/a and scratch/b: copies of linux-6.18; in b, dentry has 1000 more slabs. */
static void
make_pair(void)
{
	snprintf(scratch, sizeof scratch, "%s/memlens-diff.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(scratch));
	sh("cp -R " FIXTURES "/linux-6.18 '%s/a' && cp -R " FIXTURES "/linux-6.18 '%s/b' && "
	   "chmod -R u+w '%s/a' '%s/b'",
	   scratch);
	sh("cd '%s/b' && awk '$1 == \"dentry\" { $14 = 6446; $15 = 6446 } { print }' slabinfo >s "
	   "&& "
	   "mv s slabinfo",
	   scratch);
}

struct pair {
	struct ml_procfs fa, fb, nosys;
	struct ml_snapshot sa, sb;
	struct ml_diff_side a, b;
	struct ml_diff d;
};

static void
open_pair(struct pair *p, unsigned int views)
{
	static const struct ml_snap_options opt = { .derive =
							    ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING };
	char path[512], *cause = NULL;

	memset(p, 0, sizeof *p);
	p->nosys.dirfd = -1;
	p->nosys.open_err = ENOENT;
	snprintf(path, sizeof path, "%s/a", scratch);
	assert_int_equal(ml_procfs_open(&p->fa, path, &cause), 0);
	snprintf(path, sizeof path, "%s/b", scratch);
	assert_int_equal(ml_procfs_open(&p->fb, path, &cause), 0);
	ml_snapshot_init(&p->sa, &p->fa, &p->nosys, &opt);
	ml_snapshot_init(&p->sb, &p->fb, &p->nosys, &opt);
	ml_snapshot_refresh(&p->sa, ml_diff_sources(views));
	ml_snapshot_refresh(&p->sb, ml_diff_sources(views));
	p->a = (struct ml_diff_side){ &p->sa, true, 1000.0, "boot-1" };
	p->b = (struct ml_diff_side){ &p->sb, true, 1000.0 + 1800.0, "boot-1" };
}

static void
close_pair(struct pair *p)
{
	ml_diff_release(&p->d);
	ml_snapshot_release(&p->sa);
	ml_snapshot_release(&p->sb);
	ml_procfs_close(&p->fa);
	ml_procfs_close(&p->fb);
}

static const struct ml_diff_row *
find(const struct ml_diff_table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].key, key) == 0)
			return &t->rows[i];
	fail_msg("no row %s", key);
	abort();
}

/* A grown cache: change, rate over half an hour, percent; the others unchanged. */
static void
t_slab_change(void **state)
{
	struct pair p;
	const struct ml_diff_row *r;
	const struct ml_diff_table *t;
	size_t i, moved = 0;

	(void)state;
	make_pair();
	open_pair(&p, 1u << ML_DIFF_SLAB);
	assert_int_equal(ml_diff_compute(&p.d, &p.a, &p.b, 1u << ML_DIFF_SLAB), 0);
	t = &p.d.t[ML_DIFF_SLAB];
	assert_true(t->available);
	assert_true(p.d.seconds_known);
	assert_true(p.d.seconds == 1800.0);
	assert_false(p.d.boot_changed);
	r = find(t, "dentry");
	assert_int_equal(r->presence, ML_DIFF_BOTH);
	assert_int_equal(r->unit, ML_DIFF_BYTES);
	assert_int_equal(r->change, 1000 * 4096);
	assert_true(r->rate_known);
	assert_true(r->per_hour == 2.0 * 1000 * 4096);
	assert_true(r->pct_known);
	assert_true(r->pct > 18.3 && r->pct < 18.4);
	for (i = 0; i < t->n; i++)
		moved += t->rows[i].change != 0;
	assert_int_equal(moved, 1);
	/* Sorted by change, growth first; by name; by the size of the change. */
	ml_diff_sort(&p.d.t[ML_DIFF_SLAB], ML_DIFF_SORT_DELTA, false);
	assert_string_equal(t->rows[0].key, "dentry");
	ml_diff_sort(&p.d.t[ML_DIFF_SLAB], ML_DIFF_SORT_DELTA, true);
	assert_string_equal(t->rows[t->n - 1].key, "dentry");
	ml_diff_sort(&p.d.t[ML_DIFF_SLAB], ML_DIFF_SORT_NAME, false);
	for (i = 1; i < t->n; i++)
		assert_true(strcmp(t->rows[i - 1].label, t->rows[i].label) <= 0);
	ml_diff_sort(&p.d.t[ML_DIFF_SLAB], ML_DIFF_SORT_ABS, false);
	assert_string_equal(t->rows[0].key, "dentry");
	close_pair(&p);
	sh("rm -rf '%s'", scratch);
}

/* Two caches of one name: two rows; a new and a gone cache; one side without slabinfo. */
static void
t_duplicates_new_gone_missing(void **state)
{
	struct pair p;
	const struct ml_diff_row *r;

	(void)state;
	make_pair();
	/* A second kmalloc-64 in both, grown in b; kmalloc-96 renamed kmalloc-80 in b. */
	sh("cd '%s' && grep '^kmalloc-64 ' a/slabinfo | sed 's/  *45  *45 /     7     7 /' >x && "
	   "cat x >>a/slabinfo && sed 's/     7     7 /     9     9 /' x >>b/slabinfo && "
	   "sed -i 's/^kmalloc-96 /kmalloc-80 /' b/slabinfo",
	   scratch);
	open_pair(&p, 1u << ML_DIFF_SLAB);
	assert_int_equal(ml_diff_compute(&p.d, &p.a, &p.b, 1u << ML_DIFF_SLAB), 0);
	r = find(&p.d.t[ML_DIFF_SLAB], "kmalloc-64");
	assert_int_equal(r->change, 0);
	r = find(&p.d.t[ML_DIFF_SLAB], "kmalloc-64#2");
	assert_int_equal(r->change, 2 * 4096);
	assert_string_equal(r->label, "kmalloc-64#2");
	r = find(&p.d.t[ML_DIFF_SLAB], "kmalloc-96");
	assert_int_equal(r->presence, ML_DIFF_GONE);
	assert_false(r->b_known);
	assert_true(r->change_known);
	assert_true(r->change < 0);
	assert_false(r->pct_known);
	r = find(&p.d.t[ML_DIFF_SLAB], "kmalloc-80");
	assert_int_equal(r->presence, ML_DIFF_NEW);
	assert_int_equal(r->change, (int64_t)r->b);
	close_pair(&p);

	sh("rm '%s/b/slabinfo'", scratch);
	open_pair(&p, 1u << ML_DIFF_SLAB);
	assert_int_equal(ml_diff_compute(&p.d, &p.a, &p.b, 1u << ML_DIFF_SLAB), 0);
	assert_false(p.d.t[ML_DIFF_SLAB].available);
	assert_null(p.d.t[ML_DIFF_SLAB].why_a);
	assert_non_null(strstr(p.d.t[ML_DIFF_SLAB].why_b, "/b/slabinfo"));
	assert_int_equal(p.d.t[ML_DIFF_SLAB].n, 0);
	close_pair(&p);
	sh("rm -rf '%s'", scratch);
}

/* Another boot: counters since boot are reset, not differenced; gauges are. */
static void
t_reboot(void **state)
{
	unsigned int views = (1u << ML_DIFF_ACTIVITY) | (1u << ML_DIFF_ACCOUNTING);
	struct pair p;
	size_t i;

	(void)state;
	make_pair();
	open_pair(&p, views);
	p.b.boot_id = "boot-2";
	assert_int_equal(ml_diff_compute(&p.d, &p.a, &p.b, views), 0);
	assert_true(p.d.boot_known);
	assert_true(p.d.boot_changed);
	assert_true(p.d.t[ML_DIFF_ACTIVITY].n > 0);
	for (i = 0; i < p.d.t[ML_DIFF_ACTIVITY].n; i++) {
		assert_true(p.d.t[ML_DIFF_ACTIVITY].rows[i].reset);
		assert_false(p.d.t[ML_DIFF_ACTIVITY].rows[i].change_known);
	}
	for (i = 0; i < p.d.t[ML_DIFF_ACCOUNTING].n; i++)
		assert_false(p.d.t[ML_DIFF_ACCOUNTING].rows[i].reset);
	ml_diff_release(&p.d);
	/* A boot_id unknown on one side: no judgement. */
	p.b.boot_id = NULL;
	assert_int_equal(ml_diff_compute(&p.d, &p.a, &p.b, views), 0);
	assert_false(p.d.boot_known);
	assert_false(p.d.t[ML_DIFF_ACTIVITY].rows[0].reset);
	close_pair(&p);
	sh("rm -rf '%s'", scratch);
}

/* The start time: field 22 of PID/stat, after a command with spaces and parentheses. */
static void
t_pid_start_time(void **state)
{
	struct ml_procfs fs;
	char *cause = NULL;
	uint64_t t = 0;

	(void)state;
	make_pair();
	sh("mkdir '%s/a/77' && printf '77 (a (b) c) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 "
	   "0 "
	   "123456 1 1 18446744073709551615\\n' >'%s/a/77/stat' && mkdir '%s/a/78' && "
	   "echo '78 (x) S 1 2 3' >'%s/a/78/stat'",
	   scratch);
	sh("true '%s'", scratch);
	{
		char path[512];

		snprintf(path, sizeof path, "%s/a", scratch);
		assert_int_equal(ml_procfs_open(&fs, path, &cause), 0);
	}
	assert_int_equal(ml_pid_start_time(&fs, 77, &t), 0);
	assert_int_equal(t, 123456);
	assert_int_equal(ml_pid_start_time(&fs, 78, &t), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ml_pid_start_time(&fs, 79, &t), -1);
	assert_int_equal(errno, ENOENT);
	ml_procfs_close(&fs);
	sh("rm -rf '%s'", scratch);
}

/* The names of views and sort keys, and their lookups, agree. */
static void
t_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < ML_DIFF__COUNT; i++)
		assert_int_equal(ml_diff_view_lookup(ml_diff_view_names[i]), i);
	for (i = 0; i < ML_DIFF_SORT__COUNT; i++)
		assert_int_equal(ml_diff_sort_lookup(ml_diff_sort_keys[i]), i);
	assert_null(ml_diff_sort_keys[ML_DIFF_SORT__COUNT]);
	assert_int_equal(ml_diff_view_lookup("nope"), -1);
	assert_int_equal(ml_diff_sources(1u << ML_DIFF_PROCS), ML_SNAP(ML_SNAP_PROCS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_slab_change), cmocka_unit_test(t_duplicates_new_gone_missing),
		cmocka_unit_test(t_reboot),      cmocka_unit_test(t_pid_start_time),
		cmocka_unit_test(t_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
