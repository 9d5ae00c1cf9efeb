/*
 * Text output helpers; see text.h. Memory errors here are fatal (this is the
 * front end): ml_xmalloc and friends exit with a message.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/text.h"
#include "xalloc.h"

const char *
text_unit_name(const struct ml_units *u)
{
	switch (u->mode) {
	case ML_UNITS_BYTES:
		return "B";
	case ML_UNITS_KIB:
		return u->si ? "kB" : "KiB";
	case ML_UNITS_MIB:
		return u->si ? "MB" : "MiB";
	case ML_UNITS_GIB:
		return u->si ? "GB" : "GiB";
	case ML_UNITS_HUMAN:
		break;
	}
	return "";
}

/* Write the decimal v at p; returns the end. */
static char *
put_u64(char *p, uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/*
 * bytes / 2^shift with decimals digits after the point, rounded as printf's
 * "%.Nf" rounds the exact value (half to even): the same text, without
 * floating point. bytes * 10^decimals must fit in 64 bits.
 */
static char *
put_fixed(char *p, uint64_t bytes, unsigned int shift, unsigned int decimals)
{
	uint64_t scale = decimals == 2 ? 100 : decimals == 1 ? 10 : 1, num = bytes * scale;
	uint64_t q = num >> shift, r = num & ((UINT64_C(1) << shift) - 1);
	uint64_t half = UINT64_C(1) << (shift - 1);

	if (r > half || (r == half && (q & 1) != 0))
		q++;
	p = put_u64(p, q / scale);
	if (decimals > 0) {
		uint64_t f = q % scale;

		*p++ = '.';
		if (decimals == 2)
			*p++ = (char)('0' + f / 10);
		*p++ = (char)('0' + f % 10);
	}
	return p;
}

static const char *
human(char *buf, size_t cap, uint64_t bytes, bool si, const char *sign)
{
	static const char *const bin[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	static const char *const dec[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	const char *const *names = si ? dec : bin;
	double base = si ? 1000.0 : 1024.0, v = (double)bytes;
	unsigned int i = 0, decimals;
	char *p;

	if (bytes < (uint64_t)base) {
		if (cap < 24) {
			snprintf(buf, cap, "%s%llu B", sign, (unsigned long long)bytes);
			return buf;
		}
		p = buf + strlen(strcpy(buf, sign));
		p = put_u64(p, bytes);
		memcpy(p, " B", 3);
		return buf;
	}
	while (v >= base && i < 6) {
		v /= base;
		i++;
	}
	/* Round first, so that 1023.96 MiB becomes "1.00 GiB", not "1024 MiB". */
	if (v >= 99.95 && floor(v + 0.5) >= base && i < 6) {
		v /= base;
		i++;
	}
	decimals = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
	/*
	 * In binary units v is bytes / 1024^i exactly: its digits come from
	 * integers. SI units, and sizes beyond 2^53 bytes (where the double
	 * is not exact), go through printf.
	 */
	if (!si && bytes < (UINT64_C(1) << 53) && cap >= 24) {
		p = buf + strlen(strcpy(buf, sign));
		p = put_fixed(p, bytes, 10 * i, decimals);
		*p++ = ' ';
		strcpy(p, names[i]);
		return buf;
	}
	if (decimals == 2)
		snprintf(buf, cap, "%s%.2f %s", sign, v, names[i]);
	else if (decimals == 1)
		snprintf(buf, cap, "%s%.1f %s", sign, v, names[i]);
	else
		snprintf(buf, cap, "%s%.0f %s", sign, v, names[i]);
	return buf;
}

static const char *
fixed(char *buf, size_t cap, uint64_t bytes, const struct ml_units *u, const char *sign)
{
	uint64_t div = 1, k = u->si ? 1000 : 1024;

	switch (u->mode) {
	case ML_UNITS_KIB:
		div = k;
		break;
	case ML_UNITS_MIB:
		div = k * k;
		break;
	case ML_UNITS_GIB:
		div = k * k * k;
		break;
	default:
		break;
	}
	snprintf(buf, cap, "%s%llu", sign, (unsigned long long)(bytes / div));
	return buf;
}

const char *
text_size(char *buf, size_t cap, uint64_t bytes, const struct ml_units *u)
{
	if (u->mode == ML_UNITS_HUMAN)
		return human(buf, cap, bytes, u->si, "");
	return fixed(buf, cap, bytes, u, "");
}

const char *
text_sz(const struct ml_units *u, uint64_t bytes)
{
	static char ring[16][32];
	static unsigned int next;

	next = (next + 1) % 16;
	return text_size(ring[next], sizeof ring[next], bytes, u);
}

const char *
text_ssize(char *buf, size_t cap, int64_t bytes, const struct ml_units *u)
{
	uint64_t mag = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
	const char *sign = bytes < 0 ? "-" : "";

	if (u->mode == ML_UNITS_HUMAN)
		return human(buf, cap, mag, u->si, sign);
	return fixed(buf, cap, mag, u, sign);
}

const char *
text_bar(char *buf, size_t cap, double fraction, int width, bool utf8)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	size_t len = 0;
	long cells8, i;

	if (cap == 0)
		return "";
	buf[0] = '\0';
	if (!(fraction > 0) || width <= 0)
		return buf;
	if (fraction > 1)
		fraction = 1;
	cells8 = lround(fraction * width * 8);
	for (i = 0; i < cells8 / 8; i++) {
		const char *c = utf8 ? "█" : "#";
		size_t n = strlen(c);

		if (len + n >= cap)
			break;
		memcpy(buf + len, c, n);
		len += n;
	}
	if (utf8 && cells8 % 8 != 0) {
		const char *c = eighths[cells8 % 8];
		size_t n = strlen(c);

		if (len + n < cap) {
			memcpy(buf + len, c, n);
			len += n;
		}
	}
	buf[len] = '\0';
	return buf;
}

static const char *const style_codes[TS__COUNT] = {
	[TS_NONE] = "",          [TS_HEADER] = "\033[1m",  [TS_DIM] = "\033[2m",
	[TS_BOLD] = "\033[1m",   [TS_GOOD] = "\033[32m",   [TS_WARN] = "\033[33m",
	[TS_BAD] = "\033[1;31m", [TS_FREE] = "\033[32m",   [TS_CACHE] = "\033[34m",
	[TS_ANON] = "\033[35m",  [TS_KERNEL] = "\033[33m", [TS_HUGE] = "\033[36m",
	[TS_OTHER] = "\033[31m",
};
_Static_assert(ML_ARRAY_SIZE(style_codes) == TS__COUNT, "style_codes out of sync");

const char *
text_style_on(const struct text_out *o, enum text_style s)
{
	if (!o->color || s <= TS_NONE || s >= TS__COUNT)
		return "";
	return style_codes[s];
}

const char *
text_style_off(const struct text_out *o, enum text_style s)
{
	if (!o->color || s <= TS_NONE || s >= TS__COUNT)
		return "";
	return "\033[0m";
}

void
text_printf(const struct text_out *o, enum text_style s, const char *fmt, ...)
{
	va_list ap;

	fputs(text_style_on(o, s), o->f);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputs(text_style_off(o, s), o->f);
}

void
text_paragraph(const struct text_out *o, enum text_style s, const char *first_prefix,
	       const char *rest_prefix, const char *text)
{
	text_paragraph_after(o, TS_NONE, first_prefix, s, rest_prefix, text);
}

void
text_paragraph_after(const struct text_out *o, enum text_style label_style, const char *label,
		     enum text_style s, const char *rest_prefix, const char *text)
{
	const char *prefix = label, *p = text, *word_end;
	size_t col, width = o->width > 20 ? (size_t)o->width : 80, wlen;
	bool line_empty;

	while (*p != '\0') {
		if (prefix == label)
			text_printf(o, label_style, "%s", label);
		else
			fputs(prefix, o->f);
		fputs(text_style_on(o, s), o->f);
		col = text_width(prefix);
		line_empty = true;
		while (*p != '\0') {
			while (*p == ' ')
				p++;
			word_end = p;
			while (*word_end != '\0' && *word_end != ' ')
				word_end++;
			wlen = (size_t)(word_end - p);
			if (wlen == 0)
				break;
			if (!line_empty && col + 1 + wlen > width - 1)
				break;
			if (!line_empty) {
				fputc(' ', o->f);
				col++;
			}
			for (const char *c = p; c < word_end; c++)
				fputc(*c == TEXT_NBSP ? ' ' : *c, o->f);
			col += wlen;
			line_empty = false;
			p = word_end;
		}
		fputs(text_style_off(o, s), o->f);
		fputc('\n', o->f);
		prefix = rest_prefix;
		while (*p == ' ')
			p++;
	}
}

const char *
text_nobreak(char *buf, size_t cap, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < cap && s[i] != '\0'; i++)
		buf[i] = s[i] == ' ' ? TEXT_NBSP : s[i];
	if (cap > 0)
		buf[i] = '\0';
	return buf;
}

size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

struct text_cell {
	char *text;
	enum text_style style;
};

struct text_row {
	enum text_style style;
	struct text_cell *cells;
};

struct text_table {
	unsigned int ncols;
	char **titles;
	enum text_align *align;
	struct text_row *rows;
	size_t nrows, cap;
	unsigned int next; /* next cell of the last row */
};

struct text_table *
text_table_new(unsigned int ncols)
{
	struct text_table *t = ml_xcalloc(1, sizeof *t);

	t->ncols = ncols;
	t->titles = ml_xcalloc(ncols, sizeof *t->titles);
	t->align = ml_xcalloc(ncols, sizeof *t->align);
	return t;
}

void
text_table_free(struct text_table *t)
{
	size_t r;
	unsigned int c;

	if (t == NULL)
		return;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			free(t->rows[r].cells[c].text);
		free(t->rows[r].cells);
	}
	for (c = 0; c < t->ncols; c++)
		free(t->titles[c]);
	free(t->titles);
	free(t->align);
	free(t->rows);
	free(t);
}

