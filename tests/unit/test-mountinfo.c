/*
 * Unit tests for the mountinfo parser (src/proc/mountinfo.c) and the cgroup
 * mounts found in it (src/proc/cgroup.c, ml_cgmounts_read).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/cgroup.h"
#include "proc/mountinfo.h"
#include "unit.h"

/* Every mount of a parse, as one line of text each. */
struct seen {
	char text[8192];
	size_t len;
	unsigned int n;
};

static int
collect(void *arg, const struct ml_mount *m)
{
	struct seen *s = arg;

	s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len,
				   "%d %d %u:%u [%s] [%s] [%s] [%s] [%s] [%s]\n", m->id, m->parent,
				   m->major, m->minor, m->root, m->mount_point, m->options,
				   m->fstype, m->source, m->super_options);
	s->n++;
	return 0;
}

static const struct ml_feed *
parse(const char *in, size_t chunk, struct seen *s)
{
	static struct ml_feed f;
	struct ml_mountinfo *mi = malloc(sizeof *mi);

	memset(s, 0, sizeof *s);
	ml_mountinfo_init(mi, collect, s);
	unit_parse(&f, &ml_src_mountinfo, mi, in, strlen(in), chunk);
	assert_int_equal(mi->mounts, s->n);
	free(mi);
	return &f;
}

static void
t_fixture_whole_and_chunked(void **state)
{
	struct seen whole, part;
	size_t len, i;
	char *buf = unit_load_fixture("cgroup-hybrid/proc/self/mountinfo", &len);

	(void)state;
	parse(buf, 0, &whole);
	assert_true(whole.n >= 10);
	assert_non_null(strstr(whole.text, "[/] [/sys/fs/cgroup/memory] "
					   "[rw,nosuid,nodev,noexec,relatime] [cgroup] [cgroup] "
					   "[rw,memory]"));
	assert_non_null(strstr(whole.text, "[/sys/fs/cgroup/unified]"));
	/* \040 in a mount point is a space. */
	assert_non_null(strstr(whole.text, "[/srv/data disk]"));
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		parse(buf, unit_chunk_sizes[i], &part);
		assert_string_equal(whole.text, part.text);
	}
	free(buf);
}

static void
t_escapes(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(ml_mountinfo_unescape("a\\040b", 6, out, sizeof out), 3);
	assert_string_equal(out, "a b");
	assert_int_equal(ml_mountinfo_unescape("\\011\\012\\134", 12, out, sizeof out), 3);
	assert_string_equal(out, "\t\n\\");
	/* Not three octal digits, or above \377: kept as printed. */
	assert_int_equal(ml_mountinfo_unescape("\\x41\\04\\400", 11, out, sizeof out), 11);
	assert_string_equal(out, "\\x41\\04\\400");
	/* A NUL byte cannot be a path. */
	assert_int_equal(ml_mountinfo_unescape("a\\000", 5, out, sizeof out), -1);
	/* Too small an output. */
	assert_int_equal(ml_mountinfo_unescape("abcdef", 6, out, 4), -1);
	/* UTF-8 is not escaped by the kernel and passes through. */
	assert_int_equal(ml_mountinfo_unescape("caf\xc3\xa9", 5, out, sizeof out), 5);
}

