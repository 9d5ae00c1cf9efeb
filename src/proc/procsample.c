/*
 * Sampling every process's RSS; see procsample.h. PID/status is
 * "Key:\tvalue" lines (VmRSS in kB, absent for zombies and kernel threads),
 * PID/stat one line; doc/procfs.md section 18, and section 13 on why a
 * per-PID read fails.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "proc/live.h"
#include "proc/procsample.h"
#include "util.h"

#define BUF_SIZE 4096
/* The last line of PID/status the sampler needs: Name, Kthread and VmRSS come before it. */
#define STATUS_LAST "VmRSS:"
/* Descriptors never kept, so that the plain reads and the rest of memlens have some. */
#define FD_RESERVE 32

int
ml_psampler_open(struct ml_psampler *s, const struct ml_procfs *fs, char **cause)
{
	struct rlimit lim;

	memset(s, 0, sizeof *s);
	s->fs = fs;
	s->status.fd = s->stat.fd = s->rollup.fd = -1;
	ml_smaps_rollup_init(&s->roll);
	s->keep = ml_procfs_is_live(fs);
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
	    lim.rlim_cur < (rlim_t)INT_MAX)
		s->fd_limit = (int)lim.rlim_cur;
	else
		s->fd_limit = INT_MAX;
	s->buf = malloc(BUF_SIZE);
	if (s->buf == NULL) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

static void
close_slots(struct ml_psample_slot *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].fd >= 0)
			close(v[i].fd);
}

