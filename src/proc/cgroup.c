/*
 * Cgroup memory files, v1 and v2: the file table, the parsers, the mounts,
 * the walk. See cgroup.h and doc/procfs.md section 20.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/cgroup.h"
#include "proc/live.h"
#include "proc/mountinfo.h"
#include "proc/scan.h"
#include "util.h"

#define V1 ML_CG_V1
#define V2 ML_CG_V2

/* clang-format off */
const struct ml_cgfile_info ml_cgroup_files[ML_CGFILE__COUNT] = {
	[ML_CGFILE_CURRENT] = { "memory.current", V2, ML_CGK_VALUE, NULL, NULL },
	[ML_CGFILE_PEAK] = { "memory.peak", V2, ML_CGK_VALUE, "5.19", NULL },
	[ML_CGFILE_MAX] = { "memory.max", V2, ML_CGK_LIMIT, NULL, NULL },
	[ML_CGFILE_HIGH] = { "memory.high", V2, ML_CGK_LIMIT, NULL, NULL },
	[ML_CGFILE_LOW] = { "memory.low", V2, ML_CGK_LIMIT, NULL, NULL },
	[ML_CGFILE_MIN] = { "memory.min", V2, ML_CGK_LIMIT, "4.18", NULL },
	[ML_CGFILE_SWAP_CURRENT] = { "memory.swap.current", V2, ML_CGK_VALUE, NULL,
				     "swap accounting is off" },
	[ML_CGFILE_SWAP_PEAK] = { "memory.swap.peak", V2, ML_CGK_VALUE, "6.5",
				  "swap accounting is off" },
	[ML_CGFILE_SWAP_MAX] = { "memory.swap.max", V2, ML_CGK_LIMIT, NULL,
				 "swap accounting is off" },
	[ML_CGFILE_SWAP_HIGH] = { "memory.swap.high", V2, ML_CGK_LIMIT, "5.8",
				  "swap accounting is off" },
	[ML_CGFILE_ZSWAP_CURRENT] = { "memory.zswap.current", V2, ML_CGK_VALUE, "5.19",
				      "the kernel has no zswap" },
	[ML_CGFILE_ZSWAP_MAX] = { "memory.zswap.max", V2, ML_CGK_LIMIT, "5.19",
				  "the kernel has no zswap" },
	[ML_CGFILE_EVENTS] = { "memory.events", V2, ML_CGK_EVENTS, NULL, NULL },
	[ML_CGFILE_PRESSURE] = { "memory.pressure", V2, ML_CGK_PRESSURE, "4.20",
				 "the kernel has no PSI" },
	[ML_CGFILE_CONTROLLERS] = { "cgroup.controllers", V2, ML_CGK_CONTROLLERS, NULL, NULL },
	[ML_CGFILE_V1_USAGE] = { "memory.usage_in_bytes", V1, ML_CGK_VALUE, NULL, NULL },
	[ML_CGFILE_V1_MAX_USAGE] = { "memory.max_usage_in_bytes", V1, ML_CGK_VALUE, NULL, NULL },
	[ML_CGFILE_V1_LIMIT] = { "memory.limit_in_bytes", V1, ML_CGK_LIMIT, NULL, NULL },
	[ML_CGFILE_V1_SOFT_LIMIT] = { "memory.soft_limit_in_bytes", V1, ML_CGK_LIMIT, NULL, NULL },
	[ML_CGFILE_V1_FAILCNT] = { "memory.failcnt", V1, ML_CGK_VALUE, NULL, NULL },
	[ML_CGFILE_V1_MEMSW_USAGE] = { "memory.memsw.usage_in_bytes", V1, ML_CGK_VALUE, NULL,
				       "swap accounting is off" },
	[ML_CGFILE_V1_MEMSW_MAX_USAGE] = { "memory.memsw.max_usage_in_bytes", V1, ML_CGK_VALUE,
					   NULL, "swap accounting is off" },
	[ML_CGFILE_V1_MEMSW_LIMIT] = { "memory.memsw.limit_in_bytes", V1, ML_CGK_LIMIT, NULL,
				       "swap accounting is off" },
	[ML_CGFILE_V1_MEMSW_FAILCNT] = { "memory.memsw.failcnt", V1, ML_CGK_VALUE, NULL,
					 "swap accounting is off" },
	[ML_CGFILE_V1_KMEM_USAGE] = { "memory.kmem.usage_in_bytes", V1, ML_CGK_VALUE, NULL,
				      "the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_KMEM_MAX_USAGE] = { "memory.kmem.max_usage_in_bytes", V1, ML_CGK_VALUE, NULL,
					  "the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_KMEM_LIMIT] = { "memory.kmem.limit_in_bytes", V1, ML_CGK_LIMIT, NULL,
				      "the kernel has no kmem limit" },
	[ML_CGFILE_V1_KMEM_FAILCNT] = { "memory.kmem.failcnt", V1, ML_CGK_VALUE, NULL,
					"the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_TCP_USAGE] = { "memory.kmem.tcp.usage_in_bytes", V1, ML_CGK_VALUE, NULL,
				     "the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_TCP_MAX_USAGE] = { "memory.kmem.tcp.max_usage_in_bytes", V1, ML_CGK_VALUE,
					 NULL, "the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_TCP_LIMIT] = { "memory.kmem.tcp.limit_in_bytes", V1, ML_CGK_LIMIT, NULL,
				     "the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_TCP_FAILCNT] = { "memory.kmem.tcp.failcnt", V1, ML_CGK_VALUE, NULL,
				       "the kernel has no kernel memory accounting" },
	[ML_CGFILE_V1_OOM_CONTROL] = { "memory.oom_control", V1, ML_CGK_EVENTS, NULL, NULL },
	[ML_CGFILE_V1_USE_HIERARCHY] = { "memory.use_hierarchy", V1, ML_CGK_VALUE, NULL, NULL },
	[ML_CGFILE_STAT] = { "memory.stat", V1 | V2, ML_CGK_STAT, NULL, NULL },
	[ML_CGFILE_PROCS] = { "cgroup.procs", V1 | V2, ML_CGK_PROCS, NULL, NULL },
};
/* clang-format on */

