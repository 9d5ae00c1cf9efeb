/*
 * memlens numa: each NUMA node's memory. Per node, from sysfs
 * (devices/system/node/nodeN/): the accounting of the node's MemTotal from
 * its meminfo, an estimate of what is available on it (the kernel computes
 * MemAvailable for the whole machine only: the formula is stated), the
 * numastat allocation counters (rates under -i), and the hugetlb pool of
 * every page size. A single-node machine shows its one node.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd-sysfs.h"
#include "cmd/cmd.h"
#include "model/counters.h"
#include "model/huge.h"
#include "model/numa.h"
#include "model/snapshot.h"
#include "proc/hugepages.h"
#include "proc/meminfo.h"
#include "proc/nodeinfo.h"
#include "xalloc.h"

/* One node: its two files, their parses, the model. */
struct numa_node_src {
	int id;
	char mi_rel[64], ns_rel[64];
	struct ml_reader mi_reader, ns_reader;
	bool mi_ok, ns_ok; /* the last read worked */
	char *mi_why, *ns_why;
	struct ml_node_meminfo nm;
	struct ml_numastat ns;
	struct ml_counter_set counters; /* numastat, for the rates */
	struct ml_numa_node model;
	bool model_ok;
};

struct numa_cmd {
	struct cmd_sysfs sys;
	int *ids;
	size_t n;
	struct numa_node_src *node;
	struct ml_sysinfo si;
	/* /proc/meminfo (Hugepagesize, the machine's MemTotal) and zoneinfo's watermarks */
	struct ml_snapshot snap;
	const struct ml_meminfo *mi; /* NULL when not read */
	bool zs_ok;
	struct ml_hugetlb hugetlb;
	struct timespec prev;
	bool have_prev;
	double seconds; /* since the previous report; 0 for the first */
	int status;     /* 1 when a node could not be read */
};

#define SZ(v) text_sz(&o->units, (v))

static const struct ml_snap_options snap_opt = { .hints = { .denied = "run as root" } };

/* Why zoneinfo (the available estimate's watermarks) was not read. */
static const char *
zoneinfo_why(const struct numa_cmd *m)
{
	const char *why = ml_snapshot_why(&m->snap, ML_SNAP_ZONEINFO);

	return why != NULL ? why : "zoneinfo was not read";
}

static void
set_why(char **dst, char *cause, int err)
{
	free(*dst);
	if ((err == EACCES || err == EPERM) && cause != NULL)
		*dst = ml_xasprintf("%s (run as root)", cause);
	else
		*dst = cause != NULL ? ml_xstrdup(cause) : ml_xstrdup(strerror(err));
	free(cause);
}

static void
node_release(struct numa_node_src *s)
{
	ml_reader_release(&s->mi_reader);
	ml_reader_release(&s->ns_reader);
	ml_node_meminfo_release(&s->nm);
	ml_numastat_release(&s->ns);
	ml_counter_set_release(&s->counters);
	free(s->mi_why);
	free(s->ns_why);
}

