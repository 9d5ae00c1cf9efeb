/*
 * memlens vmalloc: vmalloc areas grouped by caller, module or type, the
 * largest areas, thread stacks, and the check of Σ pages x page size against
 * meminfo's VmallocUsed, read right before and right after vmallocinfo.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/pagesize.h"
#include "model/vmalloc.h"
#include "proc/meminfo.h"
#include "proc/vmstat.h"
#include "xalloc.h"

enum { OPT_BY = 1, OPT_AREAS };

/* What to do when vmallocinfo cannot be read: it is root's only (doc/procfs.md section 13). */
#define HINT_ROOT                                                                    \
	"only root can read it: the kernel creates it mode 0400; run as root, e.g. " \
	"'sudo memlens vmalloc'"
#define TEXT_LIMIT_DEFAULT 20

struct vm_cmd {
	struct ml_snapshot snap;
	struct ml_sysinfo si;
	/* Of the last refresh, borrowed from snap. */
	struct ml_vmalloc *v;
	const struct ml_meminfo *before, *after; /* read right before and after vmallocinfo */
	bool have_before, have_after;
	const char *mi_missing;        /* why meminfo could not be read */
	const struct ml_page_size *ps; /* ps->bytes 0 = unknown */
	enum ml_vm_by by;
	enum ml_vm_sort sort;
	bool reverse;
	struct ml_vm_check check;
	const struct ml_vm_group **rows;
	size_t rows_cap;
};

#define SZ(v) text_sz(&o->units, (v))

/* Read meminfo; the model it read into, or NULL when it cannot be read. */
static const struct ml_meminfo *
read_meminfo(struct vm_cmd *m)
{
	if (ml_snapshot_refresh(&m->snap, ML_SNAP(ML_SNAP_MEMINFO)) != 0) {
		m->mi_missing = m->snap.src[ML_SNAP_MEMINFO].cause;
		return NULL;
	}
	return ml_snapshot_meminfo(&m->snap);
}

/* Room in m->rows for every group of every table (grows only with new names). */
static void
ensure_rows(struct vm_cmd *m)
{
	size_t want = 1;
	int by;

	for (by = 0; by < ML_VM_BY__COUNT; by++)
		if (m->v->tab[by].n > want)
			want = m->v->tab[by].n;
	if (want > m->rows_cap) {
		m->rows = ml_xreallocarray(m->rows, want, sizeof *m->rows);
		m->rows_cap = want;
	}
}

/* Rows of one grouping in the chosen order; returns how many (all when limit is 0). */
static size_t
sorted_rows(struct vm_cmd *m, enum ml_vm_by by, long limit)
{
	size_t want = m->v->tab[by].n;

	ensure_rows(m);
	if (limit > 0 && (size_t)limit < want)
		want = (size_t)limit;
	return ml_vmalloc_sorted(m->v, by, m->sort, m->reverse, m->rows, want);
}

/*
 * The rows the text tables list: the areas in use, without the unpurged ones
 * (freed address space, not memory: the header states them once, and no
 * table or total counts them). Returns how many; *groups is how many there
 * are in all.
 */
static size_t
listed_rows(struct vm_cmd *m, enum ml_vm_by by, long limit, uint32_t *groups)
{
	size_t n = sorted_rows(m, by, 0), i, k = 0;

	*groups = 0;
	for (i = 0; i < n; i++) {
		if (m->rows[i]->unpurged)
			continue;
		(*groups)++;
		if (limit <= 0 || k < (size_t)limit)
			m->rows[k++] = m->rows[i];
	}
	return k;
}

/* "vmalloc", or two types joined, or "mixed". */
static const char *
type_label(char *buf, size_t cap, uint32_t mask)
{
	int t, n = 0;
	size_t len = 0;

	buf[0] = '\0';
	for (t = 0; t < ML_VMT__COUNT; t++) {
		if (!(mask & (1u << t)))
			continue;
		if (++n > 2)
			return "mixed";
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", n > 1 ? "," : "",
					ml_vm_type_name((enum ml_vm_type)t));
		if (len >= cap)
			return "mixed";
	}
	return buf;
}

/* A group's display name: callers carry their module as %pS prints it. */
static const char *
group_label(char *buf, size_t cap, enum ml_vm_by by, const struct ml_vm_group *g)
{
	if (by != ML_VM_BY_CALLER || g->module == NULL || strcmp(g->module, "kernel") == 0 ||
	    g->module[0] == '(')
		return g->name;
	snprintf(buf, cap, "%s [%s]", g->name, g->module);
	return buf;
}

