/*
 * The snapshot layer (model/snapshot.h) against fixture trees: which sources
 * it reads, what it says of those it cannot, its two buffers, its deltas.
 * Trees that change between refreshes are copies in a scratch directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "unit.h"

#include "model/snapshot.h"

#define ALL_KERNEL                                                                               \
	(ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT) | ML_SNAP(ML_SNAP_ZONEINFO) |        \
	 ML_SNAP(ML_SNAP_BUDDYINFO) | ML_SNAP(ML_SNAP_SLABINFO) | ML_SNAP(ML_SNAP_VMALLOCINFO) | \
	 ML_SNAP(ML_SNAP_PAGETYPEINFO))

static const struct ml_snap_options full = {
	.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
	.hints = { .denied = "run as root", .missing = "none here" },
};

/* p, or the end of the test: a model the snapshot must have (and the compiler knows it). */
#define NN(p) ((__typeof__(p))nonnull((const void *)(p), #p))

static const void *
nonnull(const void *p, const char *what)
{
	if (p == NULL) {
		print_error("%s is NULL\n", what);
		fail();
		abort();
	}
	return p;
}

/* A scratch directory for a tree that changes; removed by the test's end. */
static char scratch[256];

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Rewrite an open file in place (the snapshot's reader keeps its descriptor). */
static void
rewrite_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
copy_fixture(const char *fixture_rel, const char *dir, const char *rel)
{
	size_t len;
	char *buf = unit_load_fixture(fixture_rel, &len);

	write_file(dir, rel, buf);
	free(buf);
}

static void
make_scratch(void)
{
	snprintf(scratch, sizeof scratch, "%s/memlens-snap.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(scratch));
}

static void
remove_scratch(void)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	assert_int_equal(system(cmd), 0);
}

static void
open_fs(struct ml_procfs *fs, const char *root)
{
	char *cause = NULL;

	assert_int_equal(ml_procfs_open(fs, root, &cause), 0);
	assert_null(cause);
}

/* A sys root that is not there: its roots below fail as it did. */
static struct ml_procfs no_sys = { .dirfd = -1,
				   .root = (char *)"/nonexistent",
				   .open_err = ENOENT };

/* Every kernel source of a full capture: read, derived, nothing lost. */
static void
t_reads_everything(void **state)
{
	struct ml_procfs fs, sys;
	struct ml_snapshot s;
	const struct ml_accounting *a;
	const struct ml_page_size *ps;
	int i;

	(void)state;
	open_fs(&fs, FIXTURES "/linux-6.18");
	open_fs(&sys, FIXTURES "/linux-6.18-sys");
	ml_snapshot_init(&s, &fs, &sys, &full);
	assert_int_equal(ml_snapshot_refresh(&s, ALL_KERNEL), 0);
	for (i = 0; i < ML_SNAP__COUNT; i++) {
		if (!(ALL_KERNEL & ML_SNAP(i))) {
			/* Not asked for: not opened. */
			assert_int_equal(s.src[i].state, ML_SNAP_UNTRIED);
			continue;
		}
		assert_true(ml_snapshot_has(&s, (enum ml_snap_src)i));
		assert_null(ml_snapshot_why(&s, (enum ml_snap_src)i));
		assert_false(s.src[i].lost_now);
		assert_true(s.src[i].seconds == 0);
	}
	a = NN(ml_snapshot_accounting(&s));
	assert_non_null(a);
	assert_int_equal(a->total, ml_meminfo_get(NN(ml_snapshot_meminfo(&s)), ML_MI_MEM_TOTAL));
	assert_non_null(ml_snapshot_headline(&s));
	assert_null(ml_snapshot_meminfo_prev(&s));
	assert_null(ml_snapshot_accounting_prev(&s));
	/* A fixture is not a procfs: the page size comes from the counters. */
	ps = ml_snapshot_page_size(&s);
	assert_int_equal(ps->source, ML_PS_COUNTERS);
	assert_int_equal(ps->bytes, 4096);
	assert_int_equal(s.slv.page_size, 4096);
	assert_true(ml_snapshot_watermarks(&s)->nzones > 0);
	assert_true(ml_snapshot_frag(&s)->nzones > 0);
	assert_true(s.slv.n > 0);
	/* Reclaimability comes from the sys root. */
	assert_true(s.slab_open);
	assert_true(s.slv.total.caches_by_reclaim[ML_SLAB_RECLAIM_YES] > 0);
	/* vmallocinfo was read in the same refresh: the stack overlap is measured. */
	assert_true(s.stack_known);
	assert_true(a->vmap_stack_measured);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	ml_procfs_close(&sys);
}

/* A source that is not there: lost at open, with its cause, its hint, for good. */
static void
t_missing_source(void **state)
{
	struct ml_procfs fs, sys;
	struct ml_snapshot s;
	const struct ml_snap_source *p = NULL;
	unsigned int missing;

	(void)state;
	/* a capture without pressure/memory (linux-6.18 has one) */
	open_fs(&fs, FIXTURES "/two-node");
	open_fs(&sys, FIXTURES "/two-node-sys");
	ml_snapshot_init(&s, &fs, &sys, &full);
	missing = ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_PRESSURE));
	assert_int_equal(missing, ML_SNAP(ML_SNAP_PRESSURE));
	p = &s.src[ML_SNAP_PRESSURE];
	assert_int_equal(p->state, ML_SNAP_LOST);
	assert_int_equal(p->stage, ML_SNAP_AT_OPEN);
	assert_int_equal(p->err, ENOENT);
	assert_true(p->lost_now);
	assert_non_null(strstr(NN(p->cause), "pressure/memory"));
	assert_null(strstr(p->cause, "none here"));
	assert_non_null(strstr(NN(ml_snapshot_why(&s, ML_SNAP_PRESSURE)), "(none here)"));
	/* The next refresh does not try again, and it is not news any more. */
	missing = ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_PRESSURE));
	assert_int_equal(missing, ML_SNAP(ML_SNAP_PRESSURE));
	assert_false(p->lost_now);
	assert_true(ml_snapshot_has(&s, ML_SNAP_MEMINFO));
	/* ml_snapshot_open reports it too, and opens what it is asked without reading. */
	assert_int_equal(
		ml_snapshot_open(&s, ML_SNAP(ML_SNAP_PRESSURE) | ML_SNAP(ML_SNAP_ZONEINFO)),
		ML_SNAP(ML_SNAP_PRESSURE));
	assert_int_equal(s.src[ML_SNAP_ZONEINFO].state, ML_SNAP_OK);
	assert_false(s.src[ML_SNAP_ZONEINFO].read);
	assert_false(ml_snapshot_has(&s, ML_SNAP_ZONEINFO));
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	ml_procfs_close(&sys);
}

