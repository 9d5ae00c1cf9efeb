/*
 * bench-zoneinfo: one refresh of /proc/zoneinfo with memlens's reader and
 * parser against the bare floor (the same fd kept open, pread from 0 until
 * EOF, no parsing), measured side by side in one run: each round times a
 * block of floor refreshes and a block of memlens refreshes, alternating
 * which goes first, and every refresh is timed on its own.
 *
 *   bench-zoneinfo [-n ITER] [-r ROUNDS] [-m MODE] [FILE]
 *
 * MODE "both" (default) prints the table; "floor", "memlens" and "parse"
 * (parse a copy in memory, no I/O) just loop, for perf stat or callgrind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/watermarks.h"
#include "proc/reader.h"
#include "proc/zoneinfo.h"

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[(size_t)(q * (double)(n - 1))];
}

/* The floor: what any reader must pay to get the bytes. */
static size_t
floor_refresh(int fd, char *buf, size_t cap)
{
	size_t total = 0;
	ssize_t n;

	for (;;) {
		n = pread(fd, buf, cap, (off_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	return total;
}

int
main(int argc, char **argv)
{
	const char *path = "/proc/zoneinfo", *mode = "both";
	long iters = 200, rounds = 25, r, i;
	char *dir, *base, *cause = NULL, *buf, *copy;
	struct ml_procfs fs;
	struct ml_reader rd;
	struct ml_zoneinfo zi;
	struct ml_watermarks wm;
	struct ml_feed feed;
	double *tf, *tm, *tp, t0;
	size_t nf = 0, nm = 0, np = 0, bytes;
	int c, fd;

	while ((c = getopt(argc, argv, "n:r:m:")) != -1) {
		switch (c) {
		case 'n':
			iters = atol(optarg);
			break;
		case 'r':
			rounds = atol(optarg);
			break;
		case 'm':
			mode = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-n ITER] [-r ROUNDS] [-m MODE] [FILE]\n",
				argv[0]);
			return 2;
		}
	}
	if (optind < argc)
		path = argv[optind];
	if (iters < 1 || rounds < 1)
		return 2;

	/* The reader opens through a proc root: split FILE into dir and name. */
	dir = strdup(path);
	base = strrchr(dir, '/');
	if (base == NULL) {
		free(dir);
		dir = strdup(".");
		base = (char *)path;
	} else {
		*base++ = '\0';
		if (dir[0] == '\0')
			strcpy(dir, "/");
	}
	if (ml_procfs_open(&fs, dir, &cause) != 0 ||
	    ml_reader_open(&rd, &fs, &ml_src_zoneinfo, base, &cause) != 0) {
		fprintf(stderr, "bench-zoneinfo: %s\n", cause);
		return 1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = malloc(ML_READER_BUFSIZE);
	copy = malloc(ML_READER_BUFSIZE * 16);
	if (fd < 0 || buf == NULL || copy == NULL) {
		perror(path);
		return 1;
	}
	ml_zoneinfo_init(&zi);
	ml_watermarks_init(&wm);
	/* Warm up both, and keep a copy for the in-memory parse. */
	bytes = floor_refresh(fd, copy, ML_READER_BUFSIZE * 16);
	for (i = 0; i < 10; i++) {
		floor_refresh(fd, buf, ML_READER_BUFSIZE);
		if (ml_reader_refresh(&rd, &zi, &cause) != 0) {
			fprintf(stderr, "bench-zoneinfo: %s\n", cause);
			return 1;
		}
	}

	if (strcmp(mode, "floor") == 0) {
		for (i = 0; i < iters * rounds; i++)
			floor_refresh(fd, buf, ML_READER_BUFSIZE);
		return 0;
	}
	if (strcmp(mode, "memlens") == 0) {
		for (i = 0; i < iters * rounds; i++)
			ml_reader_refresh(&rd, &zi, NULL);
		return 0;
	}
	if (strcmp(mode, "parse") == 0) {
		for (i = 0; i < iters * rounds; i++)
			ml_parse_buffer(&feed, &ml_src_zoneinfo, &zi, copy, bytes, 0, NULL);
		return 0;
	}

	tf = malloc(sizeof *tf * (size_t)(iters * rounds));
	tm = malloc(sizeof *tm * (size_t)(iters * rounds));
	tp = malloc(sizeof *tp * (size_t)(iters * rounds));
	if (tf == NULL || tm == NULL || tp == NULL)
		return 1;
	for (r = 0; r < rounds; r++) {
		int k;

		for (k = 0; k < 2; k++) {
			if ((k == 0) == (r % 2 == 0)) {
				for (i = 0; i < iters; i++) {
					t0 = now_ns();
					floor_refresh(fd, buf, ML_READER_BUFSIZE);
					tf[nf++] = now_ns() - t0;
				}
			} else {
				for (i = 0; i < iters; i++) {
					t0 = now_ns();
					ml_reader_refresh(&rd, &zi, NULL);
					tm[nm++] = now_ns() - t0;
				}
			}
		}
		for (i = 0; i < iters; i++) {
			t0 = now_ns();
			ml_parse_buffer(&feed, &ml_src_zoneinfo, &zi, copy, bytes, 0, NULL);
			ml_watermarks_compute(&wm, &zi, 4096, NULL);
			tp[np++] = now_ns() - t0;
		}
	}
	{
		double fmed = quantile(tf, nf, 0.5), mmed = quantile(tm, nm, 0.5);
		double fp90 = quantile(tf, nf, 0.9), mp90 = quantile(tm, nm, 0.9);
		double pmed = quantile(tp, np, 0.5), pp90 = quantile(tp, np, 0.9);

		printf("zoneinfo refresh: %s, %zu bytes, %u read calls, %u zones; "
		       "%ld rounds x %ld refreshes each\n",
		       path, bytes, rd.last_reads, zi.nzones, rounds, iters);
		printf("  %-34s %10s %10s %8s\n", "", "median us", "p90 us", "ratio");
		printf("  %-34s %10.2f %10.2f %8.3f\n", "pread floor (fd kept, no parse)",
		       fmed / 1e3, fp90 / 1e3, 1.0);
		printf("  %-34s %10.2f %10.2f %8.3f\n", "memlens reader + zoneinfo parser",
		       mmed / 1e3, mp90 / 1e3, mmed / fmed);
		printf("  %-34s %10.2f %10.2f %8s\n", "parse + watermarks, from memory", pmed / 1e3,
		       pp90 / 1e3, "-");
	}
	ml_watermarks_release(&wm);
	ml_zoneinfo_release(&zi);
	ml_reader_release(&rd);
	ml_procfs_close(&fs);
	close(fd);
	free(tf);
	free(tm);
	free(tp);
	free(buf);
	free(copy);
	free(dir);
	return 0;
}