ml_cgfile_set
ml_cgfile_set_all(unsigned int version)
{
	ml_cgfile_set s = 0;
	int i;

	for (i = 0; i < ML_CGFILE__COUNT; i++)
		if (ml_cgroup_files[i].versions & version)
			s |= ML_CGFILE_BIT(i);
	return s;
}

ml_cgfile_set
ml_cgfile_set_limits(unsigned int version)
{
	if (version == V1)
		return ML_CGFILE_BIT(ML_CGFILE_V1_USAGE) | ML_CGFILE_BIT(ML_CGFILE_V1_LIMIT) |
		       ML_CGFILE_BIT(ML_CGFILE_V1_MEMSW_USAGE) |
		       ML_CGFILE_BIT(ML_CGFILE_V1_MEMSW_LIMIT);
	return ML_CGFILE_BIT(ML_CGFILE_CURRENT) | ML_CGFILE_BIT(ML_CGFILE_MAX) |
	       ML_CGFILE_BIT(ML_CGFILE_HIGH) | ML_CGFILE_BIT(ML_CGFILE_CONTROLLERS);
}

/* ------------------------------------------------------------ single values */

static int
value_begin(void *out)
{
	memset(out, 0, sizeof(struct ml_cgroup_value));
	return 0;
}

static int
value_line_common(void *out, const char *s, size_t n, bool limit, const char **why)
{
	struct ml_cgroup_value *v = out;
	const char *end = s + n, *p = ml_skip_blanks(s, end), *tok_end = ml_token_end(p, end);

	if (v->present) {
		*why = "more than one value";
		return ML_LINE_BAD;
	}
	if (limit && ml_word_eq(p, (size_t)(tok_end - p), "max")) {
		if (!ml_only_blanks(tok_end, end)) {
			*why = "unexpected text after the value";
			return ML_LINE_BAD;
		}
		v->v = UINT64_MAX;
		v->unlimited = true;
		v->present = true;
		return ML_LINE_OK;
	}
	if (ml_scan_value_u64(p, end, &v->v, why) != 0)
		return ML_LINE_BAD;
	v->unlimited = limit && v->v >= ML_CG_UNLIMITED_FLOOR;
	v->present = true;
	return ML_LINE_OK;
}

static int
value_line(void *out, const char *s, size_t n, const char **why)
{
	return value_line_common(out, s, n, false, why);
}

static int
limit_line(void *out, const char *s, size_t n, const char **why)
{
	return value_line_common(out, s, n, true, why);
}

/* Named for the first file it reads; it reads every single-value file. */
const struct ml_source ml_src_cgroup_value = {
	.name = "memory.current",
	.begin = value_begin,
	.line = value_line,
};

/*
 * A limit that came without its newline: "max" cannot have been cut from
 * anything longer, a number can (doc/procfs.md section 20).
 */
static bool
limit_complete(const char *s, size_t n)
{
	return n == 3 && memcmp(s, "max", 3) == 0;
}

/* Named for the first file it reads; it reads every limit file. */
const struct ml_source ml_src_cgroup_limit = {
	.name = "memory.max",
	.begin = value_begin,
	.line = limit_line,
	.complete = limit_complete,
};

/* ------------------------------------------------------------ memory.stat */

#define C ML_KV_COUNT

