/*
 * The process table; see proctab.h. Per-PID reads fail in documented ways
 * (doc/procfs.md sections 1 and 13): EACCES at open (>= 3.18) or at the first
 * read (<= 3.17) without ptrace access; ENOENT once the process is reaped;
 * ESRCH from smaps_rollup of a kernel thread or a zombie (no mm).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "proc/proctab.h"
#include "util.h"

static const char *const state_reason[ML_MEM__COUNT] = {
	[ML_MEM_UNREAD] = "not read",          [ML_MEM_OK] = "",
	[ML_MEM_DENIED] = "permission denied", [ML_MEM_GONE] = "exited",
	[ML_MEM_NONE] = "no user memory",      [ML_MEM_ERROR] = "read error",
};
static const char *const state_word[ML_MEM__COUNT] = {
	[ML_MEM_UNREAD] = "unread", [ML_MEM_OK] = "ok",     [ML_MEM_DENIED] = "denied",
	[ML_MEM_GONE] = "gone",     [ML_MEM_NONE] = "none", [ML_MEM_ERROR] = "error",
};
_Static_assert(ML_ARRAY_SIZE(state_reason) == ML_MEM__COUNT, "state_reason out of sync");
_Static_assert(ML_ARRAY_SIZE(state_word) == ML_MEM__COUNT, "state_word out of sync");

const char *
ml_mem_state_reason(enum ml_mem_state s)
{
	return (unsigned int)s < ML_MEM__COUNT ? state_reason[s] : "?";
}

const char *
ml_mem_state_word(enum ml_mem_state s)
{
	return (unsigned int)s < ML_MEM__COUNT ? state_word[s] : "error";
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sum each smaps record into the row (the fallback for kernels before 4.14). */
static int
sum_record(void *arg, const struct ml_smaps_record *r)
{
	struct ml_proc *p = arg;
	unsigned int k;

	for (k = 0; k < ML_SM__COUNT; k++) {
		if (k == ML_SM_KERNEL_PAGE_SIZE || k == ML_SM_MMU_PAGE_SIZE ||
		    k == ML_SM_THP_ELIGIBLE || k == ML_SM_PROTECTION_KEY ||
		    !ml_smaps_has(&r->f, (enum ml_sm_key)k))
			continue;
		/* A sum that would wrap stops this process's read: n/a, with the reason. */
		if (!ml_add_u64(p->val[k], r->f.val[k], &p->val[k])) {
			errno = EOVERFLOW;
			return -1;
		}
		ml_bit_set(p->present, k);
	}
	return 0;
}

int
ml_proctab_init(struct ml_proctab *t, const struct ml_procfs *fs, enum ml_pids_backend b,
		char **cause)
{
	int i;

	memset(t, 0, sizeof *t);
	t->fs = fs;
	for (i = 0; i < 2; i++) {
		t->w[i].rr.fd = -1;
		ml_smaps_rollup_init(&t->w[i].roll);
		ml_smaps_init(&t->w[i].smaps, sum_record, NULL);
	}
	return ml_pids_open(&t->pids, fs, b, cause);
}

static void
proc_free(struct ml_proc *p)
{
	if (p == NULL)
		return;
	free(p->cmdline);
	free(p);
}

void
ml_proctab_release(struct ml_proctab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		proc_free(t->rows[i]);
	free(t->rows);
	free(t->scratch);
	for (i = 0; i < 2; i++) {
		if (t->w[i].rr_ready)
			ml_reader_release(&t->w[i].rr);
		ml_smaps_rollup_release(&t->w[i].roll);
		ml_smaps_release(&t->w[i].smaps);
	}
	ml_pids_close(&t->pids);
	memset(t, 0, sizeof *t);
	t->w[0].rr.fd = t->w[1].rr.fd = -1;
}

