/*
 * Mappings by kind and by file (model/mapkind): the classification rules,
 * the sums over the manyvma capture (expected values computed with awk over
 * the file, independently of memlens), and the check against smaps_rollup.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "model/mapkind.h"

static enum ml_map_kind
classify(const char *header, const char *vmflags)
{
	static char name[ML_LINE_MAX + 1];
	struct ml_smaps_record r;
	const char *why;

	memset(&r, 0, sizeof r);
	assert_int_equal(ml_vma_parse(&r.vma, header, strlen(header), name, sizeof name, &why),
			 ML_LINE_OK);
	r.vmflags = vmflags != NULL ? vmflags : "";
	r.vmflags_len = strlen(r.vmflags);
	r.has_vmflags = vmflags != NULL;
	return ml_map_classify(&r.vma, &r);
}

#define H(perms, dev, ino, name) "1000-2000 " perms " 00000000 " dev " " #ino "   " name

static void
t_classify(void **state)
{
	(void)state;
	assert_int_equal(classify(H("rw-p", "00:00", 0, "[heap]"), NULL), ML_MK_HEAP);
	assert_int_equal(classify(H("rw-p", "00:00", 0, "[stack]"), NULL), ML_MK_STACK);
	assert_int_equal(classify(H("rw-p", "00:00", 0, "[stack:77]"), NULL), ML_MK_ANON);
	assert_int_equal(classify(H("rw-p", "00:00", 0, ""), NULL), ML_MK_ANON);
	assert_int_equal(classify(H("---p", "00:00", 0, ""), NULL), ML_MK_ANON);
	assert_int_equal(classify(H("rw-s", "00:00", 0, ""), NULL), ML_MK_SHMEM);
	assert_int_equal(classify(H("rw-s", "00:01", 5, "/dev/zero (deleted)"), NULL), ML_MK_SHMEM);
	assert_int_equal(classify(H("rw-p", "00:01", 5, "/dev/zero"), NULL), ML_MK_ANON);
	assert_int_equal(classify(H("rw-s", "00:01", 9, "/memfd:pool (deleted)"), NULL),
			 ML_MK_SHMEM);
	assert_int_equal(classify(H("rw-s", "00:01", 9, "/SYSV0000162e (deleted)"), NULL),
			 ML_MK_SHMEM);
	assert_int_equal(classify(H("rw-s", "00:19", 9, "/dev/shm/pulse-shm-1"), NULL),
			 ML_MK_SHMEM);
	assert_int_equal(classify(H("rw-s", "00:01", 9, "[anon_shmem:x]"), NULL), ML_MK_SHMEM);
	assert_int_equal(classify(H("rw-p", "00:0f", 9, "/anon_hugepage (deleted)"), NULL),
			 ML_MK_HUGETLB);
	assert_int_equal(
		classify(H("rw-s", "00:0f", 9, "/srv/huge/buf"), "rd wr sh mr mw me ms ht"),
		ML_MK_HUGETLB);
	assert_int_equal(classify(H("rw-p", "00:00", 0, "[anon:libc_malloc]"), NULL),
			 ML_MK_NAMED_ANON);
	assert_int_equal(classify(H("r-xp", "00:00", 0, "[vdso]"), NULL), ML_MK_SPECIAL);
	assert_int_equal(classify(H("r--p", "00:00", 0, "[vvar]"), NULL), ML_MK_SPECIAL);
	assert_int_equal(classify(H("r--p", "00:00", 0, "[vvar_vclock]"), NULL), ML_MK_SPECIAL);
	assert_int_equal(classify(H("--xp", "00:00", 0, "[vsyscall]"), NULL), ML_MK_SPECIAL);
	assert_int_equal(classify(H("r-xp", "00:00", 0, "[uprobes]"), NULL), ML_MK_SPECIAL);
	assert_int_equal(classify(H("rw-s", "00:0e", 9, "anon_inode:[io_uring]"), NULL),
			 ML_MK_SPECIAL);
	assert_int_equal(classify(H("r-xp", "08:01", 9, "/usr/lib/libc.so.6"), NULL),
			 ML_MK_FILE_CODE);
	assert_int_equal(classify(H("rw-p", "08:01", 9, "/usr/lib/libc.so.6"), NULL),
			 ML_MK_FILE_DATA);
	assert_int_equal(classify(H("rw-s", "08:01", 9, "/srv/db/data.mdb"), NULL),
			 ML_MK_FILE_DATA);
	assert_int_equal(classify(H("r--p", "08:01", 9, "/usr/lib/libc.so.6"), NULL),
			 ML_MK_FILE_RO);
	assert_int_equal(classify(H("---p", "08:01", 9, "/usr/lib/libc.so.6"), NULL),
			 ML_MK_FILE_RO);
	/* A file named like a SysV segment but not deleted is a file. */
	assert_int_equal(classify(H("r--s", "08:01", 9, "/SYSV0000162e"), NULL), ML_MK_FILE_RO);
	assert_string_equal(ml_map_kind_key(ML_MK_FILE_CODE), "file_code");
	assert_string_equal(ml_ms_key(ML_MS_ANON_HUGE), "anon_huge_pages");
}

