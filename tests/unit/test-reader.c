/*
 * Unit tests for the reader (src/proc/reader.c): a proc root, pread from
 * offset 0 on an open file, errors that name the path, and files that are
 * not regular files refused without hanging.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/meminfo.h"
#include "proc/reader.h"
#include "unit.h"

static char root[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "%s/memlens-reader.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd);
}

static void
write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
t_refresh_rereads_from_zero(void **state)
{
	struct ml_procfs fs;
	struct ml_reader r = { .fd = -1 };
	struct ml_meminfo mi;
	char *cause = NULL, path[512];
	int fd;

	(void)state;
	write_file("meminfo", "MemTotal: 100 kB\nMemFree: 50 kB\n");
	assert_int_equal(ml_procfs_open(&fs, root, &cause), 0);
	ml_meminfo_init(&mi);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_meminfo, NULL, &cause), 0);
	assert_int_equal(ml_reader_refresh(&r, &mi, &cause), 0);
	assert_true(mi.val[ML_MI_MEM_FREE] == 50 * 1024);
	/* Rewrite the file in place: the same descriptor sees the new text. */
	snprintf(path, sizeof path, "%s/meminfo", root);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "MemTotal: 100 kB\nMemFree: 70 kB\n", 32), 32);
	close(fd);
	assert_int_equal(ml_reader_refresh(&r, &mi, &cause), 0);
	assert_true(mi.val[ML_MI_MEM_FREE] == 70 * 1024);
	assert_int_equal(r.last_bytes, 32);
	ml_reader_release(&r);
	ml_meminfo_release(&mi);
	ml_procfs_close(&fs);
}

static void
t_large_file_in_chunks(void **state)
{
	struct ml_procfs fs;
	struct ml_reader r = { .fd = -1 };
	struct ml_meminfo mi;
	char *cause = NULL, path[512], line[64];
	FILE *f;
	int i;

	(void)state;
	snprintf(path, sizeof path, "%s/big", root);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 20000; i++) {
		snprintf(line, sizeof line, "Key%05d:   %d kB\n", i, i);
		fputs(line, f);
	}
	fclose(f);
	assert_int_equal(ml_procfs_open(&fs, root, &cause), 0);
	ml_meminfo_init(&mi);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_meminfo, "big", &cause), 0);
	assert_int_equal(ml_reader_refresh(&r, &mi, &cause), 0);
	assert_int_equal(mi.all.n, 20000);
	assert_true(r.last_reads > 2);
	assert_true(mi.all.e[19999].value == 19999 * 1024);
	assert_int_equal(ml_reader_stats(&r)->bad_lines, 0);
	ml_reader_release(&r);
	ml_meminfo_release(&mi);
	ml_procfs_close(&fs);
}

static void
t_errors_name_the_path(void **state)
{
	struct ml_procfs fs;
	struct ml_reader r = { .fd = -1 };
	char *cause = NULL, path[512], expect[600];

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, root, &cause), 0);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_meminfo, "missing", &cause), -1);
	assert_int_equal(errno, ENOENT);
	snprintf(expect, sizeof expect, "cannot open %s/missing: No such file or directory", root);
	assert_string_equal(cause, expect);
	ml_reader_release(&r);

	/* A directory where a file should be. */
	snprintf(path, sizeof path, "%s/adir", root);
	assert_int_equal(mkdir(path, 0755), 0);
	r.fd = -1;
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_meminfo, "adir", &cause), -1);
	assert_int_equal(errno, EISDIR);
	assert_non_null(strstr(cause, "is a directory"));
	ml_reader_release(&r);

	/* A FIFO that never writes: refused at once, no hang. */
	snprintf(path, sizeof path, "%s/fifo", root);
	assert_int_equal(mkfifo(path, 0600), 0);
	r.fd = -1;
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_meminfo, "fifo", &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	ml_reader_release(&r);
	free(cause);
	ml_procfs_close(&fs);

	cause = NULL;
	assert_int_equal(ml_procfs_open(&fs, "/nonexistent/proc", &cause), -1);
	assert_string_equal(cause,
			    "cannot open proc root /nonexistent/proc: No such file or directory");
	free(cause);
	ml_procfs_close(&fs);
}