void
text_table_col(struct text_table *t, unsigned int col, const char *title, enum text_align a)
{
	if (col >= t->ncols)
		return;
	free(t->titles[col]);
	t->titles[col] = title != NULL ? ml_xstrdup(title) : NULL;
	t->align[col] = a;
}

void
text_table_row(struct text_table *t, enum text_style s)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = ml_xreallocarray(t->rows, t->cap, sizeof *t->rows);
	}
	t->rows[t->nrows].style = s;
	t->rows[t->nrows].cells = ml_xcalloc(t->ncols, sizeof(struct text_cell));
	t->nrows++;
	t->next = 0;
}

static void
table_vcell(struct text_table *t, enum text_style s, const char *fmt, va_list ap)
{
	struct text_cell *c;

	if (t->nrows == 0 || t->next >= t->ncols)
		return;
	c = &t->rows[t->nrows - 1].cells[t->next++];
	/* Most cells are "%s" of a string already made: a copy, without printf. */
	if (fmt[0] == '%' && fmt[1] == 's' && fmt[2] == '\0')
		c->text = ml_xstrdup(va_arg(ap, const char *));
	else
		c->text = ml_xvasprintf(fmt, ap);
	c->style = s;
}

void
text_table_cell(struct text_table *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	table_vcell(t, TS_NONE, fmt, ap);
	va_end(ap);
}

