/*
 * libFuzzer harness for the memory.events / memory.oom_control parser
 * (src/proc/cgroup.c): whole, chunked and warm parses agree (see fuzz.h).
 */
#include "config.h"

#include "kv-common.h"
#include "proc/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb, fc;
	struct ml_cgroup_events whole, warm;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);

	ml_cgroup_events_init(&whole);
	ml_cgroup_events_init(&warm);
	fuzz_parse(&fa, &ml_src_cgroup_events, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_cgroup_events, &warm, obuf, olen, chunk);
	fuzz_parse(&fc, &ml_src_cgroup_events, &warm, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fc.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &warm.all, warm.val, warm.present,
		     ML_CGEV__COUNT);
	ml_cgroup_events_release(&whole);
	ml_cgroup_events_release(&warm);
	return 0;
}
