/*
 * Ranking and grouping processes; see procs.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/procs.h"

const char *const ml_proc_sort_keys[ML_PS__COUNT + 1] = {
	[ML_PS_PSS] = "pss",       [ML_PS_USS] = "uss",          [ML_PS_RSS] = "rss",
	[ML_PS_SWAP] = "swap",     [ML_PS_SWAP_PSS] = "swappss", [ML_PS_ANON] = "anon",
	[ML_PS_FILE] = "file",     [ML_PS_SHMEM] = "shmem",      [ML_PS_MINFLT] = "minflt",
	[ML_PS_MAJFLT] = "majflt", [ML_PS_PID] = "pid",          [ML_PS_COMMAND] = "command",
	[ML_PS_GROWTH] = "growth", [ML_PS__COUNT] = NULL,
};

static const struct {
	const char *key, *title;
} measures[ML_PM__COUNT] = {
	[ML_PM_PSS] = { "pss", "PSS" },
	[ML_PM_USS] = { "uss", "USS" },
	[ML_PM_RSS] = { "rss", "RSS" },
	[ML_PM_SWAP] = { "swap", "SWAP" },
	[ML_PM_SWAP_PSS] = { "swap_pss", "SWAPPSS" },
	[ML_PM_ANON] = { "pss_anon", "ANON" },
	[ML_PM_FILE] = { "pss_file", "FILE" },
	[ML_PM_SHMEM] = { "pss_shmem", "SHMEM" },
};
_Static_assert(ML_ARRAY_SIZE(measures) == ML_PM__COUNT, "measures out of sync");

int
ml_proc_sort_parse(const char *s)
{
	int i;

	for (i = 0; i < ML_PS__COUNT; i++)
		if (strcmp(ml_proc_sort_keys[i], s) == 0)
			return i;
	return -1;
}

const char *
ml_pm_key(enum ml_pm m)
{
	return (unsigned int)m < ML_PM__COUNT ? measures[m].key : "?";
}

const char *
ml_pm_title(enum ml_pm m)
{
	return (unsigned int)m < ML_PM__COUNT ? measures[m].title : "?";
}

bool
ml_proc_value(const struct ml_proc *p, enum ml_pm m, uint64_t *v)
{
	static const enum ml_sm_key direct[ML_PM__COUNT] = {
		[ML_PM_PSS] = ML_SM_PSS,           [ML_PM_USS] = ML_SM__COUNT,
		[ML_PM_RSS] = ML_SM_RSS,           [ML_PM_SWAP] = ML_SM_SWAP,
		[ML_PM_SWAP_PSS] = ML_SM_SWAP_PSS, [ML_PM_ANON] = ML_SM_PSS_ANON,
		[ML_PM_FILE] = ML_SM_PSS_FILE,     [ML_PM_SHMEM] = ML_SM_PSS_SHMEM,
	};

	*v = 0;
	if ((unsigned int)m >= ML_PM__COUNT)
		return false;
	if (p->mem != ML_MEM_OK) {
		/* Not readable: RSS and swap from PID/status when it was read. */
		if (m == ML_PM_RSS && p->has_status_rss)
			*v = p->status_rss;
		else if (m == ML_PM_SWAP && p->has_status_swap)
			*v = p->status_swap;
		else
			return false;
		return true;
	}
	if (m == ML_PM_USS) {
		if (!ml_proc_has(p, ML_SM_PRIVATE_CLEAN) || !ml_proc_has(p, ML_SM_PRIVATE_DIRTY))
			return false;
		/* Only a damaged file can make it overflow: unknown, not wrapped. */
		return ml_add_u64(p->val[ML_SM_PRIVATE_CLEAN], p->val[ML_SM_PRIVATE_DIRTY], v);
	}
	if (!ml_proc_has(p, direct[m]))
		return false;
	*v = p->val[direct[m]];
	return true;
}

static enum ml_pm
sort_measure(enum ml_proc_sort key)
{
	switch (key) {
	case ML_PS_USS:
		return ML_PM_USS;
	case ML_PS_RSS:
		return ML_PM_RSS;
	case ML_PS_SWAP:
		return ML_PM_SWAP;
	case ML_PS_SWAP_PSS:
		return ML_PM_SWAP_PSS;
	case ML_PS_ANON:
		return ML_PM_ANON;
	case ML_PS_FILE:
		return ML_PM_FILE;
	case ML_PS_SHMEM:
		return ML_PM_SHMEM;
	default:
		return ML_PM_PSS;
	}
}

