/*
 * libFuzzer harness for the meminfo parser (src/proc/meminfo.c): whole, chunked and
 * warm parses of the same input agree (see fuzz.h).
 */
#include "config.h"

#include "kv-common.h"
#include "proc/meminfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb, fc;
	struct ml_meminfo whole, chunked;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	ml_meminfo_init(&whole);
	ml_meminfo_init(&chunked);
	fuzz_parse(&fa, &ml_src_meminfo, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_meminfo, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_MI__COUNT);
	/* Again into the warm struct: the learned layout and the bulk path. */
	fuzz_parse(&fc, &ml_src_meminfo, &chunked, buf, len, chunk ? chunk : 7);
	fuzz_same_stats(&fa.stats, &fc.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_MI__COUNT);
	ml_meminfo_release(&whole);
	ml_meminfo_release(&chunked);
	return 0;
}
