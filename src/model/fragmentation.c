/*
 * Fragmentation indices as mm/vmstat.c computes them (doc/procfs.md
 * section 12.4); see fragmentation.h. Every step mirrors the kernel's types: sums in
 * 64-bit unsigned long, div_u64() with a 32-bit divisor, and the u64 result
 * returned as an int.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/fragmentation.h"
#include "proc/scan.h"
#include "util.h"

/* div_u64(dividend, divisor): the divisor parameter is a u32. */
static bool
kernel_div_u64(uint64_t dividend, uint64_t divisor, uint64_t *quotient)
{
	uint32_t d = (uint32_t)divisor;

	if (d == 0)
		return false; /* the kernel would trap */
	*quotient = dividend / d;
	return true;
}

/* A u64 returned through the kernel's int return type: the low 32 bits. */
static int
kernel_int(uint64_t v)
{
	uint32_t u = (uint32_t)v;

	return u <= INT32_MAX ? (int)u : -(int)(UINT32_MAX - u) - 1;
}

bool
ml_contig_info_fill(const uint64_t *free_blocks, unsigned int norders, unsigned int suitable_order,
		    struct ml_contig_info *info)
{
	uint64_t pages = 0, total = 0, suitable = 0, b;
	unsigned int o;

	for (o = 0; o < norders; o++) {
		b = free_blocks[o];
		if (!ml_add_u64(total, b, &total) || b > (UINT64_MAX >> o) ||
		    !ml_add_u64(pages, b << o, &pages))
			return false;
		/* Cannot overflow: suitable << suitable_order <= pages. */
		if (o >= suitable_order)
			suitable += b << (o - suitable_order);
	}
	/* Both indices multiply free_pages by 1000 and add 1000. */
	if (pages > (UINT64_MAX - 1000) / 1000)
		return false;
	info->free_pages = pages;
	info->free_blocks_total = total;
	info->free_blocks_suitable = suitable;
	return true;
}

bool
ml_frag_unusable_index(const struct ml_contig_info *info, unsigned int order, int *index)
{
	uint64_t q;

	/* No free memory is interpreted as all free memory being unusable. */
	if (info->free_pages == 0) {
		*index = 1000;
		return true;
	}
	if (!kernel_div_u64((info->free_pages - (info->free_blocks_suitable << order)) * 1000,
			    info->free_pages, &q))
		return false;
	*index = kernel_int(q);
	return true;
}

bool
ml_frag_extfrag_index(const struct ml_contig_info *info, unsigned int order, int *index)
{
	uint64_t requested = UINT64_C(1) << order, a, b;

	if (info->free_blocks_total == 0) {
		*index = 0;
		return true;
	}
	/* The index only makes sense when the allocation would fail. */
	if (info->free_blocks_suitable != 0) {
		*index = ML_FRAG_WOULD_SUCCEED;
		return true;
	}
	if (!kernel_div_u64(info->free_pages * 1000, requested, &a) ||
	    !kernel_div_u64(1000 + a, info->free_blocks_total, &b))
		return false;
	*index = kernel_int(1000 - b); /* u64 arithmetic: may wrap below 0, as in the kernel */
	return true;
}

int
ml_frag_largest_order(const uint64_t *free_blocks, unsigned int norders)
{
	int o;

	for (o = (int)norders - 1; o >= 0; o--) {
		if (free_blocks[o] != 0)
			return o;
	}
	return -1;
}

void
ml_frag_init(struct ml_frag *f)
{
	memset(f, 0, sizeof *f);
	f->largest_order = -1;
}

void
ml_frag_release(struct ml_frag *f)
{
	free(f->zones);
	memset(f, 0, sizeof *f);
	f->largest_order = -1;
}

