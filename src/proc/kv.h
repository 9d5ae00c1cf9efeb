/*
 * Learned layout for key/value files (meminfo, vmstat, smaps_rollup, the
 * counters of zoneinfo and smaps records).
 *
 * These files print their keys in the same order every time. struct ml_kvlist
 * remembers every key of the last parse in order, known or not, with its value.
 * On the next parse each key is confirmed with one length check and one memcmp
 * at the expected position and its value stored in place; a mismatch falls
 * back to a lookup in the source's key table and relearns the rest of the
 * list from there. In steady state nothing is hashed and nothing allocated.
 *
 * Values are stored as converted: a value printed with " kB" is kept in bytes
 * (ML_KV_BYTES), anything else as the bare number (ML_KV_COUNT).
 */
#ifndef ML_KV_H
#define ML_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compat.h"
#include "proc/scan.h"
#include "proc/source.h"

enum ml_kv_unit {
	ML_KV_COUNT = 0, /* printed without a unit: pages, counts, flags */
	ML_KV_BYTES = 1, /* printed in kB, stored in bytes */
};

/* One known key of a source: its exact text and the unit it is printed in. */
struct ml_kv_key {
	const char *name;
	uint8_t unit;
};

/* One key of a parse, in file order. */
struct ml_kv_entry {
	uint32_t name_off; /* into the list's name arena */
	uint16_t name_len;
	int16_t slot;   /* index in the key table, or -1 when unknown */
	uint8_t unit;   /* as printed */
	uint64_t value; /* converted (bytes for kB) */
};

struct ml_kvlist {
	struct ml_kv_entry *e;
	uint32_t n, cap;
	char *names;
	uint32_t names_len, names_cap;
	uint32_t cursor;   /* position of the next key in the current parse */
	uint64_t relearns; /* times the layout changed (for benchmarks and tests) */
};

void ml_kvlist_init(struct ml_kvlist *l);
void ml_kvlist_release(struct ml_kvlist *l);

/* Start a parse: the learned layout stays, the cursor goes back to 0. */
static inline void
ml_kvlist_begin(struct ml_kvlist *l)
{
	l->cursor = 0;
}

/* End of a parse: keys that did not appear this time are dropped. */
void ml_kvlist_finish(struct ml_kvlist *l);

/* The name of entry i (not NUL-terminated: use name_len). */
static inline const char *
ml_kvlist_name(const struct ml_kvlist *l, uint32_t i)
{
	return l->names + l->e[i].name_off;
}

/*
 * The fast path of a parse: when the line s (n bytes) starts with the key
 * expected at the cursor followed by sep, return that entry; the caller
 * parses the value after it and stores it with ml_kvlist_confirm. NULL
 * otherwise: find the key in the line and use ml_kvlist_put.
 */
static inline struct ml_kv_entry *
ml_kvlist_match(struct ml_kvlist *l, const char *s, size_t n, char sep)
{
	struct ml_kv_entry *e;

	if (l->cursor >= l->n)
		return NULL;
	e = &l->e[l->cursor];
	if (e->name_len >= n || s[e->name_len] != sep ||
	    !ml_mem_eq(l->names + e->name_off, s, e->name_len))
		return NULL;
	return e;
}

/*
 * Store the value of the entry ml_kvlist_match returned and move the cursor
 * on. ML_LINE_BAD with *why when the unit is not the one the key is printed in.
 */
static inline int
ml_kvlist_confirm(struct ml_kvlist *l, struct ml_kv_entry *e, const struct ml_kv_key *keys,
		  uint8_t unit, uint64_t value, const char **why)
{
	if (e->slot >= 0 && keys[e->slot].unit != unit) {
		*why = unit == ML_KV_BYTES ? "unexpected unit kB" : "missing unit kB";
		return ML_LINE_BAD;
	}
	e->unit = unit;
	e->value = value;
	l->cursor++;
	return ML_LINE_OK;
}

