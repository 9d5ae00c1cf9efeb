/*
 * A process that charges a known amount of memory to its cgroup, for the
 * live test of memlens cgroups (tests/cli/0820):
 *
 *   cg-helper ANON_MIB FILE_MIB FILE
 *
 * writes FILE_MIB MiB to FILE and reads them back (page cache, charged to
 * the cgroup that wrote them; fsync'd so that none stay dirty), then maps
 * ANON_MIB MiB of anonymous memory and touches every page; prints "ready"
 * and sleeps until killed, or 10 minutes. The test moves it into its cgroup
 * before it starts (a shell writes its own PID to cgroup.procs, then execs
 * this), so that every charge goes there.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int
write_file(const char *path, size_t bytes)
{
	static char block[1 << 16];
	size_t done = 0;
	ssize_t n;
	int fd;

	memset(block, 'm', sizeof block);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	while (done < bytes) {
		n = write(fd, block, bytes - done < sizeof block ? bytes - done : sizeof block);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	/* Read it back: the pages stay cached (and active). */
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, block, sizeof block)) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	size_t anon, file, i;
	char *p;

	if (argc != 4) {
		fprintf(stderr, "usage: cg-helper ANON_MIB FILE_MIB FILE\n");
		return 2;
	}
	anon = (size_t)strtoul(argv[1], NULL, 10) << 20;
	file = (size_t)strtoul(argv[2], NULL, 10) << 20;
	if (file > 0 && write_file(argv[3], file) != 0) {
		perror(argv[3]);
		return 1;
	}
	p = mmap(NULL, anon ? anon : 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < anon; i += 4096)
		p[i] = (char)(i >> 12 | 1);
	printf("ready\n");
	fflush(stdout);
	sleep(600);
	return 0;
}
