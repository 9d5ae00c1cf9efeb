/*
 * Cgroup memory as one tree; see cgroups.h. The v1 and v2 readers' output
 * (proc/cgroup.h) is mapped through one table, ml_cgf_info; the formulas are
 * in ml_cgtree_derive. See doc/procfs.md section 20 for the files.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cgroups.h"
#include "proc/live.h"
#include "util.h"

#define F(x)                                 \
	{                                    \
		ML_CGSRC_FILE, ML_CGFILE_##x \
	}
#define S(x)                              \
	{                                 \
		ML_CGSRC_STAT, ML_CGS_##x \
	}
#define E(x)                                \
	{                                   \
		ML_CGSRC_EVENT, ML_CGEV_##x \
	}
#define NONE                     \
	{                        \
		ML_CGSRC_NONE, 0 \
	}
#define DERIVED                     \
	{                           \
		ML_CGSRC_DERIVED, 0 \
	}
#define MEM ML_CGG_MEMORY
#define LIM ML_CGG_LIMITS
#define EV ML_CGG_EVENTS

/* clang-format off */
const struct ml_cgf_info ml_cgf_info[ML_CGF__COUNT] = {
	/*                        key                  title       label                          group v1 source                 v2 source */
	[ML_CGF_CURRENT] =        { "current",         "CURRENT",  "charged now",                 MEM, F(V1_USAGE),              F(CURRENT) },
	[ML_CGF_PEAK] =           { "peak",            "PEAK",     "peak",                        MEM, F(V1_MAX_USAGE),          F(PEAK) },
	[ML_CGF_WSET] =           { "working_set",     "WSET",     "working set",                 MEM, DERIVED,                  DERIVED },
	[ML_CGF_ANON] =           { "anon",            "ANON",     "anonymous",                   MEM, S(TOTAL_RSS),             S(ANON) },
	[ML_CGF_FILE] =           { "file",            "FILE",     "page cache",                  MEM, S(TOTAL_CACHE),           S(FILE) },
	[ML_CGF_SHMEM] =          { "shmem",           "SHMEM",    "shmem (in the page cache)",   MEM, S(TOTAL_SHMEM),           S(SHMEM) },
	[ML_CGF_ACTIVE_ANON] =    { "active_anon",     "ACTANON",  "active anonymous",            MEM, S(TOTAL_ACTIVE_ANON),     S(ACTIVE_ANON) },
	[ML_CGF_INACTIVE_ANON] =  { "inactive_anon",   "INACTANON","inactive anonymous",          MEM, S(TOTAL_INACTIVE_ANON),   S(INACTIVE_ANON) },
	[ML_CGF_ACTIVE_FILE] =    { "active_file",     "ACTFILE",  "active page cache",           MEM, S(TOTAL_ACTIVE_FILE),     S(ACTIVE_FILE) },
	[ML_CGF_INACTIVE_FILE] =  { "inactive_file",   "INACTFILE","inactive page cache",         MEM, S(TOTAL_INACTIVE_FILE),   S(INACTIVE_FILE) },
	[ML_CGF_UNEVICTABLE] =    { "unevictable",     "UNEVICT",  "unevictable",                 MEM, S(TOTAL_UNEVICTABLE),     S(UNEVICTABLE) },
	[ML_CGF_FILE_MAPPED] =    { "file_mapped",     "MAPPED",   "mapped files",                MEM, S(TOTAL_MAPPED_FILE),     S(FILE_MAPPED) },
	[ML_CGF_FILE_DIRTY] =     { "file_dirty",      "DIRTY",    "dirty",                       MEM, S(TOTAL_DIRTY),           S(FILE_DIRTY) },
	[ML_CGF_FILE_WRITEBACK] = { "file_writeback",  "WRITEBACK","under writeback",             MEM, S(TOTAL_WRITEBACK),       S(FILE_WRITEBACK) },
	[ML_CGF_KERNEL] =         { "kernel",          "KERNEL",   "kernel",                      MEM, F(V1_KMEM_USAGE),         S(KERNEL) },
	[ML_CGF_KERNEL_PEAK] =    { "kernel_peak",     "KPEAK",    "kernel peak",                 MEM, F(V1_KMEM_MAX_USAGE),     NONE },
	[ML_CGF_SLAB_RECLAIMABLE] = { "slab_reclaimable", "SRECL", "reclaimable slab",           MEM, NONE,                     S(SLAB_RECLAIMABLE) },
	[ML_CGF_SLAB_UNRECLAIMABLE] = { "slab_unreclaimable", "SUNRECL", "unreclaimable slab",   MEM, NONE,                     S(SLAB_UNRECLAIMABLE) },
	[ML_CGF_KERNEL_STACK] =   { "kernel_stack",    "KSTACK",   "kernel stacks",               MEM, NONE,                     S(KERNEL_STACK) },
	[ML_CGF_PAGETABLES] =     { "pagetables",      "PTABLES",  "page tables",                 MEM, NONE,                     S(PAGETABLES) },
	[ML_CGF_PERCPU] =         { "percpu",          "PERCPU",   "per-cpu",                     MEM, NONE,                     S(PERCPU) },
	[ML_CGF_SOCK] =           { "sock",            "SOCK",     "socket buffers",              MEM, F(V1_TCP_USAGE),          S(SOCK) },
	[ML_CGF_VMALLOC] =        { "vmalloc",         "VMALLOC",  "vmalloc",                     MEM, NONE,                     S(VMALLOC) },
	[ML_CGF_SWAP] =           { "swap",            "SWAP",     "swap",                        MEM, S(TOTAL_SWAP),            F(SWAP_CURRENT) },
	[ML_CGF_SWAP_PEAK] =      { "swap_peak",       "SWAPPEAK", "swap peak",                   MEM, NONE,                     F(SWAP_PEAK) },
	[ML_CGF_ZSWAP] =          { "zswap",           "ZSWAP",    "zswap pool",                  MEM, NONE,                     F(ZSWAP_CURRENT) },
	[ML_CGF_ZSWAPPED] =       { "zswapped",        "ZSWAPPED", "zswapped (uncompressed)",     MEM, NONE,                     S(ZSWAPPED) },
	[ML_CGF_MEMSW] =          { "memsw",           "MEMSW",    "memory + swap",               MEM, F(V1_MEMSW_USAGE),        NONE },
	[ML_CGF_MEMSW_PEAK] =     { "memsw_peak",      "MEMSWPEAK","memory + swap peak",          MEM, F(V1_MEMSW_MAX_USAGE),    NONE },
	[ML_CGF_MAX] =            { "max",             "LIMIT",    "limit (max)",                 LIM, F(V1_LIMIT),              F(MAX) },
	[ML_CGF_HIGH] =           { "high",            "HIGH",     "throttle above (high)",       LIM, NONE,                     F(HIGH) },
	[ML_CGF_LOW] =            { "low",             "LOW",      "protected (low)",             LIM, NONE,                     F(LOW) },
	[ML_CGF_MIN] =            { "min",             "MIN",      "protected (min)",             LIM, NONE,                     F(MIN) },
	[ML_CGF_SOFT] =           { "soft",            "SOFT",     "soft limit",                  LIM, F(V1_SOFT_LIMIT),         NONE },
	[ML_CGF_SWAP_MAX] =       { "swap_max",        "SWAPMAX",  "swap limit",                  LIM, NONE,                     F(SWAP_MAX) },
	[ML_CGF_SWAP_HIGH] =      { "swap_high",       "SWAPHIGH", "swap throttle",               LIM, NONE,                     F(SWAP_HIGH) },
	[ML_CGF_ZSWAP_MAX] =      { "zswap_max",       "ZSWAPMAX", "zswap limit",                 LIM, NONE,                     F(ZSWAP_MAX) },
	[ML_CGF_MEMSW_MAX] =      { "memsw_max",       "MEMSWMAX", "memory + swap limit",         LIM, F(V1_MEMSW_LIMIT),        NONE },
	[ML_CGF_KMEM_MAX] =       { "kmem_max",        "KMEMMAX",  "kernel limit",                LIM, F(V1_KMEM_LIMIT),         NONE },
	[ML_CGF_TCP_MAX] =        { "tcp_max",         "TCPMAX",   "socket buffer limit",         LIM, F(V1_TCP_LIMIT),          NONE },
	[ML_CGF_EV_LOW] =         { "low",             "EVLOW",    "reclaimed under low",         EV,  NONE,                     E(LOW) },
	[ML_CGF_EV_HIGH] =        { "high",            "EVHIGH",   "throttled at high",           EV,  NONE,                     E(HIGH) },
	[ML_CGF_EV_MAX] =         { "max",             "EVMAX",    "hit the limit",               EV,  F(V1_FAILCNT),            E(MAX) },
	[ML_CGF_EV_OOM] =         { "oom",             "EVOOM",    "OOM at the limit",            EV,  NONE,                     E(OOM) },
	[ML_CGF_EV_OOM_KILL] =    { "oom_kill",        "OOMKILL",  "OOM kills",                   EV,  E(OOM_KILL),              E(OOM_KILL) },
	[ML_CGF_EV_OOM_GROUP_KILL] = { "oom_group_kill", "GROUPKILL", "group OOM kills",          EV,  NONE,                     E(OOM_GROUP_KILL) },
	[ML_CGF_UNDER_OOM] =      { "under_oom",       "UNDEROOM", "under OOM now",               EV,  E(UNDER_OOM),             NONE },
	[ML_CGF_OOM_KILL_DISABLE] = { "oom_kill_disable", "OOMOFF", "OOM killer disabled",        EV,  E(OOM_KILL_DISABLE),      NONE },
	[ML_CGF_PGFAULT] =        { "pgfault",         "PGFAULT",  "page faults",                 EV,  S(TOTAL_PGFAULT),         S(PGFAULT) },
	[ML_CGF_PGMAJFAULT] =     { "pgmajfault",      "MAJFAULT", "major page faults",           EV,  S(TOTAL_PGMAJFAULT),      S(PGMAJFAULT) },
};
/* clang-format on */

