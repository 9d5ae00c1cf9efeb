/*
 * Processes ranked and grouped by memory: pure functions over the rows of a
 * process table (proc/proctab.h). No I/O.
 *
 * The figures of a process come from its smaps_rollup:
 *   PSS  = Pss (its share of every page it maps: a page mapped by n processes
 *          counts 1/n in each; the sum over processes is the memory they use)
 *   USS  = Private_Clean + Private_Dirty (freed if the process exits)
 *   RSS  = Rss (resident pages, shared ones counted in full)
 *   Swap, SwapPss, Pss_Anon, Pss_File, Pss_Shmem as printed.
 * A value is unknown (n/a) when the process could not be read or the kernel
 * does not print the field (SwapPss before 4.3, Pss_* before 5.3); unknown
 * values sort after every known one, whatever the direction. For a process
 * whose smaps_rollup could not be read (another user's, without root), RSS
 * and swap are VmRSS and VmSwap of its status when they were read
 * (proctab.h: ml_proctab_read_status_mem); sums add them too.
 *
 * Page faults (minflt, majflt: stat's counts since the process started, read
 * by libproc2 on the live /proc) are not memory: they have their own
 * accessors, counts and rates between two listings, and sort keys.
 */
#ifndef ML_MODEL_PROCS_H
#define ML_MODEL_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/growth.h"
#include "proc/proctab.h"

enum ml_pm {
	ML_PM_PSS,
	ML_PM_USS,
	ML_PM_RSS,
	ML_PM_SWAP,
	ML_PM_SWAP_PSS,
	ML_PM_ANON,  /* Pss_Anon */
	ML_PM_FILE,  /* Pss_File */
	ML_PM_SHMEM, /* Pss_Shmem */
	ML_PM__COUNT
};

/* The --sort keys of memlens procs, in this order. */
enum ml_proc_sort {
	ML_PS_PSS,
	ML_PS_USS,
	ML_PS_RSS,
	ML_PS_SWAP,
	ML_PS_SWAP_PSS,
	ML_PS_ANON,
	ML_PS_FILE,
	ML_PS_SHMEM,
	ML_PS_PID,
	ML_PS_COMMAND,
	ML_PS_MINFLT, /* minor faults: since start, or per second (ml_procs_sort_ex) */
	ML_PS_MAJFLT, /* major faults (read from disk) */
	ML_PS_GROWTH, /* the change through the refreshes (struct ml_proc_growth) */
	ML_PS__COUNT
};

/* "pss", "uss", ..., "command" (NULL-terminated, for the command table). */
extern const char *const ml_proc_sort_keys[ML_PS__COUNT + 1];
/* The sort key named s; -1 when none. */
int ml_proc_sort_parse(const char *s);

/* JSON key and column title of each measure: "swap_pss", "SWAPPSS". */
const char *ml_pm_key(enum ml_pm m);
const char *ml_pm_title(enum ml_pm m);

/* Measure m of p; false (and *v = 0) when unknown. */
bool ml_proc_value(const struct ml_proc *p, enum ml_pm m, uint64_t *v);

/*
 * Sort rows by key (memory keys largest first, pid ascending, command A-Z;
 * reverse flips that). Ties go by PID. Unknown values go last. Fault keys
 * sort by the counts since start.
 */
void ml_procs_sort(struct ml_proc **rows, size_t n, enum ml_proc_sort key, bool reverse);

/* The same; with fault_rates, the fault keys sort by faults per second. */
void ml_procs_sort_ex(struct ml_proc **rows, size_t n, enum ml_proc_sort key, bool reverse,
		      bool fault_rates);

enum ml_fault {
	ML_FAULT_MINOR, /* resolved without I/O (minflt) */
	ML_FAULT_MAJOR, /* had to read a page from disk or swap (majflt) */
};

/* p's faults since it started; false when not read (another proc root than /proc). */
bool ml_proc_faults(const struct ml_proc *p, enum ml_fault f, uint64_t *count);

/* p's faults per second between its last two listings; false when there is no rate. */
bool ml_proc_fault_rate(const struct ml_proc *p, enum ml_fault f, double *per_sec);