/* Two reads: the current and the previous meminfo, and the vmstat activity between them. */
static void
t_two_reads_and_deltas(void **state)
{
	struct ml_procfs fs;
	struct ml_snapshot s;
	const struct ml_meminfo *first, *cur, *prev;
	char vmstat[4096];
	size_t len;
	char *buf;

	(void)state;
	make_scratch();
	copy_fixture("linux-6.18/meminfo", scratch, "meminfo");
	write_file(scratch, "vmstat", "nr_free_pages 100\npgmajfault 10\npgscan_kswapd 5\n");
	open_fs(&fs, scratch);
	ml_snapshot_init(&s, &fs, &no_sys, &full);
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT)), 0);
	first = ml_snapshot_meminfo(&s);
	assert_int_equal(s.act.majfault, 10);
	assert_true(s.act.known);
	assert_true(s.act_seconds == 0);

	/* The kernel moves: MemFree down by 1 MiB, 7 more major faults. */
	buf = unit_load_fixture("linux-6.18/meminfo", &len);
	{
		char *line = strstr(buf, "MemFree:"), *end, *text;
		unsigned long long kb;

		assert_non_null(line);
		assert_int_equal(sscanf(line, "MemFree: %llu kB", &kb), 1);
		end = strchr(line, '\n');
		assert_non_null(end);
		*line = '\0';
		assert_true(asprintf(&text, "%sMemFree: %llu kB%s", buf, kb - 1024, end) > 0);
		free(buf);
		buf = text;
	}
	rewrite_file(scratch, "meminfo", buf);
	snprintf(vmstat, sizeof vmstat, "nr_free_pages 100\npgmajfault 17\npgscan_kswapd 5\n");
	rewrite_file(scratch, "vmstat", vmstat);
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT)), 0);
	cur = NN(ml_snapshot_meminfo(&s));
	prev = NN(ml_snapshot_meminfo_prev(&s));
	assert_ptr_equal(prev, first);
	assert_ptr_not_equal(cur, prev);
	assert_int_equal(ml_meminfo_get(prev, ML_MI_MEM_FREE) - ml_meminfo_get(cur, ML_MI_MEM_FREE),
			 1024 * 1024);
	assert_int_equal(NN(ml_snapshot_headline_prev(&s))->free.v -
				 NN(ml_snapshot_headline(&s))->free.v,
			 1024 * 1024);
	assert_non_null(ml_snapshot_accounting_prev(&s));
	assert_true(s.act_seconds > 0);
	assert_true(s.act_delta.known);
	assert_int_equal(s.act_delta.majfault, 7);
	assert_int_equal(s.act_delta.scan_kswapd, 0);
	assert_int_equal(s.act.majfault, 17);
	assert_true(s.src[ML_SNAP_MEMINFO].seconds > 0);
	free(buf);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	remove_scratch();
}

