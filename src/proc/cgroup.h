/*
 * Cgroup memory files, v1 and v2; see doc/procfs.md section 20.
 *
 * Where the hierarchies are: ml_cgmounts_read parses PROC/self/mountinfo and
 * keeps the cgroup2 mount and the cgroup v1 mount that holds the memory
 * controller. ml_cghier_open picks the one that has the memory controller
 * (v2 when its root's cgroup.controllers lists "memory", else the v1 memory
 * mount) and opens it under the sys root: a mount point "/sys/fs/cgroup/x" is
 * read at SYSROOT/fs/cgroup/x, so a captured or copied tree reads the same
 * way as the live one.
 *
 * What is read of one cgroup: the files of ml_cgroup_files, one table that
 * the reader, the capture and the documentation share. Each file is read
 * whole and parsed by its own source (single values, memory.stat,
 * memory.events and memory.oom_control, memory.pressure, cgroup.procs,
 * cgroup.controllers). A file that is not there is absent (err ENOENT), never
 * 0; "max" in a limit file is unlimited; so is a limit of 2^63 - 16 MiB or
 * more, which is how cgroup v1 prints "no limit" (LONG_MAX rounded down to a
 * page: 9223372036854771712 with 4 KiB pages) and how 2.6-era kernels printed
 * it (18446744073709551615).
 *
 * The walk visits a subtree in pre-order, children sorted by name, and hands
 * each cgroup to a callback with what was read; the struct is reused for the
 * next cgroup (memory.stat's learned layout with it). A cgroup removed while
 * it is walked is skipped and counted, not reported as an error.
 *
 * Everything is read through the sys root's struct ml_procfs (proc/reader.h),
 * so a hierarchy in a directory, a tar archive or a capture reads alike: each
 * cgroup is opened as a root of its own below its parent's
 * (ml_procfs_open_at: openat(2) of one name for a directory, so a path of any
 * length works), and its files are read whole into one buffer the walk keeps
 * (ml_procfs_read_buf).
 */
#ifndef ML_CGROUP_H
#define ML_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"
#include "proc/kv.h"
#include "proc/pressure.h"
#include "proc/reader.h"
#include "proc/source.h"

/* ------------------------------------------------------------ the files */

enum ml_cgfile {
	/* v2 */
	ML_CGFILE_CURRENT,
	ML_CGFILE_PEAK,
	ML_CGFILE_MAX,
	ML_CGFILE_HIGH,
	ML_CGFILE_LOW,
	ML_CGFILE_MIN,
	ML_CGFILE_SWAP_CURRENT,
	ML_CGFILE_SWAP_PEAK,
	ML_CGFILE_SWAP_MAX,
	ML_CGFILE_SWAP_HIGH,
	ML_CGFILE_ZSWAP_CURRENT,
	ML_CGFILE_ZSWAP_MAX,
	ML_CGFILE_EVENTS,
	ML_CGFILE_PRESSURE,
	ML_CGFILE_CONTROLLERS,
	/* v1 */
	ML_CGFILE_V1_USAGE,
	ML_CGFILE_V1_MAX_USAGE,
	ML_CGFILE_V1_LIMIT,
	ML_CGFILE_V1_SOFT_LIMIT,
	ML_CGFILE_V1_FAILCNT,
	ML_CGFILE_V1_MEMSW_USAGE,
	ML_CGFILE_V1_MEMSW_MAX_USAGE,
	ML_CGFILE_V1_MEMSW_LIMIT,
	ML_CGFILE_V1_MEMSW_FAILCNT,
	ML_CGFILE_V1_KMEM_USAGE,
	ML_CGFILE_V1_KMEM_MAX_USAGE,
	ML_CGFILE_V1_KMEM_LIMIT,
	ML_CGFILE_V1_KMEM_FAILCNT,
	ML_CGFILE_V1_TCP_USAGE,
	ML_CGFILE_V1_TCP_MAX_USAGE,
	ML_CGFILE_V1_TCP_LIMIT,
	ML_CGFILE_V1_TCP_FAILCNT,
	ML_CGFILE_V1_OOM_CONTROL,
	ML_CGFILE_V1_USE_HIERARCHY,
	/* both */
	ML_CGFILE_STAT,
	ML_CGFILE_PROCS,
	ML_CGFILE__COUNT
};

