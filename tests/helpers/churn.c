/*
 * Process and mapping churn, for the race tests (tests/cli/0930-races.sh):
 *
 *   churn spawn SECONDS MIN   fork short-lived children for SECONDS (and at
 *                             least MIN of them): each maps and touches a
 *                             little memory and sleeps 1-40 ms; about half
 *                             are killed (SIGKILL) before they exit, at most
 *                             32 live at once. Prints "spawned=N killed=N".
 *   churn map SECONDS         map, touch, mprotect and unmap anonymous
 *                             regions of 64 KiB to 16 MiB in a loop for
 *                             SECONDS, keeping up to 8 at a time. Prints
 *                             "pid=N" first, "cycles=N" at the end.
 *
 * SIGTERM ends either one early, as if SECONDS were up (spawn still starts
 * MIN children first): a test runs the churn as long as it needs it, then
 * stops it and reads the counts.
 *
 * Deterministic (a fixed LCG), no stdio before the children are done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t seed = 12345;
static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint32_t
rnd(uint32_t n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(seed >> 33) % n;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = (char)i;
}

/* A child: a little memory of its own, then a short nap. */
static void
child(uint32_t r)
{
	size_t len = (size_t)(1 + r % 64) << 12;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		touch(p, len);
	nap_us(1000 + (long)(r % 40) * 1000);
	_exit(0);
}

static int
spawn(double seconds, long min)
{
	pid_t live[32];
	int nlive = 0, i;
	long spawned = 0, killed = 0;
	double end = now() + seconds;

	signal(SIGCHLD, SIG_DFL);
	while ((!stop && now() < end) || spawned < min) {
		pid_t pid;

		/* Reap what exited; kill one at random now and then. */
		for (i = 0; i < nlive;) {
			if (waitpid(live[i], NULL, WNOHANG) == live[i]) {
				live[i] = live[--nlive];
				continue;
			}
			i++;
		}
		if (nlive > 0 && rnd(2) == 0) {
			i = (int)rnd((uint32_t)nlive);
			if (kill(live[i], SIGKILL) == 0)
				killed++;
			waitpid(live[i], NULL, 0);
			live[i] = live[--nlive];
		}
		if (nlive == (int)(sizeof live / sizeof live[0])) {
			nap_us(500);
			continue;
		}
		pid = fork();
		if (pid < 0) {
			nap_us(1000);
			continue;
		}
		if (pid == 0)
			child(rnd(1u << 30));
		live[nlive++] = pid;
		spawned++;
		nap_us(200 + rnd(800));
	}
	for (i = 0; i < nlive; i++) {
		kill(live[i], SIGKILL);
		waitpid(live[i], NULL, 0);
		killed++;
	}
	printf("spawned=%ld killed=%ld\n", spawned, killed);
	return 0;
}

static int
map_loop(double seconds)
{
	struct {
		char *p;
		size_t len;
	} reg[8] = { { 0 } };
	double end = now() + seconds;
	long cycles = 0;
	int i;

	printf("pid=%ld\n", (long)getpid());
	fflush(stdout);
	while (!stop && now() < end) {
		i = (int)rnd(8);
		if (reg[i].p != NULL) {
			munmap(reg[i].p, reg[i].len);
			reg[i].p = NULL;
		} else {
			size_t len = (size_t)(16 + rnd(4096)) << 12; /* 64 KiB to 16 MiB */
			char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				continue;
			touch(p, len);
			/* Split it in two VMAs now and then. */
			if (rnd(2) == 0 && len > (64u << 10))
				mprotect(p, 4096, PROT_READ);
			reg[i].p = p;
			reg[i].len = len;
		}
		cycles++;
		nap_us(rnd(2000));
	}
	printf("cycles=%ld\n", cycles);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if (argc >= 3 && strcmp(argv[1], "map") == 0)
		return map_loop(atof(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "spawn") == 0)
		return spawn(atof(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: churn spawn SECONDS MIN | churn map SECONDS\n");
	return 2;
}
