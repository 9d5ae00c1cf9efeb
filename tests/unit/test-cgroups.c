/*
 * Unit tests for the cgroup tree model (src/model/cgroups.c): v1 and v2 onto
 * one set of figures with the reasons of what is unknown, the working set,
 * the headroom through the ancestors, the member sums, sorting, and a load
 * of a fixture hierarchy.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/cgroups.h"
#include "unit.h"

#define MiB (UINT64_C(1) << 20)
#define UNLIMITED UINT64_MAX
#define ABSENT (UINT64_MAX - 1)

static struct ml_cgroup_read *
rd_new(void)
{
	struct ml_cgroup_read *r = malloc(sizeof *r);
	int f;

	assert_non_null(r);
	ml_cgroup_read_init(r);
	r->asked = ml_cgfile_set_all(ML_CG_V1) | ml_cgfile_set_all(ML_CG_V2);
	for (f = 0; f < ML_CGFILE__COUNT; f++)
		r->err[f] = ENOENT;
	return r;
}

static void
rd_free(struct ml_cgroup_read *r)
{
	ml_cgroup_read_release(r);
	free(r);
}

/* Set a value or limit file: UNLIMITED for "max", ABSENT to leave it missing. */
static void
rd_value(struct ml_cgroup_read *r, enum ml_cgfile f, uint64_t v)
{
	if (v == ABSENT) {
		r->err[f] = ENOENT;
		return;
	}
	char text[32];

	/* Through the file's own parser, as the reader does. */
	if (v == UNLIMITED)
		snprintf(text, sizeof text, "max\n");
	else
		snprintf(text, sizeof text, "%llu\n", (unsigned long long)v);
	unit_parse_str(ml_cgroup_files[f].kind == ML_CGK_LIMIT ? &ml_src_cgroup_limit
							       : &ml_src_cgroup_value,
		       &r->value[f], text);
	assert_true(r->value[f].present);
	r->err[f] = 0;
}

static void
rd_stat(struct ml_cgroup_read *r, const char *text)
{
	unit_parse_str(&ml_src_cgroup_stat, &r->stat, text);
	r->err[ML_CGFILE_STAT] = 0;
}

static void
rd_procs(struct ml_cgroup_read *r, const char *text)
{
	unit_parse_str(&ml_src_cgroup_procs, &r->procs, text);
	r->err[ML_CGFILE_PROCS] = 0;
}

/* A v2 cgroup: current, max, high (UNLIMITED/ABSENT allowed), the controller on. */
static struct ml_cgroup_read *
rd_v2(uint64_t current, uint64_t max, uint64_t high)
{
	struct ml_cgroup_read *r = rd_new();

	rd_value(r, ML_CGFILE_CURRENT, current);
	rd_value(r, ML_CGFILE_MAX, max);
	rd_value(r, ML_CGFILE_HIGH, high);
	unit_parse_str(&ml_src_cgroup_controllers, &r->controllers, "cpu memory pids\n");
	r->err[ML_CGFILE_CONTROLLERS] = 0;
	rd_procs(r, "");
	return r;
}

static void
add(struct ml_cgtree *t, const char *path, int depth, struct ml_cgroup_read *r)
{
	assert_int_equal(ml_cgtree_add(t, path, depth, r), 0);
	rd_free(r);
}

static const char *
why(const struct ml_cgtree *t, const struct ml_cgroup *c, enum ml_cgf f)
{
	static char buf[256];

	return ml_cgv_why(t, c, f, buf, sizeof buf);
}

