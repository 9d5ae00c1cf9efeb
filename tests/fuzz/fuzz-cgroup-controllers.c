/*
 * libFuzzer harness for the cgroup.controllers parser (src/proc/cgroup.c):
 * whole and chunked parses agree (see fuzz.h); the list kept is a
 * NUL-terminated prefix of the line, and "memory" is found only as a word.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_cgroup_controllers whole, chunked;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	fuzz_parse(&fa, &ml_src_cgroup_controllers, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_cgroup_controllers, &chunked, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(whole.present == chunked.present);
	FUZZ_CHECK(whole.memory == chunked.memory);
	FUZZ_CHECK(memchr(whole.list, '\0', sizeof whole.list) != NULL);
	FUZZ_CHECK(strcmp(whole.list, chunked.list) == 0);
	FUZZ_CHECK(!whole.memory || whole.present);
	return 0;
}
