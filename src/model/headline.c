/*
 * Headline figures; see headline.h. "used" follows free(1) of procps 4:
 * MemTotal - MemAvailable, falling back to MemTotal - MemFree when
 * MemAvailable exceeds MemTotal (a container's view of the host).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "model/headline.h"
#include "util.h"

static struct ml_opt
opt_field(const struct ml_meminfo *mi, enum ml_mi_key k)
{
	struct ml_opt o = { false, 0 };

	if (ml_meminfo_has(mi, k)) {
		o.known = true;
		o.v = mi->val[k];
	}
	return o;
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * si_mem_available() as first merged in 3.14 (doc/procfs.md section 12.1), with
 * the sum of the zones' low watermarks taken as min_free_kbytes * 5/4: before
 * watermark_scale_factor (4.6) every zone's low was min + min/4 and the mins
 * add up to min_free_kbytes. This is also what procps 3.3 did.
 */
uint64_t
ml_estimate_available(const struct ml_meminfo *mi, uint64_t min_free_kbytes)
{
	uint64_t wmark_low = min_free_kbytes * 1024 / 4 * 5;
	uint64_t pagecache, reclaimable, free = ml_meminfo_get(mi, ML_MI_MEM_FREE);
	int64_t avail;

	pagecache = ml_meminfo_get(mi, ML_MI_ACTIVE_FILE) + ml_meminfo_get(mi, ML_MI_INACTIVE_FILE);
	reclaimable = ml_meminfo_get(mi, ML_MI_SRECLAIMABLE);
	avail = (int64_t)free - (int64_t)wmark_low;
	avail += (int64_t)(pagecache - min_u64(pagecache / 2, wmark_low));
	avail += (int64_t)(reclaimable - min_u64(reclaimable / 2, wmark_low));
	return avail < 0 ? 0 : (uint64_t)avail;
}

int
ml_headline_compute(struct ml_headline *h, const struct ml_meminfo *mi,
		    const uint64_t *min_free_kbytes, char **cause)
{
	memset(h, 0, sizeof *h);
	if (!ml_meminfo_has(mi, ML_MI_MEM_TOTAL)) {
		errno = EINVAL;
		ml_set_cause(cause, "no MemTotal line (is this a meminfo file?)");
		return -1;
	}
	h->total = mi->val[ML_MI_MEM_TOTAL];
	h->free = opt_field(mi, ML_MI_MEM_FREE);
	h->shared = opt_field(mi, ML_MI_SHMEM);
	h->buffers = opt_field(mi, ML_MI_BUFFERS);

	/* free(1) "cache": page cache plus reclaimable slab. */
	if (ml_meminfo_has(mi, ML_MI_CACHED)) {
		h->cache.known = true;
		h->cache.v = mi->val[ML_MI_CACHED] + ml_meminfo_get(mi, ML_MI_SRECLAIMABLE);
	}
	if (h->cache.known || h->buffers.known) {
		h->buff_cache.known = true;
		h->buff_cache.v = h->cache.v + h->buffers.v;
	}

	if (ml_meminfo_has(mi, ML_MI_MEM_AVAILABLE)) {
		h->available = opt_field(mi, ML_MI_MEM_AVAILABLE);
		h->avail_source = ML_AVAIL_KERNEL;
	} else if (min_free_kbytes != NULL && h->free.known) {
		h->available.known = true;
		h->available.v = ml_estimate_available(mi, *min_free_kbytes);
		h->avail_source = ML_AVAIL_ESTIMATED;
	} else {
		h->avail_source = ML_AVAIL_UNKNOWN;
	}
	if (h->available.known && h->available.v <= h->total) {
		h->used.known = true;
		h->used.v = h->total - h->available.v;
	} else if (h->free.known && h->free.v <= h->total) {
		h->used.known = true;
		h->used.v = h->total - h->free.v;
		h->used_fallback = h->available.known;
	}

	h->swap_total = opt_field(mi, ML_MI_SWAP_TOTAL);
	h->swap_free = opt_field(mi, ML_MI_SWAP_FREE);
	if (h->swap_total.known && h->swap_free.known) {
		h->swap_used.known = true;
		h->swap_used.v =
			h->swap_total.v >= h->swap_free.v ? h->swap_total.v - h->swap_free.v : 0;
	}
	h->swap_cached = opt_field(mi, ML_MI_SWAP_CACHED);
	h->zswap = opt_field(mi, ML_MI_ZSWAP);
	h->zswapped = opt_field(mi, ML_MI_ZSWAPPED);

	h->committed = opt_field(mi, ML_MI_COMMITTED_AS);
	h->commit_limit = opt_field(mi, ML_MI_COMMIT_LIMIT);

	h->huge_total = opt_field(mi, ML_MI_HUGEPAGES_TOTAL);
	h->huge_free = opt_field(mi, ML_MI_HUGEPAGES_FREE);
	h->huge_rsvd = opt_field(mi, ML_MI_HUGEPAGES_RSVD);
	h->huge_surp = opt_field(mi, ML_MI_HUGEPAGES_SURP);
	h->huge_size = opt_field(mi, ML_MI_HUGEPAGESIZE);
	h->hugetlb = opt_field(mi, ML_MI_HUGETLB);

	h->dirty = opt_field(mi, ML_MI_DIRTY);
	h->writeback = opt_field(mi, ML_MI_WRITEBACK);
	return 0;
}

const char *
ml_headline_used_formula(const struct ml_headline *h)
{
	if (h->used_fallback || !h->available.known)
		return "MemTotal - MemFree";
	if (h->avail_source == ML_AVAIL_ESTIMATED)
		return "MemTotal - estimated MemAvailable";
	return "MemTotal - MemAvailable";
}
