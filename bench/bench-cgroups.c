/*
 * The floor of bench/85-cgroups.sh: what cat(1) does with a list of files,
 * in one process and without writing them anywhere.
 *
 *   bench-cgroups floor LIST   open, read to the end and close every file
 *                              named in LIST (one path a line); prints the
 *                              files and bytes read
 *
 * Files that cannot be read are counted, not fatal (a cgroup file may be
 * write-only, or gone).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
floor_list(const char *list)
{
	static char buf[65536];
	char path[4096];
	unsigned long files = 0, failed = 0;
	unsigned long long bytes = 0;
	FILE *f = fopen(list, "r");
	ssize_t n;
	int fd;

	if (f == NULL) {
		perror(list);
		return 1;
	}
	while (fgets(path, sizeof path, f) != NULL) {
		path[strcspn(path, "\n")] = '\0';
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			failed++;
			continue;
		}
		while ((n = read(fd, buf, sizeof buf)) > 0)
			bytes += (unsigned long long)n;
		if (n < 0)
			failed++;
		close(fd);
		files++;
	}
	fclose(f);
	printf("files=%lu bytes=%llu failed=%lu\n", files, bytes, failed);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "floor") == 0)
		return floor_list(argv[2]);
	fprintf(stderr, "usage: bench-cgroups floor LIST\n");
	return 2;
}
