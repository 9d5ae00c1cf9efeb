/*
 * memlens zones: each zone's free memory against its watermarks (min, low,
 * high, promo), the headroom before kswapd wakes (low) and before
 * allocations reclaim directly (min), boost, managed/present/spanned,
 * protection, and a state word; a gauge per zone shows where free sits
 * among the marks. Unpopulated zones are listed on one line.
 */
#include "config.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cmd/cmd-zones.h"
#include "model/pagesize.h"
#include "proc/meminfo.h"
#include "proc/scan.h"
#include "proc/vmstat.h"
#include "util.h"
#include "xalloc.h"

/* ------------------------------------------------------------ formatting */

/* A page count in the user's units, or as pages when the page size is unknown. */
static const char *
pages_sz(const struct text_out *o, uint64_t page_size, uint64_t pages)
{
	static char ring[8][32];
	static unsigned int next;
	uint64_t bytes;

	next = (next + 1) % 8;
	if (page_size == 0) {
		snprintf(ring[next], sizeof ring[next], "%llu", (unsigned long long)pages);
		return ring[next];
	}
	if (!ml_mul_u64(pages, page_size, &bytes))
		return "n/a";
	return text_size(ring[next], sizeof ring[next], bytes, &o->units);
}

/* The same, signed: headroom below a mark is negative. */
static const char *
pages_ssz(const struct text_out *o, uint64_t page_size, int64_t pages)
{
	static char ring[8][32];
	static unsigned int next;
	int64_t bytes;

	next = (next + 1) % 8;
	if (page_size == 0) {
		snprintf(ring[next], sizeof ring[next], "%lld", (long long)pages);
		return ring[next];
	}
	if (page_size > INT64_MAX || __builtin_mul_overflow(pages, (int64_t)page_size, &bytes))
		return "n/a";
	return text_ssize(ring[next], sizeof ring[next], bytes, &o->units);
}

/*
 * Fixed units (-k) print bare numbers, and so do pages: a sentence that
 * stands alone names its unit (" KiB", " pages"; "" for human sizes).
 */
static void
unit_suffix(const struct text_out *o, uint64_t page_size, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s", page_size == 0 || o->units.mode != ML_UNITS_HUMAN ? " " : "",
		 page_size == 0 ? "pages" : text_unit_name(&o->units));
}

static const char *
opt_sz(const struct text_out *o, uint64_t page_size, struct ml_wm_pages v)
{
	return v.known ? pages_sz(o, page_size, v.pages) : "n/a";
}

static enum text_style
state_style(enum ml_wm_state s)
{
	switch (s) {
	case ML_WM_OK:
		return TS_GOOD;
	case ML_WM_BELOW_HIGH:
	case ML_WM_BELOW_LOW:
		return TS_WARN;
	case ML_WM_BELOW_MIN:
	case ML_WM_UNRECLAIMABLE:
		return TS_BAD;
	default:
		return TS_DIM;
	}
}

void
cmd_zones_health_line(const struct text_out *o, const struct ml_watermarks *wm, uint64_t ps,
		      const struct ml_wm_health *h)
{
	uint32_t others;
	int64_t low, min;
	char unit[16];

	unit_suffix(o, ps, unit, sizeof unit);
	text_printf(o, TS_HEADER, "Zones   ");
	if (!h->known) {
		text_printf(o, TS_DIM, " n/a (no zone with memory and watermarks)\n");
		return;
	}
	fputc(' ', o->f);
	text_printf(o, state_style(h->state), "%s", ml_wm_state_word(h->state));
	low = h->to_low_pages;
	min = h->to_min_pages;
	others = h->count[ML_WM_BELOW_HIGH] + h->count[ML_WM_BELOW_LOW] +
		 h->count[ML_WM_BELOW_MIN] + h->count[ML_WM_UNRECLAIMABLE];
	others = others > 0 ? others - 1 : 0;
	if (h->state != ML_WM_OK)
		fprintf(o->f, ": Node %lld %s", (long long)h->node, h->zone);
	switch (h->state) {
	case ML_WM_OK:
		fprintf(o->f, ": %u zone%s above high; closest Node %lld %s, %s%s above low",
			h->judged, h->judged == 1 ? "" : "s", (long long)h->node, h->zone,
			pages_ssz(o, ps, low), unit);
		break;
	case ML_WM_BELOW_HIGH:
		fprintf(o->f, ", %s%s above low%s", pages_ssz(o, ps, low), unit,
			others ? "" : " (kswapd may be busy)");
		break;
	case ML_WM_BELOW_LOW:
		fprintf(o->f, ", %s%s under low%s", pages_ssz(o, ps, -low), unit,
			others ? "" : " (kswapd woken)");
		break;
	case ML_WM_BELOW_MIN:
		fprintf(o->f, ", %s%s under min%s", pages_ssz(o, ps, -min), unit,
			others ? "" : " (direct reclaim)");
		break;
	case ML_WM_UNRECLAIMABLE:
		if (!others)
			fprintf(o->f, " (reclaim gave up on this %s)",
				strcmp(wm->zones[h->worst].unreclaimable_key,
				       "all_unreclaimable") == 0
					? "zone"
					: "node");
		break;
	default:
		break;
	}
	if (others > 0)
		fprintf(o->f, "; %u more zone%s not ok", others, others == 1 ? "" : "s");
	fputc('\n', o->f);
}

