/*
 * libFuzzer harness for the /proc/pressure/memory parser (src/proc/pressure.c):
 * whole, chunked and warm parses agree (see fuzz.h); an average is at most
 * 100000.99 % (the parser's bound) and a line is either whole or absent.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "proc/pressure.h"

static void
check_line(const struct ml_psi_line *l)
{
	if (!l->present) {
		FUZZ_CHECK(l->avg10 == 0 && l->avg60 == 0 && l->avg300 == 0 && l->total_us == 0);
		return;
	}
	FUZZ_CHECK(l->avg10 <= 10000099 && l->avg60 <= 10000099 && l->avg300 <= 10000099);
}

static void
same_line(const struct ml_psi_line *a, const struct ml_psi_line *b)
{
	FUZZ_CHECK(a->present == b->present);
	FUZZ_CHECK(a->avg10 == b->avg10 && a->avg60 == b->avg60 && a->avg300 == b->avg300);
	FUZZ_CHECK(a->total_us == b->total_us);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_pressure whole, chunked;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	rc = fuzz_parse(&fa, &ml_src_pressure_memory, &whole, buf, len, 0);
	check_line(&whole.some);
	check_line(&whole.full);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pressure_memory, &chunked, obuf, olen, chunk) == 0);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pressure_memory, &chunked, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same_line(&whole.some, &chunked.some);
	same_line(&whole.full, &chunked.full);
	FUZZ_CHECK(fa.stats.bad_lines <= fa.stats.lines);
	return 0;
}
