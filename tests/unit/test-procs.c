/*
 * Ranking and grouping processes (model/procs): hand-made rows with
 * hand-computed sums; unknown values sort last in both directions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "model/procs.h"

#define KB(x) ((uint64_t)(x)*1024)

static struct ml_proc rows[6];
static struct ml_proc *rp[6];

static void
mk(int i, int pid, const char *comm, const char *user, uint32_t uid, enum ml_mem_state mem,
   uint64_t pss, uint64_t rss, uint64_t pc, uint64_t pd, uint64_t swap)
{
	struct ml_proc *p = &rows[i];

	memset(p, 0, sizeof *p);
	p->pid = pid;
	strcpy(p->comm, comm);
	strcpy(p->user, user);
	p->uid = uid;
	p->cmdline = (char *)"";
	p->mem = mem;
	if (mem != ML_MEM_OK)
		return;
	p->val[ML_SM_PSS] = KB(pss);
	p->val[ML_SM_RSS] = KB(rss);
	p->val[ML_SM_PRIVATE_CLEAN] = KB(pc);
	p->val[ML_SM_PRIVATE_DIRTY] = KB(pd);
	p->val[ML_SM_SWAP] = KB(swap);
	ml_bit_set(p->present, ML_SM_PSS);
	ml_bit_set(p->present, ML_SM_RSS);
	ml_bit_set(p->present, ML_SM_PRIVATE_CLEAN);
	ml_bit_set(p->present, ML_SM_PRIVATE_DIRTY);
	ml_bit_set(p->present, ML_SM_SWAP);
}

static int
setup(void **state)
{
	int i;

	(void)state;
	mk(0, 10, "bash", "alice", 1000, ML_MEM_OK, 300, 900, 10, 200, 0);
	mk(1, 20, "nginx", "root", 0, ML_MEM_OK, 5000, 8000, 100, 4000, 64);
	mk(2, 30, "bash", "alice", 1000, ML_MEM_OK, 250, 880, 10, 150, 16);
	mk(3, 40, "sshd", "root", 0, ML_MEM_DENIED, 0, 0, 0, 0, 0);
	mk(4, 5, "cron", "root", 0, ML_MEM_OK, 300, 1200, 20, 100, 0);
	mk(5, 50, "zsh", "bob", 1001, ML_MEM_ERROR, 0, 0, 0, 0, 0);
	/* Pss_Anon only on one process (a 5.3+ kernel): unknown on the others. */
	rows[1].val[ML_SM_PSS_ANON] = KB(4000);
	ml_bit_set(rows[1].present, ML_SM_PSS_ANON);
	for (i = 0; i < 6; i++)
		rp[i] = &rows[i];
	return 0;
}

static void
pids(int *out)
{
	int i;

	for (i = 0; i < 6; i++)
		out[i] = rp[i]->pid;
}

static void
t_sort(void **state)
{
	int got[6];
	uint64_t v;

	(void)state;
	ml_procs_sort(NULL, 0, ML_PS_PSS, false); /* no rows: nothing to do (UBSan) */
	assert_int_equal(ml_proc_sort_parse("swappss"), ML_PS_SWAP_PSS);
	assert_int_equal(ml_proc_sort_parse("bogus"), -1);
	ml_procs_sort(rp, 6, ML_PS_PSS, false);
	pids(got);
	/* 5000, 300 (pid 5), 300 (pid 10), 250, then the unreadable by PID. */
	assert_int_equal(got[0], 20);
	assert_int_equal(got[1], 5);
	assert_int_equal(got[2], 10);
	assert_int_equal(got[3], 30);
	assert_int_equal(got[4], 40);
	assert_int_equal(got[5], 50);
	ml_procs_sort(rp, 6, ML_PS_PSS, true);
	pids(got);
	assert_int_equal(got[0], 30);
	assert_int_equal(got[3], 20);
	assert_int_equal(got[4], 40); /* unknown still last */
	ml_procs_sort(rp, 6, ML_PS_USS, false);
	pids(got);
	assert_int_equal(got[0], 20); /* 4100 */
	assert_int_equal(got[1], 10); /* 210 */
	assert_int_equal(got[2], 30); /* 160 */
	assert_int_equal(got[3], 5);  /* 120 */
	ml_procs_sort(rp, 6, ML_PS_ANON, false);
	assert_int_equal(rp[0]->pid, 20);
	assert_int_equal(rp[1]->pid, 5); /* the rest unknown: by PID */
	ml_procs_sort(rp, 6, ML_PS_PID, false);
	pids(got);
	assert_int_equal(got[0], 5);
	assert_int_equal(got[5], 50);
	ml_procs_sort(rp, 6, ML_PS_COMMAND, false);
	pids(got);
	assert_int_equal(got[0], 10); /* bash 10, bash 30, cron, nginx, sshd, zsh */
	assert_int_equal(got[1], 30);
	assert_int_equal(got[2], 5);
	assert_int_equal(got[5], 50);
	assert_true(ml_proc_value(&rows[0], ML_PM_USS, &v));
	assert_int_equal(v, KB(210));
	assert_false(ml_proc_value(&rows[3], ML_PM_PSS, &v));
	assert_int_equal(v, 0);
	assert_false(ml_proc_value(&rows[0], ML_PM_SWAP_PSS, &v));
}