static void
t_map_v2(void **state)
{
	struct ml_cgroup_read *r = rd_v2(100 * MiB, 200 * MiB, UNLIMITED);
	struct ml_cgtree t;
	struct ml_cgroup *c;

	(void)state;
	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	rd_stat(r, "anon 1000\nfile 2000\nshmem 10\ninactive_file 1500\nactive_file 490\n"
		   "slab_reclaimable 7\n");
	r->err[ML_CGFILE_EVENTS] = EACCES;
	r->err[ML_CGFILE_LOW] = EBADMSG;
	add(&t, "/a", 0, r);
	ml_cgtree_derive(&t);
	c = t.v[0];
	assert_true(c->controller);
	assert_int_equal(c->hierarchical, 1);
	assert_int_equal(c->f[ML_CGF_CURRENT].st, ML_CGV_OK);
	assert_int_equal(c->f[ML_CGF_CURRENT].v, 100 * MiB);
	assert_int_equal(c->f[ML_CGF_MAX].st, ML_CGV_OK);
	assert_int_equal(c->f[ML_CGF_HIGH].st, ML_CGV_UNLIMITED);
	assert_int_equal(c->f[ML_CGF_ANON].v, 1000);
	assert_int_equal(c->f[ML_CGF_FILE].v, 2000);
	/* What v2 or this kernel does not have: unknown, with the reason. */
	assert_int_equal(c->f[ML_CGF_PEAK].st, ML_CGV_NA);
	assert_string_equal(why(&t, c, ML_CGF_PEAK),
			    "no memory.peak (kernels before 5.19 have none)");
	assert_string_equal(why(&t, c, ML_CGF_SOFT), "cgroup v2 has no memory.soft_limit_in_bytes");
	assert_string_equal(why(&t, c, ML_CGF_MEMSW),
			    "cgroup v2 has no memory.memsw.usage_in_bytes");
	assert_string_equal(why(&t, c, ML_CGF_KERNEL),
			    "no memory.stat kernel (kernels before 5.18 have none)");
	assert_string_equal(why(&t, c, ML_CGF_PAGETABLES),
			    "no memory.stat pagetables in this kernel");
	assert_string_equal(why(&t, c, ML_CGF_EV_OOM_KILL),
			    "cannot read memory.events: Permission denied");
	assert_string_equal(why(&t, c, ML_CGF_LOW), "memory.low did not parse");
	assert_string_equal(why(&t, c, ML_CGF_SWAP),
			    "no memory.swap.current (swap accounting is off)");
	ml_cgtree_release(&t);
}

static void
t_map_v1(void **state)
{
	struct ml_cgroup_read *r = rd_new();
	struct ml_cgtree t;
	struct ml_cgroup *c;
	char buf[256];

	(void)state;
	ml_cgtree_init(&t);
	t.version = ML_CG_V1;
	rd_value(r, ML_CGFILE_V1_USAGE, 50 * MiB);
	rd_value(r, ML_CGFILE_V1_MAX_USAGE, 60 * MiB);
	rd_value(r, ML_CGFILE_V1_LIMIT, 9223372036854771712ull);
	rd_value(r, ML_CGFILE_V1_FAILCNT, 12);
	rd_value(r, ML_CGFILE_V1_USE_HIERARCHY, 0);
	rd_stat(r, "cache 1\nrss 2\ninactive_file 3\ntotal_cache 100\ntotal_rss 200\n"
		   "total_inactive_file 30\ntotal_active_file 70\ntotal_swap 5\n");
	unit_parse_str(&ml_src_cgroup_events, &r->events, "oom_kill_disable 0\nunder_oom 1\n");
	r->err[ML_CGFILE_V1_OOM_CONTROL] = 0;
	rd_procs(r, "1\n");
	add(&t, "/", 0, r);
	ml_cgtree_derive(&t);
	c = t.v[0];
	assert_int_equal(c->hierarchical, 0);
	assert_int_equal(c->f[ML_CGF_CURRENT].v, 50 * MiB);
	assert_int_equal(c->f[ML_CGF_PEAK].v, 60 * MiB);
	/* The hierarchical total_* keys, not the local ones. */
	assert_int_equal(c->f[ML_CGF_ANON].v, 200);
	assert_int_equal(c->f[ML_CGF_FILE].v, 100);
	assert_int_equal(c->f[ML_CGF_INACTIVE_FILE].v, 30);
	assert_int_equal(c->f[ML_CGF_SWAP].v, 5);
	assert_int_equal(c->f[ML_CGF_MAX].st, ML_CGV_UNLIMITED);
	/* failcnt is what v2 counts as the "max" event. */
	assert_int_equal(c->f[ML_CGF_EV_MAX].v, 12);
	assert_int_equal(c->f[ML_CGF_UNDER_OOM].v, 1);
	assert_string_equal(why(&t, c, ML_CGF_EV_OOM_KILL),
			    "no memory.oom_control oom_kill (kernels before 4.13 have none)");
	assert_string_equal(why(&t, c, ML_CGF_LOW), "cgroup v1 has no memory.low");
	assert_string_equal(why(&t, c, ML_CGF_SLAB_RECLAIMABLE),
			    "cgroup v1 has no memory.stat slab_reclaimable");
	assert_string_equal(ml_cgroup_psi_why(&t, c, buf, sizeof buf),
			    "cgroup v1 has no memory.pressure");
	/* The v1 root is not the v2 root: its files exist, and when one does not it is absent. */
	assert_string_equal(why(&t, c, ML_CGF_MEMSW),
			    "no memory.memsw.usage_in_bytes (swap accounting is off)");
	assert_int_equal(c->head.st, ML_CGV_UNLIMITED);
	ml_cgtree_release(&t);
}

