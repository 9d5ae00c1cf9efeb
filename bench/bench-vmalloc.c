/*
 * bench-vmalloc: the refresh of /proc/vmallocinfo, side by side in one run.
 *
 *   floor      fd kept open, pread(fd, 64 KiB, off) from 0 until 0: the bare floor
 *   split      the same through ml_reader and the feed, lines split, no parser:
 *              what any line parser pays before it looks at a line
 *   memlens    the same fd pattern through ml_reader + the parser + the model
 *              (what "memlens vmalloc -i" does per report)
 *   parser     ml_reader + the parser alone (totals, no aggregation)
 *   reopen     open + read to EOF + close each time (doc/procfs.md sections 1
 *              and 15: the kernel regrows its seq buffer, regenerating the
 *              file ~8 times)
 *   memlens-reopen  ml_reader_open + refresh + release each time
 *
 * The methods take turns, one refresh each, so that the kernel's state (the
 * number of areas, lazily freed areas being purged) hits them all alike.
 * Then, given a capture, the parser and model alone on in-memory text: the
 * capture and 100k synthetic lines.
 *
 * usage: bench-vmalloc [ITERATIONS [PROC_ROOT [CAPTURE]]]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/vmalloc.h"
#include "proc/reader.h"
#include "proc/vmallocinfo.h"

enum { M_FLOOR, M_SPLIT, M_MEMLENS, M_PARSER, M_REOPEN, M_MEMLENS_REOPEN, M__COUNT };
static const char *const method_names[M__COUNT] = {
	"floor (pread, fd kept)",        "floor + line split (no parser)",
	"memlens (reader+parser+model)", "parser only (reader+parser)",
	"reopen (open+read+close)",      "memlens, reopening each time",
};

/* A source that only counts lines: what the feed alone costs. */
static int
split_line(void *out, const char *s, size_t n, const char **why)
{
	(void)out;
	(void)s;
	(void)n;
	(void)why;
	return ML_LINE_OK;
}

static const struct ml_source split_src = { .name = "vmallocinfo", .line = split_line };

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
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
	return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

static void
die(const char *what, const char *cause)
{
	fprintf(stderr, "bench-vmalloc: %s: %s\n", what, cause != NULL ? cause : strerror(errno));
	exit(1);
}

