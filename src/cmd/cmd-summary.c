/*
 * memlens summary: one screen a person reads in ten seconds. The headline
 * figures (free(1)'s columns, swap, commit, huge pages, dirty), the accounting
 * of MemTotal with a proportional bar and the fields behind each part, the
 * reclaim activity from vmstat, and notes on what the numbers cannot show.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd-cgroups.h"
#include "cmd/cmd-explain.h"
#include "cmd/cmd-zones.h"
#include "cmd/cmd.h"
#include "model/fragmentation.h"
#include "model/memcheck.h"
#include "model/procs.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "proc/buddyinfo.h"
#include "proc/live.h"
#include "proc/pressure.h"
#include "proc/proctab.h"
#include "proc/slabinfo.h"
#include "proc/vmallocinfo.h"
#include "model/accounting.h"
#include "model/headline.h"
#include "proc/meminfo.h"
#include "proc/vmstat.h"
#include "xalloc.h"

struct summary {
	struct ml_snapshot snap;
	struct ml_sysinfo si;
	/* Of the last refresh, borrowed from snap. */
	const struct ml_meminfo *mi;
	const struct ml_accounting *acct;
	const struct ml_headline *head;
	const struct ml_page_size *ps;
	const struct ml_proctab *pt;
	struct ml_activity act;     /* since boot, or over act_seconds */
	double act_seconds;         /* 0: act is since boot */
	struct ml_memchecks checks; /* MemFree and MemTotal against the zones */
	char *psi_why;              /* why PSI is n/a, said for this kernel */
	/* explain's rules on this reading, with their default thresholds (the last lines) */
	struct ml_rules_config rules;
	struct ml_explain findings;
};

/* What a summary reads: meminfo, vmstat and one line of each view. */
#define SUMMARY_SOURCES                                                                     \
	(ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT) | ML_SNAP(ML_SNAP_ZONEINFO) |   \
	 ML_SNAP(ML_SNAP_BUDDYINFO) | ML_SNAP(ML_SNAP_SLABINFO) | ML_SNAP(ML_SNAP_PROCS) |  \
	 ML_SNAP(ML_SNAP_VMALLOCINFO) | ML_SNAP(ML_SNAP_PRESSURE) | ML_SNAP(ML_SNAP_ZRAM) | \
	 ML_SNAP(ML_SNAP_CGROUPS))

/* A view's source was read for this report. */
static bool
view_ok(const struct summary *s, enum ml_snap_src src)
{
	return ml_snapshot_has(&s->snap, src);
}

/* Why it was not. */
static const char *
view_why(const struct summary *s, enum ml_snap_src src)
{
	return ml_snapshot_why(&s->snap, src);
}

static enum text_style
part_style(enum ml_acct_part p)
{
	switch (p) {
	case ML_ACCT_FREE:
		return TS_FREE;
	case ML_ACCT_PAGE_CACHE:
	case ML_ACCT_BUFFERS:
	case ML_ACCT_SWAP_CACHE:
		return TS_CACHE;
	case ML_ACCT_ANON:
		return TS_ANON;
	case ML_ACCT_HUGETLB:
		return TS_HUGE;
	case ML_ACCT_UNACCOUNTED:
		return TS_OTHER;
	default:
		return TS_KERNEL;
	}
}

