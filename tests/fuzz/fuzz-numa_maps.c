/*
 * libFuzzer harness for the numa_maps parser (src/proc/numamaps.c): whole,
 * chunked and warm parses agree, after another file too (see fuzz.h); the
 * sums never count a line twice (resident <= mappings) and every node with
 * figures was named.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/numamaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(const struct ml_numa_maps *a, const struct ml_numa_maps *b)
{
	uint32_t i;

	FUZZ_CHECK(a->nnodes == b->nnodes);
	for (i = 0; i < a->nnodes; i++)
		FUZZ_CHECK(memcmp(&a->node[i], &b->node[i], sizeof a->node[i]) == 0);
	FUZZ_CHECK(a->mappings == b->mappings && a->resident == b->resident);
	FUZZ_CHECK(a->anon_pages == b->anon_pages && a->anon_bytes == b->anon_bytes);
	FUZZ_CHECK(a->dirty_bytes == b->dirty_bytes && a->swapcache_bytes == b->swapcache_bytes);
	FUZZ_CHECK(a->overflow == b->overflow);
	FUZZ_CHECK(a->npolicies == b->npolicies && a->other_policies == b->other_policies);
	FUZZ_CHECK(memcmp(a->policy, b->policy, sizeof a->policy) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_numa_maps whole, chunked;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	uint32_t i;
	int k;

	ml_numa_maps_init(&whole);
	ml_numa_maps_init(&chunked);
	fuzz_parse(&fa, &ml_src_numa_maps, &whole, buf, len, 0);
	FUZZ_CHECK(whole.resident <= whole.mappings);
	FUZZ_CHECK(whole.nnodes <= 1024);
	for (i = 0; i < whole.nnodes; i++) {
		if (whole.node[i].seen)
			continue;
		for (k = 0; k < ML_NMAP__KIND_COUNT; k++)
			FUZZ_CHECK(whole.node[i].bytes[k] == 0);
		FUZZ_CHECK(whole.node[i].base_pages == 0 && whole.node[i].huge_pages_unsized == 0);
	}
	fuzz_parse(&fb, &ml_src_numa_maps, &chunked, obuf, olen, chunk);
	fuzz_parse(&fb, &ml_src_numa_maps, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	ml_numa_maps_release(&whole);
	ml_numa_maps_release(&chunked);
	return 0;
}
