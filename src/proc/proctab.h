/*
 * The process table: every process's identity (pids.h) and its memory from
 * PID/smaps_rollup (smaps.h), in rows keyed by PID that survive refreshes.
 *
 * Two steps, so that a caller pays only for what it shows:
 *  - ml_proctab_refresh lists the processes (cheap): new PIDs get a row,
 *    rows of exited processes are dropped, surviving rows keep their last
 *    memory figures (marked stale by their generation);
 *  - ml_proctab_read_mem reads one row's smaps_rollup (about 30 us for a
 *    small process, 1 ms for 4,000 mappings: doc/procfs.md section 15);
 *    ml_proctab_read_mem_rows reads the rows a screen shows, within a time
 *    budget; ml_proctab_read_mem_all reads them all.
 *
 * A process whose memory cannot be read is never shown as 0: its row says
 * why (enum ml_mem_state). On kernels before 4.14 (no smaps_rollup) the
 * figures are summed from PID/smaps instead (13x slower, Pss rounded per
 * mapping, no Pss_Anon/File/Shmem).
 *
 * Ownership: rows belong to the table; row pointers stay valid until the next
 * ml_proctab_refresh.
 */
#ifndef ML_PROCTAB_H
#define ML_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"
#include "proc/pids.h"
#include "proc/reader.h"
#include "proc/smaps.h"

enum ml_mem_state {
	ML_MEM_UNREAD, /* not read (yet) */
	ML_MEM_OK,
	ML_MEM_DENIED, /* EACCES/EPERM: another user's process, and we are not root */
	ML_MEM_GONE,   /* exited between listing and reading */
	ML_MEM_NONE,   /* no user address space: kernel thread or zombie */
	ML_MEM_ERROR,  /* another error: mem_errno */
	ML_MEM__COUNT
};

/* A short reason for a state that has no figures: "permission denied". */
const char *ml_mem_state_reason(enum ml_mem_state s);
/* A stable word for JSON: "ok", "denied", "gone", "none", "error", "unread". */
const char *ml_mem_state_word(enum ml_mem_state s);

struct ml_proc {
	int pid, ppid;
	uint32_t uid;
	char state;
	bool kthread;
	char comm[64]; /* "unknown" when !comm_known */
	char user[64]; /* "unknown" when !uid_known */
	char *cmdline; /* owned; "" when empty or unknown */
	size_t cmdline_cap;
	bool comm_known;    /* false: no PID/status in a copied tree (name, state unknown) */
	bool uid_known;     /* false: the same */
	bool cmdline_known; /* false: not read yet (ml_proctab_read_cmdlines), or no PID/cmdline */
	bool cmdline_missing; /* no PID/cmdline in a copied tree (not read again) */
	/*
	 * VmRSS and VmSwap of PID/status (world-readable), for a process whose
	 * smaps_rollup could not be read (ml_proctab_read_status_mem).
	 */
	uint64_t status_rss, status_swap;
	bool has_status_rss, has_status_swap;

	enum ml_mem_state mem;
	int mem_errno;              /* with ML_MEM_ERROR */
	bool from_smaps;            /* summed from smaps: the kernel has no smaps_rollup */
	uint64_t mem_gen;           /* generation of the last read */
	uint64_t mem_ns;            /* CLOCK_MONOTONIC time of the last read */
	uint64_t val[ML_SM__COUNT]; /* smaps_rollup fields in bytes (counts as printed) */
	uint64_t present[ML_BITSET_WORDS(ML_SM__COUNT)];
	uint64_t seen_gen; /* generation of the last listing that saw it */

	/*
	 * Page faults since the process started (libproc2, the live /proc only),
	 * and those of the previous listing, for rates: prev_* are valid when
	 * faults_prev is true; the times are CLOCK_MONOTONIC nanoseconds.
	 */
	bool faults_known, faults_prev;
	uint64_t minflt, majflt, faults_ns;
	uint64_t prev_minflt, prev_majflt, prev_faults_ns;
};

static inline bool
ml_proc_has(const struct ml_proc *p, enum ml_sm_key k)
{
	return p->mem == ML_MEM_OK && ml_bit_test(p->present, k);
}

/* Parse errors met in the per-process files of one refresh, for the report. */
struct ml_proctab_errors {
	uint64_t files;     /* files with bad lines */
	char first_rel[64]; /* the first such file, relative to the proc root */
	struct ml_parse_stats first;
	char first_error[192];          /* the cause of the first ML_MEM_ERROR read, "" when none */
	int first_pid, first_error_pid; /* whose they are: the lowest PID comes first */
};