static double
pct(uint64_t part, uint64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

#define SZ(v) text_sz(&o->units, (v))

static void
print_headline(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_headline *h = s->head;

	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	text_printf(o, TS_HEADER, "Memory  ");
	fprintf(o->f, " total %s", SZ(h->total));
	if (h->used.known)
		fprintf(o->f, "  used %s (%.1f%%)", SZ(h->used.v), pct(h->used.v, h->total));
	if (h->available.known)
		fprintf(o->f, "  available %s%s", SZ(h->available.v),
			h->avail_source == ML_AVAIL_ESTIMATED ? "*" : "");
	else
		fprintf(o->f, "  available n/a");
	if (h->free.known)
		fprintf(o->f, "  free %s", SZ(h->free.v));
	fputc('\n', o->f);
	fprintf(o->f, "         shared %s  buffers %s  cache %s\n",
		h->shared.known ? SZ(h->shared.v) : "n/a",
		h->buffers.known ? SZ(h->buffers.v) : "n/a",
		h->cache.known ? SZ(h->cache.v) : "n/a");
	text_printf(o, TS_DIM, "         used = %s%s\n", ml_headline_used_formula(h),
		    h->avail_source == ML_AVAIL_KERNEL && !h->used_fallback
			    ? ", as free(1) computes it"
			    : "");

	text_printf(o, TS_HEADER, "Swap    ");
	if (!h->swap_total.known)
		fprintf(o->f, " n/a (no SwapTotal line)\n");
	else if (h->swap_total.v == 0)
		fprintf(o->f, " none configured\n");
	else {
		fprintf(o->f, " total %s  used %s (%.1f%%)", SZ(h->swap_total.v),
			SZ(h->swap_used.v), pct(h->swap_used.v, h->swap_total.v));
		if (h->swap_cached.known)
			fprintf(o->f, "  swap cache %s", SZ(h->swap_cached.v));
		if (h->zswap.known && h->zswapped.known && h->zswapped.v > 0)
			fprintf(o->f, "  zswap %s holds %s", SZ(h->zswap.v), SZ(h->zswapped.v));
		fputc('\n', o->f);
	}

	text_printf(o, TS_HEADER, "Commit  ");
	if (h->committed.known && h->commit_limit.known) {
		double ratio = pct(h->committed.v, h->commit_limit.v);

		fprintf(o->f, " %s committed of %s limit (", SZ(h->committed.v),
			SZ(h->commit_limit.v));
		text_printf(o, ratio > 100 ? TS_WARN : TS_NONE, "%.1f%%", ratio);
		fprintf(o->f, ")\n");
	} else {
		fprintf(o->f, " n/a\n");
	}

	text_printf(o, TS_HEADER, "Huge    ");
	if (h->huge_total.known && h->huge_size.known && h->huge_total.v == 0 &&
	    (!h->hugetlb.known || h->hugetlb.v == 0)) {
		fprintf(o->f, " no hugetlb pages reserved (default size %s)\n", SZ(h->huge_size.v));
	} else if (h->huge_total.known && h->huge_size.known) {
		fprintf(o->f, " %llu pages of %s (%llu free, %llu reserved, %llu surplus)",
			(unsigned long long)h->huge_total.v, SZ(h->huge_size.v),
			(unsigned long long)h->huge_free.v, (unsigned long long)h->huge_rsvd.v,
			(unsigned long long)h->huge_surp.v);
		if (h->hugetlb.known)
			fprintf(o->f, "; all sizes %s", SZ(h->hugetlb.v));
		fputc('\n', o->f);
	} else {
		fprintf(o->f, " n/a (no hugetlb support)\n");
	}

	text_printf(o, TS_HEADER, "Dirty   ");
	fprintf(o->f, " %s dirty, %s under writeback\n", h->dirty.known ? SZ(h->dirty.v) : "n/a",
		h->writeback.known ? SZ(h->writeback.v) : "n/a");
}

static void
print_accounting(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_accounting *a = s->acct;
	struct text_table *t = text_table_new(5);
	char bar[256], sbuf[32];
	int p, bar_width, fields_width = 0;

	/* The bar takes what the terminal leaves: label 18, size 9, share 6, fields. */
	for (p = 0; p < ML_ACCT__COUNT; p++) {
		int w = (int)strlen(a->part[p].fields);

		if (w > fields_width)
			fields_width = w;
	}
	bar_width = o->width - (2 + 18 + 2 + 9 + 2 + 6 + 2 + 2 + fields_width);
	if (bar_width > 30)
		bar_width = 30;
	if (bar_width < 8)
		bar_width = 8;

	text_printf(o, TS_HEADER, "\nWhere MemTotal goes\n");
	text_table_col(t, 0, "part", TA_LEFT);
	text_table_col(t, 1, "size", TA_RIGHT);
	text_table_col(t, 2, "share", TA_RIGHT);
	text_table_col(t, 3, "", TA_LEFT);
	text_table_col(t, 4, "from /proc/meminfo", TA_LEFT);
	for (p = 0; p < ML_ACCT__COUNT; p++) {
		const struct ml_acct_row *r = &a->part[p];
		bool unacc = p == ML_ACCT_UNACCOUNTED;
		uint64_t bytes =
			unacc ? (a->unaccounted > 0 ? (uint64_t)a->unaccounted : 0) : r->bytes;

		if (r->state == ML_ACCT_ABSENT) {
			text_table_row(t, TS_DIM);
			text_table_cell(t, "%s", ml_acct_part_label((enum ml_acct_part)p));
			text_table_cell(t, "n/a");
			text_table_cell(t, "%s", "");
			text_table_cell(t, "%s", "");
			if (r->absent_why != NULL)
				text_table_cell(t, "%s", r->absent_why);
			else
				text_table_cell(t, "no %s line", r->fields);
			continue;
		}
		text_table_row(t, unacc && a->unaccounted < 0 ? TS_WARN : TS_NONE);
		text_table_cell(t, "%s", ml_acct_part_label((enum ml_acct_part)p));
		if (unacc)
			text_table_cell(t, "%s",
					text_ssize(sbuf, sizeof sbuf, a->unaccounted, &o->units));
		else
			text_table_cell(t, "%s", SZ(bytes));
		text_table_cell(t, "%.1f%%",
				(unacc && a->unaccounted < 0 ? -1 : 1) *
					pct(unacc ? (uint64_t)(a->unaccounted < 0 ? -a->unaccounted
										  : a->unaccounted)
						  : bytes,
					    a->total));
		text_table_cell_styled(t, part_style((enum ml_acct_part)p), "%s",
				       text_bar(bar, sizeof bar, (double)bytes / (double)a->total,
						bar_width, o->utf8));
		text_table_cell_styled(t, TS_DIM, "%s", r->fields);
		if (p == ML_ACCT_PAGE_CACHE && a->has_shmem) {
			text_table_row(t, TS_NONE);
			text_table_cell(t, "  of which shmem");
			text_table_cell(t, "%s", SZ(a->shmem));
			text_table_cell(t, "%.1f%%", pct(a->shmem, a->total));
			text_table_cell(t, "%s", "");
			text_table_cell_styled(t, TS_DIM, "Shmem");
		}
	}
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "MemTotal");
	text_table_cell(t, "%s", SZ(a->total));
	text_table_cell(t, "100.0%%");
	text_table_cell(t, "%s", "");
	text_table_cell(t, "%s", "");
	text_table_print(t, o, 2);
	text_table_free(t);
}

static void
print_activity(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_activity *a = &s->act;

	text_printf(o, TS_HEADER, "\nReclaim ");
	if (!view_ok(s, ML_SNAP_VMSTAT)) {
		const char *why = s->snap.src[ML_SNAP_VMSTAT].cause;

		text_printf(o, TS_DIM, " n/a (%s)\n", why != NULL ? why : "no vmstat");
		return;
	}
	if (!a->known) {
		text_printf(o, TS_DIM, " n/a (this kernel's vmstat has no reclaim counters)\n");
		return;
	}
	if (s->act_seconds > 0) {
		double t = s->act_seconds;

		fprintf(o->f,
			" per second: %.0f direct-reclaim stalls, %.0f pages scanned by kswapd,\n"
			"         %.0f directly; %.0f swap-ins, %.0f swap-outs, %.0f major faults,"
			" %.0f refaults",
			a->stall / t, a->scan_kswapd / t, a->scan_direct / t, a->swapin / t,
			a->swapout / t, a->majfault / t, a->refault / t);
		if (a->oom > 0)
			text_printf(o, TS_BAD, ", %llu OOM kills", (unsigned long long)a->oom);
		fputc('\n', o->f);
		return;
	}
	fprintf(o->f,
		" since boot: %llu direct-reclaim stalls, %llu OOM kills,\n"
		"         %llu swap-ins, %llu swap-outs, %llu major faults\n",
		(unsigned long long)a->stall, (unsigned long long)a->oom,
		(unsigned long long)a->swapin, (unsigned long long)a->swapout,
		(unsigned long long)a->majfault);
}

static void print_unavailable(const struct text_out *o, const char *label, const char *why);

/*
 * "Faults": page faults from vmstat: pgfault counts every fault, pgmajfault
 * those that had to read from disk; minor = pgfault - pgmajfault. Since
 * boot, or per second between reports (-i).
 */