/* How a file is parsed. */
enum ml_cgfile_kind {
	ML_CGK_VALUE,       /* one decimal number */
	ML_CGK_LIMIT,       /* one decimal number or "max" */
	ML_CGK_STAT,        /* memory.stat: "key value" lines */
	ML_CGK_EVENTS,      /* memory.events, memory.oom_control: "key value" counters */
	ML_CGK_PRESSURE,    /* PSI: the some/full lines of pressure.c */
	ML_CGK_PROCS,       /* one PID per line */
	ML_CGK_CONTROLLERS, /* one line of controller names */
};

#define ML_CG_V1 1u
#define ML_CG_V2 2u

struct ml_cgfile_info {
	const char *name;   /* "memory.current" */
	uint8_t versions;   /* ML_CG_V1 | ML_CG_V2 */
	uint8_t kind;       /* enum ml_cgfile_kind */
	const char *since;  /* the kernel that added it when later than the controller, or NULL */
	const char *absent; /* why else it may be missing ("swap accounting is off"), or NULL */
};

/*
 * Every file memlens reads in a cgroup directory, with the versions that have
 * it: the list a capture copies (for each cgroup directory under the mount,
 * the files whose versions include the hierarchy's).
 */
extern const struct ml_cgfile_info ml_cgroup_files[ML_CGFILE__COUNT];

/* A set of files, bit i for enum ml_cgfile i. */
typedef uint64_t ml_cgfile_set;
_Static_assert(ML_CGFILE__COUNT <= 64, "ml_cgfile_set is one 64-bit word");
#define ML_CGFILE_BIT(f) ((ml_cgfile_set)1 << (f))
/* Every file of a version. */
ml_cgfile_set ml_cgfile_set_all(unsigned int version);
/* The files that say where a cgroup's limits are and how near: current, limits, memsw. */
ml_cgfile_set ml_cgfile_set_limits(unsigned int version);

/* Limits at or above this many bytes are no limit (see above). */
#define ML_CG_UNLIMITED_FLOOR (UINT64_C(0x7fffffffffffffff) - UINT64_C(16777215))

/* ------------------------------------------------------------ the parsers */

/* A single value or limit file. */
struct ml_cgroup_value {
	bool present;   /* a value was read */
	bool unlimited; /* "max", or a number at or above ML_CG_UNLIMITED_FLOOR */
	uint64_t v;     /* the number as printed; UINT64_MAX with "max" */
};
/* One number; "max" is a bad line. */
extern const struct ml_source ml_src_cgroup_value;
/* One number or "max". */
extern const struct ml_source ml_src_cgroup_limit;

/* memory.stat keys memlens derives from; every other key is kept in all. */
enum ml_cgs_key {
	/* v2 (and v1's local values of the same names) */
	ML_CGS_ANON,
	ML_CGS_FILE,
	ML_CGS_KERNEL,
	ML_CGS_KERNEL_STACK,
	ML_CGS_PAGETABLES,
	ML_CGS_SEC_PAGETABLES,
	ML_CGS_PERCPU,
	ML_CGS_SOCK,
	ML_CGS_VMALLOC,
	ML_CGS_SHMEM,
	ML_CGS_ZSWAP,
	ML_CGS_ZSWAPPED,
	ML_CGS_FILE_MAPPED,
	ML_CGS_FILE_DIRTY,
	ML_CGS_FILE_WRITEBACK,
	ML_CGS_SWAPCACHED,
	ML_CGS_ANON_THP,
	ML_CGS_INACTIVE_ANON,
	ML_CGS_ACTIVE_ANON,
	ML_CGS_INACTIVE_FILE,
	ML_CGS_ACTIVE_FILE,
	ML_CGS_UNEVICTABLE,
	ML_CGS_SLAB_RECLAIMABLE,
	ML_CGS_SLAB_UNRECLAIMABLE,
	ML_CGS_SLAB,
	ML_CGS_PGFAULT,
	ML_CGS_PGMAJFAULT,
	ML_CGS_WORKINGSET_REFAULT_FILE,
	/* v1, hierarchical (this cgroup and its descendants) */
	ML_CGS_TOTAL_CACHE,
	ML_CGS_TOTAL_RSS,
	ML_CGS_TOTAL_RSS_HUGE,
	ML_CGS_TOTAL_SHMEM,
	ML_CGS_TOTAL_MAPPED_FILE,
	ML_CGS_TOTAL_DIRTY,
	ML_CGS_TOTAL_WRITEBACK,
	ML_CGS_TOTAL_SWAP,
	ML_CGS_TOTAL_PGFAULT,
	ML_CGS_TOTAL_PGMAJFAULT,
	ML_CGS_TOTAL_INACTIVE_ANON,
	ML_CGS_TOTAL_ACTIVE_ANON,
	ML_CGS_TOTAL_INACTIVE_FILE,
	ML_CGS_TOTAL_ACTIVE_FILE,
	ML_CGS_TOTAL_UNEVICTABLE,
	ML_CGS_TOTAL_WORKINGSET_REFAULT_FILE,
	/* v1, local */
	ML_CGS_CACHE,
	ML_CGS_RSS,
	ML_CGS_MAPPED_FILE,
	ML_CGS_DIRTY,
	ML_CGS_WRITEBACK,
	ML_CGS_SWAP,
	ML_CGS_HIERARCHICAL_MEMORY_LIMIT,
	ML_CGS_HIERARCHICAL_MEMSW_LIMIT,
	ML_CGS__COUNT
};
extern const struct ml_kv_key ml_cgroup_stat_keys[ML_CGS__COUNT];

