/*
 * Read-ahead in a second thread (proc/readahead): the same records, sums and
 * statistics as ml_reader_refresh, for a file larger than the ring (2.9 MB
 * through 4 x 64 KiB), a small one, an empty one; a cancel mid-way; a parser
 * that fails.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "proc/readahead.h"
#include "proc/smaps.h"

struct sums {
	uint64_t n, rss, pss, start_digest;
	uint64_t fail_at;
};

static int
on_record(void *arg, const struct ml_smaps_record *r)
{
	struct sums *s = arg;

	s->n++;
	s->rss += ml_smaps_get(&r->f, ML_SM_RSS);
	s->pss += ml_smaps_get(&r->f, ML_SM_PSS);
	s->start_digest = s->start_digest * 31 + r->vma.start;
	if (s->fail_at != 0 && s->n == s->fail_at) {
		errno = ECANCELED;
		return -1;
	}
	return 0;
}

static struct ml_smaps sm;

static void
both(const char *rel, struct sums *sync, struct sums *ra_sums, uint64_t *bytes_sync,
     uint64_t *bytes_ra)
{
	struct ml_procfs fs;
	struct ml_reader r;
	struct ml_readahead ra;
	char *cause = NULL;

	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/procs-6.18", &cause), 0);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_smaps, rel, &cause), 0);
	ml_smaps_init(&sm, on_record, sync);
	assert_int_equal(ml_reader_refresh(&r, &sm, &cause), 0);
	*bytes_sync = r.last_bytes;
	ml_smaps_release(&sm);

	ml_readahead_init(&ra);
	ml_smaps_init(&sm, on_record, ra_sums);
	/* Twice through the same read-ahead: the ring is reused. */
	assert_int_equal(ml_readahead_start(&ra, &r, &cause), 0);
	assert_int_equal(ml_readahead_finish(&ra, &sm, &cause), 0);
	memset(ra_sums, 0, sizeof *ra_sums);
	assert_int_equal(ml_readahead_start(&ra, &r, &cause), 0);
	assert_int_equal(ml_readahead_finish(&ra, &sm, &cause), 0);
	*bytes_ra = r.last_bytes;
	assert_int_equal(ml_reader_stats(&r)->bad_lines, 0);
	ml_smaps_release(&sm);
	ml_readahead_release(&ra);
	ml_reader_release(&r);
	ml_procfs_close(&fs);
}

static void
t_same_as_refresh(void **state)
{
	static const char *const files[] = { "1234/smaps", "4242/smaps", "310/smaps", "600/smaps" };
	struct sums a, b;
	uint64_t ba, bb;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(files); i++) {
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		both(files[i], &a, &b, &ba, &bb);
		assert_int_equal(a.n, b.n);
		assert_int_equal(a.rss, b.rss);
		assert_int_equal(a.pss, b.pss);
		assert_int_equal(a.start_digest, b.start_digest);
		assert_int_equal(ba, bb);
	}
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	both("1234/smaps", &a, &b, &ba, &bb);
	assert_int_equal(b.n, 4028);
	assert_int_equal(bb, 2878287);
}

static void
t_cancel_and_fail(void **state)
{
	struct ml_procfs fs;
	struct ml_reader r;
	struct ml_readahead ra;
	struct sums s;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/procs-6.18", &cause), 0);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_smaps, "1234/smaps", &cause), 0);
	ml_readahead_init(&ra);
	/* Started, then cancelled without a parse. */
	assert_int_equal(ml_readahead_start(&ra, &r, &cause), 0);
	ml_readahead_cancel(&ra);
	ml_readahead_cancel(&ra); /* twice is harmless */
	/* A parser that fails at the 100th record: -1, the file named, thread joined. */
	memset(&s, 0, sizeof s);
	s.fail_at = 100;
	ml_smaps_init(&sm, on_record, &s);
	assert_int_equal(ml_readahead_start(&ra, &r, &cause), 0);
	assert_int_equal(ml_readahead_finish(&ra, &sm, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "1234/smaps"));
	free(cause);
	cause = NULL;
	assert_int_equal(s.n, 100);
	/* A finish without a start is an error, not a hang. */
	assert_int_equal(ml_readahead_finish(&ra, &sm, &cause), -1);
	ml_smaps_release(&sm);
	/* Released while running: stopped and joined first. */
	assert_int_equal(ml_readahead_start(&ra, &r, &cause), 0);
	ml_readahead_release(&ra);
	ml_reader_release(&r);
	ml_procfs_close(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_same_as_refresh),
		cmocka_unit_test(t_cancel_and_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
