/*
 * libFuzzer harness for the per-process parsers: maps, smaps, smaps_rollup
 * and PID/status. Each input goes through all four, whole and in chunks of a
 * size taken from its first byte, and the two parses must agree (records,
 * bad lines, sums): any chunk split gives the same result.
 *
 *   ./configure CC=clang --enable-fuzzing && make tests/fuzz/fuzz-pid-files
 *   tests/fuzz/fuzz-pid-files -max_total_time=60 tests/fixtures/procs-6.18/4242
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/mapkind.h"
#include "proc/maps.h"
#include "proc/pids.h"
#include "proc/smaps.h"

struct digest {
	uint64_t n, sum;
};

static int
on_vma(void *arg, const struct ml_vma *v)
{
	struct digest *d = arg;

	d->n++;
	d->sum = d->sum * 31 + v->start + v->end + v->name_len + v->name_kind + v->deleted;
	return 0;
}

static int
on_record(void *arg, const struct ml_smaps_record *r)
{
	struct ml_mapsum *s = arg;

	return ml_mapsum_add(s, r, NULL);
}

static struct ml_maps maps;
static struct ml_smaps sm;
static struct ml_smaps_rollup roll;
static struct ml_mapsum sum;
static struct ml_pid_status st;

/* Parse with src in chunks of chunk (0: whole); the stats and a digest of the output. */
static void
run(const struct ml_source *src, void *out, const uint8_t *data, size_t size, size_t chunk,
    struct ml_parse_stats *stats, uint64_t *digest)
{
	struct ml_feed f;
	char *cause = NULL;
	struct digest d = { 0, 0 };

	if (src == &ml_src_maps) {
		ml_maps_init(&maps, on_vma, &d);
		out = &maps;
	}
	if (src == &ml_src_smaps)
		ml_mapsum_begin(&sum);
	ml_parse_buffer(&f, src, out, (const char *)data, size, chunk, &cause);
	free(cause);
	*stats = f.stats;
	if (src == &ml_src_maps)
		*digest = d.n * 1000003 + d.sum;
	else if (src == &ml_src_smaps)
		*digest = sum.records * 1000003 + sum.total.v[ML_MS_RSS] + sum.total.v[ML_MS_PSS] +
			  sum.nused;
	else if (src == &ml_src_smaps_rollup)
		*digest = roll.f.all.n * 1000003 + roll.f.val[ML_SM_RSS] + roll.has_header;
	else
		*digest = (uint64_t)st.ppid * 31 + st.euid + (uint64_t)st.kthread + st.has_name;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	const struct ml_source *srcs[] = { &ml_src_maps, &ml_src_smaps, &ml_src_smaps_rollup,
					   &ml_src_pid_status };
	void *outs[] = { &maps, &sm, &roll, &st };
	struct ml_parse_stats a, b;
	uint64_t da, db;
	size_t chunk, i;

	if (!init) {
		ml_smaps_init(&sm, on_record, &sum);
		ml_smaps_rollup_init(&roll);
		ml_mapsum_init(&sum);
		init = true;
	}
	if (size < 1)
		return 0;
	chunk = (size_t)data[0] % 64 + 1;
	data++;
	size--;
	for (i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
		run(srcs[i], outs[i], data, size, 0, &a, &da);
		run(srcs[i], outs[i], data, size, chunk, &b, &db);
		if (a.lines != b.lines || a.bad_lines != b.bad_lines || da != db)
			abort();
	}
	return 0;
}
