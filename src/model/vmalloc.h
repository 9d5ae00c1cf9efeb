/*
 * vmalloc, aggregated: areas grouped by caller function, by module and by
 * type, the largest areas, per-node pages, thread stacks, and the check of
 * Σ pages x page size against meminfo's VmallocUsed (doc/procfs.md sections 2 and 3).
 *
 * struct ml_vmalloc is the sink of the vmallocinfo parser: feed &v->info to
 * ml_src_vmallocinfo (ml_reader_refresh or ml_parse_buffer) and each area is
 * added to the groups as it streams past; no line is stored. The groups live
 * in tables keyed by name that survive refreshes: a refresh in steady state
 * allocates nothing, and each group keeps its previous values, so growth
 * between two refreshes costs nothing extra.
 *
 * Groups:
 *   caller  the function of the caller ("kernel_clone+0x94/0x3e0" ->
 *           "kernel_clone") with its module; raw addresses as printed;
 *           "(vm_map_ram)", "(unpurged)" and "(no caller)" for areas without one
 *   module  "[module]" of the caller, "kernel" when built in, "(unresolved)"
 *           for raw addresses, "(unpurged)" for unpurged areas, "(none)" for
 *           the other areas without a caller
 *   type    the most specific flag: dma-coherent, sparse, ioremap, user,
 *           vmalloc, vmap; vm_map_ram, unpurged; an unknown flag word as
 *           printed; "other" when no flag is printed
 *
 * Unpurged areas (lazily freed, TLB flush pending) are address space, not
 * memory: they are in a group of their own in each grouping (flagged
 * unpurged) and never in "used"; the text reports and the dashboard leave
 * those groups out of their tables and totals.
 *
 * Ownership: pointers into the model (groups, names, largest areas) are valid
 * until the next refresh of the same struct.
 */
#ifndef ML_MODEL_VMALLOC_H
#define ML_MODEL_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/meminfo.h"
#include "proc/vmallocinfo.h"

enum ml_vm_by { ML_VM_BY_CALLER, ML_VM_BY_MODULE, ML_VM_BY_TYPE, ML_VM_BY__COUNT };

/* The types an area can have; unknown flag words make types of their own. */
enum ml_vm_type {
	ML_VMT_VMALLOC,
	ML_VMT_VMAP,
	ML_VMT_IOREMAP,
	ML_VMT_USER,
	ML_VMT_SPARSE,
	ML_VMT_DMA_COHERENT,
	ML_VMT_VM_MAP_RAM,
	ML_VMT_UNPURGED,
	ML_VMT_OTHER,   /* no flag word at all */
	ML_VMT_UNKNOWN, /* a flag word memlens does not know */
	ML_VMT__COUNT
};

enum ml_vm_sort {
	ML_VM_SORT_BYTES,   /* pages (memory), then VA size */
	ML_VM_SORT_AREAS,   /* number of areas */
	ML_VM_SORT_VA_SIZE, /* address space, guard pages included */
	ML_VM_SORT_NAME,
	ML_VM_SORT_GROWTH, /* pages gained since the previous refresh */
	ML_VM_SORT__COUNT
};

/* One group of areas. */
struct ml_vm_group {
	const char *name;   /* function, module or type, NUL-terminated */
	const char *module; /* caller groups: "kernel", "nf_tables", ...; else NULL */
	uint64_t areas, pages, va_size;
	uint64_t prev_areas, prev_pages, prev_va_size; /* at the previous refresh */
	uint32_t type_mask;                            /* 1u << enum ml_vm_type of its areas */
	bool is_stack;                                 /* caller groups: allocates thread stacks */
	bool unpurged; /* unpurged areas only: address space, not memory */
	/* private to vmalloc.c */
	uint32_t name_len, module_len;
	uint32_t hash;
	uint32_t link; /* caller groups: index of their module group */
};

/* One of the largest areas, copied out of its line. */
struct ml_vm_top {
	uint64_t ordinal; /* line number */
	uint64_t start, end, size, pages, phys;
	bool has_pages, has_phys, caller_raw;
	unsigned int flags; /* 1u << enum ml_vm_flag */
	enum ml_vm_kind kind;
	enum ml_vm_type type;
	char caller[128]; /* "" when none; cut at 127 bytes */
	char module[64];  /* "" when built in or none */
	char type_name[32];
};

#define ML_VM_TOP_MAX 64
#define ML_VM_TOP_DEFAULT 10

/* The check against meminfo's VmallocUsed. */
enum ml_vm_check_state {
	ML_VM_CHECK_UNKNOWN,      /* no VmallocUsed line, or the page size is unknown */
	ML_VM_CHECK_EQUAL,        /* equal */
	ML_VM_CHECK_DIFFERS,      /* differs: see why */
	ML_VM_CHECK_NOT_REPORTED, /* VmallocUsed is printed as 0 (kernels 4.4-5.2) */
};

enum ml_vm_check_basis {
	ML_VM_BASIS_PAGES,   /* 5.3+: VmallocUsed = vmalloc'd pages (areas flagged vmalloc) */
	ML_VM_BASIS_VA_SIZE, /* before 4.4: VmallocUsed = Σ address ranges (VmallocChunk > 0) */
};

