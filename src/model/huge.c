/*
 * Derived figures of huge pages, KSM and compressed memory; see huge.h and
 * doc/procfs.md section 22.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/huge.h"
#include "proc/scan.h"

static struct ml_opt
opt(bool known, uint64_t v)
{
	struct ml_opt o = { known, known ? v : 0 };

	return o;
}

/* pages x kB x 1024 */
static struct ml_opt
pages_bytes(const struct ml_attr *pages, uint64_t size_kb)
{
	uint64_t b;

	if (!ml_attr_ok(pages) || !ml_mul_u64(size_kb, 1024, &b) || !ml_mul_u64(pages->u, b, &b))
		return opt(false, 0);
	return opt(true, b);
}

struct ml_opt
ml_hugetlb_size_bytes(const struct ml_hugetlb_size *s)
{
	return pages_bytes(&s->a[ML_HP_NR], s->size_kb);
}

struct ml_opt
ml_hugetlb_size_node_bytes(const struct ml_hugetlb_size *s, size_t i)
{
	if (i >= s->nnodes)
		return opt(false, 0);
	return pages_bytes(&s->node[i].a[ML_HPN_NR], s->size_kb);
}

struct ml_opt
ml_hugetlb_total_bytes(const struct ml_hugetlb *h)
{
	uint64_t sum = 0;
	size_t i;

	if (!h->listed)
		return opt(false, 0);
	for (i = 0; i < h->nsizes; i++) {
		struct ml_opt b = ml_hugetlb_size_bytes(&h->size[i]);

		if (!b.known || !ml_add_u64(sum, b.v, &sum))
			return opt(false, 0);
	}
	return opt(true, sum);
}

struct ml_opt
ml_hugetlb_node_bytes(const struct ml_hugetlb *h, int node)
{
	uint64_t sum = 0;
	size_t i, j;
	bool found;

	if (!h->listed)
		return opt(false, 0);
	for (i = 0; i < h->nsizes; i++) {
		const struct ml_hugetlb_size *s = &h->size[i];
		struct ml_opt b = opt(false, 0);

		found = false;
		for (j = 0; j < s->nnodes; j++) {
			if (s->node[j].node == node) {
				b = ml_hugetlb_size_node_bytes(s, j);
				found = true;
				break;
			}
		}
		if (!found || !b.known || !ml_add_u64(sum, b.v, &sum))
			return opt(false, 0);
	}
	return opt(true, sum);
}

static struct ml_opt
ksm_bytes(const struct ml_attr *a, uint64_t page_size, bool is_signed)
{
	uint64_t v, b;

	if (!ml_attr_ok(a) || page_size == 0)
		return opt(false, 0);
	if (is_signed) {
		/* ksm_zero_pages is a %ld; a negative count is transient drift */
		v = a->i > 0 ? (uint64_t)a->i : 0;
	} else {
		v = a->u;
	}
	if (!ml_mul_u64(v, page_size, &b))
		return opt(false, 0);
	return opt(true, b);
}

void
ml_ksm_view(struct ml_ksm_view *v, const struct ml_ksm *k, uint64_t page_size)
{
	const struct ml_attr *shared = &k->a[ML_KSM_PAGES_SHARED];
	const struct ml_attr *sharing = &k->a[ML_KSM_PAGES_SHARING];

	memset(v, 0, sizeof *v);
	v->present = k->present;
	if (!k->present)
		return;
	v->run = opt(ml_attr_ok(&k->a[ML_KSM_RUN]), k->a[ML_KSM_RUN].u);
	v->shared = ksm_bytes(shared, page_size, false);
	v->sharing = ksm_bytes(sharing, page_size, false);
	v->unshared = ksm_bytes(&k->a[ML_KSM_PAGES_UNSHARED], page_size, false);
	v->volatile_ = ksm_bytes(&k->a[ML_KSM_PAGES_VOLATILE], page_size, false);
	v->zero_pages = ksm_bytes(&k->a[ML_KSM_ZERO_PAGES], page_size, true);
	if ((v->profit_known = ml_attr_ok(&k->a[ML_KSM_GENERAL_PROFIT])))
		v->profit = k->a[ML_KSM_GENERAL_PROFIT].i;
	if (ml_attr_ok(shared) && ml_attr_ok(sharing) && shared->u > 0) {
		v->ratio_known = true;
		v->sharing_per_shared = (double)sharing->u / (double)shared->u;
	}
}

static void
sum_add(struct ml_zram_sum *s, uint64_t *to, uint64_t v)
{
	if (!ml_add_u64(*to, v, to))
		s->overflow = true;
}

void
ml_zram_sum(struct ml_zram_sum *s, const struct ml_zram *z)
{
	size_t i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < z->n; i++) {
		const struct ml_zram_dev *d = &z->dev[i];

		s->devices++;
		if (d->mm_state != ML_ATTR_OK)
			continue;
		s->read++;
		sum_add(s, &s->orig, d->mm.v[ML_ZR_ORIG_DATA_SIZE]);
		sum_add(s, &s->compr, d->mm.v[ML_ZR_COMPR_DATA_SIZE]);
		sum_add(s, &s->mem_used, d->mm.v[ML_ZR_MEM_USED_TOTAL]);
		sum_add(s, &s->same_pages, d->mm.v[ML_ZR_SAME_PAGES]);
	}
}

struct ml_opt
ml_zram_memory(const struct ml_zram *z)
{
	struct ml_zram_sum s;

	if (!z->listed)
		return opt(false, 0);
	ml_zram_sum(&s, z);
	return opt(s.read == s.devices && !s.overflow, s.mem_used);
}

bool
ml_compression_ratio(uint64_t orig, uint64_t used, double *ratio)
{
	if (used == 0)
		return false;
	*ratio = (double)orig / (double)used;
	return true;
}

static bool
thp_bytes(const struct ml_proc *p, uint64_t *v)
{
	if (!ml_proc_has(p, ML_SM_ANON_HUGE_PAGES))
		return false;
	*v = p->val[ML_SM_ANON_HUGE_PAGES];
	return *v > 0;
}

size_t
ml_procs_top_thp(struct ml_proc *const *rows, size_t n, struct ml_proc **out, size_t k)
{
	size_t i, j, m = 0;
	uint64_t v, w;

	for (i = 0; i < n; i++) {
		if (!thp_bytes(rows[i], &v))
			continue;
		/* insertion into the k best so far */
		for (j = m; j > 0; j--) {
			thp_bytes(out[j - 1], &w);
			if (w > v || (w == v && out[j - 1]->pid < rows[i]->pid))
				break;
			if (j < k)
				out[j] = out[j - 1];
		}
		if (j < k) {
			out[j] = rows[i];
			if (m < k)
				m++;
		}
	}
	return m;
}