/* The floor: read everything from 0 with the buffer the reader uses. */
static size_t
floor_read(int fd, char *buf, size_t cap, off_t first)
{
	off_t off = first;
	ssize_t n;
	size_t total = 0;

	for (;;) {
		n = pread(fd, buf, cap, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("pread", NULL);
		if (n == 0)
			return total;
		off += n;
		total += (size_t)n;
	}
}

static size_t
reopen_read(const struct ml_procfs *fs, char *buf, size_t cap)
{
	int fd = openat(fs->dirfd, "vmallocinfo", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t total = 0;

	if (fd < 0)
		die("open vmallocinfo", NULL);
	while ((n = read(fd, buf, cap)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read", NULL);
		total += (size_t)n;
	}
	close(fd);
	return total;
}

/* Parse text in 64 KiB chunks into the model, iterations times; median µs. */
static double
parse_text(struct ml_vmalloc *v, const char *buf, size_t len, int iterations, double *p90)
{
	double *t = malloc((size_t)iterations * sizeof *t), med;
	struct ml_feed f;
	char *cause = NULL;
	int i;

	if (t == NULL)
		die("malloc", NULL);
	for (i = 0; i < iterations; i++) {
		double t0 = now_us();

		if (ml_parse_buffer(&f, &ml_src_vmallocinfo, &v->info, buf, len, ML_READER_BUFSIZE,
				    &cause) != 0)
			die("parse", cause);
		t[i] = now_us() - t0;
	}
	med = quantile(t, (size_t)iterations, 0.5);
	*p90 = quantile(t, (size_t)iterations, 0.9);
	free(t);
	return med;
}

static char *
load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("read capture", NULL);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	int iterations = argc > 1 ? atoi(argv[1]) : 1000;
	const char *root = argc > 2 ? argv[2] : "/proc";
	const char *capture = argc > 3 ? argv[3] : NULL;
	struct ml_procfs fs;
	struct ml_reader rm = { .fd = -1 }, rp = { .fd = -1 }, rs = { .fd = -1 };
	struct ml_vmalloc v;
	struct ml_vmallocinfo vi;
	double *t[M__COUNT], med[M__COUNT], p90[M__COUNT];
	char *cause = NULL, *buf;
	size_t cap = ML_READER_BUFSIZE, bytes = 0;
	int fd, i, m;

	if (iterations < 10)
		iterations = 10;
	if (ml_procfs_open(&fs, root, &cause) != 0)
		die(root, cause);
	ml_vmalloc_init(&v);
	ml_vmallocinfo_init(&vi, NULL, NULL);
	if (ml_reader_open(&rm, &fs, &ml_src_vmallocinfo, NULL, &cause) != 0 ||
	    ml_reader_open(&rp, &fs, &ml_src_vmallocinfo, NULL, &cause) != 0 ||
	    ml_reader_open(&rs, &fs, &split_src, "vmallocinfo", &cause) != 0)
		die("vmallocinfo", cause);
	fd = openat(fs.dirfd, "vmallocinfo", O_RDONLY | O_CLOEXEC);
	buf = malloc(cap);
	if (fd < 0 || buf == NULL)
		die("vmallocinfo", NULL);
	for (m = 0; m < M__COUNT; m++)
		if ((t[m] = malloc((size_t)iterations * sizeof *t[m])) == NULL)
			die("malloc", NULL);

	/* warm up: let every seq buffer grow, fill the model's tables */
	for (i = 0; i < 5; i++) {
		floor_read(fd, buf, cap, 0);
		if (ml_reader_refresh(&rm, &v.info, &cause) != 0 ||
		    ml_reader_refresh(&rp, &vi, &cause) != 0)
			die("refresh", cause);
	}

	for (i = 0; i < iterations; i++) {
		for (m = 0; m < M__COUNT; m++) {
			struct ml_reader r = { .fd = -1 };
			double t0 = now_us();

			switch (m) {
			case M_FLOOR:
				bytes = floor_read(fd, buf, cap, 0);
				break;
			case M_SPLIT:
				if (ml_reader_refresh(&rs, NULL, &cause) != 0)
					die("refresh", cause);
				break;
			case M_MEMLENS:
				if (ml_reader_refresh(&rm, &v.info, &cause) != 0)
					die("refresh", cause);
				break;
			case M_PARSER:
				if (ml_reader_refresh(&rp, &vi, &cause) != 0)
					die("refresh", cause);
				break;
			case M_REOPEN:
				reopen_read(&fs, buf, cap);
				break;
			case M_MEMLENS_REOPEN:
				if (ml_reader_open(&r, &fs, &ml_src_vmallocinfo, NULL, &cause) !=
					    0 ||
				    ml_reader_refresh(&r, &vi, &cause) != 0)
					die("reopen refresh", cause);
				ml_reader_release(&r);
				break;
			}
			t[m][i] = now_us() - t0;
		}
	}

	printf("/proc/vmallocinfo at %s: %zu bytes, %llu lines (%llu areas, %llu unpurged), "
	       "%d refreshes per method, interleaved\n",
	       root, bytes,
	       (unsigned long long)(vi.t.lines[ML_VMK_AREA] + vi.t.lines[ML_VMK_VM_MAP_RAM] +
				    vi.t.lines[ML_VMK_UNPURGED]),
	       (unsigned long long)vi.t.lines[ML_VMK_AREA],
	       (unsigned long long)vi.t.lines[ML_VMK_UNPURGED], iterations);
	printf("  %-32s %10s %10s %8s\n", "method", "median us", "p90 us", "x floor");
	for (m = 0; m < M__COUNT; m++) {
		p90[m] = quantile(t[m], (size_t)iterations, 0.9);
		med[m] = quantile(t[m], (size_t)iterations, 0.5);
	}
	for (m = 0; m < M__COUNT; m++)
		printf("  %-32s %10.1f %10.1f %8.2f\n", method_names[m], med[m], p90[m],
		       med[m] / med[M_FLOOR]);
	printf("  memlens / floor = %.2fx (target <= 1.2x); reopen / pread floor = %.2fx\n",
	       med[M_MEMLENS] / med[M_FLOOR], med[M_REOPEN] / med[M_FLOOR]);
	printf("  groups: %u callers, %u modules, %u types; reads per refresh: %u\n",
	       ml_vmalloc_ngroups(&v, ML_VM_BY_CALLER), ml_vmalloc_ngroups(&v, ML_VM_BY_MODULE),
	       ml_vmalloc_ngroups(&v, ML_VM_BY_TYPE), rm.last_reads);

	/* The parser and model alone, on text in memory (no kernel time at all). */
	if (capture != NULL) {
		size_t len;
		char *text = load(capture, &len);

		if (text != NULL) {
			double p, m90;

			p = parse_text(&v, text, len, iterations, &m90);
			printf("in memory, %s (%zu bytes, %llu lines): parser+model median %.1f "
			       "us, "
			       "p90 %.1f us, %.0f ns/line\n",
			       capture, len, (unsigned long long)v.info.lineno, p, m90,
			       p * 1000.0 / (double)v.info.lineno);
			free(text);
		}
	}
	if (capture != NULL) {
		static const char *const pattern[] = {
			"0x%016llx-0x%016llx   20480 kernel_clone+0x94/0x3e0 pages=4 vmalloc "
			"N0=4\n",
			"0x%016llx-0x%016llx   16384 unpurged vm_area\n",
			"0x%016llx-0x%016llx    8192 vp_modern_map_capability+0x12d/0x1c0 "
			"phys=0x0000004000000000 ioremap\n",
			"0x%016llx-0x%016llx   12288 nft_hash_init+0x1d/0x30 [nf_tables] pages=2 "
			"vmalloc N1=2\n",
		};
		size_t len = 0, tcap = 100000 * 120;
		char *text = malloc(tcap);
		unsigned long long a = 0xffffc90000000000ull;
		double p, m90;

		if (text == NULL)
			die("malloc", NULL);
		for (i = 0; i < 100000; i++, a += 8192)
			len += (size_t)snprintf(text + len, tcap - len, pattern[i % 4], a,
						a + 4096);
		p = parse_text(&v, text, len, iterations / 10 > 10 ? iterations / 10 : 10, &m90);
		printf("in memory, 100000 synthetic lines (%zu bytes): parser+model median %.0f "
		       "us, "
		       "p90 %.0f us, %.0f ns/line\n",
		       len, p, m90, p * 1000.0 / 100000.0);
		free(text);
	}

	for (m = 0; m < M__COUNT; m++)
		free(t[m]);
	free(buf);
	close(fd);
	ml_reader_release(&rm);
	ml_reader_release(&rp);
	ml_reader_release(&rs);
	ml_vmalloc_release(&v);
	ml_procfs_close(&fs);
	return 0;
}
