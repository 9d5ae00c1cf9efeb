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

#include <math.h>

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

/* A number at the start of s that strtod reads, finite and at least 0. */
static int
leading_number(const char *s, double *v, const char **end)
{
	char *e;

	/* No sign, no hex, no "inf"/"nan": digits and one point only. */
	if (!((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	errno = 0;
	*v = strtod(s, &e);
	if (errno != 0 || e == s || !isfinite(*v) || *v < 0)
		return -1;
	for (const char *p = s; p < e; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return -1;
	*end = e;
	return 0;
}

/* A size from s up to stop (exclusive). */
static int
parse_size_n(const char *s, const char *stop, double *bytes)
{
	static const char units[] = "KMGTP";
	const char *u, *p;
	double v, mul = 1;
	size_t n;

	if (leading_number(s, &v, &u) < 0 || u > stop)
		return -1;
	n = (size_t)(stop - u);
	if (n > 0 && u[0] != '\0' && (p = strchr(units, u[0] & ~0x20)) != NULL) {
		for (const char *q = units; q <= p; q++)
			mul *= 1024;
		u++;
		n--;
		if (n > 0 && (*u == 'i' || *u == 'I')) {
			/* "KiB": the B must follow. */
			if (n != 2 || (u[1] != 'B' && u[1] != 'b'))
				return -1;
			n = 0;
		}
	}
	if (n == 1 && (*u == 'B' || *u == 'b'))
		n = 0;
	if (n != 0 || !isfinite(v * mul))
		return -1;
	*bytes = v * mul;
	return 0;
}

int
ml_parse_size(const char *s, double *bytes)
{
	return parse_size_n(s, s + strlen(s), bytes);
}

/* Seconds in the unit word s ("s", "m", "h", "d"); 0 when it is none. */
static double
time_unit(const char *s)
{
	if (strcmp(s, "s") == 0)
		return 1;
	if (strcmp(s, "m") == 0 || strcmp(s, "min") == 0)
		return 60;
	if (strcmp(s, "h") == 0)
		return 3600;
	if (strcmp(s, "d") == 0)
		return 86400;
	return 0;
}

int
ml_parse_duration(const char *s, double *seconds)
{
	const char *u;
	double v, mul = 1;

	if (leading_number(s, &v, &u) < 0)
		return -1;
	if (*u != '\0' && (mul = time_unit(u)) == 0)
		return -1;
	*seconds = v * mul;
	return 0;
}

int
ml_parse_rate(const char *s, double *bytes_per_second)
{
	const char *slash = strchr(s, '/');
	double bytes, per = 3600;

	if (slash && (per = time_unit(slash + 1)) == 0)
		return -1;
	if (parse_size_n(s, slash ? slash : s + strlen(s), &bytes) < 0)
		return -1;
	*bytes_per_second = bytes / per;
	return 0;
}

bool
ml_name_is_close(const char *given, const char *cand, unsigned int *d)
{
	unsigned int limit = strlen(given) >= 5 && strlen(cand) >= 5 ? 2 : 1;

	*d = ml_edit_distance(given, cand, limit);
	return *d <= limit;
}
