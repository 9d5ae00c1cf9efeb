/*
 * Reading the sources of memlens metrics and memlens serve; see
 * metrics-read.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "cmd/metrics-read.h"
#include "proc/live.h"
#include "proc/vmallocinfo.h"
#include "xalloc.h"

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

static const char *const src_names[MS__COUNT] = {
	[MS_MEMINFO] = "meminfo",   [MS_ZONEINFO] = "zoneinfo",       [MS_BUDDYINFO] = "buddyinfo",
	[MS_SLABINFO] = "slabinfo", [MS_VMALLOCINFO] = "vmallocinfo", [MS_PROCESSES] = "processes",
};

static double
now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Record that source s could not be read this time; takes cause. */
static void
lost(struct metrics_read *r, enum metrics_src s, char *cause, int err)
{
	r->state[s].readable = false;
	free(r->why[s]);
	r->why[s] = cause != NULL ? cause : ml_xstrdup(strerror(err));
	r->why_errno[s] = err;
}

static void
found(struct metrics_read *r, enum metrics_src s)
{
	r->state[s].readable = true;
	free(r->why[s]);
	r->why[s] = NULL;
	r->why_errno[s] = 0;
}

/*
 * The sysfs directory of the slab caches, unless the proc root is a copy and
 * the sys root this machine's (their flags would not belong to the copy).
 */
static int
open_slab_sysfs(const struct ml_ctx *ctx)
{
	struct statfs st;

	if (!ml_procfs_is_live(&ctx->fs) && statfs(ctx->sys_root, &st) == 0 &&
	    (long)st.f_type == SYSFS_MAGIC)
		return -1;
	return ml_slab_sysfs_open(ctx->sys_root, NULL);
}

void
metrics_read_init(struct metrics_read *r, struct ml_ctx *ctx)
{
	int i;

	memset(r, 0, sizeof *r);
	r->ctx = ctx;
	for (i = 0; i < MS__COUNT; i++)
		r->state[i].name = src_names[i];
	r->mi_reader.fd = r->bi_reader.fd = r->sl_reader.fd = r->vm_reader.fd = -1;
	r->zs.reader.fd = -1;
	cmd_find_page_size(ctx, &r->ps);
	ml_meminfo_init(&r->mi);
	cmd_zones_src_init(&r->zs);
	ml_buddyinfo_init(&r->bi);
	ml_frag_init(&r->frag);
	ml_slabinfo_init(&r->sl);
	ml_slab_view_init(&r->slv);
	r->slab_dirfd = open_slab_sysfs(ctx);
	ml_vmalloc_init(&r->vm);
	ml_vmalloc_set_top(&r->vm, 0);
	ml_vmalloc_set_page_size(&r->vm, r->ps.bytes);
}

/* Close a source's reader, so that the next refresh opens it again. */
static void
close_source(struct metrics_read *r, enum metrics_src s)
{
	switch (s) {
	case MS_MEMINFO:
		ml_reader_release(&r->mi_reader);
		break;
	case MS_ZONEINFO:
		ml_reader_release(&r->zs.reader);
		break;
	case MS_BUDDYINFO:
		ml_reader_release(&r->bi_reader);
		break;
	case MS_SLABINFO:
		ml_reader_release(&r->sl_reader);
		break;
	case MS_VMALLOCINFO:
		ml_reader_release(&r->vm_reader);
		break;
	case MS_PROCESSES:
		ml_proctab_release(&r->pt);
		break;
	case MS__COUNT:
		break;
	}
	r->opened[s] = false;
}

void
metrics_read_release(struct metrics_read *r)
{
	int i;

	for (i = 0; i < MS__COUNT; i++) {
		if (r->opened[i])
			close_source(r, (enum metrics_src)i);
		free(r->why[i]);
	}
	ml_meminfo_release(&r->mi);
	cmd_zones_src_release(&r->zs);
	ml_buddyinfo_release(&r->bi);
	ml_frag_release(&r->frag);
	ml_slabinfo_release(&r->sl);
	ml_slab_view_release(&r->slv);
	if (r->slab_dirfd >= 0)
		close(r->slab_dirfd);
	ml_vmalloc_release(&r->vm);
	free(r->rows);
	free(r->ps.why);
	memset(r, 0, sizeof *r);
}

