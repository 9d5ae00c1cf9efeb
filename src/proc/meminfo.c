/*
 * /proc/meminfo: "Key:   value kB" per line; see PROCFS.md section 2.
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

const struct ml_kv_key ml_meminfo_keys[ML_MI__COUNT] = {
	[ML_MI_MEM_TOTAL] = { "MemTotal", KB },
	[ML_MI_MEM_FREE] = { "MemFree", KB },
	[ML_MI_MEM_AVAILABLE] = { "MemAvailable", KB },
	[ML_MI_BUFFERS] = { "Buffers", KB },
	[ML_MI_CACHED] = { "Cached", KB },
	[ML_MI_SWAP_CACHED] = { "SwapCached", KB },
	[ML_MI_ACTIVE] = { "Active", KB },
	[ML_MI_INACTIVE] = { "Inactive", KB },
	[ML_MI_ACTIVE_ANON] = { "Active(anon)", KB },
	[ML_MI_INACTIVE_ANON] = { "Inactive(anon)", KB },
	[ML_MI_ACTIVE_FILE] = { "Active(file)", KB },
	[ML_MI_INACTIVE_FILE] = { "Inactive(file)", KB },
	[ML_MI_UNEVICTABLE] = { "Unevictable", KB },
	[ML_MI_MLOCKED] = { "Mlocked", KB },
	[ML_MI_HIGH_TOTAL] = { "HighTotal", KB },
	[ML_MI_HIGH_FREE] = { "HighFree", KB },
	[ML_MI_LOW_TOTAL] = { "LowTotal", KB },
	[ML_MI_LOW_FREE] = { "LowFree", KB },
	[ML_MI_MMAP_COPY] = { "MmapCopy", KB },
	[ML_MI_SWAP_TOTAL] = { "SwapTotal", KB },
	[ML_MI_SWAP_FREE] = { "SwapFree", KB },
	[ML_MI_ZSWAP] = { "Zswap", KB },
	[ML_MI_ZSWAPPED] = { "Zswapped", KB },
	[ML_MI_DIRTY] = { "Dirty", KB },
	[ML_MI_WRITEBACK] = { "Writeback", KB },
	[ML_MI_ANON_PAGES] = { "AnonPages", KB },
	[ML_MI_MAPPED] = { "Mapped", KB },
	[ML_MI_SHMEM] = { "Shmem", KB },
	[ML_MI_KRECLAIMABLE] = { "KReclaimable", KB },
	[ML_MI_SLAB] = { "Slab", KB },
	[ML_MI_SRECLAIMABLE] = { "SReclaimable", KB },
	[ML_MI_SUNRECLAIM] = { "SUnreclaim", KB },
	[ML_MI_KERNEL_STACK] = { "KernelStack", KB },
	[ML_MI_SHADOW_CALL_STACK] = { "ShadowCallStack", KB },
	[ML_MI_PAGE_TABLES] = { "PageTables", KB },
	[ML_MI_SEC_PAGE_TABLES] = { "SecPageTables", KB },
	[ML_MI_QUICKLISTS] = { "Quicklists", KB },
	[ML_MI_NFS_UNSTABLE] = { "NFS_Unstable", KB },
	[ML_MI_BOUNCE] = { "Bounce", KB },
	[ML_MI_WRITEBACK_TMP] = { "WritebackTmp", KB },
	[ML_MI_COMMIT_LIMIT] = { "CommitLimit", KB },
	[ML_MI_COMMITTED_AS] = { "Committed_AS", KB },
	[ML_MI_VMALLOC_TOTAL] = { "VmallocTotal", KB },
	[ML_MI_VMALLOC_USED] = { "VmallocUsed", KB },
	[ML_MI_VMALLOC_CHUNK] = { "VmallocChunk", KB },
	[ML_MI_PERCPU] = { "Percpu", KB },
	[ML_MI_EARLY_MEMTEST_BAD] = { "EarlyMemtestBad", KB },
	[ML_MI_HARDWARE_CORRUPTED] = { "HardwareCorrupted", KB },
	[ML_MI_ANON_HUGE_PAGES] = { "AnonHugePages", KB },
	[ML_MI_SHMEM_HUGE_PAGES] = { "ShmemHugePages", KB },
	[ML_MI_SHMEM_PMD_MAPPED] = { "ShmemPmdMapped", KB },
	[ML_MI_FILE_HUGE_PAGES] = { "FileHugePages", KB },
	[ML_MI_FILE_PMD_MAPPED] = { "FilePmdMapped", KB },
	[ML_MI_CMA_TOTAL] = { "CmaTotal", KB },
	[ML_MI_CMA_FREE] = { "CmaFree", KB },
	[ML_MI_UNACCEPTED] = { "Unaccepted", KB },
	[ML_MI_BALLOON] = { "Balloon", KB },
	[ML_MI_HUGEPAGES_TOTAL] = { "HugePages_Total", COUNT },
	[ML_MI_HUGEPAGES_FREE] = { "HugePages_Free", COUNT },
	[ML_MI_HUGEPAGES_RSVD] = { "HugePages_Rsvd", COUNT },
	[ML_MI_HUGEPAGES_SURP] = { "HugePages_Surp", COUNT },
	[ML_MI_HUGEPAGESIZE] = { "Hugepagesize", KB },
	[ML_MI_HUGETLB] = { "Hugetlb", KB },
	[ML_MI_DIRECT_MAP_4K] = { "DirectMap4k", KB },
	[ML_MI_DIRECT_MAP_2M] = { "DirectMap2M", KB },
	[ML_MI_DIRECT_MAP_4M] = { "DirectMap4M", KB },
	[ML_MI_DIRECT_MAP_1G] = { "DirectMap1G", KB },
};

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
