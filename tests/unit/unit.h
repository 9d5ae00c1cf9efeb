/*
 * Shared helpers for the cmocka unit tests: fixture loading and chunked
 * parsing. cmocka needs these headers in this order.
 */
#ifndef ML_UNIT_H
#define ML_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h must follow the headers above. */
#include <cmocka.h>

#include "compat.h"
#include "proc/source.h"

/* The chunk sizes every parser is fed with: whole, 1, 7 and 4096 bytes. */
extern const size_t unit_chunk_sizes[4];

/* Read tests/fixtures/<rel> into a malloc'd buffer; fails the test when missing. */
char *unit_load_fixture(const char *rel, size_t *len);

/* Parse buf with src into out in chunks of chunk bytes; assert it succeeded. */
void unit_parse(struct ml_feed *f, const struct ml_source *src, void *out, const char *buf,
		size_t len, size_t chunk);

/* Parse a NUL-terminated string whole; returns the feed (static) for its stats. */
const struct ml_feed *unit_parse_str(const struct ml_source *src, void *out, const char *s);

#endif /* ML_UNIT_H */
