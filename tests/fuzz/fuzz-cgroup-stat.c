/*
 * libFuzzer harness for the cgroup memory.stat parser (src/proc/cgroup.c):
 * whole, chunked and warm parses agree (see fuzz.h); a warm parse follows a
 * different file first (fuzz_other), as one walk's struct reads cgroup after
 * cgroup, and must end with what a fresh parse reads.
 */
#include "config.h"

#include "kv-common.h"
#include "proc/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb, fc;
	struct ml_cgroup_stat whole, warm;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);

	ml_cgroup_stat_init(&whole);
	ml_cgroup_stat_init(&warm);
	fuzz_parse(&fa, &ml_src_cgroup_stat, &whole, buf, len, 0);
	FUZZ_CHECK(fa.stats.bad_lines <= fa.stats.lines);
	fuzz_parse(&fb, &ml_src_cgroup_stat, &warm, obuf, olen, chunk);
	fuzz_parse(&fc, &ml_src_cgroup_stat, &warm, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fc.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &warm.all, warm.val, warm.present,
		     ML_CGS__COUNT);
	ml_cgroup_stat_release(&whole);
	ml_cgroup_stat_release(&warm);
	return 0;
}