const struct ml_kv_key ml_cgroup_stat_keys[ML_CGS__COUNT] = {
	[ML_CGS_ANON] = { "anon", C },
	[ML_CGS_FILE] = { "file", C },
	[ML_CGS_KERNEL] = { "kernel", C },
	[ML_CGS_KERNEL_STACK] = { "kernel_stack", C },
	[ML_CGS_PAGETABLES] = { "pagetables", C },
	[ML_CGS_SEC_PAGETABLES] = { "sec_pagetables", C },
	[ML_CGS_PERCPU] = { "percpu", C },
	[ML_CGS_SOCK] = { "sock", C },
	[ML_CGS_VMALLOC] = { "vmalloc", C },
	[ML_CGS_SHMEM] = { "shmem", C },
	[ML_CGS_ZSWAP] = { "zswap", C },
	[ML_CGS_ZSWAPPED] = { "zswapped", C },
	[ML_CGS_FILE_MAPPED] = { "file_mapped", C },
	[ML_CGS_FILE_DIRTY] = { "file_dirty", C },
	[ML_CGS_FILE_WRITEBACK] = { "file_writeback", C },
	[ML_CGS_SWAPCACHED] = { "swapcached", C },
	[ML_CGS_ANON_THP] = { "anon_thp", C },
	[ML_CGS_INACTIVE_ANON] = { "inactive_anon", C },
	[ML_CGS_ACTIVE_ANON] = { "active_anon", C },
	[ML_CGS_INACTIVE_FILE] = { "inactive_file", C },
	[ML_CGS_ACTIVE_FILE] = { "active_file", C },
	[ML_CGS_UNEVICTABLE] = { "unevictable", C },
	[ML_CGS_SLAB_RECLAIMABLE] = { "slab_reclaimable", C },
	[ML_CGS_SLAB_UNRECLAIMABLE] = { "slab_unreclaimable", C },
	[ML_CGS_SLAB] = { "slab", C },
	[ML_CGS_PGFAULT] = { "pgfault", C },
	[ML_CGS_PGMAJFAULT] = { "pgmajfault", C },
	[ML_CGS_WORKINGSET_REFAULT_FILE] = { "workingset_refault_file", C },
	[ML_CGS_TOTAL_CACHE] = { "total_cache", C },
	[ML_CGS_TOTAL_RSS] = { "total_rss", C },
	[ML_CGS_TOTAL_RSS_HUGE] = { "total_rss_huge", C },
	[ML_CGS_TOTAL_SHMEM] = { "total_shmem", C },
	[ML_CGS_TOTAL_MAPPED_FILE] = { "total_mapped_file", C },
	[ML_CGS_TOTAL_DIRTY] = { "total_dirty", C },
	[ML_CGS_TOTAL_WRITEBACK] = { "total_writeback", C },
	[ML_CGS_TOTAL_SWAP] = { "total_swap", C },
	[ML_CGS_TOTAL_PGFAULT] = { "total_pgfault", C },
	[ML_CGS_TOTAL_PGMAJFAULT] = { "total_pgmajfault", C },
	[ML_CGS_TOTAL_INACTIVE_ANON] = { "total_inactive_anon", C },
	[ML_CGS_TOTAL_ACTIVE_ANON] = { "total_active_anon", C },
	[ML_CGS_TOTAL_INACTIVE_FILE] = { "total_inactive_file", C },
	[ML_CGS_TOTAL_ACTIVE_FILE] = { "total_active_file", C },
	[ML_CGS_TOTAL_UNEVICTABLE] = { "total_unevictable", C },
	[ML_CGS_TOTAL_WORKINGSET_REFAULT_FILE] = { "total_workingset_refault_file", C },
	[ML_CGS_CACHE] = { "cache", C },
	[ML_CGS_RSS] = { "rss", C },
	[ML_CGS_MAPPED_FILE] = { "mapped_file", C },
	[ML_CGS_DIRTY] = { "dirty", C },
	[ML_CGS_WRITEBACK] = { "writeback", C },
	[ML_CGS_SWAP] = { "swap", C },
	[ML_CGS_HIERARCHICAL_MEMORY_LIMIT] = { "hierarchical_memory_limit", C },
	[ML_CGS_HIERARCHICAL_MEMSW_LIMIT] = { "hierarchical_memsw_limit", C },
};

const struct ml_kv_key ml_cgroup_events_keys[ML_CGEV__COUNT] = {
	[ML_CGEV_LOW] = { "low", C },
	[ML_CGEV_HIGH] = { "high", C },
	[ML_CGEV_MAX] = { "max", C },
	[ML_CGEV_OOM] = { "oom", C },
	[ML_CGEV_OOM_KILL] = { "oom_kill", C },
	[ML_CGEV_OOM_GROUP_KILL] = { "oom_group_kill", C },
	[ML_CGEV_OOM_KILL_DISABLE] = { "oom_kill_disable", C },
	[ML_CGEV_UNDER_OOM] = { "under_oom", C },
};