static void
t_v2_root_and_no_controller(void **state)
{
	struct ml_cgroup_read *r = rd_new();
	struct ml_cgtree t;

	(void)state;
	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	unit_parse_str(&ml_src_cgroup_controllers, &r->controllers, "cpu memory\n");
	r->err[ML_CGFILE_CONTROLLERS] = 0;
	rd_stat(r, "anon 5\nfile 6\n");
	add(&t, "/", 0, r);
	r = rd_new();
	unit_parse_str(&ml_src_cgroup_controllers, &r->controllers, "cpu pids\n");
	r->err[ML_CGFILE_CONTROLLERS] = 0;
	rd_procs(r, "7\n");
	add(&t, "/legacy", 1, r);
	ml_cgtree_derive(&t);
	assert_string_equal(
		why(&t, t.v[0], ML_CGF_CURRENT),
		"the root cgroup has no memory.current (memlens summary shows the machine)");
	assert_string_equal(
		why(&t, t.v[0], ML_CGF_WSET),
		"the root cgroup has no memory.current (memlens summary shows the machine)");
	assert_int_equal(t.v[0]->f[ML_CGF_ANON].v, 5);
	assert_int_equal(t.v[0]->head.st, ML_CGV_UNLIMITED);
	assert_false(t.v[1]->controller);
	assert_string_equal(why(&t, t.v[1], ML_CGF_CURRENT),
			    "the memory controller is not enabled here (not in the parent's "
			    "cgroup.subtree_control)");
	/* Its members still count, and its headroom is its parent's. */
	assert_int_equal(t.v[1]->npids, 1);
	assert_int_equal(t.v[1]->head.st, ML_CGV_UNLIMITED);
	assert_int_equal(t.v[0]->nchild, 1);
	ml_cgtree_release(&t);
}

static void
t_working_set(void **state)
{
	struct ml_cgroup_read *r;
	struct ml_cgtree t;

	(void)state;
	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	r = rd_v2(100 * MiB, UNLIMITED, UNLIMITED);
	rd_stat(r, "inactive_file 31457280\nactive_file 1\n");
	add(&t, "/", 0, r);
	r = rd_v2(10 * MiB, UNLIMITED, UNLIMITED);
	rd_stat(r, "inactive_file 20971520\n"); /* larger than current: 0, as cAdvisor does */
	add(&t, "/a", 1, r);
	r = rd_v2(10 * MiB, UNLIMITED, UNLIMITED);
	rd_stat(r, "anon 1\n");
	add(&t, "/b", 1, r);
	ml_cgtree_derive(&t);
	assert_int_equal(t.v[0]->f[ML_CGF_WSET].st, ML_CGV_OK);
	assert_int_equal(t.v[0]->f[ML_CGF_WSET].v, 70 * MiB);
	assert_int_equal(t.v[1]->f[ML_CGF_WSET].v, 0);
	assert_int_equal(t.v[2]->f[ML_CGF_WSET].st, ML_CGV_NA);
	assert_string_equal(why(&t, t.v[2], ML_CGF_WSET),
			    "no memory.stat inactive_file in this kernel");
	ml_cgtree_release(&t);
}

