/*
 * The process list and each process's identity: PID, PPID, command name,
 * command line, effective user, state, and whether it is a kernel thread.
 *
 * Two back ends, chosen by the proc root:
 *  - the live /proc (the proc root is the same directory as /proc): libproc2's
 *    pids interface, which reads stat, the owner of the PID directory (the
 *    effective uid) and cmdline for us (memlens has no PID/stat parser of
 *    its own: doc/procfs.md section 18), page fault counts included. User
 *    names come from libproc2
 *    (getpwuid). Kernel threads are those with PF_KTHREAD in the stat flags.
 *    libproc2 is loaded at the first listing (pids-proc2.c), not when
 *    memlens starts.
 *  - any other proc root (a fixture, a capture from another machine):
 *    libproc2 hard-codes /proc and cannot read it, so PID directories are
 *    listed here and identity is read from PID/status (Name, State, PPid, Uid,
 *    Kthread) and PID/cmdline with a small parser of our own. status is the
 *    documented, stable source (stat's fields are positional and its comm can
 *    hold spaces and parentheses). Users are shown as numeric uids: the
 *    tree's passwd is not ours to guess (when this back end reads the live
 *    /proc, ML_PIDS_DIR, names come from getpwuid). Kernel threads: "Kthread: 1" where
 *    status has that line (6.x); otherwise PID 2 (kthreadd) and its children
 *    (PPid 2) with an empty command line - the rule ps uses.
 *
 * Processes that vanish while being listed are skipped and counted.
 * Identities are handed to a callback and are valid only during the call.
 */
#ifndef ML_PIDS_H
#define ML_PIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/reader.h"

struct ml_pid_ident {
	int pid;
	int ppid;     /* -1 when unknown */
	uint32_t uid; /* effective uid */
	bool uid_known;
	char state;           /* 'R', 'S', 'D', 'Z', ... or '?' */
	bool kthread;         /* a kernel thread: no user memory */
	const char *comm;     /* the command name (status Name / stat comm); "" when unknown */
	const char *cmdline;  /* arguments joined by spaces; "" when empty or unknown */
	const char *user;     /* the user's name, or the uid in digits; "" when unknown */
	bool comm_known;      /* false: a copied tree without PID/status */
	bool cmdline_known;   /* false: not asked for (want_cmdline), or no PID/cmdline */
	bool cmdline_missing; /* a copied tree without PID/cmdline: do not ask again */
	/*
	 * Page faults since the process started (stat's minflt, majflt), read
	 * by libproc2 on the live /proc; the directory back end does not read
	 * stat (faults_known false).
	 */
	bool faults_known;
	uint64_t minflt, majflt;
	/* VmRSS and VmSwap of PID/status in bytes, when the listing read it (the directory back
	 * end). */
	uint64_t rss, swap;
	bool has_rss, has_swap;
};

/* What ml_pids_details reads. */
enum ml_pid_detail_what {
	ML_PID_CMDLINE = 1u << 0,    /* PID/cmdline */
	ML_PID_STATUS_MEM = 1u << 1, /* VmRSS and VmSwap of PID/status (world-readable) */
};

/* One process's details; valid only during the callback. */
struct ml_pid_detail {
	int pid;
	const char *cmdline;  /* with ML_PID_CMDLINE; NULL: unknown */
	bool cmdline_missing; /* cmdline NULL because a copied tree has no PID/cmdline */
	uint64_t rss, swap;   /* with ML_PID_STATUS_MEM, bytes */
	bool has_rss, has_swap;
};

/* Called with each process; return 0, or -1 with errno to stop. */
typedef int (*ml_pid_fn)(void *arg, const struct ml_pid_ident *id);
/* Called with a process's details; return 0, or -1 with errno. */
typedef int (*ml_detail_fn)(void *arg, const struct ml_pid_detail *d);

enum ml_pids_backend {
	ML_PIDS_AUTO, /* libproc2 for the live /proc, the directory reader otherwise */
	ML_PIDS_DIR,  /* always the directory reader: one process (maps), tests */
};

struct pids_info;

