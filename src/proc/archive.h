/*
 * Archives of proc trees (a capture, or a fixture packed with tar), through
 * libarchive: nothing else includes archive.h.
 *
 * Reading loads every regular file of a tar archive (plain, gzip, zstd, xz,
 * bzip2: whatever libarchive's filters read) into one in-memory table sorted
 * by path, so that a proc root can be served from it (proc/reader.h): a file
 * is found by binary search, a directory's entries by the prefix of their
 * paths, and directories the archive does not list are implied by the
 * paths below them. Paths lose a leading "./" and trailing slashes.
 *
 * Writing packs files one by one into a tar archive (pax, with the
 * compression its name asks for), every file mode 0644 and one mtime, so
 * that two captures of the same bytes are the same archive.
 *
 * Ownership: the table owns every path and byte; pointers into it are valid
 * until ml_archive_free.
 */
#ifndef ML_ARCHIVE_H
#define ML_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* One entry: a file with its bytes, or a directory. */
struct ml_afile {
	char *path; /* "proc/meminfo", "proc/1234" */
	unsigned char *data;
	size_t size;
	mode_t mode; /* permission bits as archived */
	bool dir;
};

struct ml_archive {
	char *name;             /* as given, for messages */
	struct ml_afile *files; /* sorted by path */
	size_t n;
	uint64_t bytes; /* of all files */
};

/* Compression of an archive, chosen by the name's suffix. */
enum ml_archive_kind {
	ML_ARCHIVE_NONE, /* not an archive name: a directory */
	ML_ARCHIVE_TAR,
	ML_ARCHIVE_TAR_GZ,  /* .tar.gz, .tgz */
	ML_ARCHIVE_TAR_ZST, /* .tar.zst */
	ML_ARCHIVE_TAR_XZ,  /* .tar.xz */
};

/* The kind a path names by its suffix. */
enum ml_archive_kind ml_archive_kind(const char *path);

/*
 * Load the archive at path. NULL with errno and a cause naming the file
 * when it cannot be opened, is not an archive, or is corrupt or truncated.
 */
struct ml_archive *ml_archive_load(const char *path, char **cause);
void ml_archive_free(struct ml_archive *a);

/* The entry at path (no leading or trailing slash), or NULL. */
const struct ml_afile *ml_archive_find(const struct ml_archive *a, const char *path);

/*
 * The entries directly inside directory dir ("" for the top), one per call:
 * start with *pos = 0; NULL at the end. name is the entry's last component.
 */
const struct ml_afile *ml_archive_next_child(const struct ml_archive *a, const char *dir,
					     size_t *pos, const char **name);

/* True when dir is a directory of the archive (listed or implied); "" is. */
bool ml_archive_is_dir(const struct ml_archive *a, const char *dir);

/* A tar archive being written. */
struct ml_archive_writer;

/*
 * Start writing an archive of the given kind to fd (which stays the
 * caller's); mtime is every entry's time. NULL with a cause on failure.
 */
struct ml_archive_writer *ml_archive_write_open(int fd, enum ml_archive_kind kind, time_t mtime,
						char **cause);
/* Add a regular file; 0, or -1 with errno and a cause (ENOSPC: the disk is full). */
int ml_archive_write_file(struct ml_archive_writer *w, const char *path, const void *data,
			  size_t size, char **cause);
/* Add a directory (an empty one must be in the archive to exist in it). */
int ml_archive_write_dir(struct ml_archive_writer *w, const char *path, char **cause);
/*
 * Finish the archive (the compressor's last block, the end of archive) and
 * free w; 0, or -1 with errno and a cause. With abandon, only free.
 */
int ml_archive_write_close(struct ml_archive_writer *w, bool abandon, char **cause);

#endif /* ML_ARCHIVE_H */
