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

enum ml_scan_result {
	ML_SCAN_OK = 0,
	ML_SCAN_NONE = -1,     /* no digit where a number was expected */
	ML_SCAN_OVERFLOW = -2, /* the digits do not fit in 64 bits */
};

/* Scan an unsigned decimal number (at least one digit). */
int ml_scan_u64(const char **p, const char *end, uint64_t *out);

/* Scan an optionally negative decimal number that fits in int64_t. */
int ml_scan_i64(const char **p, const char *end, int64_t *out);

/* Scan hex digits (no "0x" prefix; see ml_scan_hex0x); at least one digit. */
int ml_scan_hex(const char **p, const char *end, uint64_t *out);

/* Scan "0x" followed by hex digits; also accepts hex digits alone. */
int ml_scan_hex0x(const char **p, const char *end, uint64_t *out);

/* Skip blanks (space, tab, carriage return); return the new cursor. */
const char *ml_skip_blanks(const char *p, const char *end);

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

#endif /* ML_SCAN_H */
