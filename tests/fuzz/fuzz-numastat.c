/*
 * libFuzzer harness for the numastat parser (src/proc/nodeinfo.c): whole,
 * chunked and warm parses agree, after another file too (see fuzz.h).
 */
#include "config.h"

#include "kv-common.h"
#include "proc/nodeinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_numastat whole, chunked;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	ml_numastat_init(&whole);
	ml_numastat_init(&chunked);
	rc = fuzz_parse(&fa, &ml_src_numastat, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_numastat, &chunked, obuf, olen, chunk);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_numastat, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_NS__COUNT);
	ml_numastat_release(&whole);
	ml_numastat_release(&chunked);
	return 0;
}
