/*
 * The process list; see pids.h. This file holds the directory back end (any
 * proc root) and its PID/status parser; pids-proc2.c holds the libproc2 one.
 * status lines are "Key:\tvalue"; the ones read here exist since 2.6
 * (Kthread: since 6.x): doc/procfs.md section 18. Why per-PID reads can
 * fail: doc/procfs.md section 13.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/live.h"
#include "proc/pids-proc2.h"
#include "proc/pids.h"
#include "proc/scan.h"
#include "util.h"

/* Longest command line kept; longer ones are cut (ps does the same). */
#define CMDLINE_MAX 4096

int
ml_pid_parse(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	uint64_t v;

	if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || p != end || v == 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

bool
ml_procfs_is_this_proc(const struct ml_procfs *fs)
{
	struct stat a, b;

	if (fs->dirfd < 0 || fstat(fs->dirfd, &a) != 0 || stat("/proc", &b) != 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* ------------------------------------------------------------ PID/status */

static int
status_begin(void *out)
{
	struct ml_pid_status *st = out;

	memset(st, 0, sizeof *st);
	st->state = '?';
	st->ppid = -1;
	st->kthread = -1;
	return 0;
}

static bool
key_is(const char *s, const char *colon, const char *key)
{
	size_t n = strlen(key);

	return (size_t)(colon - s) == n && memcmp(s, key, n) == 0;
}

static int
status_line(void *out, const char *s, size_t n, const char **why)
{
	static const char *const keys[] = { "Name",    "State", "PPid",  "Uid",
					    "Kthread", "VmRSS", "VmSwap" };
	struct ml_pid_status *st = out;
	const char *end = s + n, *colon = memchr(s, ':', n), *p;
	unsigned int k;
	uint64_t v;

	if (colon == NULL) {
		*why = "no ':' after the key";
		return ML_LINE_BAD;
	}
	/* As in every key/value file: the first of a key twice is kept. */
	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		if (key_is(s, colon, keys[k])) {
			if (st->seen & (1u << k)) {
				*why = "duplicate key";
				return ML_LINE_BAD;
			}
			break;
		}
	}
	p = ml_skip_blanks(colon + 1, end);
	if (key_is(s, colon, "Name")) {
		size_t len;

		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		len = (size_t)(end - p) < sizeof st->name ? (size_t)(end - p) : sizeof st->name - 1;
		memcpy(st->name, p, len);
		st->name[len] = '\0';
		st->has_name = true;
	} else if (key_is(s, colon, "State")) {
		if (p >= end) {
			*why = "empty State";
			return ML_LINE_BAD;
		}
		st->state = *p;
	} else if (key_is(s, colon, "PPid")) {
		if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v > INT_MAX) {
			*why = "bad PPid";
			return ML_LINE_BAD;
		}
		st->ppid = (int)v;
	} else if (key_is(s, colon, "Uid")) {
		/* real, effective, saved, filesystem */
		if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || (p = ml_skip_blanks(p, end)) >= end ||
		    ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v > UINT32_MAX) {
			*why = "bad Uid";
			return ML_LINE_BAD;
		}
		st->euid = (uint32_t)v;
		st->has_uid = true;
	} else if (key_is(s, colon, "Kthread")) {
		if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v > 1) {
			*why = "bad Kthread";
			return ML_LINE_BAD;
		}
		st->kthread = (int)v;
	} else if (key_is(s, colon, "VmRSS") || key_is(s, colon, "VmSwap")) {
		bool rss = key_is(s, colon, "VmRSS");

		/* "VmRSS:\t    1234 kB" (fs/proc/task_mmu.c, task_mem) */
		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v > UINT64_MAX / 1024 ||
		    (p = ml_skip_blanks(p, end)) + 2 != end || memcmp(p, "kB", 2) != 0) {
			*why = rss ? "bad VmRSS" : "bad VmSwap";
			return ML_LINE_BAD;
		}
		if (rss) {
			st->vm_rss = v * 1024;
			st->has_vm_rss = true;
		} else {
			st->vm_swap = v * 1024;
			st->has_vm_swap = true;
		}
	}
	if (k < sizeof keys / sizeof keys[0])
		st->seen |= 1u << k;
	return ML_LINE_OK;
}

const struct ml_source ml_src_pid_status = {
	.name = "status",
	.path = NULL,
	.begin = status_begin,
	.line = status_line,
	.finish = NULL,
};