static const char *
bytes_or_na(const struct text_out *o, const struct vm_cmd *m, uint64_t pages)
{
	uint64_t b;

	return ml_vmalloc_bytes(m->v, pages, &b) ? SZ(b) : "n/a";
}

static void
print_check(const struct text_out *o, const struct vm_cmd *m)
{
	const struct ml_vm_check *c = &m->check;
	const struct ml_vm_totals *t = ml_vmalloc_totals(m->v);
	char buf[32];

	text_printf(o, TS_HEADER, "%-12s", "VmallocUsed");
	switch (c->state) {
	case ML_VM_CHECK_EQUAL:
		if (c->basis == ML_VM_BASIS_VA_SIZE)
			fprintf(o->f,
				"%s = the areas' address ranges (before 4.4 VmallocUsed "
				"measures those): ",
				SZ(c->vmalloc_used));
		else
			fprintf(o->f,
				"%s = %llu vmalloc'd pages x %llu bytes: ", SZ(c->vmalloc_used),
				(unsigned long long)t->vmalloc_pages,
				(unsigned long long)m->ps->bytes);
		text_printf(o, TS_GOOD, "equal\n");
		break;
	case ML_VM_CHECK_DIFFERS:
		/* in the kernel's own unit: a difference of a few pages must show */
		fprintf(o->f, "%llu kB, vmallocinfo %llu kB (%s): ",
			(unsigned long long)(c->vmalloc_used / 1024),
			(unsigned long long)(c->computed / 1024),
			c->basis == ML_VM_BASIS_VA_SIZE ? "address ranges" : "pages x page size");
		text_printf(o, TS_WARN, "differs by %s\n",
			    text_ssize(buf, sizeof buf, c->difference, &o->units));
		fprintf(o->f, "%12s", "");
		switch (c->why) {
		case ML_VM_WHY_MOVED:
			fprintf(o->f,
				"VmallocUsed moved from %s to %s while vmallocinfo was read:\n"
				"%12svmalloc activity during the read (the files are not read "
				"atomically)\n",
				SZ(c->vmalloc_used_before), SZ(c->vmalloc_used), "");
			break;
		case ML_VM_WHY_IN_PROGRESS:
			fprintf(o->f,
				"fewer pages listed than counted: areas still being set up "
				"(VM_UNINITIALIZED)\n"
				"%12sare not listed, or areas came between the reads of the "
				"two files (not atomic)\n",
				"");
			break;
		case ML_VM_WHY_FREED:
			fprintf(o->f,
				"more pages listed than counted: areas were freed between "
				"the reads of the\n"
				"%12stwo files (meminfo and vmallocinfo are not read "
				"atomically)\n",
				"");
			break;
		case ML_VM_WHY_VA_RANGE:
			fprintf(o->f,
				"before 4.4 VmallocUsed sums the address ranges inside "
				"VMALLOC_START..END,\n"
				"%12sincluding vm_map_ram and lazily freed areas this "
				"vmallocinfo does not list\n",
				"");
			break;
		default:
			fputc('\n', o->f);
			break;
		}
		break;
	case ML_VM_CHECK_NOT_REPORTED:
		fprintf(o->f,
			"printed as 0: kernels 4.4 to 5.2 do not measure it; vmallocinfo "
			"says %s\n",
			bytes_or_na(o, m, t->vmalloc_pages));
		break;
	case ML_VM_CHECK_UNKNOWN:
		if (c->why == ML_VM_WHY_PAGE_SIZE)
			fprintf(o->f, "%s; cannot compare: the page size of %s is unknown\n",
				SZ(c->vmalloc_used), m->si.proc_root);
		else if (m->mi_missing != NULL)
			fprintf(o->f, "n/a (%s)\n", m->mi_missing);
		else
			fprintf(o->f, "n/a (no VmallocUsed line in meminfo)\n");
		break;
	}
}