/* ------------------------------------------------------------ the command */

struct zones_cmd {
	struct ml_snapshot snap;
	struct ml_sysinfo si;
	/* Of the last refresh, borrowed from snap. */
	const struct ml_zoneinfo *zi;
	const struct ml_watermarks *wm;
	const struct ml_page_size *ps;
};

/* Render the gauge of z into buf: "[####m#l#h#p#####>]". */
static const char *
gauge(char *buf, size_t cap, const struct ml_wm_zone *z, int cells, bool utf8)
{
	struct ml_wm_gauge g;
	size_t len = 0;
	int i;

	ml_wm_gauge_layout(z, cells, &g);
	if (!g.known)
		return "";
	buf[len++] = '[';
	for (i = 0; i < cells && len + 8 < cap; i++) {
		const char *c;

		if (i == g.min)
			c = "m";
		else if (i == g.low)
			c = "l";
		else if (i == g.high)
			c = "h";
		else if (i == g.promo)
			c = "p";
		else if (g.clipped && i == cells - 1)
			c = utf8 ? "▶" : ">";
		else if (i < g.fill)
			c = utf8 ? "█" : "#";
		else
			c = utf8 ? "·" : ".";
		memcpy(buf + len, c, strlen(c));
		len += strlen(c);
	}
	buf[len++] = ']';
	buf[len] = '\0';
	return buf;
}

/* The zone's first cell: its name, after the node number on NUMA machines. */
static void
zone_cells(struct text_table *t, const struct ml_wm_zone *z, bool numa)
{
	if (numa)
		text_table_cell(t, "%lld", (long long)z->node);
	text_table_cell(t, "%s", z->name);
}

static void
zone_titles(struct text_table *t, bool numa)
{
	if (numa)
		text_table_col(t, 0, "node", TA_RIGHT);
	text_table_col(t, numa ? 1 : 0, "zone", TA_LEFT);
}

