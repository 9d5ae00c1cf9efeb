/*
 * Unit tests for the cgroup file parsers, the hierarchy and the walk
 * (src/proc/cgroup.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/cgroup.h"
#include "unit.h"

#define SYSTEMD FIXTURES "/cgroup-v2-systemd/sys/fs/cgroup"

/* ------------------------------------------------------------ single values */

static void
value_of(const struct ml_source *src, const char *text, struct ml_cgroup_value *v, uint64_t *bad)
{
	*bad = unit_parse_str(src, v, text)->stats.bad_lines;
}

static void
t_values_and_limits(void **state)
{
	struct ml_cgroup_value v;
	uint64_t bad;

	(void)state;
	value_of(&ml_src_cgroup_value, "123456\n", &v, &bad);
	assert_true(v.present && !v.unlimited && bad == 0);
	assert_int_equal(v.v, 123456);
	value_of(&ml_src_cgroup_value, "  42  \n", &v, &bad);
	assert_true(v.present);
	assert_int_equal(v.v, 42);
	/* "max" is a limit's word; a plain value file holding it did not parse. */
	value_of(&ml_src_cgroup_value, "max\n", &v, &bad);
	assert_false(v.present);
	assert_int_equal(bad, 1);
	value_of(&ml_src_cgroup_limit, "max\n", &v, &bad);
	assert_true(v.present && v.unlimited);
	/* v1's "no limit": LONG_MAX rounded to a page, LONG_MAX, 2.6's ULLONG_MAX. */
	value_of(&ml_src_cgroup_limit, "9223372036854771712\n", &v, &bad);
	assert_true(v.present && v.unlimited);
	value_of(&ml_src_cgroup_limit, "9223372036854710272\n", &v, &bad); /* 64 KiB pages */
	assert_true(v.present && v.unlimited);
	value_of(&ml_src_cgroup_limit, "18446744073709551615\n", &v, &bad);
	assert_true(v.present && v.unlimited);
	/* A real limit just below the floor is a limit. */
	value_of(&ml_src_cgroup_limit, "9223372036837994496\n", &v, &bad);
	assert_true(v.present && !v.unlimited);
	/* A usage past 2^63 is kept as printed; past 2^64 it did not parse. */
	value_of(&ml_src_cgroup_value, "18446744073709551615\n", &v, &bad);
	assert_true(v.present);
	assert_true(v.v == UINT64_MAX);
	value_of(&ml_src_cgroup_value, "18446744073709551616\n", &v, &bad);
	assert_false(v.present);
	assert_int_equal(bad, 1);
	/* Empty, negative, with a unit, two values. */
	value_of(&ml_src_cgroup_value, "", &v, &bad);
	assert_false(v.present);
	value_of(&ml_src_cgroup_value, "-1\n", &v, &bad);
	assert_false(v.present);
	value_of(&ml_src_cgroup_value, "1 kB\n", &v, &bad);
	assert_false(v.present);
	value_of(&ml_src_cgroup_limit, "max max\n", &v, &bad);
	assert_false(v.present);
	value_of(&ml_src_cgroup_value, "1\n2\n", &v, &bad);
	assert_true(v.present);
	assert_int_equal(v.v, 1);
	assert_int_equal(bad, 1);
	/* Without the final newline: "max" is whole, a number may have lost digits. */
	value_of(&ml_src_cgroup_limit, "max", &v, &bad);
	assert_true(v.present && v.unlimited && bad == 0);
	value_of(&ml_src_cgroup_limit, "1073741824", &v, &bad);
	assert_false(v.present);
	assert_int_equal(bad, 1);
	value_of(&ml_src_cgroup_value, "123456", &v, &bad);
	assert_false(v.present);
	assert_int_equal(bad, 1);
}

/* ------------------------------------------------------------ memory.stat */