#undef F
#undef S
#undef E
#undef NONE
#undef DERIVED
#undef MEM
#undef LIM
#undef EV

const char *const ml_cgroup_sort_keys[ML_CGSORT__COUNT + 1] = {
	[ML_CGSORT_CURRENT] = "current",   [ML_CGSORT_WSET] = "wset",
	[ML_CGSORT_PEAK] = "peak",         [ML_CGSORT_ANON] = "anon",
	[ML_CGSORT_FILE] = "file",         [ML_CGSORT_KERNEL] = "kernel",
	[ML_CGSORT_SWAP] = "swap",         [ML_CGSORT_HEADROOM] = "headroom",
	[ML_CGSORT_PSS] = "pss",           [ML_CGSORT_USS] = "uss",
	[ML_CGSORT_PROCS] = "procs",       [ML_CGSORT_OOM] = "oom",
	[ML_CGSORT_PRESSURE] = "pressure", [ML_CGSORT_NAME] = "name",
	[ML_CGSORT__COUNT] = NULL,
};

int
ml_cgroup_sort_parse(const char *s)
{
	int i;

	for (i = 0; i < ML_CGSORT__COUNT; i++)
		if (strcmp(ml_cgroup_sort_keys[i], s) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------ the tree */

void
ml_cgtree_init(struct ml_cgtree *t)
{
	memset(t, 0, sizeof *t);
	t->full_depth = -1;
}

static void
node_free(struct ml_cgroup *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->child);
	free(c->pids);
	free(c->stat_key);
	free(c->stat_val);
	free(c);
}

void
ml_cgtree_release(struct ml_cgtree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		node_free(t->v[i]);
	for (i = 0; i < t->nanc; i++)
		node_free(t->anc[i]);
	free(t->v);
	free(t->anc);
	free(t->stack);
	free(t->pid_index);
	free(t->start);
	free(t->bad_file);
	free(t->first_error);
	memset(t, 0, sizeof *t);
	t->full_depth = -1;
}

static const struct ml_cgsrc *
src_of(unsigned int version, enum ml_cgf f)
{
	return version == ML_CG_V1 ? &ml_cgf_info[f].v1 : &ml_cgf_info[f].v2;
}

/* The file a source reads. */
static enum ml_cgfile
file_of(unsigned int version, const struct ml_cgsrc *s)
{
	switch ((enum ml_cgsrc_type)s->type) {
	case ML_CGSRC_FILE:
		return (enum ml_cgfile)s->id;
	case ML_CGSRC_STAT:
		return ML_CGFILE_STAT;
	case ML_CGSRC_EVENT:
		return version == ML_CG_V1 ? ML_CGFILE_V1_OOM_CONTROL : ML_CGFILE_EVENTS;
	case ML_CGSRC_NONE:
	case ML_CGSRC_DERIVED:
		break;
	}
	return ML_CGFILE__COUNT;
}

/* The outcome of a file that was not read, as a reason. */
static void
file_failed(struct ml_cgv *v, const struct ml_cgroup *c, const struct ml_cgroup_read *r,
	    enum ml_cgfile file, unsigned int version)
{
	int err = r->err[file];

	v->st = ML_CGV_NA;
	if (!(r->asked & ML_CGFILE_BIT(file)))
		v->why = ML_CGW_NOT_READ;
	else if (!c->controller && file != ML_CGFILE_PROCS && file != ML_CGFILE_CONTROLLERS)
		v->why = ML_CGW_NO_CONTROLLER;
	else if ((err == ENOENT || err == ENODEV) && version == ML_CG_V2 &&
		 strcmp(c->path, "/") == 0)
		v->why = ML_CGW_ROOT;
	else if (err == ENOENT || err == ENODEV)
		v->why = ML_CGW_ABSENT;
	else if (err == EBADMSG)
		v->why = ML_CGW_BAD;
	else {
		v->why = ML_CGW_READ;
		v->err = err;
	}
}

static void
map_field(struct ml_cgroup *c, unsigned int version, enum ml_cgf f, const struct ml_cgroup_read *r)
{
	const struct ml_cgsrc *s = src_of(version, f);
	struct ml_cgv *v = &c->f[f];
	enum ml_cgfile file = file_of(version, s);

	memset(v, 0, sizeof *v);
	v->file = (uint8_t)file;
	v->st = ML_CGV_NA;
	if (s->type == ML_CGSRC_NONE) {
		v->why = ML_CGW_VERSION;
		return;
	}
	if (s->type == ML_CGSRC_DERIVED) {
		v->why = ML_CGW_DERIVED;
		return;
	}
	if (!(r->asked & ML_CGFILE_BIT(file)) || r->err[file] != 0) {
		file_failed(v, c, r, file, version);
		return;
	}
	switch ((enum ml_cgsrc_type)s->type) {
	case ML_CGSRC_FILE:
		v->v = r->value[file].v;
		v->st = r->value[file].unlimited ? ML_CGV_UNLIMITED : ML_CGV_OK;
		break;
	case ML_CGSRC_STAT:
		if (ml_cgroup_stat_has(&r->stat, (enum ml_cgs_key)s->id)) {
			v->v = r->stat.val[s->id];
			v->st = ML_CGV_OK;
		} else {
			/* A key missing from a file with bad lines may be one of them. */
			v->why = r->bad_files & ML_CGFILE_BIT(file) ? ML_CGW_BAD : ML_CGW_NO_KEY;
		}
		break;
	case ML_CGSRC_EVENT:
		if (ml_cgroup_events_has(&r->events, (enum ml_cgev_key)s->id)) {
			v->v = r->events.val[s->id];
			v->st = ML_CGV_OK;
		} else {
			v->why = r->bad_files & ML_CGFILE_BIT(file) ? ML_CGW_BAD : ML_CGW_NO_KEY;
		}
		break;
	case ML_CGSRC_NONE:
	case ML_CGSRC_DERIVED:
		break;
	}
}

/* Copy memory.stat as printed; -1 (ENOMEM). */
static int
copy_stat(struct ml_cgroup *c, const struct ml_cgroup_stat *s)
{
	const struct ml_kvlist *l = &s->all;
	size_t text = 0;
	uint32_t i;
	char *p;

	for (i = 0; i < l->n; i++)
		text += (size_t)l->e[i].name_len + 1;
	c->stat_key = malloc(l->n * sizeof *c->stat_key + text + 1);
	c->stat_val = malloc((l->n + 1) * sizeof *c->stat_val);
	if (c->stat_key == NULL || c->stat_val == NULL)
		return -1;
	p = (char *)(c->stat_key + l->n);
	for (i = 0; i < l->n; i++) {
		memcpy(p, ml_kvlist_name(l, i), l->e[i].name_len);
		p[l->e[i].name_len] = '\0';
		c->stat_key[i] = p;
		c->stat_val[i] = l->e[i].value;
		p += l->e[i].name_len + 1;
	}
	c->nstat = l->n;
	return 0;
}

/* Keep the first file with bad lines and the first read error of the walk. */
static void
note_problems(struct ml_cgtree *t, const char *path, const struct ml_cgroup_read *r)
{
	int f;

	if (r->has_bad && !t->has_bad) {
		t->has_bad = true;
		t->bad = r->bad;
		if (asprintf(&t->bad_file, "%s%s%s", path, strcmp(path, "/") == 0 ? "" : "/",
			     ml_cgroup_files[r->bad_file].name) < 0)
			t->bad_file = NULL;
	}
	for (f = 0; f < ML_CGFILE__COUNT; f++) {
		int err = r->err[f];

		if (!(r->asked & ML_CGFILE_BIT(f)) || err == 0 || err == ENOENT || err == ENODEV ||
		    err == EBADMSG)
			continue;
		if (t->read_errors++ == 0 && asprintf(&t->first_error, "cannot read %s%s%s: %s",
						      path, strcmp(path, "/") == 0 ? "" : "/",
						      ml_cgroup_files[f].name, strerror(err)) < 0)
			t->first_error = NULL;
	}
}

static int
push(struct ml_cgroup ***v, size_t *n, size_t *cap, struct ml_cgroup *c)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct ml_cgroup **nv = realloc(*v, ncap * sizeof *nv);

		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = c;
	return 0;
}

