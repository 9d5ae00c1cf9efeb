/*
 * Slab caches, derived: memory and waste per cache, totals, the split into
 * reclaimable and unreclaimable, growth between two parses, sorting, and the
 * comparison with /proc/meminfo's Slab, SReclaimable and SUnreclaim.
 *
 * A view borrows the rows of a struct ml_slabinfo: it is valid until the
 * next parse of that table. Its row array is reused by the next compute, so
 * a refresh in steady state allocates nothing. Memory of a cache is
 * num_slabs x pagesperslab x page size; with the page size unknown (0) the
 * page counts stay exact and every byte figure is unknown (has_bytes false).
 *
 * For other parts of memlens:
 *   - the five largest caches (the summary):
 *         ml_slab_view_compute(&v, &si, page_size, 0);
 *         n = ml_slab_view_top(&v, ML_SLAB_SORT_MEMORY, 5, top);
 *   - caches by growth (the dashboard), after two refreshes of the same table
 *     `seconds` apart:
 *         ml_slab_view_compute(&v, &si, page_size, seconds);
 *         n = ml_slab_view_top(&v, ML_SLAB_SORT_GROWTH, k, top);
 *     and row->growth_bytes (bytes/s; growth_pages without a page size).
 */
#ifndef ML_MODEL_SLAB_H
#define ML_MODEL_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/meminfo.h"
#include "proc/slabinfo.h"

/* Which allocator printed the file, judged from its text. */
enum ml_slab_allocator {
	ML_SLAB_ALLOC_UNKNOWN, /* no caches, or nothing tells */
	ML_SLAB_ALLOC_SLUB,    /* every tunable is 0 */
	ML_SLAB_ALLOC_SLAB,    /* "(statistics)" or non-zero tunables */
};
enum ml_slab_allocator ml_slab_allocator_guess(const struct ml_slabinfo *si);

/* One cache, derived. Byte figures are valid only when the view has_bytes. */
struct ml_slab_row {
	const struct ml_slab_cache *cache; /* borrowed from the table */
	uint64_t pages;                    /* num_slabs x pagesperslab */
	uint64_t bytes;                    /* pages x page size */
	uint64_t used;                     /* active_objs x objsize (bytes; no page size needed) */
	uint64_t waste;                    /* bytes - used, at least 0 */
	double use;                        /* active_objs / num_objs, 0..1; 0 when empty */
	double share;                      /* pages / all slab pages, 0..1 */
	bool has_growth;                   /* the cache was in the previous parse and seconds > 0 */
	double growth_pages;               /* pages per second, signed */
	double growth_bytes;               /* bytes per second, signed */
	double growth_objs;                /* active objects per second, signed */
};

struct ml_slab_totals {
	uint32_t caches;        /* listed */
	uint32_t caches_in_use; /* with num_objs > 0 */
	uint64_t active_objs, num_objs;
	uint64_t active_slabs, num_slabs;
	uint64_t pages, bytes, used, waste;
	/* By enum ml_slab_reclaim (UNKNOWN, NO, YES); the counts are of caches
	 * holding slabs: an empty cache's flag does not matter (nor is it read). */
	uint32_t caches_by_reclaim[3];
	uint64_t pages_by_reclaim[3];
	uint64_t bytes_by_reclaim[3];
	bool has_growth;
	double growth_pages, growth_bytes;
	uint32_t added, removed; /* caches that appeared or vanished in the last parse */
};

struct ml_slab_view {
	uint64_t page_size; /* bytes; 0 = unknown */
	bool has_bytes;     /* page_size is known */
	double seconds;     /* between the last two parses; 0 = no growth */
	enum ml_slab_allocator allocator;
	uint32_t n, cap;
	struct ml_slab_row *rows;
	struct ml_slab_totals total;
	/* Sorting room, allocated with rows (no allocation per sort). */
	struct ml_slab_row *spare;
	uint32_t *idx, *idx_tmp;
};

