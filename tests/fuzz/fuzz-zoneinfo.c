/*
 * libFuzzer harness for the zoneinfo parser (src/proc/zoneinfo.c) and the
 * watermark model: whole, chunked, warm and after-another-file parses agree
 * (see fuzz.h), which puts the learned line layout against the state machine
 * on every input; and the result's invariants hold: zones and nodes bounded by
 * the lines, each zone's node exists, presence bits match the field list,
 * pagesets and protection within their capacities. The model judges every
 * zone once and never wraps its headroom.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "model/watermarks.h"
#include "proc/zoneinfo.h"

static void
same_list(const struct ml_kvlist *a, const struct ml_kvlist *b)
{
	uint32_t i;

	FUZZ_CHECK(a->n == b->n);
	for (i = 0; i < a->n; i++) {
		FUZZ_CHECK(a->e[i].name_len == b->e[i].name_len);
		FUZZ_CHECK(memcmp(ml_kvlist_name(a, i), ml_kvlist_name(b, i), a->e[i].name_len) ==
			   0);
		FUZZ_CHECK(a->e[i].value == b->e[i].value);
		FUZZ_CHECK(a->e[i].slot == b->e[i].slot);
		FUZZ_CHECK(a->e[i].unit == b->e[i].unit);
	}
}

/* No key twice in a list: duplicates are bad lines, not second entries. */
static void
check_list(const struct ml_kvlist *l)
{
	uint32_t i, j;

	FUZZ_CHECK(l->n <= l->cap);
	for (i = 0; i < l->n; i++) {
		FUZZ_CHECK(l->e[i].name_len > 0);
		FUZZ_CHECK(l->e[i].name_off + l->e[i].name_len <= l->names_len);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(l->e[i].name_len != l->e[j].name_len ||
				   memcmp(ml_kvlist_name(l, i), ml_kvlist_name(l, j),
					  l->e[i].name_len) != 0);
	}
}

static void
check(const struct ml_zoneinfo *zi, const struct ml_parse_stats *st)
{
	uint32_t i, k, nslots = 0;

	FUZZ_CHECK(zi->nzones <= st->lines);
	FUZZ_CHECK(zi->nnodes <= st->lines);
	FUZZ_CHECK(zi->nzones <= zi->zones_cap);
	FUZZ_CHECK(zi->nnodes <= zi->nodes_cap);
	for (i = 0; i < zi->nnodes; i++) {
		check_list(&zi->nodes[i].stats);
		for (k = 0; k < i; k++)
			FUZZ_CHECK(zi->nodes[k].id != zi->nodes[i].id);
		nslots += zi->nodes[i].nzones;
	}
	FUZZ_CHECK(nslots == zi->nzones);
	for (i = 0; i < zi->nzones; i++) {
		const struct ml_zi_zone *z = &zi->zones[i];
		uint32_t known = 0, f;

		FUZZ_CHECK(ml_zoneinfo_zone_node(zi, z) != NULL);
		FUZZ_CHECK(memchr(z->name, '\0', sizeof z->name) != NULL);
		FUZZ_CHECK(z->npagesets <= z->pagesets_cap);
		FUZZ_CHECK(!z->has_protection || z->nprotection <= z->protection_cap);
		check_list(&z->fields);
		check_list(&z->counters);
		check_list(&z->numa);
		check_list(&z->pageset_other);
		for (k = 0; k < z->fields.n; k++) {
			int16_t slot = z->fields.e[k].slot;

			if (slot < 0)
				continue;
			known++;
			FUZZ_CHECK(ml_zi_has(z, (enum ml_zi_field)slot));
			FUZZ_CHECK(z->val[slot] == z->fields.e[k].value);
		}
		for (f = 0; f < ML_ZI__FIELD_COUNT; f++)
			known -= ml_zi_has(z, (enum ml_zi_field)f);
		FUZZ_CHECK(known == 0);
		for (k = 0; k < z->npagesets; k++)
			FUZZ_CHECK((z->pagesets[k].present >> ML_ZI_PCP__COUNT) == 0);
	}
}