static void
t_headroom(void **state)
{
	struct ml_cgroup_read *r;
	struct ml_cgtree t;
	struct ml_cgroup *c;

	(void)state;
	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	/* Ancestors of the start, root first: / (no files) and /k (max 1 GiB, 900 MiB used). */
	add(&t, "/", -1, rd_v2(ABSENT, ABSENT, ABSENT));
	add(&t, "/k", -1, rd_v2(900 * MiB, 1024 * MiB, UNLIMITED));
	add(&t, "/k/a", 0, rd_v2(400 * MiB, UNLIMITED, UNLIMITED));
	add(&t, "/k/a/high", 1, rd_v2(250 * MiB, UNLIMITED, 200 * MiB));
	add(&t, "/k/a/own", 1, rd_v2(10 * MiB, 50 * MiB, UNLIMITED));
	add(&t, "/k/a/far", 1, rd_v2(10 * MiB, 500 * MiB, UNLIMITED));
	r = rd_v2(10 * MiB, ABSENT, UNLIMITED);
	r->err[ML_CGFILE_MAX] = EACCES;
	add(&t, "/k/a/unreadable", 1, r);
	ml_cgtree_derive(&t);
	assert_int_equal(t.nanc, 2);
	assert_int_equal(t.n, 5);
	assert_ptr_equal(t.v[0]->parent, t.anc[1]);
	/* /k/a: no limit of its own; /k's is 124 MiB away. */
	c = ml_cgtree_find(&t, "/k/a");
	assert_int_equal(c->head.st, ML_CGV_OK);
	assert_int_equal(c->head.bytes, 124 * (int64_t)MiB);
	assert_string_equal(c->head.at, "/k");
	assert_int_equal(c->head.limit, ML_CGF_MAX);
	/* Above memory.high: negative. */
	c = ml_cgtree_find(&t, "/k/a/high");
	assert_int_equal(c->head.bytes, -50 * (int64_t)MiB);
	assert_int_equal(c->head.limit, ML_CGF_HIGH);
	assert_string_equal(c->head.at, "/k/a/high");
	/* Its own max is nearer than /k's. */
	c = ml_cgtree_find(&t, "/k/a/own");
	assert_int_equal(c->head.bytes, 40 * (int64_t)MiB);
	/* Its own max is farther: /k's counts. */
	c = ml_cgtree_find(&t, "/k/a/far");
	assert_int_equal(c->head.bytes, 124 * (int64_t)MiB);
	assert_string_equal(c->head.at, "/k");
	/* A limit that could not be read: the headroom is not known. */
	c = ml_cgtree_find(&t, "/k/a/unreadable");
	assert_int_equal(c->head.st, ML_CGV_NA);
	ml_cgtree_release(&t);

	/* v1: the memory+swap limit is a limit too. */
	ml_cgtree_init(&t);
	t.version = ML_CG_V1;
	r = rd_new();
	rd_value(r, ML_CGFILE_V1_USAGE, 30 * MiB);
	rd_value(r, ML_CGFILE_V1_LIMIT, 64 * MiB);
	rd_value(r, ML_CGFILE_V1_MEMSW_USAGE, 35 * MiB);
	rd_value(r, ML_CGFILE_V1_MEMSW_LIMIT, 40 * MiB);
	add(&t, "/job", 0, r);
	ml_cgtree_derive(&t);
	assert_int_equal(t.v[0]->head.bytes, 5 * (int64_t)MiB);
	assert_int_equal(t.v[0]->head.limit, ML_CGF_MEMSW_MAX);
	ml_cgtree_release(&t);
}

