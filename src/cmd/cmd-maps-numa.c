/*
 * memlens maps PID --numa: one process's resident memory per NUMA node and
 * per kind of mapping, from /proc/PID/numa_maps (proc/numamaps.h), and the
 * memory policies its mappings use. The kernel walks the process's page
 * tables to print that file, so it is read only on request.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd-maps-numa.h"
#include "model/pagesize.h"
#include "proc/numamaps.h"
#include "proc/scan.h"
#include "xalloc.h"

#define SZ(v) text_sz(&o->units, (v))

struct maps_numa {
	struct ml_numa_maps nm;
	struct ml_page_size ps;
	struct ml_sysinfo si;
	char rel[32];
};

/* Bytes of kind k on node i; false when a count could not be converted. */
static bool
kind_bytes(const struct maps_numa *v, uint32_t i, int k, uint64_t *out)
{
	const struct ml_nmap_node *nd = &v->nm.node[i];
	uint64_t extra;

	*out = nd->bytes[k];
	/* Lines without kernelpagesize_kB (before ~4.1): base pages, or hugetlb of unknown size. */
	if (k == ML_NMAP_HUGE && nd->huge_pages_unsized > 0)
		return false;
	if (k == ML_NMAP_ANON && nd->base_pages > 0) {
		/* before 4.1 the kinds of base pages are not told apart: all go to anon */
		if (v->ps.bytes == 0 || !ml_mul_u64(nd->base_pages, v->ps.bytes, &extra) ||
		    !ml_add_u64(*out, extra, out))
			return false;
	}
	return true;
}

static bool
node_total(const struct maps_numa *v, uint32_t i, uint64_t *out)
{
	uint64_t b;
	int k;

	*out = 0;
	for (k = 0; k < ML_NMAP__KIND_COUNT; k++) {
		if (!kind_bytes(v, i, k, &b) || !ml_add_u64(*out, b, out))
			return false;
	}
	return true;
}

static bool
kind_total(const struct maps_numa *v, int k, uint64_t *out)
{
	uint64_t b;
	uint32_t i;

	*out = 0;
	for (i = 0; i < v->nm.nnodes; i++) {
		if (!v->nm.node[i].seen)
			continue;
		if (!kind_bytes(v, i, k, &b) || !ml_add_u64(*out, b, out))
			return false;
	}
	return true;
}

static void
numa_text(struct ml_ctx *ctx, const struct ml_proc *p, struct maps_numa *v)
{
	const struct text_out *o = &ctx->text;
	struct text_table *t;
	uint32_t i, cols = 0;
	uint64_t b, all = 0;
	bool all_ok = true, had_unsized = false;
	char what[128];
	int k;

	snprintf(what, sizeof what, "memlens maps %d --numa (%s)", p->pid, p->comm);
	cmd_text_header(ctx, &v->si, what);
	for (i = 0; i < v->nm.nnodes; i++)
		cols += v->nm.node[i].seen;
	text_printf(o, TS_HEADER, "\nResident memory per NUMA node ");
	text_printf(o, TS_DIM, "(from %s)\n", v->rel);
	if (cols == 0) {
		fprintf(o->f, "  no resident pages on any node (%llu mappings)\n",
			(unsigned long long)v->nm.mappings);
	} else {
		t = text_table_new(cols + 2);
		text_table_col(t, 0, "kind", TA_LEFT);
		cols = 0;
		for (i = 0; i < v->nm.nnodes; i++) {
			char title[24];

			if (!v->nm.node[i].seen)
				continue;
			snprintf(title, sizeof title, "node %u", i);
			text_table_col(t, ++cols, title, TA_RIGHT);
		}
		text_table_col(t, cols + 1, "total", TA_RIGHT);
		for (k = 0; k <= ML_NMAP__KIND_COUNT; k++) {
			bool total_row = k == ML_NMAP__KIND_COUNT;

			text_table_row(t, total_row ? TS_BOLD : TS_NONE);
			text_table_cell(t, "%s", total_row ? "total" : ml_nmap_kind_name(k));
			for (i = 0; i < v->nm.nnodes; i++) {
				bool ok;

				if (!v->nm.node[i].seen)
					continue;
				ok = total_row ? node_total(v, i, &b) : kind_bytes(v, i, k, &b);
				text_table_cell(t, "%s", ok ? SZ(b) : "n/a");
				if (!ok)
					had_unsized = true;
			}
			if (total_row) {
				for (i = 0; i < v->nm.nnodes; i++) {
					if (!v->nm.node[i].seen)
						continue;
					if (!node_total(v, i, &b) || !ml_add_u64(all, b, &all))
						all_ok = false;
				}
				text_table_cell(t, "%s", all_ok ? SZ(all) : "n/a");
			} else {
				text_table_cell(t, "%s", kind_total(v, k, &b) ? SZ(b) : "n/a");
			}
		}
		text_table_print(t, o, 2);
		text_table_free(t);
	}
	{
		char *line = ml_xasprintf("%llu mappings, %llu with resident pages; anonymous %s, "
					  "dirty %s, in swap cache %s",
					  (unsigned long long)v->nm.mappings,
					  (unsigned long long)v->nm.resident, SZ(v->nm.anon_bytes),
					  SZ(v->nm.dirty_bytes), SZ(v->nm.swapcache_bytes));

		text_paragraph(o, TS_NONE, "  ", "  ", line);
		free(line);
	}

	text_printf(o, TS_HEADER, "\nMemory policy");
	if (v->nm.npolicies == 0 && v->nm.other_policies == 0) {
		fprintf(o->f,
			" default for every mapping (allocate on the node the task runs on)\n");
	} else {
		text_printf(o, TS_DIM, " (mappings with a policy other than default)\n");
		for (i = 0; i < v->nm.npolicies; i++)
			fprintf(o->f, "  %-24s %llu mapping%s\n", v->nm.policy[i].text,
				(unsigned long long)v->nm.policy[i].mappings,
				v->nm.policy[i].mappings == 1 ? "" : "s");
		if (v->nm.other_policies > 0)
			fprintf(o->f, "  %-24s %llu mapping%s\n", "(other policies)",
				(unsigned long long)v->nm.other_policies,
				v->nm.other_policies == 1 ? "" : "s");
	}
	{
		bool any = false;

		cmd_note(o, &any,
			 "only pages present in RAM are counted (swapped-out and never-touched "
			 "pages are on no node); a page shared with other processes is counted "
			 "in full here, as in Rss");
		if (had_unsized)
			cmd_note(o, &any,
				 "this kernel prints no kernelpagesize_kB (before 4.1)%s: those "
				 "figures are n/a",
				 v->ps.bytes == 0 ? " and the page size is unknown" : "");
		if (v->nm.overflow)
			cmd_note(o, &any, "a sum did not fit in 64 bits: the figures are wrong");
	}
}