int
ml_cgtree_add(struct ml_cgtree *t, const char *path, int depth, const struct ml_cgroup_read *r)
{
	struct ml_cgroup *c = calloc(1, sizeof *c);
	const char *slash;
	size_t anc_cap = t->nanc;
	int f;

	if (c == NULL || (c->path = strdup(path)) == NULL)
		goto nomem;
	slash = strrchr(c->path, '/');
	c->name = slash != NULL && slash[1] != '\0' ? slash + 1 : c->path;
	c->depth = depth;
	c->full = (r->asked & ~(ML_CGFILE_BIT(ML_CGFILE_PROCS))) != 0;
	/* v2: no memory files where the parent did not enable the controller. */
	c->controller = t->version == ML_CG_V1 ||
			!(r->asked & ML_CGFILE_BIT(ML_CGFILE_CONTROLLERS)) ||
			r->err[ML_CGFILE_CONTROLLERS] != 0 || r->controllers.memory;
	for (f = 0; f < ML_CGF__COUNT; f++)
		map_field(c, t->version, (enum ml_cgf)f, r);
	if (t->version == ML_CG_V2)
		c->hierarchical = 1;
	else if ((r->asked & ML_CGFILE_BIT(ML_CGFILE_V1_USE_HIERARCHY)) &&
		 r->err[ML_CGFILE_V1_USE_HIERARCHY] == 0)
		c->hierarchical = r->value[ML_CGFILE_V1_USE_HIERARCHY].v != 0;
	else
		c->hierarchical = -1;
	memset(&c->psi_state, 0, sizeof c->psi_state);
	c->psi_state.file = ML_CGFILE_PRESSURE;
	if (t->version == ML_CG_V1) {
		c->psi_state.why = ML_CGW_VERSION;
	} else if (!(r->asked & ML_CGFILE_BIT(ML_CGFILE_PRESSURE)) ||
		   r->err[ML_CGFILE_PRESSURE] != 0) {
		file_failed(&c->psi_state, c, r, ML_CGFILE_PRESSURE, t->version);
		/* memory.pressure exists without the controller (PSI is the cgroup's). */
		if (c->psi_state.why == ML_CGW_NO_CONTROLLER)
			c->psi_state.why =
				r->err[ML_CGFILE_PRESSURE] == EBADMSG ? ML_CGW_BAD : ML_CGW_ABSENT;
	} else {
		c->psi = r->pressure;
		c->psi_state.st = ML_CGV_OK;
	}
	c->procs_err =
		(r->asked & ML_CGFILE_BIT(ML_CGFILE_PROCS)) ? r->err[ML_CGFILE_PROCS] : ENOENT;
	if (c->procs_err == 0 && r->procs.n > 0) {
		c->pids = malloc(r->procs.n * sizeof *c->pids);
		if (c->pids == NULL)
			goto nomem;
		memcpy(c->pids, r->procs.v, r->procs.n * sizeof *c->pids);
		c->npids = r->procs.n;
	}
	if ((r->asked & ML_CGFILE_BIT(ML_CGFILE_STAT)) && r->err[ML_CGFILE_STAT] == 0 &&
	    copy_stat(c, &r->stat) != 0)
		goto nomem;
	note_problems(t, path, r);
	if (depth < 0) {
		if (push(&t->anc, &t->nanc, &anc_cap, c) != 0)
			goto nomem;
		c->parent = t->nanc > 1 ? t->anc[t->nanc - 2] : NULL;
		return 0;
	}
	if ((size_t)depth >= t->stack_cap) {
		size_t ncap = (size_t)depth + 16;
		struct ml_cgroup **ns = realloc(t->stack, ncap * sizeof *ns);

		if (ns == NULL)
			goto nomem;
		t->stack = ns;
		t->stack_cap = ncap;
	}
	if (depth > 0 && (t->n == 0 || t->stack[depth - 1] == NULL)) {
		errno = EINVAL;
		node_free(c);
		return -1;
	}
	c->parent = depth > 0 ? t->stack[depth - 1] : t->nanc > 0 ? t->anc[t->nanc - 1] : NULL;
	if (push(&t->v, &t->n, &t->cap, c) != 0)
		goto nomem;
	t->stack[depth] = c;
	if ((size_t)depth + 1 < t->stack_cap)
		t->stack[depth + 1] = NULL;
	if (depth > 0 &&
	    push(&c->parent->child, &c->parent->nchild, &c->parent->child_cap, c) != 0) {
		t->n--;
		goto nomem;
	}
	return 0;
nomem:
	node_free(c);
	errno = ENOMEM;
	return -1;
}

