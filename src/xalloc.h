/*
 * Allocation for the front ends (src/cmd, src/render, src/tui, src/memlens.c):
 * on failure these print "memlens: out of memory" and exit 1. The parsers
 * and the model never use them; they return ENOMEM to their caller.
 */
#ifndef ML_XALLOC_H
#define ML_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#include "compat.h"

void *ml_xmalloc(size_t n);
void *ml_xcalloc(size_t n, size_t size);
void *ml_xreallocarray(void *p, size_t n, size_t size);
char *ml_xstrdup(const char *s);
char *ml_xasprintf(const char *fmt, ...) ML_PRINTF(1, 2);
char *ml_xvasprintf(const char *fmt, va_list ap) ML_PRINTF(1, 0);

#endif /* ML_XALLOC_H */
