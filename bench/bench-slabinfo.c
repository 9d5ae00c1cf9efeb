/*
 * bench-slabinfo: one refresh of /proc/slabinfo, side by side in one run.
 *
 *   floor     open once, pread from 0 until EOF into a 64 KiB buffer, no parse
 *   memlens   ml_reader_refresh into a persistent ml_slabinfo (steady state)
 *   +model    the same, then ml_slab_view_compute and a sort by memory
 *   libproc2  procps_slabinfo_reap (procps-ng's libproc2, reads the file itself)
 *   parse     ml_parse_buffer of a saved copy: the parser alone, no kernel
 *   changed   the same, alternating two copies that differ on every line, so
 *             that no line can be taken as unchanged from the last parse
 *
 * The methods run interleaved in rounds so that drift hits them alike; the
 * report gives the median and the ratio to the floor. Needs root (the file
 * is mode 0400). Usage: bench-slabinfo [ITERATIONS] [PROC_ROOT]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libproc2/slabinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/slab.h"
#include "proc/reader.h"
#include "proc/slabinfo.h"

enum { M_FLOOR, M_MEMLENS, M_MODEL, M_PROC2, M_PARSE, M_PARSE_ALL, M__COUNT };
static const char *const names[M__COUNT] = {
	[M_FLOOR] = "pread floor (no parse)",         [M_MEMLENS] = "memlens refresh",
	[M_MODEL] = "memlens refresh + model",        [M_PROC2] = "libproc2 procps_slabinfo_reap",
	[M_PARSE] = "memlens parse only (in memory)", [M_PARSE_ALL] = "  same, every line changed",
};

/* Count heap allocations: glibc lets the program interpose malloc and friends. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static size_t nalloc;

void *
malloc(size_t n)
{
	nalloc++;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	nalloc++;
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	nalloc++;
	return __libc_realloc(p, n);
}

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	size_t iters = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
	const char *root = argc > 2 ? argv[2] : "/proc";
	static char buf[ML_READER_BUFSIZE];
	enum slabinfo_item items[] = { SLAB_NAME,       SLAB_NUM_OBJS,     SLAB_ACTIVE_OBJS,
				       SLAB_OBJ_SIZE,   SLAB_OBJ_PER_SLAB, SLAB_PAGES_PER_SLAB,
				       SLAB_NUMS_SLABS, SLAB_ACTIVE_SLABS, SLAB_SIZE_TOTAL };
	struct slabinfo_info *info = NULL;
	struct ml_procfs fs;
	struct ml_reader r;
	struct ml_slabinfo si, si2; /* si2: the in-memory parses, apart from the live table */
	struct ml_slab_view v;
	struct ml_feed feed;
	double *t[M__COUNT], t0, checksum = 0;
	char *copy, *copy2, *cause = NULL;
	size_t copy_len = 0, i, round, m, chunk = 100;
	ssize_t n;
	int fd, proc2_rows = 0;
	size_t allocs_memlens, allocs_proc2;

	if (iters < chunk)
		iters = chunk;
	iters -= iters % chunk;
	if (ml_procfs_open(&fs, root, &cause) != 0 ||
	    ml_reader_open(&r, &fs, &ml_src_slabinfo, NULL, &cause) != 0) {
		fprintf(stderr, "bench-slabinfo: %s%s\n", cause,
			errno == EACCES ? " (run as root)" : "");
		return 77;
	}
	fd = openat(fs.dirfd, "slabinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || procps_slabinfo_new(&info) < 0) {
		fprintf(stderr, "bench-slabinfo: cannot open slabinfo or libproc2: %s\n",
			strerror(errno));
		return 77;
	}
	ml_slabinfo_init(&si);
	ml_slabinfo_init(&si2);
	ml_slab_view_init(&v);
	for (m = 0; m < M__COUNT; m++)
		t[m] = calloc(iters, sizeof **t);
	copy = malloc(1 << 20);
	for (off_t off = 0; (n = pread(fd, copy + copy_len, (1 << 20) - copy_len, off)) > 0;
	     off += n)
		copy_len += (size_t)n;
	/* The second copy: the last digit of every cache line (sharedavail) changed. */
	copy2 = malloc(copy_len);
	memcpy(copy2, copy, copy_len);
	for (i = 1, m = 0; i < copy_len; i++) {
		if (copy2[i] != '\n' || ++m <= 2)
			continue; /* not the two header lines */
		if (copy2[i - 1] >= '0' && copy2[i - 1] <= '8')
			copy2[i - 1]++;
	}

	/* Warm up every path (and let the table learn the layout). */
	for (i = 0; i < 50; i++) {
		if (ml_reader_refresh(&r, &si, &cause) != 0) {
			fprintf(stderr, "bench-slabinfo: %s\n", cause);
			return 1;
		}
		ml_slab_view_compute(&v, &si, 4096, 1.0);
		procps_slabinfo_reap(info, items, (int)(sizeof items / sizeof *items));
	}
	/* Allocations per refresh in steady state. */
	nalloc = 0;
	for (i = 0; i < 100; i++) {
		ml_reader_refresh(&r, &si, NULL);
		ml_slab_view_compute(&v, &si, 4096, 1.0);
		ml_slab_view_sort(&v, ML_SLAB_SORT_MEMORY, false);
	}
	allocs_memlens = nalloc;
	nalloc = 0;
	for (i = 0; i < 100; i++)
		procps_slabinfo_reap(info, items, (int)(sizeof items / sizeof *items));
	allocs_proc2 = nalloc;

	for (round = 0; round < iters / chunk; round++) {
		for (m = 0; m < M__COUNT; m++) {
			for (i = round * chunk; i < (round + 1) * chunk; i++) {
				struct slabinfo_reaped *rp;
				off_t off = 0;

				t0 = now_us();
				switch (m) {
				case M_FLOOR:
					while ((n = pread(fd, buf, sizeof buf, off)) > 0)
						off += n;
					checksum += (double)off;
					break;
				case M_MEMLENS:
					ml_reader_refresh(&r, &si, NULL);
					checksum += si.n;
					break;
				case M_MODEL:
					ml_reader_refresh(&r, &si, NULL);
					ml_slab_view_compute(&v, &si, 4096, 1.0);
					ml_slab_view_sort(&v, ML_SLAB_SORT_MEMORY, false);
					checksum += (double)v.total.pages;
					break;
				case M_PROC2:
					rp = procps_slabinfo_reap(
						info, items, (int)(sizeof items / sizeof *items));
					proc2_rows = rp != NULL ? rp->total : -1;
					checksum += proc2_rows;
					break;
				case M_PARSE:
					ml_parse_buffer(&feed, &ml_src_slabinfo, &si2, copy,
							copy_len, 0, NULL);
					checksum += si2.n;
					break;
				case M_PARSE_ALL:
					ml_parse_buffer(&feed, &ml_src_slabinfo, &si2,
							i % 2 ? copy2 : copy, copy_len, 0, NULL);
					checksum += si2.n;
					break;
				}
				t[m][i] = now_us() - t0;
			}
		}
	}

	{
		double med[M__COUNT];

		for (m = 0; m < M__COUNT; m++)
			med[m] = median(t[m], iters);
		printf("slabinfo refresh, %zu iterations per method (interleaved), %u caches, "
		       "%zu bytes, libproc2 rows %d\n",
		       iters, si.n, copy_len, proc2_rows);
		printf("  %-32s %10s %10s\n", "method", "median us", "x floor");
		for (m = 0; m < M__COUNT; m++)
			printf("  %-32s %10.1f %10.2f\n", names[m], med[m], med[m] / med[M_FLOOR]);
		printf("  parse cost above the floor: memlens %.1f us, libproc2 %.1f us "
		       "(libproc2 / memlens = %.1fx)\n",
		       med[M_MEMLENS] - med[M_FLOOR], med[M_PROC2] - med[M_FLOOR],
		       (med[M_PROC2] - med[M_FLOOR]) / (med[M_MEMLENS] - med[M_FLOOR]));
		printf("  memlens refresh vs libproc2 reap: %.2fx faster\n",
		       med[M_PROC2] / med[M_MEMLENS]);
		printf("  heap allocations per refresh in steady state: memlens (refresh + model) "
		       "%.2f, libproc2 %.2f\n",
		       (double)allocs_memlens / 100, (double)allocs_proc2 / 100);
	}
	if (checksum < 0)
		puts("");
	procps_slabinfo_unref(&info);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
	ml_slabinfo_release(&si2);
	ml_reader_release(&r);
	ml_procfs_close(&fs);
	for (m = 0; m < M__COUNT; m++)
		free(t[m]);
	free(copy);
	free(copy2);
	close(fd);
	return 0;
}