static void
print_faults(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_activity *a = &s->act;
	uint64_t minor;

	if (!view_ok(s, ML_SNAP_VMSTAT) || !a->fault_known)
		return; /* the Reclaim line said why vmstat is missing */
	minor = a->fault >= a->majfault ? a->fault - a->majfault : 0;
	text_printf(o, TS_HEADER, "Faults  ");
	if (s->act_seconds > 0)
		fprintf(o->f, " per second: %.0f minor, %.0f major\n",
			(double)minor / s->act_seconds, (double)a->majfault / s->act_seconds);
	else
		fprintf(o->f, " since boot: %llu minor, %llu major\n", (unsigned long long)minor,
			(unsigned long long)a->majfault);
}

/* "Pressure": PSI memory, the share of time tasks stalled for memory. */
static void
print_pressure(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_psi_line *l[2] = { &s->snap.psi.some, &s->snap.psi.full };
	static const char *const name[2] = { "some", "full" };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	if (!view_ok(s, ML_SNAP_PRESSURE)) {
		print_unavailable(o, "Pressure ", s->psi_why);
		return;
	}
	f = open_memstream(&text, &len);
	for (i = 0; i < 2; i++) {
		if (!l[i]->present) {
			fprintf(f, "%s%s n/a", i ? "; " : "", name[i]);
			continue;
		}
		fprintf(f, "%s%s%c%u.%02u%%%c%u.%02u%%%c%u.%02u%%", i ? "; " : "", name[i],
			TEXT_NBSP, l[i]->avg10 / 100, l[i]->avg10 % 100, TEXT_NBSP,
			l[i]->avg60 / 100, l[i]->avg60 % 100, TEXT_NBSP, l[i]->avg300 / 100,
			l[i]->avg300 % 100);
	}
	fputs(" (10 s, 60 s, 300 s averages)", f);
	if (l[0]->present)
		fprintf(f, "; stalled %.1f s since boot (some)", (double)l[0]->total_us / 1e6);
	fclose(f);
	text_paragraph_after(o, TS_HEADER, "Pressure ", TS_NONE, "         ", text);
	free(text);
}

/* "Checks": MemFree and MemTotal against the zones (model/memcheck.h). */
static void
print_checks(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_memchecks *c = &s->checks;
	char *text = NULL, d1[32], d2[32], d3[32];
	size_t len = 0;
	FILE *f;

	if (!view_ok(s, ML_SNAP_ZONEINFO)) {
		/* the Zones line below says why */
		print_unavailable(o, "Checks   ", "needs /proc/zoneinfo");
		return;
	}
	if (!c->free.known && !c->total.known) {
		print_unavailable(o, "Checks   ", c->why);
		return;
	}
	if ((!c->free.known || c->free.agree) && (!c->total.known || c->total.agree)) {
		text = ml_xasprintf("%s%s agree with the zones' %s%s",
				    c->free.known ? "MemFree" : "",
				    c->free.known && c->total.known ? " and MemTotal"
				    : c->total.known                ? "MemTotal"
								    : "",
				    c->free.known ? "free pages" : "",
				    c->free.known && c->total.known ? " and managed pages"
				    : c->total.known                ? "managed pages"
								    : "");
		text_paragraph_after(o, TS_HEADER, "Checks   ", TS_DIM, "         ", text);
		free(text);
		return;
	}
	f = open_memstream(&text, &len);
	if (c->free.known && !c->free.agree)
		fprintf(f, "MemFree %s, but the zones' free pages add up to %s (%s %s); ",
			text_nobreak(d1, sizeof d1, SZ(c->free.meminfo)),
			text_nobreak(d2, sizeof d2, SZ(c->free.zones)),
			text_nobreak(d3, sizeof d3,
				     SZ(c->free.difference < 0 ? (uint64_t)-c->free.difference
							       : (uint64_t)c->free.difference)),
			c->free.difference < 0 ? "more" : "less");
	if (c->total.known && !c->total.agree)
		fprintf(f, "MemTotal %s, the zones' managed pages %s (%s %s); ",
			text_nobreak(d1, sizeof d1, SZ(c->total.meminfo)),
			text_nobreak(d2, sizeof d2, SZ(c->total.zones)),
			text_nobreak(d3, sizeof d3,
				     SZ(c->total.difference < 0 ? (uint64_t)-c->total.difference
								: (uint64_t)c->total.difference)),
			c->total.difference < 0 ? "more" : "less");
	fprintf(f,
		"the difference is %s, so MemFree is not only the pages on the buddy "
		"allocator's free lists here",
		ml_memcheck_causes);
	fclose(f);
	text_paragraph_after(o, TS_HEADER, "Checks   ", TS_WARN, "         ", text);
	free(text);
}

