/*
 * memlens slab: the slab caches, slabtop-like: objects, object size, slabs,
 * memory, waste and reclaimability per cache, sorted (memory by default),
 * with totals and a comparison against /proc/meminfo's Slab, SReclaimable
 * and SUnreclaim that says why they differ.
 *
 * Reclaimability comes from <sys-root>/kernel/slab/<cache>/reclaim_account
 * (SLUB); without it, it is unknown and said so, never guessed. The page
 * size is sysconf's for the live /proc and derived from meminfo and vmstat
 * for a capture; without it memory is shown in pages.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/pagesize.h"
#include "model/slab.h"
#include "proc/meminfo.h"
#include "proc/slabinfo.h"
#include "proc/vmstat.h"
#include "util.h"
#include "xalloc.h"

/* Rows shown in text when --limit is not given; JSON lists every cache. */
#define TEXT_DEFAULT_LIMIT 20

struct slab_cmd {
	struct ml_snapshot snap;
	struct ml_slab_cmp cmp;
	struct ml_sysinfo sys;
	/* Of the last refresh, borrowed from snap. */
	const struct ml_slabinfo *si;
	struct ml_slab_view *view;
	const struct ml_meminfo *mi;
	bool mi_open;
	const char *mi_missing;        /* why meminfo is not there */
	const struct ml_page_size *ps; /* ps->bytes 0 = unknown */
	double seconds;                /* since the previous refresh; 0 on the first */

	enum ml_slab_sort sort;
	bool reverse;
	long limit; /* rows to show; 0 = all */
};

/*
 * A failed open or read of slabinfo: the error and what to do. The file is
 * 0400 (SLUB) or 0600 (SLAB), and a SLUB kernel without CONFIG_SLUB_DEBUG has
 * none at all (doc/procfs.md sections 6 and 13).
 */
static int
slab_read_error(const struct ml_ctx *ctx, const struct slab_cmd *s, const char *cause, int err)
{
	struct stat st;
	char hint[160];

	if (err == EACCES || err == EPERM) {
		if (ml_procfs_stat(&ctx->fs, "slabinfo", &st) == 0)
			snprintf(hint, sizeof hint, "run as root: the file is mode %04o",
				 (unsigned int)(st.st_mode & 07777));
		else
			snprintf(hint, sizeof hint, "run as root");
		cmd_error("%s (%s)", cause, hint);
	} else if (err == ENOENT && s->snap.live) {
		cmd_error("%s (this kernel has no slabinfo: it is built with SLUB but without "
			  "CONFIG_SLUB_DEBUG, or with SLOB)",
			  cause);
	} else if (err == ENOENT) {
		cmd_error("%s (the capture has none: it was left out, or the kernel is built "
			  "with SLUB but without CONFIG_SLUB_DEBUG)",
			  cause);
	} else {
		cmd_error("%s", cause);
	}
	return 1;
}

static const char *
reclaim_word(uint8_t r)
{
	return r == ML_SLAB_RECLAIM_YES ? "yes" : r == ML_SLAB_RECLAIM_NO ? "no" : "?";
}

static const char *
allocator_name(enum ml_slab_allocator a)
{
	return a == ML_SLAB_ALLOC_SLUB ? "SLUB" : a == ML_SLAB_ALLOC_SLAB ? "SLAB" : NULL;
}

/* "+1.50 MiB" for a signed size. */
static const char *
signed_size(char *buf, size_t cap, int64_t v, const struct ml_units *u)
{
	char tmp[32];

	text_ssize(tmp, sizeof tmp, v, u);
	snprintf(buf, cap, "%s%s", v > 0 ? "+" : "", tmp);
	return buf;
}