static void
print_overview(const struct ml_ctx *ctx, struct vm_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_vmalloc *v = m->v;
	const struct ml_vm_totals *t = ml_vmalloc_totals(v);
	const struct ml_vm_group *stack_rows[8];
	uint64_t stack_bytes, ks;
	size_t i, n, shown = 0, len = 0;
	char *line = NULL, nb[4][48];
	unsigned int nbi = 0;
	FILE *f;

/* A size whose blank never breaks, from one of four buffers. */
#define NB(str) text_nobreak(nb[nbi++ % 4], sizeof nb[0], (str))

	/* The header lines wrap to the width, a size never split ("4.00 KiB"). */
	f = open_memstream(&line, &len);
	fprintf(f, "%s in %llu pages", NB(bytes_or_na(o, m, t->pages)),
		(unsigned long long)t->pages);
	if (m->ps->bytes % 1024 == 0 && m->ps->bytes != 0)
		fprintf(f, " of %llu%cKiB", (unsigned long long)(m->ps->bytes / 1024), TEXT_NBSP);
	else if (m->ps->bytes != 0)
		fprintf(f, " of %llu bytes", (unsigned long long)m->ps->bytes);
	else
		fprintf(f, " (page size unknown)");
	/* The areas and address space the tables' total rows count. */
	fprintf(f, ", %llu areas spanning %s",
		(unsigned long long)(t->lines[ML_VMK_AREA] + t->lines[ML_VMK_VM_MAP_RAM]),
		NB(SZ(t->va_size[ML_VMK_AREA] + t->va_size[ML_VMK_VM_MAP_RAM])));
	fclose(f);
	text_paragraph_after(o, TS_HEADER, "vmalloc     ", TS_NONE, "            ", line);
	free(line);
	if (t->lines[ML_VMK_UNPURGED] > 0) {
		line = ml_xasprintf("and %llu unpurged areas spanning %s: freed, awaiting a TLB "
				    "flush (not memory, not in the tables)",
				    (unsigned long long)t->lines[ML_VMK_UNPURGED],
				    NB(SZ(t->va_size[ML_VMK_UNPURGED])));
		text_paragraph(o, TS_NONE, "            ", "            ", line);
		free(line);
	}
	print_check(o, m);

	if (ml_vmalloc_stack_areas(v) == 0) {
		text_paragraph_after(
			o, TS_HEADER, "Stacks      ", TS_NONE, "            ",
			"none in vmalloc (no CONFIG_VMAP_STACK, or a kernel before 4.9)");
	} else {
		f = open_memstream(&line, &len);
		fprintf(f, "%s in %llu thread stacks (",
			NB(ml_vmalloc_stack_bytes(v, &stack_bytes) ? SZ(stack_bytes) : "n/a"),
			(unsigned long long)ml_vmalloc_stack_areas(v));
		n = ml_vmalloc_top_callers(v, m->rows, m->rows_cap);
		for (i = 0; i < n && shown < ML_ARRAY_SIZE(stack_rows); i++)
			if (m->rows[i]->is_stack)
				stack_rows[shown++] = m->rows[i];
		for (i = 0; i < shown; i++)
			fprintf(f, "%s%s", i ? ", " : "", stack_rows[i]->name);
		fprintf(f, ")");
		if (m->have_after && ml_meminfo_has(m->after, ML_MI_KERNEL_STACK)) {
			ks = m->after->val[ML_MI_KERNEL_STACK];
			fprintf(f, "; KernelStack%c%s", TEXT_NBSP, NB(SZ(ks)));
		}
		fclose(f);
		text_paragraph_after(o, TS_HEADER, "Stacks      ", TS_NONE, "            ", line);
		free(line);
	}
	if (ml_vmalloc_nnodes(v) > 1) {
		uint32_t node;

		text_printf(o, TS_HEADER, "%-12s", "Nodes");
		for (node = 0; node < ml_vmalloc_nnodes(v); node++)
			fprintf(o->f, "%snode %u %s", node ? ", " : "", node,
				bytes_or_na(o, m, ml_vmalloc_node_pages(v, node)));
		fputc('\n', o->f);
	}
#undef NB
}

/* A "change" cell: pages gained or lost, in bytes when the page size is known. */
static void
growth_cell(struct text_table *tab, const struct text_out *o, const struct ml_vmalloc *v,
	    int64_t gp)
{
	uint64_t gb;
	char sb[32];

	if (gp == 0)
		text_table_cell(tab, "0");
	else if (ml_vmalloc_bytes(v, (uint64_t)(gp < 0 ? -gp : gp), &gb))
		text_table_cell_styled(
			tab, gp > 0 ? TS_WARN : TS_GOOD, "%s%s", gp > 0 ? "+" : "",
			text_ssize(sb, sizeof sb, gp < 0 ? -(int64_t)gb : (int64_t)gb, &o->units));
	else
		text_table_cell(tab, "%+lld pages", (long long)gp);
}

