/*
 * Archives through libarchive; see archive.h.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/archive.h"
#include "util.h"

/* A member larger than this is refused: no procfs or sysfs file comes near it. */
#define MEMBER_MAX ((size_t)1 << 31)

/*
 * libarchive is loaded when a capture archive is first read or written
 * (dlopen), not when memlens starts: with what it links (libxml2, libicu,
 * libstdc++, nettle, the compressors) it is a dozen shared objects whose
 * loading doubled the resident size of every command (3.2 to 6.4 MiB for
 * memlens maps), for the few that ever touch an archive. The prototypes come
 * from <archive.h>: each pointer has the type of the function it stands for.
 */
static struct {
	pthread_once_t once;
	int err; /* errno of a failed load, 0 */
	char why[200];
	__typeof__(archive_entry_clear) *archive_entry_clear;
	__typeof__(archive_entry_filetype) *archive_entry_filetype;
	__typeof__(archive_entry_free) *archive_entry_free;
	__typeof__(archive_entry_new) *archive_entry_new;
	__typeof__(archive_entry_pathname) *archive_entry_pathname;
	__typeof__(archive_entry_perm) *archive_entry_perm;
	__typeof__(archive_entry_set_filetype) *archive_entry_set_filetype;
	__typeof__(archive_entry_set_mtime) *archive_entry_set_mtime;
	__typeof__(archive_entry_set_pathname) *archive_entry_set_pathname;
	__typeof__(archive_entry_set_perm) *archive_entry_set_perm;
	__typeof__(archive_entry_set_size) *archive_entry_set_size;
	__typeof__(archive_entry_size) *archive_entry_size;
	__typeof__(archive_errno) *archive_errno;
	__typeof__(archive_error_string) *archive_error_string;
	__typeof__(archive_read_data) *archive_read_data;
	__typeof__(archive_read_free) *archive_read_free;
	__typeof__(archive_read_new) *archive_read_new;
	__typeof__(archive_read_next_header) *archive_read_next_header;
	__typeof__(archive_read_open_filename) *archive_read_open_filename;
	__typeof__(archive_read_support_filter_all) *archive_read_support_filter_all;
	__typeof__(archive_read_support_format_gnutar) *archive_read_support_format_gnutar;
	__typeof__(archive_read_support_format_tar) *archive_read_support_format_tar;
	__typeof__(archive_write_add_filter_gzip) *archive_write_add_filter_gzip;
	__typeof__(archive_write_add_filter_none) *archive_write_add_filter_none;
	__typeof__(archive_write_add_filter_xz) *archive_write_add_filter_xz;
	__typeof__(archive_write_add_filter_zstd) *archive_write_add_filter_zstd;
	__typeof__(archive_write_close) *archive_write_close;
	__typeof__(archive_write_data) *archive_write_data;
	__typeof__(archive_write_free) *archive_write_free;
	__typeof__(archive_write_header) *archive_write_header;
	__typeof__(archive_write_new) *archive_write_new;
	__typeof__(archive_write_open_fd) *archive_write_open_fd;
	__typeof__(archive_write_set_bytes_in_last_block) *archive_write_set_bytes_in_last_block;
	__typeof__(archive_write_set_format_pax_restricted)
		*archive_write_set_format_pax_restricted;
} la = { .once = PTHREAD_ONCE_INIT };