/* Index of pid in the sorted rows[0..n), or of where it would go. */
static size_t
find_index(const struct ml_proctab *t, int pid)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->rows[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ml_proc *
ml_proctab_find(const struct ml_proctab *t, int pid)
{
	size_t i = find_index(t, pid);

	return i < t->n && t->rows[i]->pid == pid ? t->rows[i] : NULL;
}

static void
copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Set p's command line; -1 (ENOMEM) when it does not fit. */
static int
set_cmdline(struct ml_proc *p, const char *cmdline, bool known)
{
	size_t n = strlen(cmdline);

	if (n + 1 > p->cmdline_cap) {
		char *s = realloc(p->cmdline, n + 1);

		if (s == NULL)
			return -1;
		p->cmdline = s;
		p->cmdline_cap = n + 1;
	}
	memcpy(p->cmdline, cmdline, n + 1);
	p->cmdline_known = known;
	return 0;
}

/* Fill p's identity from id; -1 (ENOMEM) when the command line does not fit. */
static int
set_ident(struct ml_proc *p, const struct ml_pid_ident *id)
{
	const char *comm = id->comm_known ? id->comm : "unknown";
	bool same = p->cmdline != NULL && strcmp(p->comm, comm) == 0;

	if (p->mem != ML_MEM_UNREAD && !same)
		p->mem = ML_MEM_UNREAD; /* the PID was reused */
	/* the last listing's counts become the previous ones, for rates */
	p->faults_prev = p->faults_known && id->faults_known && same && p->pid == id->pid &&
			 id->minflt >= p->minflt && id->majflt >= p->majflt;
	p->prev_minflt = p->minflt;
	p->prev_majflt = p->majflt;
	p->prev_faults_ns = p->faults_ns;
	p->faults_known = id->faults_known;
	p->minflt = id->minflt;
	p->majflt = id->majflt;
	p->faults_ns = now_ns();
	p->pid = id->pid;
	p->ppid = id->ppid;
	p->uid = id->uid;
	p->state = id->state;
	p->kthread = id->kthread;
	p->comm_known = id->comm_known;
	p->uid_known = id->uid_known;
	p->cmdline_missing = id->cmdline_missing;
	copy_str(p->comm, sizeof p->comm, comm);
	copy_str(p->user, sizeof p->user, id->uid_known ? id->user : "unknown");
	p->status_rss = id->rss;
	p->has_status_rss = id->has_rss;
	p->status_swap = id->swap;
	p->has_status_swap = id->has_swap;
	/* Not listed this time: the one read before stands, unless the PID was reused. */
	if (!id->cmdline_known && same && p->cmdline_known)
		return 0;
	return set_cmdline(p, id->cmdline, id->cmdline_known);
}

/* Make room for one more row; -1 (ENOMEM). */
static int
reserve_row(struct ml_proctab *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct ml_proc **v = realloc(t->rows, cap * sizeof *v);

		if (v == NULL)
			return -1;
		t->rows = v;
		t->cap = cap;
	}
	return 0;
}

/* The row of id->pid, created (and kept sorted) when new; NULL on ENOMEM. */
static struct ml_proc *
upsert(struct ml_proctab *t, const struct ml_pid_ident *id)
{
	size_t i = find_index(t, id->pid);
	struct ml_proc *p;

	if (i < t->n && t->rows[i]->pid == id->pid) {
		p = t->rows[i];
	} else {
		if (reserve_row(t) != 0 || (p = calloc(1, sizeof *p)) == NULL)
			return NULL;
		memmove(t->rows + i + 1, t->rows + i, (t->n - i) * sizeof *t->rows);
		t->rows[i] = p;
		t->n++;
	}
	if (set_ident(p, id) != 0)
		return NULL;
	p->seen_gen = t->generation;
	return p;
}

