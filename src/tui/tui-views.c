/*
 * The dashboard's views: overview, slab, vmalloc, buddy, zones, and the
 * processes view's stand-in. Each draws the frame's part for it into the
 * body rows; lists scroll with the keys (t->scroll), and a view that has
 * nothing to show says why on one line.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui-int.h"

/* Lines of a view that scrolls as a whole: line i is on screen, or y is -1. */
struct vlines {
	struct tui *t;
	int first; /* the first line shown */
	int n;     /* lines so far */
};

static int
vl_next(struct vlines *vl)
{
	int i = vl->n++ - vl->first;

	if (i < 0 || i >= vl->t->body_rows)
		return -1;
	return vl->t->body_top + i;
}

/*
 * In changes mode ('d') a column that shows changes says so in its title,
 * so that changes and the values left beside them (USE, OBJSIZE, WASTE) are
 * never read as one another.
 */
static void
change_title(struct tui_col *c, const char *title)
{
	c->title = title;
	if ((int)strlen(title) > c->width)
		c->width = (int)strlen(title);
}

static double
pct(uint64_t part, uint64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* A bar of fraction of w cells in color c (a block, or '#' in monochrome). */
static void
draw_bar(struct tui *t, int y, int x, int w, double fraction, enum tui_color c)
{
	int cells;

	if (!(fraction > 0) || w <= 0)
		return;
	if (fraction > 1)
		fraction = 1;
	cells = (int)lround(fraction * w);
	if (cells == 0)
		cells = 1;
	tui_fill(t, y, x, cells, c, t->color ? (t->utf8 ? "\u2588" : "|") : "#");
}

/* ---------------------------------------------------------------- overview */

/* A line's label at the left edge; the column its content starts at (10 or more). */
static int
label(struct tui *t, int y, const char *s)
{
	int n = (int)strlen(s);

	tui_put(t, y, 1, -1, TC_TITLE, s);
	return 1 + (n + 1 > 9 ? n + 1 : 9);
}

/* "label value change" in a line of headline figures; the new x. */
static int
figure(struct tui *t, const struct tui_frame *f, int y, int x, const char *label,
       const struct ml_opt *now, const struct ml_opt *before)
{
	char buf[48];

	if (y < 0)
		return x;
	x += tui_put(t, y, x, -1, TC_DIM, label);
	x += 1;
	if (!now->known)
		return x + 1 + tui_put(t, y, x, -1, TC_DIM, "n/a");
	if (t->cols < 100)
		tui_size_short(buf, sizeof buf, now->v, f->units);
	else
		tui_size(buf, sizeof buf, f, now->v);
	x += tui_put(t, y, x, -1, TC_NORMAL, buf);
	if (before != NULL && before->known && before->v != now->v) {
		int64_t d = (int64_t)(now->v - before->v);

		x += 1;
		x += tui_put(t, y, x, -1, tui_change_color((double)d),
			     tui_delta_short(buf, sizeof buf, d, f->units));
	}
	return x + 2;
}

static void
overview_headline(struct tui *t, const struct tui_frame *f, struct vlines *vl)
{
	const struct ml_headline *h = f->header.head, *p = f->overview.prev_head;
	bool wide = t->cols >= 110;
	char buf[64], lim[64];
	int y, x;

	y = vl_next(vl);
	x = label(t, y, "Memory");
	x = figure(t, f, y, x, "total", &(struct ml_opt){ true, h->total }, NULL);
	x = figure(t, f, y, x, "used", &h->used, p ? &p->used : NULL);
	x = figure(t, f, y, x, wide ? "available" : "avail", &h->available,
		   p ? &p->available : NULL);
	figure(t, f, y, x, "free", &h->free, p ? &p->free : NULL);

	y = vl_next(vl);
	x = figure(t, f, y, 10, "shared", &h->shared, p ? &p->shared : NULL);
	x = figure(t, f, y, x, "buffers", &h->buffers, p ? &p->buffers : NULL);
	x = figure(t, f, y, x, "cache", &h->cache, p ? &p->cache : NULL);
	if (wide) {
		x = figure(t, f, y, x, "dirty", &h->dirty, p ? &p->dirty : NULL);
		figure(t, f, y, x, "writeback", &h->writeback, p ? &p->writeback : NULL);
	}

	y = vl_next(vl);
	x = label(t, y, "Commit");
	if (h->committed.known && h->commit_limit.known) {
		double r = pct(h->committed.v, h->commit_limit.v);

		x += tui_putf(t, y, x, -1, TC_NORMAL, "%s of %s limit ",
			      tui_size_short(buf, sizeof buf, h->committed.v, f->units),
			      tui_size_short(lim, sizeof lim, h->commit_limit.v, f->units));
		x += tui_putf(t, y, x, -1, r > 100 ? TC_WARN : TC_NORMAL, "(%.1f%%)", r);
	} else {
		x += tui_put(t, y, x, -1, TC_DIM, "n/a");
	}
	x += 3;
	if (!wide) {
		x = figure(t, f, y, x, "dirty", &h->dirty, p ? &p->dirty : NULL);
		figure(t, f, y, x, "writeback", &h->writeback, p ? &p->writeback : NULL);
		return;
	}
	x += tui_put(t, y, x, -1, TC_TITLE, "Huge ");
	if (h->huge_total.known && h->huge_size.known && h->huge_total.v == 0)
		tui_putf(t, y, x, -1, TC_NORMAL, "none reserved (%s pages)",
			 tui_size_short(buf, sizeof buf, h->huge_size.v, f->units));
	else if (h->huge_total.known && h->huge_size.known)
		tui_putf(t, y, x, -1, TC_NORMAL, "%llu pages of %s, %llu free",
			 (unsigned long long)h->huge_total.v,
			 tui_size_short(buf, sizeof buf, h->huge_size.v, f->units),
			 (unsigned long long)h->huge_free.v);
	else
		tui_put(t, y, x, -1, TC_DIM, "n/a");
}

static void
overview_reclaim(struct tui *t, const struct tui_frame *f, struct vlines *vl)
{
	const struct tui_overview *o = &f->overview;
	bool rate = !t->req.delta && o->seconds > 0;
	const struct tui_activity *a = rate ? &o->delta : &o->since_boot;
	double s = rate ? o->seconds : 1;
	int y = vl_next(vl), x;

	x = label(t, y, rate ? "Reclaim/s" : "Reclaim");
	if (!rate && o->vmstat.ok && o->act_known)
		x += 1 + tui_put(t, y, x, -1, TC_DIM, "since boot:");
	if (!o->vmstat.ok) {
		tui_putf(t, y, x, -1, TC_DIM, "n/a: %s",
			 o->vmstat.why ? o->vmstat.why : "no vmstat");
		return;
	}
	if (!o->act_known) {
		tui_put(t, y, x, -1, TC_DIM, "n/a (this kernel's vmstat has no reclaim counters)");
		return;
	}
#define COUNTER(wide, narrow, v)                                                           \
	do {                                                                               \
		double val_ = (double)(v) / s;                                             \
		x += 1 + tui_put(t, y, x, -1, TC_DIM, t->cols >= 100 ? (wide) : (narrow)); \
		x += (t->cols >= 100 ? 2 : 1) +                                            \
		     tui_putf(t, y, x, -1, val_ > 0 ? TC_WARN : TC_NORMAL, "%.0f", val_);  \
	} while (0)
	COUNTER("stalls", "stalls", a->stall);
	COUNTER("kswapd scan", "kswapd", a->scan_kswapd);
	COUNTER("direct scan", "direct", a->scan_direct);
	COUNTER("swap in", "swapin", a->swapin);
	COUNTER("out", "out", a->swapout);
	COUNTER("major faults", "majflt", a->majfault);
	COUNTER("refaults", "refault", a->refault);
#undef COUNTER
	if (a->oom > 0)
		tui_putf(t, y, x, -1, TC_BAD, "%llu OOM kills", (unsigned long long)a->oom);
}

static void
zone_name(char *buf, size_t cap, long long node, const char *zone, bool numa)
{
	if (numa)
		snprintf(buf, cap, "N%lld %s", node, zone);
	else
		snprintf(buf, cap, "%s", zone);
}

/* A page count as a size, or "N pages" when the page size is unknown. */
static const char *
pages_size(char *buf, size_t cap, const struct tui_frame *f, uint64_t page_size, int64_t pages,
	   bool sign)
{
	uint64_t mag = pages < 0 ? (uint64_t)0 - (uint64_t)pages : (uint64_t)pages;

	if (page_size == 0) {
		snprintf(buf, cap, "%s%llup",
			 pages < 0           ? "-"
			 : sign && pages > 0 ? "+"
					     : "",
			 (unsigned long long)mag);
		return buf;
	}
	if (sign)
		return tui_change(buf, cap, f, pages * (int64_t)page_size);
	if (pages < 0) {
		buf[0] = '-';
		text_size(buf + 1, cap - 1, mag * page_size, f->units);
		return buf;
	}
	return tui_size(buf, cap, f, mag * page_size);
}

static enum tui_color
state_color(enum ml_wm_state s)
{
	switch (s) {
	case ML_WM_OK:
		return TC_GOOD;
	case ML_WM_BELOW_HIGH:
	case ML_WM_BELOW_LOW:
		return TC_WARN;
	case ML_WM_BELOW_MIN:
	case ML_WM_UNRECLAIMABLE:
		return TC_BAD;
	default:
		return TC_DIM;
	}
}

static void
overview_zones(struct tui *t, const struct tui_frame *f, struct vlines *vl)
{
	const struct tui_overview *o = &f->overview;
	struct ml_wm_health h;
	char buf[64];
	int y = vl_next(vl), x;

	x = label(t, y, "Zones");
	if (!o->zones.ok || o->wm == NULL) {
		tui_putf(t, y, x, -1, TC_DIM, "n/a: %s",
			 o->zones.why ? o->zones.why : "no zoneinfo");
		return;
	}
	ml_watermarks_health(o->wm, &h);
	if (!h.known) {
		tui_put(t, y, x, -1, TC_DIM, "n/a (no zone with memory and watermarks)");
		return;
	}
	x += tui_put(t, y, x, -1, state_color(h.state), ml_wm_state_word(h.state));
	if (h.state == ML_WM_OK) {
		tui_putf(t, y, x, -1, TC_NORMAL,
			 ": %u zone%s above high; closest Node %lld %s, %s above low", h.judged,
			 h.judged == 1 ? "" : "s", (long long)h.node, h.zone,
			 pages_size(buf, sizeof buf, f, o->wm->page_size, h.to_low_pages, false));
		return;
	}
	x += tui_putf(t, y, x, -1, TC_NORMAL, ": Node %lld %s, ", (long long)h.node, h.zone);
	if (h.state == ML_WM_BELOW_MIN)
		tui_putf(t, y, x, -1, TC_NORMAL, "%s under min (direct reclaim)",
			 pages_size(buf, sizeof buf, f, o->wm->page_size, -h.to_min_pages, false));
	else if (h.state == ML_WM_BELOW_LOW)
		tui_putf(t, y, x, -1, TC_NORMAL, "%s under low (kswapd woken)",
			 pages_size(buf, sizeof buf, f, o->wm->page_size, -h.to_low_pages, false));
	else if (h.state == ML_WM_BELOW_HIGH)
		tui_putf(t, y, x, -1, TC_NORMAL, "%s above low (kswapd may be busy)",
			 pages_size(buf, sizeof buf, f, o->wm->page_size, h.to_low_pages, false));
	else
		tui_put(t, y, x, -1, TC_NORMAL, "reclaim gave up");
}

static void
overview_buddy(struct tui *t, const struct tui_frame *f, struct vlines *vl)
{
	const struct tui_overview *o = &f->overview;
	const struct ml_frag *fr = o->frag;
	char name[48], buf[48];
	bool numa = false;
	size_t i;
	int y = vl_next(vl), x;

	x = label(t, y, "Buddy");
	if (!o->buddy.ok || fr == NULL) {
		tui_putf(t, y, x, -1, TC_DIM, "n/a: %s",
			 o->buddy.why ? o->buddy.why : "no buddyinfo");
		return;
	}
	for (i = 1; i < fr->nzones; i++)
		numa |= fr->zones[i].node != fr->zones[0].node;
	x += tui_put(t, y, x, -1, TC_NORMAL, "largest free block:");
	for (i = 0; i < fr->nzones; i++) {
		const struct ml_frag_zone *z = &fr->zones[i];

		zone_name(name, sizeof name, z->node, z->name, numa);
		if (z->largest_order < 0)
			snprintf(buf, sizeof buf, "none");
		else if (fr->page_size != 0)
			tui_size(buf, sizeof buf, f, fr->page_size << z->largest_order);
		else
			snprintf(buf, sizeof buf, "order %d", z->largest_order);
		x += tui_putf(t, y, x, -1, TC_NORMAL, "%s %s %s", i ? "," : "", name, buf);
	}
}

/* The accounting table: one row per part with its share, change and a bar. */
static void
overview_accounting(struct tui *t, const struct tui_frame *f, struct vlines *vl, bool compact)
{
	const struct ml_accounting *a = f->header.acct, *p = f->overview.prev_acct;
	struct tui_col cols[] = {
		{ .title = "Where MemTotal goes", .width = 20 },
		{ .title = "size", .width = 10, .right = true },
		{ .title = "share", .width = 6, .right = true },
		{ .title = "change", .width = 10, .right = true },
		{ .title = "", .width = 10, .prio = 2, .flex = true },
		{ .title = "from /proc/meminfo", .width = 18, .prio = 3 },
	};
	char buf[64];
	int part, y, hidden = 0;
	size_t fw = 0;

	for (part = 0; part < ML_ACCT__COUNT; part++)
		if (strlen(a->part[part].fields) > fw)
			fw = strlen(a->part[part].fields);
	if (fw > 18)
		cols[5].width = (int)fw;
	if (t->cols - 2 < 20 + 10 + 6 + 10 + 3 + 10 + 1 + cols[5].width + 20)
		cols[5].prio = 3; /* the bar first: the fields only when wide */
	tui_fit_columns(cols, ML_ARRAY_SIZE(cols), t->cols - 2);
	if (cols[4].shown && cols[5].shown && cols[4].w > 30) {
		/* A wide screen: the bar stops at 30 cells, the fields follow. */
		cols[5].x -= cols[4].w - 30;
		cols[4].w = 30;
	}
	y = vl_next(vl);
	tui_table_titles(t, y, cols, ML_ARRAY_SIZE(cols));
	for (part = 0; part < ML_ACCT__COUNT; part++) {
		const struct ml_acct_row *r = &a->part[part];
		bool unacc = part == ML_ACCT_UNACCOUNTED;
		uint64_t bytes =
			unacc ? (a->unaccounted > 0 ? (uint64_t)a->unaccounted : 0) : r->bytes;
		enum tui_mem_group g = tui_mem_group_of((enum ml_acct_part)part);
		int64_t d = 0;

		if (p != NULL && r->state == ML_ACCT_KNOWN && p->part[part].state == ML_ACCT_KNOWN)
			d = unacc ? a->unaccounted - p->unaccounted
				  : (int64_t)(r->bytes - p->part[part].bytes);
		if (compact && d == 0 &&
		    (r->state == ML_ACCT_ABSENT || (!unacc && r->bytes == 0) ||
		     (unacc && a->unaccounted == 0))) {
			hidden++;
			continue;
		}
		/* Nothing is drawn off screen (y < 0), but every line is counted. */
		y = vl_next(vl);
		tui_table_cell(t, y, &cols[0], TC_NORMAL,
			       ml_acct_part_label((enum ml_acct_part)part));
		if (r->state == ML_ACCT_ABSENT) {
			tui_table_cell(t, y, &cols[1], TC_DIM, "n/a");
			if (r->absent_why != NULL)
				tui_table_cell(t, y, &cols[5], TC_DIM, r->absent_why);
			else {
				snprintf(buf, sizeof buf, "no %s line", r->fields);
				tui_table_cell(t, y, &cols[5], TC_DIM, buf);
			}
			continue;
		}
		if (unacc) {
			text_ssize(buf, sizeof buf, a->unaccounted, f->units);
			tui_table_cell(t, y, &cols[1], a->unaccounted < 0 ? TC_WARN : TC_NORMAL,
				       buf);
		} else {
			tui_table_cell(t, y, &cols[1], TC_NORMAL,
				       tui_size(buf, sizeof buf, f, bytes));
		}
		snprintf(buf, sizeof buf, "%.1f%%",
			 (unacc && a->unaccounted < 0 ? -1 : 1) *
				 pct(unacc ? (uint64_t)llabs(a->unaccounted) : bytes, a->total));
		tui_table_cell(t, y, &cols[2], TC_NORMAL, buf);
		if (p != NULL)
			tui_table_cell(t, y, &cols[3], tui_change_color((double)d),
				       tui_change(buf, sizeof buf, f, d));
		else
			tui_table_cell(t, y, &cols[3], TC_DIM, "-");
		if (cols[4].shown)
			draw_bar(t, y, 1 + cols[4].x, cols[4].w,
				 a->total ? (double)bytes / (double)a->total : 0, TC_MEM + g);
		tui_table_cell(t, y, &cols[5], TC_DIM, r->fields);
		if (part == ML_ACCT_PAGE_CACHE && a->has_shmem) {
			y = vl_next(vl);
			tui_table_cell(t, y, &cols[0], TC_NORMAL, "  of which shmem");
			tui_table_cell(t, y, &cols[1], TC_NORMAL,
				       tui_size(buf, sizeof buf, f, a->shmem));
			snprintf(buf, sizeof buf, "%.1f%%", pct(a->shmem, a->total));
			tui_table_cell(t, y, &cols[2], TC_NORMAL, buf);
			if (p != NULL && p->has_shmem) {
				d = (int64_t)(a->shmem - p->shmem);
				tui_table_cell(t, y, &cols[3], tui_change_color((double)d),
					       tui_change(buf, sizeof buf, f, d));
			}
			tui_table_cell(t, y, &cols[5], TC_DIM, "Shmem");
		}
	}
	y = vl_next(vl);
	tui_table_cell(t, y, &cols[0], TC_TITLE, "MemTotal");
	tui_table_cell(t, y, &cols[1], TC_TITLE, tui_size(buf, sizeof buf, f, a->total));
	tui_table_cell(t, y, &cols[2], TC_TITLE, "100.0%");
	if (hidden > 0) {
		snprintf(buf, sizeof buf, "(%d part%s at 0 or n/a hidden)", hidden,
			 hidden == 1 ? "" : "s");
		/* After the share, to the end of the line: nothing else is on it. */
		tui_put(t, y, 2 + cols[2].x + cols[2].w, -1, TC_DIM, buf);
	}
}

/* Every line of the overview; returns how many there are. */
static int
overview_all(struct tui *t, const struct tui_frame *f, struct vlines *vl, bool compact)
{
	overview_headline(t, f, vl);
	overview_reclaim(t, f, vl);
	overview_zones(t, f, vl);
	overview_buddy(t, f, vl);
	vl->n++;
	overview_accounting(t, f, vl, compact);
	return vl->n;
}

void
tui_draw_overview(struct tui *t, const struct tui_frame *f)
{
	struct vlines vl = { .t = t, .first = 1 << 20 };
	bool compact = false;
	int lines;

	if (!f->header.mem.ok || f->header.acct == NULL || f->header.head == NULL) {
		tui_unavailable(t, t->body_top, "Memory", f->header.mem.why);
		tui_scroll_clamp(t, TUI_VIEW_OVERVIEW, 1, t->body_rows);
		return;
	}
	/* Count the lines first: parts at 0 or n/a are hidden when all would not fit. */
	lines = overview_all(t, f, &vl, false);
	if (lines > t->body_rows) {
		compact = true;
		vl.n = 0;
		lines = overview_all(t, f, &vl, true);
	}
	vl.first = tui_scroll_clamp(t, TUI_VIEW_OVERVIEW, lines, t->body_rows);
	vl.n = 0;
	overview_all(t, f, &vl, compact);
}

/* ---------------------------------------------------------------- processes */

enum proc_col {
	PC_PID,
	PC_USER,
	PC_PSS,
	PC_GROWTH, /* PSS's own change: next to it */
	PC_USS,
	PC_RSS,
	PC_SWAP,
	PC_AGE, /* the age of the memory figures: next to them */
	PC_MINFLT,
	PC_MAJFLT,
	PC_CMD,
	PC__COUNT
};

/* A process's faults per second: "-" before two listings, n/a when not read. */
static void
fault_cell(struct tui *t, int y, const struct tui_col *col, const struct ml_proc *p,
	   enum ml_fault k)
{
	char buf[32];
	double r;

	if (!p->faults_known)
		tui_table_cell(t, y, col, TC_DIM, "n/a");
	else if (!ml_proc_fault_rate(p, k, &r))
		tui_table_cell(t, y, col, TC_DIM, "-");
	else {
		snprintf(buf, sizeof buf, "%.0f", r);
		tui_table_cell(t, y, col, r > 0 ? TC_NORMAL : TC_DIM, buf);
	}
}

/* "3s", "2m", "1h": how old a row's figures are. */
static const char *
age_text(char *buf, size_t cap, uint64_t ns)
{
	uint64_t s = ns / 1000000000ULL;

	if (s < 100)
		snprintf(buf, cap, "%llus", (unsigned long long)s);
	else if (s < 6000)
		snprintf(buf, cap, "%llum", (unsigned long long)(s / 60));
	else
		snprintf(buf, cap, "%lluh", (unsigned long long)(s / 3600));
	return buf;
}

/* One measure of a process: its value, its change, or why there is none. */
static void
proc_cell(struct tui *t, const struct tui_frame *f, int y, const struct tui_col *col,
	  const struct ml_proc *p, enum ml_pm m, const struct tui_proc_change *c, int64_t d)
{
	char buf[48];
	uint64_t v;

	if (p->mem != ML_MEM_OK) {
		tui_table_cell(t, y, col, TC_DIM, p->mem == ML_MEM_UNREAD ? "..." : "n/a");
		return;
	}
	if (!ml_proc_value(p, m, &v)) {
		tui_table_cell(t, y, col, TC_DIM, "n/a");
		return;
	}
	if (t->req.delta) {
		if (c == NULL || !c->known)
			tui_table_cell(t, y, col, TC_DIM, "-");
		else
			tui_table_cell(t, y, col, tui_change_color((double)d),
				       tui_change(buf, sizeof buf, f, d));
		return;
	}
	tui_table_cell(t, y, col, TC_NORMAL, tui_size(buf, sizeof buf, f, v));
}

/* The totals line above the table; the row after it. */
static int
procs_totals(struct tui *t, const struct tui_frame *f, int y)
{
	const struct tui_procs *s = &f->procs;
	const struct ml_proc_sum *sum = &s->total;
	uint64_t unread = sum->procs - sum->read;
	char buf[48];
	int x = 2 + tui_put(t, y, 1, -1, TC_TITLE, "Processes");

	x += tui_putf(t, y, x, -1, TC_NORMAL, "%llu shown", (unsigned long long)sum->procs);
	if (ml_proc_sum_has(sum, ML_PM_PSS))
		x += tui_putf(t, y, x, -1, TC_NORMAL, ", PSS %s",
			      tui_size(buf, sizeof buf, f, sum->v[ML_PM_PSS]));
	if (sum->by_state[ML_MEM_DENIED] > 0) {
		char what[160];
		int n = snprintf(what, sizeof what, "; %llu unreadable: %s (%s)",
				 (unsigned long long)sum->by_state[ML_MEM_DENIED],
				 ml_mem_state_reason(ML_MEM_DENIED), s->denied_hint);

		/* Narrow: the count alone rather than a hint cut in the middle. */
		if (n < 0 || x + n > t->cols)
			snprintf(what, sizeof what, "; %llu unreadable",
				 (unsigned long long)sum->by_state[ML_MEM_DENIED]);
		x += tui_put(t, y, x, -1, TC_WARN, what);
	} else if (unread > 0)
		x += tui_putf(t, y, x, -1, TC_DIM, "; %llu not read yet",
			      (unsigned long long)unread);
	tui_putf(t, y, x, -1, TC_DIM, "; hidden: %llu kernel thread%s, %llu zombie%s",
		 (unsigned long long)s->kthreads, s->kthreads == 1 ? "" : "s",
		 (unsigned long long)s->zombies, s->zombies == 1 ? "" : "s");
	return y + 1;
}

static void
draw_groups(struct tui *t, const struct tui_frame *f, int y, int page)
{
	const struct tui_procs *s = &f->procs;
	bool by_user = t->req.group[TUI_VIEW_PROCS] == 1;
	struct tui_col cols[] = {
		{ .title = by_user ? "USER" : "COMMAND", .width = 20, .flex = true },
		{ .title = "PROCS", .width = 6, .right = true },
		{ .title = "PSS", .width = 10, .right = true },
		{ .title = "USS", .width = 10, .right = true, .prio = 1 },
		{ .title = "RSS", .width = 10, .right = true, .prio = 2 },
		{ .title = "SWAP", .width = 10, .right = true, .prio = 3 },
	};
	static const enum ml_pm ms[] = { ML_PM_PSS, ML_PM_USS, ML_PM_RSS, ML_PM_SWAP };
	char buf[48];
	int first, i;
	size_t m;

	tui_fit_columns(cols, ML_ARRAY_SIZE(cols), t->cols - 2);
	tui_table_titles(t, y++, cols, ML_ARRAY_SIZE(cols));
	first = tui_scroll_clamp(t, TUI_VIEW_PROCS, (int)s->ngroups, page);
	t->sel[TUI_VIEW_PROCS] = first;
	for (i = 0; i < page && (size_t)(first + i) < s->ngroups; i++, y++) {
		const struct ml_proc_group *g = &s->groups[first + i];

		tui_table_cell(t, y, &cols[0], TC_NORMAL, g->name);
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)g->sum.procs);
		tui_table_cell(t, y, &cols[1], TC_NORMAL, buf);
		for (m = 0; m < ML_ARRAY_SIZE(ms); m++)
			tui_table_cell(t, y, &cols[2 + m],
				       ml_proc_sum_has(&g->sum, ms[m]) ? TC_NORMAL : TC_DIM,
				       ml_proc_sum_has(&g->sum, ms[m])
					       ? tui_size(buf, sizeof buf, f, g->sum.v[ms[m]])
					       : "n/a");
	}
	t->req.nvisible = 0;
}

