/*
 * A process with known mappings, for the live tests of memlens maps:
 *
 *   maps-helper FILE
 *
 * creates, each of a known size and touched so that all of it is resident:
 *   heap   the brk area grown with sbrk (no malloc in this program, so the
 *          [heap] mapping is exactly what sbrk made)
 *   anon   an anonymous private mmap
 *   file   FILE, written then mapped read-only and read
 *   memfd  a memfd mapped shared
 *   sysv   a SysV shared memory segment (removed at exit)
 *   named  an anonymous mapping named with PR_SET_VMA_ANON_NAME (5.17+, when
 *          the kernel has CONFIG_ANON_VMA_NAME; "-" otherwise)
 * then prints one line "pid=N heap=ADDR:SIZE anon=ADDR:SIZE ..." (hex address
 * as maps prints it, size in bytes) and sleeps until killed, or 10 minutes.
 *
 *   maps-helper --many shared|private N
 *
 * makes N one-page anonymous mappings instead, MAP_SHARED (each one a file of
 * its own for the kernel: "/dev/zero (deleted)") or MAP_PRIVATE (with gaps,
 * so that none merge), none of them touched (no memory but the kernel's
 * own), prints "pid=N" and sleeps the same way. Only write(2) is used for output: stdio would
 * malloc a buffer on the heap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define HEAP_SIZE (3u << 20)  /* 3 MiB */
#define ANON_SIZE (8u << 20)  /* 8 MiB */
#define FILE_SIZE (1u << 20)  /* 1 MiB */
#define MEMFD_SIZE (2u << 20) /* 2 MiB */
#define SYSV_SIZE (1u << 20)  /* 1 MiB */
#define NAMED_SIZE (512u << 10)

static int shm_id = -1;

static void
die(const char *what)
{
	const char *e = strerror(errno);

	if (write(2, "maps-helper: ", 13) < 0 || write(2, what, strlen(what)) < 0 ||
	    write(2, ": ", 2) < 0 || write(2, e, strlen(e)) < 0 || write(2, "\n", 1) < 0)
		_exit(2);
	if (shm_id >= 0)
		shmctl(shm_id, IPC_RMID, NULL);
	_exit(1);
}

/* Append "key=ADDR:SIZE " (hex address, decimal size) to buf. */
static size_t
put(char *buf, size_t len, const char *key, const void *addr, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[32];
	uintptr_t a = (uintptr_t)addr;
	size_t n;

	memcpy(buf + len, key, strlen(key));
	len += strlen(key);
	buf[len++] = '=';
	if (addr == NULL) {
		buf[len++] = '-';
	} else {
		n = 0;
		do {
			tmp[n++] = hex[a & 15];
			a >>= 4;
		} while (a != 0);
		while (n > 0)
			buf[len++] = tmp[--n];
		buf[len++] = ':';
		n = 0;
		do {
			tmp[n++] = (char)('0' + size % 10);
			size /= 10;
		} while (size != 0);
		while (n > 0)
			buf[len++] = tmp[--n];
	}
	buf[len++] = ' ';
	return len;
}

static void
on_term(int sig)
{
	(void)sig;
	if (shm_id >= 0)
		shmctl(shm_id, IPC_RMID, NULL);
	_exit(0);
}

/* Append the decimal v to buf at len. */
static size_t
put_dec(char *buf, size_t len, unsigned long v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		buf[len++] = tmp[--n];
	return len;
}