static void
t_sum_group(void **state)
{
	struct ml_proc_sum s;
	struct ml_proc_group *g;
	long n;
	int i;

	(void)state;
	memset(&s, 0, sizeof s);
	for (i = 0; i < 6; i++)
		ml_proc_sum_add(&s, &rows[i]);
	assert_int_equal(s.procs, 6);
	assert_int_equal(s.read, 4);
	assert_int_equal(s.by_state[ML_MEM_DENIED], 1);
	assert_int_equal(s.by_state[ML_MEM_ERROR], 1);
	assert_int_equal(s.v[ML_PM_PSS], KB(5850));
	assert_int_equal(s.v[ML_PM_RSS], KB(10980));
	assert_int_equal(s.v[ML_PM_USS], KB(4590));
	assert_int_equal(s.v[ML_PM_SWAP], KB(80));
	assert_true(ml_proc_sum_has(&s, ML_PM_ANON));
	assert_int_equal(s.known[ML_PM_ANON], 1);
	assert_false(ml_proc_sum_has(&s, ML_PM_SHMEM));

	n = ml_procs_group(rp, 6, ML_PG_USER, ML_PS_PSS, false, &g);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].name, "root"); /* 5300 */
	assert_int_equal(g[0].sum.procs, 3);
	assert_int_equal(g[0].sum.read, 2);
	assert_int_equal(g[0].sum.v[ML_PM_PSS], KB(5300));
	assert_string_equal(g[1].name, "alice");
	assert_int_equal(g[1].sum.v[ML_PM_PSS], KB(550));
	assert_int_equal(g[1].uid, 1000);
	assert_string_equal(g[2].name, "bob"); /* nothing readable: last */
	assert_false(ml_proc_sum_has(&g[2].sum, ML_PM_PSS));
	free(g);
	n = ml_procs_group(rp, 6, ML_PG_COMMAND, ML_PS_COMMAND, false, &g);
	assert_int_equal(n, 5);
	assert_string_equal(g[0].name, "bash");
	assert_int_equal(g[0].sum.procs, 2);
	assert_int_equal(g[0].sum.v[ML_PM_RSS], KB(1780));
	free(g);
	n = ml_procs_group(rp, 6, ML_PG_USER, ML_PS_PID, true, &g);
	assert_string_equal(g[0].name, "bob"); /* uid 1001 first, reversed */
	free(g);
	n = ml_procs_group(rp, 0, ML_PG_USER, ML_PS_PSS, false, &g);
	assert_int_equal(n, 0);
	free(g);
}

static void
t_top(void **state)
{
	struct ml_proc *top[5];
	size_t n;

	(void)state;
	ml_procs_sort(rp, 6, ML_PS_PID, false);
	n = ml_procs_top_pss(rp, 6, top, 5);
	assert_int_equal(n, 4);
	assert_int_equal(top[0]->pid, 20);
	assert_int_equal(top[1]->pid, 5); /* 300, lower PID first */
	assert_int_equal(top[2]->pid, 10);
	assert_int_equal(top[3]->pid, 30);
	n = ml_procs_top_pss(rp, 6, top, 2);
	assert_int_equal(n, 2);
	assert_int_equal(top[0]->pid, 20);
	assert_int_equal(top[1]->pid, 5);
	assert_int_equal(rp[0]->pid, 5); /* rows not reordered */
}

