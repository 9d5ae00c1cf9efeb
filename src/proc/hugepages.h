/*
 * Huge pages in sysfs (doc/procfs.md section 22), read through the sys root:
 *
 *  - hugetlb, every page size (not only the default one /proc/meminfo
 *    shows): kernel/mm/hugepages/hugepages-<kB>kB/{nr,free,resv,surplus,
 *    nr_overcommit}_hugepages, and per node where the kernel has them,
 *    devices/system/node/nodeN/hugepages/hugepages-<kB>kB/{nr,free,surplus}_
 *    hugepages. Counts are pages of that size; nr_hugepages includes the
 *    surplus pages.
 *  - transparent huge pages: kernel/mm/transparent_hugepage/{enabled,defrag,
 *    shmem_enabled} (bracketed choices), use_zero_page, hpage_pmd_size,
 *    khugepaged/ (each file), and (6.8+) the per-size hugepages-<kB>kB/enabled with its
 *    stats/ counters.
 *
 * Every value keeps why it is missing (struct ml_attr): a kernel without
 * hugetlb or THP has no directory, and that is said, never shown as 0.
 */
#ifndef ML_HUGEPAGES_H
#define ML_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/reader.h"
#include "proc/sysattr.h"

#define ML_HUGETLB_DIR "kernel/mm/hugepages"
#define ML_THP_DIR "kernel/mm/transparent_hugepage"

enum ml_hp_attr {
	ML_HP_NR,         /* nr_hugepages: the pool, surplus included */
	ML_HP_FREE,       /* free_hugepages: not yet faulted in */
	ML_HP_RESV,       /* resv_hugepages: promised to mappings, not faulted */
	ML_HP_SURPLUS,    /* surplus_hugepages: allocated beyond nr_hugepages' setting */
	ML_HP_OVERCOMMIT, /* nr_overcommit_hugepages: the surplus allowed */
	ML_HP__COUNT
};

/* The attributes a node directory has (no resv or overcommit per node). */
enum ml_hpn_attr { ML_HPN_NR, ML_HPN_FREE, ML_HPN_SURPLUS, ML_HPN__COUNT };

struct ml_hugetlb_node {
	int node;
	struct ml_attr a[ML_HPN__COUNT];
};

struct ml_hugetlb_size {
	uint64_t size_kb; /* from the directory name */
	char dir[40];     /* "hugepages-2048kB" */
	struct ml_attr a[ML_HP__COUNT];
	size_t nnodes;
	struct ml_hugetlb_node *node;
};

struct ml_hugetlb {
	bool listed;   /* the hugepages directory could be listed */
	int list_err;  /* its errno when not (ENOENT: no hugetlb) */
	size_t nsizes; /* ascending by size */
	struct ml_hugetlb_size *size;
};

extern const struct ml_attr_def ml_hugetlb_attrs[ML_HP__COUNT];
extern const struct ml_attr_def ml_hugetlb_node_attrs[ML_HPN__COUNT];

void ml_hugetlb_init(struct ml_hugetlb *h);
void ml_hugetlb_release(struct ml_hugetlb *h);

/*
 * Read every page size, and each of nodes[0..nnodes) per size. Returns 0;
 * a missing or unreadable directory is not an error: h->listed is false and
 * h->list_err says why.
 */
int ml_hugetlb_read(struct ml_hugetlb *h, const struct ml_procfs *sys, const int *nodes,
		    size_t nnodes);

/* "hugepages-2048kB" -> 2048; false when the name is not one. */
bool ml_hugetlb_dir_size(const char *name, uint64_t *kb);

enum ml_thp_attr {
	ML_THP_ENABLED,       /* always / madvise / never */
	ML_THP_DEFRAG,        /* always / defer / defer+madvise / madvise / never */
	ML_THP_SHMEM_ENABLED, /* always / within_size / advise / never / deny / force */
	ML_THP_USE_ZERO_PAGE, /* 0/1 */
	ML_THP_HPAGE_PMD_SIZE,
	ML_THP__COUNT
};

enum ml_khp_attr {
	ML_KHP_DEFRAG,
	ML_KHP_PAGES_TO_SCAN,
	ML_KHP_PAGES_COLLAPSED,
	ML_KHP_FULL_SCANS,
	ML_KHP_SCAN_SLEEP_MS,
	ML_KHP_ALLOC_SLEEP_MS,
	ML_KHP_MAX_PTES_NONE,
	ML_KHP_MAX_PTES_SWAP,
	ML_KHP_MAX_PTES_SHARED,
	ML_KHP__COUNT
};

/* The counters of one multi-size THP size (hugepages-<kB>kB/stats/, 6.8+). */
enum ml_mthp_stat {
	ML_MTHP_NR_ANON,
	ML_MTHP_ANON_FAULT_ALLOC,
	ML_MTHP_ANON_FAULT_FALLBACK,
	ML_MTHP_SWPOUT,
	ML_MTHP_SPLIT,
	ML_MTHP__COUNT
};

struct ml_thp_size {
	uint64_t size_kb;
	struct ml_attr enabled;       /* always / inherit / madvise / never */
	struct ml_attr shmem_enabled; /* per size, 6.11+ */
	struct ml_attr stat[ML_MTHP__COUNT];
};

struct ml_thp {
	bool present; /* the transparent_hugepage directory exists */
	int dir_err;  /* why not */
	struct ml_attr a[ML_THP__COUNT];
	struct ml_attr k[ML_KHP__COUNT];
	size_t nsizes;
	struct ml_thp_size *size;
};

extern const struct ml_attr_def ml_thp_attrs[ML_THP__COUNT];
extern const struct ml_attr_def ml_khugepaged_attrs[ML_KHP__COUNT];
extern const struct ml_attr_def ml_mthp_stats[ML_MTHP__COUNT];

void ml_thp_init(struct ml_thp *t);
void ml_thp_release(struct ml_thp *t);

/* Read the THP settings and counters; always 0 (what is missing says why). */
int ml_thp_read(struct ml_thp *t, const struct ml_procfs *sys);

#endif /* ML_HUGEPAGES_H */