static void
t_stat_whole_chunked_and_relearned(void **state)
{
	struct ml_cgroup_stat whole, part;
	struct ml_feed f;
	size_t len2, len1, i;
	int k;
	char *v2 = unit_load_fixture(
		"cgroup-v2-systemd/sys/fs/cgroup/system.slice/postgresql.service/memory.stat",
		&len2);
	char *v1 = unit_load_fixture("cgroup-v1/sys/fs/cgroup/memory/memory.stat", &len1);

	(void)state;
	ml_cgroup_stat_init(&whole);
	ml_cgroup_stat_init(&part);
	unit_parse(&f, &ml_src_cgroup_stat, &whole, v2, len2, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_true(ml_cgroup_stat_has(&whole, ML_CGS_ANON));
	assert_int_equal(whole.val[ML_CGS_ANON], 210 * 1024 * 1024);
	assert_int_equal(whole.val[ML_CGS_SHMEM], 128 * 1024 * 1024);
	assert_true(ml_cgroup_stat_has(&whole, ML_CGS_KERNEL));
	assert_false(ml_cgroup_stat_has(&whole, ML_CGS_TOTAL_RSS));
	/* Unknown keys are kept, in file order. */
	assert_true(whole.all.n > 40);
	assert_int_equal(whole.all.e[0].name_len, 4);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		/* Into a list that learned v1's layout first: must read as a fresh parse. */
		unit_parse(&f, &ml_src_cgroup_stat, &part, v1, len1, unit_chunk_sizes[i]);
		assert_true(ml_cgroup_stat_has(&part, ML_CGS_TOTAL_RSS));
		unit_parse(&f, &ml_src_cgroup_stat, &part, v2, len2, unit_chunk_sizes[i]);
		assert_memory_equal(whole.present, part.present, sizeof whole.present);
		for (k = 0; k < ML_CGS__COUNT; k++)
			if (ml_cgroup_stat_has(&whole, (enum ml_cgs_key)k))
				assert_int_equal(whole.val[k], part.val[k]);
		assert_int_equal(whole.all.n, part.all.n);
	}
	ml_cgroup_stat_release(&whole);
	ml_cgroup_stat_release(&part);
	free(v1);
	free(v2);
}

static void
t_stat_garbage(void **state)
{
	struct ml_cgroup_stat s;
	const struct ml_feed *f;

	(void)state;
	ml_cgroup_stat_init(&s);
	f = unit_parse_str(&ml_src_cgroup_stat, &s,
			   "anon 4096\n"
			   "file lots\n"
			   "kernel 12 kB\n"
			   "\n"
			   "anon 8192\n"
			   "total_rss 99999999999999999999\n"
			   "new_key_of_6_99 7\n"
			   "shmem 0\n"
			   "truncated_at_the_end 1");
	assert_int_equal(f->stats.bad_lines, 6);
	assert_int_equal(f->stats.first_bad_lineno, 2);
	assert_true(ml_cgroup_stat_has(&s, ML_CGS_ANON));
	assert_int_equal(s.val[ML_CGS_ANON], 4096); /* the first of a key twice */
	assert_false(ml_cgroup_stat_has(&s, ML_CGS_FILE));
	assert_false(ml_cgroup_stat_has(&s, ML_CGS_KERNEL));
	assert_false(ml_cgroup_stat_has(&s, ML_CGS_TOTAL_RSS));
	assert_true(ml_cgroup_stat_has(&s, ML_CGS_SHMEM));
	ml_cgroup_stat_release(&s);
}

/* ------------------------------------------------------------ events, procs, controllers */

