/*
 * Shared by the per-process harnesses (fuzz-maps.c, fuzz-smaps.c,
 * fuzz-smaps_rollup.c): a digest of a mapping's header as the parser hands
 * it over, and the header's own invariants.
 */
#ifndef ML_FUZZ_PID_COMMON_H
#define ML_FUZZ_PID_COMMON_H

#include <string.h>

#include "fuzz.h"
#include "proc/maps.h"
#include "proc/smaps.h"

/*
 * A header's invariants: an ordered range, a 4-letter permission column, a
 * NUL-terminated name of exactly name_len bytes (a NUL byte makes its line
 * bad, so the name holds none), a label that is a slice of the name.
 */
static inline void
fuzz_check_vma(const struct ml_vma *v)
{
	FUZZ_CHECK(v->start <= v->end);
	FUZZ_CHECK(strlen(v->perm_text) == 4);
	FUZZ_CHECK(v->perms < 16);
	FUZZ_CHECK(v->name_kind < ML_VMA_NAME__COUNT);
	FUZZ_CHECK(v->name != NULL && v->name[v->name_len] == '\0');
	FUZZ_CHECK(strlen(v->name) == v->name_len);
	FUZZ_CHECK(v->label != NULL);
	FUZZ_CHECK(v->label_len == 0 ||
		   (v->label > v->name && v->label + v->label_len < v->name + v->name_len));
	FUZZ_CHECK(v->name_len == 0 || v->name_kind != ML_VMA_NAME_NONE);
}

static inline uint64_t
fuzz_vma_digest(uint64_t h, const struct ml_vma *v)
{
	uint64_t nums[7] = { v->start,
			     v->end,
			     v->offset,
			     v->inode,
			     (uint64_t)v->dev_major << 32 | v->dev_minor,
			     (uint64_t)v->perms | (uint64_t)v->name_kind << 8 |
				     (uint64_t)v->deleted << 16,
			     v->tid };

	h = fuzz_mix(h, nums, sizeof nums);
	h = fuzz_mix(h, v->perm_text, 4);
	h = fuzz_mix(h, &v->name_len, sizeof v->name_len);
	h = fuzz_mix(h, v->name, v->name_len);
	h = fuzz_mix(h, &v->label_len, sizeof v->label_len);
	return fuzz_mix(h, v->label, v->label_len);
}

/* Every field of a record: the list in file order, and the known slots. */
static inline uint64_t
fuzz_fields_digest(uint64_t h, const struct ml_smaps_fields *f)
{
	uint32_t i;

	h = fuzz_mix(h, &f->all.n, sizeof f->all.n);
	for (i = 0; i < f->all.n; i++) {
		const struct ml_kv_entry *e = &f->all.e[i];

		h = fuzz_mix(h, ml_kvlist_name(&f->all, i), e->name_len);
		h = fuzz_mix(h, &e->value, sizeof e->value);
		h = fuzz_mix(h, &e->slot, sizeof e->slot);
		h = fuzz_mix(h, &e->unit, sizeof e->unit);
		/* A known field's slot holds the listed value, and its bit is set. */
		if (e->slot >= 0) {
			FUZZ_CHECK(ml_smaps_has(f, (enum ml_sm_key)e->slot));
			FUZZ_CHECK(f->val[e->slot] == e->value);
		}
	}
	return fuzz_mix(h, f->present, sizeof f->present);
}

#endif /* ML_FUZZ_PID_COMMON_H */
