/*
 * The dashboard's screen: the terminal's lifecycle, semantic colors, the
 * header (MemTotal's bar, swap, MemAvailable's sparkline, pressure), the
 * view tabs, the status line, the help, and the keys. See tui.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/tui-int.h"
#include "xalloc.h"

static const char *const view_names[TUI_VIEW__COUNT] = {
	[TUI_VIEW_OVERVIEW] = "overview", [TUI_VIEW_PROCS] = "processes",
	[TUI_VIEW_SLAB] = "slab",         [TUI_VIEW_VMALLOC] = "vmalloc",
	[TUI_VIEW_BUDDY] = "buddy",       [TUI_VIEW_ZONES] = "zones",
	[TUI_VIEW_CGROUPS] = "cgroups",
};
_Static_assert(ML_ARRAY_SIZE(view_names) == TUI_VIEW__COUNT, "view_names out of sync");

/*
 * The process view offers the keys of the columns it shows, in this order;
 * slab and vmalloc offer every key of the model's table, from growth on.
 */
static const int procs_offered[] = { ML_PS_PSS,    ML_PS_USS,    ML_PS_RSS,
				     ML_PS_SWAP,   ML_PS_PID,    ML_PS_COMMAND,
				     ML_PS_MINFLT, ML_PS_MAJFLT, ML_PS_GROWTH };
static const char *const no_keys[] = { NULL };
static const char *const procs_group[] = { "none", "user", "command", NULL };

const char *
tui_view_name(enum tui_view v)
{
	return v < TUI_VIEW__COUNT ? view_names[v] : NULL;
}

int
tui_view_lookup(const char *name)
{
	int v;

	for (v = 0; v < TUI_VIEW__COUNT; v++)
		if (strcmp(view_names[v], name) == 0)
			return v;
	if (strcmp(name, "procs") == 0)
		return TUI_VIEW_PROCS;
	return -1;
}

const char *const *
tui_sort_table(enum tui_view v)
{
	switch (v) {
	case TUI_VIEW_PROCS:
		return ml_proc_sort_keys;
	case TUI_VIEW_SLAB:
		return ml_slab_sort_keys;
	case TUI_VIEW_VMALLOC:
		return ml_vm_sort_keys;
	case TUI_VIEW_CGROUPS:
		return ml_cgroup_sort_keys;
	default:
		return no_keys;
	}
}

int
tui_sort_first(enum tui_view v)
{
	switch (v) {
	case TUI_VIEW_PROCS:
		return procs_offered[0];
	case TUI_VIEW_SLAB:
		return ML_SLAB_SORT_GROWTH;
	case TUI_VIEW_VMALLOC:
		return ML_VM_SORT_GROWTH;
	case TUI_VIEW_CGROUPS:
		return ML_CGSORT_CURRENT;
	default:
		return -1;
	}
}

int
tui_sort_next(enum tui_view v, int key)
{
	const char *const *table = tui_sort_table(v);
	size_t i, n = 0;

	if (v == TUI_VIEW_PROCS) {
		for (i = 0; i < ML_ARRAY_SIZE(procs_offered); i++)
			if (procs_offered[i] == key)
				return procs_offered[(i + 1) % ML_ARRAY_SIZE(procs_offered)];
		return procs_offered[0];
	}
	while (table[n] != NULL)
		n++;
	if (n == 0)
		return -1;
	return key < 0 ? 0 : (int)(((size_t)key + 1) % n);
}

const char *const *
tui_group_names(enum tui_view v)
{
	switch (v) {
	case TUI_VIEW_PROCS:
		return procs_group;
	case TUI_VIEW_VMALLOC:
		return ml_vm_by_keys;
	default:
		return no_keys;
	}
}

static bool
view_filters(enum tui_view v)
{
	return v == TUI_VIEW_PROCS || v == TUI_VIEW_SLAB || v == TUI_VIEW_VMALLOC ||
	       v == TUI_VIEW_CGROUPS;
}

static size_t
count_names(const char *const *names)
{
	size_t n = 0;

	while (names[n] != NULL)
		n++;
	return n;
}

/* ---------------------------------------------------------------- colors */