static double
pct(uint64_t part, uint64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* A whole percentage, rounded down as slabtop does: 100% only when all are used. */
static unsigned int
use_pct(uint64_t active, uint64_t total)
{
	return total > 0 ? (unsigned int)(100.0 * (double)active / (double)total) : 0;
}

static const char *
caches_word(uint32_t n)
{
	return n == 1 ? "cache" : "caches";
}

#define SZ(v) text_sz(&o->units, (v))

static void
print_table(const struct ml_ctx *ctx, const struct slab_cmd *s, uint32_t shown)
{
	const struct text_out *o = &ctx->text;
	const struct ml_slab_view *v = s->view;
	const struct ml_slab_totals *t = &v->total;
	bool growth = s->seconds > 0;
	struct text_table *tb = text_table_new(growth ? 9 : 8);
	char b[48];
	uint32_t i;

	text_table_col(tb, 0, "cache", TA_LEFT);
	text_table_col(tb, 1, "objects", TA_RIGHT);
	text_table_col(tb, 2, "use", TA_RIGHT);
	text_table_col(tb, 3, "size", TA_RIGHT);
	text_table_col(tb, 4, "slabs", TA_RIGHT);
	text_table_col(tb, 5, v->has_bytes ? "memory" : "pages", TA_RIGHT);
	text_table_col(tb, 6, "waste", TA_RIGHT);
	text_table_col(tb, 7, "recl", TA_LEFT);
	if (growth)
		text_table_col(tb, 8, "change/s", TA_RIGHT);
	for (i = 0; i < shown; i++) {
		const struct ml_slab_row *r = &v->rows[i];
		const struct ml_slab_counts *c = &r->cache->cur;

		text_table_row(tb, c->num_objs == 0 ? TS_DIM : TS_NONE);
		text_table_cell(tb, "%s", r->cache->name);
		text_table_cell(tb, "%llu/%llu", (unsigned long long)c->active_objs,
				(unsigned long long)c->num_objs);
		if (c->num_objs > 0)
			text_table_cell(tb, "%u%%", use_pct(c->active_objs, c->num_objs));
		else
			text_table_cell(tb, "-");
		text_table_cell(tb, "%llu", (unsigned long long)c->objsize);
		text_table_cell(tb, "%llu", (unsigned long long)c->num_slabs);
		if (v->has_bytes) {
			text_table_cell(tb, "%s", SZ(r->bytes));
			text_table_cell(tb, "%s", SZ(r->waste));
		} else {
			text_table_cell(tb, "%llu", (unsigned long long)r->pages);
			text_table_cell(tb, "n/a");
		}
		/* "-": an empty cache's flag does not matter, and is not read. */
		text_table_cell_styled(
			tb, r->cache->reclaim == ML_SLAB_RECLAIM_YES ? TS_GOOD : TS_NONE, "%s",
			r->cache->reclaim == ML_SLAB_RECLAIM_UNKNOWN && c->num_slabs == 0
				? "-"
				: reclaim_word(r->cache->reclaim));
		if (growth && !r->has_growth)
			text_table_cell(tb, "new");
		else if (growth && v->has_bytes)
			text_table_cell(
				tb, "%s",
				signed_size(b, sizeof b, (int64_t)r->growth_bytes, &o->units));
		else if (growth)
			text_table_cell(tb, "%+.0f pages", r->growth_pages);
	}
	text_table_row(tb, TS_BOLD);
	text_table_cell(tb, "total");
	text_table_cell(tb, "%llu/%llu", (unsigned long long)t->active_objs,
			(unsigned long long)t->num_objs);
	text_table_cell(tb, "%u%%", use_pct(t->active_objs, t->num_objs));
	text_table_cell(tb, "%s", "");
	text_table_cell(tb, "%llu", (unsigned long long)t->num_slabs);
	if (v->has_bytes) {
		text_table_cell(tb, "%s", SZ(t->bytes));
		text_table_cell(tb, "%s", SZ(t->waste));
	} else {
		text_table_cell(tb, "%llu", (unsigned long long)t->pages);
		text_table_cell(tb, "n/a");
	}
	/* Under "recl": the reclaimable share of the memory, when every cache is known. */
	if (t->caches_by_reclaim[ML_SLAB_RECLAIM_UNKNOWN] == 0)
		text_table_cell(tb, "%.0f%%",
				pct(t->pages_by_reclaim[ML_SLAB_RECLAIM_YES], t->pages));
	else
		text_table_cell(tb, "?");
	if (growth && t->has_growth && v->has_bytes)
		text_table_cell(tb, "%s",
				signed_size(b, sizeof b, (int64_t)t->growth_bytes, &o->units));
	else if (growth && t->has_growth)
		text_table_cell(tb, "%+.0f pages", t->growth_pages);
	else if (growth)
		text_table_cell(tb, "%s", "");
	text_table_print(tb, o, 2);
	text_table_free(tb);
	if (shown < v->n)
		text_printf(o, TS_DIM, "  %u of %u caches, by %s%s; --limit 0 shows all\n", shown,
			    v->n, ml_slab_sort_keys[s->sort], s->reverse ? " (reversed)" : "");
}

static void
print_reclaim(const struct ml_ctx *ctx, const struct slab_cmd *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_slab_totals *t = &s->view->total;
	const uint32_t *n = t->caches_by_reclaim;
	const uint64_t *p = t->pages_by_reclaim, *by = t->bytes_by_reclaim;
	bool bytes = s->view->has_bytes;
	char yes[48], no[48], unk[48];

#define AMOUNT(buf, k)                                      \
	(bytes ? snprintf(buf, sizeof buf, "%s", SZ(by[k])) \
	       : snprintf(buf, sizeof buf, "%llu pages", (unsigned long long)p[k]))
	AMOUNT(yes, ML_SLAB_RECLAIM_YES);
	AMOUNT(no, ML_SLAB_RECLAIM_NO);
	AMOUNT(unk, ML_SLAB_RECLAIM_UNKNOWN);
#undef AMOUNT
	text_printf(o, TS_HEADER, "\nReclaimable ");
	if (!s->snap.slab_open) {
		fprintf(o->f, "unknown for every cache\n");
		text_printf(o, TS_DIM, "  (%s)\n", s->snap.reclaim_why);
		return;
	}
	fprintf(o->f, "%s in %u %s, unreclaimable %s in %u", yes, n[ML_SLAB_RECLAIM_YES],
		caches_word(n[ML_SLAB_RECLAIM_YES]), no, n[ML_SLAB_RECLAIM_NO]);
	fputc('\n', o->f);
	if (n[ML_SLAB_RECLAIM_UNKNOWN] > 0)
		fprintf(o->f, "  and %s in %u %s of unknown reclaimability (\"?\")\n", unk,
			n[ML_SLAB_RECLAIM_UNKNOWN], caches_word(n[ML_SLAB_RECLAIM_UNKNOWN]));
	text_printf(o, TS_DIM, "  (from %s/*/reclaim_account%s; \"-\": empty, not read)\n",
		    s->snap.slab_dir, n[ML_SLAB_RECLAIM_UNKNOWN] > 0 ? "; \"?\" has none" : "");
}

static void
cmp_row(struct text_table *tb, const struct ml_ctx *ctx, const char *field,
	const struct ml_slab_cmp_line *l, const char *why_slabinfo)
{
	const struct text_out *o = &ctx->text;
	char b[48];

	text_table_row(tb, TS_NONE);
	text_table_cell(tb, "%s", field);
	text_table_cell(tb, "%s", l->has_meminfo ? SZ(l->meminfo) : "n/a");
	text_table_cell(tb, "%s", l->has_slabinfo ? SZ(l->slabinfo) : "n/a");
	if (l->known)
		text_table_cell(tb, "%s", signed_size(b, sizeof b, l->diff, &o->units));
	else
		text_table_cell_styled(tb, TS_DIM, "%s", why_slabinfo);
}

static void
print_compare(const struct ml_ctx *ctx, const struct slab_cmd *s)
{
	const struct text_out *o = &ctx->text;
	const struct ml_slab_cmp *c = &s->cmp;
	const char *why;
	struct text_table *tb;
	char *mi_path = ml_procfs_path(&ctx->fs, "meminfo");

	text_printf(o, TS_HEADER, "\nCompared with %s\n", mi_path != NULL ? mi_path : "meminfo");
	free(mi_path);
	if (!s->mi_open) {
		text_printf(o, TS_DIM, "  n/a (%s)\n",
			    s->mi_missing ? s->mi_missing : "no meminfo");
		return;
	}
	why = !s->view->has_bytes ? "no page size" : "reclaimability unknown";
	tb = text_table_new(4);
	text_table_col(tb, 0, "", TA_LEFT);
	text_table_col(tb, 1, "meminfo", TA_RIGHT);
	text_table_col(tb, 2, "slabinfo", TA_RIGHT);
	text_table_col(tb, 3, "difference", TA_RIGHT);
	cmp_row(tb, ctx, "Slab", &c->slab, "no page size");
	cmp_row(tb, ctx, "SReclaimable", &c->reclaimable, why);
	cmp_row(tb, ctx, "SUnreclaim", &c->unreclaimable, why);
	text_table_print(tb, o, 2);
	text_table_free(tb);

	if (c->notes & ML_SLAB_CMP_RECLAIMABLE_EXACT)
		fprintf(o->f, "  * SReclaimable equals the reclaimable caches to the byte\n");
	if (c->notes & ML_SLAB_CMP_LARGE_KMALLOC) {
		bool total = !c->unreclaimable.known;
		const struct ml_slab_cmp_line *l = total ? &c->slab : &c->unreclaimable;

		fprintf(o->f,
			"  * %s is %s above the %scaches%s: kmalloc() of\n"
			"    more than two pages (%llu KiB) bypasses the caches, and since ~5.5\n"
			"    those pages count in SUnreclaim but in no cache\n",
			total ? "Slab" : "SUnreclaim", SZ((uint64_t)l->diff),
			total ? "" : "unreclaimable ", total ? " (the likely cause)" : "",
			(unsigned long long)(2 * s->view->page_size / 1024));
	}
	if (c->notes & ML_SLAB_CMP_SLABINFO_ABOVE)
		fprintf(o->f,
			"  * the caches add up to more than meminfo: slabinfo counts every slab "
			"at\n"
			"    its cache's preferred size, also slabs allocated smaller (a fallback\n"
			"    order) when memory was fragmented\n");
	if (c->notes & ML_SLAB_CMP_NOT_ATOMIC)
		fprintf(o->f,
			"  * the two files are read at different moments, and caches grow and\n"
			"    shrink in between\n");
	if (c->notes & ML_SLAB_CMP_NO_PAGE_SIZE)
		fprintf(o->f, "  * no page size (%s): slabinfo counts pages, meminfo bytes\n",
			s->ps->why ? s->ps->why : "unknown");
	else if (c->notes & ML_SLAB_CMP_RECLAIM_UNKNOWN)
		fprintf(o->f,
			"  * which caches are reclaimable is not known for every cache, so only\n"
			"    the total compares\n");
}

static void
print_notes(const struct ml_ctx *ctx, const struct slab_cmd *s)
{
	const struct text_out *o = &ctx->text;

	if (s->view->total.caches_in_use == 0)
		return;
	text_printf(o, TS_HEADER, "\nNotes\n");
	fprintf(o->f, "  * free objects held in per-CPU slabs (SLUB) or per-CPU arrays (SLAB)\n"
		      "    count as active: \"use\" is an upper bound, and \"waste\" (memory -\n"
		      "    active x size) a lower bound\n");
}

static void
slab_text(struct ml_ctx *ctx, struct slab_cmd *s, uint32_t shown)
{
	const struct text_out *o = &ctx->text;
	const char *alloc = allocator_name(s->view->allocator);

	cmd_text_header(ctx, &s->sys, "memlens slab");
	text_printf(o, TS_DIM, "%s%s%u caches (%u in use), ", alloc ? alloc : "", alloc ? ", " : "",
		    s->view->total.caches, s->view->total.caches_in_use);
	if (s->ps->bytes != 0)
		text_printf(o, TS_DIM, "page size %llu (from %s)", (unsigned long long)s->ps->bytes,
			    s->ps->source == ML_PS_KERNEL ? "the running kernel"
							  : "meminfo/vmstat");
	else
		text_printf(o, TS_DIM, "page size unknown: memory in pages");
	if (s->seconds > 0)
		text_printf(o, TS_DIM, ", change over %.1f s", s->seconds);
	fputc('\n', o->f);
	if (s->ps->bytes == 0)
		text_printf(o, TS_DIM, "(page size: %s)\n", s->ps->why ? s->ps->why : "?");
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s; object size in bytes)\n",
			    text_unit_name(&o->units));
	fputc('\n', o->f);
	print_table(ctx, s, shown);
	print_reclaim(ctx, s);
	print_compare(ctx, s);
	print_notes(ctx, s);
}

