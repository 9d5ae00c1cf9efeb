/*
 * The live dashboard's screen (memlens top): the only user of curses.
 *
 * Two sides. The data side (src/cmd/cmd-top.c) owns every reader and model
 * struct; after each refresh it fills a struct tui_frame with pointers to
 * them, which the screen borrows until the next refresh, and calls
 * tui_draw(). The screen never opens a file: tui_wait() reads keys until the
 * next refresh is due or a key needs the data side, and keeps what the
 * person asked for in its struct tui_request (the view, sort, filter, the
 * rows on screen), which the data side reads before it refreshes. Keys that
 * only move the picture (scrolling, help, a resize) are handled inside
 * tui_wait() by drawing the same frame again.
 *
 *	t = tui_open(&opt, &cause);
 *	for (;;) {
 *		refresh what tui_request(t) needs, fill frame;
 *		tui_draw(t, &frame);
 *		if (tui_wait(t, &deadline) == TUI_EV_QUIT)
 *			break;
 *	}
 *	tui_close(t);
 *
 * Terminal safety: tui_open registers an atexit handler and tui_close is
 * idempotent, so the terminal is restored on every way out; SIGINT and
 * SIGTERM set ml_stop_requested (the data side's handlers) and tui_wait
 * returns TUI_EV_QUIT when it sees it. Resizes arrive as KEY_RESIZE.
 */
#ifndef ML_TUI_H
#define ML_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "model/accounting.h"
#include "model/cgroups.h"
#include "model/fragmentation.h"
#include "model/headline.h"
#include "model/mapkind.h"
#include "model/procs.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "model/watermarks.h"
#include "render/text.h"
#include "proc/pressure.h"

enum tui_view {
	TUI_VIEW_OVERVIEW,
	TUI_VIEW_PROCS,
	TUI_VIEW_SLAB,
	TUI_VIEW_VMALLOC,
	TUI_VIEW_BUDDY,
	TUI_VIEW_ZONES,
	TUI_VIEW_CGROUPS,
	TUI_VIEW__COUNT
};

/* The view named "overview", "processes" ("procs" too), ...; -1 when unknown. */
int tui_view_lookup(const char *name);
/* The name of view v ("overview", ...), as --view and the tabs say it. */
const char *tui_view_name(enum tui_view v);

/*
 * The sort keys of a view: the model's table (ml_proc_sort_keys,
 * ml_slab_sort_keys, ml_vm_sort_keys; an empty list for views without keys),
 * the key a view starts with (an index into that table, -1 when none) and
 * the next one 's' steps to. The process view offers the keys of its columns
 * only; slab and vmalloc every key, from growth on.
 */
const char *const *tui_sort_table(enum tui_view v);
int tui_sort_first(enum tui_view v);
int tui_sort_next(enum tui_view v, int key);
/* Groupings ('g'): processes none/user/command, vmalloc caller/module/type. */
const char *const *tui_group_names(enum tui_view v);

/* A source a view needs: read, or why not (one line, shown in the view). */
struct tui_src {
	bool ok;
	const char *why; /* when !ok */
};

/* Reclaim and fault counters from vmstat. */
struct tui_activity {
	uint64_t stall, scan_kswapd, scan_direct, swapin, swapout, majfault, oom, refault;
	uint64_t fault; /* pgfault: every fault, major ones included */
};

struct tui_header {
	const char *host, *kernel, *proc_root;
	time_t time; /* of the last refresh */
	struct tui_src mem;
	const struct ml_accounting *acct;
	const struct ml_headline *head;
	/* MemAvailable at each refresh: a ring, oldest at start. */
	const uint64_t *avail;
	unsigned int avail_cap, avail_start, avail_n;
	struct tui_src psi;
	const struct ml_pressure *pressure;
	/* Page faults per second between the last two refreshes (vmstat). */
	bool faults_known; /* vmstat prints pgfault and pgmajfault, and two reads were made */
	double minor_per_s, major_per_s;
};

struct tui_overview {
	const struct ml_accounting *prev_acct; /* NULL on the first refresh */
	const struct ml_headline *prev_head;
	double seconds; /* since the previous refresh; 0 on the first */
	struct tui_src vmstat;
	bool act_known;                        /* this kernel's vmstat has the reclaim counters */
	struct tui_activity since_boot, delta; /* delta valid when seconds > 0 */
	struct tui_src zones;
	const struct ml_watermarks *wm;
	struct tui_src buddy;
	const struct ml_frag *frag;
	bool stack_measured; /* the kernel-stack overlap came from vmallocinfo */
};

/* A process's change between its last two reads (the 'd' key). */
struct tui_proc_change {
	bool known; /* read twice */
	int64_t pss, uss, rss, swap;
	bool has_growth; /* PSS read at least twice */
	double growth;   /* PSS bytes per second, fitted through every read (model/procs.h) */
};

struct tui_procs {
	struct tui_src src;
	/* The processes (kernel threads and zombies left out), filtered and sorted. */
	struct ml_proc *const *rows;
	const struct tui_proc_change *change; /* change[i] is rows[i]'s */
	size_t n;
	/* With a grouping: the groups instead, sorted. */
	const struct ml_proc_group *groups;
	size_t ngroups;
	struct ml_proc_sum total; /* over rows */
	uint64_t listed, kthreads, zombies;
	uint64_t now_ns;         /* CLOCK_MONOTONIC of this refresh, for the age of a row */
	double interval;         /* a row older than 1.5 intervals shows its age */
	const char *denied_hint; /* what to do about unreadable processes */