/* One process's mappings by kind, then its largest files. */
static void
draw_maps(struct tui *t, const struct tui_frame *f)
{
	const struct tui_procs *s = &f->procs;
	static const enum ml_ms ms[] = { ML_MS_SIZE, ML_MS_RSS, ML_MS_PSS, ML_MS_USS, ML_MS_SWAP };
	struct tui_col cols[] = {
		{ .title = "KIND", .width = 22, .flex = true },
		{ .title = "MAPS", .width = 6, .right = true, .prio = 3 },
		{ .title = "SIZE", .width = 10, .right = true, .prio = 2 },
		{ .title = "RSS", .width = 10, .right = true, .prio = 1 },
		{ .title = "PSS", .width = 10, .right = true },
		{ .title = "USS", .width = 10, .right = true },
		{ .title = "SWAP", .width = 10, .right = true, .prio = 1 },
	};
	struct vlines vl = { .t = t };
	char buf[48];
	int y, x, k, lines = 0, pass;
	size_t i, m;

	y = t->body_top;
	x = 1 + tui_putf(t, y, 1, -1, TC_TITLE, "Maps of PID %d", s->maps_pid);
	x += 1 + tui_putf(t, y, x + 1, -1, TC_NORMAL, "%s (user %s)", s->maps_comm, s->maps_user);
	tui_put(t, y, x + 1, -1, TC_DIM, s->maps_cmdline);
	y++;
	if (!s->maps_src.ok) {
		tui_unavailable(t, y, "smaps", s->maps_src.why);
		tui_put(t, y + 1, 1, -1, TC_DIM, "Esc goes back to the process list");
		tui_scroll_clamp(t, TUI_VIEW_PROCS, 1, 1);
		return;
	}
	tui_fit_columns(cols, ML_ARRAY_SIZE(cols), t->cols - 2);
	t->body_top += 1;
	t->body_rows -= 1;
	for (pass = 0; pass < 2; pass++) {
		vl.n = 0;
		vl.first = pass == 0 ? 1 << 20 : t->scroll[TUI_VIEW_PROCS];
		if (pass == 1) {
			/* The maps breakdown scrolls on its own: sel is its first line. */
			vl.first = tui_scroll_clamp(t, TUI_VIEW_PROCS, lines, t->body_rows);
		}
		y = vl_next(&vl);
		tui_table_titles(t, y, cols, ML_ARRAY_SIZE(cols));
		for (k = 0; k <= ML_MK__COUNT; k++) {
			const struct ml_msum *sum =
				k < ML_MK__COUNT ? &s->sum->kind[k] : &s->sum->total;

			if (k < ML_MK__COUNT && sum->maps == 0)
				continue;
			y = vl_next(&vl);
			if (y < 0)
				continue;
			tui_table_cell(t, y, &cols[0], k < ML_MK__COUNT ? TC_NORMAL : TC_TITLE,
				       k < ML_MK__COUNT ? ml_map_kind_title((enum ml_map_kind)k)
							: "total");
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)sum->maps);
			tui_table_cell(t, y, &cols[1], TC_NORMAL, buf);
			for (m = 0; m < ML_ARRAY_SIZE(ms); m++)
				tui_table_cell(t, y, &cols[2 + m],
					       ml_msum_has(sum, ms[m]) ? TC_NORMAL : TC_DIM,
					       ml_msum_has(sum, ms[m])
						       ? tui_size(buf, sizeof buf, f, sum->v[ms[m]])
						       : "n/a");
		}
		vl.n++;
		y = vl_next(&vl);
		if (y >= 0) {
			struct tui_col fc = cols[0];

			fc.title = "FILE (by PSS)";
			tui_table_cell(t, y, &fc, TC_TITLE, fc.title);
			tui_table_cell(t, y, &cols[1], TC_TITLE, cols[1].title);
			for (m = 0; m < ML_ARRAY_SIZE(ms); m++)
				tui_table_cell(t, y, &cols[2 + m], TC_TITLE, cols[2 + m].title);
		}
		for (i = 0; i < s->nfiles; i++) {
			const struct ml_mapfile *mf = s->files[i];

			y = vl_next(&vl);
			if (y < 0)
				continue;
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)mf->sum.maps);
			tui_table_cell(t, y, &cols[1], TC_NORMAL, buf);
			tui_table_cell(t, y, &cols[0], mf->deleted ? TC_WARN : TC_NORMAL, mf->name);
			for (m = 0; m < ML_ARRAY_SIZE(ms); m++)
				tui_table_cell(
					t, y, &cols[2 + m],
					ml_msum_has(&mf->sum, ms[m]) ? TC_NORMAL : TC_DIM,
					ml_msum_has(&mf->sum, ms[m])
						? tui_size(buf, sizeof buf, f, mf->sum.v[ms[m]])
						: "n/a");
		}
		lines = vl.n;
	}
	t->body_top -= 1;
	t->body_rows += 1;
}