static void
print_overview(const struct ml_ctx *ctx, const struct zones_cmd *m, bool numa)
{
	const struct text_out *o = &ctx->text;
	const struct ml_watermarks *w = m->wm;
	uint64_t ps = m->ps->bytes;
	unsigned int c0 = numa ? 1 : 0, i;
	struct text_table *t = text_table_new(c0 + 6);
	size_t state_w = 5, name_w = 4;
	char buf[512];
	int cells;

	for (i = 0; i < w->nzones; i++) {
		if (!w->zones[i].populated)
			continue;
		if (strlen(ml_wm_state_word(w->zones[i].state)) > state_w)
			state_w = strlen(ml_wm_state_word(w->zones[i].state));
		if (strlen(w->zones[i].name) > name_w)
			name_w = strlen(w->zones[i].name);
	}
	/* What the other columns leave of the width: indent 2, sizes 9, gaps 2. */
	cells = o->width - (int)(2 + (numa ? 6 : 0) + name_w + 3 * 11 + 2 + state_w + 2 + 2) - 1;
	if (cells > 40)
		cells = 40;
	if (cells < 12)
		cells = 12;

	text_printf(o, TS_HEADER, "\nFree memory against the watermarks\n");
	zone_titles(t, numa);
	text_table_col(t, c0 + 1, "free", TA_RIGHT);
	text_table_col(t, c0 + 2, "to low", TA_RIGHT);
	text_table_col(t, c0 + 3, "to min", TA_RIGHT);
	text_table_col(t, c0 + 4, "state", TA_LEFT);
	text_table_col(t, c0 + 5, "gauge", TA_LEFT);
	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];

		if (!z->populated)
			continue;
		text_table_row(t, TS_NONE);
		zone_cells(t, z, numa);
		text_table_cell(t, "%s", opt_sz(o, ps, z->free));
		text_table_cell(t, "%s",
				z->headroom_known ? pages_ssz(o, ps, z->to_low_pages) : "n/a");
		text_table_cell(t, "%s",
				z->headroom_known ? pages_ssz(o, ps, z->to_min_pages) : "n/a");
		text_table_cell_styled(t, state_style(z->state), "%s", ml_wm_state_word(z->state));
		text_table_cell_styled(t, state_style(z->state), "%s",
				       gauge(buf, sizeof buf, z, cells, o->utf8));
	}
	text_table_print(t, o, 2);
	text_table_free(t);
	text_printf(
		o, TS_DIM,
		"  %s free memory; m l h p: the min, low, high, promo marks; %s beyond 2x top\n",
		o->utf8 ? "█" : "#", o->utf8 ? "▶" : ">");
}

static void
print_watermarks(const struct ml_ctx *ctx, const struct zones_cmd *m, bool numa)
{
	const struct text_out *o = &ctx->text;
	const struct ml_watermarks *w = m->wm;
	uint64_t ps = m->ps->bytes;
	unsigned int c0 = numa ? 1 : 0, i;
	struct text_table *t = text_table_new(c0 + 6);

	text_printf(o, TS_HEADER, "\nWatermarks (boost included)\n");
	zone_titles(t, numa);
	text_table_col(t, c0 + 1, "min", TA_RIGHT);
	text_table_col(t, c0 + 2, "low", TA_RIGHT);
	text_table_col(t, c0 + 3, "high", TA_RIGHT);
	text_table_col(t, c0 + 4, "promo", TA_RIGHT);
	text_table_col(t, c0 + 5, "boost", TA_RIGHT);
	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];

		if (!z->populated)
			continue;
		text_table_row(t, TS_NONE);
		zone_cells(t, z, numa);
		text_table_cell(t, "%s", opt_sz(o, ps, z->min));
		text_table_cell(t, "%s", opt_sz(o, ps, z->low));
		text_table_cell(t, "%s", opt_sz(o, ps, z->high));
		text_table_cell(t, "%s", opt_sz(o, ps, z->promo));
		text_table_cell_styled(t, z->boost.known && z->boost.pages > 0 ? TS_WARN : TS_NONE,
				       "%s", opt_sz(o, ps, z->boost));
	}
	text_table_print(t, o, 2);
	text_table_free(t);
}

static void
print_sizes(const struct ml_ctx *ctx, const struct zones_cmd *m, bool numa)
{
	const struct text_out *o = &ctx->text;
	const struct ml_watermarks *w = m->wm;
	uint64_t ps = m->ps->bytes;
	unsigned int c0 = numa ? 1 : 0, i, j;
	struct text_table *t = text_table_new(c0 + 5);
	char prot[256];

	text_printf(o, TS_HEADER, "\nSizes\n");
	zone_titles(t, numa);
	text_table_col(t, c0 + 1, "managed", TA_RIGHT);
	text_table_col(t, c0 + 2, "present", TA_RIGHT);
	text_table_col(t, c0 + 3, "spanned", TA_RIGHT);
	text_table_col(t, c0 + 4, "protection (pages)", TA_LEFT);
	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];
		size_t len = 0;

		if (!z->populated)
			continue;
		text_table_row(t, TS_NONE);
		zone_cells(t, z, numa);
		text_table_cell(t, "%s", opt_sz(o, ps, z->managed));
		text_table_cell(t, "%s", opt_sz(o, ps, z->present));
		text_table_cell(t, "%s", opt_sz(o, ps, z->spanned));
		if (!z->zi->has_protection) {
			text_table_cell(t, "n/a");
			continue;
		}
		prot[len++] = '(';
		for (j = 0; j < z->zi->nprotection && len + 24 < sizeof prot; j++)
			len += (size_t)snprintf(prot + len, sizeof prot - len, "%s%lld",
						j > 0 ? ", " : "", (long long)z->zi->protection[j]);
		if (j < z->zi->nprotection)
			len += (size_t)snprintf(prot + len, sizeof prot - len, ", ...");
		snprintf(prot + len, sizeof prot - len, ")");
		text_table_cell(t, "%s", prot);
	}
	text_table_print(t, o, 2);
	text_table_free(t);
}

