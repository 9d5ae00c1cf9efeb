/*
 * Reading procfs files through a proc root.
 *
 * struct ml_procfs is an open directory (normally /proc; a fixture tree with
 * --proc-root) that every path is resolved against with openat(2), so nothing
 * below it hard-codes "/proc".
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

#include <stddef.h>
#include <stdint.h>

#include "proc/source.h"

/* Size of a reader's chunk buffer; procfs gives at most one seq buffer per read. */
#define ML_READER_BUFSIZE (64 * 1024)

struct ml_procfs {
	int dirfd;
	char *root; /* as given, for messages: "/proc" */
};

/* Open the proc root; 0, or -1 with errno and a cause. */
int ml_procfs_open(struct ml_procfs *fs, const char *root, char **cause);
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

struct ml_reader {
	const struct ml_procfs *fs;
	const struct ml_source *src;
	char rel[128]; /* path relative to the proc root */
	int fd;
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