/* A read that fails: lost for good, unless in the retry mask (the dashboard's meminfo). */
static void
t_read_failure_and_retry(void **state)
{
	static const struct ml_snap_options retry = { .derive = ML_SNAP_HEADLINE,
						      .retry = ML_SNAP(ML_SNAP_MEMINFO) };
	struct ml_procfs fs;
	struct ml_snapshot s;
	size_t len;
	char *good;

	(void)state;
	make_scratch();
	good = unit_load_fixture("linux-6.18/meminfo", &len);
	write_file(scratch, "meminfo", good);
	write_file(scratch, "vmstat", "pgmajfault 1\n");
	open_fs(&fs, scratch);
	ml_snapshot_init(&s, &fs, &no_sys, &retry);
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT)), 0);
	/* Both become garbage. */
	rewrite_file(scratch, "meminfo", "garbage\n");
	rewrite_file(scratch, "vmstat", "garbage\n");
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT)),
		ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT));
	/* meminfo parses (one bad line) but has no MemTotal; vmstat has nothing usable. */
	assert_int_equal(s.src[ML_SNAP_MEMINFO].stage, ML_SNAP_AT_DERIVE);
	assert_int_equal(ml_snapshot_stats(&s, ML_SNAP_MEMINFO)->bad_lines, 1);
	assert_int_equal(s.src[ML_SNAP_VMSTAT].stage, ML_SNAP_AT_READ);
	/* The last good read stays current. */
	assert_non_null(ml_snapshot_meminfo(&s));
	assert_true(NN(ml_snapshot_headline(&s))->total > 0);
	/* Good again: meminfo comes back, vmstat does not (it is not retried). */
	rewrite_file(scratch, "meminfo", good);
	rewrite_file(scratch, "vmstat", "pgmajfault 2\n");
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT)),
		ML_SNAP(ML_SNAP_VMSTAT));
	assert_true(ml_snapshot_has(&s, ML_SNAP_MEMINFO));
	assert_null(ml_snapshot_why(&s, ML_SNAP_MEMINFO));
	assert_int_equal(s.act.majfault, 1);
	free(good);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	remove_scratch();
}

