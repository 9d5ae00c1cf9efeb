/*
 * Number and token scanning for procfs text.
 *
 * Every scanner takes a cursor (*p) and the end of the line, never reads past
 * end, and advances *p only on success. None of them allocate or use locale.
 */
#ifndef ML_SCAN_H
#define ML_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum ml_scan_result {
	ML_SCAN_OK = 0,
	ML_SCAN_NONE = -1,     /* no digit where a number was expected */
	ML_SCAN_OVERFLOW = -2, /* the digits do not fit in 64 bits */
};

/* Scan an unsigned decimal number (at least one digit). */
static inline int ml_scan_u64(const char **p, const char *end, uint64_t *out);

/* Scan an optionally negative decimal number that fits in int64_t. */
int ml_scan_i64(const char **p, const char *end, int64_t *out);

/* Scan hex digits (no "0x" prefix; see ml_scan_hex0x); at least one digit. */
int ml_scan_hex(const char **p, const char *end, uint64_t *out);

/* Scan "0x" followed by hex digits; also accepts hex digits alone. */
int ml_scan_hex0x(const char **p, const char *end, uint64_t *out);

/*
 * A whole value: blanks, one decimal number, nothing but blanks after it.
 * 0, or -1 with *why ("no value", "value does not fit in 64 bits",
 * "unexpected text after the value") for the parser's bad-line report.
 */
int ml_scan_value_u64(const char *p, const char *end, uint64_t *out, const char **why);
int ml_scan_value_i64(const char *p, const char *end, int64_t *out, const char **why);

/* Skip blanks (space, tab, carriage return); return the new cursor. */
static inline const char *ml_skip_blanks(const char *p, const char *end);

/* Return the end of the token starting at p (first blank, or end). */
const char *ml_token_end(const char *p, const char *end);

/* True when [p, end) holds only blanks. */
bool ml_only_blanks(const char *p, const char *end);

/* True when the n bytes at p equal the NUL-terminated word w. */
bool ml_word_eq(const char *p, size_t n, const char *w);

/* Multiply a by b into *out; false when the product overflows. */
static inline bool
ml_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

/* Add a and b into *out; false when the sum overflows. */
static inline bool
ml_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

/* The slow path of ml_scan_u64: 20 digits or more, checked for overflow. */
int ml_scan_u64_long(const char **p, const char *end, uint64_t *out);

static inline int
ml_scan_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p, *digits_end;
	uint64_t v = 0;

	digits_end = s;
	while (digits_end < end && (unsigned char)(*digits_end - '0') <= 9)
		digits_end++;
	if (digits_end == s)
		return ML_SCAN_NONE;
	/* Up to 19 digits cannot overflow: no check per digit. */
	if (digits_end - s > 19)
		return ml_scan_u64_long(p, end, out);
	for (; s < digits_end; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	*out = v;
	*p = s;
	return ML_SCAN_OK;
}

static inline const char *
ml_skip_blanks(const char *p, const char *end)
{
	uint64_t w;

	/* procfs pads with runs of spaces: find the first non-space eight at a time. */
	while (end - p >= 8) {
		memcpy(&w, p, 8);
		w ^= UINT64_C(0x2020202020202020);
		if (w != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			p += __builtin_ctzll(w) >> 3;
#else
			p += __builtin_clzll(w) >> 3;
#endif
			if (*p != '\t' && *p != '\r')
				return p;
			break;
		}
		p += 8;
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/*
 * Word-at-a-time helpers for the bulk fast path (little-endian; elsewhere
 * they decline and the caller uses the byte loops).
 *
 * ml_swar_digits: the number of leading ASCII digits (0..8) in the eight
 * bytes at p. A byte is a digit when it is >= '0' (its top bit survives
 * subtracting 0x30 from it with the top bit forced on, so nothing borrows
 * across bytes), <= '9' (adding 0x46 leaves the top bit clear) and ASCII.
 */
static inline int
ml_swar_digits(const char *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t hi = UINT64_C(0x8080808080808080);
	uint64_t w, nondigit;

	memcpy(&w, p, 8);
	nondigit = (~((w | hi) - UINT64_C(0x3030303030303030)) |
		    (w + UINT64_C(0x4646464646464646)) | w) &
		   hi;
	return nondigit == 0 ? 8 : __builtin_ctzll(nondigit) >> 3;
#else
	(void)p;
	return -1;
#endif
}

/*
 * The value of the k (1..8) ASCII digits at p, eight bytes readable: the
 * digits are moved to the top of the word, '0's fill the rest, and three
 * multiplications combine pairs, quads and octets of digits.
 */
static inline uint64_t
ml_swar_value(const char *p, int k)
{
	uint64_t w;

	memcpy(&w, p, 8);
	if (k < 8)
		w = (w << (8 * (8 - k))) | (UINT64_C(0x3030303030303030) >> (8 * k));
	w -= UINT64_C(0x3030303030303030);
	w = (w * 10) + (w >> 8);
	w = (((w & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
	     (((w >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >>
	    32;
	return w;
}

/* memcmp(a, b, n) == 0 for the short keys of procfs, without a call. */
static inline bool
ml_mem_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;

	if (n >= 8) {
		size_t i;

		for (i = 0; i + 8 <= n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		/* the last (overlapping) eight bytes */
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return false;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	while (n-- > 0) {
		if (*a++ != *b++)
			return false;
	}
	return true;
}

#endif /* ML_SCAN_H */