void
tui_draw_procs(struct tui *t, const struct tui_frame *f)
{
	const struct tui_procs *s = &f->procs;
	struct tui_col cols[PC__COUNT] = {
		[PC_PID] = { .title = "PID", .width = 7, .right = true },
		[PC_USER] = { .title = "USER", .width = 8, .prio = 3 },
		[PC_PSS] = { .title = "PSS", .width = 10, .right = true },
		/* PSS per hour, fitted through every read so far (memlens growth's model). */
		[PC_GROWTH] = { .title = "PSS/h", .width = 11, .right = true, .prio = 5 },
		[PC_USS] = { .title = "USS", .width = 10, .right = true, .prio = 1 },
		[PC_RSS] = { .title = "RSS", .width = 10, .right = true, .prio = 2 },
		[PC_SWAP] = { .title = "SWAP", .width = 10, .right = true, .prio = 2 },
		[PC_MINFLT] = { .title = "MINFLT/s", .width = 9, .right = true, .prio = 3 },
		[PC_MAJFLT] = { .title = "MAJFLT/s", .width = 9, .right = true, .prio = 3 },
		[PC_AGE] = { .title = "AGE", .width = 6, .right = true, .prio = 4 },
		[PC_CMD] = { .title = "COMMAND", .width = 16, .flex = true },
	};
	uint64_t lag = (uint64_t)(s->interval * 1.5e9);
	int y = t->body_top, page, first, i, nstale = 0;
	unsigned int nv = 0;
	char buf[48];

	t->req.nvisible = 0;
	t->req.selected_pid = 0;
	if (!s->src.ok) {
		tui_unavailable(t, y, "Processes", s->src.why);
		tui_scroll_clamp(t, TUI_VIEW_PROCS, 1, t->body_rows);
		return;
	}
	if (s->maps_pid > 0) {
		draw_maps(t, f);
		return;
	}
	y = procs_totals(t, f, y);
	page = t->body_rows - 2;
	if (s->groups != NULL) {
		draw_groups(t, f, y, page);
		return;
	}
	/* No fault counts (another proc root than the live /proc): no fault columns. */
	for (i = 0; (size_t)i < s->n && !s->rows[i]->faults_known; i++)
		;
	if ((size_t)i == s->n)
		cols[PC_MINFLT].width = cols[PC_MAJFLT].width = 0;
	if (t->req.delta) {
		change_title(&cols[PC_PSS], "PSS CHG");
		change_title(&cols[PC_USS], "USS CHG");
		change_title(&cols[PC_RSS], "RSS CHG");
		change_title(&cols[PC_SWAP], "SWAP CHG");
	}
	tui_fit_columns(cols, PC__COUNT, t->cols - 2);
	tui_table_titles(t, y++, cols, PC__COUNT);
	if (s->n == 0) {
		tui_put(t, y, 1, -1, TC_DIM,
			t->req.filter[TUI_VIEW_PROCS][0] ? "no process matches the filter"
							 : "no process to show");
		tui_scroll_clamp(t, TUI_VIEW_PROCS, 0, page);
		return;
	}
	/* The selection stays on screen; the rows on screen are read first next time. */
	t->lines[TUI_VIEW_PROCS] = (int)s->n;
	t->page[TUI_VIEW_PROCS] = page;
	if (t->sel[TUI_VIEW_PROCS] >= (int)s->n)
		t->sel[TUI_VIEW_PROCS] = (int)s->n - 1;
	if (t->sel[TUI_VIEW_PROCS] < t->scroll[TUI_VIEW_PROCS])
		t->scroll[TUI_VIEW_PROCS] = t->sel[TUI_VIEW_PROCS];
	if (t->sel[TUI_VIEW_PROCS] >= t->scroll[TUI_VIEW_PROCS] + page)
		t->scroll[TUI_VIEW_PROCS] = t->sel[TUI_VIEW_PROCS] - page + 1;
	first = tui_scroll_clamp(t, TUI_VIEW_PROCS, (int)s->n, page);
	for (i = 0; i < page && (size_t)(first + i) < s->n; i++, y++) {
		const struct ml_proc *p = s->rows[first + i];
		const struct tui_proc_change *c = &s->change[first + i];
		bool sel = first + i == t->sel[TUI_VIEW_PROCS];

		bool stale =
			p->mem == ML_MEM_OK && s->now_ns > p->mem_ns && s->now_ns - p->mem_ns > lag;

		if (nv < TUI_VISIBLE_MAX)
			t->req.visible[nv++] = p->pid;
		if (sel)
			t->req.selected_pid = p->pid;
		if (sel) {
			tui_fill(t, y, 0, t->cols, TC_SEL, " ");
			tui_put(t, y, 0, 1, TC_SEL, ">");
		} else if (stale && !cols[PC_AGE].shown) {
			/* No AGE column (a narrow screen): the row still says its figures lag. */
			tui_put(t, y, 0, 1, TC_WARN, "~");
			nstale++;
		}
		snprintf(buf, sizeof buf, "%d", p->pid);
		tui_table_cell(t, y, &cols[PC_PID], sel ? TC_SEL : TC_NORMAL, buf);
		tui_table_cell(t, y, &cols[PC_USER], sel ? TC_SEL : TC_NORMAL, p->user);
		proc_cell(t, f, y, &cols[PC_PSS], p, ML_PM_PSS, c, c->pss);
		proc_cell(t, f, y, &cols[PC_USS], p, ML_PM_USS, c, c->uss);
		proc_cell(t, f, y, &cols[PC_RSS], p, ML_PM_RSS, c, c->rss);
		proc_cell(t, f, y, &cols[PC_SWAP], p, ML_PM_SWAP, c, c->swap);
		fault_cell(t, y, &cols[PC_MINFLT], p, ML_FAULT_MINOR);
		fault_cell(t, y, &cols[PC_MAJFLT], p, ML_FAULT_MAJOR);
		if (c->has_growth)
			tui_table_cell(t, y, &cols[PC_GROWTH], tui_change_color(c->growth),
				       tui_change(buf, sizeof buf, f, (int64_t)(c->growth * 3600)));
		else
			tui_table_cell(t, y, &cols[PC_GROWTH], TC_DIM, "-");
		if (stale)
			tui_table_cell(t, y, &cols[PC_AGE], TC_WARN,
				       age_text(buf, sizeof buf, s->now_ns - p->mem_ns));
		else if (p->mem != ML_MEM_OK && p->mem != ML_MEM_UNREAD)
			tui_table_cell(t, y, &cols[PC_AGE], TC_DIM, ml_mem_state_word(p->mem));
		tui_table_cell(t, y, &cols[PC_CMD], sel ? TC_SEL : TC_NORMAL,
			       p->cmdline != NULL && p->cmdline[0] ? p->cmdline : p->comm);
		if (sel)
			mvchgat(y, 0, t->cols, t->attr[TC_SEL], 0, NULL);
	}
	t->req.nvisible = nv;
	if (nstale > 0 && t->msg[0] == '\0')
		snprintf(t->msg, sizeof t->msg, "~ figures more than %.3g s old",
			 (double)lag / 1e9);
}

