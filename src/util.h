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
 * Quantities a user types. A size is a number (fractions allowed) with an
 * optional binary unit: K, M, G, T (KiB, MiB, ...; "KiB", "K" and "KB" alike,
 * any case), B or none for bytes. A duration is a number of seconds, or a
 * number with s, m, h or d. A rate is a size per unit of time, SIZE/s,
 * SIZE/m, SIZE/h or SIZE/d; without "/unit", per hour. Each returns 0, or
 * -1 when the text is not one (negative, NaN and overflow included).
 */
int ml_parse_size(const char *s, double *bytes);
int ml_parse_duration(const char *s, double *seconds);
int ml_parse_rate(const char *s, double *bytes_per_second);

/*
 * Whether cand is close enough to the mistyped given to be suggested: one
 * edit, or two when both are five letters or more ("--ty" is not "--si").
 * *d is the distance when it is.
 */
bool ml_name_is_close(const char *given, const char *cand, unsigned int *d);

#endif /* ML_UTIL_H */
