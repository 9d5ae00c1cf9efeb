/*
 * libFuzzer harness for the vmallocinfo parser (src/proc/vmallocinfo.c) and
 * the vmalloc model: whole, chunked and warm parses decode the same areas
 * (a digest of every field the sink sees) and the same totals (see fuzz.h);
 * each area's borrowed strings lie inside its line; the model's groups, read
 * after another file into the same tables, are what a fresh model reads, and
 * each way of grouping accounts for every area and every page exactly once.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "model/vmalloc.h"
#include "proc/vmallocinfo.h"

struct digest {
	uint64_t h, areas;
};

static uint64_t
mix_str(uint64_t h, const struct ml_vm_str *s)
{
	uint8_t present = s->s != NULL;

	h = fuzz_mix(h, &present, 1);
	if (s->s != NULL) {
		h = fuzz_mix(h, &s->n, sizeof s->n);
		h = fuzz_mix(h, s->s, s->n);
	}
	return h;
}

static int
digest_begin(void *arg)
{
	struct digest *d = arg;

	d->h = UINT64_C(0xcbf29ce484222325);
	d->areas = 0;
	return 0;
}

static int
digest_area(void *arg, const struct ml_vm_area *a)
{
	struct digest *d = arg;
	uint64_t h = d->h, nums[9];
	unsigned int i;

	FUZZ_CHECK(a->kind < ML_VMK__COUNT);
	FUZZ_CHECK(a->nunknown <= ML_VM_UNKNOWN_MAX);
	FUZZ_CHECK(a->nnodes <= ML_VM_NODES_MAX);
	FUZZ_CHECK(a->flags < (1u << ML_VMF__COUNT));
	FUZZ_CHECK(a->caller.s != NULL || a->module.s == NULL);
	FUZZ_CHECK(a->ordinal > d->areas);
	nums[0] = a->kind;
	nums[1] = a->ordinal;
	nums[2] = a->start;
	nums[3] = a->end;
	nums[4] = a->size;
	nums[5] = a->has_pages ? a->pages : UINT64_MAX;
	nums[6] = a->has_phys ? a->phys : UINT64_MAX;
	nums[7] = (uint64_t)a->flags | (uint64_t)a->caller_raw << 32 | (uint64_t)a->phys_0x << 33;
	nums[8] = a->node_pages_sum;
	h = fuzz_mix(h, nums, sizeof nums);
	h = mix_str(h, &a->caller);
	h = mix_str(h, &a->func);
	h = mix_str(h, &a->module);
	h = fuzz_mix(h, &a->nunknown, sizeof a->nunknown);
	h = fuzz_mix(h, &a->unknown_more, sizeof a->unknown_more);
	for (i = 0; i < a->nunknown; i++)
		h = mix_str(h, &a->unknown[i]);
	h = fuzz_mix(h, &a->nnodes, sizeof a->nnodes);
	for (i = 0; i < a->nnodes; i++) {
		FUZZ_CHECK(a->node[i] < ML_VM_NODE_LIMIT);
		h = fuzz_mix(h, &a->node[i], sizeof a->node[i]);
		h = fuzz_mix(h, &a->node_pages[i], sizeof a->node_pages[i]);
	}
	d->h = h;
	d->areas++;
	return 0;
}

static const struct ml_vm_sink digest_sink = {
	.begin = digest_begin,
	.area = digest_area,
};

static void
same_totals(const struct ml_vm_totals *a, const struct ml_vm_totals *b)
{
	FUZZ_CHECK(memcmp(a->lines, b->lines, sizeof a->lines) == 0);
	FUZZ_CHECK(memcmp(a->va_size, b->va_size, sizeof a->va_size) == 0);
	FUZZ_CHECK(a->pages == b->pages);
	FUZZ_CHECK(a->vmalloc_pages == b->vmalloc_pages);
	FUZZ_CHECK(memcmp(a->flag_areas, b->flag_areas, sizeof a->flag_areas) == 0);
	FUZZ_CHECK(a->with_caller == b->with_caller);
	FUZZ_CHECK(a->module_callers == b->module_callers);
	FUZZ_CHECK(a->raw_callers == b->raw_callers);
	FUZZ_CHECK(a->unknown_words == b->unknown_words);
	FUZZ_CHECK(a->phys_no_0x == b->phys_no_0x);
	FUZZ_CHECK(a->descents == b->descents);
	FUZZ_CHECK(a->addr_nonzero == b->addr_nonzero);
	FUZZ_CHECK(a->addr_mismatch == b->addr_mismatch);
}

static uint64_t
all_lines(const struct ml_vm_totals *t)
{
	return t->lines[ML_VMK_AREA] + t->lines[ML_VMK_VM_MAP_RAM] + t->lines[ML_VMK_UNPURGED];
}

#define MAXG 512

/* Each grouping holds every area and page once; the model's groups agree. */
static void
same_model(const struct ml_vmalloc *a, const struct ml_vmalloc *b)
{
	static const struct ml_vm_group *ga[MAXG], *gb[MAXG];
	const struct ml_vm_totals *t = ml_vmalloc_totals(a);
	unsigned int na, nb, i;
	const struct ml_vm_top *ta, *tb;
	int by;

	same_totals(t, ml_vmalloc_totals(b));
	for (by = 0; by < ML_VM_BY__COUNT; by++) {
		uint64_t areas = 0, pages = 0;
		size_t n =
			ml_vmalloc_sorted(a, (enum ml_vm_by)by, ML_VM_SORT_NAME, false, ga, MAXG);

		FUZZ_CHECK(ml_vmalloc_sorted(b, (enum ml_vm_by)by, ML_VM_SORT_NAME, false, gb,
					     MAXG) == n);
		FUZZ_CHECK(ml_vmalloc_ngroups(a, (enum ml_vm_by)by) ==
			   ml_vmalloc_ngroups(b, (enum ml_vm_by)by));
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(strcmp(ga[i]->name, gb[i]->name) == 0);
			FUZZ_CHECK((ga[i]->module == NULL) == (gb[i]->module == NULL));
			FUZZ_CHECK(ga[i]->module == NULL ||
				   strcmp(ga[i]->module, gb[i]->module) == 0);
			FUZZ_CHECK(ga[i]->areas == gb[i]->areas);
			FUZZ_CHECK(ga[i]->pages == gb[i]->pages);
			FUZZ_CHECK(ga[i]->va_size == gb[i]->va_size);
			FUZZ_CHECK(ga[i]->type_mask == gb[i]->type_mask);
			FUZZ_CHECK(ga[i]->is_stack == gb[i]->is_stack);
			FUZZ_CHECK(ga[i]->areas > 0);
			areas += ga[i]->areas;
			pages += ga[i]->pages;
		}
		if (n < MAXG) {
			FUZZ_CHECK(n == ml_vmalloc_ngroups(a, (enum ml_vm_by)by));
			FUZZ_CHECK(areas == all_lines(t));
			FUZZ_CHECK(pages == t->pages);
		}
	}
	FUZZ_CHECK(ml_vmalloc_stack_pages(a) == ml_vmalloc_stack_pages(b));
	FUZZ_CHECK(ml_vmalloc_stack_areas(a) == ml_vmalloc_stack_areas(b));
	FUZZ_CHECK(ml_vmalloc_stack_pages(a) <= t->vmalloc_pages);
	FUZZ_CHECK(ml_vmalloc_nnodes(a) == ml_vmalloc_nnodes(b));
	for (i = 0; i < ml_vmalloc_nnodes(a); i++)
		FUZZ_CHECK(ml_vmalloc_node_pages(a, i) == ml_vmalloc_node_pages(b, i));
	ta = ml_vmalloc_largest(a, &na);
	tb = ml_vmalloc_largest(b, &nb);
	FUZZ_CHECK(na == nb);
	for (i = 0; i < na; i++) {
		FUZZ_CHECK(ta[i].ordinal == tb[i].ordinal);
		FUZZ_CHECK(i == 0 || ta[i].pages <= ta[i - 1].pages);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	static struct ml_vmalloc fresh, warm;
	struct ml_vmallocinfo whole, chunked;
	struct digest dw, dc;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	ml_vmallocinfo_init(&whole, &digest_sink, &dw);
	ml_vmallocinfo_init(&chunked, &digest_sink, &dc);
	rc = fuzz_parse(&fa, &ml_src_vmallocinfo, &whole, buf, len, 0);
	FUZZ_CHECK(dw.areas == all_lines(&whole.t));
	FUZZ_CHECK(dw.areas + fa.stats.bad_lines == fa.stats.lines);
	FUZZ_CHECK(whole.t.vmalloc_pages <= whole.t.pages);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_vmallocinfo, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(dw.h == dc.h && dw.areas == dc.areas);
	same_totals(&whole.t, &chunked.t);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_vmallocinfo, &chunked, buf, len, chunk ? chunk : 7) ==
		   rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(dw.h == dc.h && dw.areas == dc.areas);
	same_totals(&whole.t, &chunked.t);
	FUZZ_CHECK(ml_vmallocinfo_addr_kind(&whole) == ml_vmallocinfo_addr_kind(&chunked));

	/* The model: fresh tables against tables that saw another file first. */
	ml_vmalloc_init(&fresh);
	ml_vmalloc_init(&warm);
	ml_vmalloc_set_page_size(&fresh, 4096);
	ml_vmalloc_set_page_size(&warm, 4096);
	if (fuzz_parse(&fa, &ml_src_vmallocinfo, &fresh.info, buf, len, 0) == 0) {
		int orc = fuzz_parse(&fb, &ml_src_vmallocinfo, &warm.info, obuf, olen, chunk);

		FUZZ_CHECK(fuzz_parse(&fb, &ml_src_vmallocinfo, &warm.info, buf, len, chunk) == 0);
		same_model(&fresh, &warm);
		/* A failed parse is no refresh: growth compares with the last good one. */
		FUZZ_CHECK(ml_vmalloc_has_prev(&warm) == (orc == 0));
	}
	ml_vmalloc_release(&fresh);
	ml_vmalloc_release(&warm);
	return 0;
}
