/*
 * /proc/meminfo: "Key:   value kB" per line; see doc/procfs.md section 2.
 * Values are kept in bytes; HugePages_* are page counts. Accepts every format
 * from 3.10 on: the parser keys on the text (split at the first ':'), so
 * "ShadowCallStack:%8lu" with no space and 20-digit values need nothing special.
 */
#include "config.h"

#include <string.h>

#include "proc/meminfo.h"
#include "proc/scan.h"

#define KB ML_KV_BYTES
#define COUNT ML_KV_COUNT

/*
 * The keys memlens knows, in the order the kernel prints them (doc/procfs.md
 * section 2): each key's enum, its text, its unit, and what the field counts
 * in at most 46 columns (memlens meminfo prints it beside the value). The
 * key table and the meanings are both made from this one list.
 */
#define MEMINFO_KEYS(X)                                                                            \
	X(ML_MI_MEM_TOTAL, "MemTotal", KB, "RAM the kernel manages (minus its reserves)")          \
	X(ML_MI_MEM_FREE, "MemFree", KB, "free pages: normally the buddy free lists")              \
	X(ML_MI_MEM_AVAILABLE, "MemAvailable", KB, "estimate: allocatable without swapping")       \
	X(ML_MI_BUFFERS, "Buffers", KB, "block device cache (metadata, raw reads)")                \
	X(ML_MI_CACHED, "Cached", KB, "file pages in memory, Shmem included")                      \
	X(ML_MI_SWAP_CACHED, "SwapCached", KB, "swapped pages also in RAM (swap cache)")           \
	X(ML_MI_ACTIVE, "Active", KB, "LRU pages used recently (anon + file)")                     \
	X(ML_MI_INACTIVE, "Inactive", KB, "LRU pages not used lately (reclaim first)")             \
	X(ML_MI_ACTIVE_ANON, "Active(anon)", KB, "anonymous pages used recently (+ shmem)")        \
	X(ML_MI_INACTIVE_ANON, "Inactive(anon)", KB, "anonymous pages swap takes first (+ shmem)") \
	X(ML_MI_ACTIVE_FILE, "Active(file)", KB, "file pages used recently")                       \
	X(ML_MI_INACTIVE_FILE, "Inactive(file)", KB, "file pages reclaim takes first")             \
	X(ML_MI_UNEVICTABLE, "Unevictable", KB, "pages reclaim may not touch (mlock, ramfs)")      \
	X(ML_MI_MLOCKED, "Mlocked", KB, "pages locked with mlock(), part of Unevictable")          \
	X(ML_MI_HIGH_TOTAL, "HighTotal", KB, "highmem (32-bit): not mapped by the kernel")         \
	X(ML_MI_HIGH_FREE, "HighFree", KB, "free highmem")                                         \
	X(ML_MI_LOW_TOTAL, "LowTotal", KB, "lowmem (32-bit): mapped by the kernel")                \
	X(ML_MI_LOW_FREE, "LowFree", KB, "free lowmem")                                            \
	X(ML_MI_MMAP_COPY, "MmapCopy", KB, "nommu: memory copied for private mappings")            \
	X(ML_MI_SWAP_TOTAL, "SwapTotal", KB, "swap space configured")                              \
	X(ML_MI_SWAP_FREE, "SwapFree", KB, "swap space unused")                                    \
	X(ML_MI_ZSWAP, "Zswap", KB, "RAM used by the zswap compressed pool")                       \
	X(ML_MI_ZSWAPPED, "Zswapped", KB, "data held in zswap, uncompressed size")                 \
	X(ML_MI_DIRTY, "Dirty", KB, "pages waiting to be written back")                            \
	X(ML_MI_WRITEBACK, "Writeback", KB, "pages being written back now")                        \
	X(ML_MI_ANON_PAGES, "AnonPages", KB, "process memory with no file behind it")              \
	X(ML_MI_MAPPED, "Mapped", KB, "file pages mapped into processes")                          \
	X(ML_MI_SHMEM, "Shmem", KB, "tmpfs, shared anonymous, SysV shm (in Cached)")               \
	X(ML_MI_KRECLAIMABLE, "KReclaimable", KB, "SReclaimable + other reclaimable kernel")       \
	X(ML_MI_SLAB, "Slab", KB, "slab allocator: SReclaimable + SUnreclaim")                     \
	X(ML_MI_SRECLAIMABLE, "SReclaimable", KB, "slab that can be freed (dentries, inodes)")     \
	X(ML_MI_SUNRECLAIM, "SUnreclaim", KB, "slab in use (kmalloc, kernel objects)")             \
	X(ML_MI_KERNEL_STACK, "KernelStack", KB, "kernel stacks of all threads")                   \
	X(ML_MI_SHADOW_CALL_STACK, "ShadowCallStack", KB, "arm64 shadow call stacks")              \
	X(ML_MI_PAGE_TABLES, "PageTables", KB, "page tables of processes")                         \
	X(ML_MI_SEC_PAGE_TABLES, "SecPageTables", KB, "secondary page tables (KVM, IOMMU)")        \
	X(ML_MI_QUICKLISTS, "Quicklists", KB, "page table caches (before 5.5)")                    \
	X(ML_MI_NFS_UNSTABLE, "NFS_Unstable", KB, "NFS pages not committed (0 since 5.8)")         \
	X(ML_MI_BOUNCE, "Bounce", KB, "bounce buffers for devices' DMA limits")                    \
	X(ML_MI_WRITEBACK_TMP, "WritebackTmp", KB, "FUSE temporary writeback buffers")             \
	X(ML_MI_COMMIT_LIMIT, "CommitLimit", KB, "commit allowed under overcommit_memory=2")       \
	X(ML_MI_COMMITTED_AS, "Committed_AS", KB, "address space promised to processes")           \
	X(ML_MI_VMALLOC_TOTAL, "VmallocTotal", KB, "size of the vmalloc address space")            \
	X(ML_MI_VMALLOC_USED, "VmallocUsed", KB, "vmalloc'd pages (0 on kernels 4.4-5.2)")         \
	X(ML_MI_VMALLOC_CHUNK, "VmallocChunk", KB, "largest free vmalloc area (0 since 4.4)")      \
	X(ML_MI_PERCPU, "Percpu", KB, "per-CPU allocator chunks")                                  \
	X(ML_MI_EARLY_MEMTEST_BAD, "EarlyMemtestBad", KB, "RAM found bad by memtest= at boot")     \
	X(ML_MI_HARDWARE_CORRUPTED, "HardwareCorrupted", KB, "pages poisoned by memory errors")    \
	X(ML_MI_ANON_HUGE_PAGES, "AnonHugePages", KB, "anonymous THP (part of AnonPages)")         \
	X(ML_MI_SHMEM_HUGE_PAGES, "ShmemHugePages", KB, "shmem/tmpfs THP (part of Shmem)")         \
	X(ML_MI_SHMEM_PMD_MAPPED, "ShmemPmdMapped", KB, "shmem THP mapped with huge page tables")  \
	X(ML_MI_FILE_HUGE_PAGES, "FileHugePages", KB, "file THP in the page cache")                \
	X(ML_MI_FILE_PMD_MAPPED, "FilePmdMapped", KB, "file THP mapped with huge page tables")     \
	X(ML_MI_CMA_TOTAL, "CmaTotal", KB, "contiguous memory allocator reserve")                  \
	X(ML_MI_CMA_FREE, "CmaFree", KB, "free part of the CMA reserve (in MemFree)")              \
	X(ML_MI_UNACCEPTED, "Unaccepted", KB, "guest memory not yet accepted (in MemFree)")        \
	X(ML_MI_BALLOON, "Balloon", KB, "pages held by a hypervisor balloon driver")               \
	X(ML_MI_HUGEPAGES_TOTAL, "HugePages_Total", COUNT,                                         \
	  "hugetlb pool size, default size (pages)")                                               \
	X(ML_MI_HUGEPAGES_FREE, "HugePages_Free", COUNT,                                           \
	  "hugetlb pages not yet faulted in (pages)")                                              \
	X(ML_MI_HUGEPAGES_RSVD, "HugePages_Rsvd", COUNT,                                           \
	  "hugetlb pages promised, not faulted (pages)")                                           \
	X(ML_MI_HUGEPAGES_SURP, "HugePages_Surp", COUNT,                                           \
	  "hugetlb pages above nr_hugepages (pages)")                                              \
	X(ML_MI_HUGEPAGESIZE, "Hugepagesize", KB, "default huge page size")                        \
	X(ML_MI_HUGETLB, "Hugetlb", KB, "memory in hugetlb pools, every size")                     \
	X(ML_MI_DIRECT_MAP_4K, "DirectMap4k", KB, "kernel direct map in 4 KiB pages")              \
	X(ML_MI_DIRECT_MAP_2M, "DirectMap2M", KB, "kernel direct map in 2 MiB pages")              \
	X(ML_MI_DIRECT_MAP_4M, "DirectMap4M", KB, "kernel direct map in 4 MiB pages")              \
	X(ML_MI_DIRECT_MAP_1G, "DirectMap1G", KB, "kernel direct map in 1 GiB pages")

