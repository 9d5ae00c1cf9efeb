/*
 * memlens buddy: the page allocator's free memory by block size. Per node
 * and zone, from /proc/buddyinfo: free blocks per order with the size of a
 * block, free pages, the largest free block, and the kernel's unusable free
 * space and fragmentation indices per order. With --types, the same free
 * lists split by migrate type, and pageblocks per type, from
 * /proc/pagetypeinfo (root only since about 5.4, and costly for the kernel:
 * it walks every free list with the zone lock held, so it is only read when
 * asked for).
 *
 * Without permission for pagetypeinfo, --types still prints everything
 * buddyinfo gives, marks the migrate types unavailable with the reason, and
 * exits 1: the report asked for could not be made in full.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/counters.h"
#include "model/fragmentation.h"
#include "model/pagesize.h"
#include "proc/buddyinfo.h"
#include "proc/live.h"
#include "proc/meminfo.h"
#include "proc/pagetypeinfo.h"
#include "proc/vmstat.h"
#include "util.h"
#include "xalloc.h"

enum { OPT_TYPES = 1 };

static const struct ml_cmd_option buddy_options[] = {
	{ "types", 't', NULL,
	  "add free blocks and pageblocks per migrate type (/proc/pagetypeinfo, root)", OPT_TYPES },
	{ NULL, 0, NULL, NULL, 0 },
};

#define PT_HINT                                                                     \
	"pagetypeinfo is readable by root only since Linux 5.4: run as root, e.g. " \
	"sudo memlens buddy --types"

/* The extfrag threshold the kernel uses when sys/vm/extfrag_threshold is not readable. */
#define EXTFRAG_THRESHOLD_DEFAULT 500

struct buddy {
	struct ml_snapshot snap;
	struct ml_sysinfo si;
	bool types;   /* --types */
	bool pt_ok;   /* pagetypeinfo was read for this report */
	char *pt_why; /* why it was not, for the report */
	int status;   /* 1 once --types could not be honoured */
	bool threshold_known;
	uint64_t threshold;
	/* Of the last refresh, borrowed from snap. */
	const struct ml_frag *frag;
	const struct ml_pagetypeinfo *pt;
	const struct ml_page_size *ps;
	/* Compaction: the compact_* counters of vmstat, rates under -i. */
	bool vs_ok; /* vmstat was read for this report */
	struct ml_counter_set compaction;
};

static const char *const compaction_prefixes[] = { "compact_", NULL };

/*
 * Note that --types cannot be honoured: the error once on stderr, the reason
 * for the report (which takes cause).
 */
static void
types_unavailable(struct buddy *b, char *cause, int err)
{
	if (b->pt_why == NULL)
		cmd_read_error(cause, err, PT_HINT);
	free(b->pt_why);
	if (err == EACCES || err == EPERM)
		b->pt_why = ml_xasprintf("%s (root only since Linux 5.4)",
					 cause != NULL ? cause : strerror(err));
	else
		b->pt_why = ml_xstrdup(cause != NULL ? cause : strerror(err));
	free(cause);
	b->pt_ok = false;
	b->status = 1;
}

/* "0.142", "-1.000", "-0.500": an index in thousandths as a decimal. */
static const char *
index_text(char *buf, size_t cap, bool known, int v)
{
	if (!known)
		snprintf(buf, cap, "n/a");
	else
		snprintf(buf, cap, "%s%lld.%03lld", v < 0 ? "-" : "", llabs((long long)v) / 1000,
			 llabs((long long)v) % 1000);
	return buf;
}

/* A block of 2^order pages: its size, or its page count when the page size is unknown. */
static const char *
block_text(char *buf, size_t cap, const struct ml_ctx *ctx, const struct ml_frag_zone *z,
	   unsigned int o)
{
	if (z->bytes_known)
		return text_size(buf, cap, z->order[o].block_bytes, &ctx->text.units);
	snprintf(buf, cap, "%llu page%s", (unsigned long long)z->order[o].block_pages,
		 o == 0 ? "" : "s");
	return buf;
}

