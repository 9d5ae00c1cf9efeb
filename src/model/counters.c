/*
 * Named event counters and their rates; see counters.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/counters.h"

void
ml_counter_set_init(struct ml_counter_set *s)
{
	memset(s, 0, sizeof *s);
}

void
ml_counter_set_release(struct ml_counter_set *s)
{
	free(s->c);
	memset(s, 0, sizeof *s);
}

static bool
wanted(const char *name, size_t n, const char *const *prefixes)
{
	size_t k;

	if (prefixes == NULL)
		return true;
	for (; *prefixes != NULL; prefixes++) {
		k = strlen(*prefixes);
		if (n >= k && memcmp(name, *prefixes, k) == 0)
			return true;
	}
	return false;
}

static struct ml_counter *
find(struct ml_counter_set *s, const char *name, size_t n, size_t hint)
{
	size_t i;

	/* The file's order is stable: the next counter is usually at hint. */
	if (hint < s->n && strlen(s->c[hint].name) == n && memcmp(s->c[hint].name, name, n) == 0)
		return &s->c[hint];
	for (i = 0; i < s->n; i++) {
		if (strlen(s->c[i].name) == n && memcmp(s->c[i].name, name, n) == 0)
			return &s->c[i];
	}
	return NULL;
}

int
ml_counter_set_take(struct ml_counter_set *s, const struct ml_kvlist *l,
		    const char *const *prefixes, double seconds)
{
	size_t i, j, hint = 0;

	for (i = 0; i < s->n; i++)
		s->c[i].seen_now = false;
	for (i = 0; i < l->n; i++) {
		const char *name = ml_kvlist_name(l, (uint32_t)i);
		size_t n = l->e[i].name_len;
		struct ml_counter *c;

		if (n == 0 || n >= sizeof s->c[0].name || !wanted(name, n, prefixes))
			continue;
		c = find(s, name, n, hint);
		if (c == NULL) {
			if (s->n == s->cap) {
				size_t cap = s->cap ? s->cap * 2 : 32;
				struct ml_counter *v = realloc(s->c, cap * sizeof *v);

				if (v == NULL) {
					errno = ENOMEM;
					return -1;
				}
				s->c = v;
				s->cap = cap;
			}
			c = &s->c[s->n++];
			memset(c, 0, sizeof *c);
			memcpy(c->name, name, n);
			c->name[n] = '\0';
		} else {
			c->prev = c->value;
			c->has_prev = true;
		}
		c->value = l->e[i].value;
		c->seen_now = true;
		hint = (size_t)(c - s->c) + 1;
	}
	/* Drop what this take did not see; keep the order of the rest. */
	for (i = j = 0; i < s->n; i++) {
		if (s->c[i].seen_now)
			s->c[j++] = s->c[i];
	}
	s->n = j;
	s->seconds = seconds > 0 ? seconds : 0;
	return 0;
}

const struct ml_counter *
ml_counter_find(const struct ml_counter_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->c[i].name, name) == 0)
			return &s->c[i];
	}
	return NULL;
}

bool
ml_counter_rate(const struct ml_counter_set *s, const struct ml_counter *c, double *per_sec)
{
	if (s->seconds <= 0 || !c->has_prev || c->value < c->prev)
		return false;
	*per_sec = (double)(c->value - c->prev) / s->seconds;
	return true;
}