static void
print_unpopulated(const struct ml_ctx *ctx, const struct zones_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_watermarks *w = m->wm;
	unsigned int i, n = 0;
	int col = 0;
	char item[64];

	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];
		int len;

		if (z->populated)
			continue;
		if (n++ == 0) {
			text_printf(o, TS_HEADER, "\nUnpopulated zones");
			text_printf(o, TS_DIM,
				    " (no memory; the kernel prints their watermarks only)\n");
		} else {
			fputc(',', o->f);
			col++;
		}
		len = snprintf(item, sizeof item, "Node %lld %s", (long long)z->node, z->name);
		/* Wrap before the item that would pass the width. */
		if (col == 0 || col + 1 + len >= o->width) {
			fputs(col == 0 ? "  " : "\n  ", o->f);
			col = 2;
		} else {
			fputc(' ', o->f);
			col++;
		}
		fputs(item, o->f);
		col += len;
	}
	if (n > 0)
		fputc('\n', o->f);
}

static void
print_notes(const struct ml_ctx *ctx, const struct zones_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_watermarks *w = m->wm;
	const uint32_t *c = w->count;
	unsigned int i;
	bool any = false;
	char unit[16];

#define NOTE(...) cmd_note(o, &any, __VA_ARGS__)

	if (m->ps->bytes == 0)
		NOTE("the page size is unknown, so sizes are in pages: %s",
		     m->ps->why != NULL ? m->ps->why : "no source");
	if (c[ML_WM_UNRECLAIMABLE] > 0)
		NOTE("unreclaimable: reclaim scanned and freed nothing until the kernel gave up "
		     "(node_unreclaimable: 16 failed kswapd runs; before 4.8, "
		     "all_unreclaimable: "
		     "the zone was scanned 6 times over); kswapd stops until pages are "
		     "freed, "
		     "and the OOM killer is near");
	if (c[ML_WM_BELOW_MIN] > 0)
		NOTE("below min: allocations in this zone reclaim and compact memory themselves "
		     "(direct reclaim, a latency spike); only atomic and __GFP_HIGH ones go "
		     "deeper");
	if (c[ML_WM_BELOW_LOW] > 0)
		NOTE("below low: allocations wake kswapd, which reclaims in the background "
		     "until free is above high");
	if (c[ML_WM_BELOW_HIGH] > 0)
		NOTE("below high: above low, so allocations do not wake kswapd; if it is "
		     "already awake it keeps reclaiming until free is above high");
	unit_suffix(o, m->ps->bytes, unit, sizeof unit);
	for (i = 0; i < w->nzones; i++) {
		const struct ml_wm_zone *z = &w->zones[i];

		if (z->boost.known && z->boost.pages > 0)
			NOTE("Node %lld %s: watermarks boosted by %s%s after fragmenting "
			     "fallbacks; kswapd reclaims and compacts, then drops the boost",
			     (long long)z->node, z->name, pages_sz(o, m->ps->bytes, z->boost.pages),
			     unit);
	}
	if (w->nzones > 0 && !w->zones[0].boost.known)
		NOTE("this kernel prints no boost line (before 5.16): boost is unknown, and any "
		     "boost is already inside min, low and high");
#undef NOTE
}