void
text_table_cell_styled(struct text_table *t, enum text_style s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	table_vcell(t, s, fmt, ap);
	va_end(ap);
}

/* Append a cell, padded to width, to line; the caller trims trailing blanks. */
static void
append_cell(char **line, size_t *len, size_t *cap, const struct text_out *o, const char *text,
	    size_t width, enum text_align a, enum text_style s)
{
	size_t w = text_width(text), pad = width > w ? width - w : 0;
	const char *on = text[0] != '\0' ? text_style_on(o, s) : "";
	const char *off = text[0] != '\0' ? text_style_off(o, s) : "";
	size_t non = strlen(on), ntext = strlen(text), noff = strlen(off);
	size_t need = *len + pad + non + ntext + noff + 1;

	if (need > *cap) {
		while (need > *cap)
			*cap = *cap ? *cap * 2 : 256;
		*line = ml_xreallocarray(*line, *cap, 1);
	}
	if (a == TA_RIGHT) {
		memset(*line + *len, ' ', pad);
		*len += pad;
	}
	memcpy(*line + *len, on, non);
	memcpy(*line + *len + non, text, ntext);
	memcpy(*line + *len + non + ntext, off, noff);
	*len += non + ntext + noff;
	if (a == TA_LEFT) {
		memset(*line + *len, ' ', pad);
		*len += pad;
	}
	(*line)[*len] = '\0';
}