/* ------------------------------------------------------------ directory back end */

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numeric entries of the proc root, sorted. */
static int
list_pids(struct ml_pids *p, char **cause)
{
	struct ml_procfs_dir *d;
	const char *name;
	int pid;

	d = ml_procfs_opendir(p->fs, ".", NULL);
	if (d == NULL) {
		ml_set_cause(cause, "cannot list %s: %s", p->fs->root, strerror(errno));
		return -1;
	}
	p->npid = 0;
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if (name[0] < '1' || name[0] > '9')
			continue;
		if ((pid = ml_pid_parse(name)) < 0)
			continue;
		if (p->npid == p->pidcap) {
			size_t cap = p->pidcap ? p->pidcap * 2 : 256;
			int *v = realloc(p->pidv, cap * sizeof *v);

			if (v == NULL) {
				ml_set_cause(cause, "listing %s: %s", p->fs->root, strerror(errno));
				ml_procfs_closedir(d);
				return -1;
			}
			p->pidv = v;
			p->pidcap = cap;
		}
		p->pidv[p->npid++] = pid;
	}
	if (errno != 0) {
		ml_set_cause(cause, "cannot list %s: %s", p->fs->root, strerror(errno));
		ml_procfs_closedir(d);
		return -1;
	}
	ml_procfs_closedir(d);
	if (p->npid > 1)
		qsort(p->pidv, p->npid, sizeof *p->pidv, cmp_int);
	return 0;
}

/* Read PID/cmdline into p->cmdline, NULs turned into spaces; -1 with errno. */
static int
read_cmdline(struct ml_pids *p, int pid, char **cause)
{
	char rel[32];
	long n, i;

	if (p->cmdline == NULL) {
		p->cmdline = malloc(CMDLINE_MAX);
		if (p->cmdline == NULL) {
			ml_set_cause(cause, "%s", strerror(errno));
			return -1;
		}
		p->cmdcap = CMDLINE_MAX;
	}
	snprintf(rel, sizeof rel, "%d/cmdline", pid);
	n = ml_procfs_read_small(p->fs, rel, p->cmdline, p->cmdcap, cause);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (p->cmdline[i] == '\0' || p->cmdline[i] == '\n')
			p->cmdline[i] = ' ';
	}
	while (n > 0 && p->cmdline[n - 1] == ' ')
		n--;
	p->cmdline[n] = '\0';
	return 0;
}

/* True when the directory of pid is in the proc root. */
static bool
pid_dir_exists(const struct ml_pids *p, int pid)
{
	char dir[16];
	struct stat st;

	snprintf(dir, sizeof dir, "%d", pid);
	return ml_procfs_stat(p->fs, dir, &st) == 0;
}

/*
 * A file of pid that is missing from a copied tree whose PID directory is
 * there (a capture made without it, a hand-made fixture): 1, counted in
 * *count with the first one kept in rel; 0 when the file is just not there
 * (on the live /proc: the process exited).
 */
static int
missing_in_tree(struct ml_pids *p, int pid, const char *file, uint64_t *count, char *rel,
		size_t cap)
{
	if (errno != ENOENT || p->is_procfs || !pid_dir_exists(p, pid))
		return 0;
	if ((*count)++ == 0)
		snprintf(rel, cap, "%d/%s", pid, file);
	return 1;
}

/*
 * The name of uid: on the live /proc from this machine's user database
 * (getpwuid_r, the last answer cached), elsewhere the uid in digits.
 */
static void
user_name(struct ml_pids *p, uint32_t uid, char *buf, size_t cap)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (p->names && p->name_uid_valid && p->name_uid == uid) {
		snprintf(buf, cap, "%s", p->name);
		return;
	}
	snprintf(buf, cap, "%u", uid);
	if (!p->names || getpwuid_r((uid_t)uid, &pw, tmp, sizeof tmp, &res) != 0 || res == NULL)
		return;
	snprintf(buf, cap, "%s", pw.pw_name);
	snprintf(p->name, sizeof p->name, "%s", pw.pw_name);
	p->name_uid = uid;
	p->name_uid_valid = true;
}

/*
 * One process through status and cmdline; -1 with errno when it cannot be
 * read, -2 when fn failed. In a copied tree a missing status or cmdline
 * leaves that part unknown, and is counted.
 */