/* The PID of the selected process, or 0. */
int
tui_selected_pid(const struct tui *t)
{
	const struct tui_frame *f = t->frame;
	int sel = t->sel[TUI_VIEW_PROCS];

	if (f == NULL || !f->procs.src.ok || f->procs.groups != NULL || f->procs.maps_pid > 0 ||
	    sel < 0 || (size_t)sel >= f->procs.n)
		return 0;
	return f->procs.rows[sel]->pid;
}

/* ---------------------------------------------------------------- slab */

/* A signed count change: "+12", "-3", "0". */
static const char *
count_change(char *buf, size_t cap, uint64_t now, uint64_t before)
{
	if (now == before)
		snprintf(buf, cap, "0");
	else if (now > before)
		snprintf(buf, cap, "+%llu", (unsigned long long)(now - before));
	else
		snprintf(buf, cap, "-%llu", (unsigned long long)(before - now));
	return buf;
}

enum slab_col {
	SC_NAME,
	SC_OBJS,
	SC_ACTIVE,
	SC_USE,
	SC_OBJSIZE,
	SC_SLABS,
	SC_MEMORY,
	SC_WASTE,
	SC_GROWTH,
	SC_RECLAIM,
	SC__COUNT
};

void
tui_draw_slab(struct tui *t, const struct tui_frame *f)
{
	const struct tui_slab *s = &f->slab;
	const struct ml_slab_view *v = s->view;
	struct tui_col cols[SC__COUNT] = {
		[SC_NAME] = { .title = "CACHE", .width = 18, .flex = true },
		[SC_OBJS] = { .title = "OBJS", .width = 8, .prio = 4, .right = true },
		[SC_ACTIVE] = { .title = "ACTIVE", .width = 8, .prio = 5, .right = true },
		[SC_USE] = { .title = "USE", .width = 4, .prio = 3, .right = true },
		[SC_OBJSIZE] = { .title = "OBJSIZE", .width = 7, .prio = 6, .right = true },
		[SC_SLABS] = { .title = "SLABS", .width = 7, .prio = 7, .right = true },
		[SC_MEMORY] = { .title = "MEMORY", .width = 10, .right = true },
		[SC_WASTE] = { .title = "WASTE", .width = 10, .prio = 2, .right = true },
		[SC_GROWTH] = { .title = "GROWTH/s", .width = 11, .right = true },
		[SC_RECLAIM] = { .title = "RECL", .width = 4, .prio = 8 },
	};
	bool delta = t->req.delta && s->seconds > 0;
	char buf[64], b2[64];
	int y = t->body_top, page, first, i;

	if (!s->src.ok || v == NULL) {
		tui_unavailable(t, y, "Slab", s->src.why);
		tui_scroll_clamp(t, TUI_VIEW_SLAB, 1, t->body_rows);
		return;
	}
	/* The totals line. */
	{
		const struct ml_slab_totals *tot = &v->total;
		int x = 2 + tui_put(t, y, 1, -1, TC_TITLE, "Slab");

		x += tui_putf(t, y, x, -1, TC_NORMAL, "%u caches (%u in use)", tot->caches,
			      tot->caches_in_use);
		if (v->has_bytes)
			x += tui_putf(t, y, x, -1, TC_NORMAL, ", %s, waste %s",
				      tui_size(buf, sizeof buf, f, tot->bytes),
				      tui_size(b2, sizeof b2, f, tot->waste));
		else
			x += tui_putf(t, y, x, -1, TC_NORMAL, ", %llu pages",
				      (unsigned long long)tot->pages);
		if (s->seconds > 0 && tot->has_growth && v->has_bytes) {
			x += tui_put(t, y, x, -1, TC_NORMAL, ", growth ");
			x += tui_put(t, y, x, -1, tui_change_color(tot->growth_bytes),
				     tui_change(buf, sizeof buf, f, llround(tot->growth_bytes)));
			tui_put(t, y, x, -1, TC_NORMAL, "/s");
		} else if (s->seconds > 0 && tot->has_growth) {
			tui_putf(t, y, x, -1, TC_NORMAL, ", growth %+.1f pages/s",
				 tot->growth_pages);
		} else {
			tui_put(t, y, x, -1, TC_DIM, "; growth after the next refresh");
		}
	}
	y++;
	if (s->reclaim_why != NULL && t->cols >= 120) {
		cols[SC_RECLAIM].prio = 9;
	}
	if (delta) {
		change_title(&cols[SC_OBJS], "OBJS CHG");
		change_title(&cols[SC_ACTIVE], "ACTIVE CHG");
		change_title(&cols[SC_SLABS], "SLABS CHG");
		change_title(&cols[SC_MEMORY], "MEMORY CHG");
	}
	tui_fit_columns(cols, SC__COUNT, t->cols - 2);
	tui_table_titles(t, y, cols, SC__COUNT);
	y++;
	page = t->body_rows - 2;
	if (s->n == 0) {
		tui_put(t, y, 1, -1, TC_DIM,
			f->slab.rows == NULL || t->req.filter[TUI_VIEW_SLAB][0] == '\0'
				? "no slab caches"
				: "no cache matches the filter");
		tui_scroll_clamp(t, TUI_VIEW_SLAB, 0, page);
		return;
	}
	first = tui_scroll_clamp(t, TUI_VIEW_SLAB, (int)s->n, page);
	for (i = 0; i < page && (uint32_t)(first + i) < s->n; i++, y++) {
		const struct ml_slab_row *row = s->rows[first + i];
		const struct ml_slab_cache *c = row->cache;
		bool prev = delta && c->has_prev;

		tui_table_cell(t, y, &cols[SC_NAME], TC_NORMAL, c->name);
		if (delta && !prev) {
			/* A cache that appeared since the last read has no change to show. */
			tui_table_cell(t, y, &cols[SC_OBJS], TC_DIM, "new");
			tui_table_cell(t, y, &cols[SC_ACTIVE], TC_DIM, "new");
			tui_table_cell(t, y, &cols[SC_SLABS], TC_DIM, "new");
		} else if (prev) {
			tui_table_cell(
				t, y, &cols[SC_OBJS], TC_NORMAL,
				count_change(buf, sizeof buf, c->cur.num_objs, c->prev.num_objs));
			tui_table_cell(t, y, &cols[SC_ACTIVE], TC_NORMAL,
				       count_change(buf, sizeof buf, c->cur.active_objs,
						    c->prev.active_objs));
			tui_table_cell(
				t, y, &cols[SC_SLABS], TC_NORMAL,
				count_change(buf, sizeof buf, c->cur.num_slabs, c->prev.num_slabs));
		} else {
			tui_table_cell(
				t, y, &cols[SC_OBJS], TC_NORMAL,
				tui_count(buf, sizeof buf, c->cur.num_objs, cols[SC_OBJS].w));
			tui_table_cell(
				t, y, &cols[SC_ACTIVE], TC_NORMAL,
				tui_count(buf, sizeof buf, c->cur.active_objs, cols[SC_ACTIVE].w));
			tui_table_cell(
				t, y, &cols[SC_SLABS], TC_NORMAL,
				tui_count(buf, sizeof buf, c->cur.num_slabs, cols[SC_SLABS].w));
		}
		snprintf(buf, sizeof buf, "%.0f%%", row->use * 100);
		tui_table_cell(t, y, &cols[SC_USE], TC_NORMAL, c->cur.num_objs ? buf : "-");
		tui_table_cell(t, y, &cols[SC_OBJSIZE], TC_NORMAL,
			       tui_count(buf, sizeof buf, c->cur.objsize, cols[SC_OBJSIZE].w));
		if (delta && !prev) {
			tui_table_cell(t, y, &cols[SC_MEMORY], TC_DIM, "new");
		} else if (prev && v->has_bytes) {
			int64_t d = llround(row->growth_bytes * s->seconds);

			tui_table_cell(t, y, &cols[SC_MEMORY], tui_change_color((double)d),
				       tui_change(buf, sizeof buf, f, d));
		} else if (prev) {
			long long d = llround(row->growth_pages * s->seconds);

			snprintf(buf, sizeof buf, "%+lldp", d);
			tui_table_cell(t, y, &cols[SC_MEMORY], tui_change_color((double)d),
				       d == 0 ? "0" : buf);
		} else if (v->has_bytes) {
			tui_table_cell(t, y, &cols[SC_MEMORY], TC_NORMAL,
				       tui_size(buf, sizeof buf, f, row->bytes));
		} else {
			snprintf(buf, sizeof buf, "%llup", (unsigned long long)row->pages);
			tui_table_cell(t, y, &cols[SC_MEMORY], TC_NORMAL, buf);
		}
		if (v->has_bytes)
			tui_table_cell(t, y, &cols[SC_WASTE], TC_NORMAL,
				       tui_size(buf, sizeof buf, f, row->waste));
		else
			tui_table_cell(t, y, &cols[SC_WASTE], TC_DIM, "n/a");
		if (s->seconds > 0 && row->has_growth) {
			if (v->has_bytes)
				tui_change(buf, sizeof buf, f, llround(row->growth_bytes));
			else
				snprintf(buf, sizeof buf, "%+.1fp", row->growth_pages);
			tui_table_cell(t, y, &cols[SC_GROWTH], tui_change_color(row->growth_pages),
				       buf);
		} else {
			tui_table_cell(t, y, &cols[SC_GROWTH], TC_DIM,
				       s->seconds > 0 ? "new" : "-");
		}
		tui_table_cell(t, y, &cols[SC_RECLAIM], TC_NORMAL,
			       c->reclaim == ML_SLAB_RECLAIM_YES  ? "yes"
			       : c->reclaim == ML_SLAB_RECLAIM_NO ? "no"
								  : "?");
	}
}

