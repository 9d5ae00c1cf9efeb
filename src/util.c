/*
 * Error causes and edit distance. No printing here: see util.h.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *
vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

void
ml_set_cause(char **cause, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (cause == NULL)
		return;
	free(*cause);
	va_start(ap, fmt);
	*cause = vformat(fmt, ap);
	va_end(ap);
	errno = saved;
}

void
ml_prefix_cause(char **cause, const char *fmt, ...)
{
	va_list ap;
	char *prefix, *joined;
	int saved = errno;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	prefix = vformat(fmt, ap);
	va_end(ap);
	if (prefix == NULL)
		return;
	if (asprintf(&joined, "%s%s", prefix, *cause != NULL ? *cause : "unknown error") >= 0) {
		free(*cause);
		*cause = joined;
	}
	free(prefix);
	errno = saved;
}

unsigned int
ml_edit_distance(const char *a, const char *b, unsigned int limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[64], prev, tmp, best;

	if (lb >= ML_ARRAY_SIZE(row) || la >= ML_ARRAY_SIZE(row))
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb] > limit ? limit + 1 : row[lb];
}

bool
ml_name_is_close(const char *given, const char *cand, unsigned int *d)
{
	unsigned int limit = strlen(given) >= 5 && strlen(cand) >= 5 ? 2 : 1;

	*d = ml_edit_distance(given, cand, limit);
	return *d <= limit;
}