static void
t_events_and_oom_control(void **state)
{
	struct ml_cgroup_events e;
	const struct ml_feed *f;
	struct ml_feed ff;
	size_t i;
	static const char ev[] = "low 1\nhigh 2\nmax 3\noom 4\noom_kill 5\noom_group_kill 6\n"
				 "sock_throttled 7\n";

	(void)state;
	ml_cgroup_events_init(&e);
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&ff, &ml_src_cgroup_events, &e, ev, sizeof ev - 1, unit_chunk_sizes[i]);
		assert_int_equal(ff.stats.bad_lines, 0);
		assert_int_equal(e.val[ML_CGEV_LOW], 1);
		assert_int_equal(e.val[ML_CGEV_OOM_GROUP_KILL], 6);
		assert_int_equal(e.all.n, 7);
		assert_false(ml_cgroup_events_has(&e, ML_CGEV_UNDER_OOM));
	}
	f = unit_parse_str(&ml_src_cgroup_events, &e, "oom_kill_disable 0\nunder_oom 1\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(ml_cgroup_events_has(&e, ML_CGEV_UNDER_OOM));
	assert_int_equal(e.val[ML_CGEV_UNDER_OOM], 1);
	assert_false(ml_cgroup_events_has(&e, ML_CGEV_OOM_KILL)); /* before 4.13 */
	f = unit_parse_str(&ml_src_cgroup_events, &e, "oom_kill x\nmax\n");
	assert_int_equal(f->stats.bad_lines, 2);
	ml_cgroup_events_release(&e);
}

static void
t_procs(void **state)
{
	struct ml_cgroup_pids p = { 0 };
	const struct ml_feed *f;
	char big[7 * 2000 + 1];
	size_t i, len = 0;

	(void)state;
	f = unit_parse_str(&ml_src_cgroup_procs, &p, "1\n42\n4194304\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.v[2], 4194304);
	f = unit_parse_str(&ml_src_cgroup_procs, &p, "0\nabc\n7\n2147483648\n 8 \n");
	assert_int_equal(f->stats.bad_lines, 3);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[1], 8);
	f = unit_parse_str(&ml_src_cgroup_procs, &p, "");
	assert_int_equal(p.n, 0);
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(big + len, sizeof big - len, "%zu\n", i + 100000);
	f = unit_parse_str(&ml_src_cgroup_procs, &p, big);
	assert_int_equal(p.n, 2000);
	assert_int_equal(p.v[1999], 101999);
	ml_cgroup_pids_release(&p);
}