/* ------------------------------------------------------------ derived figures */

/* Headroom of one limit against its usage; false when it says nothing. */
static bool
one_headroom(const struct ml_cgroup *c, enum ml_cgf limit, enum ml_cgf usage, int64_t *h,
	     bool *unknown)
{
	const struct ml_cgv *l = &c->f[limit], *u = &c->f[usage];

	if (l->st == ML_CGV_UNLIMITED)
		return false;
	if (l->st == ML_CGV_NA) {
		/* No such limit here; else it exists and is not known. */
		if (l->why != ML_CGW_VERSION && l->why != ML_CGW_ABSENT && l->why != ML_CGW_ROOT &&
		    l->why != ML_CGW_NO_CONTROLLER)
			*unknown = true;
		return false;
	}
	if (u->st != ML_CGV_OK) {
		*unknown = true;
		return false;
	}
	/* A limit below ML_CG_UNLIMITED_FLOOR fits in int64_t; so does the clamp. */
	*h = (int64_t)l->v - (int64_t)(u->v > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : u->v);
	return true;
}

static void
derive_headroom(struct ml_cgroup *c, unsigned int version)
{
	static const enum ml_cgf v2_pairs[][2] = { { ML_CGF_MAX, ML_CGF_CURRENT },
						   { ML_CGF_HIGH, ML_CGF_CURRENT } };
	static const enum ml_cgf v1_pairs[][2] = { { ML_CGF_MAX, ML_CGF_CURRENT },
						   { ML_CGF_MEMSW_MAX, ML_CGF_MEMSW } };
	const enum ml_cgf(*pairs)[2] = version == ML_CG_V1 ? v1_pairs : v2_pairs;
	struct ml_cg_headroom best = { .st = ML_CGV_UNLIMITED, .limit = ML_CGF_MAX };
	bool unknown = false;
	int64_t h;
	int i;

	for (i = 0; i < 2; i++) {
		if (!one_headroom(c, pairs[i][0], pairs[i][1], &h, &unknown))
			continue;
		if (best.st != ML_CGV_OK || h < best.bytes) {
			best.st = ML_CGV_OK;
			best.bytes = h;
			best.limit = pairs[i][0];
			best.at = c->path;
		}
	}
	if (c->parent != NULL) {
		const struct ml_cg_headroom *p = &c->parent->head;

		if (p->st == ML_CGV_NA)
			unknown = true;
		else if (p->st == ML_CGV_OK && (best.st != ML_CGV_OK || p->bytes < best.bytes))
			best = *p;
	}
	if (unknown) {
		memset(&best, 0, sizeof best);
		best.st = ML_CGV_NA;
	}
	c->head = best;
}

