/*
 * MemFree and MemTotal against the zones; see memcheck.h.
 */
#include "config.h"

#include <string.h>

#include "model/memcheck.h"
#include "proc/scan.h"

const char ml_memcheck_causes[] =
	"memory not yet handed to the page allocator (deferred struct page initialisation), "
	"memory hot-plug, or a balloon driver";

/* One check: the two sides, their difference and whether it is within tolerance. */
static void
judge(struct ml_memcheck *c, uint64_t meminfo, uint64_t zones, uint64_t tolerance)
{
	uint64_t d = meminfo >= zones ? meminfo - zones : zones - meminfo;

	c->meminfo = meminfo;
	c->zones = zones;
	c->tolerance = tolerance;
	if (d > (uint64_t)INT64_MAX) {
		c->known = false;
		return;
	}
	c->difference = meminfo >= zones ? (int64_t)d : -(int64_t)d;
	c->agree = d <= tolerance;
	c->known = true;
}

void
ml_memchecks_compute(struct ml_memchecks *c, const struct ml_meminfo *mi,
		     const struct ml_zoneinfo *zi, uint64_t page_size)
{
	uint64_t free_pages = 0, managed = 0, free_b, managed_b;
	bool have_free = true, have_managed = true;
	uint32_t i;

	memset(c, 0, sizeof *c);
	if (page_size == 0) {
		c->why = "the page size is unknown";
		return;
	}
	if (zi->nzones == 0) {
		c->why = "zoneinfo lists no zone";
		return;
	}
	for (i = 0; i < zi->nzones; i++) {
		const struct ml_zi_zone *z = &zi->zones[i];

		if (ml_zi_has(z, ML_ZI_FREE))
			have_free = have_free &&
				    ml_add_u64(free_pages, z->val[ML_ZI_FREE], &free_pages);
		else
			have_free = false;
		if (ml_zi_has(z, ML_ZI_MANAGED))
			have_managed = have_managed &&
				       ml_add_u64(managed, z->val[ML_ZI_MANAGED], &managed);
		else
			have_managed = false;
	}
	c->zones = zi->nzones;
	if (!ml_meminfo_has(mi, ML_MI_MEM_TOTAL) || !ml_meminfo_has(mi, ML_MI_MEM_FREE)) {
		c->why = "meminfo has no MemTotal or MemFree";
		return;
	}
	if (have_free && ml_mul_u64(free_pages, page_size, &free_b))
		judge(&c->free, mi->val[ML_MI_MEM_FREE], free_b,
		      mi->val[ML_MI_MEM_TOTAL] / ML_MEMCHECK_FREE_SLACK);
	else
		c->why = "a zone prints no free pages (or their sum overflows)";
	/* managed appeared in 3.8: older zoneinfo cannot be checked */
	if (have_managed && ml_mul_u64(managed, page_size, &managed_b))
		judge(&c->total, mi->val[ML_MI_MEM_TOTAL], managed_b, page_size);
	else if (c->why == NULL)
		c->why = "a zone prints no managed pages (before 3.8)";
}
