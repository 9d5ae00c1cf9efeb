/*
 * The reader: open once through the proc root, pread from 0 on each refresh.
 * See reader.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/reader.h"
#include "proc/scan.h"
#include "util.h"

int
ml_procfs_open(struct ml_procfs *fs, const char *root, char **cause)
{
	fs->dirfd = -1;
	fs->root = strdup(root);
	if (fs->root == NULL) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	fs->dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->dirfd < 0) {
		ml_set_cause(cause, "cannot open proc root %s: %s", root, strerror(errno));
		return -1;
	}
	return 0;
}

void
ml_procfs_close(struct ml_procfs *fs)
{
	if (fs->dirfd >= 0)
		close(fs->dirfd);
	fs->dirfd = -1;
	free(fs->root);
	fs->root = NULL;
}

char *
ml_procfs_path(const struct ml_procfs *fs, const char *rel)
{
	const char *root = fs->root != NULL ? fs->root : "/proc";
	size_t n = strlen(root);
	char *s;

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (asprintf(&s, "%.*s/%s", (int)n, root, rel) < 0)
		return NULL;
	return s;
}

/* Set a cause "cannot VERB ROOT/REL: strerror" without losing errno. */
static void
path_cause(const struct ml_procfs *fs, const char *rel, const char *verb, char **cause)
{
	int saved = errno;
	char *path = ml_procfs_path(fs, rel);

	ml_set_cause(cause, "cannot %s %s: %s", verb, path != NULL ? path : rel, strerror(saved));
	free(path);
	errno = saved;
}

/*
 * Open rel read-only and refuse anything that is not a regular file: a
 * directory, a FIFO that never writes or a device must not hang or mislead.
 */
static int
open_regular(const struct ml_procfs *fs, const char *rel, char **cause)
{
	struct stat st;
	int fd;

	fd = openat(fs->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		path_cause(fs, rel, "open", cause);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		path_cause(fs, rel, "stat", cause);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		char *path = ml_procfs_path(fs, rel);

		ml_set_cause(cause, "cannot read %s: %s", path != NULL ? path : rel,
			     S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		free(path);
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	return fd;
}

long
ml_procfs_read_small(const struct ml_procfs *fs, const char *rel, char *buf, size_t cap,
		     char **cause)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	if (cap == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = open_regular(fs, rel, cause);
	if (fd < 0)
		return -1;
	while (len < cap - 1) {
		n = pread(fd, buf + len, cap - 1 - len, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			path_cause(fs, rel, "read", cause);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return (long)len;
}

int
ml_procfs_read_u64(const struct ml_procfs *fs, const char *rel, uint64_t *out, char **cause)
{
	char buf[32];
	const char *p = buf, *end;
	long n;

	n = ml_procfs_read_small(fs, rel, buf, sizeof buf, cause);
	if (n < 0)
		return -1;
	end = buf + n;
	if (ml_scan_u64(&p, end, out) != ML_SCAN_OK || !ml_only_blanks(p, end)) {
		char *path = ml_procfs_path(fs, rel);

		ml_set_cause(cause, "%s: not a number: \"%s\"", path != NULL ? path : rel, buf);
		free(path);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
ml_reader_open(struct ml_reader *r, const struct ml_procfs *fs, const struct ml_source *src,
	       const char *rel, char **cause)
{
	r->fs = fs;
	r->src = src;
	r->fd = -1;
	r->rel[0] = '\0';
	r->last_bytes = 0;
	r->last_reads = 0;
	r->cap = ML_READER_BUFSIZE;
	r->buf = malloc(r->cap);
	if (r->buf == NULL) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	return ml_reader_reopen(r, rel != NULL ? rel : src->path, cause);
}

int
ml_reader_reopen(struct ml_reader *r, const char *rel, char **cause)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (rel == NULL || strlen(rel) >= sizeof r->rel) {
		errno = ENAMETOOLONG;
		ml_set_cause(cause, "%s: bad path", r->src->name);
		return -1;
	}
	strcpy(r->rel, rel);
	r->fd = open_regular(r->fs, rel, cause);
	return r->fd < 0 ? -1 : 0;
}

int
ml_reader_refresh(struct ml_reader *r, void *out, char **cause)
{
	off_t off = 0;
	ssize_t n;

	r->last_bytes = 0;
	r->last_reads = 0;
	if (r->fd < 0) {
		errno = EBADF;
		path_cause(r->fs, r->rel, "read", cause);
		return -1;
	}
	if (ml_feed_begin(&r->feed, r->src, out) != 0) {
		path_cause(r->fs, r->rel, "parse", cause);
		return -1;
	}
	for (;;) {
		n = pread(r->fd, r->buf, r->cap, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			path_cause(r->fs, r->rel, "read", cause);
			return -1;
		}
		r->last_reads++;
		if (n == 0)
			break;
		off += n;
		r->last_bytes += (uint64_t)n;
		if (ml_feed(&r->feed, r->buf, (size_t)n) != 0) {
			path_cause(r->fs, r->rel, "parse", cause);
			return -1;
		}
	}
	if (ml_feed_finish(&r->feed, cause) != 0) {
		char *path = ml_procfs_path(r->fs, r->rel);

		ml_prefix_cause(cause, "%s: ", path != NULL ? path : r->rel);
		free(path);
		return -1;
	}
	return 0;
}

void
ml_reader_release(struct ml_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->buf);
	r->buf = NULL;
}