/* ------------------------------------------------------------ members */

static struct ml_proc *
proc_row(int pid, enum ml_mem_state mem, uint64_t pss, bool kthread)
{
	struct ml_proc *p = calloc(1, sizeof *p);

	p->pid = pid;
	p->mem = mem;
	p->kthread = kthread;
	p->cmdline = (char *)"";
	if (mem == ML_MEM_OK) {
		p->val[ML_SM_PSS] = pss;
		p->val[ML_SM_RSS] = pss * 2;
		p->val[ML_SM_PRIVATE_CLEAN] = pss / 4;
		p->val[ML_SM_PRIVATE_DIRTY] = pss / 4;
		ml_bit_set(p->present, ML_SM_PSS);
		ml_bit_set(p->present, ML_SM_RSS);
		ml_bit_set(p->present, ML_SM_PRIVATE_CLEAN);
		ml_bit_set(p->present, ML_SM_PRIVATE_DIRTY);
	}
	return p;
}

static const char *
group_name(void *arg, const struct ml_proc *p)
{
	const struct ml_cgroup *cg = ml_cgtree_cgroup_of(arg, p->pid);

	return cg != NULL ? cg->path : NULL;
}

static void
t_members(void **state)
{
	struct ml_proc *rows[6];
	struct ml_proctab tab;
	struct ml_cgroup_read *r;
	struct ml_cgtree t;
	struct ml_cgroup *a, *b;
	char buf[256];
	size_t i;

	(void)state;
	rows[0] = proc_row(2, ML_MEM_NONE, 0, true);
	rows[1] = proc_row(10, ML_MEM_OK, 1000, false);
	rows[2] = proc_row(11, ML_MEM_OK, 2000, false);
	rows[3] = proc_row(12, ML_MEM_DENIED, 0, false);
	rows[4] = proc_row(13, ML_MEM_OK, 4000, false);
	rows[5] = proc_row(14, ML_MEM_NONE, 0, false); /* a zombie */
	memset(&tab, 0, sizeof tab);
	tab.rows = rows;
	tab.n = 6;

	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	r = rd_v2(ABSENT, ABSENT, ABSENT);
	rd_procs(r, "2\n10\n99\n");
	add(&t, "/", 0, r);
	r = rd_v2(1, UNLIMITED, UNLIMITED);
	rd_procs(r, "11\n12\n");
	add(&t, "/a", 1, r);
	r = rd_v2(1, UNLIMITED, UNLIMITED);
	rd_procs(r, "13\n11\n14\n"); /* 11 moved here during the walk: counted in /a */
	add(&t, "/b", 1, r);
	ml_cgtree_derive(&t);
	ml_cgtree_sum_members(&t, &tab);
	a = ml_cgtree_find(&t, "/a");
	b = ml_cgtree_find(&t, "/b");
	assert_int_equal(t.members_moved, 1);
	assert_int_equal(t.kthreads, 1);
	assert_int_equal(t.zombies, 1);
	assert_int_equal(t.members_gone, 1); /* 99: listed, then gone */
	assert_int_equal(b->own.procs, 1);
	assert_int_equal(b->own.v[ML_PM_PSS], 4000);
	assert_true(ml_cgroup_members_whole(b));
	assert_int_equal(a->own.procs, 2);
	assert_int_equal(a->own.read, 1);
	assert_false(ml_cgroup_members_whole(a));
	assert_string_equal(ml_cgroup_members_why(a, buf, sizeof buf),
			    "1 of 2 processes could not be read: permission denied");
	/* The root's subtree: 10, 11, 12, 13. */
	assert_int_equal(t.v[0]->sub.procs, 4);
	assert_int_equal(t.v[0]->sub.v[ML_PM_PSS], 7000);
	assert_int_equal(t.v[0]->sub_members, 3 + 2 + 3);
	assert_true(t.v[0]->sub_listed);
	assert_false(ml_cgroup_members_whole(t.v[0]));
	/* The cgroup of a PID: the first that listed it. */
	assert_ptr_equal(ml_cgtree_cgroup_of(&t, 11), a);
	assert_ptr_equal(ml_cgtree_cgroup_of(&t, 13), b);
	assert_ptr_equal(ml_cgtree_cgroup_of(&t, 99), t.v[0]);
	assert_null(ml_cgtree_cgroup_of(&t, 12345));
	assert_null(ml_cgtree_cgroup_of(&t, 1));
	{
		struct ml_proc *sel[4] = { rows[1], rows[2], rows[4], rows[3] };
		struct ml_proc_group *g = NULL;
		long ng = ml_procs_group_names(sel, 4, group_name, &t, ML_PS_PSS, false, &g);

		/* /b: 13 (4000); /a: 11 (2000) and 12 (denied); /: 10 (1000). */
		assert_int_equal(ng, 3);
		assert_string_equal(g[0].name, "/b");
		assert_int_equal(g[0].sum.v[ML_PM_PSS], 4000);
		assert_string_equal(g[1].name, "/a");
		assert_int_equal(g[1].sum.procs, 2);
		assert_int_equal(g[1].sum.read, 1);
		assert_string_equal(g[2].name, "/");
		free(g);
	}
	ml_cgtree_release(&t);

	/* A cgroup.procs that could not be read: the subtree's sums are unknown. */
	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	add(&t, "/", 0, rd_v2(ABSENT, ABSENT, ABSENT));
	r = rd_v2(1, UNLIMITED, UNLIMITED);
	r->err[ML_CGFILE_PROCS] = EOPNOTSUPP; /* a threaded cgroup */
	add(&t, "/t", 1, r);
	ml_cgtree_sum_members(&t, &tab);
	assert_false(t.v[0]->sub_listed);
	assert_false(ml_cgroup_members_whole(t.v[0]));
	assert_string_equal(ml_cgroup_members_why(t.v[0], buf, sizeof buf),
			    "a cgroup.procs of this subtree could not be read");
	ml_cgtree_release(&t);
	for (i = 0; i < 6; i++)
		free(rows[i]);
}

