/*
 * hugetlb page sizes and THP settings in sysfs; see hugepages.h and
 * doc/procfs.md section 22.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/hugepages.h"
#include "proc/nodeinfo.h"
#include "proc/scan.h"

const struct ml_attr_def ml_hugetlb_attrs[ML_HP__COUNT] = {
	[ML_HP_NR] = { "nr_hugepages", ML_ATTR_U64 },
	[ML_HP_FREE] = { "free_hugepages", ML_ATTR_U64 },
	[ML_HP_RESV] = { "resv_hugepages", ML_ATTR_U64 },
	[ML_HP_SURPLUS] = { "surplus_hugepages", ML_ATTR_U64 },
	[ML_HP_OVERCOMMIT] = { "nr_overcommit_hugepages", ML_ATTR_U64 },
};

const struct ml_attr_def ml_hugetlb_node_attrs[ML_HPN__COUNT] = {
	[ML_HPN_NR] = { "nr_hugepages", ML_ATTR_U64 },
	[ML_HPN_FREE] = { "free_hugepages", ML_ATTR_U64 },
	[ML_HPN_SURPLUS] = { "surplus_hugepages", ML_ATTR_U64 },
};

const struct ml_attr_def ml_thp_attrs[ML_THP__COUNT] = {
	[ML_THP_ENABLED] = { "enabled", ML_ATTR_CHOICE },
	[ML_THP_DEFRAG] = { "defrag", ML_ATTR_CHOICE },
	[ML_THP_SHMEM_ENABLED] = { "shmem_enabled", ML_ATTR_CHOICE },
	[ML_THP_USE_ZERO_PAGE] = { "use_zero_page", ML_ATTR_FLAG },
	[ML_THP_HPAGE_PMD_SIZE] = { "hpage_pmd_size", ML_ATTR_U64 },
};

const struct ml_attr_def ml_khugepaged_attrs[ML_KHP__COUNT] = {
	[ML_KHP_DEFRAG] = { "defrag", ML_ATTR_FLAG },
	[ML_KHP_PAGES_TO_SCAN] = { "pages_to_scan", ML_ATTR_U64 },
	[ML_KHP_PAGES_COLLAPSED] = { "pages_collapsed", ML_ATTR_U64 },
	[ML_KHP_FULL_SCANS] = { "full_scans", ML_ATTR_U64 },
	[ML_KHP_SCAN_SLEEP_MS] = { "scan_sleep_millisecs", ML_ATTR_U64 },
	[ML_KHP_ALLOC_SLEEP_MS] = { "alloc_sleep_millisecs", ML_ATTR_U64 },
	[ML_KHP_MAX_PTES_NONE] = { "max_ptes_none", ML_ATTR_U64 },
	[ML_KHP_MAX_PTES_SWAP] = { "max_ptes_swap", ML_ATTR_U64 },
	[ML_KHP_MAX_PTES_SHARED] = { "max_ptes_shared", ML_ATTR_U64 },
};

const struct ml_attr_def ml_mthp_stats[ML_MTHP__COUNT] = {
	[ML_MTHP_NR_ANON] = { "nr_anon", ML_ATTR_U64 },
	[ML_MTHP_ANON_FAULT_ALLOC] = { "anon_fault_alloc", ML_ATTR_U64 },
	[ML_MTHP_ANON_FAULT_FALLBACK] = { "anon_fault_fallback", ML_ATTR_U64 },
	[ML_MTHP_SWPOUT] = { "swpout", ML_ATTR_U64 },
	[ML_MTHP_SPLIT] = { "split", ML_ATTR_U64 },
};

bool
ml_hugetlb_dir_size(const char *name, uint64_t *kb)
{
	static const char prefix[] = "hugepages-";
	const char *p = name, *end = name + strlen(name);

	if (strncmp(name, prefix, sizeof prefix - 1) != 0)
		return false;
	p += sizeof prefix - 1;
	if (ml_scan_u64(&p, end, kb) != ML_SCAN_OK || end - p != 2 || p[0] != 'k' || p[1] != 'B' ||
	    *kb == 0)
		return false;
	return true;
}

void
ml_hugetlb_init(struct ml_hugetlb *h)
{
	memset(h, 0, sizeof *h);
}

void
ml_hugetlb_release(struct ml_hugetlb *h)
{
	size_t i;

	for (i = 0; i < h->nsizes; i++)
		free(h->size[i].node);
	free(h->size);
	memset(h, 0, sizeof *h);
}

int
ml_hugetlb_read(struct ml_hugetlb *h, const struct ml_procfs *sys, const int *nodes, size_t nnodes)
{
	struct ml_names names;
	char rel[160];
	size_t i, j;

	ml_hugetlb_release(h);
	if (ml_sysfs_list(sys, ML_HUGETLB_DIR, "hugepages-", &names, NULL) != 0) {
		h->list_err = errno;
		return 0;
	}
	h->listed = true;
	h->size = calloc(names.n ? names.n : 1, sizeof *h->size);
	if (h->size == NULL) {
		ml_names_release(&names);
		h->listed = false;
		h->list_err = ENOMEM;
		return 0;
	}
	for (i = 0; i < names.n; i++) {
		struct ml_hugetlb_size *s = &h->size[h->nsizes];

		if (!ml_hugetlb_dir_size(names.v[i], &s->size_kb) ||
		    strlen(names.v[i]) >= sizeof s->dir)
			continue;
		strcpy(s->dir, names.v[i]);
		snprintf(rel, sizeof rel, ML_HUGETLB_DIR "/%s", s->dir);
		ml_attrs_read(sys, rel, ml_hugetlb_attrs, ML_HP__COUNT, s->a);
		s->node = calloc(nnodes ? nnodes : 1, sizeof *s->node);
		if (s->node != NULL) {
			for (j = 0; j < nnodes; j++) {
				snprintf(rel, sizeof rel, ML_NODE_DIR "/node%d/hugepages/%s",
					 nodes[j], s->dir);
				s->node[j].node = nodes[j];
				ml_attrs_read(sys, rel, ml_hugetlb_node_attrs, ML_HPN__COUNT,
					      s->node[j].a);
			}
			s->nnodes = nnodes;
		}
		h->nsizes++;
	}
	ml_names_release(&names);
	return 0;
}

void
ml_thp_init(struct ml_thp *t)
{
	memset(t, 0, sizeof *t);
}

void
ml_thp_release(struct ml_thp *t)
{
	free(t->size);
	memset(t, 0, sizeof *t);
}

int
ml_thp_read(struct ml_thp *t, const struct ml_procfs *sys)
{
	struct ml_names names;
	char rel[160];
	size_t i;

	ml_thp_release(t);
	ml_attrs_read(sys, ML_THP_DIR, ml_thp_attrs, ML_THP__COUNT, t->a);
	ml_attrs_read(sys, ML_THP_DIR "/khugepaged", ml_khugepaged_attrs, ML_KHP__COUNT, t->k);
	/* The directory exists when its enabled file does (or cannot be read). */
	t->present = t->a[ML_THP_ENABLED].state != ML_ATTR_ABSENT;
	t->dir_err = t->present ? 0 : t->a[ML_THP_ENABLED].err;
	if (!t->present || ml_sysfs_list(sys, ML_THP_DIR, "hugepages-", &names, NULL) != 0)
		return 0;
	t->size = calloc(names.n ? names.n : 1, sizeof *t->size);
	if (t->size == NULL) {
		ml_names_release(&names);
		return 0;
	}
	for (i = 0; i < names.n; i++) {
		struct ml_thp_size *s = &t->size[t->nsizes];

		if (!ml_hugetlb_dir_size(names.v[i], &s->size_kb))
			continue;
		snprintf(rel, sizeof rel, ML_THP_DIR "/%s/enabled", names.v[i]);
		ml_attr_read(sys, rel, ML_ATTR_CHOICE, &s->enabled);
		snprintf(rel, sizeof rel, ML_THP_DIR "/%s/shmem_enabled", names.v[i]);
		ml_attr_read(sys, rel, ML_ATTR_CHOICE, &s->shmem_enabled);
		snprintf(rel, sizeof rel, ML_THP_DIR "/%s/stats", names.v[i]);
		ml_attrs_read(sys, rel, ml_mthp_stats, ML_MTHP__COUNT, s->stat);
		t->nsizes++;
	}
	ml_names_release(&names);
	return 0;
}