bool
ml_proc_faults(const struct ml_proc *p, enum ml_fault f, uint64_t *count)
{
	if (!p->faults_known)
		return false;
	*count = f == ML_FAULT_MAJOR ? p->majflt : p->minflt;
	return true;
}

bool
ml_proc_fault_rate(const struct ml_proc *p, enum ml_fault f, double *per_sec)
{
	uint64_t now, before;

	if (!p->faults_known || !p->faults_prev || p->faults_ns <= p->prev_faults_ns)
		return false;
	now = f == ML_FAULT_MAJOR ? p->majflt : p->minflt;
	before = f == ML_FAULT_MAJOR ? p->prev_majflt : p->prev_minflt;
	if (now < before)
		return false;
	*per_sec = (double)(now - before) * 1e9 / (double)(p->faults_ns - p->prev_faults_ns);
	return true;
}

const char *
ml_proc_faults_why(const struct ml_proc *p)
{
	(void)p;
	return "read through libproc2 from the live /proc only";
}

/* qsort has no context argument: the key of the sort in progress. */
static _Thread_local struct {
	enum ml_proc_sort key;
	bool reverse;
	bool fault_rates;
} sort_by;

/* Compare known-ness and rates: unknown last; larger first unless reversed. */
static int
cmp_rates(bool ka, double a, bool kb, double b)
{
	if (ka != kb)
		return ka ? -1 : 1;
	if (!ka || a == b)
		return 0;
	return (a > b ? -1 : 1) * (sort_by.reverse ? -1 : 1);
}

/* Compare known-ness and values: unknown last; larger first unless reversed. */
static int
cmp_values(bool ka, uint64_t a, bool kb, uint64_t b)
{
	if (ka != kb)
		return ka ? -1 : 1;
	if (!ka || a == b)
		return 0;
	return (a > b ? -1 : 1) * (sort_by.reverse ? -1 : 1);
}

static int
cmp_int(long a, long b)
{
	return (a > b) - (a < b);
}

static int
cmp_proc(const void *pa, const void *pb)
{
	const struct ml_proc *a = *(const struct ml_proc *const *)pa;
	const struct ml_proc *b = *(const struct ml_proc *const *)pb;
	uint64_t va, vb;
	bool ka, kb;
	int c;

	switch (sort_by.key) {
	case ML_PS_PID:
	case ML_PS_GROWTH: /* without the changes (ml_procs_sort_growth): by PID */
		return cmp_int(a->pid, b->pid) * (sort_by.reverse ? -1 : 1);
	case ML_PS_COMMAND:
		c = strcmp(a->comm, b->comm) * (sort_by.reverse ? -1 : 1);
		break;
	case ML_PS_MINFLT:
	case ML_PS_MAJFLT: {
		enum ml_fault f = sort_by.key == ML_PS_MAJFLT ? ML_FAULT_MAJOR : ML_FAULT_MINOR;

		if (sort_by.fault_rates) {
			double ra = 0, rb = 0;

			ka = ml_proc_fault_rate(a, f, &ra);
			kb = ml_proc_fault_rate(b, f, &rb);
			c = cmp_rates(ka, ra, kb, rb);
		} else {
			ka = ml_proc_faults(a, f, &va);
			kb = ml_proc_faults(b, f, &vb);
			c = cmp_values(ka, va, kb, vb);
		}
		break;
	}
	default: {
		enum ml_pm m = sort_measure(sort_by.key);

		ka = ml_proc_value(a, m, &va);
		kb = ml_proc_value(b, m, &vb);
		c = cmp_values(ka, va, kb, vb);
		break;
	}
	}
	return c != 0 ? c : cmp_int(a->pid, b->pid);
}

void
ml_procs_sort_ex(struct ml_proc **rows, size_t n, enum ml_proc_sort key, bool reverse,
		 bool fault_rates)
{
	if (n < 2)
		return; /* and qsort may not be given a NULL array */
	sort_by.key = key;
	sort_by.reverse = reverse;
	sort_by.fault_rates = fault_rates;
	qsort(rows, n, sizeof *rows, cmp_proc);
}

void
ml_procs_sort(struct ml_proc **rows, size_t n, enum ml_proc_sort key, bool reverse)
{
	ml_procs_sort_ex(rows, n, key, reverse, false);
}