/* ------------------------------------------------------------ sorting */

static void
t_sort(void **state)
{
	struct ml_cgroup_read *r;
	struct ml_cgroup *rows[4];
	struct ml_cgtree t;
	size_t i;

	(void)state;
	ml_cgtree_init(&t);
	t.version = ML_CG_V2;
	add(&t, "/", 0, rd_v2(ABSENT, ABSENT, ABSENT));
	add(&t, "/small", 1, rd_v2(10, 100, UNLIMITED));
	r = rd_v2(ABSENT, UNLIMITED, UNLIMITED);
	r->err[ML_CGFILE_CURRENT] = EACCES;
	add(&t, "/unknown", 1, r);
	add(&t, "/big", 1, rd_v2(1000, UNLIMITED, UNLIMITED));
	ml_cgtree_derive(&t);
	for (i = 0; i < 4; i++)
		rows[i] = t.v[i];
	ml_cgroups_sort(rows, 4, ML_CGSORT_CURRENT, false);
	assert_string_equal(rows[0]->path, "/big");
	assert_string_equal(rows[1]->path, "/small");
	/* Unknown last, either way; ties by path. */
	assert_string_equal(rows[2]->path, "/");
	assert_string_equal(rows[3]->path, "/unknown");
	ml_cgroups_sort(rows, 4, ML_CGSORT_CURRENT, true);
	assert_string_equal(rows[0]->path, "/small");
	assert_string_equal(rows[1]->path, "/big");
	assert_string_equal(rows[2]->path, "/");
	/* Headroom: the nearest limit first, unlimited after every limit, unknown last. */
	ml_cgroups_sort(rows, 4, ML_CGSORT_HEADROOM, false);
	assert_string_equal(rows[0]->path, "/small");
	assert_string_equal(rows[3]->path, "/unknown");
	ml_cgroups_sort(rows, 4, ML_CGSORT_NAME, false);
	assert_string_equal(rows[0]->path, "/");
	assert_string_equal(rows[1]->path, "/big");
	/* The tree's children. */
	ml_cgtree_sort(&t, ML_CGSORT_CURRENT, false);
	assert_string_equal(t.v[0]->child[0]->path, "/big");
	assert_string_equal(t.v[0]->child[2]->path, "/unknown");
	for (i = 0; i < ML_CGSORT__COUNT; i++)
		assert_int_equal(ml_cgroup_sort_parse(ml_cgroup_sort_keys[i]), (int)i);
	assert_int_equal(ml_cgroup_sort_parse("nope"), -1);
	ml_cgtree_release(&t);
}

