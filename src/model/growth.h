/*
 * Growth: which items grow, how fast and how steadily, and when memory runs
 * out at that pace. Pure model; no I/O.
 *
 * An item is one thing whose size is sampled over time, keyed by its kind
 * and its identity:
 *   proc     a process: PID and start time (a reused PID is a new item);
 *            the command name is a label, not part of the key
 *   slab     a slab cache: its name and its ordinal among caches of that
 *            name (duplicate names are real, mlx5), in file order
 *   vmalloc  a vmalloc caller group ("kernel_clone", "nf_tables_newset
 *            [nf_tables]")
 *   kernel   a kernel-side part of meminfo (SUnreclaim, PageTables, ...) or
 *            memlens's unaccounted remainder (model/accounting.h), which
 *            may be negative: such an item is signed
 *
 * Each sample is ml_growth_begin (its time), then ml_growth_observe for
 * every item read, then ml_growth_end. What ml_growth_end does with an item
 * that was not observed depends on its kind: a process is gone (it exited:
 * its memory went with it, the item is dropped and counted), a slab cache
 * or a vmalloc caller that is no longer listed holds 0 bytes (observed as
 * 0), a kernel part whose field was not read is simply not sampled.
 *
 * The fit. Each item keeps a least-squares line y = a + b t through its
 * samples with running sums: memory is O(items), not O(items x samples).
 * The sums are centred: times count from the item's first sample and values
 * from its first value (both differences taken in integers, exactly), and
 * the means and co-moments are updated as each sample arrives (Welford's
 * method). Plain sums would not survive real inputs: a value near 2^64 has a
 * double ulp of 4 KiB, so Σy forgets every change smaller than that, and
 * n Σt² - (Σt)² with wall-clock seconds near 1.7e9 cancels all but about
 * three of a double's sixteen digits over an hour's window. Centred,
 * precision depends on how far an item moves, not on where it is.
 *
 * Per item: the slope (bytes per second), R², the share of rising steps
 * (among the steps that moved: a slab cache sampled faster than it gains a
 * slab has many unchanged steps, which say nothing about direction), the
 * number of samples, the first and the last value, and a shape:
 *
 *   too few    fewer than three samples: no judgement
 *   sawtooth   cut back hard at least twice: two falls of a quarter of the
 *              range or more, falls on average at least four times the
 *              size of rises (or two resets): a cache the kernel reclaims,
 *              not a leak
 *   reset      fell to near zero once (below 1/16 of the value before:
 *              restarted, emptied, an exec); the fit restarts there, so the
 *              slope and R² describe the item since the reset
 *   step       one jump holds at least half the range and the rest moved
 *              less than half as much as that jump
 *   linear     grows steadily: R² and rising share at their thresholds
 *   shrinking  shrinks steadily (the same tests, downwards)
 *   irregular  moves without a steady trend
 *   flat       no steady trend, and the whole range is below what the
 *              minimum rate adds over the window (a page or two of noise)
 * The sawtooth, reset and step tests apply only to a range above that
 * too: below it, only the line tells.
 *
 * A suspect is an item whose shape is linear (or reset, fitted since) with
 * slope >= min_rate, R² >= min_r2 and rising share >= min_rising: the three
 * thresholds are parameters, stated in every report.
 *
 * Time to exhaustion: MemAvailable divided by the suspects' summed slopes,
 * and, when overcommit is strict (vm.overcommit_memory = 2), CommitLimit -
 * Committed_AS divided by the same sum. Items nest: a slab cache is part of
 * SUnreclaim, a vmalloc caller of VmallocUsed, KernelStack too when stacks
 * are vmalloc'd (the caller of ml_growth_set_parent says which); an item
 * and its members are counted once, at every level, as the larger of its
 * own slope (when a suspect) and its members' shares summed.
 *
 * Ownership: the table owns its items; an item stays where it is (items
 * are allocated in chunks that never move) until ml_growth_end drops it (a
 * process that is gone) or ml_growth_release.
 */
#ifndef ML_GROWTH_H
#define ML_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ml_growth_kind {
	ML_GROWTH_PROC,
	ML_GROWTH_SLAB,
	ML_GROWTH_VMALLOC,
	ML_GROWTH_KERNEL,
	ML_GROWTH_KIND__COUNT
};

