/*
 * Every process's resident size, read cheaply enough to do it every second:
 * what memlens growth samples. doc/procfs.md section 18.
 *
 * A scan lists the PID directories of the proc root and reads each
 * process's PID/status (VmRSS and Name, proc/pids.h's parser); its start
 * time comes from PID/stat (proc/pidstat.h), read once, when the process is
 * first seen. PID and start time together name a process: a PID the kernel
 * hands out again is another process.
 *
 * On the live /proc each process's status stays open between scans and is
 * re-read from offset 0, so a scan costs a directory listing and one pread
 * per process, less than opening every status again. An open PID/ file
 * belongs to the process, not to its number: once the process is gone the
 * read fails (ESRCH), even if the PID was reused meanwhile; that is when
 * stat is read again. When descriptors run short (fewer than a reserve
 * left below RLIMIT_NOFILE, as it was when the sampler was opened; the
 * caller may raise it first) the remaining processes are read the plain
 * way: open, read, close, and their stat every time. On a copied tree (a capture) every scan reads
 * both files of every process through the proc root's reader, since nothing ties one tree's files
 * to another's.
 *
 * Kernel threads (no user memory) and processes without a VmRSS line
 * (zombies) are counted, not listed. A process that exits during a scan is
 * skipped and counted.
 *
 * Ownership: rows belong to the sampler and stay valid until the next scan.
 */
#ifndef ML_PROCSAMPLE_H
#define ML_PROCSAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/pids.h"
#include "proc/pidstat.h"
#include "proc/reader.h"
#include "proc/smaps.h"

/* One process at the last scan. */
struct ml_psample {
	int pid;
	uint64_t start; /* clock ticks after boot, from PID/stat */
	uint64_t rss;   /* bytes: VmRSS of PID/status */
	char comm[64];
};

/* What the sampler remembers of a PID between scans (private to procsample.c). */
struct ml_psample_slot {
	int pid;
	int fd; /* PID/status kept open, or -1 */
	uint64_t start;
	bool kthread;
};

struct ml_psampler {
	const struct ml_procfs *fs;
	bool keep;               /* the live /proc: status stays open between scans */
	int fd_limit;            /* RLIMIT_NOFILE when opened */
	struct ml_psample *rows; /* the last scan, sorted by PID */
	size_t n, cap;
	struct ml_psample_slot *slots, *next; /* sorted by PID; next is the scan's new list */
	size_t nslots, nnext, slot_cap;
	int *pidv; /* PID directories of the scan */
	size_t npid, pid_cap;
	struct ml_feed feed;
	struct ml_reader status, stat, rollup; /* for copied trees, and PSS */
	bool readers_open;
	struct ml_pid_status st;
	struct ml_pid_stat ps;
	struct ml_smaps_rollup roll;
	char *buf;
	/* the last scan */
	uint64_t kthreads;     /* kernel threads, not listed */
	uint64_t no_rss;       /* no VmRSS: zombies, exiting processes */
	uint64_t vanished;     /* exited during the scan */
	uint64_t unkept;       /* read the plain way: no descriptor left to keep */
	uint64_t failed;       /* could not be read for another reason */
	char first_error[160]; /* the first such failure, "" when none */
};

/* Prepare a sampler on fs (which must outlive it); 0, or -1 with a cause. */
int ml_psampler_open(struct ml_psampler *s, const struct ml_procfs *fs, char **cause);
void ml_psampler_close(struct ml_psampler *s);

/* List and read every process; 0, or -1 with a cause when the proc root cannot be listed. */
int ml_psampler_scan(struct ml_psampler *s, char **cause);

/*
 * The PSS of one process of the last scan (PID/smaps_rollup, or PID/smaps
 * summed before 4.14 is not done here: false). false with errno when it
 * cannot be read (EACCES: another user's process; ESRCH/ENOENT: gone).
 */
bool ml_psampler_pss(struct ml_psampler *s, const struct ml_psample *row, uint64_t *pss);

#endif /* ML_PROCSAMPLE_H */