static void
print_source_line(const struct ml_ctx *ctx, const struct buddy *b)
{
	const struct text_out *o = &ctx->text;
	/* The page size is a property, not a quantity: always in readable units. */
	const struct ml_units human = { .mode = ML_UNITS_HUMAN, .si = false };

	switch (b->ps->source) {
	case ML_PS_KERNEL:
		text_printf(o, TS_DIM,
			    "Free lists from buddyinfo; page size %s (the running kernel's)\n",
			    text_sz(&human, b->ps->bytes));
		break;
	case ML_PS_COUNTERS:
		text_printf(o, TS_DIM,
			    "Free lists from buddyinfo; page size %s (from meminfo/vmstat)\n",
			    text_sz(&human, b->ps->bytes));
		break;
	case ML_PS_UNKNOWN:
		text_printf(o, TS_WARN, "Page size unknown: sizes in pages\n");
		text_printf(o, TS_DIM, "  (%s)\n", b->ps->why);
		break;
	}
	if (o->units.mode != ML_UNITS_HUMAN && b->ps->source != ML_PS_UNKNOWN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
}

static void
print_zones(const struct ml_ctx *ctx, const struct buddy *b)
{
	const struct text_out *o = &ctx->text;
	const struct ml_frag *f = b->frag;
	bool bytes = b->ps->bytes != 0;
	struct text_table *t = text_table_new(bytes ? 6 : 5);
	char buf[32];
	uint64_t blocks = 0;
	bool blocks_known = true;
	size_t i;

	for (i = 0; i < f->nzones; i++) {
		if (f->zones[i].overflow ||
		    __builtin_add_overflow(blocks, f->zones[i].free_blocks, &blocks))
			blocks_known = false;
	}
	text_printf(o, TS_HEADER, "\nZones\n");
	text_table_col(t, 0, "node", TA_RIGHT);
	text_table_col(t, 1, "zone", TA_LEFT);
	if (bytes)
		text_table_col(t, 2, "free", TA_RIGHT);
	text_table_col(t, bytes ? 3 : 2, "free pages", TA_RIGHT);
	text_table_col(t, bytes ? 4 : 3, "blocks", TA_RIGHT);
	text_table_col(t, bytes ? 5 : 4, "largest free block", TA_LEFT);
	for (i = 0; i < f->nzones; i++) {
		const struct ml_frag_zone *z = &f->zones[i];

		text_table_row(t, TS_NONE);
		text_table_cell(t, "%d", z->node);
		text_table_cell(t, "%s", z->name);
		if (z->overflow) {
			if (bytes)
				text_table_cell(t, "n/a");
			text_table_cell(t, "n/a");
			text_table_cell(t, "n/a");
		} else {
			if (bytes)
				text_table_cell(t, "%s",
						z->bytes_known ? text_sz(&o->units, z->free_bytes)
							       : "n/a");
			text_table_cell(t, "%llu", (unsigned long long)z->free_pages);
			text_table_cell(t, "%llu", (unsigned long long)z->free_blocks);
		}
		if (z->largest_order < 0)
			text_table_cell_styled(t, TS_WARN, "none: no free page");
		else
			text_table_cell(t, "order %d, %s", z->largest_order,
					block_text(buf, sizeof buf, ctx, z,
						   (unsigned int)z->largest_order));
	}
	if (f->nzones > 1) {
		text_table_row(t, TS_BOLD);
		text_table_cell(t, "%s", "");
		text_table_cell(t, "total");
		if (f->free_pages_known) {
			if (bytes)
				text_table_cell(t, "%s",
						f->bytes_known ? text_sz(&o->units, f->free_bytes)
							       : "n/a");
			text_table_cell(t, "%llu", (unsigned long long)f->free_pages);
		} else {
			if (bytes)
				text_table_cell(t, "n/a");
			text_table_cell(t, "n/a");
		}
		if (blocks_known)
			text_table_cell(t, "%llu", (unsigned long long)blocks);
		else
			text_table_cell(t, "n/a");
		if (f->largest_order < 0)
			text_table_cell(t, "none");
		else
			text_table_cell(t, "order %d", f->largest_order);
	}
	text_table_print(t, o, 2);
	text_table_free(t);
}

static size_t
max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* The width of a zone's order table up to its bar column: indent, cells, separators. */
static int
orders_width(const struct ml_ctx *ctx, const struct buddy *b, const struct ml_frag_zone *z)
{
	size_t wblock = 5, wfb = 11, wfp = 10, wfree = 4;
	char buf[64];
	unsigned int ord;

	for (ord = 0; ord < b->frag->norders; ord++) {
		const struct ml_frag_order *fo = &z->order[ord];

		wblock = max_size(wblock, text_width(block_text(buf, sizeof buf, ctx, z, ord)));
		wfb = max_size(wfb, (size_t)snprintf(buf, sizeof buf, "%llu",
						     (unsigned long long)fo->free_blocks));
		wfp = max_size(wfp, (size_t)snprintf(buf, sizeof buf, "%llu",
						     (unsigned long long)fo->free_pages));
		if (z->bytes_known)
			wfree = max_size(wfree,
					 text_width(text_size(buf, sizeof buf, fo->free_bytes,
							      &ctx->text.units)));
	}
	/* indent, order, block, free blocks, free pages, [free], unusable, extfrag; "  " each */
	return (int)(2 + 5 + 2 + wblock + 2 + wfb + 2 + wfp + 2 + (z->bytes_known ? wfree + 2 : 0) +
		     8 + 2 + 7 + 2);
}

/* One zone: a row per order. The bar shows where the zone's free pages are. */
static void
print_zone_orders(const struct ml_ctx *ctx, const struct buddy *b, const struct ml_frag_zone *z)
{
	const struct text_out *o = &ctx->text;
	bool bytes = z->bytes_known;
	unsigned int ncols = bytes ? 8 : 7, c, ord;
	int bar_width;
	struct text_table *t;
	char buf[64], bar[256];

	bar_width = o->width - orders_width(ctx, b, z);
	if (bar_width > 30)
		bar_width = 30;
	if (bar_width < 5)
		bar_width = 0;
	if (bar_width > 0)
		ncols++;
	t = text_table_new(ncols);
	text_printf(o, TS_HEADER, "\nNode %d, zone %s\n", z->node, z->name);
	if (z->overflow)
		text_printf(o, TS_WARN,
			    "  (free counts too large for 64-bit sums: totals and indices n/a)\n");
	c = 0;
	text_table_col(t, c++, "order", TA_RIGHT);
	text_table_col(t, c++, "block", TA_RIGHT);
	text_table_col(t, c++, "free blocks", TA_RIGHT);
	text_table_col(t, c++, "free pages", TA_RIGHT);
	if (bytes)
		text_table_col(t, c++, "free", TA_RIGHT);
	text_table_col(t, c++, "unusable", TA_RIGHT);
	text_table_col(t, c++, "extfrag", TA_RIGHT);
	if (bar_width > 0)
		text_table_col(t, c++, "share", TA_LEFT);
	for (ord = 0; ord < b->frag->norders; ord++) {
		const struct ml_frag_order *fo = &z->order[ord];
		bool known = !z->overflow && fo->index_known;
		uint64_t threshold = b->threshold_known ? b->threshold : EXTFRAG_THRESHOLD_DEFAULT;

		text_table_row(t, TS_NONE);
		text_table_cell(t, "%u", ord);
		text_table_cell(t, "%s", block_text(buf, sizeof buf, ctx, z, ord));
		text_table_cell(t, "%llu", (unsigned long long)fo->free_blocks);
		if (z->overflow)
			text_table_cell(t, "n/a");
		else
			text_table_cell(t, "%llu", (unsigned long long)fo->free_pages);
		if (bytes)
			text_table_cell(t, "%s", text_sz(&o->units, fo->free_bytes));
		text_table_cell_styled(t, known && fo->unusable >= 900 ? TS_WARN : TS_NONE, "%s",
				       index_text(buf, sizeof buf, known, fo->unusable));
		text_table_cell_styled(t,
				       !known || fo->extfrag == ML_FRAG_WOULD_SUCCEED ? TS_DIM
				       : fo->extfrag > 0 && (uint64_t)fo->extfrag > threshold
					       ? TS_WARN
					       : TS_NONE,
				       "%s", index_text(buf, sizeof buf, known, fo->extfrag));
		if (bar_width > 0)
			text_table_cell_styled(
				t, TS_FREE, "%s",
				z->overflow || z->free_pages == 0
					? ""
					: text_bar(bar, sizeof bar,
						   (double)fo->free_pages / (double)z->free_pages,
						   bar_width, o->utf8));
	}
	text_table_print(t, o, 2);
	text_table_free(t);
}

static void
print_legend(const struct ml_ctx *ctx, const struct buddy *b)
{
	const struct text_out *o = &ctx->text;
	char threshold[48];

	if (b->threshold_known)
		snprintf(threshold, sizeof threshold, "vm.extfrag_threshold = %llu",
			 (unsigned long long)b->threshold);
	else
		snprintf(threshold, sizeof threshold, "vm.extfrag_threshold (%d by default)",
			 EXTFRAG_THRESHOLD_DEFAULT);
	text_printf(o, TS_DIM,
		    "\nunusable: share of free memory in blocks too small for that order (0: all\n"
		    "  usable, 1: none). extfrag: why an allocation of that order would fail: near "
		    "0\n"
		    "  too little free memory, near 1 fragmentation; the kernel compacts above\n"
		    "  %s. -1.000: a free block of that order\n"
		    "  exists. Both as the kernel computes them for debugfs extfrag/.\n",
		    threshold);
}

/* "1234", ">100000" (the kernel stopped counting) for a per-type free count. */
static const char *
type_count_text(char *buf, size_t cap, const struct ml_pti_zone *z, unsigned int type,
		unsigned int order)
{
	snprintf(buf, cap, "%s%llu", ml_pti_at_least(z, type, order) ? ">" : "",
		 (unsigned long long)z->free[type][order]);
	return buf;
}

static void
print_types(const struct ml_ctx *ctx, const struct buddy *b)
{
	const struct text_out *o = &ctx->text;
	const struct ml_pagetypeinfo *pt = b->pt;
	uint64_t block_bytes;
	char buf[64];
	size_t i;

	if (!b->pt_ok) {
		char *why = ml_xasprintf("n/a: %s", b->pt_why != NULL ? b->pt_why : "not read");

		/* Wrapped to the width, under its heading. */
		fputc('\n', o->f);
		text_paragraph_after(o, TS_HEADER, "Migrate types  ", TS_WARN, "  ", why);
		free(why);
		return;
	}
	text_printf(o, TS_HEADER, "\nMigrate types");
	text_printf(o, TS_DIM, " (pagetypeinfo)");
	if (pt->has_pageblock_order && pt->has_pages_per_block) {
		fprintf(o->f, ": pageblocks of %llu pages (order %llu",
			(unsigned long long)pt->pages_per_block,
			(unsigned long long)pt->pageblock_order);
		if (b->ps->bytes != 0 &&
		    !__builtin_mul_overflow(pt->pages_per_block, b->ps->bytes, &block_bytes))
			fprintf(o->f, ", %s", text_sz(&o->units, block_bytes));
		fputc(')', o->f);
	}
	fputc('\n', o->f);
	for (i = 0; i < pt->nzones; i++) {
		const struct ml_pti_zone *z = &pt->zones[i];
		struct text_table *t = text_table_new(1 + pt->ntypes);
		unsigned int ty, ord;

		text_printf(o, TS_HEADER, "\nNode %d, zone %s", z->node, z->name);
		text_printf(o, TS_DIM, ": free blocks by order and migrate type\n");
		text_table_col(t, 0, "order", TA_LEFT);
		for (ty = 0; ty < pt->ntypes; ty++)
			text_table_col(t, 1 + ty, pt->type_name[ty], TA_RIGHT);
		for (ord = 0; ord < pt->norders; ord++) {
			text_table_row(t, TS_NONE);
			text_table_cell(t, "%u", ord);
			for (ty = 0; ty < pt->ntypes; ty++) {
				if (!(z->free_types & (1u << ty)))
					text_table_cell(t, "n/a");
				else
					text_table_cell_styled(
						t, ml_pti_at_least(z, ty, ord) ? TS_WARN : TS_NONE,
						"%s", type_count_text(buf, sizeof buf, z, ty, ord));
			}
		}
		text_table_row(t, TS_BOLD);
		text_table_cell(t, "pageblocks");
		for (ty = 0; ty < pt->ntypes; ty++) {
			if (z->block_types & (1u << ty))
				text_table_cell(t, "%llu", (unsigned long long)z->blocks[ty]);
			else
				text_table_cell(t, "n/a");
		}
		if (pt->has_mixed) {
			text_table_row(t, TS_NONE);
			text_table_cell(t, "mixed");
			for (ty = 0; ty < pt->ntypes; ty++) {
				if (z->mixed_types & (1u << ty))
					text_table_cell(t, "%llu",
							(unsigned long long)z->mixed[ty]);
				else
					text_table_cell(t, "n/a");
			}
		}
		text_table_print(t, o, 2);
		text_table_free(t);
	}
	text_printf(o, TS_DIM,
		    "\nCounts are free blocks of 2^order pages; \">100000\": the kernel stops "
		    "counting a\n"
		    "list there. pageblocks: blocks of each type.\n");
	if (pt->has_mixed)
		text_printf(o, TS_DIM,
			    "mixed: pageblocks of a type holding pages of other types.\n");
}

/* One counter of the compaction set: its total, or its rate; "n/a" when neither. */
static const char *
compaction_value(char *buf, size_t cap, const struct buddy *b, const char *name)
{
	const struct ml_counter *c = ml_counter_find(&b->compaction, name);
	double r;

	if (c == NULL)
		return "n/a";
	if (!ml_counter_set_has_rates(&b->compaction))
		snprintf(buf, cap, "%llu", (unsigned long long)c->value);
	else if (ml_counter_rate(&b->compaction, c, &r))
		snprintf(buf, cap, "%.1f", r);
	else
		return "n/a";
	return buf;
}

/*
 * "Compaction": allocations that compacted memory themselves (stalls, and
 * how they ended), kcompactd's wake-ups, and the pages scanned; since boot,
 * per second with -i (doc/procfs.md section 22.6).
 */
static void
print_compaction(const struct ml_ctx *ctx, const struct buddy *b)
{
	struct text_out narrow = ctx->text; /* a paragraph reads best at most 100 wide */
	const struct text_out *o = &narrow;
	const char *why = ml_snapshot_why(&b->snap, ML_SNAP_VMSTAT);
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], *text;

	if (narrow.width > 100)
		narrow.width = 100;
	fputc('\n', o->f);
	if (!b->vs_ok)
		text = ml_xasprintf("n/a (%s)", why != NULL ? why : "no vmstat");
	else if (ml_counter_find(&b->compaction, "compact_stall") == NULL)
		text = ml_xstrdup("n/a (vmstat has no compact_* counters: a kernel without "
				  "CONFIG_COMPACTION)");
	else
		text = ml_xasprintf(
			"%s: %s direct compactions (%s failed, %s succeeded), %s kcompactd "
			"wake-ups; pages scanned: %s to migrate, %s for free pages",
			ml_counter_set_has_rates(&b->compaction) ? "per second" : "since boot",
			compaction_value(b1, sizeof b1, b, "compact_stall"),
			compaction_value(b2, sizeof b2, b, "compact_fail"),
			compaction_value(b3, sizeof b3, b, "compact_success"),
			compaction_value(b4, sizeof b4, b, "compact_daemon_wake"),
			compaction_value(b5, sizeof b5, b, "compact_migrate_scanned"),
			compaction_value(b6, sizeof b6, b, "compact_free_scanned"));
	text_paragraph_after(o, TS_HEADER, "Compaction ", b->vs_ok ? TS_NONE : TS_DIM, "  ", text);
	free(text);
}