static void
print_groups(const struct ml_ctx *ctx, struct vm_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_vmalloc *v = m->v;
	const struct ml_vm_totals *t = ml_vmalloc_totals(v);
	bool growth = ml_vmalloc_has_prev(v);
	long limit = ctx->limit < 0 ? TEXT_LIMIT_DEFAULT : ctx->limit;
	unsigned int ncols = m->by == ML_VM_BY_CALLER ? 7 : 6, c = 0;
	struct text_table *tab;
	uint32_t total_groups;
	size_t n, i;
	char lb[160], tb[48];

	n = listed_rows(m, m->by, limit, &total_groups);
	text_printf(o, TS_HEADER, "\nBy %s", ml_vm_by_name(m->by));
	text_printf(o, TS_DIM, " (%zu of %u, by %s%s)\n", n, total_groups, ml_vm_sort_name(m->sort),
		    m->reverse ? ", reversed" : "");
	if (growth)
		ncols++;
	tab = text_table_new(ncols);
	text_table_col(tab, c++, ml_vm_by_name(m->by), TA_LEFT);
	if (m->by == ML_VM_BY_CALLER)
		text_table_col(tab, c++, "type", TA_LEFT);
	text_table_col(tab, c++, "areas", TA_RIGHT);
	text_table_col(tab, c++, "pages", TA_RIGHT);
	text_table_col(tab, c++, "memory", TA_RIGHT);
	text_table_col(tab, c++, "VA size", TA_RIGHT);
	text_table_col(tab, c++, "share", TA_RIGHT);
	if (growth)
		text_table_col(tab, c, "change", TA_RIGHT);
	for (i = 0; i < n; i++) {
		const struct ml_vm_group *g = m->rows[i];

		text_table_row(tab, g->areas == 0 ? TS_DIM : TS_NONE);
		text_table_cell(tab, "%s", group_label(lb, sizeof lb, m->by, g));
		if (m->by == ML_VM_BY_CALLER)
			text_table_cell(tab, "%s", type_label(tb, sizeof tb, g->type_mask));
		text_table_cell(tab, "%llu", (unsigned long long)g->areas);
		text_table_cell(tab, "%llu", (unsigned long long)g->pages);
		text_table_cell(tab, "%s", bytes_or_na(o, m, g->pages));
		text_table_cell(tab, "%s", SZ(g->va_size));
		text_table_cell(tab, "%.1f%%",
				t->pages ? 100.0 * (double)g->pages / (double)t->pages : 0.0);
		if (growth)
			growth_cell(tab, o, v, ml_vm_group_growth_pages(g));
	}
	text_table_row(tab, TS_BOLD);
	text_table_cell(tab, "total");
	if (m->by == ML_VM_BY_CALLER)
		text_table_cell(tab, "%s", "");
	text_table_cell(tab, "%llu",
			(unsigned long long)(t->lines[ML_VMK_AREA] + t->lines[ML_VMK_VM_MAP_RAM]));
	text_table_cell(tab, "%llu", (unsigned long long)t->pages);
	text_table_cell(tab, "%s", bytes_or_na(o, m, t->pages));
	text_table_cell(tab, "%s", SZ(t->va_size[ML_VMK_AREA] + t->va_size[ML_VMK_VM_MAP_RAM]));
	text_table_cell(tab, "100.0%%");
	if (growth)
		growth_cell(tab, o, v, ml_vmalloc_growth_pages(v));
	text_table_print(tab, o, 2);
	text_table_free(tab);
	if (n < total_groups)
		text_printf(o, TS_DIM, "  ... %u more (--limit 0 shows all)\n",
			    total_groups - (unsigned int)n);
}

