/*
 * /proc/slabinfo: one line per slab cache (doc/procfs.md section 6).
 *
 * The caches live in a table keyed by name that persists across parses of
 * the same struct ml_slabinfo: each row keeps the numbers of the last parse
 * (cur) and of the one before (prev), so a rate costs O(1) per row. Caches
 * that are no longer listed are dropped at the end of a parse, new ones are
 * added. In steady state each line is matched to its row by one comparison
 * with the row at the same position last time, and nothing is allocated;
 * rows are found through a hash table only when the list changed. A line
 * that is byte for byte what its row printed last time (most caches are idle
 * between two refreshes) is not parsed again: its numbers are the same.
 *
 * Accepts "slabinfo - version: 2.1" with or without " (statistics)" (the
 * SLAB allocator's ": globalstat" and ": cpustat" groups); any other version
 * is an error naming the version seen. Lines are split on whitespace, never
 * on columns: a name longer than 17 characters pushes the numbers right, and
 * a name may hold ':' or '/' (or, in principle, spaces).
 *
 * Ownership: rows, names and the order array belong to the table; pointers
 * into it are valid until the next parse or ml_slabinfo_release.
 */
#ifndef ML_SLABINFO_H
#define ML_SLABINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/reader.h"
#include "proc/source.h"

/* Whether a cache's slabs count as SReclaimable (SLAB_RECLAIM_ACCOUNT). */
enum ml_slab_reclaim {
	ML_SLAB_RECLAIM_UNKNOWN = 0, /* no sysfs entry to tell */
	ML_SLAB_RECLAIM_NO = 1,
	ML_SLAB_RECLAIM_YES = 2,
};

/* The numbers of one cache line, named as the kernel's header names them. */
struct ml_slab_counts {
	uint64_t active_objs;
	uint64_t num_objs;
	uint64_t objsize;      /* bytes per object, with metadata and padding */
	uint64_t objperslab;   /* objects per slab */
	uint64_t pagesperslab; /* 1 << the cache's preferred order */
	uint64_t limit;        /* tunables: real on SLAB, 0 on SLUB */
	uint64_t batchcount;
	uint64_t sharedfactor;
	uint64_t active_slabs; /* SLUB prints num_slabs here too */
	uint64_t num_slabs;
	uint64_t sharedavail;
};

/* SLAB's ": globalstat" group (CONFIG_DEBUG_SLAB, "(statistics)" header). */
enum ml_slab_globalstat {
	ML_SLAB_GS_LISTALLOCS,
	ML_SLAB_GS_MAXOBJS,
	ML_SLAB_GS_GROWN,
	ML_SLAB_GS_REAPED,
	ML_SLAB_GS_ERROR,
	ML_SLAB_GS_MAXFREEABLE,
	ML_SLAB_GS_NODEALLOCS,
	ML_SLAB_GS_REMOTEFREES,
	ML_SLAB_GS_ALIENOVERFLOW,
	ML_SLAB_GS__COUNT
};

/* SLAB's ": cpustat" group. */
enum ml_slab_cpustat {
	ML_SLAB_CS_ALLOCHIT,
	ML_SLAB_CS_ALLOCMISS,
	ML_SLAB_CS_FREEHIT,
	ML_SLAB_CS_FREEMISS,
	ML_SLAB_CS__COUNT
};

/* The header names of those values ("listallocs", "allochit", ...). */
extern const char *const ml_slab_globalstat_names[ML_SLAB_GS__COUNT];
extern const char *const ml_slab_cpustat_names[ML_SLAB_CS__COUNT];

/* Values of groups memlens does not know, per cache (": newgroup 1 2 3"). */
#define ML_SLAB_EXTRA_MAX 8
#define ML_SLAB_EXTRA_GROUPS 2