/* ---------------------------------------------------------------- vmalloc */

enum vm_col { VC_NAME, VC_MODULE, VC_AREAS, VC_PAGES, VC_MEMORY, VC_VA, VC_GROWTH, VC__COUNT };

void
tui_draw_vmalloc(struct tui *t, const struct tui_frame *f)
{
	const struct tui_vmalloc *s = &f->vmalloc;
	const struct ml_vmalloc *vm = s->vm;
	static const char *const name_title[] = { "CALLER", "MODULE", "TYPE" };
	enum ml_vm_by by = (enum ml_vm_by)t->req.group[TUI_VIEW_VMALLOC];
	struct tui_col cols[VC__COUNT] = {
		[VC_NAME] = { .title = name_title[by < ML_VM_BY__COUNT ? by : 0],
			      .width = 20,
			      .flex = true },
		[VC_MODULE] = { .title = "MODULE", .width = 12, .prio = 3 },
		[VC_AREAS] = { .title = "AREAS", .width = 7, .prio = 2, .right = true },
		[VC_PAGES] = { .title = "PAGES", .width = 8, .prio = 4, .right = true },
		[VC_MEMORY] = { .title = "MEMORY", .width = 10, .right = true },
		[VC_VA] = { .title = "VA SIZE", .width = 10, .prio = 5, .right = true },
		[VC_GROWTH] = { .title = "GROWTH/s", .width = 11, .right = true },
	};
	bool delta = t->req.delta && s->seconds > 0;
	char buf[64], b2[64];
	int y = t->body_top, page, first, i, x;
	uint64_t bytes;

	if (!s->src.ok || vm == NULL) {
		tui_unavailable(t, y, "vmalloc", s->src.why);
		tui_scroll_clamp(t, TUI_VIEW_VMALLOC, 1, t->body_rows);
		return;
	}
	x = 2 + tui_put(t, y, 1, -1, TC_TITLE, "vmalloc");
	if (ml_vmalloc_bytes(vm, ml_vmalloc_used_pages(vm), &bytes))
		x += tui_putf(t, y, x, -1, TC_NORMAL, "%s in %llu pages",
			      tui_size(buf, sizeof buf, f, bytes),
			      (unsigned long long)ml_vmalloc_used_pages(vm));
	else
		x += tui_putf(t, y, x, -1, TC_NORMAL, "%llu pages",
			      (unsigned long long)ml_vmalloc_used_pages(vm));
	x += tui_putf(t, y, x, -1, TC_NORMAL, ", %u %ss", s->ngroups,
		      by == ML_VM_BY_CALLER   ? "caller"
		      : by == ML_VM_BY_MODULE ? "module"
					      : "type");
	if (s->seconds > 0 && ml_vmalloc_has_prev(vm)) {
		int64_t g = ml_vmalloc_growth_pages(vm);
		double per_s = (double)g / s->seconds;

		x += tui_put(t, y, x, -1, TC_NORMAL, ", growth ");
		if (vm->page_size != 0)
			x += tui_put(t, y, x, -1, tui_change_color(per_s),
				     tui_change(b2, sizeof b2, f,
						llround(per_s * (double)vm->page_size)));
		else
			x += tui_putf(t, y, x, -1, tui_change_color(per_s), "%+.1f pages", per_s);
		tui_put(t, y, x, -1, TC_NORMAL, "/s");
	} else {
		tui_put(t, y, x, -1, TC_DIM, "; growth after the next refresh");
	}
	y++;
	if (delta) {
		change_title(&cols[VC_AREAS], "AREAS CHG");
		change_title(&cols[VC_PAGES], "PAGES CHG");
		change_title(&cols[VC_MEMORY], "MEMORY CHG");
		change_title(&cols[VC_VA], "VA CHG");
	}
	if (by != ML_VM_BY_CALLER)
		cols[VC_MODULE].prio = 100;
	tui_fit_columns(cols, VC__COUNT, t->cols - 2);
	if (by != ML_VM_BY_CALLER && cols[VC_MODULE].shown) {
		/* Only callers have a module: give its room to the name. */
		cols[VC_MODULE].shown = false;
		tui_fit_columns(cols, VC__COUNT - 0, t->cols - 2);
	}
	if (by != ML_VM_BY_CALLER)
		cols[VC_MODULE].shown = false;
	tui_table_titles(t, y, cols, VC__COUNT);
	y++;
	page = t->body_rows - 2;
	if (s->n == 0) {
		tui_put(t, y, 1, -1, TC_DIM,
			t->req.filter[TUI_VIEW_VMALLOC][0] == '\0' ? "no vmalloc areas"
								   : "nothing matches the filter");
		tui_scroll_clamp(t, TUI_VIEW_VMALLOC, 0, page);
		return;
	}
	first = tui_scroll_clamp(t, TUI_VIEW_VMALLOC, (int)s->n, page);
	for (i = 0; i < page && (size_t)(first + i) < s->n; i++, y++) {
		const struct ml_vm_group *g = s->groups[first + i];
		int64_t gp = ml_vm_group_growth_pages(g);

		tui_table_cell(t, y, &cols[VC_NAME], TC_NORMAL, g->name);
		tui_table_cell(t, y, &cols[VC_MODULE], TC_DIM,
			       g->module != NULL && strcmp(g->module, "kernel") != 0 ? g->module
										     : "");
		if (delta) {
			tui_table_cell(t, y, &cols[VC_AREAS], TC_NORMAL,
				       count_change(buf, sizeof buf, g->areas, g->prev_areas));
			tui_table_cell(t, y, &cols[VC_PAGES], TC_NORMAL,
				       count_change(buf, sizeof buf, g->pages, g->prev_pages));
			if (vm->page_size != 0)
				tui_table_cell(t, y, &cols[VC_MEMORY], tui_change_color((double)gp),
					       tui_change(buf, sizeof buf, f,
							  gp * (int64_t)vm->page_size));
			else
				tui_table_cell(t, y, &cols[VC_MEMORY], TC_DIM, "n/a");
			tui_table_cell(t, y, &cols[VC_VA], TC_NORMAL,
				       tui_change(buf, sizeof buf, f,
						  (int64_t)(g->va_size - g->prev_va_size)));
		} else {
			tui_table_cell(t, y, &cols[VC_AREAS], TC_NORMAL,
				       tui_count(buf, sizeof buf, g->areas, cols[VC_AREAS].w));
			tui_table_cell(t, y, &cols[VC_PAGES], TC_NORMAL,
				       tui_count(buf, sizeof buf, g->pages, cols[VC_PAGES].w));
			if (ml_vmalloc_bytes(vm, g->pages, &bytes))
				tui_table_cell(t, y, &cols[VC_MEMORY], TC_NORMAL,
					       tui_size(buf, sizeof buf, f, bytes));
			else
				tui_table_cell(t, y, &cols[VC_MEMORY], TC_DIM, "n/a");
			tui_table_cell(t, y, &cols[VC_VA], TC_NORMAL,
				       tui_size(buf, sizeof buf, f, g->va_size));
		}
		if (s->seconds > 0 && ml_vmalloc_has_prev(vm)) {
			double per_s = (double)gp / s->seconds;

			if (vm->page_size != 0)
				tui_change(buf, sizeof buf, f,
					   llround(per_s * (double)vm->page_size));
			else
				snprintf(buf, sizeof buf, "%+.1fp", per_s);
			tui_table_cell(t, y, &cols[VC_GROWTH], tui_change_color(per_s), buf);
		} else {
			tui_table_cell(t, y, &cols[VC_GROWTH], TC_DIM, "-");
		}
	}
}