static void
print_notes(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_accounting *a = s->acct;
	bool any = false;

	if (s->head->avail_source == ML_AVAIL_ESTIMATED)
		cmd_note(o, &any,
			 "this kernel prints no MemAvailable (it appeared in 3.14): available* is "
			 "estimated with the 3.14 formula from MemFree, the file LRU, SReclaimable "
			 "and "
			 "sys/vm/min_free_kbytes");
	else if (s->head->avail_source == ML_AVAIL_UNKNOWN)
		cmd_note(o, &any,
			 "this kernel prints no MemAvailable (it appeared in 3.14) and "
			 "sys/vm/min_free_kbytes could not be read, so available cannot be "
			 "estimated "
			 "and used is MemTotal - MemFree");
	if ((a->notes & ML_ACCT_NOTE_VMAP_STACK) && a->vmap_stack_measured)
		cmd_note(o, &any,
			 "kernel stacks (%s) are vmalloc'd (CONFIG_VMAP_STACK) and counted in both "
			 "KernelStack and VmallocUsed: memlens counts them once, as kernel stacks "
			 "(measured in /proc/vmallocinfo)",
			 SZ(a->vmap_stack_bytes));
	else if (a->notes & ML_ACCT_NOTE_VMAP_STACK)
		cmd_note(o, &any,
			 "kernel stacks (%s) are counted in both KernelStack and VmallocUsed when "
			 "they "
			 "are vmalloc'd (CONFIG_VMAP_STACK, the default on x86-64 and arm64): "
			 "memlens "
			 "assumes so and counts them once, as kernel stacks; as root it measures "
			 "it in "
			 "/proc/vmallocinfo",
			 SZ(a->vmap_stack_bytes));
	if (a->notes & ML_ACCT_NOTE_VMALLOC_ZERO)
		cmd_note(o, &any,
			 "VmallocUsed is 0: kernels 4.4 to 5.2 print 0 instead of measuring it, "
			 "so vmalloc memory is inside unaccounted");
	if (a->notes & ML_ACCT_NOTE_VMALLOC_VA)
		cmd_note(o, &any,
			 "VmallocUsed is address space on this kernel (before 4.4 it summed every "
			 "area with its guard page, ioremap included), not memory, so vmalloc "
			 "memory "
			 "is inside unaccounted");
	if (a->notes & ML_ACCT_NOTE_SWAPCACHE_OVERLAP)
		cmd_note(o, &any,
			 "swap cache pages still mapped by a process are in both SwapCached and "
			 "AnonPages; /proc cannot tell how many, so unaccounted may be low by up "
			 "to %s",
			 SZ(a->part[ML_ACCT_SWAP_CACHE].bytes));
	if (a->notes & ML_ACCT_NOTE_BALLOON)
		cmd_note(
			o, &any,
			"some balloon drivers (virtio without deflate-on-oom, Xen, Hyper-V) also "
			"take ballooned pages out of MemTotal; then unaccounted is low by up to %s",
			SZ(a->part[ML_ACCT_BALLOON].bytes));
	if (a->notes & ML_ACCT_NOTE_HUGETLB_DEFAULT)
		cmd_note(o, &any,
			 "no Hugetlb line (it appeared in 4.16): the hugetlb pool counts pages of "
			 "the default size only");
	if (a->notes & ML_ACCT_NOTE_OVERCOUNT)
		cmd_note(o, &any,
			 "the parts add up to more than MemTotal: the counters overlap (see above) "
			 "or moved while the kernel printed them");
	if (a->notes & ML_ACCT_NOTE_CORRUPTED)
		cmd_note(o, &any,
			 "%s of memory is poisoned (HardwareCorrupted) and sits in unaccounted",
			 SZ(ml_meminfo_get(s->mi, ML_MI_HARDWARE_CORRUPTED)));
	if (a->part[ML_ACCT_ZRAM].state == ML_ACCT_KNOWN && a->part[ML_ACCT_ZRAM].bytes > 0)
		cmd_note(o, &any,
			 "zram (%s) has no meminfo counter: memlens reads it from each device's "
			 "mm_stat (mem_used_total) and takes it out of unaccounted",
			 SZ(a->part[ML_ACCT_ZRAM].bytes));
	if (a->unaccounted > 0)
		cmd_note(o, &any,
			 "unaccounted is memory the kernel allocated without a meminfo counter: "
			 "drivers' own pages (GPU, network buffers), memory reserved at boot and "
			 "freed late%s",
			 a->part[ML_ACCT_ZRAM].state == ML_ACCT_KNOWN ? "" : ", zram");
}

/* "Label    n/a: why", word-wrapped under the label. */
static void
print_unavailable(const struct text_out *o, const char *label, const char *why)
{
	char *text = ml_xasprintf("n/a: %s", why != NULL ? why : "cannot be read");

	text_paragraph_after(o, TS_HEADER, label, TS_DIM, "         ", text);
	free(text);
}

/* A zone's name in a one-line list: "DMA32", or "N1 Normal" on NUMA machines. */
static const char *
zone_label(char *buf, size_t cap, int node, const char *zone, bool numa)
{
	if (numa)
		snprintf(buf, cap, "N%d %s", node, zone);
	else
		snprintf(buf, cap, "%s", zone);
	return buf;
}

/* Readable processes, and those that could not be read (for the notes). */
static size_t
procs_unreadable(const struct summary *s, size_t *denied)
{
	size_t i, n = 0;

	*denied = 0;
	for (i = 0; i < s->pt->n; i++) {
		if (s->pt->rows[i]->kthread || s->pt->rows[i]->mem == ML_MEM_OK ||
		    s->pt->rows[i]->mem == ML_MEM_NONE || s->pt->rows[i]->mem == ML_MEM_GONE)
			continue;
		n++;
		if (s->pt->rows[i]->mem == ML_MEM_DENIED)
			(*denied)++;
	}
	return n;
}

/* "Procs    the five largest by PSS", and how many could not be read. */
static void
print_procs(const struct text_out *o, const struct summary *s)
{
	struct ml_proc *top[5];
	char *line = NULL, nb[64];
	size_t n, i, len = 0, unread, denied;
	uint64_t pss;
	FILE *f;

	if (!view_ok(s, ML_SNAP_PROCS)) {
		print_unavailable(o, "Procs    ", view_why(s, ML_SNAP_PROCS));
		return;
	}
	n = ml_procs_top_pss(s->pt->rows, s->pt->n, top, ML_ARRAY_SIZE(top));
	f = open_memstream(&line, &len);
	if (n == 0)
		fputs(s->pt->n == 0 ? "no processes in this proc root" : "no process could be read",
		      f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s%d%c%s%c", i ? ", " : "", top[i]->pid, TEXT_NBSP, top[i]->comm,
			TEXT_NBSP);
		if (ml_proc_value(top[i], ML_PM_PSS, &pss))
			fputs(text_nobreak(nb, sizeof nb, text_sz(&o->units, pss)), f);
		else
			fputs("n/a", f);
	}
	unread = procs_unreadable(s, &denied);
	if (unread > 0)
		fprintf(f, " (%zu process%s not read%s)", unread, unread == 1 ? "" : "es",
			denied == unread ? ": permission denied" : "");
	fclose(f);
	text_paragraph_after(o, TS_HEADER, "Procs    ", TS_NONE, "         ", line);
	free(line);
}