/* Open every node's files; a node that cannot be read says why. */
static void
nodes_open(struct numa_cmd *m)
{
	char *cause = NULL;
	size_t i;

	m->node = ml_xcalloc(m->n ? m->n : 1, sizeof *m->node);
	for (i = 0; i < m->n; i++) {
		struct numa_node_src *s = &m->node[i];

		s->id = m->ids[i];
		s->mi_reader.fd = s->ns_reader.fd = -1;
		ml_node_meminfo_init(&s->nm);
		ml_numastat_init(&s->ns);
		ml_counter_set_init(&s->counters);
		snprintf(s->mi_rel, sizeof s->mi_rel, ML_NODE_DIR "/node%d/meminfo", s->id);
		snprintf(s->ns_rel, sizeof s->ns_rel, ML_NODE_DIR "/node%d/numastat", s->id);
		if (ml_reader_open(&s->mi_reader, &m->sys.fs, &ml_src_node_meminfo, s->mi_rel,
				   &cause) != 0)
			set_why(&s->mi_why, cause, errno);
		cause = NULL;
		if (ml_reader_open(&s->ns_reader, &m->sys.fs, &ml_src_numastat, s->ns_rel,
				   &cause) != 0)
			set_why(&s->ns_why, cause, errno);
		cause = NULL;
	}
}

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Read everything for one report; problems are kept per node, not printed. */
static void
numa_refresh(struct ml_ctx *ctx, struct numa_cmd *m)
{
	struct ml_numa_inputs in;
	struct timespec now;
	char *cause = NULL;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	m->seconds = m->have_prev ? elapsed(&m->prev, &now) : 0;
	m->prev = now;
	m->have_prev = true;
	m->status = 0;
	ml_sysinfo_read(&m->si, &ctx->fs);
	ml_snapshot_refresh(&m->snap, ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_ZONEINFO));
	m->mi = ml_snapshot_has(&m->snap, ML_SNAP_MEMINFO) ? ml_snapshot_meminfo(&m->snap) : NULL;
	m->zs_ok = ml_snapshot_has(&m->snap, ML_SNAP_ZONEINFO);
	ml_hugetlb_read(&m->hugetlb, &m->sys.fs, m->ids, m->n);

	memset(&in, 0, sizeof in);
	in.wm = m->zs_ok ? ml_snapshot_watermarks(&m->snap) : NULL;
	if (m->mi != NULL && ml_meminfo_has(m->mi, ML_MI_HUGEPAGESIZE)) {
		in.default_huge_size.known = true;
		in.default_huge_size.v = m->mi->val[ML_MI_HUGEPAGESIZE];
	}
	for (i = 0; i < m->n; i++) {
		struct numa_node_src *s = &m->node[i];

		s->mi_ok = s->ns_ok = s->model_ok = false;
		if (ml_reader_is_open(&s->mi_reader)) {
			if (ml_reader_refresh(&s->mi_reader, &s->nm, &cause) == 0)
				s->mi_ok = true;
			else
				set_why(&s->mi_why, cause, errno);
			cause = NULL;
		}
		if (ml_reader_is_open(&s->ns_reader)) {
			if (ml_reader_refresh(&s->ns_reader, &s->ns, &cause) == 0)
				s->ns_ok = ml_counter_set_take(&s->counters, &s->ns.all, NULL,
							       m->seconds) == 0;
			else
				set_why(&s->ns_why, cause, errno);
			cause = NULL;
		}
		if (!s->mi_ok) {
			m->status = 1;
			continue;
		}
		in.hugetlb_bytes = ml_hugetlb_node_bytes(&m->hugetlb, s->id);
		if (ml_numa_node_compute(&s->model, &s->nm, &in, &cause) == 0) {
			s->model_ok = true;
		} else {
			set_why(&s->mi_why, cause, EINVAL);
			m->status = 1;
		}
		cause = NULL;
	}
}

static void
warn_problems(struct ml_ctx *ctx, struct numa_cmd *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		struct numa_node_src *s = &m->node[i];

		if (!s->mi_ok && s->mi_why != NULL)
			cmd_error("%s", s->mi_why);
		if (ml_reader_is_open(&s->mi_reader))
			cmd_sysfs_warn_bad_lines(&m->sys, s->mi_rel,
						 ml_reader_stats(&s->mi_reader));
		if (ml_reader_is_open(&s->ns_reader))
			cmd_sysfs_warn_bad_lines(&m->sys, s->ns_rel,
						 ml_reader_stats(&s->ns_reader));
	}
	cmd_snap_warn_bad_lines(ctx, &m->snap, ML_SNAP_ZONEINFO);
}

/* ------------------------------------------------------------ text */

/* Widths for the node tables: a label, node columns, the fields. */
enum { LABEL_W = 22, NODE_W = 10, FIELDS_W = 27 };

/* How many node columns fit beside the label (and the fields column). */
static size_t
columns_per_table(const struct text_out *o, bool with_fields)
{
	int room = o->width - LABEL_W - (with_fields ? FIELDS_W : 0);
	int n = room / NODE_W;

	return n < 1 ? 1 : (size_t)n;
}

/* The node columns of one table: nodes [first, first + count). */
static void
table_cols(struct text_table *t, const struct numa_cmd *m, size_t first, size_t count, bool all,
	   const char *fields_title)
{
	char title[32];
	size_t i;

	text_table_col(t, 0, "", TA_LEFT);
	for (i = 0; i < count; i++) {
		snprintf(title, sizeof title, "node %d", m->node[first + i].id);
		text_table_col(t, (unsigned int)(1 + i), title, TA_RIGHT);
	}
	if (all)
		text_table_col(t, (unsigned int)(1 + count), "all nodes", TA_RIGHT);
	if (fields_title != NULL)
		text_table_col(t, (unsigned int)(1 + count + (all ? 1 : 0)), fields_title, TA_LEFT);
}