static void
json_cmp_line(struct json_node *o, const char *key, const struct ml_slab_cmp_line *l)
{
	struct json_node *x = json_add_object(o, key);

	if (l->has_meminfo)
		json_add_u64(x, "meminfo", l->meminfo);
	else
		json_add_null(x, "meminfo");
	if (l->has_slabinfo)
		json_add_u64(x, "slabinfo", l->slabinfo);
	else
		json_add_null(x, "slabinfo");
	if (l->known)
		json_add_i64(x, "difference", l->diff);
	else
		json_add_null(x, "difference");
}

/* One cache, written as a row of the streamed "caches" array. */
static void
json_cache(struct json_stream *js, const struct slab_cmd *s, const struct ml_slab_row *r)
{
	const struct ml_slab_cache *c = r->cache;
	const struct ml_slab_view *v = s->view;
	unsigned int k, x = 0;

	json_row_begin(js);
	json_row_string(js, "name", c->name, c->name_len);
	json_row_u64(js, "active_objs", c->cur.active_objs);
	json_row_u64(js, "num_objs", c->cur.num_objs);
	json_row_u64(js, "objsize", c->cur.objsize);
	json_row_u64(js, "objperslab", c->cur.objperslab);
	json_row_u64(js, "pagesperslab", c->cur.pagesperslab);
	json_row_u64(js, "limit", c->cur.limit);
	json_row_u64(js, "batchcount", c->cur.batchcount);
	json_row_u64(js, "sharedfactor", c->cur.sharedfactor);
	json_row_u64(js, "active_slabs", c->cur.active_slabs);
	json_row_u64(js, "num_slabs", c->cur.num_slabs);
	json_row_u64(js, "sharedavail", c->cur.sharedavail);
	json_row_u64(js, "memory_pages", r->pages);
	if (v->has_bytes) {
		json_row_u64(js, "memory", r->bytes);
		json_row_u64(js, "waste", r->waste);
	} else {
		json_row_null(js, "memory");
		json_row_null(js, "waste");
	}
	json_row_u64(js, "used", r->used);
	if (c->cur.num_objs > 0)
		json_row_double(js, "use_percent", 100.0 * r->use);
	else
		json_row_null(js, "use_percent");
	json_row_double(js, "share_percent", 100.0 * r->share);
	if (c->reclaim == ML_SLAB_RECLAIM_UNKNOWN)
		json_row_null(js, "reclaimable");
	else
		json_row_bool(js, "reclaimable", c->reclaim == ML_SLAB_RECLAIM_YES);
	if (r->has_growth && v->has_bytes)
		json_row_double(js, "growth_bytes_per_second", r->growth_bytes);
	else
		json_row_null(js, "growth_bytes_per_second");
	if (r->has_growth)
		json_row_double(js, "growth_pages_per_second", r->growth_pages);
	else
		json_row_null(js, "growth_pages_per_second");
	if (c->has_globalstat) {
		json_row_object_begin(js, "globalstat");
		for (k = 0; k < ML_SLAB_GS__COUNT; k++)
			json_row_u64(js, ml_slab_globalstat_names[k], c->globalstat[k]);
		json_row_object_end(js);
	}
	if (c->has_cpustat) {
		json_row_object_begin(js, "cpustat");
		for (k = 0; k < ML_SLAB_CS__COUNT; k++)
			json_row_u64(js, ml_slab_cpustat_names[k], c->cpustat[k]);
		json_row_object_end(js);
	}
	if (c->nextra > 0) {
		/* Groups memlens does not know, as printed: {"label": [values]}. */
		json_row_object_begin(js, "other_groups");
		for (k = 0; k < s->si->nextra_groups && x < c->nextra; k++) {
			unsigned int j;

			json_row_array_begin(js, s->si->extra_groups[k].label);
			for (j = 0; j < s->si->extra_groups[k].nvalues && x < c->nextra; j++)
				json_row_array_u64(js, c->extra[x++]);
			json_row_array_end(js);
		}
		json_row_object_end(js);
	}
	json_row_end(js);
}