void
ml_proc_sum_add(struct ml_proc_sum *s, const struct ml_proc *p)
{
	uint64_t v;
	int m;

	s->procs++;
	s->by_state[p->mem < ML_MEM__COUNT ? p->mem : ML_MEM_ERROR]++;
	if (p->mem == ML_MEM_OK)
		s->read++;
	/* An unreadable process adds what it has: RSS and swap from its status. */
	for (m = 0; m < ML_PM__COUNT; m++) {
		if (ml_proc_value(p, (enum ml_pm)m, &v)) {
			if (!ml_add_u64(s->v[m], v, &s->v[m]))
				s->wrapped |= 1u << m;
			s->known[m]++;
		} else if (m == ML_PM_USS && ml_proc_has(p, ML_SM_PRIVATE_CLEAN) &&
			   ml_proc_has(p, ML_SM_PRIVATE_DIRTY)) {
			/* Printed, but too large to add up: the sum is unknown too. */
			s->wrapped |= 1u << m;
			s->known[m]++;
		}
	}
}

bool
ml_proc_sum_has(const struct ml_proc_sum *s, enum ml_pm m)
{
	return (unsigned int)m < ML_PM__COUNT && s->known[m] > 0 && !((s->wrapped >> m) & 1);
}

static int
cmp_group(const void *pa, const void *pb)
{
	const struct ml_proc_group *a = pa, *b = pb;
	int c;

	switch (sort_by.key) {
	case ML_PS_PID:
		c = cmp_int((long)a->uid, (long)b->uid) * (sort_by.reverse ? -1 : 1);
		if (c == 0)
			c = strcmp(a->name, b->name) * (sort_by.reverse ? -1 : 1);
		return c;
	case ML_PS_COMMAND:
		return strcmp(a->name, b->name) * (sort_by.reverse ? -1 : 1);
	default: {
		enum ml_pm m = sort_measure(sort_by.key);

		c = cmp_values(ml_proc_sum_has(&a->sum, m), a->sum.v[m],
			       ml_proc_sum_has(&b->sum, m), b->sum.v[m]);
		return c != 0 ? c : strcmp(a->name, b->name);
	}
	}
}

/* The name of a process under a grouping the table knows (user or command). */
struct group_by_ctx {
	enum ml_proc_group_by by;
	const char *(*name_of)(void *arg, const struct ml_proc *p);
	void *arg;
};

static long
group_rows(struct ml_proc *const *rows, size_t n, const struct group_by_ctx *gc,
	   enum ml_proc_sort key, bool reverse, struct ml_proc_group **out)
{
	struct ml_proc_group *g = NULL;
	enum ml_proc_group_by by = gc->by;
	size_t ng = 0, cap = 0, i, j, len;

	*out = NULL;
	for (i = 0; i < n; i++) {
		const struct ml_proc *p = rows[i];
		const char *name = by == ML_PG_USER      ? p->user
				   : by == ML_PG_COMMAND ? p->comm
							 : gc->name_of(gc->arg, p);

		if (name == NULL)
			name = "?";
		/* Linear search: groups are few (users, cgroups) or the rows are few. */
		for (j = 0; j < ng; j++) {
			if (by == ML_PG_USER ? g[j].uid == p->uid : strcmp(g[j].name, name) == 0)
				break;
		}
		if (j == ng) {
			if (ng == cap) {
				size_t c = cap ? cap * 2 : 32;
				struct ml_proc_group *v = realloc(g, c * sizeof *v);

				if (v == NULL) {
					free(g);
					errno = ENOMEM;
					return -1;
				}
				g = v;
				cap = c;
			}
			memset(&g[ng], 0, sizeof g[ng]);
			len = strlen(name);
			if (len >= sizeof g[ng].name)
				len = sizeof g[ng].name - 1;
			memcpy(g[ng].name, name, len);
			g[ng].uid = by == ML_PG_USER ? p->uid : 0;
			ng++;
		}
		ml_proc_sum_add(&g[j].sum, p);
	}
	sort_by.key = key;
	sort_by.reverse = reverse;
	if (ng > 1)
		qsort(g, ng, sizeof *g, cmp_group);
	*out = g;
	return (long)ng;
}

long
ml_procs_group(struct ml_proc *const *rows, size_t n, enum ml_proc_group_by by,
	       enum ml_proc_sort key, bool reverse, struct ml_proc_group **out)
{
	struct group_by_ctx gc = { by, NULL, NULL };