static void
colors_init(struct tui *t)
{
	/* Foreground colors of the header bar's parts, in enum tui_mem_group order. */
	static const short mem_fg[TUI_MEM__COUNT] = {
		[TUI_MEM_ANON] = COLOR_MAGENTA,  [TUI_MEM_SLAB] = COLOR_YELLOW,
		[TUI_MEM_VMALLOC] = COLOR_CYAN,  [TUI_MEM_KERNEL] = COLOR_RED,
		[TUI_MEM_HUGETLB] = COLOR_WHITE, [TUI_MEM_UNACCOUNTED] = COLOR_WHITE,
		[TUI_MEM_CACHE] = COLOR_BLUE,    [TUI_MEM_FREE] = COLOR_GREEN,
	};
	static const short heat_bg[TUI_HEAT_LEVELS] = { -1, COLOR_BLUE, COLOR_CYAN, COLOR_YELLOW,
							COLOR_RED };
	short pair = 1;
	int i;

	for (i = 0; i < TC__COUNT; i++)
		t->attr[i] = A_NORMAL;
	if (!t->color) {
		/* Monochrome: attributes only; the bars use a letter per part. */
		t->attr[TC_TITLE] = A_BOLD;
		t->attr[TC_DIM] = A_DIM;
		t->attr[TC_WARN] = A_BOLD;
		t->attr[TC_BAD] = A_BOLD | A_UNDERLINE;
		t->attr[TC_SEL] = A_REVERSE;
		t->attr[TC_TAB] = A_REVERSE;
		t->attr[TC_STATUS] = A_REVERSE;
		t->attr[TC_HEAT + 0] = A_DIM;
		t->attr[TC_HEAT + 3] = A_BOLD;
		t->attr[TC_HEAT + 4] = A_REVERSE;
		return;
	}
	start_color();
	use_default_colors();
#define PAIR(tc, fg, bg, extra)                                   \
	do {                                                      \
		init_pair(pair, (fg), (bg));                      \
		t->attr[tc] = (attr_t)COLOR_PAIR(pair) | (extra); \
		pair++;                                           \
	} while (0)
	t->attr[TC_TITLE] = A_BOLD;
	t->attr[TC_DIM] = A_DIM;
	PAIR(TC_GOOD, COLOR_GREEN, -1, A_NORMAL);
	PAIR(TC_WARN, COLOR_YELLOW, -1, A_BOLD);
	PAIR(TC_BAD, COLOR_RED, -1, A_BOLD);
	PAIR(TC_SEL, COLOR_BLACK, COLOR_CYAN, A_NORMAL);
	PAIR(TC_TAB, COLOR_BLACK, COLOR_GREEN, A_NORMAL);
	PAIR(TC_STATUS, COLOR_BLACK, COLOR_CYAN, A_NORMAL);
	PAIR(TC_UP, COLOR_RED, -1, A_NORMAL);
	PAIR(TC_DOWN, COLOR_GREEN, -1, A_NORMAL);
	for (i = 0; i < TUI_MEM__COUNT; i++)
		PAIR(TC_MEM + i, mem_fg[i], -1, i == TUI_MEM_UNACCOUNTED ? A_DIM : A_BOLD);
	PAIR(TC_SWAP, COLOR_RED, -1, A_BOLD);
	t->attr[TC_HEAT] = A_DIM;
	for (i = 1; i < TUI_HEAT_LEVELS; i++)
		PAIR(TC_HEAT + i, COLOR_BLACK, heat_bg[i], A_NORMAL);
#undef PAIR
}

/* ---------------------------------------------------------------- header */

/* One cell of part g of the header bar: a colored block, or a letter in monochrome. */
static const char *
mem_glyph(const struct tui *t, enum tui_mem_group g)
{
	static const char letters[TUI_MEM__COUNT] = "asvkh?c.";
	static char one[TUI_MEM__COUNT][2];

	if (g == TUI_MEM_FREE && t->color)
		return " ";
	if (g == TUI_MEM_UNACCOUNTED && t->color)
		return "?";
	if (t->color)
		return t->utf8 ? "\u2588" : "|";
	one[g][0] = letters[g];
	one[g][1] = '\0';
	return one[g];
}

/* "Mem [aaaassvkcccccc     ] 31.3G" on row y. */
static void
draw_mem_bar(struct tui *t, const struct tui_frame *f, int y)
{
	const struct tui_header *h = &f->header;
	uint64_t parts[TUI_MEM__COUNT];
	int cells[TUI_MEM__COUNT], x, w, i, g;
	char total[32];

	tui_put(t, y, 0, -1, TC_TITLE, "Mem");
	if (!h->mem.ok || h->acct == NULL) {
		tui_put(t, y, 4, 5, TC_BAD, "n/a:");
		tui_put(t, y, 9, -1, TC_NORMAL, h->mem.why != NULL ? h->mem.why : "no meminfo");
		return;
	}
	tui_size_short(total, sizeof total, h->acct->total, f->units);
	w = t->cols - 5 - 2 - (int)strlen(total);
	if (w < 8)
		w = 8;
	tui_mem_groups(h->acct, parts);
	tui_split_cells(parts, TUI_MEM__COUNT, h->acct->total, w, cells);
	tui_put(t, y, 4, -1, TC_NORMAL, "[");
	x = 5;
	for (g = 0; g < TUI_MEM__COUNT; g++) {
		tui_fill(t, y, x, cells[g], TC_MEM + g, mem_glyph(t, (enum tui_mem_group)g));
		x += cells[g];
	}
	for (i = x; i < 5 + w; i++)
		tui_put(t, y, i, 1, TC_NORMAL, " ");
	tui_put(t, y, 5 + w, -1, TC_NORMAL, "]");
	tui_put(t, y, 5 + w + 2, -1, TC_TITLE, total);
}

