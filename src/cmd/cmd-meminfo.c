/*
 * memlens meminfo: every /proc/meminfo field, grouped and explained, in the
 * order the kernel printed them; unknown fields under "other", as printed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/headline.h"
#include "proc/meminfo.h"
#include "xalloc.h"

enum group { G_TOTALS, G_PAGE_CACHE, G_ANON, G_KERNEL, G_SWAP, G_HUGE, G_OTHER, G__COUNT };

static const char *const group_title[G__COUNT] = {
	[G_TOTALS] = "Totals",
	[G_PAGE_CACHE] = "Page cache",
	[G_ANON] = "Anonymous memory",
	[G_KERNEL] = "Kernel",
	[G_SWAP] = "Swap",
	[G_HUGE] = "Huge pages",
	[G_OTHER] = "Other",
};
static const char *const group_name[G__COUNT] = {
	[G_TOTALS] = "totals",  [G_PAGE_CACHE] = "page_cache",
	[G_ANON] = "anonymous", [G_KERNEL] = "kernel",
	[G_SWAP] = "swap",      [G_HUGE] = "huge_pages",
	[G_OTHER] = "other",
};

/* Where memlens meminfo shows each known field; what it counts is in ml_meminfo_what. */
static const enum group field_group[ML_MI__COUNT] = {
	[ML_MI_MEM_TOTAL] = G_TOTALS,
	[ML_MI_MEM_FREE] = G_TOTALS,
	[ML_MI_MEM_AVAILABLE] = G_TOTALS,
	[ML_MI_ACTIVE] = G_TOTALS,
	[ML_MI_INACTIVE] = G_TOTALS,
	[ML_MI_UNEVICTABLE] = G_TOTALS,
	[ML_MI_MLOCKED] = G_TOTALS,
	[ML_MI_HIGH_TOTAL] = G_TOTALS,
	[ML_MI_HIGH_FREE] = G_TOTALS,
	[ML_MI_LOW_TOTAL] = G_TOTALS,
	[ML_MI_LOW_FREE] = G_TOTALS,
	[ML_MI_MMAP_COPY] = G_TOTALS,
	[ML_MI_COMMIT_LIMIT] = G_TOTALS,
	[ML_MI_COMMITTED_AS] = G_TOTALS,
	[ML_MI_BUFFERS] = G_PAGE_CACHE,
	[ML_MI_CACHED] = G_PAGE_CACHE,
	[ML_MI_ACTIVE_FILE] = G_PAGE_CACHE,
	[ML_MI_INACTIVE_FILE] = G_PAGE_CACHE,
	[ML_MI_MAPPED] = G_PAGE_CACHE,
	[ML_MI_SHMEM] = G_PAGE_CACHE,
	[ML_MI_DIRTY] = G_PAGE_CACHE,
	[ML_MI_WRITEBACK] = G_PAGE_CACHE,
	[ML_MI_WRITEBACK_TMP] = G_PAGE_CACHE,
	[ML_MI_NFS_UNSTABLE] = G_PAGE_CACHE,
	[ML_MI_ANON_PAGES] = G_ANON,
	[ML_MI_ACTIVE_ANON] = G_ANON,
	[ML_MI_INACTIVE_ANON] = G_ANON,
	[ML_MI_SLAB] = G_KERNEL,
	[ML_MI_SRECLAIMABLE] = G_KERNEL,
	[ML_MI_SUNRECLAIM] = G_KERNEL,
	[ML_MI_KRECLAIMABLE] = G_KERNEL,
	[ML_MI_KERNEL_STACK] = G_KERNEL,
	[ML_MI_SHADOW_CALL_STACK] = G_KERNEL,
	[ML_MI_PAGE_TABLES] = G_KERNEL,
	[ML_MI_SEC_PAGE_TABLES] = G_KERNEL,
	[ML_MI_QUICKLISTS] = G_KERNEL,
	[ML_MI_BOUNCE] = G_KERNEL,
	[ML_MI_VMALLOC_TOTAL] = G_KERNEL,
	[ML_MI_VMALLOC_USED] = G_KERNEL,
	[ML_MI_VMALLOC_CHUNK] = G_KERNEL,
	[ML_MI_PERCPU] = G_KERNEL,
	[ML_MI_EARLY_MEMTEST_BAD] = G_KERNEL,
	[ML_MI_HARDWARE_CORRUPTED] = G_KERNEL,
	[ML_MI_CMA_TOTAL] = G_KERNEL,
	[ML_MI_CMA_FREE] = G_KERNEL,
	[ML_MI_UNACCEPTED] = G_KERNEL,
	[ML_MI_BALLOON] = G_KERNEL,
	[ML_MI_DIRECT_MAP_4K] = G_KERNEL,
	[ML_MI_DIRECT_MAP_2M] = G_KERNEL,
	[ML_MI_DIRECT_MAP_4M] = G_KERNEL,
	[ML_MI_DIRECT_MAP_1G] = G_KERNEL,
	[ML_MI_SWAP_TOTAL] = G_SWAP,
	[ML_MI_SWAP_FREE] = G_SWAP,
	[ML_MI_SWAP_CACHED] = G_SWAP,
	[ML_MI_ZSWAP] = G_SWAP,
	[ML_MI_ZSWAPPED] = G_SWAP,
	[ML_MI_ANON_HUGE_PAGES] = G_HUGE,
	[ML_MI_SHMEM_HUGE_PAGES] = G_HUGE,
	[ML_MI_SHMEM_PMD_MAPPED] = G_HUGE,
	[ML_MI_FILE_HUGE_PAGES] = G_HUGE,
	[ML_MI_FILE_PMD_MAPPED] = G_HUGE,
	[ML_MI_HUGEPAGES_TOTAL] = G_HUGE,
	[ML_MI_HUGEPAGES_FREE] = G_HUGE,
	[ML_MI_HUGEPAGES_RSVD] = G_HUGE,
	[ML_MI_HUGEPAGES_SURP] = G_HUGE,
	[ML_MI_HUGEPAGESIZE] = G_HUGE,
	[ML_MI_HUGETLB] = G_HUGE,
};
_Static_assert(ML_ARRAY_SIZE(field_group) == ML_MI__COUNT, "meminfo groups out of sync");