/* memory.stat: values as printed (bytes for sizes, counts for events). */
struct ml_cgroup_stat {
	uint64_t val[ML_CGS__COUNT];
	uint64_t present[ML_BITSET_WORDS(ML_CGS__COUNT)];
	struct ml_kvlist all; /* every key in file order, known or not */
};
extern const struct ml_source ml_src_cgroup_stat;

/* memory.events (v2) and memory.oom_control (v1) keys. */
enum ml_cgev_key {
	ML_CGEV_LOW,
	ML_CGEV_HIGH,
	ML_CGEV_MAX,
	ML_CGEV_OOM,
	ML_CGEV_OOM_KILL,
	ML_CGEV_OOM_GROUP_KILL,
	ML_CGEV_OOM_KILL_DISABLE, /* oom_control */
	ML_CGEV_UNDER_OOM,        /* oom_control */
	ML_CGEV__COUNT
};
extern const struct ml_kv_key ml_cgroup_events_keys[ML_CGEV__COUNT];

struct ml_cgroup_events {
	uint64_t val[ML_CGEV__COUNT];
	uint64_t present[ML_BITSET_WORDS(ML_CGEV__COUNT)];
	struct ml_kvlist all;
};
extern const struct ml_source ml_src_cgroup_events;

/* cgroup.procs: the PIDs, in file order. */
struct ml_cgroup_pids {
	int *v;
	size_t n, cap;
};
extern const struct ml_source ml_src_cgroup_procs;

/* cgroup.controllers (v2): the controllers enabled for this cgroup. */
struct ml_cgroup_controllers {
	bool present; /* the line was read */
	bool memory;  /* "memory" is among them */
	char list[256];
};
extern const struct ml_source ml_src_cgroup_controllers;

void ml_cgroup_stat_init(struct ml_cgroup_stat *s);
void ml_cgroup_stat_release(struct ml_cgroup_stat *s);
void ml_cgroup_events_init(struct ml_cgroup_events *e);
void ml_cgroup_events_release(struct ml_cgroup_events *e);
void ml_cgroup_pids_release(struct ml_cgroup_pids *p);

static inline bool
ml_cgroup_stat_has(const struct ml_cgroup_stat *s, enum ml_cgs_key k)
{
	return ml_bit_test(s->present, k);
}

static inline bool
ml_cgroup_events_has(const struct ml_cgroup_events *e, enum ml_cgev_key k)
{
	return ml_bit_test(e->present, k);
}

/* ------------------------------------------------------------ the mounts */

struct ml_cgmount {
	unsigned int version; /* ML_CG_V1 or ML_CG_V2 */
	char *mount_point;    /* decoded, absolute: "/sys/fs/cgroup/memory" */
	char *root;           /* the hierarchy path mounted there: "/" or "/docker/1f2e" */
	char *options;        /* v1: the super-block options ("rw,memory"); v2: as printed */
};

struct ml_cgmounts {
	struct ml_cgmount v2;    /* version 0 when there is no cgroup2 mount */
	struct ml_cgmount v1mem; /* version 0 when no v1 hierarchy has the memory controller */
	unsigned int v1_mounts;  /* cgroup v1 hierarchies seen (any controller) */
	uint64_t mounts;         /* lines of mountinfo */
	struct ml_parse_stats stats;
	char rel[32]; /* "self/mountinfo" */
};

/* Read PROC/self/mountinfo; 0, or -1 with errno and a cause. */
int ml_cgmounts_read(struct ml_cgmounts *m, const struct ml_procfs *proc, char **cause);
void ml_cgmounts_release(struct ml_cgmounts *m);

/* ------------------------------------------------------------ a hierarchy */