static void
t_controllers(void **state)
{
	struct ml_cgroup_controllers c;
	const struct ml_feed *f;

	(void)state;
	unit_parse_str(&ml_src_cgroup_controllers, &c, "cpuset cpu io memory hugetlb pids\n");
	assert_true(c.present && c.memory);
	assert_string_equal(c.list, "cpuset cpu io memory hugetlb pids");
	unit_parse_str(&ml_src_cgroup_controllers, &c, "\n");
	assert_true(c.present);
	assert_false(c.memory);
	assert_string_equal(c.list, "");
	unit_parse_str(&ml_src_cgroup_controllers, &c, "memoryx pids\n");
	assert_false(c.memory);
	f = unit_parse_str(&ml_src_cgroup_controllers, &c, "pids\nmemory\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_false(c.memory);
	unit_parse_str(&ml_src_cgroup_controllers, &c, "");
	assert_false(c.present);
}

/* ------------------------------------------------------------ reading a directory */

static void
t_read_dir(void **state)
{
	struct ml_cgroup_read *r = malloc(sizeof *r);
	struct ml_procfs dir;
	char *buf = NULL;
	size_t cap = 0;
	int fd;

	(void)state;
	ml_cgroup_read_init(r);
	assert_int_equal(ml_procfs_open(&dir, SYSTEMD "/system.slice/nginx.service", NULL), 0);
	ml_cgroup_read_dir(r, &dir, ml_cgfile_set_all(ML_CG_V2) | ml_cgfile_set_all(ML_CG_V1), &buf,
			   &cap);
	assert_int_equal(r->err[ML_CGFILE_CURRENT], 0);
	assert_int_equal(r->value[ML_CGFILE_MAX].v, 256 * 1024 * 1024);
	assert_false(r->value[ML_CGFILE_MAX].unlimited);
	assert_int_equal(r->err[ML_CGFILE_HIGH], 0);
	assert_true(r->value[ML_CGFILE_HIGH].unlimited);
	assert_int_equal(r->events.val[ML_CGEV_OOM_KILL], 2);
	assert_int_equal(r->procs.n, 2);
	assert_true(r->controllers.memory);
	assert_true(r->pressure.some.present);
	/* v1 files are not in a v2 directory: absent, not 0. */
	assert_int_equal(r->err[ML_CGFILE_V1_USAGE], ENOENT);
	assert_false(r->value[ML_CGFILE_V1_USAGE].present);
	assert_false(r->has_bad);
	ml_procfs_close(&dir);
	/* Only what was asked. */
	assert_int_equal(ml_procfs_open(&dir, SYSTEMD, NULL), 0);
	ml_cgroup_read_dir(r, &dir, ML_CGFILE_BIT(ML_CGFILE_PROCS), &buf, &cap);
	assert_int_equal(r->asked, ML_CGFILE_BIT(ML_CGFILE_PROCS));
	assert_int_equal(r->err[ML_CGFILE_PROCS], 0);
	assert_int_equal(r->procs.n, 2); /* the kernel threads */
	assert_int_equal(r->err[ML_CGFILE_CURRENT], ENOENT);
	ml_procfs_close(&dir);
	/* A directory where a file should be is refused, not read. */
	{
		char tmp[] = "/tmp/memlens-cgdir-XXXXXX";

		assert_non_null(mkdtemp(tmp));
		fd = open(tmp, O_RDONLY | O_DIRECTORY);
		assert_true(fd >= 0);
		assert_int_equal(mkdirat(fd, "memory.stat", 0755), 0);
		assert_int_equal(ml_procfs_open(&dir, tmp, NULL), 0);
		ml_cgroup_read_dir(r, &dir, ML_CGFILE_BIT(ML_CGFILE_STAT), &buf, &cap);
		assert_int_equal(r->err[ML_CGFILE_STAT], EISDIR);
		ml_procfs_close(&dir);
		unlinkat(fd, "memory.stat", AT_REMOVEDIR);
		close(fd);
		rmdir(tmp);
	}
	ml_cgroup_read_release(r);
	free(r);
	free(buf);
}

/* ------------------------------------------------------------ the walk */

struct visit {
	char paths[4096];
	size_t len;
	int maxdepth;
	unsigned int full, procs_only;
	const char *remove_when; /* remove remove_what when this path is visited */
	const char *remove_what;
};

static int
on_visit(void *arg, const char *path, int depth, const struct ml_cgroup_read *r)
{
	struct visit *v = arg;

	v->len += (size_t)snprintf(v->paths + v->len, sizeof v->paths - v->len, "%d %s\n", depth,
				   path);
	if (depth > v->maxdepth)
		v->maxdepth = depth;
	if (r->asked == ML_CGFILE_BIT(ML_CGFILE_PROCS))
		v->procs_only++;
	else
		v->full++;
	if (v->remove_when != NULL && strcmp(path, v->remove_when) == 0)
		assert_int_equal(rmdir(v->remove_what), 0);
	return 0;
}

static void
open_fixture(struct ml_cghier *h, const char *dir)
{
	memset(h, 0, sizeof *h);
	h->version = ML_CG_V2;
	h->dir = strdup(dir);
	h->root_open = true;
	assert_int_equal(ml_procfs_open(&h->root, dir, NULL), 0);
}

static void
t_walk(void **state)
{
	struct ml_cghier h;
	struct ml_cgwalk w;
	struct visit v = { .len = 0 };
	char *cause = NULL;

	(void)state;
	open_fixture(&h, SYSTEMD);
	ml_cgwalk_init(&w, &h);
	w.full = ml_cgfile_set_all(ML_CG_V2);
	w.deeper = ML_CGFILE_BIT(ML_CGFILE_PROCS);
	w.full_depth = 1;
	w.fn = on_visit;
	w.arg = &v;
	assert_int_equal(ml_cgwalk_run(&w, "/", &cause), 0);
	/* Pre-order, children by name. */
	assert_string_equal(v.paths, "0 /\n"
				     "1 /init.scope\n"
				     "1 /system.slice\n"
				     "2 /system.slice/cron.service\n"
				     "2 /system.slice/nginx.service\n"
				     "2 /system.slice/postgresql.service\n"
				     "2 /system.slice/ssh.service\n"
				     "1 /user.slice\n"
				     "2 /user.slice/user-1000.slice\n"
				     "3 /user.slice/user-1000.slice/session-3.scope\n");
	assert_int_equal(v.full, 4);
	assert_int_equal(v.procs_only, 6);
	assert_int_equal(w.cgroups, 10);
	assert_int_equal(w.vanished, 0);

	/* A subtree, by its path; a path that is not there. */
	memset(&v, 0, sizeof v);
	w.full_depth = -1;
	assert_int_equal(ml_cgwalk_run(&w, "/user.slice/user-1000.slice", &cause), 0);
	assert_string_equal(v.paths, "0 /user.slice/user-1000.slice\n"
				     "1 /user.slice/user-1000.slice/session-3.scope\n");
	assert_int_equal(ml_cgwalk_run(&w, "/nope.slice", &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(cause, "no cgroup /nope.slice"));
	free(cause);
	ml_cgwalk_release(&w);
	ml_cghier_close(&h);
}

static void
t_walk_cgroup_removed_midway(void **state)
{
	char dir[] = "/tmp/memlens-cgwalk-XXXXXX", path[256];
	struct ml_cghier h;
	struct ml_cgwalk w;
	struct visit v = { .len = 0 };
	char *cause = NULL;
	static const char *const names[] = { "a.scope", "b.scope", "c.scope" };
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof path, "%s/b.scope", dir);
	v.remove_when = "/a.scope";
	v.remove_what = path;
	open_fixture(&h, dir);
	ml_cgwalk_init(&w, &h);
	w.full = ml_cgfile_set_all(ML_CG_V2);
	w.fn = on_visit;
	w.arg = &v;
	assert_int_equal(ml_cgwalk_run(&w, "/", &cause), 0);
	assert_string_equal(v.paths, "0 /\n1 /a.scope\n1 /c.scope\n");
	assert_int_equal(w.vanished, 1);
	ml_cgwalk_release(&w);
	ml_cghier_close(&h);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		rmdir(path);
	}
	rmdir(dir);
}

