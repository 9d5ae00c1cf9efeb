/*
 * The file source and the reader: open once through the proc root (a
 * directory or an archive), pread from 0 on each refresh. See reader.h.
 */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/archive.h"
#include "proc/manifest.h"
#include "proc/reader.h"
#include "proc/scan.h"
#include "util.h"

/* The path of rel inside the archive or capture: prefix/rel, or rel at the top. */
static char *
inner_path(const struct ml_procfs *fs, const char *rel)
{
	const char *p = fs->prefix != NULL ? fs->prefix : "";
	char *s;

	if (strcmp(rel, ".") == 0)
		rel = "";
	if (asprintf(&s, "%s%s%s", p, p[0] != '\0' && rel[0] != '\0' ? "/" : "", rel) < 0)
		return NULL;
	return s;
}

/*
 * Open a directory or an archive at root. The cause reads "cannot open proc
 * root ROOT: why" for a proc root, "ROOT: why" otherwise.
 */
static int
open_root(struct ml_procfs *fs, const char *root, bool proc_root, char **cause)
{
	const char *what = proc_root ? "cannot open proc root " : "";
	struct stat st;
	int saved;

	memset(fs, 0, sizeof *fs);
	fs->dirfd = -1;
	fs->root = strdup(root);
	fs->prefix = strdup("");
	if (fs->root == NULL || fs->prefix == NULL) {
		fs->open_err = errno;
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	fs->dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->dirfd >= 0)
		return 0;
	saved = errno;
	/* Not a directory: an archive of a proc tree? */
	if (saved == ENOTDIR && stat(root, &st) == 0 && S_ISREG(st.st_mode)) {
		char *why = NULL;
		const char *detail;
		size_t n = strlen("cannot read ") + strlen(root) + 2;

		fs->own_ar = ml_archive_load(root, &why);
		if (fs->own_ar != NULL) {
			fs->ar = fs->own_ar;
			return 0;
		}
		saved = errno;
		/* libarchive's why, without the "cannot read ROOT: " it starts with. */
		detail = why != NULL && strlen(why) > n ? why + n : strerror(saved);
		if (proc_root)
			ml_set_cause(cause, "%s%s: %s, nor an archive (%s)", what, root,
				     strerror(ENOTDIR), why != NULL ? why : strerror(saved));
		else
			ml_set_cause(cause, "%s: %s", root, detail);
		free(why);
		fs->open_err = saved;
		errno = saved;
		return -1;
	}
	fs->open_err = saved;
	ml_set_cause(cause, "%s%s: %s", what, root, strerror(saved));
	errno = saved;
	return -1;
}

int
ml_procfs_open(struct ml_procfs *fs, const char *root, char **cause)
{
	return open_root(fs, root, true, cause);
}

int
ml_procfs_open_kind(struct ml_procfs *fs, const char *path, char **cause)
{
	return open_root(fs, path, false, cause);
}

int
ml_procfs_open_at(struct ml_procfs *fs, const struct ml_procfs *parent, const char *rel,
		  char **cause)
{
	int saved;

	memset(fs, 0, sizeof *fs);
	fs->dirfd = -1;
	fs->ar = parent->ar;
	fs->mf = parent->mf;
	fs->capture = parent->capture;
	/* "." is the parent itself, as a root of its own. */
	fs->root = strcmp(rel, ".") == 0 ? strdup(parent->root != NULL ? parent->root : "/proc")
					 : ml_procfs_path(parent, rel);
	fs->prefix = inner_path(parent, rel);
	if (fs->root == NULL || fs->prefix == NULL) {
		saved = errno;
		goto fail;
	}
	if (parent->dirfd >= 0) {
		fs->dirfd = openat(parent->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fs->dirfd >= 0)
			return 0;
		saved = errno;
	} else if (parent->ar != NULL) {
		if (ml_archive_is_dir(parent->ar, fs->prefix))
			return 0;
		saved = ml_archive_find(parent->ar, fs->prefix) != NULL ? ENOTDIR : ENOENT;
		fs->ar = NULL;
	} else {
		saved = parent->open_err != 0 ? parent->open_err : ENOENT;
	}
fail:
	fs->open_err = saved;
	ml_set_cause(cause, "cannot open %s: %s", fs->root != NULL ? fs->root : rel,
		     strerror(saved));
	errno = saved;
	return -1;
}

