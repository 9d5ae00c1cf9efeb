/*
 * PID/stat, the few fields memlens needs of it: the start time that tells a
 * process from a later one with the same PID, the command name, state,
 * parent, flags and size. doc/procfs.md section 18.
 *
 * The live process list reads stat through libproc2 (proc/pids.h). This
 * parser is for what libproc2 cannot do: read a copied tree (a capture, a
 * fixture) and read one process's start time when growth first meets it.
 * stat is one line of space-separated fields; the second, the command name
 * in parentheses, may hold spaces and parentheses itself, so the fields
 * after it are counted from the last ')' of the line. The fields read here
 * are printed since 2.6; later kernels only append fields.
 */
#ifndef ML_PIDSTAT_H
#define ML_PIDSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/source.h"

struct ml_pid_stat {
	bool valid; /* the line was read, with at least 24 fields */
	int pid;
	char comm[64]; /* cut at 63 bytes */
	char state;
	int ppid;
	uint64_t flags;     /* PF_* (PF_KTHREAD 0x00200000) */
	uint64_t starttime; /* clock ticks (USER_HZ) after boot */
	uint64_t vsize;     /* bytes */
	uint64_t rss_pages; /* resident pages, as status's VmRSS */
	unsigned int lines; /* parse state: a second line is bad */
};

/* PF_KTHREAD in include/linux/sched.h: the flag that marks a kernel thread. */
#define ML_PF_KTHREAD 0x00200000u

extern const struct ml_source ml_src_pid_stat;

#endif /* ML_PIDSTAT_H */
