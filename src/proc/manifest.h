/*
 * The manifest of a capture: memlens-capture.json at the top of a capture
 * directory or archive, written by `memlens capture` (doc/capture.md, and
 * exactly doc/schema/capture-manifest.schema.json).
 *
 * It says what was captured, where and when (memlens version, host, kernel
 * release, boot_id, page size, euid, wall-clock and monotonic start and end)
 * and, for every file memlens tried, its path in the capture, its size and
 * mode, and when it could not be read the errno: nothing is left out
 * silently, and a command reading the capture fails on such a file as it
 * failed at capture time (proc/reader.h).
 *
 * This is the reader: a small JSON parser of its own (cJSON is only for
 * output, in src/render/json.c), strict about the types of the fields it
 * uses, tolerant of fields it does not know (a newer minor writer), and
 * refusing a schema version it does not read. It is fuzzed
 * (tests/fuzz/fuzz-manifest.c). The writer is src/cmd/cmd-capture.c, through
 * the JSON renderer, from the same struct.
 */
#ifndef ML_MANIFEST_H
#define ML_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The schema this memlens writes and reads. */
#define ML_MANIFEST_SCHEMA 1
#define ML_MANIFEST_NAME "memlens-capture.json"

/* One file memlens tried to capture. */
struct ml_manifest_file {
	char *path; /* in the capture: "proc/meminfo", "sys/kernel/slab/dentry/reclaim_account" */
	uint64_t size;     /* bytes captured */
	unsigned int mode; /* permission bits of the original, 0 when unknown */
	int err;           /* errno when it could not be read (then it is not in the capture), 0 */
	char *error;       /* strerror at capture time, or NULL */
};

struct ml_manifest {
	int schema;
	char *memlens_version;
	char *host;
	char *kernel_release; /* NULL when unknown */
	char *boot_id;        /* NULL when unknown */
	uint64_t page_size;   /* 0 when unknown */
	bool euid_known;
	uint32_t euid;
	char *wall_start, *wall_end; /* "2026-11-22T03:00:00Z" */
	double unix_start, unix_end; /* seconds since the epoch, with fractions */
	double mono_start, mono_end; /* CLOCK_MONOTONIC seconds (of the captured machine's boot) */
	char *pids;                  /* "all", "none" or a list */
	char *smaps;                 /* "rollup" or "full" */
	struct ml_manifest_file *files; /* sorted by path once parsed */
	size_t nfiles;
};

void ml_manifest_init(struct ml_manifest *m);
void ml_manifest_release(struct ml_manifest *m);

/*
 * Parse a manifest's text. 0, or -1 with errno (EINVAL: not JSON or not a
 * manifest; EPROTO: a schema this memlens does not read) and a cause.
 */
int ml_manifest_parse(struct ml_manifest *m, const char *buf, size_t len, char **cause);

/* The entry of path, or NULL (the manifest must have been parsed: its files are sorted). */
const struct ml_manifest_file *ml_manifest_find(const struct ml_manifest *m, const char *path);

/* errno by its symbolic name ("EACCES"), 0 when unknown; and the name of an errno. */
int ml_errno_from_name(const char *name);
const char *ml_errno_name(int err);

#endif /* ML_MANIFEST_H */