static void
part_cell(struct text_table *t, const struct text_out *o, const struct numa_node_src *s,
	  enum ml_np_part p)
{
	char buf[32];

	if (!s->model_ok) {
		text_table_cell(t, "n/a");
		return;
	}
	if (p == ML_NP_UNACCOUNTED)
		text_table_cell(t, "%s",
				text_ssize(buf, sizeof buf, s->model.unaccounted, &o->units));
	else if (!s->model.part[p].known)
		text_table_cell(t, "n/a");
	else
		text_table_cell(t, "%s", SZ(s->model.part[p].bytes));
}

/* The sum of part p over every node; false when one is unknown. */
static bool
part_sum(const struct numa_cmd *m, enum ml_np_part p, int64_t *sum)
{
	size_t i;

	*sum = 0;
	for (i = 0; i < m->n; i++) {
		const struct numa_node_src *s = &m->node[i];
		int64_t v;

		if (!s->model_ok || (p != ML_NP_UNACCOUNTED && !s->model.part[p].known))
			return false;
		v = p == ML_NP_UNACCOUNTED ? s->model.unaccounted : (int64_t)s->model.part[p].bytes;
		if (__builtin_add_overflow(*sum, v, sum))
			return false;
	}
	return true;
}

static void
print_accounting(const struct ml_ctx *ctx, const struct numa_cmd *m)
{
	const struct text_out *o = &ctx->text;
	bool all = m->n > 1;
	/* every node (and "all nodes") in one table: with the fields when they fit */
	size_t need = m->n + (all ? 1 : 0);
	bool with_fields = columns_per_table(o, true) >= need;
	size_t per = columns_per_table(o, with_fields), first, count, i;
	char buf[32];
	int p;

	if (all && per > 1 && per < need)
		per--; /* room for the "all nodes" column in the last table */
	text_printf(o, TS_HEADER, "\nWhere each node's MemTotal goes\n");
	for (first = 0; first < m->n; first += count) {
		struct text_table *t;
		bool last;

		count = m->n - first < per ? m->n - first : per;
		last = first + count == m->n;
		t = text_table_new((unsigned int)(1 + count + (all && last) + with_fields));
		table_cols(t, m, first, count, all && last,
			   with_fields ? "from the node's meminfo" : NULL);
		for (p = 0; p < ML_NP__COUNT; p++) {
			const char *fields = NULL;
			int64_t sum;

			for (i = 0; i < count && fields == NULL; i++) {
				const struct numa_node_src *s = &m->node[first + i];

				if (s->model_ok)
					fields = s->model.part[p].fields;
			}
			text_table_row(t, TS_NONE);
			text_table_cell(t, "%s", ml_np_part_label((enum ml_np_part)p));
			for (i = 0; i < count; i++)
				part_cell(t, o, &m->node[first + i], (enum ml_np_part)p);
			if (all && last) {
				if (part_sum(m, (enum ml_np_part)p, &sum))
					text_table_cell(
						t, "%s",
						text_ssize(buf, sizeof buf, sum, &o->units));
				else
					text_table_cell(t, "n/a");
			}
			if (with_fields)
				text_table_cell_styled(t, TS_DIM, "%s", fields ? fields : "");
			if (p == ML_NP_PAGE_CACHE) {
				uint64_t sh = 0;
				bool sh_all = true;

				text_table_row(t, TS_NONE);
				text_table_cell(t, "  of which shmem");
				for (i = 0; i < count; i++) {
					const struct numa_node_src *s = &m->node[first + i];

					if (s->model_ok && s->model.has_shmem)
						text_table_cell(t, "%s", SZ(s->model.shmem));
					else
						text_table_cell(t, "n/a");
				}
				for (i = 0; i < m->n; i++) {
					if (!m->node[i].model_ok || !m->node[i].model.has_shmem)
						sh_all = false;
					else
						sh += m->node[i].model.shmem;
				}
				if (all && last)
					text_table_cell(t, "%s", sh_all ? SZ(sh) : "n/a");
				if (with_fields)
					text_table_cell_styled(t, TS_DIM, "Shmem");
			}
		}
		text_table_row(t, TS_BOLD);
		text_table_cell(t, "MemTotal");
		for (i = 0; i < count; i++) {
			const struct numa_node_src *s = &m->node[first + i];

			text_table_cell(t, "%s", s->model_ok ? SZ(s->model.total) : "n/a");
		}
		if (all && last) {
			uint64_t tot = 0;
			bool ok = true;

			for (i = 0; i < m->n; i++) {
				if (!m->node[i].model_ok)
					ok = false;
				else
					tot += m->node[i].model.total;
			}
			text_table_cell(t, "%s", ok ? SZ(tot) : "n/a");
		}
		if (with_fields)
			text_table_cell_styled(t, TS_DIM, "MemTotal");
		text_table_print(t, o, 2);
		text_table_free(t);
		if (!last)
			fputc('\n', o->f);
	}
}

