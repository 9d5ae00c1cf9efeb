/*
 * Text output: sizes in the user's units, aligned tables, proportional bars
 * and semantic colors. Only src/render, src/cmd and src/tui (sizes only) include this.
 *
 * A table owns copies of its cells; widths are measured in terminal columns
 * (UTF-8 aware), so bars made of block characters align like plain text.
 */
#ifndef ML_TEXT_H
#define ML_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "compat.h"

enum ml_unit_mode {
	ML_UNITS_HUMAN, /* -h: scaled, with a suffix (default) */
	ML_UNITS_BYTES, /* -b */
	ML_UNITS_KIB,   /* -k */
	ML_UNITS_MIB,   /* -m */
	ML_UNITS_GIB,   /* -g */
};

struct ml_units {
	enum ml_unit_mode mode;
	bool si; /* --si: powers of 1000 */
};

/* Semantic styles; mapped to SGR colors only when color is on. */
enum text_style {
	TS_NONE,
	TS_HEADER, /* titles */
	TS_DIM,    /* provenance, notes */
	TS_BOLD,   /* totals */
	TS_GOOD,
	TS_WARN,
	TS_BAD,
	TS_FREE, /* accounting colors */
	TS_CACHE,
	TS_ANON,
	TS_KERNEL,
	TS_HUGE,
	TS_OTHER,
	TS__COUNT
};

struct text_out {
	FILE *f;
	bool color;
	bool utf8;
	int width;      /* terminal columns */
	bool width_set; /* width is the terminal's or $COLUMNS, not a default: fit long cells to it
			 */
	bool tty;       /* a terminal: a table too wide for it cuts its first column */
	struct ml_units units;
};

/* Format bytes in the configured units: "23.5 GiB", or "24684092" with -k. */
const char *text_size(char *buf, size_t cap, uint64_t bytes, const struct ml_units *u);
/*
 * text_size into one of 16 rotating internal buffers: for several sizes in
 * one printf. The result is valid until 16 more calls.
 */
const char *text_sz(const struct ml_units *u, uint64_t bytes);
/* Same, signed. */
const char *text_ssize(char *buf, size_t cap, int64_t bytes, const struct ml_units *u);
/* The unit word of a fixed mode ("KiB", "kB", "B"), or "" for human. */
const char *text_unit_name(const struct ml_units *u);

/* A bar of width cells for fraction (0..1), eighth-blocks in UTF-8, '#' otherwise. */
const char *text_bar(char *buf, size_t cap, double fraction, int width, bool utf8);

/* The escape sequence that starts style s ("" when color is off). */
const char *text_style_on(const struct text_out *o, enum text_style s);
const char *text_style_off(const struct text_out *o, enum text_style s);

/* printf in a style. */
void text_printf(const struct text_out *o, enum text_style s, const char *fmt, ...) ML_PRINTF(3, 4);

/*
 * Print text word-wrapped to the output width: first_prefix before the first
 * line, rest_prefix before the others (both count towards the width).
 * TEXT_NBSP in text prints as a space that never breaks ("2.00 MiB").
 */
#define TEXT_NBSP '\x1f'
void text_paragraph(const struct text_out *o, enum text_style s, const char *first_prefix,
		    const char *rest_prefix, const char *text);

/* The same after a label printed in label_style on the first line. */
void text_paragraph_after(const struct text_out *o, enum text_style label_style, const char *label,
			  enum text_style s, const char *rest_prefix, const char *text);

/* Copy s into buf with its spaces made TEXT_NBSP (for text_paragraph). */
const char *text_nobreak(char *buf, size_t cap, const char *s);

/* Display width of a UTF-8 string (every code point counts as one column). */
size_t text_width(const char *s);

enum text_align { TA_LEFT, TA_RIGHT };

struct text_table;

struct text_table *text_table_new(unsigned int ncols);
void text_table_free(struct text_table *t);
void text_table_col(struct text_table *t, unsigned int col, const char *title, enum text_align a);
/* Start a row in style s; then exactly ncols cells. */
void text_table_row(struct text_table *t, enum text_style s);
void text_table_cell(struct text_table *t, const char *fmt, ...) ML_PRINTF(2, 3);
void text_table_cell_styled(struct text_table *t, enum text_style s, const char *fmt, ...)
	ML_PRINTF(3, 4);
/* Print with indent spaces before each line; titles are printed when any is set. */
void text_table_print(const struct text_table *t, const struct text_out *o, int indent);

#endif /* ML_TEXT_H */