struct sumctx {
	struct ml_mapsum sum;
	uint64_t kinds[ML_MK__COUNT];
};

static int
on_record(void *arg, const struct ml_smaps_record *r)
{
	struct sumctx *c = arg;
	enum ml_map_kind k;

	if (ml_mapsum_add(&c->sum, r, &k) != 0)
		return -1;
	c->kinds[k]++;
	return 0;
}

static struct ml_smaps sm;

static void
sum_file(struct sumctx *c, const char *rel, size_t chunk)
{
	size_t len;
	char *buf = unit_load_fixture(rel, &len);
	struct ml_feed f;

	ml_smaps_init(&sm, on_record, c);
	ml_mapsum_begin(&c->sum);
	memset(c->kinds, 0, sizeof c->kinds);
	unit_parse(&f, &ml_src_smaps, &sm, buf, len, chunk);
	assert_int_equal(f.stats.bad_lines, 0);
	ml_smaps_release(&sm);
	free(buf);
}

static void
load_rollup(struct ml_smaps_rollup *r, const char *rel)
{
	size_t len;
	char *buf = unit_load_fixture(rel, &len);
	struct ml_feed f;

	ml_smaps_rollup_init(r);
	unit_parse(&f, &ml_src_smaps_rollup, r, buf, len, 0);
	free(buf);
}

#define KB(x) ((uint64_t)(x)*1024)