/* ------------------------------------------------------------ a fixture, loaded */

static void
t_load_fixture(void **state)
{
	struct ml_cgmounts m;
	struct ml_cghier h;
	struct ml_procfs fs, sys;
	struct ml_cgtree t;
	struct ml_cgroup *c;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/cgroup-v2-systemd/proc", &cause), 0);
	assert_int_equal(ml_cgmounts_read(&m, &fs, &cause), 0);
	assert_int_equal(ml_procfs_open(&sys, FIXTURES "/cgroup-v2-systemd/sys", &cause), 0);
	assert_int_equal(ml_cghier_open(&h, &m, &sys, &cause), 0);
	ml_cgtree_init(&t);
	assert_int_equal(ml_cgtree_load(&t, &h, "/", -1, &cause), 0);
	assert_int_equal(t.n, 10);
	assert_int_equal(t.nanc, 0);
	c = ml_cgtree_find(&t, "/system.slice/nginx.service");
	assert_non_null(c);
	assert_int_equal(c->depth, 2);
	assert_string_equal(c->name, "nginx.service");
	assert_int_equal(c->f[ML_CGF_EV_OOM_KILL].v, 2);
	assert_int_equal(c->f[ML_CGF_MAX].v, 256 * MiB);
	assert_int_equal(c->head.bytes, (int64_t)(256 * MiB) - (int64_t)c->f[ML_CGF_CURRENT].v);
	assert_true(c->nstat > 40);
	assert_string_equal(c->stat_key[0], "anon");
	c = ml_cgtree_find(&t, "/user.slice/user-1000.slice/session-3.scope");
	assert_string_equal(c->head.at, "/user.slice/user-1000.slice");
	ml_cgtree_release(&t);

	/* From a subtree: its ancestors' limits still count; deeper, only cgroup.procs. */
	ml_cgtree_init(&t);
	assert_int_equal(ml_cgtree_load(&t, &h, "/user.slice", 0, &cause), 0);
	assert_int_equal(t.nanc, 1);
	assert_int_equal(t.n, 3);
	assert_true(t.v[0]->full);
	assert_false(t.v[1]->full);
	assert_int_equal(t.v[1]->f[ML_CGF_CURRENT].why, ML_CGW_NOT_READ);
	assert_int_equal(t.v[2]->npids, 2);
	ml_cgtree_release(&t);

	ml_cgtree_init(&t);
	assert_int_equal(ml_cgtree_load(&t, &h, "/no.slice", -1, &cause), -1);
	assert_int_equal(errno, ENOENT);
	free(cause);
	ml_cgtree_release(&t);
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	ml_procfs_close(&fs);
	ml_procfs_close(&sys);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_map_v2),
		cmocka_unit_test(t_map_v1),
		cmocka_unit_test(t_v2_root_and_no_controller),
		cmocka_unit_test(t_working_set),
		cmocka_unit_test(t_headroom),
		cmocka_unit_test(t_members),
		cmocka_unit_test(t_sort),
		cmocka_unit_test(t_load_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
