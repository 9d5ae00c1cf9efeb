/*
 * libFuzzer harness for the node meminfo parser (src/proc/nodeinfo.c):
 * whole, chunked and warm parses agree, after another file too (see
 * fuzz.h); the node number is the same for every good line.
 */
#include "config.h"

#include "kv-common.h"
#include "proc/nodeinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb, fc;
	struct ml_node_meminfo whole, chunked;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	ml_node_meminfo_init(&whole);
	ml_node_meminfo_init(&chunked);
	rc = fuzz_parse(&fa, &ml_src_node_meminfo, &whole, buf, len, 0);
	FUZZ_CHECK(whole.node < ML_NODE_MAX);
	FUZZ_CHECK(rc != 0 || ml_node_meminfo_has(&whole, ML_NM_MEM_TOTAL));
	/* a warm struct that parsed another file first */
	fuzz_parse(&fb, &ml_src_node_meminfo, &chunked, obuf, olen, chunk);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_node_meminfo, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(whole.node == chunked.node);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_NM__COUNT);
	FUZZ_CHECK(fuzz_parse(&fc, &ml_src_node_meminfo, &chunked, buf, len, chunk ? chunk : 7) ==
		   rc);
	fuzz_same_stats(&fa.stats, &fc.stats);
	fuzz_same_kv(&whole.all, whole.val, whole.present, &chunked.all, chunked.val,
		     chunked.present, ML_NM__COUNT);
	ml_node_meminfo_release(&whole);
	ml_node_meminfo_release(&chunked);
	return 0;
}
