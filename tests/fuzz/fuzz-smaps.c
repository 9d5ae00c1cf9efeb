/*
 * libFuzzer harness for the smaps parser (src/proc/smaps.c) and the mapping
 * sums (src/model/mapkind.c): whole, chunked, warm and after-another-file
 * parses hand over the same records (a digest of every header field and
 * every field line, pid-common.h) and give the same sums; each record keeps
 * the header's invariants and goes forward; and every sum is exact (computed
 * here in 128 bits) or unknown, never wrapped.
 */
#include "config.h"

#include "model/mapkind.h"
#include "pid-common.h"

struct seen {
	uint64_t h, n, prev_end;
	unsigned __int128 exact[ML_MS__COUNT];
	uint32_t known;
	uint32_t poison; /* a record printed the fields, but their own sum overflows */
	struct ml_mapsum *sum;
};

static int
on_record(void *arg, const struct ml_smaps_record *r)
{
	struct seen *s = arg;
	uint64_t v;
	int m;

	fuzz_check_vma(&r->vma);
	FUZZ_CHECK(s->n == 0 || r->vma.start >= s->prev_end);
	FUZZ_CHECK(r->vmflags != NULL && strlen(r->vmflags) == r->vmflags_len);
	FUZZ_CHECK(r->name_line != NULL && strlen(r->name_line) == r->name_line_len);
	s->prev_end = r->vma.end;
	s->h = fuzz_vma_digest(s->h, &r->vma);
	s->h = fuzz_fields_digest(s->h, &r->f);
	s->h = fuzz_mix(s->h, &r->lineno, sizeof r->lineno);
	s->h = fuzz_mix(s->h, r->vmflags, r->vmflags_len);
	s->h = fuzz_mix(s->h, r->name_line, r->name_line_len);
	s->n++;
	for (m = 0; m < ML_MS__COUNT; m++) {
		if (ml_ms_value(&r->f, (enum ml_ms)m, &v)) {
			s->exact[m] += v;
			s->known |= 1u << m;
		} else if (m == ML_MS_USS && ml_smaps_has(&r->f, ML_SM_PRIVATE_CLEAN) &&
			   ml_smaps_has(&r->f, ML_SM_PRIVATE_DIRTY)) {
			s->poison |= 1u << m;
		} else if (m == ML_MS_HUGETLB && (ml_smaps_has(&r->f, ML_SM_SHARED_HUGETLB) ||
						  ml_smaps_has(&r->f, ML_SM_PRIVATE_HUGETLB))) {
			s->poison |= 1u << m;
		}
	}
	return ml_mapsum_add(s->sum, r, NULL);
}

static void
parse(struct ml_smaps *sm, struct ml_mapsum *sum, const char *buf, size_t len, size_t chunk,
      struct ml_feed *f, struct seen *s)
{
	int m;

	memset(s, 0, sizeof *s);
	s->h = UINT64_C(0xcbf29ce484222325);
	s->sum = sum;
	sm->arg = s;
	ml_mapsum_begin(sum);
	fuzz_parse(f, &ml_src_smaps, sm, buf, len, chunk);
	FUZZ_CHECK(sm->records == s->n);
	FUZZ_CHECK(sum->records == s->n && sum->total.maps == s->n);
	/* Exact, or unknown: a sum that does not fit in 64 bits is never shown. */
	for (m = 0; m < ML_MS__COUNT; m++) {
		bool fits = s->exact[m] <= UINT64_MAX;

		FUZZ_CHECK(ml_msum_has(&sum->total, (enum ml_ms)m) ==
			   (((s->known >> m) & 1) && fits && !((s->poison >> m) & 1)));
		if (ml_msum_has(&sum->total, (enum ml_ms)m))
			FUZZ_CHECK(sum->total.v[m] == (uint64_t)s->exact[m]);
	}
}

static void
same_sums(const struct ml_mapsum *a, const struct ml_mapsum *b)
{
	int k, m;

	FUZZ_CHECK(a->nused == b->nused);
	for (k = 0; k < ML_MK__COUNT; k++) {
		FUZZ_CHECK(a->kind[k].maps == b->kind[k].maps);
		for (m = 0; m < ML_MS__COUNT; m++) {
			FUZZ_CHECK(ml_msum_has(&a->kind[k], (enum ml_ms)m) ==
				   ml_msum_has(&b->kind[k], (enum ml_ms)m));
			FUZZ_CHECK(!ml_msum_has(&a->kind[k], (enum ml_ms)m) ||
				   a->kind[k].v[m] == b->kind[k].v[m]);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	static struct ml_smaps fresh, warm;
	static struct ml_mapsum sa, sb;
	static bool init;
	struct seen a, b;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);

	if (!init) {
		ml_smaps_init(&warm, on_record, NULL);
		ml_mapsum_init(&sb);
		init = true;
	}
	/* A fresh parser and fresh sums each time; the warm ones live on. */
	ml_smaps_init(&fresh, on_record, NULL);
	ml_mapsum_init(&sa);
	parse(&fresh, &sa, buf, len, 0, &fa, &a);
	parse(&warm, &sb, obuf, olen, chunk, &fb, &b);
	parse(&warm, &sb, buf, len, chunk, &fb, &b);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(a.h == b.h && a.n == b.n);
	same_sums(&sa, &sb);
	parse(&warm, &sb, buf, len, chunk ? chunk : 7, &fb, &b);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(a.h == b.h && a.n == b.n);
	same_sums(&sa, &sb);
	ml_smaps_release(&fresh);
	ml_mapsum_release(&sa);
	return 0;
}