/* meminfo without MemTotal reads, but nothing can be derived: lost at derive. */
static void
t_derive_failure(void **state)
{
	struct ml_procfs fs;
	struct ml_snapshot s;
	const struct ml_snap_source *m;

	(void)state;
	make_scratch();
	write_file(scratch, "meminfo", "MemFree: 100 kB\n");
	open_fs(&fs, scratch);
	ml_snapshot_init(&s, &fs, &no_sys, &full);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO)),
			 ML_SNAP(ML_SNAP_MEMINFO));
	m = &s.src[ML_SNAP_MEMINFO];
	assert_int_equal(m->stage, ML_SNAP_AT_DERIVE);
	assert_non_null(strstr(NN(m->cause), "/meminfo: no MemTotal line"));
	assert_null(ml_snapshot_meminfo(&s));
	assert_null(ml_snapshot_accounting(&s));
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);

	/* Without derived models (the vmalloc command's two reads) it is a good read. */
	open_fs(&fs, scratch);
	ml_snapshot_init(&s, &fs, &no_sys, NULL);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO)), 0);
	assert_int_equal(ml_meminfo_get(NN(ml_snapshot_meminfo(&s)), ML_MI_MEM_FREE), 100 * 1024);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	remove_scratch();
}

/* The zones and the buddy allocator at the read before: their own buffers, names intact. */
static void
t_previous_models(void **state)
{
	struct ml_procfs fs;
	struct ml_snapshot s;
	const struct ml_watermarks *w, *wp;
	const struct ml_frag *f, *fp;
	uint32_t i;

	(void)state;
	open_fs(&fs, FIXTURES "/two-node");
	ml_snapshot_init(&s, &fs, &no_sys, NULL);
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_ZONEINFO) | ML_SNAP(ML_SNAP_BUDDYINFO)), 0);
	assert_null(ml_snapshot_watermarks_prev(&s));
	assert_null(ml_snapshot_frag_prev(&s));
	assert_int_equal(
		ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_ZONEINFO) | ML_SNAP(ML_SNAP_BUDDYINFO)), 0);
	w = ml_snapshot_watermarks(&s);
	wp = NN(ml_snapshot_watermarks_prev(&s));
	f = ml_snapshot_frag(&s);
	fp = NN(ml_snapshot_frag_prev(&s));
	assert_non_null(wp);
	assert_non_null(fp);
	assert_ptr_not_equal(w, wp);
	assert_ptr_not_equal(f, fp);
	assert_int_equal(w->nzones, wp->nzones);
	for (i = 0; i < w->nzones; i++) {
		assert_string_equal(w->zones[i].name, wp->zones[i].name);
		assert_ptr_not_equal(w->zones[i].name, wp->zones[i].name);
		assert_int_equal(w->zones[i].free.pages, wp->zones[i].free.pages);
	}
	assert_int_equal(f->nzones, fp->nzones);
	assert_int_equal(f->free_pages, fp->free_pages);
	/* The page size, found once. */
	assert_ptr_equal(ml_snapshot_page_size(&s), ml_snapshot_page_size(&s));
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
}