static int
on_ident(void *arg, const struct ml_pid_ident *id)
{
	struct ml_proctab *t = arg;

	if (upsert(t, id) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* List the processes into the rows (generation already bumped); drop the gone. */
static int
scan_identity(struct ml_proctab *t, char **cause)
{
	size_t i, o;

	if (ml_pids_scan(&t->pids, on_ident, t, cause) != 0)
		return -1;
	for (i = o = 0; i < t->n; i++) {
		if (t->rows[i]->seen_gen == t->generation)
			t->rows[o++] = t->rows[i];
		else
			proc_free(t->rows[i]);
	}
	t->n = o;
	return 0;
}

int
ml_proctab_refresh(struct ml_proctab *t, char **cause)
{
	t->generation++;
	t->vanished = 0;
	memset(&t->errors, 0, sizeof t->errors);
	if (scan_identity(t, cause) != 0)
		return -1;
	t->vanished = t->pids.vanished;
	return 0;
}

static int
on_one(void *arg, const struct ml_pid_ident *id)
{
	struct ml_proc **out = arg;
	struct ml_proctab *t = (struct ml_proctab *)(void *)out[1];

	out[0] = upsert(t, id);
	if (out[0] == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

struct ml_proc *
ml_proctab_get(struct ml_proctab *t, int pid, char **cause)
{
	struct ml_proc *out[2] = { NULL, (struct ml_proc *)(void *)t };

	if (t->generation == 0)
		t->generation = 1;
	if (ml_pids_get(&t->pids, pid, on_one, out, cause) != 0)
		return NULL;
	return out[0];
}

/* Note the first per-process file with bad lines. */
static void
note_errors(struct ml_proctab_worker *w, const struct ml_proc *p, const char *rel)
{
	const struct ml_parse_stats *st = ml_reader_stats(&w->rr);

	if (st->bad_lines == 0)
		return;
	if (w->errors.files++ == 0) {
		copy_str(w->errors.first_rel, sizeof w->errors.first_rel, rel);
		w->errors.first = *st;
		w->errors.first_pid = p->pid;
	}
}

/* Open rel with the worker's reader; 0 or -1 with errno. */
static int
open_rel(struct ml_proctab *t, struct ml_proctab_worker *w, const struct ml_source *src,
	 const char *rel, char **cause)
{
	int rc;

	if (!w->rr_ready) {
		rc = ml_reader_open(&w->rr, t->fs, src, rel, cause);
		w->rr_ready = w->rr.buf != NULL;
		return rc;
	}
	w->rr.src = src;
	return ml_reader_reopen(&w->rr, rel, cause);
}

/* Keep the cause of the first read that failed for another reason than a gone process. */
static void
note_failure(struct ml_proctab_worker *w, const struct ml_proc *p, char **cause)
{
	if (p->mem == ML_MEM_ERROR && w->errors.first_error[0] == '\0' && *cause != NULL) {
		snprintf(w->errors.first_error, sizeof w->errors.first_error, "%s", *cause);
		w->errors.first_error_pid = p->pid;
	}
	free(*cause);
	*cause = NULL;
}

static bool
exists(const struct ml_proctab *t, const char *rel)
{
	struct stat st;

	return ml_procfs_stat(t->fs, rel, &st) == 0;
}

/* The state a failed per-PID read means. */
static enum ml_mem_state
failure_state(const struct ml_proc *p, int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return ML_MEM_DENIED;
	case ENOENT:
		return ML_MEM_GONE;
	case ESRCH:
		return p->state == 'Z' || p->kthread ? ML_MEM_NONE : ML_MEM_GONE;
	default:
		return ML_MEM_ERROR;
	}
}

/* Sum PID/smaps into p (kernels before 4.14). */
static void
read_smaps_fallback(struct ml_proctab *t, struct ml_proctab_worker *w, struct ml_proc *p,
		    const char *rel)
{
	char *cause = NULL;

	memset(p->val, 0, sizeof p->val);
	memset(p->present, 0, sizeof p->present);
	p->from_smaps = true;

	w->smaps.arg = p;
	if (open_rel(t, w, &ml_src_smaps, rel, &cause) != 0 ||
	    ml_reader_refresh(&w->rr, &w->smaps, &cause) != 0) {
		p->mem_errno = errno;
		p->mem = failure_state(p, errno);
		if (p->mem != ML_MEM_OK)
			memset(p->present, 0, sizeof p->present);
		note_failure(w, p, &cause);
		return;
	}
	note_errors(w, p, rel);
	p->mem = w->smaps.records > 0 ? ML_MEM_OK : ML_MEM_NONE;
}

/* Read p's memory with worker w. */
static void
read_mem(struct ml_proctab *t, struct ml_proctab_worker *w, struct ml_proc *p)
{
	char rel[48], dir[16], *cause = NULL;

	p->mem_gen = t->generation;
	p->mem_ns = now_ns();
	p->mem_errno = 0;
	p->from_smaps = false;
	if (p->kthread) {
		p->mem = ML_MEM_NONE;
		return;
	}
	snprintf(rel, sizeof rel, "%d/smaps_rollup", p->pid);
	if (open_rel(t, w, &ml_src_smaps_rollup, rel, &cause) != 0) {
		int err = errno;

		snprintf(dir, sizeof dir, "%d", p->pid);
		if (err == ENOENT && exists(t, dir)) {
			snprintf(rel, sizeof rel, "%d/smaps", p->pid);
			if (exists(t, rel)) {
				free(cause);
				read_smaps_fallback(t, w, p, rel);
				return;
			}
		}
		p->mem_errno = err;
		p->mem = failure_state(p, err);
		if (p->mem == ML_MEM_GONE)
			w->vanished++;
		note_failure(w, p, &cause);
		return;
	}
	if (ml_reader_refresh(&w->rr, &w->roll, &cause) != 0) {
		p->mem_errno = errno;
		p->mem = failure_state(p, errno);
		if (p->mem == ML_MEM_GONE)
			w->vanished++;
		note_failure(w, p, &cause);
		return;
	}
	note_errors(w, p, rel);
	if (!w->roll.has_header && w->roll.f.all.n == 0) {
		/* Empty: the mm went away (zombie) between open and read. */
		p->mem = ML_MEM_NONE;
		return;
	}
	memcpy(p->val, w->roll.f.val, sizeof p->val);
	memcpy(p->present, w->roll.f.present, sizeof p->present);
	p->mem = ML_MEM_OK;
}

/* Close a worker's file: an open smaps_rollup pins the process's mm. */
static void
worker_close(struct ml_proctab_worker *w)
{
	if (w->rr_ready)
		ml_reader_close(&w->rr);
}

/*
 * Add what worker w met to the table's report: counts add up, and of two
 * "first" files the one of the lower PID is kept, as one thread reading in
 * PID order would have.
 */
static void
take_worker(struct ml_proctab *t, struct ml_proctab_worker *w)
{
	struct ml_proctab_errors *e = &t->errors, *f = &w->errors;

	if (f->files > 0 && (e->files == 0 || f->first_pid < e->first_pid)) {
		memcpy(e->first_rel, f->first_rel, sizeof e->first_rel);
		e->first = f->first;
		e->first_pid = f->first_pid;
	}
	e->files += f->files;
	if (f->first_error[0] != '\0' &&
	    (e->first_error[0] == '\0' || f->first_error_pid < e->first_error_pid)) {
		memcpy(e->first_error, f->first_error, sizeof e->first_error);
		e->first_error_pid = f->first_error_pid;
	}
	t->vanished += w->vanished;
	memset(f, 0, sizeof *f);
	w->vanished = 0;
}

void
ml_proctab_read_mem(struct ml_proctab *t, struct ml_proc *p)
{
	read_mem(t, &t->w[0], p);
	take_worker(t, &t->w[0]);
}

size_t
ml_proctab_read_mem_all(struct ml_proctab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		read_mem(t, &t->w[0], t->rows[i]);
	take_worker(t, &t->w[0]);
	worker_close(&t->w[0]);
	return t->n;
}

size_t
ml_proctab_read_mem_rows(struct ml_proctab *t, struct ml_proc *const *rows, size_t n,
			 uint64_t budget_ns)
{
	uint64_t start = now_ns();
	size_t i, current = 0;

	for (i = 0; i < n; i++) {
		if (rows[i]->mem_gen != t->generation || rows[i]->mem == ML_MEM_UNREAD) {
			if (budget_ns != 0 && now_ns() - start >= budget_ns)
				continue;
			read_mem(t, &t->w[0], rows[i]);
		}
		current++;
	}
	take_worker(t, &t->w[0]);
	worker_close(&t->w[0]);
	return current;
}

/* ------------------------------------------------------------ command lines */

void
ml_proctab_want_cmdlines(struct ml_proctab *t, bool all)
{
	ml_pids_want_cmdline(&t->pids, all);
}

static int
on_detail(void *arg, const struct ml_pid_detail *d)
{
	struct ml_proctab *t = arg;
	struct ml_proc *p = ml_proctab_find(t, d->pid);

	if (p == NULL)
		return 0;
	if (d->has_rss || d->has_swap) {
		p->status_rss = d->rss;
		p->has_status_rss = d->has_rss;
		p->status_swap = d->swap;
		p->has_status_swap = d->has_swap;
	}
	if (d->cmdline_missing)
		p->cmdline_missing = true;
	if (d->cmdline != NULL && !p->cmdline_known && set_cmdline(p, d->cmdline, true) != 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Read what of the rows that need it (need: the row lacks it). */
static int
read_details(struct ml_proctab *t, struct ml_proc *const *rows, size_t n, unsigned int what,
	     bool (*need)(const struct ml_proc *), char **cause)
{
	int *pids, rc;
	size_t i, k = 0;

	if (n == 0)
		return 0;
	pids = malloc(n * sizeof *pids);
	if (pids == NULL) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		if (need(rows[i]))
			pids[k++] = rows[i]->pid;
	rc = ml_pids_details(&t->pids, pids, k, what, on_detail, t, cause);
	free(pids);
	return rc;
}

static bool
needs_cmdline(const struct ml_proc *p)
{
	return !p->cmdline_known && !p->cmdline_missing;
}

int
ml_proctab_read_cmdlines(struct ml_proctab *t, struct ml_proc *const *rows, size_t n, char **cause)
{
	return read_details(t, rows, n, ML_PID_CMDLINE, needs_cmdline, cause);
}

static bool
needs_status_mem(const struct ml_proc *p)
{
	return p->mem != ML_MEM_OK && p->mem != ML_MEM_NONE && p->mem != ML_MEM_GONE &&
	       !p->kthread && !p->has_status_rss;
}

int
ml_proctab_read_status_mem(struct ml_proctab *t, struct ml_proc *const *rows, size_t n,
			   char **cause)
{
	return read_details(t, rows, n, ML_PID_STATUS_MEM, needs_status_mem, cause);
}

/* ------------------------------------------------------------ both at once */

static void list_scratch(struct ml_proctab *t);
static void read_scratch(struct ml_proctab *t, struct ml_proctab_worker *w);

/*
 * The second thread lists the PID directories and reads rollups; libproc2
 * stays in this one (it keeps per-thread buffers that a thread of ours would
 * leak at its exit).
 */
static void *
scratch_thread(void *arg)
{
	struct ml_proctab *t = arg;

	list_scratch(t);
	read_scratch(t, &t->w[1]);
	return NULL;
}

static int
cmp_scratch(const void *a, const void *b)
{
	const struct ml_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Every numeric entry of the proc root into t->scratch, sorted; then mark it listed. */
static void
list_scratch(struct ml_proctab *t)
{
	struct ml_procfs_dir *d;
	const char *name;
	int pid;

	t->nscratch = 0;
	d = ml_procfs_opendir(t->fs, ".", NULL);
	if (d == NULL) {
		__atomic_store_n(&t->scratch_listed, true, __ATOMIC_RELEASE);
		return; /* the identity scan reports it */
	}
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if (name[0] < '1' || name[0] > '9' || (pid = ml_pid_parse(name)) < 0)
			continue;
		if (t->nscratch == t->scratch_cap) {
			size_t cap = t->scratch_cap ? t->scratch_cap * 2 : 256;
			struct ml_proc *v = realloc(t->scratch, cap * sizeof *v);

			if (v == NULL)
				break; /* the rest are read after the join, one by one */
			t->scratch = v;
			t->scratch_cap = cap;
		}
		memset(&t->scratch[t->nscratch], 0, sizeof t->scratch[0]);
		t->scratch[t->nscratch].pid = pid;
		t->scratch[t->nscratch].state = '?';
		t->nscratch++;
	}
	ml_procfs_closedir(d);
	if (t->nscratch > 1)
		qsort(t->scratch, t->nscratch, sizeof *t->scratch, cmp_scratch);
	__atomic_store_n(&t->scratch_listed, true, __ATOMIC_RELEASE);
}

/* Read the memory of listed entries not yet taken, with worker w, until none is left. */
static void
read_scratch(struct ml_proctab *t, struct ml_proctab_worker *w)
{
	size_t i;

	while ((i = __atomic_fetch_add(&t->scratch_next, 1, __ATOMIC_RELAXED)) < t->nscratch)
		read_mem(t, w, &t->scratch[i]);
	worker_close(w);
}

/* Take what was read for p in the parallel pass, now that p's identity is known. */
static void
take_scratch(struct ml_proctab *t, struct ml_proc *p, const struct ml_proc *s)
{
	p->mem_gen = t->generation;
	p->mem_ns = s->mem_ns;
	if (p->kthread) {
		/* As ml_proctab_read_mem: a kernel thread is not read. */
		p->mem = ML_MEM_NONE;
		p->from_smaps = false;
		p->mem_errno = 0;
		return;
	}
	p->from_smaps = s->from_smaps;
	p->mem_errno = s->mem_errno;
	memcpy(p->val, s->val, sizeof p->val);
	memcpy(p->present, s->present, sizeof p->present);
	if (s->mem == ML_MEM_GONE && s->mem_errno == ESRCH && p->state == 'Z')
		p->mem = ML_MEM_NONE; /* a zombie, not an exited process */
	else
		p->mem = s->mem;
}

int
ml_proctab_refresh_read_all(struct ml_proctab *t, char **cause)
{
	pthread_t th;
	size_t i, j;
	int rc;

	t->generation++;
	t->vanished = 0;
	memset(&t->errors, 0, sizeof t->errors);
	t->nscratch = 0;
	t->scratch_next = 0;
	t->scratch_listed = false;
	if (pthread_create(&th, NULL, scratch_thread, t) == 0) {
		rc = scan_identity(t, cause);
		/*
		 * The identities are in: read rollups from the same list as the
		 * other thread, so that both finish together (the identities
		 * and the rollups rarely cost the same).
		 */
		if (rc == 0 && __atomic_load_n(&t->scratch_listed, __ATOMIC_ACQUIRE))
			read_scratch(t, &t->w[0]);
		pthread_join(th, NULL);
		take_worker(t, &t->w[1]);
		take_worker(t, &t->w[0]);
	} else {
		t->nscratch = 0; /* no thread: each row is read after the listing */
		rc = scan_identity(t, cause);
	}
	if (rc != 0)
		return -1;
	/* Join by PID: both are sorted. A process listed after the directory was
	 * read is read now; a directory entry with no identity has exited. */
	for (i = j = 0; i < t->n; i++) {
		struct ml_proc *p = t->rows[i];

		while (j < t->nscratch && t->scratch[j].pid < p->pid)
			j++;
		if (j < t->nscratch && t->scratch[j].pid == p->pid)
			take_scratch(t, p, &t->scratch[j]);
		else
			read_mem(t, &t->w[0], p);
	}
	take_worker(t, &t->w[0]);
	worker_close(&t->w[0]);
	t->vanished = t->pids.vanished;
	for (i = 0; i < t->n; i++)
		t->vanished += t->rows[i]->mem == ML_MEM_GONE;
	return 0;
}