/* One line each: zone health, fragmentation, the largest vmalloc callers. */
static void
print_views(const struct ml_ctx *ctx, const struct summary *s)
{
	const struct text_out *o = &ctx->text;
	struct ml_frag_brief brief[64];
	const struct ml_vm_group *top[5];
	char *line = NULL, label[48], nb[64];
	size_t n, i, len = 0;
	bool numa = false;
	FILE *f;

	fputc('\n', o->f);
	if (view_ok(s, ML_SNAP_ZONEINFO)) {
		struct ml_wm_health h;

		ml_watermarks_health(ml_snapshot_watermarks(&s->snap), &h);
		cmd_zones_health_line(o, ml_snapshot_watermarks(&s->snap), s->ps->bytes, &h);
	} else {
		print_unavailable(o, "Zones    ", view_why(s, ML_SNAP_ZONEINFO));
	}

	if (view_ok(s, ML_SNAP_BUDDYINFO)) {
		n = ml_frag_brief(&s->snap.bi, brief, ML_ARRAY_SIZE(brief));
		n = n < ML_ARRAY_SIZE(brief) ? n : ML_ARRAY_SIZE(brief);
		for (i = 1; i < n; i++)
			numa |= brief[i].node != brief[0].node;
		f = open_memstream(&line, &len);
		fputs("largest free block:", f);
		for (i = 0; i < n; i++) {
			zone_label(label, sizeof label, brief[i].node, brief[i].zone, numa);
			fprintf(f, "%s %s%c", i ? "," : "", text_nobreak(nb, sizeof nb, label),
				TEXT_NBSP);
			if (brief[i].largest_order < 0)
				fputs("none", f);
			else if (s->ps->bytes != 0)
				fputs(text_nobreak(nb, sizeof nb,
						   text_sz(&o->units,
							   s->ps->bytes << brief[i].largest_order)),
				      f);
			else
				fprintf(f, "order%c%d", TEXT_NBSP, brief[i].largest_order);
		}
		fclose(f);
		text_paragraph_after(o, TS_HEADER, "Buddy    ", TS_NONE, "         ", line);
		free(line);
	} else {
		print_unavailable(o, "Buddy    ", view_why(s, ML_SNAP_BUDDYINFO));
	}

	if (view_ok(s, ML_SNAP_SLABINFO)) {
		const struct ml_slab_row *rows[5];

		n = ml_slab_view_top(&s->snap.slv, ML_SLAB_SORT_MEMORY, ML_ARRAY_SIZE(rows), rows);
		line = NULL;
		f = open_memstream(&line, &len);
		if (n == 0)
			fputs("no slab caches", f);
		for (i = 0; i < n; i++) {
			fprintf(f, "%s%s%c", i ? ", " : "", rows[i]->cache->name, TEXT_NBSP);
			if (s->snap.slv.has_bytes)
				fputs(text_nobreak(nb, sizeof nb,
						   text_sz(&o->units, rows[i]->bytes)),
				      f);
			else
				fprintf(f, "%llu%cpages", (unsigned long long)rows[i]->pages,
					TEXT_NBSP);
		}
		fclose(f);
		text_paragraph_after(o, TS_HEADER, "Slab     ", TS_NONE, "         ", line);
		free(line);
	} else {
		print_unavailable(o, "Slab     ", view_why(s, ML_SNAP_SLABINFO));
	}

	if (view_ok(s, ML_SNAP_VMALLOCINFO)) {
		uint64_t bytes;

		n = ml_vmalloc_top_callers(&s->snap.vm, top, ML_ARRAY_SIZE(top));
		line = NULL;
		f = open_memstream(&line, &len);
		if (n == 0)
			fputs("no vmalloc'd memory", f);
		for (i = 0; i < n; i++) {
			bool module =
				top[i]->module != NULL && strcmp(top[i]->module, "kernel") != 0;

			fprintf(f, "%s%s", i ? ", " : "", top[i]->name);
			if (module)
				fprintf(f, "%c[%s]", TEXT_NBSP, top[i]->module);
			fputc(TEXT_NBSP, f);
			if (ml_vmalloc_bytes(&s->snap.vm, top[i]->pages, &bytes))
				fputs(text_nobreak(nb, sizeof nb, text_sz(&o->units, bytes)), f);
			else
				fprintf(f, "%llu%cpages", (unsigned long long)top[i]->pages,
					TEXT_NBSP);
		}
		fclose(f);
		text_paragraph_after(o, TS_HEADER, "vmalloc  ", TS_NONE, "         ", line);
		free(line);
	} else {
		print_unavailable(o, "vmalloc  ", view_why(s, ML_SNAP_VMALLOCINFO));
	}
	print_procs(o, s);
	cmd_cgroups_brief_text(o, view_ok(s, ML_SNAP_CGROUPS) ? &s->snap.cgroups : NULL,
			       view_why(s, ML_SNAP_CGROUPS));
	text_printf(o, TS_DIM,
		    "         (memlens zones, buddy, slab, vmalloc, procs, cgroups: the whole "
		    "picture)\n");
}

static void
summary_text(struct ml_ctx *ctx, struct summary *s)
{
	cmd_text_header(ctx, &s->si, "memlens summary");
	fputc('\n', ctx->text.f);
	print_headline(ctx, s);
	print_accounting(ctx, s);
	print_checks(ctx, s);
	print_activity(ctx, s);
	print_faults(ctx, s);
	print_pressure(ctx, s);
	print_views(ctx, s);
	print_notes(ctx, s);
	cmd_explain_brief_text(&ctx->text, &s->findings);
}

static void
json_opt(struct json_node *o, const char *key, struct ml_opt v)
{
	if (v.known)
		json_add_u64(o, key, v.v);
	else
		json_add_null(o, key);
}

static void
json_unavailable(struct json_node *arr, const char *source, bool missing, const char *why)
{
	struct json_node *row;

	if (!missing)
		return;
	row = json_array_add_object(arr);
	json_add_string(row, "source", source);
	json_add_string(row, "why", why);
}

