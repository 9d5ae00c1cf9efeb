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

bool
ml_kv_line_complete(const char *s, size_t n)
{
	const char *end = s + n;

	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - s < 4 || end[-1] != 'B' || end[-2] != 'k' || (end[-3] != ' ' && end[-3] != '\t'))
		return false;
	end -= 3;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end > s && end[-1] >= '0' && end[-1] <= '9';
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

size_t
ml_kv_bulk(struct ml_kvlist *l, uint64_t *val, uint64_t *present, char sep, const char *buf,
	   size_t len, uint64_t *lines)
{
	const char *p = buf, *end = buf + len, *q, *digits;
	struct ml_kv_entry *e;
	uint64_t v;
	uint8_t unit;
	int k;

	while (l->cursor < l->n) {
		e = &l->e[l->cursor];
		if ((size_t)(end - p) < (size_t)e->name_len + 3 || p[e->name_len] != sep ||
		    !ml_mem_eq(l->names + e->name_off, p, e->name_len))
			break;
		q = p + e->name_len + 1;
		if (end - q >= 8 && *q == ' ')
			q = ml_skip_blanks(q, end);
		while (q < end && *q == ' ')
			q++;
		digits = q;
		v = 0;
		/* Eight digits at a time, then (beyond eight) one by one, up to 19. */
		if (end - q >= 9 && (k = ml_swar_digits(q)) > 0) {
			v = ml_swar_value(q, k);
			q += k;
		}
		while (q < end && (unsigned char)(*q - '0') <= 9 && q - digits < 19) {
			v = v * 10 + (uint64_t)(*q - '0');
			q++;
		}
		if (q == digits || q == end)
			break;
		unit = ML_KV_COUNT;
		if (*q == ' ' && end - q >= 4 && q[1] == 'k' && q[2] == 'B') {
			if (v > UINT64_MAX / 1024)
				break;
			v *= 1024;
			unit = ML_KV_BYTES;
			q += 3;
		}
		/* Anything else before the newline (a 20th digit, CR, text): the slow path. */
		if (*q != '\n' || q - p > ML_LINE_MAX)
			break;
		/*
		 * Another unit than last time: the slow path decides (a known key
		 * has the kernel's unit; vmstat takes no unit at all).
		 */
		if (unit != e->unit)
			break;
		if (e->slot >= 0) {
			val[e->slot] = v;
			ml_bit_set(present, (unsigned int)e->slot);
		}
		e->value = v;
		l->cursor++;
		(*lines)++;
		p = q + 1;
	}
	return (size_t)(p - buf);
}

int
ml_kv_line(struct ml_kvlist *l, const struct ml_kv_key *keys, size_t nkeys, uint64_t *val,
	   uint64_t *present, char sep, bool counts_only, const char *s, size_t n, const char **why)
{
	const char *end = s + n, *key_end, *p;
	struct ml_kv_entry *e;
	uint64_t value;
	uint8_t unit;
	int rc, slot;

	e = ml_kvlist_match(l, s, n, sep);
	if (e != NULL) {
		key_end = s + e->name_len;
	} else if (sep == ' ') {
		key_end = ml_token_end(s, end);
	} else if ((key_end = memchr(s, sep, n)) == NULL) {
		*why = sep == ':' ? "no ':' after the key" : "no separator after the key";
		return ML_LINE_BAD;
	}
	if (key_end == s) {
		*why = "no key";
		return ML_LINE_BAD;
	}
	rc = ml_kv_parse_value(key_end + (sep == ' ' ? 0 : 1), end, &value, &unit, why);
	if (rc != ML_LINE_OK)
		return rc;
	if (counts_only && unit != ML_KV_COUNT) {
		*why = "unexpected unit kB";
		return ML_LINE_BAD;
	}
	if (e != NULL) {
		rc = ml_kvlist_confirm(l, e, keys, unit, value, why);
		slot = e->slot;
	} else {
		/* A new key: the kernel prints these keys as one word of ASCII. */
		for (p = s; p < key_end; p++) {
			if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) {
				*why = "bad key";
				return ML_LINE_BAD;
			}
		}
		rc = ml_kvlist_put(l, keys, nkeys, present, s, (size_t)(key_end - s), unit, value,
				   &slot, why);
	}
	if (rc != ML_LINE_OK)
		return rc;
	if (slot >= 0) {
		val[slot] = value;
		ml_bit_set(present, (unsigned int)slot);
	}
	return ML_LINE_OK;
}
