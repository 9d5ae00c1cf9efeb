/*
 * /proc/PID/smaps and smaps_rollup (doc/procfs.md sections 10 and 11): the 6.18
 * captures, a 3.10-order smaps, an Android smaps with PSwap: and Name:,
 * both THPeligible widths, unknown fields, garbage and truncation; and that
 * parsing the 2.9 MB manyvma smaps streams (records come out while it is fed,
 * the heap does not grow with it).
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "proc/smaps.h"

struct seen {
	uint64_t n;
	uint64_t sum[ML_SM__COUNT];
	uint64_t present_all[ML_SM__COUNT]; /* records that printed each key */
	uint64_t unknown;                   /* unknown fields, over all records */
	uint64_t vmflags, name_lines;
	uint64_t digest;
	uint64_t relearns_after_first, relearns_last;
	uint32_t fields_first;
	char first_vmflags[64];
	char last_name[64];
	char last_name_line[64];
	uint64_t last_thp;
	bool last_has_thp;
};

static void
mix(uint64_t *h, uint64_t v)
{
	*h ^= v + 0x9e3779b97f4a7c15ULL + (*h << 6) + (*h >> 2);
}

static int
on_record(void *arg, const struct ml_smaps_record *r)
{
	struct seen *s = arg;
	uint32_t i;
	size_t k;

	s->n++;
	for (k = 0; k < ML_SM__COUNT; k++) {
		if (ml_smaps_has(&r->f, (enum ml_sm_key)k)) {
			s->sum[k] += r->f.val[k];
			s->present_all[k]++;
		}
	}
	mix(&s->digest, r->vma.start);
	for (i = 0; i < r->f.all.n; i++) {
		const struct ml_kv_entry *e = &r->f.all.e[i];

		if (e->slot < 0)
			s->unknown++;
		mix(&s->digest, e->value);
		mix(&s->digest, e->name_len);
	}
	for (i = 0; i < r->vmflags_len; i++)
		mix(&s->digest, (unsigned char)r->vmflags[i]);
	s->vmflags += r->has_vmflags;
	s->name_lines += r->has_name_line;
	if (s->n == 1) {
		s->fields_first = r->f.all.n;
		s->relearns_after_first = r->f.all.relearns;
		snprintf(s->first_vmflags, sizeof s->first_vmflags, "%.*s", (int)r->vmflags_len,
			 r->vmflags);
	}
	snprintf(s->last_name, sizeof s->last_name, "%s", r->vma.name);
	snprintf(s->last_name_line, sizeof s->last_name_line, "%.*s", (int)r->name_line_len,
		 r->name_line);
	s->relearns_last = r->f.all.relearns;
	s->last_has_thp = ml_smaps_has(&r->f, ML_SM_THP_ELIGIBLE);
	s->last_thp = r->f.val[ML_SM_THP_ELIGIBLE];
	return 0;
}

static struct ml_smaps sm; /* holds an 8 KiB name buffer */

static struct ml_parse_stats
parse(struct seen *s, const char *buf, size_t len, size_t chunk)
{
	struct ml_feed f;

	memset(s, 0, sizeof *s);
	ml_smaps_init(&sm, on_record, s);
	unit_parse(&f, &ml_src_smaps, &sm, buf, len, chunk);
	ml_smaps_release(&sm);
	return f.stats;
}