struct meminfo_cmd {
	struct ml_snapshot snap;
	struct ml_sysinfo si;
	/* Of the last refresh, borrowed from snap. */
	const struct ml_meminfo *mi;
	const struct ml_headline *head;
};

static enum group
entry_group(const struct ml_kv_entry *e)
{
	return e->slot >= 0 ? field_group[e->slot] : G_OTHER;
}

/* A derived value as a row of the table: name, size or n/a, how it is made. */
static void
derived_row(struct text_table *t, const struct text_out *o, const char *name, struct ml_opt v,
	    const char *how)
{
	text_table_row(t, TS_NONE);
	text_table_cell(t, "  %s", name);
	if (v.known)
		text_table_cell(t, "%s", text_sz(&o->units, v.v));
	else
		text_table_cell(t, "n/a");
	text_table_cell_styled(t, TS_DIM, "%s", how);
}

/* One table for all groups, so that the columns line up from top to bottom. */
static void
meminfo_text(struct ml_ctx *ctx, struct meminfo_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_kvlist *all = &m->mi->all;
	const struct ml_headline *h = m->head;
	struct text_table *t = text_table_new(3);
	uint32_t i;
	enum group g;

	cmd_text_header(ctx, &m->si, "memlens meminfo");
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	text_table_col(t, 1, NULL, TA_RIGHT);
	for (g = 0; g < G__COUNT; g++) {
		bool titled = false;

		for (i = 0; i < all->n; i++) {
			const struct ml_kv_entry *e = &all->e[i];

			if (entry_group(e) != g)
				continue;
			if (!titled) {
				text_table_row(t, TS_NONE);
				text_table_row(t, TS_HEADER);
				text_table_cell(t, "%s", group_title[g]);
				if (g == G_OTHER) {
					text_table_cell(t, "%s", "");
					text_table_cell_styled(
						t, TS_DIM,
						"fields memlens does not know, as printed");
				}
				titled = true;
			}
			text_table_row(t, TS_NONE);
			text_table_cell(t, "  %.*s", (int)e->name_len, ml_kvlist_name(all, i));
			if (e->unit == ML_KV_BYTES)
				text_table_cell(t, "%s", text_sz(&o->units, e->value));
			else
				text_table_cell(t, "%llu", (unsigned long long)e->value);
			text_table_cell_styled(
				t, TS_DIM, "%s",
				e->slot >= 0 ? ml_meminfo_what[e->slot]
					     : (e->unit == ML_KV_BYTES ? "" : "(no unit)"));
		}
	}

	text_table_row(t, TS_NONE);
	text_table_row(t, TS_HEADER);
	text_table_cell(t, "Derived");
	derived_row(t, o, "used", h->used, ml_headline_used_formula(h));
	if (h->avail_source == ML_AVAIL_ESTIMATED)
		derived_row(t, o, "available", h->available,
			    "estimated: no MemAvailable line (before 3.14)");
	else if (h->avail_source == ML_AVAIL_UNKNOWN)
		derived_row(t, o, "available", h->available,
			    "no MemAvailable line and no sys/vm/min_free_kbytes");
	derived_row(t, o, "buff/cache", h->buff_cache, "Buffers + Cached + SReclaimable");
	derived_row(t, o, "swap used", h->swap_used, "SwapTotal - SwapFree");
	text_table_print(t, o, 0);
	text_table_free(t);
}