struct ml_slab_cache {
	char *name;        /* NUL-terminated; owned by the table */
	uint32_t name_len; /* bytes */
	uint32_t dup;      /* 0, or n for the (n+1)th cache of this name in one parse */
	uint32_t hash;
	uint32_t pos;  /* position in the last parse */
	uint64_t seen; /* generation of the last parse that listed it */
	struct ml_slab_counts cur;
	struct ml_slab_counts prev; /* the parse before; valid when has_prev */
	bool has_prev;
	bool has_globalstat, has_cpustat;
	uint8_t reclaim;        /* enum ml_slab_reclaim */
	bool reclaim_looked_up; /* ml_slabinfo_read_reclaim tried this row */
	uint8_t nextra;         /* values in extra[], in the order of extra_groups */
	uint64_t globalstat[ML_SLAB_GS__COUNT];
	uint64_t cpustat[ML_SLAB_CS__COUNT];
	uint64_t extra[ML_SLAB_EXTRA_MAX];
	/* The parser's: the line as printed last time (NULL when not kept). */
	char *line;
	uint32_t line_len, line_cap;
};

/* A group of values after a ':' that memlens does not know, as first seen. */
struct ml_slab_extra_group {
	char label[24];
	uint8_t nvalues;
};

struct ml_slabinfo {
	/* The header of the last parse. */
	bool header_seen;
	bool statistics;     /* "slabinfo - version: 2.1 (statistics)" */
	char version[16];    /* as printed, "2.1"; "" before any header */
	char bad_header[64]; /* the first line when it is not a 2.1 header */

	/* The caches of the last parse, in file order: order[i] indexes slot[]. */
	uint32_t n;
	uint32_t *order;

	/* Storage; see slabinfo.c. */
	struct ml_slab_cache *slot;
	uint32_t nslots, slots_cap;
	uint32_t *prev_order;
	uint32_t prev_n, order_cap;
	uint32_t *free_list;
	uint32_t nfree;
	uint32_t *hash; /* open addressing: slot index + 1, 0 = empty */
	uint32_t hash_cap;
	uint32_t cursor;
	uint64_t generation;
	bool in_header;

	/* What changed in the last parse (for the dashboard and the benchmarks). */
	uint32_t added, removed;
	uint64_t removed_pages; /* num_slabs x pagesperslab of the removed caches */
	bool has_prev_parse;    /* the parse before this one succeeded */
	uint64_t finished;      /* generation of the last successful parse */
	uint64_t lookups;       /* lines not found at their expected position */
	uint32_t unchanged;     /* lines identical to last time: not parsed again */

	/* Unknown groups (": label v v v"), as first seen; values are in extra[]. */
	uint8_t nextra_groups;
	bool extra_overflow; /* more unknown groups or values than kept */
	struct ml_slab_extra_group extra_groups[ML_SLAB_EXTRA_GROUPS];
};

extern const struct ml_source ml_src_slabinfo;

void ml_slabinfo_init(struct ml_slabinfo *si);
void ml_slabinfo_release(struct ml_slabinfo *si);

/* Cache i of the last parse, in file order. */
static inline const struct ml_slab_cache *
ml_slabinfo_cache(const struct ml_slabinfo *si, uint32_t i)
{
	return &si->slot[si->order[i]];
}

/* The cache named name (the first of that name), or NULL. */
const struct ml_slab_cache *ml_slabinfo_find(const struct ml_slabinfo *si, const char *name);

/*
 * Open DIR/kernel/slab, where SLUB publishes one directory per cache, under a
 * sysfs root (normally "/sys"; --sys-root). Returns a directory fd, or -1
 * with errno (ENOENT: no such directory: the SLAB allocator, or no sysfs in
 * this capture) and a cause naming the path.
 */
int ml_slab_sysfs_open(const char *sys_root, char **cause);

/*
 * Look up <cache>/reclaim_account under the directory slab_dirfd for every
 * cache that holds slabs and was not looked up before (so a refresh in
 * steady state reads nothing, and the many empty caches cost nothing until
 * they hold memory). '/' in a cache name reads as '!', as sysfs spells it. A
 * cache with no readable entry stays ML_SLAB_RECLAIM_UNKNOWN (the entries are
 * root's only on 6.18: doc/procfs.md section 19). With slab_dirfd < 0 every
 * cache is unknown. Returns the number of entries read.
 */
uint32_t ml_slabinfo_read_reclaim(struct ml_slabinfo *si, int slab_dirfd);

/*
 * The same under slabdir, the kernel/slab directory of a sysfs root opened
 * with ml_procfs_open_at (a directory, or part of a capture archive).
 */
uint32_t ml_slabinfo_read_reclaim_at(struct ml_slabinfo *si, const struct ml_procfs *slabdir);

#endif /* ML_SLABINFO_H */