static void
print_available(const struct ml_ctx *ctx, const struct numa_cmd *m)
{
	const struct text_out *o = &ctx->text;
	struct text_table *t = text_table_new(7);
	static const char *const titles[7] = { "node", "available",   "MemFree", "reserve",
					       "file", "reclaimable", "low" };
	uint64_t sum = 0;
	bool all_known = true, any_why = false;
	size_t i;
	int c;

	text_printf(o, TS_HEADER, "\nAvailable on each node");
	text_printf(o, TS_DIM, " (estimated: the kernel gives no per-node figure)\n");
	for (c = 0; c < 7; c++)
		text_table_col(t, (unsigned int)c, titles[c], c == 0 ? TA_LEFT : TA_RIGHT);
	for (i = 0; i < m->n; i++) {
		const struct numa_node_src *s = &m->node[i];

		text_table_row(t, TS_NONE);
		text_table_cell(t, "node %d", s->id);
		if (s->model_ok && s->model.avail_known) {
			text_table_cell(t, "%s", SZ(s->model.available));
			text_table_cell(t, "%s", SZ(s->model.avail_free));
			text_table_cell(t, "%s", SZ(s->model.avail_reserve));
			text_table_cell(t, "%s", SZ(s->model.avail_file));
			text_table_cell(t, "%s", SZ(s->model.avail_reclaimable));
			text_table_cell(t, "%s", SZ(s->model.avail_low));
			sum += s->model.available;
			continue;
		}
		all_known = false;
		any_why = true;
		for (c = 1; c < 7; c++)
			text_table_cell(t, "n/a");
	}
	if (m->n > 1) {
		text_table_row(t, TS_BOLD);
		text_table_cell(t, "all nodes");
		text_table_cell(t, "%s", all_known ? SZ(sum) : "n/a");
		for (c = 2; c < 7; c++)
			text_table_cell(t, "%s", "");
	}
	text_table_print(t, o, 2);
	text_table_free(t);
	if (m->mi != NULL && ml_meminfo_has(m->mi, ML_MI_MEM_AVAILABLE))
		text_printf(o, TS_DIM, "  the machine's MemAvailable (the kernel's figure): %s\n",
			    SZ(m->mi->val[ML_MI_MEM_AVAILABLE]));
	text_paragraph(o, TS_DIM, "  available = ", "    ", ml_numa_available_formula);
	for (i = 0; any_why && i < m->n; i++) {
		const struct numa_node_src *s = &m->node[i];

		if (s->model_ok && s->model.avail_known)
			continue;
		text_printf(o, TS_DIM, "  node %d: no estimate: %s\n", s->id,
			    !s->model_ok                 ? "the node was not read"
			    : s->model.avail_why != NULL ? s->model.avail_why
							 : "unknown");
	}
}

