/*
 * Sampling every process's RSS (proc/procsample): a copied tree (the
 * growth-series fixture, and trees written here with a kernel thread, a
 * zombie, a PID reused with another start time, a process missing its
 * stat), and the live /proc: children found with their start time, gone
 * once reaped, no descriptor left behind, and every child still read when
 * descriptors run out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#include "proc/procsample.h"

static const struct ml_psample *
find(const struct ml_psampler *s, int pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].pid == pid)
			return &s->rows[i];
	return NULL;
}

/* The row of pid, failing the test when there is none. */
static const struct ml_psample *
must_find(const struct ml_psampler *s, int pid)
{
	static const struct ml_psample none;
	const struct ml_psample *r = find(s, pid);

	if (r == NULL) {
		fail_msg("no row for PID %d", pid);
		return &none;
	}
	return r;
}

static void
t_fixture(void **state)
{
	struct ml_procfs fs;
	struct ml_psampler s;
	const struct ml_psample *r;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/growth-series/capture-23/proc", &cause), 0);
	assert_int_equal(ml_psampler_open(&s, &fs, &cause), 0);
	assert_false(s.keep);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(ml_psampler_scan(&s, &cause), 0);
		assert_int_equal(s.n, 4);
		r = must_find(&s, 4242);
		assert_string_equal(r->comm, "leaky");
		assert_int_equal(r->start, 25000000);
		/* 100 MiB + 23 x 32 MiB + 3 MiB of noise (hour 23: 23 % 4 = 3). */
		assert_int_equal(r->rss, (uint64_t)(100 + 23 * 32 + 3) << 20);
		assert_int_equal(must_find(&s, 1)->start, 2);
		assert_int_equal(s.failed + s.vanished + s.kthreads + s.no_rss, 0);
	}
	ml_psampler_close(&s);
	ml_psampler_close(NULL);
	ml_procfs_close(&fs);
}

static void
put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
proc_dir(const char *dir, int pid, const char *comm, unsigned long flags, unsigned long start,
	 const char *rss_line)
{
	char rel[64], text[512];

	snprintf(rel, sizeof rel, "%s/%d", dir, pid);
	assert_int_equal(mkdir(rel, 0755), 0);
	snprintf(rel, sizeof rel, "%d/stat", pid);
	snprintf(text, sizeof text,
		 "%d (%s) S 1 %d %d 0 -1 %lu 0 0 0 0 0 0 0 0 20 0 1 0 %lu 1000 2 -1\n", pid, comm,
		 pid, pid, flags, start);
	put(dir, rel, text);
	snprintf(rel, sizeof rel, "%d/status", pid);
	snprintf(text, sizeof text, "Name:\t%s\nState:\tS (sleeping)\nPPid:\t1\n%s", comm,
		 rss_line);
	put(dir, rel, text);
}

