/*
 * A process that faults a known number of pages, for the live tests of the
 * per-process fault counts (memlens procs, MINFLT/MAJFLT):
 *
 *   fault-helper PAGES
 *
 * maps PAGES anonymous pages and touches each once (one minor fault each),
 * then prints "pid=N pages=PAGES before=B after=A" where B and A are its
 * minor faults (getrusage) just before and just after the touching, and
 * waits. On SIGUSR1 it touches PAGES more fresh pages and prints
 * "again after=A". It exits after 10 minutes or on SIGTERM. Only write(2) is
 * used for output, after the counts are taken.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static volatile sig_atomic_t again;

static void
on_usr1(int sig)
{
	(void)sig;
	again = 1;
}

static long
minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Map n pages and write one byte in each: n minor faults. */
static int
touch(long n, long page)
{
	volatile char *p = mmap(NULL, (size_t)(n * page), PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long i;

	if (p == MAP_FAILED)
		return -1;
	for (i = 0; i < n; i++)
		p[i * page] = 1;
	return 0;
}

int
main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), n, before, after;
	char line[128];
	int len, waited = 0;
	struct sigaction sa;

	if (argc != 2 || (n = atol(argv[1])) <= 0)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	before = minflt();
	if (touch(n, page) != 0)
		return 1;
	after = minflt();
	len = snprintf(line, sizeof line, "pid=%d pages=%ld before=%ld after=%ld\n", (int)getpid(),
		       n, before, after);
	if (write(1, line, (size_t)len) != len)
		return 1;
	while (waited < 600) {
		if (again) {
			again = 0;
			if (touch(n, page) != 0)
				return 1;
			after = minflt();
			len = snprintf(line, sizeof line, "again after=%ld\n", after);
			if (write(1, line, (size_t)len) != len)
				return 1;
		}
		if (sleep(1) == 0)
			waited++;
	}
	return 0;
}
