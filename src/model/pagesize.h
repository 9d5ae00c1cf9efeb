/*
 * The page size of the machine a proc tree came from. /proc does not print
 * it, but meminfo and vmstat count the same memory in kB and in pages.
 */
#ifndef ML_PAGESIZE_H
#define ML_PAGESIZE_H

#include <stdint.h>

#include "proc/meminfo.h"
#include "proc/reader.h"
#include "proc/vmstat.h"

/*
 * The page size in bytes implied by meminfo/vmstat pairs (AnonPages and
 * nr_anon_pages, ...): a power of two from 4 KiB to 256 KiB that divides
 * exactly; 0 when no pair is large enough to tell.
 */
uint64_t ml_page_size_from_counters(const struct ml_meminfo *mi, const struct ml_vmstat *vs);

/* The page size of a proc root's machine, and where memlens learned it. */
enum ml_page_size_source {
	ML_PS_UNKNOWN,
	ML_PS_KERNEL,   /* sysconf(_SC_PAGESIZE): the proc root is a live procfs */
	ML_PS_COUNTERS, /* ml_page_size_from_counters over the root's meminfo and vmstat */
};

struct ml_page_size {
	uint64_t bytes; /* 0 when unknown */
	enum ml_page_size_source source;
	char *why; /* why it is unknown (owned; NULL otherwise) */
};

/*
 * Find the page size: the running kernel's when fs is a live procfs, else
 * derived from fs's meminfo and vmstat (read here, with readers of its own),
 * else unknown with the reason. Never fails; release ps with
 * ml_page_size_release.
 */
void ml_page_size_find(struct ml_page_size *ps, const struct ml_procfs *fs);
void ml_page_size_release(struct ml_page_size *ps);

/* "kernel", "meminfo/vmstat" or NULL, for JSON. */
const char *ml_page_size_source_name(const struct ml_page_size *ps);

#endif /* ML_PAGESIZE_H */