	/* The maps breakdown of one process (Enter). */
	int maps_pid; /* 0: none open */
	struct tui_src maps_src;
	const char *maps_comm, *maps_cmdline, *maps_user;
	const struct ml_mapsum *sum;
	const struct ml_mapfile *const *files; /* by PSS */
	size_t nfiles;
};

struct tui_slab {
	struct tui_src src;
	const struct ml_slab_view *view;
	const struct ml_slab_row *const *rows; /* the filtered rows, in display order */
	uint32_t n;
	double seconds;          /* the window of the growth figures; 0 = none yet */
	const char *reclaim_why; /* why reclaimability is unknown, or NULL */
};

struct tui_vmalloc {
	struct tui_src src;
	const struct ml_vmalloc *vm;
	const struct ml_vm_group *const *groups; /* filtered, in display order */
	size_t n;
	uint32_t ngroups; /* groups with areas now; unpurged areas are never listed */
	double seconds;   /* since the previous read; 0 = no growth yet */
};

struct tui_buddy {
	struct tui_src src;
	const struct ml_frag *cur;
	const struct ml_frag *prev; /* the read before; NULL on the first */
};

/* A zone's free pages at the previous read, for the change column. */
struct tui_zone_prev {
	int64_t node;
	char name[32];
	bool known;
	uint64_t free_pages;
};

struct tui_zones {
	struct tui_src src;
	const struct ml_watermarks *wm;
	const struct tui_zone_prev *prev; /* prev[i] matches wm->zones[i] by node and name */
	uint32_t nprev;
};

/* The cgroups of the memory controller's hierarchy (model/cgroups.h). */
struct tui_cgroups {
	struct tui_src src;
	const char *where; /* "cgroup v2 at /sys/fs/cgroup" */
	double age;        /* seconds since the tree was read */
	const struct ml_cgtree *tree;
	/* In display order: the tree (children sorted), or the matches of the filter. */
	const struct ml_cgroup *const *rows;
	size_t n;
	bool flat;            /* rows are the filter's matches: show paths, no branches */
	const char *sums_why; /* why PSS sums are not shown, or NULL */
};

struct tui_frame {
	const struct ml_units *units;
	unsigned long refreshes; /* 1 for the first frame */
	struct tui_header header;
	/* Only the active view's part is filled. */
	struct tui_overview overview;
	struct tui_procs procs;
	struct tui_slab slab;
	struct tui_vmalloc vmalloc;
	struct tui_buddy buddy;
	struct tui_zones zones;
	struct tui_cgroups cgroups;
};

#define TUI_FILTER_MAX 64
#define TUI_CGROUP_MAX 1024
/*
 * The shares of one core the process view may spend reading smaps_rollup
 * (model/procsched.h): for the selected row, the other rows on screen, and
 * the rest. With the rest of a refresh, under half of what htop spends.
 */
#define TUI_PROC_SELECTED_SHARE 0.001
#define TUI_PROC_SHOWN_SHARE 0.0015
#define TUI_PROC_SHARE 0.0004
#define TUI_VISIBLE_MAX 512

/* What the person asked for; the screen owns it, the data side reads it. */
struct tui_request {
	enum tui_view view;
	double interval; /* seconds */
	bool paused;
	bool delta;                /* 'd': changes instead of values */
	int sort[TUI_VIEW__COUNT]; /* index into tui_sort_table(view); -1: no keys */
	bool reverse[TUI_VIEW__COUNT];
	unsigned int group[TUI_VIEW__COUNT]; /* index into tui_group_names(view) */
	char filter[TUI_VIEW__COUNT][TUI_FILTER_MAX];
	/* The processes on screen and the selected one, for the data side to read first. */
	int visible[TUI_VISIBLE_MAX];
	unsigned int nvisible;
	int selected_pid; /* 0: none */
	int maps_pid;     /* > 0: the maps breakdown of this process is open */
	/* Not "": the processes view shows the members of this cgroup (Enter in cgroups). */
	char cgroup[TUI_CGROUP_MAX];
};

enum tui_event {
	TUI_EV_TICK,   /* the refresh is due */
	TUI_EV_CHANGE, /* the request changed: read (a new view) or derive again */
	TUI_EV_QUIT,
};

struct tui_options {
	enum tui_view view;
	double interval;
	bool color; /* wanted: auto said yes or --color=always; has_colors() decides too */
	bool utf8;
	volatile sig_atomic_t *stop; /* set by the data side's signal handlers */
};

struct tui;

/* Take the terminal; NULL with a cause when it cannot be used. */
struct tui *tui_open(const struct tui_options *opt, char **cause);
/* Give the terminal back as it was; safe to call twice. */
void tui_close(struct tui *t);

const struct tui_request *tui_request(const struct tui *t);

/* Draw a frame; it stays borrowed until the next tui_draw. */
void tui_draw(struct tui *t, const struct tui_frame *f);

/*
 * Read keys until the monotonic deadline (NULL: no refresh is due, as when
 * paused), redrawing as keys ask; the event says why it returned.
 */
enum tui_event tui_wait(struct tui *t, const struct timespec *deadline);

#endif /* ML_TUI_H */
