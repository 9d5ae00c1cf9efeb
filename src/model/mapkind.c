/*
 * Mappings by kind and by file; see mapkind.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/mapkind.h"

static const struct {
	const char *key, *title;
} kinds[ML_MK__COUNT] = {
	[ML_MK_HEAP] = { "heap", "heap ([heap], brk)" },
	[ML_MK_ANON] = { "anon", "anonymous private (mmap)" },
	[ML_MK_STACK] = { "stack", "main stack ([stack])" },
	[ML_MK_FILE_CODE] = { "file_code", "file-backed code" },
	[ML_MK_FILE_DATA] = { "file_data", "file-backed data" },
	[ML_MK_FILE_RO] = { "file_ro", "file-backed read-only" },
	[ML_MK_SHMEM] = { "shmem", "shared memory" },
	[ML_MK_HUGETLB] = { "hugetlb", "hugetlb" },
	[ML_MK_NAMED_ANON] = { "named_anon", "named anonymous ([anon:])" },
	[ML_MK_SPECIAL] = { "special", "special (vdso, vvar, ...)" },
};
_Static_assert(ML_ARRAY_SIZE(kinds) == ML_MK__COUNT, "kinds out of sync");

static const struct {
	const char *key, *title;
} sums[ML_MS__COUNT] = {
	[ML_MS_SIZE] = { "size", "Size" },
	[ML_MS_RSS] = { "rss", "Rss" },
	[ML_MS_PSS] = { "pss", "Pss" },
	[ML_MS_USS] = { "uss", "USS" },
	[ML_MS_SWAP] = { "swap", "Swap" },
	[ML_MS_SWAP_PSS] = { "swap_pss", "SwapPss" },
	[ML_MS_ANON_HUGE] = { "anon_huge_pages", "AnonHuge" },
	[ML_MS_LOCKED] = { "locked", "Locked" },
	[ML_MS_HUGETLB] = { "hugetlb", "Hugetlb" },
};
_Static_assert(ML_ARRAY_SIZE(sums) == ML_MS__COUNT, "sums out of sync");

const char *
ml_map_kind_key(enum ml_map_kind k)
{
	return (unsigned int)k < ML_MK__COUNT ? kinds[k].key : "?";
}

const char *
ml_map_kind_title(enum ml_map_kind k)
{
	return (unsigned int)k < ML_MK__COUNT ? kinds[k].title : "?";
}

const char *
ml_ms_key(enum ml_ms m)
{
	return (unsigned int)m < ML_MS__COUNT ? sums[m].key : "?";
}

const char *
ml_ms_title(enum ml_ms m)
{
	return (unsigned int)m < ML_MS__COUNT ? sums[m].title : "?";
}

const char *
ml_mapfile_group_key(enum ml_mapfile_group g)
{
	switch (g) {
	case ML_MF_SHARED_ANON:
		return "shared_anonymous";
	case ML_MF_SYSV_PRIVATE:
		return "sysv_private";
	default:
		return NULL;
	}
}

/* The table of files' sort keys, and the sum each orders by (ML_MS__COUNT: the name). */
const char *const ml_mapfile_sort_keys[] = { "pss", "rss", "uss", "size", "swap", "name", NULL };
static const enum ml_ms mapfile_sort_ms[] = { ML_MS_PSS,  ML_MS_RSS,  ML_MS_USS,
					      ML_MS_SIZE, ML_MS_SWAP, ML_MS__COUNT };
_Static_assert(ML_ARRAY_SIZE(ml_mapfile_sort_keys) == ML_ARRAY_SIZE(mapfile_sort_ms) + 1,
	       "mapfile_sort_ms out of sync");

int
ml_mapfile_sort_measure(const char *key)
{
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(mapfile_sort_ms); i++)
		if (strcmp(ml_mapfile_sort_keys[i], key) == 0)
			return (int)mapfile_sort_ms[i];
	return -1;
}

static bool
prefix(const struct ml_vma *v, const char *p)
{
	size_t n = strlen(p);

	return v->name_len >= n && memcmp(v->name, p, n) == 0;
}

static bool
name_is(const struct ml_vma *v, const char *s)
{
	return v->name_len == strlen(s) && memcmp(v->name, s, v->name_len) == 0;
}

