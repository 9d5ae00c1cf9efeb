/*
 * The comparison shared by the key/value harnesses (meminfo, vmstat): two
 * parses agree on the key list, the values and the presence bits, and every
 * present known slot holds the value of its entry in the list.
 */
#ifndef ML_FUZZ_KV_COMMON_H
#define ML_FUZZ_KV_COMMON_H

#include <string.h>

#include "fuzz.h"
#include "proc/kv.h"

static inline void
fuzz_same_kv(const struct ml_kvlist *a, const uint64_t *aval, const uint64_t *apresent,
	     const struct ml_kvlist *b, const uint64_t *bval, const uint64_t *bpresent,
	     size_t nslots)
{
	size_t i;

	FUZZ_CHECK(a->n == b->n);
	for (i = 0; i < a->n; i++) {
		FUZZ_CHECK(a->e[i].name_len == b->e[i].name_len);
		FUZZ_CHECK(memcmp(ml_kvlist_name(a, (uint32_t)i), ml_kvlist_name(b, (uint32_t)i),
				  a->e[i].name_len) == 0);
		FUZZ_CHECK(a->e[i].value == b->e[i].value);
		FUZZ_CHECK(a->e[i].unit == b->e[i].unit);
		FUZZ_CHECK(a->e[i].slot == b->e[i].slot);
		if (a->e[i].slot >= 0) {
			FUZZ_CHECK(ml_bit_test(apresent, (unsigned int)a->e[i].slot));
			FUZZ_CHECK(aval[a->e[i].slot] == a->e[i].value);
		}
	}
	for (i = 0; i < nslots; i++) {
		FUZZ_CHECK(ml_bit_test(apresent, (unsigned int)i) ==
			   ml_bit_test(bpresent, (unsigned int)i));
		if (ml_bit_test(apresent, (unsigned int)i))
			FUZZ_CHECK(aval[i] == bval[i]);
	}
}

#endif /* ML_FUZZ_KV_COMMON_H */
