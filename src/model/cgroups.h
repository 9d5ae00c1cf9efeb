/*
 * Cgroup memory as one tree, whichever hierarchy it was read from.
 *
 * Each figure of a cgroup is one row of ml_cgf_info: its JSON key, its
 * column title, and where cgroup v2 and cgroup v1 keep it (a file of
 * proc/cgroup.h, a memory.stat key, a memory.events or memory.oom_control
 * key). What one version does not have is unknown with that reason, never 0;
 * the same for a file the kernel does not have (memory.peak before 5.19), a
 * key memory.stat does not print, a file that cannot be read or did not
 * parse, a subtree without the memory controller (v2). v1's hierarchical
 * total_* keys are used for the breakdown, as v2's memory.stat is
 * hierarchical too; v1's failcnt counts what v2's "max" event counts (a
 * charge that hit the limit).
 *
 * Derived, each with its formula in one place (ml_cgtree_derive):
 *  - the working set as kubelet and cAdvisor compute it:
 *    current - inactive_file (v1: usage_in_bytes - total_inactive_file),
 *    0 when inactive_file is larger; it still holds active file pages and
 *    reclaimable slab, which the kernel can reclaim;
 *  - the headroom to the nearest limit: the smallest of limit - usage over
 *    this cgroup and its ancestors, for v2's memory.max and memory.high and
 *    v1's limit_in_bytes and memsw.limit_in_bytes (against memsw usage); it
 *    is negative when usage is above memory.high.
 *
 * Member processes: cgroup.procs of each cgroup (its own members; a PID
 * listed by two cgroups, as a process that moved during the walk is, counts
 * in the first), their PSS/USS/RSS/swap from smaps_rollup through the
 * process table (model/procs.h sums). A sum is complete only when every
 * member could be read; otherwise it is unknown and says why. The subtree
 * sums add the descendants' members, like memory.current adds their memory.
 *
 * Ownership: the tree owns its nodes; node pointers are valid until
 * ml_cgtree_release.
 */
#ifndef ML_MODEL_CGROUPS_H
#define ML_MODEL_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/procs.h"
#include "proc/cgroup.h"
#include "proc/proctab.h"

enum ml_cgf {
	/* bytes */
	ML_CGF_CURRENT,
	ML_CGF_PEAK,
	ML_CGF_WSET,
	ML_CGF_ANON,
	ML_CGF_FILE,
	ML_CGF_SHMEM,
	ML_CGF_ACTIVE_ANON,
	ML_CGF_INACTIVE_ANON,
	ML_CGF_ACTIVE_FILE,
	ML_CGF_INACTIVE_FILE,
	ML_CGF_UNEVICTABLE,
	ML_CGF_FILE_MAPPED,
	ML_CGF_FILE_DIRTY,
	ML_CGF_FILE_WRITEBACK,
	ML_CGF_KERNEL,
	ML_CGF_KERNEL_PEAK,
	ML_CGF_SLAB_RECLAIMABLE,
	ML_CGF_SLAB_UNRECLAIMABLE,
	ML_CGF_KERNEL_STACK,
	ML_CGF_PAGETABLES,
	ML_CGF_PERCPU,
	ML_CGF_SOCK,
	ML_CGF_VMALLOC,
	ML_CGF_SWAP,
	ML_CGF_SWAP_PEAK,
	ML_CGF_ZSWAP,
	ML_CGF_ZSWAPPED,
	ML_CGF_MEMSW,
	ML_CGF_MEMSW_PEAK,
	/* limits: bytes, or unlimited */
	ML_CGF_MAX,
	ML_CGF_HIGH,
	ML_CGF_LOW,
	ML_CGF_MIN,
	ML_CGF_SOFT,
	ML_CGF_SWAP_MAX,
	ML_CGF_SWAP_HIGH,
	ML_CGF_ZSWAP_MAX,
	ML_CGF_MEMSW_MAX,
	ML_CGF_KMEM_MAX,
	ML_CGF_TCP_MAX,
	/* counts */
	ML_CGF_EV_LOW,
	ML_CGF_EV_HIGH,
	ML_CGF_EV_MAX,
	ML_CGF_EV_OOM,
	ML_CGF_EV_OOM_KILL,
	ML_CGF_EV_OOM_GROUP_KILL,
	ML_CGF_UNDER_OOM,
	ML_CGF_OOM_KILL_DISABLE,
	ML_CGF_PGFAULT,
	ML_CGF_PGMAJFAULT,
	ML_CGF__COUNT
};