/* "proc", "slab", "vmalloc", "kernel"; and back (-1 when none). */
const char *ml_growth_kind_name(enum ml_growth_kind k);
int ml_growth_kind_from_name(const char *s, size_t n);

enum ml_growth_shape {
	ML_SHAPE_TOO_FEW,
	ML_SHAPE_FLAT,
	ML_SHAPE_SAWTOOTH,
	ML_SHAPE_RESET,
	ML_SHAPE_STEP,
	ML_SHAPE_LINEAR,
	ML_SHAPE_SHRINKING,
	ML_SHAPE_IRREGULAR,
	ML_SHAPE__COUNT
};

/* JSON word ("too_few", "linear", ...) and words for people ("linear growth"). */
const char *ml_growth_shape_name(enum ml_growth_shape s);
const char *ml_growth_shape_label(enum ml_growth_shape s);

/* The thresholds of a suspect (defaults below). */
struct ml_growth_params {
	double min_rate;   /* bytes per second */
	double min_r2;     /* 0..1 */
	double min_rising; /* 0..1, share of the steps that moved */
};

#define ML_GROWTH_MIN_RATE_DEFAULT (1024.0 * 1024.0 / 3600.0) /* 1 MiB/h */
#define ML_GROWTH_MIN_R2_DEFAULT 0.8
#define ML_GROWTH_MIN_RISING_DEFAULT 0.8
/* A fall below 1/ML_GROWTH_RESET_DIVISOR of the value before is a reset. */
#define ML_GROWTH_RESET_DIVISOR 16

void ml_growth_params_default(struct ml_growth_params *p);

/* A least-squares line with centred running sums (see the top comment). */
struct ml_fit {
	uint64_t n;
	int64_t t0;           /* ns: the first sample's time */
	uint64_t y0;          /* the first sample's value (offset binary for signed items) */
	double mean_t;        /* seconds since t0 */
	double mean_y;        /* bytes above y0 */
	double ctt, cty, cyy; /* co-moments about the means */
};

void ml_fit_init(struct ml_fit *f);
void ml_fit_add(struct ml_fit *f, int64_t t_ns, uint64_t y);
/* Bytes per second; false with fewer than two samples or no time between them. */
bool ml_fit_slope(const struct ml_fit *f, double *slope);
/* R² of the line; false with fewer than three samples or a value that never moved. */
bool ml_fit_r2(const struct ml_fit *f, double *r2);

/* One value's samples: the fit since the last reset, and the whole series' extremes. */
struct ml_growth_series {
	struct ml_fit fit; /* the segment since the last reset */
	uint64_t first, last;
	int64_t first_t, last_t;
	/* the segment's steps */
	uint64_t rises, falls, steps;
	uint64_t min, max;
	uint64_t rise_max, fall_max;
	double variation; /* Σ |change|, bytes */
	/* the whole series */
	uint64_t all_n;
	uint64_t all_first;
	int64_t all_first_t;
	uint64_t all_min, all_max;
	uint64_t big_fall[2]; /* the two largest falls, largest first */
	uint64_t all_rises, all_falls;
	double all_rise_sum, all_fall_sum; /* bytes */
	uint32_t resets;
	int64_t reset_t; /* the last reset's time */
	bool is_signed;  /* values are int64 in offset binary */
};

void ml_growth_series_init(struct ml_growth_series *s, bool is_signed);
/* Add a sample (an int64 in offset binary when the series is signed). */
void ml_growth_series_add(struct ml_growth_series *s, int64_t t_ns, uint64_t y);
/* An int64 as the series stores it, and back. */
static inline uint64_t
ml_growth_from_signed(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}
static inline int64_t
ml_growth_to_signed(uint64_t u)
{
	return (int64_t)(u ^ (UINT64_C(1) << 63));
}

/* What the samples say about one series. */
struct ml_growth_verdict {
	enum ml_growth_shape shape;
	uint64_t samples; /* in the fit (since the last reset) */
	bool has_slope;
	double slope; /* bytes per second */
	bool has_r2;
	double r2;
	bool has_rising;
	double rising_share;
	bool suspect;
};