static void
derive_one(struct ml_cgroup *c, unsigned int version)
{
	const struct ml_cgv *cur = &c->f[ML_CGF_CURRENT], *inact = &c->f[ML_CGF_INACTIVE_FILE];
	struct ml_cgv *w = &c->f[ML_CGF_WSET];

	/* kubelet/cAdvisor: usage - inactive_file, 0 when inactive_file is larger. */
	w->file = ML_CGFILE__COUNT;
	if (cur->st == ML_CGV_OK && inact->st == ML_CGV_OK) {
		w->st = ML_CGV_OK;
		w->v = cur->v > inact->v ? cur->v - inact->v : 0;
	} else {
		/* The reason of the part that is unknown: "no memory.current". */
		const struct ml_cgv *part = cur->st != ML_CGV_OK ? cur : inact;

		*w = *part;
		w->st = ML_CGV_NA;
		w->v = 0;
	}
	derive_headroom(c, version);
}

void
ml_cgtree_derive(struct ml_cgtree *t)
{
	size_t i;

	for (i = 0; i < t->nanc; i++)
		derive_one(t->anc[i], t->version);
	for (i = 0; i < t->n; i++)
		derive_one(t->v[i], t->version);
}

/* ------------------------------------------------------------ loading */

int
ml_cgroups_open(struct ml_cgmounts *m, struct ml_cghier *h, const struct ml_procfs *fs,
		const struct ml_procfs *sysfs, char **why)
{
	memset(h, 0, sizeof *h);
	h->root.dirfd = -1;
	if (ml_cgmounts_read(m, fs, why) != 0)
		return -1;
	if (!ml_procfs_is_live(fs) && ml_procfs_is_sysfs(sysfs)) {
		ml_set_cause(why, "%s is this machine's sysfs, not the capture's: give --sys-root",
			     sysfs->root != NULL ? sysfs->root : "/sys");
		errno = EINVAL;
		return -1;
	}
	return ml_cghier_open(h, m, sysfs, why);
}

struct load_ctx {
	struct ml_cgtree *t;
};

static int
on_cgroup(void *arg, const char *path, int depth, const struct ml_cgroup_read *r)
{
	struct load_ctx *lc = arg;

	return ml_cgtree_add(lc->t, path, depth, r);
}

int
ml_cgtree_load(struct ml_cgtree *t, const struct ml_cghier *h, const char *start, int full_depth,
	       char **cause)
{
	return ml_cgtree_load_set(t, h, start, full_depth, ml_cgfile_set_all(h->version), cause);
}

int
ml_cgtree_load_set(struct ml_cgtree *t, const struct ml_cghier *h, const char *start,
		   int full_depth, ml_cgfile_set full_set, char **cause)
{
	struct load_ctx lc = { t };
	struct ml_cgwalk w;
	char *anc;
	size_t i, len;
	int rc = 0;

	t->version = h->version;
	t->full_depth = full_depth;
	t->start = strdup(start);
	if (t->start == NULL) {
		ml_set_cause(cause, "%s", strerror(ENOMEM));
		return -1;
	}
	ml_cgwalk_init(&w, h);
	/* The ancestors' limits, root first: they bound the start's headroom. */
	len = strlen(start);
	anc = malloc(len + 2);
	if (anc == NULL) {
		ml_cgwalk_release(&w);
		ml_set_cause(cause, "%s", strerror(ENOMEM));
		return -1;
	}
	for (i = 0; rc == 0 && len > 1 && i < len; i++) {
		if (start[i] != '/')
			continue;
		if (i == 0) {
			strcpy(anc, "/");
		} else {
			memcpy(anc, start, i);
			anc[i] = '\0';
		}
		if (ml_cgwalk_read_one(&w, anc, ml_cgfile_set_limits(h->version), cause) != 0)
			rc = -1;
		else if (ml_cgtree_add(t, anc, -1, &w.r) != 0) {
			ml_set_cause(cause, "%s", strerror(errno));
			rc = -1;
		}
	}
	free(anc);
	if (rc == 0) {
		w.full = full_set & ml_cgfile_set_all(h->version);
		w.deeper = ML_CGFILE_BIT(ML_CGFILE_PROCS);
		w.full_depth = full_depth;
		w.fn = on_cgroup;
		w.arg = &lc;
		rc = ml_cgwalk_run(&w, start, cause);
		t->vanished = w.vanished;
		t->too_deep = w.too_deep;
	}
	ml_cgwalk_release(&w);
	if (rc == 0)
		ml_cgtree_derive(t);
	return rc;
}

/* ------------------------------------------------------------ members */

struct member {
	int pid;
	size_t node;
};

static int
cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->node > y->node) - (x->node < y->node);
}

static void
sum_merge(struct ml_proc_sum *dst, const struct ml_proc_sum *src)
{
	int m;

	dst->procs += src->procs;
	dst->read += src->read;
	for (m = 0; m < ML_MEM__COUNT; m++)
		dst->by_state[m] += src->by_state[m];
	for (m = 0; m < ML_PM__COUNT; m++) {
		if (!ml_add_u64(dst->v[m], src->v[m], &dst->v[m]))
			dst->wrapped |= 1u << m;
		dst->known[m] += src->known[m];
	}
	dst->wrapped |= src->wrapped;
}

