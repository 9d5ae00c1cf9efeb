/*
 * Page size from counter pairs; see pagesize.h. The two files are not read
 * atomically, so a pair only counts when the kB value divides exactly into
 * the page count; several pairs are tried in turn.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/pagesize.h"
#include "proc/live.h"

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

void
ml_page_size_find(struct ml_page_size *ps, const struct ml_procfs *fs)
{
	struct ml_reader mr = { .fd = -1 }, vr = { .fd = -1 };
	struct ml_meminfo mi;
	struct ml_vmstat vs;
	char *cause = NULL;

	memset(ps, 0, sizeof *ps);
	ps->bytes = ml_procfs_live_page_size(fs);
	if (ps->bytes != 0) {
		ps->source = ML_PS_KERNEL;
		return;
	}
	ml_meminfo_init(&mi);
	ml_vmstat_init(&vs);
	if (ml_reader_open(&mr, fs, &ml_src_meminfo, NULL, &cause) == 0 &&
	    ml_reader_refresh(&mr, &mi, &cause) == 0 &&
	    ml_reader_open(&vr, fs, &ml_src_vmstat, NULL, &cause) == 0 &&
	    ml_reader_refresh(&vr, &vs, &cause) == 0) {
		ps->bytes = ml_page_size_from_counters(&mi, &vs);
		if (ps->bytes == 0)
			ps->why = strdup("meminfo and vmstat do not tell it");
	} else {
		ps->why = cause != NULL ? cause : strdup(strerror(errno));
		cause = NULL;
	}
	ps->source = ps->bytes != 0 ? ML_PS_COUNTERS : ML_PS_UNKNOWN;
	free(cause);
	ml_reader_release(&mr);
	ml_reader_release(&vr);
	ml_meminfo_release(&mi);
	ml_vmstat_release(&vs);
}

void
ml_page_size_release(struct ml_page_size *ps)
{
	free(ps->why);
	ps->why = NULL;
}

const char *
ml_page_size_source_name(const struct ml_page_size *ps)
{
	switch (ps->source) {
	case ML_PS_KERNEL:
		return "kernel";
	case ML_PS_COUNTERS:
		return "meminfo/vmstat";
	case ML_PS_UNKNOWN:
		break;
	}
	return NULL;
}