#define AS_KEY(e, text, unit, what) [e] = { text, unit },
#define AS_WHAT(e, text, unit, what) [e] = what,
const struct ml_kv_key ml_meminfo_keys[ML_MI__COUNT] = { MEMINFO_KEYS(AS_KEY) };
const char *const ml_meminfo_what[ML_MI__COUNT] = { MEMINFO_KEYS(AS_WHAT) };
#undef AS_KEY
#undef AS_WHAT

void
ml_meminfo_init(struct ml_meminfo *mi)
{
	memset(mi, 0, sizeof *mi);
	ml_kvlist_init(&mi->all);
}

void
ml_meminfo_release(struct ml_meminfo *mi)
{
	ml_kvlist_release(&mi->all);
}

static int
meminfo_begin(void *out)
{
	struct ml_meminfo *mi = out;

	memset(mi->present, 0, sizeof mi->present);
	ml_kvlist_begin(&mi->all);
	return 0;
}

static int
meminfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_meminfo *mi = out;

	return ml_kv_line(&mi->all, ml_meminfo_keys, ML_MI__COUNT, mi->val, mi->present, ':', false,
			  s, n, why);
}

static int
meminfo_finish(void *out, char **cause)
{
	struct ml_meminfo *mi = out;

	(void)cause;
	ml_kvlist_finish(&mi->all);
	return 0;
}

static size_t
meminfo_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	struct ml_meminfo *mi = out;

	return ml_kv_bulk(&mi->all, mi->val, mi->present, ':', buf, len, lines);
}

const struct ml_source ml_src_meminfo = {
	.name = "meminfo",
	.path = "meminfo",
	.begin = meminfo_begin,
	.line = meminfo_line,
	.finish = meminfo_finish,
	.bulk = meminfo_bulk,
	.complete = ml_kv_line_complete,
};