/* Which JSON object a figure belongs to. */
enum ml_cgf_group {
	ML_CGG_MEMORY, /* "memory": bytes */
	ML_CGG_LIMITS, /* "limits": {"bytes", "unlimited"} */
	ML_CGG_EVENTS, /* "events": counts */
};

/* Where a version keeps a figure. */
enum ml_cgsrc_type {
	ML_CGSRC_NONE,    /* this version has no such figure */
	ML_CGSRC_FILE,    /* a value or limit file: id is an enum ml_cgfile */
	ML_CGSRC_STAT,    /* a memory.stat key: id is an enum ml_cgs_key */
	ML_CGSRC_EVENT,   /* a memory.events / memory.oom_control key: enum ml_cgev_key */
	ML_CGSRC_DERIVED, /* computed (the working set) */
};

struct ml_cgsrc {
	uint8_t type; /* enum ml_cgsrc_type */
	uint8_t id;
};

struct ml_cgf_info {
	const char *key;   /* JSON key within its group: "current", "max", "oom_kill" */
	const char *title; /* column title: "CURRENT" */
	const char *label; /* in words, for the details: "charged now" */
	uint8_t group;     /* enum ml_cgf_group */
	struct ml_cgsrc v1, v2;
};
extern const struct ml_cgf_info ml_cgf_info[ML_CGF__COUNT];

enum ml_cgv_state {
	ML_CGV_NA,        /* unknown: see why */
	ML_CGV_OK,        /* v */
	ML_CGV_UNLIMITED, /* a limit that is "max" */
};

/* Why a figure is unknown. */
enum ml_cgw {
	ML_CGW_NONE,
	ML_CGW_VERSION,       /* this cgroup version has no such figure */
	ML_CGW_ABSENT,        /* the file is not there (an older kernel, a configuration) */
	ML_CGW_NO_KEY,        /* memory.stat or memory.events does not print the key */
	ML_CGW_READ,          /* the file could not be read: err */
	ML_CGW_BAD,           /* the file did not parse */
	ML_CGW_NO_CONTROLLER, /* the memory controller is not enabled in this cgroup (v2) */
	ML_CGW_ROOT,          /* the v2 root cgroup has no such file */
	ML_CGW_NOT_READ,      /* not read: below the depth shown */
	ML_CGW_DERIVED,       /* derived from figures that are unknown */
};

/* One figure of one cgroup. */
struct ml_cgv {
	uint64_t v;
	uint8_t st;   /* enum ml_cgv_state */
	uint8_t why;  /* enum ml_cgw when st is ML_CGV_NA */
	uint8_t file; /* the enum ml_cgfile it came from, or ML_CGFILE__COUNT */
	int err;      /* errno with ML_CGW_READ */
};

static inline bool
ml_cgv_ok(const struct ml_cgv *v)
{
	return v->st == ML_CGV_OK;
}

/* The headroom to the nearest limit of a cgroup and its ancestors. */
struct ml_cg_headroom {
	uint8_t st;        /* ML_CGV_OK, ML_CGV_UNLIMITED (no limit anywhere) or ML_CGV_NA */
	int64_t bytes;     /* limit - usage; negative above memory.high */
	enum ml_cgf limit; /* ML_CGF_MAX, ML_CGF_HIGH or ML_CGF_MEMSW_MAX */
	const char *at;    /* the path of the cgroup whose limit it is (the tree's) */
};

struct ml_cgroup {
	char *path;       /* "/" for the hierarchy's root, "/system.slice/a.service" */
	const char *name; /* its last component; "/" for the root */
	int depth;        /* below the tree's start (0); ancestors are negative */
	struct ml_cgroup *parent;
	struct ml_cgroup **child;
	size_t nchild, child_cap;
	bool controller;     /* the memory controller is enabled here */
	int8_t hierarchical; /* 1: its figures include its descendants' (v2 always; v1
				use_hierarchy 1), 0: v1 use_hierarchy 0, -1 unknown */
	bool full;           /* its memory files were read (not only cgroup.procs) */
	struct ml_cgv f[ML_CGF__COUNT];
	struct ml_pressure psi; /* memory.pressure (v2) */
	struct ml_cgv psi_state;
	struct ml_cg_headroom head;
	/* members */
	int procs_err; /* 0 when cgroup.procs was read, else why not */
	int *pids;
	size_t npids;
	struct ml_proc_sum own; /* its own member processes */
	struct ml_proc_sum sub; /* with its descendants' */
	uint64_t sub_members;   /* PIDs listed in the subtree */
	bool sub_listed;        /* every cgroup.procs of the subtree was read */
	/* memory.stat as printed: nstat keys and values */
	uint32_t nstat;
	char **stat_key;
	uint64_t *stat_val;
};