/* "kernel": zone health, largest free blocks, the largest vmalloc callers. */
static void
json_views(struct json_node *doc, const struct summary *s)
{
	struct json_node *k = json_add_object(doc, "kernel"), *o, *arr, *row;
	struct ml_frag_brief brief[64];
	const struct ml_vm_group *top[5];
	size_t n, i;
	uint64_t bytes;

	if (view_ok(s, ML_SNAP_ZONEINFO)) {
		struct ml_wm_health h;

		ml_watermarks_health(ml_snapshot_watermarks(&s->snap), &h);
		o = json_add_object(k, "zones");
		json_add_string(o, "state", h.known ? ml_wm_state_name(h.state) : NULL);
		if (h.known) {
			json_add_i64(o, "node", h.node);
			json_add_string(o, "zone", h.zone);
			if (h.to_low_bytes_known) {
				json_add_i64(o, "headroom_low", h.to_low_bytes);
				json_add_i64(o, "headroom_min", h.to_min_bytes);
			} else {
				json_add_null(o, "headroom_low");
				json_add_null(o, "headroom_min");
			}
		}
		json_add_u64(o, "zones_judged", h.judged);
	} else {
		json_add_null(k, "zones");
	}

	if (view_ok(s, ML_SNAP_BUDDYINFO)) {
		n = ml_frag_brief(&s->snap.bi, brief, ML_ARRAY_SIZE(brief));
		n = n < ML_ARRAY_SIZE(brief) ? n : ML_ARRAY_SIZE(brief);
		arr = json_add_array(k, "fragmentation");
		for (i = 0; i < n; i++) {
			row = json_array_add_object(arr);
			json_add_i64(row, "node", brief[i].node);
			json_add_string(row, "zone", brief[i].zone);
			if (brief[i].largest_order < 0) {
				json_add_null(row, "largest_free_order");
				json_add_null(row, "largest_free_block");
				continue;
			}
			json_add_i64(row, "largest_free_order", brief[i].largest_order);
			if (s->ps->bytes != 0)
				json_add_u64(row, "largest_free_block",
					     s->ps->bytes << brief[i].largest_order);
			else
				json_add_null(row, "largest_free_block");
		}
	} else {
		json_add_null(k, "fragmentation");
	}

	if (view_ok(s, ML_SNAP_SLABINFO)) {
		const struct ml_slab_row *rows[5];

		n = ml_slab_view_top(&s->snap.slv, ML_SLAB_SORT_MEMORY, ML_ARRAY_SIZE(rows), rows);
		arr = json_add_array(k, "slab_top");
		for (i = 0; i < n; i++) {
			row = json_array_add_object(arr);
			json_add_string(row, "cache", rows[i]->cache->name);
			json_add_u64(row, "pages", rows[i]->pages);
			if (s->snap.slv.has_bytes)
				json_add_u64(row, "bytes", rows[i]->bytes);
			else
				json_add_null(row, "bytes");
		}
	} else {
		json_add_null(k, "slab_top");
	}

	if (view_ok(s, ML_SNAP_PROCS)) {
		struct ml_proc *ptop[5];
		size_t unread, denied;
		uint64_t pss;

		n = ml_procs_top_pss(s->pt->rows, s->pt->n, ptop, ML_ARRAY_SIZE(ptop));
		o = json_add_object(doc, "processes");
		arr = json_add_array(o, "top_pss");
		for (i = 0; i < n; i++) {
			row = json_array_add_object(arr);
			json_add_i64(row, "pid", ptop[i]->pid);
			json_add_string(row, "command", ptop[i]->comm);
			if (ml_proc_value(ptop[i], ML_PM_PSS, &pss))
				json_add_u64(row, "pss", pss);
			else
				json_add_null(row, "pss");
		}
		unread = procs_unreadable(s, &denied);
		json_add_u64(o, "not_read", unread);
		json_add_u64(o, "permission_denied", denied);
	} else {
		json_add_null(doc, "processes");
	}

	if (view_ok(s, ML_SNAP_VMALLOCINFO)) {
		n = ml_vmalloc_top_callers(&s->snap.vm, top, ML_ARRAY_SIZE(top));
		arr = json_add_array(k, "vmalloc_top");
		for (i = 0; i < n; i++) {
			row = json_array_add_object(arr);
			json_add_string(row, "caller", top[i]->name);
			json_add_string(row, "module", top[i]->module);
			json_add_u64(row, "areas", top[i]->areas);
			json_add_u64(row, "pages", top[i]->pages);
			if (ml_vmalloc_bytes(&s->snap.vm, top[i]->pages, &bytes))
				json_add_u64(row, "bytes", bytes);
			else
				json_add_null(row, "bytes");
		}
	} else {
		json_add_null(k, "vmalloc_top");
	}
}

/* "pressure": PSI memory (null when it could not be read: see "unavailable"). */
static void
json_pressure(struct json_node *doc, const struct summary *s)
{
	const struct ml_psi_line *l[2] = { &s->snap.psi.some, &s->snap.psi.full };
	static const char *const name[2] = { "some", "full" };
	struct json_node *o, *p;
	int i;

	if (!view_ok(s, ML_SNAP_PRESSURE)) {
		json_add_null(doc, "pressure");
		return;
	}
	o = json_add_object(doc, "pressure");
	for (i = 0; i < 2; i++) {
		if (!l[i]->present) {
			json_add_null(o, name[i]);
			continue;
		}
		p = json_add_object(o, name[i]);
		json_add_double(p, "avg10", l[i]->avg10 / 100.0);
		json_add_double(p, "avg60", l[i]->avg60 / 100.0);
		json_add_double(p, "avg300", l[i]->avg300 / 100.0);
		json_add_u64(p, "total_us", l[i]->total_us);
	}
}

static void
json_check(struct json_node *o, const char *key, const struct ml_memcheck *c)
{
	struct json_node *k;

	if (!c->known) {
		json_add_null(o, key);
		return;
	}
	k = json_add_object(o, key);
	json_add_u64(k, "meminfo", c->meminfo);
	json_add_u64(k, "zones", c->zones);
	json_add_i64(k, "difference", c->difference);
	json_add_u64(k, "tolerance", c->tolerance);
	json_add_bool(k, "agree", c->agree);
}

/* "checks": MemFree and MemTotal against the zones (null without zoneinfo). */
static void
json_checks(struct json_node *doc, const struct summary *s)
{
	const struct ml_memchecks *c = &s->checks;
	struct json_node *o;

	if (!view_ok(s, ML_SNAP_ZONEINFO)) {
		json_add_null(doc, "checks");
		return;
	}
	o = json_add_object(doc, "checks");
	json_check(o, "free", &c->free);
	json_check(o, "total", &c->total);
	json_add_string(o, "why", c->free.known && c->total.known ? NULL : c->why);
	json_add_string(o, "causes",
			(c->free.known && !c->free.agree) || (c->total.known && !c->total.agree)
				? ml_memcheck_causes
				: NULL);
}