/* slab: the per-cache change between two reads, over the seconds between them. */
static void
t_slab_change(void **state)
{
	struct ml_procfs fs;
	struct ml_snapshot s;
	const struct ml_slab_row *r = NULL;
	size_t len;
	char *buf, *line;
	uint32_t i;

	(void)state;
	make_scratch();
	buf = unit_load_fixture("linux-6.18/slabinfo", &len);
	write_file(scratch, "slabinfo", buf);
	copy_fixture("linux-6.18/meminfo", scratch, "meminfo");
	copy_fixture("linux-6.18/vmstat", scratch, "vmstat");
	open_fs(&fs, scratch);
	ml_snapshot_init(&s, &fs, &no_sys, NULL);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_SLABINFO)), 0);
	/* No sysfs: reclaimability unknown, and why. */
	assert_false(s.slab_open);
	assert_non_null(s.reclaim_why);
	assert_true(s.slv.seconds == 0);
	/* dentry gains 100 slabs. */
	line = strstr(buf, "\ndentry ");
	assert_non_null(line);
	{
		char name[64];
		unsigned long long a, n, sz, per, pages, lim, bat, sh, as, ns, sa;
		char out[256];
		char *end = strchr(line + 1, '\n');

		assert_int_equal(sscanf(line + 1,
					"%63s %llu %llu %llu %llu %llu : tunables %llu %llu %llu : "
					"slabdata %llu %llu %llu",
					name, &a, &n, &sz, &per, &pages, &lim, &bat, &sh, &as, &ns,
					&sa),
				 12);
		snprintf(out, sizeof out,
			 "%s %llu %llu %llu %llu %llu : tunables %llu %llu %llu : slabdata %llu "
			 "%llu %llu",
			 name, a, n, sz, per, pages, lim, bat, sh, as + 100, ns + 100, sa);
		memmove(line + 1 + strlen(out), end, strlen(end) + 1);
		memcpy(line + 1, out, strlen(out));
	}
	rewrite_file(scratch, "slabinfo", buf);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_SLABINFO)), 0);
	assert_true(s.slv.seconds > 0);
	for (i = 0; i < s.slv.n; i++)
		if (strcmp(s.slv.rows[i].cache->name, "dentry") == 0)
			r = &s.slv.rows[i];
	r = NN(r);
	assert_true(r->has_growth);
	assert_true(r->growth_pages > 0);
	free(buf);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	remove_scratch();
}

/*
 * The cgroups: the whole tree of a copied v2 hierarchy, only the files asked
 * for; a proc root without mountinfo loses the source with its cause.
 */
static void
t_cgroups(void **state)
{
	struct ml_procfs fs, sys;
	struct ml_snapshot s;
	const struct ml_snap_source *p;
	const struct ml_cgroup *root, *pg;

	(void)state;
	open_fs(&fs, FIXTURES "/cgroup-v2-systemd/proc");
	open_fs(&sys, FIXTURES "/cgroup-v2-systemd/sys");
	ml_snapshot_init(&s, &fs, &sys, &full);
	s.cg_files = ml_cgfile_set_limits(ML_CG_V2);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_CGROUPS)), 0);
	assert_true(ml_snapshot_has(&s, ML_SNAP_CGROUPS));
	assert_int_equal(s.cgroups.version, ML_CG_V2);
	assert_string_equal(s.cgroups.start, "/");
	assert_int_equal(s.cgroups.n, 10);
	root = s.cgroups.v[0];
	assert_string_equal(root->path, "/");
	pg = NN(ml_cgtree_find(&s.cgroups, "/system.slice/postgresql.service"));
	assert_true(ml_cgv_ok(&pg->f[ML_CGF_MAX]));
	assert_true(pg->f[ML_CGF_MAX].v == 2ULL << 30);
	assert_true(ml_cgv_ok(&pg->f[ML_CGF_CURRENT]));
	/* memory.stat was not asked for. */
	assert_false(ml_cgv_ok(&pg->f[ML_CGF_ANON]));
	/* A second read makes the tree again, the same. */
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_CGROUPS)), 0);
	assert_int_equal(s.cgroups.n, 10);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	ml_procfs_close(&sys);

	open_fs(&fs, FIXTURES "/linux-6.18");
	open_fs(&sys, FIXTURES "/linux-6.18-sys");
	ml_snapshot_init(&s, &fs, &sys, &full);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_CGROUPS)),
			 ML_SNAP(ML_SNAP_CGROUPS));
	p = &s.src[ML_SNAP_CGROUPS];
	assert_int_equal(p->state, ML_SNAP_LOST);
	assert_int_equal(p->stage, ML_SNAP_AT_OPEN);
	assert_non_null(strstr(NN(p->cause), "mountinfo"));
	assert_int_equal(s.cgroups.n, 0);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	ml_procfs_close(&sys);
}

