/*
 * Process identity and the process table: the PID/status parser, the
 * directory back end on the procs-6.18 fixture (kernel threads by both rules,
 * an exited process, a zombie, a 3.10 process without smaps_rollup), the
 * libproc2 back end on the live /proc, refreshes that drop vanished rows,
 * and reading memory within a time budget.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "proc/pids.h"
#include "proc/proctab.h"

/* This program's name as the kernel keeps it (15 characters at most). */
static const char *
self_comm(void)
{
	static char comm[16];

	snprintf(comm, sizeof comm, "%s", program_invocation_short_name);
	return comm;
}

static void
t_status(void **state)
{
	struct ml_pid_status st;
	const struct ml_feed *f;

	(void)state;
	f = unit_parse_str(&ml_src_pid_status, &st,
			   "Name:\tmy worker \n"
			   "Umask:\t0022\n"
			   "State:\tZ (zombie)\n"
			   "PPid:\t17\n"
			   "Uid:\t1000\t1001\t1002\t1003\n"
			   "Kthread:\t0\n"
			   "VmRSS:\t     100 kB\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_string_equal(st.name, "my worker");
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.ppid, 17);
	assert_int_equal(st.euid, 1001);
	assert_int_equal(st.kthread, 0);
	assert_true(st.has_name && st.has_uid);
	/* Absent lines stay absent; bad ones are counted. */
	f = unit_parse_str(&ml_src_pid_status, &st,
			   "Name:\tx\nPPid:\tminus\nUid:\t5\nKthread:\t7\nno colon\n");
	assert_int_equal(f->stats.bad_lines, 4);
	assert_int_equal(st.ppid, -1);
	assert_false(st.has_uid);
	assert_int_equal(st.kthread, -1);
	/* A key twice: the first is kept, the second is bad; CRLF reads as LF. */
	f = unit_parse_str(&ml_src_pid_status, &st,
			   "Name:\tcat\r\nPPid:\tx\nPPid:\t5\r\nPPid:\t6\nName:\tdog\n"
			   "Uid:\t1\t2\t3\t4\r\n");
	assert_int_equal(f->stats.bad_lines, 3);
	assert_string_equal(f->stats.first_bad_why, "bad PPid");
	assert_string_equal(st.name, "cat");
	assert_int_equal(st.ppid, 5);
	assert_int_equal(st.euid, 2);
	/* VmRSS and VmSwap, in kB: what procs shows of a process it may not read. */
	f = unit_parse_str(
		&ml_src_pid_status, &st,
		"Name:\tx\nUid:\t5\t5\t5\t5\nVmRSS:\t    7424 kB\r\nVmSwap:\t       0 kB\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(st.has_vm_rss && st.has_vm_swap);
	assert_int_equal(st.vm_rss, 7424 * 1024);
	assert_int_equal(st.vm_swap, 0);
	f = unit_parse_str(&ml_src_pid_status, &st,
			   "Name:\tx\nVmRSS:\t12 MB\nVmSwap:\t-1 kB\nVmRSS:\t1 kB\n"
			   "VmSwap:\t99999999999999999999 kB\n");
	assert_int_equal(f->stats.bad_lines, 3); /* the second VmRSS is good */
	assert_string_equal(f->stats.first_bad_why, "bad VmRSS");
	assert_true(st.has_vm_rss);
	assert_int_equal(st.vm_rss, 1024);
	assert_false(st.has_vm_swap);
	assert_int_equal(ml_pid_parse("1234"), 1234);
	assert_int_equal(ml_pid_parse("0"), -1);
	assert_int_equal(ml_pid_parse("12a"), -1);
	assert_int_equal(ml_pid_parse(""), -1);
	assert_int_equal(ml_pid_parse("99999999999"), -1);
}

/* A real status file gives the same result whole and in 1, 7 and 4096-byte chunks. */
static void
t_status_real_file_whole_and_chunked(void **state)
{
	struct ml_pid_status whole, part;
	struct ml_feed f;
	size_t len, i;
	char *buf = unit_load_fixture("procs-6.18/400/status", &len);

	(void)state;
	unit_parse(&f, &ml_src_pid_status, &whole, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_string_equal(whole.name, "com.example.app");
	assert_int_equal(whole.ppid, 300);
	assert_int_equal(whole.euid, 10057);
	for (i = 1; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&f, &ml_src_pid_status, &part, buf, len, unit_chunk_sizes[i]);
		assert_memory_equal(&whole, &part, sizeof whole);
	}
	free(buf);
}

struct list {
	int n;
	int pid[32];
	bool kthread[32];
	char comm[32][64];
	char cmdline[32][128];
	char user[32][16];
	char state[32];
};

static int
on_ident(void *arg, const struct ml_pid_ident *id)
{
	struct list *l = arg;

	if (l->n >= 32)
		return 0;
	l->pid[l->n] = id->pid;
	l->kthread[l->n] = id->kthread;
	l->state[l->n] = id->state;
	snprintf(l->comm[l->n], sizeof l->comm[0], "%s", id->comm);
	snprintf(l->cmdline[l->n], sizeof l->cmdline[0], "%s", id->cmdline);
	snprintf(l->user[l->n], sizeof l->user[0], "%s", id->user);
	l->n++;
	return 0;
}

static int
find(const struct list *l, int pid)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->pid[i] == pid)
			return i;
	fail_msg("pid %d not listed", pid);
	return -1;
}