void ml_slab_view_init(struct ml_slab_view *v);
void ml_slab_view_release(struct ml_slab_view *v);

/*
 * Derive every cache of si's last parse, in file order. seconds is the time
 * between that parse and the one before (0 when there was none, or growth is
 * not wanted). 0, or -1 with errno ENOMEM.
 */
int ml_slab_view_compute(struct ml_slab_view *v, const struct ml_slabinfo *si, uint64_t page_size,
			 double seconds);

enum ml_slab_sort {
	ML_SLAB_SORT_MEMORY,  /* pages, largest first (the default) */
	ML_SLAB_SORT_OBJECTS, /* num_objs */
	ML_SLAB_SORT_ACTIVE,  /* active_objs */
	ML_SLAB_SORT_OBJSIZE,
	ML_SLAB_SORT_WASTE,  /* bytes; like memory when the page size is unknown */
	ML_SLAB_SORT_NAME,   /* A to Z */
	ML_SLAB_SORT_GROWTH, /* growth_pages; caches without growth last */
	ML_SLAB_SORT__COUNT
};

/*
 * The keys --sort takes, in enum order, NULL-terminated: "memory" (the
 * default), ..., "growth". The command, its help, and the dashboard's 's' key
 * all read this one table.
 */
extern const char *const ml_slab_sort_keys[ML_SLAB_SORT__COUNT + 1];
/* The key named name, or -1. */
int ml_slab_sort_from_name(const char *name);

/* Sort the rows; ties go by name. reverse turns the whole order around. */
void ml_slab_view_sort(struct ml_slab_view *v, enum ml_slab_sort key, bool reverse);

/*
 * The first k rows in key order, into out (room for k), without changing the
 * view; the number stored. O(n k): meant for small k (the top five).
 */
size_t ml_slab_view_top(const struct ml_slab_view *v, enum ml_slab_sort key, size_t k,
			const struct ml_slab_row **out);

/* One line of the comparison: meminfo's figure against the sum of the caches. */
struct ml_slab_cmp_line {
	bool known;        /* both sides known */
	bool has_meminfo;  /* the meminfo field was printed */
	bool has_slabinfo; /* the sum over the caches is known */
	uint64_t meminfo;  /* bytes */
	uint64_t slabinfo; /* bytes */
	int64_t diff;      /* meminfo - slabinfo */
};

/* Why the two files differ; set only when the figures show it. */
enum ml_slab_cmp_note {
	/* SUnreclaim (or Slab) above the caches: kmalloc() of more than two pages. */
	ML_SLAB_CMP_LARGE_KMALLOC = 1u << 0,
	/* The caches above meminfo: slabs counted at the preferred order. */
	ML_SLAB_CMP_SLABINFO_ABOVE = 1u << 1,
	/* Any difference: the files are read at different moments. */
	ML_SLAB_CMP_NOT_ATOMIC = 1u << 2,
	/* Some caches' reclaimability is unknown: no per-kind comparison. */
	ML_SLAB_CMP_RECLAIM_UNKNOWN = 1u << 3,
	/* No page size: no byte comparison at all. */
	ML_SLAB_CMP_NO_PAGE_SIZE = 1u << 4,
	/* SReclaimable equals the reclaimable caches exactly. */
	ML_SLAB_CMP_RECLAIMABLE_EXACT = 1u << 5,
};

struct ml_slab_cmp {
	struct ml_slab_cmp_line slab;          /* Slab */
	struct ml_slab_cmp_line reclaimable;   /* SReclaimable */
	struct ml_slab_cmp_line unreclaimable; /* SUnreclaim */
	unsigned int notes;                    /* enum ml_slab_cmp_note */
};

/* Compare the view's totals with meminfo (mi may be NULL: meminfo unreadable). */
void ml_slab_compare(struct ml_slab_cmp *cmp, const struct ml_slab_view *v,
		     const struct ml_meminfo *mi);

#endif /* ML_MODEL_SLAB_H */