static void
t_manyvma(void **state)
{
	struct sumctx c;
	const struct ml_msum *k;
	const struct ml_mapfile **files;
	struct ml_smaps_rollup roll;
	struct ml_rollup_check chk;
	size_t nfiles_before;
	long nf, i;

	(void)state;
	ml_mapsum_init(&c.sum);
	sum_file(&c, "procs-6.18/1234/smaps", 4096);
	/* awk over the capture: kind, mappings, Size, Rss, Pss, USS (kB). */
	k = c.sum.kind;
	assert_int_equal(k[ML_MK_ANON].maps, 4004);
	assert_int_equal(k[ML_MK_ANON].v[ML_MS_SIZE], KB(16088));
	assert_int_equal(k[ML_MK_ANON].v[ML_MS_RSS], KB(8032));
	assert_int_equal(k[ML_MK_ANON].v[ML_MS_PSS], KB(8032));
	assert_int_equal(k[ML_MK_ANON].v[ML_MS_USS], KB(8032));
	assert_int_equal(k[ML_MK_FILE_CODE].maps, 3);
	assert_int_equal(k[ML_MK_FILE_CODE].v[ML_MS_SIZE], KB(1524));
	assert_int_equal(k[ML_MK_FILE_CODE].v[ML_MS_RSS], KB(1192));
	assert_int_equal(k[ML_MK_FILE_CODE].v[ML_MS_PSS], KB(7));
	assert_int_equal(k[ML_MK_FILE_CODE].v[ML_MS_USS], KB(4));
	assert_int_equal(k[ML_MK_FILE_DATA].maps, 3);
	assert_int_equal(k[ML_MK_FILE_DATA].v[ML_MS_RSS], KB(20));
	assert_int_equal(k[ML_MK_HEAP].maps, 1);
	assert_int_equal(k[ML_MK_HEAP].v[ML_MS_SIZE], KB(132));
	assert_int_equal(k[ML_MK_HEAP].v[ML_MS_RSS], KB(8));
	assert_int_equal(k[ML_MK_FILE_RO].maps, 11);
	assert_int_equal(k[ML_MK_FILE_RO].v[ML_MS_SIZE], KB(572));
	assert_int_equal(k[ML_MK_FILE_RO].v[ML_MS_RSS], KB(412));
	assert_int_equal(k[ML_MK_FILE_RO].v[ML_MS_PSS], KB(36));
	assert_int_equal(k[ML_MK_SHMEM].maps, 1);
	assert_int_equal(k[ML_MK_SPECIAL].maps, 4);
	assert_int_equal(k[ML_MK_SPECIAL].v[ML_MS_RSS], KB(4));
	assert_int_equal(k[ML_MK_STACK].maps, 1);
	assert_int_equal(k[ML_MK_STACK].v[ML_MS_RSS], KB(20));
	assert_int_equal(k[ML_MK_HUGETLB].maps, 0);
	assert_int_equal(c.sum.total.maps, 4028);
	assert_int_equal(c.sum.total.v[ML_MS_RSS], KB(9688));
	assert_int_equal(c.sum.total.v[ML_MS_PSS], KB(8123));
	assert_int_equal(c.sum.gate.maps, 1);
	assert_true(ml_msum_has(&c.sum.total, ML_MS_SWAP_PSS));
	assert_true(ml_msum_has(&c.sum.total, ML_MS_HUGETLB));

	/* Files: 6 distinct (libc, ld.so, the binary, memfd, two odd names). */
	nf = ml_mapsum_files(&c.sum, ML_MS_PSS, false, &files);
	assert_int_equal(nf, 6);
	assert_string_equal(files[0]->name, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(files[0]->sum.maps, 5);
	assert_int_equal(files[0]->kinds,
			 (1u << ML_MK_FILE_CODE) | (1u << ML_MK_FILE_DATA) | (1u << ML_MK_FILE_RO));
	for (i = 0; i < nf; i++) {
		if (strcmp(files[i]->name, "/srv/fixture/my file\nname.bin") == 0)
			break;
	}
	assert_true(i < nf);
	assert_true(files[i]->deleted);
	free(files);
	nf = ml_mapsum_files(&c.sum, ML_MS__COUNT, false, &files);
	assert_string_equal(files[0]->name, "/memfd:memfd-test");
	free(files);

	/* The rollup agrees: Pss 8124 kB vs 8123 summed (rounded per mapping). */
	load_rollup(&roll, "procs-6.18/1234/smaps_rollup");
	ml_mapsum_check_rollup(&c.sum, &roll.f, &chk);
	assert_true(chk.compared);
	assert_true(chk.agrees);
	assert_int_equal(chk.diff[ML_MS_PSS], 1024);
	assert_int_equal(chk.diff[ML_MS_RSS], 0);
	assert_int_equal(chk.differing, 0);
	assert_false((chk.compared_fields >> ML_MS_SIZE) & 1);
	/* A rollup 4 kB larger in Rss: a change between the reads. */
	roll.f.val[ML_SM_RSS] += 4096;
	ml_mapsum_check_rollup(&c.sum, &roll.f, &chk);
	assert_false(chk.agrees);
	assert_int_equal(chk.differing, 1u << ML_MS_RSS);
	assert_int_equal(chk.diff[ML_MS_RSS], 4096);
	/* Pss below the sum is never rounding. */
	roll.f.val[ML_SM_RSS] -= 4096;
	roll.f.val[ML_SM_PSS] = KB(8122);
	ml_mapsum_check_rollup(&c.sum, &roll.f, &chk);
	assert_false(chk.agrees);
	ml_smaps_rollup_release(&roll);

	/* Again, chunked: same sums, and the file table does not grow. */
	nfiles_before = c.sum.nfiles;
	sum_file(&c, "procs-6.18/1234/smaps", 1);
	assert_int_equal(c.sum.nfiles, nfiles_before);
	assert_int_equal(c.sum.nused, 6);
	assert_int_equal(c.sum.total.v[ML_MS_PSS], KB(8123));

	/* Another process: only its files are used in this generation. */
	sum_file(&c, "procs-6.18/4242/smaps", 7);
	nf = ml_mapsum_files(&c.sum, ML_MS_RSS, false, &files);
	assert_int_equal(nf, 16);
	for (i = 0; i < nf; i++)
		assert_true(strstr(files[i]->name, "/srv/fixture") == NULL);
	free(files);
	load_rollup(&roll, "procs-6.18/4242/smaps_rollup");
	ml_mapsum_check_rollup(&c.sum, &roll.f, &chk);
	assert_false(chk.agrees); /* two captures of two cat processes */
	assert_int_equal(chk.diff[ML_MS_RSS], -(int64_t)KB(60));
	ml_smaps_rollup_release(&roll);
	ml_mapsum_release(&c.sum);
}

/* The adapter for ml_smaps_init gives the same sums as ml_mapsum_add. */
static void
t_on_record(void **state)
{
	struct ml_mapsum sum;
	struct sumctx c;
	struct ml_feed f;
	size_t len;
	char *buf = unit_load_fixture("procs-6.18/4242/smaps", &len);

	(void)state;
	ml_mapsum_init(&sum);
	ml_mapsum_begin(&sum);
	ml_smaps_init(&sm, ml_mapsum_on_record, &sum);
	unit_parse(&f, &ml_src_smaps, &sm, buf, len, 7);
	ml_smaps_release(&sm);
	ml_mapsum_init(&c.sum);
	sum_file(&c, "procs-6.18/4242/smaps", 0);
	assert_memory_equal(&sum.total, &c.sum.total, sizeof sum.total);
	assert_memory_equal(sum.kind, c.sum.kind, sizeof sum.kind);
	assert_int_equal(sum.nused, c.sum.nused);
	ml_mapsum_release(&sum);
	ml_mapsum_release(&c.sum);
	free(buf);
}

static void
t_old_kernel(void **state)
{
	struct sumctx c;
	struct ml_smaps_rollup none;
	struct ml_rollup_check chk;

	(void)state;
	ml_mapsum_init(&c.sum);
	sum_file(&c, "procs-6.18/310/smaps", 0);
	/* 3.10: no SwapPss, no hugetlb lines: unknown, not 0. */
	assert_false(ml_msum_has(&c.sum.total, ML_MS_SWAP_PSS));
	assert_false(ml_msum_has(&c.sum.total, ML_MS_HUGETLB));
	assert_true(ml_msum_has(&c.sum.total, ML_MS_SWAP));
	assert_int_equal(c.sum.kind[ML_MK_SHMEM].maps, 1);
	assert_int_equal(c.sum.kind[ML_MK_SHMEM].v[ML_MS_PSS], KB(512));
	assert_int_equal(c.sum.kind[ML_MK_ANON].maps, 3); /* incl. [stack:1235] */
	assert_int_equal(c.sum.kind[ML_MK_ANON].v[ML_MS_SWAP], KB(32));
	assert_int_equal(c.kinds[ML_MK_SPECIAL], 2);
	/* Nothing to compare with an empty rollup. */
	ml_smaps_rollup_init(&none);
	ml_mapsum_check_rollup(&c.sum, &none.f, &chk);
	assert_false(chk.compared);
	assert_false(chk.agrees);
	ml_smaps_rollup_release(&none);
	ml_mapsum_release(&c.sum);
}

/* Add one mapping (a maps header, Rss in kB) to sum. */
static void
add_one(struct ml_mapsum *sum, const char *header, uint64_t rss_kb)
{
	static char name[ML_LINE_MAX + 1];
	struct ml_smaps_record r;
	const char *why;

	memset(&r, 0, sizeof r);
	assert_int_equal(ml_vma_parse(&r.vma, header, strlen(header), name, sizeof name, &why),
			 ML_LINE_OK);
	r.f.val[ML_SM_RSS] = KB(rss_kb);
	ml_bit_set(r.f.present, ML_SM_RSS);
	assert_int_equal(ml_mapsum_add(sum, &r, NULL), 0);
}

/*
 * Shared anonymous memory has an inode for each mapping: one row for all of
 * it (and one for the IPC_PRIVATE SysV segments), not one per mapping; files,
 * private /dev/zero and keyed SysV segments keep theirs.
 */
static void
t_shared_anon_grouped(void **state)
{
	const struct ml_mapfile **f = NULL;
	struct ml_mapsum sum;
	char h[256];
	long nf, i;
	int k, gen;

	(void)state;
	ml_mapsum_init(&sum);
	for (gen = 0; gen < 2; gen++) { /* twice: the table is reused, not grown */
		ml_mapsum_begin(&sum);
		for (k = 0; k < 1000; k++) {
			snprintf(h, sizeof h, "%x-%x rw-s 00000000 00:01 %d   /dev/zero (deleted)",
				 0x10000 + k * 0x2000, 0x11000 + k * 0x2000, 5000 + k);
			add_one(&sum, h, 4);
		}
		for (k = 0; k < 3; k++) {
			snprintf(h, sizeof h,
				 "%x-%x rw-s 00000000 00:01 %d   /SYSV00000000 (deleted)",
				 0x8000000 + k * 0x2000, 0x8001000 + k * 0x2000, 32768 + k);
			add_one(&sum, h, 8);
		}
		add_one(&sum, "9000000-9001000 rw-s 00000000 00:01 7   /SYSV0000162e (deleted)", 1);
		add_one(&sum, "9002000-9003000 rw-s 00000000 00:01 8   /SYSV0000162f (deleted)", 1);
		add_one(&sum, "9004000-9005000 rw-p 00000000 00:05 6   /dev/zero", 1);
		add_one(&sum, "9006000-9007000 rw-p 00000000 00:05 6   /dev/zero", 1);
		add_one(&sum, "9008000-9009000 r--s 00000000 fe:00 99   /srv/data.bin", 2);
		add_one(&sum, "900a000-900b000 r--s 00000000 fe:00 98   /srv/data.bin (deleted)",
			2);
		assert_int_equal(sum.nused, 7);
		assert_true(sum.nfiles <= 7);
	}
	nf = ml_mapsum_files(&sum, ML_MS_RSS, false, &f);
	assert_int_equal(nf, 7);
	assert_int_equal(f[0]->group, ML_MF_SHARED_ANON);
	assert_int_equal(f[0]->sum.maps, 1000);
	assert_int_equal(f[0]->sum.v[ML_MS_RSS], KB(4000));
	assert_int_equal(f[0]->inode, 0);
	assert_true(f[0]->deleted);
	assert_string_equal(f[0]->name, "/dev/zero");
	assert_int_equal(f[0]->kinds, 1u << ML_MK_SHMEM);
	assert_int_equal(f[1]->group, ML_MF_SYSV_PRIVATE);
	assert_int_equal(f[1]->sum.maps, 3);
	assert_string_equal(ml_mapfile_group_key(f[0]->group), "shared_anonymous");
	assert_string_equal(ml_mapfile_group_key(f[1]->group), "sysv_private");
	for (i = 2; i < nf; i++) {
		assert_int_equal(f[i]->group, ML_MF_FILE);
		assert_null(ml_mapfile_group_key(f[i]->group));
		if (strcmp(f[i]->name, "/dev/zero") == 0) /* private: one file, its two maps */
			assert_int_equal(f[i]->sum.maps, 2);
		else
			assert_int_equal(f[i]->sum.maps, 1);
	}
	free(f);
	ml_mapsum_release(&sum);
}

/*
 * Sums that do not fit in 64 bits (only damaged files hold such values) are
 * unknown, never wrapped round to a small number; a record's USS too.
 */
static void
t_sums_never_wrap(void **state)
{
	static const char text[] = "1000-2000 rw-p 00000000 00:00 0 \n"
				   "Rss:            18014398509481983 kB\n"
				   "Private_Clean:  18014398509481983 kB\n"
				   "Private_Dirty:  18014398509481983 kB\n"
				   "Swap:           4 kB\n"
				   "3000-4000 rw-p 00000000 00:00 0 \n"
				   "Rss:            18014398509481983 kB\n"
				   "Private_Clean:  0 kB\n"
				   "Private_Dirty:  4 kB\n"
				   "Swap:           4 kB\n";
	struct sumctx c;
	struct ml_feed f;
	uint64_t v;

	(void)state;
	ml_mapsum_init(&c.sum);
	ml_mapsum_begin(&c.sum);
	memset(c.kinds, 0, sizeof c.kinds);
	ml_smaps_init(&sm, on_record, &c);
	unit_parse(&f, &ml_src_smaps, &sm, text, sizeof text - 1, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_int_equal(c.sum.total.maps, 2);
	/* 2 x (2^54 - 1) KiB does not fit in 64 bits of bytes. */
	assert_false(ml_msum_has(&c.sum.total, ML_MS_RSS));
	assert_false(ml_msum_has(&c.sum.kind[ML_MK_ANON], ML_MS_RSS));
	/* The first record's USS does not fit: unknown for it, so the sum too. */
	assert_false(ml_msum_has(&c.sum.total, ML_MS_USS));
	assert_true(ml_msum_has(&c.sum.total, ML_MS_SWAP));
	assert_int_equal(c.sum.total.v[ML_MS_SWAP], KB(8));
	assert_true(ml_ms_value(&sm.rec.f, ML_MS_USS, &v));
	assert_int_equal(v, KB(4));
	ml_smaps_release(&sm);
	ml_mapsum_release(&c.sum);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sums_never_wrap), cmocka_unit_test(t_classify),
		cmocka_unit_test(t_manyvma),         cmocka_unit_test(t_old_kernel),
		cmocka_unit_test(t_on_record),       cmocka_unit_test(t_shared_anon_grouped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