/* pgfault: every fault since boot, and its change; unknown on a vmstat without it. */
static void
t_faults(void **state)
{
	struct ml_procfs fs;
	struct ml_snapshot s;

	(void)state;
	make_scratch();
	copy_fixture("linux-6.18/meminfo", scratch, "meminfo");
	write_file(scratch, "vmstat", "pgfault 1000\npgmajfault 10\npgscan_kswapd 5\n");
	open_fs(&fs, scratch);
	ml_snapshot_init(&s, &fs, &no_sys, &full);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_VMSTAT)), 0);
	assert_true(s.act.fault_known);
	assert_int_equal(s.act.fault, 1000);
	assert_false(s.act_delta.fault_known); /* no change after one read */
	rewrite_file(scratch, "vmstat", "pgfault 1600\npgmajfault 12\npgscan_kswapd 5\n");
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_VMSTAT)), 0);
	assert_true(s.act_delta.fault_known);
	assert_int_equal(s.act_delta.fault, 600);
	assert_int_equal(s.act_delta.majfault, 2);
	/* A vmstat without pgfault: the faults are unknown, not 0. */
	rewrite_file(scratch, "vmstat", "pgmajfault 12\npgscan_kswapd 5\n");
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_VMSTAT)), 0);
	assert_false(s.act.fault_known);
	assert_false(s.act_delta.fault_known);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
	remove_scratch();
}

/*
 * zram from the sys root: its RAM (every device's mem_used_total) is a part
 * of the accounting and unaccounted shrinks by as much; when zram is not
 * read, or the sys root cannot be used, the part is absent and says why.
 */
static void
t_zram(void **state)
{
	struct ml_procfs fs, sys, none, live;
	struct ml_snapshot s;
	const struct ml_accounting *a;
	const struct ml_acct_row *z;
	int64_t without;
	struct statfs st;
	char *cause = NULL;

	(void)state;
	open_fs(&fs, FIXTURES "/four-node");
	open_fs(&sys, FIXTURES "/four-node-sys");
	ml_snapshot_init(&s, &fs, &sys, &full);
	/* meminfo alone: zram not read, inside unaccounted */
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO)), 0);
	a = NN(ml_snapshot_accounting(&s));
	z = &a->part[ML_ACCT_ZRAM];
	assert_int_equal(z->state, ML_ACCT_ABSENT);
	assert_string_equal(NN(z->absent_why), "zram not read (sysfs)");
	without = a->unaccounted;
	/* with zram: two devices, one initialised (325058560 bytes), one empty */
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_ZRAM)),
			 0);
	assert_true(ml_snapshot_has(&s, ML_SNAP_ZRAM));
	assert_int_equal(s.zram.n, 2);
	a = NN(ml_snapshot_accounting(&s));
	z = &a->part[ML_ACCT_ZRAM];
	assert_int_equal(z->state, ML_ACCT_KNOWN);
	assert_int_equal(z->bytes, 325058560);
	assert_int_equal(a->unaccounted, without - 325058560);
	ml_snapshot_release(&s);

	/* a sys root that is not there: lost at open, said in the part */
	assert_int_equal(ml_procfs_open(&none, "/nonexistent", &cause), -1);
	free(cause);
	ml_snapshot_init(&s, &fs, &none, &full);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_ZRAM)),
			 ML_SNAP(ML_SNAP_ZRAM));
	assert_int_equal(s.src[ML_SNAP_ZRAM].state, ML_SNAP_LOST);
	assert_non_null(strstr(NN(s.src[ML_SNAP_ZRAM].cause), "cannot open sys root /nonexistent"));
	z = &NN(ml_snapshot_accounting(&s))->part[ML_ACCT_ZRAM];
	assert_int_equal(z->state, ML_ACCT_ABSENT);
	assert_string_equal(NN(z->absent_why), "no sysfs");
	ml_snapshot_release(&s);
	ml_procfs_close(&none);

	/* this machine's /sys with a copied proc root: not mixed */
	if (statfs("/sys", &st) == 0 && (long)st.f_type == 0x62656572) {
		open_fs(&live, "/sys");
		ml_snapshot_init(&s, &fs, &live, &full);
		assert_int_equal(
			ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_ZRAM)),
			ML_SNAP(ML_SNAP_ZRAM));
		assert_non_null(strstr(NN(s.src[ML_SNAP_ZRAM].cause), "see --sys-root"));
		z = &NN(ml_snapshot_accounting(&s))->part[ML_ACCT_ZRAM];
		assert_string_equal(NN(z->absent_why), "this machine's /sys: see --sys-root");
		ml_snapshot_release(&s);
		ml_procfs_close(&live);
	}
	ml_procfs_close(&fs);
	ml_procfs_close(&sys);
}

