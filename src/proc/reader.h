/*
 * Reading procfs files through a proc root: the file source.
 *
 * struct ml_procfs is a root that every path is resolved against, so that
 * nothing below it hard-codes "/proc". It is one of:
 *  - a directory (normally /proc; a fixture tree with --proc-root, a capture
 *    directory with --capture): an open directory fd, paths opened with
 *    openat(2);
 *  - an archive (a .tar, .tar.gz, .tar.zst capture, or any tar of a proc
 *    tree): its files loaded into memory by proc/archive.h and served from
 *    there.
 * Parsers and readers never know which: every access goes through the
 * functions below (open, read, stat, list a directory). A root may be a part
 * of another (ml_procfs_open_at: a capture's proc/ and sys/). A root that
 * belongs to a capture also knows its manifest (proc/manifest.h), so that a
 * file the capture could not read fails as it failed then (EACCES, with the
 * file's mode), not as a missing file.
 *
 * struct ml_reader keeps one file open and refreshes it by pread(2) from
 * offset 0, continuing at the returned offset until 0, feeding each chunk to
 * the source's parser. Re-reading an open seq_file reuses the kernel's grown
 * buffer (doc/procfs.md sections 1 and 15), and the reader's own buffer is
 * allocated once, so a refresh in steady state allocates nothing.
 *
 * Errors: -1 with errno kept and a cause naming the full path. ENOENT/ESRCH
 * on a per-PID file mean the process is gone; EACCES means no permission.
 */
#ifndef ML_READER_H
#define ML_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "proc/source.h"

/* Size of a reader's chunk buffer; procfs gives at most one seq buffer per read. */
#define ML_READER_BUFSIZE (64 * 1024)

struct ml_archive;
struct ml_manifest;

struct ml_procfs {
	int dirfd;                    /* a directory; -1 for an archive (or a failed open) */
	const struct ml_archive *ar;  /* an archive's files, or NULL */
	char *prefix;                 /* this root's path inside the archive or capture: "proc" */
	char *root;                   /* as given, for messages: "/proc" */
	const struct ml_manifest *mf; /* the capture's manifest, or NULL */
	const char *capture;          /* the capture's path (borrowed), or NULL */
	int open_err;                 /* errno of a failed open, for the roots below it */
	struct ml_archive *own_ar;    /* the archive ml_procfs_open loaded */
};

/*
 * Open a root: a directory, or a tar archive (by content, whatever its name).
 * 0, or -1 with errno and a cause; fs is then closed but knows root and
 * open_err, so that roots below it fail with the right message.
 */
int ml_procfs_open(struct ml_procfs *fs, const char *root, char **cause);
/*
 * Open the directory rel of parent as a root of its own, sharing parent's
 * archive and manifest (which must outlive it). 0, or -1 as above.
 */
/*
 * The same for a root that is not a proc root (a capture's top): the cause is
 * "PATH: why" (for an archive, libarchive's why: "truncated gzip input").
 */
int ml_procfs_open_kind(struct ml_procfs *fs, const char *path, char **cause);

int ml_procfs_open_at(struct ml_procfs *fs, const struct ml_procfs *parent, const char *rel,
		      char **cause);
void ml_procfs_close(struct ml_procfs *fs);

/* "root/rel" for messages; the caller frees it. */
char *ml_procfs_path(const struct ml_procfs *fs, const char *rel);

/*
 * Read a small text file (one value, like sys/kernel/osrelease) into buf,
 * without its trailing newline. Returns its length or -1 with a cause. The
 * read asks for no more than cap bytes: /proc/sys allocates what a read asks
 * for (doc/procfs.md section 19).
 */
long ml_procfs_read_small(const struct ml_procfs *fs, const char *rel, char *buf, size_t cap,
			  char **cause);

/* Read a file holding one unsigned decimal number (sys/vm/min_free_kbytes). */
int ml_procfs_read_u64(const struct ml_procfs *fs, const char *rel, uint64_t *out, char **cause);

/*
 * Read a whole file, bytes verbatim (pread to the end), into a malloc'd
 * buffer (NUL-terminated for convenience; *len does not count it). 0, or -1
 * with errno and a cause.
 */
int ml_procfs_read_file(const struct ml_procfs *fs, const char *rel, char **buf, size_t *len,
			char **cause);

/*
 * The same into the caller's buffer *buf of *cap bytes, grown as needed and
 * kept for the next file (a walk over many small files allocates once).
 * Refuses a file of max bytes or more (EFBIG). 0, or -1 with errno and a
 * cause.
 */
int ml_procfs_read_buf(const struct ml_procfs *fs, const char *rel, char **buf, size_t *cap,
		       size_t *len, size_t max, char **cause);

/*
 * stat(2) of rel under the root (mode, size; a directory or not). For a file
 * a capture could not read, what its manifest recorded of it. 0, or -1 with
 * errno.
 */
int ml_procfs_stat(const struct ml_procfs *fs, const char *rel, struct stat *st);

/* A directory of a root being listed. */
struct ml_procfs_dir;

/* List directory rel ("." for the root itself); NULL with errno and a cause. */
struct ml_procfs_dir *ml_procfs_opendir(const struct ml_procfs *fs, const char *rel, char **cause);
/* The next entry's name (without "." and ".."), or NULL at the end (errno 0) or on error. */
const char *ml_procfs_readdir(struct ml_procfs_dir *d);
void ml_procfs_closedir(struct ml_procfs_dir *d);

/* What the entry ml_procfs_readdir last returned is (a link is not followed). */
enum ml_procfs_type {
	ML_PROCFS_FILE,
	ML_PROCFS_DIR,
	ML_PROCFS_LINK, /* a directory root's symbolic link (an archive keeps none) */
	ML_PROCFS_OTHER,
};
enum ml_procfs_type ml_procfs_dirent_type(const struct ml_procfs_dir *d);

struct ml_reader {
	const struct ml_procfs *fs;
	const struct ml_source *src;
	char rel[128];            /* path relative to the proc root */
	int fd;                   /* the open file of a directory root, or -1 */
	const unsigned char *mem; /* the open file of an archive root, or NULL */
	size_t mem_len;
	char *buf;
	size_t cap;
	uint64_t last_bytes;     /* bytes in the last refresh */
	unsigned int last_reads; /* read calls in the last refresh */
	struct ml_feed feed;
};

/*
 * Open src's file (rel, or src->path when rel is NULL). The reader must be
 * released with ml_reader_release even when this fails.
 */
int ml_reader_open(struct ml_reader *r, const struct ml_procfs *fs, const struct ml_source *src,
		   const char *rel, char **cause);

/* Close the current file and open another one with the same source and buffer. */
int ml_reader_reopen(struct ml_reader *r, const char *rel, char **cause);

/* Whether a file is open. */
static inline bool
ml_reader_is_open(const struct ml_reader *r)
{
	return r->fd >= 0 || r->mem != NULL;
}

/* pread(2) of the open file, whichever root it is under. */
ssize_t ml_reader_pread(const struct ml_reader *r, void *buf, size_t n, off_t off);

/* Close the open file (the buffer stays, for ml_reader_reopen). */
void ml_reader_close(struct ml_reader *r);

/* Read the file from offset 0 through the parser into out. */
int ml_reader_refresh(struct ml_reader *r, void *out, char **cause);

/* The parse statistics of the last refresh. */
static inline const struct ml_parse_stats *
ml_reader_stats(const struct ml_reader *r)
{
	return &r->feed.stats;
}

void ml_reader_release(struct ml_reader *r);

#endif /* ML_READER_H */