static void
print_numastat(const struct ml_ctx *ctx, const struct numa_cmd *m)
{
	const struct text_out *o = &ctx->text;
	bool rates = m->seconds > 0;
	size_t per = columns_per_table(o, false), first, count, i;
	int k;

	text_printf(o, TS_HEADER, "\nNUMA allocations ");
	text_printf(o, TS_DIM, "%s\n",
		    rates ? "(numastat, pages per second)" : "(numastat, pages since boot)");
	for (first = 0; first < m->n; first += count) {
		struct text_table *t;

		count = m->n - first < per ? m->n - first : per;
		t = text_table_new((unsigned int)(1 + count));
		table_cols(t, m, first, count, false, NULL);
		for (k = 0; k <= ML_NS__COUNT; k++) {
			text_table_row(t, TS_NONE);
			text_table_cell(t, "%s",
					k < ML_NS__COUNT ? ml_numastat_keys[k].name
							 : "local share");
			for (i = 0; i < count; i++) {
				const struct numa_node_src *s = &m->node[first + i];
				const struct ml_counter *c, *l, *x;
				double r, rl, rx;

				if (!s->ns_ok) {
					text_table_cell(t, "n/a");
					continue;
				}
				if (k == ML_NS__COUNT) {
					/* local_node / (local_node + other_node) */
					l = ml_counter_find(&s->counters, "local_node");
					x = ml_counter_find(&s->counters, "other_node");
					if (l == NULL || x == NULL) {
						text_table_cell(t, "n/a");
					} else if (rates) {
						if (ml_counter_rate(&s->counters, l, &rl) &&
						    ml_counter_rate(&s->counters, x, &rx) &&
						    rl + rx > 0)
							text_table_cell(t, "%.1f%%",
									100.0 * rl / (rl + rx));
						else
							text_table_cell(t, "-");
					} else if (l->value + x->value > 0) {
						text_table_cell(t, "%.1f%%",
								100.0 * (double)l->value /
									((double)l->value +
									 (double)x->value));
					} else {
						text_table_cell(t, "-");
					}
					continue;
				}
				c = ml_counter_find(&s->counters, ml_numastat_keys[k].name);
				if (c == NULL)
					text_table_cell(t, "n/a");
				else if (!rates)
					text_table_cell(t, "%llu", (unsigned long long)c->value);
				else if (ml_counter_rate(&s->counters, c, &r))
					text_table_cell(t, "%.0f", r);
				else
					text_table_cell(t, "n/a");
			}
		}
		text_table_print(t, o, 2);
		text_table_free(t);
	}
}

/* Hugetlb pools per node and size, when any size holds pages. */
static void
print_hugetlb(const struct ml_ctx *ctx, const struct numa_cmd *m)
{
	const struct text_out *o = &ctx->text;
	const struct ml_hugetlb *h = &m->hugetlb;
	size_t per = columns_per_table(o, false), first, count, i, j;
	bool any = false;

	for (i = 0; i < h->nsizes; i++) {
		if (!ml_attr_ok(&h->size[i].a[ML_HP_NR]) || h->size[i].a[ML_HP_NR].u > 0)
			any = true;
	}
	if (!any)
		return;
	text_printf(o, TS_HEADER, "\nHugetlb pages per node ");
	text_printf(o, TS_DIM, "(pages, free in parentheses)\n");
	for (first = 0; first < m->n; first += count) {
		struct text_table *t;

		count = m->n - first < per ? m->n - first : per;
		t = text_table_new((unsigned int)(1 + count));
		table_cols(t, m, first, count, false, NULL);
		for (i = 0; i < h->nsizes; i++) {
			const struct ml_hugetlb_size *s = &h->size[i];

			text_table_row(t, TS_NONE);
			text_table_cell(t, "%s pages", SZ(s->size_kb * 1024));
			for (j = 0; j < count; j++) {
				const struct ml_hugetlb_node *hn =
					first + j < s->nnodes ? &s->node[first + j] : NULL;

				if (hn == NULL || !ml_attr_ok(&hn->a[ML_HPN_NR]))
					text_table_cell(t, "n/a");
				else if (ml_attr_ok(&hn->a[ML_HPN_FREE]))
					text_table_cell(t, "%llu (%llu)",
							(unsigned long long)hn->a[ML_HPN_NR].u,
							(unsigned long long)hn->a[ML_HPN_FREE].u);
				else
					text_table_cell(t, "%llu",
							(unsigned long long)hn->a[ML_HPN_NR].u);
			}
		}
		text_table_print(t, o, 2);
		text_table_free(t);
	}
}