/* Every listed member once, by PID; NULL with n 0 when there are none. */
static struct member *
collect_members(const struct ml_cgtree *t, size_t *n, uint64_t *moved)
{
	struct member *m;
	size_t i, j, k = 0, total = 0;

	*n = 0;
	*moved = 0;
	for (i = 0; i < t->n; i++)
		total += t->v[i]->npids;
	if (total == 0)
		return NULL;
	m = malloc(total * sizeof *m);
	if (m == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		for (j = 0; j < t->v[i]->npids; j++) {
			m[k].pid = t->v[i]->pids[j];
			m[k].node = i;
			k++;
		}
	if (k > 1)
		qsort(m, k, sizeof *m, cmp_member);
	for (i = j = 0; i < k; i++) {
		if (j > 0 && m[j - 1].pid == m[i].pid) {
			(*moved)++;
			continue;
		}
		m[j++] = m[i];
	}
	*n = j;
	return m;
}

void
ml_cgtree_sum_members(struct ml_cgtree *t, const struct ml_proctab *tab)
{
	struct member *m;
	size_t nm = 0, i;

	t->members_gone = t->kthreads = t->zombies = 0;
	for (i = 0; i < t->n; i++) {
		memset(&t->v[i]->own, 0, sizeof t->v[i]->own);
		t->v[i]->sub_members = 0;
	}
	m = collect_members(t, &nm, &t->members_moved);
	for (i = 0; i < nm; i++) {
		const struct ml_proc *p = ml_proctab_find(tab, m[i].pid);

		if (p == NULL || p->mem == ML_MEM_GONE) {
			t->members_gone++;
			continue;
		}
		if (p->kthread) {
			t->kthreads++;
			continue;
		}
		if (p->mem == ML_MEM_NONE) {
			t->zombies++;
			continue;
		}
		ml_proc_sum_add(&t->v[m[i].node]->own, p);
	}
	free(m);
	/* Pre-order: a node's descendants follow it, so adding back to front sums subtrees. */
	for (i = 0; i < t->n; i++) {
		struct ml_cgroup *c = t->v[i];

		c->sub = c->own;
		c->sub_members = c->npids;
		c->sub_listed = c->procs_err == 0;
	}
	for (i = t->n; i-- > 1;) {
		struct ml_cgroup *c = t->v[i], *p = c->parent;

		sum_merge(&p->sub, &c->sub);
		p->sub_members += c->sub_members;
		p->sub_listed = p->sub_listed && c->sub_listed;
	}
	t->members_read = true;
}

int
ml_cgtree_read_members(struct ml_cgtree *t, struct ml_proctab *tab, bool threads, char **cause)
{
	size_t i, j;

	if (strcmp(t->start, "/") == 0) {
		/* Every process is a member somewhere: read them all, as procs does. */
		if (threads) {
			if (ml_proctab_refresh_read_all(tab, cause) != 0)
				return -1;
		} else {
			if (ml_proctab_refresh(tab, cause) != 0)
				return -1;
			ml_proctab_read_mem_all(tab);
		}
	} else {
		for (i = 0; i < t->n; i++) {
			for (j = 0; j < t->v[i]->npids; j++) {
				struct ml_proc *p = ml_proctab_find(tab, t->v[i]->pids[j]);
				char *why = NULL;

				if (p == NULL)
					p = ml_proctab_get(tab, t->v[i]->pids[j], &why);
				free(why);
				if (p != NULL && p->mem_gen != tab->generation)
					ml_proctab_read_mem(tab, p);
			}
		}
	}
	ml_cgtree_sum_members(t, tab);
	return 0;
}

bool
ml_cgroup_members_whole(const struct ml_cgroup *c)
{
	return c->sub_listed && c->sub.read == c->sub.procs;
}

const char *
ml_cgroup_members_why(const struct ml_cgroup *c, char *buf, size_t cap)
{
	uint64_t na = c->sub.procs - c->sub.read, denied = c->sub.by_state[ML_MEM_DENIED];

	if (!c->sub_listed) {
		snprintf(buf, cap, "a cgroup.procs of this subtree could not be read");
		return buf;
	}
	if (na == 0)
		return NULL;
	snprintf(buf, cap, "%llu of %llu processes could not be read: %s", (unsigned long long)na,
		 (unsigned long long)c->sub.procs,
		 denied == na ? "permission denied" : "read errors");
	return buf;
}

/* ------------------------------------------------------------ words */

const char *
ml_cgf_source(unsigned int version, enum ml_cgf f, char *buf, size_t cap)
{
	const struct ml_cgsrc *s = src_of(version, f);

	switch ((enum ml_cgsrc_type)s->type) {
	case ML_CGSRC_FILE:
		snprintf(buf, cap, "%s", ml_cgroup_files[s->id].name);
		return buf;
	case ML_CGSRC_STAT:
		snprintf(buf, cap, "memory.stat %s", ml_cgroup_stat_keys[s->id].name);
		return buf;
	case ML_CGSRC_EVENT:
		snprintf(buf, cap, "%s %s",
			 version == ML_CG_V1 ? "memory.oom_control" : "memory.events",
			 ml_cgroup_events_keys[s->id].name);
		return buf;
	case ML_CGSRC_DERIVED:
		snprintf(buf, cap, "%s",
			 version == ML_CG_V1 ? "usage_in_bytes - total_inactive_file"
					     : "memory.current - inactive_file");
		return buf;
	case ML_CGSRC_NONE:
		break;
	}
	return NULL;
}

/* "no memory.peak (kernels before 5.19 have none)" for an absent file. */
static void
absent_text(enum ml_cgfile file, char *buf, size_t cap)
{
	const struct ml_cgfile_info *fi = &ml_cgroup_files[file];

	if (fi->since != NULL && fi->absent != NULL)
		snprintf(buf, cap, "no %s (kernels before %s have none; or %s)", fi->name,
			 fi->since, fi->absent);
	else if (fi->since != NULL)
		snprintf(buf, cap, "no %s (kernels before %s have none)", fi->name, fi->since);
	else if (fi->absent != NULL)
		snprintf(buf, cap, "no %s (%s)", fi->name, fi->absent);
	else
		snprintf(buf, cap, "no %s", fi->name);
}

/* The kernel that added a memory.stat or event key, where memlens knows it. */
static const char *
key_since(unsigned int version, enum ml_cgf f)
{
	if (version == ML_CG_V2 && f == ML_CGF_KERNEL)
		return "5.18";
	if (version == ML_CG_V1 && f == ML_CGF_EV_OOM_KILL)
		return "4.13";
	return NULL;
}

static const char *
why_text(unsigned int version, const struct ml_cgv *v, enum ml_cgf f, char *buf, size_t cap)
{
	enum ml_cgfile file = (enum ml_cgfile)v->file;
	const char *fname = file < ML_CGFILE__COUNT ? ml_cgroup_files[file].name : "?";
	char src[96];

	switch ((enum ml_cgw)v->why) {
	case ML_CGW_NONE:
		snprintf(buf, cap, "known");
		break;
	case ML_CGW_VERSION:
		if ((int)f < ML_CGF__COUNT &&
		    ml_cgf_source(version == ML_CG_V1 ? ML_CG_V2 : ML_CG_V1, f, src, sizeof src))
			snprintf(buf, cap, "cgroup v%u has no %s", version, src);
		else
			snprintf(buf, cap, "cgroup v%u has no such figure", version);
		break;
	case ML_CGW_ABSENT:
		absent_text(file, buf, cap);
		break;
	case ML_CGW_NO_KEY:
		if ((int)f < ML_CGF__COUNT && ml_cgf_source(version, f, src, sizeof src)) {
			const char *since = key_since(version, f);

			if (since != NULL)
				snprintf(buf, cap, "no %s (kernels before %s have none)", src,
					 since);
			else
				snprintf(buf, cap, "no %s in this kernel", src);
		} else {
			snprintf(buf, cap, "%s does not print it", fname);
		}
		break;
	case ML_CGW_READ:
		snprintf(buf, cap, "cannot read %s: %s", fname, strerror(v->err));
		break;
	case ML_CGW_BAD:
		if (file == ML_CGFILE_STAT || file == ML_CGFILE_EVENTS ||
		    file == ML_CGFILE_V1_OOM_CONTROL)
			snprintf(buf, cap, "not among the lines of %s that parsed", fname);
		else
			snprintf(buf, cap, "%s did not parse", fname);
		break;
	case ML_CGW_NO_CONTROLLER:
		snprintf(buf, cap,
			 "the memory controller is not enabled here (not in the "
			 "parent's cgroup.subtree_control)");
		break;
	case ML_CGW_ROOT:
		snprintf(buf, cap, "the root cgroup has no %s (memlens summary shows the machine)",
			 (int)f == ML_CGF_WSET ? "memory.current" : fname);
		break;
	case ML_CGW_NOT_READ:
		snprintf(buf, cap, "not read (below the depth shown)");
		break;
	case ML_CGW_DERIVED:
		if ((int)f < ML_CGF__COUNT && ml_cgf_source(version, f, src, sizeof src))
			snprintf(buf, cap, "%s: a part is unknown", src);
		else
			snprintf(buf, cap, "a part is unknown");
		break;
	}
	return buf;
}

const char *
ml_cgv_why(const struct ml_cgtree *t, const struct ml_cgroup *c, enum ml_cgf f, char *buf,
	   size_t cap)
{
	/* The working set is unknown for the reason of its unknown part. */
	if (f == ML_CGF_WSET && c->f[f].st == ML_CGV_NA)
		f = c->f[ML_CGF_CURRENT].st != ML_CGV_OK ? ML_CGF_CURRENT : ML_CGF_INACTIVE_FILE;
	return why_text(t->version, &c->f[f], f, buf, cap);
}

const char *
ml_cgroup_psi_why(const struct ml_cgtree *t, const struct ml_cgroup *c, char *buf, size_t cap)
{
	if (c->psi_state.why == ML_CGW_VERSION) {
		snprintf(buf, cap, "cgroup v1 has no memory.pressure");
		return buf;
	}
	return why_text(t->version, &c->psi_state, ML_CGF__COUNT, buf, cap);
}

/* ------------------------------------------------------------ sorting */

bool
ml_cgroup_sort_value(const struct ml_cgroup *c, enum ml_cg_sort key, int64_t *v)
{
	static const enum ml_cgf direct[ML_CGSORT__COUNT] = {
		[ML_CGSORT_CURRENT] = ML_CGF_CURRENT, [ML_CGSORT_WSET] = ML_CGF_WSET,
		[ML_CGSORT_PEAK] = ML_CGF_PEAK,       [ML_CGSORT_ANON] = ML_CGF_ANON,
		[ML_CGSORT_FILE] = ML_CGF_FILE,       [ML_CGSORT_KERNEL] = ML_CGF_KERNEL,
		[ML_CGSORT_SWAP] = ML_CGF_SWAP,       [ML_CGSORT_OOM] = ML_CGF_EV_OOM_KILL,
	};
	const struct ml_cgv *f;

	*v = 0;
	switch (key) {
	case ML_CGSORT_HEADROOM:
		if (c->head.st == ML_CGV_UNLIMITED) {
			*v = INT64_MAX;
			return true;
		}
		*v = c->head.bytes;
		return c->head.st == ML_CGV_OK;
	case ML_CGSORT_PSS:
	case ML_CGSORT_USS: {
		enum ml_pm m = key == ML_CGSORT_PSS ? ML_PM_PSS : ML_PM_USS;

		if (!ml_cgroup_members_whole(c) ||
		    (c->sub.procs > 0 && !ml_proc_sum_has(&c->sub, m)))
			return false;
		*v = (int64_t)(c->sub.v[m] > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX
								 : c->sub.v[m]);
		return true;
	}
	case ML_CGSORT_PROCS:
		*v = (int64_t)c->sub_members;
		return c->sub_listed;
	case ML_CGSORT_PRESSURE:
		*v = c->psi.some.avg10;
		return c->psi_state.st == ML_CGV_OK && c->psi.some.present;
	case ML_CGSORT_NAME:
	case ML_CGSORT__COUNT:
		return false;
	default:
		f = &c->f[direct[key]];
		if (f->st != ML_CGV_OK)
			return false;
		*v = (int64_t)(f->v > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : f->v);
		return true;
	}
}

/* qsort has no context argument: the key of the sort in progress. */
static _Thread_local struct {
	enum ml_cg_sort key;
	bool reverse;
} sort_by;

static int
cmp_cgroup(const void *pa, const void *pb)
{
	const struct ml_cgroup *a = *(const struct ml_cgroup *const *)pa;
	const struct ml_cgroup *b = *(const struct ml_cgroup *const *)pb;
	int64_t va, vb;
	bool ka, kb;
	int c, dir = sort_by.reverse ? -1 : 1;

	if (sort_by.key == ML_CGSORT_NAME)
		return strcmp(a->path, b->path) * dir;
	ka = ml_cgroup_sort_value(a, sort_by.key, &va);
	kb = ml_cgroup_sort_value(b, sort_by.key, &vb);
	if (ka != kb)
		return ka ? -1 : 1;
	c = 0;
	if (ka && va != vb) {
		/* Headroom: the nearest limit first; everything else: the largest first. */
		c = sort_by.key == ML_CGSORT_HEADROOM ? (va < vb ? -1 : 1) : (va > vb ? -1 : 1);
		c *= dir;
	}
	return c != 0 ? c : strcmp(a->path, b->path);
}

void
ml_cgroups_sort(struct ml_cgroup **rows, size_t n, enum ml_cg_sort key, bool reverse)
{
	if (n < 2)
		return;
	sort_by.key = key;
	sort_by.reverse = reverse;
	qsort(rows, n, sizeof *rows, cmp_cgroup);
}

void
ml_cgtree_sort(struct ml_cgtree *t, enum ml_cg_sort key, bool reverse)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		ml_cgroups_sort(t->v[i]->child, t->v[i]->nchild, key, reverse);
}

