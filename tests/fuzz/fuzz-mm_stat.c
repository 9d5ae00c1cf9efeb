/*
 * libFuzzer harness for zram's mm_stat parser (src/proc/zram.c): whole and
 * chunked parses agree (see fuzz.h); a parsed line has 7 to 9 known columns.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/zram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_zram_mm_stat whole, chunked;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	int rc;

	rc = fuzz_parse(&fa, &ml_src_zram_mm_stat, &whole, buf, len, 0);
	FUZZ_CHECK(rc != 0 ||
		   (whole.present && whole.ncols >= ML_ZR_MIN_COLS && whole.ncols <= ML_ZR__COUNT));
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_zram_mm_stat, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(memcmp(&whole, &chunked, sizeof whole) == 0);
	return 0;
}