static void
zones_text(struct ml_ctx *ctx, struct zones_cmd *m)
{
	const struct text_out *o = &ctx->text;
	struct ml_wm_health h;
	bool numa = m->zi->nnodes > 1;

	cmd_text_header(ctx, &m->si, "memlens zones");
	ml_watermarks_health(m->wm, &h);
	cmd_zones_health_line(o, m->wm, m->ps->bytes, &h);
	if (m->ps->bytes != 0)
		text_printf(o, TS_DIM, "(page size %llu bytes, from %s%s%s)\n",
			    (unsigned long long)m->ps->bytes,
			    m->ps->source == ML_PS_KERNEL ? "the running kernel"
							  : "meminfo and vmstat",
			    o->units.mode != ML_UNITS_HUMAN ? "; sizes in " : "",
			    o->units.mode != ML_UNITS_HUMAN ? text_unit_name(&o->units) : "");
	else
		text_printf(o, TS_DIM, "(page size unknown: sizes in pages)\n");
	if (h.judged > 0) {
		print_overview(ctx, m, numa);
		print_watermarks(ctx, m, numa);
		print_sizes(ctx, m, numa);
	}
	print_unpopulated(ctx, m);
	print_notes(ctx, m);
}

/* ------------------------------------------------------------ JSON */

static void
j_pages(struct json_node *o, const char *key, struct ml_wm_pages v)
{
	if (v.known)
		json_add_u64(o, key, v.pages);
	else
		json_add_null(o, key);
}

static void
j_bytes(struct json_node *o, const char *key, struct ml_wm_pages v, uint64_t ps)
{
	uint64_t b;

	if (v.known && ps != 0 && ml_mul_u64(v.pages, ps, &b))
		json_add_u64(o, key, b);
	else
		json_add_null(o, key);
}

static void
j_kvlist(struct json_node *o, const struct ml_kvlist *l)
{
	char key[256];
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		size_t n = l->e[i].name_len < sizeof key ? l->e[i].name_len : sizeof key - 1;

		memcpy(key, ml_kvlist_name(l, i), n);
		key[n] = '\0';
		json_add_u64(o, key, l->e[i].value);
	}
}

/* Record the unit of every counter of l that is not counted in pages. */
static void
j_units(struct json_node *o, const struct ml_zoneinfo *zi, const struct ml_kvlist *l)
{
	char key[256];
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		const char *name = ml_kvlist_name(l, i);
		size_t n = l->e[i].name_len < sizeof key ? l->e[i].name_len : sizeof key - 1;
		enum ml_zi_unit u = ml_zoneinfo_counter_unit(zi, name, l->e[i].name_len);

		if (u == ML_ZI_UNIT_PAGES)
			continue;
		memcpy(key, name, n);
		key[n] = '\0';
		json_add_string(o, key, ml_zi_unit_name(u));
	}
}

static void
j_pageset_field(struct json_node *o, const char *key, const struct ml_zi_pageset *p,
		enum ml_zi_pcp_field f)
{
	if (ml_zi_pcp_has(p, f))
		json_add_i64(o, key, p->v[f]);
	else
		json_add_null(o, key);
}

