/*
 * libFuzzer harness for the vmstat parser (src/proc/vmstat.c): whole, chunked and
 * warm parses of the same input agree (see fuzz.h).
 */
#include "config.h"

#include "kv-common.h"
#include "proc/vmstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb, fc;
	struct ml_vmstat whole, chunked;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	ml_vmstat_init(&whole);
	ml_vmstat_init(&chunked);
	fuzz_parse(&fa, &ml_src_vmstat, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_vmstat, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_VS__COUNT);
	/* Again into the warm struct: the learned layout and the bulk path. */
	fuzz_parse(&fc, &ml_src_vmstat, &chunked, buf, len, chunk ? chunk : 7);
	fuzz_same_stats(&fa.stats, &fc.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_VS__COUNT);
	ml_vmstat_release(&whole);
	ml_vmstat_release(&chunked);
	return 0;
}