static void
t_optional_fields_and_escaped_fields(void **state)
{
	struct seen s;
	const struct ml_feed *f;

	(void)state;
	f = parse("36 35 98:0 /mnt\\0401 /mnt\\134two rw,noatime master:1 shared:2 unbindable - "
		  "ext3 /dev/root\\040x rw,errors=continue\n"
		  "37 35 0:40 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		  0, &s);
	assert_int_equal(f->stats.bad_lines, 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text,
			    "36 35 98:0 [/mnt 1] [/mnt\\two] [rw,noatime] [ext3] [/dev/root x] "
			    "[rw,errors=continue]\n"
			    "37 35 0:40 [/] [/sys/fs/cgroup] [rw] [cgroup2] [cgroup2] [rw]\n");
}

static void
t_garbage_and_truncated(void **state)
{
	struct seen s;
	const struct ml_feed *f;

	(void)state;
	f = parse("garbage\n"
		  "1 2 3:4 / /x rw shared:1 ext4 /dev/a rw\n" /* no "-" */
		  "1 2 3:4 / /x rw - ext4 /dev/a\n"           /* no super options */
		  "x 2 3:4 / /x rw - ext4 /dev/a rw\n"        /* bad ID */
		  "1 2 34 / /x rw - ext4 /dev/a rw\n"         /* bad major:minor */
		  "1 2 3:4 relative /x rw - ext4 /dev/a rw\n" /* root not absolute */
		  "1 2 3:4 / /x\\000 rw - ext4 /dev/a rw\n"   /* NUL */
		  "1 2 3:4 / /x rw - ext4 /dev/a rw extra\n"  /* trailing field */
		  "5 1 0:1 / /ok rw - tmpfs tmpfs rw\n"
		  "6 1 0:2 / /cut rw - tmpfs tmpfs rw", /* no newline */
		  7, &s);
	assert_int_equal(f->stats.bad_lines, 9);
	assert_int_equal(f->stats.first_bad_lineno, 1);
	assert_int_equal(s.n, 1);
	assert_non_null(strstr(s.text, "[/ok]"));
}

static void
t_has_option(void **state)
{
	(void)state;
	assert_true(ml_mount_has_option("rw,memory", "memory"));
	assert_true(ml_mount_has_option("memory", "memory"));
	assert_true(ml_mount_has_option("rw,cpu,memory,pids", "memory"));
	assert_false(ml_mount_has_option("rw,nsdelegate,memory_recursiveprot", "memory"));
	assert_false(ml_mount_has_option("rw,name=memory", "memory"));
	assert_false(ml_mount_has_option("", "memory"));
	assert_false(ml_mount_has_option(NULL, "memory"));
}

/* Write text as DIR/self/mountinfo of a fresh proc root. */
static char *
proc_root_with(const char *text)
{
	char *dir = strdup("/tmp/memlens-mi-XXXXXX"), path[256];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/self", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/self/mountinfo", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return dir;
}

static void
remove_root(char *dir)
{
	char path[256];

	snprintf(path, sizeof path, "%s/self/mountinfo", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/self", dir);
	rmdir(path);
	rmdir(dir);
	free(dir);
}

static void
t_cgroup_mounts(void **state)
{
	char *dir = proc_root_with(
		"30 26 0:30 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
		"31 26 0:31 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
		"32 26 0:32 /docker/ab /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"33 26 0:32 / /mnt/memory\\040all rw - cgroup cgroup rw,memory\n"
		"34 26 0:33 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n");
	struct ml_cgmounts m;
	struct ml_procfs fs;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_cgmounts_read(&m, &fs, &cause), 0);
	assert_int_equal(m.v2.version, ML_CG_V2);
	assert_string_equal(m.v2.mount_point, "/sys/fs/cgroup/unified");
	/* The outermost mount of the memory hierarchy wins (root "/" over "/docker/ab"). */
	assert_int_equal(m.v1mem.version, ML_CG_V1);
	assert_string_equal(m.v1mem.mount_point, "/mnt/memory all");
	assert_string_equal(m.v1mem.root, "/");
	assert_int_equal(m.v1_mounts, 4);
	assert_int_equal(m.mounts, 5);
	ml_cgmounts_release(&m);
	ml_procfs_close(&fs);
	remove_root(dir);

	dir = proc_root_with("22 1 252:1 / / rw - ext4 /dev/vda1 rw\n");
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_cgmounts_read(&m, &fs, &cause), 0);
	assert_int_equal(m.v2.version, 0);
	assert_int_equal(m.v1mem.version, 0);
	ml_cgmounts_release(&m);
	ml_procfs_close(&fs);
	remove_root(dir);
}

static void
t_no_mountinfo(void **state)
{
	struct ml_cgmounts m;
	struct ml_procfs fs;
	char *cause = NULL, dir[] = "/tmp/memlens-mi-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_cgmounts_read(&m, &fs, &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(cause, "self/mountinfo"));
	free(cause);
	ml_cgmounts_release(&m);
	ml_procfs_close(&fs);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fixture_whole_and_chunked),
		cmocka_unit_test(t_escapes),
		cmocka_unit_test(t_optional_fields_and_escaped_fields),
		cmocka_unit_test(t_garbage_and_truncated),
		cmocka_unit_test(t_has_option),
		cmocka_unit_test(t_cgroup_mounts),
		cmocka_unit_test(t_no_mountinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