/* Why faults are unknown for p ("read through libproc2 from the live /proc only"). */
const char *ml_proc_faults_why(const struct ml_proc *p);

/* Sums over a set of processes; unreadable ones are counted, not summed. */
struct ml_proc_sum {
	uint64_t procs; /* processes in the set */
	uint64_t read;  /* of which readable (ML_MEM_OK) */
	uint64_t by_state[ML_MEM__COUNT];
	uint64_t v[ML_PM__COUNT];
	uint64_t known[ML_PM__COUNT]; /* how many readable processes had each measure */
	uint32_t wrapped;             /* bit m: the sum did not fit in 64 bits: unknown */
};

void ml_proc_sum_add(struct ml_proc_sum *s, const struct ml_proc *p);
/*
 * True when measure m is known for the sum (at least one process had it, and
 * the sum fits in 64 bits).
 */
bool ml_proc_sum_has(const struct ml_proc_sum *s, enum ml_pm m);

enum ml_proc_group_by {
	ML_PG_NONE,
	ML_PG_USER,    /* like smem -u */
	ML_PG_COMMAND, /* like ps_mem: by command name */
	ML_PG_CGROUP,  /* by the cgroup of the memory controller (ml_procs_group_names) */
};

struct ml_proc_group {
	char name[512]; /* user name, command name or cgroup path */
	uint32_t uid;   /* with ML_PG_USER */
	struct ml_proc_sum sum;
};

/*
 * Group rows by user or command into *out (malloc'd, caller frees); returns
 * the number of groups, or -1 (ENOMEM). Groups come out sorted by key like
 * processes (pid sorts by uid or name, command by name).
 */
long ml_procs_group(struct ml_proc *const *rows, size_t n, enum ml_proc_group_by by,
		    enum ml_proc_sort key, bool reverse, struct ml_proc_group **out);

/*
 * The same with a name of the caller's for each process (name_of(arg, p),
 * a string valid during the call; NULL puts the process in a group "?"):
 * for groupings the process table does not know, such as the cgroup.
 */
long ml_procs_group_names(struct ml_proc *const *rows, size_t n,
			  const char *(*name_of)(void *arg, const struct ml_proc *p), void *arg,
			  enum ml_proc_sort key, bool reverse, struct ml_proc_group **out);

/*
 * The k largest readable processes by PSS, for the summary's "top processes"
 * line: fills out[0..k) and returns how many (fewer when fewer are readable).
 * rows is not reordered.
 */
size_t ml_procs_top_pss(struct ml_proc *const *rows, size_t n, struct ml_proc **out, size_t k);

/*
 * Each process's change through repeated reads (procs -i, the dashboard):
 * the slope of one measure (PSS by default) fitted by memlens growth's model
 * (model/growth.h) through every read so far, in bytes per second. A process
 * is matched by PID and command name (the table has no start times; a PID
 * handed out again, or an exec, comes back under another name).
 */
struct ml_proc_growth {
	struct ml_growth g;
	enum ml_pm measure;
};

void ml_proc_growth_init(struct ml_proc_growth *pg, enum ml_pm measure);
void ml_proc_growth_release(struct ml_proc_growth *pg);
/*
 * One sample of rows[0..n): a row read since the last sample (its mem_ns,
 * CLOCK_MONOTONIC, is later) is measured at the time it was read, the others
 * are kept alive unmeasured; processes not among the rows are gone. t_ns is
 * the sample's time (now).
 */
void ml_proc_growth_sample(struct ml_proc_growth *pg, struct ml_proc *const *rows, size_t n,
			   int64_t t_ns);
/* p's slope in bytes per second; false before its second measured read. */
bool ml_proc_growth_of(const struct ml_proc_growth *pg, const struct ml_proc *p, double *slope);
/*
 * Sort rows by their change (ML_PS_GROWTH): the fastest growing first,
 * unknown last, ties by PID. ml_procs_sort with ML_PS_GROWTH and no
 * struct ml_proc_growth sorts by PID.
 */
void ml_procs_sort_growth(struct ml_proc **rows, size_t n, const struct ml_proc_growth *pg,
			  bool reverse);

#endif /* ML_MODEL_PROCS_H */
