/*
 * The page size of the machine a proc tree came from. /proc does not print
 * it, but meminfo and vmstat count the same memory in kB and in pages.
 */
#ifndef ML_PAGESIZE_H
#define ML_PAGESIZE_H

#include <stdint.h>

#include "proc/meminfo.h"
#include "proc/vmstat.h"

/*
 * The page size in bytes implied by meminfo/vmstat pairs (AnonPages and
 * nr_anon_pages, ...): a power of two from 4 KiB to 256 KiB that divides
 * exactly; 0 when no pair is large enough to tell.
 */
uint64_t ml_page_size_from_counters(const struct ml_meminfo *mi, const struct ml_vmstat *vs);

#endif /* ML_PAGESIZE_H */
