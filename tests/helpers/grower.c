/*
 * A process that grows at a known rate, for memlens growth's live tests
 * (tests/cli/1220-growth-live.sh) and its benchmark:
 *
 *   grower brk RATE SECONDS    grow the brk heap (sbrk) by RATE bytes a second
 *   grower mmap RATE SECONDS   grow anonymous mmap memory by RATE bytes a
 *                              second (one private region reserved at the
 *                              start, its pages touched as time goes)
 *   grower idle SIZE SECONDS   touch SIZE bytes of anonymous memory once,
 *                              then hold still (the false-positive check)
 *
 * RATE and SIZE take a K or M suffix (KiB, MiB). Every page is written as
 * soon as it is part of the process, so RSS follows the target: at each tick
 * (every 20 ms) the process holds RATE x time since the start, rounded to
 * pages, never more, so the rate does not drift with the ticks. Transparent
 * huge pages are off (prctl) so that RSS grows by pages, not 2 MiB at once.
 * Prints "pid=N" when it is ready and "bytes=N" at the end; SIGTERM ends it
 * early. Links nothing of memlens.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096u

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (!stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
touch(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = (char)(i / PAGE + 1);
}

/* "4M", "512K", "4096": bytes, or 0 when it is not a size. */
static uint64_t
parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return 0;
	if (*end == 'K')
		v *= 1024, end++;
	else if (*end == 'M')
		v *= 1024 * 1024, end++;
	return *end ? 0 : (uint64_t)v;
}

static int
usage(void)
{
	fprintf(stderr, "usage: grower brk|mmap RATE SECONDS | grower idle SIZE SECONDS\n");
	return 2;
}

int
main(int argc, char **argv)
{
	uint64_t rate, held = 0;
	double seconds, start;
	char *region = NULL;
	size_t reserve = 0;
	int mode;

	if (argc != 4)
		return usage();
	if (strcmp(argv[1], "brk") == 0)
		mode = 0;
	else if (strcmp(argv[1], "mmap") == 0)
		mode = 1;
	else if (strcmp(argv[1], "idle") == 0)
		mode = 2;
	else
		return usage();
	rate = parse_size(argv[2]);
	seconds = atof(argv[3]);
	if (!rate || !(seconds > 0))
		return usage();

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);

	if (mode == 1) {
		/* Room for the whole run, reserved but not touched. */
		reserve = (size_t)((double)rate * seconds) + PAGE;
		region = mmap(NULL, reserve, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (region == MAP_FAILED) {
			perror("grower: mmap");
			return 1;
		}
	} else if (mode == 2) {
		region = mmap(NULL, rate, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			      0);
		if (region == MAP_FAILED) {
			perror("grower: mmap");
			return 1;
		}
		touch(region, rate);
		held = rate;
	}

	printf("pid=%d\n", (int)getpid());
	fflush(stdout);
	start = now();
	while (!stop) {
		double t = now() - start;
		uint64_t want;

		if (t >= seconds)
			break;
		if (mode != 2) {
			want = (uint64_t)((double)rate * t) / PAGE * PAGE;
			if (want > held) {
				size_t more = (size_t)(want - held);

				if (mode == 0) {
					char *p = sbrk((intptr_t)more);

					if (p == (void *)-1) {
						perror("grower: sbrk");
						return 1;
					}
					touch(p, more);
				} else {
					if (want > reserve)
						break;
					touch(region + held, more);
				}
				held = want;
			}
		}
		nap_ms(20);
	}
	printf("bytes=%llu\n", (unsigned long long)held);
	return 0;
}