static void
t_manyvma(void **state)
{
	size_t len, c;
	char *buf = unit_load_fixture("procs-6.18/1234/smaps", &len);
	struct seen whole, part;
	struct ml_parse_stats st;

	(void)state;
	st = parse(&whole, buf, len, 0);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.lines, 100700);
	assert_int_equal(whole.n, 4028);
	assert_int_equal(whole.vmflags, 4028);
	assert_int_equal(whole.fields_first, 23); /* the 23 numeric lines of 6.18 */
	assert_int_equal(whole.unknown, 0);
	/* Sums checked with awk over the capture. */
	assert_int_equal(whole.sum[ML_SM_RSS], 9688ULL * 1024);
	assert_int_equal(whole.sum[ML_SM_PSS], 8123ULL * 1024);
	assert_int_equal(whole.sum[ML_SM_PSS_DIRTY], 8120ULL * 1024);
	assert_int_equal(whole.sum[ML_SM_PRIVATE_DIRTY], 8120ULL * 1024);
	assert_int_equal(whole.sum[ML_SM_SHARED_CLEAN], 1568ULL * 1024);
	assert_int_equal(whole.sum[ML_SM_ANONYMOUS], 8108ULL * 1024);
	assert_int_equal(whole.present_all[ML_SM_KERNEL_PAGE_SIZE], 4028);
	assert_int_equal(whole.present_all[ML_SM_THP_ELIGIBLE], 4028);
	assert_int_equal(whole.present_all[ML_SM_PSS_ANON], 0); /* rollup only */
	assert_string_equal(whole.first_vmflags, "rd mr mw me");
	assert_string_equal(whole.last_name, "[vsyscall]");
	assert_true(whole.last_has_thp);
	/* Learned once: the layout is not relearned for the 4027 other records. */
	assert_int_equal(whole.relearns_last, whole.relearns_after_first);
	for (c = 1; c < 4; c++) {
		st = parse(&part, buf, len, unit_chunk_sizes[c]);
		assert_int_equal(st.bad_lines, 0);
		assert_int_equal(part.n, whole.n);
		assert_int_equal(part.digest, whole.digest);
		assert_memory_equal(part.sum, whole.sum, sizeof whole.sum);
	}
	free(buf);
}

/* Streaming: records come out while the input is fed; the heap stays flat. */
struct stream_check {
	uint64_t n;
};

static int
count_record(void *arg, const struct ml_smaps_record *r)
{
	(void)r;
	((struct stream_check *)arg)->n++;
	return 0;
}

static void
t_flat_memory(void **state)
{
	size_t len, off, n;
	char *buf = unit_load_fixture("procs-6.18/1234/smaps", &len);
	struct stream_check sc = { 0 };
	struct ml_feed f;
	struct mallinfo2 before, after;
	char *cause = NULL;
	uint64_t at_64k = 0;

	(void)state;
	ml_smaps_init(&sm, count_record, &sc);
	/* Warm up: learn the layout on the first 64 KiB. */
	assert_int_equal(ml_feed_begin(&f, &ml_src_smaps, &sm), 0);
	assert_int_equal(ml_feed(&f, buf, 65536), 0);
	at_64k = sc.n;
	assert_true(at_64k > 50); /* about 90 records are in 64 KiB: handed over already */
	before = mallinfo2();
	for (off = 65536; off < len; off += n) {
		n = len - off < 4096 ? len - off : 4096;
		assert_int_equal(ml_feed(&f, buf + off, n), 0);
	}
	assert_int_equal(ml_feed_finish(&f, &cause), 0);
	after = mallinfo2();
	assert_int_equal(sc.n, 4028);
	/* Not one byte more on the heap for the other 2.8 MB. */
	assert_true(after.uordblks <= before.uordblks);
	ml_smaps_release(&sm);
	free(buf);
}

