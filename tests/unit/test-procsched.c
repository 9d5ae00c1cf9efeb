/*
 * Unit tests for the process-read scheduler (src/model/procsched.c) on a
 * fake process table and a fake clock: each read advances the clock by what
 * that process costs, so budgets, ages and the memo can be checked exactly.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/procsched.h"
#include "unit.h"

#define MS 1000000ULL
#define US 1000ULL
#define NPROC 64

/* The fake machine: processes, what a read of each costs, the clock. */
struct fake {
	struct ml_proc procs[NPROC];
	struct ml_proc *rows[NPROC];
	size_t n;
	uint64_t cost[NPROC]; /* ns per read */
	uint64_t pss[NPROC];  /* what the next read finds */
	unsigned int reads[NPROC];
	uint64_t now;
};

static void
fake_read(void *arg, struct ml_proc *p)
{
	struct fake *f = arg;
	size_t i = (size_t)(p - f->procs);

	p->mem = ML_MEM_OK;
	p->mem_ns = f->now;
	memset(p->present, 0, sizeof p->present);
	p->val[ML_SM_PSS] = f->pss[i];
	p->val[ML_SM_RSS] = 2 * f->pss[i];
	ml_bit_set(p->present, ML_SM_PSS);
	ml_bit_set(p->present, ML_SM_RSS);
	f->now += f->cost[i];
	f->reads[i]++;
}

static uint64_t
fake_now(void *arg)
{
	return ((struct fake *)arg)->now;
}

/* n processes with PIDs 100, 101, ..., each read costing cost ns. */
static void
fake_init(struct fake *f, size_t n, uint64_t cost)
{
	size_t i;

	memset(f, 0, sizeof *f);
	f->n = n;
	f->now = 1000 * ML_PROCSCHED_NS_PER_S;
	for (i = 0; i < n; i++) {
		f->procs[i].pid = 100 + (int)i;
		f->procs[i].mem = ML_MEM_UNREAD;
		f->rows[i] = &f->procs[i];
		f->cost[i] = cost;
		f->pss[i] = (i + 1) * 4096;
	}
}

static const struct ml_procsched_params params = {
	.interval = 1.0,
	.selected_share = 0.003, /* 3 ms a second for the selected row */
	.shown_share = 0.003,    /* 3 ms a second for the other rows on screen */
	.rest_share = 0.0004,    /* 0.4 ms a second for the others */
};

static void
refresh(struct ml_procsched *s, struct fake *f, const int *shown, size_t nshown, int selected)
{
	const struct ml_procsched_io io = { .read = fake_read, .now = fake_now, .arg = f };

	ml_procsched_refresh(s, f->rows, f->n, shown, nshown, selected, &params, &io);
}

static void
clear_reads(struct fake *f)
{
	memset(f->reads, 0, sizeof f->reads);
}

/* The first refresh reads every process, kernel threads and zombies aside, and notes the cost. */
static void
t_first_reads_all(void **state)
{
	struct ml_procsched s;
	struct fake f;
	size_t i;

	(void)state;
	fake_init(&f, 10, 100 * US);
	f.procs[3].kthread = true;
	f.procs[4].mem = ML_MEM_NONE;
	f.cost[7] = 5 * MS;
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(f.reads[i], i == 3 || i == 4 ? 0 : 1);
	assert_int_equal(s.last.rest_read, 8);
	assert_int_equal(ml_procsched_memo(&s, 107)->cost_ns, 5 * MS);
	assert_int_equal(ml_procsched_memo(&s, 100)->cost_ns, 100 * US);
	ml_procsched_release(&s);
}

/*
 * The rows on screen are fresh at every refresh, far beyond what the bucket
 * of the others allows (30 rows of 80 us: 2.4 ms a second against 0.4 ms).
 */
static void
t_shown_rows_fresh_every_refresh(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[30];
	size_t i;
	int r;

	(void)state;
	fake_init(&f, NPROC, 80 * US);
	for (i = 0; i < 30; i++)
		shown[i] = 100 + 2 * (int)i;
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	for (r = 0; r < 5; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		clear_reads(&f);
		refresh(&s, &f, shown, 30, shown[0]);
		for (i = 0; i < 30; i++)
			assert_int_equal(f.reads[2 * i], 1);
		assert_int_equal(s.last.shown_read, 30);
		assert_int_equal(s.last.shown_waiting, 0);
		/* Off screen nothing is old yet: nothing else read. */
		assert_int_equal(s.last.rest_read, 0);
		for (i = 0; i < 30; i++)
			assert_true(f.now - f.procs[2 * i].mem_ns < ML_PROCSCHED_NS_PER_S / 2);
	}
	ml_procsched_release(&s);
}