static void
t_read_small_and_u64(void **state)
{
	struct ml_procfs fs;
	char *cause = NULL, buf[64];
	uint64_t v;

	(void)state;
	write_file("osrelease", "6.18.44\n");
	write_file("number", "67584\n");
	write_file("notnumber", "67a\n");
	assert_int_equal(ml_procfs_open(&fs, root, &cause), 0);
	assert_int_equal(ml_procfs_read_small(&fs, "osrelease", buf, sizeof buf, &cause), 7);
	assert_string_equal(buf, "6.18.44");
	assert_int_equal(ml_procfs_read_u64(&fs, "number", &v, &cause), 0);
	assert_int_equal(v, 67584);
	assert_int_equal(ml_procfs_read_u64(&fs, "notnumber", &v, &cause), -1);
	assert_non_null(strstr(cause, "not a number"));
	free(cause);
	ml_procfs_close(&fs);
}

/* ml_procfs_read_buf: one buffer for many files, grown once, a file too large refused. */
static void
t_read_buf(void **state)
{
	struct ml_procfs fs;
	char *cause = NULL, *buf = NULL, big[10000];
	size_t cap = 0, len = 0, cap_after_big;

	(void)state;
	memset(big, 'x', sizeof big - 2);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	write_file("small", "42\n");
	write_file("big", big);
	write_file("empty", "");
	assert_int_equal(ml_procfs_open(&fs, root, &cause), 0);
	assert_int_equal(ml_procfs_read_buf(&fs, "small", &buf, &cap, &len, SIZE_MAX, &cause), 0);
	assert_int_equal(len, 3);
	assert_string_equal(buf, "42\n");
	assert_true(cap >= 4);
	assert_int_equal(ml_procfs_read_buf(&fs, "big", &buf, &cap, &len, SIZE_MAX, &cause), 0);
	assert_int_equal(len, sizeof big - 1);
	assert_memory_equal(buf, big, sizeof big);
	cap_after_big = cap;
	/* The next file reuses the grown buffer, whole and NUL-terminated. */
	assert_int_equal(ml_procfs_read_buf(&fs, "small", &buf, &cap, &len, SIZE_MAX, &cause), 0);
	assert_int_equal(len, 3);
	assert_string_equal(buf, "42\n");
	assert_int_equal(cap, cap_after_big);
	assert_int_equal(ml_procfs_read_buf(&fs, "empty", &buf, &cap, &len, SIZE_MAX, &cause), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	/* Past max: refused, named. */
	free(buf);
	buf = NULL;
	cap = 0;
	assert_int_equal(ml_procfs_read_buf(&fs, "big", &buf, &cap, &len, 8192, &cause), -1);
	assert_int_equal(errno, EFBIG);
	assert_non_null(strstr(cause, "/big"));
	free(cause);
	cause = NULL;
	/* Missing: ENOENT, and no cause asked for is none made. */
	assert_int_equal(ml_procfs_read_buf(&fs, "none", &buf, &cap, &len, SIZE_MAX, NULL), -1);
	assert_int_equal(errno, ENOENT);
	free(buf);
	ml_procfs_close(&fs);
}

static void
t_live_proc_meminfo(void **state)
{
	struct ml_procfs fs;
	struct ml_reader r = { .fd = -1 };
	struct ml_meminfo mi;
	char *cause = NULL;
	int i;

	(void)state;
	if (access("/proc/meminfo", R_OK) != 0)
		skip();
	assert_int_equal(ml_procfs_open(&fs, "/proc", &cause), 0);
	ml_meminfo_init(&mi);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_meminfo, NULL, &cause), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ml_reader_refresh(&r, &mi, &cause), 0);
		assert_true(ml_meminfo_has(&mi, ML_MI_MEM_TOTAL));
		assert_int_equal(ml_reader_stats(&r)->bad_lines, 0);
	}
	ml_reader_release(&r);
	ml_meminfo_release(&mi);
	ml_procfs_close(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_refresh_rereads_from_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(t_large_file_in_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(t_errors_name_the_path, setup, teardown),
		cmocka_unit_test_setup_teardown(t_read_small_and_u64, setup, teardown),
		cmocka_unit_test_setup_teardown(t_read_buf, setup, teardown),
		cmocka_unit_test(t_live_proc_meminfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