static int
cmp_pid_entry(const void *a, const void *b)
{
	const struct ml_cgtree_pid *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->node > y->node) - (x->node < y->node);
}

const struct ml_cgroup *
ml_cgtree_cgroup_of(struct ml_cgtree *t, int pid)
{
	const struct ml_cgtree_pid *hit;
	size_t i, j, total = 0, k = 0, lo, hi, mid;

	if (!t->pid_indexed) {
		t->pid_indexed = true;
		for (i = 0; i < t->n; i++)
			total += t->v[i]->npids;
		t->pid_index = total > 0 ? malloc(total * sizeof *t->pid_index) : NULL;
		if (t->pid_index == NULL)
			return NULL;
		for (i = 0; i < t->n; i++)
			for (j = 0; j < t->v[i]->npids; j++) {
				t->pid_index[k].pid = t->v[i]->pids[j];
				t->pid_index[k++].node = i;
			}
		if (k > 1)
			qsort(t->pid_index, k, sizeof *t->pid_index, cmp_pid_entry);
		t->npid_index = k;
	}
	if (t->npid_index == 0)
		return NULL;
	/* The first entry of pid (lower bound): the cgroup that listed it first. */
	lo = 0;
	hi = t->npid_index;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->pid_index[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= t->npid_index || t->pid_index[lo].pid != pid)
		return NULL;
	hit = &t->pid_index[lo];
	return t->v[hit->node];
}