static void
print_notes(const struct ml_ctx *ctx, const struct numa_cmd *m)
{
	const struct text_out *o = &ctx->text;
	uint64_t tot = 0;
	bool any = false, all = true;
	size_t i;

	cmd_note(o, &any,
		 "a node prints no vmalloc, per-cpu, zswap, zram or balloon figure: that "
		 "memory is in the node's unaccounted part (memlens summary names it for the "
		 "machine)");
	for (i = 0; i < m->n; i++) {
		if (m->node[i].model_ok)
			tot += m->node[i].model.total;
		else
			all = false;
	}
	if (all && m->mi != NULL && ml_meminfo_has(m->mi, ML_MI_MEM_TOTAL) &&
	    tot != m->mi->val[ML_MI_MEM_TOTAL])
		cmd_note(o, &any,
			 "the nodes' MemTotal add up to %s, /proc/meminfo says %s: memory not yet "
			 "handed to the page allocator (deferred initialisation, hot-plug) or a "
			 "balloon counts on one side only",
			 SZ(tot), SZ(m->mi->val[ML_MI_MEM_TOTAL]));
	if (!m->zs_ok)
		cmd_note(o, &any, "no available estimate: %s", zoneinfo_why(m));
	if (!m->hugetlb.listed && m->hugetlb.list_err != ENOENT)
		cmd_note(o, &any, "hugetlb directories not read: %s",
			 strerror(m->hugetlb.list_err));
	for (i = 0; i < m->n; i++) {
		const struct numa_node_src *s = &m->node[i];

		if (!s->ns_ok && s->ns_why != NULL)
			cmd_note(o, &any, "node %d numastat not read: %s", s->id, s->ns_why);
	}
}

static void
numa_text(struct ml_ctx *ctx, struct numa_cmd *m)
{
	const struct text_out *o = &ctx->text;
	size_t i, with_mem = 0;

	cmd_text_header(ctx, &m->si, "memlens numa");
	if (strcmp(ctx->sys_root, "/sys") != 0)
		text_printf(o, TS_DIM, "sysfs read from %s\n", ctx->sys_root);
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	for (i = 0; i < m->n; i++) {
		if (m->node[i].model_ok && m->node[i].model.total > 0)
			with_mem++;
	}
	text_printf(o, TS_HEADER, "\nNodes   ");
	fprintf(o->f, " %zu online", m->n);
	if (with_mem != m->n)
		fprintf(o->f, ", %zu with memory", with_mem);
	fputc(':', o->f);
	for (i = 0; i < m->n; i++)
		fprintf(o->f, " %d", m->node[i].id);
	fputc('\n', o->f);
	print_accounting(ctx, m);
	print_available(ctx, m);
	print_numastat(ctx, m);
	print_hugetlb(ctx, m);
	print_notes(ctx, m);
}

/* ------------------------------------------------------------ JSON */

static void
json_node_parts(struct json_node *o, const struct numa_node_src *s)
{
	struct json_node *arr = json_add_array(o, "parts"), *row;
	int p;

	for (p = 0; p < ML_NP__COUNT; p++) {
		const struct ml_np_row *r = &s->model.part[p];

		row = json_array_add_object(arr);
		json_add_string(row, "name", ml_np_part_name((enum ml_np_part)p));
		json_add_string(row, "label", ml_np_part_label((enum ml_np_part)p));
		if (p == ML_NP_UNACCOUNTED)
			json_add_i64(row, "bytes", s->model.unaccounted);
		else if (r->known)
			json_add_u64(row, "bytes", r->bytes);
		else
			json_add_null(row, "bytes");
		json_add_string(row, "fields", r->fields);
		if (!r->known)
			json_add_string(row, "absent_why",
					r->absent_why != NULL ? r->absent_why
							      : "not in the node's meminfo");
		if (p == ML_NP_PAGE_CACHE && s->model.has_shmem)
			json_add_u64(row, "shmem", s->model.shmem);
	}
}