/* Every process's RSS (growth's source), twice: the same rows. */
static void
t_proc_rss(void **state)
{
	struct ml_procfs fs;
	struct ml_snapshot s;

	(void)state;
	open_fs(&fs, FIXTURES "/growth-series/capture-05/proc");
	ml_snapshot_init(&s, &fs, NULL, &full);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_PROC_RSS)), 0);
		assert_true(ml_snapshot_has(&s, ML_SNAP_PROC_RSS));
		assert_int_equal(s.rss.n, 4);
		assert_int_equal(s.rss.rows[2].pid, 900);
		assert_int_equal(s.rss.rows[2].rss, 24 << 20);
	}
	assert_string_equal(ml_snap_src_path(ML_SNAP_PROC_RSS), "PID/status");
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
}

/*
 * The processes within a time budget (memlens serve): a budget too small to
 * read one loses the source with ETIME, and it is read again when there is
 * time (retry); no budget reads them all.
 */
static void
t_procs_budget(void **state)
{
	struct ml_snap_options opt = { .retry = ML_SNAP(ML_SNAP_PROCS), .procs_budget_ns = 1 };
	struct ml_procfs fs;
	struct ml_snapshot s;
	size_t i, read = 0;

	(void)state;
	open_fs(&fs, FIXTURES "/procs-6.18");
	ml_snapshot_init(&s, &fs, NULL, &opt);
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_PROCS)), ML_SNAP(ML_SNAP_PROCS));
	assert_int_equal(s.src[ML_SNAP_PROCS].err, ETIME);
	assert_non_null(strstr(s.src[ML_SNAP_PROCS].cause, "time limit"));
	s.opt.procs_budget_ns = 60ull * 1000000000ull;
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_PROCS)), 0);
	for (i = 0; i < s.procs.n; i++)
		read += s.procs.rows[i]->mem == ML_MEM_OK;
	assert_true(read > 3);
	s.opt.procs_budget_ns = 0;
	assert_int_equal(ml_snapshot_refresh(&s, ML_SNAP(ML_SNAP_PROCS)), 0);
	ml_snapshot_release(&s);
	ml_procfs_close(&fs);
}

/* Every source has a path, and the table and the enum agree. */
static void
t_paths(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < ML_SNAP__COUNT; i++)
		assert_non_null(ml_snap_src_path((enum ml_snap_src)i));
	assert_string_equal(ml_snap_src_path(ML_SNAP_PRESSURE), "pressure/memory");
	assert_string_equal(ml_snap_src_path(ML_SNAP_SLABINFO), "slabinfo");
	assert_string_equal(ml_snap_src_path(ML_SNAP_ZRAM), "block/zram*/mm_stat");
	assert_null(ml_snap_src_path(ML_SNAP__COUNT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_reads_everything),
		cmocka_unit_test(t_missing_source),
		cmocka_unit_test(t_two_reads_and_deltas),
		cmocka_unit_test(t_read_failure_and_retry),
		cmocka_unit_test(t_derive_failure),
		cmocka_unit_test(t_previous_models),
		cmocka_unit_test(t_slab_change),
		cmocka_unit_test(t_faults),
		cmocka_unit_test(t_zram),
		cmocka_unit_test(t_cgroups),
		cmocka_unit_test(t_proc_rss),
		cmocka_unit_test(t_procs_budget),
		cmocka_unit_test(t_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