static int
meminfo_json(struct ml_ctx *ctx, struct meminfo_cmd *m)
{
	const struct ml_kvlist *all = &m->mi->all;
	const struct ml_headline *h = m->head;
	struct json_node *doc = json_doc_new("meminfo", &m->si), *o, *unitless, *unknown, *groups,
			 *garr[G__COUNT], *errs;
	uint32_t i;
	enum group g;

	o = json_add_object(doc, "meminfo");
	for (i = 0; i < all->n; i++) {
		char key[256];
		const struct ml_kv_entry *e = &all->e[i];
		size_t n = e->name_len < sizeof key ? e->name_len : sizeof key - 1;

		memcpy(key, ml_kvlist_name(all, i), n);
		key[n] = '\0';
		json_add_u64(o, key, e->value);
	}
	unitless = json_add_array(doc, "unitless");
	unknown = json_add_array(doc, "unknown");
	groups = json_add_object(doc, "groups");
	for (g = 0; g < G__COUNT; g++)
		garr[g] = json_add_array(groups, group_name[g]);
	for (i = 0; i < all->n; i++) {
		const struct ml_kv_entry *e = &all->e[i];

		if (e->unit == ML_KV_COUNT)
			json_array_add_stringn(unitless, ml_kvlist_name(all, i), e->name_len);
		if (e->slot < 0)
			json_array_add_stringn(unknown, ml_kvlist_name(all, i), e->name_len);
		json_array_add_stringn(garr[entry_group(e)], ml_kvlist_name(all, i), e->name_len);
	}

	o = json_add_object(doc, "derived");
	if (h->used.known)
		json_add_u64(o, "used", h->used.v);
	else
		json_add_null(o, "used");
	if (h->available.known)
		json_add_u64(o, "available", h->available.v);
	else
		json_add_null(o, "available");
	json_add_string(o, "available_source",
			h->avail_source == ML_AVAIL_KERNEL      ? "MemAvailable"
			: h->avail_source == ML_AVAIL_ESTIMATED ? "estimated"
								: NULL);
	if (h->buff_cache.known)
		json_add_u64(o, "buff_cache", h->buff_cache.v);
	else
		json_add_null(o, "buff_cache");
	if (h->swap_used.known)
		json_add_u64(o, "swap_used", h->swap_used.v);
	else
		json_add_null(o, "swap_used");

	errs = json_add_array(doc, "parse_errors");
	cmd_snap_json_bad_lines(errs, ctx, &m->snap, ML_SNAP_MEMINFO);
	return cmd_json_emit(ctx, doc);
}

static int
meminfo_once(struct ml_ctx *ctx, struct meminfo_cmd *m)
{
	if (ml_snapshot_refresh(&m->snap, ML_SNAP(ML_SNAP_MEMINFO)) != 0)
		return cmd_snap_error(ctx, &m->snap, ML_SNAP_MEMINFO, NULL);
	m->mi = ml_snapshot_meminfo(&m->snap);
	m->head = ml_snapshot_headline(&m->snap);
	ml_sysinfo_read(&m->si, &ctx->fs);
	cmd_snap_warn_bad_lines(ctx, &m->snap, ML_SNAP_MEMINFO);
	if (ctx->json != ML_JSON_OFF)
		return meminfo_json(ctx, m);
	meminfo_text(ctx, m);
	return 0;
}

static int
cmd_meminfo_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	static const struct ml_snap_options opt = { .derive = ML_SNAP_HEADLINE };
	struct meminfo_cmd *m = ml_xcalloc(1, sizeof *m);
	int rc = 0;

	(void)args;
	ml_snapshot_init(&m->snap, &ctx->fs, &ctx->sysfs, &opt);
	while (rc == 0 && cmd_next_report(ctx))
		rc = meminfo_once(ctx, m);
	ml_snapshot_release(&m->snap);
	free(m);
	return rc;
}

const struct ml_cmd_entry cmd_meminfo_entry = {
	.name = "meminfo",
	.summary = "every /proc/meminfo field, grouped and explained, with derived values",
	.help = "Lists each field in the order the kernel printed it, grouped (totals, page\n"
		"cache, anonymous, kernel, swap, huge pages) with what it counts. Fields memlens\n"
		"does not know (new kernels, vendor patches) are listed under \"other\" as\n"
		"printed. HugePages_* are page counts; every other size is shown in the chosen "
		"unit.",
	.max_args = 0,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_meminfo_exec,
};