static void
buddy_text(struct ml_ctx *ctx, struct buddy *b)
{
	size_t i;

	cmd_text_header(ctx, &b->si, "memlens buddy");
	print_source_line(ctx, b);
	print_zones(ctx, b);
	for (i = 0; i < b->frag->nzones; i++)
		print_zone_orders(ctx, b, &b->frag->zones[i]);
	print_legend(ctx, b);
	print_compaction(ctx, b);
	if (b->types)
		print_types(ctx, b);
}

static void
json_opt_u64(struct json_node *o, const char *key, bool known, uint64_t v)
{
	if (known)
		json_add_u64(o, key, v);
	else
		json_add_null(o, key);
}

static void
json_index(struct json_node *o, const char *key, bool known, int v)
{
	if (known)
		json_add_double(o, key, v / 1000.0);
	else
		json_add_null(o, key);
}

static void
json_zones(struct json_node *doc, const struct buddy *b)
{
	const struct ml_frag *f = b->frag;
	struct json_node *arr = json_add_array(doc, "zones"), *zo, *orders, *oo;
	size_t i;
	unsigned int ord;

	for (i = 0; i < f->nzones; i++) {
		const struct ml_frag_zone *z = &f->zones[i];
		bool ok = !z->overflow;

		zo = json_array_add_object(arr);
		json_add_i64(zo, "node", z->node);
		json_add_string(zo, "zone", z->name);
		json_opt_u64(zo, "free_blocks", ok, z->free_blocks);
		json_opt_u64(zo, "free_pages", ok, z->free_pages);
		json_opt_u64(zo, "free_bytes", z->bytes_known, z->free_bytes);
		if (z->largest_order >= 0) {
			json_add_i64(zo, "largest_free_order", z->largest_order);
			json_opt_u64(zo, "largest_free_block_bytes", z->bytes_known,
				     z->order[z->largest_order].block_bytes);
		} else {
			json_add_null(zo, "largest_free_order");
			json_add_null(zo, "largest_free_block_bytes");
		}
		json_add_bool(zo, "counts_overflow", z->overflow);
		orders = json_add_array(zo, "orders");
		for (ord = 0; ord < f->norders; ord++) {
			const struct ml_frag_order *fo = &z->order[ord];
			bool known = ok && fo->index_known;

			oo = json_array_add_object(orders);
			json_add_u64(oo, "order", ord);
			json_add_u64(oo, "block_pages", fo->block_pages);
			json_opt_u64(oo, "block_bytes", z->bytes_known, fo->block_bytes);
			json_add_u64(oo, "free_blocks", fo->free_blocks);
			json_opt_u64(oo, "free_pages", ok, fo->free_pages);
			json_opt_u64(oo, "free_bytes", z->bytes_known, fo->free_bytes);
			json_index(oo, "unusable_index", known, fo->unusable);
			json_index(oo, "extfrag_index", known, fo->extfrag);
		}
	}
}

