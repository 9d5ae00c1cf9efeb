/*
 * libFuzzer harness for the buddyinfo parser (src/proc/buddyinfo.c) and the
 * fragmentation model: whole, chunked, warm and after-another-file parses
 * agree (see fuzz.h), and the table's own invariants hold: at most
 * ML_BUDDY_ORDERS_MAX orders, every zone once, names NUL-terminated, no
 * count past the orders; the model's sums are exact or flagged as overflowing,
 * and its indices stay in the kernel's ranges where the kernel's arithmetic
 * keeps them there.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "model/fragmentation.h"
#include "proc/buddyinfo.h"
#include "proc/scan.h"

static void
check(const struct ml_buddyinfo *bi, const struct ml_parse_stats *st)
{
	size_t i, j;
	unsigned int o;

	FUZZ_CHECK(bi->nzones <= st->lines);
	FUZZ_CHECK(bi->norders <= ML_BUDDY_ORDERS_MAX);
	FUZZ_CHECK(bi->nzones == 0 || bi->norders > 0);
	for (i = 0; i < bi->nzones; i++) {
		const struct ml_buddy_zone *z = &bi->zones[i];

		FUZZ_CHECK(z->node >= 0);
		FUZZ_CHECK(memchr(z->name, '\0', sizeof z->name) != NULL);
		FUZZ_CHECK(z->name[0] != '\0');
		for (o = bi->norders; o < ML_BUDDY_ORDERS_MAX; o++)
			FUZZ_CHECK(z->free[o] == 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(bi->zones[j].node != z->node ||
				   strcmp(bi->zones[j].name, z->name) != 0);
		FUZZ_CHECK(ml_buddyinfo_find(bi, z->node, z->name) == z);
	}
}

static void
same(const struct ml_buddyinfo *a, const struct ml_buddyinfo *b)
{
	size_t i;

	FUZZ_CHECK(a->nzones == b->nzones);
	FUZZ_CHECK(a->norders == b->norders);
	for (i = 0; i < a->nzones; i++) {
		FUZZ_CHECK(a->zones[i].node == b->zones[i].node);
		FUZZ_CHECK(strcmp(a->zones[i].name, b->zones[i].name) == 0);
		FUZZ_CHECK(memcmp(a->zones[i].free, b->zones[i].free, sizeof a->zones[i].free) ==
			   0);
	}
}

/* The model: exact sums or an overflow flag, indices in range, largest order right. */
static void
check_model(const struct ml_buddyinfo *bi, uint64_t page_size)
{
	struct ml_frag f;
	struct ml_frag_brief brief[4];
	size_t i, nb;
	unsigned int o;

	ml_frag_init(&f);
	if (ml_frag_compute(&f, bi, page_size, NULL) != 0) {
		ml_frag_release(&f);
		return;
	}
	FUZZ_CHECK(f.nzones == bi->nzones);
	FUZZ_CHECK(f.norders == bi->norders);
	for (i = 0; i < f.nzones; i++) {
		const struct ml_frag_zone *z = &f.zones[i];
		uint64_t pages = 0, blocks = 0, p;
		bool wrapped = false;
		int largest = -1;

		for (o = 0; o < f.norders; o++) {
			uint64_t n = bi->zones[i].free[o];

			if (n != 0)
				largest = (int)o;
			if ((n << o) >> o != n || !ml_add_u64(pages, n << o, &p))
				wrapped = true;
			else
				pages = p;
			if (!ml_add_u64(blocks, n, &blocks))
				wrapped = true;
			/*
			 * In range, unless a divisor has 2^32 or more (the kernel's
			 * div_u64 truncates it, and the model does the same).
			 */
			if (!z->overflow && z->order[o].index_known &&
			    z->free_pages <= UINT32_MAX) {
				FUZZ_CHECK(z->order[o].unusable >= 0 &&
					   z->order[o].unusable <= 1000);
				FUZZ_CHECK(z->order[o].extfrag == ML_FRAG_WOULD_SUCCEED ||
					   (z->order[o].extfrag > -1000 &&
					    z->order[o].extfrag <= 1000));
			}
		}
		FUZZ_CHECK(z->largest_order == largest);
		/* Exact, or flagged: the sums (and free pages x 1000 + 1000) do not fit. */
		if (!wrapped && pages > (UINT64_MAX - 1000) / 1000)
			wrapped = true;
		FUZZ_CHECK(z->overflow == wrapped);
		if (!z->overflow)
			FUZZ_CHECK(z->free_pages == pages && z->free_blocks == blocks);
		if (z->bytes_known)
			FUZZ_CHECK(page_size != 0 && z->free_bytes / page_size == z->free_pages);
	}
	if (f.free_pages_known) {
		uint64_t sum = 0;

		for (i = 0; i < f.nzones; i++)
			FUZZ_CHECK(ml_add_u64(sum, f.zones[i].free_pages, &sum));
		FUZZ_CHECK(sum == f.free_pages);
	}
	nb = ml_frag_brief(bi, brief, 4);
	FUZZ_CHECK(nb == bi->nzones);
	ml_frag_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_buddyinfo whole, chunked, other;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	ml_buddyinfo_init(&whole);
	ml_buddyinfo_init(&chunked);
	ml_buddyinfo_init(&other);
	rc = fuzz_parse(&fa, &ml_src_buddyinfo, &whole, buf, len, 0);
	check(&whole, &fa.stats);
	FUZZ_CHECK((rc == 0) == (whole.nzones > 0));
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_buddyinfo, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	/* Again into the warm table: the learned zones. */
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_buddyinfo, &chunked, buf, len, chunk ? chunk : 7) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	/* After another file: what a fresh table reads. */
	fuzz_parse(&fb, &ml_src_buddyinfo, &other, obuf, olen, chunk);
	check(&other, &fb.stats);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_buddyinfo, &other, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &other);
	check_model(&whole, 4096);
	check_model(&whole, 0);
	ml_buddyinfo_release(&whole);
	ml_buddyinfo_release(&chunked);
	ml_buddyinfo_release(&other);
	return 0;
}