#undef C

void
ml_cgroup_stat_init(struct ml_cgroup_stat *s)
{
	memset(s, 0, sizeof *s);
	ml_kvlist_init(&s->all);
}

void
ml_cgroup_stat_release(struct ml_cgroup_stat *s)
{
	ml_kvlist_release(&s->all);
}

void
ml_cgroup_events_init(struct ml_cgroup_events *e)
{
	memset(e, 0, sizeof *e);
	ml_kvlist_init(&e->all);
}

void
ml_cgroup_events_release(struct ml_cgroup_events *e)
{
	ml_kvlist_release(&e->all);
}

static int
stat_begin(void *out)
{
	struct ml_cgroup_stat *s = out;

	memset(s->present, 0, sizeof s->present);
	ml_kvlist_begin(&s->all);
	return 0;
}

static int
stat_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_cgroup_stat *st = out;

	return ml_kv_line(&st->all, ml_cgroup_stat_keys, ML_CGS__COUNT, st->val, st->present, ' ',
			  true, s, n, why);
}

static int
stat_finish(void *out, char **cause)
{
	struct ml_cgroup_stat *s = out;

	(void)cause;
	ml_kvlist_finish(&s->all);
	return 0;
}

static size_t
stat_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	struct ml_cgroup_stat *s = out;

	return ml_kv_bulk(&s->all, s->val, s->present, ' ', buf, len, lines);
}

const struct ml_source ml_src_cgroup_stat = {
	.name = "memory.stat",
	.begin = stat_begin,
	.line = stat_line,
	.finish = stat_finish,
	.bulk = stat_bulk,
};

static int
events_begin(void *out)
{
	struct ml_cgroup_events *e = out;

	memset(e->present, 0, sizeof e->present);
	ml_kvlist_begin(&e->all);
	return 0;
}

static int
events_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_cgroup_events *e = out;

	return ml_kv_line(&e->all, ml_cgroup_events_keys, ML_CGEV__COUNT, e->val, e->present, ' ',
			  true, s, n, why);
}

static int
events_finish(void *out, char **cause)
{
	struct ml_cgroup_events *e = out;

	(void)cause;
	ml_kvlist_finish(&e->all);
	return 0;
}

const struct ml_source ml_src_cgroup_events = {
	.name = "memory.events",
	.begin = events_begin,
	.line = events_line,
	.finish = events_finish,
};

/* ------------------------------------------------------------ cgroup.procs */

static int
procs_begin(void *out)
{
	struct ml_cgroup_pids *p = out;

	p->n = 0;
	return 0;
}

static int
procs_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_cgroup_pids *p = out;
	uint64_t v;

	if (ml_scan_value_u64(s, s + n, &v, why) != 0)
		return ML_LINE_BAD;
	if (v == 0 || v > INT_MAX) {
		*why = "not a PID";
		return ML_LINE_BAD;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		int *nv = realloc(p->v, cap * sizeof *nv);

		if (nv == NULL) {
			errno = ENOMEM;
			return ML_LINE_FATAL;
		}
		p->v = nv;
		p->cap = cap;
	}
	p->v[p->n++] = (int)v;
	return ML_LINE_OK;
}

const struct ml_source ml_src_cgroup_procs = {
	.name = "cgroup.procs",
	.begin = procs_begin,
	.line = procs_line,
};

void
ml_cgroup_pids_release(struct ml_cgroup_pids *p)
{
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------ cgroup.controllers */

static int
controllers_begin(void *out)
{
	memset(out, 0, sizeof(struct ml_cgroup_controllers));
	return 0;
}

static int
controllers_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_cgroup_controllers *c = out;
	const char *end = s + n, *p, *tok_end;
	size_t len;

	if (c->present) {
		*why = "more than one line";
		return ML_LINE_BAD;
	}
	for (p = ml_skip_blanks(s, end); p < end; p = ml_skip_blanks(tok_end, end)) {
		tok_end = ml_token_end(p, end);
		if (ml_word_eq(p, (size_t)(tok_end - p), "memory"))
			c->memory = true;
	}
	p = ml_skip_blanks(s, end);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	len = (size_t)(end - p) < sizeof c->list ? (size_t)(end - p) : sizeof c->list - 1;
	memcpy(c->list, p, len);
	c->list[len] = '\0';
	c->present = true;
	return ML_LINE_OK;
}

const struct ml_source ml_src_cgroup_controllers = {
	.name = "cgroup.controllers",
	.begin = controllers_begin,
	.line = controllers_line,
};

/* ------------------------------------------------------------ the mounts */

static void
mount_free(struct ml_cgmount *m)
{
	free(m->mount_point);
	free(m->root);
	free(m->options);
	memset(m, 0, sizeof *m);
}

