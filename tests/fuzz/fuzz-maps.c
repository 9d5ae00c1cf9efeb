/*
 * libFuzzer harness for the maps parser (src/proc/maps.c): whole, chunked and
 * warm parses hand over the same mappings (a digest of every field), each
 * mapping keeps the header's invariants (pid-common.h), and mappings only go
 * forward: each starts at or after the end of the one before.
 */
#include "config.h"

#include "pid-common.h"

struct seen {
	uint64_t h, n, prev_end;
};

static int
on_vma(void *arg, const struct ml_vma *v)
{
	struct seen *s = arg;

	fuzz_check_vma(v);
	FUZZ_CHECK(s->n == 0 || v->start >= s->prev_end);
	s->prev_end = v->end;
	s->h = fuzz_vma_digest(s->h, v);
	s->n++;
	return 0;
}

static struct ml_maps maps;

static void
parse(const char *buf, size_t len, size_t chunk, struct ml_feed *f, struct seen *s)
{
	memset(s, 0, sizeof *s);
	s->h = UINT64_C(0xcbf29ce484222325);
	ml_maps_init(&maps, on_vma, s);
	fuzz_parse(f, &ml_src_maps, &maps, buf, len, chunk);
	FUZZ_CHECK(maps.count == s->n);
	FUZZ_CHECK(s->n + f->stats.bad_lines <= f->stats.lines);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct seen a, b;
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	parse(buf, len, 0, &fa, &a);
	parse(buf, len, chunk, &fb, &b);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(a.h == b.h && a.n == b.n);
	parse(buf, len, chunk ? chunk : 7, &fb, &b);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(a.h == b.h && a.n == b.n);
	return 0;
}