static int
dir_one(struct ml_pids *p, int pid, ml_pid_fn fn, void *arg, char **cause)
{
	struct ml_pid_status st;
	struct ml_pid_ident id;
	char rel[32], user[64];
	bool have_status = true, need_cmdline;
	int rc;

	snprintf(rel, sizeof rel, "%d/status", pid);
	if (!p->status_ready) {
		rc = ml_reader_open(&p->status, p->fs, &ml_src_pid_status, rel, cause);
		p->status_ready = p->status.buf != NULL;
	} else {
		rc = ml_reader_reopen(&p->status, rel, cause);
	}
	if (rc != 0 || ml_reader_refresh(&p->status, &st, cause) != 0) {
		if (!missing_in_tree(p, pid, "status", &p->no_status, p->no_status_rel,
				     sizeof p->no_status_rel))
			return -1;
		free(*cause);
		*cause = NULL;
		status_begin(&st);
		have_status = false;
	} else if (!st.has_name || !st.has_uid) {
		char *path = ml_procfs_path(p->fs, rel);

		ml_set_cause(cause, "%s: no %s line", path != NULL ? path : rel,
			     st.has_name ? "Uid:" : "Name:");
		free(path);
		errno = EINVAL;
		return -1;
	}
	/* Listed with bad lines: the first such status is kept for the report. */
	if (have_status && ml_reader_stats(&p->status)->bad_lines > 0 &&
	    p->bad_status_files++ == 0) {
		snprintf(p->bad_status_rel, sizeof p->bad_status_rel, "%s", rel);
		p->bad_status = *ml_reader_stats(&p->status);
	}
	memset(&id, 0, sizeof id);
	id.cmdline = "";
	/* Without Kthread: (before 6.x) the rule needs the command line. */
	need_cmdline = p->want_cmdline || (st.kthread < 0 && (pid == 2 || st.ppid == 2));
	if (need_cmdline) {
		if (read_cmdline(p, pid, cause) == 0) {
			id.cmdline = p->cmdline;
			id.cmdline_known = true;
		} else if (missing_in_tree(p, pid, "cmdline", &p->no_cmdline, p->no_cmdline_rel,
					   sizeof p->no_cmdline_rel)) {
			free(*cause);
			*cause = NULL;
			id.cmdline_missing = true;
		} else {
			return -1;
		}
	}
	user[0] = '\0';
	if (have_status)
		user_name(p, st.euid, user, sizeof user);
	id.pid = pid;
	id.ppid = st.ppid;
	id.uid = st.euid;
	id.uid_known = have_status;
	id.state = st.state;
	if (st.kthread >= 0)
		id.kthread = st.kthread == 1;
	else
		id.kthread = have_status && (pid == 2 || st.ppid == 2) && id.cmdline_known &&
			     id.cmdline[0] == '\0';
	id.comm = st.name;
	id.comm_known = have_status;
	id.user = user;
	id.faults_known = false; /* in stat, which this back end does not parse */
	id.minflt = id.majflt = 0;
	id.rss = st.vm_rss;
	id.has_rss = st.has_vm_rss;
	id.swap = st.vm_swap;
	id.has_swap = st.has_vm_swap;
	if (!p->want_cmdline) {
		id.cmdline = "";
		id.cmdline_known = false;
	}
	if (fn(arg, &id) != 0) {
		ml_set_cause(cause, "reading process %d: %s", pid, strerror(errno));
		return -2;
	}
	return 0;
}

static bool
gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* ------------------------------------------------------------ the interface */

int
ml_pids_open(struct ml_pids *p, const struct ml_procfs *fs, enum ml_pids_backend b, char **cause)
{
	memset(p, 0, sizeof *p);
	p->fs = fs;
	p->status.fd = -1;
	p->want_cmdline = true;
	p->names = ml_procfs_is_this_proc(fs);
	p->is_procfs = ml_procfs_is_live(fs);
	/* libproc2 is opened at the first listing (pids-proc2.c says why). */
	p->live = b == ML_PIDS_AUTO && p->names;
	(void)cause;
	return 0;
}

void
ml_pids_want_cmdline(struct ml_pids *p, bool want)
{
	if (p->want_cmdline == want)
		return;
	p->want_cmdline = want;
	/* The libproc2 handle was made for the other item list. */
	if (p->live)
		ml_pids_proc2_close(p);
}

/* Open the libproc2 handle at the first use. */
static int
proc2_ready(struct ml_pids *p, char **cause)
{
	return p->proc2 != NULL ? 0 : ml_pids_proc2_open(p, cause);
}

void
ml_pids_close(struct ml_pids *p)
{
	if (p->live)
		ml_pids_proc2_close(p);
	if (p->status_ready)
		ml_reader_release(&p->status);
	free(p->pidv);
	free(p->cmdline);
	memset(p, 0, sizeof *p);
	p->status.fd = -1;
}