enum ml_map_kind
ml_map_classify(const struct ml_vma *v, const struct ml_smaps_record *r)
{
	bool shared = (v->perms & ML_VMA_SHARED) != 0;

	if (r != NULL &&
	    (ml_smaps_vmflag(r, "ht") || ml_smaps_get(&r->f, ML_SM_SHARED_HUGETLB) > 0 ||
	     ml_smaps_get(&r->f, ML_SM_PRIVATE_HUGETLB) > 0))
		return ML_MK_HUGETLB;
	switch ((enum ml_vma_name)v->name_kind) {
	case ML_VMA_NAME_HEAP:
		return ML_MK_HEAP;
	case ML_VMA_NAME_STACK:
		return ML_MK_STACK;
	case ML_VMA_NAME_STACK_TID:
		return ML_MK_ANON; /* a thread's stack is anonymous private memory */
	case ML_VMA_NAME_ANON:
		return ML_MK_NAMED_ANON;
	case ML_VMA_NAME_ANON_SHMEM:
		return ML_MK_SHMEM;
	case ML_VMA_NAME_NONE:
		return shared ? ML_MK_SHMEM : ML_MK_ANON;
	case ML_VMA_NAME_PATH:
		break;
	default:
		return ML_MK_SPECIAL;
	}
	/* Pseudo-paths of doc/procfs.md section 9. */
	if (name_is(v, "/anon_hugepage"))
		return ML_MK_HUGETLB;
	if (prefix(v, "/memfd:") || prefix(v, "/dev/shm/") || prefix(v, "/dev/ashmem") ||
	    (prefix(v, "/SYSV") && v->name_len == 13 && v->deleted))
		return ML_MK_SHMEM;
	if (name_is(v, "/dev/zero"))
		return shared ? ML_MK_SHMEM : ML_MK_ANON;
	if (v->perms & ML_VMA_EXEC)
		return ML_MK_FILE_CODE;
	if (v->perms & ML_VMA_WRITE)
		return ML_MK_FILE_DATA;
	return ML_MK_FILE_RO;
}

bool
ml_ms_value(const struct ml_smaps_fields *f, enum ml_ms m, uint64_t *v)
{
	switch (m) {
	case ML_MS_SIZE:
		*v = ml_smaps_get(f, ML_SM_SIZE);
		return ml_smaps_has(f, ML_SM_SIZE);
	case ML_MS_RSS:
		*v = ml_smaps_get(f, ML_SM_RSS);
		return ml_smaps_has(f, ML_SM_RSS);
	case ML_MS_PSS:
		*v = ml_smaps_get(f, ML_SM_PSS);
		return ml_smaps_has(f, ML_SM_PSS);
	case ML_MS_USS:
		return ml_add_u64(ml_smaps_get(f, ML_SM_PRIVATE_CLEAN),
				  ml_smaps_get(f, ML_SM_PRIVATE_DIRTY), v) &&
		       ml_smaps_has(f, ML_SM_PRIVATE_CLEAN) && ml_smaps_has(f, ML_SM_PRIVATE_DIRTY);
	case ML_MS_SWAP:
		*v = ml_smaps_get(f, ML_SM_SWAP);
		return ml_smaps_has(f, ML_SM_SWAP);
	case ML_MS_SWAP_PSS:
		*v = ml_smaps_get(f, ML_SM_SWAP_PSS);
		return ml_smaps_has(f, ML_SM_SWAP_PSS);
	case ML_MS_ANON_HUGE:
		*v = ml_smaps_get(f, ML_SM_ANON_HUGE_PAGES);
		return ml_smaps_has(f, ML_SM_ANON_HUGE_PAGES);
	case ML_MS_LOCKED:
		*v = ml_smaps_get(f, ML_SM_LOCKED);
		return ml_smaps_has(f, ML_SM_LOCKED);
	case ML_MS_HUGETLB:
		return ml_add_u64(ml_smaps_get(f, ML_SM_SHARED_HUGETLB),
				  ml_smaps_get(f, ML_SM_PRIVATE_HUGETLB), v) &&
		       (ml_smaps_has(f, ML_SM_SHARED_HUGETLB) ||
			ml_smaps_has(f, ML_SM_PRIVATE_HUGETLB));
	default:
		*v = 0;
		return false;
	}
}

void
ml_msum_add(struct ml_msum *s, const struct ml_smaps_fields *f)
{
	uint64_t v;
	int m;

	s->maps++;
	for (m = 0; m < ML_MS__COUNT; m++) {
		if (ml_ms_value(f, (enum ml_ms)m, &v)) {
			/* A sum that would wrap is unknown, never a small number. */
			if (!ml_add_u64(s->v[m], v, &s->v[m]))
				s->wrapped |= 1u << m;
			s->known |= 1u << m;
		} else if ((m == ML_MS_USS && ml_smaps_has(f, ML_SM_PRIVATE_CLEAN) &&
			    ml_smaps_has(f, ML_SM_PRIVATE_DIRTY)) ||
			   (m == ML_MS_HUGETLB && (ml_smaps_has(f, ML_SM_SHARED_HUGETLB) ||
						   ml_smaps_has(f, ML_SM_PRIVATE_HUGETLB)))) {
			/* Printed, but its own sum overflows: the total is unknown too. */
			s->wrapped |= 1u << m;
			s->known |= 1u << m;
		}
	}
}