static void
t_rollup(void **state)
{
	size_t len, c;
	char *buf = unit_load_fixture("procs-6.18/4242/smaps_rollup", &len);
	struct ml_smaps_rollup r, r2;
	struct ml_feed f;

	(void)state;
	ml_smaps_rollup_init(&r);
	unit_parse(&f, &ml_src_smaps_rollup, &r, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_true(r.has_header);
	assert_string_equal(r.vma.name, "[rollup]");
	assert_int_equal(r.vma.start, 0x5623164f2000ULL);
	assert_int_equal(r.vma.end, 0x7ffd05027000ULL);
	assert_int_equal(r.f.all.n, 22);
	assert_int_equal(r.f.val[ML_SM_RSS], 1688 * 1024);
	assert_int_equal(r.f.val[ML_SM_PSS], 313 * 1024);
	assert_int_equal(r.f.val[ML_SM_PSS_DIRTY], 112 * 1024);
	assert_int_equal(r.f.val[ML_SM_PSS_ANON], 112 * 1024);
	assert_int_equal(r.f.val[ML_SM_PSS_FILE], 201 * 1024);
	assert_true(ml_smaps_has(&r.f, ML_SM_PSS_SHMEM));
	assert_int_equal(r.f.val[ML_SM_PSS_SHMEM], 0);
	assert_int_equal(r.f.val[ML_SM_PRIVATE_HUGETLB], 0);
	assert_true(ml_smaps_has(&r.f, ML_SM_PRIVATE_HUGETLB));
	assert_false(ml_smaps_has(&r.f, ML_SM_SIZE));
	assert_false(ml_smaps_has(&r.f, ML_SM_THP_ELIGIBLE));
	for (c = 1; c < 4; c++) {
		ml_smaps_rollup_init(&r2);
		unit_parse(&f, &ml_src_smaps_rollup, &r2, buf, len, unit_chunk_sizes[c]);
		assert_memory_equal(r2.f.val, r.f.val, sizeof r.f.val);
		assert_memory_equal(r2.f.present, r.f.present, sizeof r.f.present);
		assert_int_equal(r2.vma.end, r.vma.end);
		ml_smaps_rollup_release(&r2);
	}
	/* Parsed again into the same struct: nothing relearned. */
	c = (size_t)r.f.all.relearns;
	unit_parse(&f, &ml_src_smaps_rollup, &r, buf, len, 7);
	assert_int_equal(r.f.all.relearns, c);
	ml_smaps_rollup_release(&r);
	free(buf);
}

/*
 * Without the final newline: smaps_rollup's last line ends in its unit and
 * is parsed as with the newline (in every chunking); cut before the unit's
 * end it is refused. smaps ends with a VmFlags line, whose last flag may
 * have been cut: refused, the rest of the record kept.
 */
static void
t_no_final_newline(void **state)
{
	size_t len, slen, c, cut;
	char *buf = unit_load_fixture("procs-6.18/4242/smaps_rollup", &len);
	char *sbuf = unit_load_fixture("procs-6.18/4242/smaps", &slen);
	const char *last = strstr(buf, "Locked:");
	struct ml_smaps_rollup want, got;
	struct ml_feed f;
	struct seen whole, part;
	struct ml_parse_stats st;

	(void)state;
	assert_true(buf[len - 1] == '\n' && last != NULL);
	ml_smaps_rollup_init(&want);
	unit_parse(&f, &ml_src_smaps_rollup, &want, buf, len, 0);
	for (c = 0; c < ML_ARRAY_SIZE(unit_chunk_sizes); c++) {
		ml_smaps_rollup_init(&got);
		unit_parse(&f, &ml_src_smaps_rollup, &got, buf, len - 1, unit_chunk_sizes[c]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_memory_equal(got.f.val, want.f.val, sizeof want.f.val);
		assert_memory_equal(got.f.present, want.f.present, sizeof want.f.present);
		assert_true(ml_smaps_has(&got.f, ML_SM_LOCKED));
		ml_smaps_rollup_release(&got);
	}
	for (cut = strlen("Locked:   "); cut < (size_t)(buf + len - 1 - last); cut++) {
		ml_smaps_rollup_init(&got);
		unit_parse(&f, &ml_src_smaps_rollup, &got, buf, (size_t)(last - buf) + cut, 0);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_false(ml_smaps_has(&got.f, ML_SM_LOCKED));
		ml_smaps_rollup_release(&got);
	}
	ml_smaps_rollup_release(&want);

	assert_true(sbuf[slen - 1] == '\n');
	parse(&whole, sbuf, slen, 0);
	st = parse(&part, sbuf, slen - 1, 0);
	assert_int_equal(st.bad_lines, 1);
	assert_string_equal(st.first_bad_why, "no newline at end of file (truncated)");
	assert_int_equal(part.n, whole.n);
	assert_int_equal(part.vmflags, whole.vmflags - 1);
	assert_memory_equal(part.sum, whole.sum, sizeof whole.sum);
	free(sbuf);
	free(buf);
}

static void
t_rollup_errors(void **state)
{
	struct ml_smaps_rollup r;
	const struct ml_feed *f;

	(void)state;
	ml_smaps_rollup_init(&r);
	/* Fields without the header. */
	f = unit_parse_str(&ml_src_smaps_rollup, &r, "Rss:  4 kB\nPss:  2 kB\n");
	assert_int_equal(f->stats.bad_lines, 2);
	assert_false(r.has_header);
	assert_false(ml_smaps_has(&r.f, ML_SM_RSS));
	/* A header that is not [rollup], a second header, garbage, overflow. */
	f = unit_parse_str(&ml_src_smaps_rollup, &r,
			   "1000-2000 ---p 00000000 00:00 0   [heap]\n"
			   "1000-2000 ---p 00000000 00:00 0   [rollup]\n"
			   "Rss:   8 kB\n"
			   "1000-2000 ---p 00000000 00:00 0   [rollup]\n"
			   "this is not a field\n"
			   "Pss: 99999999999999999999 kB\n"
			   "Swap: 18014398509481984 kB\n"
			   "Rss: 8 kB\n"
			   "Locked: 4\n"
			   "SwapPss: 0 kB\n");
	assert_int_equal(f->stats.bad_lines, 7);
	assert_int_equal(f->stats.first_bad_lineno, 1);
	assert_true(r.has_header);
	assert_int_equal(r.f.val[ML_SM_RSS], 8192);
	assert_false(ml_smaps_has(&r.f, ML_SM_PSS));
	assert_false(ml_smaps_has(&r.f, ML_SM_SWAP));   /* overflows once in bytes */
	assert_false(ml_smaps_has(&r.f, ML_SM_LOCKED)); /* no kB: not trusted */
	assert_true(ml_smaps_has(&r.f, ML_SM_SWAP_PSS));
	ml_smaps_rollup_release(&r);
}

static void
t_old_and_vendor(void **state)
{
	size_t len, c;
	char *buf;
	struct seen s, part;

	(void)state;
	/* 3.10 order: KernelPageSize and MMUPageSize after Swap; no SwapPss, no THPeligible. */
	buf = unit_load_fixture("procs-6.18/310/smaps", &len);
	assert_int_equal(parse(&s, buf, len, 0).bad_lines, 0);
	assert_int_equal(s.n, 12);
	assert_int_equal(s.fields_first, 14);
	assert_int_equal(s.present_all[ML_SM_KERNEL_PAGE_SIZE], 12);
	assert_int_equal(s.present_all[ML_SM_SWAP_PSS], 0);
	assert_int_equal(s.present_all[ML_SM_THP_ELIGIBLE], 0);
	assert_int_equal(s.sum[ML_SM_RSS],
			 (200 + 4 + 12 + 132 + 100 + 16 + 1024 + 1024 + 24 + 4) * 1024ULL);
	assert_int_equal(s.sum[ML_SM_SWAP], 32 * 1024);
	assert_string_equal(s.first_vmflags, "rd ex mr mw me dw");
	for (c = 1; c < 4; c++) {
		parse(&part, buf, len, unit_chunk_sizes[c]);
		assert_int_equal(part.digest, s.digest);
	}
	free(buf);

	/* Android: PSwap: kept as an unknown field, Name: kept as a string. */
	buf = unit_load_fixture("procs-6.18/400/smaps", &len);
	assert_int_equal(parse(&s, buf, len, 0).bad_lines, 0);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.unknown, 5); /* one PSwap: per record */
	assert_int_equal(s.name_lines, 2);
	assert_string_equal(s.last_name, "[stack]");
	assert_int_equal(s.sum[ML_SM_SWAP], 256 * 1024);
	for (c = 1; c < 4; c++) {
		parse(&part, buf, len, unit_chunk_sizes[c]);
		assert_int_equal(part.digest, s.digest);
	}
	free(buf);
}

static void
t_fields(void **state)
{
	struct seen s;
	const struct ml_feed *f;

	(void)state;
	ml_smaps_init(&sm, on_record, &s);
	memset(&s, 0, sizeof s);
	/* THPeligible unaligned (5.0-6.5) then aligned (6.6+); an unknown field;
	 * a VmFlags with a mnemonic nobody knows yet; a ProtectionKey. */
	f = unit_parse_str(&ml_src_smaps, &sm,
			   "1000-3000 rw-p 00000000 00:00 0 \n"
			   "Size:                  8 kB\n"
			   "Rss:                   4 kB\n"
			   "AnonHugePteMap:        4 kB\n"
			   "FutureCount:          17\n"
			   "THPeligible:    1\n"
			   "ProtectionKey:         0\n"
			   "VmFlags: rd wr mr mw me ac zz ?? \n"
			   "3000-4000 rw-p 00000000 00:00 0 \n"
			   "Size:                  4 kB\n"
			   "Rss:                   0 kB\n"
			   "THPeligible:           0\n"
			   "VmFlags: rd wr \n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.unknown, 2);
	assert_string_equal(s.first_vmflags, "rd wr mr mw me ac zz ??");
	assert_true(s.last_has_thp);
	assert_int_equal(s.last_thp, 0);
	assert_int_equal(s.sum[ML_SM_THP_ELIGIBLE], 1);
	assert_int_equal(s.present_all[ML_SM_PROTECTION_KEY], 1);
	assert_int_equal(s.sum[ML_SM_SIZE], 12 * 1024);
	/* The second record had no AnonHugePteMap: its list was trimmed. */
	assert_int_equal(sm.rec.f.all.n, 3);
	assert_true(ml_smaps_vmflag(&sm.rec, "wr"));
	assert_false(ml_smaps_vmflag(&sm.rec, "w"));
	assert_false(ml_smaps_vmflag(&sm.rec, "ac"));
	ml_smaps_release(&sm);
}

static void
t_garbage(void **state)
{
	struct seen s;
	const struct ml_feed *f;

	(void)state;
	ml_smaps_init(&sm, on_record, &s);
	memset(&s, 0, sizeof s);
	f = unit_parse_str(&ml_src_smaps, &sm,
			   "Rss:   4 kB\n" /* before any header */
			   "1000-2000 rw-p 00000000 00:00 0 \n"
			   "Rss:   4 kB\n"
			   "Rss:   8 kB\n" /* duplicate */
			   "no colon here\n"
			   "Pss 4 kB\n"          /* no colon */
			   "Bad Key:  4 kB\n"    /* two tokens */
			   "Pss:  lots kB\n"     /* no number */
			   "Swap:  4 kB extra\n" /* trailing text */
			   "VmFlags: rd\n"
			   "VmFlags: rd\n"                      /* duplicate */
			   "2000-1000 rw-p 00000000 00:00 0 \n" /* bad header */
			   "Rss:   4 kB\n"                      /* its field */
			   "1800-2800 rw-p 00000000 00:00 0 \n" /* overlaps: bad */
			   "3000-4000 rw-p 00000000 00:00 0 \n"
			   "Rss:  12 kB\n");
	assert_int_equal(s.n, 2);
	assert_int_equal(f->stats.bad_lines, 11);
	assert_int_equal(f->stats.first_bad_lineno, 1);
	assert_int_equal(s.sum[ML_SM_RSS], 16 * 1024);
	assert_int_equal(s.present_all[ML_SM_PSS], 0);
	ml_smaps_release(&sm);
}

/*
 * A key with a NUL byte inside: found by the fuzzer, an overread in
 * ml_kv_lookup. Since then every line holding a NUL byte is bad (feed.c):
 * neither is taken for Rss, nor kept as an unknown key.
 */
static void
t_nul_in_key(void **state)
{
	static const char text[] = "1000-2000 rw-p 00000000 00:00 0 \n"
				   "R\0x:   4 kB\n"
				   "Rss\0:  4 kB\n"
				   "Rss:   8 kB\n";
	struct seen s;
	struct ml_parse_stats st;

	(void)state;
	st = parse(&s, text, sizeof text - 1, 0);
	assert_int_equal(st.bad_lines, 2);
	assert_int_equal(st.first_bad_lineno, 2);
	assert_string_equal(st.first_bad_why, "NUL byte in the line");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(s.sum[ML_SM_RSS], 8 * 1024);
}

static void
t_truncated(void **state)
{
	size_t len;
	char *buf = unit_load_fixture("procs-6.18/4242/smaps", &len);
	struct seen s;
	struct ml_parse_stats st;
	size_t cut;

	(void)state;
	/* Cut 300 bytes into the second record. */
	cut = (size_t)(strstr(buf + 1, "\n55b303c23000") - buf) + 300;
	st = parse(&s, buf, cut, 0);
	assert_int_equal(st.bad_lines, 1); /* the cut line */
	assert_int_equal(s.n, 2);          /* the first, and the partial second */
	assert_int_equal(s.vmflags, 1);
	assert_int_equal(s.present_all[ML_SM_SIZE], 2);
	assert_true(s.present_all[ML_SM_LOCKED] < 2);
	/* Garbage: a binary blob parses to nothing and counts its lines. */
	{
		char junk[300];
		size_t i;

		for (i = 0; i < sizeof junk; i++)
			junk[i] = (char)((i * 131 + 7) & 0xff);
		junk[sizeof junk - 1] = '\n';
		st = parse(&s, junk, sizeof junk, 7);
		assert_int_equal(s.n, 0);
		assert_int_equal(st.bad_lines, st.lines);
	}
	free(buf);
}

/*
 * CRLF line ends read as LF: the CR is not part of a mapping's name, so the
 * rollup header still ends in [rollup] (it was 23 bad lines and no rollup).
 */
static void
t_crlf(void **state)
{
	static const char text[] =
		"5623164f2000-7ffd05027000 ---p 00000000 00:00 0     [rollup]\r\n"
		"Rss:                1688 kB\r\n"
		"Pss:                 313 kB\r\n";
	static const char maps[] = "1000-2000 r--p 00000000 fe:00 7     /usr/bin/cat\r\n"
				   "3000-4000 rw-p 00000000 00:00 0 \r\n";
	struct ml_smaps_rollup r;
	struct ml_vma v;
	char name[64];
	const char *why = NULL;
	struct ml_feed f;

	(void)state;
	ml_smaps_rollup_init(&r);
	unit_parse(&f, &ml_src_smaps_rollup, &r, text, sizeof text - 1, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_true(r.has_header);
	assert_string_equal(r.vma.name, "[rollup]");
	assert_int_equal(r.f.val[ML_SM_PSS], 313 * 1024);
	ml_smaps_rollup_release(&r);
	assert_int_equal(ml_vma_parse(&v, maps, 49, name, sizeof name, &why), ML_LINE_OK);
	assert_string_equal(v.name, "/usr/bin/cat");
	assert_int_equal(v.name_kind, ML_VMA_NAME_PATH);
	assert_int_equal(ml_vma_parse(&v, maps + 50, 33, name, sizeof name, &why), ML_LINE_OK);
	assert_int_equal(v.name_len, 0);
	assert_int_equal(v.name_kind, ML_VMA_NAME_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_manyvma),
		cmocka_unit_test(t_flat_memory),
		cmocka_unit_test(t_rollup),
		cmocka_unit_test(t_rollup_errors),
		cmocka_unit_test(t_old_and_vendor),
		cmocka_unit_test(t_fields),
		cmocka_unit_test(t_garbage),
		cmocka_unit_test(t_truncated),
		cmocka_unit_test(t_no_final_newline),
		cmocka_unit_test(t_nul_in_key),
		cmocka_unit_test(t_crlf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