enum ml_vm_check_why {
	ML_VM_WHY_NONE,
	ML_VM_WHY_NO_METER,    /* no VmallocUsed line */
	ML_VM_WHY_PAGE_SIZE,   /* the page size is unknown */
	ML_VM_WHY_MOVED,       /* VmallocUsed changed while vmallocinfo was read */
	ML_VM_WHY_IN_PROGRESS, /* fewer listed: areas being set up (VM_UNINITIALIZED) or new */
	ML_VM_WHY_FREED,       /* more listed: areas freed after vmallocinfo listed them */
	ML_VM_WHY_VA_RANGE,    /* before 4.4: unlisted vm_map_ram/lazy areas, module space */
};

struct ml_vm_check {
	enum ml_vm_check_state state;
	enum ml_vm_check_basis basis;
	enum ml_vm_check_why why;
	bool has_used;
	uint64_t vmalloc_used; /* bytes, meminfo read after vmallocinfo */
	bool has_used_before;
	uint64_t vmalloc_used_before; /* bytes, meminfo read before it */
	bool has_computed;
	uint64_t computed;    /* bytes from vmallocinfo on the same basis */
	int64_t difference;   /* computed - VmallocUsed, bytes */
	uint64_t other_pages; /* pages= of areas not flagged vmalloc: not in VmallocUsed */
};

struct ml_vm_table {
	struct ml_vm_group *g;
	uint32_t n, cap;
	uint32_t *index; /* open addressing: group index + 1, 0 = empty */
	uint32_t index_cap;
	uint32_t dead; /* groups with no areas now or at the previous refresh */
	bool full;     /* reached ML_VM_GROUPS_MAX: later names go to "(other)" */
};

/* Groups per table at most; more distinct names are counted under "(other)". */
#define ML_VM_GROUPS_MAX 16384

struct ml_vmalloc {
	struct ml_vmallocinfo info; /* the parser's output: feed &v->info */
	uint64_t page_size;         /* 0 when unknown */
	unsigned long generation;   /* completed parses */
	struct ml_vm_table tab[ML_VM_BY__COUNT];
	struct ml_vm_table words; /* unknown flag words, with the areas that had them */
	int32_t type_row[ML_VMT__COUNT];
	int32_t pseudo_row[3]; /* caller groups: (vm_map_ram), (unpurged), (no caller) */
	int32_t last_caller;   /* the caller group of the last area with a caller */
	uint64_t *node_pages;
	uint32_t nnodes, node_cap; /* nnodes = highest node seen + 1 */
	uint64_t stack_areas, stack_pages;
	uint64_t used_pages, prev_used_pages; /* Σ pages= at the last two refreshes */
	unsigned int top_n;                   /* how many largest areas to keep */
	unsigned int ntop;
	struct ml_vm_top top[ML_VM_TOP_MAX]; /* a min-heap while parsing, sorted after */
};

void ml_vmalloc_init(struct ml_vmalloc *v);
void ml_vmalloc_release(struct ml_vmalloc *v);

/* Keep the n largest areas (at most ML_VM_TOP_MAX; default ML_VM_TOP_DEFAULT). */
void ml_vmalloc_set_top(struct ml_vmalloc *v, unsigned int n);

/* The page size in bytes for "bytes" figures; 0 = unknown. */
void ml_vmalloc_set_page_size(struct ml_vmalloc *v, uint64_t page_size);

/* pages x page size into *bytes; false when the page size is unknown or it overflows. */
bool ml_vmalloc_bytes(const struct ml_vmalloc *v, uint64_t pages, uint64_t *bytes);

/* The vmallocinfo totals of the last parse (areas, pages, VA sizes per kind). */
static inline const struct ml_vm_totals *
ml_vmalloc_totals(const struct ml_vmalloc *v)
{
	return &v->info.t;
}

/* Pages of all areas that count as used memory (tails carry no pages=). */
static inline uint64_t
ml_vmalloc_used_pages(const struct ml_vmalloc *v)
{
	return v->info.t.pages;
}

/* True once two parses are in: growth figures mean something. */
static inline bool
ml_vmalloc_has_prev(const struct ml_vmalloc *v)
{
	return v->generation >= 2;
}

/* Pages gained by all areas together since the previous refresh. */
static inline int64_t
ml_vmalloc_growth_pages(const struct ml_vmalloc *v)
{
	return (int64_t)v->used_pages - (int64_t)v->prev_used_pages;
}

/* Groups of one kind now present (areas > 0). */
uint32_t ml_vmalloc_ngroups(const struct ml_vmalloc *v, enum ml_vm_by by);

/*
 * The groups of one kind ordered by key (reverse: the other way round), at
 * most cap of them into out; returns how many. Ties go by name. With
 * ML_VM_SORT_GROWTH groups that vanished since the previous refresh are
 * included (their growth is negative); otherwise only groups with areas now.
 */