static void
j_zone(struct json_node *arr, const struct ml_wm_zone *z, uint64_t ps)
{
	const struct ml_zi_zone *zi = z->zi;
	struct json_node *o = json_array_add_object(arr), *a, *p;
	uint32_t i;

	json_add_i64(o, "node", z->node);
	json_add_string(o, "zone", z->name);
	json_add_bool(o, "populated", z->populated);
	json_add_string(o, "state", ml_wm_state_name(z->state));
	j_pages(o, "free_pages", z->free);
	j_pages(o, "min_pages", z->min);
	j_pages(o, "low_pages", z->low);
	j_pages(o, "high_pages", z->high);
	j_pages(o, "promo_pages", z->promo);
	j_pages(o, "boost_pages", z->boost);
	j_pages(o, "spanned_pages", z->spanned);
	j_pages(o, "present_pages", z->present);
	j_pages(o, "managed_pages", z->managed);
	j_pages(o, "cma_pages", z->cma);
	j_pages(o, "reserved_highatomic_pages", z->reserved_highatomic);
	j_pages(o, "free_highatomic_pages", z->free_highatomic);
	j_bytes(o, "free", z->free, ps);
	j_bytes(o, "min", z->min, ps);
	j_bytes(o, "low", z->low, ps);
	j_bytes(o, "high", z->high, ps);
	j_bytes(o, "promo", z->promo, ps);
	j_bytes(o, "boost", z->boost, ps);
	j_bytes(o, "managed", z->managed, ps);
	if (z->headroom_known) {
		json_add_i64(o, "headroom_min_pages", z->to_min_pages);
		json_add_i64(o, "headroom_low_pages", z->to_low_pages);
		json_add_i64(o, "headroom_high_pages", z->to_high_pages);
	} else {
		json_add_null(o, "headroom_min_pages");
		json_add_null(o, "headroom_low_pages");
		json_add_null(o, "headroom_high_pages");
	}
	if (z->to_promo_known)
		json_add_i64(o, "headroom_promo_pages", z->to_promo_pages);
	else
		json_add_null(o, "headroom_promo_pages");
	if (z->bytes_known) {
		json_add_i64(o, "headroom_min", z->to_min_bytes);
		json_add_i64(o, "headroom_low", z->to_low_bytes);
		json_add_i64(o, "headroom_high", z->to_high_bytes);
	} else {
		json_add_null(o, "headroom_min");
		json_add_null(o, "headroom_low");
		json_add_null(o, "headroom_high");
	}
	if (z->unreclaimable_key != NULL)
		json_add_bool(o, "unreclaimable", z->unreclaimable);
	else
		json_add_null(o, "unreclaimable");
	json_add_string(o, "unreclaimable_key", z->unreclaimable_key);
	if (ml_zi_has(zi, ML_ZI_START_PFN))
		json_add_u64(o, "start_pfn", ml_zi_get(zi, ML_ZI_START_PFN));
	else
		json_add_null(o, "start_pfn");
	if (zi->has_protection) {
		a = json_add_array(o, "protection_pages");
		for (i = 0; i < zi->nprotection; i++)
			json_add_i64(a, NULL, zi->protection[i]);
	} else {
		json_add_null(o, "protection_pages");
	}
	j_kvlist(json_add_object(o, "fields"), &zi->fields);
	j_kvlist(json_add_object(o, "counters"), &zi->counters);
	j_kvlist(json_add_object(o, "numa"), &zi->numa);
	a = json_add_array(o, "pagesets");
	for (i = 0; i < zi->npagesets; i++) {
		const struct ml_zi_pageset *pcp = &zi->pagesets[i];

		p = json_array_add_object(a);
		json_add_i64(p, "cpu", pcp->cpu);
		j_pageset_field(p, "count", pcp, ML_ZI_PCP_COUNT);
		j_pageset_field(p, "high", pcp, ML_ZI_PCP_HIGH);
		j_pageset_field(p, "batch", pcp, ML_ZI_PCP_BATCH);
		j_pageset_field(p, "high_min", pcp, ML_ZI_PCP_HIGH_MIN);
		j_pageset_field(p, "high_max", pcp, ML_ZI_PCP_HIGH_MAX);
		j_pageset_field(p, "vm_stats_threshold", pcp, ML_ZI_PCP_THRESHOLD);
	}
	j_kvlist(json_add_object(o, "pageset_other"), &zi->pageset_other);
}