static void
print_largest(const struct ml_ctx *ctx, const struct vm_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_vm_top *top;
	bool real = ml_vmallocinfo_addr_kind(&m->v->info) == ML_VMA_REAL, phys = false;
	unsigned int n, i, c = 0;
	struct text_table *tab;

	top = ml_vmalloc_largest(m->v, &n);
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		phys |= top[i].has_phys;
	text_printf(o, TS_HEADER, "\nLargest areas");
	text_printf(o, TS_DIM, " (by memory, then address space)\n");
	tab = text_table_new(5 + (phys ? 1 : 0) + (real ? 1 : 0));
	text_table_col(tab, c++, "caller", TA_LEFT);
	text_table_col(tab, c++, "type", TA_LEFT);
	text_table_col(tab, c++, "pages", TA_RIGHT);
	text_table_col(tab, c++, "memory", TA_RIGHT);
	text_table_col(tab, c++, "VA size", TA_RIGHT);
	if (phys)
		text_table_col(tab, c++, "phys", TA_LEFT);
	if (real)
		text_table_col(tab, c++, "address", TA_LEFT);
	for (i = 0; i < n; i++) {
		const struct ml_vm_top *a = &top[i];

		text_table_row(tab, TS_NONE);
		if (a->caller[0] == '\0')
			text_table_cell(tab, "%s",
					a->kind == ML_VMK_VM_MAP_RAM ? "(vm_map_ram)"
								     : "(no caller)");
		else if (a->module[0] != '\0')
			text_table_cell(tab, "%s [%s]", a->caller, a->module);
		else
			text_table_cell(tab, "%s", a->caller);
		text_table_cell(tab, "%s", a->type_name);
		text_table_cell(tab, "%llu", (unsigned long long)a->pages);
		text_table_cell(tab, "%s", bytes_or_na(o, m, a->pages));
		text_table_cell(tab, "%s", SZ(a->size));
		if (phys) {
			if (a->has_phys)
				text_table_cell(tab, "0x%llx", (unsigned long long)a->phys);
			else
				text_table_cell(tab, "-");
		}
		if (real)
			text_table_cell(tab, "0x%016llx", (unsigned long long)a->start);
	}
	text_table_print(tab, o, 2);
	text_table_free(tab);
}

static void
print_notes(const struct ml_ctx *ctx, const struct vm_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_vm_totals *t = ml_vmalloc_totals(m->v);
	const struct ml_vm_group *words[4];
	size_t nw, i;
	bool any = false;

#define NOTE(...) cmd_note(o, &any, __VA_ARGS__)

	switch (ml_vmallocinfo_addr_kind(&m->v->info)) {
	case ML_VMA_HASHED:
		NOTE("addresses are hashed (%%pK, kptr_restrict=0): sizes come from the size "
		     "column and pages=, never from addresses");
		break;
	case ML_VMA_ZERO:
		NOTE("addresses are printed as zeros (kptr_restrict=2, or 1 without CAP_SYSLOG)");
		break;
	case ML_VMA_REAL:
		if (t->descents > 0)
			NOTE("the lines are not sorted by address (%llu descents): 6.9+ prints "
			     "one list per vmap node, then the lazily freed areas",
			     (unsigned long long)t->descents);
		break;
	case ML_VMA_NONE:
		NOTE("vmallocinfo is empty");
		break;
	}
	if (t->lines[ML_VMK_VM_MAP_RAM] > 0)
		NOTE("vm_map_ram areas map pages allocated elsewhere; vmallocinfo shows no pages "
		     "for them");
	if (m->check.other_pages > 0)
		NOTE("%llu pages belong to areas not flagged vmalloc (vmap with "
		     "VM_MAP_PUT_PAGES): counted here, not in VmallocUsed",
		     (unsigned long long)m->check.other_pages);
	if (t->phys_no_0x > 0)
		NOTE("phys= is printed without 0x: the format of kernels before 4.11");
	nw = ml_vmalloc_unknown_words(m->v, words, ML_ARRAY_SIZE(words));
	if (nw > 0) {
		char *list = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&list, &len);

		for (i = 0; i < nw; i++)
			fprintf(f, "%s %s (%llu areas)", i ? "," : "", words[i]->name,
				(unsigned long long)words[i]->areas);
		fclose(f);
		NOTE("flag words memlens does not know (kept as types):%s", list);
		free(list);
	}
#undef NOTE
}

static void
vm_text(struct ml_ctx *ctx, struct vm_cmd *m)
{
	const struct text_out *o = &ctx->text;

	cmd_text_header(ctx, &m->si, "memlens vmalloc");
	fputc('\n', o->f);
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	ensure_rows(m);
	print_overview(ctx, m);
	print_groups(ctx, m);
	print_largest(ctx, m);
	print_notes(ctx, m);
}

static void
json_pages_bytes(struct json_node *o, const struct vm_cmd *m, const char *pages_key,
		 const char *bytes_key, uint64_t pages)
{
	uint64_t b;

	if (pages_key != NULL)
		json_add_u64(o, pages_key, pages);
	if (ml_vmalloc_bytes(m->v, pages, &b))
		json_add_u64(o, bytes_key, b);
	else
		json_add_null(o, bytes_key);
}