struct ml_pids {
	const struct ml_procfs *fs;
	bool live;                  /* libproc2 is in use (loaded at the first listing) */
	bool want_cmdline;          /* list command lines too (the default) */
	struct pids_info *proc2;    /* libproc2's handle */
	struct pids_info *proc2_cl; /* libproc2's handle for command lines alone */
	struct pids_info *proc2_sm; /* libproc2's handle for VmRSS and VmSwap */
	int last_total;             /* processes in the last listing */
	struct ml_reader status;    /* PID/status, reopened per process */
	bool status_ready;
	int *pidv; /* numeric entries of the proc root */
	size_t npid, pidcap;
	char *cmdline; /* the current process's command line */
	size_t cmdcap;
	bool names;     /* the directory back end on the live /proc: getpwuid */
	bool is_procfs; /* fs is a procfs mount, not a copied tree */
	bool name_uid_valid;
	uint32_t name_uid; /* the last uid looked up, and its name */
	char name[64];
	uint64_t vanished;      /* last scan: listed, then gone before its identity was read */
	uint64_t unlisted;      /* last scan: a PID directory whose status could not be read */
	char unlisted_why[160]; /* the first one's cause, for the report */
	/*
	 * A copied tree with a PID directory but no status (the process is
	 * listed, its name, user and state unknown) or no cmdline: how many in
	 * the last scan, and the first one.
	 */
	uint64_t no_status, no_cmdline;
	char no_status_rel[32], no_cmdline_rel[32];
	/* The first status of the last scan with bad lines (the process is listed). */
	uint64_t bad_status_files;
	char bad_status_rel[32];
	struct ml_parse_stats bad_status;
};

/*
 * True when fs is this process's /proc itself (the directory libproc2 reads);
 * proc/live.h's ml_procfs_is_live is any procfs mount.
 */
bool ml_procfs_is_this_proc(const struct ml_procfs *fs);

/*
 * Prepare to list the processes of fs; 0, or -1 with a cause. Command lines
 * are listed unless ml_pids_want_cmdline(p, false) is called before the
 * first listing.
 */
int ml_pids_open(struct ml_pids *p, const struct ml_procfs *fs, enum ml_pids_backend b,
		 char **cause);
/* Whether listings read command lines (ml_pids_cmdlines reads them later). */
void ml_pids_want_cmdline(struct ml_pids *p, bool want);
void ml_pids_close(struct ml_pids *p);

/* Hand every process (kernel threads included, flagged) to fn; 0 or -1 + cause. */
int ml_pids_scan(struct ml_pids *p, ml_pid_fn fn, void *arg, char **cause);

/*
 * Hand process pid to fn. -1 with errno ESRCH (and a cause) when there is no
 * such process, or another errno when it cannot be read.
 */
int ml_pids_get(struct ml_pids *p, int pid, ml_pid_fn fn, void *arg, char **cause);

/*
 * Hand what (enum ml_pid_detail_what, one of them) of pids[0..n) to fn, in
 * no particular order, possibly with other processes too; a PID that is gone
 * is left out. 0, or -1 with a cause.
 */
int ml_pids_details(struct ml_pids *p, const int *pids, size_t n, unsigned int what,
		    ml_detail_fn fn, void *arg, char **cause);

/*
 * The start time of process pid (PID/stat field 22, clock ticks after boot):
 * with the PID, what tells a process from a later one that reuses its PID.
 * 0, or -1 with errno.
 */
int ml_pid_start_time(const struct ml_procfs *fs, int pid, uint64_t *ticks);

/* Parse a decimal PID (1 .. 2^22 and beyond, up to INT_MAX); -1 when it is not one. */
int ml_pid_parse(const char *s);

/* The directory back end's parser of PID/status: the fields identity needs. */
struct ml_pid_status {
	char name[64];
	char state;
	int ppid; /* -1 when absent */
	uint32_t euid;
	bool has_name, has_uid;
	int kthread;              /* 1, 0, or -1 when there is no Kthread: line */
	uint64_t vm_rss, vm_swap; /* bytes */
	bool has_vm_rss, has_vm_swap;
	unsigned seen; /* parse state: the keys read so far (a second one is a bad line) */
};
extern const struct ml_source ml_src_pid_status;

#endif /* ML_PIDS_H */