static void
json_types(struct json_node *doc, const struct buddy *b)
{
	const struct ml_pagetypeinfo *pt = b->pt;
	struct json_node *o, *arr, *zo, *fb, *al, *pb, *mx, *a1, *a2;
	size_t i;
	unsigned int ty, ord;

	if (!b->types || !b->pt_ok) {
		json_add_null(doc, "types");
		return;
	}
	o = json_add_object(doc, "types");
	json_opt_u64(o, "pageblock_order", pt->has_pageblock_order, pt->pageblock_order);
	json_opt_u64(o, "pages_per_block", pt->has_pages_per_block, pt->pages_per_block);
	json_add_u64(o, "orders", pt->norders);
	json_add_u64(o, "nodes", pt->nnodes);
	arr = json_add_array(o, "migrate_types");
	for (ty = 0; ty < pt->ntypes; ty++)
		json_array_add_string(arr, pt->type_name[ty]);
	json_add_bool(o, "has_mixed", pt->has_mixed);
	arr = json_add_array(o, "zones");
	for (i = 0; i < pt->nzones; i++) {
		const struct ml_pti_zone *z = &pt->zones[i];

		zo = json_array_add_object(arr);
		json_add_i64(zo, "node", z->node);
		json_add_string(zo, "zone", z->name);
		fb = json_add_object(zo, "free_blocks");
		al = json_add_object(zo, "free_blocks_at_least");
		pb = json_add_object(zo, "pageblocks");
		mx = pt->has_mixed ? json_add_object(zo, "mixed_pageblocks") : NULL;
		if (!pt->has_mixed)
			json_add_null(zo, "mixed_pageblocks");
		for (ty = 0; ty < pt->ntypes; ty++) {
			const char *name = pt->type_name[ty];

			if (z->free_types & (1u << ty)) {
				a1 = json_add_array(fb, name);
				a2 = json_add_array(al, name);
				for (ord = 0; ord < pt->norders; ord++) {
					json_array_add_u64(a1, z->free[ty][ord]);
					json_add_bool(a2, NULL, ml_pti_at_least(z, ty, ord));
				}
			} else {
				json_add_null(fb, name);
				json_add_null(al, name);
			}
			json_opt_u64(pb, name, z->block_types & (1u << ty), z->blocks[ty]);
			if (mx != NULL)
				json_opt_u64(mx, name, z->mixed_types & (1u << ty), z->mixed[ty]);
		}
	}
}