/* The --sort keys of memlens cgroups, in this order. */
enum ml_cg_sort {
	ML_CGSORT_CURRENT,
	ML_CGSORT_WSET,
	ML_CGSORT_PEAK,
	ML_CGSORT_ANON,
	ML_CGSORT_FILE,
	ML_CGSORT_KERNEL,
	ML_CGSORT_SWAP,
	ML_CGSORT_HEADROOM,
	ML_CGSORT_PSS,
	ML_CGSORT_USS,
	ML_CGSORT_PROCS,
	ML_CGSORT_OOM,
	ML_CGSORT_PRESSURE,
	ML_CGSORT_NAME,
	ML_CGSORT__COUNT
};
/* "current", "wset", ... (NULL-terminated, for the command table). */
extern const char *const ml_cgroup_sort_keys[ML_CGSORT__COUNT + 1];
/* The sort key named s; -1 when none. */
int ml_cgroup_sort_parse(const char *s);

struct ml_cgtree_pid {
	int pid;
	size_t node; /* index in v */
};

struct ml_cgtree {
	unsigned int version; /* ML_CG_V1 or ML_CG_V2 */
	char *start;          /* the cgroup the tree starts at: "/" or "/a/b" */
	struct ml_cgroup **v; /* pre-order, v[0] is the start */
	size_t n, cap;
	struct ml_cgroup **anc; /* the start's ancestors, root first (limits only) */
	size_t nanc;
	int full_depth;    /* depth to which every file was read; -1 all */
	uint64_t vanished; /* cgroups removed while they were read */
	uint64_t too_deep; /* cgroups below the walk's nesting limit */
	/* The first file with bad lines, for the report. */
	bool has_bad;
	char *bad_file; /* "/system.slice/memory.stat" (hierarchy path) */
	struct ml_parse_stats bad;
	/* The first cgroup file that could not be read (not absent), for the report. */
	char *first_error;
	uint64_t read_errors;
	/* Members, after ml_cgtree_read_members. */
	bool members_read;
	uint64_t members_moved; /* listed by two cgroups during the walk */
	uint64_t members_gone;  /* exited before they were read */
	uint64_t kthreads;      /* kernel threads listed (root cgroup): no user memory */
	uint64_t zombies;       /* no address space */
	/* internal: the PIDs of every cgroup.procs, sorted, for ml_cgtree_cgroup_of */
	struct ml_cgtree_pid *pid_index;
	size_t npid_index;
	bool pid_indexed;
	/* internal: the node at each depth while adding */
	struct ml_cgroup **stack;
	size_t stack_cap;
};

void ml_cgtree_init(struct ml_cgtree *t);
void ml_cgtree_release(struct ml_cgtree *t);

/*
 * Find and open the hierarchy of the memory controller of a proc root (its
 * self/mountinfo) under a sys root: 0, or -1 with errno and *why (mountinfo
 * unreadable, no memory controller, or a copied proc root with this
 * machine's sysfs, which would mix two machines). m and h are released by
 * the caller either way (ml_cgmounts_release, ml_cghier_close).
 */
int ml_cgroups_open(struct ml_cgmounts *m, struct ml_cghier *h, const struct ml_procfs *fs,
		    const struct ml_procfs *sysfs, char **why);

/*
 * Read the subtree at start (normalised, "/" or "/a/b") of h: every file
 * down to full_depth below it (-1: all), only cgroup.procs deeper; the
 * limits of its ancestors; then ml_cgtree_derive. 0, or -1 with errno and a
 * cause (ENOENT: no such cgroup).
 */
int ml_cgtree_load(struct ml_cgtree *t, const struct ml_cghier *h, const char *start,
		   int full_depth, char **cause);

