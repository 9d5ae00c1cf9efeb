/*
 * Inside the dashboard's screen: the state behind struct tui, semantic
 * colors, and the drawing helpers the views share. Only src/tui includes
 * this (and curses). Calls run one way: tui.c (the frame, header, keys)
 * calls the views of tui-views.c, and both draw with the helpers of
 * tui-draw.c, which call neither.
 */
#ifndef ML_TUI_INT_H
#define ML_TUI_INT_H

#include <curses.h>
#include <stdbool.h>

#include "compat.h"
#include "tui/tui-layout.h"
#include "tui/tui.h"

/* Semantic colors, mapped per scheme: 8-color, or attributes only (monochrome). */
enum tui_color {
	TC_NORMAL,
	TC_TITLE,  /* titles and column headers */
	TC_DIM,    /* provenance, units, hints */
	TC_GOOD,   /* ok */
	TC_WARN,   /* below high/low, rising pressure */
	TC_BAD,    /* below min, unreadable */
	TC_SEL,    /* the selected row */
	TC_TAB,    /* the active view's tab */
	TC_STATUS, /* the bottom line */
	TC_UP,     /* a value that grew */
	TC_DOWN,   /* a value that shrank */
	TC_MEM,    /* + enum tui_mem_group: the header bar's parts */
	TC_MEM_LAST = TC_MEM + TUI_MEM__COUNT - 1,
	TC_SWAP,
	TC_HEAT, /* + level, 0 .. TUI_HEAT_LEVELS - 1 */
	TC_HEAT_LAST = TC_HEAT + TUI_HEAT_LEVELS - 1,
	TC__COUNT
};

struct tui {
	struct tui_request req;
	const struct tui_frame *frame; /* the last one drawn */
	volatile sig_atomic_t *stop;
	bool open;
	bool color; /* colors in use (wanted and has_colors()) */
	bool utf8;
	int rows, cols;
	attr_t attr[TC__COUNT];

	/* The view's area, set before a view draws. */
	int body_top, body_rows;
	int scroll[TUI_VIEW__COUNT];
	int sel[TUI_VIEW__COUNT];   /* selected row (processes) */
	int lines[TUI_VIEW__COUNT]; /* rows the view had to show at its last draw */
	int page[TUI_VIEW__COUNT];  /* rows it could show */
	int maps_return_scroll;     /* the process list's scroll under the maps */

	bool help;
	int help_scroll;
	bool editing;  /* the filter prompt is open */
	char msg[128]; /* shown once in the status line */
};

/* Views (tui-views.c); each draws rows [t->body_top, +t->body_rows). */
void tui_draw_overview(struct tui *t, const struct tui_frame *f);
void tui_draw_procs(struct tui *t, const struct tui_frame *f);
void tui_draw_slab(struct tui *t, const struct tui_frame *f);
void tui_draw_vmalloc(struct tui *t, const struct tui_frame *f);
void tui_draw_buddy(struct tui *t, const struct tui_frame *f);
void tui_draw_zones(struct tui *t, const struct tui_frame *f);
void tui_draw_cgroups(struct tui *t, const struct tui_frame *f);
/* The path of the selected cgroup, or NULL. */
const char *tui_selected_cgroup(const struct tui *t);
/* The PID of the selected process in the list, or 0. */
int tui_selected_pid(const struct tui *t);

/* Drawing helpers (tui-draw.c). All clip at the right edge of the screen. */

/* Print s at (y, x) in color c, at most w cells (w < 0: to the edge); the cells printed. */
int tui_put(struct tui *t, int y, int x, int w, enum tui_color c, const char *s);
/* The same, printf-style. */
int tui_putf(struct tui *t, int y, int x, int w, enum tui_color c, const char *fmt, ...)
	ML_PRINTF(6, 7);
/* s right-aligned in the w cells starting at x. */
void tui_put_right(struct tui *t, int y, int x, int w, enum tui_color c, const char *s);
/* Repeat the glyph g (one cell) n times from (y, x). */
void tui_fill(struct tui *t, int y, int x, int n, enum tui_color c, const char *g);
/* A view's one-line reason it has nothing to show. */
void tui_unavailable(struct tui *t, int y, const char *what, const char *why);

/* Column headers and cells of a table laid out by tui_fit_columns. */
void tui_table_titles(struct tui *t, int y, const struct tui_col *cols, size_t n);
void tui_table_cell(struct tui *t, int y, const struct tui_col *col, enum tui_color c,
		    const char *s);

/* The first row to show of a list of n rows in page rows, kept within bounds. */
int tui_scroll_clamp(struct tui *t, enum tui_view v, int n, int page);

/* A size in the user's units, and a signed change ("+1.20 MiB", "0"). */
const char *tui_size(char *buf, size_t cap, const struct tui_frame *f, uint64_t bytes);
const char *tui_change(char *buf, size_t cap, const struct tui_frame *f, int64_t bytes);
/* TC_UP, TC_DOWN or TC_NORMAL for a change. */
enum tui_color tui_change_color(double d);

#endif /* ML_TUI_INT_H */