static void
t_path_normalize(void **state)
{
	static const char *const cases[][2] = {
		{ "/", "/" },
		{ "", "/" },
		{ "a", "/a" },
		{ "/a/", "/a" },
		{ "//a//b///", "/a/b" },
		{ "./a/./b/.", "/a/b" },
		{ "with space", "/with space" },
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		s = ml_cgroup_path_normalize(cases[i][0]);
		assert_non_null(s);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	assert_null(ml_cgroup_path_normalize("/a/../b"));
	assert_null(ml_cgroup_path_normalize(".."));
}

/* ------------------------------------------------------------ choosing the hierarchy */

static void
mounts_of(struct ml_cgmounts *m, const char *v2, const char *v1)
{
	memset(m, 0, sizeof *m);
	if (v2 != NULL) {
		m->v2.version = ML_CG_V2;
		m->v2.mount_point = strdup(v2);
		m->v2.root = strdup("/");
		m->v2.options = strdup("rw");
	}
	if (v1 != NULL) {
		m->v1mem.version = ML_CG_V1;
		m->v1mem.mount_point = strdup(v1);
		m->v1mem.root = strdup("/");
		m->v1mem.options = strdup("rw,memory");
	}
}

static void
t_hierarchy_choice(void **state)
{
	struct ml_procfs v2sys, hysys;
	struct ml_cgmounts m;
	struct ml_cghier h;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&v2sys, FIXTURES "/cgroup-v2-systemd/sys", NULL), 0);
	assert_int_equal(ml_procfs_open(&hysys, FIXTURES "/cgroup-hybrid/sys/", NULL), 0);
	/* v2 with the memory controller. */
	mounts_of(&m, "/sys/fs/cgroup", NULL);
	assert_int_equal(ml_cghier_open(&h, &m, &v2sys, &cause), 0);
	assert_int_equal(h.version, ML_CG_V2);
	assert_true(h.v2_has_memory);
	assert_string_equal(h.dir, FIXTURES "/cgroup-v2-systemd/sys/fs/cgroup");
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	/* Hybrid: the unified mount has no controllers; memory is on v1. */
	mounts_of(&m, "/sys/fs/cgroup/unified", "/sys/fs/cgroup/memory");
	assert_int_equal(ml_cghier_open(&h, &m, &hysys, &cause), 0);
	assert_int_equal(h.version, ML_CG_V1);
	assert_false(h.v2_has_memory);
	assert_non_null(strstr(h.v2_why, "has no memory controller (cgroup.controllers: none)"));
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	/* A cgroup2 mount without memory and no v1 memory hierarchy: none. */
	mounts_of(&m, "/sys/fs/cgroup/unified", NULL);
	assert_int_equal(ml_cghier_open(&h, &m, &hysys, &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(cause, "no memory controller mounted"));
	free(cause);
	cause = NULL;
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	/* Nothing at all. */
	mounts_of(&m, NULL, NULL);
	assert_int_equal(ml_cghier_open(&h, &m, &hysys, &cause), -1);
	assert_non_null(strstr(cause, "mountinfo has no cgroup2 mount"));
	free(cause);
	cause = NULL;
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	/* Outside /sys, with a sys root that is not this machine's /sys. */
	mounts_of(&m, NULL, "/cgroup/memory");
	assert_int_equal(ml_cghier_open(&h, &m, &hysys, &cause), -1);
	assert_non_null(strstr(cause, "the cgroup hierarchy at /cgroup/memory is outside /sys"));
	free(cause);
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	ml_procfs_close(&v2sys);
	ml_procfs_close(&hysys);
}

