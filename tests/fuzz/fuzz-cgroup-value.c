/*
 * libFuzzer harness for the cgroup single-value and limit parsers
 * (src/proc/cgroup.c): whole and chunked parses agree (see fuzz.h); a value
 * is unlimited only as a limit, and then it is "max" or at least
 * ML_CG_UNLIMITED_FLOOR; a plain value is never unlimited.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(const struct ml_cgroup_value *a, const struct ml_cgroup_value *b)
{
	FUZZ_CHECK(a->present == b->present);
	FUZZ_CHECK(a->unlimited == b->unlimited);
	FUZZ_CHECK(!a->present || a->v == b->v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_cgroup_value whole, chunked;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	fuzz_parse(&fa, &ml_src_cgroup_value, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_cgroup_value, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	FUZZ_CHECK(!whole.unlimited);
	FUZZ_CHECK(whole.present || fa.stats.bad_lines > 0 || fa.stats.lines == 0);

	fuzz_parse(&fa, &ml_src_cgroup_limit, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_cgroup_limit, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same(&whole, &chunked);
	FUZZ_CHECK(!whole.unlimited || whole.v >= ML_CG_UNLIMITED_FLOOR);
	FUZZ_CHECK(whole.unlimited || !whole.present || whole.v < ML_CG_UNLIMITED_FLOOR);
	return 0;
}