uint64_t
ml_cgroup_head_limit(const struct ml_cgroup *c)
{
	const struct ml_cgv *l;

	if (c->head.st != ML_CGV_OK || c->head.at == NULL || strcmp(c->head.at, c->path) != 0)
		return 0;
	l = &c->f[c->head.limit];
	return l->st == ML_CGV_OK ? l->v : 0;
}

/* Insert c into the k-array v (n used) by a key, larger first; ties keep the first. */
static void
top_insert(const struct ml_cgroup **v, size_t *n, size_t k, const struct ml_cgroup *c, double key,
	   double *keys)
{
	size_t i;

	for (i = *n; i > 0 && keys[i - 1] < key; i--) {
		if (i < k) {
			v[i] = v[i - 1];
			keys[i] = keys[i - 1];
		}
	}
	if (i < k) {
		v[i] = c;
		keys[i] = key;
		if (*n < k)
			(*n)++;
	}
}

void
ml_cgtree_brief(const struct ml_cgtree *t, struct ml_cgroup_brief *b)
{
	double klargest[ML_CG_BRIEF], knear[ML_CG_BRIEF], koom[ML_CG_BRIEF];
	size_t i, j;

	memset(b, 0, sizeof *b);
	for (i = 0; i < t->n; i++) {
		const struct ml_cgroup *c = t->v[i];
		const struct ml_cgv *cur = &c->f[ML_CGF_CURRENT], *oom = &c->f[ML_CGF_EV_OOM_KILL];
		uint64_t limit = ml_cgroup_head_limit(c), children = 0;

		if (c->depth == 1 && cur->st == ML_CGV_OK)
			top_insert(b->largest, &b->nlargest, ML_CG_BRIEF, c, (double)cur->v,
				   klargest);
		/* Near its own limit: within a tenth of it, or above memory.high. */
		if (limit > 0 && (c->head.bytes < 0 || (uint64_t)c->head.bytes < limit / 10)) {
			b->near_all++;
			top_insert(b->near, &b->nnear, ML_CG_BRIEF, c,
				   -(double)c->head.bytes / (double)limit, knear);
		}
		if (oom->st != ML_CGV_OK || oom->v == 0)
			continue;
		for (j = 0; j < c->nchild; j++)
			if (c->child[j]->f[ML_CGF_EV_OOM_KILL].st == ML_CGV_OK)
				children += c->child[j]->f[ML_CGF_EV_OOM_KILL].v;
		if (children >= oom->v)
			continue; /* its children's: v2 events count the subtree */
		b->oom_all++;
		top_insert(b->oom, &b->noom, ML_CG_BRIEF, c, (double)(oom->v - children), koom);
	}
}

struct ml_cgroup *
ml_cgtree_find(const struct ml_cgtree *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i]->path, path) == 0)
			return t->v[i];
	return NULL;
}
