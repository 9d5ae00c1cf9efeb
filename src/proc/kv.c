/*
 * The learned-layout key/value list. See kv.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/kv.h"
#include "proc/scan.h"
#include "proc/source.h"

void
ml_kvlist_init(struct ml_kvlist *l)
{
	memset(l, 0, sizeof *l);
}

void
ml_kvlist_release(struct ml_kvlist *l)
{
	free(l->e);
	free(l->names);
	memset(l, 0, sizeof *l);
}

void
ml_kvlist_finish(struct ml_kvlist *l)
{
	if (l->cursor < l->n) {
		l->names_len = l->e[l->cursor].name_off;
		l->n = l->cursor;
		l->relearns++;
	}
}

int
ml_kv_lookup(const struct ml_kv_key *keys, size_t nkeys, const char *key, size_t n)
{
	size_t i;

	/* Not strncmp: a key holding a NUL byte would stop it early, and name[n]
	 * would then be read past the end of a shorter name. */
	for (i = 0; i < nkeys; i++) {
		if (keys[i].name != NULL && strlen(keys[i].name) == n &&
		    memcmp(keys[i].name, key, n) == 0)
			return (int)i;
	}
	return -1;
}

/* A known key printed in another unit than the kernel uses is not trusted. */
static int
unit_mismatch(const struct ml_kv_key *keys, int slot, uint8_t unit, const char **why)
{
	if (slot < 0 || keys[slot].unit == unit)
		return 0;
	*why = unit == ML_KV_BYTES ? "unexpected unit kB" : "missing unit kB";
	return 1;
}

/* Grow the entry array or the name arena; -1 with errno on failure. */
static int
kvlist_reserve(struct ml_kvlist *l, size_t name_len)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 64;
		struct ml_kv_entry *e = realloc(l->e, cap * sizeof *e);

		if (e == NULL)
			return -1;
		l->e = e;
		l->cap = cap;
	}
	if (l->names_len + name_len > l->names_cap) {
		uint32_t cap = l->names_cap ? l->names_cap : 1024;
		char *s;

		while (l->names_len + name_len > cap)
			cap *= 2;
		s = realloc(l->names, cap);
		if (s == NULL)
			return -1;
		l->names = s;
		l->names_cap = cap;
	}
	return 0;
}

int
ml_kvlist_put(struct ml_kvlist *l, const struct ml_kv_key *keys, size_t nkeys,
	      const uint64_t *present, const char *key, size_t n, uint8_t unit, uint64_t value,
	      int *slot, const char **why)
{
	struct ml_kv_entry *e;
	uint32_t i;
	int s;

	if (n == 0 || n > UINT16_MAX) {
		*why = "bad key";
		return ML_LINE_BAD;
	}
	/* Fast path: the key is where it was last time. */
	if (l->cursor < l->n) {
		e = &l->e[l->cursor];
		if (e->name_len == n && memcmp(l->names + e->name_off, key, n) == 0) {
			if (unit_mismatch(keys, e->slot, unit, why))
				return ML_LINE_BAD;
			e->unit = unit;
			e->value = value;
			*slot = e->slot;
			l->cursor++;
			return ML_LINE_OK;
		}
	}
	/* Slow path: a new, moved or repeated key. */
	s = ml_kv_lookup(keys, nkeys, key, n);
	if (unit_mismatch(keys, s, unit, why))
		return ML_LINE_BAD;
	if (s >= 0 && present != NULL && ml_bit_test(present, (unsigned int)s)) {
		*why = "duplicate key";
		return ML_LINE_BAD;
	}
	if (s < 0) {
		for (i = 0; i < l->cursor; i++) {
			if (l->e[i].name_len == n &&
			    memcmp(l->names + l->e[i].name_off, key, n) == 0) {
				*why = "duplicate key";
				return ML_LINE_BAD;
			}
		}
	}
	/* Relearn: everything after the cursor is stale. */
	if (l->cursor < l->n) {
		l->names_len = l->e[l->cursor].name_off;
		l->n = l->cursor;
	}
	l->relearns++;
	if (kvlist_reserve(l, n) != 0) {
		errno = ENOMEM;
		return ML_LINE_FATAL;
	}
	e = &l->e[l->n++];
	e->name_off = l->names_len;
	e->name_len = (uint16_t)n;
	e->slot = (int16_t)s;
	e->unit = unit;
	e->value = value;
	memcpy(l->names + l->names_len, key, n);
	l->names_len += (uint32_t)n;
	l->cursor = l->n;
	*slot = s;
	return ML_LINE_OK;
}

int
ml_kv_parse_value(const char *p, const char *end, uint64_t *value, uint8_t *unit, const char **why)
{
	uint64_t v;
	int rc;

	p = ml_skip_blanks(p, end);
	rc = ml_scan_u64(&p, end, &v);
	if (rc == ML_SCAN_OVERFLOW) {
		*why = "value does not fit in 64 bits";
		return ML_LINE_BAD;
	}
	if (rc != ML_SCAN_OK) {
		*why = "no value";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(p, end);
	*unit = ML_KV_COUNT;
	if (end - p >= 2 && p[0] == 'k' && p[1] == 'B') {
		p += 2;
		if (!ml_mul_u64(v, 1024, &v)) {
			*why = "value does not fit in 64 bits once converted to bytes";
			return ML_LINE_BAD;
		}
		*unit = ML_KV_BYTES;
	}
	if (!ml_only_blanks(p, end)) {
		*why = "unexpected text after the value";
		return ML_LINE_BAD;
	}
	*value = v;
	return ML_LINE_OK;
}