/* --many: n one-page mappings, shared or private; see the top of the file. */
static void __attribute__((noreturn)) many(const char *how, const char *count)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long n = 0, i;
	int shared = how[0] == 's';
	char line[64];
	const char *p;
	size_t len;

	for (p = count; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (unsigned long)(*p - '0');
	if (*p != '\0' || n == 0 || (!shared && how[0] != 'p')) {
		errno = EINVAL;
		die("usage: maps-helper --many shared|private N");
	}
	for (i = 0; i < n; i++) {
		/* Private ones one page apart: neighbours with equal flags would merge. */
		char *base = NULL, *m;

		if (!shared) {
			base = mmap(NULL, (size_t)page * 2, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0);
			if (base == MAP_FAILED)
				die("mmap");
			if (munmap(base + page, (size_t)page) != 0)
				die("munmap");
		}
		m = mmap(base, (size_t)page, PROT_READ | PROT_WRITE,
			 (shared ? MAP_SHARED : MAP_PRIVATE | MAP_FIXED) | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			die("mmap");
	}
	memcpy(line, "pid=", 4);
	len = put_dec(line, 4, (unsigned long)getpid());
	line[len++] = '\n';
	if (write(1, line, len) != (ssize_t)len)
		die("write stdout");
	for (;;)
		pause();
}

/* --peak-rss: see the top of the file. */
static int
peak_rss(char **argv)
{
	struct rusage ru;
	char line[32];
	size_t len;
	int status, null;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	len = put_dec(line, 0, (unsigned long)ru.ru_maxrss);
	line[len++] = '\n';
	return write(1, line, len) == (ssize_t)len ? 0 : 1;
}

int
main(int argc, char **argv)
{
	char line[512], page[4096];
	volatile char sink = 0;
	size_t len = 0, i;
	char *heap, *anon, *file, *mfd, *sysv, *named;
	int fd;

	if (argc >= 3 && strcmp(argv[1], "--peak-rss") == 0)
		return peak_rss(argv + 2);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	alarm(600);
	if (argc == 4 && strcmp(argv[1], "--many") == 0)
		many(argv[2], argv[3]);
	if (argc != 2) {
		errno = EINVAL;
		die("usage: maps-helper FILE | maps-helper --many shared|private N");
	}

	heap = sbrk(0);
	if (sbrk(HEAP_SIZE) == (void *)-1)
		die("sbrk");
	memset(heap, 1, HEAP_SIZE);

	anon = mmap(NULL, ANON_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mmap anon");
	memset(anon, 2, ANON_SIZE);

	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(argv[1]);
	memset(page, 3, sizeof page);
	for (i = 0; i < FILE_SIZE; i += sizeof page)
		if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
			die("write");
	file = mmap(NULL, FILE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		die("mmap file");
	close(fd);
	for (i = 0; i < FILE_SIZE; i += 4096)
		sink += file[i];
	(void)sink; /* the reads fault the pages in; the sum is not needed */

	fd = memfd_create("memlens-test", 0);
	if (fd < 0 || ftruncate(fd, MEMFD_SIZE) != 0)
		die("memfd");
	mfd = mmap(NULL, MEMFD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mfd == MAP_FAILED)
		die("mmap memfd");
	close(fd);
	memset(mfd, 4, MEMFD_SIZE);

	shm_id = shmget(IPC_PRIVATE, SYSV_SIZE, IPC_CREAT | 0600);
	if (shm_id < 0)
		die("shmget");
	sysv = shmat(shm_id, NULL, 0);
	if (sysv == (void *)-1)
		die("shmat");
	memset(sysv, 5, SYSV_SIZE);

	named = mmap(NULL, NAMED_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (named == MAP_FAILED)
		die("mmap named");
	memset(named, 6, NAMED_SIZE);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)named, NAMED_SIZE,
		  (unsigned long)"memlens-named") != 0)
		named = NULL; /* CONFIG_ANON_VMA_NAME=n: it stays plain anonymous */

	memcpy(line, "pid=", 4);
	len = 4;
	{
		pid_t pid = getpid();
		char tmp[16];
		size_t n = 0;

		do {
			tmp[n++] = (char)('0' + pid % 10);
			pid /= 10;
		} while (pid != 0);
		while (n > 0)
			line[len++] = tmp[--n];
		line[len++] = ' ';
	}
	len = put(line, len, "heap", heap, HEAP_SIZE);
	len = put(line, len, "anon", anon, ANON_SIZE);
	len = put(line, len, "file", file, FILE_SIZE);
	len = put(line, len, "memfd", mfd, MEMFD_SIZE);
	len = put(line, len, "sysv", sysv, SYSV_SIZE);
	len = put(line, len, "named", named, NAMED_SIZE);
	line[len - 1] = '\n';
	if (write(1, line, len) != (ssize_t)len)
		die("write stdout");
	for (;;)
		pause();
}