static void
same(const struct ml_zoneinfo *a, const struct ml_zoneinfo *b)
{
	uint32_t i, k;

	FUZZ_CHECK(a->nzones == b->nzones);
	FUZZ_CHECK(a->nnodes == b->nnodes);
	FUZZ_CHECK(a->node_stats_in_zone == b->node_stats_in_zone);
	FUZZ_CHECK(a->node_stats_record == b->node_stats_record);
	FUZZ_CHECK(a->protection_after_counters == b->protection_after_counters);
	for (i = 0; i < a->nnodes; i++) {
		FUZZ_CHECK(a->nodes[i].id == b->nodes[i].id);
		FUZZ_CHECK(a->nodes[i].has_stats == b->nodes[i].has_stats);
		FUZZ_CHECK(a->nodes[i].nzones == b->nodes[i].nzones);
		same_list(&a->nodes[i].stats, &b->nodes[i].stats);
	}
	for (i = 0; i < a->nzones; i++) {
		const struct ml_zi_zone *x = &a->zones[i], *y = &b->zones[i];

		FUZZ_CHECK(x->node == y->node);
		FUZZ_CHECK(strcmp(x->name, y->name) == 0);
		FUZZ_CHECK(x->populated == y->populated);
		FUZZ_CHECK(memcmp(x->present, y->present, sizeof x->present) == 0);
		for (k = 0; k < ML_ZI__FIELD_COUNT; k++)
			FUZZ_CHECK(!ml_zi_has(x, (enum ml_zi_field)k) || x->val[k] == y->val[k]);
		same_list(&x->fields, &y->fields);
		FUZZ_CHECK(x->has_protection == y->has_protection);
		if (x->has_protection) {
			FUZZ_CHECK(x->nprotection == y->nprotection);
			FUZZ_CHECK(x->nprotection == 0 ||
				   memcmp(x->protection, y->protection,
					  x->nprotection * sizeof x->protection[0]) == 0);
		}
		same_list(&x->counters, &y->counters);
		same_list(&x->numa, &y->numa);
		same_list(&x->pageset_other, &y->pageset_other);
		FUZZ_CHECK(x->npagesets == y->npagesets);
		for (k = 0; k < x->npagesets; k++) {
			const struct ml_zi_pageset *p = &x->pagesets[k], *q = &y->pagesets[k];
			unsigned int f;

			FUZZ_CHECK(p->cpu == q->cpu);
			FUZZ_CHECK(p->present == q->present);
			for (f = 0; f < ML_ZI_PCP__COUNT; f++)
				FUZZ_CHECK(!ml_zi_pcp_has(p, (enum ml_zi_pcp_field)f) ||
					   p->v[f] == q->v[f]);
		}
	}
}

/* The model: every zone judged once, headroom only from known marks. */
static void
check_model(const struct ml_zoneinfo *zi, uint64_t page_size)
{
	struct ml_watermarks w;
	struct ml_wm_health h;
	struct ml_wm_gauge g;
	uint32_t i, n = 0;
	int s;

	ml_watermarks_init(&w);
	if (ml_watermarks_compute(&w, zi, page_size, NULL) != 0) {
		ml_watermarks_release(&w);
		return;
	}
	FUZZ_CHECK(w.nzones == zi->nzones);
	for (s = 0; s < ML_WM__STATE_COUNT; s++)
		n += w.count[s];
	FUZZ_CHECK(n == w.nzones);
	for (i = 0; i < w.nzones; i++) {
		const struct ml_wm_zone *z = &w.zones[i];

		FUZZ_CHECK(z->state < ML_WM__STATE_COUNT);
		if (z->headroom_known)
			FUZZ_CHECK(z->free.known && z->min.known && z->low.known && z->high.known);
		if (z->bytes_known)
			FUZZ_CHECK(page_size != 0 && z->headroom_known);
		ml_wm_gauge_layout(z, 40, &g);
		if (g.known) {
			FUZZ_CHECK(g.fill >= 0 && g.fill <= 40);
			FUZZ_CHECK(g.min >= 0 && g.min < 40 && g.low > g.min && g.low < 40);
			FUZZ_CHECK(g.high > g.low && g.high < 40);
			FUZZ_CHECK(g.promo == -1 || (g.promo > g.high && g.promo < 40));
		}
	}
	ml_watermarks_health(&w, &h);
	FUZZ_CHECK(!h.known || (h.worst >= 0 && (uint32_t)h.worst < w.nzones));
	ml_watermarks_release(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_zoneinfo whole, chunked, other;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	ml_zoneinfo_init(&whole);
	ml_zoneinfo_init(&chunked);
	ml_zoneinfo_init(&other);
	rc = fuzz_parse(&fa, &ml_src_zoneinfo, &whole, buf, len, 0);
	check(&whole, &fa.stats);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_zoneinfo, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	/* Again into the warm struct: every line through the learned layout. */
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_zoneinfo, &chunked, buf, len, chunk ? chunk : 7) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	/* After another file: the layout of that one, relearned where it differs. */
	fuzz_parse(&fb, &ml_src_zoneinfo, &other, obuf, olen, chunk);
	check(&other, &fb.stats);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_zoneinfo, &other, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &other);
	check(&other, &fb.stats);
	check_model(&whole, 4096);
	check_model(&whole, 0);
	ml_zoneinfo_release(&whole);
	ml_zoneinfo_release(&chunked);
	ml_zoneinfo_release(&other);
	return 0;
}