static const char *
legend_label(enum tui_mem_group g, int pass)
{
	return pass == 0 ? tui_mem_group_label(g) : pass == 1 ? tui_mem_group_short(g) : "";
}

/* "a anon 3.2G  s slab 918M ..." on row y, long labels when they fit. */
static void
draw_mem_legend(struct tui *t, const struct tui_frame *f, int y)
{
	const struct tui_header *h = &f->header;
	uint64_t parts[TUI_MEM__COUNT];
	char sizes[TUI_MEM__COUNT][32];
	int pass, g, x, need;

	if (!h->mem.ok || h->acct == NULL)
		return;
	tui_mem_groups(h->acct, parts);
	for (g = 0; g < TUI_MEM__COUNT; g++)
		tui_size_short(sizes[g], sizeof sizes[g], parts[g], f->units);
	/* Long labels, short ones, or the glyphs alone: what fits. */
	for (pass = 0; pass < 3; pass++) {
		need = 5;
		for (g = 0; g < TUI_MEM__COUNT; g++)
			need += 4 + (int)strlen(legend_label((enum tui_mem_group)g, pass)) +
				(pass < 2) + (int)strlen(sizes[g]);
		if (need <= t->cols || pass == 2)
			break;
	}
	x = 5;
	for (g = 0; g < TUI_MEM__COUNT; g++) {
		const char *label = legend_label((enum tui_mem_group)g, pass);

		x += tui_put(t, y, x, -1, TC_MEM + g, mem_glyph(t, (enum tui_mem_group)g));
		x += 1;
		if (pass < 2)
			x += 1 +
			     tui_put(t, y, x, -1, g == TUI_MEM_FREE ? TC_GOOD : TC_NORMAL, label);
		x += tui_put(t, y, x, -1, TC_TITLE, sizes[g]);
		x += 2;
	}
}

/*
 * "Avail 15.7G 50%  ▁▂▃▅▇" on row y: MemAvailable and its history, on the
 * scale of MemTotal (0 to all of it), like the percentage beside it: 98 %
 * moving between 23.0 and 23.1 GiB is a flat line, not a collapse.
 */