/* Keep m as *dst unless *dst is already set with a root as short (the outermost mount wins). */
static int
mount_keep(struct ml_cgmount *dst, unsigned int version, const struct ml_mount *m)
{
	struct ml_cgmount n;

	if (dst->version != 0 && strlen(dst->root) <= strlen(m->root))
		return 0;
	n.version = version;
	n.mount_point = strdup(m->mount_point);
	n.root = strdup(m->root);
	n.options = strdup(m->super_options);
	if (n.mount_point == NULL || n.root == NULL || n.options == NULL) {
		mount_free(&n);
		errno = ENOMEM;
		return -1;
	}
	mount_free(dst);
	*dst = n;
	return 0;
}

static int
on_mount(void *arg, const struct ml_mount *m)
{
	struct ml_cgmounts *cm = arg;

	if (strcmp(m->fstype, "cgroup2") == 0)
		return mount_keep(&cm->v2, V2, m);
	if (strcmp(m->fstype, "cgroup") != 0)
		return 0;
	cm->v1_mounts++;
	if (ml_mount_has_option(m->super_options, "memory"))
		return mount_keep(&cm->v1mem, V1, m);
	return 0;
}

int
ml_cgmounts_read(struct ml_cgmounts *m, const struct ml_procfs *proc, char **cause)
{
	struct ml_reader r = { .fd = -1 };
	struct ml_mountinfo *mi;
	int rc = -1, saved;

	memset(m, 0, sizeof *m);
	snprintf(m->rel, sizeof m->rel, "%s", ml_src_mountinfo.path);
	mi = malloc(sizeof *mi);
	if (mi == NULL) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	ml_mountinfo_init(mi, on_mount, m);
	if (ml_reader_open(&r, proc, &ml_src_mountinfo, NULL, cause) == 0 &&
	    ml_reader_refresh(&r, mi, cause) == 0) {
		m->mounts = mi->mounts;
		rc = 0;
	}
	if (r.buf != NULL)
		m->stats = *ml_reader_stats(&r);
	saved = errno;
	ml_reader_release(&r);
	free(mi);
	errno = saved;
	return rc;
}

void
ml_cgmounts_release(struct ml_cgmounts *m)
{
	mount_free(&m->v2);
	mount_free(&m->v1mem);
}

/* ------------------------------------------------------------ reading files */

/* Largest file read: a root cgroup.procs of a very busy host stays far below. */
#define CG_FILE_MAX (64u << 20)

void
ml_cgroup_read_init(struct ml_cgroup_read *r)
{
	memset(r, 0, sizeof *r);
	ml_cgroup_stat_init(&r->stat);
	ml_cgroup_events_init(&r->events);
}

void
ml_cgroup_read_release(struct ml_cgroup_read *r)
{
	ml_cgroup_stat_release(&r->stat);
	ml_cgroup_events_release(&r->events);
	ml_cgroup_pids_release(&r->procs);
}

/* Parse one file's text with its source; 0, or an errno for r->err. */
static int
parse_file(struct ml_cgroup_read *r, enum ml_cgfile f, const char *buf, size_t len)
{
	const struct ml_cgfile_info *fi = &ml_cgroup_files[f];
	const struct ml_source *src;
	struct ml_feed feed;
	char *cause = NULL;
	void *out;
	int rc;

	switch ((enum ml_cgfile_kind)fi->kind) {
	case ML_CGK_VALUE:
		src = &ml_src_cgroup_value;
		out = &r->value[f];
		break;
	case ML_CGK_LIMIT:
		src = &ml_src_cgroup_limit;
		out = &r->value[f];
		break;
	case ML_CGK_STAT:
		src = &ml_src_cgroup_stat;
		out = &r->stat;
		break;
	case ML_CGK_EVENTS:
		src = &ml_src_cgroup_events;
		out = &r->events;
		break;
	case ML_CGK_PRESSURE:
		src = &ml_src_pressure_memory;
		out = &r->pressure;
		break;
	case ML_CGK_PROCS:
		src = &ml_src_cgroup_procs;
		out = &r->procs;
		break;
	case ML_CGK_CONTROLLERS:
		src = &ml_src_cgroup_controllers;
		out = &r->controllers;
		break;
	default:
		return EINVAL;
	}
	rc = ml_parse_buffer(&feed, src, out, buf, len, 0, &cause);
	free(cause);
	if (feed.stats.bad_lines > 0)
		r->bad_files |= ML_CGFILE_BIT(f);
	if (feed.stats.bad_lines > 0 && !r->has_bad) {
		r->has_bad = true;
		r->bad_file = f;
		r->bad = feed.stats;
	}
	if (rc != 0)
		return errno != 0 ? errno : EIO;
	if ((fi->kind == ML_CGK_VALUE || fi->kind == ML_CGK_LIMIT) && !r->value[f].present)
		return EBADMSG;
	if (fi->kind == ML_CGK_CONTROLLERS && !r->controllers.present)
		return EBADMSG;
	return 0;
}