static void
la_load(void)
{
	void *h = dlopen(ML_ARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *what = NULL;

	if (h == NULL) {
		const char *e = dlerror();

		la.err = ENOENT;
		snprintf(la.why, sizeof la.why, "%s", e != NULL ? e : ML_ARCHIVE_SONAME);
		return;
	}
	/* dlsym returns void *: POSIX guarantees it converts to a function pointer. */
#define ML_SYM(name)                                    \
	do {                                            \
		*(void **)(&la.name) = dlsym(h, #name); \
		if (la.name == NULL && what == NULL)    \
			what = #name;                   \
	} while (0)
	ML_SYM(archive_entry_clear);
	ML_SYM(archive_entry_filetype);
	ML_SYM(archive_entry_free);
	ML_SYM(archive_entry_new);
	ML_SYM(archive_entry_pathname);
	ML_SYM(archive_entry_perm);
	ML_SYM(archive_entry_set_filetype);
	ML_SYM(archive_entry_set_mtime);
	ML_SYM(archive_entry_set_pathname);
	ML_SYM(archive_entry_set_perm);
	ML_SYM(archive_entry_set_size);
	ML_SYM(archive_entry_size);
	ML_SYM(archive_errno);
	ML_SYM(archive_error_string);
	ML_SYM(archive_read_data);
	ML_SYM(archive_read_free);
	ML_SYM(archive_read_new);
	ML_SYM(archive_read_next_header);
	ML_SYM(archive_read_open_filename);
	ML_SYM(archive_read_support_filter_all);
	ML_SYM(archive_read_support_format_gnutar);
	ML_SYM(archive_read_support_format_tar);
	ML_SYM(archive_write_add_filter_gzip);
	ML_SYM(archive_write_add_filter_none);
	ML_SYM(archive_write_add_filter_xz);
	ML_SYM(archive_write_add_filter_zstd);
	ML_SYM(archive_write_close);
	ML_SYM(archive_write_data);
	ML_SYM(archive_write_free);
	ML_SYM(archive_write_header);
	ML_SYM(archive_write_new);
	ML_SYM(archive_write_open_fd);
	ML_SYM(archive_write_set_bytes_in_last_block);
	ML_SYM(archive_write_set_format_pax_restricted);
#undef ML_SYM
	if (what != NULL) {
		la.err = ENOSYS;
		snprintf(la.why, sizeof la.why, "%s has no %s", ML_ARCHIVE_SONAME, what);
	}
}

/* 0 when libarchive is usable; -1 with errno and *cause ("cannot load libarchive: ...") when not.
 */
static int
la_ready(char **cause)
{
	pthread_once(&la.once, la_load);
	if (la.err != 0) {
		ml_set_cause(cause, "cannot load libarchive: %s", la.why);
		errno = la.err;
		return -1;
	}
	return 0;
}

enum ml_archive_kind
ml_archive_kind(const char *path)
{
	static const struct {
		const char *suffix;
		enum ml_archive_kind kind;
	} suffixes[] = {
		{ ".tar", ML_ARCHIVE_TAR },       { ".tar.gz", ML_ARCHIVE_TAR_GZ },
		{ ".tgz", ML_ARCHIVE_TAR_GZ },    { ".tar.zst", ML_ARCHIVE_TAR_ZST },
		{ ".tar.xz", ML_ARCHIVE_TAR_XZ },
	};
	size_t n = strlen(path), i, k;

	for (i = 0; i < ML_ARRAY_SIZE(suffixes); i++) {
		k = strlen(suffixes[i].suffix);
		if (n > k && strcmp(path + n - k, suffixes[i].suffix) == 0)
			return suffixes[i].kind;
	}
	return ML_ARCHIVE_NONE;
}

/* "./proc//meminfo/" -> "proc/meminfo" in place; false when nothing is left. */
static bool
normalize(char *p)
{
	char *w = p;
	const char *r = p;

	while (r[0] == '.' && r[1] == '/')
		r += 2;
	while (*r == '/')
		r++;
	for (; *r != '\0'; r++) {
		if (*r == '/' && (w == p || w[-1] == '/'))
			continue;
		*w++ = *r;
	}
	while (w > p && w[-1] == '/')
		w--;
	*w = '\0';
	return w > p && strcmp(p, ".") != 0;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct ml_afile *)a)->path, ((const struct ml_afile *)b)->path);
}

static int
add(struct ml_archive *a, size_t *cap, struct ml_afile *f)
{
	if (a->n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct ml_afile *v = realloc(a->files, c * sizeof *v);

		if (v == NULL)
			return -1;
		a->files = v;
		*cap = c;
	}
	a->files[a->n++] = *f;
	return 0;
}