static void
t_file_table(void **state)
{
	ml_cgfile_set v1 = ml_cgfile_set_all(ML_CG_V1), v2 = ml_cgfile_set_all(ML_CG_V2);
	int f;

	(void)state;
	for (f = 0; f < ML_CGFILE__COUNT; f++) {
		assert_non_null(ml_cgroup_files[f].name);
		assert_true(ml_cgroup_files[f].versions != 0);
	}
	assert_true(v1 & ML_CGFILE_BIT(ML_CGFILE_STAT));
	assert_true(v2 & ML_CGFILE_BIT(ML_CGFILE_STAT));
	assert_false(v1 & ML_CGFILE_BIT(ML_CGFILE_CURRENT));
	assert_false(v2 & ML_CGFILE_BIT(ML_CGFILE_V1_USAGE));
	assert_true((ml_cgfile_set_limits(ML_CG_V1) & ~v1) == 0);
	assert_true((ml_cgfile_set_limits(ML_CG_V2) & ~v2) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_values_and_limits),
		cmocka_unit_test(t_stat_whole_chunked_and_relearned),
		cmocka_unit_test(t_stat_garbage),
		cmocka_unit_test(t_events_and_oom_control),
		cmocka_unit_test(t_procs),
		cmocka_unit_test(t_controllers),
		cmocka_unit_test(t_read_dir),
		cmocka_unit_test(t_walk),
		cmocka_unit_test(t_walk_cgroup_removed_midway),
		cmocka_unit_test(t_path_normalize),
		cmocka_unit_test(t_hierarchy_choice),
		cmocka_unit_test(t_file_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