	if (by != ML_PG_USER && by != ML_PG_COMMAND) {
		*out = NULL;
		errno = EINVAL;
		return -1;
	}
	return group_rows(rows, n, &gc, key, reverse, out);
}

long
ml_procs_group_names(struct ml_proc *const *rows, size_t n,
		     const char *(*name_of)(void *arg, const struct ml_proc *p), void *arg,
		     enum ml_proc_sort key, bool reverse, struct ml_proc_group **out)
{
	struct group_by_ctx gc = { ML_PG_CGROUP, name_of, arg };

	return group_rows(rows, n, &gc, key, reverse, out);
}

size_t
ml_procs_top_pss(struct ml_proc *const *rows, size_t n, struct ml_proc **out, size_t k)
{
	size_t i, j, got = 0;
	uint64_t v, w;

	for (i = 0; i < n && k > 0; i++) {
		if (!ml_proc_value(rows[i], ML_PM_PSS, &v))
			continue;
		/* Insertion into the sorted top-k: k is small (5). */
		for (j = got; j > 0; j--) {
			ml_proc_value(out[j - 1], ML_PM_PSS, &w);
			if (w > v || (w == v && out[j - 1]->pid < rows[i]->pid))
				break;
			if (j < k)
				out[j] = out[j - 1];
		}
		if (j < k) {
			out[j] = rows[i];
			if (got < k)
				got++;
		}
	}
	return got;
}

void
ml_proc_growth_init(struct ml_proc_growth *pg, enum ml_pm measure)
{
	ml_growth_init(&pg->g, NULL);
	pg->measure = measure;
}

void
ml_proc_growth_release(struct ml_proc_growth *pg)
{
	ml_growth_release(&pg->g);
}

/* PID and the command name hashed (FNV-1a): the key of a process here. */
static uint64_t
name_key(const struct ml_proc *p)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *s = (const unsigned char *)p->comm; *s; s++)
		h = (h ^ *s) * 1099511628211ULL;
	return h;
}

void
ml_proc_growth_sample(struct ml_proc_growth *pg, struct ml_proc *const *rows, size_t n,
		      int64_t t_ns)
{
	if (ml_growth_begin(&pg->g, t_ns) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ml_proc *p = rows[i];
		struct ml_growth_item *it;
		uint64_t v;

		it = ml_growth_item(&pg->g, ML_GROWTH_PROC, NULL, (uint64_t)p->pid, name_key(p),
				    false);
		if (it == NULL)
			continue;
		if (ml_proc_value(p, pg->measure, &v))
			ml_growth_observe_at(&pg->g, it, (int64_t)p->mem_ns, v);
		else
			ml_growth_keep(&pg->g, it);
	}
	ml_growth_end(&pg->g);
}

bool
ml_proc_growth_of(const struct ml_proc_growth *pg, const struct ml_proc *p, double *slope)
{
	const struct ml_growth_item *it =
		ml_growth_find(&pg->g, ML_GROWTH_PROC, NULL, (uint64_t)p->pid, name_key(p));

	return it != NULL && ml_fit_slope(&it->s.fit, slope);
}

struct by_growth {
	struct ml_proc *p;
	bool known;
	double slope;
};

static int
cmp_growth(const void *pa, const void *pb, void *arg)
{
	const struct by_growth *a = pa, *b = pb;
	bool reverse = *(const bool *)arg;

	if (a->known != b->known)
		return a->known ? -1 : 1;
	if (a->known && a->slope != b->slope)
		return (a->slope > b->slope ? -1 : 1) * (reverse ? -1 : 1);
	return cmp_int(a->p->pid, b->p->pid);
}

void
ml_procs_sort_growth(struct ml_proc **rows, size_t n, const struct ml_proc_growth *pg, bool reverse)
{
	struct by_growth *v;

	if (n < 2)
		return;
	v = malloc(n * sizeof *v);
	if (v == NULL) {
		ml_procs_sort(rows, n, ML_PS_PID, reverse);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].p = rows[i];
		v[i].known = ml_proc_growth_of(pg, rows[i], &v[i].slope);
	}
	qsort_r(v, n, sizeof *v, cmp_growth, &reverse);
	for (size_t i = 0; i < n; i++)
		rows[i] = v[i].p;
	free(v);
}