/* ---------------------------------------------------------------- buddy */

/* The zone of prev matching z (same node and name), or NULL. */
static const struct ml_frag_zone *
prev_zone(const struct ml_frag *prev, size_t i, const struct ml_frag_zone *z)
{
	size_t j;

	if (prev == NULL)
		return NULL;
	if (i < prev->nzones && prev->zones[i].node == z->node &&
	    strcmp(prev->zones[i].name, z->name) == 0)
		return &prev->zones[i];
	for (j = 0; j < prev->nzones; j++)
		if (prev->zones[j].node == z->node && strcmp(prev->zones[j].name, z->name) == 0)
			return &prev->zones[j];
	return NULL;
}

/* An index in thousandths in w cells: "0.934", "-1.000" (or ".934", "-1" when narrow). */
static const char *
index_cell(char *buf, size_t cap, bool known, int v, int w)
{
	if (!known)
		snprintf(buf, cap, "n/a");
	else if (w >= 6)
		snprintf(buf, cap, "%s%d.%03d", v < 0 ? "-" : "", abs(v) / 1000, abs(v) % 1000);
	else if (v == ML_FRAG_WOULD_SUCCEED)
		snprintf(buf, cap, "-1");
	else if (v < 0)
		snprintf(buf, cap, "-.%03d", abs(v) % 1000);
	else if (v >= 1000)
		snprintf(buf, cap, "1");
	else
		snprintf(buf, cap, ".%03d", v);
	return buf;
}