static int
summary_json(struct ml_ctx *ctx, struct summary *s)
{
	const struct ml_headline *h = s->head;
	const struct ml_accounting *a = s->acct;
	struct json_node *doc = json_doc_new("summary", &s->si), *o, *arr, *row, *errs;
	int p;

	o = json_add_object(doc, "memory");
	json_add_u64(o, "total", h->total);
	json_opt(o, "used", h->used);
	json_opt(o, "free", h->free);
	json_opt(o, "available", h->available);
	json_add_string(o, "available_source",
			h->avail_source == ML_AVAIL_KERNEL      ? "MemAvailable"
			: h->avail_source == ML_AVAIL_ESTIMATED ? "estimated"
								: NULL);
	json_opt(o, "shared", h->shared);
	json_opt(o, "buffers", h->buffers);
	json_opt(o, "cache", h->cache);
	json_opt(o, "buff_cache", h->buff_cache);
	json_add_string(o, "used_formula", ml_headline_used_formula(h));

	o = json_add_object(doc, "swap");
	json_opt(o, "total", h->swap_total);
	json_opt(o, "used", h->swap_used);
	json_opt(o, "free", h->swap_free);
	json_opt(o, "cached", h->swap_cached);
	json_opt(o, "zswap", h->zswap);
	json_opt(o, "zswapped", h->zswapped);

	o = json_add_object(doc, "commit");
	json_opt(o, "committed", h->committed);
	json_opt(o, "limit", h->commit_limit);

	o = json_add_object(doc, "hugepages");
	json_opt(o, "total_pages", h->huge_total);
	json_opt(o, "free_pages", h->huge_free);
	json_opt(o, "reserved_pages", h->huge_rsvd);
	json_opt(o, "surplus_pages", h->huge_surp);
	json_opt(o, "page_size", h->huge_size);
	json_opt(o, "hugetlb", h->hugetlb);

	o = json_add_object(doc, "writeback");
	json_opt(o, "dirty", h->dirty);
	json_opt(o, "writeback", h->writeback);

	o = json_add_object(doc, "accounting");
	json_add_u64(o, "total", a->total);
	arr = json_add_array(o, "parts");
	for (p = 0; p < ML_ACCT__COUNT; p++) {
		const struct ml_acct_row *r = &a->part[p];

		row = json_array_add_object(arr);
		json_add_string(row, "name", ml_acct_part_name((enum ml_acct_part)p));
		json_add_string(row, "label", ml_acct_part_label((enum ml_acct_part)p));
		if (r->state == ML_ACCT_ABSENT) {
			json_add_null(row, "bytes");
			json_add_string(row, "absent_why",
					r->absent_why != NULL ? r->absent_why : "not in meminfo");
		} else if (p == ML_ACCT_UNACCOUNTED)
			json_add_i64(row, "bytes", a->unaccounted);
		else
			json_add_u64(row, "bytes", r->bytes);
		json_add_string(row, "fields", r->fields);
		if (p == ML_ACCT_PAGE_CACHE && a->has_shmem)
			json_add_u64(row, "shmem", a->shmem);
	}
	arr = json_add_array(o, "notes");
	if (a->notes & ML_ACCT_NOTE_VMAP_STACK)
		json_array_add_string(arr, a->vmap_stack_measured ? "vmap_stack_measured"
								  : "vmap_stack");
	if (a->notes & ML_ACCT_NOTE_SWAPCACHE_OVERLAP)
		json_array_add_string(arr, "swapcache_overlap");
	if (a->notes & ML_ACCT_NOTE_BALLOON)
		json_array_add_string(arr, "balloon");
	if (a->notes & ML_ACCT_NOTE_VMALLOC_ZERO)
		json_array_add_string(arr, "vmalloc_not_reported");
	if (a->notes & ML_ACCT_NOTE_VMALLOC_VA)
		json_array_add_string(arr, "vmalloc_address_space");
	if (a->notes & ML_ACCT_NOTE_HUGETLB_DEFAULT)
		json_array_add_string(arr, "hugetlb_default_size_only");
	if (a->notes & ML_ACCT_NOTE_OVERCOUNT)
		json_array_add_string(arr, "overcount");
	if (a->notes & ML_ACCT_NOTE_CORRUPTED)
		json_array_add_string(arr, "hardware_corrupted");

	o = json_add_object(doc, "reclaim");
	if (view_ok(s, ML_SNAP_VMSTAT) && s->act.known) {
		json_add_string(o, "period", s->act_seconds > 0 ? "interval" : "since_boot");
		if (s->act_seconds > 0)
			json_add_double(o, "seconds", s->act_seconds);
		json_add_u64(o, "allocstall", s->act.stall);
		json_add_u64(o, "pgscan_kswapd", s->act.scan_kswapd);
		json_add_u64(o, "pgscan_direct", s->act.scan_direct);
		json_add_u64(o, "pswpin", s->act.swapin);
		json_add_u64(o, "pswpout", s->act.swapout);
		json_add_u64(o, "pgmajfault", s->act.majfault);
		if (s->act.fault_known)
			json_add_u64(o, "pgfault", s->act.fault);
		else
			json_add_null(o, "pgfault");
		json_add_u64(o, "oom_kill", s->act.oom);
		json_add_u64(o, "workingset_refault", s->act.refault);
	} else {
		json_add_null(o, "period");
	}

	json_pressure(doc, s);
	json_checks(doc, s);
	json_views(doc, s);
	cmd_explain_brief_json(doc, &s->findings);

	errs = json_add_array(doc, "parse_errors");
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_MEMINFO);
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_VMSTAT);
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_ZONEINFO);
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_BUDDYINFO);
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_VMALLOCINFO);
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_SLABINFO);
	cmd_snap_json_bad_lines(errs, ctx, &s->snap, ML_SNAP_PRESSURE);
	arr = json_add_array(doc, "unavailable");
	json_unavailable(arr, "vmstat", !view_ok(s, ML_SNAP_VMSTAT),
			 s->snap.src[ML_SNAP_VMSTAT].cause);
	json_unavailable(arr, "zoneinfo", !view_ok(s, ML_SNAP_ZONEINFO),
			 view_why(s, ML_SNAP_ZONEINFO));
	json_unavailable(arr, "buddyinfo", !view_ok(s, ML_SNAP_BUDDYINFO),
			 view_why(s, ML_SNAP_BUDDYINFO));
	json_unavailable(arr, "slabinfo", !view_ok(s, ML_SNAP_SLABINFO),
			 view_why(s, ML_SNAP_SLABINFO));
	json_unavailable(arr, "processes", !view_ok(s, ML_SNAP_PROCS), view_why(s, ML_SNAP_PROCS));
	json_unavailable(arr, "vmallocinfo", !view_ok(s, ML_SNAP_VMALLOCINFO),
			 view_why(s, ML_SNAP_VMALLOCINFO));
	json_unavailable(arr, "pressure/memory", !view_ok(s, ML_SNAP_PRESSURE), s->psi_why);
	cmd_cgroups_brief_json(doc, arr, view_ok(s, ML_SNAP_CGROUPS) ? &s->snap.cgroups : NULL,
			       view_why(s, ML_SNAP_CGROUPS));
	return cmd_json_emit(ctx, doc);
}

/*
 * Why PSI is n/a: the snapshot's why, and for a missing file what that
 * means (PSI is 4.20+ with CONFIG_PSI; a copy of /proc may lack it).
 */
