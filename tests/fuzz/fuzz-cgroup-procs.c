/*
 * libFuzzer harness for the cgroup.procs parser (src/proc/cgroup.c): whole
 * and chunked parses agree (see fuzz.h), into a fresh and a reused list;
 * every PID kept is 1..INT_MAX and every line is a PID or a bad line.
 */
#include "config.h"

#include <limits.h>

#include "fuzz.h"
#include "proc/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb, fc;
	static struct ml_cgroup_pids warm;
	struct ml_cgroup_pids whole = { 0 };
	size_t chunk, len, olen, i;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);

	fuzz_parse(&fa, &ml_src_cgroup_procs, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_cgroup_procs, &warm, obuf, olen, chunk);
	fuzz_parse(&fc, &ml_src_cgroup_procs, &warm, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fc.stats);
	FUZZ_CHECK(whole.n == warm.n);
	FUZZ_CHECK(whole.n + fa.stats.bad_lines == fa.stats.lines);
	for (i = 0; i < whole.n; i++) {
		FUZZ_CHECK(whole.v[i] == warm.v[i]);
		FUZZ_CHECK(whole.v[i] >= 1 && whole.v[i] <= INT_MAX);
	}
	ml_cgroup_pids_release(&whole);
	return 0;
}