/* "compaction": every compact_* counter since boot, and per second with -i. */
static void
json_compaction(struct json_node *doc, const struct buddy *b)
{
	const struct ml_counter_set *s = &b->compaction;
	struct json_node *o, *c;
	size_t i;
	double r;

	if (!b->vs_ok || s->n == 0) {
		json_add_null(doc, "compaction");
		return;
	}
	o = json_add_object(doc, "compaction");
	json_add_string(o, "period", ml_counter_set_has_rates(s) ? "interval" : "since_boot");
	c = json_add_object(o, "counters");
	for (i = 0; i < s->n; i++)
		json_add_u64(c, s->c[i].name, s->c[i].value);
	if (ml_counter_set_has_rates(s)) {
		json_add_double(o, "seconds", s->seconds);
		c = json_add_object(o, "per_second");
		for (i = 0; i < s->n; i++) {
			if (ml_counter_rate(s, &s->c[i], &r))
				json_add_double(c, s->c[i].name, r);
			else
				json_add_null(c, s->c[i].name);
		}
	}
}

static int
buddy_json(struct ml_ctx *ctx, struct buddy *b)
{
	const struct ml_frag *f = b->frag;
	struct json_node *doc = json_doc_new("buddy", &b->si), *o, *errs, *arr, *row;

	o = json_add_object(doc, "page_size");
	json_opt_u64(o, "bytes", b->ps->bytes != 0, b->ps->bytes);
	json_add_string(o, "source", ml_page_size_source_name(b->ps));
	json_add_string(o, "why_unknown", b->ps->source == ML_PS_UNKNOWN ? b->ps->why : NULL);
	json_add_u64(doc, "orders", f->norders);
	json_opt_u64(doc, "extfrag_threshold", b->threshold_known, b->threshold);
	json_opt_u64(doc, "free_pages", f->free_pages_known, f->free_pages);
	json_opt_u64(doc, "free_bytes", f->bytes_known, f->free_bytes);
	json_zones(doc, b);
	json_types(doc, b);
	json_compaction(doc, b);

	errs = json_add_array(doc, "parse_errors");
	cmd_snap_json_bad_lines(errs, ctx, &b->snap, ML_SNAP_BUDDYINFO);
	if (b->pt_ok)
		cmd_snap_json_bad_lines(errs, ctx, &b->snap, ML_SNAP_PAGETYPEINFO);
	if (b->vs_ok)
		cmd_snap_json_bad_lines(errs, ctx, &b->snap, ML_SNAP_VMSTAT);
	arr = json_add_array(doc, "unavailable");
	if (!b->vs_ok) {
		const char *why = ml_snapshot_why(&b->snap, ML_SNAP_VMSTAT);

		row = json_array_add_object(arr);
		json_add_string(row, "source", "vmstat");
		json_add_string(row, "why", why != NULL ? why : "not read");
	}
	if (b->types && !b->pt_ok) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "pagetypeinfo");
		json_add_string(row, "why", b->pt_why);
	}
	return cmd_json_emit(ctx, doc);
}