/* Open a single-file source when it is not open; 0 or -1 (recorded). */
static int
ensure_open(struct metrics_read *r, enum metrics_src s)
{
	struct ml_reader *rd = NULL;
	const struct ml_source *src = NULL;
	char *cause = NULL;

	if (r->opened[s])
		return 0;
	switch (s) {
	case MS_MEMINFO:
		rd = &r->mi_reader, src = &ml_src_meminfo;
		break;
	case MS_ZONEINFO:
		rd = &r->zs.reader, src = &ml_src_zoneinfo;
		break;
	case MS_BUDDYINFO:
		rd = &r->bi_reader, src = &ml_src_buddyinfo;
		break;
	case MS_SLABINFO:
		rd = &r->sl_reader, src = &ml_src_slabinfo;
		break;
	case MS_VMALLOCINFO:
		rd = &r->vm_reader, src = &ml_src_vmallocinfo;
		break;
	case MS_PROCESSES:
		if (ml_proctab_init(&r->pt, &r->ctx->fs, ML_PIDS_AUTO, &cause) != 0) {
			int err = errno;

			ml_proctab_release(&r->pt);
			lost(r, s, cause, err);
			return -1;
		}
		r->opened[s] = true;
		return 0;
	case MS__COUNT:
		return -1;
	}
	if (ml_reader_open(rd, &r->ctx->fs, src, NULL, &cause) != 0) {
		int err = errno;

		ml_reader_release(rd);
		lost(r, s, cause, err);
		return -1;
	}
	r->opened[s] = true;
	return 0;
}

/* A refresh of s failed: record why and close it. */
static void
refresh_failed(struct metrics_read *r, enum metrics_src s, char *cause, int err)
{
	lost(r, s, cause, err);
	close_source(r, s);
}

static void
read_processes(struct metrics_read *r, double deadline)
{
	struct ml_proctab *t = &r->pt;
	char *cause = NULL;
	size_t i, done;
	int rc;

	if (deadline == 0 && cmd_threads_allowed())
		rc = ml_proctab_refresh_read_all(t, &cause);
	else
		rc = ml_proctab_refresh(t, &cause);
	if (rc != 0) {
		refresh_failed(r, MS_PROCESSES, cause, errno);
		return;
	}
	if (deadline > 0) {
		double left = deadline - now_seconds();

		done = left > 0 ? ml_proctab_read_mem_rows(t, t->rows, t->n,
							   (uint64_t)(left * 1e9) + 1)
				: 0;
		if (done < t->n) {
			lost(r, MS_PROCESSES,
			     ml_xasprintf("the time limit ran out after %zu of %zu processes", done,
					  t->n),
			     ETIME);
			return;
		}
	}
	if (t->n > r->rows_cap) {
		r->rows_cap = t->n + t->n / 4 + 16;
		r->rows = ml_xreallocarray(r->rows, r->rows_cap, sizeof *r->rows);
	}
	r->nrows = 0;
	for (i = 0; i < t->n; i++) {
		struct ml_proc *p = t->rows[i];

		/* Kernel threads and zombies have no memory; exited ones are gone. */
		if (p->kthread || p->mem == ML_MEM_NONE || p->mem == ML_MEM_GONE ||
		    p->mem == ML_MEM_UNREAD)
			continue;
		r->rows[r->nrows++] = p;
	}
	found(r, MS_PROCESSES);
}

