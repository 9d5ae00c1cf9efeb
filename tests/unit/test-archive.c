/*
 * The file source (proc/reader.h) over an archive (proc/archive.h) and a
 * capture's manifest (proc/manifest.h): an archive of a fixture reads as the
 * directory does, byte for byte; directories list and stat alike; corrupt
 * and truncated archives are refused with the file named; a file a capture
 * could not read fails as it failed then. And the manifest reader itself.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "proc/archive.h"
#include "proc/manifest.h"
#include "proc/meminfo.h"
#include "proc/reader.h"

static char scratch[256];

static void
make_scratch(void)
{
	snprintf(scratch, sizeof scratch, "%s/memlens-arch.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(scratch));
}

static void
run(const char *fmt, const char *a, const char *b)
{
	char cmd[4096];

	snprintf(cmd, sizeof cmd, fmt, a, b);
	assert_int_equal(system(cmd), 0);
}

static void
remove_scratch(void)
{
	run("rm -rf '%s'%s", scratch, "");
}

/* scratch/NAME: the fixture packed by tar (its own compression by the suffix). */
static char *
pack(const char *fixture, const char *name)
{
	static char path[512];
	char dir[512];

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	snprintf(dir, sizeof dir, "%s/%s", FIXTURES, fixture);
	run("tar caf '%s' -C '%s' .", path, dir);
	return path;
}

static void
same_file(const struct ml_procfs *a, const struct ml_procfs *b, const char *rel)
{
	char *x, *y, *cause = NULL;
	size_t nx, ny;

	assert_int_equal(ml_procfs_read_file(a, rel, &x, &nx, &cause), 0);
	assert_int_equal(ml_procfs_read_file(b, rel, &y, &ny, &cause), 0);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	assert_int_equal(x[nx], '\0');
	free(x);
	free(y);
}

/* An archive of a fixture, in every compression: the same bytes as the directory. */
static void
t_archive_reads_as_directory(void **state)
{
	static const char *const names[] = { "fx.tar", "fx.tar.gz", "fx.tar.zst", "fx.tar.xz" };
	struct ml_procfs dir, ar;
	struct ml_reader r1 = { .fd = -1 }, r2 = { .fd = -1 };
	struct ml_meminfo m1, m2;
	char *cause = NULL;
	size_t i;

	(void)state;
	make_scratch();
	assert_int_equal(ml_procfs_open(&dir, FIXTURES "/linux-6.18", &cause), 0);
	for (i = 0; i < ML_ARRAY_SIZE(names); i++) {
		assert_int_equal(ml_procfs_open(&ar, pack("linux-6.18", names[i]), &cause), 0);
		assert_null(cause);
		assert_true(ar.dirfd < 0);
		assert_non_null(ar.ar);
		same_file(&dir, &ar, "meminfo");
		same_file(&dir, &ar, "zoneinfo");
		same_file(&dir, &ar, "sys/kernel/osrelease");
		/* Through a reader, in its 64 KiB chunks: the same parse. */
		ml_meminfo_init(&m1);
		ml_meminfo_init(&m2);
		assert_int_equal(ml_reader_open(&r1, &dir, &ml_src_meminfo, NULL, &cause), 0);
		assert_int_equal(ml_reader_open(&r2, &ar, &ml_src_meminfo, NULL, &cause), 0);
		assert_true(ml_reader_is_open(&r2));
		assert_int_equal(r2.fd, -1);
		assert_int_equal(ml_reader_refresh(&r1, &m1, &cause), 0);
		assert_int_equal(ml_reader_refresh(&r2, &m2, &cause), 0);
		assert_int_equal(ml_reader_refresh(&r2, &m2, &cause), 0); /* again, from 0 */
		assert_int_equal(r1.last_bytes, r2.last_bytes);
		assert_memory_equal(m1.val, m2.val, sizeof m1.val);
		ml_reader_close(&r2);
		assert_false(ml_reader_is_open(&r2));
		ml_reader_release(&r1);
		ml_reader_release(&r2);
		ml_meminfo_release(&m1);
		ml_meminfo_release(&m2);
		ml_procfs_close(&ar);
	}
	ml_procfs_close(&dir);
	remove_scratch();
}