static void
json_node(struct json_node *arr, const struct numa_cmd *m, const struct numa_node_src *s)
{
	struct json_node *o = json_array_add_object(arr), *a, *c, *r, *h, *row;
	size_t i, j;
	uint32_t k;

	json_add_i64(o, "node", s->id);
	if (s->model_ok) {
		json_add_u64(o, "total", s->model.total);
		json_node_parts(o, s);
	} else {
		json_add_null(o, "total");
		json_add_null(o, "parts");
		json_add_string(o, "why", s->mi_why != NULL ? s->mi_why : "not read");
	}
	a = json_add_object(o, "available");
	if (s->model_ok && s->model.avail_known) {
		json_add_u64(a, "bytes", s->model.available);
		json_add_null(a, "why");
		c = json_add_object(a, "terms");
		json_add_u64(c, "free", s->model.avail_free);
		json_add_u64(c, "reserve", s->model.avail_reserve);
		json_add_u64(c, "file", s->model.avail_file);
		json_add_u64(c, "reclaimable", s->model.avail_reclaimable);
		json_add_u64(c, "low", s->model.avail_low);
	} else {
		json_add_null(a, "bytes");
		json_add_string(a, "why",
				!s->model_ok                 ? "node not read"
				: s->model.avail_why != NULL ? s->model.avail_why
							     : "unknown");
	}
	json_add_string(a, "formula", ml_numa_available_formula);

	c = json_add_object(o, "numastat");
	if (s->ns_ok) {
		json_add_string(c, "period", m->seconds > 0 ? "interval" : "since_boot");
		r = json_add_object(c, "counters");
		for (i = 0; i < s->counters.n; i++)
			json_add_u64(r, s->counters.c[i].name, s->counters.c[i].value);
		if (m->seconds > 0) {
			json_add_double(c, "seconds", m->seconds);
			r = json_add_object(c, "per_second");
			for (i = 0; i < s->counters.n; i++) {
				double v;

				if (ml_counter_rate(&s->counters, &s->counters.c[i], &v))
					json_add_double(r, s->counters.c[i].name, v);
				else
					json_add_null(r, s->counters.c[i].name);
			}
		}
	} else {
		json_add_null(c, "period");
		json_add_string(c, "why", s->ns_why != NULL ? s->ns_why : "not read");
	}

	h = json_add_array(o, "hugetlb");
	for (i = 0; i < m->hugetlb.nsizes; i++) {
		const struct ml_hugetlb_size *sz = &m->hugetlb.size[i];

		for (j = 0; j < sz->nnodes; j++) {
			const struct ml_hugetlb_node *hn = &sz->node[j];

			if (hn->node != s->id)
				continue;
			row = json_array_add_object(h);
			json_add_u64(row, "page_size", sz->size_kb * 1024);
			for (k = 0; k < ML_HPN__COUNT; k++) {
				if (ml_attr_ok(&hn->a[k]))
					json_add_u64(row, ml_hugetlb_node_attrs[k].name,
						     hn->a[k].u);
				else
					json_add_null(row, ml_hugetlb_node_attrs[k].name);
			}
		}
	}

	r = json_add_object(o, "meminfo");
	if (s->mi_ok) {
		for (k = 0; k < s->nm.all.n; k++) {
			char key[128];
			size_t n = s->nm.all.e[k].name_len < sizeof key ? s->nm.all.e[k].name_len
									: sizeof key - 1;

			memcpy(key, ml_kvlist_name(&s->nm.all, k), n);
			key[n] = '\0';
			json_add_u64(r, key, s->nm.all.e[k].value);
		}
	}
}

static int
numa_json(struct ml_ctx *ctx, struct numa_cmd *m)
{
	struct json_node *doc = json_doc_new("numa", &m->si), *arr, *errs, *row;
	size_t i;

	json_add_string(doc, "sys_root", ctx->sys_root);
	arr = json_add_array(doc, "online");
	for (i = 0; i < m->n; i++)
		json_array_add_u64(arr, (uint64_t)m->node[i].id);
	if (m->mi != NULL && ml_meminfo_has(m->mi, ML_MI_MEM_TOTAL))
		json_add_u64(doc, "machine_total", m->mi->val[ML_MI_MEM_TOTAL]);
	else
		json_add_null(doc, "machine_total");
	if (m->mi != NULL && ml_meminfo_has(m->mi, ML_MI_MEM_AVAILABLE))
		json_add_u64(doc, "machine_available", m->mi->val[ML_MI_MEM_AVAILABLE]);
	else
		json_add_null(doc, "machine_available");
	arr = json_add_array(doc, "nodes");
	for (i = 0; i < m->n; i++)
		json_node(arr, m, &m->node[i]);

	errs = json_add_array(doc, "parse_errors");
	for (i = 0; i < m->n; i++) {
		const struct numa_node_src *s = &m->node[i];

		if (ml_reader_is_open(&s->mi_reader))
			cmd_sysfs_json_bad_lines(errs, &m->sys, s->mi_rel,
						 ml_reader_stats(&s->mi_reader));
		if (ml_reader_is_open(&s->ns_reader))
			cmd_sysfs_json_bad_lines(errs, &m->sys, s->ns_rel,
						 ml_reader_stats(&s->ns_reader));
	}
	cmd_snap_json_bad_lines(errs, ctx, &m->snap, ML_SNAP_ZONEINFO);
	arr = json_add_array(doc, "unavailable");
	if (!m->zs_ok) {
		row = json_array_add_object(arr);
		json_add_string(row, "source", "zoneinfo");
		json_add_string(row, "why", zoneinfo_why(m));
	}
	for (i = 0; i < m->n; i++) {
		const struct numa_node_src *s = &m->node[i];

		if (!s->mi_ok) {
			row = json_array_add_object(arr);
			json_add_string(row, "source", s->mi_rel);
			json_add_string(row, "why", s->mi_why != NULL ? s->mi_why : "not read");
		}
		if (!s->ns_ok) {
			row = json_array_add_object(arr);
			json_add_string(row, "source", s->ns_rel);
			json_add_string(row, "why", s->ns_why != NULL ? s->ns_why : "not read");
		}
	}
	return cmd_json_emit(ctx, doc);
}