/* A process's USS and a sum over processes that would wrap are unknown. */
static void
t_sums_never_wrap(void **state)
{
	struct ml_proc_sum s;
	uint64_t v;

	(void)state;
	mk(0, 10, "big", "alice", 1000, ML_MEM_OK, 1, 1, 0, 0, 0);
	rows[0].val[ML_SM_PRIVATE_CLEAN] = UINT64_MAX;
	rows[0].val[ML_SM_PRIVATE_DIRTY] = 1;
	rows[0].val[ML_SM_PSS] = UINT64_MAX / 2 + 1;
	assert_false(ml_proc_value(&rows[0], ML_PM_USS, &v));
	assert_true(ml_proc_value(&rows[0], ML_PM_RSS, &v));
	memset(&s, 0, sizeof s);
	ml_proc_sum_add(&s, &rows[0]);
	assert_true(ml_proc_sum_has(&s, ML_PM_PSS));
	ml_proc_sum_add(&s, &rows[0]);
	assert_false(ml_proc_sum_has(&s, ML_PM_PSS)); /* 2^64: does not fit */
	assert_false(ml_proc_sum_has(&s, ML_PM_USS));
	/* With a process whose USS is fine, still unknown: not an undercount. */
	mk(1, 11, "small", "alice", 1000, ML_MEM_OK, 1, 1, 1, 1, 0);
	ml_proc_sum_add(&s, &rows[1]);
	assert_false(ml_proc_sum_has(&s, ML_PM_USS));
	assert_true(ml_proc_sum_has(&s, ML_PM_RSS));
	assert_int_equal(s.v[ML_PM_RSS], KB(3));
}

/* Changes through reads: measured rows fit, unread rows kept, sorted by growth. */
static void
t_growth(void **state)
{
	struct ml_proc_growth pg;
	double slope;

	(void)state;
	setup(state);
	ml_proc_growth_init(&pg, ML_PM_PSS);
	for (int i = 0; i < 4; i++) {
		/* nginx (20) grows 1 KiB/s, bash (10) 2 KiB/s; cron (5) is read only at first. */
		rows[1].val[ML_SM_PSS] = KB(5000 + i);
		rows[0].val[ML_SM_PSS] = KB(300 + 2 * i);
		/* Read at i seconds; cron only once, at 0.5 s. */
		rows[0].mem_ns = rows[1].mem_ns = (uint64_t)i * 1000000000 + 1;
		rows[4].mem_ns = 500000000;
		ml_proc_growth_sample(&pg, rp, 6, (int64_t)i * 1000000000 + 2);
	}
	assert_true(ml_proc_growth_of(&pg, &rows[1], &slope));
	assert_true(slope > 1023.9 && slope < 1024.1);
	assert_true(ml_proc_growth_of(&pg, &rows[0], &slope));
	assert_true(slope > 2047.9 && slope < 2048.1);
	/* Read once: no slope, but not dropped either. */
	assert_false(ml_proc_growth_of(&pg, &rows[4], &slope));
	/* By growth: bash, nginx, then the unknown ones by PID. */
	ml_procs_sort_growth(rp, 6, &pg, false);
	assert_int_equal(rp[0]->pid, 10);
	assert_int_equal(rp[1]->pid, 20);
	assert_int_equal(rp[2]->pid, 5);
	ml_procs_sort_growth(rp, 6, &pg, true);
	assert_int_equal(rp[0]->pid, 20);
	/* The same PID under another name is another process: no slope yet. */
	strcpy(rows[1].comm, "nginx2");
	assert_false(ml_proc_growth_of(&pg, &rows[1], &slope));
	/* Without the changes, ML_PS_GROWTH sorts by PID. */
	ml_procs_sort(rp, 6, ML_PS_GROWTH, false);
	assert_int_equal(rp[0]->pid, 5);
	ml_proc_growth_release(&pg);
	assert_int_equal(ml_proc_sort_parse("growth"), ML_PS_GROWTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sums_never_wrap),
		cmocka_unit_test_setup(t_sort, setup),
		cmocka_unit_test_setup(t_sum_group, setup),
		cmocka_unit_test_setup(t_top, setup),
		cmocka_unit_test(t_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