static int
numa_json(struct ml_ctx *ctx, const struct ml_proc *p, struct maps_numa *v,
	  const struct ml_parse_stats *st)
{
	struct json_node *doc = json_doc_new("maps", &v->si), *o, *arr, *row, *kinds, *errs;
	uint32_t i;
	uint64_t b;
	int k;

	json_add_string(doc, "view", "numa");
	o = json_add_object(doc, "process");
	json_add_i64(o, "pid", p->pid);
	json_add_string(o, "command", p->comm);
	json_add_u64(doc, "mappings", v->nm.mappings);
	json_add_u64(doc, "resident_mappings", v->nm.resident);
	json_add_u64(doc, "anon", v->nm.anon_bytes);
	json_add_u64(doc, "dirty", v->nm.dirty_bytes);
	json_add_u64(doc, "swapcache", v->nm.swapcache_bytes);
	json_add_bool(doc, "overflow", v->nm.overflow);
	arr = json_add_array(doc, "nodes");
	for (i = 0; i < v->nm.nnodes; i++) {
		if (!v->nm.node[i].seen)
			continue;
		row = json_array_add_object(arr);
		json_add_u64(row, "node", i);
		if (node_total(v, i, &b))
			json_add_u64(row, "total", b);
		else
			json_add_null(row, "total");
		kinds = json_add_object(row, "kinds");
		for (k = 0; k < ML_NMAP__KIND_COUNT; k++) {
			if (kind_bytes(v, i, k, &b))
				json_add_u64(kinds, ml_nmap_kind_name(k), b);
			else
				json_add_null(kinds, ml_nmap_kind_name(k));
		}
		json_add_u64(row, "pages_without_size",
			     v->nm.node[i].base_pages + v->nm.node[i].huge_pages_unsized);
	}
	arr = json_add_array(doc, "policies");
	for (i = 0; i < v->nm.npolicies; i++) {
		row = json_array_add_object(arr);
		json_add_string(row, "policy", v->nm.policy[i].text);
		json_add_u64(row, "mappings", v->nm.policy[i].mappings);
	}
	json_add_u64(doc, "other_policies", v->nm.other_policies);
	errs = json_add_array(doc, "parse_errors");
	cmd_json_bad_lines(errs, ctx, v->rel, st);
	return cmd_json_emit(ctx, doc);
}

int
cmd_maps_numa(struct ml_ctx *ctx, const struct ml_proc *p, const char *hint_perm)
{
	struct maps_numa *v = ml_xcalloc(1, sizeof *v);
	struct ml_reader r = { .fd = -1 };
	char *cause = NULL;
	int rc = 0;

	ml_numa_maps_init(&v->nm);
	snprintf(v->rel, sizeof v->rel, "%d/numa_maps", p->pid);
	if (ml_reader_open(&r, &ctx->fs, &ml_src_numa_maps, v->rel, &cause) != 0 ||
	    ml_reader_refresh(&r, &v->nm, &cause) != 0) {
		int err = errno;

		if (err == ENOENT && ml_reader_stats(&r)->lines == 0)
			cmd_error("%s (a kernel without CONFIG_NUMA has no numa_maps)", cause);
		else if (err == ESRCH || err == ENOENT)
			cmd_error("process %d exited while it was read", p->pid);
		else
			cmd_read_error(cause, err, hint_perm);
		rc = 1;
		goto out;
	}
	ml_page_size_find(&v->ps, &ctx->fs);
	ml_sysinfo_read(&v->si, &ctx->fs);
	cmd_warn_bad_lines(ctx, v->rel, ml_reader_stats(&r));
	if (ctx->json != ML_JSON_OFF)
		rc = numa_json(ctx, p, v, ml_reader_stats(&r));
	else
		numa_text(ctx, p, v);
out:
	free(cause);
	ml_page_size_release(&v->ps);
	ml_reader_release(&r);
	ml_numa_maps_release(&v->nm);
	free(v);
	return rc;
}