static int
slab_json(struct ml_ctx *ctx, struct slab_cmd *s, uint32_t shown)
{
	const struct ml_slab_view *v = s->view;
	const struct ml_slab_totals *t = &v->total;
	struct json_node *doc = json_doc_new("slab", &s->sys), *o, *arr, *row;
	static const char *const reclaim_key[3] = { "unknown", "unreclaimable", "reclaimable" };
	struct json_stream *js;
	uint32_t i;
	int k;

	o = json_add_object(doc, "slabinfo");
	json_add_string(o, "version", s->si->version);
	json_add_bool(o, "statistics", s->si->statistics);
	json_add_string(o, "allocator", allocator_name(v->allocator));
	if (s->ps->bytes != 0)
		json_add_u64(doc, "page_size", s->ps->bytes);
	else
		json_add_null(doc, "page_size");
	json_add_string(doc, "page_size_source", ml_page_size_source_name(s->ps));
	o = json_add_object(doc, "reclaimable_source");
	json_add_string(o, "directory", s->snap.slab_open ? s->snap.slab_dir : NULL);
	json_add_string(o, "why_unknown", s->snap.slab_open ? NULL : s->snap.reclaim_why);
	json_add_string(doc, "sort", ml_slab_sort_keys[s->sort]);
	json_add_bool(doc, "reverse", s->reverse);
	if (s->seconds > 0)
		json_add_double(doc, "interval_seconds", s->seconds);
	else
		json_add_null(doc, "interval_seconds");

	/* The caches one row at a time: the rest of the document follows as a tail. */
	js = json_stream_begin(doc, "caches", stdout, ctx->json == ML_JSON_PRETTY);
	for (i = 0; i < shown; i++)
		json_cache(js, s, &v->rows[i]);
	doc = json_object_new();

	o = json_add_object(doc, "totals");
	json_add_u64(o, "caches", t->caches);
	json_add_u64(o, "caches_in_use", t->caches_in_use);
	json_add_u64(o, "caches_shown", shown);
	json_add_u64(o, "active_objs", t->active_objs);
	json_add_u64(o, "num_objs", t->num_objs);
	json_add_u64(o, "active_slabs", t->active_slabs);
	json_add_u64(o, "num_slabs", t->num_slabs);
	json_add_u64(o, "memory_pages", t->pages);
	json_add_u64(o, "used", t->used);
	if (v->has_bytes) {
		json_add_u64(o, "memory", t->bytes);
		json_add_u64(o, "waste", t->waste);
	} else {
		json_add_null(o, "memory");
		json_add_null(o, "waste");
	}
	for (k = 2; k >= 0; k--) {
		row = json_add_object(o, reclaim_key[k]);
		json_add_u64(row, "caches", t->caches_by_reclaim[k]);
		json_add_u64(row, "memory_pages", t->pages_by_reclaim[k]);
		if (v->has_bytes)
			json_add_u64(row, "memory", t->bytes_by_reclaim[k]);
		else
			json_add_null(row, "memory");
	}
	if (t->has_growth && v->has_bytes)
		json_add_double(o, "growth_bytes_per_second", t->growth_bytes);
	else
		json_add_null(o, "growth_bytes_per_second");
	if (t->has_growth)
		json_add_double(o, "growth_pages_per_second", t->growth_pages);
	else
		json_add_null(o, "growth_pages_per_second");
	json_add_u64(o, "caches_added", t->added);
	json_add_u64(o, "caches_removed", t->removed);

	o = json_add_object(doc, "meminfo_comparison");
	if (s->mi_open) {
		json_cmp_line(o, "Slab", &s->cmp.slab);
		json_cmp_line(o, "SReclaimable", &s->cmp.reclaimable);
		json_cmp_line(o, "SUnreclaim", &s->cmp.unreclaimable);
		arr = json_add_array(o, "notes");
		if (s->cmp.notes & ML_SLAB_CMP_RECLAIMABLE_EXACT)
			json_array_add_string(arr, "reclaimable_exact");
		if (s->cmp.notes & ML_SLAB_CMP_LARGE_KMALLOC)
			json_array_add_string(arr, "large_kmalloc");
		if (s->cmp.notes & ML_SLAB_CMP_SLABINFO_ABOVE)
			json_array_add_string(arr, "slabinfo_above");
		if (s->cmp.notes & ML_SLAB_CMP_NOT_ATOMIC)
			json_array_add_string(arr, "not_atomic");
		if (s->cmp.notes & ML_SLAB_CMP_RECLAIM_UNKNOWN)
			json_array_add_string(arr, "reclaim_unknown");
		if (s->cmp.notes & ML_SLAB_CMP_NO_PAGE_SIZE)
			json_array_add_string(arr, "no_page_size");
	} else {
		json_add_null(o, "Slab");
		json_add_null(o, "SReclaimable");
		json_add_null(o, "SUnreclaim");
		json_add_array(o, "notes");
	}

	arr = json_add_array(doc, "parse_errors");
	cmd_snap_json_bad_lines(arr, ctx, &s->snap, ML_SNAP_SLABINFO);
	if (s->mi_open)
		cmd_snap_json_bad_lines(arr, ctx, &s->snap, ML_SNAP_MEMINFO);
	arr = json_add_array(doc, "unavailable");
	if (!s->mi_open) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "meminfo");
		json_add_string(row, "why", s->mi_missing);
	}
	if (s->ps->bytes == 0) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "page_size");
		json_add_string(row, "why", s->ps->why);
	}
	if (!s->snap.slab_open) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "reclaim_account");
		json_add_string(row, "why", s->snap.reclaim_why);
	}
	if (json_stream_end(js, doc) != 0) {
		cmd_error("cannot build the JSON document: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* One report: read, derive, print. 0, or 1 after printing why. */
static int
slab_once(struct ml_ctx *ctx, struct slab_cmd *s)
{
	const struct ml_snap_source *src = &s->snap.src[ML_SNAP_SLABINFO];
	uint32_t shown;

	ml_snapshot_refresh(&s->snap, ML_SNAP(ML_SNAP_SLABINFO) | ML_SNAP(ML_SNAP_MEMINFO));
	if (!ml_snapshot_has(&s->snap, ML_SNAP_SLABINFO))
		return slab_read_error(ctx, s, src->cause, src->err);
	s->si = &s->snap.sl;
	s->view = &s->snap.slv;
	s->seconds = src->seconds;
	s->mi_open = ml_snapshot_has(&s->snap, ML_SNAP_MEMINFO);
	s->mi = ml_snapshot_meminfo(&s->snap);
	s->mi_missing = s->snap.src[ML_SNAP_MEMINFO].cause;
	s->ps = ml_snapshot_page_size(&s->snap);
	ml_sysinfo_read(&s->sys, &ctx->fs);
	ml_slab_compare(&s->cmp, s->view, s->mi_open ? s->mi : NULL);
	ml_slab_view_sort(s->view, s->sort, s->reverse);
	shown = s->view->n;
	if (s->limit > 0 && (unsigned long)s->limit < shown)
		shown = (uint32_t)s->limit;

	cmd_snap_warn_bad_lines(ctx, &s->snap, ML_SNAP_SLABINFO);
	if (s->mi_open)
		cmd_snap_warn_bad_lines(ctx, &s->snap, ML_SNAP_MEMINFO);
	if (ctx->json != ML_JSON_OFF)
		return slab_json(ctx, s, shown);
	slab_text(ctx, s, shown);
	return 0;
}

extern const struct ml_cmd_entry cmd_slab_entry;

static int
cmd_slab_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct slab_cmd *s = ml_xcalloc(1, sizeof *s);
	int rc = 0;

	(void)args;
	ml_snapshot_init(&s->snap, &ctx->fs, &ctx->sysfs, NULL);
	s->sort = (enum ml_slab_sort)ml_slab_sort_from_name(cmd_sort_key(ctx, &cmd_slab_entry));
	s->reverse = ctx->sort_reverse;
	s->limit = ctx->limit >= 0 ? ctx->limit : ctx->json != ML_JSON_OFF ? 0 : TEXT_DEFAULT_LIMIT;
	while (cmd_next_report(ctx)) {
		if ((rc = slab_once(ctx, s)) != 0)
			break;
	}
	ml_snapshot_release(&s->snap);
	free(s);
	return rc;
}

const struct ml_cmd_entry cmd_slab_entry = {
	.name = "slab",
	.summary = "slab caches (slabtop-like): memory, waste, reclaimable, against meminfo",
	.help = "Lists the caches of /proc/slabinfo (root only: the file is mode 0400) by the\n"
		"memory their slabs hold (num_slabs x pagesperslab x page size), with objects\n"
		"(active/total and use), object size (\"size\", always in bytes), slabs, waste\n"
		"(memory - active x size) and whether the cache is reclaimable (from\n"
		"<sys-root>/kernel/slab/*/reclaim_account: \"?\" unknown, \"-\" empty). Then the\n"
		"totals against meminfo's Slab, SReclaimable and SUnreclaim, and why they\n"
		"differ. Text shows 20 caches unless --limit says otherwise (0 = all); JSON\n"
		"lists every cache. With -i the table gains each cache's change per second,\n"
		"and --sort growth orders by it.",
	.max_args = 0,
	.sort_keys = ml_slab_sort_keys,
	.flags = ML_CMD_SORT | ML_CMD_REPEAT,
	.exec = cmd_slab_exec,
};
