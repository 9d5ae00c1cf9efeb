/*
 * libFuzzer harness for the pagetypeinfo parser (src/proc/pagetypeinfo.c):
 * whole, chunked, warm and after-another-file parses agree (see fuzz.h), and
 * the table's invariants hold: types and orders within their maxima, type
 * names distinct and NUL-terminated, presence bits only for known types,
 * "at least" bits only for read rows and orders, every zone once.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "proc/pagetypeinfo.h"

static void
check(const struct ml_pagetypeinfo *pt, const struct ml_parse_stats *st)
{
	uint32_t types_mask;
	unsigned int t, u;
	size_t i, j;

	FUZZ_CHECK(pt->nzones <= st->lines);
	FUZZ_CHECK(pt->ntypes <= ML_PTI_TYPES_MAX);
	FUZZ_CHECK(pt->norders <= ML_BUDDY_ORDERS_MAX);
	FUZZ_CHECK(pt->nnodes <= st->lines);
	types_mask = (UINT32_C(1) << pt->ntypes) - 1;
	for (t = 0; t < pt->ntypes; t++) {
		FUZZ_CHECK(memchr(pt->type_name[t], '\0', ML_PTI_TYPE_NAME_MAX) != NULL);
		FUZZ_CHECK(pt->type_name[t][0] != '\0');
		FUZZ_CHECK(ml_pagetypeinfo_type(pt, pt->type_name[t]) == (int)t);
		for (u = 0; u < t; u++)
			FUZZ_CHECK(strcmp(pt->type_name[u], pt->type_name[t]) != 0);
	}
	for (i = 0; i < pt->nzones; i++) {
		const struct ml_pti_zone *z = &pt->zones[i];

		FUZZ_CHECK(memchr(z->name, '\0', sizeof z->name) != NULL);
		FUZZ_CHECK((z->free_types & ~types_mask) == 0);
		FUZZ_CHECK((z->block_types & ~types_mask) == 0);
		FUZZ_CHECK((z->mixed_types & ~types_mask) == 0);
		FUZZ_CHECK(z->free_types | z->block_types | z->mixed_types);
		if (z->mixed_types != 0)
			FUZZ_CHECK(pt->has_mixed);
		for (t = 0; t < ML_PTI_TYPES_MAX; t++) {
			if (!(z->free_types & (UINT32_C(1) << t))) {
				FUZZ_CHECK(z->at_least[t] == 0);
				continue;
			}
			FUZZ_CHECK(pt->norders > 0);
			if (pt->norders < 32)
				FUZZ_CHECK((z->at_least[t] >> pt->norders) == 0);
		}
		for (j = 0; j < i; j++)
			FUZZ_CHECK(pt->zones[j].node != z->node ||
				   strcmp(pt->zones[j].name, z->name) != 0);
		FUZZ_CHECK(ml_pagetypeinfo_find(pt, z->node, z->name) == z);
	}
}

static void
same(const struct ml_pagetypeinfo *a, const struct ml_pagetypeinfo *b)
{
	unsigned int t;
	size_t i;

	FUZZ_CHECK(a->nzones == b->nzones);
	FUZZ_CHECK(a->norders == b->norders);
	FUZZ_CHECK(a->ntypes == b->ntypes);
	for (t = 0; t < a->ntypes; t++)
		FUZZ_CHECK(strcmp(a->type_name[t], b->type_name[t]) == 0);
	FUZZ_CHECK(a->has_pageblock_order == b->has_pageblock_order);
	FUZZ_CHECK(a->has_pages_per_block == b->has_pages_per_block);
	FUZZ_CHECK(a->pageblock_order == b->pageblock_order);
	FUZZ_CHECK(a->pages_per_block == b->pages_per_block);
	FUZZ_CHECK(a->nnodes == b->nnodes);
	FUZZ_CHECK(a->has_mixed == b->has_mixed);
	for (i = 0; i < a->nzones; i++) {
		const struct ml_pti_zone *x = &a->zones[i], *y = &b->zones[i];

		FUZZ_CHECK(x->node == y->node);
		FUZZ_CHECK(strcmp(x->name, y->name) == 0);
		FUZZ_CHECK(x->free_types == y->free_types);
		FUZZ_CHECK(x->block_types == y->block_types);
		FUZZ_CHECK(x->mixed_types == y->mixed_types);
		for (t = 0; t < ML_PTI_TYPES_MAX; t++) {
			if (x->free_types & (UINT32_C(1) << t)) {
				FUZZ_CHECK(x->at_least[t] == y->at_least[t]);
				FUZZ_CHECK(memcmp(x->free[t], y->free[t],
						  a->norders * sizeof x->free[t][0]) == 0);
			}
			if (x->block_types & (UINT32_C(1) << t))
				FUZZ_CHECK(x->blocks[t] == y->blocks[t]);
			if (x->mixed_types & (UINT32_C(1) << t))
				FUZZ_CHECK(x->mixed[t] == y->mixed[t]);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	static struct ml_pagetypeinfo whole, chunked, other;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	ml_pagetypeinfo_init(&whole);
	ml_pagetypeinfo_init(&chunked);
	ml_pagetypeinfo_init(&other);
	rc = fuzz_parse(&fa, &ml_src_pagetypeinfo, &whole, buf, len, 0);
	check(&whole, &fa.stats);
	FUZZ_CHECK((rc == 0) == (whole.nzones > 0));
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pagetypeinfo, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pagetypeinfo, &chunked, buf, len, chunk ? chunk : 7) ==
		   rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	fuzz_parse(&fb, &ml_src_pagetypeinfo, &other, obuf, olen, chunk);
	check(&other, &fb.stats);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pagetypeinfo, &other, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &other);
	ml_pagetypeinfo_release(&whole);
	ml_pagetypeinfo_release(&chunked);
	ml_pagetypeinfo_release(&other);
	return 0;
}