size_t ml_vmalloc_sorted(const struct ml_vmalloc *v, enum ml_vm_by by, enum ml_vm_sort key,
			 bool reverse, const struct ml_vm_group **out, size_t cap);

/* The n largest callers by memory: ml_vmalloc_sorted(v, ML_VM_BY_CALLER, BYTES, ...). */
size_t ml_vmalloc_top_callers(const struct ml_vmalloc *v, const struct ml_vm_group **out, size_t n);

/* Pages a group gained since the previous refresh (negative: freed). */
static inline int64_t
ml_vm_group_growth_pages(const struct ml_vm_group *g)
{
	return (int64_t)g->pages - (int64_t)g->prev_pages;
}

static inline int64_t
ml_vm_group_growth_areas(const struct ml_vm_group *g)
{
	return (int64_t)g->areas - (int64_t)g->prev_areas;
}

/* The unknown flag words seen, as groups (name = the word, areas = how many). */
size_t ml_vmalloc_unknown_words(const struct ml_vmalloc *v, const struct ml_vm_group **out,
				size_t cap);

/* The largest areas by memory (pages, then VA size), largest first. */
static inline const struct ml_vm_top *
ml_vmalloc_largest(const struct ml_vmalloc *v, unsigned int *n)
{
	*n = v->ntop;
	return v->top;
}

/* Pages on node i (N<i>= counts summed); 0 past ml_vmalloc_nnodes. */
static inline uint64_t
ml_vmalloc_node_pages(const struct ml_vmalloc *v, uint32_t node)
{
	return node < v->nnodes ? v->node_pages[node] : 0;
}

/* One more than the highest node seen in N<node>= counts; 0 without NUMA counts. */
static inline uint32_t
ml_vmalloc_nnodes(const struct ml_vmalloc *v)
{
	return v->nnodes;
}

/*
 * Thread stacks in vmalloc (CONFIG_VMAP_STACK): the vmalloc'd pages whose
 * caller is a stack allocator (kernel_clone, _do_fork, copy_process,
 * dup_task_struct, alloc_thread_stack_node, fork_idle, create_io_thread,
 * scs_alloc, ...), stale cached stacks included. The bytes are false when
 * the page size is unknown; 0 areas means no vmapped stacks were seen.
 */
static inline uint64_t
ml_vmalloc_stack_pages(const struct ml_vmalloc *v)
{
	return v->stack_pages;
}

static inline uint64_t
ml_vmalloc_stack_areas(const struct ml_vmalloc *v)
{
	return v->stack_areas;
}

bool ml_vmalloc_stack_bytes(const struct ml_vmalloc *v, uint64_t *bytes);

/*
 * For the accounting of MemTotal (ML_ACCT_NOTE_VMAP_STACK): how much of
 * meminfo's KernelStack + ShadowCallStack is inside VmallocUsed, measured
 * instead of assumed: min(KernelStack + ShadowCallStack, the thread-stack
 * bytes above). 0 when vmallocinfo lists no stack areas (no CONFIG_VMAP_STACK:
 * nothing to take out of VmallocUsed). Stale cached stacks are vmalloc'd but
 * not in KernelStack, hence the min. false when the page size is unknown or
 * meminfo has no KernelStack line.
 */
bool ml_vmalloc_stack_overlap(const struct ml_vmalloc *v, const struct ml_meminfo *mi,
			      uint64_t *bytes);

/* True when func (a caller function, offset stripped) allocates thread stacks. */
bool ml_vm_is_stack_caller(const char *func, size_t n);

/* The name of a type ("vmalloc", "vm_map_ram", "unpurged", "other"). */
const char *ml_vm_type_name(enum ml_vm_type t);
/*
 * The keys --sort takes, in enum order, NULL-terminated: "bytes" (the
 * default), "areas", "va_size", "name", "growth"; and the groupings --by
 * takes: "caller" (the default), "module", "type". The command, its help and
 * the dashboard read these tables.
 */
extern const char *const ml_vm_sort_keys[ML_VM_SORT__COUNT + 1];
extern const char *const ml_vm_by_keys[ML_VM_BY__COUNT + 1];
/* The name of a sort key, and back (-1 when unknown). */
const char *ml_vm_sort_name(enum ml_vm_sort k);
int ml_vm_sort_lookup(const char *name);
const char *ml_vm_by_name(enum ml_vm_by by);
int ml_vm_by_lookup(const char *name);

/*
 * Check Σ pages x page size (or Σ VA sizes on kernels before 4.4) against
 * VmallocUsed. after is meminfo read right after vmallocinfo; before (may be
 * NULL) right before it, to tell a moving counter from a real difference.
 */
void ml_vmalloc_check(const struct ml_vmalloc *v, const struct ml_meminfo *before,
		      const struct ml_meminfo *after, struct ml_vm_check *c);

/* Machine names of check states and reasons, for JSON. */
const char *ml_vm_check_state_name(enum ml_vm_check_state s);
const char *ml_vm_check_why_name(enum ml_vm_check_why w);

#endif /* ML_MODEL_VMALLOC_H */