/*
 * The selected row is read first; a row dearer than the bucket of the rows
 * on screen holds waits (the cheap ones are still read), until its figures
 * are a minute old.
 */
static void
t_selected_first_dear_ones_wait(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[4] = { 100, 101, 102, 103 };
	int r;

	(void)state;
	fake_init(&f, 8, 100 * US);
	f.cost[0] = 2 * MS;  /* the selected one */
	f.cost[1] = 10 * MS; /* more than the bucket ever holds (6 ms) */
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	f.now += ML_PROCSCHED_NS_PER_S;
	clear_reads(&f);
	refresh(&s, &f, shown, 4, 100);
	assert_int_equal(f.reads[0], 1);
	assert_int_equal(f.reads[1], 0);
	assert_int_equal(f.reads[2], 1);
	assert_int_equal(f.reads[3], 1);
	assert_int_equal(s.last.shown_waiting, 1);
	/* Selected, the dear one is read (the bucket goes into debt). */
	f.now += ML_PROCSCHED_NS_PER_S;
	clear_reads(&f);
	refresh(&s, &f, shown, 4, 101);
	assert_int_equal(f.reads[1], 1);
	assert_true(s.sel_tokens_ns < 0);
	/* Not selected, it waits on screen until its figures are a minute old. */
	clear_reads(&f);
	for (r = 0; r < 57; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 4, 102);
	}
	assert_int_equal(f.reads[1], 0);
	assert_true(f.reads[2] >= 54);
	assert_true(f.reads[0] >= 54);
	for (r = 0; r < 4; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 4, 102);
	}
	assert_int_equal(f.reads[1], 1);
	ml_procsched_release(&s);
}

/*
 * A selected process whose PSS takes 20 ms to read (3 ms a second for the
 * rows on screen) is read now and then, within the budget, not every second.
 */
static void
t_dear_selected_within_budget(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[1] = { 100 };
	uint64_t spent = 0;
	int r;

	(void)state;
	fake_init(&f, 1, 20 * MS);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	clear_reads(&f);
	for (r = 0; r < 60; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 1, 100);
		spent += s.last.shown_ns;
	}
	assert_true(spent <= 60 * 3 * MS + 20 * MS);
	assert_true(f.reads[0] >= 8 && f.reads[0] <= 10);
	ml_procsched_release(&s);
}

/*
 * One slow read does not make a row wait long: its debt is capped at what
 * the bucket holds, and the cost that counts is the lesser of the last two
 * reads. A row slow twice waits.
 */
static void
t_one_slow_read_does_not_stall(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[3] = { 100, 101, 102 };
	int r;

	(void)state;
	fake_init(&f, 3, 100 * US);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	f.cost[1] = 50 * MS; /* slow once */
	f.now += ML_PROCSCHED_NS_PER_S;
	refresh(&s, &f, shown, 3, 100);
	assert_true(s.shown_tokens_ns >= -(int64_t)(6 * MS));
	f.cost[1] = 100 * US;
	clear_reads(&f);
	for (r = 0; r < 3; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 3, 100);
	}
	assert_int_equal(f.reads[1], 1);
	assert_int_equal(f.reads[0], 3); /* the selected row, from its own bucket */
	/* Slow twice: it waits. */
	f.cost[1] = 50 * MS;
	for (r = 0; r < 6; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 3, 100);
	}
	clear_reads(&f);
	for (r = 0; r < 6; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 3, 100);
	}
	assert_int_equal(f.reads[1], 0);
	assert_int_equal(f.reads[2], 6);
	ml_procsched_release(&s);
}

/* A row read less than half an interval ago is not read again. */
static void
t_no_double_reads(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[3] = { 100, 101, 102 };

	(void)state;
	fake_init(&f, 3, 100 * US);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	f.now += 100 * MS;
	clear_reads(&f);
	refresh(&s, &f, shown, 3, 100);
	assert_int_equal(f.reads[0] + f.reads[1] + f.reads[2], 0);
	f.now += 500 * MS;
	refresh(&s, &f, shown, 3, 100);
	assert_int_equal(f.reads[0] + f.reads[1] + f.reads[2], 3);
	ml_procsched_release(&s);
}

/*
 * Off screen: new processes and figures older than a minute are read from
 * the bucket, within its rate; a row dearer than the bucket holds waits
 * until its figures are a minute old, then is read (the bucket in debt).
 */