int
ml_pids_scan(struct ml_pids *p, ml_pid_fn fn, void *arg, char **cause)
{
	size_t i;
	int rc;

	p->vanished = 0;
	p->unlisted = 0;
	p->unlisted_why[0] = '\0';
	p->bad_status_files = 0;
	p->no_status = p->no_cmdline = 0;
	if (p->live)
		return proc2_ready(p, cause) != 0 ? -1 : ml_pids_proc2_scan(p, fn, arg, cause);
	if (list_pids(p, cause) != 0)
		return -1;
	p->last_total = p->npid < INT_MAX ? (int)p->npid : INT_MAX;
	for (i = 0; i < p->npid; i++) {
		char *why = NULL;

		rc = dir_one(p, p->pidv[i], fn, arg, &why);
		if (rc == -2) {
			ml_set_cause(cause, "%s", why);
			free(why);
			return -1;
		}
		if (rc != 0 && gone(errno))
			p->vanished++;                  /* listed, then exited: not worth a word */
		else if (rc != 0 && p->unlisted++ == 0) /* no readable status: cannot name it */
			snprintf(p->unlisted_why, sizeof p->unlisted_why, "%s",
				 why != NULL ? why : strerror(errno));
		free(why);
	}
	return 0;
}

int
ml_pids_get(struct ml_pids *p, int pid, ml_pid_fn fn, void *arg, char **cause)
{
	int rc;

	if (p->live)
		return proc2_ready(p, cause) != 0 ? -1 : ml_pids_proc2_get(p, pid, fn, arg, cause);
	p->no_status = p->no_cmdline = 0;
	rc = dir_one(p, pid, fn, arg, cause);
	if (rc != 0 && gone(errno)) {
		ml_set_cause(cause, "no process %d in %s", pid, p->fs->root);
		errno = ESRCH;
	}
	return rc == 0 ? 0 : -1;
}

int
ml_pid_start_time(const struct ml_procfs *fs, int pid, uint64_t *ticks)
{
	char rel[32], buf[1024];
	const char *p, *end;
	long n;
	int field;

	snprintf(rel, sizeof rel, "%d/stat", pid);
	n = ml_procfs_read_small(fs, rel, buf, sizeof buf, NULL);
	if (n < 0)
		return -1;
	/* The command is in parentheses and may hold any byte: fields start after the last ')'. */
	p = memrchr(buf, ')', (size_t)n);
	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	end = buf + n;
	p++;
	/* state is field 3, starttime field 22 (doc/procfs.md section 18). */
	for (field = 3; field < 22; field++) {
		while (p < end && *p == ' ')
			p++;
		while (p < end && *p != ' ')
			p++;
	}
	while (p < end && *p == ' ')
		p++;
	if (ml_scan_u64(&p, end, ticks) != ML_SCAN_OK) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* The VmRSS and VmSwap of one process's status, for ml_pids_details. */
static int
read_status_mem(struct ml_pids *p, int pid, struct ml_pid_detail *d, char **cause)
{
	struct ml_pid_status st;
	char rel[32];
	int rc;

	snprintf(rel, sizeof rel, "%d/status", pid);
	if (!p->status_ready) {
		rc = ml_reader_open(&p->status, p->fs, &ml_src_pid_status, rel, cause);
		p->status_ready = p->status.buf != NULL;
	} else {
		rc = ml_reader_reopen(&p->status, rel, cause);
	}
	if (rc != 0 || ml_reader_refresh(&p->status, &st, cause) != 0)
		return -1;
	d->rss = st.vm_rss;
	d->has_rss = st.has_vm_rss;
	d->swap = st.vm_swap;
	d->has_swap = st.has_vm_swap;
	return 0;
}

int
ml_pids_details(struct ml_pids *p, const int *pids, size_t n, unsigned int what, ml_detail_fn fn,
		void *arg, char **cause)
{
	struct ml_pid_detail d;
	size_t i;

	if (n == 0)
		return 0;
	if (p->live)
		return proc2_ready(p, cause) != 0
			       ? -1
			       : ml_pids_proc2_details(p, pids, n, what, fn, arg, cause);
	for (i = 0; i < n; i++) {
		char *why = NULL;
		int rc = 0;

		memset(&d, 0, sizeof d);
		d.pid = pids[i];
		if (what & ML_PID_CMDLINE) {
			if (read_cmdline(p, pids[i], &why) == 0)
				d.cmdline = p->cmdline;
			else if (missing_in_tree(p, pids[i], "cmdline", &p->no_cmdline,
						 p->no_cmdline_rel, sizeof p->no_cmdline_rel))
				d.cmdline_missing = true;
			else
				goto next; /* gone, or unreadable: it stays unknown */
		}
		if ((what & ML_PID_STATUS_MEM) && read_status_mem(p, pids[i], &d, &why) != 0)
			goto next;
		rc = fn(arg, &d);
	next:
		free(why);
		if (rc != 0) {
			ml_set_cause(cause, "reading processes: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}