/* One report: read, derive, print. 0, or 1 after printing why. */
static int
buddy_once(struct ml_ctx *ctx, struct buddy *b)
{
	const struct ml_snap_source *bi = &b->snap.src[ML_SNAP_BUDDYINFO];
	const struct ml_snap_source *pt = &b->snap.src[ML_SNAP_PAGETYPEINFO];

	/* vmstat is optional here: its failure is the compaction line's reason */
	ml_snapshot_refresh(&b->snap, ML_SNAP(ML_SNAP_BUDDYINFO) | ML_SNAP(ML_SNAP_VMSTAT));
	if (bi->state == ML_SNAP_LOST && bi->stage == ML_SNAP_AT_OPEN)
		return cmd_snap_error(ctx, &b->snap, ML_SNAP_BUDDYINFO, NULL);
	if (b->types) {
		/* Read only when asked: it is costly for the kernel (see the top). */
		ml_snapshot_refresh(&b->snap, ML_SNAP(ML_SNAP_PAGETYPEINFO));
		/* Before about 3.18 EACCES could come at read() rather than open(). */
		if (pt->lost_now)
			types_unavailable(b, ml_xstrdup(pt->cause), pt->err);
		b->pt_ok = ml_snapshot_has(&b->snap, ML_SNAP_PAGETYPEINFO);
	}
	if (!ml_snapshot_has(&b->snap, ML_SNAP_BUDDYINFO))
		return cmd_snap_error(ctx, &b->snap, ML_SNAP_BUDDYINFO, NULL);
	b->frag = ml_snapshot_frag(&b->snap);
	b->pt = &b->snap.pti;
	b->ps = ml_snapshot_page_size(&b->snap);
	ml_sysinfo_read(&b->si, &ctx->fs);
	b->vs_ok = ml_snapshot_has(&b->snap, ML_SNAP_VMSTAT) &&
		   ml_counter_set_take(&b->compaction, &b->snap.vs.all, compaction_prefixes,
				       b->snap.src[ML_SNAP_VMSTAT].seconds) == 0;
	cmd_snap_warn_bad_lines(ctx, &b->snap, ML_SNAP_BUDDYINFO);
	if (b->vs_ok)
		cmd_snap_warn_bad_lines(ctx, &b->snap, ML_SNAP_VMSTAT);
	if (b->pt_ok)
		cmd_snap_warn_bad_lines(ctx, &b->snap, ML_SNAP_PAGETYPEINFO);
	if (ctx->json != ML_JSON_OFF)
		return buddy_json(ctx, b);
	buddy_text(ctx, b);
	return 0;
}

