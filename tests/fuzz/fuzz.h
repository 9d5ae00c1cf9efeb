/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz-*.c).
 *
 * The first byte of an input chooses a chunk size (0: the whole input at
 * once, else 1..255 bytes), the rest is the file. Each harness parses the
 * file whole, in chunks, and a second time into an already-warm output (the
 * learned-layout and bulk paths), and aborts when the three disagree: the
 * parser's own invariant is that none of that changes the result. Harnesses
 * of parsers that keep state between parses (learned layouts, persistent
 * tables) also parse the text after the first NUL byte first (fuzz_other),
 * then the input, into one struct: a refresh that follows a different file
 * must end with what a fresh parse reads.
 */
#ifndef ML_FUZZ_H
#define ML_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/source.h"

#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
			abort();                                                             \
		}                                                                            \
	} while (0)

/* Split an input into its chunk size and the file. */
static inline const char *
fuzz_split(const uint8_t *data, size_t size, size_t *chunk, size_t *len)
{
	if (size == 0) {
		*chunk = 0;
		*len = 0;
		return "";
	}
	*chunk = data[0];
	*len = size - 1;
	return (const char *)data + 1;
}

/*
 * The other file of an input: the bytes after its first NUL (a real procfs
 * file holds none), or the input's first half when it has no NUL.
 */
static inline const char *
fuzz_other(const char *buf, size_t len, size_t *olen)
{
	const char *nul = memchr(buf, '\0', len);

	if (nul == NULL) {
		*olen = len / 2;
		return buf;
	}
	*olen = len - (size_t)(nul + 1 - buf);
	return nul + 1;
}

/* FNV-1a over n bytes, continuing from h. */
static inline uint64_t
fuzz_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* Parse, ignoring the cause (a parse error is an outcome, not a failure). */
static inline int
fuzz_parse(struct ml_feed *f, const struct ml_source *src, void *out, const char *buf, size_t len,
	   size_t chunk)
{
	char *cause = NULL;
	int rc = ml_parse_buffer(f, src, out, buf, len, chunk, &cause);

	free(cause);
	return rc;
}

/* The statistics of two parses of the same input agree. */
static inline void
fuzz_same_stats(const struct ml_parse_stats *a, const struct ml_parse_stats *b)
{
	FUZZ_CHECK(a->lines == b->lines);
	FUZZ_CHECK(a->bad_lines == b->bad_lines);
	FUZZ_CHECK(a->first_bad_lineno == b->first_bad_lineno);
}

#endif /* ML_FUZZ_H */
