/*
 * Refreshing /proc/buddyinfo: memlens's reader and parser (and the
 * fragmentation model on top) against the bare pread floor, side by side.
 *
 *	bench-buddyinfo [PROC_ROOT [ITERATIONS]]
 *
 * Every variant keeps its file open and re-reads it from offset 0, as
 * memlens does. The variants run interleaved in rounds (floor, reader,
 * reader + model, parse only), so that frequency scaling and noise fall on
 * all of them alike; each iteration is timed and the medians compared.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/fragmentation.h"
#include "proc/buddyinfo.h"
#include "proc/reader.h"
#include "proc/source.h"

enum { V_FLOOR, V_READER, V_MODEL, V_PARSE, V__COUNT };

static const char *const variant_name[V__COUNT] = {
	[V_FLOOR] = "bare pread floor (open once, pread from 0 to EOF)",
	[V_READER] = "memlens reader + buddyinfo parser",
	[V_MODEL] = "  + fragmentation model (indices per order)",
	[V_PARSE] = "parser alone, on a buffer (no system call)",
};

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

/* Read fd from offset 0 to EOF; the bytes read, or -1. */
static ssize_t
pread_all(int fd, char *buf, size_t cap)
{
	off_t off = 0;
	ssize_t n;

	for (;;) {
		n = pread(fd, buf, cap, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return (ssize_t)off;
		off += n;
	}
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "/proc";
	long iterations = argc > 2 ? atol(argv[2]) : 20000, i, k = 0;
	const long rounds = 20;
	struct ml_procfs fs;
	struct ml_reader r = { .fd = -1 };
	struct ml_buddyinfo bi;
	struct ml_frag frag;
	struct ml_feed feed;
	char *cause = NULL, *path, *buf, text[65536];
	double *t[V__COUNT], start, median[V__COUNT];
	ssize_t text_len;
	int fd, v;

	if (iterations < rounds)
		iterations = rounds;
	iterations -= iterations % rounds;
	if (ml_procfs_open(&fs, root, &cause) != 0 ||
	    ml_reader_open(&r, &fs, &ml_src_buddyinfo, NULL, &cause) != 0) {
		fprintf(stderr, "bench-buddyinfo: %s\n", cause);
		return 1;
	}
	path = ml_procfs_path(&fs, "buddyinfo");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = malloc(ML_READER_BUFSIZE);
	if (fd < 0 || buf == NULL) {
		fprintf(stderr, "bench-buddyinfo: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	text_len = pread_all(fd, text, sizeof text);
	if (text_len <= 0) {
		fprintf(stderr, "bench-buddyinfo: cannot read %s\n", path);
		return 1;
	}
	ml_buddyinfo_init(&bi);
	ml_frag_init(&frag);
	for (v = 0; v < V__COUNT; v++) {
		t[v] = calloc((size_t)iterations, sizeof(double));
		if (t[v] == NULL)
			return 1;
	}
	/* Warm up: grow every buffer and learn the zone layout. */
	for (i = 0; i < 100; i++) {
		if (pread_all(fd, buf, ML_READER_BUFSIZE) < 0 ||
		    ml_reader_refresh(&r, &bi, &cause) != 0) {
			fprintf(stderr, "bench-buddyinfo: %s\n", cause ? cause : strerror(errno));
			return 1;
		}
		ml_frag_compute(&frag, &bi, 4096, NULL);
	}
	for (long round = 0; round < rounds; round++) {
		long n = iterations / rounds;

		for (i = 0; i < n; i++, k++) {
			start = now_ns();
			if (pread_all(fd, buf, ML_READER_BUFSIZE) < 0)
				return 1;
			t[V_FLOOR][k] = now_ns() - start;

			start = now_ns();
			if (ml_reader_refresh(&r, &bi, NULL) != 0)
				return 1;
			t[V_READER][k] = now_ns() - start;

			start = now_ns();
			if (ml_reader_refresh(&r, &bi, NULL) != 0 ||
			    ml_frag_compute(&frag, &bi, 4096, NULL) != 0)
				return 1;
			t[V_MODEL][k] = now_ns() - start;

			start = now_ns();
			if (ml_parse_buffer(&feed, &ml_src_buddyinfo, &bi, text, (size_t)text_len,
					    0, NULL) != 0)
				return 1;
			t[V_PARSE][k] = now_ns() - start;
		}
	}
	for (v = 0; v < V__COUNT; v++) {
		qsort(t[v], (size_t)iterations, sizeof(double), cmp_double);
		median[v] = t[v][iterations / 2];
	}
	printf("%s: %zd bytes, %u zones x %u orders; %ld iterations each, interleaved\n", path,
	       text_len, (unsigned int)bi.nzones, bi.norders, iterations);
	printf("  %-52s %9s %9s %7s\n", "variant", "median", "p99", "ratio");
	for (v = 0; v < V__COUNT; v++)
		printf("  %-52s %7.2f us %7.2f us %6.2fx\n", variant_name[v], median[v] / 1000.0,
		       t[v][iterations * 99 / 100] / 1000.0, median[v] / median[V_FLOOR]);
	printf("  (ratio: median over the floor's; the parser's own share is the last row)\n");
	close(fd);
	free(path);
	free(buf);
	for (v = 0; v < V__COUNT; v++)
		free(t[v]);
	ml_reader_release(&r);
	ml_procfs_close(&fs);
	ml_buddyinfo_release(&bi);
	ml_frag_release(&frag);
	return 0;
}