static int
cmd_buddy_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct buddy *b = ml_xcalloc(1, sizeof *b);
	int i, rc = 0;

	for (i = 0; i < args->nopts; i++) {
		if (args->opts[i].id == OPT_TYPES)
			b->types = true;
	}
	ml_snapshot_init(&b->snap, &ctx->fs, &ctx->sysfs, NULL);
	ml_counter_set_init(&b->compaction);
	b->threshold_known =
		ml_procfs_read_u64(&ctx->fs, "sys/vm/extfrag_threshold", &b->threshold, NULL) == 0;
	while (cmd_next_report(ctx)) {
		if ((rc = buddy_once(ctx, b)) != 0)
			break;
	}
	if (rc == 0)
		rc = b->status;
	ml_snapshot_release(&b->snap);
	ml_counter_set_release(&b->compaction);
	free(b->pt_why);
	free(b);
	return rc;
}

const struct ml_cmd_entry cmd_buddy_entry = {
	.name = "buddy",
	.summary = "free memory by block size per zone, fragmentation indices, largest block",
	.help = "Per node and zone, from /proc/buddyinfo: free blocks of each order (2^order\n"
		"pages) with the size of a block, free pages, the largest free block, and the\n"
		"kernel's unusable free space index and fragmentation index per order, computed\n"
		"exactly as debugfs extfrag/ shows them. The page size is the running kernel's,\n"
		"or for a copied tree derived from its meminfo and vmstat; when it cannot be,\n"
		"sizes are shown in pages. Free blocks of every migrate type are counted, so an\n"
		"allocation may not be able to use the largest one (see --types).\n"
		"--types adds /proc/pagetypeinfo: free blocks per order and migrate type, and\n"
		"pageblocks per type. That file is readable by root only (since Linux 5.4) and\n"
		"costly for the kernel, so it is read only when asked for; without permission\n"
		"the rest is printed, the types are marked unavailable, and the exit status is 1.\n"
		"A last line counts compaction from /proc/vmstat: direct compactions (stalls,\n"
		"failed, succeeded), kcompactd wake-ups and pages scanned, since boot or per\n"
		"second with -i.",
	.options = buddy_options,
	.max_args = 0,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_buddy_exec,
};