static void
json_groups(struct json_node *parent, const char *key, struct vm_cmd *m, enum ml_vm_by by,
	    long limit)
{
	struct json_node *arr = json_add_array(parent, key), *row, *types;
	bool growth = ml_vmalloc_has_prev(m->v);
	size_t n = sorted_rows(m, by, limit), i;
	int t;

	for (i = 0; i < n; i++) {
		const struct ml_vm_group *g = m->rows[i];
		uint64_t b;

		row = json_array_add_object(arr);
		json_add_string(row, "name", g->name);
		if (by == ML_VM_BY_CALLER) {
			json_add_string(row, "module", g->module);
			json_add_bool(row, "thread_stacks", g->is_stack);
			types = json_add_array(row, "types");
			for (t = 0; t < ML_VMT__COUNT; t++)
				if (g->type_mask & (1u << t))
					json_array_add_string(types,
							      ml_vm_type_name((enum ml_vm_type)t));
		}
		json_add_u64(row, "areas", g->areas);
		json_pages_bytes(row, m, "pages", "bytes", g->pages);
		json_add_u64(row, "va_size", g->va_size);
		json_add_bool(row, "unpurged", g->unpurged);
		if (growth) {
			int64_t gp = ml_vm_group_growth_pages(g);
			struct json_node *gr = json_add_object(row, "growth");

			json_add_i64(gr, "areas", ml_vm_group_growth_areas(g));
			json_add_i64(gr, "pages", gp);
			if (ml_vmalloc_bytes(m->v, (uint64_t)(gp < 0 ? -gp : gp), &b))
				json_add_i64(gr, "bytes", gp < 0 ? -(int64_t)b : (int64_t)b);
			else
				json_add_null(gr, "bytes");
		} else {
			json_add_null(row, "growth");
		}
	}
}

