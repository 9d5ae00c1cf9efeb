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
	memset(t, 0, sizeof *t);
	t->fs = fs;
	t->rr.fd = -1;
	ml_smaps_rollup_init(&t->roll);
	ml_smaps_init(&t->smaps, sum_record, NULL);
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
	if (t->rr_ready)
		ml_reader_release(&t->rr);
	ml_smaps_rollup_release(&t->roll);
	ml_smaps_release(&t->smaps);
	ml_pids_close(&t->pids);
	memset(t, 0, sizeof *t);
	t->rr.fd = -1;
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

/* Fill p's identity from id; -1 (ENOMEM) when the command line does not fit. */
static int
set_ident(struct ml_proc *p, const struct ml_pid_ident *id)
{
	size_t n = strlen(id->cmdline);

	if (p->mem != ML_MEM_UNREAD && strcmp(p->comm, id->comm) != 0)
		p->mem = ML_MEM_UNREAD; /* the PID was reused */
	p->pid = id->pid;
	p->ppid = id->ppid;
	p->uid = id->uid;
	p->state = id->state;
	p->kthread = id->kthread;
	copy_str(p->comm, sizeof p->comm, id->comm);
	copy_str(p->user, sizeof p->user, id->user);
	if (n + 1 > p->cmdline_cap) {
		char *s = realloc(p->cmdline, n + 1);

		if (s == NULL)
			return -1;
		p->cmdline = s;
		p->cmdline_cap = n + 1;
	}
	memcpy(p->cmdline, id->cmdline, n + 1);
	return 0;
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
note_errors(struct ml_proctab *t, const char *rel)
{
	const struct ml_parse_stats *st = ml_reader_stats(&t->rr);

	if (st->bad_lines == 0)
		return;
	if (t->errors.files++ == 0) {
		copy_str(t->errors.first_rel, sizeof t->errors.first_rel, rel);
		t->errors.first = *st;
	}
}

/* Open rel with the shared reader; 0 or -1 with errno. */
static int
open_rel(struct ml_proctab *t, const struct ml_source *src, const char *rel, char **cause)
{
	int rc;

	if (!t->rr_ready) {
		rc = ml_reader_open(&t->rr, t->fs, src, rel, cause);
		t->rr_ready = t->rr.buf != NULL;
		return rc;
	}
	t->rr.src = src;
	return ml_reader_reopen(&t->rr, rel, cause);
}

/* Keep the cause of the first read that failed for another reason than a gone process. */
static void
note_failure(struct ml_proctab *t, const struct ml_proc *p, char **cause)
{
	if (p->mem == ML_MEM_ERROR && t->errors.first_error[0] == '\0' && *cause != NULL)
		snprintf(t->errors.first_error, sizeof t->errors.first_error, "%s", *cause);
	free(*cause);
	*cause = NULL;
}

static bool
exists(const struct ml_proctab *t, const char *rel)
{
	struct stat st;

	return fstatat(t->fs->dirfd, rel, &st, 0) == 0;
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
read_smaps_fallback(struct ml_proctab *t, struct ml_proc *p, const char *rel)
{
	char *cause = NULL;

	memset(p->val, 0, sizeof p->val);
	memset(p->present, 0, sizeof p->present);
	p->from_smaps = true;

	t->smaps.arg = p;
	if (open_rel(t, &ml_src_smaps, rel, &cause) != 0 ||
	    ml_reader_refresh(&t->rr, &t->smaps, &cause) != 0) {
		p->mem_errno = errno;
		p->mem = failure_state(p, errno);
		if (p->mem != ML_MEM_OK)
			memset(p->present, 0, sizeof p->present);
		note_failure(t, p, &cause);
		return;
	}
	note_errors(t, rel);
	p->mem = t->smaps.records > 0 ? ML_MEM_OK : ML_MEM_NONE;
}

void
ml_proctab_read_mem(struct ml_proctab *t, struct ml_proc *p)
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
	if (open_rel(t, &ml_src_smaps_rollup, rel, &cause) != 0) {
		int err = errno;

		snprintf(dir, sizeof dir, "%d", p->pid);
		if (err == ENOENT && exists(t, dir)) {
			snprintf(rel, sizeof rel, "%d/smaps", p->pid);
			if (exists(t, rel)) {
				free(cause);
				read_smaps_fallback(t, p, rel);
				return;
			}
		}
		p->mem_errno = err;
		p->mem = failure_state(p, err);
		if (p->mem == ML_MEM_GONE)
			t->vanished++;
		note_failure(t, p, &cause);
		return;
	}
	if (ml_reader_refresh(&t->rr, &t->roll, &cause) != 0) {
		p->mem_errno = errno;
		p->mem = failure_state(p, errno);
		if (p->mem == ML_MEM_GONE)
			t->vanished++;
		note_failure(t, p, &cause);
		return;
	}
	note_errors(t, rel);
	if (!t->roll.has_header && t->roll.f.all.n == 0) {
		/* Empty: the mm went away (zombie) between open and read. */
		p->mem = ML_MEM_NONE;
		return;
	}
	memcpy(p->val, t->roll.f.val, sizeof p->val);
	memcpy(p->present, t->roll.f.present, sizeof p->present);
	p->mem = ML_MEM_OK;
}

size_t
ml_proctab_read_mem_all(struct ml_proctab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		ml_proctab_read_mem(t, t->rows[i]);
	/* Keep the reader's fd from pinning the last process's mm. */
	if (t->rr_ready && t->rr.fd >= 0) {
		close(t->rr.fd);
		t->rr.fd = -1;
	}
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
			ml_proctab_read_mem(t, rows[i]);
		}
		current++;
	}
	if (t->rr_ready && t->rr.fd >= 0) {
		close(t->rr.fd);
		t->rr.fd = -1;
	}
	return current;
}

/* ------------------------------------------------------------ both at once */

static void read_scratch(struct ml_proctab *t);

/*
 * The second thread reads the rollups; libproc2 stays in the main thread
 * (it keeps per-thread buffers that a thread of ours would leak at its exit).
 */
static void *
scratch_thread(void *arg)
{
	read_scratch(arg);
	return NULL;
}

static int
cmp_scratch(const void *a, const void *b)
{
	const struct ml_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Read the memory of every numeric entry of the proc root into t->scratch. */
static void
read_scratch(struct ml_proctab *t)
{
	struct dirent *de;
	DIR *d;
	int fd, pid;
	size_t i;

	t->nscratch = 0;
	fd = openat(t->fs->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return; /* the identity scan reports it */
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    (pid = ml_pid_parse(de->d_name)) < 0)
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
	closedir(d);
	if (t->nscratch > 1)
		qsort(t->scratch, t->nscratch, sizeof *t->scratch, cmp_scratch);
	for (i = 0; i < t->nscratch; i++)
		ml_proctab_read_mem(t, &t->scratch[i]);
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
	if (pthread_create(&th, NULL, scratch_thread, t) == 0) {
		rc = scan_identity(t, cause);
		pthread_join(th, NULL);
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
			ml_proctab_read_mem(t, p);
	}
	t->vanished = t->pids.vanished;
	for (i = 0; i < t->n; i++)
		t->vanished += t->rows[i]->mem == ML_MEM_GONE;
	if (t->rr_ready && t->rr.fd >= 0) {
		close(t->rr.fd);
		t->rr.fd = -1;
	}
	return 0;
}
