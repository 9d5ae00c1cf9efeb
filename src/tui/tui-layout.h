/*
 * The arithmetic of the dashboard's screen, without curses: how MemTotal's
 * parts group into the header's bar and how many cells each gets, sparkline
 * and heat-map levels, the interval ladder of '+' and '-', which table
 * columns fit a width, and short numbers for narrow cells. Pure functions,
 * unit-tested (tests/unit/test-tui-layout.c); src/tui draws with them.
 */
#ifndef ML_TUI_LAYOUT_H
#define ML_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/accounting.h"
#include "render/text.h"

/*
 * The header bar's groups of the accounting of MemTotal, in drawing order:
 * what the kernel cannot easily give back first, then the page cache, then
 * free memory, so the bar reads like free(1)'s used / buff/cache / free.
 */
enum tui_mem_group {
	TUI_MEM_ANON,        /* anonymous */
	TUI_MEM_SLAB,        /* slab, reclaimable and not */
	TUI_MEM_VMALLOC,     /* vmalloc */
	TUI_MEM_KERNEL,      /* other kernel: stacks, page tables, per-cpu, zswap, ... */
	TUI_MEM_HUGETLB,     /* the hugetlb pool */
	TUI_MEM_UNACCOUNTED, /* what no counter names (0 when negative) */
	TUI_MEM_CACHE,       /* page cache, buffers, swap cache */
	TUI_MEM_FREE,        /* free */
	TUI_MEM__COUNT
};

/* "page cache", and a short form for narrow screens ("cache"). */
const char *tui_mem_group_label(enum tui_mem_group g);
const char *tui_mem_group_short(enum tui_mem_group g);
/* The group an accounting part belongs to. */
enum tui_mem_group tui_mem_group_of(enum ml_acct_part p);

/*
 * Sum the known parts of a into their groups (bytes). Parts the kernel does
 * not report add nothing (their memory is in unaccounted); a negative
 * unaccounted counts as 0. The groups add up to a->total unless the parts
 * overlap (unaccounted < 0).
 */
void tui_mem_groups(const struct ml_accounting *a, uint64_t out[TUI_MEM__COUNT]);

/*
 * Split width cells among n parts in proportion to parts[i] / total, by the
 * largest remainder, so the cells add up to round(sum * width / total) and a
 * part never differs from its exact share by a cell or more. total 0 gives 0
 * cells everywhere; a sum above total is scaled to width.
 */
void tui_split_cells(const uint64_t *parts, size_t n, uint64_t total, int width, int *cells);

/*
 * The level (0 .. levels-1) of v on a sparkline spanning [lo, hi]; a flat
 * range (hi <= lo) is drawn at the middle level.
 */
int tui_spark_level(uint64_t v, uint64_t lo, uint64_t hi, int levels);

/*
 * The heat level of a share in 0..1 for the buddy heat map: 0 only for
 * exactly nothing, then 1 (< 5 %), 2 (< 20 %), 3 (< 50 %), 4 (the rest).
 */
#define TUI_HEAT_LEVELS 5
int tui_heat_level(double share);

/*
 * The next refresh interval up (dir > 0) or down (dir < 0) the ladder
 * 0.1 0.2 0.5 1 2 3 5 10 30 60 seconds; a value between two steps moves to
 * the next one in that direction; the ends stay where they are.
 */
double tui_interval_step(double cur, int dir);

/* A table column for tui_fit_columns. */
struct tui_col {
	const char *title;
	int width;  /* cells, title included */
	int prio;   /* 0 = always shown; larger numbers are dropped first */
	bool right; /* aligned right */
	bool flex;  /* takes the room left over (at most one column) */
	bool shown; /* out: fits */
	int x;      /* out: first cell, when shown */
	int w;      /* out: width given, when shown */
};

/*
 * Choose the columns that fit avail cells, one blank between two columns:
 * drop the highest prio first (the last of equals first) until the rest
 * fit, then give the room left to the flex column. A column of width 0 is
 * never shown. Returns the width used.
 */
int tui_fit_columns(struct tui_col *cols, size_t n, int avail);

/*
 * A count in at most width characters (width >= 4): "123456" when it fits,
 * else "124k", "12.3M", "1.2G", "12T" (powers of 1000, rounded).
 */
const char *tui_count(char *buf, size_t cap, uint64_t v, int width);

/*
 * A size for the header, where every cell counts: in human units "23.5G",
 * "512M", "0B" (text_size without the space and "iB"); in a fixed unit as
 * text_size prints it.
 */
const char *tui_size_short(char *buf, size_t cap, uint64_t bytes, const struct ml_units *u);

/* The same, signed, with '+' for a rise: "+1.2M", "-512k", "0". */
const char *tui_delta_short(char *buf, size_t cap, int64_t bytes, const struct ml_units *u);

/*
 * A signed change in the user's units, at the start of buf (which is also
 * returned): "+1.20 MiB", "-108 KiB", "0".
 */
const char *tui_change_text(char *buf, size_t cap, int64_t bytes, const struct ml_units *u);

#endif /* ML_TUI_LAYOUT_H */