void
ml_cgroup_read_dir(struct ml_cgroup_read *r, const struct ml_procfs *dir, ml_cgfile_set set,
		   char **buf, size_t *cap)
{
	size_t len;
	int f;

	r->asked = set;
	r->has_bad = false;
	r->bad_files = 0;
	for (f = 0; f < ML_CGFILE__COUNT; f++) {
		r->err[f] = ENOENT;
		r->value[f].present = false;
	}
	r->procs.n = 0;
	memset(r->stat.present, 0, sizeof r->stat.present);
	memset(r->events.present, 0, sizeof r->events.present);
	memset(&r->pressure, 0, sizeof r->pressure);
	memset(&r->controllers, 0, sizeof r->controllers);
	for (f = 0; f < ML_CGFILE__COUNT; f++) {
		if (!(set & ML_CGFILE_BIT(f)))
			continue;
		/* No cause: an absent file is the common case, its errno says enough. */
		if (ml_procfs_read_buf(dir, ml_cgroup_files[f].name, buf, cap, &len, CG_FILE_MAX,
				       NULL) != 0) {
			r->err[f] = errno != 0 ? errno : EIO;
			continue;
		}
		r->err[f] = parse_file(r, (enum ml_cgfile)f, *buf, len);
	}
}

/* ------------------------------------------------------------ the hierarchy */

/*
 * Open the hierarchy mounted at mount_point as root: under the sys root when
 * it is below /sys ("/sys/fs/cgroup/memory" is SYSROOT/fs/cgroup/memory),
 * else as is, which only this machine's sysfs may do (/cgroup on old hosts).
 */
static int
mount_open(struct ml_procfs *root, const char *mount_point, const struct ml_procfs *sysfs,
	   char **cause)
{
	if (strcmp(mount_point, "/sys") == 0)
		return ml_procfs_open_at(root, sysfs, ".", cause);
	if (strncmp(mount_point, "/sys/", 5) == 0) {
		const char *rel = mount_point + 5;

		while (*rel == '/')
			rel++;
		return ml_procfs_open_at(root, sysfs, rel[0] != '\0' ? rel : ".", cause);
	}
	if (ml_procfs_is_sysfs(sysfs))
		return ml_procfs_open_kind(root, mount_point, cause);
	memset(root, 0, sizeof *root);
	root->dirfd = -1;
	root->open_err = ENOENT;
	ml_set_cause(cause, "the cgroup hierarchy at %s is outside /sys: %s does not hold it",
		     mount_point, sysfs->root != NULL ? sysfs->root : "/sys");
	errno = ENOENT;
	return -1;
}

static int
hier_use(struct ml_cghier *h, const struct ml_cgmount *m, const struct ml_procfs *sysfs,
	 char **cause)
{
	char *why = NULL;
	int saved;

	h->version = m->version;
	h->mount = m;
	h->root_open = true;
	if (mount_open(&h->root, m->mount_point, sysfs, &why) == 0) {
		h->dir = strdup(h->root.root);
		if (h->dir != NULL) {
			free(why);
			return 0;
		}
	}
	saved = errno != 0 ? errno : ENOMEM;
	if (h->root.root != NULL && saved != ENOMEM)
		ml_set_cause(cause, "cannot open the cgroup v%u hierarchy %s: %s", m->version,
			     h->root.root, strerror(saved));
	else
		ml_set_cause(cause, "%s", why != NULL ? why : strerror(saved));
	free(why);
	errno = saved;
	return -1;
}

