/*
 * The dashboard's drawing helpers, shared by the screen's frame (tui.c) and
 * the views (tui-views.c): text clipped at the screen's edge, table cells,
 * scrolling, sizes and changes. Both call these; these call neither, so the
 * calls run one way: tui.c -> tui-views.c -> tui-draw.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui-int.h"

/* Bytes of the first n cells of the UTF-8 string s (every code point one cell). */
static size_t
cells_bytes(const char *s, int n, int *cells)
{
	size_t i = 0;
	int c = 0;

	while (s[i] != '\0' && c < n) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	if (cells != NULL)
		*cells = c;
	return i;
}

int
tui_put(struct tui *t, int y, int x, int w, enum tui_color c, const char *s)
{
	int room = t->cols - x, cells;
	char clean[512];
	size_t n, i;

	if (y < 0 || y >= t->rows || x < 0 || room <= 0)
		return 0;
	if (w >= 0 && w < room)
		room = w;
	n = cells_bytes(s, room, &cells);
	/* Control characters (a file name's newline) would move the cursor: '?' instead. */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (i < n) {
		if (n >= sizeof clean)
			n = sizeof clean - 1;
		for (i = 0; i < n; i++)
			clean[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
		s = clean;
	}
	attrset(t->attr[c]);
	mvaddnstr(y, x, s, (int)n);
	attrset(A_NORMAL);
	return cells;
}

int
tui_putf(struct tui *t, int y, int x, int w, enum tui_color c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_put(t, y, x, w, c, buf);
}

void
tui_put_right(struct tui *t, int y, int x, int w, enum tui_color c, const char *s)
{
	int n = (int)text_width(s);

	if (n < w)
		x += w - n;
	tui_put(t, y, x, w, c, s);
}

void
tui_fill(struct tui *t, int y, int x, int n, enum tui_color c, const char *g)
{
	int i;

	if (y < 0 || y >= t->rows)
		return;
	attrset(t->attr[c]);
	for (i = 0; i < n && x + i < t->cols; i++)
		if (x + i >= 0)
			mvaddstr(y, x + i, g);
	attrset(A_NORMAL);
}

void
tui_unavailable(struct tui *t, int y, const char *what, const char *why)
{
	int x = 1;

	if (what[0] != '\0')
		x += 1 + tui_put(t, y, x, -1, TC_TITLE, what);
	x += 1 + tui_put(t, y, x, -1, TC_BAD, "n/a:");
	tui_put(t, y, x, -1, TC_NORMAL, why != NULL ? why : "cannot be read");
}

void
tui_table_titles(struct tui *t, int y, const struct tui_col *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cols[i].shown)
			tui_table_cell(t, y, &cols[i], TC_TITLE, cols[i].title);
}

void
tui_table_cell(struct tui *t, int y, const struct tui_col *col, enum tui_color c, const char *s)
{
	if (!col->shown)
		return;
	if (col->right)
		tui_put_right(t, y, 1 + col->x, col->w, c, s);
	else
		tui_put(t, y, 1 + col->x, col->w, c, s);
}

int
tui_scroll_clamp(struct tui *t, enum tui_view v, int n, int page)
{
	int *s = &t->scroll[v];

	t->lines[v] = n;
	t->page[v] = page;
	if (*s > n - page)
		*s = n - page;
	if (*s < 0)
		*s = 0;
	return *s;
}

const char *
tui_size(char *buf, size_t cap, const struct tui_frame *f, uint64_t bytes)
{
	return text_size(buf, cap, bytes, f->units);
}

const char *
tui_change(char *buf, size_t cap, const struct tui_frame *f, int64_t bytes)
{
	return tui_change_text(buf, cap, bytes, f->units);
}

enum tui_color
tui_change_color(double d)
{
	return d > 0 ? TC_UP : d < 0 ? TC_DOWN : TC_NORMAL;
}