static void
t_rest_from_the_bucket(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[1] = { 100 };
	uint64_t spent = 0;
	int r;

	(void)state;
	fake_init(&f, 60, 2 * MS);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	/* A new process appears: read at the next refresh. */
	f.procs[60].pid = 500;
	f.procs[60].mem = ML_MEM_UNREAD;
	f.rows[60] = &f.procs[60];
	f.cost[60] = 100 * US;
	f.n = 61;
	f.now += ML_PROCSCHED_NS_PER_S;
	clear_reads(&f);
	refresh(&s, &f, shown, 1, 100);
	assert_int_equal(f.reads[60], 1);
	/*
	 * A minute on, every off-screen row is stale (60 rows of 2 ms): they are
	 * read at the bucket's rate, 0.4 ms a second, give or take one read.
	 */
	for (r = 0; r < 120; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, shown, 1, 100);
		spent += s.last.rest_ns;
		assert_true(s.tokens_ns >= -(int64_t)(2 * MS));
	}
	assert_true(spent <= 120 * 400 * US + 2 * MS);
	assert_true(spent >= 120 * 400 * US - 2 * MS);

	/* A dear process waits for the bucket, until its figures are a minute old. */
	fake_init(&f, 3, 100 * US);
	f.cost[2] = 60 * MS; /* more than the bucket ever holds */
	ml_procsched_release(&s);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	clear_reads(&f);
	for (r = 0; r < 59; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, NULL, 0, 0);
	}
	assert_int_equal(f.reads[2], 0);
	for (r = 0; r < 3; r++) {
		f.now += ML_PROCSCHED_NS_PER_S;
		refresh(&s, &f, NULL, 0, 0);
	}
	assert_int_equal(f.reads[2], 1);
	assert_true(s.tokens_ns < 0);
	ml_procsched_release(&s);
}

/* The memo keeps the last two reads of each process: the change for the 'd' key. */
static void
t_memo_changes(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[2] = { 100, 101 };
	int64_t d[ML_PROCSCHED_MEASURES];

	(void)state;
	fake_init(&f, 3, 100 * US);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	assert_false(ml_procsched_change(&s, 100, d));
	f.pss[0] = 3 * 4096;
	f.pss[1] = 1 * 4096;
	f.now += ML_PROCSCHED_NS_PER_S;
	refresh(&s, &f, shown, 2, 100);
	assert_true(ml_procsched_change(&s, 100, d));
	assert_int_equal(d[0], 2 * 4096);     /* PSS */
	assert_int_equal(d[1], 0);            /* USS: not known */
	assert_int_equal(d[2], 2 * 2 * 4096); /* RSS */
	assert_true(ml_procsched_change(&s, 101, d));
	assert_int_equal(d[0], -4096);
	/* Not read again (off screen, fresh): no change to show yet. */
	assert_false(ml_procsched_change(&s, 102, d));
	/* A process that left the table leaves the memo. */
	f.n = 2;
	f.now += ML_PROCSCHED_NS_PER_S;
	refresh(&s, &f, shown, 2, 100);
	assert_null(ml_procsched_memo(&s, 102));
	assert_non_null(ml_procsched_memo(&s, 101));
	ml_procsched_release(&s);
}

/* Shown PIDs that are not in the table (exited), kernel threads and gone rows are skipped. */
static void
t_shown_unknown_and_unreadable(void **state)
{
	struct ml_procsched s;
	struct fake f;
	int shown[4] = { 999, 100, 101, 102 };

	(void)state;
	fake_init(&f, 3, 100 * US);
	ml_procsched_init(&s);
	refresh(&s, &f, NULL, 0, 0);
	f.procs[1].mem = ML_MEM_GONE;
	f.procs[2].kthread = true;
	f.now += ML_PROCSCHED_NS_PER_S;
	clear_reads(&f);
	refresh(&s, &f, shown, 4, 999);
	assert_int_equal(f.reads[0], 1);
	assert_int_equal(f.reads[1], 0);
	assert_int_equal(f.reads[2], 0);
	assert_int_equal(s.last.shown_read, 1);
	ml_procsched_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_first_reads_all),
		cmocka_unit_test(t_shown_rows_fresh_every_refresh),
		cmocka_unit_test(t_selected_first_dear_ones_wait),
		cmocka_unit_test(t_dear_selected_within_budget),
		cmocka_unit_test(t_no_double_reads),
		cmocka_unit_test(t_one_slow_read_does_not_stall),
		cmocka_unit_test(t_rest_from_the_bucket),
		cmocka_unit_test(t_memo_changes),
		cmocka_unit_test(t_shown_unknown_and_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