static void
t_copied_tree(void **state)
{
	char dir[] = "/tmp/memlens-procsample-XXXXXX";
	char cmd[600];
	struct ml_procfs fs;
	struct ml_psampler s;
	char *cause = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	proc_dir(dir, 100, "app", 0x400100, 5000, "VmRSS:\t    2048 kB\n");
	proc_dir(dir, 2, "kthreadd", 0x00208040, 3, "");
	proc_dir(dir, 300, "zombie", 0x400100, 7000, "");
	proc_dir(dir, 400, "nostat", 0x400100, 8000, "VmRSS:\t    4 kB\n");
	snprintf(cmd, sizeof cmd, "%s/400/stat", dir);
	assert_int_equal(unlink(cmd), 0);
	proc_dir(dir, 500, "bad line", 0x400100, 9000, "VmRSS:\t    eight kB\n");

	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_psampler_open(&s, &fs, &cause), 0);
	assert_int_equal(ml_psampler_scan(&s, &cause), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.rows[0].pid, 100);
	assert_int_equal(s.rows[0].start, 5000);
	assert_int_equal(s.rows[0].rss, 2048 * 1024);
	assert_int_equal(s.kthreads, 1);
	/* The zombie and the bad VmRSS line: no size. */
	assert_int_equal(s.no_rss, 2);
	/* A PID directory without stat: not a process one can name, said. */
	assert_int_equal(s.vanished, 1);

	/* The same PID started again (another start time) is read as such. */
	snprintf(cmd, sizeof cmd, "rm -r %s/100", dir);
	assert_int_equal(system(cmd), 0);
	proc_dir(dir, 100, "app2", 0x400100, 9999, "VmRSS:\t    1024 kB\n");
	assert_int_equal(ml_psampler_scan(&s, &cause), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.rows[0].start, 9999);
	assert_string_equal(s.rows[0].comm, "app2");
	assert_int_equal(s.rows[0].rss, 1024 * 1024);

	ml_psampler_close(&s);
	ml_procfs_close(&fs);
	snprintf(cmd, sizeof cmd, "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Descriptors open in this process. */
static int
open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

#define KIDS 12

static void
spawn(pid_t *kids, int n)
{
	for (int i = 0; i < n; i++) {
		kids[i] = fork();
		assert_true(kids[i] >= 0);
		if (kids[i] == 0) {
			/* Leave with the test, and do not hold its output open. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(1);
			close(2);
			pause();
			_exit(0);
		}
	}
}

static void
reap(pid_t *kids, int n)
{
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
}

/* The start time of pid as stat says (field 22). */
static uint64_t
start_of(pid_t pid)
{
	char path[64], line[1024], *p;
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	p = strrchr(line, ')');
	assert_non_null(p);
	assert_int_equal(sscanf(p + 2,
				"%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
				"%*d %*d %*d %*d %llu",
				&v),
			 1);
	return v;
}

static void
t_live(void **state)
{
	struct ml_procfs fs;
	struct ml_psampler s;
	pid_t kids[KIDS];
	char *cause = NULL;
	int fds_before;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, "/proc", &cause), 0);
	fds_before = open_fds();
	assert_int_equal(ml_psampler_open(&s, &fs, &cause), 0);
	assert_true(s.keep);
	spawn(kids, KIDS);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(ml_psampler_scan(&s, &cause), 0);
		for (int i = 0; i < KIDS; i++) {
			const struct ml_psample *r = must_find(&s, kids[i]);

			assert_int_equal(r->start, start_of(kids[i]));
			assert_true(r->rss > 0);
		}
		assert_non_null(find(&s, getpid()));
	}
	/* Their PSS, as their smaps_rollup says. */
	{
		uint64_t pss = 0;

		assert_true(ml_psampler_pss(&s, must_find(&s, kids[0]), &pss));
		assert_true(pss > 0);
	}
	reap(kids, KIDS);
	assert_int_equal(ml_psampler_scan(&s, &cause), 0);
	for (int i = 0; i < KIDS; i++)
		assert_null(find(&s, kids[i]));
	ml_psampler_close(&s);
	assert_int_equal(open_fds(), fds_before);
	ml_procfs_close(&fs);
}

/* With no descriptor left to keep, every process is still read, the plain way. */
static void
t_live_no_descriptors(void **state)
{
	struct ml_procfs fs;
	struct ml_psampler s;
	struct rlimit old, low;
	pid_t kids[KIDS];
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, "/proc", &cause), 0);
	spawn(kids, KIDS);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* Room for what is open and the reserve, and a few more: not one per process. */
	low = old;
	low.rlim_cur = (rlim_t)open_fds() + 32 + 4;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	assert_int_equal(ml_psampler_open(&s, &fs, &cause), 0);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(ml_psampler_scan(&s, &cause), 0);
		assert_true(s.unkept > 0);
		for (int i = 0; i < KIDS; i++)
			assert_non_null(find(&s, kids[i]));
	}
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	reap(kids, KIDS);
	ml_psampler_close(&s);
	ml_procfs_close(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fixture),
		cmocka_unit_test(t_copied_tree),
		cmocka_unit_test(t_live),
		cmocka_unit_test(t_live_no_descriptors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