void
tui_draw_buddy(struct tui *t, const struct tui_frame *f)
{
	const struct tui_buddy *s = &f->buddy;
	const struct ml_frag *fr = s->cur;
	char buf[64], name[48];
	int y, labw = 8, cw, tailw = 22, lines, first, o, pass;
	unsigned int norders;
	bool numa = false, delta;
	size_t i;
	struct vlines vl = { .t = t };

	if (!s->src.ok || fr == NULL) {
		tui_unavailable(t, t->body_top, "Buddy", s->src.why);
		tui_scroll_clamp(t, TUI_VIEW_BUDDY, 1, t->body_rows);
		return;
	}
	delta = t->req.delta && s->prev != NULL;
	norders = fr->norders;
	for (i = 0; i < fr->nzones; i++) {
		zone_name(name, sizeof name, fr->zones[i].node, fr->zones[i].name, false);
		if (i > 0 && fr->zones[i].node != fr->zones[0].node)
			numa = true;
	}
	for (i = 0; i < fr->nzones; i++) {
		zone_name(name, sizeof name, fr->zones[i].node, fr->zones[i].name, numa);
		if ((int)strlen(name) + 1 > labw)
			labw = (int)strlen(name) + 1;
	}
	if (norders == 0) {
		tui_put(t, t->body_top, 1, -1, TC_DIM, "no zones in buddyinfo");
		tui_scroll_clamp(t, TUI_VIEW_BUDDY, 1, t->body_rows);
		return;
	}
	if (t->cols - 2 - labw - tailw < (int)norders * 5)
		tailw = 0; /* narrow: no free/largest columns */
	cw = (t->cols - 2 - labw - tailw) / (int)norders;
	if (cw > 9)
		cw = 9;
	if (cw < 4)
		cw = 4;

	/* Two passes: count the lines, then draw the ones in the window. */
	for (pass = 0; pass < 2; pass++) {
		vl.n = 0;
		if (pass == 0) {
			vl.first = 1 << 20;
		} else {
			first = tui_scroll_clamp(t, TUI_VIEW_BUDDY, lines, t->body_rows);
			vl.first = first;
		}
		y = vl_next(&vl);
		tui_putf(t, y, 1, -1, TC_TITLE, "Free blocks per order%s",
			 delta ? ": change since the last refresh" : "");
		tui_put(t, y, 23 + (delta ? 32 : 0), -1, TC_DIM,
			"(shaded by the share of the zone's free memory)");
		y = vl_next(&vl);
		tui_put(t, y, 1, labw, TC_TITLE, "order");
		for (o = 0; o < (int)norders; o++) {
			snprintf(buf, sizeof buf, "%d", o);
			tui_put_right(t, y, 1 + labw + o * cw, cw, TC_TITLE, buf);
		}
		if (tailw) {
			tui_put_right(t, y, 1 + labw + (int)norders * cw, 11, TC_TITLE, "free");
			tui_put_right(t, y, 1 + labw + (int)norders * cw + 11, 11, TC_TITLE,
				      "largest");
		}
		if (fr->page_size != 0) {
			y = vl_next(&vl);
			tui_put(t, y, 1, labw, TC_DIM, "block");
			for (o = 0; o < (int)norders; o++) {
				tui_size_short(buf, sizeof buf, fr->page_size << o, f->units);
				tui_put_right(t, y, 1 + labw + o * cw, cw, TC_DIM, buf);
			}
		}
		for (i = 0; i < fr->nzones; i++) {
			const struct ml_frag_zone *z = &fr->zones[i],
						  *pz = prev_zone(s->prev, i, z);

			y = vl_next(&vl);
			if (y < 0)
				continue;
			zone_name(name, sizeof name, z->node, z->name, numa);
			tui_put(t, y, 1, labw, TC_NORMAL, name);
			for (o = 0; o < (int)norders; o++) {
				const struct ml_frag_order *fo = &z->order[o];
				double share = z->free_pages > 0 ? (double)fo->free_pages /
									   (double)z->free_pages
								 : 0;
				int lvl = tui_heat_level(share);

				if (delta && pz != NULL)
					count_change(buf, sizeof buf, fo->free_blocks,
						     pz->order[o].free_blocks);
				else
					tui_count(buf, sizeof buf, fo->free_blocks, cw - 1);
				tui_fill(t, y, 1 + labw + o * cw, cw, TC_HEAT + lvl, " ");
				tui_put_right(t, y, 1 + labw + o * cw, cw - 1, TC_HEAT + lvl, buf);
			}
			if (tailw) {
				int xt = 1 + labw + (int)norders * cw;

				if (z->overflow)
					snprintf(buf, sizeof buf, "n/a");
				else if (z->bytes_known)
					tui_size(buf, sizeof buf, f, z->free_bytes);
				else
					snprintf(buf, sizeof buf, "%llup",
						 (unsigned long long)z->free_pages);
				tui_put_right(t, y, xt, 11, TC_NORMAL, buf);
				if (z->largest_order < 0)
					snprintf(buf, sizeof buf, "none");
				else if (fr->page_size != 0)
					tui_size(buf, sizeof buf, f,
						 fr->page_size << z->largest_order);
				else
					snprintf(buf, sizeof buf, "order %d", z->largest_order);
				tui_put_right(t, y, xt + 11, 11, TC_NORMAL, buf);
			}
		}
		vl.n++;
		y = vl_next(&vl);
		tui_put(t, y, 1, -1, TC_TITLE, "Fragmentation index");
		tui_put(t, y, 21, -1, TC_DIM,
			t->cols >= 110 ? "(near 0: fails for lack of memory, near 1: for "
					 "fragmentation; -1: a free block exists)"
				       : "(0: no memory, 1: fragmented, -1: a block is free)");
		for (i = 0; i < fr->nzones; i++) {
			const struct ml_frag_zone *z = &fr->zones[i];

			y = vl_next(&vl);
			if (y < 0)
				continue;
			zone_name(name, sizeof name, z->node, z->name, numa);
			tui_put(t, y, 1, labw, TC_NORMAL, name);
			for (o = 0; o < (int)norders; o++) {
				const struct ml_frag_order *fo = &z->order[o];
				enum tui_color c = !fo->index_known                       ? TC_DIM
						   : fo->extfrag == ML_FRAG_WOULD_SUCCEED ? TC_DIM
						   : fo->extfrag > 500                    ? TC_BAD
						   : fo->extfrag > 0                      ? TC_WARN
								     : TC_NORMAL;

				tui_put_right(t, y, 1 + labw + o * cw, cw - 1, c,
					      index_cell(buf, sizeof buf, fo->index_known,
							 fo->extfrag, cw - 1));
			}
		}
		vl.n++;
		y = vl_next(&vl);
		tui_put(t, y, 1, -1, TC_TITLE, "Unusable free space index");
		tui_put(t, y, 27, -1, TC_DIM, "(the share of free memory in blocks too small)");
		for (i = 0; i < fr->nzones; i++) {
			const struct ml_frag_zone *z = &fr->zones[i];

			y = vl_next(&vl);
			if (y < 0)
				continue;
			zone_name(name, sizeof name, z->node, z->name, numa);
			tui_put(t, y, 1, labw, TC_NORMAL, name);
			for (o = 0; o < (int)norders; o++) {
				const struct ml_frag_order *fo = &z->order[o];

				tui_put_right(t, y, 1 + labw + o * cw, cw - 1, TC_NORMAL,
					      index_cell(buf, sizeof buf, fo->index_known,
							 fo->unusable, cw - 1));
			}
		}
		lines = vl.n;
	}
}