/* One zone of f from one zone of buddyinfo. */
static void
frag_zone(struct ml_frag_zone *z, const struct ml_buddy_zone *bz, unsigned int norders,
	  uint64_t page_size)
{
	struct ml_contig_info info;
	unsigned int o;

	memset(z, 0, sizeof *z);
	z->node = bz->node;
	memcpy(z->name, bz->name, sizeof z->name);
	z->largest_order = ml_frag_largest_order(bz->free, norders);
	z->overflow = !ml_contig_info_fill(bz->free, norders, 0, &info);
	if (!z->overflow) {
		z->free_blocks = info.free_blocks_total;
		z->free_pages = info.free_pages;
		z->bytes_known =
			page_size != 0 && ml_mul_u64(z->free_pages, page_size, &z->free_bytes);
	}
	/*
	 * The kernel fills contig_page_info once per order; the suitable count
	 * is the only part that depends on the order, and it follows from the
	 * next order's: suitable(o) = free[o] + 2 * suitable(o + 1). Going down
	 * from the top gives every order in one pass (the same values:
	 * suitable(o) << o <= free_pages, so nothing overflows).
	 */
	info.free_blocks_suitable = 0;
	for (o = norders; o-- > 0;) {
		struct ml_frag_order *fo = &z->order[o];

		fo->free_blocks = bz->free[o];
		fo->block_pages = UINT64_C(1) << o;
		if (z->overflow)
			continue;
		fo->free_pages = fo->free_blocks << o;
		if (z->bytes_known) {
			fo->block_bytes = page_size << o;
			fo->free_bytes = fo->free_pages * page_size; /* <= z->free_bytes */
		}
		info.free_blocks_suitable = bz->free[o] + 2 * info.free_blocks_suitable;
		fo->index_known = ml_frag_unusable_index(&info, o, &fo->unusable) &&
				  ml_frag_extfrag_index(&info, o, &fo->extfrag);
	}
}

int
ml_frag_compute(struct ml_frag *f, const struct ml_buddyinfo *bi, uint64_t page_size, char **cause)
{
	size_t i;

	if (bi->nzones > f->cap) {
		struct ml_frag_zone *z = reallocarray(f->zones, bi->nzones, sizeof *z);

		if (z == NULL) {
			ml_set_cause(cause, "fragmentation: %s", strerror(ENOMEM));
			errno = ENOMEM;
			return -1;
		}
		f->zones = z;
		f->cap = bi->nzones;
	}
	/* A page size whose largest block does not fit in 64 bits is no page size. */
	if (bi->norders > 0 && page_size > (UINT64_MAX >> (bi->norders - 1)))
		page_size = 0;
	f->page_size = page_size;
	f->norders = bi->norders;
	f->nzones = bi->nzones;
	f->free_pages = 0;
	f->free_pages_known = true;
	f->free_bytes = 0;
	f->bytes_known = page_size != 0;
	f->largest_order = -1;
	for (i = 0; i < bi->nzones; i++) {
		struct ml_frag_zone *z = &f->zones[i];

		frag_zone(z, &bi->zones[i], bi->norders, page_size);
		if (z->largest_order > f->largest_order)
			f->largest_order = z->largest_order;
		if (z->overflow || !ml_add_u64(f->free_pages, z->free_pages, &f->free_pages))
			f->free_pages_known = false;
		if (!z->bytes_known || !ml_add_u64(f->free_bytes, z->free_bytes, &f->free_bytes))
			f->bytes_known = false;
	}
	if (!f->free_pages_known)
		f->free_pages = 0;
	if (!f->free_pages_known || !f->bytes_known) {
		f->bytes_known = false;
		f->free_bytes = 0;
	}
	return 0;
}

size_t
ml_frag_brief(const struct ml_buddyinfo *bi, struct ml_frag_brief *out, size_t cap)
{
	struct ml_contig_info info;
	size_t i;

	for (i = 0; i < bi->nzones && i < cap; i++) {
		const struct ml_buddy_zone *bz = &bi->zones[i];

		out[i].node = bz->node;
		out[i].zone = bz->name;
		out[i].largest_order = ml_frag_largest_order(bz->free, bi->norders);
		out[i].free_pages_known = ml_contig_info_fill(bz->free, bi->norders, 0, &info);
		out[i].free_pages = out[i].free_pages_known ? info.free_pages : 0;
	}
	return bi->nzones;
}
