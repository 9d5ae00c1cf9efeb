/*
 * /proc/vmstat: "name value" per line; see doc/procfs.md section 8. Values are
 * kept as printed (pages, KiB or events). Same bytes from 3.10 to 6.18; the
 * names depend on version and configuration, so every line is kept by name.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "proc/scan.h"
#include "proc/vmstat.h"
#include "util.h"

#define C ML_KV_COUNT

const struct ml_kv_key ml_vmstat_keys[ML_VS__COUNT] = {
	[ML_VS_NR_FREE_PAGES] = { "nr_free_pages", C },
	[ML_VS_NR_ZONE_INACTIVE_FILE] = { "nr_zone_inactive_file", C },
	[ML_VS_NR_ZONE_ACTIVE_FILE] = { "nr_zone_active_file", C },
	[ML_VS_NR_INACTIVE_FILE] = { "nr_inactive_file", C },
	[ML_VS_NR_ACTIVE_FILE] = { "nr_active_file", C },
	[ML_VS_NR_SLAB_RECLAIMABLE] = { "nr_slab_reclaimable", C },
	[ML_VS_NR_SLAB_UNRECLAIMABLE] = { "nr_slab_unreclaimable", C },
	[ML_VS_NR_KERNEL_MISC_RECLAIMABLE] = { "nr_kernel_misc_reclaimable", C },
	[ML_VS_NR_KERNEL_STACK] = { "nr_kernel_stack", C },
	[ML_VS_NR_ZSPAGES] = { "nr_zspages", C },
	[ML_VS_NR_BALLOON_PAGES] = { "nr_balloon_pages", C },
	[ML_VS_NR_DIRTY_THRESHOLD] = { "nr_dirty_threshold", C },
	[ML_VS_NR_DIRTY_BACKGROUND_THRESHOLD] = { "nr_dirty_background_threshold", C },
	[ML_VS_PGPGIN] = { "pgpgin", C },
	[ML_VS_PGPGOUT] = { "pgpgout", C },
	[ML_VS_PSWPIN] = { "pswpin", C },
	[ML_VS_PSWPOUT] = { "pswpout", C },
	[ML_VS_PGFAULT] = { "pgfault", C },
	[ML_VS_PGMAJFAULT] = { "pgmajfault", C },
	[ML_VS_PGSCAN_KSWAPD] = { "pgscan_kswapd", C },
	[ML_VS_PGSCAN_DIRECT] = { "pgscan_direct", C },
	[ML_VS_PGSTEAL_KSWAPD] = { "pgsteal_kswapd", C },
	[ML_VS_PGSTEAL_DIRECT] = { "pgsteal_direct", C },
	[ML_VS_ALLOCSTALL_NORMAL] = { "allocstall_normal", C },
	[ML_VS_ALLOCSTALL_MOVABLE] = { "allocstall_movable", C },
	[ML_VS_ALLOCSTALL_DMA32] = { "allocstall_dma32", C },
	[ML_VS_COMPACT_STALL] = { "compact_stall", C },
	[ML_VS_OOM_KILL] = { "oom_kill", C },
	[ML_VS_WORKINGSET_REFAULT_FILE] = { "workingset_refault_file", C },
	[ML_VS_WORKINGSET_REFAULT_ANON] = { "workingset_refault_anon", C },
};

void
ml_vmstat_init(struct ml_vmstat *vs)
{
	memset(vs, 0, sizeof *vs);
	ml_kvlist_init(&vs->all);
}

void
ml_vmstat_release(struct ml_vmstat *vs)
{
	ml_kvlist_release(&vs->all);
}

bool
ml_vmstat_find(const struct ml_vmstat *vs, const char *name, uint64_t *value)
{
	size_t n = strlen(name);
	uint32_t i;

	for (i = 0; i < vs->all.n; i++) {
		if (vs->all.e[i].name_len == n &&
		    memcmp(ml_kvlist_name(&vs->all, i), name, n) == 0) {
			*value = vs->all.e[i].value;
			return true;
		}
	}
	return false;
}

static int
vmstat_begin(void *out)
{
	struct ml_vmstat *vs = out;

	memset(vs->present, 0, sizeof vs->present);
	ml_kvlist_begin(&vs->all);
	return 0;
}

static int
vmstat_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_vmstat *vs = out;

	return ml_kv_line(&vs->all, ml_vmstat_keys, ML_VS__COUNT, vs->val, vs->present, ' ', true,
			  s, n, why);
}

static int
vmstat_finish(void *out, char **cause)
{
	struct ml_vmstat *vs = out;

	ml_kvlist_finish(&vs->all);
	/* Every kernel prints a hundred counters or more: none is no vmstat. */
	if (vs->all.n == 0) {
		ml_set_cause(cause, "no counters");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

static size_t
vmstat_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	struct ml_vmstat *vs = out;

	return ml_kv_bulk(&vs->all, vs->val, vs->present, ' ', buf, len, lines);
}

const struct ml_source ml_src_vmstat = {
	.name = "vmstat",
	.path = "vmstat",
	.begin = vmstat_begin,
	.line = vmstat_line,
	.finish = vmstat_finish,
	.bulk = vmstat_bulk,
};
