/*
 * Helpers for bench/60-procs.sh; each mode is a separate program run, so that
 * memlens and its floors pay the same process start-up:
 *
 *   bench-procs rollup-floor          read every /proc/PID/smaps_rollup to EOF,
 *                                     no parsing (the floor of memlens procs)
 *   bench-procs smaps-floor PID       read /proc/PID/smaps to EOF, no parsing
 *   bench-procs parse-smaps PID N     read PID/smaps into memory once, then
 *                                     parse it N times with memlens's parser;
 *                                     prints microseconds per parse
 *   bench-procs manyvma N             make N mappings (touched), print the PID,
 *                                     wait to be killed
 *   bench-procs spawn N               fork N processes that sleep, print
 *                                     "ready N" once they all exist; on
 *                                     SIGTERM (or after 15 minutes) kill and
 *                                     reap them all, then exit
 *   bench-procs run N CMD [ARG]...    run CMD N times, stdout to /dev/null;
 *                                     prints "median_us min_us max_rss_kib"
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/mapkind.h"
#include "proc/smaps.h"

static char buf[1 << 16];

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Read path to EOF; bytes read, or -1. */
static long
slurp(int dirfd, const char *path)
{
	long total = 0;
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	close(fd);
	return total;
}

static int
rollup_floor(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300];
	long bytes = 0, n;

	if (d == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/smaps_rollup", de->d_name);
		if ((n = slurp(AT_FDCWD, path)) > 0)
			bytes += n;
	}
	closedir(d);
	printf("%ld\n", bytes);
	return 0;
}

static int
smaps_floor(const char *pid)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%s/smaps", pid);
	printf("%ld\n", slurp(AT_FDCWD, path));
	return 0;
}

static struct ml_mapsum sum;

static int
parse_smaps(const char *pid, int iters)
{
	static struct ml_smaps sm;
	char path[64], *data = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	struct ml_feed f;
	double t0, best = 1e18;
	int fd, i;

	snprintf(path, sizeof path, "/proc/%s/smaps", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 1;
	for (;;) {
		if (len == cap && (data = realloc(data, cap = cap ? cap * 2 : 1 << 20)) == NULL)
			return 1;
		if ((n = read(fd, data + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	ml_smaps_init(&sm, ml_mapsum_on_record, &sum);
	ml_mapsum_init(&sum);
	for (i = 0; i < iters; i++) {
		t0 = now_us();
		ml_mapsum_begin(&sum);
		if (ml_parse_buffer(&f, &ml_src_smaps, &sm, data, len, sizeof buf, NULL) != 0)
			return 1;
		if (now_us() - t0 < best)
			best = now_us() - t0;
	}
	printf("%.0f %zu %llu\n", best, len, (unsigned long long)sum.records);
	ml_smaps_release(&sm);
	ml_mapsum_release(&sum);
	free(data);
	return 0;
}

static int
manyvma(long n)
{
	long page = sysconf(_SC_PAGESIZE), i;
	char *p = mmap(NULL, (size_t)(n * page), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	for (i = 0; i < n; i++) {
		p[i * page] = 1;
		/* Alternate protections so that no two neighbours merge. */
		if (i % 2 == 1 && mprotect(p + i * page, (size_t)page, PROT_READ) != 0)
			return 1;
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	alarm(900);
	for (;;)
		pause();
}

static volatile sig_atomic_t spawn_stop;

static void
on_stop(int sig)
{
	(void)sig;
	spawn_stop = 1;
}

/* spawn: n children that pause (each dies with this process), reaped at the end. */
static int
spawn(long n)
{
	pid_t *kids = calloc((size_t)n, sizeof *kids);
	struct sigaction sa;
	sigset_t block, old;
	long i, reaped = 0;

	if (kids == NULL || n < 1)
		return 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			fprintf(stderr, "bench-procs: fork: %s\n", strerror(errno));
			n = i;
			break;
		}
		if (kids[i] == 0) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	alarm(900);
	while (!spawn_stop)
		sigsuspend(&old);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		reaped += waitpid(kids[i], NULL, 0) == kids[i];
	free(kids);
	return reaped == n ? 0 : 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
run(int n, char **argv)
{
	double *t = calloc((size_t)n, sizeof *t), t0;
	long maxrss = 0;
	struct rusage ru;
	int i, status, devnull = open("/dev/null", O_WRONLY);
	pid_t pid;

	for (i = 0; i < n; i++) {
		t0 = now_us();
		pid = fork();
		if (pid == 0) {
			dup2(devnull, 1);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-procs: %s failed\n", argv[0]);
			return 1;
		}
		t[i] = now_us() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	printf("%.0f %.0f %ld\n", t[n / 2], t[0], maxrss);
	free(t);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "rollup-floor") == 0)
		return rollup_floor();
	if (argc >= 3 && strcmp(argv[1], "smaps-floor") == 0)
		return smaps_floor(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "parse-smaps") == 0)
		return parse_smaps(argv[2], atoi(argv[3]));
	if (argc >= 3 && strcmp(argv[1], "manyvma") == 0)
		return manyvma(atol(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "spawn") == 0)
		return spawn(atol(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "run") == 0)
		return run(atoi(argv[2]), argv + 3);
	fprintf(stderr, "usage: bench-procs rollup-floor | smaps-floor PID | parse-smaps PID N |"
			" manyvma N | spawn N | run N CMD...\n");
	return 2;
}
