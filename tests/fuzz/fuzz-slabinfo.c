/*
 * libFuzzer harness for the slabinfo parser and the slab model: the input is
 * parsed twice into one persistent table (whole, then in 7-byte chunks after
 * splitting it in two at its first NUL byte, so that the second parse sees a
 * different list), and the invariants of the table and the view are checked;
 * then the whole input again, against a fresh table's reading of it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/slab.h"
#include "proc/slabinfo.h"
#include "proc/source.h"

static void
check(const struct ml_slabinfo *si, const struct ml_slab_view *v)
{
	uint32_t i, used = 0;

	for (i = 0; i < si->nslots; i++)
		used += si->slot[i].name != NULL;
	if (si->n > used || used != si->nslots - si->nfree)
		abort();
	for (i = 0; i < si->n; i++) {
		const struct ml_slab_cache *c = ml_slabinfo_cache(si, i), *f;

		if (c->seen != si->generation || c->pos != i || strlen(c->name) != c->name_len)
			abort();
		f = ml_slabinfo_find(si, c->name);
		if (f == NULL || f->seen != si->generation)
			abort();
	}
	if (v->n != si->n || v->total.caches != si->n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *nul = memchr(buf, '\0', size);
	size_t first = nul != NULL ? (size_t)(nul - buf) : size;
	struct ml_slabinfo si, fresh;
	struct ml_slab_view v;
	struct ml_slab_cmp cmp;
	struct ml_feed f;
	const struct ml_slab_row *top[5];
	uint32_t i;
	int k;

	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	ml_parse_buffer(&f, &ml_src_slabinfo, &si, buf, first, 0, NULL);
	if (ml_slab_view_compute(&v, &si, 4096, 1.0) == 0)
		check(&si, &v);
	if (nul != NULL)
		ml_parse_buffer(&f, &ml_src_slabinfo, &si, nul + 1, size - first - 1, 7, NULL);
	else
		ml_parse_buffer(&f, &ml_src_slabinfo, &si, buf, size, 7, NULL);
	if (ml_slab_view_compute(&v, &si, 0, 0.5) == 0) {
		check(&si, &v);
		ml_slab_compare(&cmp, &v, NULL);
		for (k = 0; k < ML_SLAB_SORT__COUNT; k++) {
			ml_slab_view_top(&v, (enum ml_slab_sort)k, 5, top);
			ml_slab_view_sort(&v, (enum ml_slab_sort)k, k & 1);
		}
	}
	/*
	 * The unchanged-line shortcut: a table that saw the text before must end
	 * with the numbers a fresh table reads from it.
	 */
	ml_parse_buffer(&f, &ml_src_slabinfo, &si, buf, size, 4096, NULL);
	ml_slabinfo_init(&fresh);
	ml_parse_buffer(&f, &ml_src_slabinfo, &fresh, buf, size, 1, NULL);
	if (fresh.n != si.n)
		abort();
	for (i = 0; i < si.n; i++) {
		const struct ml_slab_cache *a = ml_slabinfo_cache(&si, i),
					   *b = ml_slabinfo_cache(&fresh, i);

		if (strcmp(a->name, b->name) != 0 || a->dup != b->dup ||
		    memcmp(&a->cur, &b->cur, sizeof a->cur) != 0)
			abort();
	}
	ml_slabinfo_release(&fresh);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
	return 0;
}