void
ml_mapsum_init(struct ml_mapsum *s)
{
	memset(s, 0, sizeof *s);
}

void
ml_mapsum_release(struct ml_mapsum *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		free(s->files[i].name);
	free(s->files);
	free(s->index);
	memset(s, 0, sizeof *s);
}

void
ml_mapsum_begin(struct ml_mapsum *s)
{
	memset(s->kind, 0, sizeof s->kind);
	memset(&s->total, 0, sizeof s->total);
	memset(&s->gate, 0, sizeof s->gate);
	s->records = 0;
	s->nused = 0;
	s->gen++;
}

static uint64_t
file_hash(const struct ml_vma *v, enum ml_mapfile_group g)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < v->name_len; i++) {
		h ^= (unsigned char)v->name[i];
		h *= 1099511628211ULL;
	}
	if (g == ML_MF_FILE)
		h ^= v->inode + ((uint64_t)v->dev_major << 40) + ((uint64_t)v->dev_minor << 20) +
		     (v->deleted ? 1 : 0);
	else
		h ^= (uint64_t)g << 60;
	h *= 1099511628211ULL;
	return h;
}

static bool
file_matches(const struct ml_mapfile *f, const struct ml_vma *v, enum ml_mapfile_group g)
{
	if (f->group != g)
		return false;
	if (g != ML_MF_FILE)
		return true; /* one row for the group, whatever the inode */
	return f->inode == v->inode && f->dev_major == v->dev_major &&
	       f->dev_minor == v->dev_minor && f->deleted == v->deleted &&
	       f->name_len == v->name_len && memcmp(f->name, v->name, v->name_len) == 0;
}

/* The row a mapping of a file goes to (doc/procfs.md section 9 on the names). */
static enum ml_mapfile_group
file_group(const struct ml_vma *v)
{
	if (!v->deleted)
		return ML_MF_FILE;
	if ((v->perms & ML_VMA_SHARED) && name_is(v, "/dev/zero"))
		return ML_MF_SHARED_ANON;
	if (name_is(v, "/SYSV00000000"))
		return ML_MF_SYSV_PRIVATE;
	return ML_MF_FILE;
}

/* Rebuild the index with room for twice the files; -1 on ENOMEM. */
static int
grow_index(struct ml_mapsum *s)
{
	size_t cap = s->index_cap ? s->index_cap * 2 : 64, i, j;
	uint32_t *idx = calloc(cap, sizeof *idx);

	if (idx == NULL)
		return -1;
	for (i = 0; i < s->nfiles; i++) {
		struct ml_vma v;

		memset(&v, 0, sizeof v);
		v.name = s->files[i].name;
		v.name_len = s->files[i].name_len;
		v.inode = s->files[i].inode;
		v.dev_major = s->files[i].dev_major;
		v.dev_minor = s->files[i].dev_minor;
		v.deleted = s->files[i].deleted;
		for (j = file_hash(&v, s->files[i].group) & (cap - 1); idx[j] != 0;
		     j = (j + 1) & (cap - 1))
			;
		idx[j] = (uint32_t)i + 1;
	}
	free(s->index);
	s->index = idx;
	s->index_cap = cap;
	return 0;
}

/* The file entry of v (or of its group), created when new; NULL on ENOMEM. */
static struct ml_mapfile *
file_lookup(struct ml_mapsum *s, const struct ml_vma *v)
{
	enum ml_mapfile_group g = file_group(v);
	struct ml_mapfile *f;
	size_t j;

	if ((s->nfiles + 1) * 2 > s->index_cap && grow_index(s) != 0)
		return NULL;
	for (j = file_hash(v, g) & (s->index_cap - 1); s->index[j] != 0;
	     j = (j + 1) & (s->index_cap - 1)) {
		f = &s->files[s->index[j] - 1];
		if (file_matches(f, v, g))
			return f;
	}
	if (s->nfiles == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct ml_mapfile *nf = realloc(s->files, cap * sizeof *nf);

		if (nf == NULL)
			return NULL;
		s->files = nf;
		s->cap = cap;
	}
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof *f);
	f->name = malloc(v->name_len + 1);
	if (f->name == NULL)
		return NULL;
	memcpy(f->name, v->name, v->name_len);
	f->name[v->name_len] = '\0';
	f->name_len = v->name_len;
	f->name_cap = v->name_len + 1;
	f->deleted = v->deleted;
	f->dev_major = v->dev_major;
	f->dev_minor = v->dev_minor;
	f->inode = g == ML_MF_FILE ? v->inode : 0;
	f->group = g;
	s->index[j] = (uint32_t)s->nfiles + 1;
	s->nfiles++;
	return f;
}

