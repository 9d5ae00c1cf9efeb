/*
 * Page size from counter pairs; see pagesize.h. The two files are not read
 * atomically, so a pair only counts when the kB value divides exactly into
 * the page count; several pairs are tried in turn.
 */
#include "config.h"

#include <stdbool.h>

#include "model/pagesize.h"

static const struct {
	enum ml_mi_key kb;
	const char *pages;
} pairs[] = {
	{ ML_MI_ANON_PAGES, "nr_anon_pages" },
	{ ML_MI_MAPPED, "nr_mapped" },
	{ ML_MI_SHMEM, "nr_shmem" },
	{ ML_MI_SRECLAIMABLE, "nr_slab_reclaimable" },
	{ ML_MI_PAGE_TABLES, "nr_page_table_pages" },
	{ ML_MI_DIRTY, "nr_dirty" },
};

uint64_t
ml_page_size_from_counters(const struct ml_meminfo *mi, const struct ml_vmstat *vs)
{
	uint64_t bytes, pages, size;
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(pairs); i++) {
		if (!ml_meminfo_has(mi, pairs[i].kb) || !ml_vmstat_find(vs, pairs[i].pages, &pages))
			continue;
		bytes = mi->val[pairs[i].kb];
		if (pages < 16 || bytes % pages != 0)
			continue;
		size = bytes / pages;
		if (size >= 4096 && size <= 262144 && (size & (size - 1)) == 0)
			return size;
	}
	return 0;
}