/* ---------------------------------------------------------------- zones */

enum zone_col {
	ZC_NAME,
	ZC_STATE,
	ZC_FREE,
	ZC_MIN,
	ZC_LOW,
	ZC_HIGH,
	ZC_HEADROOM,
	ZC_GAUGE,
	ZC__COUNT
};

/* The previous read of zone z, or NULL. */
static const struct tui_zone_prev *
zone_prev(const struct tui_zones *s, uint32_t i, const struct ml_wm_zone *z)
{
	uint32_t j;

	if (s->prev == NULL)
		return NULL;
	if (i < s->nprev && s->prev[i].node == z->node && strcmp(s->prev[i].name, z->name) == 0)
		return s->prev[i].known ? &s->prev[i] : NULL;
	for (j = 0; j < s->nprev; j++)
		if (s->prev[j].node == z->node && strcmp(s->prev[j].name, z->name) == 0)
			return s->prev[j].known ? &s->prev[j] : NULL;
	return NULL;
}

static void
draw_gauge(struct tui *t, int y, int x, int w, const struct ml_wm_zone *z)
{
	struct ml_wm_gauge g;
	int i;

	ml_wm_gauge_layout(z, w - 2, &g);
	if (!g.known) {
		tui_put(t, y, x, w, TC_DIM, "n/a");
		return;
	}
	tui_put(t, y, x, 1, TC_NORMAL, "[");
	for (i = 0; i < w - 2; i++) {
		const char *c;
		enum tui_color col = TC_NORMAL;

		if (i == g.min)
			c = "m";
		else if (i == g.low)
			c = "l";
		else if (i == g.high)
			c = "h";
		else if (i == g.promo)
			c = "p";
		else if (g.clipped && i == w - 3)
			c = ">";
		else if (i < g.fill) {
			c = t->color ? (t->utf8 ? "\u2588" : "|") : "#";
			col = state_color(z->state);
		} else {
			c = t->utf8 ? "\u00b7" : ".";
			col = TC_DIM;
		}
		if (c[0] == 'm' || c[0] == 'l' || c[0] == 'h' || c[0] == 'p')
			col = TC_TITLE;
		tui_put(t, y, x + 1 + i, 1, col, c);
	}
	tui_put(t, y, x + w - 1, 1, TC_NORMAL, "]");
}

void
tui_draw_zones(struct tui *t, const struct tui_frame *f)
{
	const struct tui_zones *s = &f->zones;
	const struct ml_watermarks *w = s->wm;
	struct tui_col cols[ZC__COUNT] = {
		[ZC_NAME] = { .title = "ZONE", .width = 8 },
		[ZC_STATE] = { .title = "STATE", .width = 13 },
		[ZC_FREE] = { .title = "FREE", .width = 10, .right = true },
		[ZC_MIN] = { .title = "MIN", .width = 9, .prio = 3, .right = true },
		[ZC_LOW] = { .title = "LOW", .width = 9, .prio = 1, .right = true },
		[ZC_HIGH] = { .title = "HIGH", .width = 9, .prio = 4, .right = true },
		[ZC_HEADROOM] = { .title = "ABOVE LOW", .width = 10, .prio = 2, .right = true },
		[ZC_GAUGE] = { .title = "free against min / low / high",
			       .width = 24,
			       .flex = true },
	};
	bool numa = false, delta = t->req.delta && s->prev != NULL;
	char buf[64], name[48];
	int y, first, lines = 0, pass, nunpop = 0;
	uint64_t ps;
	uint32_t i;
	struct vlines vl = { .t = t };

	if (!s->src.ok || w == NULL) {
		tui_unavailable(t, t->body_top, "Zones", s->src.why);
		tui_scroll_clamp(t, TUI_VIEW_ZONES, 1, t->body_rows);
		return;
	}
	ps = w->page_size;
	for (i = 1; i < w->nzones; i++)
		numa |= w->zones[i].node != w->zones[0].node;
	for (i = 0; i < w->nzones; i++) {
		zone_name(name, sizeof name, (long long)w->zones[i].node, w->zones[i].name, numa);
		if ((int)strlen(name) > cols[ZC_NAME].width)
			cols[ZC_NAME].width = (int)strlen(name);
	}
	if (delta)
		cols[ZC_FREE].title = "FREE CHG";
	tui_fit_columns(cols, ZC__COUNT, t->cols - 2);
	for (pass = 0; pass < 2; pass++) {
		vl.n = 0;
		vl.first = 1 << 20;
		if (pass == 1) {
			first = tui_scroll_clamp(t, TUI_VIEW_ZONES, lines, t->body_rows);
			vl.first = first;
		}
		y = vl_next(&vl);
		tui_table_titles(t, y, cols, ZC__COUNT);
		nunpop = 0;
		for (i = 0; i < w->nzones; i++) {
			const struct ml_wm_zone *z = &w->zones[i];
			const struct tui_zone_prev *pz;

			if (!z->populated) {
				nunpop++;
				continue;
			}
			y = vl_next(&vl);
			if (y < 0)
				continue;
			zone_name(name, sizeof name, (long long)z->node, z->name, numa);
			tui_table_cell(t, y, &cols[ZC_NAME], TC_NORMAL, name);
			tui_table_cell(t, y, &cols[ZC_STATE], state_color(z->state),
				       ml_wm_state_word(z->state));
			pz = zone_prev(s, i, z);
			if (delta && pz != NULL && z->free.known) {
				int64_t d = (int64_t)(z->free.pages - pz->free_pages);

				tui_table_cell(t, y, &cols[ZC_FREE], tui_change_color((double)d),
					       pages_size(buf, sizeof buf, f, ps, d, true));
			} else {
				tui_table_cell(t, y, &cols[ZC_FREE], TC_NORMAL,
					       z->free.known
						       ? pages_size(buf, sizeof buf, f, ps,
								    (int64_t)z->free.pages, false)
						       : "n/a");
			}
			tui_table_cell(t, y, &cols[ZC_MIN], TC_NORMAL,
				       z->min.known ? pages_size(buf, sizeof buf, f, ps,
								 (int64_t)z->min.pages, false)
						    : "n/a");
			tui_table_cell(t, y, &cols[ZC_LOW], TC_NORMAL,
				       z->low.known ? pages_size(buf, sizeof buf, f, ps,
								 (int64_t)z->low.pages, false)
						    : "n/a");
			tui_table_cell(t, y, &cols[ZC_HIGH], TC_NORMAL,
				       z->high.known ? pages_size(buf, sizeof buf, f, ps,
								  (int64_t)z->high.pages, false)
						     : "n/a");
			tui_table_cell(
				t, y, &cols[ZC_HEADROOM],
				z->headroom_known && z->to_low_pages <= 0 ? TC_WARN : TC_NORMAL,
				z->headroom_known
					? pages_size(buf, sizeof buf, f, ps, z->to_low_pages, false)
					: "n/a");
			if (cols[ZC_GAUGE].shown)
				draw_gauge(t, y, 1 + cols[ZC_GAUGE].x, cols[ZC_GAUGE].w, z);
		}
		if (nunpop > 0) {
			char line[256];
			size_t n = 0;

			y = vl_next(&vl);
			n += (size_t)snprintf(line, sizeof line, "unpopulated:");
			for (i = 0; i < w->nzones && n < sizeof line; i++) {
				if (w->zones[i].populated)
					continue;
				zone_name(name, sizeof name, (long long)w->zones[i].node,
					  w->zones[i].name, numa);
				n += (size_t)snprintf(line + n, sizeof line - n, " %s", name);
			}
			tui_put(t, y, 1, -1, TC_DIM, line);
		}
		y = vl_next(&vl);
		tui_put(t, y, 1, -1, TC_DIM,
			"gauge: free memory from 0 to twice the top mark; m min, l low, h high, p "
			"promo");
		y = vl_next(&vl);
		tui_put(t, y, 1, -1, TC_DIM,
			"at or below low an allocation wakes kswapd; at or below min it reclaims "
			"itself");
		lines = vl.n;
	}
}