struct ml_cghier {
	unsigned int version; /* ML_CG_V1 or ML_CG_V2 */
	const struct ml_cgmount *mount;
	char *dir;                /* where it is read, for messages: SYSROOT/fs/cgroup/memory */
	struct ml_procfs root;    /* the hierarchy's top, below the sys root */
	bool root_open;           /* root is to be closed */
	char v2_controllers[256]; /* the cgroup2 root's controllers, "" when unknown */
	bool v2_readable;         /* the cgroup2 root's cgroup.controllers was read */
	bool v2_has_memory;       /* the cgroup2 mount has the memory controller */
	char *v2_why;             /* why the cgroup2 mount was not used, or NULL */
};

/*
 * Pick the hierarchy that holds the memory controller and open it under the
 * sys root sysfs (which must outlive it). -1 with a cause when there is none
 * (errno ENOENT) or it cannot be opened. ml_cghier_close releases it even
 * after a failure.
 */
int ml_cghier_open(struct ml_cghier *h, const struct ml_cgmounts *m, const struct ml_procfs *sysfs,
		   char **cause);
void ml_cghier_close(struct ml_cghier *h);

/* What was read of one cgroup; the walk reuses it for the next one. */
struct ml_cgroup_read {
	ml_cgfile_set asked;       /* the files it tried */
	int err[ML_CGFILE__COUNT]; /* 0 read, else errno (ENOENT: absent; EBADMSG: did not parse) */
	struct ml_cgroup_value value[ML_CGFILE__COUNT]; /* value and limit files */
	struct ml_cgroup_stat stat;
	struct ml_cgroup_events events; /* memory.events or memory.oom_control */
	struct ml_pressure pressure;
	struct ml_cgroup_pids procs;
	struct ml_cgroup_controllers controllers;
	ml_cgfile_set bad_files; /* the files with bad lines (their other lines were read) */
	/* The first file of this cgroup with bad lines, for the report. */
	enum ml_cgfile bad_file;
	struct ml_parse_stats bad;
	bool has_bad;
};

void ml_cgroup_read_init(struct ml_cgroup_read *r);
void ml_cgroup_read_release(struct ml_cgroup_read *r);

/*
 * Read the files of set from the cgroup directory dir (a root of its own)
 * into r, through the growable buffer *buf of *cap bytes. Never fails as a
 * whole: each file's outcome is in r->err.
 */
void ml_cgroup_read_dir(struct ml_cgroup_read *r, const struct ml_procfs *dir, ml_cgfile_set set,
			char **buf, size_t *cap);

/*
 * Called with each cgroup of a walk: its path inside the hierarchy ("/",
 * "/system.slice"), its depth below the walk's start, and what was read.
 * Return 0, or -1 with errno to stop.
 */
typedef int (*ml_cgroup_fn)(void *arg, const char *path, int depth, const struct ml_cgroup_read *r);

struct ml_cgwalk {
	const struct ml_cghier *h;
	ml_cgfile_set full;   /* files read down to full_depth */
	ml_cgfile_set deeper; /* files read below it (cgroup.procs for the sums) */
	int full_depth;       /* -1: no limit */
	ml_cgroup_fn fn;
	void *arg;
	/* outcome */
	uint64_t cgroups;  /* handed to fn */
	uint64_t vanished; /* removed while the walk read them */
	uint64_t too_deep; /* below the nesting limit of the walk (ML_CGWALK_MAX_DEPTH) */
	/* internal */
	struct ml_cgroup_read r;
	char *buf;
	size_t cap;
	char path[4096];
};

/* Nesting below which the walk stops (each level holds one descriptor, or one root of an archive).
 */
#define ML_CGWALK_MAX_DEPTH 200

/* Prepare a walk of h; the caller then sets full, deeper, full_depth, fn and arg. */
void ml_cgwalk_init(struct ml_cgwalk *w, const struct ml_cghier *h);

/*
 * Walk the subtree at start ("/" or "/a/b", inside the hierarchy): 0, or -1
 * with errno and a cause (ENOENT: no such cgroup). Release with
 * ml_cgwalk_release.
 */
int ml_cgwalk_run(struct ml_cgwalk *w, const char *start, char **cause);
void ml_cgwalk_release(struct ml_cgwalk *w);

/*
 * Read one cgroup (its limits, for the ancestors of a walk's start) into
 * w->r; 0, or -1 with errno (ENOENT when it does not exist).
 */
int ml_cgwalk_read_one(struct ml_cgwalk *w, const char *path, ml_cgfile_set set, char **cause);

/* Normalise a user's cgroup path: "a//b/" -> "/a/b"; NULL when it leaves the hierarchy (".."). */
char *ml_cgroup_path_normalize(const char *path);

#endif /* ML_CGROUP_H */