void
metrics_read_refresh(struct metrics_read *r, double timeout)
{
	double start = now_seconds(), deadline = timeout > 0 ? start + timeout : 0;
	bool overlap_known = false;
	uint64_t overlap = 0;
	char *cause = NULL;
	int s;

	for (s = 0; s < MS__COUNT; s++) {
		/* meminfo is always read: the rest is read while time is left. */
		if (s != MS_MEMINFO && deadline > 0 && now_seconds() >= deadline) {
			lost(r, (enum metrics_src)s,
			     ml_xasprintf("not read: the time limit of %g s ran out", timeout),
			     ETIME);
			continue;
		}
		if (ensure_open(r, (enum metrics_src)s) != 0)
			continue;
		cause = NULL;
		switch (s) {
		case MS_MEMINFO:
			if (ml_reader_refresh(&r->mi_reader, &r->mi, &cause) != 0) {
				refresh_failed(r, MS_MEMINFO, cause, errno);
				continue;
			}
			break;
		case MS_ZONEINFO:
			if (cmd_zones_src_refresh(r->ctx, &r->zs, &cause) != 0) {
				refresh_failed(r, MS_ZONEINFO, cause, errno);
				continue;
			}
			break;
		case MS_BUDDYINFO:
			if (ml_reader_refresh(&r->bi_reader, &r->bi, &cause) != 0 ||
			    ml_frag_compute(&r->frag, &r->bi, r->ps.bytes, &cause) != 0) {
				refresh_failed(r, MS_BUDDYINFO, cause, errno);
				continue;
			}
			break;
		case MS_SLABINFO:
			if (ml_reader_refresh(&r->sl_reader, &r->sl, &cause) != 0) {
				refresh_failed(r, MS_SLABINFO, cause, errno);
				continue;
			}
			ml_slabinfo_read_reclaim(&r->sl, r->slab_dirfd);
			if (ml_slab_view_compute(&r->slv, &r->sl, r->ps.bytes, 0) != 0) {
				refresh_failed(r, MS_SLABINFO, NULL, errno);
				continue;
			}
			break;
		case MS_VMALLOCINFO:
			if (ml_reader_refresh(&r->vm_reader, &r->vm.info, &cause) != 0) {
				refresh_failed(r, MS_VMALLOCINFO, cause, errno);
				continue;
			}
			break;
		case MS_PROCESSES:
			read_processes(r, deadline);
			continue;
		}
		found(r, (enum metrics_src)s);
	}
	/* The accounting as the summary computes it: kernel stacks measured in vmallocinfo. */
	if (r->state[MS_MEMINFO].readable) {
		if (r->state[MS_VMALLOCINFO].readable)
			overlap_known = ml_vmalloc_stack_overlap(&r->vm, &r->mi, &overlap);
		cause = NULL;
		if (ml_accounting_compute(&r->acct, &r->mi, overlap_known ? &overlap : NULL,
					  &cause) != 0)
			lost(r, MS_MEMINFO, cause, EINVAL);
	}
	r->seconds = now_seconds() - start;
}

void
metrics_read_input(const struct metrics_read *r, struct ml_metrics_input *in)
{
	memset(in, 0, sizeof *in);
	in->acct = r->state[MS_MEMINFO].readable ? &r->acct : NULL;
	in->wm = r->state[MS_ZONEINFO].readable ? &r->zs.wm : NULL;
	in->frag = r->state[MS_BUDDYINFO].readable ? &r->frag : NULL;
	in->slab = r->state[MS_SLABINFO].readable ? &r->slv : NULL;
	in->vmalloc = r->state[MS_VMALLOCINFO].readable ? &r->vm : NULL;
	if (r->state[MS_PROCESSES].readable) {
		in->procs = r->rows;
		in->nprocs = r->nrows;
	}
	in->sources = r->state;
	in->nsources = MS__COUNT;
	in->scrape_seconds = r->seconds;
	in->version = PACKAGE_VERSION;
}

char *
metrics_read_path(const struct metrics_read *r, enum metrics_src s)
{
	if (s == MS_PROCESSES)
		return ml_procfs_path(&r->ctx->fs, "PID/smaps_rollup");
	return ml_procfs_path(&r->ctx->fs, src_names[s]);
}

int
metrics_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = UINT64_C(1) << 10;
		break;
	case 'M':
		mult = UINT64_C(1) << 20;
		break;
	case 'G':
		mult = UINT64_C(1) << 30;
		break;
	case 'T':
		mult = UINT64_C(1) << 40;
		break;
	default:
		return -1;
	}
	if (*p != '\0') {
		p++;
		if (strcmp(p, "iB") != 0 && strcmp(p, "B") != 0 && *p != '\0')
			return -1;
	}
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int
metrics_parse_procs_top(const char *s, size_t *out)
{
	uint64_t v;

	if (strpbrk(s, "kKMGTB") != NULL || metrics_parse_size(s, &v) != 0 ||
	    v > METRICS_PROCS_TOP_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}