/* Whether the cgroup2 mount has the memory controller; why not in h->v2_why. */
static int
probe_v2(struct ml_cghier *h, const struct ml_cgmount *v2, const struct ml_procfs *sysfs,
	 char **cause)
{
	struct ml_cgroup_read *r;
	struct ml_procfs root;
	char *buf = NULL, *why = NULL;
	size_t cap = 0;

	if (mount_open(&root, v2->mount_point, sysfs, &why) != 0) {
		if (root.root != NULL) {
			if (asprintf(&h->v2_why, "cannot open the cgroup2 mount %s: %s", root.root,
				     strerror(errno)) < 0)
				h->v2_why = NULL;
		} else {
			h->v2_why = why;
			why = NULL;
		}
		free(why);
		ml_procfs_close(&root);
		return 0;
	}
	r = malloc(sizeof *r);
	if (r == NULL) {
		ml_procfs_close(&root);
		ml_set_cause(cause, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	ml_cgroup_read_init(r);
	ml_cgroup_read_dir(r, &root, ML_CGFILE_BIT(ML_CGFILE_CONTROLLERS), &buf, &cap);
	if (r->err[ML_CGFILE_CONTROLLERS] == 0) {
		h->v2_readable = true;
		snprintf(h->v2_controllers, sizeof h->v2_controllers, "%s", r->controllers.list);
		h->v2_has_memory = r->controllers.memory;
		if (!h->v2_has_memory &&
		    asprintf(&h->v2_why,
			     "the cgroup2 mount at %s has no memory controller "
			     "(cgroup.controllers: %s)",
			     v2->mount_point,
			     r->controllers.list[0] ? r->controllers.list : "none") < 0)
			h->v2_why = NULL;
	} else if (asprintf(&h->v2_why, "cannot read %s/cgroup.controllers: %s", root.root,
			    strerror(r->err[ML_CGFILE_CONTROLLERS])) < 0) {
		h->v2_why = NULL;
	}
	ml_cgroup_read_release(r);
	free(r);
	free(buf);
	ml_procfs_close(&root);
	return 0;
}

int
ml_cghier_open(struct ml_cghier *h, const struct ml_cgmounts *m, const struct ml_procfs *sysfs,
	       char **cause)
{
	memset(h, 0, sizeof *h);
	h->root.dirfd = -1;
	if (m->v2.version != 0) {
		if (probe_v2(h, &m->v2, sysfs, cause) != 0)
			return -1;
		if (h->v2_has_memory)
			return hier_use(h, &m->v2, sysfs, cause);
	}
	if (m->v1mem.version != 0)
		return hier_use(h, &m->v1mem, sysfs, cause);
	if (h->v2_why != NULL && !h->v2_readable) {
		/* The cgroup2 mount could not be read: it may hold memory. */
		ml_set_cause(cause, "%s", h->v2_why);
		errno = ENOENT;
		return -1;
	}
	if (h->v2_why != NULL)
		ml_set_cause(cause,
			     "no memory controller mounted: %s, and no cgroup v1 hierarchy has it",
			     h->v2_why);
	else
		ml_set_cause(cause, "no memory controller mounted: mountinfo has no cgroup2 mount "
				    "and no cgroup v1 hierarchy with the memory controller");
	errno = ENOENT;
	return -1;
}

void
ml_cghier_close(struct ml_cghier *h)
{
	if (h->root_open)
		ml_procfs_close(&h->root);
	free(h->dir);
	free(h->v2_why);
	memset(h, 0, sizeof *h);
	h->root.dirfd = -1;
}

/* ------------------------------------------------------------ the walk */

char *
ml_cgroup_path_normalize(const char *path)
{
	size_t n = strlen(path), o = 0;
	const char *p = path, *q;
	char *out = malloc(n + 2);

	if (out == NULL)
		return NULL;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		q = strchr(p, '/');
		if (q == NULL)
			q = p + strlen(p);
		if (q - p == 1 && p[0] == '.') {
			p = q;
			continue;
		}
		if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			errno = EINVAL;
			return NULL;
		}
		out[o++] = '/';
		memcpy(out + o, p, (size_t)(q - p));
		o += (size_t)(q - p);
		p = q;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

/* The path relative to the hierarchy's directory: "." for "/". */
static const char *
rel_of(const char *path)
{
	return path[0] == '/' && path[1] == '\0' ? "." : path + 1;
}

/* True when an asked file vanished the way files of a removed cgroup do. */
static bool
looks_removed(const struct ml_cgroup_read *r)
{
	int f;

	for (f = 0; f < ML_CGFILE__COUNT; f++)
		if ((r->asked & ML_CGFILE_BIT(f)) && (r->err[f] == ENOENT || r->err[f] == ENODEV))
			return true;
	return false;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of the subdirectories of dir, sorted: *names (malloc'd, one
 * block holding the pointers and the strings) and their number; -1 with errno.
 */
static long
cg_list_dirs(const struct ml_procfs *dir, char ***names)
{
	size_t n = 0, cap = 0, text = 0, i;
	struct ml_procfs_dir *d;
	const char *name;
	char **v = NULL, **out, *s;

	*names = NULL;
	d = ml_procfs_opendir(dir, ".", NULL);
	if (d == NULL)
		return -1;
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if (ml_procfs_dirent_type(d) != ML_PROCFS_DIR)
			continue;
		if (n == cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof *nv);
			if (nv == NULL)
				goto fail;
			v = nv;
		}
		if ((v[n] = strdup(name)) == NULL)
			goto fail;
		text += strlen(v[n]) + 1;
		n++;
	}
	if (errno != 0)
		goto fail;
	ml_procfs_closedir(d);
	d = NULL;
	if (n > 1) /* qsort may not be given a NULL array */
		qsort(v, n, sizeof *v, cmp_names);
	out = malloc(n * sizeof *out + text + 1);
	if (out == NULL)
		goto fail;
	s = (char *)(out + n);
	for (i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		memcpy(s, v[i], len);
		out[i] = s;
		s += len;
		free(v[i]);
	}
	free(v);
	*names = out;
	return (long)n;
fail : {
	int saved = errno != 0 ? errno : ENOMEM;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	if (d != NULL)
		ml_procfs_closedir(d);
	errno = saved;
	return -1;
}
}

/* Does name still exist in parent? */
static bool
still_there(const struct ml_procfs *parent, const char *name)
{
	struct stat st;

	return ml_procfs_stat(parent, name, &st) == 0 || errno != ENOENT;
}

static int
walk_dir(struct ml_cgwalk *w, const struct ml_procfs *parent, const char *name, int depth,
	 size_t pathlen, char **cause)
{
	struct ml_procfs dir;
	ml_cgfile_set set;
	char **names = NULL;
	long nnames, i;
	int rc = 0;

	if (ml_procfs_open_at(&dir, parent, name, NULL) != 0) {
		int saved = errno;

		ml_procfs_close(&dir);
		if (saved == ENOENT && depth > 0) {
			w->vanished++;
			return 0;
		}
		ml_set_cause(cause, "cannot open cgroup %s in %s: %s", w->path, w->h->dir,
			     strerror(saved));
		errno = saved;
		return -1;
	}
	set = w->full_depth < 0 || depth <= w->full_depth ? w->full : w->deeper;
	ml_cgroup_read_dir(&w->r, &dir, set, &w->buf, &w->cap);
	if (depth > 0 && looks_removed(&w->r) && !still_there(parent, name)) {
		w->vanished++;
		ml_procfs_close(&dir);
		return 0;
	}
	w->cgroups++;
	if (w->fn(w->arg, w->path, depth, &w->r) != 0) {
		ml_set_cause(cause, "cgroup %s: %s", w->path, strerror(errno));
		ml_procfs_close(&dir);
		return -1;
	}
	nnames = cg_list_dirs(&dir, &names);
	if (nnames < 0) {
		/* Removed after it was read: its children went with it. */
		ml_procfs_close(&dir);
		return 0;
	}
	for (i = 0; i < nnames && rc == 0; i++) {
		size_t len = strlen(names[i]);

		if (depth + 1 >= ML_CGWALK_MAX_DEPTH || pathlen + 1 + len + 1 > sizeof w->path) {
			w->too_deep++;
			continue;
		}
		if (pathlen > 1)
			w->path[pathlen] = '/';
		memcpy(w->path + (pathlen > 1 ? pathlen + 1 : 1), names[i], len + 1);
		rc = walk_dir(w, &dir, names[i], depth + 1, (pathlen > 1 ? pathlen + 1 : 1) + len,
			      cause);
		w->path[pathlen] = '\0';
	}
	free(names);
	ml_procfs_close(&dir);
	return rc;
}

int
ml_cgwalk_run(struct ml_cgwalk *w, const char *start, char **cause)
{
	size_t len = strlen(start);
	struct stat st;

	w->cgroups = w->vanished = w->too_deep = 0;
	if (len + 1 > sizeof w->path) {
		ml_set_cause(cause, "cgroup path too long: %s", start);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(w->path, start, len + 1);
	if (ml_procfs_stat(&w->h->root, rel_of(start), &st) != 0) {
		int saved = errno;

		ml_set_cause(cause, "no cgroup %s in %s: %s", start, w->h->dir, strerror(saved));
		errno = saved;
		return -1;
	}
	return walk_dir(w, &w->h->root, rel_of(start), 0, len, cause);
}

int
ml_cgwalk_read_one(struct ml_cgwalk *w, const char *path, ml_cgfile_set set, char **cause)
{
	struct ml_procfs dir;

	if (ml_procfs_open_at(&dir, &w->h->root, rel_of(path), NULL) != 0) {
		int saved = errno;

		ml_procfs_close(&dir);
		ml_set_cause(cause, "cannot open cgroup %s in %s: %s", path, w->h->dir,
			     strerror(saved));
		errno = saved;
		return -1;
	}
	ml_cgroup_read_dir(&w->r, &dir, set, &w->buf, &w->cap);
	ml_procfs_close(&dir);
	return 0;
}

void
ml_cgwalk_init(struct ml_cgwalk *w, const struct ml_cghier *h)
{
	memset(w, 0, sizeof *w);
	w->h = h;
	w->full_depth = -1;
	ml_cgroup_read_init(&w->r);
}

void
ml_cgwalk_release(struct ml_cgwalk *w)
{
	ml_cgroup_read_release(&w->r);
	free(w->buf);
	w->buf = NULL;
	w->cap = 0;
}