void
ml_procfs_close(struct ml_procfs *fs)
{
	if (fs->dirfd >= 0)
		close(fs->dirfd);
	fs->dirfd = -1;
	ml_archive_free(fs->own_ar);
	fs->own_ar = NULL;
	fs->ar = NULL;
	free(fs->root);
	fs->root = NULL;
	free(fs->prefix);
	fs->prefix = NULL;
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
 * A file the root does not have: when the root is part of a capture whose
 * manifest recorded the file as unreadable, fail as it failed then.
 */
static int
missing_errno(const struct ml_procfs *fs, const char *rel, int err, unsigned int *mode)
{
	const struct ml_manifest_file *f;
	char *inner;

	if (fs->mf == NULL || (err != ENOENT && err != ENOTDIR))
		return err;
	inner = inner_path(fs, rel);
	f = inner != NULL ? ml_manifest_find(fs->mf, inner) : NULL;
	free(inner);
	if (f == NULL || f->err == 0)
		return err;
	if (mode != NULL)
		*mode = f->mode;
	return f->err;
}

/* An open file of a root: a descriptor, or an archive member's bytes. */
struct open_file {
	int fd;
	const unsigned char *mem;
	size_t len;
};

/*
 * Open rel read-only and refuse anything that is not a regular file: a
 * directory, a FIFO that never writes or a device must not hang or mislead.
 */
static int
open_regular(const struct ml_procfs *fs, const char *rel, struct open_file *f, char **cause)
{
	struct stat st;
	int fd;

	f->fd = -1;
	f->mem = NULL;
	f->len = 0;
	if (fs->dirfd < 0 && fs->ar != NULL) {
		char *inner = inner_path(fs, rel);
		const struct ml_afile *af = inner != NULL ? ml_archive_find(fs->ar, inner) : NULL;

		free(inner);
		if (af == NULL) {
			errno = missing_errno(fs, rel, ENOENT, NULL);
			path_cause(fs, rel, "open", cause);
			return -1;
		}
		if (af->dir) {
			char *path = ml_procfs_path(fs, rel);

			ml_set_cause(cause, "cannot read %s: is a directory",
				     path != NULL ? path : rel);
			free(path);
			errno = EISDIR;
			return -1;
		}
		/* An empty member still needs a non-NULL pointer to count as open. */
		f->mem = af->data != NULL ? af->data : (const unsigned char *)"";
		f->len = af->size;
		return 0;
	}
	if (fs->dirfd < 0) {
		errno = fs->open_err != 0 ? fs->open_err : EBADF;
		path_cause(fs, rel, "open", cause);
		return -1;
	}
	fd = openat(fs->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		errno = missing_errno(fs, rel, errno, NULL);
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
	f->fd = fd;
	return 0;
}

static ssize_t
file_pread(const struct open_file *f, void *buf, size_t n, off_t off)
{
	if (f->fd >= 0)
		return pread(f->fd, buf, n, off);
	if (f->mem == NULL) {
		errno = EBADF;
		return -1;
	}
	if (off < 0 || (uint64_t)off >= f->len)
		return 0;
	if (n > f->len - (size_t)off)
		n = f->len - (size_t)off;
	memcpy(buf, f->mem + off, n);
	return (ssize_t)n;
}

static void
file_close(struct open_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->mem = NULL;
}

long
ml_procfs_read_small(const struct ml_procfs *fs, const char *rel, char *buf, size_t cap,
		     char **cause)
{
	struct open_file f;
	ssize_t n;
	size_t len = 0;

	if (cap == 0) {
		errno = EINVAL;
		return -1;
	}
	if (open_regular(fs, rel, &f, cause) != 0)
		return -1;
	while (len < cap - 1) {
		n = file_pread(&f, buf + len, cap - 1 - len, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			path_cause(fs, rel, "read", cause);
			file_close(&f);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	file_close(&f);
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
ml_procfs_read_buf(const struct ml_procfs *fs, const char *rel, char **buf, size_t *cap,
		   size_t *len, size_t max, char **cause)
{
	struct open_file f;
	size_t n = 0, want;
	ssize_t got;
	char *nb;

	*len = 0;
	if (open_regular(fs, rel, &f, cause) != 0)
		return -1;
	for (;;) {
		if (*buf == NULL || n + 1 >= *cap) {
			want = *buf == NULL || *cap == 0 ? 4096 : *cap * 2;
			if (f.mem != NULL && want < f.len + 1)
				want = f.len + 1;
			nb = realloc(*buf, want);
			if (nb == NULL) {
				path_cause(fs, rel, "read", cause);
				goto fail;
			}
			*buf = nb;
			*cap = want;
		}
		got = file_pread(&f, *buf + n, *cap - 1 - n, (off_t)n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			path_cause(fs, rel, "read", cause);
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n >= max) {
			errno = EFBIG;
			path_cause(fs, rel, "read", cause);
			goto fail;
		}
	}
	file_close(&f);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
fail:
	file_close(&f);
	return -1;
}

int
ml_procfs_read_file(const struct ml_procfs *fs, const char *rel, char **buf, size_t *len,
		    char **cause)
{
	char *b = NULL;
	size_t cap = 0;

	*buf = NULL;
	if (ml_procfs_read_buf(fs, rel, &b, &cap, len, SIZE_MAX, cause) != 0) {
		free(b);
		return -1;
	}
	*buf = b;
	return 0;
}

int
ml_procfs_stat(const struct ml_procfs *fs, const char *rel, struct stat *st)
{
	unsigned int mode = 0;
	int err;

	memset(st, 0, sizeof *st);
	if (fs->dirfd >= 0) {
		if (fstatat(fs->dirfd, rel, st, 0) == 0)
			return 0;
		err = errno;
	} else if (fs->ar != NULL) {
		char *inner = inner_path(fs, rel);
		const struct ml_afile *af = inner != NULL ? ml_archive_find(fs->ar, inner) : NULL;

		if (inner != NULL && (af != NULL || ml_archive_is_dir(fs->ar, inner))) {
			st->st_mode = (af == NULL || af->dir ? S_IFDIR | 0755 : S_IFREG | af->mode);
			st->st_size = af != NULL && !af->dir ? (off_t)af->size : 0;
			free(inner);
			return 0;
		}
		free(inner);
		err = ENOENT;
	} else {
		err = fs->open_err != 0 ? fs->open_err : EBADF;
	}
	/* A file the capture could not read: what it knew of it. */
	if (missing_errno(fs, rel, err, &mode) != err && mode != 0) {
		st->st_mode = S_IFREG | (mode & 07777);
		return 0;
	}
	errno = err;
	return -1;
}

struct ml_procfs_dir {
	DIR *d;                      /* a directory root */
	const struct ml_archive *ar; /* an archive root */
	enum ml_procfs_type type;    /* of the last entry */
	char *inner;
	size_t pos;
};

struct ml_procfs_dir *
ml_procfs_opendir(const struct ml_procfs *fs, const char *rel, char **cause)
{
	struct ml_procfs_dir *d = calloc(1, sizeof *d);
	int fd, saved;

	if (d == NULL) {
		path_cause(fs, rel, "list", cause);
		return NULL;
	}
	if (fs->dirfd >= 0) {
		fd = openat(fs->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && (d->d = fdopendir(fd)) != NULL)
			return d;
		saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
	} else if (fs->ar != NULL) {
		d->inner = inner_path(fs, rel);
		if (d->inner != NULL && ml_archive_is_dir(fs->ar, d->inner)) {
			d->ar = fs->ar;
			return d;
		}
		errno = d->inner == NULL ? ENOMEM : ENOENT;
		free(d->inner);
	} else {
		errno = fs->open_err != 0 ? fs->open_err : EBADF;
	}
	path_cause(fs, rel, "list", cause);
	free(d);
	return NULL;
}

const char *
ml_procfs_readdir(struct ml_procfs_dir *d)
{
	const struct ml_afile *f;
	const char *name = NULL;
	struct dirent *de;
	struct stat st;

	d->type = ML_PROCFS_OTHER;
	if (d->d != NULL) {
		while ((errno = 0, de = readdir(d->d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (de->d_type == DT_UNKNOWN &&
			    fstatat(dirfd(d->d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				de->d_type = S_ISDIR(st.st_mode)   ? DT_DIR
					     : S_ISREG(st.st_mode) ? DT_REG
					     : S_ISLNK(st.st_mode) ? DT_LNK
								   : DT_UNKNOWN;
			d->type = de->d_type == DT_DIR   ? ML_PROCFS_DIR
				  : de->d_type == DT_REG ? ML_PROCFS_FILE
				  : de->d_type == DT_LNK ? ML_PROCFS_LINK
							 : ML_PROCFS_OTHER;
			errno = 0;
			return de->d_name;
		}
		return NULL;
	}
	errno = 0;
	if (d->ar != NULL && (f = ml_archive_next_child(d->ar, d->inner, &d->pos, &name)) != NULL) {
		d->type = f->dir ? ML_PROCFS_DIR : ML_PROCFS_FILE;
		return name;
	}
	return NULL;
}

enum ml_procfs_type
ml_procfs_dirent_type(const struct ml_procfs_dir *d)
{
	return d->type;
}

void
ml_procfs_closedir(struct ml_procfs_dir *d)
{
	if (d == NULL)
		return;
	if (d->d != NULL)
		closedir(d->d);
	free(d->inner);
	free(d);
}

int
ml_reader_open(struct ml_reader *r, const struct ml_procfs *fs, const struct ml_source *src,
	       const char *rel, char **cause)
{
	r->fs = fs;
	r->src = src;
	r->fd = -1;
	r->mem = NULL;
	r->mem_len = 0;
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
	struct open_file f;

	ml_reader_close(r);
	if (rel == NULL || strlen(rel) >= sizeof r->rel) {
		errno = ENAMETOOLONG;
		ml_set_cause(cause, "%s: bad path", r->src->name);
		return -1;
	}
	strcpy(r->rel, rel);
	if (open_regular(r->fs, rel, &f, cause) != 0)
		return -1;
	r->fd = f.fd;
	r->mem = f.mem;
	r->mem_len = f.len;
	return 0;
}

ssize_t
ml_reader_pread(const struct ml_reader *r, void *buf, size_t n, off_t off)
{
	struct open_file f = { r->fd, r->mem, r->mem_len };

	return file_pread(&f, buf, n, off);
}

void
ml_reader_close(struct ml_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->mem = NULL;
	r->mem_len = 0;
}

int
ml_reader_refresh(struct ml_reader *r, void *out, char **cause)
{
	off_t off = 0;
	ssize_t n;

	r->last_bytes = 0;
	r->last_reads = 0;
	if (!ml_reader_is_open(r)) {
		errno = EBADF;
		path_cause(r->fs, r->rel, "read", cause);
		return -1;
	}
	if (ml_feed_begin(&r->feed, r->src, out) != 0) {
		path_cause(r->fs, r->rel, "parse", cause);
		return -1;
	}
	for (;;) {
		n = ml_reader_pread(r, r->buf, r->cap, off);
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
	ml_reader_close(r);
	free(r->buf);
	r->buf = NULL;
}