static int
zones_json(struct ml_ctx *ctx, struct zones_cmd *m)
{
	const struct ml_zoneinfo *zi = m->zi;
	const struct ml_watermarks *w = m->wm;
	uint64_t ps = m->ps->bytes;
	struct json_node *doc = json_doc_new("zones", &m->si), *o, *arr, *row, *u;
	struct ml_wm_health h;
	uint32_t i, j;
	int s;

	if (ps != 0)
		json_add_u64(doc, "page_size", ps);
	else
		json_add_null(doc, "page_size");
	json_add_string(doc, "page_size_source", ml_page_size_source_name(m->ps));

	o = json_add_object(doc, "layout");
	json_add_string(o, "node_stats",
			zi->node_stats_record    ? "record"
			: zi->node_stats_in_zone ? "in_zone"
						 : NULL);
	json_add_bool(o, "protection_after_counters", zi->protection_after_counters);

	ml_watermarks_health(w, &h);
	o = json_add_object(doc, "health");
	json_add_string(o, "state", h.known ? ml_wm_state_name(h.state) : NULL);
	if (h.known) {
		json_add_i64(o, "node", h.node);
		json_add_string(o, "zone", h.zone);
		json_add_i64(o, "headroom_low_pages", h.to_low_pages);
		json_add_i64(o, "headroom_min_pages", h.to_min_pages);
	} else {
		json_add_null(o, "node");
		json_add_null(o, "zone");
		json_add_null(o, "headroom_low_pages");
		json_add_null(o, "headroom_min_pages");
	}
	if (h.known && h.to_low_bytes_known) {
		json_add_i64(o, "headroom_low", h.to_low_bytes);
		json_add_i64(o, "headroom_min", h.to_min_bytes);
	} else {
		json_add_null(o, "headroom_low");
		json_add_null(o, "headroom_min");
	}
	row = json_add_object(o, "zones_by_state");
	for (s = 0; s < ML_WM__STATE_COUNT; s++)
		json_add_u64(row, ml_wm_state_name((enum ml_wm_state)s), h.count[s]);

	arr = json_add_array(doc, "nodes");
	for (i = 0; i < zi->nnodes; i++) {
		const struct ml_zi_node *nd = &zi->nodes[i];
		struct json_node *names;

		row = json_array_add_object(arr);
		json_add_i64(row, "node", nd->id);
		names = json_add_array(row, "zones");
		for (j = 0; j < zi->nzones; j++) {
			if (zi->zones[j].node == nd->id)
				json_array_add_string(names, zi->zones[j].name);
		}
		if (nd->has_stats)
			j_kvlist(json_add_object(row, "per_node_stats"), &nd->stats);
		else
			json_add_null(row, "per_node_stats");
	}

	arr = json_add_array(doc, "zones");
	for (i = 0; i < w->nzones; i++)
		j_zone(arr, &w->zones[i], ps);

	u = json_add_object(doc, "units");
	for (i = 0; i < zi->nnodes; i++)
		j_units(u, zi, &zi->nodes[i].stats);
	/* Zone counters repeat per zone; the first populated zone names them all. */
	for (i = 0; i < zi->nzones; i++) {
		if (zi->zones[i].populated) {
			j_units(u, zi, &zi->zones[i].counters);
			j_units(u, zi, &zi->zones[i].numa);
			break;
		}
	}

	arr = json_add_array(doc, "parse_errors");
	cmd_snap_json_bad_lines(arr, ctx, &m->snap, ML_SNAP_ZONEINFO);
	arr = json_add_array(doc, "unavailable");
	if (ps == 0) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "page_size");
		json_add_string(row, "why", m->ps->why);
	}
	return cmd_json_emit(ctx, doc);
}

static int
zones_once(struct ml_ctx *ctx, struct zones_cmd *m)
{
	if (ml_snapshot_refresh(&m->snap, ML_SNAP(ML_SNAP_ZONEINFO)) != 0)
		return cmd_snap_error(ctx, &m->snap, ML_SNAP_ZONEINFO, "run as root");
	m->zi = ml_snapshot_zoneinfo(&m->snap);
	m->wm = ml_snapshot_watermarks(&m->snap);
	m->ps = ml_snapshot_page_size(&m->snap);
	ml_sysinfo_read(&m->si, &ctx->fs);
	cmd_snap_warn_bad_lines(ctx, &m->snap, ML_SNAP_ZONEINFO);
	if (ctx->json != ML_JSON_OFF)
		return zones_json(ctx, m);
	zones_text(ctx, m);
	return 0;
}

static int
cmd_zones_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct zones_cmd *m = ml_xcalloc(1, sizeof *m);
	int rc = 0;

	(void)args;
	ml_snapshot_init(&m->snap, &ctx->fs, &ctx->sysfs, NULL);
	while (rc == 0 && cmd_next_report(ctx))
		rc = zones_once(ctx, m);
	ml_snapshot_release(&m->snap);
	free(m);
	return rc;
}

const struct ml_cmd_entry cmd_zones_entry = {
	.name = "zones",
	.summary = "per-zone free memory against the min/low/high watermarks, and headroom",
	.help = "For each zone of each NUMA node (/proc/zoneinfo): free memory against the\n"
		"watermarks min, low, high (and promo), with a gauge; the headroom before\n"
		"kswapd wakes (low) and before allocations reclaim directly (min); boost;\n"
		"managed, present and spanned sizes; protection (lowmem_reserve, in pages);\n"
		"and a state: ok, below high, below low, below min or unreclaimable.\n"
		"Unpopulated zones are listed on one line. The page size comes from sysconf\n"
		"for the running kernel, or from meminfo and vmstat for a copied tree.",
	.max_args = 0,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_zones_exec,
};