static int
vm_json(struct ml_ctx *ctx, struct vm_cmd *m)
{
	const struct ml_vmalloc *v = m->v;
	const struct ml_vm_totals *t = ml_vmalloc_totals(v);
	const struct ml_vm_check *c = &m->check;
	const struct ml_vm_top *top;
	const struct ml_vm_group *words[64];
	struct json_node *doc = json_doc_new("vmalloc", &m->si), *o, *x, *arr, *row, *fl;
	static const char *const addr_names[] = { "none", "zero", "hashed", "real" };
	unsigned int n, i;
	size_t nw;
	uint32_t node;
	int f;
	char hex[24];

	o = json_add_object(doc, "vmalloc");
	if (m->ps->bytes != 0)
		json_add_u64(o, "page_size", m->ps->bytes);
	else
		json_add_null(o, "page_size");
	json_add_string(o, "page_size_source", ml_page_size_source_name(m->ps));
	json_add_string(o, "addresses", addr_names[ml_vmallocinfo_addr_kind(&v->info)]);
	if (ml_vmallocinfo_addr_kind(&v->info) == ML_VMA_REAL)
		json_add_bool(o, "sorted", t->descents == 0);
	else
		json_add_null(o, "sorted");

	x = json_add_object(o, "totals");
	json_add_u64(x, "areas", t->lines[ML_VMK_AREA]);
	json_pages_bytes(x, m, "pages", "bytes", t->pages);
	json_add_u64(x, "va_size", t->va_size[ML_VMK_AREA]);
	json_pages_bytes(x, m, "vmalloc_pages", "vmalloc_bytes", t->vmalloc_pages);
	row = json_add_object(x, "vm_map_ram");
	json_add_u64(row, "areas", t->lines[ML_VMK_VM_MAP_RAM]);
	json_add_u64(row, "va_size", t->va_size[ML_VMK_VM_MAP_RAM]);
	row = json_add_object(x, "unpurged");
	json_add_u64(row, "areas", t->lines[ML_VMK_UNPURGED]);
	json_add_u64(row, "va_size", t->va_size[ML_VMK_UNPURGED]);
	row = json_add_object(x, "flags");
	for (f = 0; f < ML_VMF__COUNT; f++)
		json_add_u64(row, ml_vm_flag_name((enum ml_vm_flag)f), t->flag_areas[f]);

	x = json_add_object(o, "thread_stacks");
	json_add_u64(x, "areas", ml_vmalloc_stack_areas(v));
	json_pages_bytes(x, m, "pages", "bytes", ml_vmalloc_stack_pages(v));
	if (m->have_after && ml_meminfo_has(m->after, ML_MI_KERNEL_STACK))
		json_add_u64(x, "KernelStack", m->after->val[ML_MI_KERNEL_STACK]);
	else
		json_add_null(x, "KernelStack");

	arr = json_add_array(o, "nodes");
	for (node = 0; node < ml_vmalloc_nnodes(v); node++) {
		row = json_array_add_object(arr);
		json_add_u64(row, "node", node);
		json_pages_bytes(row, m, "pages", "bytes", ml_vmalloc_node_pages(v, node));
	}

	x = json_add_object(o, "check");
	json_add_string(x, "state", ml_vm_check_state_name(c->state));
	json_add_string(x, "basis", c->basis == ML_VM_BASIS_VA_SIZE ? "va_size" : "pages");
	if (c->has_used)
		json_add_u64(x, "VmallocUsed", c->vmalloc_used);
	else
		json_add_null(x, "VmallocUsed");
	if (c->has_used_before)
		json_add_u64(x, "VmallocUsed_before", c->vmalloc_used_before);
	else
		json_add_null(x, "VmallocUsed_before");
	if (c->has_computed)
		json_add_u64(x, "computed", c->computed);
	else
		json_add_null(x, "computed");
	if (c->state == ML_VM_CHECK_EQUAL || c->state == ML_VM_CHECK_DIFFERS)
		json_add_i64(x, "difference", c->difference);
	else
		json_add_null(x, "difference");
	json_add_string(x, "why", ml_vm_check_why_name(c->why));
	json_add_u64(x, "other_pages", c->other_pages);

	json_add_string(o, "sort", ml_vm_sort_name(m->sort));
	json_add_bool(o, "reverse", m->reverse);
	json_groups(o, "callers", m, ML_VM_BY_CALLER, ctx->limit < 0 ? 0 : ctx->limit);
	json_groups(o, "modules", m, ML_VM_BY_MODULE, ctx->limit < 0 ? 0 : ctx->limit);
	json_groups(o, "types", m, ML_VM_BY_TYPE, ctx->limit < 0 ? 0 : ctx->limit);

	arr = json_add_array(o, "largest_areas");
	top = ml_vmalloc_largest(v, &n);
	for (i = 0; i < n; i++) {
		const struct ml_vm_top *a = &top[i];

		row = json_array_add_object(arr);
		json_add_string(row, "caller", a->caller[0] ? a->caller : NULL);
		json_add_string(row, "module", a->module[0] ? a->module : NULL);
		json_add_string(row, "type", a->type_name);
		fl = json_add_array(row, "flags");
		for (f = 0; f < ML_VMF__COUNT; f++)
			if (a->flags & (1u << f))
				json_array_add_string(fl, ml_vm_flag_name((enum ml_vm_flag)f));
		if (a->has_pages)
			json_pages_bytes(row, m, "pages", "bytes", a->pages);
		else {
			json_add_null(row, "pages");
			json_add_null(row, "bytes");
		}
		json_add_u64(row, "va_size", a->size);
		if (a->has_phys)
			json_add_u64(row, "phys", a->phys);
		else
			json_add_null(row, "phys");
		snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)a->start);
		json_add_string(row, "start", hex);
		snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)a->end);
		json_add_string(row, "end", hex);
		json_add_u64(row, "line", a->ordinal);
	}

	arr = json_add_array(o, "unknown_flags");
	nw = ml_vmalloc_unknown_words(v, words, ML_ARRAY_SIZE(words));
	for (i = 0; i < nw; i++) {
		row = json_array_add_object(arr);
		json_add_string(row, "word", words[i]->name);
		json_add_u64(row, "areas", words[i]->areas);
	}

	arr = json_add_array(doc, "parse_errors");
	cmd_snap_json_bad_lines(arr, ctx, &m->snap, ML_SNAP_VMALLOCINFO);
	if (m->have_after)
		cmd_snap_json_bad_lines(arr, ctx, &m->snap, ML_SNAP_MEMINFO);
	arr = json_add_array(doc, "unavailable");
	if (m->mi_missing != NULL) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "meminfo");
		json_add_string(row, "why", m->mi_missing);
	}
	return cmd_json_emit(ctx, doc);
}

