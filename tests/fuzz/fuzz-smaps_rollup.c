/*
 * libFuzzer harness for the smaps_rollup parser (src/proc/smaps.c) and the
 * process sums (src/model/procs.c): whole, chunked, warm and
 * after-another-file parses agree on the header and every field (presence
 * bits and the list, kv-common.h); a process built from the rollup gives
 * measures that are exact or unknown, and sums over processes that never wrap.
 */
#include "config.h"

#include "kv-common.h"
#include "model/procs.h"
#include "pid-common.h"

static void
same_rollup(const struct ml_smaps_rollup *a, const struct ml_smaps_rollup *b)
{
	FUZZ_CHECK(a->has_header == b->has_header);
	FUZZ_CHECK(a->lineno == b->lineno);
	if (a->has_header) {
		fuzz_check_vma(&a->vma);
		FUZZ_CHECK(fuzz_vma_digest(1, &a->vma) == fuzz_vma_digest(1, &b->vma));
	}
	fuzz_same_kv(&a->f.all, a->f.val, a->f.present, &b->f.all, b->f.val, b->f.present,
		     ML_SM__COUNT);
	FUZZ_CHECK(fuzz_fields_digest(1, &a->f) == fuzz_fields_digest(1, &b->f));
}

/* The process sums over three copies of the process: exact or unknown. */
static void
check_procs(const struct ml_smaps_rollup *r)
{
	static struct ml_proc p;
	struct ml_proc_sum sum;
	unsigned __int128 exact;
	uint64_t v;
	int m, i;

	memset(&p, 0, sizeof p);
	p.mem = ML_MEM_OK;
	memcpy(p.val, r->f.val, sizeof p.val);
	memcpy(p.present, r->f.present, sizeof p.present);
	memset(&sum, 0, sizeof sum);
	for (i = 0; i < 3; i++)
		ml_proc_sum_add(&sum, &p);
	for (m = 0; m < ML_PM__COUNT; m++) {
		if (!ml_proc_value(&p, (enum ml_pm)m, &v)) {
			FUZZ_CHECK(!ml_proc_sum_has(&sum, (enum ml_pm)m));
			continue;
		}
		if (m == ML_PM_USS)
			FUZZ_CHECK((unsigned __int128)v ==
				   (unsigned __int128)p.val[ML_SM_PRIVATE_CLEAN] +
					   p.val[ML_SM_PRIVATE_DIRTY]);
		exact = (unsigned __int128)v * 3;
		FUZZ_CHECK(ml_proc_sum_has(&sum, (enum ml_pm)m) == (exact <= UINT64_MAX));
		if (ml_proc_sum_has(&sum, (enum ml_pm)m))
			FUZZ_CHECK(sum.v[m] == (uint64_t)exact);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	static struct ml_smaps_rollup whole, warm;
	static bool init;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);

	if (!init) {
		ml_smaps_rollup_init(&warm);
		init = true;
	}
	ml_smaps_rollup_init(&whole);
	fuzz_parse(&fa, &ml_src_smaps_rollup, &whole, buf, len, 0);
	fuzz_parse(&fb, &ml_src_smaps_rollup, &warm, obuf, olen, chunk);
	fuzz_parse(&fb, &ml_src_smaps_rollup, &warm, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same_rollup(&whole, &warm);
	fuzz_parse(&fb, &ml_src_smaps_rollup, &warm, buf, len, chunk ? chunk : 7);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same_rollup(&whole, &warm);
	check_procs(&whole);
	ml_smaps_rollup_release(&whole);
	return 0;
}
