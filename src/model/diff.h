/*
 * Two snapshots compared: memory at two moments (memlens diff). Each view
 * is a table of rows matched by a key that means "the same thing" at both
 * moments: a meminfo field by name, a slab cache by name and ordinal (two
 * caches of one name, as mlx5 machines have, stay two rows), a vmalloc caller
 * by function and module, a process by PID and start time (a reused PID is a
 * new process), a zone by node and name, a cgroup by its path. A row holds its value at A and at B,
 * the change, the change per hour and in percent, and whether it is new (only
 * at B) or gone (only at A). Counters since boot (the reclaim and fault
 * activity) are not differenced across a reboot: they are marked reset.
 *
 * The inputs are two refreshed snapshots (model/snapshot.h) and what the
 * caller knows of each moment (its wall-clock time, its boot_id); the rows
 * own their keys. Nothing here prints.
 */
#ifndef ML_DIFF_H
#define ML_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

enum ml_diff_view {
	ML_DIFF_ACCOUNTING, /* the parts of MemTotal */
	ML_DIFF_ACTIVITY,   /* reclaim and fault counters since boot */
	ML_DIFF_MEMINFO,
	ML_DIFF_SLAB,
	ML_DIFF_VMALLOC,
	ML_DIFF_PROCS,
	ML_DIFF_BUDDY,
	ML_DIFF_ZONES,
	ML_DIFF_CGROUPS, /* memory.current of each cgroup (path) */
	ML_DIFF__COUNT
};

/* "accounting", "activity", "meminfo", ...: the view's name in JSON and options. */
extern const char *const ml_diff_view_names[ML_DIFF__COUNT];
int ml_diff_view_lookup(const char *name);

enum ml_diff_unit {
	ML_DIFF_BYTES,
	ML_DIFF_PAGES, /* the page size is unknown on one side */
	ML_DIFF_COUNT, /* events, objects, pages the kernel counts as such */
};
const char *ml_diff_unit_name(enum ml_diff_unit u);

enum ml_diff_presence {
	ML_DIFF_BOTH,
	ML_DIFF_NEW,  /* only at B */
	ML_DIFF_GONE, /* only at A */
};
const char *ml_diff_presence_name(enum ml_diff_presence p);

struct ml_diff_row {
	char *key;   /* unique in its view: "dentry", "dentry#2", "1234@5678" */
	char *label; /* for people: "dentry", "1234 bash", "Node 0 Normal free" */
	enum ml_diff_unit unit;
	enum ml_diff_presence presence;
	bool a_known, b_known; /* a value, not n/a (a process that could not be read) */
	uint64_t a, b;
	bool change_known; /* both known (a new or gone row counts its absence as 0) */
	int64_t change;    /* b - a */
	bool rate_known;   /* and the time between A and B is known */
	double per_hour;
	bool pct_known; /* and a > 0 */
	double pct;
	bool reset; /* a counter since boot, and the machine rebooted in between */
};

struct ml_diff_table {
	enum ml_diff_view view;
	bool available;            /* both sides could be read */
	const char *why_a, *why_b; /* why not (borrowed from the snapshots) */
	struct ml_diff_row *rows;
	size_t n, cap;
};

/* One side: a refreshed snapshot and what is known of its moment. */
struct ml_diff_side {
	struct ml_snapshot *snap;
	bool time_known;
	double unix_time;    /* wall clock, seconds */
	const char *boot_id; /* NULL when unknown */
};

struct ml_diff {
	struct ml_diff_table t[ML_DIFF__COUNT];
	bool seconds_known;
	double seconds;  /* B - A */
	bool boot_known; /* both boot_ids known */
	bool boot_changed;
};

/* The snapshot sources (ML_SNAP() mask) the views of the mask (1u << view) need. */
unsigned int ml_diff_sources(unsigned int views);

/* Compare a and b in the views of the mask. 0, or -1 with errno ENOMEM. */
int ml_diff_compute(struct ml_diff *d, const struct ml_diff_side *a, const struct ml_diff_side *b,
		    unsigned int views);
void ml_diff_release(struct ml_diff *d);

enum ml_diff_sort {
	ML_DIFF_SORT_DELTA, /* change, largest growth first */
	ML_DIFF_SORT_RATE,  /* change per hour; rows without one last */
	ML_DIFF_SORT_NAME,
	ML_DIFF_SORT_ABS, /* the size of the change either way: the largest movers */
	ML_DIFF_SORT__COUNT
};
/*
 * "delta", "rate", "name", "abs" in enum order, NULL-terminated (the
 * command's --sort keys, the first its default); the lookup (-1 when unknown).
 */
extern const char *const ml_diff_sort_keys[ML_DIFF_SORT__COUNT + 1];
int ml_diff_sort_lookup(const char *name);

/* Sort a table; ties by label. reverse turns the order around. */
void ml_diff_sort(struct ml_diff_table *t, enum ml_diff_sort key, bool reverse);

/* The row's change as a number for --min and sorting (absent sides count as 0). */
int64_t ml_diff_row_change(const struct ml_diff_row *r);

#endif /* ML_DIFF_H */
