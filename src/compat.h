/*
 * Small helpers shared by every layer: array sizes, bit sets, attributes.
 * Nothing here allocates, prints or touches /proc.
 */
#ifndef ML_COMPAT_H
#define ML_COMPAT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ML_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define ML_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ML_UNUSED __attribute__((unused))
#define ML_NORETURN __attribute__((noreturn))
#else
#define ML_PRINTF(f, a)
#define ML_UNUSED
#define ML_NORETURN
#endif

/* A fixed bit set of n bits, as an array of 64-bit words. */
#define ML_BITSET_WORDS(n) (((n) + 63) / 64)

static inline void
ml_bit_set(uint64_t *set, unsigned int bit)
{
	set[bit / 64] |= UINT64_C(1) << (bit % 64);
}

static inline bool
ml_bit_test(const uint64_t *set, unsigned int bit)
{
	return (set[bit / 64] >> (bit % 64)) & 1;
}

#endif /* ML_COMPAT_H */
