/*
 * Error causes and other small utilities usable from every layer.
 *
 * A cause is a heap-allocated message that a failing function hands to its
 * caller ("cannot read /proc/slabinfo: Permission denied"); the caller prints
 * it and frees it. Passing a NULL cause pointer means "I do not want it".
 */
#ifndef ML_UTIL_H
#define ML_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "compat.h"

/* Replace *cause (when cause is not NULL) with a formatted message. */
void ml_set_cause(char **cause, const char *fmt, ...) ML_PRINTF(2, 3);

/* Prefix *cause with a formatted context: "reading X: " + old cause. */
void ml_prefix_cause(char **cause, const char *fmt, ...) ML_PRINTF(2, 3);

/* Levenshtein distance between a and b, capped at limit + 1. */
unsigned int ml_edit_distance(const char *a, const char *b, unsigned int limit);

/*
 * Whether cand is close enough to the mistyped given to be suggested: one
 * edit, or two when both are five letters or more ("--ty" is not "--si").
 * *d is the distance when it is.
 */
bool ml_name_is_close(const char *given, const char *cand, unsigned int *d);

#endif /* ML_UTIL_H */