void ml_growth_series_judge(const struct ml_growth_series *s, const struct ml_growth_params *p,
			    struct ml_growth_verdict *v);

struct ml_growth_item {
	enum ml_growth_kind kind;
	uint64_t key_a;   /* proc: PID; slab: ordinal among caches of its name */
	uint64_t key_b;   /* proc: start time (clock ticks after boot) */
	char *name;       /* slab, vmalloc, kernel: the key's name; proc: NULL */
	char label[64];   /* proc: the command name (may change: exec) */
	int32_t parent;   /* the slot of the item it is a part of, or -1 */
	uint32_t members; /* items that are part of it */
	bool used;        /* a live slot (free slots are skipped) */
	uint64_t seen;    /* the last sample that observed (or kept) it */
	bool kept;        /* kept, not measured, at least once */
	uint64_t aux_seen;
	struct ml_growth_series s;   /* its size: bytes */
	struct ml_growth_series aux; /* a second measure (a process's PSS), when read */
	/* private to growth.c */
	int32_t index; /* its slot */
	uint32_t hash;
	int32_t next; /* hash chain, or the free list */
};

#define ML_GROWTH_CHUNK 256

struct ml_growth {
	struct ml_growth_params par;
	struct ml_growth_item **chunks; /* slots, ML_GROWTH_CHUNK a chunk; used ones are items */
	int32_t n, cap;                 /* slots in use (high-water mark), allocated */
	int32_t live;                   /* used slots */
	int32_t free_head;              /* free slots, -1 when none */
	int32_t *buckets;               /* hash heads */
	uint32_t nbuckets;
	uint64_t sample; /* samples begun */
	int64_t t_ns;    /* the current sample's time */
	int64_t first_t, last_t;
	bool in_sample;
	uint64_t exited; /* processes dropped because they were gone */
};

void ml_growth_init(struct ml_growth *g, const struct ml_growth_params *p);
void ml_growth_release(struct ml_growth *g);

/* Start a sample at t_ns; -1 with EINVAL when t_ns is before the last sample. */
int ml_growth_begin(struct ml_growth *g, int64_t t_ns);

/*
 * Find or add the item (name is copied; NULL for a process); NULL with
 * ENOMEM. A new kernel item holding signed values says so with is_signed.
 */
struct ml_growth_item *ml_growth_item(struct ml_growth *g, enum ml_growth_kind kind,
				      const char *name, uint64_t key_a, uint64_t key_b,
				      bool is_signed);
/* The item, or NULL. */
struct ml_growth_item *ml_growth_find(const struct ml_growth *g, enum ml_growth_kind kind,
				      const char *name, uint64_t key_a, uint64_t key_b);

/* Slot i (0 <= i < g->n); skip it unless ->used. */
static inline struct ml_growth_item *
ml_growth_slot(const struct ml_growth *g, int32_t i)
{
	return &g->chunks[i / ML_GROWTH_CHUNK][i % ML_GROWTH_CHUNK];
}

/* Say that it is part of the item parent (NULL: of nothing), counted once with it. */
void ml_growth_set_parent(struct ml_growth *g, struct ml_growth_item *it,
			  const struct ml_growth_item *parent);

/* Sample it in the current sample (once; a second observation is ignored). */
void ml_growth_observe(struct ml_growth *g, struct ml_growth_item *it, uint64_t value);
void ml_growth_observe_signed(struct ml_growth *g, struct ml_growth_item *it, int64_t value);
/* Sample its second measure. */
void ml_growth_observe_aux(struct ml_growth *g, struct ml_growth_item *it, uint64_t value);

/*
 * Sample it at its own time t_ns (when it was read: the dashboard reads
 * processes at different moments), not the sample's; a time not after its
 * last one keeps it instead (no new read).
 */
void ml_growth_observe_at(struct ml_growth *g, struct ml_growth_item *it, int64_t t_ns,
			  uint64_t value);

/*
 * It is still there, but not measured in this sample (the dashboard reads
 * some processes less often than others): ml_growth_end keeps it.
 */
void ml_growth_keep(struct ml_growth *g, struct ml_growth_item *it);

/* End the sample: drop processes not seen, sample absent slab and vmalloc items as 0. */
void ml_growth_end(struct ml_growth *g);