/* ------------------------------------------------------------ the command */

static int
numa_once(struct ml_ctx *ctx, struct numa_cmd *m)
{
	int rc;

	numa_refresh(ctx, m);
	warn_problems(ctx, m);
	if (ctx->json != ML_JSON_OFF)
		rc = numa_json(ctx, m);
	else {
		numa_text(ctx, m);
		rc = 0;
	}
	return rc != 0 ? rc : m->status;
}

static int
cmd_numa_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct numa_cmd *m = ml_xcalloc(1, sizeof *m);
	char *cause = NULL;
	size_t i;
	int rc = 0;

	(void)args;
	ml_snapshot_init(&m->snap, &ctx->fs, &ctx->sysfs, &snap_opt);
	ml_hugetlb_init(&m->hugetlb);
	cmd_sysfs_open(ctx, &m->sys);
	if (!m->sys.ok) {
		cmd_error("%s", m->sys.why);
		rc = 1;
		goto out;
	}
	if (ml_node_ids(&m->sys.fs, &m->ids, &m->n, &cause) != 0) {
		if (errno == ENOENT)
			cmd_error("%s (a kernel without CONFIG_NUMA has no node files: the whole "
				  "machine is one node; see memlens summary)",
				  cause);
		else
			cmd_read_error(cause, errno, NULL);
		free(cause);
		rc = 1;
		goto out;
	}
	if (m->n == 0) {
		cmd_error("%s/" ML_NODE_DIR "/online lists no node", ctx->sys_root);
		rc = 1;
		goto out;
	}
	nodes_open(m);
	while (cmd_next_report(ctx)) {
		int r = numa_once(ctx, m);

		if (r != 0)
			rc = r;
	}
out:
	for (i = 0; m->node != NULL && i < m->n; i++)
		node_release(&m->node[i]);
	free(m->node);
	free(m->ids);
	ml_snapshot_release(&m->snap);
	ml_hugetlb_release(&m->hugetlb);
	cmd_sysfs_close(&m->sys);
	free(m);
	return rc;
}

const struct ml_cmd_entry cmd_numa_entry = {
	.name = "numa",
	.summary = "each NUMA node's memory: accounting, available estimate, numastat, hugetlb",
	.help = "Per NUMA node, from sysfs (devices/system/node/nodeN/, through --sys-root):\n"
		"the accounting of the node's MemTotal from its meminfo (free, page cache,\n"
		"anonymous, slab, kernel stacks, page tables, hugetlb of every page size, and\n"
		"the unaccounted rest), an estimate of what is available on the node (the\n"
		"kernel's MemAvailable formula applied to the node, with its zones' watermarks\n"
		"from /proc/zoneinfo; the kernel computes none per node), the numastat\n"
		"allocation counters since boot (per second with -i), and the hugetlb pages of\n"
		"every size per node. A single-node machine shows one node; a kernel without\n"
		"CONFIG_NUMA has no node files. Every file is readable without root.\n"
		"A process's memory per node: memlens maps PID --numa.",
	.max_args = 0,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_numa_exec,
};
