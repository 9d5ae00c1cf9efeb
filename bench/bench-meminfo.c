/*
 * Refreshing /proc/meminfo, side by side in one run:
 *   floor     pread of the open file until EOF, no parsing
 *   memlens   the reader + meminfo parser (open once, pread from 0, learned layout)
 *   libproc2  procps_meminfo_select() on the items free(1) uses
 *   naive     fopen + fgets + sscanf each time, the way scripts do it
 * Methods take turns for several rounds; the median per method is reported
 * with its ratio to the floor. Usage: bench-meminfo [iterations] [rounds]
 */
#include "config.h"

#include <fcntl.h>
#include <libproc2/meminfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc/meminfo.h"
#include "proc/reader.h"

#define MAX_ROUNDS 64

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int floor_fd = -1;
static char floor_buf[65536];
static volatile unsigned long sink;

static void
run_floor(void)
{
	off_t off = 0;
	ssize_t n;

	while ((n = pread(floor_fd, floor_buf, sizeof floor_buf, off)) > 0)
		off += n;
	sink += (unsigned long)off;
}

static struct ml_procfs fs;
static struct ml_reader reader;
static struct ml_meminfo mi;

static void
run_memlens(void)
{
	if (ml_reader_refresh(&reader, &mi, NULL) != 0)
		abort();
	sink += mi.val[ML_MI_MEM_AVAILABLE];
}

static struct meminfo_info *p2;
static enum meminfo_item p2_items[] = {
	MEMINFO_MEM_TOTAL,   MEMINFO_MEM_USED,       MEMINFO_MEM_FREE,      MEMINFO_MEM_SHARED,
	MEMINFO_MEM_BUFFERS, MEMINFO_MEM_CACHED_ALL, MEMINFO_MEM_AVAILABLE, MEMINFO_SWAP_TOTAL,
	MEMINFO_SWAP_USED,   MEMINFO_SWAP_FREE,
};

static void
run_libproc2(void)
{
	struct meminfo_stack *st =
		procps_meminfo_select(p2, p2_items, (int)(sizeof p2_items / sizeof p2_items[0]));

	if (st == NULL)
		abort();
	sink += st->head[6].result.ul_int;
}

static void
run_naive(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256], key[64];
	unsigned long v, total = 0;

	if (f == NULL)
		abort();
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%63s %lu", key, &v) == 2)
			total += v;
	}
	fclose(f);
	sink += total;
}

static const struct {
	const char *name;
	void (*fn)(void);
} methods[] = {
	{ "floor (pread only)", run_floor },
	{ "memlens reader+parser", run_memlens },
	{ "libproc2 meminfo_select", run_libproc2 },
	{ "naive fgets+sscanf", run_naive },
};
#define NMETHODS (int)(sizeof methods / sizeof methods[0])

int
main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 20000, rounds = argc > 2 ? atoi(argv[2]) : 7;
	double results[NMETHODS][MAX_ROUNDS], med[NMETHODS], t0;
	uint64_t relearns;
	int r, m, i;

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	floor_fd = open("/proc/meminfo", O_RDONLY);
	if (floor_fd < 0 || ml_procfs_open(&fs, "/proc", NULL) != 0 ||
	    ml_reader_open(&reader, &fs, &ml_src_meminfo, NULL, NULL) != 0 ||
	    procps_meminfo_new(&p2) < 0) {
		fprintf(stderr, "bench-meminfo: cannot open /proc/meminfo\n");
		return 1;
	}
	ml_meminfo_init(&mi);
	for (m = 0; m < NMETHODS; m++) /* warm up */
		for (i = 0; i < 200; i++)
			methods[m].fn();
	relearns = mi.all.relearns;
	for (r = 0; r < rounds; r++) {
		for (m = 0; m < NMETHODS; m++) {
			t0 = now_ns();
			for (i = 0; i < iters; i++)
				methods[m].fn();
			results[m][r] = (now_ns() - t0) / iters;
		}
	}
	printf("refresh of /proc/meminfo (%d lines), %d x %d iterations, median ns per refresh:\n",
	       (int)mi.all.n, rounds, iters);
	for (m = 0; m < NMETHODS; m++)
		med[m] = median(results[m], rounds);
	for (m = 0; m < NMETHODS; m++)
		printf("  %-26s %9.0f ns   %5.2fx floor\n", methods[m].name, med[m],
		       med[m] / med[0]);
	printf("  memlens vs libproc2: %.2fx faster; vs naive: %.2fx faster\n", med[2] / med[1],
	       med[3] / med[1]);
	printf("  layout relearns in steady state: %llu\n",
	       (unsigned long long)(mi.all.relearns - relearns));
	procps_meminfo_unref(&p2);
	ml_reader_release(&reader);
	ml_meminfo_release(&mi);
	ml_procfs_close(&fs);
	close(floor_fd);
	return 0;
}