static void
t_dir_backend(void **state)
{
	struct ml_procfs fs;
	struct ml_pids p;
	struct list l;
	char *cause = NULL;
	int i;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/procs-6.18", &cause), 0);
	assert_false(ml_procfs_is_this_proc(&fs));
	assert_int_equal(ml_pids_open(&p, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_false(p.live);
	memset(&l, 0, sizeof l);
	assert_int_equal(ml_pids_scan(&p, on_ident, &l, &cause), 0);
	assert_int_equal(l.n, 12);
	for (i = 1; i < l.n; i++)
		assert_true(l.pid[i - 1] < l.pid[i]); /* sorted */
	i = find(&l, 2);
	assert_true(l.kthread[i]); /* Kthread: 1 */
	i = find(&l, 3);
	assert_true(l.kthread[i]); /* PPid 2 and no command line */
	assert_string_equal(l.comm[i], "kworker/0:1");
	i = find(&l, 600);
	assert_false(l.kthread[i]); /* a zombie has no command line either */
	assert_int_equal(l.state[i], 'Z');
	i = find(&l, 320);
	assert_string_equal(l.cmdline[i], "busybox httpd -f");
	assert_string_equal(l.user[i], "0");
	i = find(&l, 900);
	assert_string_equal(l.comm[i], "my worker");
	assert_string_equal(l.cmdline[i], "/srv/app/my worker --name a b");
	assert_string_equal(l.user[i], "1000");

	memset(&l, 0, sizeof l);
	assert_int_equal(ml_pids_get(&p, 4242, on_ident, &l, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.comm[0], "cat");
	assert_int_equal(ml_pids_get(&p, 4243, on_ident, &l, &cause), -1);
	assert_int_equal(errno, ESRCH);
	assert_non_null(strstr(cause, "no process 4243"));
	free(cause);
	ml_pids_close(&p);
	ml_procfs_close(&fs);
}

static void
t_live_backend(void **state)
{
	struct ml_procfs fs;
	struct ml_pids p;
	struct list l;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, "/proc", &cause), 0);
	assert_true(ml_procfs_is_this_proc(&fs));
	assert_int_equal(ml_pids_open(&p, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_true(p.live);
	memset(&l, 0, sizeof l);
	assert_int_equal(ml_pids_get(&p, (int)getpid(), on_ident, &l, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.comm[0], self_comm());
	assert_false(l.kthread[0]);
	assert_int_equal(ml_pids_get(&p, 0x7ffffff0, on_ident, &l, &cause), -1);
	assert_int_equal(errno, ESRCH);
	free(cause);
	ml_pids_close(&p);
	/* The same /proc read by the directory back end agrees on identity. */
	assert_int_equal(ml_pids_open(&p, &fs, ML_PIDS_DIR, &cause), 0);
	assert_false(p.live);
	memset(&l, 0, sizeof l);
	assert_int_equal(ml_pids_get(&p, (int)getpid(), on_ident, &l, &cause), 0);
	assert_string_equal(l.comm[0], self_comm());
	ml_pids_close(&p);
	ml_procfs_close(&fs);
}

static void
t_proctab(void **state)
{
	struct ml_procfs fs;
	struct ml_proctab t;
	struct ml_proc *p, *rows[4];
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/procs-6.18", &cause), 0);
	assert_int_equal(ml_proctab_init(&t, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	assert_int_equal(t.n, 12);
	assert_int_equal(ml_proctab_read_mem_all(&t), 12);

	p = ml_proctab_find(&t, 1234);
	assert_non_null(p);
	assert_int_equal(p->mem, ML_MEM_OK);
	assert_false(p->from_smaps);
	assert_int_equal(p->val[ML_SM_PSS], 8124 * 1024);
	assert_true(ml_proc_has(p, ML_SM_PSS_ANON));
	p = ml_proctab_find(&t, 310); /* 3.10: summed from smaps */
	assert_int_equal(p->mem, ML_MEM_OK);
	assert_true(p->from_smaps);
	assert_int_equal(p->val[ML_SM_PSS], (100 + 4 + 12 + 132 + 100 + 16 + 512 + 90 + 24) * 1024);
	assert_false(ml_proc_has(p, ML_SM_SWAP_PSS));
	assert_false(ml_proc_has(p, ML_SM_KERNEL_PAGE_SIZE));
	assert_int_equal(ml_proctab_find(&t, 500)->mem, ML_MEM_GONE);
	assert_int_equal(ml_proctab_find(&t, 600)->mem, ML_MEM_NONE);
	assert_int_equal(ml_proctab_find(&t, 2)->mem, ML_MEM_NONE);
	assert_int_equal(ml_proctab_find(&t, 3)->mem, ML_MEM_NONE);
	assert_null(ml_proctab_find(&t, 4));
	assert_int_equal(t.vanished, 1);
	assert_int_equal(t.errors.files, 0);
	assert_string_equal(ml_mem_state_reason(ML_MEM_DENIED), "permission denied");
	assert_string_equal(ml_mem_state_word(ML_MEM_GONE), "gone");

	/* A time budget of 1 ns reads at most one row per call; rows read stay current. */
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	rows[0] = ml_proctab_find(&t, 700);
	rows[1] = ml_proctab_find(&t, 800);
	rows[2] = ml_proctab_find(&t, 900);
	rows[3] = ml_proctab_find(&t, 4242);
	assert_true(ml_proctab_read_mem_rows(&t, rows, 4, 1) <= 1);
	assert_int_equal(ml_proctab_read_mem_rows(&t, rows, 4, 0), 4);
	assert_int_equal(rows[2]->mem, ML_MEM_OK);
	assert_int_equal(rows[2]->val[ML_SM_RSS], 512 * 1024);
	assert_int_equal(rows[2]->mem_gen, t.generation);

	/* One process by PID, without listing all. */
	p = ml_proctab_get(&t, 320, &cause);
	assert_non_null(p);
	assert_string_equal(p->comm, "busybox");
	assert_null(ml_proctab_get(&t, 321, &cause));
	assert_int_equal(errno, ESRCH);
	free(cause);
	ml_proctab_release(&t);
	ml_procfs_close(&fs);
}

/* The parallel refresh gives what the listing then the reads give. */
static void
t_read_all(void **state)
{
	struct ml_procfs fs;
	struct ml_proctab a, b;
	char *cause = NULL;
	size_t i;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/procs-6.18", &cause), 0);
	assert_int_equal(ml_proctab_init(&a, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_int_equal(ml_proctab_init(&b, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_int_equal(ml_proctab_refresh(&a, &cause), 0);
	ml_proctab_read_mem_all(&a);
	assert_int_equal(ml_proctab_refresh_read_all(&b, &cause), 0);
	assert_int_equal(a.n, b.n);
	assert_int_equal(b.nscratch, 12);
	for (i = 0; i < a.n; i++) {
		assert_int_equal(a.rows[i]->pid, b.rows[i]->pid);
		assert_int_equal(a.rows[i]->mem, b.rows[i]->mem);
		assert_int_equal(a.rows[i]->from_smaps, b.rows[i]->from_smaps);
		assert_int_equal(b.rows[i]->mem_gen, b.generation);
		assert_memory_equal(a.rows[i]->val, b.rows[i]->val, sizeof a.rows[i]->val);
		assert_memory_equal(a.rows[i]->present, b.rows[i]->present,
				    sizeof a.rows[i]->present);
	}
	assert_int_equal(ml_proctab_find(&b, 600)->mem, ML_MEM_NONE); /* zombie */
	assert_int_equal(ml_proctab_find(&b, 2)->mem, ML_MEM_NONE);   /* kernel thread */
	assert_int_equal(ml_proctab_find(&b, 500)->mem, ML_MEM_GONE);
	assert_int_equal(a.vanished, b.vanished);
	/* Twice: the rows and the scratch are reused. */
	assert_int_equal(ml_proctab_refresh_read_all(&b, &cause), 0);
	assert_int_equal(ml_proctab_find(&b, 1234)->val[ML_SM_PSS], 8124 * 1024);
	ml_proctab_release(&a);
	ml_proctab_release(&b);
	ml_procfs_close(&fs);

	/* On the live /proc: this very process is read, with its identity. */
	assert_int_equal(ml_procfs_open(&fs, "/proc", &cause), 0);
	assert_int_equal(ml_proctab_init(&b, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_int_equal(ml_proctab_refresh_read_all(&b, &cause), 0);
	assert_non_null(ml_proctab_find(&b, (int)getpid()));
	assert_int_equal(ml_proctab_find(&b, (int)getpid())->mem, ML_MEM_OK);
	assert_string_equal(ml_proctab_find(&b, (int)getpid())->comm, self_comm());
	ml_proctab_release(&b);
	ml_procfs_close(&fs);
}

/*
 * Command lines on demand: a listing without them, then those of some rows;
 * the kernel-thread rule still reads the one it needs. RSS and swap of a
 * process that cannot be read come from its status.
 */
static void
t_cmdlines_on_demand(void **state)
{
	struct ml_procfs fs;
	struct ml_proctab t;
	struct ml_proc *rows[2], *p;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ml_procfs_open(&fs, FIXTURES "/procs-6.18", &cause), 0);
	assert_int_equal(ml_proctab_init(&t, &fs, ML_PIDS_AUTO, &cause), 0);
	ml_proctab_want_cmdlines(&t, false);
	assert_int_equal(ml_proctab_refresh_read_all(&t, &cause), 0);
	assert_int_equal(t.n, 12);
	p = ml_proctab_find(&t, 800);
	assert_false(p->cmdline_known);
	assert_string_equal(p->cmdline, "");
	assert_string_equal(p->comm, "bash");
	assert_true(ml_proctab_find(&t, 3)->kthread); /* PPid 2, empty cmdline: still found */
	assert_false(ml_proctab_find(&t, 600)->kthread);
	rows[0] = p;
	rows[1] = ml_proctab_find(&t, 900);
	assert_int_equal(ml_proctab_read_cmdlines(&t, rows, 2, &cause), 0);
	assert_true(p->cmdline_known);
	assert_string_equal(p->cmdline, "-bash");
	assert_string_equal(rows[1]->cmdline, "/srv/app/my worker --name a b");
	assert_false(ml_proctab_find(&t, 700)->cmdline_known);
	/* The directory back end has status at hand: VmRSS, VmSwap. */
	p = ml_proctab_find(&t, 700);
	assert_true(p->has_status_rss && p->has_status_swap);
	assert_int_equal(p->status_rss, 7424 * 1024);
	assert_int_equal(p->status_swap, 2048 * 1024);
	/* Again with them: the same rows, their command lines read with the listing. */
	ml_proctab_want_cmdlines(&t, true);
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	assert_true(ml_proctab_find(&t, 700)->cmdline_known);
	assert_string_equal(ml_proctab_find(&t, 320)->cmdline, "busybox httpd -f");
	ml_proctab_release(&t);
	ml_procfs_close(&fs);

	/* Live, through libproc2: this process's command line and status figures. */
	assert_int_equal(ml_procfs_open(&fs, "/proc", &cause), 0);
	assert_int_equal(ml_proctab_init(&t, &fs, ML_PIDS_AUTO, &cause), 0);
	ml_proctab_want_cmdlines(&t, false);
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	p = ml_proctab_find(&t, (int)getpid());
	assert_non_null(p);
	assert_false(p->cmdline_known);
	assert_int_equal(ml_proctab_read_cmdlines(&t, &p, 1, &cause), 0);
	assert_true(p->cmdline_known);
	assert_non_null(strstr(p->cmdline, self_comm()));
	assert_false(p->has_status_rss);
	p->mem = ML_MEM_DENIED; /* as if its smaps_rollup were refused */
	assert_int_equal(ml_proctab_read_status_mem(&t, &p, 1, &cause), 0);
	assert_true(p->has_status_rss);
	assert_true(p->status_rss > 0);
	ml_proctab_release(&t);
	ml_procfs_close(&fs);
}

/* Write the n bytes of text to DIR/REL. */
static void
write_file(const char *dir, const char *rel, const char *text, size_t n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
}

/*
 * A copied tree with a PID directory but no status, or no cmdline: the
 * process is listed with that part unknown, and counted; it is not gone.
 */
static void
t_missing_in_tree(void **state)
{
	char dir[] = "/tmp/memlens-pids.XXXXXX", path[256];
	struct ml_procfs fs;
	struct ml_proctab t;
	struct ml_proc *p;
	char *cause = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/10", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_file(dir, "10/cmdline",
		   "sleep\0"
		   "9\0",
		   8);
	snprintf(path, sizeof path, "%s/11", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_file(dir, "11/status",
		   "Name:\tok\nState:\tS (sleeping)\nPPid:\t1\nUid:\t7\t7\t7\t7\n",
		   strlen("Name:\tok\nState:\tS (sleeping)\nPPid:\t1\nUid:\t7\t7\t7\t7\n"));
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_proctab_init(&t, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.pids.unlisted, 0);
	assert_int_equal(t.pids.vanished, 0);
	p = ml_proctab_find(&t, 10);
	assert_false(p->comm_known);
	assert_false(p->uid_known);
	assert_string_equal(p->comm, "unknown");
	assert_string_equal(p->user, "unknown");
	assert_int_equal(p->ppid, -1);
	assert_false(p->kthread);
	assert_true(p->cmdline_known);
	assert_string_equal(p->cmdline, "sleep 9");
	p = ml_proctab_find(&t, 11);
	assert_true(p->comm_known);
	assert_false(p->cmdline_known);
	assert_true(p->cmdline_missing);
	assert_int_equal(t.pids.no_status, 1);
	assert_string_equal(t.pids.no_status_rel, "10/status");
	assert_int_equal(t.pids.no_cmdline, 1);
	assert_string_equal(t.pids.no_cmdline_rel, "11/cmdline");
	/* Not asked again: the count stays. */
	assert_int_equal(ml_proctab_read_cmdlines(&t, &p, 1, &cause), 0);
	assert_int_equal(t.pids.no_cmdline, 1);
	/* One process by PID: found, not "no process". */
	assert_non_null(p = ml_proctab_get(&t, 10, &cause));
	assert_false(p->comm_known);
	assert_null(ml_proctab_get(&t, 12, &cause));
	assert_int_equal(errno, ESRCH);
	free(cause);
	ml_proctab_release(&t);
	ml_procfs_close(&fs);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void
copy_file(const char *from, const char *to)
{
	char buf[4096];
	size_t n;
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");

	assert_non_null(a);
	assert_non_null(b);
	while ((n = fread(buf, 1, sizeof buf, a)) > 0)
		assert_int_equal(fwrite(buf, 1, n, b), n);
	fclose(a);
	fclose(b);
}

static void
t_refresh_drops(void **state)
{
	char dir[] = "/tmp/memlens-pids.XXXXXX", path[256], from[256];
	static const char *const files[] = { "status", "cmdline", "smaps_rollup" };
	static const int pids[] = { 700, 800 };
	struct ml_procfs fs;
	struct ml_proctab t;
	char *cause = NULL;
	size_t i, j;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%d", dir, pids[i]);
		assert_int_equal(mkdir(path, 0755), 0);
		for (j = 0; j < 3; j++) {
			snprintf(from, sizeof from, "%s/procs-6.18/%d/%s", FIXTURES, pids[i],
				 files[j]);
			snprintf(path, sizeof path, "%s/%d/%s", dir, pids[i], files[j]);
			copy_file(from, path);
		}
	}
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_proctab_init(&t, &fs, ML_PIDS_AUTO, &cause), 0);
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	assert_int_equal(t.n, 2);
	ml_proctab_read_mem_all(&t);
	assert_int_equal(t.rows[1]->mem, ML_MEM_OK);
	/* 800 exits: its row goes at the next refresh; 700 keeps its figures. */
	for (j = 0; j < 3; j++) {
		snprintf(path, sizeof path, "%s/800/%s", dir, files[j]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/800", dir);
	rmdir(path);
	assert_int_equal(ml_proctab_refresh(&t, &cause), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.rows[0]->pid, 700);
	assert_int_equal(t.rows[0]->mem, ML_MEM_OK);
	assert_true(t.rows[0]->mem_gen < t.generation); /* stale until read again */
	/* Its smaps_rollup goes too: exited between listing and reading. */
	snprintf(path, sizeof path, "%s/700/smaps_rollup", dir);
	unlink(path);
	ml_proctab_read_mem(&t, t.rows[0]);
	assert_int_equal(t.rows[0]->mem, ML_MEM_GONE);
	ml_proctab_release(&t);
	ml_procfs_close(&fs);
	for (j = 0; j < 2; j++) {
		snprintf(path, sizeof path, "%s/700/%s", dir, files[j]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/700", dir);
	rmdir(path);
	rmdir(dir);
}

/*
 * A PID directory whose status cannot be read is not listed, and the first
 * cause is kept for the report; a status with bad lines is listed, and its
 * bad lines are kept too.
 */
static void
t_unlisted_reported(void **state)
{
	char dir[] = "/tmp/memlens-pids.XXXXXX", path[128];
	struct ml_procfs fs;
	struct ml_pids p;
	struct list l;
	char *cause = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/10", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/10/status", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("garbage\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/11", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/11/status", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("Name:\tok\nState:\tS (sleeping)\nPPid:\t1\nUid:\t0\t0\t0\t0\nVmRSS x\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/11/cmdline", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_pids_open(&p, &fs, ML_PIDS_DIR, &cause), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(ml_pids_scan(&p, on_ident, &l, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(p.unlisted, 1);
	assert_non_null(strstr(p.unlisted_why, "10/status: no Name: line"));
	assert_int_equal(p.bad_status_files, 1);
	assert_string_equal(p.bad_status_rel, "11/status");
	assert_int_equal(p.bad_status.first_bad_lineno, 5);
	ml_pids_close(&p);
	ml_procfs_close(&fs);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_status),
		cmocka_unit_test(t_status_real_file_whole_and_chunked),
		cmocka_unit_test(t_dir_backend),
		cmocka_unit_test(t_live_backend),
		cmocka_unit_test(t_proctab),
		cmocka_unit_test(t_refresh_drops),
		cmocka_unit_test(t_read_all),
		cmocka_unit_test(t_unlisted_reported),
		cmocka_unit_test(t_cmdlines_on_demand),
		cmocka_unit_test(t_missing_in_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