/*
 * One "key<sep> value [kB]" line through the learned layout: the fast path
 * when the key is where it was last time, else a lookup and a relearn. The
 * key ends at the first sep (':'), or at the first blank when sep is ' '.
 * A known key's value goes to val[slot] with its bit set in present. With
 * counts_only, a value printed in kB is a bad line (vmstat never prints one).
 * Returns ML_LINE_OK, ML_LINE_BAD with *why, or ML_LINE_FATAL (ENOMEM).
 */
int ml_kv_line(struct ml_kvlist *l, const struct ml_kv_key *keys, size_t nkeys, uint64_t *val,
	       uint64_t *present, char sep, bool counts_only, const char *s, size_t n,
	       const char **why);

/*
 * The bulk fast path for "key<sep><blanks>value[ kB]" lines: consume lines
 * from buf while each one is the key expected at the cursor with a plain
 * value in the unit it had last time, storing values into val[slot] and
 * present. Stops before the first line that needs more care (another key, a
 * bad value, another unit, CR, a long line) and returns the bytes consumed;
 * see struct ml_source's bulk.
 */
size_t ml_kv_bulk(struct ml_kvlist *l, uint64_t *val, uint64_t *present, char sep, const char *buf,
		  size_t len, uint64_t *lines);

/*
 * Whether a "key: value kB" line that lost its newline is complete: it ends
 * in the unit (a number then blanks then "kB", blanks after). A line ending
 * in a bare number may have lost digits: false. For struct ml_source's
 * complete (meminfo, smaps, smaps_rollup).
 */
bool ml_kv_line_complete(const char *s, size_t n);

/* Find key (n bytes) in a table of nkeys known keys; -1 when unknown. */
int ml_kv_lookup(const struct ml_kv_key *keys, size_t nkeys, const char *key, size_t n);

/*
 * Record key = value at the cursor. On success *slot is the key's index in
 * keys (or -1) and the entry is stored. Returns ML_LINE_OK, ML_LINE_BAD with
 * *why set (the key appeared twice in this parse, or a known key came in
 * another unit than the kernel prints it in), or ML_LINE_FATAL (ENOMEM).
 * present is the set of known slots already seen in this parse.
 */
int ml_kvlist_put(struct ml_kvlist *l, const struct ml_kv_key *keys, size_t nkeys,
		  const uint64_t *present, const char *key, size_t n, uint8_t unit, uint64_t value,
		  int *slot, const char **why);

/*
 * Parse the value part of a "key: value [kB]" line: blanks, a decimal number,
 * optionally blanks and "kB", then only blanks. Sets *value (converted to
 * bytes for kB) and *unit. Returns ML_LINE_OK or ML_LINE_BAD with *why.
 */
static inline int ml_kv_parse_value(const char *p, const char *end, uint64_t *value, uint8_t *unit,
				    const char **why);

static inline int
ml_kv_parse_value(const char *p, const char *end, uint64_t *value, uint8_t *unit, const char **why)
{
	uint64_t v;
	int rc;

	p = ml_skip_blanks(p, end);
	rc = ml_scan_u64(&p, end, &v);
	if (rc != ML_SCAN_OK) {
		*why = rc == ML_SCAN_OVERFLOW ? "value does not fit in 64 bits" : "no value";
		return ML_LINE_BAD;
	}
	*unit = ML_KV_COUNT;
	if (p < end && *p == ' ')
		p = ml_skip_blanks(p, end);
	if (end - p >= 2 && p[0] == 'k' && p[1] == 'B') {
		p += 2;
		if (v > UINT64_MAX / 1024) {
			*why = "value does not fit in 64 bits once converted to bytes";
			return ML_LINE_BAD;
		}
		v *= 1024;
		*unit = ML_KV_BYTES;
	}
	if (p != end && ml_skip_blanks(p, end) != end) {
		*why = "unexpected text after the value";
		return ML_LINE_BAD;
	}
	*value = v;
	return ML_LINE_OK;
}

#endif /* ML_KV_H */