int
ml_mapsum_add(struct ml_mapsum *s, const struct ml_smaps_record *r, enum ml_map_kind *kind)
{
	enum ml_map_kind k = ml_map_classify(&r->vma, r);
	struct ml_mapfile *f;

	if (kind != NULL)
		*kind = k;
	s->records++;
	ml_msum_add(&s->kind[k], &r->f);
	ml_msum_add(&s->total, &r->f);
	if (r->vma.name_kind == ML_VMA_NAME_VSYSCALL)
		ml_msum_add(&s->gate, &r->f);
	if (r->vma.name_kind != ML_VMA_NAME_PATH)
		return 0;
	if ((f = file_lookup(s, &r->vma)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (f->gen != s->gen) {
		memset(&f->sum, 0, sizeof f->sum);
		f->kinds = 0;
		f->gen = s->gen;
		s->nused++;
	}
	f->kinds |= 1u << k;
	ml_msum_add(&f->sum, &r->f);
	return 0;
}

int
ml_mapsum_on_record(void *sum, const struct ml_smaps_record *r)
{
	return ml_mapsum_add(sum, r, NULL);
}

static _Thread_local struct {
	enum ml_ms m;
	bool reverse;
} file_sort;

static int
cmp_file(const void *pa, const void *pb)
{
	const struct ml_mapfile *a = *(const struct ml_mapfile *const *)pa;
	const struct ml_mapfile *b = *(const struct ml_mapfile *const *)pb;
	enum ml_ms m = file_sort.m;
	int c = 0, dir = file_sort.reverse ? -1 : 1;

	if (m < ML_MS__COUNT) {
		bool ka = ml_msum_has(&a->sum, m), kb = ml_msum_has(&b->sum, m);

		if (ka != kb)
			return ka ? -1 : 1; /* unknown last, either way */
		if (a->sum.v[m] != b->sum.v[m])
			return (a->sum.v[m] > b->sum.v[m] ? -1 : 1) * dir;
		dir = 1; /* ties: by name, A to Z */
	}
	c = strcmp(a->name, b->name);
	if (c == 0)
		c = a->inode < b->inode ? -1 : a->inode > b->inode;
	return c * dir;
}

long
ml_mapsum_files(const struct ml_mapsum *s, enum ml_ms m, bool reverse,
		const struct ml_mapfile ***out)
{
	const struct ml_mapfile **v;
	size_t i, n = 0;

	*out = NULL;
	v = malloc((s->nused ? s->nused : 1) * sizeof *v);
	if (v == NULL)
		return -1;
	for (i = 0; i < s->nfiles; i++) {
		if (s->files[i].gen == s->gen && s->gen != 0)
			v[n++] = &s->files[i];
	}
	file_sort.m = m;
	file_sort.reverse = reverse;
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_file);
	*out = v;
	return (long)n;
}

void
ml_mapsum_check_rollup(const struct ml_mapsum *s, const struct ml_smaps_fields *rollup,
		       struct ml_rollup_check *out)
{
	uint64_t maps = s->total.maps - s->gate.maps, rv, sum;
	int m;

	memset(out, 0, sizeof *out);
	out->agrees = true;
	for (m = 0; m < ML_MS__COUNT; m++) {
		if (m == ML_MS_SIZE) /* smaps_rollup prints no Size */
			continue;
		if (!ml_msum_has(&s->total, (enum ml_ms)m) ||
		    !ml_ms_value(rollup, (enum ml_ms)m, &rv))
			continue;
		sum = s->total.v[m] - s->gate.v[m];
		out->compared = true;
		out->compared_fields |= 1u << m;
		out->rollup[m] = rv;
		out->diff[m] = (int64_t)(rv - sum);
		if (m == ML_MS_PSS || m == ML_MS_SWAP_PSS || m == ML_MS_LOCKED)
			out->tolerance[m] = maps > 0 ? maps * 1024 - 1 : 0;
		if (out->diff[m] < 0 || (uint64_t)out->diff[m] > out->tolerance[m]) {
			out->differing |= 1u << m;
			out->agrees = false;
		}
	}
	if (!out->compared)
		out->agrees = false;
}