static inline void
ml_growth_judge(const struct ml_growth *g, const struct ml_growth_item *it,
		struct ml_growth_verdict *v)
{
	ml_growth_series_judge(&it->s, &g->par, v);
}

/* The --sort keys of memlens growth, in this order (NULL-terminated). */
enum ml_growth_sort {
	ML_GROWTH_SORT_RATE, /* suspects first, then by slope, largest first */
	ML_GROWTH_SORT_SIZE, /* by the last value, largest first */
	ML_GROWTH_SORT_NAME, /* by kind, then name (or PID) */
	ML_GROWTH_SORT__COUNT
};
extern const char *const ml_growth_sort_keys[ML_GROWTH_SORT__COUNT + 1];
/* The key named s; -1 when none. */
int ml_growth_sort_parse(const char *s);

/*
 * The items of kind mask (1u << kind) with a known slope, sorted by key
 * (reverse turns the order around); ties by kind and key. Fills out (room
 * for cap) and returns how many there are in all; -1 (ENOMEM).
 */
long ml_growth_rank(const struct ml_growth *g, unsigned int kinds, enum ml_growth_sort key,
		    bool reverse, const struct ml_growth_item **out, size_t cap);

/*
 * The k items of kind with the largest positive slope so far (processes
 * whose PSS to read), largest first; returns how many.
 */
size_t ml_growth_top_rising(const struct ml_growth *g, enum ml_growth_kind kind,
			    const struct ml_growth_item **out, size_t k);

/* Memory figures for the time to exhaustion (meminfo's, at the last sample). */
struct ml_growth_mem {
	bool has_available;
	uint64_t available; /* MemAvailable */
	bool has_commit;
	uint64_t commit_limit, committed; /* CommitLimit, Committed_AS */
	int overcommit;                   /* vm.overcommit_memory: 0, 1, 2; -1 unknown */
};

/*
 * A snapshot into the model (growth-feed.c): within ml_growth_begin/end, the
 * items of kinds (a mask of 1u << kind) that s has read, as memlens growth
 * and explain's leak rule both sample them: the kernel parts of meminfo and
 * the unaccounted remainder, slab caches, vmalloc callers, processes' RSS
 * (ML_SNAP_PROC_RSS). 0, or -1 (ENOMEM).
 */
struct ml_snapshot;
struct ml_vm_group;
int ml_growth_feed(struct ml_growth *g, const struct ml_snapshot *s, unsigned int kinds);
/* The unaccounted remainder's item name. */
#define ML_GROWTH_UNACCOUNTED "unaccounted"
/* A vmalloc caller's item name: "func [module]" as %pS prints it, built-ins without. */
const char *ml_growth_caller_id(char *buf, size_t cap, const struct ml_vm_group *grp);
/* The figures of s that the time to exhaustion divides (m->overcommit untouched). */
void ml_growth_mem_read(struct ml_growth_mem *m, const struct ml_snapshot *s);

enum ml_growth_eta_state {
	ML_ETA_NONE,    /* nothing grows: no suspect */
	ML_ETA_KNOWN,   /* eta_s */
	ML_ETA_UNKNOWN, /* suspects, but the room is unknown (no MemAvailable) */
};

struct ml_growth_eta {
	uint32_t suspects;
	double rate; /* bytes per second, nested items counted once */
	enum ml_growth_eta_state state;
	uint64_t available;
	double eta_s; /* MemAvailable / rate */
	/* overcommit strict: CommitLimit - Committed_AS */
	bool commit_strict; /* vm.overcommit_memory = 2 */
	enum ml_growth_eta_state commit_state;
	int64_t commit_room; /* may be negative: already over the limit */
	double commit_eta_s; /* 0 when the room is gone */
};

/* Sum the suspects' slopes and divide the room by it; 0, or -1 (ENOMEM). */
int ml_growth_exhaustion(const struct ml_growth *g, const struct ml_growth_mem *m,
			 struct ml_growth_eta *e);

/* One suspect's own time to exhaust MemAvailable, alone; false when not a suspect or unknown. */
bool ml_growth_item_eta(const struct ml_growth_eta *e, const struct ml_growth_verdict *v,
			double *eta_s);

#endif /* ML_GROWTH_H */
