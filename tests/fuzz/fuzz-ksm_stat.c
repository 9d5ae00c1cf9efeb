/*
 * libFuzzer harness for the PID/ksm_stat parser (src/proc/ksm.c): whole and
 * chunked parses agree (see fuzz.h); yes/no keys hold 0 or 1.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/ksm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_ksm_stat whole, chunked;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	fuzz_parse(&fa, &ml_src_ksm_stat, &whole, buf, len, 0);
	FUZZ_CHECK(whole.present < (1u << ML_KSTAT__COUNT));
	if (ml_ksm_stat_has(&whole, ML_KSTAT_MERGE_ANY))
		FUZZ_CHECK(whole.val[ML_KSTAT_MERGE_ANY] == 0 ||
			   whole.val[ML_KSTAT_MERGE_ANY] == 1);
	fuzz_parse(&fb, &ml_src_ksm_stat, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(memcmp(&whole, &chunked, sizeof whole) == 0);
	return 0;
}