/* Add the directories the paths imply, then sort and drop duplicates (the last wins). */
static int
finish_table(struct ml_archive *a, size_t *cap)
{
	size_t i, n = a->n, j;

	for (i = 0; i < n; i++) {
		char *slash, *p = a->files[i].path;

		for (slash = strchr(p, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
			struct ml_afile d = { .dir = true, .mode = 0755 };

			d.path = strndup(p, (size_t)(slash - p));
			if (d.path == NULL || add(a, cap, &d) != 0) {
				free(d.path);
				return -1;
			}
		}
	}
	/* A path listed twice (or a directory and its implied twin) is kept once. */
	if (a->n > 1)
		qsort(a->files, a->n, sizeof *a->files, cmp_path);
	for (i = 0, j = 0; i < a->n; i++) {
		if (j > 0 && strcmp(a->files[j - 1].path, a->files[i].path) == 0) {
			/* A file beats an implied or listed directory of the same name. */
			struct ml_afile *keep = &a->files[j - 1], *drop = &a->files[i];

			if (keep->dir && !drop->dir) {
				struct ml_afile t = *keep;

				*keep = *drop;
				*drop = t;
			}
			free(drop->path);
			free(drop->data);
			continue;
		}
		a->files[j++] = a->files[i];
	}
	a->n = j;
	return 0;
}

struct ml_archive *
ml_archive_load(const char *path, char **cause)
{
	struct ml_archive *a;
	struct archive *ar;
	struct archive_entry *e;
	size_t cap = 0;
	int rc, saved;

	if (la_ready(cause) != 0)
		return NULL;
	a = calloc(1, sizeof *a);
	ar = la.archive_read_new();
	if (a == NULL || ar == NULL || (a->name = strdup(path)) == NULL) {
		saved = errno != 0 ? errno : ENOMEM;
		ml_set_cause(cause, "cannot read %s: %s", path, strerror(saved));
		goto fail;
	}
	la.archive_read_support_filter_all(ar);
	la.archive_read_support_format_tar(ar);
	la.archive_read_support_format_gnutar(ar);
	if (la.archive_read_open_filename(ar, path, 64 * 1024) != ARCHIVE_OK) {
		saved = la.archive_errno(ar) > 0 ? la.archive_errno(ar) : EINVAL;
		ml_set_cause(cause, "cannot read %s: %s", path, la.archive_error_string(ar));
		goto fail;
	}
	while ((rc = la.archive_read_next_header(ar, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		struct ml_afile f = { 0 };
		const char *name = la.archive_entry_pathname(e);
		mode_t type = la.archive_entry_filetype(e);
		la_int64_t size = la.archive_entry_size(e);
		la_ssize_t got;

		if (name == NULL || (type != AE_IFREG && type != AE_IFDIR))
			continue; /* links, devices: a proc tree has none worth reading */
		f.path = strdup(name);
		if (f.path == NULL) {
			saved = ENOMEM;
			ml_set_cause(cause, "cannot read %s: %s", path, strerror(saved));
			goto fail;
		}
		if (!normalize(f.path)) {
			free(f.path);
			continue;
		}
		f.mode = la.archive_entry_perm(e);
		f.dir = type == AE_IFDIR;
		if (!f.dir) {
			if (size < 0 || (uint64_t)size > MEMBER_MAX) {
				saved = EFBIG;
				ml_set_cause(cause, "cannot read %s: %s: member too large", path,
					     f.path);
				free(f.path);
				goto fail;
			}
			f.size = (size_t)size;
			f.data = malloc(f.size + 1);
			if (f.data == NULL) {
				saved = ENOMEM;
				ml_set_cause(cause, "cannot read %s: %s", path, strerror(saved));
				free(f.path);
				goto fail;
			}
			got = f.size > 0 ? la.archive_read_data(ar, f.data, f.size) : 0;
			if (got < 0 || (size_t)got != f.size) {
				saved = la.archive_errno(ar) > 0 ? la.archive_errno(ar) : EIO;
				ml_set_cause(cause, "cannot read %s: %s: %s", path, f.path,
					     got < 0 ? la.archive_error_string(ar)
						     : "truncated archive");
				free(f.path);
				free(f.data);
				goto fail;
			}
			a->bytes += f.size;
		}
		if (add(a, &cap, &f) != 0) {
			saved = ENOMEM;
			ml_set_cause(cause, "cannot read %s: %s", path, strerror(saved));
			free(f.path);
			free(f.data);
			goto fail;
		}
	}
	if (rc != ARCHIVE_EOF) {
		saved = la.archive_errno(ar) > 0 ? la.archive_errno(ar) : EINVAL;
		ml_set_cause(cause, "cannot read %s: %s", path,
			     la.archive_error_string(ar) != NULL ? la.archive_error_string(ar)
								 : "not a tar archive");
		goto fail;
	}
	la.archive_read_free(ar);
	if (finish_table(a, &cap) != 0) {
		saved = ENOMEM;
		ml_set_cause(cause, "cannot read %s: %s", path, strerror(saved));
		ml_archive_free(a);
		errno = saved;
		return NULL;
	}
	return a;
fail:
	if (ar != NULL)
		la.archive_read_free(ar);
	ml_archive_free(a);
	errno = saved;
	return NULL;
}

void
ml_archive_free(struct ml_archive *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->files[i].path);
		free(a->files[i].data);
	}
	free(a->files);
	free(a->name);
	free(a);
}

/* The first entry whose path is not below key (a lower bound). */
static size_t
lower_bound(const struct ml_archive *a, const char *key)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(a->files[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ml_afile *
ml_archive_find(const struct ml_archive *a, const char *path)
{
	size_t i = lower_bound(a, path);

	return i < a->n && strcmp(a->files[i].path, path) == 0 ? &a->files[i] : NULL;
}

bool
ml_archive_is_dir(const struct ml_archive *a, const char *dir)
{
	const struct ml_afile *f;

	if (dir[0] == '\0')
		return true;
	f = ml_archive_find(a, dir);
	return f != NULL && f->dir;
}

const struct ml_afile *
ml_archive_next_child(const struct ml_archive *a, const char *dir, size_t *pos, const char **name)
{
	size_t n = strlen(dir), i;
	char key[512];

	if (n + 2 > sizeof key)
		return NULL;
	if (*pos == 0) {
		/* Children of "d" sort right after "d/"; of the top, from the start. */
		if (n == 0)
			i = 0;
		else {
			memcpy(key, dir, n);
			key[n] = '/';
			key[n + 1] = '\0';
			i = lower_bound(a, key);
		}
	} else {
		i = *pos;
	}
	for (; i < a->n; i++) {
		const char *p = a->files[i].path;

		if (n > 0 && (strncmp(p, dir, n) != 0 || p[n] != '/'))
			break;
		p += n > 0 ? n + 1 : 0;
		if (strchr(p, '/') != NULL)
			continue; /* deeper */
		*pos = i + 1;
		*name = p;
		return &a->files[i];
	}
	*pos = a->n;
	return NULL;
}

struct ml_archive_writer {
	struct archive *ar;
	struct archive_entry *e;
	time_t mtime;
};

/* A cause from libarchive's last error, keeping its errno. */
static int
write_error(struct ml_archive_writer *w, const char *what, char **cause)
{
	int err = la.archive_errno(w->ar) > 0 ? la.archive_errno(w->ar) : EIO;
	const char *s = la.archive_error_string(w->ar);

	/* libarchive says "Write error"; the errno says why (ENOSPC: the disk is full). */
	if (s == NULL || strstr(s, strerror(err)) != NULL)
		ml_set_cause(cause, "%s: %s", what, s != NULL ? s : strerror(err));
	else
		ml_set_cause(cause, "%s: %s (%s)", what, s, strerror(err));
	errno = err;
	return -1;
}

struct ml_archive_writer *
ml_archive_write_open(int fd, enum ml_archive_kind kind, time_t mtime, char **cause)
{
	struct ml_archive_writer *w;
	int rc = ARCHIVE_OK;

	if (la_ready(cause) != 0)
		return NULL;
	w = calloc(1, sizeof *w);
	if (w == NULL || (w->ar = la.archive_write_new()) == NULL ||
	    (w->e = la.archive_entry_new()) == NULL) {
		ml_set_cause(cause, "%s", strerror(ENOMEM));
		if (w != NULL) {
			la.archive_write_free(w->ar);
			free(w);
		}
		errno = ENOMEM;
		return NULL;
	}
	w->mtime = mtime;
	if (la.archive_write_set_format_pax_restricted(w->ar) != ARCHIVE_OK)
		goto fail;
	switch (kind) {
	case ML_ARCHIVE_TAR_GZ:
		rc = la.archive_write_add_filter_gzip(w->ar);
		break;
	case ML_ARCHIVE_TAR_ZST:
		rc = la.archive_write_add_filter_zstd(w->ar);
		break;
	case ML_ARCHIVE_TAR_XZ:
		rc = la.archive_write_add_filter_xz(w->ar);
		break;
	case ML_ARCHIVE_TAR:
	case ML_ARCHIVE_NONE:
		rc = la.archive_write_add_filter_none(w->ar);
		break;
	}
	if (rc != ARCHIVE_OK)
		goto fail;
	/* Pad the last block to the record size only for plain tar, as tar(1) does. */
	if (kind != ML_ARCHIVE_TAR &&
	    la.archive_write_set_bytes_in_last_block(w->ar, 1) != ARCHIVE_OK)
		goto fail;
	if (la.archive_write_open_fd(w->ar, fd) != ARCHIVE_OK)
		goto fail;
	return w;
fail:
	write_error(w, "cannot write the archive", cause);
	rc = errno;
	la.archive_entry_free(w->e);
	la.archive_write_free(w->ar);
	free(w);
	errno = rc;
	return NULL;
}

/*
 * Write the entry's header. A name the locale cannot translate to UTF-8 (a
 * cgroup called "café" read in the C locale) is stored as its bytes, with
 * pax's hdrcharset=BINARY: libarchive says so with ARCHIVE_WARN, having
 * written the entry, which is what a capture wants (bytes verbatim).
 */
static int
write_header(struct ml_archive_writer *w)
{
	int rc = la.archive_write_header(w->ar, w->e);

	return rc == ARCHIVE_OK || rc == ARCHIVE_WARN ? 0 : -1;
}

int
ml_archive_write_file(struct ml_archive_writer *w, const char *path, const void *data, size_t size,
		      char **cause)
{
	const char *p = data;
	la_ssize_t n;

	la.archive_entry_clear(w->e);
	la.archive_entry_set_pathname(w->e, path);
	la.archive_entry_set_filetype(w->e, AE_IFREG);
	la.archive_entry_set_perm(w->e, 0644);
	la.archive_entry_set_size(w->e, (la_int64_t)size);
	la.archive_entry_set_mtime(w->e, w->mtime, 0);
	if (write_header(w) != 0)
		return write_error(w, path, cause);
	while (size > 0) {
		n = la.archive_write_data(w->ar, p, size);
		if (n <= 0)
			return write_error(w, path, cause);
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int
ml_archive_write_dir(struct ml_archive_writer *w, const char *path, char **cause)
{
	la.archive_entry_clear(w->e);
	la.archive_entry_set_pathname(w->e, path);
	la.archive_entry_set_filetype(w->e, AE_IFDIR);
	la.archive_entry_set_perm(w->e, 0755);
	la.archive_entry_set_mtime(w->e, w->mtime, 0);
	if (write_header(w) != 0)
		return write_error(w, path, cause);
	return 0;
}

int
ml_archive_write_close(struct ml_archive_writer *w, bool abandon, char **cause)
{
	int rc = 0, err = 0;

	if (w == NULL)
		return 0;
	if (!abandon && la.archive_write_close(w->ar) != ARCHIVE_OK) {
		rc = write_error(w, "cannot finish the archive", cause);
		err = errno;
	}
	la.archive_entry_free(w->e);
	la.archive_write_free(w->ar);
	free(w);
	errno = err;
	return rc;
}