static void
draw_avail(struct tui *t, const struct tui_frame *f, int y, int x, int w)
{
	static const char *const spark_utf8[] = { "\u2581", "\u2582", "\u2583", "\u2584",
						  "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const spark_ascii[] = { "_", ".", "-", "=", "*", "#" };
	const struct tui_header *h = &f->header;
	uint64_t window[1024];
	unsigned int i, n;
	char buf[64];
	int levels = t->utf8 ? 8 : 6, room, x0 = x;

	x += tui_put(t, y, x, w, TC_TITLE, "Avail ");
	if (!h->mem.ok || h->head == NULL || !h->head->available.known) {
		tui_put(t, y, x, w - (x - x0), TC_DIM, "n/a");
		return;
	}
	tui_size_short(buf, sizeof buf, h->head->available.v, f->units);
	x += tui_put(t, y, x, w - (x - x0), TC_TITLE, buf);
	if (h->head->total > 0)
		x += tui_putf(t, y, x, w - (x - x0), TC_NORMAL, " %.0f%%",
			      100.0 * (double)h->head->available.v / (double)h->head->total);
	if (h->head->avail_source == ML_AVAIL_ESTIMATED)
		x += tui_put(t, y, x, w - (x - x0), TC_DIM, "*");
	x += 1;
	room = w - (x - x0);
	if (room <= 2 || h->avail_n == 0 || h->avail_cap == 0)
		return;
	/* The newest samples that fit, oldest on the left. */
	n = h->avail_n < (unsigned int)room ? h->avail_n : (unsigned int)room;
	if (n > ML_ARRAY_SIZE(window))
		n = ML_ARRAY_SIZE(window);
	for (i = 0; i < n; i++)
		window[i] = h->avail[(h->avail_start + h->avail_n - n + i) % h->avail_cap];
	for (i = 0; i < n; i++) {
		int l = tui_spark_level(window[i], 0, h->head->total, levels);

		tui_put(t, y, x + (int)i, 1, TC_MEM + TUI_MEM_FREE,
			t->utf8 ? spark_utf8[l] : spark_ascii[l]);
	}
}

/* "Swap [###     ] 1.2G/4.0G" in w cells from x. */
static void
draw_swap(struct tui *t, const struct tui_frame *f, int y, int x, int w)
{
	const struct ml_headline *h = f->header.head;
	char used[32], total[32], tail[80];
	int bar, cells;

	x += tui_put(t, y, x, w, TC_TITLE, "Swap ");
	w -= 5;
	if (h == NULL || !f->header.mem.ok) {
		tui_put(t, y, x, w, TC_DIM, "n/a");
		return;
	}
	if (!h->swap_total.known) {
		tui_put(t, y, x, w, TC_DIM, "n/a (no SwapTotal line)");
		return;
	}
	if (h->swap_total.v == 0) {
		tui_put(t, y, x, w, TC_DIM, "none configured");
		return;
	}
	tui_size_short(used, sizeof used, h->swap_used.v, f->units);
	tui_size_short(total, sizeof total, h->swap_total.v, f->units);
	snprintf(tail, sizeof tail, " %s/%s", used, total);
	bar = w - 2 - (int)strlen(tail);
	if (bar < 4) {
		tui_put(t, y, x, w, TC_NORMAL, tail + 1);
		return;
	}
	cells = (int)lround((double)h->swap_used.v * bar / (double)h->swap_total.v);
	if (cells == 0 && h->swap_used.v > 0)
		cells = 1;
	tui_put(t, y, x, 1, TC_NORMAL, "[");
	tui_fill(t, y, x + 1, cells, TC_SWAP, t->color ? (t->utf8 ? "\u2588" : "|") : "#");
	tui_fill(t, y, x + 1 + cells, bar - cells, TC_NORMAL, " ");
	tui_put(t, y, x + 1 + bar, 1, TC_NORMAL, "]");
	tui_put(t, y, x + 2 + bar, -1, TC_NORMAL, tail);
}

/* Pressure averages: "PSI some 0.12 0.05 0.01 full 0.00 0.00 0.00"; its width. */
static int
psi_text(const struct tui_frame *f, char *buf, size_t cap, bool full_triples)
{
	const struct ml_pressure *p = f->header.pressure;
	size_t n = 0;

	if (!f->header.psi.ok || p == NULL)
		return snprintf(buf, cap, "PSI n/a");
	n += (size_t)snprintf(buf + n, cap - n, "PSI");
	if (p->some.present) {
		if (full_triples)
			n += (size_t)snprintf(buf + n, cap - n, " some %u.%02u %u.%02u %u.%02u",
					      p->some.avg10 / 100, p->some.avg10 % 100,
					      p->some.avg60 / 100, p->some.avg60 % 100,
					      p->some.avg300 / 100, p->some.avg300 % 100);
		else
			n += (size_t)snprintf(buf + n, cap - n, " some %u.%02u%%",
					      p->some.avg10 / 100, p->some.avg10 % 100);
	}
	if (p->full.present && n < cap) {
		if (full_triples)
			n += (size_t)snprintf(buf + n, cap - n, " full %u.%02u %u.%02u %u.%02u",
					      p->full.avg10 / 100, p->full.avg10 % 100,
					      p->full.avg60 / 100, p->full.avg60 % 100,
					      p->full.avg300 / 100, p->full.avg300 % 100);
		else
			n += (size_t)snprintf(buf + n, cap - n, " full %u.%02u%%",
					      p->full.avg10 / 100, p->full.avg10 % 100);
	}
	return (int)(n < cap ? n : cap - 1);
}

static enum tui_color
psi_color(const struct tui_frame *f)
{
	const struct ml_pressure *p = f->header.pressure;

	if (!f->header.psi.ok || p == NULL)
		return TC_DIM;
	if (p->full.present && p->full.avg10 >= 500)
		return TC_BAD;
	if (p->some.present && p->some.avg10 >= 500)
		return TC_WARN;
	return TC_NORMAL;
}

static void
draw_title(struct tui *t, const struct tui_frame *f)
{
	const struct tui_header *h = &f->header;
	char right[96], when[16], iv[16];
	struct tm tm;
	int x, rw;

	if (localtime_r(&h->time, &tm) == NULL || strftime(when, sizeof when, "%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof when, "--:--:--");
	snprintf(iv, sizeof iv, "%g", t->req.interval);
	snprintf(right, sizeof right, "%s%s  every %ss", t->req.paused ? "PAUSED  " : "", when, iv);
	rw = (int)strlen(right);
	x = tui_put(t, 0, 0, -1, TC_TITLE, "memlens top");
	x += 2;
	x += tui_putf(t, 0, x, t->cols - rw - 1 - x, TC_NORMAL, "%s  Linux %s",
		      h->host != NULL && h->host[0] ? h->host : "(unknown host)",
		      h->kernel != NULL && h->kernel[0] ? h->kernel : "?");
	if (h->proc_root != NULL && strcmp(h->proc_root, "/proc") != 0)
		tui_putf(t, 0, x + 2, t->cols - rw - 3 - x, TC_DIM, "read from %s", h->proc_root);
	tui_put(t, 0, t->cols - rw, -1, t->req.paused ? TC_WARN : TC_NORMAL, right);
}

/* "faults/s 12345 minor 3 major" (vmstat's pgfault, pgmajfault); its width. */
static int
faults_text(const struct tui_frame *f, char *buf, size_t cap)
{
	const struct tui_header *h = &f->header;

	if (!h->faults_known)
		snprintf(buf, cap, "faults/s -");
	else
		snprintf(buf, cap, "faults/s %.0f minor %.0f major", h->minor_per_s,
			 h->major_per_s);
	return (int)strlen(buf);
}

static void
draw_header(struct tui *t, const struct tui_frame *f)
{
	char psi[160], faults[96];
	int pw, sw, fw;

	draw_title(t, f);
	draw_mem_bar(t, f, 1);
	draw_mem_legend(t, f, 2);
	/* Swap on the left, pressure on the right of row 3; MemAvailable on row 4. */
	pw = psi_text(f, psi, sizeof psi, t->cols >= 100);
	sw = t->cols - pw - 2;
	draw_swap(t, f, 3, 0, sw);
	tui_put(t, 3, t->cols - pw, -1, psi_color(f), psi);
	/* MemAvailable on the left of row 4, page faults per second on the right. */
	fw = faults_text(f, faults, sizeof faults);
	draw_avail(t, f, 4, 0, t->cols - fw - 2);
	tui_put(t, 4, t->cols - fw, -1, f->header.faults_known ? TC_NORMAL : TC_DIM, faults);
}

static void
draw_tabs(struct tui *t, int y)
{
	int v, x = 0;

	for (v = 0; v < TUI_VIEW__COUNT; v++) {
		bool on = (int)t->req.view == v;
		char label[32];

		snprintf(label, sizeof label, "%c%d %s%c", on ? '[' : ' ', v + 1, view_names[v],
			 on ? ']' : ' ');
		x += tui_put(t, y, x, -1, on ? TC_TAB : TC_NORMAL, label);
		x += 1;
	}
	if (t->cols - x > 18)
		tui_put(t, y, t->cols - 17, -1, TC_DIM, "h help  q quit");
}

static void
draw_status(struct tui *t)
{
	enum tui_view v = t->req.view;
	const char *const *keys = tui_sort_table(v), *const *groups = tui_group_names(v);
	char left[256];
	size_t n = 0;
	int y = t->rows - 1;

	attrset(t->attr[TC_STATUS]);
	move(y, 0);
	hline(' ', t->cols);
	attrset(A_NORMAL);
	if (t->editing) {
		tui_putf(t, y, 0, -1, TC_STATUS, "filter: %s_", t->req.filter[v]);
		tui_put(t, y, t->cols - 30 > 20 ? t->cols - 30 : 20, -1, TC_STATUS,
			"Enter keeps it, Esc clears it");
		return;
	}
	left[0] = '\0';
	if (keys[0] != NULL && t->req.sort[v] >= 0)
		n += (size_t)snprintf(left + n, sizeof left - n, "sort: %s%s", keys[t->req.sort[v]],
				      t->req.reverse[v] ? " (reversed)" : "");
	if (groups[0] != NULL && n < sizeof left)
		n += (size_t)snprintf(left + n, sizeof left - n, "%sgroup: %s", n ? "  " : "",
				      groups[t->req.group[v]]);
	if (view_filters(v) && t->req.filter[v][0] != '\0' && n < sizeof left)
		n += (size_t)snprintf(left + n, sizeof left - n, "%sfilter: %s", n ? "  " : "",
				      t->req.filter[v]);
	if (v == TUI_VIEW_PROCS && t->req.cgroup[0] != '\0' && n < sizeof left)
		n += (size_t)snprintf(left + n, sizeof left - n, "%scgroup: %s (Esc: all)",
				      n ? "  " : "", t->req.cgroup);
	if (t->req.delta && n < sizeof left)
		n += (size_t)snprintf(left + n, sizeof left - n, "%sshowing changes",
				      n ? "  " : "");
	if (t->req.paused && n < sizeof left)
		snprintf(left + n, sizeof left - n, "%spaused", n ? "  " : "");
	tui_put(t, y, 0, -1, TC_STATUS, left);
	if (t->msg[0] == '\0' && !t->help && t->page[v] > 0 && t->lines[v] > t->page[v]) {
		int first = t->scroll[v];

		snprintf(t->msg, sizeof t->msg, "lines %d-%d of %d", first + 1,
			 first + t->page[v] < t->lines[v] ? first + t->page[v] : t->lines[v],
			 t->lines[v]);
	}
	if (t->msg[0] != '\0') {
		int w = (int)strlen(t->msg);

		tui_put(t, y, t->cols - w > (int)strlen(left) + 2 ? t->cols - w : 0, -1, TC_STATUS,
			t->msg);
		t->msg[0] = '\0';
	}
}

static const char *const help_lines[] = {
	"memlens top: keys",
	"",
	"  1 ... 7, Tab  views: 1 overview, 2 processes, 3 slab, 4 vmalloc, 5 buddy,",
	"                6 zones, 7 cgroups (Shift-Tab goes back)",
	"  Up, Down, PgUp, PgDn, Home, End   scroll (processes, cgroups: move the",
	"                selection)",
	"  s             next sort key (processes, slab, vmalloc, cgroups)",
	"  r             reverse the sort",
	"  /             filter by name (processes, slab, vmalloc, cgroups); Enter keeps it,",
	"                Esc clears it",
	"  g             group: processes by user or command, vmalloc by caller,",
	"                module or type",
	"  d             values or changes: changes since the last refresh (per second",
	"                for rates); the overview's reclaim counters since boot",
	"  Enter, Esc    a process's maps breakdown; a cgroup's member processes; back",
	"  space         pause or resume the refresh",
	"  + -           refresh more or less often (0.1 to 60 s)",
	"  h ?           this help; any key closes it",
	"  q             quit",
	"",
	"Header: MemTotal split as memlens summary accounts for it (a anonymous,",
	"s slab, v vmalloc, k other kernel, h hugetlb, ? unaccounted, c page cache,",
	". free; colors instead of letters on a color terminal); swap; MemAvailable",
	"and its history since the start (one column per refresh, from 0 at the",
	"bottom to MemTotal at the top); PSI: the share of time tasks stalled on",
	"memory (some: at least one, full: all), averaged over 10 s (60 s, 300 s",
	"on wide screens), from /proc/pressure/memory; faults/s: page faults per",
	"second between refreshes (vmstat pgfault: minor ones, resolved in memory;",
	"pgmajfault: major ones, read from disk).",
	"Processes: MINFLT/s and MAJFLT/s, each process's faults per second between",
	"two listings (from its stat, through libproc2; '-' until it was listed twice).",
};

static void
draw_help(struct tui *t)
{
	int top = t->body_top, rows = t->body_rows, i, n = (int)ML_ARRAY_SIZE(help_lines);

	if (t->help_scroll > n - rows)
		t->help_scroll = n - rows;
	if (t->help_scroll < 0)
		t->help_scroll = 0;
	for (i = 0; i < rows && t->help_scroll + i < n; i++)
		tui_put(t, top + i, 1, -1, i + t->help_scroll == 0 ? TC_TITLE : TC_NORMAL,
			help_lines[t->help_scroll + i]);
	if (t->help_scroll + rows < n) {
		tui_fill(t, top + rows - 1, 0, t->cols, TC_NORMAL, " ");
		tui_put(t, top + rows - 1, 1, -1, TC_DIM, "-- more: Down or j --");
	}
}

/* ---------------------------------------------------------------- drawing */

static void
draw_all(struct tui *t)
{
	const struct tui_frame *f = t->frame;

	getmaxyx(stdscr, t->rows, t->cols);
	erase();
	if (f == NULL) {
		refresh();
		return;
	}
	draw_header(t, f);
	draw_tabs(t, 5);
	t->body_top = 6;
	t->body_rows = t->rows - 7;
	if (t->body_rows < 1) {
		refresh();
		return;
	}
	if (t->help) {
		draw_help(t);
	} else {
		switch (t->req.view) {
		case TUI_VIEW_OVERVIEW:
			tui_draw_overview(t, f);
			break;
		case TUI_VIEW_PROCS:
			tui_draw_procs(t, f);
			break;
		case TUI_VIEW_SLAB:
			tui_draw_slab(t, f);
			break;
		case TUI_VIEW_VMALLOC:
			tui_draw_vmalloc(t, f);
			break;
		case TUI_VIEW_BUDDY:
			tui_draw_buddy(t, f);
			break;
		case TUI_VIEW_ZONES:
			tui_draw_zones(t, f);
			break;
		case TUI_VIEW_CGROUPS:
		case TUI_VIEW__COUNT:
			tui_draw_cgroups(t, f);
			break;
		}
	}
	draw_status(t);
	refresh();
}

void
tui_draw(struct tui *t, const struct tui_frame *f)
{
	t->frame = f;
	draw_all(t);
}

/* ---------------------------------------------------------------- lifecycle */

static struct tui *active;

static void
restore_at_exit(void)
{
	if (active != NULL)
		tui_close(active);
}

struct tui *
tui_open(const struct tui_options *opt, char **cause)
{
	static bool registered;
	struct tui *t;
	SCREEN *scr;
	int v;

	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		const char *term = getenv("TERM");

		*cause = ml_xasprintf("cannot use the terminal (TERM=%s)", term ? term : "unset");
		return NULL;
	}
	t = ml_xcalloc(1, sizeof *t);
	t->open = true;
	active = t;
	if (!registered) {
		atexit(restore_at_exit);
		registered = true;
	}
	t->stop = opt->stop;
	t->utf8 = opt->utf8;
	t->color = opt->color && has_colors();
	t->req.view = opt->view;
	t->req.interval = opt->interval;
	for (v = 0; v < TUI_VIEW__COUNT; v++)
		t->req.sort[v] = tui_sort_first((enum tui_view)v);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	colors_init(t);
	getmaxyx(stdscr, t->rows, t->cols);
	return t;
}

void
tui_close(struct tui *t)
{
	if (t == NULL)
		return;
	if (t->open) {
		t->open = false;
		attrset(A_NORMAL);
		curs_set(1);
		endwin();
		fflush(stdout);
	}
	if (active == t)
		active = NULL;
	free(t);
}

const struct tui_request *
tui_request(const struct tui *t)
{
	return &t->req;
}

/* ---------------------------------------------------------------- keys */

enum key_result {
	K_NONE,   /* nothing to do */
	K_REDRAW, /* draw the same frame again */
	K_CHANGE, /* the data side must act */
	K_TICK,   /* refresh now */
	K_QUIT,
};

static void
set_view(struct tui *t, int v)
{
	if (t->req.maps_pid > 0) {
		t->req.maps_pid = 0;
		t->scroll[TUI_VIEW_PROCS] = t->maps_return_scroll;
	}
	/* Leaving the members of a cgroup: the processes view shows them all again. */
	t->req.cgroup[0] = '\0';
	t->req.view = (enum tui_view)((v + TUI_VIEW__COUNT) % TUI_VIEW__COUNT);
	t->help = false;
}

static void
scroll_by(struct tui *t, int d)
{
	enum tui_view v = t->req.view;

	if ((v == TUI_VIEW_PROCS && t->req.maps_pid == 0) || v == TUI_VIEW_CGROUPS) {
		t->sel[v] += d;
		if (t->sel[v] >= t->lines[v])
			t->sel[v] = t->lines[v] - 1;
		if (t->sel[v] < 0)
			t->sel[v] = 0;
		if (t->sel[v] < t->scroll[v])
			t->scroll[v] = t->sel[v];
		if (t->page[v] > 0 && t->sel[v] >= t->scroll[v] + t->page[v])
			t->scroll[v] = t->sel[v] - t->page[v] + 1;
		return;
	}
	t->scroll[v] += d;
	if (t->scroll[v] > t->lines[v] - t->page[v])
		t->scroll[v] = t->lines[v] - t->page[v];
	if (t->scroll[v] < 0)
		t->scroll[v] = 0;
}

static enum key_result
filter_key(struct tui *t, int ch)
{
	char *fl = t->req.filter[t->req.view];
	size_t n = strlen(fl);

	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->editing = false;
		return K_REDRAW;
	case 27: /* Esc */
		t->editing = false;
		fl[0] = '\0';
		return K_CHANGE;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (n == 0)
			return K_NONE;
		fl[n - 1] = '\0';
		return K_CHANGE;
	case 21: /* ^U */
		fl[0] = '\0';
		return K_CHANGE;
	case KEY_RESIZE:
		return K_REDRAW;
	default:
		if (ch >= 32 && ch < 127 && n + 1 < TUI_FILTER_MAX) {
			fl[n] = (char)ch;
			fl[n + 1] = '\0';
			t->scroll[t->req.view] = 0;
			t->sel[t->req.view] = 0;
			return K_CHANGE;
		}
		return K_NONE;
	}
}

static enum key_result
handle_key(struct tui *t, int ch)
{
	enum tui_view v = t->req.view;
	size_t nkeys;

	if (t->editing)
		return filter_key(t, ch);
	if (t->help) {
		if (ch == 'q' || ch == 'Q')
			return K_QUIT;
		if (ch == KEY_RESIZE)
			return K_REDRAW;
		if (ch == KEY_DOWN || ch == 'j') {
			t->help_scroll++;
			return K_REDRAW;
		}
		if (ch == KEY_UP || ch == 'k') {
			t->help_scroll--;
			return K_REDRAW;
		}
		t->help = false;
		return K_REDRAW;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		return K_QUIT;
	case 'h':
	case '?':
	case KEY_F(1):
		t->help = true;
		t->help_scroll = 0;
		return K_REDRAW;
	case ' ':
		t->req.paused = !t->req.paused;
		return t->req.paused ? K_REDRAW : K_TICK;
	case '+':
	case '=':
	case '-':
	case '_':
		/* '+' refreshes more often: a shorter interval, as the help says. */
		t->req.interval =
			tui_interval_step(t->req.interval, ch == '+' || ch == '=' ? -1 : 1);
		snprintf(t->msg, sizeof t->msg, "refresh every %g s", t->req.interval);
		return K_CHANGE;
	case '\t':
		set_view(t, (int)v + 1);
		return K_CHANGE;
	case KEY_BTAB:
		set_view(t, (int)v - 1);
		return K_CHANGE;
	case 's':
	case 'S':
		if (t->req.sort[v] < 0) {
			snprintf(t->msg, sizeof t->msg, "the %s view has no sort keys",
				 view_names[v]);
			return K_REDRAW;
		}
		t->req.sort[v] = tui_sort_next(v, t->req.sort[v]);
		t->scroll[v] = t->sel[v] = 0;
		return K_CHANGE;
	case 'r':
	case 'R':
		if (t->req.sort[v] < 0) {
			snprintf(t->msg, sizeof t->msg, "the %s view has no sort keys",
				 view_names[v]);
			return K_REDRAW;
		}
		t->req.reverse[v] = !t->req.reverse[v];
		t->scroll[v] = t->sel[v] = 0;
		return K_CHANGE;
	case 'g':
	case 'G':
		nkeys = count_names(tui_group_names(v));
		if (nkeys == 0) {
			snprintf(t->msg, sizeof t->msg, "the %s view has no grouping",
				 view_names[v]);
			return K_REDRAW;
		}
		t->req.group[v] = (t->req.group[v] + 1) % (unsigned int)nkeys;
		t->scroll[v] = t->sel[v] = 0;
		return K_CHANGE;
	case '/':
		if (!view_filters(v)) {
			snprintf(t->msg, sizeof t->msg, "the %s view has no filter", view_names[v]);
			return K_REDRAW;
		}
		t->editing = true;
		return K_REDRAW;
	case 'd':
	case 'D':
		t->req.delta = !t->req.delta;
		return K_CHANGE;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (v == TUI_VIEW_CGROUPS) {
			const char *path = tui_selected_cgroup(t);

			if (path == NULL) {
				snprintf(t->msg, sizeof t->msg,
					 "Enter shows a cgroup's processes (no cgroup selected)");
				return K_REDRAW;
			}
			set_view(t, TUI_VIEW_PROCS);
			snprintf(t->req.cgroup, sizeof t->req.cgroup, "%s", path);
			t->scroll[TUI_VIEW_PROCS] = t->sel[TUI_VIEW_PROCS] = 0;
			return K_CHANGE;
		}
		if (v != TUI_VIEW_PROCS || t->req.maps_pid > 0)
			return K_NONE;
		t->req.maps_pid = tui_selected_pid(t);
		if (t->req.maps_pid == 0) {
			snprintf(t->msg, sizeof t->msg,
				 "Enter opens a process's maps (no process selected%s)",
				 t->req.group[v] != 0 ? "; g ungroups" : "");
			return K_REDRAW;
		}
		t->maps_return_scroll = t->scroll[v];
		t->scroll[v] = 0;
		return K_CHANGE;
	case 27: /* Esc */
		if (v == TUI_VIEW_PROCS && t->req.maps_pid > 0) {
			t->req.maps_pid = 0;
			t->scroll[v] = t->maps_return_scroll;
			return K_CHANGE;
		}
		if (v == TUI_VIEW_PROCS && t->req.cgroup[0] != '\0') {
			set_view(t, TUI_VIEW_CGROUPS);
			return K_CHANGE;
		}
		return K_NONE;
	case KEY_UP:
	case 'k':
		scroll_by(t, -1);
		return K_REDRAW;
	case KEY_DOWN:
	case 'j':
		scroll_by(t, 1);
		return K_REDRAW;
	case KEY_PPAGE:
		scroll_by(t, -(t->page[v] > 1 ? t->page[v] - 1 : 1));
		return K_REDRAW;
	case KEY_NPAGE:
		scroll_by(t, t->page[v] > 1 ? t->page[v] - 1 : 1);
		return K_REDRAW;
	case KEY_HOME:
		scroll_by(t, -t->lines[v]);
		return K_REDRAW;
	case KEY_END:
		scroll_by(t, t->lines[v]);
		return K_REDRAW;
	case KEY_RESIZE:
		return K_REDRAW;
	case 12: /* ^L */
		clearok(curscr, TRUE);
		return K_REDRAW;
	default:
		if (ch >= '1' && ch < '1' + TUI_VIEW__COUNT) {
			set_view(t, ch - '1');
			return K_CHANGE;
		}
		return K_NONE;
	}
}

/* Milliseconds from now to deadline, at least 0. */
static long
ms_until(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0 && (deadline->tv_sec > now.tv_sec ||
			(deadline->tv_sec == now.tv_sec && deadline->tv_nsec > now.tv_nsec)))
		ms = 1;
	return ms < 0 ? 0 : (long)ms;
}

enum tui_event
tui_wait(struct tui *t, const struct timespec *deadline)
{
	for (;;) {
		long ms = 1000;
		int ch;

		if (t->stop != NULL && *t->stop)
			return TUI_EV_QUIT;
		if (deadline != NULL && !t->req.paused) {
			long left = ms_until(deadline);

			if (left == 0)
				return TUI_EV_TICK;
			if (left < ms)
				ms = left;
		}
		/*
		 * A signal interrupts getch (the handlers are installed without
		 * SA_RESTART: ERR with EINTR); one arriving between the check above
		 * and getch is seen within a second.
		 */
		timeout((int)ms);
		ch = getch();
		if (ch == ERR)
			continue;
		switch (handle_key(t, ch)) {
		case K_NONE:
			break;
		case K_REDRAW:
			draw_all(t);
			break;
		case K_CHANGE:
			return TUI_EV_CHANGE;
		case K_TICK:
			return TUI_EV_TICK;
		case K_QUIT:
			return TUI_EV_QUIT;
		}
	}
}