static void
pressure_why(const struct ml_ctx *ctx, struct summary *s)
{
	const struct ml_snap_source *p = &s->snap.src[ML_SNAP_PRESSURE];
	const char *why = view_why(s, ML_SNAP_PRESSURE);

	free(s->psi_why);
	s->psi_why = NULL;
	if (why == NULL)
		return;
	if (p->err == ENOENT)
		s->psi_why =
			ml_xasprintf("%s (%s)", why,
				     ml_procfs_is_live(&ctx->fs)
					     ? "a kernel without PSI"
					     : "a kernel without PSI, or a copy made without it");
	else
		s->psi_why = ml_xstrdup(why);
}

/* One report: read, derive, print. 0, or 1 after printing why. */
static int
summary_once(struct ml_ctx *ctx, struct summary *s)
{
	const struct ml_snap_source *mi = &s->snap.src[ML_SNAP_MEMINFO];
	static const enum ml_snap_src lost_warned[] = { ML_SNAP_VMSTAT, ML_SNAP_ZONEINFO,
							ML_SNAP_BUDDYINFO, ML_SNAP_VMALLOCINFO,
							ML_SNAP_PRESSURE };
	static const enum ml_snap_src views[] = { ML_SNAP_MEMINFO,     ML_SNAP_VMSTAT,
						  ML_SNAP_ZONEINFO,    ML_SNAP_BUDDYINFO,
						  ML_SNAP_VMALLOCINFO, ML_SNAP_SLABINFO,
						  ML_SNAP_PRESSURE };
	size_t i;

	ml_snapshot_refresh(&s->snap, SUMMARY_SOURCES);
	if (mi->state == ML_SNAP_LOST && mi->stage != ML_SNAP_AT_DERIVE)
		return cmd_snap_error(ctx, &s->snap, ML_SNAP_MEMINFO, NULL);
	/* vmstat only adds the reclaim line, the views one line each: lose them, say why, go on. */
	for (i = 0; i < ML_ARRAY_SIZE(lost_warned); i++)
		if (s->snap.src[lost_warned[i]].lost_now)
			cmd_warn_bad_lines(ctx, ml_snap_src_path(lost_warned[i]),
					   ml_snapshot_stats(&s->snap, lost_warned[i]));
	if (mi->state == ML_SNAP_LOST)
		return cmd_snap_error(ctx, &s->snap, ML_SNAP_MEMINFO, NULL);
	ml_sysinfo_read(&s->si, &ctx->fs);
	s->mi = ml_snapshot_meminfo(&s->snap);
	s->acct = ml_snapshot_accounting(&s->snap);
	s->head = ml_snapshot_headline(&s->snap);
	s->ps = ml_snapshot_page_size(&s->snap);
	s->pt = &s->snap.procs;
	pressure_why(ctx, s);
	if (view_ok(s, ML_SNAP_ZONEINFO))
		ml_memchecks_compute(&s->checks, s->mi, ml_snapshot_zoneinfo(&s->snap),
				     s->ps->bytes);
	else
		memset(&s->checks, 0, sizeof s->checks);
	/* Reclaim activity: per second between reports, since boot in the first. */
	if (s->snap.act_seconds > 0 && s->snap.act_prev.known) {
		s->act = s->snap.act_delta;
		s->act.known = s->snap.act.known;
		s->act_seconds = s->snap.act_seconds;
	} else {
		s->act = s->snap.act;
		s->act_seconds = 0;
	}

	ml_explain_release(&s->findings);
	if (cmd_explain_run(&s->findings, &s->snap, NULL, 0, &s->rules) != 0) {
		cmd_error("cannot judge explain's rules: %s", strerror(errno));
		return 1;
	}

	/* The views' bad lines too: what is shown was read around them. */
	for (i = 0; i < ML_ARRAY_SIZE(views); i++)
		if (view_ok(s, views[i]))
			cmd_snap_warn_bad_lines(ctx, &s->snap, views[i]);
	if (ctx->json != ML_JSON_OFF)
		return summary_json(ctx, s);
	summary_text(ctx, s);
	return 0;
}

static int
cmd_summary_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	static const struct ml_snap_options opt = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "run as root" },
		.procs_no_cmdlines = true, /* the top processes are named by comm */
	};
	struct summary *s = ml_xcalloc(1, sizeof *s);
	int rc = 0;

	(void)args;
	if (ml_rules_config_init(&s->rules) != 0) {
		cmd_error("cannot set up explain's rules: %s", strerror(errno));
		free(s);
		return 1;
	}
	ml_explain_init(&s->findings);
	ml_snapshot_init(&s->snap, &ctx->fs, &ctx->sysfs, &opt);
	ml_vmalloc_set_top(&s->snap.vm, 0);
	/* The cgroups' line needs their usage, limits and events: no memory.stat, no members. */
	s->snap.cg_files =
		ML_CGFILE_BIT(ML_CGFILE_CURRENT) | ML_CGFILE_BIT(ML_CGFILE_MAX) |
		ML_CGFILE_BIT(ML_CGFILE_HIGH) | ML_CGFILE_BIT(ML_CGFILE_CONTROLLERS) |
		ML_CGFILE_BIT(ML_CGFILE_EVENTS) | ML_CGFILE_BIT(ML_CGFILE_V1_USAGE) |
		ML_CGFILE_BIT(ML_CGFILE_V1_LIMIT) | ML_CGFILE_BIT(ML_CGFILE_V1_MEMSW_USAGE) |
		ML_CGFILE_BIT(ML_CGFILE_V1_MEMSW_LIMIT) | ML_CGFILE_BIT(ML_CGFILE_V1_OOM_CONTROL);
	while (cmd_next_report(ctx)) {
		if ((rc = summary_once(ctx, s)) != 0)
			break;
	}
	ml_snapshot_release(&s->snap);
	free(s->psi_why);
	ml_explain_release(&s->findings);
	ml_rules_config_release(&s->rules);
	free(s);
	return rc;
}

const struct ml_cmd_entry cmd_summary_entry = {
	.name = "summary",
	.summary = "where MemTotal goes, the headline figures, and what to look at next",
	.help = "Accounts for every byte of MemTotal from /proc/meminfo: free, page cache (with\n"
		"shmem inside it), buffers, swap cache, anonymous memory, slab, kernel stacks,\n"
		"page tables, vmalloc, per-cpu, hugetlb, zswap, balloon, and what no counter\n"
		"names (unaccounted). Each part shows the meminfo fields it comes from; counters\n"
		"that overlap are counted once. \"used\" is MemTotal - MemAvailable, as free(1).",
	.max_args = 0,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_summary_exec,
};