/* One report: meminfo, vmallocinfo, meminfo again, then derive and print. */
static int
vm_once(struct ml_ctx *ctx, struct vm_cmd *m)
{
	m->before = read_meminfo(m);
	m->have_before = m->before != NULL;
	if (ml_snapshot_refresh(&m->snap, ML_SNAP(ML_SNAP_VMALLOCINFO)) != 0)
		return cmd_snap_error(ctx, &m->snap, ML_SNAP_VMALLOCINFO, HINT_ROOT);
	/* The next read of meminfo goes to the other buffer: before stays. */
	m->after = read_meminfo(m);
	m->have_after = m->after != NULL;
	m->v = &m->snap.vm;
	m->ps = ml_snapshot_page_size(&m->snap);
	ml_sysinfo_read(&m->si, &ctx->fs);
	ml_vmalloc_check(m->v, m->before, m->after, &m->check);
	cmd_snap_warn_bad_lines(ctx, &m->snap, ML_SNAP_VMALLOCINFO);
	if (m->have_after)
		cmd_snap_warn_bad_lines(ctx, &m->snap, ML_SNAP_MEMINFO);
	if (ctx->json != ML_JSON_OFF)
		return vm_json(ctx, m);
	vm_text(ctx, m);
	return 0;
}

static const struct ml_cmd_option vm_options[] = {
	{ "by", 0, "WHAT", "group areas by caller (default), module or type", OPT_BY },
	{ "areas", 0, "N", "show the N largest areas (default 10, at most 64; 0 = none)",
	  OPT_AREAS },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct ml_cmd_entry cmd_vmalloc_entry;

static int
cmd_vmalloc_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	const struct ml_cmd_entry *e = &cmd_vmalloc_entry;
	struct vm_cmd *m;
	unsigned int areas = ML_VM_TOP_DEFAULT;
	int i, rc = 0, by = ML_VM_BY_CALLER;

	for (i = 0; i < args->nopts; i++) {
		const char *arg = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_BY:
			if ((by = ml_vm_by_lookup(arg)) < 0)
				return cmd_usage_error(
					e, "invalid --by '%s' (use caller, module or type)", arg);
			break;
		case OPT_AREAS: {
			char *end;
			long n;

			errno = 0;
			n = strtol(arg, &end, 10);
			if (errno != 0 || end == arg || *end != '\0' || n < 0 || n > ML_VM_TOP_MAX)
				return cmd_usage_error(e, "invalid --areas '%s' (give 0 to %d)",
						       arg, ML_VM_TOP_MAX);
			areas = (unsigned int)n;
			break;
		}
		}
	}

	m = ml_xcalloc(1, sizeof *m);
	m->by = (enum ml_vm_by)by;
	m->sort = (enum ml_vm_sort)ml_vm_sort_lookup(cmd_sort_key(ctx, e));
	m->reverse = ctx->sort_reverse;
	ml_snapshot_init(&m->snap, &ctx->fs, &ctx->sysfs, NULL);
	ml_vmalloc_set_top(&m->snap.vm, areas);
	while (cmd_next_report(ctx)) {
		if ((rc = vm_once(ctx, m)) != 0)
			break;
	}
	ml_snapshot_release(&m->snap);
	free(m->rows);
	free(m);
	return rc;
}

const struct ml_cmd_entry cmd_vmalloc_entry = {
	.name = "vmalloc",
	.summary = "vmalloc areas by caller, module or type, and the largest",
	.help = "Reads /proc/vmallocinfo (root only) and groups its areas by the function that\n"
		"allocated them (offset stripped), by module, or by type (vmalloc, vmap,\n"
		"ioremap, user, sparse, dma-coherent, vm_map_ram). Memory is pages= x page\n"
		"size; \"VA size\" is the address space, guard pages included. Unpurged areas\n"
		"are freed address space, not memory: the header states them, no table or\n"
		"total counts them (JSON: groups flagged \"unpurged\"). The total is checked\n"
		"against meminfo's VmallocUsed, read just before and after vmallocinfo.\n"
		"Text lists 20 groups unless --limit says otherwise; JSON lists all three\n"
		"groupings in full. With -i/-n, \"change\" is the growth since the last report.",
	.max_args = 0,
	.options = vm_options,
	.sort_keys = ml_vm_sort_keys,
	.flags = ML_CMD_SORT | ML_CMD_REPEAT,
	.exec = cmd_vmalloc_exec,
};
