/*
 * Helpers for bench/80-growth.sh:
 *
 *   bench-growth floor ROUNDS         ROUNDS times: list /proc and read every
 *                                     PID/status to the end (open, read,
 *                                     close), no parsing: the plain loop a
 *                                     sample of memlens growth is compared with
 *   bench-growth cpu CMD [ARG]...     run CMD (stdout to /dev/null); print its
 *                                     CPU time (user + system, microseconds)
 *                                     and its peak RSS (KiB)
 *   bench-growth model ITEMS SAMPLES  feed ITEMS items SAMPLES samples each
 *                                     into the growth model; print the peak
 *                                     RSS (KiB) and the model's bytes per item
 *   bench-growth sleepers N           fork N processes that sleep until this
 *                                     one gets SIGTERM (then they go too);
 *                                     prints "ready" when all are there
 *
 * CPU times come from getrusage/wait4, so a busy machine stretches the wall
 * clock but not (much) the CPU a program uses; the script takes each figure
 * as the difference of two runs of different lengths, so start-up cancels.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/growth.h"

static char buf[1 << 16];

static long
usage(void)
{
	fprintf(stderr, "usage: bench-growth floor ROUNDS | cpu CMD... | model ITEMS SAMPLES | "
			"sleepers N\n");
	return 2;
}

/* Read path (relative to dirfd) to the end; bytes, or -1. */
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
floor_loop(long rounds)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long bytes = 0, files = 0;
	char path[sizeof((struct dirent *)0)->d_name + 8];

	if (procfd < 0)
		return 1;
	for (long r = 0; r < rounds; r++) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d)
			return 1;
		while ((de = readdir(d)) != NULL) {
			long n;

			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			snprintf(path, sizeof path, "%s/status", de->d_name);
			if ((n = slurp(procfd, path)) >= 0) {
				bytes += n;
				files++;
			}
		}
		closedir(d);
	}
	printf("files=%ld bytes=%ld\n", files, bytes);
	return 0;
}

static int
cpu(char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	printf("%.0f %ld\n",
	       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec),
	       ru.ru_maxrss);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static long
maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
model(long items, long samples)
{
	struct ml_growth g;
	long before = maxrss_kib();
	char name[32];

	ml_growth_init(&g, NULL);
	for (long s = 0; s < samples; s++) {
		if (ml_growth_begin(&g, (int64_t)s * 1000000000) < 0)
			return 1;
		for (long i = 0; i < items; i++) {
			struct ml_growth_item *it;

			snprintf(name, sizeof name, "cache-%ld", i);
			it = ml_growth_item(&g, ML_GROWTH_SLAB, name, 0, 0, false);
			if (!it)
				return 1;
			ml_growth_observe(&g, it, (uint64_t)(i * 4096 + s * (i % 7)));
		}
		ml_growth_end(&g);
	}
	printf("%ld %.0f\n", maxrss_kib(),
	       (double)(maxrss_kib() - before) * 1024.0 / (double)(items > 0 ? items : 1));
	ml_growth_release(&g);
	return 0;
}

static int
sleepers(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			/* Go when the parent goes. */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			for (;;)
				pause();
		}
	}
	printf("ready\n");
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "floor") == 0)
		return floor_loop(atol(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "cpu") == 0)
		return cpu(argv + 2);
	if (argc == 4 && strcmp(argv[1], "model") == 0)
		return model(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && strcmp(argv[1], "sleepers") == 0)
		return sleepers(atol(argv[2]));
	return (int)usage();
}
