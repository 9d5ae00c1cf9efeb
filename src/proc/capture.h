/*
 * Capturing a proc tree: every file memlens reads, bytes verbatim, into a
 * directory or an archive, with the manifest of what was read and what
 * could not be (proc/manifest.h). `memlens capture` (src/cmd/cmd-capture.c)
 * wires it; the layout is the one --proc-root and --sys-root read ("proc/",
 * "sys/"), so a capture is a fixture and a fixture is a capture.
 *
 * The files: one table, ml_capture_items[] in capture.c. A view that reads
 * a new file adds one line there (and, when it is a model of the snapshot,
 * one line in model/snapshot.c's source table): a file of the proc or sys
 * root, a file in each process's directory, a file in each entry of a
 * directory (kernel/slab/<cache>/reclaim_account), every file of a sysfs
 * tree (devices/system/node, kernel/mm/hugepages: attributes a view reads by
 * name, a few at a time, are simplest taken whole), or the memory cgroups'
 * files (proc/cgroup.h's table, in each cgroup of the hierarchy).
 *
 * Writing: to a temporary name beside the final one (NAME.tmp-XXXXXX), renamed
 * only once everything, the manifest last, is written: an interrupted or
 * failed capture never leaves anything under the final name, and the
 * temporary is removed. Nothing here prints.
 */
#ifndef ML_CAPTURE_H
#define ML_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "proc/archive.h"
#include "proc/manifest.h"
#include "proc/reader.h"

/* Which root a table entry is under. */
enum ml_capture_root {
	ML_CAP_PROC, /* the proc root: "proc/" in the capture */
	ML_CAP_SYS,  /* the sys root: "sys/" */
};

enum ml_capture_kind {
	ML_CAP_FILE,    /* path itself */
	ML_CAP_PER_PID, /* path in each captured process's directory */
	ML_CAP_PER_DIR, /* path in each entry of directory dir that want() accepts */
	ML_CAP_TREE,    /* every file below dir, depth levels deep (its entries: want()) */
	/*
	 * The memory controller's cgroup hierarchy that proc/cgroup.h finds
	 * from the proc root's self/mountinfo: in each cgroup directory, the
	 * files of ml_cgroup_files[] of its version (those the kernel has).
	 */
	ML_CAP_CGROUPS,
};

/* Only with --smaps full. */
#define ML_CAP_SMAPS_FULL 1u

struct ml_capture_item {
	enum ml_capture_root root;
	enum ml_capture_kind kind;
	const char *dir; /* ML_CAP_PER_DIR */
	bool (*want)(const char *name);
	const char *path; /* NULL for ML_CAP_TREE and ML_CAP_CGROUPS */
	unsigned int flags;
	const char *reader; /* who reads it, for doc/capture.md */
	/*
	 * ML_CAP_TREE: how deep files are taken (1: dir's own files). A link is
	 * followed only among dir's own entries (block/zram0 is one).
	 */
	int depth;
};

extern const struct ml_capture_item ml_capture_items[];
extern const size_t ml_capture_nitems;

enum ml_capture_pids {
	ML_CAP_PIDS_ALL,
	ML_CAP_PIDS_NONE,
	ML_CAP_PIDS_LIST,
};

struct ml_capture_options {
	enum ml_capture_pids pids;
	const int *pidv; /* ML_CAP_PIDS_LIST */
	size_t npid;
	bool smaps_full;
	volatile sig_atomic_t *stop; /* set (by a signal handler): stop, leave nothing */
};

/* Where a capture is written: a directory, or an archive (by the final name's suffix). */
struct ml_capture_out {
	enum ml_archive_kind kind;
	char *final;   /* the name it gets at the end */
	char *tmp;     /* the name while it is written */
	bool tmp_made; /* it exists: an abort removes it */
	int dirfd;     /* the temporary directory, for a directory */
	int fd;        /* the temporary file, for an archive */
	struct ml_archive_writer *w;
	time_t mtime;
	uint64_t files, bytes; /* written so far */
	char **made;           /* directories made in the temporary directory */
	size_t nmade, made_cap;
};

/*
 * Create the temporary beside path. -1 with errno and a cause (EEXIST: path
 * exists; a capture never overwrites).
 */
int ml_capture_out_open(struct ml_capture_out *o, const char *path, time_t mtime, char **cause);
/* Add a file (its path in the capture: "proc/meminfo"); 0, or -1 with errno and a cause. */
int ml_capture_out_add(struct ml_capture_out *o, const char *path, const void *data, size_t len,
		       char **cause);
/* Add a directory (the roots: an empty sys root is still one). */
int ml_capture_out_dir(struct ml_capture_out *o, const char *path, char **cause);
/* Finish and rename to the final name; on failure the temporary is removed. */
int ml_capture_out_commit(struct ml_capture_out *o, char **cause);
/* Remove the temporary; the final name was never touched. Frees o's memory. */
void ml_capture_out_abort(struct ml_capture_out *o);

/*
 * True when sys is this machine's sysfs and proc a copied tree: the sys
 * root's files are then not the proc root's machine's, and are not captured.
 */
bool ml_capture_sys_foreign(const struct ml_procfs *proc, const struct ml_procfs *sys);

/*
 * Capture every file of the table from proc and sys into o, and describe
 * each one in mf->files (the other fields of mf are the caller's). -1 with a
 * cause when writing failed (errno ENOSPC...) or *opt->stop was set (errno
 * EINTR); files that could not be read are no failure: mf records them.
 */
int ml_capture_files(const struct ml_procfs *proc, const struct ml_procfs *sys,
		     const struct ml_capture_options *opt, struct ml_capture_out *o,
		     struct ml_manifest *mf, char **cause);

#endif /* ML_CAPTURE_H */