void
ml_psampler_close(struct ml_psampler *s)
{
	if (s == NULL)
		return;
	close_slots(s->slots, s->nslots);
	free(s->slots);
	free(s->next);
	free(s->rows);
	free(s->pidv);
	free(s->buf);
	ml_reader_release(&s->status);
	ml_reader_release(&s->stat);
	ml_reader_release(&s->rollup);
	ml_smaps_rollup_release(&s->roll);
	memset(s, 0, sizeof *s);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numeric entries of the proc root (a directory, an archive or a capture), sorted. */
static int
list_pids(struct ml_psampler *s, char **cause)
{
	struct ml_procfs_dir *d;
	const char *name;
	char *why = NULL;
	int pid;

	d = ml_procfs_opendir(s->fs, ".", &why);
	if (d == NULL) {
		/* why is "cannot list ROOT: REASON" */
		ml_set_cause(cause, "%s", why);
		free(why);
		return -1;
	}
	s->npid = 0;
	while ((errno = 0, name = ml_procfs_readdir(d)) != NULL) {
		if (name[0] < '1' || name[0] > '9' || (pid = ml_pid_parse(name)) < 0)
			continue;
		if (s->npid == s->pid_cap) {
			size_t cap = s->pid_cap ? s->pid_cap * 2 : 512;
			int *v = realloc(s->pidv, cap * sizeof *v);

			if (v == NULL) {
				ml_set_cause(cause, "listing %s: %s", s->fs->root, strerror(errno));
				ml_procfs_closedir(d);
				return -1;
			}
			s->pidv = v;
			s->pid_cap = cap;
		}
		s->pidv[s->npid++] = pid;
	}
	if (errno != 0) {
		ml_set_cause(cause, "cannot list %s: %s", s->fs->root, strerror(errno));
		ml_procfs_closedir(d);
		return -1;
	}
	ml_procfs_closedir(d);
	/* procfs lists PIDs in order; a copied tree or an archive may not. None: no array. */
	if (s->npid > 1)
		qsort(s->pidv, s->npid, sizeof *s->pidv, cmp_int);
	return 0;
}

/*
 * Read an open file from offset 0 through src's parser into out; 0, or -1
 * with errno. With last (a key, "VmRSS:"), the file ends for the parser
 * with the line of that key: the lines after it are not needed, and parsing
 * them would cost more than reading them.
 */
static int
read_fd(struct ml_psampler *s, int fd, const struct ml_source *src, void *out, const char *last)
{
	size_t klen = last != NULL ? strlen(last) : 0;
	off_t off = 0;
	ssize_t n;

	if (ml_feed_begin(&s->feed, src, out) != 0)
		return -1;
	for (;;) {
		const char *k = NULL, *nl = NULL;

		n = pread(fd, s->buf, BUF_SIZE, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		/* The key at the start of a line of this chunk (the first line is Name:). */
		if (klen > 0 && (k = memmem(s->buf, (size_t)n, last, klen)) != NULL &&
		    (k == s->buf || k[-1] == '\n'))
			nl = memchr(k, '\n', (size_t)(s->buf + n - k));
		if (nl != NULL)
			n = nl + 1 - s->buf;
		if (ml_feed(&s->feed, s->buf, (size_t)n) != 0)
			return -1;
		if (nl != NULL)
			break;
		off += n;
	}
	return ml_feed_finish(&s->feed, NULL);
}

/* A file of pid through a reader of the proc root (copied trees): 0, or -1 with errno. */
static int
read_rel(struct ml_psampler *s, struct ml_reader *r, const struct ml_source *src, int pid,
	 const char *file, void *out, char **cause)
{
	char rel[32];

	snprintf(rel, sizeof rel, "%d/%s", pid, file);
	if (r->src == NULL) {
		if (ml_reader_open(r, s->fs, src, rel, cause) != 0)
			return -1;
	} else if (ml_reader_reopen(r, rel, cause) != 0) {
		return -1;
	}
	return ml_reader_refresh(r, out, cause);
}

/* The process is gone (it exited, or exits while being read). */
static bool
gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

static void
note_failure(struct ml_psampler *s, int pid, const char *file, int err, const char *cause)
{
	if (s->failed++ > 0)
		return;
	if (cause != NULL)
		snprintf(s->first_error, sizeof s->first_error, "%s", cause);
	else
		snprintf(s->first_error, sizeof s->first_error, "cannot read %s/%d/%s: %s",
			 s->fs->root, pid, file, strerror(err));
}

/* Read pid's stat into s->ps; 0, or -1 with errno. */
static int
read_stat(struct ml_psampler *s, int pid)
{
	char *cause = NULL;
	int rc, err;

	if (s->keep) {
		char rel[32];
		int fd;

		snprintf(rel, sizeof rel, "%d/stat", pid);
		fd = openat(s->fs->dirfd, rel, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		rc = read_fd(s, fd, &ml_src_pid_stat, &s->ps, NULL);
		err = errno;
		close(fd);
		errno = err;
	} else {
		rc = read_rel(s, &s->stat, &ml_src_pid_stat, pid, "stat", &s->ps, &cause);
		err = errno;
		free(cause);
		errno = err;
	}
	if (rc == 0 && !s->ps.valid) {
		errno = EINVAL;
		return -1;
	}
	return rc;
}

/* Keep pid's status open, when there is a descriptor for it; -1 otherwise. */
static int
keep_status(struct ml_psampler *s, int pid)
{
	char rel[32];
	int fd;

	snprintf(rel, sizeof rel, "%d/status", pid);
	fd = openat(s->fs->dirfd, rel, O_RDONLY | O_CLOEXEC);
	/* Descriptors are handed out lowest first: a high one means few are left. */
	if ((fd < 0 && (errno == EMFILE || errno == ENFILE)) ||
	    (fd >= 0 && fd >= s->fd_limit - FD_RESERVE)) {
		if (fd >= 0)
			close(fd);
		s->unkept++;
		return -1;
	}
	return fd;
}

/*
 * Read pid's status into s->st: through its kept descriptor, or the plain
 * way. 0, or -1 with errno (ESRCH or ENOENT: gone).
 */
static int
read_status(struct ml_psampler *s, struct ml_psample_slot *slot)
{
	char *cause = NULL;
	int rc, err;

	if (slot->fd >= 0)
		return read_fd(s, slot->fd, &ml_src_pid_status, &s->st, STATUS_LAST);
	if (s->keep) {
		char rel[32];
		int fd;

		snprintf(rel, sizeof rel, "%d/status", slot->pid);
		fd = openat(s->fs->dirfd, rel, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		rc = read_fd(s, fd, &ml_src_pid_status, &s->st, STATUS_LAST);
		err = errno;
		close(fd);
		errno = err;
		return rc;
	}
	rc = read_rel(s, &s->status, &ml_src_pid_status, slot->pid, "status", &s->st, &cause);
	err = errno;
	free(cause);
	errno = err;
	return rc;
}

/* Start a slot for a process seen for the first time; false when it cannot be read. */
static bool
new_slot(struct ml_psampler *s, struct ml_psample_slot *slot, int pid)
{
	memset(slot, 0, sizeof *slot);
	slot->pid = pid;
	slot->fd = -1;
	if (read_stat(s, pid) != 0) {
		if (gone(errno))
			s->vanished++;
		else
			note_failure(s, pid, "stat", errno, NULL);
		return false;
	}
	slot->start = s->ps.starttime;
	slot->kthread = (s->ps.flags & ML_PF_KTHREAD) != 0;
	if (s->keep && !slot->kthread)
		slot->fd = keep_status(s, pid);
	return true;
}

/* Room for n slots in s->next and n rows. */
static int
ensure(struct ml_psampler *s, size_t n)
{
	if (n <= s->slot_cap)
		return 0;
	{
		size_t cap = n + n / 2 + 64;
		struct ml_psample_slot *a = realloc(s->slots, cap * sizeof *a);

		if (a == NULL)
			return -1;
		s->slots = a;
		a = realloc(s->next, cap * sizeof *a);
		if (a == NULL)
			return -1;
		s->next = a;
		{
			struct ml_psample *r = realloc(s->rows, cap * sizeof *r);

			if (r == NULL)
				return -1;
			s->rows = r;
		}
		s->slot_cap = cap;
	}
	return 0;
}

/*
 * Read one listed process into the rows (or count why it has none) and keep
 * its slot for the next scan: 0. Or the errno of a read that failed, the
 * slot dropped and nothing counted: the caller decides what it means.
 */
static int
sample_one(struct ml_psampler *s, struct ml_psample_slot *slot, bool fresh)
{
	struct ml_psample *row;

	if (slot->kthread) {
		s->kthreads++;
		s->next[s->nnext++] = *slot;
		return 0;
	}
	if (read_status(s, slot) != 0) {
		int err = errno;

		if (slot->fd >= 0)
			close(slot->fd);
		return err != 0 ? err : EIO;
	}
	if (!s->keep && !fresh) {
		/* A copied tree: nothing ties this scan's files to the last one's. */
		if (read_stat(s, slot->pid) != 0)
			return errno != 0 ? errno : EIO;
		slot->start = s->ps.starttime;
	}
	s->next[s->nnext++] = *slot;
	if (s->st.kthread == 1) {
		s->kthreads++;
		return 0;
	}
	if (!s->st.has_vm_rss) {
		s->no_rss++;
		return 0;
	}
	row = &s->rows[s->n++];
	row->pid = slot->pid;
	row->start = slot->start;
	row->rss = s->st.vm_rss;
	snprintf(row->comm, sizeof row->comm, "%s", s->st.has_name ? s->st.name : "");
	return 0;
}

/* A process met for the first time (or again, as another one): its stat, then its status. */
static void
sample_new(struct ml_psampler *s, int pid)
{
	struct ml_psample_slot slot;
	int err;

	if (!new_slot(s, &slot, pid))
		return;
	err = sample_one(s, &slot, true);
	if (err == 0)
		return;
	if (gone(err))
		s->vanished++;
	else
		note_failure(s, pid, "status", err, NULL);
}

int
ml_psampler_scan(struct ml_psampler *s, char **cause)
{
	size_t i = 0, j = 0;

	s->n = 0;
	s->nnext = 0;
	s->kthreads = s->no_rss = s->vanished = s->unkept = s->failed = 0;
	s->first_error[0] = '\0';
	if (list_pids(s, cause) != 0)
		return -1;
	if (ensure(s, s->npid + s->nslots) != 0) {
		ml_set_cause(cause, "sampling %s: %s", s->fs->root, strerror(errno));
		return -1;
	}
	/* Merge the listing with the slots of the last scan, both sorted by PID. */
	while (i < s->npid || j < s->nslots) {
		struct ml_psample_slot slot;
		int err;

		if (j < s->nslots && (i == s->npid || s->slots[j].pid < s->pidv[i])) {
			/* Gone since the last scan. */
			if (s->slots[j].fd >= 0)
				close(s->slots[j].fd);
			j++;
			continue;
		}
		if (j == s->nslots || s->slots[j].pid != s->pidv[i]) {
			sample_new(s, s->pidv[i++]);
			continue;
		}
		slot = s->slots[j++];
		i++;
		if (s->keep && slot.fd < 0 && !slot.kthread) {
			/* Read the plain way last time: it may be another process now. */
			sample_new(s, slot.pid);
			continue;
		}
		err = sample_one(s, &slot, false);
		if (err == 0)
			continue;
		if (gone(err) && slot.fd >= 0) {
			/* Its own status is gone, yet the PID is listed: handed out again. */
			sample_new(s, slot.pid);
		} else if (gone(err)) {
			s->vanished++;
		} else {
			note_failure(s, slot.pid, "status", err, NULL);
		}
	}
	/* The new slots become the slots; the old array is reused next time. */
	{
		struct ml_psample_slot *t = s->slots;

		s->slots = s->next;
		s->next = t;
		s->nslots = s->nnext;
	}
	return 0;
}

bool
ml_psampler_pss(struct ml_psampler *s, const struct ml_psample *row, uint64_t *pss)
{
	char *cause = NULL;
	int rc, err;

	rc = read_rel(s, &s->rollup, &ml_src_smaps_rollup, row->pid, "smaps_rollup", &s->roll,
		      &cause);
	err = errno;
	free(cause);
	if (rc != 0) {
		errno = err;
		return false;
	}
	if (!ml_smaps_has(&s->roll.f, ML_SM_PSS)) {
		errno = ENODATA;
		return false;
	}
	/* The PID may have been handed out again since the scan: the kept status says. */
	if (s->keep) {
		size_t lo = 0, hi = s->nslots;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (s->slots[mid].pid < row->pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < s->nslots && s->slots[lo].pid == row->pid && s->slots[lo].fd >= 0 &&
		    pread(s->slots[lo].fd, s->buf, 1, 0) < 0) {
			errno = ESRCH;
			return false;
		}
	}
	*pss = s->roll.f.val[ML_SM_PSS];
	return true;
}