/* One reader of smaps_rollup (or smaps) and what it met; a table has two. */
struct ml_proctab_worker {
	struct ml_reader rr; /* reopened per process */
	bool rr_ready;
	struct ml_smaps_rollup roll;
	struct ml_smaps smaps; /* the fallback before 4.14 */
	struct ml_proctab_errors errors;
	uint64_t vanished;
};

struct ml_proctab {
	const struct ml_procfs *fs;
	struct ml_pids pids;
	struct ml_proc **rows; /* sorted by PID */
	size_t n, cap;
	uint64_t generation; /* bumped by each refresh */
	/* [0]: this thread's reads; [1]: the second thread's in ml_proctab_refresh_read_all */
	struct ml_proctab_worker w[2];
	struct ml_proctab_errors errors; /* the reads since the last refresh */
	uint64_t vanished;               /* last refresh and reads: exited while being read */
	struct ml_proc *scratch;         /* ml_proctab_refresh_read_all: memory read by PID */
	size_t nscratch, scratch_cap;
	size_t scratch_next; /* the next entry to read, taken by both threads (atomic) */
	bool scratch_listed; /* nscratch is final (atomic) */
};

/* Open the table on fs; 0, or -1 with a cause. Release it even on failure. */
int ml_proctab_init(struct ml_proctab *t, const struct ml_procfs *fs, enum ml_pids_backend b,
		    char **cause);
void ml_proctab_release(struct ml_proctab *t);

/* List the processes again (identities only); 0, or -1 with a cause. */
int ml_proctab_refresh(struct ml_proctab *t, char **cause);

/*
 * Whether refreshes read every process's command line (the default). A
 * caller that shows only some rows says false, then reads theirs with
 * ml_proctab_read_cmdlines: libproc2 (or the directory reader) then reads
 * one file less per process.
 */
void ml_proctab_want_cmdlines(struct ml_proctab *t, bool all);

/*
 * Read the command lines of rows[0..n) that have none yet (cmdline_known
 * false); a process that exited keeps an unknown one. 0, or -1 with a cause.
 */
int ml_proctab_read_cmdlines(struct ml_proctab *t, struct ml_proc *const *rows, size_t n,
			     char **cause);

/*
 * For the rows of rows[0..n) whose memory could not be read (another user's
 * process, without root), read VmRSS and VmSwap from PID/status, which anyone
 * may read: RSS and swap are then known, PSS and USS stay n/a. 0, or -1 with
 * a cause.
 */
int ml_proctab_read_status_mem(struct ml_proctab *t, struct ml_proc *const *rows, size_t n,
			       char **cause);

/*
 * ml_proctab_refresh and ml_proctab_read_mem_all at once, in two threads:
 * a second thread lists the PID directories and reads their smaps_rollup,
 * while this one lists the processes and reads their identities (libproc2,
 * loaded now if it is the first time: stat, the directory's owner and
 * cmdline of each process), then reads rollups too, from the same list, until
 * none is left; then the two halves are joined by PID. On two CPUs the whole
 * costs about half the sum of its parts. Without a thread it falls back to
 * doing both in turn. 0, or -1 + cause.
 */
int ml_proctab_refresh_read_all(struct ml_proctab *t, char **cause);

/* The row of pid, or NULL. */
struct ml_proc *ml_proctab_find(const struct ml_proctab *t, int pid);

/*
 * Read one process's identity (not the whole list) into the table and return
 * its row; NULL with errno ESRCH and a cause when there is no such process.
 */
struct ml_proc *ml_proctab_get(struct ml_proctab *t, int pid, char **cause);

/* Read p's smaps_rollup; the outcome is in p->mem. Kernel threads are not read. */
void ml_proctab_read_mem(struct ml_proctab *t, struct ml_proc *p);

/* Read every row's memory; returns the number of rows read. */
size_t ml_proctab_read_mem_all(struct ml_proctab *t);

/*
 * Read the memory of rows[0..n) in order, skipping rows already read in this
 * generation, until budget_ns nanoseconds have passed (0: no limit). Returns
 * how many rows of the list are now current (read in this generation).
 */
size_t ml_proctab_read_mem_rows(struct ml_proctab *t, struct ml_proc *const *rows, size_t n,
				uint64_t budget_ns);

#endif /* ML_PROCTAB_H */