/* Missing files, directories as files, stat and listing: as a directory does. */
static void
t_archive_tree(void **state)
{
	struct ml_procfs ar, sub;
	struct ml_procfs_dir *d;
	struct ml_reader r = { .fd = -1 };
	const char *name;
	char *cause = NULL, buf[64];
	struct stat st;
	int n = 0, pids = 0;

	(void)state;
	make_scratch();
	assert_int_equal(ml_procfs_open(&ar, pack("procs-6.18", "p.tar.gz"), &cause), 0);
	assert_int_equal(ml_reader_open(&r, &ar, &ml_src_meminfo, "nonexistent", &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(cause, "p.tar.gz/nonexistent: No such file or directory"));
	free(cause);
	cause = NULL;
	assert_int_equal(ml_reader_reopen(&r, "1234", &cause), -1);
	assert_int_equal(errno, EISDIR);
	free(cause);
	cause = NULL;
	ml_reader_release(&r);
	assert_int_equal(ml_procfs_stat(&ar, "1234", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(ml_procfs_stat(&ar, "1234/status", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_true(st.st_size > 0);
	assert_int_equal(ml_procfs_stat(&ar, "4321", &st), -1);
	assert_int_equal(errno, ENOENT);
	d = ml_procfs_opendir(&ar, ".", &cause);
	assert_non_null(d);
	while ((name = ml_procfs_readdir(d)) != NULL) {
		assert_null(strchr(name, '/'));
		n++;
		pids += name[0] >= '1' && name[0] <= '9';
	}
	assert_int_equal(errno, 0);
	ml_procfs_closedir(d);
	assert_true(pids >= 8);
	assert_true(n > pids);
	/* A part of the archive as a root of its own. */
	assert_int_equal(ml_procfs_open_at(&sub, &ar, "1234", &cause), 0);
	assert_true(ml_procfs_read_small(&sub, "status", buf, sizeof buf, &cause) > 0);
	assert_string_equal(sub.prefix, "1234");
	assert_non_null(strstr(sub.root, "p.tar.gz/1234"));
	ml_procfs_close(&sub);
	assert_int_equal(ml_procfs_open_at(&sub, &ar, "4321", &cause), -1);
	assert_int_equal(errno, ENOENT);
	free(cause);
	cause = NULL;
	ml_procfs_close(&sub);
	/* Below a root that could not be opened: its errno, the full path. */
	{
		struct ml_procfs bad, below;

		assert_int_equal(ml_procfs_open(&bad, "/nonexistent/sys", &cause), -1);
		free(cause);
		cause = NULL;
		assert_int_equal(ml_procfs_open_at(&below, &bad, "kernel/slab", &cause), -1);
		assert_string_equal(cause, "cannot open /nonexistent/sys/kernel/slab: No such file "
					   "or directory");
		free(cause);
		cause = NULL;
		ml_procfs_close(&below);
		ml_procfs_close(&bad);
	}
	ml_procfs_close(&ar);
	remove_scratch();
}

/* Garbage, a truncated archive, an empty file: refused, the file named. */
static void
t_bad_archives(void **state)
{
	struct ml_procfs fs;
	char path[512], full[512], *cause = NULL;
	struct stat st;
	FILE *f;

	(void)state;
	make_scratch();
	snprintf(path, sizeof path, "%s/garbage.tar.gz", scratch);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not an archive\n", f);
	fclose(f);
	assert_int_equal(ml_procfs_open(&fs, path, &cause), -1);
	assert_non_null(strstr(cause, "garbage.tar.gz"));
	assert_non_null(strstr(cause, "Not a directory, nor an archive"));
	free(cause);
	cause = NULL;
	ml_procfs_close(&fs);

	/* Cut a real archive in the middle. */
	snprintf(full, sizeof full, "%s", pack("linux-6.18", "whole.tar.gz"));
	assert_int_equal(stat(full, &st), 0);
	snprintf(path, sizeof path, "%s/cut.tar.gz", scratch);
	run("head -c 20000 '%s' >'%s'", full, path);
	assert_int_equal(ml_procfs_open(&fs, path, &cause), -1);
	assert_non_null(strstr(cause, "cut.tar.gz"));
	free(cause);
	cause = NULL;
	ml_procfs_close(&fs);
	assert_null(ml_archive_load(path, &cause));
	assert_non_null(strstr(cause, "cannot read"));
	free(cause);
	cause = NULL;
	remove_scratch();
}

/* A capture's manifest: a file it could not read fails with that errno and mode. */
static void
t_manifest_errno(void **state)
{
	static const char text[] =
		"{\"manifest_schema\": 1, \"host\": \"h\", \"files\": ["
		"{\"path\": \"proc/meminfo\", \"size\": 3},"
		"{\"path\": \"proc/slabinfo\", \"size\": 0, \"errno\": \"EACCES\","
		" \"error\": \"Permission denied\", \"mode\": \"0400\"}]}";
	struct ml_manifest mf;
	struct ml_procfs top, proc;
	struct ml_reader r = { .fd = -1 };
	char *cause = NULL;
	struct stat st;

	(void)state;
	make_scratch();
	run("mkdir -p '%s/proc' && printf 'MemTotal: 1 kB\\n' >'%s/proc/meminfo'", scratch,
	    scratch);
	ml_manifest_init(&mf);
	assert_int_equal(ml_manifest_parse(&mf, text, strlen(text), &cause), 0);
	assert_int_equal(ml_procfs_open(&top, scratch, &cause), 0);
	top.mf = &mf;
	assert_int_equal(ml_procfs_open_at(&proc, &top, "proc", &cause), 0);
	assert_int_equal(ml_reader_open(&r, &proc, &ml_src_meminfo, "slabinfo", &cause), -1);
	assert_int_equal(errno, EACCES);
	assert_non_null(strstr(cause, "/proc/slabinfo: Permission denied"));
	free(cause);
	cause = NULL;
	assert_int_equal(ml_procfs_stat(&proc, "slabinfo", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0400);
	/* A file the manifest does not know is simply missing. */
	assert_int_equal(ml_reader_reopen(&r, "vmallocinfo", &cause), -1);
	assert_int_equal(errno, ENOENT);
	free(cause);
	cause = NULL;
	assert_int_equal(ml_reader_reopen(&r, "meminfo", &cause), 0);
	ml_reader_release(&r);
	ml_procfs_close(&proc);
	ml_procfs_close(&top);
	ml_manifest_release(&mf);
	remove_scratch();
}

/* The manifest reader: fields, escapes, order, and what it refuses. */
static void
t_manifest_parse(void **state)
{
	static const char good[] =
		" {\"manifest_schema\":1,\"memlens_version\":\"0.1.0\",\"host\":\"caf\\u00e9 "
		"\\ud83d\\ude00\","
		"\"kernel_release\":null,\"boot_id\":\"b-1\",\"page_size\":4096,\"euid\":65534,"
		"\"time\":{\"wall_start\":\"2026-11-22T03:00:00Z\",\"unix_start\":1.5e9,"
		"\"unix_end\":1500000002.25,\"monotonic_start\":10,\"monotonic_end\":12.5},"
		"\"options\":{\"pids\":\"all\",\"smaps\":\"rollup\"},\"future\":[1,{\"x\":[]}],"
		"\"files\":[{\"path\":\"proc/z\",\"size\":1},{\"path\":\"proc/a\\/b\",\"size\":"
		"18446744073709551615,\"errno\":\"ENOENT\"},{\"path\":\"proc/m\",\"size\":0,"
		"\"errno\":\"EWHATEVER\"}]}\n";
	static const struct {
		const char *text;
		int err;
		const char *why;
	} bad[] = {
		{ "", EINVAL, "not JSON" },
		{ "{\"manifest_schema\":1,\"files\":[]", EINVAL, "not JSON" },
		{ "{\"manifest_schema\":1,\"files\":[]} x", EINVAL, "text after" },
		{ "[1,2]", EINVAL, "not a memlens capture manifest" },
		{ "{\"files\":[]}", EINVAL, "not a memlens capture manifest" },
		{ "{\"manifest_schema\":2,\"files\":[]}", EPROTO, "a newer memlens" },
		{ "{\"manifest_schema\":\"1\",\"files\":[]}", EINVAL, "not a version" },
		{ "{\"manifest_schema\":1}", EINVAL, "\"files\"" },
		{ "{\"manifest_schema\":1,\"host\":7,\"files\":[]}", EINVAL,
		  "\"host\": not a string" },
		{ "{\"manifest_schema\":1,\"files\":[{\"size\":1}]}", EINVAL, "no path" },
		{ "{\"manifest_schema\":1,\"files\":[{\"path\":\"p\",\"size\":-1}]}", EINVAL,
		  "unsigned" },
		{ "{\"manifest_schema\":1,\"files\":[{\"path\":\"p\",\"size\":18446744073709551616}"
		  "]}",
		  EINVAL, "unsigned" },
		{ "{\"manifest_schema\":1,\"files\":[{\"path\":\"p\",\"mode\":\"0999\"}]}", EINVAL,
		  "octal" },
		{ "{\"manifest_schema\":1,\"host\":\"a\\u0000b\",\"files\":[]}", EINVAL, "NUL" },
		{ "{\"manifest_schema\":1,\"host\":\"\\ud800\",\"files\":[]}", EINVAL,
		  "surrogate" },
		{ "{\"manifest_schema\":1,\"host\":\"a\tb\",\"files\":[]}", EINVAL, "control" },
		{ "{\"manifest_schema\":01,\"files\":[]}", EINVAL, "not JSON" },
		{ "{\"manifest_schema\":1,\"files\":[tru]}", EINVAL, "not JSON" },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]"
		  "]]]]]"
		  "]]]]]]]]]]]]]]]]]]]]]]]]",
		  EINVAL, "nested too deeply" },
	};
	struct ml_manifest m;
	const struct ml_manifest_file *f;
	char *cause = NULL;
	size_t i;

	(void)state;
	ml_manifest_init(&m);
	assert_int_equal(ml_manifest_parse(&m, good, strlen(good), &cause), 0);
	assert_null(cause);
	assert_int_equal(m.schema, 1);
	assert_string_equal(m.host, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	assert_null(m.kernel_release);
	assert_string_equal(m.boot_id, "b-1");
	assert_int_equal(m.page_size, 4096);
	assert_true(m.euid_known);
	assert_int_equal(m.euid, 65534);
	assert_true(m.unix_start == 1.5e9);
	assert_true(m.unix_end == 1500000002.25);
	assert_true(m.mono_end == 12.5);
	assert_string_equal(m.wall_start, "2026-11-22T03:00:00Z");
	assert_null(m.wall_end);
	assert_string_equal(m.smaps, "rollup");
	assert_int_equal(m.nfiles, 3);
	/* Sorted by path, for lookups. */
	assert_string_equal(m.files[0].path, "proc/a/b");
	f = ml_manifest_find(&m, "proc/a/b");
	assert_non_null(f);
	assert_int_equal(f->size, UINT64_MAX);
	assert_int_equal(f->err, ENOENT);
	f = ml_manifest_find(&m, "proc/m");
	assert_non_null(f);
	assert_int_equal(f->err, EIO); /* a name this memlens does not know still fails */
	assert_non_null(ml_manifest_find(&m, "proc/z"));
	assert_null(ml_manifest_find(&m, "proc/y"));
	ml_manifest_release(&m);

	for (i = 0; i < ML_ARRAY_SIZE(bad); i++) {
		ml_manifest_init(&m);
		errno = 0;
		assert_int_equal(ml_manifest_parse(&m, bad[i].text, strlen(bad[i].text), &cause),
				 -1);
		if (errno != bad[i].err || strstr(cause, bad[i].why) == NULL)
			fail_msg("case %zu: errno %d, cause \"%s\"", i, errno, cause);
		free(cause);
		cause = NULL;
		assert_int_equal(m.nfiles, 0);
		ml_manifest_release(&m);
	}
	assert_int_equal(ml_errno_from_name("EACCES"), EACCES);
	assert_string_equal(ml_errno_name(ENOSPC), "ENOSPC");
	assert_int_equal(ml_errno_from_name("ENOPE"), 0);
	assert_null(ml_errno_name(-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_archive_reads_as_directory),
		cmocka_unit_test(t_archive_tree),
		cmocka_unit_test(t_bad_archives),
		cmocka_unit_test(t_manifest_errno),
		cmocka_unit_test(t_manifest_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
