/*
 * proc/capture.h: the output of a capture (a temporary beside the final name,
 * renamed at the end, removed on abort) and the table of files.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "proc/capture.h"

static char dir[256];

static void
make_dir(void)
{
	snprintf(dir, sizeof dir, "%s/memlens-cap.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
}

/* Entries of dir, "." and ".." aside. */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/*
 * An aborted capture leaves nothing, whatever the temporary's random name:
 * mkdtemp's six characters end in 'X' once in 62 (a check on the name
 * left those behind).
 */
static void
t_abort_leaves_nothing(void **state)
{
	struct ml_capture_out o;
	char path[512], *cause = NULL;
	int i;

	(void)state;
	make_dir();
	for (i = 0; i < 400; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, i % 2 ? "c.tar.gz" : "cdir");
		assert_int_equal(ml_capture_out_open(&o, path, 0, &cause), 0);
		assert_int_equal(
			ml_capture_out_add(&o, "proc/meminfo", "MemTotal: 1 kB\n", 15, &cause), 0);
		ml_capture_out_abort(&o);
		if (entries() != 0)
			fail_msg("round %d left something in %s", i, dir);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* A committed capture has the final name, its files, and no temporary beside it. */
static void
t_commit(void **state)
{
	struct ml_capture_out o;
	char path[512], file[600], *cause = NULL;
	struct stat st;

	(void)state;
	make_dir();
	snprintf(path, sizeof path, "%s/cdir", dir);
	assert_int_equal(ml_capture_out_open(&o, path, 0, &cause), 0);
	assert_int_equal(ml_capture_out_add(&o, "proc/1/status", "Name:\tx\n", 8, &cause), 0);
	assert_int_equal(ml_capture_out_add(&o, "proc/1/stat", "1 (x) S\n", 8, &cause), 0);
	assert_int_equal(ml_capture_out_add(&o, "proc/meminfo", "", 0, &cause), 0);
	assert_int_equal(o.files, 3);
	assert_int_equal(ml_capture_out_commit(&o, &cause), 0);
	snprintf(file, sizeof file, "%s/proc/1/stat", path);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_size, 8);
	assert_int_equal(entries(), 1);
	/* A second capture to the same name is refused before anything is written. */
	assert_int_equal(ml_capture_out_open(&o, path, 0, &cause), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	assert_int_equal(entries(), 1);
	snprintf(file, sizeof file, "rm -rf '%s'", dir);
	assert_int_equal(system(file), 0);
}

/* Every entry of the table is well formed: a root, a path, a directory where needed. */
static void
t_table(void **state)
{
	size_t i, per_pid = 0, cgroups = 0;

	(void)state;
	assert_true(ml_capture_nitems > 10);
	for (i = 0; i < ml_capture_nitems; i++) {
		const struct ml_capture_item *it = &ml_capture_items[i];

		if (it->kind == ML_CAP_TREE) {
			assert_null(it->path);
			assert_true(it->depth >= 1);
		} else if (it->kind == ML_CAP_CGROUPS) {
			assert_null(it->path);
			cgroups++;
		} else {
			assert_non_null(it->path);
			assert_true(it->path[0] != '/' && it->path[strlen(it->path) - 1] != '/');
		}
		assert_true((it->kind == ML_CAP_PER_DIR || it->kind == ML_CAP_TREE) ==
			    (it->dir != NULL));
		assert_non_null(it->reader);
		per_pid += it->kind == ML_CAP_PER_PID;
	}
	assert_true(per_pid >= 4);
	assert_int_equal(cgroups, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_abort_leaves_nothing),
		cmocka_unit_test(t_commit),
		cmocka_unit_test(t_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