/* Write one line without its trailing blanks. */
static void
put_line(FILE *f, char *line, size_t len)
{
	while (len > 0 && line[len - 1] == ' ')
		len--;
	fwrite(line, 1, len, f);
	fputc('\n', f);
}

/* The first cells of s that fit in w cells, the last one a '~' when cut, into buf. */
static const char *
cut_cells(char *buf, size_t cap, const char *s, size_t w)
{
	size_t i = 0, cells = 0;

	if (text_width(s) <= w || w == 0)
		return s;
	while (s[i] != '\0' && cells + 1 < w && i + 8 < cap) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cells++;
	}
	memcpy(buf, s, i);
	buf[i] = '~';
	buf[i + 1] = '\0';
	return buf;
}

void
text_table_print(const struct text_table *t, const struct text_out *o, int indent)
{
	size_t *width = ml_xcalloc(t->ncols, sizeof *width), r, w, len, cap = 0, total, cut_w = 0;
	unsigned int c;
	bool titles = false;
	char *line = NULL, cut[512];

	for (c = 0; c < t->ncols; c++) {
		if (t->titles[c] != NULL) {
			titles = true;
			width[c] = text_width(t->titles[c]);
		}
		for (r = 0; r < t->nrows; r++) {
			const char *s = t->rows[r].cells[c].text;

			if (s != NULL && (w = text_width(s)) > width[c])
				width[c] = w;
		}
	}
	/*
	 * Wider than the terminal: the first column (names) gives up the cells
	 * that are missing, down to 8, its longer names cut with '~' (as ps
	 * cuts a command). In a pipe or a file nothing is cut.
	 */
	total = (size_t)indent;
	for (c = 0; c < t->ncols; c++)
		total += width[c] + (c > 0 ? 2 : 0);
	if (o->tty && o->width > 0 && total > (size_t)o->width && t->ncols > 1 &&
	    t->align[0] == TA_LEFT) {
		size_t over = total - (size_t)o->width, floor = 8;

		if (t->titles[0] != NULL && text_width(t->titles[0]) > floor)
			floor = text_width(t->titles[0]);
		if (width[0] > floor) {
			cut_w = width[0] - over > floor && width[0] > over ? width[0] - over
									   : floor;
			width[0] = cut_w;
		}
	}
	for (r = 0; r < t->nrows + (titles ? 1 : 0); r++) {
		bool is_title = titles && r == 0;
		const struct text_row *row = is_title ? NULL : &t->rows[r - (titles ? 1 : 0)];

		len = 0;
		for (c = 0; c < t->ncols; c++) {
			const char *text;
			enum text_style s;

			if (is_title) {
				text = t->titles[c] != NULL ? t->titles[c] : "";
				s = TS_HEADER;
			} else {
				text = row->cells[c].text != NULL ? row->cells[c].text : "";
				s = row->cells[c].style != TS_NONE ? row->cells[c].style
								   : row->style;
				if (c == 0 && cut_w > 0)
					text = cut_cells(cut, sizeof cut, text, cut_w);
			}
			/* the indent before the first column, two spaces between columns */
			append_cell(&line, &len, &cap, o, "", (size_t)(c == 0 ? indent : 2),
				    TA_LEFT, TS_NONE);
			/*
			 * A last column aligned left is not padded: the blanks would
			 * be trimmed, and one long cell (a command line) would make
			 * every line that long first.
			 */
			append_cell(&line, &len, &cap, o, text,
				    c + 1 == t->ncols && t->align[c] == TA_LEFT ? 0 : width[c],
				    t->align[c], s);
		}
		put_line(o->f, line, len);
	}
	free(line);
	free(width);
}