/* The same, reading only the files of full_set (and cgroup.procs below full_depth). */
int ml_cgtree_load_set(struct ml_cgtree *t, const struct ml_cghier *h, const char *start,
		       int full_depth, ml_cgfile_set full_set, char **cause);

/*
 * The pure half of the load: add one cgroup as read (pre-order; depth below
 * the start, or -1 for an ancestor given root first). 0, or -1 (ENOMEM).
 */
int ml_cgtree_add(struct ml_cgtree *t, const char *path, int depth, const struct ml_cgroup_read *r);

/* The working set and the headroom of every node; after the last add. */
void ml_cgtree_derive(struct ml_cgtree *t);

/*
 * Read the members' memory through tab: every process at once when the tree
 * starts at the hierarchy's root (with a second thread when threads is
 * true), else each member. Then ml_cgtree_sum_members. 0, or -1 + cause.
 */
int ml_cgtree_read_members(struct ml_cgtree *t, struct ml_proctab *tab, bool threads, char **cause);

/* Sum each node's members from the rows of tab (no I/O). */
void ml_cgtree_sum_members(struct ml_cgtree *t, const struct ml_proctab *tab);

/* True when every member of the subtree was listed and read: its sums are whole. */
bool ml_cgroup_members_whole(const struct ml_cgroup *c);

/*
 * Why a figure is unknown, in words: "cgroup v1 has no memory.low", "no
 * memory.peak (kernels before 5.19 have none)". Into buf; returns buf.
 */
const char *ml_cgv_why(const struct ml_cgtree *t, const struct ml_cgroup *c, enum ml_cgf f,
		       char *buf, size_t cap);

/* Why memory.pressure is unknown, in words. */
const char *ml_cgroup_psi_why(const struct ml_cgtree *t, const struct ml_cgroup *c, char *buf,
			      size_t cap);

/* Why the members' sums are unknown ("2 of 5 processes: permission denied"), or NULL. */
const char *ml_cgroup_members_why(const struct ml_cgroup *c, char *buf, size_t cap);

/* Where a version keeps figure f: "memory.current", "memory.stat total_rss", or NULL. */
const char *ml_cgf_source(unsigned int version, enum ml_cgf f, char *buf, size_t cap);

/*
 * Sort rows by key: sizes and counts largest first (headroom smallest
 * first), name A-Z; reverse flips that; unknown values go last either way;
 * ties by path.
 */
void ml_cgroups_sort(struct ml_cgroup **rows, size_t n, enum ml_cg_sort key, bool reverse);
/* Sort the children of every node of the tree. */
void ml_cgtree_sort(struct ml_cgtree *t, enum ml_cg_sort key, bool reverse);

/* The value a sort key orders by; false when unknown. */
bool ml_cgroup_sort_value(const struct ml_cgroup *c, enum ml_cg_sort key, int64_t *v);

/*
 * The cgroup whose cgroup.procs lists pid (the first, as for the sums), or
 * NULL. The first call indexes the tree's PIDs (ENOMEM: NULL throughout).
 */
const struct ml_cgroup *ml_cgtree_cgroup_of(struct ml_cgtree *t, int pid);

/*
 * The cgroups a one-line summary names: the largest top-level cgroups by
 * current; those whose own limit is the nearest and within a tenth of it
 * (or above memory.high), nearest first; those with OOM kills of their own
 * (more than their children's together), most first.
 */
#define ML_CG_BRIEF 3
struct ml_cgroup_brief {
	const struct ml_cgroup *largest[ML_CG_BRIEF];
	size_t nlargest;
	const struct ml_cgroup *near[ML_CG_BRIEF];
	size_t nnear, near_all; /* shown, and how many there are */
	const struct ml_cgroup *oom[ML_CG_BRIEF];
	size_t noom, oom_all;
};
void ml_cgtree_brief(const struct ml_cgtree *t, struct ml_cgroup_brief *b);
/* The limit a cgroup's headroom is to, in bytes (its own), or 0 when none. */
uint64_t ml_cgroup_head_limit(const struct ml_cgroup *c);

/* The node at path, or NULL. */
struct ml_cgroup *ml_cgtree_find(const struct ml_cgtree *t, const char *path);

#endif /* ML_MODEL_CGROUPS_H */
